package piix_test

import (
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/irq"
	"ringzero/devices/pci"
	"ringzero/devices/piix"
)

// testDev is a PCI function with INTA#, to drive a PIRQ.
type testDev struct{ cfg pci.Config }

func (d *testDev) PCIConfig() *pci.Config   { return &d.cfg }
func (d *testDev) ConfigWritten(uint8, int) {}
func (d *testDev) ConfigReset()             {}

// rig is a PCI host on a bus with the three PIIX functions at slot 1 and
// recorders on the ISA IRQ inputs.
type rig struct {
	t      *testing.T
	b      *bus.Bus
	host   *pci.Host
	isa    *piix.ISA
	ide    *piix.IDE
	pm     *piix.PM
	irqs   [16]irq.Recorder
	events []pci.BARChange
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, b: bus.New(), host: pci.NewHost()}
	if err := r.b.MapPorts(pci.Base, pci.Size, "pci", r.host, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	r.isa = piix.NewISA(func(n int) irq.Line { return &r.irqs[n] })
	r.ide = piix.NewIDE()
	r.pm = piix.NewPM()
	for n := 0; n < 4; n++ {
		r.host.SetPIRQ(n, r.isa.PIRQ(n))
	}
	for fn, d := range map[int]pci.Device{piix.FnISA: r.isa, piix.FnIDE: r.ide, piix.FnPM: r.pm} {
		if err := r.host.Attach(piix.Slot, fn, d); err != nil {
			t.Fatal(err)
		}
	}
	r.host.OnBAR = func(c pci.BARChange) { r.events = append(r.events, c) }
	return r
}

func (r *rig) sel(fn int, reg uint8) {
	r.b.Out(0xCF8, 4, 1<<31|piix.Slot<<11|uint32(fn)<<8|uint32(reg&0xFC))
}

func (r *rig) read(fn int, reg uint8, size int) uint32 {
	r.sel(fn, reg)
	return r.b.In(0xCFC+uint16(reg&3), size)
}

func (r *rig) write(fn int, reg uint8, size int, v uint32) {
	r.sel(fn, reg)
	r.b.Out(0xCFC+uint16(reg&3), size, v)
}

func TestIdentities(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		fn           int
		id, class    uint32
		header, line uint32
	}{
		{piix.FnISA, 0x70008086, 0x06010000, 0x80, 0},
		{piix.FnIDE, 0x70108086, 0x01018000, 0x00, 0},
		{piix.FnPM, 0x71138086, 0x06800003, 0x00, 0x0109},
	}
	for _, tc := range tests {
		if v := r.read(tc.fn, 0, 4); v != tc.id {
			t.Errorf("01.%d ID = %#x, want %#x", tc.fn, v, tc.id)
		}
		if v := r.read(tc.fn, 8, 4); v != tc.class {
			t.Errorf("01.%d class/revision = %#x, want %#x", tc.fn, v, tc.class)
		}
		if v := r.read(tc.fn, pci.RegHeaderType, 1); v != tc.header {
			t.Errorf("01.%d header type = %#x, want %#x", tc.fn, v, tc.header)
		}
		if v := r.read(tc.fn, pci.RegIntLine, 2); v != tc.line {
			t.Errorf("01.%d interrupt line/pin = %#x, want %#x", tc.fn, v, tc.line)
		}
	}
}

func TestPIRQRouting(t *testing.T) {
	r := newRig(t)
	for n := 0; n < 4; n++ {
		if v := r.read(piix.FnISA, uint8(0x60+n), 1); v != 0x80 {
			t.Errorf("PIRQRC[%c] = %#x at power-on, want 0x80", 'A'+n, v)
		}
	}
	// SeaBIOS's piix_isa_bridge_setup: PIRQA-D to 10, 10, 11, 11.
	for n, v := range []uint32{10, 10, 11, 11} {
		r.write(piix.FnISA, uint8(0x60+n), 1, v)
	}
	if i, ok := r.isa.Route(2); !ok || i != 11 {
		t.Fatalf("Route(PIRQC) = %d %v, want 11", i, ok)
	}
	// A function in slot 3 with INTA# reaches PIRQC, so IRQ 11.
	d := &testDev{}
	d.cfg.Init(pci.ID{Vendor: 0x1234, Device: 1, IntPin: 1})
	if err := r.host.Attach(3, 0, d); err != nil {
		t.Fatal(err)
	}
	d.cfg.SetIRQ(true)
	if !r.irqs[11].Level() || r.irqs[10].Level() {
		t.Fatalf("IRQ 10/11 = %v/%v after slot 3 INTA#, want low/high", r.irqs[10].Level(), r.irqs[11].Level())
	}
	// PIRQD also to 11 while PIRQC is high: 11 stays up when C is moved.
	r.write(piix.FnISA, 0x63, 1, 11)
	r.write(piix.FnISA, 0x62, 1, 5)
	if r.irqs[11].Level() || !r.irqs[5].Level() {
		t.Errorf("after moving PIRQC to 5: IRQ 11 %v, IRQ 5 %v", r.irqs[11].Level(), r.irqs[5].Level())
	}
	// Disabled routing and reserved IRQs route nothing.
	r.write(piix.FnISA, 0x62, 1, 0x85)
	if r.irqs[5].Level() {
		t.Error("IRQ 5 high with PIRQC routing disabled")
	}
	for _, reserved := range []uint32{0, 1, 2, 8, 13} {
		r.write(piix.FnISA, 0x62, 1, reserved)
		if _, ok := r.isa.Route(2); ok {
			t.Errorf("PIRQC routed to reserved IRQ %d", reserved)
		}
	}
	// Bits 4-6 are reserved; a dword write sets all four.
	r.write(piix.FnISA, 0x60, 4, 0x0B0B0A7A)
	if v := r.read(piix.FnISA, 0x60, 4); v != 0x0B0B0A0A {
		t.Errorf("PIRQRC = %#x, want 0x0b0b0a0a", v)
	}
	if !r.irqs[11].Level() {
		t.Error("IRQ 11 low with PIRQC routed back to it")
	}
	d.cfg.SetIRQ(false)
	if r.irqs[11].Level() {
		t.Error("IRQ 11 high after INTA# fell")
	}
	// Reset disables every route.
	d.cfg.SetIRQ(true)
	r.host.Reset()
	if r.irqs[11].Level() {
		t.Error("IRQ 11 high after reset")
	}
}

func TestIDEBusMasterBAR(t *testing.T) {
	r := newRig(t)
	bar := uint8(pci.RegBAR0 + 4*piix.BusMasterBAR)
	r.write(piix.FnIDE, bar, 4, 0xFFFFFFFF)
	if v := r.read(piix.FnIDE, bar, 4); v != 0xFFFFFFF1 {
		t.Fatalf("BAR 4 sizes to %#x, want 0xfffffff1 (16 I/O ports)", v)
	}
	for i := 0; i < 4; i++ {
		if v := r.read(piix.FnIDE, uint8(pci.RegBAR0+4*i), 4); v != 0 {
			t.Errorf("BAR %d = %#x in legacy mode, want 0", i, v)
		}
	}
	// SeaBIOS's piix_ide_setup enables both channels' decode.
	r.write(piix.FnIDE, 0x40, 2, 0x8000)
	r.write(piix.FnIDE, 0x42, 2, 0x8000)
	if v := r.read(piix.FnIDE, 0x40, 4); v != 0x80008000 {
		t.Errorf("IDETIM = %#x, want 0x80008000", v)
	}
	r.write(piix.FnIDE, bar, 4, 0xC001)
	r.write(piix.FnIDE, pci.RegCommand, 2, pci.CmdIO|pci.CmdBusMaster)
	if len(r.events) != 1 || r.events[0].Device != r.ide || r.events[0].BAR != piix.BusMasterBAR ||
		r.events[0].New != (pci.Region{Space: pci.SpaceIO, Base: 0xC000, Size: piix.BusMasterSize}) {
		t.Fatalf("BAR events %+v, want BAR 4 at io 0xc000+16", r.events)
	}
	if err := r.b.MapPorts(0xC000, piix.BusMasterSize, "piix-bm", r.ide.BusMaster(), bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	// Command: start and direction stored; status: no DMA capability,
	// error and interrupt write-1-to-clear; descriptor pointer aligned.
	r.b.Out(0xC000, 1, 0xFF)
	if v := r.b.In(0xC000, 1); v != 0x09 {
		t.Errorf("BMICP = %#x, want 0x09", v)
	}
	if v := r.b.In(0xC002, 1); v != 0 {
		t.Errorf("BMISP = %#x, want 0: no DMA-capable drives, never active", v)
	}
	r.b.Out(0xC002, 1, 0xFF)
	if v := r.b.In(0xC002, 1); v != 0 {
		t.Errorf("BMISP = %#x after writing ones, want 0", v)
	}
	r.b.Out(0xC00C, 4, 0x12345677)
	if v := r.b.In(0xC00C, 4); v != 0x12345674 || r.ide.BusMaster().PRDT(1) != 0x12345674 {
		t.Errorf("secondary PRDT = %#x, want 0x12345674", v)
	}
	r.host.Reset()
	if v := r.b.In(0xC00C, 4); v != 0 {
		t.Errorf("PRDT = %#x after reset, want 0", v)
	}
}

type pmEvent struct {
	base uint16
	on   bool
}

func TestPMBaseFollowsPMBAAndPMREGMISC(t *testing.T) {
	r := newRig(t)
	var ev []pmEvent
	r.pm.OnPMBase = func(base uint16, on bool) { ev = append(ev, pmEvent{base, on}) }
	if v := r.read(piix.FnPM, piix.RegPMBA, 4); v != 1 {
		t.Errorf("PMBA = %#x at power-on, want 1", v)
	}
	// SeaBIOS's piix4_pm_config_setup.
	r.write(piix.FnPM, pci.RegIntLine, 1, 9)
	r.write(piix.FnPM, piix.RegPMBA, 4, 0xB000|1)
	if len(ev) != 0 {
		t.Errorf("events before PMIOSE: %v", ev)
	}
	r.write(piix.FnPM, piix.RegPMREGMISC, 1, 1)
	r.write(piix.FnPM, piix.RegSMBBA, 4, 0xB100|1)
	r.write(piix.FnPM, piix.RegSMBHSTCFG, 1, 9)
	if len(ev) != 1 || ev[0] != (pmEvent{0xB000, true}) {
		t.Fatalf("events %v, want one at 0xb000 enabled", ev)
	}
	if base, on := r.pm.PMBase(); base != 0xB000 || !on {
		t.Errorf("PMBase() = %#x %v", base, on)
	}
	if v := r.read(piix.FnPM, piix.RegPMBA, 4); v != 0xB001 {
		t.Errorf("PMBA = %#x, want 0xb001", v)
	}
	// Address bits below 64 and above 0xFFFF are not writable.
	r.write(piix.FnPM, piix.RegPMBA, 4, 0x1234567F)
	if v := r.read(piix.FnPM, piix.RegPMBA, 4); v != 0x5641 {
		t.Errorf("PMBA = %#x after 0x1234567f, want 0x5641", v)
	}
	r.write(piix.FnPM, piix.RegPMREGMISC, 1, 0)
	want := []pmEvent{{0xB000, true}, {0x5640, true}, {0x5640, false}}
	if len(ev) != len(want) {
		t.Fatalf("events %v, want %v", ev, want)
	}
	for i := range want {
		if ev[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, ev[i], want[i])
		}
	}
	r.write(piix.FnPM, piix.RegPMREGMISC, 1, 1)
	ev = nil
	r.host.Reset()
	if len(ev) != 1 || ev[0].on {
		t.Errorf("reset events %v, want the block disabled", ev)
	}
}

func TestPMReportsSMMAlreadySetUp(t *testing.T) {
	r := newRig(t)
	// SeaBIOS's piix4_apmc_smm_setup returns when APMC_EN is set.
	if v := r.read(piix.FnPM, piix.RegDEVACTB, 4); v&(1<<25) == 0 {
		t.Errorf("DEVACTB = %#x, want APMC_EN (bit 25) set", v)
	}
	r.write(piix.FnPM, piix.RegDEVACTB, 4, 0)
	if v := r.read(piix.FnPM, piix.RegDEVACTB, 4); v != 1<<25 {
		t.Errorf("DEVACTB = %#x after 0, want APMC_EN kept", v)
	}
}

func TestResetControlThroughTheHost(t *testing.T) {
	r := newRig(t)
	var resets []bool
	rcr := &piix.ResetControl{OnReset: func(hard bool) { resets = append(resets, hard) }}
	r.host.ResetControl = rcr
	r.b.Out(piix.RCRPort, 1, 0x02) // select hard reset
	if v := r.b.In(piix.RCRPort, 1); v != 0x02 {
		t.Errorf("RCR = %#x, want 0x02", v)
	}
	r.b.Out(piix.RCRPort, 1, 0x06)
	r.b.Out(piix.RCRPort, 1, 0x04)
	if len(resets) != 2 || !resets[0] || resets[1] {
		t.Errorf("resets %v, want [hard soft]", resets)
	}
}
