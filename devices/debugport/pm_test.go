package debugport_test

import (
	"slices"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/debugport"
	"ringzero/devices/irq"
)

// ACPI fixed-hardware register bits as an OS spells them (ACPI
// specification, PM1 event and control groupings).
const (
	pm1Sts = debugport.PM1aEventBase     // PM1_STS
	pm1En  = debugport.PM1aEventBase + 2 // PM1_EN
	pm1Cnt = debugport.PM1aControlBase   // PM1_CNT
	pmTmr  = debugport.PMTimerBase       // PM_TMR

	tmrSts    = 1 << 0
	pwrbtnSts = 1 << 8
	wakSts    = 1 << 15
	tmrEn     = 1 << 0
	pwrbtnEn  = 1 << 8

	sciEn  = 1 << 0
	slpEn  = 1 << 13
	slpTyp = 10 // shift of SLP_TYP

	// overflow24 is when a 24-bit PM timer's bit 23 first changes:
	// 2^23 ticks at 3.579545 MHz, rounded up to whole nanoseconds.
	overflow24 = (1<<23*1_000_000_000 + debugport.PMTimerHz - 1) / debugport.PMTimerHz
)

// pmRig is a PowerManagement block mapped at the default bases.
type pmRig struct {
	t        *testing.T
	clk      *clock.Clock
	bus      *bus.Bus
	sci      *irq.Recorder
	pm       *debugport.PowerManagement
	poweroff int
	sleeps   []uint8
}

func newPMRig(t *testing.T) *pmRig {
	t.Helper()
	r := &pmRig{t: t, clk: clock.New(0), bus: bus.New(), sci: &irq.Recorder{}}
	r.pm = debugport.NewPowerManagement(r.clk, r.sci, func() { r.poweroff++ })
	r.pm.OnSleep = func(typ uint8) { r.sleeps = append(r.sleeps, typ) }
	for _, m := range []struct {
		base uint16
		n    uint32
		name string
		h    bus.PortHandler
	}{
		{debugport.PM1aEventBase, debugport.PM1EventLen, "pm1a-evt", r.pm.Events()},
		{debugport.PM1aControlBase, debugport.PM1ControlLen, "pm1a-cnt", r.pm.Control()},
		{debugport.PMTimerBase, debugport.PMTimerLen, "pm-tmr", r.pm.Timer()},
	} {
		if err := r.bus.MapPorts(m.base, m.n, m.name, m.h, bus.SizeAll); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *pmRig) in16(port uint16) uint16 { return uint16(r.bus.In(port, 2)) }

func (r *pmRig) out16(port uint16, v uint16) { r.bus.Out(port, 2, uint32(v)) }

func (r *pmRig) expect16(port uint16, name string, want uint16) {
	r.t.Helper()
	if got := r.in16(port); got != want {
		r.t.Errorf("%s = %#04x, want %#04x", name, got, want)
	}
}

func (r *pmRig) expectSCI(want bool, when string) {
	r.t.Helper()
	if got := r.sci.Level(); got != want {
		r.t.Errorf("SCI %v %s, want %v", got, when, want)
	}
}

func TestPMResetState(t *testing.T) {
	r := newPMRig(t)
	r.expect16(pm1Sts, "PM1_STS", 0)
	r.expect16(pm1En, "PM1_EN", 0)
	r.expect16(pm1Cnt, "PM1_CNT", 0)
	if got := r.bus.In(pmTmr, 4); got != 0 {
		t.Errorf("PM_TMR at time 0 = %d, want 0", got)
	}
	r.expectSCI(false, "at reset")
}

func TestPMTimerCountsTheVirtualClock(t *testing.T) {
	r := newPMRig(t)
	for _, c := range []struct {
		ns   uint64
		want uint32
	}{
		{279, 0},                                // one tick is 279.37 ns
		{280, 1},                                // ...so the first tick lands at 280 ns
		{1_000_000, 3579},                       // 1 ms
		{1_000_000_000, 3_579_545},              // 1 s
		{4_000_000_000, 14_318_180},             // still below 2^24
		{10_000_000_000, 35_795_450 & 0xFFFFFF}, // wrapped: 24 bits
		{72_000_000_000_000, 257_727_240_000 & 0xFFFFFF}, // 20 hours: no overflow in the arithmetic
	} {
		r.clk.AdvanceTo(c.ns)
		if got := r.bus.In(pmTmr, 4); got != c.want {
			t.Errorf("PM_TMR at %d ns = %d, want %d", c.ns, got, c.want)
		}
	}
	// Byte and word reads see the same counter.
	whole := r.bus.In(pmTmr, 4)
	bytes := r.bus.In(pmTmr, 1) | r.bus.In(pmTmr+1, 1)<<8 | r.bus.In(pmTmr+2, 1)<<16 | r.bus.In(pmTmr+3, 1)<<24
	if bytes != whole || r.bus.In(pmTmr+3, 1) != 0 {
		t.Errorf("byte reads %#x, dword read %#x; want equal, top byte 0 in 24-bit mode", bytes, whole)
	}
	r.bus.Out(pmTmr, 4, 0) // read-only
	if got := r.bus.In(pmTmr, 4); got != whole {
		t.Errorf("PM_TMR after a write = %d, want %d", got, whole)
	}
}

func TestPMTimer32Bits(t *testing.T) {
	r := newPMRig(t)
	r.pm.Timer32 = true
	r.clk.AdvanceTo(4_000_000_000)
	if got := r.bus.In(pmTmr, 4); got != 14_318_180 {
		t.Errorf("32-bit PM_TMR at 4 s = %d, want 14318180", got)
	}
	r.clk.AdvanceTo(10_000_000_000)
	if got := r.bus.In(pmTmr, 4); got != 35_795_450 {
		t.Errorf("32-bit PM_TMR at 10 s = %d, want 35795450 (no 24-bit wrap)", got)
	}
	r.clk.AdvanceTo(72_000_000_000_000)
	if got, want := r.bus.In(pmTmr, 4), uint32(257_727_240_000&0xFFFFFFFF); got != want {
		t.Errorf("32-bit PM_TMR at 20 h = %#x, want %#x", got, want)
	}
}

func TestPMTimerTopBitSetsTMRSTSAndSCI(t *testing.T) {
	r := newPMRig(t)
	r.out16(pm1Cnt, sciEn)
	r.out16(pm1En, tmrEn)
	r.clk.AdvanceTo(overflow24 - 1)
	r.expect16(pm1Sts, "PM1_STS just before bit 23 changes", 0)
	r.expectSCI(false, "before the timer's top bit changes")
	r.clk.AdvanceTo(overflow24)
	if got := r.bus.In(pmTmr, 4); got != 1<<23 {
		t.Errorf("PM_TMR = %#x at the first overflow, want 0x800000", got)
	}
	r.expect16(pm1Sts, "PM1_STS", tmrSts)
	r.expectSCI(true, "after TMR_STS with TMR_EN and SCI_EN")

	r.out16(pm1Sts, 0) // writing 0 clears nothing
	r.expect16(pm1Sts, "PM1_STS after writing 0", tmrSts)
	r.out16(pm1Sts, tmrSts) // write 1 to clear
	r.expect16(pm1Sts, "PM1_STS after writing 1", 0)
	r.expectSCI(false, "after TMR_STS was cleared")

	// The second change (bit 23 back to 0 at the 24-bit wrap) sets it again.
	r.clk.AdvanceTo(2 * overflow24)
	r.expect16(pm1Sts, "PM1_STS at the wrap", tmrSts)
	r.expectSCI(true, "at the wrap")
	if got := r.sci.Rises(); got != 2 {
		t.Errorf("SCI rose %d times, want 2", got)
	}
}

func TestPMSCINeedsEnableAndSCIEN(t *testing.T) {
	r := newPMRig(t)
	r.pm.PressPowerButton()
	r.expect16(pm1Sts, "PM1_STS after the power button", pwrbtnSts)
	r.expectSCI(false, "with PWRBTN_EN and SCI_EN clear")
	r.out16(pm1En, pwrbtnEn)
	r.expectSCI(false, "with SCI_EN clear (events would go to SMI)")
	r.out16(pm1Cnt, sciEn)
	r.expectSCI(true, "with PWRBTN_EN and SCI_EN set")
	r.out16(pm1En, 0)
	r.expectSCI(false, "after PWRBTN_EN was cleared")
	r.out16(pm1En, pwrbtnEn)
	r.expectSCI(true, "after PWRBTN_EN was set again")
	r.bus.Out(pm1Sts+1, 1, pwrbtnSts>>8) // clear with a byte write to the high half
	r.expectSCI(false, "after PWRBTN_STS was cleared")
	r.expect16(pm1Sts, "PM1_STS", 0)
}

func TestPMRegistersKeepOnlyTheirBits(t *testing.T) {
	r := newPMRig(t)
	r.out16(pm1En, 0xFFFF)
	r.expect16(pm1En, "PM1_EN", 0x0721) // TMR, GBL, PWRBTN, SLPBTN, RTC
	r.bus.Out(pm1En+1, 1, 0)
	r.expect16(pm1En, "PM1_EN after clearing its high byte", 0x0021)
	r.out16(pm1Cnt, 0x1C07)               // SLP_TYP 7, GBL_RLS, BM_RLD, SCI_EN; no SLP_EN
	r.expect16(pm1Cnt, "PM1_CNT", 0x1C03) // GBL_RLS reads 0
	if r.poweroff != 0 || len(r.sleeps) != 0 {
		t.Error("SLP_TYP without SLP_EN entered a sleep state")
	}
	// A dword write to the event block reaches PM1_STS and PM1_EN.
	r.bus.Out(pm1Sts, 4, 0x0100FFFF)
	r.expect16(pm1En, "PM1_EN after a dword write", 0x0100)
	// Lanes past the blocks read open bus.
	if got := r.pm.Control().ReadPort(1, 4); got != 0xFFFFFF1C {
		t.Errorf("ReadPort(1, 4) on PM1_CNT = %#x, want 0xffffff1c", got)
	}
}

func TestPMSleepEnableWithS5TypePowersOff(t *testing.T) {
	for _, c := range []struct {
		name  string
		write func(r *pmRig)
	}{
		{"16-bit write", func(r *pmRig) { r.out16(pm1Cnt, slpEn|0<<slpTyp|sciEn) }},
		{"byte write to the high half", func(r *pmRig) { r.bus.Out(pm1Cnt+1, 1, (slpEn|0<<slpTyp)>>8) }},
		{"32-bit write", func(r *pmRig) { r.bus.Out(pm1Cnt, 4, slpEn) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newPMRig(t)
			c.write(r)
			if r.poweroff != 1 {
				t.Errorf("power-off callback called %d times, want 1", r.poweroff)
			}
			if len(r.sleeps) != 0 {
				t.Errorf("OnSleep called with %v for S5", r.sleeps)
			}
			if r.in16(pm1Cnt)&slpEn != 0 {
				t.Error("SLP_EN reads back as 1")
			}
		})
	}
}

func TestPMOtherSleepTypesWakeAtOnce(t *testing.T) {
	r := newPMRig(t)
	r.out16(pm1Cnt, sciEn|1<<slpTyp|slpEn) // S1 in PIIX4-style tables
	if r.poweroff != 0 {
		t.Errorf("S1 powered off")
	}
	if !slices.Equal(r.sleeps, []uint8{1}) {
		t.Errorf("OnSleep saw %v, want [1]", r.sleeps)
	}
	r.expect16(pm1Sts, "PM1_STS after waking", wakSts)
	r.expect16(pm1Cnt, "PM1_CNT", sciEn|1<<slpTyp)
	r.out16(pm1Sts, wakSts)
	r.expect16(pm1Sts, "PM1_STS after clearing WAK_STS", 0)
	r.expectSCI(false, "WAK_STS is not an SCI event")
}

func TestPMS5TypeIsConfigurable(t *testing.T) {
	r := newPMRig(t)
	r.pm.S5Type = 5
	r.out16(pm1Cnt, 0<<slpTyp|slpEn)
	if r.poweroff != 0 {
		t.Fatal("SLP_TYP 0 powered off with S5Type 5")
	}
	r.out16(pm1Cnt, 5<<slpTyp|slpEn)
	if r.poweroff != 1 {
		t.Errorf("SLP_TYP 5 with S5Type 5: power-off called %d times, want 1", r.poweroff)
	}
}

func TestPMResetClearsRegistersButNotTheTimer(t *testing.T) {
	r := newPMRig(t)
	r.out16(pm1Cnt, sciEn)
	r.out16(pm1En, pwrbtnEn)
	r.pm.PressPowerButton()
	r.expectSCI(true, "before reset")
	r.clk.AdvanceTo(1_000_000_000)
	r.pm.Reset()
	r.expectSCI(false, "after reset")
	r.expect16(pm1Sts, "PM1_STS", 0)
	r.expect16(pm1En, "PM1_EN", 0)
	r.expect16(pm1Cnt, "PM1_CNT", 0)
	if got := r.bus.In(pmTmr, 4); got != 3_579_545 {
		t.Errorf("PM_TMR after reset = %d, want 3579545 (it follows the clock)", got)
	}
}

func TestPMWithoutCallbacksOrSCI(t *testing.T) {
	clk := clock.New(0)
	pm := debugport.NewPowerManagement(clk, nil, nil)
	pm.Control().WritePort(0, 2, slpEn|sciEn) // S5 with no callback
	pm.Control().WritePort(0, 2, 3<<slpTyp|slpEn)
	pm.Events().WritePort(2, 2, tmrEn)
	clk.AdvanceTo(overflow24)
	if got := pm.Events().ReadPort(0, 2); got != wakSts|tmrSts {
		t.Errorf("PM1_STS = %#x, want %#x", got, wakSts|tmrSts)
	}
}

func TestPMTimer32SetsTMRSTSOnBit31(t *testing.T) {
	r := newPMRig(t)
	r.pm.Timer32 = true // set after construction: the armed bit-23 timer must not count
	r.out16(pm1Cnt, sciEn)
	r.out16(pm1En, tmrEn)
	r.clk.AdvanceTo(2 * overflow24)
	r.expect16(pm1Sts, "PM1_STS when bit 23 changes in 32-bit mode", 0)
	const overflow32 = (1<<31*1_000_000_000 + debugport.PMTimerHz - 1) / debugport.PMTimerHz
	r.clk.AdvanceTo(overflow32 - 1)
	r.expect16(pm1Sts, "PM1_STS just before bit 31 changes", 0)
	r.clk.AdvanceTo(overflow32)
	r.expect16(pm1Sts, "PM1_STS when bit 31 changes", tmrSts)
	r.expectSCI(true, "at the 32-bit timer's top-bit change")
}
