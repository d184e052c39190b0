package i8042_test

import (
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/i8042"
	"ringzero/devices/irq"
)

// Ports, status bits and command byte bits as a guest driver spells them
// (IBM PS/2 technical reference), kept apart from the package's own
// constants so the tests check the hardware, not the package.
const (
	portData    = 0x60
	portCommand = 0x64
	portA       = 0x92

	stOBF     = 0x01
	stIBF     = 0x02
	stSYS     = 0x04
	stCmd     = 0x08
	stUnlock  = 0x10
	stAuxOBF  = 0x20
	stTimeout = 0x40
	stParity  = 0x80

	cbKbdInt     = 0x01
	cbAuxInt     = 0x02
	cbSYS        = 0x04
	cbKbdDisable = 0x10
	cbAuxDisable = 0x20
	cbXlat       = 0x40

	ack = 0xFA
)

// rig is a controller and port 0x92 on a bus, with IRQ recorders and the
// A20 and reset callbacks recorded.
type rig struct {
	t      *testing.T
	bus    *bus.Bus
	c      *i8042.Controller
	pa     *i8042.PortA
	kbd    *irq.Recorder
	aux    *irq.Recorder
	resets int
	a20    []bool // every value the controller passed to OnA20
}

func newRig(t *testing.T, noMouse bool) *rig {
	t.Helper()
	r := &rig{t: t, bus: bus.New(), kbd: &irq.Recorder{}, aux: &irq.Recorder{}}
	r.c = i8042.New(i8042.Config{
		KeyboardLine: r.kbd,
		MouseLine:    r.aux,
		OnReset:      func() { r.resets++ },
		OnA20:        func(on bool) { r.a20 = append(r.a20, on) },
		NoMouse:      noMouse,
	})
	r.pa = i8042.NewPortA(nil, nil)
	for _, m := range []struct {
		base uint16
		name string
		h    bus.PortHandler
	}{
		{i8042.DataBase, "kbc-data", r.c.Data()},
		{i8042.CommandBase, "kbc-cmd", r.c.Command()},
		{i8042.PortABase, "port92", r.pa},
	} {
		if err := r.bus.MapPorts(m.base, 1, m.name, m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *rig) status() byte { return byte(r.bus.In(portCommand, 1)) }

// command writes a controller command to port 0x64.
func (r *rig) command(v byte) { r.bus.Out(portCommand, 1, uint32(v)) }

// data writes a byte to port 0x60.
func (r *rig) data(v byte) { r.bus.Out(portData, 1, uint32(v)) }

// toMouse sends bytes to the mouse with D4.
func (r *rig) toMouse(bs ...byte) {
	for _, b := range bs {
		r.command(0xD4)
		r.data(b)
	}
}

func (r *rig) setCommandByte(v byte) {
	r.command(0x60)
	r.data(v)
}

func (r *rig) commandByte() byte {
	r.t.Helper()
	r.command(0x20)
	got := r.read()
	if len(got) != 1 {
		r.t.Fatalf("command 20 returned %x, want one byte", got)
	}
	return got[0]
}

// read takes every byte the controller has for the guest, the way a
// polling driver does: status, then data while OBF is set.
func (r *rig) read() []byte {
	var out []byte
	for i := 0; i < 64 && r.status()&stOBF != 0; i++ {
		out = append(out, byte(r.bus.In(portData, 1)))
	}
	return out
}

// readTagged is read with each byte's AUX OBF bit.
func (r *rig) readTagged() (bs []byte, aux []bool) {
	for i := 0; i < 64; i++ {
		st := r.status()
		if st&stOBF == 0 {
			break
		}
		aux = append(aux, st&stAuxOBF != 0)
		bs = append(bs, byte(r.bus.In(portData, 1)))
	}
	return bs, aux
}

// expect reads everything and compares it with want.
func (r *rig) expect(what string, want ...byte) {
	r.t.Helper()
	got := r.read()
	if string(got) != string(want) {
		r.t.Errorf("%s: read % X, want % X", what, got, want)
	}
}

// press and release a key and poll, as the board's run loop would.
func (r *rig) press(k i8042.Key)   { r.c.KeyDown(k); r.c.Poll() }
func (r *rig) release(k i8042.Key) { r.c.KeyUp(k); r.c.Poll() }
