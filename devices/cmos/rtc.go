package cmos

import (
	"time"

	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Default wiring on the PC: the chip is decoded at ports 0x70-0x71 and its
// IRQ output goes to input 0 of the slave 8259A (IRQ 8).
const (
	Base = 0x70 // first port: 0x70 index, 0x71 data
	IRQ  = 8    // ISA interrupt line
)

// Port offsets from Base.
const (
	portIndex = 0 // write: bit 7 NMI mask, bits 6-0 register index
	portData  = 1 // read/write the selected register
)

// Register indices. MC146818A datasheet, Figure 4 "Address map".
const (
	regSeconds      = 0x00
	regSecondsAlarm = 0x01
	regMinutes      = 0x02
	regMinutesAlarm = 0x03
	regHours        = 0x04
	regHoursAlarm   = 0x05
	regDayOfWeek    = 0x06 // 1-7, Sunday = 1
	regDayOfMonth   = 0x07
	regMonth        = 0x08
	regYear         = 0x09
	regA            = 0x0A
	regB            = 0x0B
	regC            = 0x0C
	regD            = 0x0D
)

// Register A bits. MC146818A datasheet, "Register A".
const (
	aUIP    = 1 << 7 // update in progress (read-only)
	aDVMask = 7 << 4 // divider select DV2-DV0
	aDVRun  = 2 << 4 // 010: 32.768 kHz time base, divider running
	aDV11x  = 6 << 4 // 11x: divider chain held in reset
	aRSMask = 0x0F   // rate select RS3-RS0
)

// Register B bits. MC146818A datasheet, "Register B".
const (
	bSET  = 1 << 7 // inhibit updates so software can set the time
	bPIE  = 1 << 6 // periodic interrupt enable
	bAIE  = 1 << 5 // alarm interrupt enable
	bUIE  = 1 << 4 // update-ended interrupt enable
	bSQWE = 1 << 3 // square-wave enable (no pin here; stored only)
	bDM   = 1 << 2 // data mode: 1 binary, 0 BCD
	b24   = 1 << 1 // 1: 24-hour mode, 0: 12-hour mode
	bDSE  = 1 << 0 // daylight saving enable (ignored)
)

// Register C bits (read-only, cleared on read). The flag bits sit at the
// same positions as their enables in register B.
const (
	cIRQF = 1 << 7 // some flag is set together with its enable
	cPF   = 1 << 6 // periodic tick
	cAF   = 1 << 5 // alarm matched
	cUF   = 1 << 4 // update cycle ended
)

// dVRT is register D's "valid RAM and time" bit: the battery is good.
const dVRT = 1 << 7

// pmBit marks PM in the hours and hours-alarm bytes in 12-hour mode.
const pmBit = 1 << 7

// alarmDontCare: an alarm byte whose top two bits are set matches any value.
const alarmDontCare = 0xC0

const (
	second = uint64(time.Second)
	// tBUC is how long UIP is set before an update (datasheet tBUC, 244 µs).
	tBUC = 244 * uint64(time.Microsecond)
	// divHz is the time base; periodic rates are taps of this divider.
	divHz = 32768
	// secondsPerDay bounds the second-by-second catch-up (see catchUp).
	secondsPerDay = 86400
)

// RTC is an MC146818A real-time clock with 128 bytes of CMOS RAM. It is
// owned by the machine's run loop and is not safe for concurrent use.
type RTC struct {
	clk *clock.Clock
	out irq.Line

	ram       [128]byte // clock registers 0x00-0x0D and battery-backed RAM
	index     byte      // register selected through port 0x70
	nmiMasked bool      // port 0x70 bit 7: NMI blocked at the chipset
	level     bool      // current level of the IRQ output

	// synced is the virtual time up to which periodic ticks and update
	// cycles have been folded into the registers.
	synced uint64
	// nextUpdate is the next update-cycle boundary while the divider runs.
	// Boundaries are whole seconds apart and nextUpdate-1s <= synced, so
	// the previous boundary anchors the divider phase for periodic ticks.
	nextUpdate uint64

	updateTimer   *clock.Timer // armed only while UIE/AIE could raise IRQ
	periodicTimer *clock.Timer // armed only while PIE could raise IRQ
}

// New returns an RTC whose calendar reads start (in start's location: pass
// a UTC time for base=utc, a local one for base=localtime) at the clock's
// current virtual time, in BCD 24-hour mode with the 1024 Hz periodic rate
// selected, as a BIOS leaves it. The fraction of a second in start sets
// the phase of the first update. out is the IRQ 8 line.
func New(clk *clock.Clock, out irq.Line, start time.Time) *RTC {
	if out == nil {
		out = irq.None
	}
	r := &RTC{clk: clk, out: out}
	r.updateTimer = clk.NewTimer(r.onTimer)
	r.periodicTimer = clk.NewTimer(r.onTimer)
	r.ram[regA] = aDVRun | 0x6 // 32.768 kHz, RS=0110: 1024 Hz
	r.ram[regB] = b24
	r.ram[regD] = dVRT
	r.setTime(start)
	now := clk.Now()
	r.synced = now
	r.nextUpdate = now + second - uint64(start.Nanosecond())
	return r
}

// setTime loads the calendar registers from t in the current data mode.
func (r *RTC) setTime(t time.Time) {
	year := t.Year()
	if year < 0 {
		year = 0
	}
	r.put(regSeconds, t.Second())
	r.put(regMinutes, t.Minute())
	if r.ram[regB]&b24 != 0 {
		r.put(regHours, t.Hour())
	} else {
		h, pm := t.Hour()%12, byte(0)
		if t.Hour() >= 12 {
			pm = pmBit
		}
		if h == 0 {
			h = 12
		}
		r.put(regHours, h)
		r.ram[regHours] |= pm
	}
	r.put(regDayOfWeek, int(t.Weekday())+1)
	r.put(regDayOfMonth, t.Day())
	r.put(regMonth, int(t.Month()))
	r.put(regYear, year%100)
	r.put(NVCentury, (year/100)%100)
}

// Reset models the chip's RESET pin, which the board pulses on a system
// reset: it clears PIE, AIE, UIE and SQWE and every interrupt flag, and
// lowers IRQ 8. Time, calendar, register A and CMOS RAM are battery-backed
// and untouched (MC146818A datasheet, "RESET"); so are the index and the
// NMI mask, which live in the chipset, not in the chip.
func (r *RTC) Reset() {
	r.sync(r.clk.Now())
	r.ram[regB] &^= bPIE | bAIE | bUIE | bSQWE
	r.ram[regC] = 0
	r.updateIRQ()
	r.schedule()
}

// NMIMasked reports whether the guest last wrote port 0x70 with bit 7 set,
// which gates the NMI line on the PC. The board consults it before
// delivering an NMI.
func (r *RTC) NMIMasked() bool { return r.nmiMasked }

// ReadPort implements bus.PortHandler. Port 0x70 is write-only on the PC
// and reads as 0xFF.
func (r *RTC) ReadPort(off uint16, size int) uint32 {
	if off != portData {
		return 0xFF
	}
	r.sync(r.clk.Now())
	switch i := r.index; i {
	case regA:
		v := r.ram[regA] &^ aUIP
		if r.updateInProgress() {
			v |= aUIP
		}
		return uint32(v)
	case regC:
		// Reading C acknowledges every interrupt: flags clear and the
		// IRQ line drops, which is why guests read C in the handler.
		v := r.ram[regC]
		r.ram[regC] = 0
		r.updateIRQ()
		r.schedule()
		return uint32(v)
	case regD:
		return dVRT
	default:
		return uint32(r.ram[i&0x7F])
	}
}

// WritePort implements bus.PortHandler.
func (r *RTC) WritePort(off uint16, size int, v uint32) {
	b := byte(v)
	if off == portIndex {
		r.index = b & 0x7F
		r.nmiMasked = b&0x80 != 0
		return
	}
	if off != portData {
		return
	}
	now := r.clk.Now()
	r.sync(now)
	switch i := r.index; i {
	case regA:
		wasRunning := r.running()
		r.ram[regA] = b &^ aUIP
		if !wasRunning && r.running() {
			// Releasing the divider chain: the first update comes half a
			// second later (datasheet, "Divider reset").
			r.nextUpdate = now + second/2
		}
	case regB:
		if b&bSET != 0 {
			// Setting SET clears UIE (DS12887 datasheet, "UIE").
			b &^= bUIE
		}
		r.ram[regB] = b
	case regC, regD:
		// Read-only.
	default:
		r.ram[i&0x7F] = b
	}
	r.updateIRQ()
	r.schedule()
}

// running reports whether the divider chain is counting.
func (r *RTC) running() bool { return r.ram[regA]&aDV11x != aDV11x }

// updateInProgress is register A's UIP bit: set during the tBUC window
// before an update, never while SET inhibits updates.
func (r *RTC) updateInProgress() bool {
	return r.running() && r.ram[regB]&bSET == 0 && r.nextUpdate-r.synced <= tBUC
}

// onTimer is the callback of both timers: fold in everything due at t.
func (r *RTC) onTimer(t uint64) {
	r.sync(t)
	r.schedule()
}

// sync folds periodic ticks and update cycles up to virtual time t into
// the registers and sets the IRQ line accordingly.
func (r *RTC) sync(t uint64) {
	if t <= r.synced {
		return
	}
	if r.running() {
		if p := r.periodTicks(); p != 0 && r.ram[regC]&cPF == 0 {
			anchor := r.nextUpdate - second // may wrap; differences stay exact
			if ticksIn(r.synced-anchor)/p != ticksIn(t-anchor)/p {
				r.ram[regC] |= cPF
			}
		}
		r.catchUp(t)
	}
	r.synced = t
	r.updateIRQ()
}

// catchUp runs every update cycle due at or before t.
func (r *RTC) catchUp(t uint64) {
	if r.nextUpdate > t {
		return
	}
	n := (t-r.nextUpdate)/second + 1
	if r.ram[regB]&bSET != 0 {
		r.nextUpdate += n * second
		return
	}
	// Step second by second, but after two whole days every valid
	// time-of-day (and every possible alarm match) has been seen, so any
	// further whole days only move the date: a guest that reads the clock
	// after months of virtual time costs at most ~3 days of steps.
	stepped := uint64(0)
	for n > 0 {
		if stepped >= 2*secondsPerDay && n >= secondsPerDay {
			days := n / secondsPerDay
			for d := uint64(0); d < days; d++ {
				r.nextDay()
			}
			n -= days * secondsPerDay
			r.nextUpdate += days * secondsPerDay * second
			continue
		}
		r.tick()
		stepped++
		n--
		r.nextUpdate += second
	}
}

// periodTicks is the periodic interrupt period in 32.768 kHz ticks, or 0
// when RS selects none. MC146818A datasheet, Table 5: RS=1 and 2 select
// 256 and 128 Hz with a 32.768 kHz base; RS=3..15 select 8192 >> (RS-3).
func (r *RTC) periodTicks() uint64 {
	switch rs := r.ram[regA] & aRSMask; rs {
	case 0:
		return 0
	case 1, 2:
		return 1 << (rs + 6)
	default:
		return 1 << (rs - 1)
	}
}

// ticksIn is the number of whole 32.768 kHz ticks in d nanoseconds,
// computed without overflow for any d.
func ticksIn(d uint64) uint64 {
	return d/second*divHz + d%second*divHz/second
}

// ticksToNs is the earliest time, in nanoseconds, at which n ticks have
// elapsed (the inverse of ticksIn, rounded up).
func ticksToNs(n uint64) uint64 {
	return n/divHz*second + (n%divHz*second+divHz-1)/divHz
}

// nextPeriodic is the virtual time of the first periodic tick after synced.
func (r *RTC) nextPeriodic(p uint64) uint64 {
	anchor := r.nextUpdate - second
	n := (ticksIn(r.synced-anchor)/p + 1) * p
	return anchor + ticksToNs(n)
}

// updateIRQ recomputes IRQF from the flags and their enables and drives
// the IRQ line to match. The PIC sees the rising edge; the line stays
// high until register C is read or the enables are cleared.
func (r *RTC) updateIRQ() {
	flags := r.ram[regC] & (cPF | cAF | cUF)
	if flags&r.ram[regB]&(bPIE|bAIE|bUIE) != 0 {
		flags |= cIRQF
	}
	r.ram[regC] = flags
	if level := flags&cIRQF != 0; level != r.level {
		r.level = level
		r.out.Set(level)
	}
}

// schedule arms timers for the next event that could raise the IRQ line
// and disarms the rest. While IRQF is already set nothing can change the
// line until register C is read, so flags are left to lazy sync.
func (r *RTC) schedule() {
	idle := !r.running() || r.ram[regC]&cIRQF != 0
	b := r.ram[regB]
	if !idle && b&bSET == 0 && b&(bUIE|bAIE) != 0 {
		r.updateTimer.Set(r.nextUpdate)
	} else {
		r.updateTimer.Stop()
	}
	if p := r.periodTicks(); !idle && p != 0 && b&bPIE != 0 {
		r.periodicTimer.Set(r.nextPeriodic(p))
	} else {
		r.periodicTimer.Stop()
	}
}
