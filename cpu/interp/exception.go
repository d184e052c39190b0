package interp

import (
	"ringzero/cpu"
)

// Interrupt and exception delivery, and the FLAGS image.

// historyLen is how many recent exceptions the CPU remembers for the
// triple-fault report.
const historyLen = 16

// Event is one exception or interrupt as the history records it.
type Event struct {
	Exception cpu.Exception
	CS        uint16
	EIP       uint32 // address of the faulting (or next, for traps) instruction
	Cycle     uint64
}

// History returns the most recent exceptions, oldest first.
func (c *CPU) History() []Event {
	out := make([]Event, 0, historyLen)
	for i := 0; i < historyLen; i++ {
		e := c.history[(c.histPos+i)%historyLen]
		if e.Cycle != 0 || e.Exception.Vector != 0 || e.CS != 0 || e.EIP != 0 {
			out = append(out, e)
		}
	}
	return out
}

func (c *CPU) record(e cpu.Exception) {
	c.history[c.histPos] = Event{Exception: e, CS: c.s.Seg[cpu.CS].Selector, EIP: c.startEIP, Cycle: c.s.Cycles}
	c.histPos = (c.histPos + 1) % historyLen
	c.trace(cpu.KindException, e, c.startEIP)
}

// trace reports a delivery to Env.OnInterrupt.
func (c *CPU) trace(kind cpu.InterruptKind, e cpu.Exception, eip uint32) {
	if c.env.OnInterrupt == nil {
		return
	}
	c.env.OnInterrupt(cpu.InterruptEvent{Kind: kind, Vector: e.Vector, Code: e.Code, HasCode: e.HasCode,
		CS: c.s.Seg[cpu.CS].Selector, EIP: eip, CR2: c.s.CR[2], Cycle: c.s.Cycles})
}

// exceptionClass orders exceptions for the double-fault rules (SDM Vol. 3,
// table 6-5).
func exceptionClass(v uint8) int {
	switch v {
	case cpu.VecDE, cpu.VecTS, cpu.VecNP, cpu.VecSS, cpu.VecGP:
		return 1 // contributory
	case cpu.VecPF:
		return 2
	case cpu.VecDF:
		return 3
	}
	return 0 // benign
}

// exception delivers a fault raised by the current instruction. Faults on
// the 286 and later restart the instruction (EIP = its first byte); the
// 8086/186 divide error pushes the address of the next instruction.
func (c *CPU) exception(e cpu.Exception) cpu.ExitReason {
	if !(e.Vector == cpu.VecDE && c.model < cpu.Model286) {
		c.s.EIP = c.startEIP
	}
	// Delivery costs a cycle, so a guest that faults forever (a fault
	// handler that faults) still uses up its budget.
	c.s.Cycles++
	if c.remaining > 0 {
		c.remaining--
	}
	for tries := 0; ; tries++ {
		c.stats.Exceptions[e.Vector&31]++
		c.record(e)
		next, ok := c.tryDeliver(e)
		if ok {
			return cpu.ExitNone
		}
		if tries >= 4 {
			return cpu.ExitTripleFault
		}
		first, second := exceptionClass(e.Vector), exceptionClass(next.Vector)
		switch {
		case first == 3 && second != 0:
			return cpu.ExitTripleFault
		case (first == 1 && second == 1) || (first == 2 && second != 0):
			e = cpu.Exception{Vector: cpu.VecDF, HasCode: c.model >= cpu.Model286, Code: 0}
		default:
			e = next
		}
	}
}

// tryDeliver delivers e, reporting a fault raised while doing so.
func (c *CPU) tryDeliver(e cpu.Exception) (next cpu.Exception, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			f, isFault := r.(fault)
			if !isFault {
				panic(r)
			}
			next, ok = f.e, false
		}
	}()
	if c.model >= cpu.Model386 && isFault(e.Vector) {
		// Faults push EFLAGS with RF set, so the restarted instruction
		// does not hit its own instruction breakpoint again.
		c.s.EFlags |= cpu.FlagRF
	}
	c.deliver(e.Vector, false, c.s.EIP, e)
	return cpu.Exception{}, true
}

// isFault reports the exceptions that restart their instruction (not the
// debug exception, whose instruction-breakpoint form leaves RF to the
// handler).
func isFault(v uint8) bool {
	switch v {
	case cpu.VecDE, cpu.VecBR, cpu.VecUD, cpu.VecNM, cpu.VecTS, cpu.VecNP, cpu.VecSS, cpu.VecGP, cpu.VecPF, cpu.VecMF, cpu.VecAC:
		return true
	}
	return false
}

// interrupt delivers an external interrupt or a software INT n; ret is the
// address pushed as the return address.
func (c *CPU) interrupt(vec uint8, soft bool, ret uint32) {
	c.deliver(vec, soft, ret, cpu.Exception{Vector: vec})
}

// deliver transfers control to the handler of vector vec.
func (c *CPU) deliver(vec uint8, soft bool, ret uint32, e cpu.Exception) {
	c.s.Halted = false
	if c.protectedMode() {
		c.deliverProtected(vec, soft, ret, e)
		return
	}
	// Real mode: the IVT entry at IDTR.base + 4*vec (IDTR.base is 0
	// unless LIDT moved it; the 8086 has no IDTR).
	off := uint32(vec) * 4
	if c.model >= cpu.Model286 && off+3 > c.s.IDTR.Limit {
		c.raiseCode(cpu.VecGP, off|2)
	}
	flags := c.readFlags()
	c.push(flags, 2)
	c.push(uint32(c.s.Seg[cpu.CS].Selector), 2)
	c.push(ret, 2)
	base := c.s.IDTR.Base
	if c.model < cpu.Model286 {
		base = 0
	}
	ip := c.env.Bus.Read(c.phys(base+off), 2)
	cs := c.env.Bus.Read(c.phys(base+off+2), 2)
	c.s.EFlags &^= cpu.FlagIF | cpu.FlagTF | cpu.FlagAC | cpu.FlagRF
	c.loadSegReal(cpu.CS, uint16(cs))
	c.s.EIP = ip & 0xFFFF
}

// readFlags returns the FLAGS image PUSHF, LAHF and interrupts store.
func (c *CPU) readFlags() uint32 {
	return c.s.EFlags | c.model.FixedFlags()
}

// writeFlags loads FLAGS (size 2) or EFLAGS (size 4) from v as POPF and
// IRET do, keeping the bits the model or the privilege level protects.
func (c *CPU) writeFlags(v uint32, size uint8) {
	mask := c.model.WritableFlags()
	if c.protectedMode() {
		if c.model == cpu.Model286 {
			mask |= cpu.FlagIOPL | cpu.FlagNT
		}
		cpl := c.cpl()
		if cpl > 0 {
			mask &^= cpu.FlagIOPL
		}
		if uint32(cpl) > (c.s.EFlags&cpu.FlagIOPL)>>12 {
			mask &^= cpu.FlagIF
		}
	}
	if size == 2 {
		mask &= 0xFFFF
	}
	c.s.EFlags = c.s.EFlags&^mask | v&mask | c.model.FixedFlags()
	c.events = true // IF may have come on
}

// cpl is the current privilege level: CS.RPL in protected mode, 0 in real
// mode (3 in virtual-8086 mode).
func (c *CPU) cpl() uint8 {
	if !c.protectedMode() {
		return 0
	}
	if c.s.EFlags&cpu.FlagVM != 0 {
		return 3
	}
	return uint8(c.s.Seg[cpu.CS].Selector & 3)
}
