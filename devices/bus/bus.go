// Package bus is the machine's physical address space and I/O port space.
// Devices register port ranges and MMIO ranges and see only offsets into
// them; RAM and ROM regions are mapped page by page so engines can reach
// host memory directly. Overlapping registrations are rejected; unmapped
// reads return all ones and are counted, unmapped writes are dropped.
package bus

import (
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
)

// PortHandler serves a range of I/O ports; off is relative to the range.
type PortHandler interface {
	ReadPort(off uint16, size int) uint32
	WritePort(off uint16, size int, v uint32)
}

// MMIOHandler serves a range of physical addresses; off is relative to it.
type MMIOHandler interface {
	ReadMMIO(off uint32, size int) uint32
	WriteMMIO(off uint32, size int, v uint32)
}

// Sizes is the set of access sizes a handler implements; the bus splits
// other accesses into smaller ones, little-endian (as QEMU's .impl does).
type Sizes uint8

// Access sizes.
const (
	Size8  Sizes = 1
	Size16 Sizes = 2
	Size32 Sizes = 4
	// SizeAll accepts 1, 2 and 4-byte accesses.
	SizeAll = Size8 | Size16 | Size32
)

func (s Sizes) has(size int) bool { return s&Sizes(size) != 0 }

// ErrOverlap is returned when a new mapping overlaps an existing one.
var ErrOverlap = errors.New("bus: mapping overlaps an existing one")

// PageSize is the granularity of RAM mappings.
const PageSize = 4096

type portRange struct {
	name  string
	base  uint16
	n     uint32
	h     PortHandler
	sizes Sizes
}

type mmioRange struct {
	name  string
	base  uint32
	n     uint32
	h     MMIOHandler
	sizes Sizes
}

type page struct {
	mem      []byte // PageSize bytes of host memory, nil if not RAM/ROM
	readOnly bool
	mmio     *mmioRange
}

// Bus is the physical address space and the port space of one machine.
// It is not safe for concurrent use; the engine's goroutine owns it.
type Bus struct {
	ports     []portRange
	portIndex [65536]uint16 // 0 = unmapped, else 1 + index into ports
	mmio      []*mmioRange  // sorted by base
	dir       [1024]*[1024]page
	a20Mask   uint32
	// gen counts changes to the memory map (RAM, ROM, MMIO, A20) so
	// engines can cache host pages and drop them when it moves.
	gen atomic.Uint64

	// UnmappedReads and UnmappedWrites count accesses that hit nothing.
	UnmappedReads, UnmappedWrites uint64
	// OnUnmapped, if set, is told of the first unmapped access to each
	// port or page (for tracing); later ones are only counted.
	OnUnmapped func(kind string, addr uint32)
	seen       map[uint64]bool
}

// New returns an empty bus with the A20 gate enabled.
func New() *Bus {
	return &Bus{a20Mask: 0xFFFFFFFF, seen: map[uint64]bool{}}
}

// SetA20 enables or disables address line 20. When disabled, bit 20 of
// every physical address reads as zero (the 8086 1 MiB wrap-around).
func (b *Bus) SetA20(on bool) {
	b.gen.Add(1)
	if on {
		b.a20Mask = 0xFFFFFFFF
	} else {
		b.a20Mask = 0xFFEFFFFF
	}
}

// MapGeneration returns the counter that changes whenever the memory
// map does (it implements cpu.MapVersioner).
func (b *Bus) MapGeneration() *atomic.Uint64 { return &b.gen }

// A20 reports whether address line 20 is enabled.
func (b *Bus) A20() bool { return b.a20Mask&(1<<20) != 0 }

// MapPorts registers h for ports base..base+n-1.
func (b *Bus) MapPorts(base uint16, n uint32, name string, h PortHandler, s Sizes) error {
	if n == 0 || uint32(base)+n > 65536 {
		return fmt.Errorf("bus: port range %#x+%d for %s out of bounds", base, n, name)
	}
	for p := uint32(base); p < uint32(base)+n; p++ {
		if i := b.portIndex[p]; i != 0 {
			return fmt.Errorf("%w: ports %#x+%d (%s) and %s at %#x", ErrOverlap, base, n, name, b.ports[i-1].name, p)
		}
	}
	b.ports = append(b.ports, portRange{name: name, base: base, n: n, h: h, sizes: s})
	idx := uint16(len(b.ports))
	for p := uint32(base); p < uint32(base)+n; p++ {
		b.portIndex[p] = idx
	}
	return nil
}

// UnmapPorts removes the mapping that starts at base (used when a PCI BAR
// moves or a device is unplugged).
func (b *Bus) UnmapPorts(base uint16) {
	i := b.portIndex[base]
	if i == 0 {
		return
	}
	r := &b.ports[i-1]
	for p := uint32(r.base); p < uint32(r.base)+r.n; p++ {
		b.portIndex[p] = 0
	}
	r.h = nil
}

func (b *Bus) pageOf(addr uint32) *page {
	d := b.dir[addr>>22]
	if d == nil {
		return nil
	}
	return &d[(addr>>12)&1023]
}

func (b *Bus) pageFor(addr uint32) *page {
	d := b.dir[addr>>22]
	if d == nil {
		d = new([1024]page)
		b.dir[addr>>22] = d
	}
	return &d[(addr>>12)&1023]
}

func checkRange(base uint32, n uint64) error {
	if n == 0 || uint64(base)+n > 1<<32 {
		return fmt.Errorf("bus: range %#x+%#x out of bounds", base, n)
	}
	return nil
}

// MapMMIO registers h for physical addresses base..base+n-1. Both must be
// page-aligned multiples of PageSize so the page table can route them.
func (b *Bus) MapMMIO(base, n uint32, name string, h MMIOHandler, s Sizes) error {
	if err := checkRange(base, uint64(n)); err != nil {
		return err
	}
	if base%PageSize != 0 || n%PageSize != 0 {
		return fmt.Errorf("bus: MMIO range %#x+%#x for %s not page-aligned", base, n, name)
	}
	for a := uint64(base); a < uint64(base)+uint64(n); a += PageSize {
		if p := b.pageOf(uint32(a)); p != nil && (p.mem != nil || p.mmio != nil) {
			return fmt.Errorf("%w: MMIO %#x+%#x (%s) at %#x", ErrOverlap, base, n, name, a)
		}
	}
	r := &mmioRange{name: name, base: base, n: n, h: h, sizes: s}
	for a := uint64(base); a < uint64(base)+uint64(n); a += PageSize {
		b.pageFor(uint32(a)).mmio = r
	}
	b.gen.Add(1)
	b.mmio = append(b.mmio, r)
	sort.Slice(b.mmio, func(i, j int) bool { return b.mmio[i].base < b.mmio[j].base })
	return nil
}

// MapRAM maps host memory mem at physical address base, page by page.
// base and len(mem) must be multiples of PageSize. readOnly makes it ROM:
// writes are dropped.
func (b *Bus) MapRAM(base uint32, mem []byte, readOnly bool) error {
	if err := checkRange(base, uint64(len(mem))); err != nil {
		return err
	}
	if base%PageSize != 0 || len(mem)%PageSize != 0 {
		return fmt.Errorf("bus: RAM range %#x+%#x not page-aligned", base, len(mem))
	}
	for off := 0; off < len(mem); off += PageSize {
		if p := b.pageOf(base + uint32(off)); p != nil && (p.mem != nil || p.mmio != nil) {
			return fmt.Errorf("%w: RAM %#x+%#x at %#x", ErrOverlap, base, len(mem), base+uint32(off))
		}
	}
	b.gen.Add(1)
	for off := 0; off < len(mem); off += PageSize {
		p := b.pageFor(base + uint32(off))
		p.mem = mem[off : off+PageSize : off+PageSize]
		p.readOnly = readOnly
	}
	return nil
}

// Unmap removes whatever RAM, ROM or MMIO is mapped in base..base+n-1
// (page-aligned); used for remappable windows such as the PAM registers.
func (b *Bus) Unmap(base, n uint32) {
	b.gen.Add(1)
	for a := uint64(base); a < uint64(base)+uint64(n); a += PageSize {
		if p := b.pageOf(uint32(a)); p != nil {
			*p = page{}
		}
	}
}

// VisitMemory calls fn for every page of RAM or ROM, in address order, with
// its host memory (engines that register guest memory with a hypervisor
// use it; neighbouring pages that share host memory can be merged).
func (b *Bus) VisitMemory(fn func(base uint32, mem []byte, readOnly bool)) {
	for i, d := range b.dir {
		if d == nil {
			continue
		}
		for j := range d {
			if p := &d[j]; p.mem != nil {
				fn(uint32(i)<<22|uint32(j)<<12, p.mem, p.readOnly)
			}
		}
	}
}

// RAMPage returns the host page holding physical address addr (after the
// A20 mask), or nil for MMIO, unmapped pages, and ROM when write is set.
func (b *Bus) RAMPage(addr uint32, write bool) []byte {
	p := b.pageOf(addr & b.a20Mask)
	if p == nil || p.mem == nil || (write && p.readOnly) {
		return nil
	}
	return p.mem
}

func (b *Bus) unmapped(kind string, key uint64, addr uint32) {
	if b.OnUnmapped != nil && !b.seen[key] {
		b.seen[key] = true
		b.OnUnmapped(kind, addr)
	}
}

// Read reads size (1, 2 or 4) bytes at physical address addr,
// little-endian. Accesses that cross a page are split.
func (b *Bus) Read(addr uint32, size int) uint32 {
	addr &= b.a20Mask
	if off := addr & (PageSize - 1); off+uint32(size) > PageSize {
		var v uint32
		for i := 0; i < size; i++ {
			v |= b.Read(addr+uint32(i), 1) << (8 * i)
		}
		return v
	}
	p := b.pageOf(addr)
	switch {
	case p != nil && p.mem != nil:
		m := p.mem[addr&(PageSize-1):]
		switch size {
		case 1:
			return uint32(m[0])
		case 2:
			return uint32(m[0]) | uint32(m[1])<<8
		default:
			return uint32(m[0]) | uint32(m[1])<<8 | uint32(m[2])<<16 | uint32(m[3])<<24
		}
	case p != nil && p.mmio != nil:
		r := p.mmio
		return readSplit(r.sizes, size, func(o uint32, sz int) uint32 { return r.h.ReadMMIO(addr-r.base+o, sz) })
	}
	b.UnmappedReads++
	b.unmapped("read", uint64(addr>>12)|1<<40, addr)
	return 0xFFFFFFFF >> (32 - 8*size)
}

// Write writes size bytes of v at physical address addr, little-endian.
func (b *Bus) Write(addr uint32, size int, v uint32) {
	addr &= b.a20Mask
	if off := addr & (PageSize - 1); off+uint32(size) > PageSize {
		for i := 0; i < size; i++ {
			b.Write(addr+uint32(i), 1, v>>(8*i))
		}
		return
	}
	p := b.pageOf(addr)
	switch {
	case p != nil && p.mem != nil:
		if p.readOnly {
			return
		}
		m := p.mem[addr&(PageSize-1):]
		m[0] = byte(v)
		if size > 1 {
			m[1] = byte(v >> 8)
			if size > 2 {
				m[2] = byte(v >> 16)
				m[3] = byte(v >> 24)
			}
		}
		return
	case p != nil && p.mmio != nil:
		r := p.mmio
		writeSplit(r.sizes, size, v, func(o uint32, sz int, x uint32) { r.h.WriteMMIO(addr-r.base+o, sz, x) })
		return
	}
	b.UnmappedWrites++
	b.unmapped("write", uint64(addr>>12)|2<<40, addr)
}

// In reads size bytes from port.
func (b *Bus) In(port uint16, size int) uint32 {
	if i := b.portIndex[port]; i != 0 {
		r := &b.ports[i-1]
		if r.h != nil && uint32(port)+uint32(size) <= uint32(r.base)+r.n && r.sizes.has(size) {
			return r.h.ReadPort(port-r.base, size)
		}
	}
	if size > 1 {
		// Split: each byte goes to whichever device owns that port.
		var v uint32
		for i := 0; i < size; i++ {
			v |= b.In(port+uint16(i), 1) << (8 * i)
		}
		return v
	}
	if i := b.portIndex[port]; i != 0 {
		r := &b.ports[i-1]
		if r.h != nil {
			return readSplit(r.sizes, 1, func(o uint32, sz int) uint32 { return r.h.ReadPort(port-r.base, sz) })
		}
	}
	b.UnmappedReads++
	b.unmapped("in", uint64(port)|3<<40, uint32(port))
	return 0xFF
}

// Out writes size bytes of v to port.
func (b *Bus) Out(port uint16, size int, v uint32) {
	if i := b.portIndex[port]; i != 0 {
		r := &b.ports[i-1]
		if r.h != nil && uint32(port)+uint32(size) <= uint32(r.base)+r.n && r.sizes.has(size) {
			r.h.WritePort(port-r.base, size, v)
			return
		}
	}
	if size > 1 {
		for i := 0; i < size; i++ {
			b.Out(port+uint16(i), 1, v>>(8*i))
		}
		return
	}
	if i := b.portIndex[port]; i != 0 {
		r := &b.ports[i-1]
		if r.h != nil {
			r.h.WritePort(port-r.base, 1, v&0xFF)
			return
		}
	}
	b.UnmappedWrites++
	b.unmapped("out", uint64(port)|4<<40, uint32(port))
}

// readSplit performs a read of size bytes with a handler that implements
// only the sizes in s, by combining smaller accesses. A handler that
// implements no smaller size gets the larger access and the result is cut.
func readSplit(s Sizes, size int, rd func(off uint32, sz int) uint32) uint32 {
	if s.has(size) {
		return rd(0, size)
	}
	for sz := size / 2; sz >= 1; sz /= 2 {
		if s.has(sz) {
			var v uint32
			for o := 0; o < size; o += sz {
				v |= rd(uint32(o), sz) << (8 * o)
			}
			return v
		}
	}
	for sz := size * 2; sz <= 4; sz *= 2 {
		if s.has(sz) {
			return rd(0, sz) & (0xFFFFFFFF >> (32 - 8*size))
		}
	}
	return 0xFFFFFFFF >> (32 - 8*size)
}

func writeSplit(s Sizes, size int, v uint32, wr func(off uint32, sz int, v uint32)) {
	if s.has(size) {
		wr(0, size, v)
		return
	}
	for sz := size / 2; sz >= 1; sz /= 2 {
		if s.has(sz) {
			for o := 0; o < size; o += sz {
				wr(uint32(o), sz, (v>>(8*o))&(0xFFFFFFFF>>(32-8*sz)))
			}
			return
		}
	}
	for sz := size * 2; sz <= 4; sz *= 2 {
		if s.has(sz) {
			wr(0, sz, v)
			return
		}
	}
}
