package pit

import (
	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Default wiring on the PC.
const (
	// Base is the first port of the 8254: counters 0-2 at 0x40-0x42, the
	// control word register at 0x43.
	Base = 0x40
	// Ports is the number of ports at Base.
	Ports = 4
	// IRQ is the interrupt line counter 0's OUT drives.
	IRQ = 0
	// SystemControlPort is the AT's port 0x61 (see SystemControl).
	SystemControlPort = 0x61
	// ClockHz is the frequency of the counters' CLK inputs: the PC's
	// 14.31818 MHz crystal divided by 12.
	ClockHz = 1_193_182
)

// Port offsets from Base (8254 datasheet, Table 1 "Read/Write
// Operations"; A1 A0).
const (
	portCounter2 = 2
	portControl  = 3
)

// Control word fields (8254 datasheet, Figure 8 and "Read-Back Command").
const (
	cwReadBack   = 3 << 6 // SC1 SC0 = 11: read-back command
	rbNotCount   = 1 << 5 // read-back D5 = 0 latches the count
	rbNotStatus  = 1 << 4 // read-back D4 = 0 latches the status
	rbCounterSel = 0x0E   // read-back D3-D1: CNT2 CNT1 CNT0
)

// refreshTicks is the period of port 0x61's refresh toggle in timer
// clocks: the count of 18 the BIOS programs into counter 1 (15.09 µs).
const refreshTicks = 18

// Timer is an 8254 programmable interval timer wired as on the PC. It
// implements bus.PortHandler for its four ports at Base (byte accesses;
// wider ones are taken byte by byte at consecutive offsets). Like the
// machine's clock it is owned by the run loop and is not safe for
// concurrent use.
type Timer struct {
	clk   *clock.Clock
	out   irq.Line     // counter 0's OUT: IRQ 0
	level bool         // present level of out
	timer *clock.Timer // armed for the next rising edge of OUT0
	ctr   [3]counter
	portB uint8 // port 0x61 bits 3-0 as last written
}

// New returns a timer in its power-on state, counting on clk. out is the
// IRQ 0 line (nil for none).
func New(clk *clock.Clock, out irq.Line) *Timer {
	if out == nil {
		out = irq.None
	}
	t := &Timer{clk: clk, out: out}
	t.timer = clk.NewTimer(t.onTimer)
	t.Reset()
	return t
}

// Reset returns the timer to its power-on state: no counter has a count,
// OUT0 and IRQ 0 are low, port 0x61 is zero (counter 2's GATE low).
// Counters 0 and 1 have GATE tied high as on the PC.
func (t *Timer) Reset() {
	for i := range t.ctr {
		t.ctr[i].reset(i != 2)
	}
	t.portB = 0
	t.timer.Stop()
	if t.level {
		t.level = false
		t.out.Set(false)
	}
}

// tick is the number of timer clock edges since virtual time zero:
// floor(ns * ClockHz / 1e9), computed without overflow.
func tick(ns uint64) int64 {
	s, r := ns/1_000_000_000, ns%1_000_000_000
	return int64(s*ClockHz + r*ClockHz/1_000_000_000)
}

// edgeNs is the virtual time of timer clock edge n: the first ns at which
// tick(ns) == n.
func edgeNs(n int64) uint64 {
	q, m := uint64(n)/ClockHz, uint64(n)%ClockHz
	return q*1_000_000_000 + (m*1_000_000_000+ClockHz-1)/ClockHz
}

func (t *Timer) now() int64 { return tick(t.clk.Now()) }

// ReadPort implements bus.PortHandler: offsets 0-2 read counters 0-2;
// the control word register reads as 0xFF (the 8254 floats the bus).
func (t *Timer) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		v |= uint32(t.readByte(off+uint16(i))) << (8 * i)
	}
	return v
}

// WritePort implements bus.PortHandler: offsets 0-2 take count bytes,
// offset 3 control words and commands.
func (t *Timer) WritePort(off uint16, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		t.writeByte(off+uint16(i), uint8(v>>(8*i)))
	}
}

func (t *Timer) readByte(off uint16) uint8 {
	if off > portCounter2 {
		return 0xFF
	}
	return t.ctr[off].read(t.now())
}

func (t *Timer) writeByte(off uint16, v uint8) {
	k := t.now()
	switch {
	case off <= portCounter2:
		t.ctr[off].write(v, k)
		if off == 0 {
			t.outputChanged(k)
		}
	case off == portControl:
		t.control(v, k)
	}
}

// control serves a write to the control word register.
func (t *Timer) control(v uint8, k int64) {
	if v&cwReadBack == cwReadBack {
		for i := range t.ctr {
			if v&rbCounterSel&(2<<i) == 0 {
				continue
			}
			if v&rbNotCount == 0 {
				t.ctr[i].latch(k)
			}
			if v&rbNotStatus == 0 {
				t.ctr[i].latchStatus(k)
			}
		}
		return
	}
	i := v >> 6
	c := &t.ctr[i]
	if v>>4&3 == rwLatch {
		c.latch(k)
		return
	}
	c.program(v, k)
	if i == 0 {
		t.outputChanged(k)
	}
}

// outputChanged follows a port write that may have changed counter 0:
// the IRQ line takes OUT0's present level and the timer is re-armed for
// OUT0's next rising edge.
func (t *Timer) outputChanged(k int64) {
	c := &t.ctr[0]
	c.normalize(k)
	if _, out := c.eval(k); out != t.level {
		t.level = out
		t.out.Set(out)
	}
	t.arm(k)
}

// arm sets the clock timer for the first rising edge of OUT0 after tick k.
func (t *Timer) arm(k int64) {
	if r := t.ctr[0].nextRise(k); r != never {
		t.timer.Set(edgeNs(r))
	} else {
		t.timer.Stop()
	}
}

// onTimer runs at a rising edge of OUT0. Any low phase since the last
// event is folded in: the line drops and rises again, the edge an
// edge-triggered 8259A input latches.
func (t *Timer) onTimer(uint64) {
	k := t.now()
	t.ctr[0].normalize(k)
	if t.level {
		t.out.Set(false)
	}
	t.level = true
	t.out.Set(true)
	t.arm(k)
}

// SystemControl returns the handler for port 0x61, to be mapped at
// SystemControlPort.
func (t *Timer) SystemControl() *SystemControl { return &SystemControl{t: t} }

// Speaker reports what the PC speaker would play: on when port 0x61
// gates counter 2 and enables its output while counter 2 runs a square
// wave (mode 3), at hz = ClockHz / N.
func (t *Timer) Speaker() (on bool, hz uint32) {
	c := &t.ctr[2]
	c.normalize(t.now())
	if t.portB&(sysGate2|sysSpeaker) != sysGate2|sysSpeaker || c.mode != 3 || c.seg.kind != segWave {
		return false, 0
	}
	return true, uint32(ClockHz / c.seg.n)
}
