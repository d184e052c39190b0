package gdbstub

import (
	"errors"

	"ringzero/cpu"
	"ringzero/mmu"
)

// Target is the machine as the stub sees it. The stub calls it only from
// inside Before and After, on the goroutine that runs the machine, so a
// Target needs no locking of its own.
type Target interface {
	// State returns the CPU state (cpu.Engine.State): the stub reads it,
	// and changes it only through SetState.
	State() *cpu.State
	SetState(s *cpu.State) error
	// ReadLinear reads len(buf) bytes at a linear address (segmentation
	// already applied: the address gdb's x command and the m packet use),
	// through the page tables when paging is on. It returns how many
	// bytes it read before the first one it could not reach.
	ReadLinear(addr uint32, buf []byte) (int, error)
	// WriteLinear writes data at a linear address; it returns how many
	// bytes it wrote before the first one it could not reach.
	WriteLinear(addr uint32, data []byte) (int, error)
}

// Modeler is implemented by Targets that know their CPU model (the
// instruction decoder used for read watchpoints needs it); without it
// the stub decodes for the Pentium II.
type Modeler interface {
	Model() cpu.Model
}

// ErrUnmapped is returned by NewTarget's memory accessors for a linear
// address with no translation (a page not present).
var ErrUnmapped = errors.New("gdbstub: linear address not mapped")

// NewTarget is a Target for an engine running on physical memory mem
// (devices/bus.Bus on the PC board). Linear addresses go through a page
// walk (mmu.Walk, which sets no accessed or dirty bits and raises no
// fault) when CR0.PG is on, and are masked to the model's address bus
// (20 bits on the 8086/186, 24 on the 286). Writes to ROM are dropped,
// as the bus drops them; MMIO is read and written as the CPU would.
func NewTarget(e cpu.Engine, mem mmu.Memory) Target {
	return &engineTarget{e: e, mem: mem}
}

type engineTarget struct {
	e   cpu.Engine
	mem mmu.Memory
}

func (t *engineTarget) State() *cpu.State           { return t.e.State() }
func (t *engineTarget) SetState(s *cpu.State) error { return t.e.SetState(s) }

func (t *engineTarget) Model() cpu.Model {
	if m, ok := t.e.(Modeler); ok {
		return m.Model()
	}
	return cpu.ModelP2
}

// phys translates one linear address.
func (t *engineTarget) phys(lin uint32) (uint32, bool) {
	s := t.e.State()
	switch m := t.Model(); {
	case m < cpu.Model286:
		return lin & 0xFFFFF, true
	case m == cpu.Model286:
		return lin & 0xFFFFFF, true
	}
	c := mmu.ControlFrom(s.CR[0], s.CR[3], s.CR[4])
	if !c.PG {
		return lin, true
	}
	w := mmu.Walk(t.mem, c, lin, mmu.Read)
	return w.Phys, w.Mapped
}

func (t *engineTarget) ReadLinear(addr uint32, buf []byte) (int, error) {
	return t.each(addr, len(buf), func(i int, p uint32) { buf[i] = byte(t.mem.Read(p, 1)) })
}

func (t *engineTarget) WriteLinear(addr uint32, data []byte) (int, error) {
	return t.each(addr, len(data), func(i int, p uint32) { t.mem.Write(p, 1, uint32(data[i])) })
}

// each calls fn with the physical address of each of n bytes from lin,
// walking the page tables once per page.
func (t *engineTarget) each(lin uint32, n int, fn func(i int, phys uint32)) (int, error) {
	var p uint32
	for i := 0; i < n; i++ {
		a := lin + uint32(i)
		if i == 0 || a&0xFFF == 0 {
			var ok bool
			if p, ok = t.phys(a); !ok {
				return i, ErrUnmapped
			}
		}
		fn(i, p)
		p++
	}
	return n, nil
}
