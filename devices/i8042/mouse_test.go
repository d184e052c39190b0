package i8042_test

import (
	"testing"

	"ringzero/devices/i8042"
)

// newMouseRig returns a rig with the mouse port and IRQ12 enabled and
// translation off, the way an OS driver sets the controller up.
func newMouseRig(t *testing.T) *rig {
	r := newRig(t, false)
	r.setCommandByte(cbKbdInt | cbAuxInt | cbSYS)
	return r
}

// expectMouse reads everything and checks every byte came from the mouse.
func (r *rig) expectMouse(what string, want ...byte) {
	r.t.Helper()
	bs, aux := r.readTagged()
	if string(bs) != string(want) {
		r.t.Errorf("%s: read % X, want % X", what, bs, want)
	}
	for i, a := range aux {
		if !a {
			r.t.Errorf("%s: byte %d (%#02x) without AUX OBF", what, i, bs[i])
		}
	}
}

func TestMouseReset(t *testing.T) {
	r := newMouseRig(t)
	r.toMouse(0xFF)
	if !r.aux.Level() || r.kbd.Level() {
		t.Errorf("mouse reset reply: IRQ12 %v IRQ1 %v, want high, low", r.aux.Level(), r.kbd.Level())
	}
	r.expectMouse("reset", ack, 0xAA, 0x00)
}

func TestMouseIntelliMouseSequence(t *testing.T) {
	r := newMouseRig(t)
	r.toMouse(0xF2)
	r.expectMouse("ID of a plain mouse", ack, 0x00)

	r.toMouse(0xF3, 200, 0xF3, 100, 0xF3, 80, 0xF2)
	r.expectMouse("IntelliMouse sequence", ack, ack, ack, ack, ack, ack, ack, 0x03)

	r.toMouse(0xF3, 200, 0xF3, 200, 0xF3, 80, 0xF2)
	r.expectMouse("Explorer sequence", ack, ack, ack, ack, ack, ack, ack, 0x04)

	r.toMouse(0xFF)
	r.expectMouse("reset leaves wheel mode", ack, 0xAA, 0x00)

	// The Explorer sequence alone does not make an IntelliMouse.
	r.toMouse(0xF3, 200, 0xF3, 200, 0xF3, 80, 0xF2)
	r.expectMouse("Explorer sequence from ID 0", ack, ack, ack, ack, ack, ack, ack, 0x00)

	r.toMouse(0xF3, 55)
	r.expectMouse("invalid sample rate", ack, 0xFE)
	r.toMouse(100)
	r.expectMouse("valid rate after FE", ack)
}

func TestMousePackets(t *testing.T) {
	r := newMouseRig(t)
	r.c.MouseMove(5, 5, 0, 0)
	r.c.Poll()
	r.expectMouse("motion with reporting off")
	r.toMouse(0xF4)
	r.expectMouse("enable", ack)

	for _, c := range []struct {
		name       string
		dx, dy, dz int
		b          i8042.Buttons
		want       []byte
	}{
		{"right and down, left button", 10, -20, 0, i8042.ButtonLeft, []byte{0x29, 0x0A, 0xEC}},
		{"left and up, right and middle", -1, 1, 0, i8042.ButtonRight | i8042.ButtonMiddle, []byte{0x1E, 0xFF, 0x01}},
		{"X overflow", 300, 0, 0, 0, []byte{0x48, 0xFF, 0x00}},
		{"negative X and Y overflow", -300, -1000, 0, 0, []byte{0xF8, 0x00, 0x00}},
		{"largest in range", 255, -256, 0, 0, []byte{0x28, 0xFF, 0x00}},
		{"wheel dropped without IntelliMouse", 0, 0, 3, 0, []byte{0x08, 0x00, 0x00}},
	} {
		r.c.MouseMove(c.dx, c.dy, c.dz, c.b)
		r.c.Poll()
		r.expectMouse(c.name, c.want...)
	}

	// A click between two reads is two packets, never merged away.
	r.c.MouseMove(0, 0, 0, i8042.ButtonLeft)
	r.c.MouseMove(0, 0, 0, 0)
	r.c.MouseMove(0, 0, 0, i8042.ButtonLeft)
	r.c.MouseMove(0, 0, 0, 0)
	r.c.MouseMove(0, 0, 0, i8042.ButtonLeft)
	r.c.MouseMove(0, 0, 0, 0)
	r.c.Poll()
	r.expectMouse("three clicks", 0x09, 0, 0, 0x08, 0, 0, 0x09, 0, 0, 0x08, 0, 0, 0x09, 0, 0, 0x08, 0, 0)

	// Motion accumulates while the guest is not reading.
	r.command(0xA7)
	for i := 0; i < 10; i++ {
		r.c.MouseMove(1, 2, 0, 0)
	}
	r.c.Poll()
	r.command(0xA8)
	got, _ := r.readTagged()
	sx, sy := 0, 0
	for i := 0; i+2 < len(got); i += 3 {
		sx += int(int8(got[i+1]))
		sy += int(int8(got[i+2]))
	}
	if len(got)%3 != 0 || sx != 10 || sy != 20 {
		t.Errorf("accumulated motion read as % X (sum %d,%d), want whole packets summing to 10,20", got, sx, sy)
	}

	// Wheel packets.
	r.toMouse(0xF3, 200, 0xF3, 100, 0xF3, 80)
	r.expectMouse("IntelliMouse", ack, ack, ack, ack, ack, ack)
	r.c.MouseMove(1, 1, -1, 0)
	r.c.MouseMove(0, 0, 20, 0)
	r.c.Poll()
	r.expectMouse("4-byte packets, wheel clamped to 7", 0x08, 0x01, 0x01, 0xFF, 0x08, 0x00, 0x00, 0x07)
	r.toMouse(0xF3, 200, 0xF3, 200, 0xF3, 80)
	r.expectMouse("Explorer", ack, ack, ack, ack, ack, ack)
	r.c.MouseMove(0, 0, -2, i8042.Button4|i8042.ButtonLeft)
	r.c.Poll()
	r.expectMouse("Explorer packet with button 4", 0x09, 0x00, 0x00, 0x1E)
}

func TestMouseStatusScalingAndReadData(t *testing.T) {
	r := newMouseRig(t)
	r.toMouse(0xE9)
	r.expectMouse("status at reset", ack, 0x00, 0x02, 100)

	r.toMouse(0xE7, 0xE8, 0x03, 0xF3, 40, 0xF4)
	r.expectMouse("2:1, resolution 3, rate 40, enable", ack, ack, ack, ack, ack, ack)
	r.c.MouseMove(3, -5, 0, i8042.ButtonLeft)
	r.c.Poll()
	r.expectMouse("2:1 scaled packet", 0x29, 0x03, 0xF7) // 3 -> 3, -5 -> -9
	r.c.MouseMove(100, 0, 0, i8042.ButtonLeft)
	r.c.Poll()
	r.expectMouse("2:1 doubles large moves", 0x09, 200, 0x00)
	r.toMouse(0xE9)
	r.expectMouse("status", ack, 0x34, 0x03, 40) // left, 2:1, enabled

	// Remote mode: nothing streams, EB reads the counters unscaled.
	r.toMouse(0xF0)
	r.expectMouse("remote mode", ack)
	r.c.MouseMove(4, 4, 0, 0)
	r.c.MouseMove(4, 4, 0, 0)
	r.c.Poll()
	r.expectMouse("motion in remote mode")
	r.toMouse(0xEB)
	r.expectMouse("read data", ack, 0x08, 0x08, 0x08)
	r.toMouse(0xEB)
	r.expectMouse("read data again: counters cleared", ack, 0x08, 0x00, 0x00)
	r.toMouse(0xFE)
	r.expectMouse("resend repeats the last reply", ack, 0x08, 0x00, 0x00)

	r.toMouse(0xF6, 0xE9)
	r.expectMouse("defaults then status", ack, ack, 0x00, 0x02, 100)

	r.toMouse(0xE8, 0x09, 0x01)
	r.expectMouse("bad resolution then good", ack, 0xFE, ack)
	r.toMouse(0x42)
	r.expectMouse("unknown command", 0xFE)
}

func TestMouseWrapMode(t *testing.T) {
	r := newMouseRig(t)
	r.toMouse(0xEE, 0x42, 0xF2, 0xEC, 0xF2)
	r.expectMouse("wrap echoes, EC leaves", ack, 0x42, 0xF2, ack, ack, 0x00)
}

func TestMouseCommandDropsStalePackets(t *testing.T) {
	r := newMouseRig(t)
	r.toMouse(0xF4)
	r.expectMouse("enable", ack)
	r.c.MouseMove(1, 0, 0, 0)
	r.c.MouseMove(0, 0, 0, i8042.ButtonLeft)
	r.c.Poll()
	// The first packet byte is in the output buffer; the rest is stale
	// once the driver sends a command.
	r.toMouse(0xF5)
	r.expectMouse("first byte, then the ACK", 0x08, ack)
}
