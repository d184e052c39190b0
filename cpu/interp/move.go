package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Data movement: MOV, LEA, XCHG, XLAT, the far-pointer loads, MOVZX/MOVSX,
// CMOVcc, SETcc and BSWAP.

func movEbGb(c *CPU, in *decode.Inst) {
	c.setRM8(in, c.eaIfMem(in), c.reg8(in.Reg()))
}

func movEvGv(c *CPU, in *decode.Inst) {
	c.setRMv(in, c.eaIfMem(in), c.regv(in.Reg(), in.OpSize))
}

func movGbEb(c *CPU, in *decode.Inst) {
	v, _ := c.rm8(in)
	c.setReg8(in.Reg(), v)
}

func movGvEv(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	c.setRegv(in.Reg(), v, in.OpSize)
}

func movEbIb(c *CPU, in *decode.Inst) { c.setRM8(in, c.eaIfMem(in), uint8(in.Imm)) }
func movEvIz(c *CPU, in *decode.Inst) { c.setRMv(in, c.eaIfMem(in), in.Imm) }
func movZbIb(c *CPU, in *decode.Inst) { c.setReg8(uint8(in.Opcode&7), uint8(in.Imm)) }
func movZvIz(c *CPU, in *decode.Inst) { c.setRegv(uint8(in.Opcode&7), in.Imm, in.OpSize) }

// eaIfMem returns the memory operand's offset (0 for a register operand).
func (c *CPU) eaIfMem(in *decode.Inst) uint32 {
	if in.HasMem {
		return c.ea(in)
	}
	return 0
}

// Moffs forms: the address is Disp, in the override segment or DS.
func movALOb(c *CPU, in *decode.Inst) { c.setReg8(0, c.rd8(seg(in), c.ea(in))) }
func movObAL(c *CPU, in *decode.Inst) { c.wr8(seg(in), c.ea(in), uint8(c.s.Regs[cpu.EAX])) }
func movEAXOv(c *CPU, in *decode.Inst) {
	c.setRegv(cpu.EAX, c.rdv(seg(in), c.ea(in), in.OpSize), in.OpSize)
}
func movOvEAX(c *CPU, in *decode.Inst) {
	c.wrv(seg(in), c.ea(in), c.s.Regs[cpu.EAX], in.OpSize)
}

// segRegCount is the number of segment registers the model has.
func (c *CPU) segRegCount() uint8 {
	if c.model >= cpu.Model386 {
		return 6
	}
	return 4
}

// sregOf decodes the ModRM reg field of MOV Sw: the 8086/186 ignore bit
// 2; the 286+ raise #UD for registers they lack.
func (c *CPU) sregOf(in *decode.Inst) int {
	r := in.Reg()
	if c.model < cpu.Model286 {
		return int(r & 3)
	}
	if r >= c.segRegCount() {
		c.raise(cpu.VecUD)
	}
	return int(r)
}

func movEvSw(c *CPU, in *decode.Inst) {
	v := uint32(c.s.Seg[c.sregOf(in)].Selector)
	if in.HasMem {
		c.wr16(seg(in), c.ea(in), uint16(v))
		return
	}
	if in.OpSize == 4 {
		// 386+: a 32-bit register destination gets the zero-extended
		// selector (the P6 behaviour).
		c.s.Regs[in.RM()] = v
		return
	}
	c.setRegv(in.RM(), v, 2)
}

func movSwEw(c *CPU, in *decode.Inst) {
	s := c.sregOf(in)
	v, _ := c.rm16(in)
	if s == cpu.CS {
		if c.model >= cpu.Model286 {
			c.raise(cpu.VecUD)
		}
		c.loadSegReal(cpu.CS, v) // the 8086 really does load CS
		return
	}
	c.loadSeg(s, v)
}

func lea(c *CPU, in *decode.Inst) {
	if !in.HasMem {
		if c.model >= cpu.Model286 {
			c.raise(cpu.VecUD)
		}
		// The 8086 with a register operand stores the last effective
		// address it computed.
		c.setRegv(in.Reg(), c.lastEA, in.OpSize)
		return
	}
	c.setRegv(in.Reg(), c.ea(in), in.OpSize)
}

// loadFar handles LES, LDS, LSS, LFS, LGS.
func loadFar(s int) func(*CPU, *decode.Inst) {
	return func(c *CPU, in *decode.Inst) {
		off, sel := c.farPointer(in)
		c.loadSeg(s, sel)
		c.setRegv(in.Reg(), off, in.OpSize)
	}
}

func xchgEbGb(c *CPU, in *decode.Inst) {
	a, off := c.rm8(in)
	b := c.reg8(in.Reg())
	c.setRM8(in, off, b)
	c.setReg8(in.Reg(), a)
}

func xchgEvGv(c *CPU, in *decode.Inst) {
	a, off := c.rmv(in)
	b := c.regv(in.Reg(), in.OpSize)
	c.setRMv(in, off, b)
	c.setRegv(in.Reg(), a, in.OpSize)
}

func xchgZvEAX(c *CPU, in *decode.Inst) {
	r := uint8(in.Opcode & 7)
	a := c.regv(r, in.OpSize)
	c.setRegv(r, c.regv(cpu.EAX, in.OpSize), in.OpSize)
	c.setRegv(cpu.EAX, a, in.OpSize)
}

func xlat(c *CPU, in *decode.Inst) {
	off := (c.s.Regs[cpu.EBX] + c.s.Regs[cpu.EAX]&0xFF) & c.adMask(in)
	c.setReg8(0, c.rd8(srcSeg(in), off))
}

func nop(c *CPU, in *decode.Inst) {}

func movzxGvEb(c *CPU, in *decode.Inst) {
	v, _ := c.rm8(in)
	c.setRegv(in.Reg(), uint32(v), in.OpSize)
}

func movzxGvEw(c *CPU, in *decode.Inst) {
	v, _ := c.rm16(in)
	c.setRegv(in.Reg(), uint32(v), in.OpSize)
}

func movsxGvEb(c *CPU, in *decode.Inst) {
	v, _ := c.rm8(in)
	c.setRegv(in.Reg(), uint32(int32(int8(v))), in.OpSize)
}

func movsxGvEw(c *CPU, in *decode.Inst) {
	v, _ := c.rm16(in)
	c.setRegv(in.Reg(), uint32(int32(int16(v))), in.OpSize)
}

// cmovcc reads its source even when the condition is false (a memory
// source can fault either way); a 32-bit destination is written only when
// the condition holds.
func cmovcc(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	if c.cond(uint8(in.Opcode & 0xF)) {
		c.setRegv(in.Reg(), v, in.OpSize)
	}
}

func setcc(c *CPU, in *decode.Inst) {
	v := uint8(0)
	if c.cond(uint8(in.Opcode & 0xF)) {
		v = 1
	}
	c.setRM8(in, c.eaIfMem(in), v)
}

func bswap(c *CPU, in *decode.Inst) {
	r := uint8(in.Opcode & 7)
	v := c.s.Regs[r]
	if in.OpSize == 2 {
		// Undefined by the SDM; real CPUs clear the 16-bit register.
		c.setRegv(r, 0, 2)
		return
	}
	c.s.Regs[r] = v>>24 | v>>8&0xFF00 | v<<8&0xFF0000 | v<<24
}
