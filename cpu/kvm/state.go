package kvm

import (
	"encoding/binary"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
	"ringzero/cpu/x87"
)

// segToKVM unpacks a descriptor cache into kvm_segment. A segment that is
// not present (a null selector loaded in protected mode) is marked
// unusable, as QEMU does; VMX refuses present-but-null segments.
func segToKVM(s cpu.Segment) kvmapi.Segment {
	a := s.Attr
	return kvmapi.Segment{
		Base:     uint64(s.Base),
		Limit:    s.Limit,
		Selector: s.Selector,
		Type:     uint8(a & 0xF),
		S:        uint8(a>>4) & 1,
		DPL:      uint8(a>>5) & 3,
		Present:  uint8(a>>7) & 1,
		AVL:      uint8(a>>12) & 1,
		L:        uint8(a>>13) & 1,
		DB:       uint8(a>>14) & 1,
		G:        uint8(a>>15) & 1,
		Unusable: 1 - uint8(a>>7)&1,
	}
}

// segFromKVM packs kvm_segment into the cpu.Segment layout (access byte
// in bits 0-7, AVL, L, D/B, G in bits 12-15). An unusable segment keeps
// its selector, base and limit with all attributes clear, which is how
// the interpreter leaves a null selector.
func segFromKVM(k kvmapi.Segment) cpu.Segment {
	s := cpu.Segment{Selector: k.Selector, Base: uint32(k.Base), Limit: k.Limit}
	if k.Unusable != 0 {
		return s
	}
	s.Attr = uint16(k.Type&0xF) | uint16(k.S&1)<<4 | uint16(k.DPL&3)<<5 | uint16(k.Present&1)<<7 |
		uint16(k.AVL&1)<<12 | uint16(k.L&1)<<13 | uint16(k.DB&1)<<14 | uint16(k.G&1)<<15
	return s
}

// kvmSegs lists the kvm_sregs segment fields in cpu.State.Seg order.
func kvmSegs(sr *kvmapi.Sregs) [6]*kvmapi.Segment {
	return [6]*kvmapi.Segment{cpu.ES: &sr.ES, cpu.CS: &sr.CS, cpu.SS: &sr.SS, cpu.DS: &sr.DS, cpu.FS: &sr.FS, cpu.GS: &sr.GS}
}

// vcpuState is the KVM side of a cpu.State: what GET_REGS, GET_SREGS,
// GET_FPU, GET_DEBUGREGS and GET_VCPU_EVENTS return.
type vcpuState struct {
	regs   kvmapi.Regs
	sregs  kvmapi.Sregs
	fpu    kvmapi.FPU
	debug  kvmapi.DebugRegs
	events kvmapi.VCPUEvents
}

// fpuFromKVM unpacks the FXSAVE image KVM keeps: registers in stack
// order (FPR[i] is ST(i)), the abridged tag byte (one bit per physical
// register, set when not empty; the full tags are recomputed from the
// contents, as FXRSTOR does), and the last instruction and operand
// pointers with their selectors in bits 32-47 (32-bit FXSAVE format;
// hosts that deprecate FCS/FDS, or AMD ones with no exception pending,
// return zeros there).
func fpuFromKVM(k *kvmapi.FPU) x87.FPU {
	var f x87.FPU
	f.CW, f.SW = k.FCW, k.FSW
	top := int(k.FSW>>11) & 7
	for i := range k.FPR {
		f.R[(top+i)&7] = x87.Ext80{Sig: binary.LittleEndian.Uint64(k.FPR[i][:8]), Se: binary.LittleEndian.Uint16(k.FPR[i][8:10])}
	}
	for r := 0; r < 8; r++ {
		tag := x87.TagEmpty
		if k.FTWX>>r&1 != 0 {
			tag = x87.TagOf(f.R[r])
		}
		f.TW |= uint16(tag) << (2 * r)
	}
	f.FOP = k.LastOpcode & 0x7FF
	f.FIP, f.FCS = uint32(k.LastIP), uint16(k.LastIP>>32)
	f.FDP, f.FDS = uint32(k.LastDP), uint16(k.LastDP>>32)
	return f
}

// fpuToKVM packs f into k, keeping k's SSE state (MXCSR, XMM), which
// cpu.State does not hold.
func fpuToKVM(f *x87.FPU, k *kvmapi.FPU) {
	k.FCW, k.FSW = f.CW, f.SW
	top := f.Top()
	k.FTWX = 0
	for i := range k.FPR {
		r := (top + i) & 7
		k.FPR[i] = [16]uint8{}
		binary.LittleEndian.PutUint64(k.FPR[i][:8], f.R[r].Sig)
		binary.LittleEndian.PutUint16(k.FPR[i][8:10], f.R[r].Se)
	}
	for r := 0; r < 8; r++ {
		if f.Tag(r) != x87.TagEmpty {
			k.FTWX |= 1 << r
		}
	}
	k.LastOpcode = f.FOP
	k.LastIP = uint64(f.FIP) | uint64(f.FCS)<<32
	k.LastDP = uint64(f.FDP) | uint64(f.FDS)<<32
}

// toCPU fills the architectural part of s from v: everything but Halted,
// Cycles, CR1, DR4, DR5 and MSW286, which the engine keeps.
func (v *vcpuState) toCPU(s *cpu.State) {
	r := &v.regs
	s.Regs = [8]uint32{
		cpu.EAX: uint32(r.RAX), cpu.ECX: uint32(r.RCX), cpu.EDX: uint32(r.RDX), cpu.EBX: uint32(r.RBX),
		cpu.ESP: uint32(r.RSP), cpu.EBP: uint32(r.RBP), cpu.ESI: uint32(r.RSI), cpu.EDI: uint32(r.RDI),
	}
	s.EIP = uint32(r.RIP)
	s.EFlags = uint32(r.RFLAGS) | cpu.FlagRsv1
	sr := &v.sregs
	for i, k := range kvmSegs(sr) {
		s.Seg[i] = segFromKVM(*k)
	}
	s.LDTR = segFromKVM(sr.LDT)
	s.TR = segFromKVM(sr.TR)
	s.GDTR = cpu.DescTable{Base: uint32(sr.GDT.Base), Limit: uint32(sr.GDT.Limit)}
	s.IDTR = cpu.DescTable{Base: uint32(sr.IDT.Base), Limit: uint32(sr.IDT.Limit)}
	s.CR[0], s.CR[2], s.CR[3], s.CR[4] = uint32(sr.CR0), uint32(sr.CR2), uint32(sr.CR3), uint32(sr.CR4)
	d := &v.debug
	// DR4 and DR5 have no place in kvm_debugregs; the engine keeps the
	// values SetState gave them.
	s.DR[0], s.DR[1], s.DR[2], s.DR[3] = uint32(d.DB[0]), uint32(d.DB[1]), uint32(d.DB[2]), uint32(d.DB[3])
	s.DR[6], s.DR[7] = uint32(d.DR6), uint32(d.DR7)
	s.FPU = fpuFromKVM(&v.fpu)
	s.IRQShadow = v.events.Interrupt.Shadow != 0
}

// fromCPU writes s into v. sregs and fpu must hold what GET_SREGS and
// GET_FPU returned (EFER, APIC base, CR8 and the SSE state are kept);
// pending events are dropped, since s replaces the whole CPU.
func (v *vcpuState) fromCPU(s *cpu.State) {
	v.regs = kvmapi.Regs{
		RAX: uint64(s.Regs[cpu.EAX]), RCX: uint64(s.Regs[cpu.ECX]), RDX: uint64(s.Regs[cpu.EDX]), RBX: uint64(s.Regs[cpu.EBX]),
		RSP: uint64(s.Regs[cpu.ESP]), RBP: uint64(s.Regs[cpu.EBP]), RSI: uint64(s.Regs[cpu.ESI]), RDI: uint64(s.Regs[cpu.EDI]),
		RIP:    uint64(s.EIP),
		RFLAGS: uint64(s.EFlags | cpu.FlagRsv1),
	}
	sr := &v.sregs
	for i, k := range kvmSegs(sr) {
		*k = segToKVM(s.Seg[i])
	}
	sr.LDT = segToKVM(s.LDTR)
	sr.TR = segToKVM(s.TR)
	sr.GDT = kvmapi.DTable{Base: uint64(s.GDTR.Base), Limit: uint16(s.GDTR.Limit)}
	sr.IDT = kvmapi.DTable{Base: uint64(s.IDTR.Base), Limit: uint16(s.IDTR.Limit)}
	sr.CR0, sr.CR2, sr.CR3, sr.CR4 = uint64(s.CR[0]), uint64(s.CR[2]), uint64(s.CR[3]), uint64(s.CR[4])
	sr.EFER = 0
	sr.InterruptBitmap = [4]uint64{}
	fpuToKVM(&s.FPU, &v.fpu)
	v.debug = kvmapi.DebugRegs{
		DB:  [4]uint64{uint64(s.DR[0]), uint64(s.DR[1]), uint64(s.DR[2]), uint64(s.DR[3])},
		DR6: uint64(s.DR[6]),
		DR7: uint64(s.DR[7]),
	}
	v.events = kvmapi.VCPUEvents{Flags: kvmapi.VCPUEventValidShadow}
	if s.IRQShadow {
		// One bit of ours, two of KVM's. VMX refuses STI blocking with
		// IF clear, so that case becomes MOV SS blocking (which also
		// holds off debug traps, as after MOV SS on real hardware).
		if s.EFlags&cpu.FlagIF != 0 {
			v.events.Interrupt.Shadow = kvmapi.ShadowIntSTI
		} else {
			v.events.Interrupt.Shadow = kvmapi.ShadowIntMovSS
		}
	}
}
