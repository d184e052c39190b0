package uart

import (
	"io"
	"sync"
	"sync/atomic"

	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Port is one 16550A serial port. It serves the eight registers at offsets
// 0-7 of its range (map it with bus.Size8; wider accesses are split) and
// drives one IRQ line.
//
// Host side: transmitted characters go to the io.Writer given to New or
// SetOutput, through a queue drained by another goroutine, so the writer
// may block without stalling the guest (see Flush, Dropped, Err); received
// characters come from Receive. Receive, SetNotify, SetOutput, Flush, Err
// and Dropped are safe from any goroutine; everything else must be called
// from the goroutine that owns the clock.
type Port struct {
	clk      *clock.Clock
	irq      irq.Line
	irqLevel bool // last level driven on irq

	// Guest-visible registers.
	ier     uint8  // interrupt enable (bits 0-3)
	lcr     uint8  // line control
	mcr     uint8  // modem control (bits 0-4)
	fcr     uint8  // FIFO enable, DMA mode and trigger bits as last written
	scr     uint8  // scratch
	divisor uint16 // baud divisor latch (DLM:DLL)

	lsrErrors uint8 // OE, PE, FE, BI latched until LSR is read
	msrDelta  uint8 // DCTS, DDSR, TERI, DDCD latched until MSR is read
	inputs    uint8 // modem inputs as MSR bits 4-7 (loopback: from MCR)
	external  uint8 // what the host terminal drives on CTS, DSR, RI, DCD (MSR bits 4-7)

	// Receiver: the FIFO (depth 1 in 16450 mode) and the last character
	// read, which RBR keeps returning once the FIFO is empty.
	rx             fifo
	rbr            uint8
	timeoutPending bool // character timeout indication (FIFO mode)
	breakSent      bool // the loopback break has delivered its BI character

	// Transmitter: the holding register or FIFO, and the shift register.
	tx         fifo
	tsr        uint8
	tsrBusy    bool // tsr holds a character being shifted out
	thrPending bool // THRE interrupt latched: set when THR empties, cleared by IIR read or THR write

	// evTime is the virtual time of the event being handled: the clock's
	// time for a register access, the deadline for a timer callback (the
	// clock may already be past it when one Advance fires several timers),
	// so chained timers keep exact line timing.
	evTime uint64

	txTimer      *clock.Timer // end of the character in tsr
	rxTimer      *clock.Timer // next host character reaches the receiver
	timeoutTimer *clock.Timer // four character times of receiver inactivity
	breakTimer   *clock.Timer // loopback break detected after one character time

	out output // host side of the transmitter

	// Host input, filled by Receive from any goroutine.
	mu       sync.Mutex
	hostQ    []byte
	hostLen  atomic.Int64 // len(hostQ), readable without mu
	notifyFn func()
}

// New returns a UART in its reset state. clk must not be nil; line may be
// nil (irq.None); out receives every transmitted character and may be nil.
func New(clk *clock.Clock, line irq.Line, out io.Writer) *Port {
	if line == nil {
		line = irq.None
	}
	p := &Port{clk: clk, irq: line, external: externalInputs}
	p.out.init(out)
	p.txTimer = clk.NewTimer(p.txDone)
	p.rxTimer = clk.NewTimer(p.rxArrive)
	p.timeoutTimer = clk.NewTimer(p.timeoutFire)
	p.breakTimer = clk.NewTimer(p.breakFire)
	p.Reset()
	return p
}

// Reset puts the UART in its power-on state (PC16550D datasheet, Table I
// "Reset configuration"): interrupts off, FIFOs off and empty, 5N1 at
// ResetDivisor, modem outputs inactive. Host input already queued by
// Receive is kept, and so are the modem lines set by SetModemLines (they
// belong to the host terminal, not the chip); the character being shifted
// out is abandoned, characters already transmitted still reach the writer.
func (p *Port) Reset() {
	p.evTime = p.clk.Now()
	p.txTimer.Stop()
	p.rxTimer.Stop()
	p.timeoutTimer.Stop()
	p.breakTimer.Stop()
	p.ier, p.lcr, p.mcr, p.fcr, p.scr = 0, 0, 0, 0, 0
	p.divisor = ResetDivisor
	p.lsrErrors, p.msrDelta = 0, 0
	p.inputs = p.external
	p.rx.clear()
	p.tx.clear()
	p.rbr, p.tsr = 0, 0
	p.tsrBusy, p.thrPending, p.timeoutPending, p.breakSent = false, false, false, false
	p.update()
	p.pumpHost()
}

// ReadPort implements bus.PortHandler. A wider access reads consecutive
// registers, one per byte lane; lanes past the eight registers read 0xFF.
func (p *Port) ReadPort(off uint16, size int) uint32 {
	p.evTime = p.clk.Now()
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		b := uint8(0xFF) // nothing drives the bus outside the eight registers
		if o := uint32(off) + uint32(i); o < Size {
			b = p.readReg(uint16(o))
		}
		v |= uint32(b) << (8 * i)
	}
	return v
}

// WritePort implements bus.PortHandler. A wider access writes consecutive
// registers, one per byte lane; lanes past the eight registers are dropped.
func (p *Port) WritePort(off uint16, size int, v uint32) {
	p.evTime = p.clk.Now()
	for i := 0; i < size && i < 4; i++ {
		if o := uint32(off) + uint32(i); o < Size {
			p.writeReg(uint16(o), uint8(v>>(8*i)))
		}
	}
}

func (p *Port) dlab() bool { return p.lcr&lcrDLAB != 0 }

func (p *Port) readReg(off uint16) uint8 {
	p.pumpHost()
	switch off {
	case regRBR:
		if p.dlab() {
			return uint8(p.divisor)
		}
		return p.readRBR()
	case regIER:
		if p.dlab() {
			return uint8(p.divisor >> 8)
		}
		return p.ier
	case regIIR:
		return p.readIIR()
	case regLCR:
		return p.lcr
	case regMCR:
		return p.mcr
	case regLSR:
		return p.readLSR()
	case regMSR:
		return p.readMSR()
	case regSCR:
		return p.scr
	}
	return 0xFF
}

func (p *Port) writeReg(off uint16, v uint8) {
	switch off {
	case regTHR:
		if p.dlab() {
			p.divisor = p.divisor&0xFF00 | uint16(v)
		} else {
			p.writeTHR(v)
		}
	case regIER:
		if p.dlab() {
			p.divisor = p.divisor&0x00FF | uint16(v)<<8
		} else {
			p.writeIER(v)
		}
	case regFCR:
		p.writeFCR(v)
	case regLCR:
		p.lcr = v
		p.checkBreak()
	case regMCR:
		p.writeMCR(v)
	case regSCR:
		p.scr = v
	}
	// LSR and MSR are read-only: the datasheet reserves writes to them for
	// factory test, so they are ignored.
	p.pumpHost()
}

// readIIR reports the highest-priority enabled interrupt. Reading it
// acknowledges a THRE interrupt, and only that one (Table IV).
func (p *Port) readIIR() uint8 {
	id := p.pendingID()
	if id == iirTHRE {
		p.thrPending = false
		p.update()
	}
	if p.fifoOn() {
		id |= iirFIFOs
	}
	return id
}

func (p *Port) writeIER(v uint8) {
	old := p.ier
	p.ier = v & ierMask
	// Enabling ETBEI while THR is empty raises THRE at once: drivers
	// (Linux serial8250_start_tx) restart transmission this way.
	if p.ier&ierETBEI != 0 && old&ierETBEI == 0 {
		p.thrPending = p.tx.n == 0
	}
	p.update()
}

// readLSR returns the line status and clears the error bits, which also
// acknowledges a line status interrupt.
func (p *Port) readLSR() uint8 {
	v := p.lsrErrors
	if p.rx.n > 0 {
		v |= lsrDR
	}
	if p.tx.n == 0 {
		v |= lsrTHRE
		if !p.tsrBusy {
			v |= lsrTEMT
		}
	}
	if p.fifoOn() && p.rx.anyFlags() {
		v |= lsrRxFIFOErr
	}
	// The errors of the character at the top of the FIFO have now been
	// reported; LSR7 stays set only for later characters with errors.
	p.lsrErrors = 0
	p.rx.clearTopFlags()
	p.update()
	return v
}

// readMSR returns the modem inputs and deltas, clearing the deltas and
// with them the modem status interrupt.
func (p *Port) readMSR() uint8 {
	v := p.inputs | p.msrDelta
	p.msrDelta = 0
	p.update()
	return v
}

func (p *Port) writeMCR(v uint8) {
	old := p.mcr
	p.mcr = v & mcrMask
	p.setInputs(p.modemInputs())
	if (old^p.mcr)&mcrLoop != 0 {
		p.checkBreak()
	}
	p.update()
}

func (p *Port) loopback() bool { return p.mcr&mcrLoop != 0 }

// modemInputs returns what the MSR input bits see: in loopback mode the
// four modem control outputs are wired to them (RTS→CTS, DTR→DSR,
// OUT1→RI, OUT2→DCD), otherwise the host terminal's signals.
func (p *Port) modemInputs() uint8 {
	if !p.loopback() {
		return p.external
	}
	var in uint8
	if p.mcr&mcrRTS != 0 {
		in |= msrCTS
	}
	if p.mcr&mcrDTR != 0 {
		in |= msrDSR
	}
	if p.mcr&mcrOUT1 != 0 {
		in |= msrRI
	}
	if p.mcr&mcrOUT2 != 0 {
		in |= msrDCD
	}
	return in
}

// setInputs latches the delta bits for every input that changed. RI only
// counts on its trailing edge, when the ring stops.
func (p *Port) setInputs(in uint8) {
	changed := p.inputs ^ in
	if changed&msrCTS != 0 {
		p.msrDelta |= msrDCTS
	}
	if changed&msrDSR != 0 {
		p.msrDelta |= msrDDSR
	}
	if changed&msrDCD != 0 {
		p.msrDelta |= msrDDCD
	}
	if p.inputs&msrRI != 0 && in&msrRI == 0 {
		p.msrDelta |= msrTERI
	}
	p.inputs = in
}

// rxDataAvailable is the priority 2 "received data available" condition:
// the trigger level reached in FIFO mode, any character in 16450 mode.
func (p *Port) rxDataAvailable() bool {
	if p.fifoOn() {
		return p.rx.n >= rxTriggerLevels[p.fcr>>6]
	}
	return p.rx.n > 0
}

// pendingID returns the IIR identification of the highest-priority
// enabled interrupt (Table IV), or iirNoInt.
func (p *Port) pendingID() uint8 {
	switch {
	case p.ier&ierELSI != 0 && p.lsrErrors != 0:
		return iirRLS
	case p.ier&ierERBFI != 0 && p.rxDataAvailable():
		return iirRDA
	case p.ier&ierERBFI != 0 && p.timeoutPending:
		return iirCTI
	case p.ier&ierETBEI != 0 && p.thrPending:
		return iirTHRE
	case p.ier&ierEDSSI != 0 && p.msrDelta != 0:
		return iirMS
	}
	return iirNoInt
}

// update drives the IRQ line: INTR gated by the OUT2 pin, which loopback
// mode forces inactive.
func (p *Port) update() {
	level := p.pendingID() != iirNoInt && p.mcr&mcrOUT2 != 0 && !p.loopback()
	if level != p.irqLevel {
		p.irqLevel = level
		p.irq.Set(level)
	}
}

// ModemLines are the modem status signals the host terminal drives into
// the port (true: asserted). A port starts with CTS, DSR and DCD asserted
// and RI not, like a terminal that is connected and ready, so guests that
// wait for carrier or clear-to-send before talking proceed.
type ModemLines struct {
	CTS bool // clear to send (MSR bit 4)
	DSR bool // data set ready (MSR bit 5)
	RI  bool // ring indicator (MSR bit 6)
	DCD bool // data carrier detect (MSR bit 7)
}

// SetModemLines changes the modem status inputs as a host terminal or
// modem would: each change latches its MSR delta bit (RI only on its
// trailing edge) and may raise the modem status interrupt. In loopback
// mode the inputs are disconnected; the new levels take effect when the
// guest leaves it. Call it from the clock's goroutine.
func (p *Port) SetModemLines(m ModemLines) {
	var in uint8
	if m.CTS {
		in |= msrCTS
	}
	if m.DSR {
		in |= msrDSR
	}
	if m.RI {
		in |= msrRI
	}
	if m.DCD {
		in |= msrDCD
	}
	p.evTime = p.clk.Now()
	p.external = in
	if !p.loopback() {
		p.setInputs(in)
		p.update()
	}
}
