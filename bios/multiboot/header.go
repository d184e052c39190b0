package multiboot

import (
	"encoding/binary"
	"fmt"
)

// Version is the Multiboot specification a kernel follows.
type Version int

// Versions Detect reports.
const (
	None Version = 0 // no valid Multiboot header
	V1   Version = 1 // Multiboot Specification 0.6.96
	V2   Version = 2 // Multiboot2 Specification 2.0
)

func (v Version) String() string {
	switch v {
	case V1:
		return "Multiboot"
	case V2:
		return "Multiboot2"
	}
	return "not Multiboot"
}

// Magic numbers: in the kernel's header, and in EAX at its entry.
const (
	HeaderMagic1 = 0x1BADB002 // Multiboot header
	BootMagic1   = 0x2BADB002 // EAX for a Multiboot kernel
	HeaderMagic2 = 0xE85250D6 // Multiboot2 header
	BootMagic2   = 0x36D76289 // EAX for a Multiboot2 kernel
)

// How far into the file each header may start (both specifications, 3.1).
const (
	searchLen1 = 8192
	searchLen2 = 32768
)

// Multiboot 1 header flags (Multiboot Specification, 3.1.2). Bits 0-15
// are requirements: a loader must refuse a kernel that sets one it does
// not know. Bits 16-31 are optional features.
const (
	flagPageAlign = 1 << 0  // modules page-aligned (always done here)
	flagMemInfo   = 1 << 1  // mem_* and the memory map (always given)
	flagVideo     = 1 << 2  // video mode information (EGA text here)
	flagAOut      = 1 << 16 // the address fields are valid: the "a.out kludge"
	knownFlags1   = flagPageAlign | flagMemInfo | flagVideo
)

// header1 is a Multiboot 1 header found in a kernel file.
type header1 struct {
	off   int // file offset of the magic
	flags uint32
	// Address fields (flag bit 16).
	headerAddr, loadAddr, loadEndAddr, bssEndAddr, entryAddr uint32
}

// header2 is a Multiboot2 header and what its tags ask for.
type header2 struct {
	off, length int

	hasAddr                                   bool // address tag (2)
	headerAddr, loadAddr, loadEndAddr, bssEnd uint32
	hasEntry                                  bool // entry address tag (3)
	entry                                     uint32
	wantFB                                    bool     // a framebuffer tag (5), or a console that needs one
	required                                  []uint32 // information tags the kernel cannot do without
	requested                                 []uint32 // every information tag asked for
}

// Detect reports which Multiboot specification kernel follows: V1 if it
// has a valid Multiboot header in its first 8 KiB, else V2 if it has a
// valid Multiboot2 header in its first 32 KiB, else None. A header counts
// only with a valid checksum. (QEMU loads only Multiboot 1; GRUB picks by
// command. A kernel with both headers loads as Multiboot 1 here.)
func Detect(kernel []byte) Version {
	if _, ok, _ := findHeader1(kernel); ok {
		return V1
	}
	if _, ok, _ := findHeader2(kernel); ok {
		return V2
	}
	return None
}

func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// findHeader1 looks for a Multiboot 1 header: the magic, 4-byte aligned,
// followed by flags and a checksum that make the three sum to zero. hint
// describes the first near miss (a magic with a bad checksum) when there
// is no header.
func findHeader1(k []byte) (h header1, ok bool, hint error) {
	for off := 0; off < searchLen1 && off+12 <= len(k); off += 4 {
		if le32(k, off) != HeaderMagic1 {
			continue
		}
		flags, sum := le32(k, off+4), le32(k, off+8)
		if HeaderMagic1+flags+sum != 0 {
			if hint == nil {
				hint = fmt.Errorf("the Multiboot magic at offset %#x has a bad checksum (%#08x + %#08x + %#08x is not 0)", off, uint32(HeaderMagic1), flags, sum)
			}
			continue
		}
		h = header1{off: off, flags: flags}
		if flags&flagAOut != 0 && off+32 <= len(k) {
			h.headerAddr, h.loadAddr = le32(k, off+12), le32(k, off+16)
			h.loadEndAddr, h.bssEndAddr, h.entryAddr = le32(k, off+20), le32(k, off+24), le32(k, off+28)
		}
		return h, true, nil
	}
	return h, false, hint
}

// check validates the flags and that the fields they promise are there.
func (h *header1) check(k []byte) error {
	if unknown := h.flags & 0xFFFF &^ knownFlags1; unknown != 0 {
		return fmt.Errorf("the kernel requires Multiboot features ringzero does not know (header flags bits %#04x)", unknown)
	}
	need := 12
	if h.flags&flagAOut != 0 {
		need = 32
	}
	if h.flags&flagVideo != 0 {
		need = 48
	}
	if h.off+need > len(k) {
		return fmt.Errorf("the Multiboot header at offset %#x is cut short: its flags need %d bytes, the file has %d", h.off, need, len(k)-h.off)
	}
	return nil
}

// Multiboot2 header tag types (Multiboot2 Specification, 3.1.3-3.1.13).
const (
	tagEnd          = 0
	tagInfoRequest  = 1
	tagAddress      = 2
	tagEntry        = 3
	tagConsole      = 4
	tagFramebuffer  = 5
	tagModuleAlign  = 6
	tagEFIBS        = 7
	tagEFI32Entry   = 8
	tagEFI64Entry   = 9
	tagRelocatable  = 10
	tagOptional     = 1 // tag flags bit 0: the kernel works without it
	consoleRequired = 1 << 0
	consoleEGA      = 1 << 1
)

// findHeader2 looks for a Multiboot2 header: magic, architecture, header
// length and a checksum that make the four sum to zero, 8-byte aligned.
func findHeader2(k []byte) (h header2, ok bool, hint error) {
	for off := 0; off < searchLen2 && off+16 <= len(k); off += 8 {
		if le32(k, off) != HeaderMagic2 {
			continue
		}
		arch, length, sum := le32(k, off+4), le32(k, off+8), le32(k, off+12)
		if HeaderMagic2+arch+length+sum != 0 {
			if hint == nil {
				hint = fmt.Errorf("the Multiboot2 magic at offset %#x has a bad checksum", off)
			}
			continue
		}
		return header2{off: off, length: int(min(length, 1<<30))}, true, nil
	}
	return h, false, hint
}

// parse checks the header's architecture and length and reads its tags.
func (h *header2) parse(k []byte) error {
	if arch := le32(k, h.off+4); arch != 0 {
		return fmt.Errorf("the Multiboot2 header asks for architecture %d; ringzero boots i386 (0) only", arch)
	}
	end := h.off + h.length
	if h.length < 24 || end > len(k) || end > searchLen2 {
		return fmt.Errorf("the Multiboot2 header at offset %#x has a bad length %d (it must hold the end tag and lie in the first 32 KiB of the %d-byte file)", h.off, h.length, len(k))
	}
	for pos := h.off + 16; ; {
		if pos+8 > end {
			return fmt.Errorf("the Multiboot2 header has no end tag")
		}
		typ, flags := binary.LittleEndian.Uint16(k[pos:]), binary.LittleEndian.Uint16(k[pos+2:])
		size := int(le32(k, pos+4))
		if size < 8 || size > end-pos {
			return fmt.Errorf("Multiboot2 header tag %d at offset %#x has a bad size %d", typ, pos, size)
		}
		t := k[pos : pos+size]
		bad := func() error {
			return fmt.Errorf("Multiboot2 header tag %d at offset %#x has a bad size %d", typ, pos, size)
		}
		switch typ {
		case tagEnd:
			if size != 8 {
				return bad()
			}
			return nil
		case tagInfoRequest:
			if (size-8)%4 != 0 {
				return bad()
			}
			for i := 8; i < size; i += 4 {
				v := le32(t, i)
				h.requested = append(h.requested, v)
				if flags&tagOptional == 0 {
					h.required = append(h.required, v)
				}
			}
		case tagAddress:
			if size != 24 {
				return bad()
			}
			h.hasAddr = true
			h.headerAddr, h.loadAddr, h.loadEndAddr, h.bssEnd = le32(t, 8), le32(t, 12), le32(t, 16), le32(t, 20)
		case tagEntry:
			if size != 12 {
				return bad()
			}
			h.hasEntry, h.entry = true, le32(t, 8)
		case tagConsole:
			if size != 12 {
				return bad()
			}
			cf := le32(t, 8)
			if cf&consoleRequired != 0 {
				if cf&consoleEGA == 0 && flags&tagOptional == 0 {
					return fmt.Errorf("the kernel requires a graphics console; ringzero gives only the EGA text screen")
				}
				h.wantFB = true
			}
		case tagFramebuffer:
			if size != 20 {
				return bad()
			}
			h.wantFB = true
		case tagModuleAlign:
			// Modules are always page-aligned.
		case tagEFIBS, tagEFI32Entry, tagEFI64Entry, tagRelocatable:
			// EFI tags do not apply to a BIOS boot; a relocatable
			// kernel may be loaded at its link address.
		default:
			if flags&tagOptional == 0 {
				return fmt.Errorf("the kernel requires Multiboot2 header tag %d, which ringzero does not know", typ)
			}
		}
		pos += (size + 7) &^ 7
	}
}
