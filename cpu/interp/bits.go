package interp

import (
	"math/bits"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Bit instructions (BT, BTS, BTR, BTC, BSF, BSR) and the 486/Pentium
// atomics (XADD, CMPXCHG, CMPXCHG8B).

// bitOp applies op (0 BT, 1 BTS, 2 BTR, 3 BTC) to bit n of the r/m operand.
// With a register bit offset and a memory operand, the offset is signed
// and selects the word or dword relative to the effective address.
func (c *CPU) bitOp(in *decode.Inst, op uint8, n uint32, regOffset bool) {
	w := uint32(in.OpSize) * 8
	if !in.HasMem {
		v := c.regv(in.RM(), in.OpSize)
		bit := n & (w - 1)
		c.setFlag(cpu.FlagCF, v>>bit&1 != 0)
		if op != 0 {
			c.setRegv(in.RM(), applyBit(op, v, bit), in.OpSize)
		}
		return
	}
	off := c.ea(in)
	if regOffset {
		var disp int32
		if in.OpSize == 4 {
			disp = int32(n) >> 5 * 4
		} else {
			disp = int32(int16(n)) >> 4 * 2
		}
		off = (off + uint32(disp)) & c.adMask(in)
	}
	bit := n & (w - 1)
	s := seg(in)
	v := c.rdv(s, off, in.OpSize)
	c.setFlag(cpu.FlagCF, v>>bit&1 != 0)
	if op != 0 {
		c.wrv(s, off, applyBit(op, v, bit), in.OpSize)
	}
}

func applyBit(op uint8, v, bit uint32) uint32 {
	switch op {
	case 1:
		return v | 1<<bit
	case 2:
		return v &^ (1 << bit)
	default:
		return v ^ 1<<bit
	}
}

func btEvGv(c *CPU, in *decode.Inst)  { c.bitOp(in, 0, c.regv(in.Reg(), in.OpSize), true) }
func btsEvGv(c *CPU, in *decode.Inst) { c.bitOp(in, 1, c.regv(in.Reg(), in.OpSize), true) }
func btrEvGv(c *CPU, in *decode.Inst) { c.bitOp(in, 2, c.regv(in.Reg(), in.OpSize), true) }
func btcEvGv(c *CPU, in *decode.Inst) { c.bitOp(in, 3, c.regv(in.Reg(), in.OpSize), true) }

// btEvIb handles 0F BA /4-/7.
func btEvIb(c *CPU, in *decode.Inst) { c.bitOp(in, in.Reg()-4, in.Imm&0xFF, false) }

// bsf/bsr: ZF set and the destination unchanged for a zero source.
func bsf(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	if v == 0 {
		c.s.EFlags |= cpu.FlagZF
		return
	}
	c.s.EFlags &^= cpu.FlagZF
	c.setRegv(in.Reg(), uint32(bits.TrailingZeros32(v)), in.OpSize)
}

func bsr(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	if v == 0 {
		c.s.EFlags |= cpu.FlagZF
		return
	}
	c.s.EFlags &^= cpu.FlagZF
	c.setRegv(in.Reg(), uint32(31-bits.LeadingZeros32(v)), in.OpSize)
}

func xaddEbGb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	b := c.reg8(in.Reg())
	r := c.add(uint32(a), uint32(b), 0, 8)
	c.setReg8(in.Reg(), a)
	c.setRM8(in, off, uint8(r))
}

func xaddEvGv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	b := c.regv(in.Reg(), in.OpSize)
	r := c.add(a, b, 0, opBits(in.OpSize))
	c.setRegv(in.Reg(), a, in.OpSize)
	c.setRMv(in, off, r)
}

// cmpxchg always writes the destination (with its old value when the
// comparison fails), as the locked bus cycle does.
func cmpxchgEbGb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	acc := uint8(c.s.Regs[cpu.EAX])
	c.sub(uint32(acc), uint32(a), 0, 8)
	if acc == a {
		c.setRM8(in, off, c.reg8(in.Reg()))
		return
	}
	c.setRM8(in, off, a)
	c.setReg8(0, a)
}

func cmpxchgEvGv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	acc := c.regv(cpu.EAX, in.OpSize)
	c.sub(acc, a, 0, opBits(in.OpSize))
	if acc == a {
		c.setRMv(in, off, c.regv(in.Reg(), in.OpSize))
		return
	}
	c.setRMv(in, off, a)
	c.setRegv(cpu.EAX, a, in.OpSize)
}

func cmpxchg8b(c *CPU, in *decode.Inst) {
	if !in.HasMem {
		c.raise(cpu.VecUD)
	}
	off := c.ea(in)
	s := seg(in)
	lo := c.rd32(s, off)
	hi := c.rd32(s, off+4)
	if lo == c.s.Regs[cpu.EAX] && hi == c.s.Regs[cpu.EDX] {
		c.wr32(s, off, c.s.Regs[cpu.EBX])
		c.wr32(s, off+4, c.s.Regs[cpu.ECX])
		c.s.EFlags |= cpu.FlagZF
		return
	}
	c.wr32(s, off, lo)
	c.wr32(s, off+4, hi)
	c.s.Regs[cpu.EAX], c.s.Regs[cpu.EDX] = lo, hi
	c.s.EFlags &^= cpu.FlagZF
}
