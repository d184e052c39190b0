package multiboot

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Module is a boot module: a file the loader puts in memory for the
// kernel (-initrd "file arg,file2" in QEMU's syntax; see ParseModules).
type Module struct {
	Data []byte
	// Cmdline is the module's string. QEMU passes the whole -initrd item,
	// file name first ("initrd.img arg arg").
	Cmdline string
}

// E820Entry is one range of the BIOS memory map (INT 15h AX=E820h), as
// the Multiboot memory map repeats it.
type E820Entry struct {
	Addr, Len uint64
	Type      uint32 // E820RAM, E820Reserved, ...
}

// E820 range types (ACPI 6.4, table 15.312).
const (
	E820RAM      = 1 // available to the OS
	E820Reserved = 2
	E820ACPI     = 3 // ACPI tables, reclaimable
	E820NVS      = 4 // ACPI non-volatile storage
	E820Bad      = 5 // defective RAM
)

// PCMemoryMap is the map the built-in BIOS reports for ramBytes of RAM
// with a 64 KiB BIOS: conventional memory below the 1 KiB EBDA at
// 9FC00h, the BIOS at F0000h, RAM from 1 MiB to the end, and the BIOS
// again below 4 GiB. A board with another layout passes its own map.
func PCMemoryMap(ramBytes uint64) []E820Entry {
	low := min(ramBytes, 0x9FC00)
	m := []E820Entry{
		{Addr: 0, Len: low, Type: E820RAM},
		{Addr: low, Len: 0xA0000 - low, Type: E820Reserved},
		{Addr: 0xF0000, Len: 0x10000, Type: E820Reserved},
	}
	if ramBytes > 0x100000 {
		m = append(m, E820Entry{Addr: 0x100000, Len: ramBytes - 0x100000, Type: E820RAM})
	}
	return append(m, E820Entry{Addr: 0xFFFF0000, Len: 0x10000, Type: E820Reserved})
}

// LoaderName is what the kernel finds as the boot loader's name.
const LoaderName = "ringzero"

// Range is a span of guest physical memory, [Start, End).
type Range struct{ Start, End uint32 }

func (r Range) String() string { return fmt.Sprintf("%#x-%#x", r.Start, r.End) }

// Boot is a kernel loaded into RAM: where everything went and how to
// enter it (Setup).
type Boot struct {
	Version Version
	Format  string // "a.out kludge", "ELF32" or "ELF64": how the image was laid out
	Entry   uint32 // EIP: the kernel's entry point
	Magic   uint32 // EAX: BootMagic1 or BootMagic2
	Info    uint32 // EBX: the information structure
	GDT     uint32 // the flat GDT (GDTLimit+1 bytes) Setup loads
	Kernel  Range  // from the lowest to the highest byte loaded or zeroed
	Modules []Range
	Area    Range // the information area: structure, GDT, lists, strings

	mem *memory // the memory map Load checked against
}

// ErrNotMultiboot is returned by Load for a kernel without a valid
// Multiboot or Multiboot2 header (errors.Is).
var ErrNotMultiboot = errors.New("multiboot: no Multiboot header in the first 8 KiB nor Multiboot2 header in the first 32 KiB")

// Load loads kernel and modules into ram (guest physical memory from
// address 0) and builds the boot information for a kernel with command
// line cmdline (QEMU passes "KERNEL-PATH APPEND") and memory map mmap
// (nil: PCMemoryMap(len(ram))). Everything it writes lies in mmap's
// available ranges and inside ram; nothing is written unless all of it
// fits. Use Boot.Setup to enter the kernel.
func Load(ram []byte, kernel []byte, modules []Module, cmdline string, mmap []E820Entry) (*Boot, error) {
	b, err := load(ram, kernel, modules, cmdline, mmap)
	if err != nil {
		if errors.Is(err, ErrNotMultiboot) {
			return nil, err
		}
		return nil, fmt.Errorf("multiboot: %w", err)
	}
	return b, nil
}

func load(ram, kernel []byte, modules []Module, cmdline string, mmap []E820Entry) (*Boot, error) {
	if mmap == nil {
		mmap = PCMemoryMap(uint64(len(ram)))
	}
	if strings.IndexByte(cmdline, 0) >= 0 {
		return nil, errors.New("the command line contains a NUL byte")
	}
	for i, m := range modules {
		if strings.IndexByte(m.Cmdline, 0) >= 0 {
			return nil, fmt.Errorf("module %d's command line contains a NUL byte", i)
		}
	}
	mem := newMemory(uint64(len(ram)), mmap)
	b := &Boot{mem: mem}
	var im image
	var info infoSpec
	h1, ok1, hint1 := findHeader1(kernel)
	h2, ok2, hint2 := findHeader2(kernel)
	switch {
	case ok1:
		if err := h1.check(kernel); err != nil {
			return nil, err
		}
		b.Version, b.Magic = V1, BootMagic1
		info.fb = h1.flags&flagVideo != 0
		if h1.flags&flagAOut != 0 {
			s, err := loadAOut(kernel, h1.off, h1.headerAddr, h1.loadAddr, h1.loadEndAddr, h1.bssEndAddr, false)
			if err != nil {
				return nil, err
			}
			im = image{segs: []segment{s}, entry: h1.entryAddr, format: "a.out kludge"}
		} else {
			var err error
			if im, err = loadELF(kernel, false); err != nil {
				return nil, err
			}
		}
	case ok2:
		if err := h2.parse(kernel); err != nil {
			return nil, err
		}
		b.Version, b.Magic = V2, BootMagic2
		for _, t := range h2.required {
			if _, ok := infoTags2[t]; !ok {
				return nil, fmt.Errorf("the kernel requires Multiboot2 information tag %d, which ringzero does not give", t)
			}
		}
		info.fb = h2.wantFB
		info.requested = h2.requested
		if h2.hasAddr {
			s, err := loadAOut(kernel, h2.off, h2.headerAddr, h2.loadAddr, h2.loadEndAddr, h2.bssEnd, h2.loadAddr == 0xFFFFFFFF)
			if err != nil {
				return nil, err
			}
			im = image{segs: []segment{s}, format: "a.out kludge"}
			if !h2.hasEntry {
				// The ELF header, if any, still names the entry.
				e, err := loadELF(kernel, true)
				if err != nil {
					return nil, fmt.Errorf("the Multiboot2 header has an address tag but no entry address tag, and the file's ELF header gives none: %v", err)
				}
				im.entry = e.entry
			}
		} else {
			var err error
			if im, err = loadELF(kernel, true); err != nil {
				return nil, err
			}
		}
		if h2.hasEntry {
			im.entry = h2.entry
		}
	default:
		for _, h := range []error{hint1, hint2} {
			if h != nil {
				return nil, fmt.Errorf("%w (%v)", ErrNotMultiboot, h)
			}
		}
		return nil, ErrNotMultiboot
	}
	b.Format = im.format

	// The kernel image: every segment in available RAM, none overlapping,
	// the entry point inside one of them.
	sort.SliceStable(im.segs, func(i, j int) bool { return im.segs[i].addr < im.segs[j].addr })
	var kend uint64
	for i, s := range im.segs {
		if err := mem.check(uint64(s.addr), s.memsz); err != nil {
			return nil, fmt.Errorf("kernel segment %#x-%#x: %v", s.addr, s.end(), err)
		}
		if i > 0 && uint64(s.addr) < im.segs[i-1].end() {
			return nil, fmt.Errorf("kernel segments %#x-%#x and %#x-%#x overlap", im.segs[i-1].addr, im.segs[i-1].end(), s.addr, s.end())
		}
		kend = max(kend, s.end())
	}
	inImage := false
	for _, s := range im.segs {
		if im.entry >= s.addr && uint64(im.entry) < s.end() {
			inImage = true
		}
	}
	if !inImage {
		return nil, fmt.Errorf("the entry point %#x lies outside the loaded kernel", im.entry)
	}
	b.Entry = im.entry
	b.Kernel = Range{im.segs[0].addr, uint32(kend)} // kend <= 4 GiB - 1 page: checked by mem

	// Modules, each page-aligned, above the kernel.
	next := pageUp(kend)
	for i, m := range modules {
		if err := mem.check(next, uint64(len(m.Data))); err != nil {
			return nil, fmt.Errorf("no room for module %d (%d bytes) at %#x, after the kernel: %v", i, len(m.Data), next, err)
		}
		b.Modules = append(b.Modules, Range{uint32(next), uint32(next + uint64(len(m.Data)))})
		next = pageUp(next + uint64(len(m.Data)))
	}

	// The information area.
	info.base = uint32(next)
	info.cmdline, info.modules, info.placed, info.mmap = cmdline, modules, b.Modules, mmap
	info.memLower, info.memUpper = mem.lowerUpper()
	info.loadBase = b.Kernel.Start
	var area []byte
	if b.Version == V1 {
		area = info.build1()
	} else {
		area = info.build2()
	}
	if err := mem.check(next, uint64(len(area))); err != nil {
		return nil, fmt.Errorf("no room for the boot information (%d bytes) at %#x: %v", len(area), next, err)
	}
	b.Info, b.GDT = info.infoAddr, info.base
	b.Area = Range{info.base, info.base + uint32(len(area))}

	// All checked: write.
	for _, s := range im.segs {
		dst := ram[s.addr:s.end()]
		n := copy(dst, s.data)
		clear(dst[n:])
	}
	for i, m := range modules {
		copy(ram[b.Modules[i].Start:], m.Data)
	}
	copy(ram[info.base:], area)
	return b, nil
}

func pageUp(a uint64) uint64 { return (a + 0xFFF) &^ 0xFFF }

// memory answers whether a range of guest memory is available RAM.
type memory struct {
	size  uint64 // len(ram)
	avail []span // merged E820RAM ranges, sorted
	other []span // every other range
}

// span is [Start, End) in 64-bit address space.
type span struct{ Start, End uint64 }

func newMemory(size uint64, mmap []E820Entry) *memory {
	m := &memory{size: size}
	for _, e := range mmap {
		if e.Len == 0 {
			continue
		}
		end := e.Addr + e.Len
		if end < e.Addr {
			end = ^uint64(0)
		}
		r := span{e.Addr, end}
		if e.Type == E820RAM {
			m.avail = append(m.avail, r)
		} else {
			m.other = append(m.other, r)
		}
	}
	sort.Slice(m.avail, func(i, j int) bool { return m.avail[i].Start < m.avail[j].Start })
	var merged []span
	for _, r := range m.avail {
		if n := len(merged); n > 0 && r.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, r.End)
			continue
		}
		merged = append(merged, r)
	}
	m.avail = merged
	return m
}

// check reports why [addr, addr+n) is not available RAM, or nil.
func (m *memory) check(addr, n uint64) error {
	end := addr + n
	if end < addr || end >= 1<<32 {
		return errors.New("it runs past 4 GiB")
	}
	if end > m.size {
		return fmt.Errorf("RAM ends at %#x", m.size)
	}
	if n == 0 {
		return nil
	}
	ok := false
	for _, r := range m.avail {
		if addr >= r.Start && end <= r.End {
			ok = true
			break
		}
	}
	if !ok {
		return errors.New("it is not inside one available range of the memory map")
	}
	for _, r := range m.other {
		if addr < r.End && r.Start < end {
			return fmt.Errorf("it overlaps reserved memory %#x-%#x", r.Start, r.End)
		}
	}
	return nil
}

// lowerUpper gives mem_lower and mem_upper in KiB: the available memory
// from 0 (at most 640 KiB) and from 1 MiB (at most up to 4 GiB).
func (m *memory) lowerUpper() (lower, upper uint32) {
	for _, r := range m.avail {
		end := min(r.End, m.size)
		if r.Start == 0 {
			lower = uint32(min(end, 0xA0000) / 1024)
		}
		if r.Start <= 0x100000 && end > 0x100000 {
			upper = uint32((min(end, 1<<32) - 0x100000) / 1024)
		}
	}
	return lower, upper
}
