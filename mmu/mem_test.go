package mmu_test

import (
	"encoding/binary"
	"sync/atomic"

	"ringzero/mmu"
)

// fakeMem is physical memory for the tests: a byte slice whose size is a
// power of two, addresses wrapping around it, with counters and per-page
// MMIO and ROM marks for RAMPage.
type fakeMem struct {
	b      []byte
	mask   uint32
	reads  int             // Read calls
	writes []uint32        // addresses written through Write, in order
	mmio   map[uint32]bool // page bases that are not RAM
	rom    map[uint32]bool // page bases that are read-only
	gen    atomic.Uint64   // map generation
}

var (
	_ mmu.Memory       = (*fakeMem)(nil)
	_ mmu.MapVersioner = (*fakeMem)(nil)
)

func newMem(size int) *fakeMem {
	return &fakeMem{
		b:    make([]byte, size),
		mask: uint32(size - 1),
		mmio: map[uint32]bool{},
		rom:  map[uint32]bool{},
	}
}

func (m *fakeMem) Read(addr uint32, size int) uint32 {
	m.reads++
	var v uint32
	for i := 0; i < size; i++ {
		v |= uint32(m.b[(addr+uint32(i))&m.mask]) << (8 * i)
	}
	return v
}

func (m *fakeMem) Write(addr uint32, size int, v uint32) {
	m.writes = append(m.writes, addr)
	for i := 0; i < size; i++ {
		m.b[(addr+uint32(i))&m.mask] = uint8(v >> (8 * i))
	}
}

func (m *fakeMem) RAMPage(addr uint32, write bool) []byte {
	base := addr &^ 0xFFF
	if m.mmio[base] || write && m.rom[base] {
		return nil
	}
	a := base & m.mask
	return m.b[a : a+mmu.PageSize : a+mmu.PageSize]
}

func (m *fakeMem) MapGeneration() *atomic.Uint64 { return &m.gen }

// peek and poke access memory without counting.
func (m *fakeMem) peek(addr uint32) uint32 {
	return binary.LittleEndian.Uint32(m.b[addr&m.mask:])
}

func (m *fakeMem) poke(addr, v uint32) {
	binary.LittleEndian.PutUint32(m.b[addr&m.mask:], v)
}

// The tests' page-table layout: the directory at dir, and the page table
// for directory slot i at tables + i*4096.
const (
	dir    = 0x1000
	tables = 0x10000
)

func pdeAddr(lin uint32) uint32 { return dir + lin>>22*4 }
func pteAddr(lin uint32) uint32 { return tables + lin>>22*0x1000 + lin>>12&0x3FF*4 }

// mapPage maps the 4 KiB page holding lin to phys, with the given flags
// on the PDE and the PTE.
func (m *fakeMem) mapPage(lin, phys, pdeFlags, pteFlags uint32) {
	m.poke(pdeAddr(lin), tables+lin>>22*0x1000|pdeFlags)
	m.poke(pteAddr(lin), phys&^0xFFF|pteFlags)
}

// mapLarge maps the 4 MiB page holding lin to phys with a PS=1 PDE.
func (m *fakeMem) mapLarge(lin, phys, flags uint32) {
	m.poke(pdeAddr(lin), phys&0xFFC00000|flags|mmu.EntryLarge)
}

const (
	p  = mmu.EntryPresent
	rw = mmu.EntryWritable
	us = mmu.EntryUser
	a  = mmu.EntryAccessed
	d  = mmu.EntryDirty
	g  = mmu.EntryGlobal
)

// paging is the Control most tests use: paging on, WP off, tables at dir.
var paging = mmu.Control{PG: true, CR3: dir}
