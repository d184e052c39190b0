package multiboot

import (
	"encoding/binary"
	"slices"
)

// The flat GDT at the start of the information area: null, then a 4 GiB
// 32-bit code segment and a 4 GiB 32-bit data segment, both ring 0 and
// marked accessed (so loading them writes nothing).
const (
	CodeSelector = 0x08
	DataSelector = 0x10
	GDTLimit     = 3*8 - 1
)

var gdt = [3]uint64{
	0,
	0x00CF9B000000FFFF, // base 0, limit FFFFFh pages, P DPL0 code execute/read accessed, G D
	0x00CF93000000FFFF, // the same as read/write data
}

// The EGA text screen, given as a framebuffer of type 2 (both
// specifications): width and height in characters, 16 bits each
// (character and attribute).
const (
	egaTextAddr   = 0xB8000
	egaTextWidth  = 80
	egaTextHeight = 25
	fbTypeEGAText = 2
)

// bootDevice is the Multiboot 1 boot_device QEMU passes: BIOS drive 80h,
// no partition.
const bootDevice = 0x8000FFFF

// infoSpec is what goes into the information area, and where.
type infoSpec struct {
	base      uint32 // page-aligned start of the area (the GDT)
	infoAddr  uint32 // set by build: the information structure
	cmdline   string
	modules   []Module
	placed    []Range // where each module went
	mmap      []E820Entry
	memLower  uint32 // KiB
	memUpper  uint32 // KiB
	loadBase  uint32
	fb        bool     // give the EGA text framebuffer
	requested []uint32 // Multiboot2 information request
}

// area builds the bytes of the information area, addressed from base.
type area struct {
	base uint32
	b    []byte
}

func (a *area) addr() uint32 { return a.base + uint32(len(a.b)) }

func (a *area) align(n int) {
	for len(a.b)%n != 0 {
		a.b = append(a.b, 0)
	}
}

// reserve appends n zero bytes and returns their offset.
func (a *area) reserve(n int) int {
	off := len(a.b)
	a.b = append(a.b, make([]byte, n)...)
	return off
}

func (a *area) put32(off int, v uint32) { binary.LittleEndian.PutUint32(a.b[off:], v) }
func (a *area) put64(off int, v uint64) { binary.LittleEndian.PutUint64(a.b[off:], v) }
func (a *area) u32(v uint32)            { a.b = binary.LittleEndian.AppendUint32(a.b, v) }
func (a *area) u64(v uint64)            { a.b = binary.LittleEndian.AppendUint64(a.b, v) }

// str appends a NUL-terminated string and returns its address.
func (a *area) str(s string) uint32 {
	p := a.addr()
	a.b = append(append(a.b, s...), 0)
	return p
}

func (a *area) gdt() {
	for _, d := range gdt {
		a.u64(d)
	}
	a.align(32)
}

// Multiboot 1 information flags (Multiboot Specification, 3.3).
const (
	infoMemory      = 1 << 0
	infoBootDevice  = 1 << 1
	infoCmdline     = 1 << 2
	infoMods        = 1 << 3
	infoMmap        = 1 << 6
	infoLoaderName  = 1 << 9
	infoFramebuffer = 1 << 12
	info1Size       = 116 // through the framebuffer fields
)

// build1 lays out the Multiboot 1 information structure after the GDT,
// then the module list, the memory map and the strings.
func (s *infoSpec) build1() []byte {
	a := &area{base: s.base}
	a.gdt()
	s.infoAddr = a.addr()
	mbi := a.reserve(info1Size)
	a.align(8)
	flags := uint32(infoMemory | infoBootDevice | infoCmdline | infoMods | infoMmap | infoLoaderName)
	a.put32(mbi+4, s.memLower)
	a.put32(mbi+8, s.memUpper)
	a.put32(mbi+12, bootDevice)

	mods := a.reserve(16 * len(s.modules))
	a.put32(mbi+20, uint32(len(s.modules)))
	a.put32(mbi+24, s.base+uint32(mods))

	mmap := len(a.b)
	for _, e := range s.mmap {
		a.u32(20) // size of the rest of the entry
		a.u64(e.Addr)
		a.u64(e.Len)
		a.u32(e.Type)
	}
	a.put32(mbi+44, uint32(len(a.b)-mmap))
	a.put32(mbi+48, s.base+uint32(mmap))

	if s.fb {
		flags |= infoFramebuffer
		a.put64(mbi+88, egaTextAddr)
		a.put32(mbi+96, 2*egaTextWidth) // pitch in bytes
		a.put32(mbi+100, egaTextWidth)
		a.put32(mbi+104, egaTextHeight)
		a.b[mbi+108] = 16 // bits per character cell
		a.b[mbi+109] = fbTypeEGAText
	}

	a.put32(mbi+16, a.str(s.cmdline))
	a.put32(mbi+64, a.str(LoaderName))
	for i, m := range s.modules {
		e := mods + 16*i
		a.put32(e, s.placed[i].Start)
		a.put32(e+4, s.placed[i].End)
		a.put32(e+8, a.str(m.Cmdline))
	}
	a.put32(mbi, flags)
	return a.b
}

// Multiboot2 information tag types (Multiboot2 Specification, 3.6).
const (
	info2End         = 0
	info2Cmdline     = 1
	info2LoaderName  = 2
	info2Module      = 3
	info2BasicMem    = 4
	info2BootDev     = 5
	info2Mmap        = 6
	info2Framebuffer = 8
	info2LoadBase    = 21
)

// infoTags2 are the information tags Load can give.
var infoTags2 = map[uint32]string{
	info2Cmdline:     "boot command line",
	info2LoaderName:  "boot loader name",
	info2Module:      "modules",
	info2BasicMem:    "basic memory information",
	info2BootDev:     "BIOS boot device",
	info2Mmap:        "memory map",
	info2Framebuffer: "framebuffer",
	info2LoadBase:    "image load base address",
}

// build2 lays out the Multiboot2 information structure after the GDT:
// total size, reserved, then 8-byte aligned tags ending with tag 0.
func (s *infoSpec) build2() []byte {
	a := &area{base: s.base}
	a.gdt()
	start := len(a.b)
	s.infoAddr = a.addr()
	a.reserve(8)
	tag := func(typ uint32, body func()) {
		a.align(8)
		off := len(a.b)
		a.u32(typ)
		a.u32(0)
		body()
		a.put32(off+4, uint32(len(a.b)-off))
	}
	asked := func(t uint32) bool { return slices.Contains(s.requested, t) }

	tag(info2Cmdline, func() { a.str(s.cmdline) })
	tag(info2LoaderName, func() { a.str(LoaderName) })
	for i, m := range s.modules {
		tag(info2Module, func() {
			a.u32(s.placed[i].Start)
			a.u32(s.placed[i].End)
			a.str(m.Cmdline)
		})
	}
	tag(info2BasicMem, func() {
		a.u32(s.memLower)
		a.u32(s.memUpper)
	})
	if asked(info2BootDev) {
		tag(info2BootDev, func() {
			a.u32(bootDevice >> 24) // biosdev
			a.u32(0xFFFFFFFF)       // partition: none
			a.u32(0xFFFFFFFF)       // sub-partition: none
		})
	}
	tag(info2Mmap, func() {
		a.u32(24) // entry_size
		a.u32(0)  // entry_version
		for _, e := range s.mmap {
			a.u64(e.Addr)
			a.u64(e.Len)
			a.u32(e.Type)
			a.u32(0)
		}
	})
	if s.fb || asked(info2Framebuffer) {
		tag(info2Framebuffer, func() {
			a.u64(egaTextAddr)
			a.u32(2 * egaTextWidth)
			a.u32(egaTextWidth)
			a.u32(egaTextHeight)
			a.b = append(a.b, 16, fbTypeEGAText, 0, 0) // bpp, type, reserved
		})
	}
	if asked(info2LoadBase) {
		tag(info2LoadBase, func() { a.u32(s.loadBase) })
	}
	tag(info2End, func() {})
	a.put32(start, uint32(len(a.b)-start))
	return a.b
}
