package apic

import (
	"math/bits"
	"sync"

	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Local APIC constants of the PC.
const (
	// DefaultBase is the local APIC's physical address at reset
	// (IA32_APIC_BASE bits 35-12).
	DefaultBase = 0xFEE00000
	// Size is the length of the local APIC's MMIO page.
	Size = 0x1000
	// Version is the version register: version 14h (an integrated
	// xAPIC, as QEMU reports), max LVT entry 5 (six entries).
	Version = 0x00050014
	// MSRAPICBase is the IA32_APIC_BASE MSR number.
	MSRAPICBase = 0x1B
)

// IA32_APIC_BASE bits (SDM Vol. 3A, 10.4.4, Figure 10-5).
const (
	BaseBSP    = 1 << 8  // the bootstrap processor
	BaseEnable = 1 << 11 // APIC global enable
	baseAddr   = 0xFFFFFF000
	baseRW     = baseAddr | BaseEnable | BaseBSP
)

// Register offsets (SDM Vol. 3A, Table 10-1 "Local APIC Register Address
// Map").
const (
	regID       = 0x020
	regVersion  = 0x030
	regTPR      = 0x080
	regAPR      = 0x090
	regPPR      = 0x0A0
	regEOI      = 0x0B0
	regRRD      = 0x0C0
	regLDR      = 0x0D0
	regDFR      = 0x0E0
	regSVR      = 0x0F0
	regISR      = 0x100 // eight registers, 100h-170h
	regTMR      = 0x180 // 180h-1F0h
	regIRR      = 0x200 // 200h-270h
	regESR      = 0x280
	regICRLow   = 0x300
	regICRHigh  = 0x310
	regLVT      = 0x320 // six entries, 320h-370h: lvtTimer..lvtError
	regInitial  = 0x380
	regCurrent  = 0x390
	regDivide   = 0x3E0
	regLVTFirst = regLVT
	regLVTLast  = regLVT + 0x10*(numLVT-1)
)

// LVT entries, in register order.
const (
	lvtTimer = iota
	lvtThermal
	lvtPerf
	lvtLINT0
	lvtLINT1
	lvtError
	numLVT
)

// LVT and ICR fields (SDM Vol. 3A, Figure 10-8 "Local Vector Table" and
// Figure 10-12 "Interrupt Command Register").
const (
	lvtVector      = 0xFF
	lvtModeShift   = 8
	lvtRemoteIRR   = 1 << 14
	lvtLevel       = 1 << 15 // trigger mode: level
	lvtMasked      = 1 << 16
	lvtPeriodic    = 1 << 17 // timer mode
	icrDestLogical = 1 << 11
	icrAssert      = 1 << 14
	icrShift       = 18 // destination shorthand, bits 19-18

	// Writable bits of each LVT entry (the delivery status bit 12 and
	// remote IRR bit 14 are read-only; thermal and performance entries
	// have a delivery mode, the timer and error entries do not).
	lvtRWTimer = lvtVector | lvtMasked | lvtPeriodic
	lvtRWLocal = lvtVector | 7<<lvtModeShift | lvtMasked
	lvtRWLINT  = lvtVector | 7<<lvtModeShift | 1<<13 | lvtLevel | lvtMasked
	lvtRWError = lvtVector | lvtMasked

	icrLowRW  = 0xCCFFF // vector, mode, dest mode, level, trigger, shorthand
	icrHighRW = 0xFF000000
	svrRW     = 0x3FF // vector, software enable, focus check
	svrEnable = 1 << 8
	dfrRW     = 0xF0000000
	divideRW  = 0xB
)

// Delivery modes (LVT, ICR and I/O APIC redirection entries).
const (
	ModeFixed    = 0
	ModeLowest   = 1
	ModeSMI      = 2
	ModeNMI      = 4
	ModeINIT     = 5
	ModeStartUp  = 6
	ModeExtINT   = 7
	modeReserved = 3
)

// Error status register bits (SDM Vol. 3A, Figure 10-9).
const (
	esrSendIllegal    = 1 << 5 // send illegal vector
	esrReceiveIllegal = 1 << 6 // receive illegal vector
	esrIllegalReg     = 1 << 7 // illegal register address
)

// Reset values.
const (
	lvtReset   = lvtMasked
	lint0Reset = ModeExtINT << lvtModeShift // QEMU's BSP: virtual wire from power-on
	svrReset   = 0xFF
)

// Interrupts is the 8259A pair as LINT0 sees it in ExtINT mode: its INT
// output and the interrupt-acknowledge cycle that reads its vector.
// pic.Controller implements it.
type Interrupts interface {
	Pending() bool
	Ack() uint8
}

// Message is one interrupt on the APIC bus: from the I/O APIC's
// redirection table or from an interprocessor interrupt.
type Message struct {
	Vector  uint8
	Mode    uint8 // delivery mode: ModeFixed, ModeNMI, ...
	Logical bool  // Dest is a logical destination (LDR/DFR), else an APIC ID
	Dest    uint8
	Level   bool // level-triggered: the EOI is broadcast back
}

// Local is the local APIC of the one CPU. It is the board's cpu.Interrupts
// (Pending and Ack), it serves its MMIO page (bus.MMIOHandler, 32-bit
// registers; narrower reads see part of a register, narrower writes are
// dropped, as QEMU's), and it holds IA32_APIC_BASE for the engine's
// RDMSR and WRMSR. It is safe for concurrent use.
type Local struct {
	mu  sync.Mutex
	clk *clock.Clock
	pic Interrupts // the 8259 pair on LINT0
	nmi irq.Line   // the CPU's NMI: pulsed for each NMI
	// eoi and remap are called with mu released.
	eoi   func(vector uint8)         // level-triggered EOI, to the I/O APIC
	remap func(base uint32, on bool) // the MMIO page moved or went away

	base   uint64 // IA32_APIC_BASE
	id     uint8
	tpr    uint8
	ldr    uint32
	dfr    uint32
	svr    uint32
	isr    [8]uint32 // in service, vector v at bit v%32 of word v/32
	tmr    [8]uint32 // trigger mode of the accepted vectors: 1 level
	irr    [8]uint32 // requests
	esr    uint32    // what the guest reads: latched by a write
	errors uint32    // errors since the last ESR write
	icr    [2]uint32
	lvt    [numLVT]uint32

	initial  uint32       // timer initial count
	divide   uint32       // divide configuration register
	shift    uint         // log2 of the divisor
	loadTime uint64       // virtual ns when initial was written
	timer    *clock.Timer // armed for the next expiry
	lint     [2]bool      // LINT0 and LINT1 levels
}

// LocalConfig is what a Local is wired to.
type LocalConfig struct {
	// Clock is the machine's virtual clock; the APIC timer runs on it.
	Clock *clock.Clock
	// PIC is the 8259 pair on LINT0 (ExtINT); nil for none.
	PIC Interrupts
	// NMI is pulsed for an NMI (LVT, IPI, or LINT1 with the APIC off).
	NMI irq.Line
	// EOI hears the vector of each EOI of a level-triggered interrupt:
	// the broadcast to the I/O APIC.
	EOI func(vector uint8)
	// Remap is told where the MMIO page is after a reset or a write of
	// IA32_APIC_BASE: at base when on, nowhere when the APIC is
	// disabled (or above 4 GiB).
	Remap func(base uint32, on bool)
}

// NewLocal returns a local APIC in its reset state, its page at
// DefaultBase: the caller maps it there (Remap is called only for later
// moves, and on every Reset).
func NewLocal(cfg LocalConfig) *Local {
	l := &Local{clk: cfg.Clock, pic: cfg.PIC, nmi: cfg.NMI, eoi: cfg.EOI, remap: cfg.Remap}
	if l.nmi == nil {
		l.nmi = irq.None
	}
	l.timer = l.clk.NewTimer(l.expire)
	l.reset()
	return l
}

// Reset puts the APIC in its power-up state (SDM Vol. 3A, 10.4.7.1): at
// DefaultBase, enabled, software-disabled, every LVT entry masked but
// LINT0, which QEMU leaves in ExtINT mode on the BSP so the 8259 reaches
// the CPU before any software touches the APIC. The LINT pin levels
// stay.
func (l *Local) Reset() {
	l.reset()
	l.moved()
}

func (l *Local) reset() {
	l.mu.Lock()
	l.timer.Stop()
	l.base = DefaultBase | BaseBSP | BaseEnable
	l.id, l.tpr, l.ldr, l.dfr, l.svr = 0, 0, 0, dfrRW, svrReset
	l.isr, l.tmr, l.irr = [8]uint32{}, [8]uint32{}, [8]uint32{}
	l.esr, l.errors, l.icr = 0, 0, [2]uint32{}
	for i := range l.lvt {
		l.lvt[i] = lvtReset
	}
	l.lvt[lvtLINT0] = lint0Reset
	l.initial, l.loadTime = 0, l.clk.Now()
	l.setDivide(0)
	l.mu.Unlock()
}

// moved tells the board where the MMIO page is. Called without mu.
func (l *Local) moved() {
	if l.remap == nil {
		return
	}
	l.mu.Lock()
	b, on := l.base, l.base&BaseEnable != 0
	l.mu.Unlock()
	l.remap(uint32(b&baseAddr), on && b>>32 == 0)
}

// APICBase reads IA32_APIC_BASE.
func (l *Local) APICBase() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.base
}

// SetAPICBase writes IA32_APIC_BASE; false means a reserved bit is set
// (the CPU raises #GP). Clearing the enable bit turns the APIC off until
// the next reset, as on the P6 family (SDM Vol. 3A, 10.4.3): the MMIO
// page goes away, LINT0 and LINT1 become the INTR and NMI pins, and the
// CPUID APIC flag reads 0. The BSP bit is read-only.
func (l *Local) SetAPICBase(v uint64) bool {
	if v&^baseRW != 0 {
		return false
	}
	l.mu.Lock()
	old := l.base
	l.base = v&baseAddr | old&(BaseBSP|BaseEnable)
	if v&BaseEnable == 0 {
		l.base &^= BaseEnable
		l.svr &^= svrEnable
	}
	changed := l.base != old
	l.mu.Unlock()
	if changed {
		l.moved()
	}
	return true
}

// Enabled reports the global enable bit of IA32_APIC_BASE: the CPU has
// an APIC (CPUID leaf 1 EDX bit 9).
func (l *Local) Enabled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.base&BaseEnable != 0
}

// LINT0 is the APIC's LINT0 input; the board connects the 8259's INTR
// to it (pic.Controller.SetINTR). In ExtINT mode the level does not
// matter (Pending asks the PIC); in fixed or NMI mode it raises the
// LVT entry's interrupt.
func (l *Local) LINT0() irq.Line { return irq.Func(func(v bool) { l.setLINT(0, v) }) }

// LINT1 is the APIC's LINT1 input, the PC's NMI pin: in the LVT's NMI
// mode (or with the APIC off) a rising edge is an NMI.
func (l *Local) LINT1() irq.Line { return irq.Func(func(v bool) { l.setLINT(1, v) }) }

func (l *Local) setLINT(n int, level bool) {
	l.mu.Lock()
	rising := level && !l.lint[n]
	l.lint[n] = level
	nmi := false
	switch {
	case l.base&BaseEnable == 0:
		nmi = n == 1 && rising
	default:
		e := l.lvt[lvtLINT0+n]
		if e&lvtMasked != 0 {
			break
		}
		switch e >> lvtModeShift & 7 {
		case ModeFixed:
			switch {
			case e&lvtLevel != 0 && level:
				l.accept(uint8(e), true)
			case e&lvtLevel != 0:
				clearBit(&l.irr, uint8(e))
			case rising:
				l.accept(uint8(e), false)
			}
		case ModeNMI:
			nmi = rising
		}
	}
	l.mu.Unlock()
	if nmi {
		irq.Pulse(l.nmi)
	}
}

// Deliver accepts an interrupt message from the APIC bus if it is
// addressed to this APIC.
func (l *Local) Deliver(m Message) {
	l.mu.Lock()
	ok := l.base&BaseEnable != 0 && l.matches(m.Dest, m.Logical)
	nmi := false
	if ok {
		nmi = l.deliverLocked(m.Mode, m.Vector, m.Level)
	}
	l.mu.Unlock()
	if nmi {
		irq.Pulse(l.nmi)
	}
}

// deliverLocked takes an interrupt of delivery mode mode and reports
// whether it is an NMI for the caller to raise after unlocking.
func (l *Local) deliverLocked(mode, vector uint8, level bool) (nmi bool) {
	switch mode {
	case ModeFixed, ModeLowest:
		l.accept(vector, level)
	case ModeNMI:
		return true
	}
	// SMI, INIT, start-up and ExtINT messages: no SMM, no other
	// processors to start, and ExtINT only through LINT0.
	return false
}

// matches reports whether dest addresses this APIC: physically by ID
// (FFh is a broadcast, as QEMU has it), logically through LDR in the
// flat or cluster model of DFR (SDM Vol. 3A, 10.6.2.2).
func (l *Local) matches(dest uint8, logical bool) bool {
	if !logical {
		return dest == 0xFF || dest == l.id
	}
	ldr := uint8(l.ldr >> 24)
	switch l.dfr >> 28 {
	case 0xF:
		return dest&ldr != 0
	case 0:
		return dest>>4 == ldr>>4 && dest&ldr&0xF != 0
	}
	return false
}

// accept puts vector in IRR (a request already there absorbs it), with
// its trigger mode in TMR. Vectors 0-15 are illegal: they set the ESR's
// receive error instead.
func (l *Local) accept(vector uint8, level bool) {
	if vector < 16 {
		l.raiseError(esrReceiveIllegal)
		return
	}
	setBit(&l.irr, vector)
	if level {
		setBit(&l.tmr, vector)
	} else {
		clearBit(&l.tmr, vector)
	}
}

// raiseError records an error and sends the LVT error interrupt.
func (l *Local) raiseError(bit uint32) {
	l.errors |= bit
	if e := l.lvt[lvtError]; e&lvtMasked == 0 && uint8(e) >= 16 {
		setBit(&l.irr, uint8(e))
		clearBit(&l.tmr, uint8(e))
	}
}

// ppr is the processor priority (SDM Vol. 3A, 10.8.3.1): TPR, or the
// class of the highest vector in service when that is higher.
func (l *Local) ppr() uint8 {
	isrv := highest(&l.isr)
	if isrv < 0 || uint8(isrv)>>4 <= l.tpr>>4 {
		return l.tpr
	}
	return uint8(isrv) & 0xF0
}

// fixedPending returns the vector the APIC would deliver now, or -1: the
// highest request whose class is above PPR, with the APIC software
// enabled. Called with mu held.
func (l *Local) fixedPending() int {
	if l.base&BaseEnable == 0 || l.svr&svrEnable == 0 {
		return -1
	}
	v := highest(&l.irr)
	if v < 0 {
		return -1
	}
	if p := l.ppr(); p != 0 && uint8(v)&0xF0 <= p&0xF0 {
		return -1
	}
	return v
}

// extINT reports whether LINT0 passes the 8259's INTR through: the APIC
// is off, or LINT0 is an unmasked ExtINT entry. Called with mu held.
func (l *Local) extINT() bool {
	if l.pic == nil {
		return false
	}
	if l.base&BaseEnable == 0 {
		return true
	}
	e := l.lvt[lvtLINT0]
	return e&lvtMasked == 0 && e>>lvtModeShift&7 == ModeExtINT
}

// Pending reports the CPU's INTR: an ExtINT request from the 8259 or a
// fixed interrupt above PPR.
func (l *Local) Pending() bool {
	l.mu.Lock()
	fixed, ext := l.fixedPending() >= 0, l.extINT()
	l.mu.Unlock()
	// The PIC is asked without mu: it calls LINT0 with its own lock held.
	return fixed || ext && l.pic.Pending()
}

// Ack is the interrupt-acknowledge cycle. An ExtINT request from the
// 8259 goes first, as ExtINT ignores priorities (QEMU does the same);
// then the highest fixed request moves from IRR to ISR. With nothing
// left to deliver (TPR rose since Pending) it returns the spurious
// vector, which sets no ISR bit.
func (l *Local) Ack() uint8 {
	l.mu.Lock()
	ext := l.extINT() // false without a PIC
	off := l.base&BaseEnable == 0 && l.pic != nil
	l.mu.Unlock()
	if off || ext && l.pic.Pending() {
		return l.pic.Ack()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	v := l.fixedPending()
	if v < 0 {
		return uint8(l.svr)
	}
	clearBit(&l.irr, uint8(v))
	setBit(&l.isr, uint8(v))
	return uint8(v)
}

// eoiLocked ends the highest interrupt in service and returns its vector
// if it was level-triggered (for the broadcast), else -1.
func (l *Local) eoiLocked() int {
	v := highest(&l.isr)
	if v < 0 {
		return -1
	}
	clearBit(&l.isr, uint8(v))
	if getBit(&l.tmr, uint8(v)) {
		return v
	}
	return -1
}

// sendIPI carries out an ICR write (SDM Vol. 3A, 10.6.1). With one CPU
// only the destinations that include this APIC do anything; INIT,
// start-up and SMI are ignored, and INIT level de-assert is the no-op it
// is on a P6 anyway. It reports an NMI for the caller to raise.
func (l *Local) sendIPI() (nmi bool) {
	lo := l.icr[0]
	mode := uint8(lo >> lvtModeShift & 7)
	vector := uint8(lo)
	level := lo&lvtLevel != 0
	var self bool
	switch lo >> icrShift & 3 {
	case 0:
		self = l.matches(uint8(l.icr[1]>>24), lo&icrDestLogical != 0)
	case 1, 2: // self, all including self
		self = true
	case 3: // all excluding self: nobody else here
	}
	if (mode == ModeFixed || mode == ModeLowest) && vector < 16 {
		l.raiseError(esrSendIllegal)
		return false
	}
	if !self {
		return false
	}
	if mode == ModeFixed || mode == ModeLowest {
		// An edge IPI; a level one asserted is accepted as level.
		l.accept(vector, level && lo&icrAssert != 0)
		return false
	}
	return l.deliverLocked(mode, vector, level)
}

func setBit(r *[8]uint32, v uint8)      { r[v>>5] |= 1 << (v & 31) }
func clearBit(r *[8]uint32, v uint8)    { r[v>>5] &^= 1 << (v & 31) }
func getBit(r *[8]uint32, v uint8) bool { return r[v>>5]&(1<<(v&31)) != 0 }

// highest returns the highest vector set in r, or -1.
func highest(r *[8]uint32) int {
	for i := 7; i >= 0; i-- {
		if r[i] != 0 {
			return i*32 + 31 - bits.LeadingZeros32(r[i])
		}
	}
	return -1
}
