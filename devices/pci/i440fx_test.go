package pci_test

import (
	"testing"

	"ringzero/devices/pci"
)

type pamEvent struct {
	region int
	re, we bool
}

func TestPAMRegionLayout(t *testing.T) {
	want := map[int][2]uint32{
		0: {0xF0000, 0x10000}, 1: {0xC0000, 0x4000}, 2: {0xC4000, 0x4000},
		7: {0xD8000, 0x4000}, 12: {0xEC000, 0x4000},
	}
	for i, w := range want {
		if b, s := pci.PAMRegion(i); b != w[0] || s != w[1] {
			t.Errorf("PAMRegion(%d) = %#x+%#x, want %#x+%#x", i, b, s, w[0], w[1])
		}
	}
}

// TestPAMFollowsSeaBIOS replays what SeaBIOS's shadow.c does: make
// C0000-FFFFF writable DRAM with two dword writes at 0x58 and 0x5C, then
// write-protect it.
func TestPAMFollowsSeaBIOS(t *testing.T) {
	r := newRig(t)
	var ev []pamEvent
	r.nb.OnPAM = func(region int, re, we bool) { ev = append(ev, pamEvent{region, re, we}) }

	// make_bios_writable: PAM0 = 0x30, PAM1-6 = 0x33, DRAMT (0x58) kept.
	r.write(0, 0, 0x58, 1, 0x10)
	lo := r.read(0, 0, 0x58, 4)
	r.write(0, 0, 0x58, 4, lo&0xFF|0x30<<8|0x33<<16|0x33<<24)
	r.write(0, 0, 0x5C, 4, 0x33333333)
	if len(ev) != pci.PAMRegions {
		t.Fatalf("%d PAM events, want %d: %v", len(ev), pci.PAMRegions, ev)
	}
	for _, e := range ev {
		if !e.re || !e.we {
			t.Errorf("region %d: read %v write %v, want DRAM both ways", e.region, e.re, e.we)
		}
	}
	if v := r.read(0, 0, 0x58, 1); v != 0x10 {
		t.Errorf("DRAMT = %#x, want 0x10 kept", v)
	}
	if v := r.read(0, 0, pci.RegPAM0, 1); v != 0x30 {
		t.Errorf("PAM0 = %#x, want 0x30", v)
	}

	// make_bios_readonly: C0000-C7FFF 0x11, C8000 low half read-only,
	// the rest writable (0x31), F0000 0x10.
	ev = nil
	r.write(0, 0, 0x58, 4, 0x31111010)
	r.write(0, 0, 0x5C, 4, 0x33333333)
	want := []pamEvent{{0, true, false}, {1, true, false}, {2, true, false}, {3, true, false}}
	if len(ev) != len(want) {
		t.Fatalf("events %v, want %v", ev, want)
	}
	for i := range want {
		if ev[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, ev[i], want[i])
		}
	}
	if re, we := r.nb.PAM(4); !re || !we {
		t.Errorf("PAM(4) = %v %v, want DRAM both ways", re, we)
	}

	// Writing the same values again reports nothing; reset reports every
	// segment back to PCI.
	ev = nil
	r.write(0, 0, 0x5C, 4, 0x33333333)
	if len(ev) != 0 {
		t.Errorf("unchanged PAM write reported %v", ev)
	}
	r.host.Reset()
	if len(ev) != pci.PAMRegions {
		t.Fatalf("reset reported %d segments, want %d", len(ev), pci.PAMRegions)
	}
	for _, e := range ev {
		if e.re || e.we {
			t.Errorf("after reset region %d: read %v write %v, want PCI", e.region, e.re, e.we)
		}
	}
	if v := r.read(0, 0, 0x58, 4); v != 0 {
		t.Errorf("0x58-0x5B = %#x after reset, want 0", v)
	}
}

func TestPAMNibblesAndReservedBits(t *testing.T) {
	r := newRig(t)
	var ev []pamEvent
	r.nb.OnPAM = func(region int, re, we bool) { ev = append(ev, pamEvent{region, re, we}) }
	r.write(0, 0, 0x5A, 1, 0xFF) // PAM1: C0000 (low) and C4000 (high)
	if v := r.read(0, 0, 0x5A, 1); v != 0x33 {
		t.Errorf("PAM1 = %#x after 0xff, want 0x33", v)
	}
	r.write(0, 0, pci.RegPAM0, 1, 0x0F) // low nibble of PAM0 reserved
	if v := r.read(0, 0, pci.RegPAM0, 1); v != 0 {
		t.Errorf("PAM0 = %#x after 0x0f, want 0", v)
	}
	r.write(0, 0, 0x5F, 1, 0x20) // PAM6 high: EC000 write-only
	want := []pamEvent{{1, true, true}, {2, true, true}, {12, false, true}}
	if len(ev) != len(want) {
		t.Fatalf("events %v, want %v", ev, want)
	}
	for i := range want {
		if ev[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, ev[i], want[i])
		}
	}
}

func TestSMRAMOpenAndLock(t *testing.T) {
	r := newRig(t)
	var opens []bool
	r.nb.OnSMRAM = func(open bool) { opens = append(opens, open) }
	// SeaBIOS's smm.c sequence: open (G_SMRAME|D_OPEN), then close.
	r.write(0, 0, pci.RegSMRAM, 1, 0x4A)
	if v := r.read(0, 0, pci.RegSMRAM, 1); v != 0x4A {
		t.Errorf("SMRAM = %#x, want 0x4a", v)
	}
	r.write(0, 0, pci.RegSMRAM, 1, 0x0A)
	// D_OPEN without G_SMRAME shows nothing.
	r.write(0, 0, pci.RegSMRAM, 1, 0x40)
	if len(opens) != 2 || !opens[0] || opens[1] {
		t.Fatalf("SMRAM open reports %v, want [true false]", opens)
	}
	// Lock: D_OPEN clears and stays clear; only D_CLS is writable.
	r.write(0, 0, pci.RegSMRAM, 1, 0x4A)
	r.write(0, 0, pci.RegSMRAM, 1, 0x5A)
	if v := r.read(0, 0, pci.RegSMRAM, 1); v != 0x1A {
		t.Errorf("SMRAM after D_LCK = %#x, want 0x1a", v)
	}
	r.write(0, 0, pci.RegSMRAM, 1, 0x62)
	if v := r.read(0, 0, pci.RegSMRAM, 1); v != 0x3A {
		t.Errorf("locked SMRAM after 0x62 = %#x, want 0x3a", v)
	}
	if r.nb.SMRAMOpen() {
		t.Error("SMRAM open while locked")
	}
	r.host.Reset()
	r.write(0, 0, pci.RegSMRAM, 1, 0x4A)
	if !r.nb.SMRAMOpen() {
		t.Error("SMRAM does not open after reset cleared the lock")
	}
}
