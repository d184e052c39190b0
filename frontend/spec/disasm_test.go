package spec

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/pc"
)

// pagedMachine is a machine stopped in 32-bit protected mode with paging
// on: linear 0x401000 maps physical 0x5000, which holds code, and
// nothing else is mapped but the page tables' own page.
func pagedMachine(t *testing.T, code []byte, eip uint32) *pc.Machine {
	t.Helper()
	m, err := pc.New(pc.Config{Model: cpu.ModelP2, MemBytes: 2 << 20, BIOS: bytes.Repeat([]byte{0xF4}, 64<<10)})
	if err != nil {
		t.Fatal(err)
	}
	put := func(addr, v uint32) { binary.LittleEndian.PutUint32(m.RAM[addr:], v) }
	put(0x1000+4*1, 0x2000|3) // PDE 1 (linear 0x400000-0x7FFFFF) → table at 0x2000
	put(0x2000+4*1, 0x5000|3) // PTE 1 (linear 0x401000) → 0x5000
	copy(m.RAM[0x5000:], code)
	st := *m.CPU.State()
	st.CR[0] |= cpu.CR0PE | cpu.CR0PG
	st.CR[3] = 0x1000
	st.Seg[cpu.CS] = cpu.Segment{Selector: 0x08, Base: 0, Limit: 0xFFFFFFFF, Attr: cpu.AttrP | cpu.AttrS | cpu.AttrCode | cpu.AttrDB}
	st.EIP = eip
	if err := m.CPU.SetState(&st); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCPUReportReadsThroughPageTables: with paging on, the code around
// EIP is read through the guest's page tables and decoded as 32-bit.
func TestCPUReportReadsThroughPageTables(t *testing.T) {
	// mov eax, 1; nop; nop; ud2; hlt
	code := []byte{0xB8, 0x01, 0x00, 0x00, 0x00, 0x90, 0x90, 0x0F, 0x0B, 0xF4}
	m := pagedMachine(t, code, 0x401007)
	got := cpuReport(m, m.CPU.State())
	for _, want := range []string{
		"cpu: stopped at 0008:00401007 (linear 00401007), protected mode with paging, CPL 0, 32-bit code",
		"     0008:00401000  b8 01 00 00 00       mov eax, 0x1\n",
		"     0008:00401006  90                   nop\n",
		"  => 0008:00401007  0f 0b                ud2\n",
		"     0008:00401009  f4                   hlt\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

// TestCPUReportUnmappedCode: an EIP on an unmapped page is said so.
func TestCPUReportUnmappedCode(t *testing.T) {
	m := pagedMachine(t, nil, 0x800000)
	got := cpuReport(m, m.CPU.State())
	if !strings.Contains(got, "no code at 00800000") {
		t.Errorf("report:\n%s", got)
	}
}
