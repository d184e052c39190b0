package pit_test

import (
	"fmt"
	"math/rand"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/irq"
	"ringzero/devices/pit"
)

// Ports and bits spelled out as the datasheet and the AT reference give
// them, so the tests check the layout rather than the package's constants.
const (
	port0, port1, port2, portCW = 0x40, 0x41, 0x42, 0x43
	port61                      = 0x61

	gate2, spkEnable, refresh, out2 = 0x01, 0x02, 0x10, 0x20

	hz = 1193182
)

type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
	irq *irq.Recorder
	pit *pit.Timer
}

func newRig(t *testing.T) *rig {
	t.Helper()
	g := &rig{t: t, clk: clock.New(0), bus: bus.New(), irq: &irq.Recorder{}}
	g.pit = pit.New(g.clk, g.irq)
	if err := g.bus.MapPorts(pit.Base, pit.Ports, "pit", g.pit, bus.Size8); err != nil {
		t.Fatal(err)
	}
	if err := g.bus.MapPorts(pit.SystemControlPort, 1, "port61", g.pit.SystemControl(), bus.Size8); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *rig) out(port uint16, v uint8) { g.bus.Out(port, 1, uint32(v)) }
func (g *rig) in(port uint16) uint8     { return uint8(g.bus.In(port, 1)) }

// edge is the virtual time of timer clock edge n: ceil(n * 1e9 / hz).
func edge(n uint64) uint64 { return (n*1_000_000_000 + hz - 1) / hz }

// at moves virtual time to clock edge n, firing due timers.
func (g *rig) at(n uint64) { g.clk.AdvanceTo(edge(n)) }

// word writes a 16-bit count LSB first.
func (g *rig) word(port uint16, v uint16) {
	g.out(port, uint8(v))
	g.out(port, uint8(v>>8))
}

// latched reads counter ch (0-2) through the counter latch command, in
// LSB-then-MSB access.
func (g *rig) latched(ch int) uint16 {
	g.out(portCW, uint8(ch)<<6)
	lo := g.in(uint16(port0 + ch))
	hi := g.in(uint16(port0 + ch))
	return uint16(hi)<<8 | uint16(lo)
}

func (g *rig) out2() bool { return g.in(port61)&out2 != 0 }

func (g *rig) wantRises(n int) {
	g.t.Helper()
	if got := g.irq.Rises(); got != n {
		g.t.Fatalf("at %d ns: IRQ 0 rises = %d, want %d", g.clk.Now(), got, n)
	}
}

func TestMode2RateGeneratorPeriods(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34) // counter 0, LSB then MSB, mode 2, binary
	g.word(port0, 1000)
	// Loaded on the clock after the write (edge 1); OUT goes low while
	// CE is 1 (edge 1000) and the reload at edge 1001 is the rising edge.
	base := g.irq.Rises()
	for period := uint64(1); period <= 4; period++ {
		end := 1 + 1000*period
		g.at(end - 2)
		if got := g.latched(0); got != 2 {
			t.Fatalf("period %d: CE two clocks before reload = %d, want 2", period, got)
		}
		g.at(end - 1)
		if got := g.irq.Rises() - base; got != int(period-1) {
			t.Fatalf("period %d: %d rises before the reload, want %d", period, got, period-1)
		}
		g.at(end)
		if got := g.irq.Rises() - base; got != int(period) {
			t.Fatalf("period %d: %d rises at the reload, want %d", period, got, period)
		}
		if got := g.latched(0); got != 1000 {
			t.Fatalf("period %d: CE after reload = %d, want 1000", period, got)
		}
	}
}

func TestMode2CountOfOneNeverFires(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34)
	g.word(port0, 1)
	g.at(1000)
	if n := g.clk.NextDeadline(); n != ^uint64(0) {
		t.Fatalf("a timer is armed (%d cycles): count 1 in mode 2 must not storm", n)
	}
}

func TestPeriodicIRQCostsOneTimerEventPerPeriod(t *testing.T) {
	for _, mode := range []uint8{2, 3} {
		t.Run(fmt.Sprint("mode ", mode), func(t *testing.T) {
			g := newRig(t)
			g.out(portCW, 0x30|mode<<1) // counter 0, mode 2 or 3, count 0 = 65536
			g.word(port0, 0)
			start := g.irq.Rises()
			// Run one virtual second the way an engine does: up to the
			// next deadline at a time. Each step fires one event.
			events := 0
			for g.clk.Now() < 1_000_000_000 {
				g.clk.Advance(g.clk.NextDeadline())
				events++
			}
			// 1 s / (65536 / 1193182 Hz) = 18.2 periods.
			if events != 19 {
				t.Fatalf("%d timer events in one second, want 19 (one per 54.9 ms period)", events)
			}
			if got := g.irq.Rises() - start; got != 19 {
				t.Fatalf("%d IRQ 0 rises in one second, want 19", got)
			}
		})
	}
}

func TestMode3SquareWaveOnOut2(t *testing.T) {
	tests := []struct {
		count  uint16
		hi, lo int
		ce     []uint16 // CE at each clock of one period, from the load
	}{
		{10, 5, 5, []uint16{10, 8, 6, 4, 2, 10, 8, 6, 4, 2}},
		// Odd counts load N-1 and stay high one clock longer.
		{7, 4, 3, []uint16{6, 4, 2, 0, 6, 4, 2}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("count ", tt.count), func(t *testing.T) {
			g := newRig(t)
			g.out(port61, gate2)
			g.out(portCW, 0xB6) // counter 2, LSB then MSB, mode 3
			if !g.out2() {
				t.Fatal("OUT2 low after a mode 3 control word, want high")
			}
			g.word(port2, tt.count)
			n := uint64(tt.hi + tt.lo)
			for i := uint64(0); i < 3*n; i++ {
				g.at(1 + i)
				p := int(i % n)
				if want := p < tt.hi; g.out2() != want {
					t.Fatalf("clock %d after load: OUT2 = %v, want %v", i, !want, want)
				}
				if got := g.latched(2); got != tt.ce[p] {
					t.Fatalf("clock %d after load: CE = %d, want %d", i, got, tt.ce[p])
				}
			}
		})
	}
}

func TestMode3IRQ0RisesOncePerPeriod(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x36) // counter 0, mode 3: OUT0 rises at once
	g.wantRises(1)
	g.word(port0, 100)
	g.at(100) // high 1-50, low 51-100
	g.wantRises(1)
	g.at(101)
	g.wantRises(2)
	g.at(200)
	g.wantRises(2)
	g.at(201)
	g.wantRises(3)
	// Every rise is a low-to-high edge the 8259A can latch.
	ch := g.irq.Changes()
	for i := 1; i < len(ch); i++ {
		if ch[i] == ch[i-1] {
			t.Fatalf("line changes %v repeat a level", ch)
		}
	}
}

func TestMode0InterruptOnTerminalCount(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x30) // counter 0, mode 0, binary
	g.word(port0, 100)
	if g.irq.Level() {
		t.Fatal("IRQ 0 high after a mode 0 count, want low")
	}
	// OUT goes high N+1 clocks after the count is written.
	g.at(100)
	if g.irq.Level() {
		t.Fatal("IRQ 0 high after N clocks, want low until N+1")
	}
	g.at(101)
	if !g.irq.Level() || g.irq.Rises() != 1 {
		t.Fatalf("IRQ 0 level %v rises %d at N+1, want high after 1 rise", g.irq.Level(), g.irq.Rises())
	}
	// One shot: OUT stays high and the counter wraps through 0xFFFF.
	g.at(106)
	if got := g.latched(0); got != 0xFFFB {
		t.Fatalf("CE 5 clocks after TC = %#x, want 0xFFFB", got)
	}
	g.at(70000)
	if g.irq.Rises() != 1 || !g.irq.Level() {
		t.Fatalf("rises %d level %v long after TC, want 1 and high", g.irq.Rises(), g.irq.Level())
	}
	// A new count drops OUT at once and starts another shot.
	g.word(port0, 10)
	if g.irq.Level() {
		t.Fatal("IRQ 0 still high after a new mode 0 count")
	}
	g.at(70011)
	if g.irq.Rises() != 2 {
		t.Fatalf("rises = %d after the second shot, want 2", g.irq.Rises())
	}
}

func TestMode0FirstByteStopsCounting(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x30)
	g.word(port0, 50)
	g.at(11) // CE 40
	g.out(port0, 0x20)
	g.at(100) // would have fired at 51
	if g.irq.Rises() != 0 {
		t.Fatal("IRQ 0 fired while half a count was written")
	}
	if got := g.latched(0); got != 40 {
		t.Fatalf("CE while stopped = %d, want 40", got)
	}
	g.out(port0, 0x00) // count 0x0020 = 32, written at clock 100
	g.at(132)
	g.wantRises(0)
	g.at(133)
	g.wantRises(1)
}

func TestMode4StrobeOnCounter0(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x38) // counter 0, mode 4
	g.wantRises(1)      // OUT high after the control word
	g.word(port0, 20)
	g.at(20)
	g.wantRises(1)
	g.at(22) // strobe at 21 (N+1), back high at 22
	g.wantRises(2)
	g.at(100000)
	g.wantRises(2) // no more strobes until a new count
}

func TestMode1OneShotOnGate2(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0xB2) // counter 2, mode 1
	g.word(port2, 5)
	g.at(10)
	if !g.out2() {
		t.Fatal("OUT2 low before a trigger")
	}
	g.out(port61, gate2) // trigger in clock 10; OUT low from 11 for 5 clocks
	g.at(10)
	if !g.out2() {
		t.Fatal("OUT2 low in the trigger's own clock")
	}
	g.at(11)
	if g.out2() {
		t.Fatal("OUT2 high on the clock after the trigger")
	}
	g.at(13)
	g.out(port61, 0)     // GATE low does not stop a one-shot
	g.out(port61, gate2) // retrigger in clock 13: low until 14+5
	g.at(18)
	if g.out2() {
		t.Fatal("OUT2 high before the retriggered shot ended")
	}
	g.at(19)
	if !g.out2() {
		t.Fatal("OUT2 low after the shot")
	}
	g.out(port61, 0) // a falling GATE is no trigger
	g.at(21)
	if !g.out2() {
		t.Fatal("OUT2 low after GATE fell: only a rising GATE triggers")
	}
}

func TestMode5HardwareStrobe(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0xBA) // counter 2, mode 5
	g.word(port2, 3)
	g.out(port61, gate2) // trigger in clock 0: load at 1, TC at 4
	for i, want := range []bool{true, true, true, true, false, true, true} {
		g.at(uint64(i))
		if g.out2() != want {
			t.Fatalf("clock %d: OUT2 = %v, want %v", i, !want, want)
		}
	}
}

func TestGateLowSuspendsMode0(t *testing.T) {
	g := newRig(t)
	g.out(port61, gate2)
	g.out(portCW, 0xB0) // counter 2, mode 0
	g.word(port2, 10)
	g.at(5) // CE 6
	g.out(port61, 0)
	g.at(50)
	if got := g.latched(2); got != 6 {
		t.Fatalf("CE with GATE low = %d, want 6", got)
	}
	if g.out2() {
		t.Fatal("OUT2 went high while suspended")
	}
	g.out(port61, gate2)
	g.at(55)
	if g.out2() {
		t.Fatal("OUT2 high one clock early")
	}
	g.at(56)
	if !g.out2() {
		t.Fatal("OUT2 low at terminal count")
	}
}

func TestGateLowForcesMode2And3High(t *testing.T) {
	for _, cw := range []uint8{0xB4, 0xB6} {
		t.Run(fmt.Sprintf("cw %#x", cw), func(t *testing.T) {
			g := newRig(t)
			g.out(port61, gate2)
			g.out(portCW, cw)
			g.word(port2, 4)
			g.at(4) // mode 2: CE 1 (low); mode 3: low half
			if g.out2() {
				t.Fatal("OUT2 high where the wave is low")
			}
			g.out(port61, 0)
			if !g.out2() {
				t.Fatal("OUT2 low after GATE fell, want high at once")
			}
			g.at(40)
			if !g.out2() {
				t.Fatal("OUT2 low with GATE low")
			}
			// A trigger reloads on the next clock: the wave restarts.
			g.out(port61, gate2)
			g.at(41)
			if got := g.latched(2); got != 4 {
				t.Fatalf("CE after the trigger = %d, want 4", got)
			}
		})
	}
}

func TestNewCountWaitsForPeriodEnd(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34) // counter 0, mode 2
	g.word(port0, 100)
	g.at(51)
	g.word(port0, 10) // takes effect at the reload at clock 101
	g.at(100)
	g.wantRises(1) // the control word's rise only
	g.at(101)
	g.wantRises(2)
	if got := g.latched(0); got != 10 {
		t.Fatalf("CE after the reload = %d, want the new count 10", got)
	}
	g.at(111)
	g.wantRises(3)
}

func TestMode3NewCountAtHalfCycle(t *testing.T) {
	g := newRig(t)
	g.out(port61, gate2)
	g.out(portCW, 0xB6)
	g.word(port2, 20) // high 1-10, low 11-20
	g.at(3)
	g.word(port2, 6) // loaded at the end of this half: clock 11
	g.at(10)
	if !g.out2() {
		t.Fatal("OUT2 low before the half ended")
	}
	// Low half of the new count (3 clocks), then its high half.
	for i, want := range []bool{false, false, false, true, true, true, false} {
		g.at(uint64(11 + i))
		if g.out2() != want {
			t.Fatalf("clock %d: OUT2 = %v, want %v", 11+i, !want, want)
		}
	}
}

func TestCounterLatch(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34)
	g.word(port0, 1000)
	g.at(101) // CE 900
	g.out(portCW, 0x00)
	g.at(301)
	g.out(portCW, 0x00) // ignored: the first latch is unread
	if lo := g.in(port0); lo != 0x84 {
		t.Fatalf("latched LSB = %#x, want 0x84 (900)", lo)
	}
	g.at(401)
	if hi := g.in(port0); hi != 0x03 {
		t.Fatalf("latched MSB = %#x, want 0x03", hi)
	}
	// Fully read: reads follow CE again (now 600).
	if got := uint16(g.in(port0)) | uint16(g.in(port0))<<8; got != 600 {
		t.Fatalf("live read = %d, want 600", got)
	}
	// A control word discards an unread latch.
	g.out(portCW, 0x00)
	g.out(portCW, 0x34)
	g.word(port0, 500)
	g.at(402)
	if got := uint16(g.in(port0)) | uint16(g.in(port0))<<8; got != 500 {
		t.Fatalf("read after reprogramming = %d, want 500", got)
	}
}

func TestByteAccessModes(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x54) // counter 1, LSB only, mode 2
	g.out(port1, 200)
	g.at(51) // CE 150
	g.out(portCW, 0x40)
	if got := g.in(port1); got != 150 {
		t.Fatalf("LSB-only latched read = %d, want 150", got)
	}
	if got := g.in(port1); got != 150 { // latch released: live, still clock 51
		t.Fatalf("LSB-only live read = %d, want 150", got)
	}
	g.out(portCW, 0x64) // counter 1, MSB only, mode 2
	g.out(port1, 0x02)  // count 0x0200
	g.at(51 + 1 + 0x100)
	g.out(portCW, 0x40)
	if got := g.in(port1); got != 0x01 {
		t.Fatalf("MSB-only latched read = %#x, want 0x01", got)
	}
}

func TestReadBack(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34) // counter 0: mode 2 binary, OUT high
	g.out(portCW, 0xE2) // read-back: status of counter 0
	if st := g.in(port0); st != 0xC0|0x34 {
		t.Fatalf("status after the control word = %#x, want %#x (OUT, NULL COUNT)", st, 0xC0|0x34)
	}
	g.word(port0, 300)
	g.out(portCW, 0xE2) // status only
	if st := g.in(port0); st != 0xC0|0x34 {
		t.Fatalf("status before the load = %#x, want NULL COUNT still set", st)
	}
	g.at(100) // CE 201
	g.out(portCW, 0xC2)
	g.out(portCW, 0xC2) // ignored: both latches unread
	g.at(200)
	if st := g.in(port0); st != 0x80|0x34 {
		t.Fatalf("status after the load = %#x, want %#x", st, 0x80|0x34)
	}
	if got := uint16(g.in(port0)) | uint16(g.in(port0))<<8; got != 201 {
		t.Fatalf("read-back count = %d, want 201", got)
	}

	// Several counters at once; counter 2 reports OUT low in mode 0.
	g.out(portCW, 0xB0)
	g.word(port2, 50)
	g.out(portCW, 0x54)
	g.out(port1, 99)
	g.at(210)
	g.out(portCW, 0xCE) // count and status of counters 0, 1 and 2
	wantStatus := []uint8{0x80 | 0x34, 0x80 | 0x14, 0x00 | 0x30}
	for ch, want := range wantStatus {
		if st := g.in(uint16(port0 + ch)); st != want {
			t.Fatalf("counter %d status = %#x, want %#x", ch, st, want)
		}
	}
	if got := uint16(g.in(port0)) | uint16(g.in(port0))<<8; got != 300-209 {
		t.Fatalf("counter 0 count = %d, want %d", got, 300-209)
	}
	if got := g.in(port1); got != 90 { // GATE tied high; loaded at 201
		t.Fatalf("counter 1 count = %d, want 90", got)
	}
	// Counter 2 has GATE low (port 0x61 = 0): loaded but not counting.
	if got := uint16(g.in(port2)) | uint16(g.in(port2))<<8; got != 50 {
		t.Fatalf("counter 2 count = %d, want 50", got)
	}
}

func TestBCDCounting(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x31) // counter 0, mode 0, BCD
	g.word(port0, 0x1234)
	g.at(1 + 34)
	if got := g.latched(0); got != 0x1200 {
		t.Fatalf("BCD CE = %#x, want 0x1200", got)
	}
	g.at(1 + 1234)
	if !g.irq.Level() {
		t.Fatal("no terminal count after 1234 decimal clocks")
	}
	g.at(1 + 1234 + 1)
	if got := g.latched(0); got != 0x9999 {
		t.Fatalf("BCD CE after TC = %#x, want 0x9999", got)
	}
	// Mode 2 in BCD: count 0x0100 is a period of 100 clocks; count 0
	// is 10000.
	g.out(portCW, 0x35)
	g.word(port0, 0x0100) // written in clock 1236, loaded at 1237
	r := g.irq.Rises()
	g.at(1237 + 100 - 1)
	if g.irq.Rises() != r {
		t.Fatalf("BCD mode 2 fired early (rises %d)", g.irq.Rises())
	}
	g.at(1237 + 100)
	if g.irq.Rises() != r+1 {
		t.Fatalf("BCD mode 2 rises = %d, want %d", g.irq.Rises(), r+1)
	}
	g.word(port0, 0x0000) // from the reload at 1437 on
	g.at(1437)
	g.at(1437 + 10000 - 1)
	if g.irq.Rises() != r+2 {
		t.Fatalf("BCD count 0 rises = %d, want %d", g.irq.Rises(), r+2)
	}
	g.at(1437 + 10000)
	if g.irq.Rises() != r+3 {
		t.Fatalf("BCD count 0 rises = %d, want a period of 10000", g.irq.Rises())
	}
}

func TestPort61(t *testing.T) {
	g := newRig(t)
	if got := g.in(port61); got&^refresh != 0 {
		t.Fatalf("port 0x61 at power-on = %#x, want 0 (refresh toggle aside)", got)
	}
	g.out(port61, 0xFF) // read-only bits ignored, OUT2 low after reset
	if got := g.in(port61) &^ refresh; got != 0x0F {
		t.Fatalf("port 0x61 = %#x after writing 0xFF, want 0x0F", got)
	}
	if on, _ := g.pit.Speaker(); on {
		t.Fatal("speaker on without a square wave")
	}
	g.out(portCW, 0xB6)
	g.word(port2, 1193) // ~1 kHz tone
	if on, f := g.pit.Speaker(); !on || f != 1000 {
		t.Fatalf("Speaker() = %v, %d Hz, want on at 1000 Hz", on, f)
	}
	g.out(port61, gate2)
	if on, _ := g.pit.Speaker(); on {
		t.Fatal("speaker on with data enable off")
	}
	// OUT2 toggles with counter 2 as seen through bit 5.
	var toggles int
	last := g.out2()
	for i := uint64(1); i <= 1193*3+1; i++ {
		g.at(i)
		if o := g.out2(); o != last {
			toggles++
			last = o
		}
	}
	if toggles != 6 {
		t.Fatalf("OUT2 toggled %d times in 3 periods, want 6", toggles)
	}
	// Bit 4 flips every 18 timer clocks.
	g.at(18 * 1000)
	b := g.in(port61) & refresh
	g.at(18*1000 + 17)
	if g.in(port61)&refresh != b {
		t.Fatal("refresh toggle flipped within 18 clocks")
	}
	g.at(18 * 1001)
	if g.in(port61)&refresh == b {
		t.Fatal("refresh toggle did not flip after 18 clocks")
	}
}

func TestLateClockFoldsMissedEdges(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34)
	g.word(port0, 100)
	g.wantRises(1)   // the control word raised OUT0
	g.at(100 * 1000) // one jump over a thousand periods: one edge
	g.wantRises(2)
	g.at(100*1000 + 1)
	g.wantRises(3)
	g.at(100*1000 + 101)
	g.wantRises(4)
}

func TestResetQuietsIRQ0(t *testing.T) {
	g := newRig(t)
	g.out(portCW, 0x34)
	g.word(port0, 100)
	g.pit.Reset()
	if g.irq.Level() {
		t.Fatal("IRQ 0 high after reset")
	}
	g.at(1000)
	if g.irq.Rises() != 1 {
		t.Fatalf("IRQ 0 rises = %d after reset, want none beyond the control word's", g.irq.Rises())
	}
	if n := g.clk.NextDeadline(); n != ^uint64(0) {
		t.Fatal("timer still armed after reset")
	}
}

func TestBadInputIsHarmless(t *testing.T) {
	g := newRig(t)
	rng := rand.New(rand.NewSource(1))
	ports := []uint16{port0, port1, port2, portCW, port61}
	for i := 0; i < 200000; i++ {
		p := ports[rng.Intn(len(ports))]
		if rng.Intn(2) == 0 {
			g.out(p, uint8(rng.Intn(256)))
		} else {
			g.in(p)
		}
		if rng.Intn(8) == 0 {
			g.clk.Advance(uint64(rng.Intn(5000)))
		}
	}
	// Wide accesses go byte by byte; reading the control port floats.
	g.bus.Out(port0, 4, 0xFFFFFFFF)
	_ = g.bus.In(port0, 4)
	if got := g.in(portCW); got != 0xFF {
		t.Fatalf("control port read = %#x, want 0xFF", got)
	}
	var h bus.PortHandler = g.pit
	h.WritePort(7, 4, 0x12345678)
	_ = h.ReadPort(9, 4)
}
