package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Integer arithmetic and logic: the group-1 ALU operations in all their
// encodings, INC/DEC, NOT/NEG, TEST, and sign extensions.

// aluOpOf returns the group-1 operation of a one-byte ALU opcode 00-3F.
func aluOpOf(in *decode.Inst) uint8 { return uint8(in.Opcode>>3) & 7 }

func aluEbGb(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	a, off := c.rm8(in)
	r := c.alu(op, uint32(a), uint32(c.reg8(in.Reg())), 8)
	if op != 7 {
		c.setRM8(in, off, uint8(r))
	}
}

func aluEvGv(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	a, off := c.rmv(in)
	r := c.alu(op, a, c.regv(in.Reg(), in.OpSize), opBits(in.OpSize))
	if op != 7 {
		c.setRMv(in, off, r)
	}
}

func aluGbEb(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	b, _ := c.rm8(in)
	r := c.alu(op, uint32(c.reg8(in.Reg())), uint32(b), 8)
	if op != 7 {
		c.setReg8(in.Reg(), uint8(r))
	}
}

func aluGvEv(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	b, _ := c.rmv(in)
	r := c.alu(op, c.regv(in.Reg(), in.OpSize), b, opBits(in.OpSize))
	if op != 7 {
		c.setRegv(in.Reg(), r, in.OpSize)
	}
}

func aluALIb(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	r := c.alu(op, c.s.Regs[cpu.EAX]&0xFF, in.Imm, 8)
	if op != 7 {
		c.setReg8(0, uint8(r))
	}
}

func aluEAXIz(c *CPU, in *decode.Inst) {
	op := aluOpOf(in)
	r := c.alu(op, c.regv(cpu.EAX, in.OpSize), in.Imm, opBits(in.OpSize))
	if op != 7 {
		c.setRegv(cpu.EAX, r, in.OpSize)
	}
}

// grp1Eb handles 80 and 82: op Eb,Ib.
func grp1Eb(c *CPU, in *decode.Inst) {
	op := in.Reg()
	a, off := c.rm8(in)
	r := c.alu(op, uint32(a), in.Imm, 8)
	if op != 7 {
		c.setRM8(in, off, uint8(r))
	}
}

// grp1Ev handles 81 (Iz) and 83 (sign-extended Ib).
func grp1Ev(c *CPU, in *decode.Inst) {
	op := in.Reg()
	a, off := c.rmv(in)
	r := c.alu(op, a, in.Imm, opBits(in.OpSize))
	if op != 7 {
		c.setRMv(in, off, r)
	}
}

func testEbGb(c *CPU, in *decode.Inst) {
	a, _ := c.rm8(in)
	c.logic(uint32(a&c.reg8(in.Reg())), 8)
}

func testEvGv(c *CPU, in *decode.Inst) {
	a, _ := c.rmv(in)
	c.logic(a&c.regv(in.Reg(), in.OpSize), opBits(in.OpSize))
}

func testALIb(c *CPU, in *decode.Inst) { c.logic(c.s.Regs[cpu.EAX]&in.Imm, 8) }

func testEAXIz(c *CPU, in *decode.Inst) {
	c.logic(c.regv(cpu.EAX, in.OpSize)&in.Imm, opBits(in.OpSize))
}

func testEbIb(c *CPU, in *decode.Inst) {
	a, _ := c.rm8(in)
	c.logic(uint32(a)&in.Imm, 8)
}

func testEvIz(c *CPU, in *decode.Inst) {
	a, _ := c.rmv(in)
	c.logic(a&in.Imm, opBits(in.OpSize))
}

// incdec adds +1 or -1 keeping CF.
func (c *CPU) incdec(v uint32, dec bool, bits uint) uint32 {
	cf := c.cf()
	var r uint32
	if dec {
		r = c.sub(v, 1, 0, bits)
	} else {
		r = c.add(v, 1, 0, bits)
	}
	c.s.EFlags = c.s.EFlags&^cpu.FlagCF | cf
	return r
}

func incZv(c *CPU, in *decode.Inst) {
	r := uint8(in.Opcode & 7)
	c.setRegv(r, c.incdec(c.regv(r, in.OpSize), false, opBits(in.OpSize)), in.OpSize)
}

func decZv(c *CPU, in *decode.Inst) {
	r := uint8(in.Opcode & 7)
	c.setRegv(r, c.incdec(c.regv(r, in.OpSize), true, opBits(in.OpSize)), in.OpSize)
}

func incdecEb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	c.setRM8(in, off, uint8(c.incdec(uint32(a), in.Reg() == 1, 8)))
}

func incdecEv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	c.setRMv(in, off, c.incdec(a, in.Reg() == 1, opBits(in.OpSize)))
}

func notEb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	c.setRM8(in, off, ^a)
}

func notEv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	c.setRMv(in, off, ^a)
}

func negEb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	c.setRM8(in, off, uint8(c.sub(0, uint32(a), 0, 8)))
}

func negEv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	c.setRMv(in, off, c.sub(0, a, 0, opBits(in.OpSize)))
}

// cbw: CBW (AL→AX) or CWDE (AX→EAX) by operand size.
func cbw(c *CPU, in *decode.Inst) {
	if in.OpSize == 4 {
		c.s.Regs[cpu.EAX] = uint32(int32(int16(c.s.Regs[cpu.EAX])))
		return
	}
	c.setRegv(cpu.EAX, uint32(int16(int8(c.s.Regs[cpu.EAX]))), 2)
}

// cwd: CWD (AX→DX:AX) or CDQ (EAX→EDX:EAX).
func cwd(c *CPU, in *decode.Inst) {
	if in.OpSize == 4 {
		c.s.Regs[cpu.EDX] = uint32(int32(c.s.Regs[cpu.EAX]) >> 31)
		return
	}
	c.setRegv(cpu.EDX, uint32(int32(int16(c.s.Regs[cpu.EAX]))>>16), 2)
}

// Flag instructions.

func clc(c *CPU, in *decode.Inst) { c.s.EFlags &^= cpu.FlagCF }
func stc(c *CPU, in *decode.Inst) { c.s.EFlags |= cpu.FlagCF }
func cmc(c *CPU, in *decode.Inst) { c.s.EFlags ^= cpu.FlagCF }
func cld(c *CPU, in *decode.Inst) { c.s.EFlags &^= cpu.FlagDF }
func std(c *CPU, in *decode.Inst) { c.s.EFlags |= cpu.FlagDF }

func sahf(c *CPU, in *decode.Inst) {
	const m = cpu.FlagSF | cpu.FlagZF | cpu.FlagAF | cpu.FlagPF | cpu.FlagCF
	c.s.EFlags = c.s.EFlags&^m | uint32(c.reg8(4))&m
}

func lahf(c *CPU, in *decode.Inst) { c.setReg8(4, uint8(c.readFlags())) }

// salc: undocumented SALC/SETALC, AL = CF ? FF : 00.
func salc(c *CPU, in *decode.Inst) {
	if c.flag(cpu.FlagCF) {
		c.setReg8(0, 0xFF)
	} else {
		c.setReg8(0, 0)
	}
}
