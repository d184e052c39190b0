package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
	"ringzero/cpu/x87"
)

// The x87 escape opcodes D8-DF and FWAIT. The arithmetic lives in package
// x87; this file does the CPU's part: #NM, #UD, pending-exception
// reporting (#MF or FERR#/IRQ 13 by CR0.NE), and the memory operand.

// hasFPU reports an on-chip FPU (486 and later). Older models behave as
// a PC with an empty coprocessor socket: escapes are no-ops.
func (c *CPU) hasFPU() bool { return c.model >= cpu.Model486 }

// fpuError reports a pending unmasked x87 exception: #MF with CR0.NE set,
// else the FERR# line (IRQ 13 through the PIC) and the instruction goes on.
func (c *CPU) fpuError() {
	if c.s.CR[0]&cpu.CR0NE != 0 {
		c.raise(cpu.VecMF)
	}
	if c.env.FERR != nil {
		c.env.FERR(true)
		c.events = true
	}
}

// fpuMem is the memory operand of one x87 instruction. It faults by
// raising the guest exception directly: package x87 reads the whole
// operand before it changes any state and checks nothing after a write
// starts, so unwinding from inside Read or Write leaves the FPU as it was.
type fpuMem struct {
	c   *CPU
	seg int
	off uint32
	ad  uint32 // address-size mask
}

func (m *fpuMem) check(n int, write bool) {
	c := m.c
	if c.model >= cpu.Model286 {
		c.checkLimit(m.seg, m.off, uint32(n))
		if write && c.pm() {
			a := c.s.Seg[m.seg].Attr
			if a&cpu.AttrCode != 0 || a&cpu.AttrWritable == 0 {
				c.raiseCode(cpu.VecGP, 0)
			}
		}
	}
	if c.paging && n > 0 {
		// Probe both ends so a write is all or nothing.
		lin := c.s.Seg[m.seg].Base + m.off
		for _, a := range []uint32{lin, lin + uint32(n) - 1} {
			if _, f := c.tlb.Translate(a, c.access(write)); f != nil {
				c.pageFault(f)
			}
		}
	}
}

func (m *fpuMem) Read(p []byte) error {
	m.check(len(p), false)
	for i := range p {
		p[i] = byte(m.c.readLin(m.c.s.Seg[m.seg].Base+(m.off+uint32(i))&m.ad, 1))
	}
	return nil
}

func (m *fpuMem) Write(p []byte) error {
	m.check(len(p), true)
	for i, b := range p {
		m.c.writeLin(m.c.s.Seg[m.seg].Base+(m.off+uint32(i))&m.ad, 1, uint32(b))
	}
	return nil
}

// esc executes an x87 instruction (D8-DF).
func esc(c *CPU, in *decode.Inst) {
	if c.model >= cpu.Model286 && c.s.CR[0]&(cpu.CR0EM|cpu.CR0TS) != 0 {
		c.raise(cpu.VecNM)
	}
	if !c.hasFPU() {
		if in.HasMem && c.model >= cpu.Model286 {
			// The CPU checks the operand's first word against the
			// segment limit before handing it to the coprocessor.
			c.checkLimit(seg(in), c.ea(in), 2)
		}
		return
	}
	xi := x87.Inst{
		Opcode: uint8(in.Opcode),
		ModRM:  in.ModRM,
		Op16:   in.OpSize == 2,
		Real:   !c.pm(),
		CS:     c.s.Seg[cpu.CS].Selector,
		EIP:    c.startEIP,
	}
	var mem x87.Mem
	if in.HasMem {
		s := seg(in)
		xi.DS, xi.EA = c.s.Seg[s].Selector, c.ea(in)
		mem = &fpuMem{c: c, seg: s, off: xi.EA, ad: c.adMask(in)}
	}
	d := x87.Describe(xi)
	if !d.Valid {
		c.raise(cpu.VecUD)
	}
	if d.Waits && c.s.FPU.Pending() {
		c.fpuError()
	}
	regs := x87.Regs{EFlags: c.s.EFlags, AX: uint16(c.s.Regs[cpu.EAX])}
	if err := c.s.FPU.Exec(xi, &regs, mem); err != nil {
		c.raise(cpu.VecUD)
	}
	const arith = cpu.FlagCF | cpu.FlagPF | cpu.FlagAF | cpu.FlagZF | cpu.FlagSF | cpu.FlagOF
	c.s.EFlags = c.s.EFlags&^arith | regs.EFlags&arith
	c.setRegv(cpu.EAX, uint32(regs.AX), 2)
}

// wait (FWAIT): #NM when CR0.MP and CR0.TS are both set; then a pending
// unmasked x87 exception is reported.
func wait(c *CPU, in *decode.Inst) {
	if c.model >= cpu.Model286 && c.s.CR[0]&(cpu.CR0MP|cpu.CR0TS) == cpu.CR0MP|cpu.CR0TS {
		c.raise(cpu.VecNM)
	}
	if c.hasFPU() && c.s.FPU.Pending() {
		c.fpuError()
	}
}
