package kvm

import (
	"reflect"
	"slices"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
	"ringzero/cpu/x87"
)

func TestSegmentAttrRoundTrip(t *testing.T) {
	for _, s := range []cpu.Segment{
		{Selector: 0xF000, Base: 0xFFFF0000, Limit: 0xFFFF, Attr: cpu.RealModeAttr | cpu.AttrCode},
		{Selector: 0x08, Limit: 0xFFFFFFFF, Attr: cpu.AttrP | cpu.AttrS | cpu.AttrCode | cpu.AttrWritable | cpu.AttrDB | cpu.AttrG},
		{Selector: 0x2B, Base: 0x1234, Limit: 0xFFF, Attr: cpu.AttrP | 3<<5 | cpu.AttrS | cpu.AttrExpDown | cpu.AttrWritable | cpu.AttrAVL},
		{Selector: 0x28, Base: 0x800, Limit: 0x67, Attr: cpu.AttrP | 11},
		{Selector: 0x10, Base: 0x5000, Limit: 0x20, Attr: 0}, // null: unusable
	} {
		k := segToKVM(s)
		if got := segFromKVM(k); got != s {
			t.Errorf("%+v → %+v → %+v", s, k, got)
		}
		if (k.Unusable != 0) != (s.Attr&cpu.AttrP == 0) {
			t.Errorf("%+v: unusable %d", s, k.Unusable)
		}
	}
	k := segToKVM(cpu.Segment{Attr: cpu.AttrP | cpu.AttrS | 3 | 2<<5 | cpu.AttrDB | cpu.AttrG})
	want := kvmapi.Segment{Type: 3, S: 1, DPL: 2, Present: 1, DB: 1, G: 1}
	if k != want {
		t.Errorf("unpacked %+v, want %+v", k, want)
	}
}

func TestStateThroughKVMStructs(t *testing.T) {
	var s cpu.State
	s.Reset(cpu.ModelP2)
	s.Regs = [8]uint32{1, 2, 3, 4, 5, 6, 7, 8}
	s.EIP, s.EFlags = 0x1234, cpu.FlagRsv1|cpu.FlagIF|cpu.FlagCF
	s.CR[2], s.CR[3], s.CR[4] = 0xC2, 0xC3000, 8
	s.DR = [8]uint32{0, 1, 2, 3, 0, 0, 0xFFFF0FF1, 0x403}
	s.GDTR, s.IDTR = cpu.DescTable{Base: 0x100, Limit: 0x1F}, cpu.DescTable{Base: 0x200, Limit: 0x7FF}
	s.IRQShadow = true
	s.FPU.Push(x87.FromInt64(7))
	s.FPU.Push(x87.Ext80{}) // +0: tagged zero
	s.FPU.FIP, s.FPU.FCS, s.FPU.FOP = 0x1000, 0x08, 0x1C5
	var v vcpuState
	v.fromCPU(&s)
	if v.regs.RBX != 4 || v.regs.RCX != 2 || v.regs.RSP != 5 {
		t.Errorf("register order: %+v", v.regs)
	}
	if v.fpu.FTWX != 0xC0 || v.fpu.FPR[1][7] != 0xE0 {
		t.Errorf("FPU image: tags %#x, ST(1) %x (want tags C0, ST(1) = 7)", v.fpu.FTWX, v.fpu.FPR[1])
	}
	if v.events.Interrupt.Shadow != kvmapi.ShadowIntSTI || v.events.Flags&kvmapi.VCPUEventValidShadow == 0 {
		t.Errorf("shadow with IF set: %+v", v.events.Interrupt)
	}
	var got cpu.State
	got.Halted, got.Cycles = s.Halted, s.Cycles
	v.toCPU(&got)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, s)
	}
	s.EFlags &^= cpu.FlagIF
	v.fromCPU(&s)
	if v.events.Interrupt.Shadow != kvmapi.ShadowIntMovSS {
		t.Errorf("shadow with IF clear = %d, want MOV SS blocking", v.events.Interrupt.Shadow)
	}
}

func TestCPUIDTableDropsWhatTheHostLacks(t *testing.T) {
	host := []kvmapi.CPUIDEntry2{{Function: 1, EDX: featFPU | featDE | featPSE | featTSC | featMSR | featCX8 | featSEP | featPGE | featMMX | featFXSR | 1<<25}}
	entries, missing := cpuidTable(cpu.ModelP2, host)
	if !slices.Equal(missing, []string{"CMOV"}) {
		t.Errorf("missing %v, want [CMOV]", missing)
	}
	if entries[0].EBX != 0x756E6547 || entries[1].EAX != 0x0652 {
		t.Errorf("leaf 0/1: %+v %+v", entries[0], entries[1])
	}
	if entries[1].EDX != featFPU|featDE|featPSE|featTSC|featMSR|featCX8|featSEP|featPGE|featMMX|featFXSR {
		t.Errorf("leaf 1 EDX %#x", entries[1].EDX)
	}
	if e, _ := cpuidTable(cpu.ModelPentium, host); e[1].EAX != 0x0543 || e[1].EDX&featSEP != 0 {
		t.Errorf("pentium leaf 1: %+v", e[1])
	}
}

// pages returns page-aligned host memory (Go allocations of whole pages
// are page-aligned).
func pages(n int) []byte { return make([]byte, n*pageSize) }

func TestMemPlanMergesAndWraps(t *testing.T) {
	ram := pages(512) // 2 MiB
	rom := pages(16)
	var regions []Region
	// The board's layout, reported page by page.
	for off := 0; off < 0xA0000; off += pageSize {
		regions = append(regions, Region{Base: uint32(off), Mem: ram[off : off+pageSize]})
	}
	regions = append(regions, Region{Base: 0x100000, Mem: ram[0x100000:]})
	regions = append(regions, Region{Base: 0xF0000, Mem: rom, ReadOnly: true})
	slots, unaligned, err := memPlan(regions, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []slot{
		{gpa: 0, size: 0xA0000, hva: hostAddr(ram)},
		{gpa: 0xF0000, size: 0x10000, hva: hostAddr(rom), readOnly: true},
		{gpa: 0x100000, size: 0x100000, hva: hostAddr(ram) + 0x100000},
	}
	if !slices.Equal(slots, want) || len(unaligned) != 0 {
		t.Errorf("slots %+v (unaligned %d), want %+v", slots, len(unaligned), want)
	}

	slots, _, err = memPlan(regions, true)
	if err != nil {
		t.Fatal(err)
	}
	want = []slot{
		{gpa: 0, size: 0xA0000, hva: hostAddr(ram)},
		{gpa: 0xF0000, size: 0x10000, hva: hostAddr(rom), readOnly: true},
		{gpa: 0x100000, size: 0x10000, hva: hostAddr(ram)}, // the wrap
		{gpa: 0x110000, size: 0xF0000, hva: hostAddr(ram) + 0x110000},
	}
	if !slices.Equal(slots, want) {
		t.Errorf("A20 off: slots %+v, want %+v", slots, want)
	}

	odd := make([]byte, 2*pageSize+1)[1:]
	if _, un, err := memPlan([]Region{{Base: 0x200000, Mem: odd[:pageSize]}}, false); err != nil || (hostAddr(odd)%pageSize != 0) != (len(un) == 1) {
		t.Errorf("unaligned host memory: %v, %d left to MMIO", err, len(un))
	}
	if _, _, err := memPlan([]Region{{Base: 0x1000, Mem: ram[:0x3000]}, {Base: 0x2000, Mem: ram[0x10000:0x11000]}}, false); err == nil {
		t.Error("overlapping regions accepted")
	}
	if _, _, err := memPlan([]Region{{Base: 0x800, Mem: ram[:pageSize]}}, false); err == nil {
		t.Error("unaligned base accepted")
	}
}
