package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Shifts and rotates (group 2), the 8086's undocumented SETMO/SETMOC, and
// the 386 double shifts.
//
// The 8086 uses the whole CL count and loops once per bit; the 186 and
// later mask the count to 5 bits first. Looping keeps the intermediate
// CF/OF the hardware leaves for every count.

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// shiftCount masks a shift count by model.
func (c *CPU) shiftCount(n uint32) uint32 {
	if c.model >= cpu.Model186 {
		return n & 0x1F
	}
	return n & 0xFF
}

// shift performs group-2 operation op on v by count (already masked).
func (c *CPU) shift(op uint8, v, count uint32, bits uint) uint32 {
	if count == 0 {
		return v
	}
	m, sb := sizeMask(bits), signBit(bits)
	v &= m
	cf := c.flag(cpu.FlagCF)
	// For RCL/RCR the effective count is modulo bits+1 and for ROL/ROR
	// modulo bits; reducing keeps the loop short on 32-bit operands
	// without changing the result.
	switch op {
	case 0, 1:
		if count > uint32(bits) {
			count = (count-1)%uint32(bits) + 1
		}
	case 2, 3:
		if count > uint32(bits)+1 {
			count = (count-1)%(uint32(bits)+1) + 1
		}
	}
	var of bool
	switch op {
	case 0: // ROL
		for i := uint32(0); i < count; i++ {
			cf = v&sb != 0
			v = (v<<1 | b2u(cf)) & m
		}
		of = (v&sb != 0) != cf
	case 1: // ROR
		for i := uint32(0); i < count; i++ {
			cf = v&1 != 0
			v = v >> 1
			if cf {
				v |= sb
			}
		}
		of = (v&sb != 0) != (v&(sb>>1) != 0)
	case 2: // RCL
		for i := uint32(0); i < count; i++ {
			out := v&sb != 0
			v = (v<<1 | b2u(cf)) & m
			cf = out
		}
		of = (v&sb != 0) != cf
	case 3: // RCR
		for i := uint32(0); i < count; i++ {
			out := v&1 != 0
			v >>= 1
			if cf {
				v |= sb
			}
			cf = out
		}
		of = (v&sb != 0) != (v&(sb>>1) != 0)
	case 4, 6: // SHL, SAL
		for i := uint32(0); i < count; i++ {
			cf = v&sb != 0
			v = (v << 1) & m
		}
		of = (v&sb != 0) != cf
	case 5: // SHR
		for i := uint32(0); i < count; i++ {
			cf = v&1 != 0
			v >>= 1
		}
		of = (v&sb != 0) != (v&(sb>>1) != 0)
	case 7: // SAR
		for i := uint32(0); i < count; i++ {
			cf = v&1 != 0
			v = v>>1 | v&sb
		}
		of = false
	}
	f := c.s.EFlags &^ (cpu.FlagCF | cpu.FlagOF)
	if cf {
		f |= cpu.FlagCF
	}
	if of {
		f |= cpu.FlagOF
	}
	if op >= 4 {
		// Shifts also set SF, ZF and PF; AF is left clear (undefined).
		f = f&^(cpu.FlagSF|cpu.FlagZF|cpu.FlagPF|cpu.FlagAF) | szp(v, bits)
	}
	c.s.EFlags = f
	return v
}

// setmo is the 8086's undocumented group-2 /6: the operand becomes all
// ones, with flags as a logical OR of all ones.
func (c *CPU) setmo(bits uint) uint32 {
	r := sizeMask(bits)
	c.logic(r, bits)
	return r
}

// shiftCountOf returns the count of a group-2 instruction.
func (c *CPU) shiftCountOf(in *decode.Inst) uint32 {
	switch in.Opcode {
	case 0xD0, 0xD1:
		return 1
	case 0xD2, 0xD3:
		return c.shiftCount(c.s.Regs[cpu.ECX] & 0xFF)
	default: // C0, C1
		return c.shiftCount(in.Imm)
	}
}

func grp2Eb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	c.setRM8(in, off, uint8(c.shift(in.Reg(), uint32(a), c.shiftCountOf(in), 8)))
}

func grp2Ev(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	c.setRMv(in, off, c.shift(in.Reg(), a, c.shiftCountOf(in), opBits(in.OpSize)))
}

func setmoEb(c *CPU, in *decode.Inst) {
	_, off := c.rm8(in)
	if in.Opcode == 0xD2 && c.s.Regs[cpu.ECX]&0xFF == 0 {
		return
	}
	c.setRM8(in, off, uint8(c.setmo(8)))
}

func setmoEv(c *CPU, in *decode.Inst) {
	_, off := c.rmv(in)
	if in.Opcode == 0xD3 && c.s.Regs[cpu.ECX]&0xFF == 0 {
		return
	}
	c.setRMv(in, off, c.setmo(opBits(in.OpSize)))
}

// shld/shrd: 386 double-precision shifts (count masked to 5 bits; counts
// above the operand size leave an undefined result, computed here as the
// 386 does by shifting through a 32-bit temporary).
func (c *CPU) dshift(in *decode.Inst, left bool, count uint32) {
	count &= 0x1F
	a, off := c.rmv(in)
	b := c.regv(in.Reg(), in.OpSize)
	if count == 0 {
		return
	}
	bits := opBits(in.OpSize)
	var r uint32
	var cf bool
	if bits == 16 {
		// 16-bit operands shift through the 48-bit value a:b:a, which
		// also gives the 386's results for counts above 16.
		x := uint64(a&0xFFFF)<<32 | uint64(b&0xFFFF)<<16 | uint64(a&0xFFFF)
		if left {
			x <<= count
			r = uint32(x>>32) & 0xFFFF
			cf = (x>>48)&1 != 0
		} else {
			r = uint32(x>>count) & 0xFFFF
			cf = (x>>(count-1))&1 != 0
		}
	} else {
		if left {
			r = a<<count | b>>(32-count)
			cf = (a>>(32-count))&1 != 0
		} else {
			r = a>>count | b<<(32-count)
			cf = (a>>(count-1))&1 != 0
		}
	}
	sb := signBit(bits)
	f := szp(r, bits)
	if cf {
		f |= cpu.FlagCF
	}
	if (r^a)&sb != 0 {
		f |= cpu.FlagOF
	}
	c.setArith(f)
	c.setRMv(in, off, r)
}

func shldIb(c *CPU, in *decode.Inst) { c.dshift(in, true, in.Imm) }
func shldCL(c *CPU, in *decode.Inst) { c.dshift(in, true, c.s.Regs[cpu.ECX]) }
func shrdIb(c *CPU, in *decode.Inst) { c.dshift(in, false, in.Imm) }
func shrdCL(c *CPU, in *decode.Inst) { c.dshift(in, false, c.s.Regs[cpu.ECX]) }
