package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Multiplication, division and the BCD adjustments.

// repNegates reports the 8086 microcode quirk: a REP/REPNE prefix on
// IMUL/IDIV negates the result (the prefix toggles the internal sign flag
// the microcode uses).
func (c *CPU) repNegates(in *decode.Inst) bool {
	return c.model < cpu.Model186 && in.Prefixes&(decode.PfxRep|decode.PfxRepne) != 0
}

// mulFlags sets CF=OF=overflow and the other flags from the low half as
// the hardware leaves them (SF/ZF/PF from the result's low half, AF clear).
func (c *CPU) mulFlags(overflow bool, lo uint32, bits uint) {
	f := szp(lo, bits)
	if c.model < cpu.Model286 {
		// The 8086 leaves ZF clear after MUL/IMUL unless the high half
		// is zero… the suites mask these; keep SZP of the low half.
		f = szp(lo, bits)
	}
	if overflow {
		f |= cpu.FlagCF | cpu.FlagOF
	}
	c.setArith(f)
}

func mulEb(c *CPU, in *decode.Inst) {
	b, _ := c.rm8(in)
	r := uint32(uint8(c.s.Regs[cpu.EAX])) * uint32(b)
	c.setRegv(cpu.EAX, r, 2)
	c.mulFlags(r>>8 != 0, r&0xFF, 8)
}

func imulEb(c *CPU, in *decode.Inst) {
	b, _ := c.rm8(in)
	r := int32(int8(c.s.Regs[cpu.EAX])) * int32(int8(b))
	if c.repNegates(in) {
		r = -r
	}
	c.setRegv(cpu.EAX, uint32(r), 2)
	c.mulFlags(r != int32(int8(r)), uint32(r)&0xFF, 8)
}

func mulEv(c *CPU, in *decode.Inst) {
	b, _ := c.rmv(in)
	if in.OpSize == 4 {
		r := uint64(c.s.Regs[cpu.EAX]) * uint64(b)
		c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(r), uint32(r>>32)
		c.mulFlags(r>>32 != 0, uint32(r), 32)
		return
	}
	r := (c.s.Regs[cpu.EAX] & 0xFFFF) * b
	c.setRegv(cpu.EAX, r, 2)
	c.setRegv(cpu.EDX, r>>16, 2)
	c.mulFlags(r>>16 != 0, r&0xFFFF, 16)
}

func imulEv(c *CPU, in *decode.Inst) {
	b, _ := c.rmv(in)
	if in.OpSize == 4 {
		r := int64(int32(c.s.Regs[cpu.EAX])) * int64(int32(b))
		c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(r), uint32(r>>32)
		c.mulFlags(r != int64(int32(r)), uint32(r), 32)
		return
	}
	r := int32(int16(c.s.Regs[cpu.EAX])) * int32(int16(b))
	if c.repNegates(in) {
		r = -r
	}
	c.setRegv(cpu.EAX, uint32(r), 2)
	c.setRegv(cpu.EDX, uint32(r)>>16, 2)
	c.mulFlags(r != int32(int16(r)), uint32(r)&0xFFFF, 16)
}

// imul3 is IMUL Gv,Ev,Iz / IMUL Gv,Ev,Ibs / IMUL Gv,Ev (Imm from the
// register for the two-operand 0F AF form).
func imul3(c *CPU, in *decode.Inst, imm uint32) {
	a, _ := c.rmv(in)
	if in.OpSize == 4 {
		r := int64(int32(a)) * int64(int32(imm))
		c.setRegv(in.Reg(), uint32(r), 4)
		c.mulFlags(r != int64(int32(r)), uint32(r), 32)
		return
	}
	r := int32(int16(a)) * int32(int16(imm))
	c.setRegv(in.Reg(), uint32(r), 2)
	c.mulFlags(r != int32(int16(r)), uint32(r)&0xFFFF, 16)
}

func imulGvEvI(c *CPU, in *decode.Inst) { imul3(c, in, in.Imm) }

func imulGvEv(c *CPU, in *decode.Inst) { imul3(c, in, c.regv(in.Reg(), in.OpSize)) }

// divFault raises #DE. The 8086/186 push the address of the next
// instruction; the 286 and later that of the divide itself (a fault).
func (c *CPU) divFault() { c.raise(cpu.VecDE) }

func divEb(c *CPU, in *decode.Inst) {
	b, _ := c.rm8(in)
	a := c.s.Regs[cpu.EAX] & 0xFFFF
	if b == 0 {
		c.divFault()
	}
	q, r := a/uint32(b), a%uint32(b)
	if q > 0xFF {
		c.divFault()
	}
	c.setReg8(0, uint8(q))
	c.setReg8(4, uint8(r))
}

func idivEb(c *CPU, in *decode.Inst) {
	b, _ := c.rm8(in)
	a := int32(int16(c.s.Regs[cpu.EAX]))
	if b == 0 {
		c.divFault()
	}
	q, r := a/int32(int8(b)), a%int32(int8(b))
	if c.repNegates(in) {
		q = -q
	}
	if q > 127 || q < -128 || (q == -128 && c.model < cpu.Model286) {
		c.divFault()
	}
	c.setReg8(0, uint8(q))
	c.setReg8(4, uint8(r))
}

func divEv(c *CPU, in *decode.Inst) {
	b, _ := c.rmv(in)
	if b == 0 {
		c.divFault()
	}
	if in.OpSize == 4 {
		a := uint64(c.s.Regs[cpu.EDX])<<32 | uint64(c.s.Regs[cpu.EAX])
		q, r := a/uint64(b), a%uint64(b)
		if q > 0xFFFFFFFF {
			c.divFault()
		}
		c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(q), uint32(r)
		return
	}
	a := (c.s.Regs[cpu.EDX]&0xFFFF)<<16 | c.s.Regs[cpu.EAX]&0xFFFF
	q, r := a/b, a%b
	if q > 0xFFFF {
		c.divFault()
	}
	c.setRegv(cpu.EAX, q, 2)
	c.setRegv(cpu.EDX, r, 2)
}

func idivEv(c *CPU, in *decode.Inst) {
	b, _ := c.rmv(in)
	if b == 0 {
		c.divFault()
	}
	if in.OpSize == 4 {
		a := int64(uint64(c.s.Regs[cpu.EDX])<<32 | uint64(c.s.Regs[cpu.EAX]))
		d := int64(int32(b))
		if a == -1<<63 && d == -1 {
			c.divFault()
		}
		q, r := a/d, a%d
		if q != int64(int32(q)) {
			c.divFault()
		}
		c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = uint32(q), uint32(r)
		return
	}
	a := int32((c.s.Regs[cpu.EDX]&0xFFFF)<<16 | c.s.Regs[cpu.EAX]&0xFFFF)
	d := int32(int16(b))
	if a == -1<<31 && d == -1 {
		c.divFault()
	}
	q, r := a/d, a%d
	if c.repNegates(in) {
		q = -q
	}
	if q > 32767 || q < -32768 || (q == -32768 && c.model < cpu.Model286) {
		c.divFault()
	}
	c.setRegv(cpu.EAX, uint32(q), 2)
	c.setRegv(cpu.EDX, uint32(r), 2)
}

// BCD adjustments (SDM Vol. 2 DAA/DAS/AAA/AAS/AAM/AAD).

func daa(c *CPU, in *decode.Inst) {
	al := uint8(c.s.Regs[cpu.EAX])
	oldAL, oldCF, af := al, c.flag(cpu.FlagCF), c.flag(cpu.FlagAF)
	cf := false
	if al&0xF > 9 || af {
		cf = oldCF || al > 0xF9
		al += 6
		af = true
	} else {
		af = false
	}
	hi := uint8(0x99)
	if c.model < cpu.Model286 && af {
		hi = 0x9F
	}
	if oldAL > hi || oldCF {
		al += 0x60
		cf = true
	}
	c.setReg8(0, al)
	f := szp(uint32(al), 8)
	if af {
		f |= cpu.FlagAF
	}
	if cf {
		f |= cpu.FlagCF
	}
	c.setArith(f)
}

func das(c *CPU, in *decode.Inst) {
	al := uint8(c.s.Regs[cpu.EAX])
	oldAL, oldCF, af := al, c.flag(cpu.FlagCF), c.flag(cpu.FlagAF)
	cf := false
	hi := uint8(0x99)
	if c.model < cpu.Model286 && af {
		// The 8086 compares against 9Fh when AF was set on entry, and
		// its first adjustment does not borrow into CF.
		hi = 0x9F
	}
	if al&0xF > 9 || af {
		if c.model >= cpu.Model286 {
			cf = oldCF || al < 6
		}
		al -= 6
		af = true
	} else {
		af = false
	}
	if oldAL > hi || oldCF {
		al -= 0x60
		cf = true
	}
	c.setReg8(0, al)
	f := szp(uint32(al), 8)
	if af {
		f |= cpu.FlagAF
	}
	if cf {
		f |= cpu.FlagCF
	}
	c.setArith(f)
}

func aaa(c *CPU, in *decode.Inst) {
	ax := uint16(c.s.Regs[cpu.EAX])
	if ax&0xF > 9 || c.flag(cpu.FlagAF) {
		if c.model < cpu.Model286 {
			ax = (ax+0x100)&0xFF00 | (ax+6)&0xFF
		} else {
			ax += 0x106
		}
		c.setArith(cpu.FlagAF | cpu.FlagCF | szp(uint32(ax&0xFF), 8))
	} else {
		c.setArith(szp(uint32(ax&0xFF), 8))
	}
	c.setRegv(cpu.EAX, uint32(ax&0xFF0F), 2)
}

func aas(c *CPU, in *decode.Inst) {
	ax := uint16(c.s.Regs[cpu.EAX])
	if ax&0xF > 9 || c.flag(cpu.FlagAF) {
		if c.model < cpu.Model286 {
			ax = (ax-0x100)&0xFF00 | (ax-6)&0xFF
		} else {
			ax -= 6
			ax -= 0x100
		}
		c.setArith(cpu.FlagAF | cpu.FlagCF | szp(uint32(ax&0xFF), 8))
	} else {
		c.setArith(szp(uint32(ax&0xFF), 8))
	}
	c.setRegv(cpu.EAX, uint32(ax&0xFF0F), 2)
}

// aam divides AL by any base (D4 ib); base 0 raises #DE.
func aam(c *CPU, in *decode.Inst) {
	base := uint8(in.Imm)
	if base == 0 {
		c.divFault()
	}
	al := uint8(c.s.Regs[cpu.EAX])
	c.setReg8(4, al/base)
	c.setReg8(0, al%base)
	c.setArith(szp(uint32(al%base), 8))
}

// aad multiplies AH by any base and adds it to AL (D5 ib); the flags are
// those of the final 8-bit addition.
func aad(c *CPU, in *decode.Inst) {
	al, ah := uint32(uint8(c.s.Regs[cpu.EAX])), uint32(c.reg8(4))
	r := c.add(al, (ah*(in.Imm&0xFF))&0xFF, 0, 8)
	c.setRegv(cpu.EAX, r&0xFF, 2)
}
