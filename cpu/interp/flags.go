package interp

import "ringzero/cpu"

// Flag computation. Flags are computed eagerly, with exact results for the
// documented flags and, where the hardware suites define them, for the
// "undefined" ones too.

// parity[b] is FlagPF if byte b has an even number of set bits.
var parity [256]uint32

func init() {
	for i := range parity {
		n := 0
		for b := i; b != 0; b &= b - 1 {
			n++
		}
		if n%2 == 0 {
			parity[i] = cpu.FlagPF
		}
	}
}

// sizeMask and signBit by operand width in bits.
func sizeMask(bits uint) uint32 { return uint32(1<<bits - 1) }
func signBit(bits uint) uint32  { return 1 << (bits - 1) }

// szp returns SF, ZF and PF for result r of width bits.
func szp(r uint32, bits uint) uint32 {
	r &= sizeMask(bits)
	f := parity[r&0xFF]
	if r == 0 {
		f |= cpu.FlagZF
	}
	if r&signBit(bits) != 0 {
		f |= cpu.FlagSF
	}
	return f
}

// setArith replaces the six arithmetic flags with f.
func (c *CPU) setArith(f uint32) {
	c.s.EFlags = c.s.EFlags&^cpu.FlagsArith | f
}

// setFlag sets or clears one flag.
func (c *CPU) setFlag(f uint32, on bool) {
	if on {
		c.s.EFlags |= f
	} else {
		c.s.EFlags &^= f
	}
}

func (c *CPU) flag(f uint32) bool { return c.s.EFlags&f != 0 }

func (c *CPU) cf() uint32 { return c.s.EFlags & cpu.FlagCF }

// add computes a+b+carry with flags.
func (c *CPU) add(a, b, carry uint32, bits uint) uint32 {
	m := sizeMask(bits)
	a, b = a&m, b&m
	r64 := uint64(a) + uint64(b) + uint64(carry)
	r := uint32(r64) & m
	f := szp(r, bits) | (a^b^r)&cpu.FlagAF
	if r64>>bits != 0 {
		f |= cpu.FlagCF
	}
	if (a^r)&(b^r)&signBit(bits) != 0 {
		f |= cpu.FlagOF
	}
	c.setArith(f)
	return r
}

// sub computes a-b-borrow with flags.
func (c *CPU) sub(a, b, borrow uint32, bits uint) uint32 {
	m := sizeMask(bits)
	a, b = a&m, b&m
	r := (a - b - borrow) & m
	f := szp(r, bits) | (a^b^r)&cpu.FlagAF
	if uint64(a) < uint64(b)+uint64(borrow) {
		f |= cpu.FlagCF
	}
	if (a^b)&(a^r)&signBit(bits) != 0 {
		f |= cpu.FlagOF
	}
	c.setArith(f)
	return r
}

// logic sets flags for a logical result: CF=OF=0, AF cleared (undefined
// on hardware; the suites mask it).
func (c *CPU) logic(r uint32, bits uint) uint32 {
	r &= sizeMask(bits)
	c.setArith(szp(r, bits))
	return r
}

// alu performs group-1 operation op (ADD OR ADC SBB AND SUB XOR CMP) on a
// and b. For CMP the result is returned but must not be stored.
func (c *CPU) alu(op uint8, a, b uint32, bits uint) uint32 {
	switch op {
	case 0:
		return c.add(a, b, 0, bits)
	case 1:
		return c.logic(a|b, bits)
	case 2:
		return c.add(a, b, c.cf(), bits)
	case 3:
		return c.sub(a, b, c.cf(), bits)
	case 4:
		return c.logic(a&b, bits)
	case 5, 7:
		return c.sub(a, b, 0, bits)
	default:
		return c.logic(a^b, bits)
	}
}

// cond evaluates condition code cc (the low nibble of Jcc/SETcc/CMOVcc).
func (c *CPU) cond(cc uint8) bool {
	f := c.s.EFlags
	var r bool
	switch cc >> 1 {
	case 0:
		r = f&cpu.FlagOF != 0
	case 1:
		r = f&cpu.FlagCF != 0
	case 2:
		r = f&cpu.FlagZF != 0
	case 3:
		r = f&(cpu.FlagCF|cpu.FlagZF) != 0
	case 4:
		r = f&cpu.FlagSF != 0
	case 5:
		r = f&cpu.FlagPF != 0
	case 6:
		r = (f&cpu.FlagSF != 0) != (f&cpu.FlagOF != 0)
	default:
		r = f&cpu.FlagZF != 0 || (f&cpu.FlagSF != 0) != (f&cpu.FlagOF != 0)
	}
	return r != (cc&1 != 0)
}

// opBits returns the operand width in bits for a v-sized operand.
func opBits(size uint8) uint { return uint(size) * 8 }
