package linuxboot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Where Load puts things (the boot protocol's "sample boot
// configuration" with the real-mode code at 0x90000).
const (
	SetupSeg   = 0x9000            // real-mode segment of the setup code
	SetupAddr  = SetupSeg << 4     // its linear address
	KernelAddr = 0x100000          // the protected-mode kernel (code32_start)
	EBDAAddr   = 0x9FC00           // the built-in BIOS's EBDA: nothing of Load's goes above this
	LoaderType = 0xB0              // type_of_loader: QEMU's code (0xB), version 0
	heapEnd    = 0xE000            // heap end for protocol 2.02+: command line from here
	heapEndOld = 0x9800            // heap end and command line offset before 2.02
	initrdAlgn = 4096              // initrd alignment: one page, as QEMU and GRUB do
	vidNormal  = 0xFFFF            // vid_mode "normal": keep the BIOS's 80x25 mode
	vidExt     = 0xFFFE            // "ext": 80x43/50
	vidAsk     = 0xFFFD            // "ask": the setup code prompts
	ramTop32   = uint64(1)<<32 - 1 // the highest address a 32-bit field can hold
)

// The CMOS bytes through which the board tells the built-in BIOS that a
// kernel is loaded (bytes 7Bh-7Fh: no BIOS, QEMU or SeaBIOS field uses
// them). INT 19h reads them before it tries any disk.
const (
	CMOSMagic   = 0x7B // CMOSMagicValue when a kernel waits in RAM; the BIOS clears it
	CMOSSegment = 0x7C // 2 bytes, little-endian: the setup segment (DS, ES, FS, GS, SS)
	CMOSStack   = 0x7E // 2 bytes, little-endian: SP at entry
	// CMOSMagicValue is 'L'.
	CMOSMagicValue = 0x4C
)

// ErrCmdline: the command line is too long, holds a NUL or has a bad
// vga= option.
var ErrCmdline = errors.New("bad kernel command line")

// Entry is where and how the real-mode setup code must be entered, and
// where Load put things.
type Entry struct {
	Segment uint16 // DS = ES = FS = GS = SS; CS is Segment+0x20 and IP 0
	SP      uint16 // the stack pointer: the heap's end
	Header  Header // the kernel's setup header as read

	SetupAddr   uint32 // the real-mode code
	KernelAddr  uint32 // the protected-mode code
	KernelSize  uint32 // its length
	KernelEnd   uint32 // the end of the memory the kernel needs to decompress itself
	CmdlineAddr uint32 // the NUL-terminated command line
	InitrdAddr  uint32 // the initrd, 0 if none
	InitrdSize  uint32 // its length
}

// CS is the code segment of the entry point (IP = 0): 0x200 bytes past
// the setup segment, where the header's jump instruction sits.
func (e Entry) CS() uint16 { return e.Segment + 0x20 }

// CMOS returns the CMOS bytes the board sets (before the BIOS runs) so
// that the built-in BIOS's INT 19h enters the kernel instead of booting a
// disk: index to value.
func (e Entry) CMOS() map[int]byte {
	return map[int]byte{
		CMOSMagic:       CMOSMagicValue,
		CMOSSegment:     byte(e.Segment),
		CMOSSegment + 1: byte(e.Segment >> 8),
		CMOSStack:       byte(e.SP),
		CMOSStack + 1:   byte(e.SP >> 8),
	}
}

// Load checks the bzImage kernel, the initrd (nil or empty: none) and the
// command line against each other and against ram (guest RAM from
// address 0, at least 1 MiB), then writes them into ram and fills in the
// setup header's loader fields. On error ram is unchanged.
func Load(ram []byte, kernel, initrd []byte, cmdline string) (Entry, error) {
	var e Entry
	h, err := ParseHeader(kernel)
	if err != nil {
		return e, err
	}
	e.Header = h
	ramSize := uint64(len(ram))
	if ramSize < KernelAddr {
		return e, headerErr(ErrNoRoom, "RAM is %d KiB: at least 1 MiB is needed", ramSize>>10)
	}
	if ramSize > ramTop32+1 {
		ramSize = ramTop32 + 1 // the header's fields are 32-bit
	}
	setupLen := h.SetupLen()
	pm := kernel[setupLen:]

	// The protected-mode code at 1 MiB, and the memory its decompressor
	// needs: from 2.10, init_size bytes where the kernel will run, which
	// is pref_address or, for a relocatable kernel, the load address
	// aligned up if that is higher (arch/x86/boot/compressed/head_32.S).
	end := uint64(KernelAddr) + uint64(len(pm))
	if end > ramSize {
		return e, headerErr(ErrNoRoom, "the protected-mode kernel (%d KiB) does not fit in %d KiB of RAM above 1 MiB", len(pm)>>10, (ramSize-KernelAddr)>>10)
	}
	if h.Protocol >= 0x020A {
		run := h.PrefAddress
		if h.Relocatable {
			a := uint64(h.KernelAlignment)
			run = max(run, (KernelAddr+a-1)&^(a-1))
		}
		need := run + uint64(h.InitSize)
		if need > ramSize {
			return e, headerErr(ErrNoRoom, "the kernel needs RAM up to %#x to decompress itself (it runs at %#x with init_size %#x); RAM ends at %#x", need, run, h.InitSize, ramSize)
		}
		end = max(end, need)
	}

	// The command line.
	if strings.IndexByte(cmdline, 0) >= 0 {
		return e, headerErr(ErrCmdline, "the command line holds a NUL byte")
	}
	if uint64(len(cmdline)) > uint64(h.CmdlineSize) {
		return e, headerErr(ErrCmdline, "the command line is %d bytes; this kernel takes at most %d", len(cmdline), h.CmdlineSize)
	}
	he := uint32(heapEnd)
	if h.Protocol < 0x0202 {
		he = heapEndOld
	}
	cmdAddr := SetupAddr + he
	if room := EBDAAddr - cmdAddr - 1; uint32(len(cmdline)) > room {
		return e, headerErr(ErrCmdline, "the command line is %d bytes; at most %d fit below the EBDA", len(cmdline), room)
	}
	vid, err := vgaMode(cmdline)
	if err != nil {
		return e, err
	}

	// The initrd: page-aligned, as high as RAM and initrd_addr_max allow,
	// above everything the kernel uses.
	var initrdAddr uint64
	if len(initrd) > 0 {
		top := min(uint64(h.InitrdAddrMax)+1, ramSize)
		size := uint64(len(initrd))
		if size > top || (top-size)&^(initrdAlgn-1) < end {
			return e, headerErr(ErrNoRoom, "the initrd (%d KiB) does not fit between the kernel's end at %#x and %#x (the end of RAM or initrd_addr_max)", size>>10, end, top)
		}
		initrdAddr = (top - size) &^ (initrdAlgn - 1)
	}

	// Everything fits: write.
	le := binary.LittleEndian
	setup := ram[SetupAddr : SetupAddr+he]
	copy(setup, kernel[:setupLen])
	clear(setup[setupLen:])
	copy(ram[KernelAddr:], pm)
	copy(ram[initrdAddr:], initrd)
	cmd := ram[cmdAddr : cmdAddr+uint32(len(cmdline))+1]
	copy(cmd, cmdline)
	cmd[len(cmdline)] = 0

	hdr := ram[SetupAddr:]
	le.PutUint16(hdr[offVidMode:], vid)
	hdr[offTypeOfLoader] = LoaderType
	hdr[offLoadFlags] &^= KeepSegs
	le.PutUint32(hdr[offCode32Start:], KernelAddr)
	le.PutUint32(hdr[offRamdiskImage:], uint32(initrdAddr))
	le.PutUint32(hdr[offRamdiskSize:], uint32(len(initrd)))
	if h.Protocol >= 0x0201 {
		le.PutUint16(hdr[offHeapEndPtr:], uint16(he-0x200))
		hdr[offLoadFlags] |= CanUseHeap
	}
	if h.Protocol >= 0x0202 {
		le.PutUint32(hdr[offCmdLinePtr:], cmdAddr)
	} else {
		le.PutUint16(hdr[offCmdLineMagic:], cmdLineMagic)
		le.PutUint16(hdr[offCmdLineOffset:], uint16(he))
		le.PutUint16(hdr[offSetupMoveSize:], uint16(he+uint32(len(cmdline))+1))
	}

	e.Segment = SetupSeg
	e.SP = uint16(he)
	e.SetupAddr = SetupAddr
	e.KernelAddr = KernelAddr
	e.KernelSize = uint32(len(pm))
	e.KernelEnd = uint32(end)
	e.CmdlineAddr = cmdAddr
	e.InitrdAddr = uint32(initrdAddr)
	e.InitrdSize = uint32(len(initrd))
	return e, nil
}

// vgaMode returns vid_mode for the command line's last vga= option, as
// QEMU reads it: normal, ext, ask or a number (decimal, or hex with 0x);
// "normal" without one.
func vgaMode(cmdline string) (uint16, error) {
	val, found := "", false
	for _, f := range strings.Fields(cmdline) {
		if v, ok := strings.CutPrefix(f, "vga="); ok {
			val, found = v, true
		}
	}
	if !found {
		return vidNormal, nil
	}
	switch val {
	case "normal":
		return vidNormal, nil
	case "ext":
		return vidExt, nil
	case "ask":
		return vidAsk, nil
	}
	n, err := strconv.ParseUint(val, 0, 16)
	if err != nil {
		return 0, headerErr(ErrCmdline, "vga=%s: want normal, ext, ask or a mode number", val)
	}
	return uint16(n), nil
}

// String describes the placement, for logs.
func (e Entry) String() string {
	s := fmt.Sprintf("Linux boot protocol %s: setup at %#x, kernel %#x+%#x, command line at %#x",
		e.Header.ProtocolString(), e.SetupAddr, e.KernelAddr, e.KernelSize, e.CmdlineAddr)
	if e.InitrdSize > 0 {
		s += fmt.Sprintf(", initrd %#x+%#x", e.InitrdAddr, e.InitrdSize)
	}
	return s + fmt.Sprintf(", entry %04X:0000", e.CS())
}
