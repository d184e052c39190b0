package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// String instructions with and without REP. A REP instruction retires one
// iteration per cycle; when the slice ends, an interrupt is pending or a
// device asked to stop, it leaves EIP at its first byte with the registers
// updated, so it resumes where it left off. The 8086 resumes at its last
// prefix byte when an interrupt breaks in, losing any earlier prefix (the
// well-known segment-override-before-REP bug).

// strOp performs one iteration; it returns false when a REPE/REPNE
// condition ends the repetition.
type strOp func(c *CPU, in *decode.Inst, step uint32) bool

// strStep is the per-iteration pointer change for element size n.
func (c *CPU) strStep(n uint32) uint32 {
	if c.flag(cpu.FlagDF) {
		return -n
	}
	return n
}

// index reads SI/ESI or DI/EDI by address size.
func (c *CPU) index(r uint8, in *decode.Inst) uint32 {
	if in.AdSize == 4 {
		return c.s.Regs[r]
	}
	return c.s.Regs[r] & 0xFFFF
}

func (c *CPU) advance(r uint8, in *decode.Inst, step uint32) {
	if in.AdSize == 4 {
		c.s.Regs[r] += step
		return
	}
	c.setRegv(r, c.s.Regs[r]+step, 2)
}

// elemSize is the element size of a string instruction: byte for even
// opcodes, else the operand size.
func elemSize(in *decode.Inst) uint8 {
	if in.Opcode&1 == 0 {
		return 1
	}
	return in.OpSize
}

func (c *CPU) rdElem(seg int, off uint32, n uint8) uint32 {
	if n == 1 {
		return uint32(c.rd8(seg, off))
	}
	return c.rdv(seg, off, n)
}

func (c *CPU) wrElem(seg int, off uint32, v uint32, n uint8) {
	if n == 1 {
		c.wr8(seg, off, uint8(v))
		return
	}
	c.wrv(seg, off, v, n)
}

// srcSeg is the source segment: DS or the override.
func srcSeg(in *decode.Inst) int {
	if in.Prefixes&decode.PfxSeg != 0 {
		return int(in.Seg)
	}
	return cpu.DS
}

// The index registers step at different times by model. The 286 steps
// SI or DI as soon as it has formed the address, so a fault on that
// access, or on the next one, leaves it already stepped (measured on
// hardware); src, dstRead and dstWrite do that for it. The 8086 never
// faults, and the 386 and later leave every register as it was before
// the faulting iteration, so that the OS can restart the instruction
// after a page fault (SDM Vol. 1, 7.3.9.2): for them the accessors only
// access, and the instruction steps its registers with stepAfter once
// all its accesses are done.

// stepsEarly reports whether the index registers step as they are used.
func (c *CPU) stepsEarly() bool { return c.model == cpu.Model286 }

// stepAfter steps the index registers regs of an iteration that
// completed, on the models that do not step them early.
func (c *CPU) stepAfter(in *decode.Inst, step uint32, regs ...uint8) {
	if c.stepsEarly() {
		return
	}
	for _, r := range regs {
		c.advance(r, in, step)
	}
}

// src reads the source element at seg:SI (stepping SI on the 286).
func (c *CPU) src(in *decode.Inst, n uint8, step uint32) uint32 {
	if !c.stepsEarly() {
		return c.rdElem(srcSeg(in), c.index(cpu.ESI, in), n)
	}
	c.strFaultDec = 1
	defer c.stepOnFault(cpu.ESI, in, step)
	v := c.rdElem(srcSeg(in), c.index(cpu.ESI, in), n)
	c.advance(cpu.ESI, in, step)
	return v
}

// dstRead reads the element at ES:DI (stepping DI on the 286).
func (c *CPU) dstRead(in *decode.Inst, n uint8, step uint32) uint32 {
	if !c.stepsEarly() {
		return c.rdElem(cpu.ES, c.index(cpu.EDI, in), n)
	}
	c.strFaultDec = 1
	if in.Opcode&^1 == 0xA6 { // CMPS reads ES:DI first
		c.strFaultDec = 0
	}
	defer c.stepOnFault(cpu.EDI, in, step)
	v := c.rdElem(cpu.ES, c.index(cpu.EDI, in), n)
	c.advance(cpu.EDI, in, step)
	return v
}

// dstWrite writes the element at ES:DI (stepping DI on the 286).
func (c *CPU) dstWrite(in *decode.Inst, n uint8, step uint32, v uint32) {
	if !c.stepsEarly() {
		c.wrElem(cpu.ES, c.index(cpu.EDI, in), v, n)
		return
	}
	c.strFaultDec = 2
	defer c.stepOnFault(cpu.EDI, in, step)
	c.wrElem(cpu.ES, c.index(cpu.EDI, in), v, n)
	c.advance(cpu.EDI, in, step)
}

// stepOnFault, deferred, advances index register r when a fault unwinds
// the access, then lets the fault continue.
func (c *CPU) stepOnFault(r uint8, in *decode.Inst, step uint32) {
	if e := recover(); e != nil {
		if _, ok := e.(fault); ok {
			c.advance(r, in, step)
		}
		panic(e)
	}
}

func movs(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	v := c.src(in, n, step)
	c.dstWrite(in, n, step, v)
	c.stepAfter(in, step, cpu.ESI, cpu.EDI)
	return true
}

func cmps(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	// ES:DI is read first: a fault on it leaves SI untouched (286).
	b := c.dstRead(in, n, step)
	a := c.src(in, n, step)
	c.stepAfter(in, step, cpu.ESI, cpu.EDI)
	c.sub(a, b, 0, uint(n)*8)
	return c.repContinues(in)
}

func stos(c *CPU, in *decode.Inst, step uint32) bool {
	c.dstWrite(in, elemSize(in), step, c.s.Regs[cpu.EAX])
	c.stepAfter(in, step, cpu.EDI)
	return true
}

func lods(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	v := c.src(in, n, step)
	c.stepAfter(in, step, cpu.ESI)
	if n == 1 {
		c.setReg8(0, uint8(v))
	} else {
		c.setRegv(cpu.EAX, v, n)
	}
	return true
}

func scas(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	b := c.dstRead(in, n, step)
	c.stepAfter(in, step, cpu.EDI)
	c.sub(c.s.Regs[cpu.EAX], b, 0, uint(n)*8)
	return c.repContinues(in)
}

func ins(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	port := uint16(c.s.Regs[cpu.EDX])
	c.checkIO(port, n)
	// The write is probed first so a faulting store does not lose the
	// port read's side effect ordering on the 286+ (limit check first).
	c.dstWrite(in, n, step, c.portIn(port, n))
	c.stepAfter(in, step, cpu.EDI)
	return true
}

func outs(c *CPU, in *decode.Inst, step uint32) bool {
	n := elemSize(in)
	port := uint16(c.s.Regs[cpu.EDX])
	c.checkIO(port, n)
	c.portOut(port, n, c.src(in, n, step))
	c.stepAfter(in, step, cpu.ESI)
	return true
}

// repContinues applies the REPE/REPNE condition of CMPS and SCAS.
func (c *CPU) repContinues(in *decode.Inst) bool {
	zf := c.flag(cpu.FlagZF)
	if c.repLast == 0xF2 {
		return !zf
	}
	return zf
}

// stringInst runs op once, or as a REP loop.
func (c *CPU) stringInst(in *decode.Inst, op strOp) {
	n := elemSize(in)
	step := c.strStep(uint32(n))
	if in.Prefixes&(decode.PfxRep|decode.PfxRepne) == 0 {
		op(c, in, step)
		return
	}
	c.repLast = lastRepPrefix(c, in)
	if c.model == cpu.Model286 {
		// A REP loop on the 286 that faults leaves CX lower than before
		// the faulting iteration: by two for a fault on the store, by one
		// on the load, and unchanged when CMPS faults on its first load
		// (measured on hardware).
		c.strFaultDec = 0
		defer func() {
			if e := recover(); e != nil {
				if _, ok := e.(fault); ok {
					for i := 0; i < c.strFaultDec; i++ {
						c.loopCount(in)
					}
				}
				panic(e)
			}
		}()
	}
	for {
		if c.s.Regs[cpu.ECX]&c.adMask(in) == 0 {
			return
		}
		more := op(c, in, step)
		cnt := c.loopCount(in)
		if cnt == 0 || !more {
			return
		}
		// Another iteration follows: stop here if the slice is used up,
		// an interrupt waits or a device asked to stop.
		if c.remaining == 0 || c.interruptible() || (c.env.Stop != nil && c.env.Stop.Pending()) {
			c.s.EIP = c.startEIP
			c.repRestart = true
			return
		}
		c.remaining--
		c.s.Cycles++
	}
}

// interruptible reports whether an external interrupt would be taken at
// the next instruction boundary.
func (c *CPU) interruptible() bool {
	if c.env.NMI != nil && c.env.NMI.Load() {
		return true
	}
	return c.s.EFlags&cpu.FlagIF != 0 && c.env.Intr != nil && c.env.Intr.Pending()
}

// lastRepPrefix returns F2 or F3, whichever came last among the prefixes.
func lastRepPrefix(c *CPU, in *decode.Inst) uint8 {
	switch {
	case in.Prefixes&decode.PfxRep == 0:
		return 0xF2
	case in.Prefixes&decode.PfxRepne == 0:
		return 0xF3
	}
	// Both present: scan the prefix bytes again.
	last := uint8(0xF3)
	for i := uint32(0); i <= uint32(in.LastPrefix); i++ {
		b := c.codeByte(c.startEIP + i)
		if b == 0xF2 || b == 0xF3 {
			last = b
		}
	}
	return last
}

// codeByte reads a byte of the current instruction.
func (c *CPU) codeByte(eip uint32) uint8 {
	if c.model < cpu.Model286 {
		eip &= 0xFFFF
	}
	return c.fetchByte(c.s.Seg[cpu.CS].Base + eip)
}

func movsH(c *CPU, in *decode.Inst) { c.stringInst(in, movs) }
func cmpsH(c *CPU, in *decode.Inst) { c.stringInst(in, cmps) }
func stosH(c *CPU, in *decode.Inst) { c.stringInst(in, stos) }
func lodsH(c *CPU, in *decode.Inst) { c.stringInst(in, lods) }
func scasH(c *CPU, in *decode.Inst) { c.stringInst(in, scas) }
func insH(c *CPU, in *decode.Inst)  { c.stringInst(in, ins) }
func outsH(c *CPU, in *decode.Inst) { c.stringInst(in, outs) }
