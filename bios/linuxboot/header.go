package linuxboot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// Offsets of the setup header fields in the image (Linux boot protocol,
// "The Real-Mode Kernel Header"), with the protocol version that added
// each one.
const (
	offSetupSects      = 0x1F1 // setup_sects: 512-byte setup sectors after the boot sector
	offSyssize         = 0x1F4 // syssize: protected-mode size in paragraphs (32 bits from 2.04)
	offVidMode         = 0x1FA // vid_mode
	offBootFlag        = 0x1FE // boot_flag: AA55h
	offJump            = 0x200 // jump: the real-mode entry, a short jump over the header
	offMagic           = 0x202 // header: "HdrS" (2.00)
	offVersion         = 0x206 // version (2.00)
	offKernelVersion   = 0x20E // kernel_version: pointer to a string, minus 200h (2.00)
	offTypeOfLoader    = 0x210 // type_of_loader (2.00)
	offLoadFlags       = 0x211 // loadflags (2.00)
	offSetupMoveSize   = 0x212 // setup_move_size (2.00)
	offCode32Start     = 0x214 // code32_start (2.00)
	offRamdiskImage    = 0x218 // ramdisk_image (2.00)
	offRamdiskSize     = 0x21C // ramdisk_size (2.00)
	offHeapEndPtr      = 0x224 // heap_end_ptr (2.01)
	offCmdLinePtr      = 0x228 // cmd_line_ptr (2.02)
	offInitrdAddrMax   = 0x22C // initrd_addr_max (2.03)
	offKernelAlignment = 0x230 // kernel_alignment (2.05)
	offRelocatable     = 0x234 // relocatable_kernel (2.05)
	offCmdlineSize     = 0x238 // cmdline_size (2.06)
	offPrefAddress     = 0x258 // pref_address (2.10)
	offInitSize        = 0x260 // init_size (2.10)
	headerEnd          = 0x26C // end of the 2.15 header

	// The command line protocol before 2.02: a magic number and the
	// line's offset from the setup segment, in the boot sector.
	offCmdLineMagic  = 0x020
	offCmdLineOffset = 0x022
	cmdLineMagic     = 0xA33F
)

// loadflags bits.
const (
	LoadedHigh  = 0x01 // LOADED_HIGH: the protected-mode code goes at 1 MiB (a bzImage)
	KeepSegs    = 0x40 // KEEP_SEGMENTS: obsolete
	CanUseHeap  = 0x80 // CAN_USE_HEAP: heap_end_ptr is valid
	magicHdrS   = 0x53726448
	bootFlag    = 0xAA55
	sectorSize  = 512
	maxSetupLen = 0x8000 // the setup code's linker script asserts _end <= 0x8000
)

// Errors that Load and ParseHeader wrap, for errors.Is.
var (
	// ErrNotBzImage: the data has no Linux setup header, or is a zImage
	// (LOADED_HIGH clear), which this loader does not place.
	ErrNotBzImage = errors.New("not a Linux bzImage")
	// ErrTruncated: the image is shorter than its header says.
	ErrTruncated = errors.New("truncated kernel image")
	// ErrBadHeader: a header field has a value no kernel uses.
	ErrBadHeader = errors.New("bad setup header")
	// ErrNoRoom: the kernel, initrd or command line does not fit.
	ErrNoRoom = errors.New("does not fit")
)

// Header is what Load reads from a bzImage's setup header.
type Header struct {
	Protocol    uint16 // boot protocol version: 0x020F is 2.15
	SetupSects  int    // setup sectors after the boot sector (a 0 in the image reads as 4)
	Syssize     uint32 // protected-mode code in 16-byte paragraphs; 0 if the header leaves it out
	LoadFlags   uint8  // loadflags as found
	Code32Start uint32 // protected-mode entry the image was built for
	// InitrdAddrMax is the highest address the initrd may occupy
	// (0x37FFFFFF before protocol 2.03).
	InitrdAddrMax uint32
	// KernelAlignment and Relocatable (2.05): whether the kernel can run
	// anywhere aligned to KernelAlignment.
	KernelAlignment uint32
	Relocatable     bool
	// CmdlineSize is the longest command line, without its NUL (255
	// before protocol 2.06).
	CmdlineSize uint32
	// PrefAddress and InitSize (2.10): where the kernel prefers to run
	// and how much memory it needs there to decompress itself; 0 before.
	PrefAddress uint64
	InitSize    uint32
	// Version is the kernel_version string ("6.1.0 (...)"), empty if the
	// image has none.
	Version string
}

// SetupLen is the size in bytes of the real-mode part: the boot sector
// and the setup sectors.
func (h Header) SetupLen() int { return (h.SetupSects + 1) * sectorSize }

// ProtocolString formats the protocol version as "2.15".
func (h Header) ProtocolString() string {
	return fmt.Sprintf("%d.%02d", h.Protocol>>8, h.Protocol&0xFF)
}

func headerErr(kind error, format string, args ...any) error {
	return fmt.Errorf("linuxboot: %s: %w", fmt.Sprintf(format, args...), kind)
}

// ParseHeader reads and checks the setup header of the bzImage kernel.
// It needs the whole image (it checks the sizes against it) but does not
// keep it.
func ParseHeader(kernel []byte) (Header, error) {
	var h Header
	if len(kernel) < headerEnd {
		return h, headerErr(ErrTruncated, "the image is %d bytes, too short for a setup header", len(kernel))
	}
	le := binary.LittleEndian
	if le.Uint32(kernel[offMagic:]) != magicHdrS {
		return h, headerErr(ErrNotBzImage, "no \"HdrS\" signature at offset 0x202 (boot protocol 2.00 or later needed)")
	}
	if le.Uint16(kernel[offBootFlag:]) != bootFlag {
		return h, headerErr(ErrNotBzImage, "boot_flag is %#04x, not 0xaa55", le.Uint16(kernel[offBootFlag:]))
	}
	h.Protocol = le.Uint16(kernel[offVersion:])
	if h.Protocol < 0x0200 {
		return h, headerErr(ErrBadHeader, "\"HdrS\" header with protocol version %s", h.ProtocolString())
	}
	h.LoadFlags = kernel[offLoadFlags]
	if h.LoadFlags&LoadedHigh == 0 {
		return h, headerErr(ErrNotBzImage, "LOADED_HIGH is clear: a zImage, which must load at 0x10000 (not supported)")
	}
	h.SetupSects = int(kernel[offSetupSects])
	if h.SetupSects == 0 {
		h.SetupSects = 4
	}
	if h.SetupLen() > maxSetupLen {
		return h, headerErr(ErrBadHeader, "setup_sects %d: the setup code would be %d bytes, more than %d", h.SetupSects, h.SetupLen(), maxSetupLen)
	}
	if len(kernel) < h.SetupLen() {
		return h, headerErr(ErrTruncated, "the image is %d bytes but its %d setup sectors need %d", len(kernel), h.SetupSects, h.SetupLen())
	}
	if len(kernel) == h.SetupLen() {
		return h, headerErr(ErrTruncated, "no protected-mode code after the %d setup bytes", h.SetupLen())
	}
	if h.Protocol >= 0x0204 {
		h.Syssize = le.Uint32(kernel[offSyssize:])
	} else {
		h.Syssize = uint32(le.Uint16(kernel[offSyssize:]))
	}
	// syssize counts whole paragraphs, rounded up: memtest86+ and iPXE
	// end up to 15 bytes short of syssize*16, as the protocol allows.
	if pm := uint64(len(kernel) - h.SetupLen()); uint64(h.Syssize)*16 > pm+15 {
		return h, headerErr(ErrTruncated, "syssize says %d bytes of protected-mode code, the image has %d", uint64(h.Syssize)*16, pm)
	}
	h.Code32Start = le.Uint32(kernel[offCode32Start:])
	h.InitrdAddrMax = 0x37FFFFFF
	if h.Protocol >= 0x0203 {
		h.InitrdAddrMax = le.Uint32(kernel[offInitrdAddrMax:])
		if h.InitrdAddrMax < KernelAddr {
			return h, headerErr(ErrBadHeader, "initrd_addr_max %#x is below 1 MiB", h.InitrdAddrMax)
		}
	}
	if h.Protocol >= 0x0205 {
		h.KernelAlignment = le.Uint32(kernel[offKernelAlignment:])
		h.Relocatable = kernel[offRelocatable] != 0
		if h.Relocatable && (h.KernelAlignment == 0 || bits.OnesCount32(h.KernelAlignment) != 1) {
			return h, headerErr(ErrBadHeader, "kernel_alignment %#x of a relocatable kernel is not a power of two", h.KernelAlignment)
		}
	}
	h.CmdlineSize = 255
	if h.Protocol >= 0x0206 {
		h.CmdlineSize = le.Uint32(kernel[offCmdlineSize:])
	}
	if h.Protocol >= 0x020A {
		h.PrefAddress = le.Uint64(kernel[offPrefAddress:])
		h.InitSize = le.Uint32(kernel[offInitSize:])
		if h.PrefAddress >= 1<<32 {
			return h, headerErr(ErrBadHeader, "pref_address %#x is above 4 GiB", h.PrefAddress)
		}
	}
	h.Version = kernelVersion(kernel, h.SetupLen())
	return h, nil
}

// kernelVersion returns the kernel_version string, or "" if the pointer
// is 0 or leads outside the setup code; it stops at a NUL or at 128
// characters and keeps printable ASCII only.
func kernelVersion(kernel []byte, setupLen int) string {
	p := int(binary.LittleEndian.Uint16(kernel[offKernelVersion:]))
	if p == 0 {
		return ""
	}
	p += offJump
	var s []byte
	for i := p; i < setupLen && len(s) < 128; i++ {
		c := kernel[i]
		if c == 0 {
			break
		}
		if c < 0x20 || c > 0x7E {
			return ""
		}
		s = append(s, c)
	}
	return string(s)
}
