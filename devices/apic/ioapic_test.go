package apic_test

import (
	"testing"

	"ringzero/devices/apic"
	"ringzero/devices/irq"
)

// ioReg reads I/O APIC register n through IOREGSEL and IOWIN.
func (r *rig) ioReg(n uint8) uint32 {
	r.b.Write(apic.IOBase, 4, uint32(n))
	return r.b.Read(apic.IOBase+0x10, 4)
}

// setIOReg writes I/O APIC register n.
func (r *rig) setIOReg(n uint8, v uint32) {
	r.b.Write(apic.IOBase, 4, uint32(n))
	r.b.Write(apic.IOBase+0x10, 4, v)
}

// route programs pin's redirection entry: low dword lo, destination
// dest.
func (r *rig) route(pin int, lo uint32, dest uint8) {
	r.setIOReg(uint8(0x11+2*pin), uint32(dest)<<24)
	r.setIOReg(uint8(0x10+2*pin), lo)
}

const (
	rteLevel  = 1 << 15
	rteRemote = 1 << 14
	rteMasked = 1 << 16
)

func TestIOAPICRegisters(t *testing.T) {
	r := newRig(t)
	if v := r.ioReg(1); v != 0x00170011 {
		t.Errorf("version %#x, want 0x170011", v)
	}
	for pin := 0; pin < apic.IOPins; pin++ {
		if lo, hi := r.ioReg(uint8(0x10+2*pin)), r.ioReg(uint8(0x11+2*pin)); lo != rteMasked || hi != 0 {
			t.Errorf("pin %d reset to %#x:%#x, want masked", pin, hi, lo)
		}
	}
	r.setIOReg(0, 0xFFFFFFFF)
	if v := r.ioReg(0); v != 0x0F000000 {
		t.Errorf("ID %#x after writing all ones, want 0x0f000000", v)
	}
	if v := r.b.Read(apic.IOBase, 4); v != 0 {
		t.Errorf("IOREGSEL %#x, want 0 (last selected)", v)
	}
	// Read-only bits stay: delivery status and remote IRR.
	r.route(3, 0xFFFFFFFF, 0xFF)
	if v := r.ioReg(0x16); v != 0x0001AFFF {
		t.Errorf("entry 3 low %#x, want 0x1afff", v)
	}
	if v := r.ioReg(0x17); v != 0xFF000000 {
		t.Errorf("entry 3 high %#x, want 0xff000000", v)
	}
}

func TestIOAPICEdgeRouting(t *testing.T) {
	r := newRig(t)
	r.enable()
	pin := r.io.Pin(apic.ISATimerPin)
	r.route(apic.ISATimerPin, 0x30|rteMasked, 0)
	irq.Pulse(pin)
	r.wantTake(-1) // masked: the edge is lost
	r.route(apic.ISATimerPin, 0x30, 0)
	r.wantTake(-1) // and unmasking does not bring it back
	irq.Pulse(pin)
	r.wantTake(0x30)
	// A second edge while the first is in service waits in IRR.
	irq.Pulse(pin)
	r.wantTake(-1)
	r.wr(rEOI, 0)
	r.wantTake(0x30)
	r.wr(rEOI, 0)
	if len(r.eois) != 0 {
		t.Errorf("EOI broadcasts %x for an edge pin", r.eois)
	}
	// Another destination: not ours.
	r.route(apic.ISATimerPin, 0x30, 5)
	irq.Pulse(pin)
	r.wantTake(-1)
	// Logical destination with LDR bit 0.
	r.wr(rLDR, 1<<24)
	r.route(apic.ISATimerPin, 0x30|1<<11, 1)
	irq.Pulse(pin)
	r.wantTake(0x30)
}

func TestIOAPICLevelAndRemoteIRR(t *testing.T) {
	r := newRig(t)
	r.enable()
	pin := r.io.Pin(9)
	r.route(9, 0x49|rteLevel, 0)
	pin.Set(true)
	r.wantTake(0x49)
	if v := r.ioReg(0x22); v&rteRemote == 0 {
		t.Errorf("entry 9 %#x: remote IRR clear after delivery", v)
	}
	r.want(rTMR+0x20, 1<<9)
	// Still high, but remote IRR holds it until the EOI; the EOI sends
	// it again.
	r.wantTake(-1)
	r.wr(rEOI, 0)
	if len(r.eois) != 1 || r.eois[0] != 0x49 {
		t.Fatalf("EOI broadcasts %x, want [49]", r.eois)
	}
	r.wantTake(0x49)
	// The device lowers the line, then the EOI: nothing more.
	pin.Set(false)
	r.wr(rEOI, 0)
	r.wantTake(-1)
	if v := r.ioReg(0x22); v&rteRemote != 0 {
		t.Errorf("entry 9 %#x: remote IRR set after the EOI", v)
	}
	// A level input raised while masked is sent when unmasked.
	r.route(9, 0x49|rteLevel|rteMasked, 0)
	pin.Set(true)
	r.wantTake(-1)
	r.route(9, 0x49|rteLevel, 0)
	r.wantTake(0x49)
	// Switching the entry to edge drops remote IRR.
	r.route(9, 0x49, 0)
	if v := r.ioReg(0x22); v&rteRemote != 0 {
		t.Errorf("edge entry %#x keeps remote IRR", v)
	}
}
