package interp

import (
	"context"
	"encoding/binary"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// pagedMachine is a flat 32-bit protected-mode CPU with paging on: GDT
// at 1000h (code 08h, data 10h), IDT at 2000h whose #PF gate goes to
// 5000h (HLT), page directory at 3000h and one page table at 4000h
// mapping the first 4 MiB one to one, except the pages in unmapped.
func pagedMachine(t *testing.T, model cpu.Model, code []byte, unmapped ...uint32) (*CPU, []byte) {
	t.Helper()
	ram := make([]byte, 4<<20)
	le := binary.LittleEndian
	le.PutUint64(ram[0x1008:], 0x00CF9A000000FFFF) // code, flat, 32-bit
	le.PutUint64(ram[0x1010:], 0x00CF92000000FFFF) // data, flat
	// #PF: 32-bit interrupt gate to 0008:00005000.
	le.PutUint64(ram[0x2000+14*8:], 0x00008E0000085000)
	le.PutUint32(ram[0x3000:], 0x4000|3)
	for p := uint32(0); p < 1024; p++ {
		le.PutUint32(ram[0x4000+4*p:], p<<12|3)
	}
	for _, a := range unmapped {
		le.PutUint32(ram[0x4000+4*(a>>12):], 0)
	}
	ram[0x5000] = 0xF4 // hlt
	copy(ram[0x6000:], code)

	b := bus.New()
	b.MapRAM(0, ram, false)
	c := New(model, cpu.Env{Bus: b})
	s := *c.State()
	flat := func(sel uint16, attr uint16) cpu.Segment {
		return cpu.Segment{Selector: sel, Limit: 0xFFFFFFFF, Attr: attr | cpu.AttrP | cpu.AttrS | cpu.AttrDB | cpu.AttrG | cpu.AttrAccessed}
	}
	s.Seg[cpu.CS] = flat(0x08, cpu.AttrCode|cpu.AttrWritable)
	for _, r := range []int{cpu.DS, cpu.ES, cpu.SS, cpu.FS, cpu.GS} {
		s.Seg[r] = flat(0x10, cpu.AttrWritable)
	}
	s.GDTR = cpu.DescTable{Base: 0x1000, Limit: 0x17}
	s.IDTR = cpu.DescTable{Base: 0x2000, Limit: 0x7FF}
	s.CR[3] = 0x3000
	s.CR[0] |= cpu.CR0PE | cpu.CR0PG
	s.EIP, s.Regs[cpu.ESP] = 0x6000, 0xF000
	if err := c.SetState(&s); err != nil {
		t.Fatal(err)
	}
	return c, ram
}

// TestRepMovsPageFaultRestarts: a REP MOVSD whose store reaches a page
// that is not present takes #PF with ESI, EDI and ECX as they were
// before the faulting iteration, so the handler can map the page and
// return into the instruction. (Stepping ESI before the store, as the
// 286 does, made Linux's memcpy skip a dword after a page fault.)
func TestRepMovsPageFaultRestarts(t *testing.T) {
	for _, m := range []cpu.Model{cpu.Model386, cpu.Model486, cpu.ModelP2} {
		c, ram := pagedMachine(t, m, []byte{0xF3, 0xA5}, 0x9000) // rep movsd
		for i := 0; i < 4; i++ {
			binary.LittleEndian.PutUint32(ram[0x7000+4*i:], uint32(0x11111111*(i+1)))
		}
		s := c.State()
		s.Regs[cpu.ESI], s.Regs[cpu.EDI], s.Regs[cpu.ECX] = 0x7000, 0x8FF8, 4
		c.Run(context.Background(), 100)
		s = c.State()
		if s.EIP != 0x5001 {
			t.Fatalf("%v: EIP = %#x, want 0x5001 (halted in the #PF handler)", m, s.EIP)
		}
		if s.Regs[cpu.ESI] != 0x7008 || s.Regs[cpu.EDI] != 0x9000 || s.Regs[cpu.ECX] != 2 {
			t.Errorf("%v: ESI, EDI, ECX = %#x, %#x, %d after the fault; want 0x7008, 0x9000, 2",
				m, s.Regs[cpu.ESI], s.Regs[cpu.EDI], s.Regs[cpu.ECX])
		}
		if s.CR[2] != 0x9000 {
			t.Errorf("%v: CR2 = %#x, want 0x9000", m, s.CR[2])
		}
		if ret := binary.LittleEndian.Uint32(ram[0xF000-12:]); ret != 0x6000 {
			t.Errorf("%v: #PF frame EIP = %#x, want 0x6000 (the REP MOVSD)", m, ret)
		}
	}
}

// TestLodsCmpsPageFaultLeaveIndexes: LODS, CMPS and SCAS that fault
// leave their index registers unstepped on the 386 and later.
func TestLodsCmpsPageFaultLeaveIndexes(t *testing.T) {
	cases := []struct {
		name     string
		code     []byte
		esi, edi uint32
	}{
		{"lodsd", []byte{0xAD}, 0x9000, 0x7000},
		{"cmpsd faulting on ES:EDI", []byte{0xA7}, 0x7000, 0x9000},
		{"cmpsd faulting on DS:ESI", []byte{0xA7}, 0x9000, 0x7000},
		{"scasd", []byte{0xAF}, 0x7000, 0x9000},
		{"movsd faulting on the load", []byte{0xA5}, 0x9000, 0x7000},
	}
	for _, tc := range cases {
		c, _ := pagedMachine(t, cpu.ModelP2, tc.code, 0x9000)
		s := c.State()
		s.Regs[cpu.ESI], s.Regs[cpu.EDI] = tc.esi, tc.edi
		c.Run(context.Background(), 100)
		s = c.State()
		if s.EIP != 0x5001 || s.CR[2] != 0x9000 {
			t.Fatalf("%s: EIP %#x CR2 %#x, want the #PF handler at 0x5001 for 0x9000", tc.name, s.EIP, s.CR[2])
		}
		if s.Regs[cpu.ESI] != tc.esi || s.Regs[cpu.EDI] != tc.edi {
			t.Errorf("%s: ESI, EDI = %#x, %#x, want %#x, %#x (unchanged)", tc.name, s.Regs[cpu.ESI], s.Regs[cpu.EDI], tc.esi, tc.edi)
		}
	}
}
