package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Control transfer: jumps, calls, returns, loops, software interrupts.

// ipMask is the instruction-pointer width for operand size os.
func ipMask(os uint8) uint32 {
	if os == 4 {
		return 0xFFFFFFFF
	}
	return 0xFFFF
}

// jumpNear sets EIP to target (truncated to the operand size), checking
// the CS limit on the 286 and later.
func (c *CPU) jumpNear(target uint32, os uint8) {
	target &= ipMask(os)
	if c.model >= cpu.Model286 && target > c.s.Seg[cpu.CS].Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.s.EIP = target
}

func jcc(c *CPU, in *decode.Inst) {
	if c.cond(uint8(in.Opcode & 0xF)) {
		c.jumpNear(c.s.EIP+in.Imm, in.OpSize)
	}
}

func jmpRel(c *CPU, in *decode.Inst) { c.jumpNear(c.s.EIP+in.Imm, in.OpSize) }

func callRel(c *CPU, in *decode.Inst) {
	target := (c.s.EIP + in.Imm) & ipMask(in.OpSize)
	if c.model >= cpu.Model286 && target > c.s.Seg[cpu.CS].Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.push(c.s.EIP, in.OpSize)
	c.s.EIP = target
}

func jmpEv(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	c.jumpNear(v, in.OpSize)
}

func callEv(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	v &= ipMask(in.OpSize)
	if c.model >= cpu.Model286 && v > c.s.Seg[cpu.CS].Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.push(c.s.EIP, in.OpSize)
	c.s.EIP = v
}

// jmpEb and callEb are the 8086's FE /4 and /2: the word forms with a
// byte-sized r/m decode (a register operand names a word register).
func jmpEb(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	c.jumpNear(v, 2)
}

func callEb(c *CPU, in *decode.Inst) {
	v, _ := c.rmv(in)
	c.push(c.s.EIP, 2)
	c.s.EIP = v & 0xFFFF
}

// farPointer reads the offset:selector pair of an Mp operand. The 8086
// with a register operand (undefined) reads from the last address it
// computed; here, as on the 286, that raises #UD.
func (c *CPU) farPointer(in *decode.Inst) (uint32, uint16) {
	if !in.HasMem {
		if c.model < cpu.Model286 {
			return c.farPointerReg(in)
		}
		c.raise(cpu.VecUD)
	}
	off := c.ea(in)
	s := seg(in)
	v := c.rdv(s, off, in.OpSize)
	sel := c.rd16(s, (off+uint32(in.OpSize))&c.adMask(in))
	return v, sel
}

// farPointerReg models the 8086 with a register operand where a memory
// pointer was required: the bus cycles go to the last effective address
// the CPU computed.
func (c *CPU) farPointerReg(in *decode.Inst) (uint32, uint16) {
	s := seg(in)
	off := c.lastEA
	return uint32(c.rd16(s, off)), c.rd16(s, (off+2)&0xFFFF)
}

// adMask is the address-size mask.
func (c *CPU) adMask(in *decode.Inst) uint32 {
	if in.AdSize == 4 {
		return 0xFFFFFFFF
	}
	return 0xFFFF
}

func jmpFarAp(c *CPU, in *decode.Inst) { c.jmpFar(uint16(in.Imm2), in.Imm, in.OpSize) }

func jmpFarMp(c *CPU, in *decode.Inst) {
	off, sel := c.farPointer(in)
	c.jmpFar(sel, off, in.OpSize)
}

func (c *CPU) jmpFar(sel uint16, off uint32, os uint8) {
	if c.pm() {
		c.pmFarJump(sel, off, os)
		return
	}
	c.farJump(sel, off&ipMask(os))
}

func (c *CPU) callFar(sel uint16, off uint32, os uint8) {
	if c.pm() {
		c.pmFarCall(sel, off, os)
		return
	}
	c.pushPair(uint32(c.s.Seg[cpu.CS].Selector), c.s.EIP, os)
	c.farJump(sel, off&ipMask(os))
}

func callFarAp(c *CPU, in *decode.Inst) { c.callFar(uint16(in.Imm2), in.Imm, in.OpSize) }

func callFarMp(c *CPU, in *decode.Inst) {
	off, sel := c.farPointer(in)
	c.callFar(sel, off, in.OpSize)
}

func retNear(c *CPU, in *decode.Inst) {
	v := c.peek(0, in.OpSize)
	c.jumpNear(v, in.OpSize)
	c.setSP(c.sp() + uint32(in.OpSize))
	if in.Opcode&1 == 0 { // C2/C0: RET imm16
		c.setSP(c.sp() + in.Imm&0xFFFF)
	}
}

func retFar(c *CPU, in *decode.Inst) {
	os := in.OpSize
	n := uint32(0)
	if in.Opcode&1 == 0 { // CA/C8: RETF imm16
		n = in.Imm & 0xFFFF
	}
	if c.pm() {
		c.pmFarRet(os, n)
		return
	}
	off := c.peek(0, os)
	sel := c.peek(uint32(os), os)
	c.farJump(uint16(sel), off&ipMask(os))
	c.setSP(c.sp() + 2*uint32(os) + n)
}

func iret(c *CPU, in *decode.Inst) {
	os := in.OpSize
	c.inNMI = false
	if c.pm() {
		c.pmIret(os)
		return
	}
	vm := c.s.EFlags&cpu.FlagVM != 0
	if vm && c.s.EFlags&cpu.FlagIOPL != cpu.FlagIOPL {
		c.raiseCode(cpu.VecGP, 0)
	}
	off := c.peek(0, os)
	sel := c.peek(uint32(os), os)
	fl := c.peek(2*uint32(os), os)
	c.farJump(uint16(sel), off&ipMask(os))
	c.setSP(c.sp() + 3*uint32(os))
	if vm {
		// Virtual-8086 IRET with IOPL 3: IOPL (and VM) are kept.
		mask := c.model.WritableFlags() &^ cpu.FlagIOPL
		if os == 2 {
			mask &= 0xFFFF
		}
		c.s.EFlags = c.s.EFlags&^mask | fl&mask | cpu.FlagRsv1
		c.events = true
		return
	}
	c.writeFlags(fl, os)
}

// loopCount decrements CX or ECX by address size and returns the result.
func (c *CPU) loopCount(in *decode.Inst) uint32 {
	if in.AdSize == 4 {
		c.s.Regs[cpu.ECX]--
		return c.s.Regs[cpu.ECX]
	}
	v := (c.s.Regs[cpu.ECX] - 1) & 0xFFFF
	c.setRegv(cpu.ECX, v, 2)
	return v
}

func loop(c *CPU, in *decode.Inst) {
	if c.loopCount(in) != 0 {
		c.jumpNear(c.s.EIP+in.Imm, in.OpSize)
	}
}

func loope(c *CPU, in *decode.Inst) {
	if c.loopCount(in) != 0 && c.flag(cpu.FlagZF) {
		c.jumpNear(c.s.EIP+in.Imm, in.OpSize)
	}
}

func loopne(c *CPU, in *decode.Inst) {
	if c.loopCount(in) != 0 && !c.flag(cpu.FlagZF) {
		c.jumpNear(c.s.EIP+in.Imm, in.OpSize)
	}
}

func jcxz(c *CPU, in *decode.Inst) {
	if c.s.Regs[cpu.ECX]&c.adMask(in) == 0 {
		c.jumpNear(c.s.EIP+in.Imm, in.OpSize)
	}
}

// Software interrupts are traps: they push the address of the next
// instruction.

func intIb(c *CPU, in *decode.Inst) {
	if c.s.EFlags&cpu.FlagVM != 0 && c.s.EFlags&cpu.FlagIOPL != cpu.FlagIOPL {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.softInt(uint8(in.Imm))
}

func int3(c *CPU, in *decode.Inst) { c.softInt(cpu.VecBP) }

func int1(c *CPU, in *decode.Inst) { c.softInt(cpu.VecDB) }

func into(c *CPU, in *decode.Inst) {
	if c.flag(cpu.FlagOF) {
		c.softInt(cpu.VecOF)
	}
}

func (c *CPU) softInt(vec uint8) {
	if vec < 8 {
		c.stats.Exceptions[vec]++ // INT3, INTO, INT1 are exceptions too
	}
	c.trace(cpu.KindSoftware, cpu.Exception{Vector: vec}, c.startEIP)
	c.interrupt(vec, true, c.s.EIP)
}

// bound raises #BR when the signed index lies outside [lower, upper].
func bound(c *CPU, in *decode.Inst) {
	if !in.HasMem {
		c.raise(cpu.VecUD)
	}
	off := c.ea(in)
	s := seg(in)
	idx := c.regv(in.Reg(), in.OpSize)
	var lo, hi, v int32
	if in.OpSize == 4 {
		lo = int32(c.rd32(s, off))
		hi = int32(c.rd32(s, off+4))
		v = int32(idx)
	} else {
		lo = int32(int16(c.rd16(s, off)))
		hi = int32(int16(c.rd16(s, (off+2)&c.adMask(in))))
		v = int32(int16(idx))
	}
	if v < lo || v > hi {
		c.raise(cpu.VecBR)
	}
}
