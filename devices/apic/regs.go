package apic

import "ringzero/devices/irq"

// lvtRW is the writable mask of each LVT entry.
var lvtRW = [numLVT]uint32{lvtRWTimer, lvtRWLocal, lvtRWLocal, lvtRWLINT, lvtRWLINT, lvtRWError}

// ReadMMIO reads the register at off in the APIC page. A read narrower
// than 32 bits sees those bytes of the register; bytes 4-15 of each
// 16-byte slot read 0.
func (l *Local) ReadMMIO(off uint32, size int) uint32 {
	reg, b := off&^0xF, off&0xF
	if b+uint32(size) > 4 {
		return 0
	}
	l.mu.Lock()
	v := l.read(reg)
	l.mu.Unlock()
	return v >> (8 * b) & (0xFFFFFFFF >> (32 - 8*size))
}

// WriteMMIO writes the register at off. Only aligned 32-bit writes reach
// a register (SDM Vol. 3A, 10.4.1: registers are written with 32-bit
// stores); others are dropped, as QEMU drops them.
func (l *Local) WriteMMIO(off uint32, size int, v uint32) {
	if size != 4 || off&0xF != 0 {
		return
	}
	l.mu.Lock()
	eoi, nmi := l.write(off, v)
	l.mu.Unlock()
	if nmi {
		irq.Pulse(l.nmi)
	}
	if eoi >= 0 && l.eoi != nil {
		l.eoi(uint8(eoi))
	}
}

// read returns register reg. Called with mu held.
func (l *Local) read(reg uint32) uint32 {
	switch {
	case reg >= regISR && reg < regISR+0x80:
		return l.isr[(reg-regISR)>>4]
	case reg >= regTMR && reg < regTMR+0x80:
		return l.tmr[(reg-regTMR)>>4]
	case reg >= regIRR && reg < regIRR+0x80:
		return l.irr[(reg-regIRR)>>4]
	case reg >= regLVTFirst && reg <= regLVTLast:
		return l.lvt[(reg-regLVTFirst)>>4]
	}
	switch reg {
	case regID:
		return uint32(l.id) << 24
	case regVersion:
		return Version
	case regTPR:
		return uint32(l.tpr)
	case regAPR, regEOI, regRRD:
		return 0
	case regPPR:
		return uint32(l.ppr())
	case regLDR:
		return l.ldr
	case regDFR:
		return l.dfr | 0x0FFFFFFF
	case regSVR:
		return l.svr
	case regESR:
		return l.esr
	case regICRLow:
		return l.icr[0] // delivery status 0: IPIs are sent at once
	case regICRHigh:
		return l.icr[1]
	case regInitial:
		return l.initial
	case regCurrent:
		return l.current(l.clk.Now())
	case regDivide:
		return l.divide
	}
	l.raiseError(esrIllegalReg)
	return 0
}

// write writes v to register reg. It returns the vector of a
// level-triggered EOI to broadcast (-1 for none) and whether an NMI is
// to be raised; the caller does both after unlocking.
func (l *Local) write(reg, v uint32) (eoi int, nmi bool) {
	eoi = -1
	switch {
	case reg >= regISR && reg < regIRR+0x80:
		return // ISR, TMR, IRR are read-only
	case reg >= regLVTFirst && reg <= regLVTLast:
		n := (reg - regLVTFirst) >> 4
		l.lvt[n] = v & lvtRW[n]
		if n == lvtTimer {
			l.arm(l.clk.Now())
		}
		return
	}
	switch reg {
	case regID:
		l.id = uint8(v >> 24)
	case regVersion, regAPR, regPPR, regRRD, regCurrent:
	case regTPR:
		l.tpr = uint8(v)
	case regEOI:
		eoi = l.eoiLocked()
	case regLDR:
		l.ldr = v & 0xFF000000
	case regDFR:
		l.dfr = v & dfrRW
	case regSVR:
		l.svr = v & svrRW
	case regESR:
		// A write latches the errors since the last one (SDM Vol. 3A,
		// 10.5.3).
		l.esr, l.errors = l.errors, 0
	case regICRLow:
		l.icr[0] = v & icrLowRW
		nmi = l.sendIPI()
	case regICRHigh:
		l.icr[1] = v & icrHighRW
	case regInitial:
		l.initial = v
		l.loadTime = l.clk.Now()
		l.arm(l.loadTime)
	case regDivide:
		// The count goes on from where it is at the new rate.
		now := l.clk.Now()
		cur := l.current(now)
		l.setDivide(v)
		l.restart(now, cur)
	default:
		l.raiseError(esrIllegalReg)
	}
	return
}

// Timer (SDM Vol. 3A, 10.5.4): the current count falls by one every
// 2^shift ns (a 1 GHz bus clock through the divider) from the initial
// count to 0, where the LVT timer entry's interrupt is sent; a periodic
// timer then reloads the initial count. The count is computed from the
// virtual time since the initial count was written, and a clock timer is
// armed only for the next expiry of an unmasked timer.

// setDivide writes the divide configuration register (Figure 10-10):
// bits 3, 1, 0 give divide by 2, 4, 8, 16, 32, 64, 128 or (111b) 1.
func (l *Local) setDivide(v uint32) {
	l.divide = v & divideRW
	d := l.divide&3 | l.divide>>1&4
	l.shift = uint(d+1) & 7
}

// ticks is the number of timer ticks from the load to now.
func (l *Local) ticks(now uint64) uint64 {
	if now < l.loadTime {
		return 0
	}
	return (now - l.loadTime) >> l.shift
}

// current is the current-count register at now.
func (l *Local) current(now uint64) uint32 {
	if l.initial == 0 {
		return 0
	}
	d, n := l.ticks(now), uint64(l.initial)
	if l.lvt[lvtTimer]&lvtPeriodic != 0 {
		return uint32(n - d%n)
	}
	if d >= n {
		return 0
	}
	return uint32(n - d)
}

// restart moves the load time so that the count at now is cur at the
// present rate (after a divide change), and re-arms.
func (l *Local) restart(now uint64, cur uint32) {
	if l.initial != 0 && cur != 0 {
		done := uint64(l.initial-cur) << l.shift
		if done <= now {
			l.loadTime = now - done
		}
	}
	l.arm(now)
}

// arm sets the clock timer for the next time the count reaches 0 after
// now, or stops it (masked, stopped, or a one-shot count already out).
func (l *Local) arm(now uint64) {
	e := l.lvt[lvtTimer]
	if e&lvtMasked != 0 || l.initial == 0 {
		l.timer.Stop()
		return
	}
	d, n := l.ticks(now), uint64(l.initial)
	var at uint64
	if e&lvtPeriodic != 0 {
		at = (d/n + 1) * n
	} else {
		if d >= n {
			l.timer.Stop()
			return
		}
		at = n
	}
	l.timer.Set(l.loadTime + at<<l.shift)
}

// expire is the clock timer: the count reached 0.
func (l *Local) expire(now uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.lvt[lvtTimer]; e&lvtMasked == 0 && l.initial != 0 {
		l.accept(uint8(e), false)
	}
	if l.lvt[lvtTimer]&lvtPeriodic != 0 {
		l.arm(now)
	}
}
