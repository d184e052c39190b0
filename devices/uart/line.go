package uart

// fifo is a 16-entry ring of characters, each with the PE/FE/BI flags it
// was received with. In 16450 mode the port uses it with depth 1.
type fifo struct {
	data  [FIFOSize]uint8
	flags [FIFOSize]uint8
	head  int // index of the oldest entry
	n     int // entries in use, 0..FIFOSize
}

func (f *fifo) clear() { *f = fifo{} }

// push appends b; the caller checks capacity first.
func (f *fifo) push(b, flags uint8) {
	if f.n >= FIFOSize {
		return
	}
	i := (f.head + f.n) % FIFOSize
	f.data[i], f.flags[i] = b, flags
	f.n++
}

// pop removes and returns the oldest entry; an empty FIFO yields 0.
func (f *fifo) pop() uint8 {
	if f.n == 0 {
		return 0
	}
	b := f.data[f.head]
	f.flags[f.head] = 0
	f.head = (f.head + 1) % FIFOSize
	f.n--
	return b
}

// topFlags returns the error flags of the oldest entry.
func (f *fifo) topFlags() uint8 {
	if f.n == 0 {
		return 0
	}
	return f.flags[f.head]
}

func (f *fifo) clearTopFlags() {
	if f.n > 0 {
		f.flags[f.head] = 0
	}
}

// replaceTop overwrites the only entry (16450-mode overrun).
func (f *fifo) replaceTop(b, flags uint8) {
	if f.n > 0 {
		f.data[f.head], f.flags[f.head] = b, flags
	}
}

// anyFlags reports whether any entry carries an error.
func (f *fifo) anyFlags() bool {
	for i := 0; i < f.n; i++ {
		if f.flags[(f.head+i)%FIFOSize] != 0 {
			return true
		}
	}
	return false
}

func (p *Port) fifoOn() bool { return p.fcr&fcrEnable != 0 }

// depth is the capacity of each FIFO: 16 with FCR0 set, else the single
// holding/buffer register of the 16450.
func (p *Port) depth() int {
	if p.fifoOn() {
		return FIFOSize
	}
	return 1
}

// wordMask keeps the data bits of the configured word length.
func (p *Port) wordMask() uint8 { return 0xFF >> (3 - p.lcr&lcrWLS) }

// charTime is the length of one character on the line in virtual ns:
// start bit, 5-8 data bits, optional parity bit, and 1, 1.5 (5-bit words)
// or 2 stop bits, each bit lasting divisor/BaseBaud seconds. It is
// computed in half bits so 1.5 stop bits stay exact.
func (p *Port) charTime() uint64 {
	half := 2 * (1 + 5 + uint64(p.lcr&lcrWLS))
	if p.lcr&lcrPEN != 0 {
		half += 2
	}
	switch {
	case p.lcr&lcrSTB == 0:
		half += 2
	case p.lcr&lcrWLS == 0:
		half += 3
	default:
		half += 4
	}
	div := uint64(p.divisor)
	if div == 0 {
		// The datasheet forbids 0; the 16-bit counter would wrap.
		div = 1 << 16
	}
	return max(1, half*div*1_000_000_000/(2*BaseBaud))
}

func (p *Port) writeFCR(v uint8) {
	txBefore := p.tx.n
	if (v^p.fcr)&fcrEnable != 0 {
		// Switching FIFO mode on or off clears both FIFOs (the shift
		// registers keep their character).
		p.clearRx()
		p.tx.clear()
	}
	if v&fcrEnable == 0 {
		// The other FCR bits are only programmed together with FCR0.
		p.fcr = 0
	} else {
		p.fcr = v & (fcrEnable | fcrDMA | fcrTrigger)
		if v&fcrRxReset != 0 {
			p.clearRx()
		}
		if v&fcrTxReset != 0 {
			p.tx.clear()
		}
	}
	if txBefore > 0 && p.tx.n == 0 {
		p.thrPending = true // THR just became empty
	}
	p.update()
}

func (p *Port) clearRx() {
	p.rx.clear()
	p.timeoutPending = false
	p.timeoutTimer.Stop()
}

// writeTHR queues v for transmission. A write acknowledges the THRE
// interrupt. A full FIFO drops the byte; in 16450 mode a second write
// before THR empties overwrites the first, as on the chip.
func (p *Port) writeTHR(v uint8) {
	v &= p.wordMask()
	// Acknowledge first: if v moves straight into the idle shift register,
	// THRE returns at once and the line shows the dip (and the new edge) a
	// real chip makes one bit time later.
	p.thrPending = false
	p.update()
	switch {
	case p.tx.n < p.depth():
		p.tx.push(v, 0)
	case !p.fifoOn():
		p.tx.replaceTop(v, 0)
	}
	p.startTx()
	p.update()
}

// startTx moves the next character from THR into the idle shift register
// and arms the timer for the end of its character time.
func (p *Port) startTx() {
	if p.tsrBusy || p.tx.n == 0 {
		return
	}
	p.tsr = p.tx.pop()
	p.tsrBusy = true
	p.txTimer.Set(p.evTime + p.charTime())
	if p.tx.n == 0 {
		p.thrPending = true // THRE went from 0 to 1
	}
}

// txDone runs when the stop bit of the character in the shift register
// has gone out.
func (p *Port) txDone(deadline uint64) {
	p.evTime = deadline
	p.tsrBusy = false
	b := p.tsr
	if p.loopback() {
		p.receiveChar(b, 0)
	} else {
		p.out.put(b) // queued: the host writer never holds up the line
	}
	p.startTx()
	p.update()
}

// receiveChar moves a character from the receiver shift register into
// RBR/the FIFO. flags carries PE, FE or BI. When there is no room the
// overrun is flagged at once; in FIFO mode the new character is lost, in
// 16450 mode it overwrites the unread one (datasheet, LSR bit 1).
func (p *Port) receiveChar(b, flags uint8) {
	if p.rx.n >= p.depth() {
		p.lsrErrors |= lsrOE
		if !p.fifoOn() {
			p.rx.replaceTop(b, flags)
			p.lsrErrors |= flags
		}
		p.update()
		return
	}
	p.rx.push(b, flags)
	if p.rx.n == 1 {
		p.lsrErrors |= flags // its errors show while it is at the top
	}
	if !p.timeoutPending {
		p.restartTimeout()
	}
	p.update()
}

// readRBR pops the oldest received character. Reading the FIFO clears a
// timeout indication and restarts the timeout timer.
func (p *Port) readRBR() uint8 {
	if p.rx.n == 0 {
		return p.rbr
	}
	p.rbr = p.rx.pop()
	p.lsrErrors |= p.rx.topFlags()
	p.timeoutPending = false
	p.restartTimeout()
	p.pumpHost() // room for the next host character
	p.update()
	return p.rbr
}

// restartTimeout arms the character timeout: four character times from
// the last character in or out of the receive FIFO, FIFO mode only
// (datasheet, FIFO interrupt mode operation).
func (p *Port) restartTimeout() {
	if p.fifoOn() && p.rx.n > 0 {
		p.timeoutTimer.Set(p.evTime + 4*p.charTime())
	} else {
		p.timeoutTimer.Stop()
	}
}

func (p *Port) timeoutFire(deadline uint64) {
	p.evTime = deadline
	if p.fifoOn() && p.rx.n > 0 {
		p.timeoutPending = true
		p.update()
	}
}

// checkBreak follows LCR.SB in loopback mode: the looped-back line held
// at spacing for a character time is a break, delivered once per break as
// a zero character flagged BI. Outside loopback the break goes to the
// host line, where nothing listens for it.
func (p *Port) checkBreak() {
	if p.lcr&lcrSB == 0 || !p.loopback() {
		p.breakTimer.Stop()
		p.breakSent = false
		return
	}
	if !p.breakSent && !p.breakTimer.Armed() {
		p.breakTimer.Set(p.evTime + p.charTime())
	}
}

func (p *Port) breakFire(deadline uint64) {
	p.evTime = deadline
	if p.lcr&lcrSB != 0 && p.loopback() {
		p.breakSent = true
		p.receiveChar(0, lsrBI)
	}
}

// Receive queues host bytes for the guest. It is safe to call from any
// goroutine. The bytes reach the receiver at the line rate, one per
// character time, while the receiver has room and loopback is off; they
// wait otherwise, so host input is never lost to an overrun. The port
// notices new input on its next register access or Poll.
func (p *Port) Receive(data []byte) {
	if len(data) == 0 {
		return
	}
	p.mu.Lock()
	p.hostQ = append(p.hostQ, data...)
	p.hostLen.Store(int64(len(p.hostQ)))
	fn := p.notifyFn
	p.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// SetNotify registers fn to be called (from Receive's goroutine) after
// host input is queued, so a board whose CPU is halted can wake its run
// loop and call Poll. Safe to call from any goroutine.
func (p *Port) SetNotify(fn func()) {
	p.mu.Lock()
	p.notifyFn = fn
	p.mu.Unlock()
}

// Poll lets queued host input start arriving. The board calls it from
// the clock's goroutine, e.g. once per run slice; register accesses do the
// same, so only an interrupt-driven guest that is waiting needs it.
func (p *Port) Poll() {
	if p.hostLen.Load() == 0 {
		return
	}
	p.evTime = p.clk.Now()
	p.pumpHost()
}

// pumpHost arms the receive timer when a host byte is waiting and the
// receiver can take it.
func (p *Port) pumpHost() {
	if p.hostLen.Load() == 0 || p.rxTimer.Armed() || p.loopback() || p.rx.n >= p.depth() {
		return
	}
	p.rxTimer.Set(p.evTime + p.charTime())
}

// rxArrive delivers one host byte: its stop bit has just been received.
func (p *Port) rxArrive(deadline uint64) {
	p.evTime = deadline
	if p.loopback() || p.rx.n >= p.depth() {
		return // the receiver is busy or disconnected; pumpHost retries later
	}
	p.mu.Lock()
	if len(p.hostQ) == 0 {
		p.mu.Unlock()
		return
	}
	b := p.hostQ[0]
	p.hostQ = p.hostQ[1:]
	if len(p.hostQ) == 0 {
		p.hostQ = nil // let the backing array go
	}
	p.hostLen.Store(int64(len(p.hostQ)))
	p.mu.Unlock()
	p.receiveChar(b&p.wordMask(), 0)
	p.pumpHost()
}

// Drain hands what is still waiting to go out, the character in the
// shift register and then the transmit FIFO, to the host writer at once,
// unless the port loops back. The board calls it when a run ends
// (power-off, debug exit, -no-reboot): a real line would carry them for
// a few more character times, and a guest that prints its last line and
// exits at once must not lose it. Like the register accesses, it runs on
// the machine's goroutine.
func (p *Port) Drain() {
	if p.loopback() {
		return
	}
	if p.tsrBusy {
		p.txTimer.Stop()
		p.tsrBusy = false
		p.out.put(p.tsr)
	}
	for p.tx.n > 0 {
		p.out.put(p.tx.pop())
	}
	p.update()
}
