package debugport

import (
	"math/bits"

	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Default places of the power-management registers. The board maps them
// here and describes them to the OS in the ACPI FADT, whose fields are
// named in the comments (ACPI specification, "Fixed ACPI Description
// Table" and "PM1 Event Grouping", "PM1 Control Grouping", "Power
// Management Timer").
const (
	PM1aEventBase   = 0x600     // FADT PM1a_EVT_BLK: PM1_STS then PM1_EN
	PM1EventLen     = 4         // FADT PM1_EVT_LEN
	PM1aControlBase = 0x604     // FADT PM1a_CNT_BLK: PM1_CNT
	PM1ControlLen   = 2         // FADT PM1_CNT_LEN
	PMTimerBase     = 0x608     // FADT PM_TMR_BLK: PM_TMR
	PMTimerLen      = 4         // FADT PM_TMR_LEN
	PMTimerHz       = 3_579_545 // the PM timer's rate, fixed by the spec
	SCIIRQ          = 9         // FADT SCI_INT: the SCI's ISA IRQ, as on PIIX4
	DefaultS5Type   = 0         // SLP_TYP of \_S5 in QEMU's PIIX4 tables
)

// PM1_STS bits (ACPI, "PM1 Status Registers Fixed Hardware Feature Status
// Bits"). All are write-1-to-clear.
const (
	stsTMR    = 1 << 0  // TMR_STS: the timer's top bit changed
	stsGBL    = 1 << 5  // GBL_STS: firmware released the global lock (never set: no SMM)
	stsPWRBTN = 1 << 8  // PWRBTN_STS: the power button was pressed
	stsSLPBTN = 1 << 9  // SLPBTN_STS: sleep button (never set: none fitted)
	stsRTC    = 1 << 10 // RTC_STS: RTC alarm (never set: not wired)
	stsWAK    = 1 << 15 // WAK_STS: the machine woke from a sleep state
	stsMask   = stsTMR | stsGBL | stsPWRBTN | stsSLPBTN | stsRTC | stsWAK
)

// PM1_EN bits: the same positions as the status bits they enable onto the
// SCI (ACPI, "PM1 Enable Registers Fixed Hardware Feature Enable Bits").
const (
	enTMR     = stsTMR
	enGBL     = stsGBL
	enPWRBTN  = stsPWRBTN
	enSLPBTN  = stsSLPBTN
	enRTC     = stsRTC
	enMask    = enTMR | enGBL | enPWRBTN | enSLPBTN | enRTC
	sciEvents = enMask // status bits that raise the SCI when enabled
)

// PM1_CNT bits (ACPI, "PM1 Control Registers Fixed Hardware Feature
// Control Bits").
const (
	cntSCIEN  = 1 << 0  // SCI_EN: events signal the SCI (else SMI, absent here)
	cntBMRLD  = 1 << 1  // BM_RLD: stored only
	cntGBLRLS = 1 << 2  // GBL_RLS: write-only, would raise an SMI; ignored
	cntSLPTYP = 7 << 10 // SLP_TYP: the sleep state to enter
	cntSLPEN  = 1 << 13 // SLP_EN: write-only, enters SLP_TYP
	cntStored = cntSCIEN | cntBMRLD | cntSLPTYP
)

// PowerManagement is an ACPI fixed-hardware power-management block in the
// style of the PIIX4's: the PM1a event registers (PM1_STS, PM1_EN), the
// PM1a control register (PM1_CNT) and the PM timer. It serves three port
// ranges through Events, Control and Timer.
//
// Writing SLP_EN with SLP_TYP equal to S5Type calls the power-off
// callback. Other sleep types are not modelled: the machine wakes at once,
// setting WAK_STS so an OS waiting for the wake carries on, and OnSleep is
// told. The PM timer counts at PMTimerHz from the virtual clock, 24 bits
// wide unless Timer32 is set (FADT flag TMR_VAL_EXT must match); each
// change of its top bit sets TMR_STS. PressPowerButton sets PWRBTN_STS.
//
// The SCI output is a level: high while SCI_EN is set and some status bit
// is set together with its enable bit. The board wires it to SCIIRQ and
// marks that IRQ level-triggered (ELCR). SCI_EN is a plain read/write bit
// and reset clears it: a board whose FADT has no SMI_CMD (so the OS takes
// the machine to be in ACPI mode already) has its firmware set SCI_EN
// before boot.
type PowerManagement struct {
	// S5Type is the SLP_TYP value (0-7) that means soft-off; it must match
	// the \_S5 package in the board's DSDT. NewPowerManagement sets
	// DefaultS5Type.
	S5Type uint8
	// Timer32 makes the PM timer 32 bits wide instead of 24.
	Timer32 bool
	// OnSleep, if not nil, is called with SLP_TYP when the guest enters a
	// sleep state other than S5.
	OnSleep func(slpTyp uint8)

	clk        *clock.Clock
	sci        irq.Line
	sciLevel   bool   // last level driven on sci
	onPowerOff func() // called on S5 entry; may be nil

	sts uint16 // PM1_STS
	en  uint16 // PM1_EN
	cnt uint16 // PM1_CNT, stored bits only

	tmr    *clock.Timer // fires when the timer's top bit next changes
	tmrBit uint         // which bit the armed timer watches (23 or 31)
	tmrTop uint64       // that bit's value when the timer was armed
}

// NewPowerManagement returns the block in its reset state. clk must not
// be nil; sci may be nil (irq.None). onPowerOff, if not nil, is called on
// the bus's goroutine when the guest enters S5; the board requests a
// cpu.StopFlag stop (cpu.ExitPowerOff) there.
func NewPowerManagement(clk *clock.Clock, sci irq.Line, onPowerOff func()) *PowerManagement {
	if sci == nil {
		sci = irq.None
	}
	p := &PowerManagement{S5Type: DefaultS5Type, clk: clk, sci: sci, onPowerOff: onPowerOff}
	p.tmr = clk.NewTimer(p.timerFire)
	p.Reset()
	return p
}

// Reset clears PM1_STS, PM1_EN and PM1_CNT (so SCI_EN too) and lowers the
// SCI. The PM timer keeps counting: it follows the virtual clock.
func (p *PowerManagement) Reset() {
	p.sts, p.en, p.cnt = 0, 0, 0
	p.armTimer(p.clk.Now())
	p.update()
}

// PressPowerButton reports a press of the fixed-feature power button: it
// sets PWRBTN_STS, which raises the SCI when PWRBTN_EN and SCI_EN are
// set, and an ACPI OS then shuts down on its own. A guest that does not
// listen ignores it; the board decides whether to cut power after a
// while. Call it on the bus's goroutine.
func (p *PowerManagement) PressPowerButton() {
	p.sts |= stsPWRBTN
	p.update()
}

// Events returns the handler of the PM1a event block: PM1_STS at offset
// 0 and PM1_EN at offset 2, 16 bits each. Map PM1EventLen ports.
func (p *PowerManagement) Events() *EventBlock { return &EventBlock{p: p} }

// Control returns the handler of the PM1a control block: PM1_CNT, 16
// bits. Map PM1ControlLen ports.
func (p *PowerManagement) Control() *ControlBlock { return &ControlBlock{p: p} }

// Timer returns the handler of the PM timer: PM_TMR, 32 bits, read-only.
// Map PMTimerLen ports.
func (p *PowerManagement) Timer() *TimerBlock { return &TimerBlock{p: p} }

// update drives the SCI.
func (p *PowerManagement) update() {
	level := p.cnt&cntSCIEN != 0 && p.sts&p.en&sciEvents != 0
	if level != p.sciLevel {
		p.sciLevel = level
		p.sci.Set(level)
	}
}

// sleep enters the state SLP_TYP names.
func (p *PowerManagement) sleep(typ uint8) {
	if typ == p.S5Type {
		if p.onPowerOff != nil {
			p.onPowerOff()
		}
		return
	}
	p.sts |= stsWAK // woken at once: sleeping is not modelled
	if p.OnSleep != nil {
		p.OnSleep(typ)
	}
}

// topBit is the timer bit whose changes set TMR_STS.
func (p *PowerManagement) topBit() uint {
	if p.Timer32 {
		return 31
	}
	return 23
}

// ticks converts virtual nanoseconds to PM timer ticks, in 128-bit
// arithmetic so it stays exact for any time the clock can hold.
func ticks(ns uint64) uint64 {
	hi, lo := bits.Mul64(ns, PMTimerHz)
	q, _ := bits.Div64(hi, lo, 1_000_000_000) // hi < 1e9 because PMTimerHz < 1e9
	return q
}

// nsAtTick is the first virtual nanosecond at which the timer reads at
// least t; ok is false if that is beyond the clock's range.
func nsAtTick(t uint64) (ns uint64, ok bool) {
	hi, lo := bits.Mul64(t, 1_000_000_000)
	if hi >= PMTimerHz {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, PMTimerHz)
	if r != 0 {
		if q == ^uint64(0) {
			return 0, false
		}
		q++
	}
	return q, true
}

// counter is the value PM_TMR reads now.
func (p *PowerManagement) counter() uint32 {
	t := uint32(ticks(p.clk.Now()))
	if !p.Timer32 {
		t &= 1<<24 - 1
	}
	return t
}

// armTimer arms the timer for the next change of the top bit after time
// now.
func (p *PowerManagement) armTimer(now uint64) {
	p.tmrBit = p.topBit()
	t := ticks(now)
	p.tmrTop = t >> p.tmrBit & 1
	next := (t>>p.tmrBit + 1) << p.tmrBit
	if ns, ok := nsAtTick(next); ok {
		p.tmr.Set(ns)
	} else {
		p.tmr.Stop()
	}
}

func (p *PowerManagement) timerFire(deadline uint64) {
	// If Timer32 changed since arming, the watched bit is not the top
	// bit any more: just re-arm for the right one.
	if p.tmrBit == p.topBit() && ticks(deadline)>>p.tmrBit&1 != p.tmrTop {
		p.sts |= stsTMR
	}
	p.armTimer(deadline)
	p.update()
}

// lanes returns the bytes of regs (an n-byte register file) that an
// access of size bytes at off sees; lanes past the file read 0xFF.
func lanes(regs uint32, n int, off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		b := uint32(0xFF)
		if o := int(off) + i; o < n {
			b = regs >> (8 * o) & 0xFF
		}
		v |= b << (8 * i)
	}
	return v
}

// EventBlock is the bus.PortHandler of the PM1a event block.
type EventBlock struct{ p *PowerManagement }

// ReadPort returns PM1_STS and PM1_EN bytes.
func (e *EventBlock) ReadPort(off uint16, size int) uint32 {
	p := e.p
	return lanes(uint32(p.sts)|uint32(p.en)<<16, PM1EventLen, off, size)
}

// WritePort clears the PM1_STS bits written as 1 and sets PM1_EN; bits
// with no function read 0.
func (e *EventBlock) WritePort(off uint16, size int, v uint32) {
	p := e.p
	for i := 0; i < size && i < 4; i++ {
		b := uint16(v >> (8 * i) & 0xFF)
		switch int(off) + i {
		case 0:
			p.sts &^= b & stsMask
		case 1:
			p.sts &^= b << 8 & stsMask
		case 2:
			p.en = (p.en&0xFF00 | b) & enMask
		case 3:
			p.en = (p.en&0x00FF | b<<8) & enMask
		}
	}
	p.update()
}

// SetACPIMode sets or clears SCI_EN, as a firmware's SMI handler does
// for the OS's ACPI_ENABLE or ACPI_DISABLE command on SMI_CMD.
func (p *PowerManagement) SetACPIMode(on bool) {
	if on {
		p.cnt |= cntSCIEN
	} else {
		p.cnt &^= cntSCIEN
	}
	p.update()
}

// ControlBlock is the bus.PortHandler of the PM1a control block.
type ControlBlock struct{ p *PowerManagement }

// ReadPort returns PM1_CNT bytes; SLP_EN and GBL_RLS read 0.
func (c *ControlBlock) ReadPort(off uint16, size int) uint32 {
	return lanes(uint32(c.p.cnt), PM1ControlLen, off, size)
}

// WritePort sets PM1_CNT. A write with SLP_EN set enters the sleep state
// in the SLP_TYP bits of the same write.
func (c *ControlBlock) WritePort(off uint16, size int, v uint32) {
	p := c.p
	for i := 0; i < size && i < 4; i++ {
		b := uint16(v >> (8 * i) & 0xFF)
		switch int(off) + i {
		case 0:
			p.cnt = p.cnt&0xFF00 | b&cntStored
		case 1:
			p.cnt = p.cnt&0x00FF | b<<8&cntStored
			if b<<8&cntSLPEN != 0 {
				p.sleep(uint8(p.cnt & cntSLPTYP >> 10))
			}
		}
	}
	p.update()
}

// TimerBlock is the bus.PortHandler of the PM timer.
type TimerBlock struct{ p *PowerManagement }

// ReadPort returns PM_TMR bytes.
func (t *TimerBlock) ReadPort(off uint16, size int) uint32 {
	return lanes(t.p.counter(), PMTimerLen, off, size)
}

// WritePort does nothing: PM_TMR is read-only.
func (t *TimerBlock) WritePort(off uint16, size int, v uint32) {}
