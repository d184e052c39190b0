package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// System and I/O instructions.

// requireCPL0 raises #GP(0) outside ring 0 (privileged instructions).
func (c *CPU) requireCPL0() {
	if c.protectedMode() && c.cpl() != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
}

// requireProtected raises #UD in real and virtual-8086 mode (SLDT, LAR…).
func (c *CPU) requireProtected() {
	if !c.protectedMode() || c.s.EFlags&cpu.FlagVM != 0 {
		c.raise(cpu.VecUD)
	}
}

// checkIO applies the IOPL rule for port access: with CPL > IOPL, or in
// virtual-8086 mode, the TSS I/O permission bitmap decides.
func (c *CPU) checkIO(port uint16, n uint8) {
	c.events = true // a device may raise an interrupt or stop the CPU
	if c.ioBP {
		c.checkIOBP(port, n)
	}
	if !c.protectedMode() {
		return
	}
	if c.s.EFlags&cpu.FlagVM != 0 || uint32(c.cpl()) > (c.s.EFlags&cpu.FlagIOPL)>>12 {
		if c.model == cpu.Model286 {
			c.raiseCode(cpu.VecGP, 0) // the 286 has no I/O permission bitmap
		}
		c.ioBitmap(port, n)
	}
}

func (c *CPU) in(port uint16, n uint8) uint32 {
	c.checkIO(port, n)
	return c.portIn(port, n)
}

func (c *CPU) out(port uint16, n uint8, v uint32) {
	c.checkIO(port, n)
	c.portOut(port, n, v)
}

func inALIb(c *CPU, in *decode.Inst)  { c.setReg8(0, uint8(c.in(uint16(in.Imm&0xFF), 1))) }
func inALDX(c *CPU, in *decode.Inst)  { c.setReg8(0, uint8(c.in(uint16(c.s.Regs[cpu.EDX]), 1))) }
func outIbAL(c *CPU, in *decode.Inst) { c.out(uint16(in.Imm&0xFF), 1, c.s.Regs[cpu.EAX]&0xFF) }
func outDXAL(c *CPU, in *decode.Inst) { c.out(uint16(c.s.Regs[cpu.EDX]), 1, c.s.Regs[cpu.EAX]&0xFF) }

func inEAXIb(c *CPU, in *decode.Inst) {
	c.setRegv(cpu.EAX, c.in(uint16(in.Imm&0xFF), in.OpSize), in.OpSize)
}

func inEAXDX(c *CPU, in *decode.Inst) {
	c.setRegv(cpu.EAX, c.in(uint16(c.s.Regs[cpu.EDX]), in.OpSize), in.OpSize)
}

func outIbEAX(c *CPU, in *decode.Inst) {
	c.out(uint16(in.Imm&0xFF), in.OpSize, c.s.Regs[cpu.EAX]&ipMask(in.OpSize))
}

func outDXEAX(c *CPU, in *decode.Inst) {
	c.out(uint16(c.s.Regs[cpu.EDX]), in.OpSize, c.s.Regs[cpu.EAX]&ipMask(in.OpSize))
}

func hlt(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	c.s.Halted = true
	c.events = true
}

// iopl reports whether CLI/STI are allowed (CPL <= IOPL).
func (c *CPU) ioplOK() bool {
	if !c.protectedMode() {
		return true
	}
	return uint32(c.cpl()) <= (c.s.EFlags&cpu.FlagIOPL)>>12
}

func cli(c *CPU, in *decode.Inst) {
	if !c.ioplOK() {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.EFlags &^= cpu.FlagIF
}

// sti enables interrupts after the next instruction (the STI shadow).
func sti(c *CPU, in *decode.Inst) {
	if !c.ioplOK() {
		c.raiseCode(cpu.VecGP, 0)
	}
	if c.s.EFlags&cpu.FlagIF == 0 {
		c.s.IRQShadow = true
		c.events = true
	}
	c.s.EFlags |= cpu.FlagIF
}

func ud(c *CPU, in *decode.Inst) { c.raise(cpu.VecUD) }

// Descriptor-table registers.

func (c *CPU) storeTable(in *decode.Inst, t *cpu.DescTable) {
	if !in.HasMem {
		c.raise(cpu.VecUD)
	}
	off := c.ea(in)
	s := seg(in)
	c.wr16(s, off, uint16(t.Limit))
	base := t.Base
	switch {
	case c.model == cpu.Model286:
		base = base&0xFFFFFF | 0xFF000000 // the 286 stores FFh in byte 5
	case in.OpSize == 2:
		base &= 0xFFFFFF
	}
	c.wr32(s, (off+2)&c.adMask(in), base)
}

func (c *CPU) loadTable(in *decode.Inst, t *cpu.DescTable) {
	c.requireCPL0()
	if !in.HasMem {
		c.raise(cpu.VecUD)
	}
	off := c.ea(in)
	s := seg(in)
	limit := c.rd16(s, off)
	base := c.rd32(s, (off+2)&c.adMask(in))
	if in.OpSize == 2 || c.model == cpu.Model286 {
		base &= 0xFFFFFF
	}
	t.Limit, t.Base = uint32(limit), base
}

func sgdt(c *CPU, in *decode.Inst) { c.storeTable(in, &c.s.GDTR) }
func sidt(c *CPU, in *decode.Inst) { c.storeTable(in, &c.s.IDTR) }
func lgdt(c *CPU, in *decode.Inst) { c.loadTable(in, &c.s.GDTR) }
func lidt(c *CPU, in *decode.Inst) { c.loadTable(in, &c.s.IDTR) }

// smsw stores the machine status word (CR0's low 16 bits; the 286's
// unused bits read as ones).
func smsw(c *CPU, in *decode.Inst) {
	v := c.s.CR[0]
	if c.model == cpu.Model286 {
		v |= 0xFFF0
	}
	if !in.HasMem {
		if in.OpSize == 4 {
			c.s.Regs[in.RM()] = v
		} else {
			c.setRegv(in.RM(), v, 2)
		}
		return
	}
	c.wr16(seg(in), c.ea(in), uint16(v))
}

// lmsw loads PE, MP, EM and TS; it can set PE but never clear it.
func lmsw(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	v, _ := c.rm16(in)
	cr0 := c.s.CR[0]
	c.s.CR[0] = cr0&^0xE | uint32(v)&0xE | (cr0|uint32(v))&1
}

func clts(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	c.s.CR[0] &^= cpu.CR0TS
}

func movRdCd(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	n := in.Reg()
	if n == 1 || n > 4 || (n == 4 && c.model < cpu.ModelPentium) {
		c.raise(cpu.VecUD)
	}
	c.s.Regs[in.RM()] = c.s.CR[n]
}

func movCdRd(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	n := in.Reg()
	if n == 1 || n > 4 || (n == 4 && c.model < cpu.ModelPentium) {
		c.raise(cpu.VecUD)
	}
	v := c.s.Regs[in.RM()]
	switch n {
	case 0:
		if v&cpu.CR0PG != 0 && v&cpu.CR0PE == 0 {
			c.raiseCode(cpu.VecGP, 0)
		}
		v |= cpu.CR0ET
	case 4:
		if v&^c.cr4Bits() != 0 {
			c.raiseCode(cpu.VecGP, 0)
		}
	}
	old := c.s.CR[n]
	c.s.CR[n] = v
	c.updateBreakpoints()
	if n == 3 {
		c.tlb.LoadCR3(v)
	} else if n != 2 && old != v {
		c.updatePaging()
	}
}

// cr4Supported are the CR4 bits this CPU implements: TSD, DE, PSE, PGE
// (VME and PVI, the virtual-8086 extensions, are not modelled); the
// Pentium II adds OSFXSR (cr4Bits).
const cr4Supported = 1<<2 | 1<<3 | 1<<4 | 1<<7

// debugReg maps a MOV DRn register number: DR4 and DR5 alias DR6 and DR7
// unless CR4.DE makes them #UD.
func (c *CPU) debugReg(n uint8) uint8 {
	if c.s.DR[7]&(1<<13) != 0 {
		// DR7.GD: any MOV DRn faults with DR6.BD, and GD clears so the
		// handler can use the registers.
		c.s.DR[6] |= 1 << 13
		c.s.DR[7] &^= 1 << 13
		c.raise(cpu.VecDB)
	}
	if n == 4 || n == 5 {
		if c.s.CR[4]&(1<<3) != 0 {
			c.raise(cpu.VecUD)
		}
		n += 2
	}
	return n
}

// DR6 and DR7 bits that read as fixed values on the P6: DR6 bits 4-11
// and 16-31 are ones (bit 12 zero); DR7 bit 10 is one, bits 11-12 and
// 14-15 zero.
const (
	dr6Ones  = 0xFFFF0FF0
	dr6Zeros = 1 << 12
	dr7Ones  = 1 << 10
	dr7Zeros = 1<<11 | 1<<12 | 1<<14 | 1<<15
)

func movRdDd(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	n := c.debugReg(in.Reg())
	v := c.s.DR[n]
	switch n {
	case 6:
		v = v&^dr6Zeros | dr6Ones
	case 7:
		v = v&^dr7Zeros | dr7Ones
	}
	c.s.Regs[in.RM()] = v
}

func movDdRd(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	n := c.debugReg(in.Reg())
	c.s.DR[n] = c.s.Regs[in.RM()]
	c.updateBreakpoints()
	c.events = true
}

// Test registers (386/486 MOV TRn) read as zero and ignore writes.
func movRdTd(c *CPU, in *decode.Inst) { c.requireCPL0(); c.s.Regs[in.RM()] = 0 }
func movTdRd(c *CPU, in *decode.Inst) { c.requireCPL0() }

func invd(c *CPU, in *decode.Inst) { c.requireCPL0() }
func invlpg(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	if !in.HasMem {
		c.raise(cpu.VecUD)
	}
	c.tlb.FlushPage(c.s.Seg[seg(in)].Base + c.ea(in))
}

// CPUID vendor and feature bits: only what is implemented is claimed.
const (
	featTSC  = 1 << 4
	featMSR  = 1 << 5
	featCX8  = 1 << 8
	featSEP  = 1 << 11
	featCMOV = 1 << 15
	featFPU  = 1 << 0
	featDE   = 1 << 2
	featPSE  = 1 << 3
	featPGE  = 1 << 13
	featAPIC = 1 << 9 // an enabled local APIC (Env.Intr is one)
	featMMX  = 1 << 23
	featFXSR = 1 << 24 // FXSAVE/FXRSTOR, CR4.OSFXSR
)

// localAPIC is an Env.Intr that is the CPU's local APIC
// (devices/apic.Local): IA32_APIC_BASE lives there, and its global enable
// bit is CPUID's APIC flag (SDM Vol. 3A, 10.4.3).
type localAPIC interface {
	APICBase() uint64
	SetAPICBase(v uint64) bool // false: reserved bits set (#GP)
}

// apic returns the CPU's local APIC, or nil: only a Pentium II has one.
func (c *CPU) apic() localAPIC {
	if a, ok := c.env.Intr.(localAPIC); ok && c.model >= cpu.ModelP2 {
		return a
	}
	return nil
}

func cpuid(c *CPU, in *decode.Inst) {
	leaf := c.s.Regs[cpu.EAX]
	var a, b, cx, d uint32
	switch leaf {
	case 0:
		a = 2
		b, d, cx = 0x756E6547, 0x49656E69, 0x6C65746E // "GenuineIntel"
	case 1:
		if c.model >= cpu.ModelP2 {
			// Family 6, model 5, stepping 2 (Deschutes): FXSAVE/FXRSTOR came
			// with the model 5 Pentium II; model 3 (Klamath) lacks FXSR.
			a = 0x0652
			d = featFPU | featDE | featPSE | featTSC | featMSR | featCX8 | featSEP | featPGE | featCMOV | featMMX | featFXSR
			// EBX[31:24], the initial APIC ID, is 0: the one CPU.
			if ap := c.apic(); ap != nil && ap.APICBase()&(1<<11) != 0 {
				d |= featAPIC
			}
		} else {
			a = 0x0543
			d = featFPU | featDE | featPSE | featTSC | featMSR | featCX8
		}
	case 2:
		if c.model >= cpu.ModelP2 {
			a = 0x03020101 // TLB and cache descriptors of a Pentium II
			d = 0x0C040843
		}
	}
	c.s.Regs[cpu.EAX], c.s.Regs[cpu.EBX], c.s.Regs[cpu.ECX], c.s.Regs[cpu.EDX] = a, b, cx, d
}

// cycles is the virtual cycle count: the clock's, which includes the
// time the machine idled with the CPU halted, plus the cycles of the
// running slice not yet handed to it; the retired-instruction count when
// there is no clock. The time-stamp counter follows it, so the TSC keeps
// pace with the timers in virtual time (a guest that calibrates it
// against the PIT and later sleeps sees no jump).
func (c *CPU) cycles() uint64 {
	if c.env.Clock == nil {
		return c.s.Cycles
	}
	return c.env.Clock.Cycles() + c.s.Cycles - c.sliceBase
}

// tsc is the time-stamp counter: the virtual cycles moved by WRMSR 10h
// and RESET.
func (c *CPU) tsc() uint64 { return c.cycles() + c.tscOffset }

// setTSC makes the time-stamp counter read v now.
func (c *CPU) setTSC(v uint64) { c.tscOffset = v - c.cycles() }

// rdtsc returns the time-stamp counter (CR4.TSD restricts it to ring 0).
func rdtsc(c *CPU, in *decode.Inst) {
	if c.s.CR[4]&(1<<2) != 0 && c.cpl() != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	t := c.tsc()
	c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(t), uint32(t>>32)
}

// MSR numbers the CPU implements.
const (
	msrTSC         = 0x10
	msrAPICBase    = 0x1B // IA32_APIC_BASE, in the local APIC
	msrSysenterCS  = 0x174
	msrSysenterESP = 0x175
	msrSysenterEIP = 0x176
)

func rdmsr(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	var v uint64
	switch n := c.s.Regs[cpu.ECX]; n {
	case msrTSC:
		v = c.tsc()
	case msrSysenterCS, msrSysenterESP, msrSysenterEIP:
		if c.model < cpu.ModelP2 {
			c.raiseCode(cpu.VecGP, 0)
		}
		v = uint64(c.sysenter[n-msrSysenterCS])
	case msrAPICBase:
		a := c.apic()
		if a == nil {
			c.raiseCode(cpu.VecGP, 0)
		}
		v = a.APICBase()
	default:
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(v), uint32(v>>32)
}

func wrmsr(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	v := uint64(c.s.Regs[cpu.EDX])<<32 | uint64(c.s.Regs[cpu.EAX])
	switch n := c.s.Regs[cpu.ECX]; n {
	case msrTSC:
		c.setTSC(v)
	case msrSysenterCS, msrSysenterESP, msrSysenterEIP:
		if c.model < cpu.ModelP2 {
			c.raiseCode(cpu.VecGP, 0)
		}
		c.sysenter[n-msrSysenterCS] = uint32(v)
	case msrAPICBase:
		if a := c.apic(); a == nil || !a.SetAPICBase(v) {
			c.raiseCode(cpu.VecGP, 0)
		}
		c.events = true // the APIC page may have moved or gone
	default:
		c.raiseCode(cpu.VecGP, 0)
	}
}

// rdpmc: the performance counters are not modelled; counter 0 and 1 read
// as zero, others fault.
func rdpmc(c *CPU, in *decode.Inst) {
	if c.s.CR[4]&(1<<8) == 0 && c.cpl() != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	if c.s.Regs[cpu.ECX] > 1 {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = 0, 0
}

// flatSeg is a flat 4 GiB segment cache as SYSENTER/SYSEXIT load it.
func flatSeg(sel uint16, code bool, dpl uint16) cpu.Segment {
	a := cpu.AttrP | cpu.AttrS | cpu.AttrDB | cpu.AttrG | cpu.AttrAccessed | cpu.AttrWritable | dpl<<5
	if code {
		a |= cpu.AttrCode
	}
	return cpu.Segment{Selector: sel, Base: 0, Limit: 0xFFFFFFFF, Attr: a}
}

func sysenter(c *CPU, in *decode.Inst) {
	cs := uint16(c.sysenter[0])
	if !c.protectedMode() || cs&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.EFlags &^= cpu.FlagVM | cpu.FlagIF | cpu.FlagRF
	c.s.Seg[cpu.CS] = flatSeg(cs&^3, true, 0)
	c.s.Seg[cpu.SS] = flatSeg((cs&^3)+8, false, 0)
	c.s.Regs[cpu.ESP] = c.sysenter[1]
	c.s.EIP = c.sysenter[2]
}

func sysexit(c *CPU, in *decode.Inst) {
	cs := uint16(c.sysenter[0])
	if !c.protectedMode() || cs&^3 == 0 || c.cpl() != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.Seg[cpu.CS] = flatSeg((cs&^3)+16|3, true, 3)
	c.s.Seg[cpu.SS] = flatSeg((cs&^3)+24|3, false, 3)
	c.s.Regs[cpu.ESP] = c.s.Regs[cpu.ECX]
	c.s.EIP = c.s.Regs[cpu.EDX]
}
