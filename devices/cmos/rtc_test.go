package cmos_test

import (
	"testing"
	"time"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/cmos"
	"ringzero/devices/irq"
)

// Register indices and bits, spelled out here so the tests check the
// datasheet layout rather than the package's own constants.
const (
	rSec, rSecAlarm, rMin, rMinAlarm, rHour, rHourAlarm = 0, 1, 2, 3, 4, 5
	rDow, rDate, rMonth, rYear, rA, rB, rC, rD          = 6, 7, 8, 9, 0x0A, 0x0B, 0x0C, 0x0D
	rCentury                                            = 0x32

	uip                         = 0x80
	set, pie, aie, uie, dm, h24 = 0x80, 0x40, 0x20, 0x10, 0x04, 0x02
	irqf, pf, af, uf            = 0x80, 0x40, 0x20, 0x10

	sec = uint64(time.Second)
	us  = uint64(time.Microsecond)
)

type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
	irq *irq.Recorder
	rtc *cmos.RTC
}

// newRig builds an RTC starting at start with the clock at zero; if start
// has no fraction of a second, updates happen at whole virtual seconds.
func newRig(t *testing.T, start time.Time) *rig {
	t.Helper()
	g := &rig{t: t, clk: clock.New(0), bus: bus.New(), irq: &irq.Recorder{}}
	g.rtc = cmos.New(g.clk, g.irq, start)
	if err := g.bus.MapPorts(cmos.Base, 2, "cmos", g.rtc, bus.Size8); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *rig) read(i byte) byte {
	g.bus.Out(cmos.Base, 1, uint32(i))
	return byte(g.bus.In(cmos.Base+1, 1))
}

func (g *rig) write(i, v byte) {
	g.bus.Out(cmos.Base, 1, uint32(i))
	g.bus.Out(cmos.Base+1, 1, uint32(v))
}

func (g *rig) at(ns uint64) { g.clk.AdvanceTo(ns) }

func bcd(x int) byte { return byte(x/10<<4 | x%10) }

// calendar reads the ten clock bytes plus the century, as a guest would.
func (g *rig) calendar() [8]byte {
	return [8]byte{g.read(rSec), g.read(rMin), g.read(rHour), g.read(rDow),
		g.read(rDate), g.read(rMonth), g.read(rYear), g.read(rCentury)}
}

// wantBCD is the 24-hour BCD register image of t.
func wantBCD(t time.Time) [8]byte {
	return [8]byte{bcd(t.Second()), bcd(t.Minute()), bcd(t.Hour()), bcd(int(t.Weekday()) + 1),
		bcd(t.Day()), bcd(int(t.Month())), bcd(t.Year() % 100), bcd(t.Year() / 100)}
}

func date(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func TestPowerOnRegistersHoldStartTimeInBCD24Hour(t *testing.T) {
	start := date(2024, time.March, 15, 13, 45, 30) // a Friday
	g := newRig(t, start)
	want := [8]byte{0x30, 0x45, 0x13, 0x06, 0x15, 0x03, 0x24, 0x20}
	if got := g.calendar(); got != want {
		t.Fatalf("calendar = % x, want % x", got, want)
	}
	if a := g.read(rA); a != 0x26 {
		t.Errorf("register A = %#x, want 0x26 (32.768 kHz, 1024 Hz)", a)
	}
	if b := g.read(rB); b != h24 {
		t.Errorf("register B = %#x, want %#x (BCD, 24 h)", b, h24)
	}
	if d := g.read(rD); d != 0x80 {
		t.Errorf("register D = %#x, want VRT", d)
	}
}

func TestTimeAdvancesWithVirtualClockInBCDAndBinary(t *testing.T) {
	tests := []struct {
		name   string
		mode   byte    // register B (SET clear)
		set    [7]byte // sec, min, hour, dow, date, month, year as written
		after  uint64  // virtual ns to advance
		expect [7]byte
	}{
		{"bcd", h24, [7]byte{0x58, 0x59, 0x09, 0x02, 0x28, 0x06, 0x99}, 3 * sec,
			[7]byte{0x01, 0x00, 0x10, 0x02, 0x28, 0x06, 0x99}},
		{"binary", h24 | dm, [7]byte{58, 59, 9, 2, 28, 6, 99}, 3 * sec,
			[7]byte{1, 0, 10, 2, 28, 6, 99}},
		{"binary hour", h24 | dm, [7]byte{0, 0, 23, 7, 31, 12, 99}, 3600 * sec,
			[7]byte{0, 0, 0, 1, 1, 1, 0}},
		{"bcd 90 minutes", h24, [7]byte{0x00, 0x45, 0x22, 0x03, 0x10, 0x10, 0x05}, 5400 * sec,
			[7]byte{0x00, 0x15, 0x00, 0x04, 0x11, 0x10, 0x05}},
	}
	regs := [7]byte{rSec, rMin, rHour, rDow, rDate, rMonth, rYear}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newRig(t, date(2000, 1, 1, 0, 0, 0))
			g.write(rB, tc.mode|set)
			for i, r := range regs {
				g.write(r, tc.set[i])
			}
			g.write(rB, tc.mode)
			g.at(tc.after)
			var got [7]byte
			for i, r := range regs {
				got[i] = g.read(r)
			}
			if got != tc.expect {
				t.Fatalf("after %v: % x, want % x", time.Duration(tc.after), got, tc.expect)
			}
		})
	}
}

func TestTwelveHourModeCountsThroughNoonAndMidnight(t *testing.T) {
	tests := []struct {
		name     string
		binary   bool
		hour     byte // at hh:59:59
		wantHour byte
		wantDate byte // started on date 0x10 / 10
	}{
		{"11 AM to 12 PM", false, 0x11, 0x92, 0x10},
		{"12 PM to 1 PM", false, 0x92, 0x81, 0x10},
		{"11 PM to 12 AM next day", false, 0x91, 0x12, 0x11},
		{"12 AM to 1 AM", false, 0x12, 0x01, 0x10},
		{"binary 11 AM to 12 PM", true, 11, 0x80 | 12, 10},
		{"binary 11 PM to 12 AM next day", true, 0x80 | 11, 12, 11},
		{"binary 9 PM to 10 PM", true, 0x80 | 9, 0x80 | 10, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newRig(t, date(2000, 1, 1, 0, 0, 0))
			mode := byte(0)
			if tc.binary {
				mode = dm
			}
			g.write(rB, set|mode)
			day := bcd(10)
			if tc.binary {
				day = 10
			}
			g.write(rDate, day)
			fiftyNine := bcd(59)
			if tc.binary {
				fiftyNine = 59
			}
			g.write(rMin, fiftyNine)
			g.write(rSec, fiftyNine)
			g.write(rHour, tc.hour)
			g.write(rB, mode)
			g.at(sec)
			if h := g.read(rHour); h != tc.wantHour {
				t.Errorf("hour = %#x, want %#x", h, tc.wantHour)
			}
			if d := g.read(rDate); d != tc.wantDate {
				t.Errorf("date = %#x, want %#x", d, tc.wantDate)
			}
			if m := g.read(rMin); m != 0 {
				t.Errorf("minutes = %#x, want 0", m)
			}
		})
	}
}

func TestCalendarRollsOver(t *testing.T) {
	tests := []struct {
		name  string
		start time.Time
	}{
		{"midnight", date(2024, time.March, 15, 23, 59, 59)},
		{"30-day month end", date(2023, time.April, 30, 23, 59, 59)},
		{"31-day month end", date(2023, time.January, 31, 23, 59, 59)},
		{"february in common year", date(2023, time.February, 28, 23, 59, 59)},
		{"february 28 in leap year", date(2024, time.February, 28, 23, 59, 59)},
		{"leap day", date(2024, time.February, 29, 23, 59, 59)},
		{"2100 is not leap", date(2100, time.February, 28, 23, 59, 59)},
		{"2000 is leap", date(2000, time.February, 28, 23, 59, 59)},
		{"year end", date(2023, time.December, 31, 23, 59, 59)},
		{"century end", date(1999, time.December, 31, 23, 59, 59)},
		{"saturday to sunday", date(2022, time.January, 1, 23, 59, 59)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newRig(t, tc.start)
			g.at(sec)
			want := wantBCD(tc.start.Add(time.Second))
			if got := g.calendar(); got != want {
				t.Fatalf("after 1 s: % x, want % x", got, want)
			}
		})
	}
}

func TestCalendarAgreesWithGoOverLongIdleGaps(t *testing.T) {
	start := date(2023, time.November, 5, 6, 7, 8)
	g := newRig(t, start)
	elapsed := uint64(0)
	for _, gap := range []uint64{1, 59, 3600, 86399, 3 * 86400, 400*86400 + 12345, 1000*86400 + 7} {
		elapsed += gap * sec
		g.at(elapsed)
		want := wantBCD(start.Add(time.Duration(elapsed)))
		if got := g.calendar(); got != want {
			t.Fatalf("after %v: % x, want % x", time.Duration(elapsed), got, want)
		}
	}
}

func TestUIPIsSetFor244MicrosecondsBeforeEachUpdate(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	steps := []struct {
		at      uint64
		uip     bool
		seconds byte
	}{
		{sec - 300*us, false, 0x00},
		{sec - 245*us, false, 0x00},
		{sec - 243*us, true, 0x00},
		{sec - 1, true, 0x00},
		{sec, false, 0x01},
		{2*sec - 250*us, false, 0x01},
		{2*sec - 100*us, true, 0x01},
		{2 * sec, false, 0x02},
	}
	for _, s := range steps {
		g.at(s.at)
		if got := g.read(rA)&uip != 0; got != s.uip {
			t.Errorf("at %v: UIP = %v, want %v", time.Duration(s.at), got, s.uip)
		}
		if got := g.read(rSec); got != s.seconds {
			t.Errorf("at %v: seconds = %#x, want %#x", time.Duration(s.at), got, s.seconds)
		}
	}
	// SET inhibits updates and clears UIP.
	g.write(rB, h24|set)
	g.at(3*sec - 100*us)
	if g.read(rA)&uip != 0 {
		t.Error("UIP set while SET inhibits updates")
	}
}

func TestUpdateCycleFollowsStartTimeFraction(t *testing.T) {
	g := newRig(t, time.Date(2024, 1, 1, 0, 0, 0, 750_000_000, time.UTC))
	g.at(250*1000*us - 1)
	if s := g.read(rSec); s != 0 {
		t.Fatalf("seconds before first update = %#x, want 0", s)
	}
	g.at(250 * 1000 * us)
	if s := g.read(rSec); s != 1 {
		t.Fatalf("seconds at 250 ms = %#x, want 1", s)
	}
}

// countPeriodicIRQs runs one virtual second, acknowledging each interrupt
// by reading register C as a guest handler would, and counts IRQ edges.
func countPeriodicIRQs(g *rig, period uint64) int {
	g.irq.Reset()
	step := period / 4
	for now := g.clk.Now() + step; ; now += step {
		now = min(now, sec)
		g.at(now)
		if g.irq.Level() {
			if c := g.read(rC); c&(irqf|pf) != irqf|pf {
				g.t.Fatalf("register C = %#x in periodic handler, want IRQF|PF", c)
			}
		}
		if now == sec {
			return g.irq.Rises()
		}
	}
}

func TestPeriodicInterruptRate(t *testing.T) {
	tests := []struct {
		rs   byte
		rate int
	}{
		{0x1, 256}, {0x2, 128}, {0x3, 8192}, {0x6, 1024}, {0x7, 512}, {0xA, 64}, {0xD, 8}, {0xF, 2},
	}
	for _, tc := range tests {
		t.Run(time.Duration(sec/uint64(tc.rate)).String(), func(t *testing.T) {
			g := newRig(t, date(2024, 1, 1, 0, 0, 0))
			g.write(rA, 0x20|tc.rs)
			g.write(rB, h24|pie)
			if got := countPeriodicIRQs(g, sec/uint64(tc.rate)); got != tc.rate {
				t.Fatalf("RS=%#x: %d IRQ edges in 1 s, want %d", tc.rs, got, tc.rate)
			}
		})
	}
}

func TestPeriodicTimerIsArmedOnlyForTheNextTick(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	if d := g.clk.NextDeadline(); d != ^uint64(0) {
		t.Fatalf("timer armed with every interrupt disabled (deadline %d cycles)", d)
	}
	g.write(rB, h24|pie) // 1024 Hz: first tick at 976562.5 ns
	wantNs := uint64(976563)
	if d, want := g.clk.NextDeadline(), g.clk.CyclesFor(wantNs); d != want {
		t.Fatalf("next deadline = %d cycles, want %d", d, want)
	}
	g.at(wantNs - 1)
	if g.irq.Level() {
		t.Fatalf("IRQ raised before %d ns", wantNs)
	}
	g.at(wantNs)
	if !g.irq.Level() {
		t.Fatalf("IRQ not raised at %d ns", wantNs)
	}
	// While IRQ 8 is held nothing can add an edge: no timer until C is read.
	if d := g.clk.NextDeadline(); d != ^uint64(0) {
		t.Fatalf("timer still armed with IRQF set (deadline %d cycles)", d)
	}
	g.at(10 * 976563)
	if r := g.irq.Rises(); r != 1 {
		t.Fatalf("%d edges without acknowledging, want 1 (level held)", r)
	}
	g.read(rC)
	if g.irq.Level() {
		t.Fatal("IRQ still high after reading C")
	}
	if d := g.clk.NextDeadline(); d == ^uint64(0) {
		t.Fatal("periodic timer not re-armed after reading C")
	}
}

func TestPeriodicFlagSetsWithoutPIEAndRaisesNoIRQ(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.at(sec / 2048)
	if c := g.read(rC); c&pf != 0 {
		t.Fatalf("PF set before one period: C = %#x", c)
	}
	g.at(sec / 1000)
	if c := g.read(rC); c != pf {
		t.Fatalf("C = %#x, want PF only", c)
	}
	if g.irq.Rises() != 0 {
		t.Fatal("IRQ raised with PIE clear")
	}
}

func TestUpdateEndedInterruptOncePerSecond(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rA, 0x20) // no periodic rate, so C shows UF alone
	g.write(rB, h24|uie)
	for s := uint64(1); s <= 5; s++ {
		g.at(s*sec - 1)
		if g.irq.Level() {
			t.Fatalf("IRQ before update %d", s)
		}
		g.at(s * sec)
		if !g.irq.Level() {
			t.Fatalf("no IRQ at update %d", s)
		}
		if c := g.read(rC); c != irqf|uf {
			t.Fatalf("C = %#x, want IRQF|UF", c)
		}
	}
	if r := g.irq.Rises(); r != 5 {
		t.Fatalf("%d edges, want 5", r)
	}
}

func TestAlarmInterrupt(t *testing.T) {
	dc := byte(0xC0)
	tests := []struct {
		name         string
		h, m, s      byte // alarm bytes (BCD)
		fires        []uint64
		doesNotFire  []uint64
		startMinutes byte
	}{
		{"exact time", 0x00, 0x00, 0x03, []uint64{3}, []uint64{1, 2, 4, 5}, 0},
		{"every second", dc, dc, 0xFF, []uint64{1, 2, 3}, nil, 0},
		{"every minute at :02", dc, dc, 0x02, []uint64{2, 62}, []uint64{1, 3, 61}, 0},
		{"hour don't care", 0xD5, 0x00, 0x04, []uint64{4}, []uint64{3, 5}, 0},
		{"minute mismatch", 0x00, 0x01, 0x02, nil, []uint64{1, 2, 3}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := newRig(t, date(2024, 1, 1, 0, 0, 0))
			g.write(rA, 0x20)
			g.write(rHourAlarm, tc.h)
			g.write(rMinAlarm, tc.m)
			g.write(rSecAlarm, tc.s)
			g.write(rB, h24|aie)
			check := func(s uint64, want bool) {
				g.at(s * sec)
				if g.irq.Level() != want {
					t.Fatalf("at %d s: IRQ = %v, want %v", s, g.irq.Level(), want)
				}
				c := g.read(rC)
				if want && c != irqf|af|uf {
					t.Fatalf("at %d s: C = %#x, want IRQF|AF|UF", s, c)
				}
				if !want && c&(af|irqf) != 0 {
					t.Fatalf("at %d s: C = %#x, want no AF", s, c)
				}
			}
			all := map[uint64]bool{}
			for _, s := range tc.fires {
				all[s] = true
			}
			for _, s := range tc.doesNotFire {
				all[s] = false
			}
			for s := uint64(1); s <= 62; s++ {
				if want, ok := all[s]; ok {
					check(s, want)
				} else {
					g.at(s * sec)
					g.read(rC)
				}
			}
		})
	}
}

func TestAlarmFlagIsSetLazilyWithoutAIE(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rA, 0x20)
	g.write(rHourAlarm, 0x05)
	g.write(rMinAlarm, 0x00)
	g.write(rSecAlarm, 0x00)
	if d := g.clk.NextDeadline(); d != ^uint64(0) {
		t.Fatal("timer armed with no interrupt enabled")
	}
	g.at(10 * 3600 * sec)
	if c := g.read(rC); c != af|uf {
		t.Fatalf("C after passing the alarm time = %#x, want AF|UF", c)
	}
	if g.irq.Rises() != 0 {
		t.Fatal("IRQ raised with AIE clear")
	}
}

func TestTwelveHourAlarmMatchesPMBit(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rA, 0x20)
	g.write(rB, set) // 12-hour BCD
	g.write(rHour, 0x81)
	g.write(rMin, 0x00)
	g.write(rSec, 0x00)
	g.write(rHourAlarm, 0x81) // 1 PM
	g.write(rMinAlarm, 0x00)
	g.write(rSecAlarm, 0x01)
	g.write(rB, aie)
	g.at(sec)
	if c := g.read(rC); c != irqf|af|uf {
		t.Fatalf("C = %#x, want IRQF|AF|UF at 1:00:01 PM", c)
	}
}

func TestRegisterCClearsOnReadAndLowersIRQ(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rB, h24|uie)
	g.at(sec)
	if !g.irq.Level() {
		t.Fatal("no IRQ after update")
	}
	first := g.read(rC)
	if first&(irqf|uf) != irqf|uf {
		t.Fatalf("first read of C = %#x, want IRQF|UF", first)
	}
	if second := g.read(rC); second != 0 {
		t.Fatalf("second read of C = %#x, want 0", second)
	}
	if g.irq.Level() {
		t.Fatal("IRQ still high after reading C")
	}
	if ch := g.irq.Changes(); len(ch) != 2 || !ch[0] || ch[1] {
		t.Fatalf("IRQ changes = %v, want [true false]", ch)
	}
	g.write(rC, 0xFF) // read-only
	if c := g.read(rC); c != 0 {
		t.Fatalf("C = %#x after a write, want 0", c)
	}
}

func TestEnablingInterruptWithPendingFlagRaisesIRQ(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.at(sec) // UF now set, UIE clear
	if g.irq.Level() {
		t.Fatal("IRQ with UIE clear")
	}
	g.write(rB, h24|uie)
	if !g.irq.Level() {
		t.Fatal("setting UIE with UF pending did not raise IRQ")
	}
	g.write(rB, h24)
	if g.irq.Level() {
		t.Fatal("clearing UIE did not drop IRQF")
	}
}

func TestSETBitFreezesTime(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 12, 0, 0))
	g.write(rB, h24|uie)
	g.write(rB, h24|uie|set)
	if b := g.read(rB); b != h24|set {
		t.Fatalf("B = %#x, want SET with UIE cleared", b)
	}
	g.at(5*sec + sec/2)
	if s := g.read(rSec); s != 0x00 {
		t.Fatalf("seconds moved to %#x while SET", s)
	}
	if c := g.read(rC); c&uf != 0 {
		t.Fatalf("UF set while updates inhibited: C = %#x", c)
	}
	g.write(rSec, 0x30)
	g.write(rB, h24)
	g.at(6*sec - 1)
	if s := g.read(rSec); s != 0x30 {
		t.Fatalf("seconds = %#x before next update, want 0x30", s)
	}
	g.at(6 * sec)
	if s := g.read(rSec); s != 0x31 {
		t.Fatalf("seconds = %#x after SET cleared, want 0x31 (no catch-up)", s)
	}
}

func TestDividerResetHoldsTimeAndRestartsHalfSecondLater(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rB, h24|pie)
	g.write(rA, 0x76) // DV=111: chain in reset
	g.at(3 * sec)
	if s := g.read(rSec); s != 0 {
		t.Fatalf("seconds = %#x with divider in reset", s)
	}
	if g.irq.Rises() != 0 || g.read(rC) != 0 {
		t.Fatal("periodic interrupt while divider in reset")
	}
	g.write(rA, 0x20) // release, no periodic rate
	g.at(3*sec + sec/2 - 1)
	if s := g.read(rSec); s != 0 {
		t.Fatalf("seconds = %#x before 500 ms", s)
	}
	g.at(3*sec + sec/2)
	if s := g.read(rSec); s != 1 {
		t.Fatalf("seconds = %#x at 500 ms after release, want 1", s)
	}
}

func TestNVRAMReadsBackThroughPorts(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	for i := 0x0E; i < 0x80; i++ {
		g.write(byte(i), byte(i*7+3))
	}
	for i := 0x0E; i < 0x80; i++ {
		if v := g.read(byte(i)); v != byte(i*7+3) {
			t.Fatalf("byte %#x = %#x, want %#x", i, v, byte(i*7+3))
		}
	}
	// Index bit 7 is the NMI mask, not an address bit.
	g.write(0x80|0x40, 0x5A)
	if v := g.read(0x40); v != 0x5A {
		t.Fatalf("byte 0x40 = %#x, want 0x5A", v)
	}
}

func TestBoardNVRAMSetupAndChecksum(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.rtc.SetByte(cmos.NVFloppyTypes, 0x40)
	g.rtc.SetByte(cmos.NVEquipment, 0x41)
	g.rtc.SetMemorySize(64<<20, 0)
	g.rtc.SetByte(0x05, 0x99) // clock register: refused
	g.rtc.SetByte(200, 0x99)  // out of range: ignored
	g.rtc.SetByte(-1, 0x99)   // out of range: ignored
	g.rtc.UpdateChecksum()
	want := map[byte]byte{
		0x10: 0x40, 0x14: 0x41,
		0x15: 0x80, 0x16: 0x02, // 640 KiB
		0x17: 0x00, 0x18: 0xFC, // 63 MiB = 64512 KiB
		0x30: 0x00, 0x31: 0xFC,
		0x34: 0x00, 0x35: 0x03, // 48 MiB / 64 KiB = 768
		0x5B: 0, 0x5C: 0, 0x5D: 0,
		0x05: 0x00,
	}
	sum := 0x40 + 0x41 + 0x80 + 0x02 + 0x00 + 0xFC
	want[0x2E], want[0x2F] = byte(sum>>8), byte(sum)
	for i, w := range want {
		if v := g.read(i); v != w {
			t.Errorf("byte %#x = %#x, want %#x", i, v, w)
		}
	}
	if v := g.rtc.Byte(0x14); v != 0x41 {
		t.Errorf("Byte(0x14) = %#x", v)
	}
}

func TestMemorySizeSaturatesAndCountsAbove4G(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.rtc.SetMemorySize(3<<30, 5<<30)
	if lo, hi := g.read(0x17), g.read(0x18); lo != 0xFF || hi != 0xFF {
		t.Errorf("extended memory = %#x%02x, want saturated 0xFFFF", hi, lo)
	}
	above := uint32((5 << 30) / (64 << 10)) // 0x14000
	got := uint32(g.read(0x5B)) | uint32(g.read(0x5C))<<8 | uint32(g.read(0x5D))<<16
	if got != above {
		t.Errorf("above 4G = %#x, want %#x", got, above)
	}
}

func TestNMIMaskFollowsIndexBit7(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	for _, tc := range []struct {
		index  byte
		masked bool
	}{{0x8F, true}, {0x0F, false}, {0x80, true}, {0x00, false}} {
		g.bus.Out(cmos.Base, 1, uint32(tc.index))
		if got := g.rtc.NMIMasked(); got != tc.masked {
			t.Errorf("after index %#x: NMIMasked = %v, want %v", tc.index, got, tc.masked)
		}
	}
	if v := g.bus.In(cmos.Base, 1); v != 0xFF {
		t.Errorf("port 0x70 reads %#x, want 0xFF (write-only)", v)
	}
}

func TestRegisterDReadsVRTAndIgnoresWrites(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(rD, 0x00)
	if d := g.read(rD); d != 0x80 {
		t.Fatalf("D = %#x, want 0x80", d)
	}
}

func TestResetClearsEnablesAndFlagsButKeepsTime(t *testing.T) {
	g := newRig(t, date(2024, 1, 1, 0, 0, 0))
	g.write(0x40, 0x77)
	g.write(rB, h24|uie|pie|aie)
	g.at(sec)
	if !g.irq.Level() {
		t.Fatal("no IRQ before reset")
	}
	g.rtc.Reset()
	if g.irq.Level() {
		t.Fatal("IRQ high after reset")
	}
	if b := g.read(rB); b != h24 {
		t.Errorf("B = %#x after reset, want %#x", b, h24)
	}
	if c := g.read(rC); c != 0 {
		t.Errorf("C = %#x after reset, want 0", c)
	}
	if s, v := g.read(rSec), g.read(0x40); s != 1 || v != 0x77 {
		t.Errorf("seconds %#x, RAM %#x after reset; want 1 and 0x77", s, v)
	}
	if d := g.clk.NextDeadline(); d != ^uint64(0) {
		t.Error("timer armed after reset with interrupts disabled")
	}
}

func TestParseBase(t *testing.T) {
	now := time.Date(2025, 6, 7, 8, 9, 10, 0, time.FixedZone("X", 3600))
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"utc", now.UTC(), false},
		{"base=utc", now.UTC(), false},
		{"", now.UTC(), false},
		{"localtime", now.Local(), false},
		{"base=2006-06-17T16:01:21", date(2006, 6, 17, 16, 1, 21), false},
		{"2010-02-03", date(2010, 2, 3, 0, 0, 0), false},
		{"base=2006-13-17T16:01:21", time.Time{}, true},
		{"tomorrow", time.Time{}, true},
	}
	for _, tc := range tests {
		got, err := cmos.ParseBase(tc.in, now)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseBase(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && (!got.Equal(tc.want) || got.Location().String() != tc.want.Location().String()) {
			t.Errorf("ParseBase(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestLocaltimeBaseLoadsWallClockFields(t *testing.T) {
	zone := time.FixedZone("UTC+5", 5*3600)
	start := time.Date(2024, 7, 1, 23, 30, 0, 0, time.UTC).In(zone) // 04:30 on July 2 there
	g := newRig(t, start)
	if h, d := g.read(rHour), g.read(rDate); h != 0x04 || d != 0x02 {
		t.Fatalf("hour %#x date %#x, want local 0x04 on 0x02", h, d)
	}
}
