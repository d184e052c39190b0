package pci_test

import (
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/irq"
	"ringzero/devices/pci"
)

// Ports as configuration software spells them (PCI 3.0 section
// 3.2.2.3.2).
const (
	portAddr = 0xCF8
	portData = 0xCFC
)

// testDev is a function with one BAR of each kind, a ROM and INTA#.
type testDev struct {
	cfg     pci.Config
	writes  []uint8
	resets  int
	written func(off uint8, size int)
}

func newTestDev(t *testing.T) *testDev {
	t.Helper()
	d := &testDev{}
	d.cfg.Init(pci.ID{Vendor: 0x1234, Device: 0x5678, Revision: 7, Class: 0x020000, SubVendor: 0x1AF4, Subsystem: 0x1100, IntPin: 1})
	must(t, d.cfg.SetBAR(0, pci.SpaceIO, 16))
	must(t, d.cfg.SetBAR(1, pci.SpaceMemory, 4096))
	must(t, d.cfg.SetBAR(2, pci.SpaceMemoryPrefetch, 16<<20))
	must(t, d.cfg.SetROM(64<<10))
	return d
}

func (d *testDev) PCIConfig() *pci.Config { return &d.cfg }
func (d *testDev) ConfigWritten(off uint8, size int) {
	d.writes = append(d.writes, off)
	if d.written != nil {
		d.written(off, size)
	}
}
func (d *testDev) ConfigReset() { d.resets++ }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rig is a host mapped on a bus with the i440FX at 00.0.
type rig struct {
	t      *testing.T
	b      *bus.Bus
	host   *pci.Host
	nb     *pci.I440FX
	events []pci.BARChange
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, b: bus.New(), host: pci.NewHost(), nb: pci.NewI440FX()}
	must(t, r.b.MapPorts(pci.Base, pci.Size, "pci", r.host, bus.SizeAll))
	must(t, r.host.Attach(0, 0, r.nb))
	r.host.OnBAR = func(c pci.BARChange) { r.events = append(r.events, c) }
	return r
}

func addr(slot, fn int, reg uint8) uint32 {
	return 1<<31 | uint32(slot)<<11 | uint32(fn)<<8 | uint32(reg&0xFC)
}

// read reads size bytes of register reg of slot.fn as a guest does:
// CONFIG_ADDRESS with the dword, then CONFIG_DATA at the byte offset.
func (r *rig) read(slot, fn int, reg uint8, size int) uint32 {
	r.b.Out(portAddr, 4, addr(slot, fn, reg))
	return r.b.In(portData+uint16(reg&3), size)
}

func (r *rig) write(slot, fn int, reg uint8, size int, v uint32) {
	r.b.Out(portAddr, 4, addr(slot, fn, reg))
	r.b.Out(portData+uint16(reg&3), size, v)
}

func TestConfigAddressRegister(t *testing.T) {
	r := newRig(t)
	// SeaBIOS's and Linux's probe: the enable bit reads back.
	r.b.Out(portAddr, 4, 0x80000000)
	if v := r.b.In(portAddr, 4); v != 0x80000000 {
		t.Fatalf("CONFIG_ADDRESS = %#x after writing 0x80000000", v)
	}
	// Reserved bits 30-24 and 1-0 read 0.
	r.b.Out(portAddr, 4, 0xFFFFFFFF)
	if v := r.b.In(portAddr, 4); v != 0x80FFFFFC {
		t.Errorf("CONFIG_ADDRESS = %#x after all ones, want 0x80fffffc", v)
	}
	// Byte and word accesses do not reach it.
	r.b.Out(portAddr, 4, 0x80000000)
	r.b.Out(portAddr, 1, 0x12)
	r.b.Out(portAddr+2, 2, 0x3456)
	if v := r.b.In(portAddr, 4); v != 0x80000000 {
		t.Errorf("CONFIG_ADDRESS = %#x after byte and word writes, want unchanged", v)
	}
	if v := r.b.In(portAddr, 1); v != 0xFF {
		t.Errorf("byte read of 0xCF8 = %#x, want 0xff", v)
	}
}

func TestConfigDataAccessSizes(t *testing.T) {
	r := newRig(t)
	if v := r.read(0, 0, 0, 4); v != 0x12378086 {
		t.Fatalf("vendor/device dword = %#x, want 0x12378086", v)
	}
	tests := []struct {
		reg  uint8
		size int
		want uint32
	}{
		{0x00, 2, 0x8086}, {0x02, 2, 0x1237},
		{0x00, 1, 0x86}, {0x01, 1, 0x80}, {0x02, 1, 0x37}, {0x03, 1, 0x12},
		{0x08, 4, 0x06000002}, // revision 2, class 06 00 00
		{0x0B, 1, 0x06}, {0x0A, 2, 0x0600},
		{0x72, 1, 0x02}, // SMRAM: C_BASE_SEG
	}
	for _, tc := range tests {
		if v := r.read(0, 0, tc.reg, tc.size); v != tc.want {
			t.Errorf("reg %#x size %d = %#x, want %#x", tc.reg, tc.size, v, tc.want)
		}
	}
	// Byte and word writes at every offset of CONFIG_DATA.
	r.write(0, 0, 0x50, 4, 0)
	r.write(0, 0, 0x51, 1, 0xAB)
	r.write(0, 0, 0x52, 2, 0xCDEF)
	if v := r.read(0, 0, 0x50, 4); v != 0xCDEFAB00 {
		t.Errorf("after byte write at +1 and word at +2: %#x, want 0xcdefab00", v)
	}
	r.write(0, 0, 0x53, 1, 0x11)
	if v := r.read(0, 0, 0x52, 2); v != 0x11EF {
		t.Errorf("word at +2 = %#x, want 0x11ef", v)
	}
}

func TestAbsentFunctionsAndDisabledCyclesReadOnes(t *testing.T) {
	r := newRig(t)
	if v := r.read(5, 0, 0, 4); v != 0xFFFFFFFF {
		t.Errorf("empty slot 5 = %#x, want all ones", v)
	}
	if v := r.read(0, 1, 0, 2); v != 0xFFFF {
		t.Errorf("function 1 of slot 0 = %#x, want 0xffff", v)
	}
	r.b.Out(portAddr, 4, 1<<31|1<<16) // bus 1
	if v := r.b.In(portData, 4); v != 0xFFFFFFFF {
		t.Errorf("bus 1 = %#x, want all ones", v)
	}
	r.b.Out(portAddr, 4, 0) // enable bit clear
	if v := r.b.In(portData, 4); v != 0xFFFFFFFF {
		t.Errorf("data port without the enable bit = %#x, want all ones", v)
	}
	r.b.Out(portData, 4, 0) // dropped
	if v := r.read(0, 0, 0, 4); v != 0x12378086 {
		t.Errorf("vendor/device = %#x after a disabled write", v)
	}
}

func TestReadOnlyAndWriteOneToClearBits(t *testing.T) {
	r := newRig(t)
	d := newTestDev(t)
	must(t, r.host.Attach(3, 0, d))
	r.write(3, 0, 0, 4, 0)
	if v := r.read(3, 0, 0, 4); v != 0x56781234 {
		t.Errorf("IDs changed by a write: %#x", v)
	}
	r.write(3, 0, pci.RegIntLine, 2, 0x040B) // line writable, pin read-only
	if v := r.read(3, 0, pci.RegIntLine, 2); v != 0x010B {
		t.Errorf("interrupt line/pin = %#x, want 0x010b", v)
	}
	r.write(3, 0, pci.RegCommand, 2, 0xFFFF)
	if v := r.read(3, 0, pci.RegCommand, 2); v != 0x0547 {
		t.Errorf("command after all ones = %#x, want the writable bits 0x0547", v)
	}
	// Status error bits are write-1-to-clear: set them from the device
	// side, clear two with a write.
	d.cfg.SetWord(pci.RegStatus, 0xF900)
	r.write(3, 0, pci.RegStatus, 2, 0x8100)
	if v := r.read(3, 0, pci.RegStatus, 2); v != 0x7800 {
		t.Errorf("status = %#x, want 0x7800", v)
	}
	// A dword write to command/status writes command and clears status
	// bits together.
	r.write(3, 0, pci.RegCommand, 4, 0x78000000|pci.CmdIO)
	if v := r.read(3, 0, pci.RegCommand, 4); v != pci.CmdIO {
		t.Errorf("command/status = %#x, want %#x", v, pci.CmdIO)
	}
	if len(d.writes) == 0 || d.writes[len(d.writes)-1] != pci.RegCommand {
		t.Errorf("ConfigWritten offsets %v, want the last at 0x04", d.writes)
	}
}

func TestBARSizingByWritingAllOnes(t *testing.T) {
	r := newRig(t)
	must(t, r.host.Attach(3, 0, newTestDev(t)))
	tests := []struct {
		reg        uint8
		power, all uint32 // power-on value, value after writing all ones
		mask, size uint32 // SeaBIOS's address mask and the size it finds
	}{
		{pci.RegBAR0, 0x1, 0xFFFFFFF1, 0xFFFFFFFC, 16},           // I/O
		{pci.RegBAR0 + 4, 0x0, 0xFFFFF000, 0xFFFFFFF0, 4096},     // memory
		{pci.RegBAR0 + 8, 0x8, 0xFF000008, 0xFFFFFFF0, 16 << 20}, // prefetchable
		{pci.RegBAR0 + 12, 0x0, 0x0, 0xFFFFFFF0, 0},              // none
		{pci.RegROM, 0x0, 0xFFFF0001, 0xFFFFF800, 64 << 10},      // ROM, enable bit writable
	}
	for _, tc := range tests {
		if v := r.read(3, 0, tc.reg, 4); v != tc.power {
			t.Errorf("BAR %#x at power-on = %#x, want %#x", tc.reg, v, tc.power)
		}
		r.write(3, 0, tc.reg, 4, 0xFFFFFFFF)
		v := r.read(3, 0, tc.reg, 4)
		if v != tc.all {
			t.Errorf("BAR %#x after all ones = %#x, want %#x", tc.reg, v, tc.all)
		}
		if size := ^(v & tc.mask) + 1; v != 0 && size != tc.size {
			t.Errorf("BAR %#x sizes to %#x, want %#x", tc.reg, size, tc.size)
		}
		r.write(3, 0, tc.reg, 4, tc.power)
	}
}

func TestBARChangesAreReported(t *testing.T) {
	r := newRig(t)
	d := newTestDev(t)
	must(t, r.host.Attach(3, 0, d))
	r.write(3, 0, pci.RegBAR0, 4, 0xC001)
	r.write(3, 0, pci.RegBAR0+4, 4, 0xFEB00000)
	r.write(3, 0, pci.RegBAR0+8, 4, 0xFD000000)
	r.write(3, 0, pci.RegROM, 4, 0xFEB10000)
	if len(r.events) != 0 {
		t.Fatalf("events before decoding was enabled: %v", r.events)
	}
	r.write(3, 0, pci.RegCommand, 2, pci.CmdIO|pci.CmdMemory)
	want := []pci.BARChange{
		{Device: d, Slot: 3, Fn: 0, BAR: 0, New: pci.Region{Space: pci.SpaceIO, Base: 0xC000, Size: 16}},
		{Device: d, Slot: 3, Fn: 0, BAR: 1, New: pci.Region{Space: pci.SpaceMemory, Base: 0xFEB00000, Size: 4096}},
		{Device: d, Slot: 3, Fn: 0, BAR: 2, New: pci.Region{Space: pci.SpaceMemoryPrefetch, Base: 0xFD000000, Size: 16 << 20}},
	}
	checkEvents(t, r.events, want)

	// The ROM decodes once its enable bit is set too.
	r.events = nil
	r.write(3, 0, pci.RegROM, 4, 0xFEB10001)
	checkEvents(t, r.events, []pci.BARChange{{Device: d, Slot: 3, BAR: pci.ROMBAR,
		New: pci.Region{Space: pci.SpaceMemory, Base: 0xFEB10000, Size: 64 << 10}}})

	// Moving the I/O BAR reports old and new.
	r.events = nil
	r.write(3, 0, pci.RegBAR0, 2, 0xC041)
	checkEvents(t, r.events, []pci.BARChange{{Device: d, Slot: 3, BAR: 0,
		Old: pci.Region{Space: pci.SpaceIO, Base: 0xC000, Size: 16},
		New: pci.Region{Space: pci.SpaceIO, Base: 0xC040, Size: 16}}})

	// Sizing while decoding leaves an address that wraps: not mapped.
	r.events = nil
	r.write(3, 0, pci.RegBAR0+8, 4, 0xFFFFFFFF)
	if len(r.events) != 1 || r.events[0].New.Mapped() {
		t.Errorf("sizing a decoding BAR: events %v, want one to unmapped", r.events)
	}
	r.write(3, 0, pci.RegBAR0+8, 4, 0xFD000000)

	// Clearing memory space unmaps the memory BARs and the ROM only.
	r.events = nil
	r.write(3, 0, pci.RegCommand, 2, pci.CmdIO)
	if len(r.events) != 3 {
		t.Fatalf("events after disabling memory space: %v", r.events)
	}
	for _, e := range r.events {
		if e.BAR == 0 || e.New.Mapped() || !e.Old.Mapped() {
			t.Errorf("unexpected event %+v", e)
		}
	}
	if got := d.cfg.BAR(0); got != (pci.Region{Space: pci.SpaceIO, Base: 0xC040, Size: 16}) {
		t.Errorf("BAR 0 = %v, want io 0xc040+0x10", got)
	}
}

func checkEvents(t *testing.T, got, want []pci.BARChange) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("events %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Device != w.Device || g.Slot != w.Slot || g.Fn != w.Fn || g.BAR != w.BAR || g.Old != w.Old || g.New != w.New {
			t.Errorf("event %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestIOBARAboveSixtyFourKiBDoesNotDecode(t *testing.T) {
	r := newRig(t)
	d := newTestDev(t)
	must(t, r.host.Attach(3, 0, d))
	r.write(3, 0, pci.RegBAR0, 4, 0x10000)
	r.write(3, 0, pci.RegCommand, 2, pci.CmdIO)
	if d.cfg.BAR(0).Mapped() || len(r.events) != 0 {
		t.Errorf("I/O BAR at 0x10000 decodes: %v, events %v", d.cfg.BAR(0), r.events)
	}
}

func TestMultiFunctionBitAndEnumeration(t *testing.T) {
	r := newRig(t)
	a, b := newTestDev(t), newTestDev(t)
	must(t, r.host.Attach(1, 3, b))
	must(t, r.host.Attach(1, 0, a))
	if v := r.read(1, 0, pci.RegHeaderType, 1); v != 0x80 {
		t.Errorf("header type of 01.0 = %#x, want multi-function 0x80", v)
	}
	if v := r.read(1, 0, 0x0C, 4); v>>16 != 0x80 {
		t.Errorf("dword at 0x0c of 01.0 = %#x, want header type 0x80", v)
	}
	if v := r.read(1, 3, pci.RegHeaderType, 1); v != 0 {
		t.Errorf("header type of 01.3 = %#x, want 0", v)
	}
	if v := r.read(0, 0, pci.RegHeaderType, 1); v != 0 {
		t.Errorf("header type of 00.0 = %#x, want 0", v)
	}
	if err := r.host.Attach(1, 0, newTestDev(t)); err == nil {
		t.Error("attaching twice to 01.0 succeeded")
	}
	if err := r.host.Attach(2, 0, a); err == nil {
		t.Error("attaching one device at two places succeeded")
	}
	// Enumerate as SeaBIOS does: vendor ID of every function.
	var found []int
	for slot := 0; slot < 32; slot++ {
		for fn := 0; fn < 8; fn++ {
			if r.read(slot, fn, 0, 2) != 0xFFFF {
				found = append(found, slot<<3|fn)
			}
		}
	}
	if len(found) != 3 || found[0] != 0 || found[1] != 8 || found[2] != 11 {
		t.Errorf("functions found %v, want 00.0 01.0 01.3", found)
	}
	if fs := r.host.Functions(); len(fs) != 3 || fs[2].Device != b || fs[2].Slot != 1 || fs[2].Fn != 3 {
		t.Errorf("Functions() = %+v", fs)
	}
}

func TestINTxRoutesToPIRQBySwizzle(t *testing.T) {
	r := newRig(t)
	var lines [4]irq.Recorder
	for i := range lines {
		r.host.SetPIRQ(i, &lines[i])
	}
	a, b := newTestDev(t), newTestDev(t)
	must(t, r.host.Attach(3, 0, a)) // INTA# of slot 3: PIRQC
	must(t, r.host.Attach(2, 0, b)) // INTA# of slot 2: PIRQB
	if pci.PIRQOf(3, 1) != 2 || pci.PIRQOf(1, 1) != 0 || pci.PIRQOf(1, 4) != 3 || pci.PIRQOf(0, 0) != -1 {
		t.Fatal("PIRQOf does not follow (slot + pin - 2) mod 4")
	}
	a.cfg.SetIRQ(true)
	if !lines[2].Level() || lines[1].Level() {
		t.Fatalf("after slot 3 INTA#: PIRQ levels %v %v %v %v", lines[0].Level(), lines[1].Level(), lines[2].Level(), lines[3].Level())
	}
	if v := r.read(3, 0, pci.RegStatus, 2); v&pci.StatusInterrupt == 0 {
		t.Error("status interrupt bit clear while INTx is asserted")
	}
	// Interrupt disable holds the pin low but keeps the status bit.
	r.write(3, 0, pci.RegCommand, 2, pci.CmdIntDisable)
	if lines[2].Level() {
		t.Error("PIRQC high with interrupts disabled")
	}
	if v := r.read(3, 0, pci.RegStatus, 2); v&pci.StatusInterrupt == 0 {
		t.Error("status interrupt bit cleared by interrupt disable")
	}
	r.write(3, 0, pci.RegCommand, 2, 0)
	if !lines[2].Level() {
		t.Error("PIRQC low after re-enabling interrupts")
	}
	// Two functions on one PIRQ: wired-OR.
	c := newTestDev(t)
	must(t, r.host.Attach(7, 0, c)) // slot 7 INTA#: (7+1-2)&3 = 2
	c.cfg.SetIRQ(true)
	a.cfg.SetIRQ(false)
	if !lines[2].Level() {
		t.Error("PIRQC low while slot 7 still asserts")
	}
	c.cfg.SetIRQ(false)
	if lines[2].Level() {
		t.Error("PIRQC high with nobody asserting")
	}
}

func TestResetRestoresPowerOnState(t *testing.T) {
	r := newRig(t)
	d := newTestDev(t)
	must(t, r.host.Attach(3, 0, d))
	r.write(3, 0, pci.RegBAR0, 4, 0xC001)
	r.write(3, 0, pci.RegIntLine, 1, 11)
	r.write(3, 0, pci.RegCommand, 2, pci.CmdIO)
	r.events = nil
	r.host.Reset()
	if d.resets != 1 {
		t.Errorf("ConfigReset called %d times, want 1", d.resets)
	}
	if v := r.b.In(portAddr, 4); v != 0 {
		t.Errorf("CONFIG_ADDRESS = %#x after reset, want 0", v)
	}
	if v := r.read(3, 0, pci.RegBAR0, 4); v != 1 {
		t.Errorf("BAR0 = %#x after reset, want 1", v)
	}
	if v := r.read(3, 0, pci.RegIntLine, 1); v != 0 {
		t.Errorf("interrupt line = %d after reset, want 0", v)
	}
	if len(r.events) != 1 || r.events[0].BAR != 0 || r.events[0].New.Mapped() {
		t.Errorf("reset events %+v, want BAR 0 unmapped", r.events)
	}
}

// rcr records accesses to port 0xCF9.
type rcr struct{ v uint32 }

func (p *rcr) ReadPort(off uint16, size int) uint32     { return p.v }
func (p *rcr) WritePort(off uint16, size int, v uint32) { p.v = v }

func TestResetControlPortSharesTheRange(t *testing.T) {
	r := newRig(t)
	p := &rcr{}
	r.host.ResetControl = p
	r.b.Out(0xCF9, 1, 0x06)
	if p.v != 0x06 {
		t.Errorf("reset control got %#x, want 0x06", p.v)
	}
	if v := r.b.In(0xCF9, 1); v != 0x06 {
		t.Errorf("port 0xCF9 reads %#x, want 0x06", v)
	}
	r.b.Out(portAddr, 4, 0x80000000)
	if p.v != 0x06 {
		t.Error("a dword CONFIG_ADDRESS write reached the reset control register")
	}
}
