package pit

import "math"

// never is a tick that never comes.
const never = int64(math.MaxInt64)

// Read/write formats, control word bits RW1-RW0 (8254 datasheet, Figure 8
// "Control Word Format"). 00 is the counter latch command.
const (
	rwLatch = 0
	rwLSB   = 1 // least significant byte only
	rwMSB   = 2 // most significant byte only
	rwWord  = 3 // least significant byte first, then most significant byte
)

// segKind says how a counter's CE and OUT evolve during a segment.
type segKind uint8

const (
	// segHold: CE frozen, OUT constant (no count yet, GATE low, or a
	// mode 1/5 counter waiting for its trigger).
	segHold segKind = iota
	// segCount: CE counts down once per clock, wrapping at zero, with at
	// most one terminal count that moves OUT (modes 0, 1, 4 and 5).
	segCount
	// segWave: the periodic reload of modes 2 and 3.
	segWave
)

// seg is a closed-form description of a counter's CE and OUT from tick
// start on, valid while GATE and the programming stay unchanged. Ticks
// are falling edges of the timer clock, counted from virtual time zero.
type seg struct {
	kind   segKind
	start  int64 // first tick described; a load happens on this edge
	preCE  int64 // CE before start (the tick the load was asked for in)
	preOut bool  // OUT before start

	ce        int64 // hold: frozen CE; count: CE at start (reduced mod the modulus)
	out       bool  // hold: OUT; count without terminal count: OUT
	tc        int64 // count: tick at which CE reaches zero, or never
	tcPending bool  // hold in modes 0 and 4: terminal count still to come
	n         int64 // wave: the initial count N, 1..modulus
	low       bool  // wave (mode 3): starts with its low half
}

// counter is one of the 8254's three counters: control logic, count
// register (CR), counting element (CE), output latch (OL) and status.
type counter struct {
	ctrl   uint8 // D5-D0 of the last control word: RW1 RW0 M2 M1 M0 BCD
	mode   uint8 // 0-5 (M2-M0 110 and 111 are modes 2 and 3)
	access uint8 // rwLSB, rwMSB or rwWord
	bcd    bool  // four-decade BCD counting
	gate   bool  // GATE input level

	cr       uint16 // count register, as written (BCD digits in BCD mode)
	crLow    uint8  // LSB of a two-byte count, waiting for the MSB
	writeHi  bool   // rwWord: the next write is the MSB
	hasCount bool   // a complete count was written since the control word

	readHi        bool   // rwWord: the next read returns the MSB
	latched       bool   // OL holds a latched count not yet fully read
	ol            uint16 // output latch
	statusLatched bool   // a status byte waits to be read
	status        uint8

	null   bool  // NULL COUNT: CR written but not yet loaded into CE
	loadAt int64 // tick at which CR moves into CE, or never

	seg     seg
	next    seg  // modes 2 and 3: a new count waiting for a reload boundary
	hasNext bool // next is valid
}

// reset puts the counter in its power-on state: no count, OUT low,
// LSB-then-MSB access in mode 0 (the datasheet leaves it undefined).
func (c *counter) reset(gate bool) {
	*c = counter{ctrl: rwWord << 4, access: rwWord, gate: gate, loadAt: never}
}

// modulus is the number of CE states: 2^16 binary, 10^4 BCD.
func (c *counter) modulus() int64 {
	if c.bcd {
		return 10000
	}
	return 65536
}

// count is the initial count N held in CR; 0 stands for the modulus
// (datasheet "Counter Loading"). Invalid BCD digits are taken at face
// value and reduced, so any byte pattern gives some count.
func (c *counter) count() int64 {
	n := int64(c.cr)
	if c.bcd {
		n = int64(c.cr>>12&0xF)*1000 + int64(c.cr>>8&0xF)*100 +
			int64(c.cr>>4&0xF)*10 + int64(c.cr&0xF)
		n %= 10000
	}
	if n == 0 {
		return c.modulus()
	}
	return n
}

// encode turns a CE value into what the guest reads: binary or BCD.
func (c *counter) encode(ce int64) uint16 {
	ce = mod(ce, c.modulus())
	if !c.bcd {
		return uint16(ce)
	}
	return uint16(ce/1000)<<12 | uint16(ce/100%10)<<8 | uint16(ce/10%10)<<4 | uint16(ce%10)
}

func mod(a, m int64) int64 {
	a %= m
	if a < 0 {
		a += m
	}
	return a
}

// toZero is the number of clocks a CE holding ce needs to reach zero.
func (c *counter) toZero(ce int64) int64 {
	if ce = mod(ce, c.modulus()); ce != 0 {
		return ce
	}
	return c.modulus()
}

// halves returns the lengths of mode 3's high and low halves and the
// value CE takes at the start of each half (8254 datasheet, Mode 3: odd
// counts load N-1 and keep OUT high one clock longer).
func halves(n int64) (hi, lo, top int64) {
	if n%2 == 0 {
		return n / 2, n / 2, n
	}
	return (n + 1) / 2, (n - 1) / 2, n - 1
}

// normalize folds in what happened by tick k: a pending mode 2/3 count
// that reached its boundary becomes the current segment, and a load that
// happened clears NULL COUNT.
func (c *counter) normalize(k int64) {
	if c.hasNext && k >= c.next.start {
		c.seg, c.hasNext = c.next, false
	}
	if c.null && k >= c.loadAt {
		c.null, c.loadAt = false, never
	}
}

// eval returns CE and OUT at tick t (t at or after the last normalize).
func (c *counter) eval(t int64) (ce int64, out bool) {
	if c.hasNext && t >= c.next.start {
		return c.evalSeg(&c.next, t)
	}
	return c.evalSeg(&c.seg, t)
}

func (c *counter) evalSeg(s *seg, t int64) (int64, bool) {
	if t < s.start {
		return s.preCE, s.preOut
	}
	switch s.kind {
	case segCount:
		ce := mod(s.ce-(t-s.start), c.modulus())
		switch {
		case s.tc == never:
			return ce, s.out
		case c.mode == 0 || c.mode == 1:
			return ce, t >= s.tc // low until terminal count, then high
		default:
			return ce, t != s.tc // modes 4 and 5: one clock low at TC
		}
	case segWave:
		j := t - s.start
		if c.mode == 2 {
			// CE runs N..1; OUT is low while CE is 1, then N reloads.
			p := j % s.n
			return s.n - p, p != s.n-1
		}
		hi, lo, top := halves(s.n)
		if s.low {
			j += hi
		}
		p := j % (hi + lo)
		if p < hi {
			return top - 2*p, true
		}
		return top - 2*(p-hi), false
	}
	return s.ce, s.out
}

// nextRise is the first tick after k at which OUT goes from low to high,
// or never.
func (c *counter) nextRise(k int64) int64 {
	if !c.hasNext {
		return c.segRise(&c.seg, k)
	}
	if r := c.segRise(&c.seg, k); r < c.next.start {
		return r
	}
	return c.segRise(&c.next, max(k, c.next.start-1))
}

func (c *counter) segRise(s *seg, k int64) int64 {
	if s.start > k && !s.preOut {
		if _, out := c.evalSeg(s, s.start); out {
			return s.start
		}
	}
	switch s.kind {
	case segCount:
		if s.tc == never {
			return never
		}
		r := s.tc
		if c.mode == 4 || c.mode == 5 {
			r++ // the strobe ends one clock after TC
		}
		if r > k {
			return r
		}
	case segWave:
		// Rises are at start - off + m*period for m >= 1, off being how
		// far into its cycle the segment starts.
		period, off := s.n, int64(0)
		if c.mode == 2 {
			if s.n < 2 {
				return never // count 1 is illegal in mode 2: OUT stays low
			}
		} else {
			hi, lo, _ := halves(s.n)
			if lo == 0 {
				return never // count 1 in mode 3: OUT stays high
			}
			if s.low {
				off = hi
			}
		}
		m := int64(1)
		if d := k - s.start + off; d >= 0 {
			m = d/period + 1
		}
		return s.start - off + m*period
	}
	return never
}

// program handles a control word for this counter: the control logic is
// reset, OUT takes its initial level (low in mode 0, high otherwise) and
// counting waits for a new count.
func (c *counter) program(v uint8, k int64) {
	c.normalize(k)
	ce, _ := c.eval(k)
	c.ctrl = v & 0x3F
	c.access = v >> 4 & 3
	c.mode = v >> 1 & 7
	if c.mode >= 6 {
		c.mode -= 4
	}
	c.bcd = v&1 != 0
	c.writeHi, c.readHi = false, false
	c.latched, c.statusLatched = false, false
	c.hasCount, c.hasNext = false, false
	c.null, c.loadAt = true, never
	c.seg = seg{kind: segHold, start: k, ce: ce, out: c.mode != 0}
}

// latch is the counter latch command: OL takes CE unless a latched count
// is still unread.
func (c *counter) latch(k int64) {
	if c.latched {
		return
	}
	c.normalize(k)
	ce, _ := c.eval(k)
	c.ol, c.latched = c.encode(ce), true
}

// latchStatus latches the status byte unless one is still unread.
func (c *counter) latchStatus(k int64) {
	if c.statusLatched {
		return
	}
	c.normalize(k)
	_, out := c.eval(k)
	c.status = c.ctrl
	if out {
		c.status |= 0x80
	}
	if c.null {
		c.status |= 0x40
	}
	c.statusLatched = true
}

// read serves a read of the counter's port: a latched status first, then
// a latched count, else CE as it is now.
func (c *counter) read(k int64) uint8 {
	if c.statusLatched {
		c.statusLatched = false
		return c.status
	}
	v := c.ol
	if !c.latched {
		c.normalize(k)
		ce, _ := c.eval(k)
		v = c.encode(ce)
	}
	switch c.access {
	case rwLSB:
		c.latched = false
		return uint8(v)
	case rwMSB:
		c.latched = false
		return uint8(v >> 8)
	}
	c.readHi = !c.readHi
	if !c.readHi {
		c.latched = false
		return uint8(v >> 8)
	}
	return uint8(v)
}

// write serves a write of the counter's port: one byte of a new count.
func (c *counter) write(b uint8, k int64) {
	c.normalize(k)
	switch c.access {
	case rwLSB:
		c.cr = uint16(b)
	case rwMSB:
		c.cr = uint16(b) << 8
	default:
		if !c.writeHi {
			c.crLow, c.writeHi = b, true
			if c.mode == 0 {
				// Mode 0: the first byte stops counting and OUT goes
				// low at once; the second byte starts the new count.
				ce, _ := c.eval(k)
				c.seg = seg{kind: segHold, start: k, ce: ce}
				c.hasCount = false
			}
			return
		}
		c.writeHi = false
		c.cr = uint16(c.crLow) | uint16(b)<<8
	}
	c.null = true
	c.load(k)
}

// load acts on a complete new count written in tick k.
func (c *counter) load(k int64) {
	ce, out := c.eval(k)
	n := c.count()
	switch c.mode {
	case 0, 4:
		// Loaded on the next clock, which does not decrement it: OUT
		// moves N+1 clocks after the write. GATE low suspends counting
		// but not the load.
		if c.mode == 0 {
			out = false
		}
		c.hasCount, c.hasNext, c.loadAt = true, false, k+1
		s := seg{start: k + 1, preCE: ce, preOut: out, ce: mod(n, c.modulus())}
		if c.gate {
			s.kind, s.tc = segCount, k+1+c.toZero(n)
		} else {
			s.kind, s.out, s.tcPending = segHold, c.mode == 4, true
		}
		c.seg = s
	case 1, 5:
		// Waits for a trigger on GATE; a one-shot in progress goes on.
		c.hasCount, c.loadAt = true, never
	case 2, 3:
		first := !c.hasCount
		c.hasCount = true
		switch {
		case !c.gate:
			c.loadAt = never // loaded by the next trigger
		case first || c.seg.kind != segWave:
			c.startWave(k)
		case k < c.seg.start:
			c.seg.n, c.loadAt = n, c.seg.start // not loaded yet: replace
		default:
			c.queueWave(n, k)
		}
	}
}

// startWave loads CR on the clock after tick k and starts modes 2 and 3
// with OUT high.
func (c *counter) startWave(k int64) {
	ce, _ := c.eval(k)
	c.seg = seg{kind: segWave, start: k + 1, preCE: ce, preOut: true, n: c.count()}
	c.hasNext, c.loadAt = false, k+1
}

// queueWave makes a new count n, written during counting, take effect at
// the end of the current period (mode 2) or half-period (mode 3).
func (c *counter) queueWave(n, k int64) {
	s := &c.seg
	var b int64
	low := false
	if c.mode == 2 {
		b = k - (k-s.start)%s.n + s.n
	} else {
		hi, lo, _ := halves(s.n)
		j := k - s.start
		if s.low {
			j += hi
		}
		p := j % (hi + lo)
		if p < hi {
			b, low = k-p+hi, true
		} else {
			b = k - p + hi + lo
		}
	}
	preCE, preOut := c.evalSeg(s, b-1)
	c.next = seg{kind: segWave, start: b, preCE: preCE, preOut: preOut, n: n, low: low}
	c.hasNext, c.loadAt = true, b
}

// setGate drives the GATE input at tick k.
func (c *counter) setGate(level bool, k int64) {
	if level == c.gate {
		return
	}
	c.gate = level
	c.normalize(k)
	switch c.mode {
	case 0, 4:
		if !c.hasCount {
			return
		}
		if level {
			c.resume(k)
		} else {
			c.suspend(k)
		}
	case 1, 5:
		if level && c.hasCount {
			c.trigger(k)
		}
	case 2, 3:
		if !level {
			// Counting stops and OUT goes high at once.
			ce, _ := c.eval(k)
			c.seg = seg{kind: segHold, start: k, ce: ce, out: true}
			c.hasNext = false
			if c.null {
				c.loadAt = never
			}
		} else if c.hasCount {
			c.startWave(k) // a trigger reloads on the next clock
		}
	}
}

// suspend freezes a mode 0 or 4 count when GATE falls.
func (c *counter) suspend(k int64) {
	s := c.seg
	if s.kind != segCount {
		return
	}
	if k < s.start {
		// The load on the next clock still happens.
		_, out := c.evalSeg(&s, s.start)
		c.seg = seg{kind: segHold, start: s.start, preCE: s.preCE, preOut: s.preOut,
			ce: s.ce, out: out, tcPending: s.tc != never}
		return
	}
	ce, out := c.evalSeg(&s, k)
	if c.mode == 4 {
		out = true // a strobe in progress ends
	}
	c.seg = seg{kind: segHold, start: k, ce: ce, out: out, tcPending: s.tc != never && s.tc > k}
}

// resume restarts a suspended mode 0 or 4 count when GATE rises.
func (c *counter) resume(k int64) {
	s := c.seg
	if s.kind != segHold {
		return
	}
	start := max(k, s.start)
	n := seg{kind: segCount, start: start, preCE: s.preCE, preOut: s.preOut,
		ce: s.ce, out: s.out, tc: never}
	if start == k && k >= s.start {
		n.preCE, n.preOut = s.ce, s.out
	}
	if s.tcPending {
		n.tc = start + c.toZero(s.ce)
	}
	c.seg = n
}

// trigger starts (or restarts) a mode 1 or 5 one-shot: CR goes to CE on
// the clock after the GATE edge.
func (c *counter) trigger(k int64) {
	ce, out := c.eval(k)
	n := c.count()
	c.seg = seg{kind: segCount, start: k + 1, preCE: ce, preOut: out,
		ce: mod(n, c.modulus()), tc: k + 1 + c.toZero(n)}
	c.hasNext = false
	if c.null {
		c.loadAt = k + 1
	}
}
