package interp

import (
	"ringzero/cpu"
)

// Debug registers (SDM Vol. 3, 17.2): DR0-DR3 breakpoint addresses, DR6
// status, DR7 control. Instruction breakpoints are faults taken before
// the instruction (suppressed by RF); data and I/O breakpoints are traps
// taken after it.

// updateBreakpoints recomputes which kinds of breakpoints are armed after
// DR7 or CR4 changes.
func (c *CPU) updateBreakpoints() {
	c.execBP, c.dataBP, c.ioBP = false, false, false
	if c.model < cpu.Model386 {
		return
	}
	dr7 := c.s.DR[7]
	for i := 0; i < 4; i++ {
		if dr7>>(2*i)&3 == 0 {
			continue
		}
		switch dr7 >> (16 + 4*i) & 3 {
		case 0:
			c.execBP = true
		case 2:
			if c.s.CR[4]&(1<<3) != 0 {
				c.ioBP = true
			}
		default:
			c.dataBP = true
		}
	}
}

// bpLen is the length of breakpoint i (1, 2, 8 or 4 bytes).
func (c *CPU) bpLen(i int) uint32 {
	return [4]uint32{1, 2, 8, 4}[c.s.DR[7]>>(18+4*i)&3]
}

// checkExecBP raises #DB before an instruction at a breakpoint address.
func (c *CPU) checkExecBP() {
	if c.s.EFlags&cpu.FlagRF != 0 {
		return
	}
	lin := c.s.Seg[cpu.CS].Base + c.s.EIP
	dr7 := c.s.DR[7]
	hit := uint32(0)
	for i := 0; i < 4; i++ {
		if dr7>>(2*i)&3 != 0 && dr7>>(16+4*i)&3 == 0 && c.s.DR[i] == lin {
			hit |= 1 << i
		}
	}
	if hit != 0 {
		c.s.DR[6] = c.s.DR[6]&^0xF | hit
		c.raise(cpu.VecDB)
	}
}

// checkDataBP notes a data breakpoint hit by an access of size bytes at
// linear address lin (write or read/write breakpoints).
func (c *CPU) checkDataBP(lin, size uint32, write bool) {
	dr7 := c.s.DR[7]
	for i := 0; i < 4; i++ {
		if dr7>>(2*i)&3 == 0 {
			continue
		}
		rw := dr7 >> (16 + 4*i) & 3
		if rw == 0 || rw == 2 || (rw == 1 && !write) {
			continue
		}
		n := c.bpLen(i)
		a := c.s.DR[i] &^ (n - 1)
		if lin < a+n && a < lin+size {
			c.pendingDB |= 1 << i
		}
	}
}

// checkIOBP notes an I/O breakpoint hit (CR4.DE).
func (c *CPU) checkIOBP(port uint16, size uint8) {
	dr7 := c.s.DR[7]
	for i := 0; i < 4; i++ {
		if dr7>>(2*i)&3 == 0 || dr7>>(16+4*i)&3 != 2 {
			continue
		}
		n := c.bpLen(i)
		a := c.s.DR[i] & 0xFFFF &^ (n - 1)
		if uint32(port) < a+n && a < uint32(port)+uint32(size) {
			c.pendingDB |= 1 << i
		}
	}
}

// dataTrap delivers the #DB trap for the breakpoints the instruction hit.
func (c *CPU) dataTrap() {
	hit := c.pendingDB
	c.pendingDB = 0
	c.s.DR[6] = c.s.DR[6]&^0xF | hit
	c.stats.Exceptions[cpu.VecDB]++
	c.record(cpu.Exception{Vector: cpu.VecDB})
	c.interrupt(cpu.VecDB, false, c.s.EIP)
}
