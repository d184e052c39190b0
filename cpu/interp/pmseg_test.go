package interp

import (
	"context"
	"encoding/binary"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// Regression tests for protected-mode segment and stack behaviour found
// with a third-party 386 test ROM: segment type checks on data accesses,
// POP SS stack-size handling and ENTER's 32-bit frame on a 16-bit stack.

// pmFixture is a flat 32-bit protected-mode machine with a small GDT and an
// IDT whose #SS and #GP gates lead to a HLT at pmHandler.
type pmFixture struct {
	c   *CPU
	ram []byte
}

const (
	pmCode32  = 0x08 // base 0, 4 GiB, 32-bit code
	pmData32  = 0x10 // base 0, 4 GiB, writable, B=1
	pmDataRO  = 0x18 // base 0, 4 GiB, read-only
	pmData16  = 0x20 // base 0x20000, 1 MiB, writable, B=0 (16-bit stack)
	pmCodeXO  = 0x28 // base 0, 4 GiB, execute-only code
	pmHandler = 0x3000
	pmCodeAt  = 0x1000
)

func newPMFixture(t *testing.T, model cpu.Model, code []byte) *pmFixture {
	t.Helper()
	ram := make([]byte, 1<<20)
	desc := func(sel int, base, limit uint32, access byte, flags byte) {
		d := ram[0x500+sel:]
		binary.LittleEndian.PutUint16(d[0:], uint16(limit))
		binary.LittleEndian.PutUint16(d[2:], uint16(base))
		d[4] = byte(base >> 16)
		d[5] = access
		d[6] = flags<<4 | byte(limit>>16)&0xF
		d[7] = byte(base >> 24)
	}
	desc(pmCode32, 0, 0xFFFFF, 0x9A, 0xC)
	desc(pmData32, 0, 0xFFFFF, 0x92, 0xC)
	desc(pmDataRO, 0, 0xFFFFF, 0x90, 0xC)
	desc(pmData16, 0x20000, 0xFFFFF, 0x92, 0x0)
	desc(pmCodeXO, 0, 0xFFFFF, 0x98, 0xC)
	gate := func(vec int) {
		g := ram[0x800+vec*8:]
		binary.LittleEndian.PutUint16(g[0:], pmHandler)
		binary.LittleEndian.PutUint16(g[2:], pmCode32)
		g[5] = 0x8E
	}
	for _, v := range []int{cpu.VecSS, cpu.VecGP} {
		gate(v)
	}
	ram[pmHandler] = 0xF4 // hlt
	copy(ram[pmCodeAt:], code)

	b := bus.New()
	b.MapRAM(0, ram, false)
	c := New(model, cpu.Env{Bus: b})
	s := c.State()
	s.CR[0] |= cpu.CR0PE
	s.GDTR = cpu.DescTable{Base: 0x500, Limit: 0x2F}
	s.IDTR = cpu.DescTable{Base: 0x800, Limit: 0xFF}
	flat := cpu.AttrP | cpu.AttrS | cpu.AttrDB | cpu.AttrG | cpu.AttrAccessed
	s.Seg[cpu.CS] = cpu.Segment{Selector: pmCode32, Limit: 0xFFFFFFFF, Attr: flat | cpu.AttrCode | cpu.AttrWritable}
	for _, r := range []int{cpu.DS, cpu.ES, cpu.SS, cpu.FS, cpu.GS} {
		s.Seg[r] = cpu.Segment{Selector: pmData32, Limit: 0xFFFFFFFF, Attr: flat | cpu.AttrWritable}
	}
	s.EIP = pmCodeAt
	s.Regs[cpu.ESP] = 0x8000
	return &pmFixture{c: c, ram: ram}
}

func (f *pmFixture) run(n uint64) *cpu.State {
	f.c.Run(context.Background(), n)
	return f.c.State()
}

// faulted reports whether execution reached the #GP/#SS handler and, if so,
// the error code and faulting EIP it pushed.
func (f *pmFixture) faulted() (ok bool, code, eip uint32) {
	s := f.c.State()
	if !s.Halted || s.EIP != pmHandler+1 {
		return false, 0, 0
	}
	sp := s.Regs[cpu.ESP]
	return true, binary.LittleEndian.Uint32(f.ram[sp:]), binary.LittleEndian.Uint32(f.ram[sp+4:])
}

// A store through a read-only data segment raises #GP(0) and leaves memory
// untouched (SDM Vol. 3, 5.5; MOV: #GP(0) if the destination is located in
// a non-writable segment).
func TestWriteToReadOnlySegmentFaults(t *testing.T) {
	code := []byte{
		0x66, 0xB8, pmDataRO, 0x00, // mov ax, pmDataRO
		0x8E, 0xD8, // mov ds, ax
		0xA3, 0x00, 0x40, 0x00, 0x00, // mov [0x4000], eax
		0xF4,
	}
	f := newPMFixture(t, cpu.Model386, code)
	f.c.State().Regs[cpu.EAX] = pmDataRO
	f.run(10)
	ok, ec, eip := f.faulted()
	if !ok || ec != 0 || eip != pmCodeAt+6 {
		t.Fatalf("want #GP(0) at %#x; got fault=%v code=%#x eip=%#x (EIP now %#x)", pmCodeAt+6, ok, ec, eip, f.c.State().EIP)
	}
	if f.ram[0x4000] != 0 {
		t.Errorf("the faulting store wrote memory")
	}
}

// Reading through an execute-only code segment (here CS itself), and any
// access through a null data selector, raise #GP(0).
func TestReadExecuteOnlyAndNullSegmentFault(t *testing.T) {
	xo := []byte{0x2E, 0x8B, 0x1D, 0x00, 0x40, 0x00, 0x00, 0xF4} // mov ebx, [cs:0x4000]
	f := newPMFixture(t, cpu.Model386, xo)
	f.c.State().Seg[cpu.CS].Attr &^= cpu.AttrWritable // execute-only
	f.c.State().Seg[cpu.CS].Selector = pmCodeXO
	f.run(10)
	if ok, ec, eip := f.faulted(); !ok || ec != 0 || eip != pmCodeAt {
		t.Errorf("execute-only: want #GP(0) at %#x; got fault=%v code=%#x eip=%#x", pmCodeAt, ok, ec, eip)
	}

	null := []byte{
		0x31, 0xC0, // xor eax, eax
		0x8E, 0xE0, // mov fs, ax
		0x64, 0x8B, 0x1D, 0x00, 0x40, 0x00, 0x00, // mov ebx, [fs:0x4000]
		0xF4,
	}
	f = newPMFixture(t, cpu.Model386, null)
	f.run(10)
	if ok, ec, eip := f.faulted(); !ok || ec != 0 || eip != pmCodeAt+4 {
		t.Errorf("null: want #GP(0) at %#x; got fault=%v code=%#x eip=%#x", pmCodeAt+4, ok, ec, eip)
	}
}

// POP SS advances the stack pointer with the address size of the stack the
// selector was popped from: popping a 32-bit SS off a 16-bit stack at
// SP=0xFFFC wraps SP to 0 and keeps ESP[31:16].
func TestPopSSUsesOldStackSize(t *testing.T) {
	code := []byte{
		0x66, 0xB8, pmData16, 0x00, // mov ax, pmData16
		0x8E, 0xD0, // mov ss, ax
		0xBC, 0xFC, 0xFF, 0x02, 0x00, // mov esp, 0x2fffc
		0x17, // pop ss (32-bit operand: pops pmData32)
		0xF4,
	}
	f := newPMFixture(t, cpu.Model386, code)
	binary.LittleEndian.PutUint32(f.ram[0x20000+0xFFFC:], pmData32)
	s := f.run(10)
	if s.Seg[cpu.SS].Selector != pmData32 {
		t.Fatalf("SS = %#x, want %#x", s.Seg[cpu.SS].Selector, pmData32)
	}
	if s.Regs[cpu.ESP] != 0x20000 {
		t.Errorf("ESP = %#x, want 0x20000 (SP wrapped on the old 16-bit stack)", s.Regs[cpu.ESP])
	}
}

// A 32-bit ENTER on a 16-bit stack uses ESP as FrameTemp (SDM ENTER:
// "IF OperandSize = 32 THEN Push(EBP); FrameTemp <- ESP"): EBP and the
// pushed frame pointer keep ESP[31:16], while the pushes themselves still
// move only SP.
func TestEnter32On16BitStack(t *testing.T) {
	code := []byte{
		0x66, 0xB8, pmData16, 0x00, // mov ax, pmData16
		0x8E, 0xD0, // mov ss, ax
		0xBC, 0x00, 0x00, 0x01, 0x00, // mov esp, 0x10000 (SP = 0)
		0xBD, 0x00, 0xF0, 0x01, 0x00, // mov ebp, 0x1f000
		0xC8, 0x08, 0x00, 0x01, // enter 8, 1
		0xF4,
	}
	f := newPMFixture(t, cpu.Model386, code)
	s := f.run(10)
	if s.Regs[cpu.EBP] != 0x1FFFC {
		t.Errorf("EBP = %#x, want 0x1fffc", s.Regs[cpu.EBP])
	}
	if s.Regs[cpu.ESP] != 0x1FFF0 {
		t.Errorf("ESP = %#x, want 0x1fff0", s.Regs[cpu.ESP])
	}
	if got := binary.LittleEndian.Uint32(f.ram[0x20000+0xFFF8:]); got != 0x1FFFC {
		t.Errorf("pushed frame pointer = %#x, want 0x1fffc", got)
	}
	if got := binary.LittleEndian.Uint32(f.ram[0x20000+0xFFFC:]); got != 0x1F000 {
		t.Errorf("pushed EBP = %#x, want 0x1f000", got)
	}
}
