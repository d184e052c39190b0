package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Stack instructions: PUSH, POP, PUSHA, POPA, PUSHF, POPF, ENTER, LEAVE.

func pushZv(c *CPU, in *decode.Inst) {
	r := uint8(in.Opcode & 7)
	v := c.regv(r, in.OpSize)
	if r == cpu.ESP && c.model < cpu.Model286 {
		// The 8086/186 push SP after decrementing it.
		v = (v - 2) & 0xFFFF
	}
	c.push(v, in.OpSize)
}

func popZv(c *CPU, in *decode.Inst) {
	v := c.pop(in.OpSize)
	c.setRegv(uint8(in.Opcode&7), v, in.OpSize)
}

func pushIz(c *CPU, in *decode.Inst) { c.push(in.Imm, in.OpSize) }

// pushEv handles FF /6 (and the 8086's FF /7 alias).
func pushEv(c *CPU, in *decode.Inst) {
	if !in.HasMem && in.RM() == cpu.ESP && c.model < cpu.Model286 {
		c.push((c.s.Regs[cpu.ESP]-2)&0xFFFF, 2)
		return
	}
	v, _ := c.rmv(in)
	c.push(v, in.OpSize)
}

// pushEb is the 8086's FE /6 and /7: a word push whose operand is the byte
// register or memory byte, with the high byte taken as the hardware's
// bus does for a word operation (the r/m names a word).
func pushEb(c *CPU, in *decode.Inst) {
	if !in.HasMem && in.RM() == cpu.ESP {
		c.push((c.s.Regs[cpu.ESP]-2)&0xFFFF, 2)
		return
	}
	v, _ := c.rmv(in)
	c.push(v, 2)
}

// popEv handles 8F /0 (and the 8086's 8F /1-7 aliases). The address of a
// memory destination is computed after ESP is incremented.
func popEv(c *CPU, in *decode.Inst) {
	sp := c.sp()
	v := c.rdv(cpu.SS, sp, in.OpSize)
	old := c.s.Regs[cpu.ESP]
	c.setSP(sp + uint32(in.OpSize))
	if !in.HasMem {
		c.setRegv(in.RM(), v, in.OpSize)
		return
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				c.s.Regs[cpu.ESP] = old // a faulting POP leaves ESP unchanged
				panic(r)
			}
		}()
		c.wrv(seg(in), c.ea(in), v, in.OpSize)
	}()
}

func pushSeg(seg int) func(*CPU, *decode.Inst) {
	return func(c *CPU, in *decode.Inst) {
		c.push(uint32(c.s.Seg[seg].Selector), in.OpSize)
	}
}

func popSeg(seg int) func(*CPU, *decode.Inst) {
	return func(c *CPU, in *decode.Inst) {
		v := c.peek(0, in.OpSize)
		// The stack address size is that of the stack the value is popped
		// from: for POP SS, ESP must be advanced with the B bit of the old
		// SS, not the one just loaded (a 16-bit stack only ever changes SP).
		old32 := c.stack32()
		esp := c.s.Regs[cpu.ESP]
		c.loadSeg(seg, uint16(v))
		if old32 {
			c.s.Regs[cpu.ESP] = esp + uint32(in.OpSize)
		} else {
			c.s.Regs[cpu.ESP] = esp&^0xFFFF | (esp+uint32(in.OpSize))&0xFFFF
		}
	}
}

// popCS is the 8086's undocumented 0F: POP CS.
func popCS(c *CPU, in *decode.Inst) {
	v := c.pop(2)
	c.loadSegReal(cpu.CS, uint16(v))
}

func pusha(c *CPU, in *decode.Inst) {
	sp := c.regv(cpu.ESP, in.OpSize)
	for r := uint8(0); r < 8; r++ {
		v := c.regv(r, in.OpSize)
		if r == cpu.ESP {
			v = sp
		}
		c.push(v, in.OpSize)
	}
}

func popa(c *CPU, in *decode.Inst) {
	for r := 7; r >= 0; r-- {
		v := c.pop(in.OpSize)
		if r != cpu.ESP {
			c.setRegv(uint8(r), v, in.OpSize)
		}
	}
}

func pushf(c *CPU, in *decode.Inst) {
	if c.s.EFlags&cpu.FlagVM != 0 && c.s.EFlags&cpu.FlagIOPL != cpu.FlagIOPL {
		c.raiseCode(cpu.VecGP, 0)
	}
	f := c.readFlags()
	if in.OpSize == 4 {
		f &^= cpu.FlagVM | cpu.FlagRF
	}
	c.push(f, in.OpSize)
}

func popf(c *CPU, in *decode.Inst) {
	if c.s.EFlags&cpu.FlagVM != 0 && c.s.EFlags&cpu.FlagIOPL != cpu.FlagIOPL {
		c.raiseCode(cpu.VecGP, 0)
	}
	v := c.pop(in.OpSize)
	c.writeFlags(v, in.OpSize)
}

// enter builds a stack frame: ENTER size, level (level taken mod 32).
func enter(c *CPU, in *decode.Inst) {
	size := in.Imm & 0xFFFF
	level := in.Imm2 & 0x1F
	os := in.OpSize
	bp := c.regv(cpu.EBP, os)
	c.push(bp, os)
	// FrameTemp is eSP of the operand size (SDM ENTER), not of the stack
	// address size: a 32-bit ENTER on a 16-bit stack keeps ESP[31:16] in
	// the frame pointer it pushes and loads into EBP.
	frame := c.regv(cpu.ESP, os)
	if level > 0 {
		bpAddr := c.regv(cpu.EBP, 4)
		if !c.stack32() {
			bpAddr &= 0xFFFF
		}
		for i := uint32(1); i < level; i++ {
			bpAddr -= uint32(os)
			if !c.stack32() {
				bpAddr &= 0xFFFF
			}
			c.push(c.rdv(cpu.SS, bpAddr, os), os)
		}
		c.push(frame, os)
	}
	c.setRegv(cpu.EBP, frame, os)
	c.setSP(c.sp() - size)
}

// leave reads the saved frame pointer at [eBP] before it changes eSP, so a
// fault leaves both registers as they were.
func leave(c *CPU, in *decode.Inst) {
	bp := c.s.Regs[cpu.EBP]
	if !c.stack32() {
		bp &= 0xFFFF
	}
	v := c.rdv(cpu.SS, bp, in.OpSize)
	c.setSP(bp + uint32(in.OpSize))
	c.setRegv(cpu.EBP, v, in.OpSize)
}
