package i8042_test

import (
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/i8042"
	"ringzero/devices/irq"
)

// FuzzPorts drives the controller with arbitrary port accesses and host
// input and checks it never panics and its outputs stay consistent: IBF
// and parity are never set, and an IRQ line is high only while the output
// buffer holds a byte from its device.
func FuzzPorts(f *testing.F) {
	f.Add([]byte{1, 0xAA, 2, 0, 1, 0xD4, 0, 0xFF, 3, 0, 2, 0})
	f.Add([]byte{1, 0x60, 0, 0x03, 1, 0xA8, 1, 0xD4, 0, 0xF4, 6, 0x7F, 6, 0x80, 2, 0, 2, 0, 2, 0})
	f.Add([]byte{0, 0xED, 0, 0xF0, 0, 0x02, 4, 0x10, 5, 0x10, 2, 0, 2, 0, 1, 0xFE, 7, 0x03})
	f.Add([]byte{1, 0xA5, 0, 1, 0, 0, 1, 0xD1, 0, 0x00, 1, 0x7F, 0, 0xFF, 1, 0x3F, 2, 0})
	f.Fuzz(drive)
}

// drive runs one FuzzPorts input: pairs of (operation, value) bytes.
func drive(t *testing.T, ops []byte) {
	kbd, aux := &irq.Recorder{}, &irq.Recorder{}
	b := bus.New()
	var c *i8042.Controller
	c = i8042.New(i8042.Config{
		KeyboardLine: kbd, MouseLine: aux,
		OnReset: func() { c.Reset() },
		OnA20:   b.SetA20,
		NoMouse: len(ops) > 0 && ops[0] == 0x55,
	})
	pa := i8042.NewPortA(b.SetA20, func() { c.Reset() })
	for _, m := range []struct {
		base uint16
		h    bus.PortHandler
	}{{i8042.DataBase, c.Data()}, {i8042.CommandBase, c.Command()}, {i8042.PortABase, pa}} {
		if err := b.MapPorts(m.base, 1, "x", m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i+1 < len(ops); i += 2 {
		op, v := ops[i], ops[i+1]
		switch op % 8 {
		case 0:
			b.Out(portData, 1, uint32(v))
		case 1:
			b.Out(portCommand, 1, uint32(v))
		case 2:
			b.In(portData, 1)
		case 3:
			b.In(portCommand, 1)
		case 4:
			c.KeyDown(i8042.Key(v))
		case 5:
			c.KeyUp(i8042.Key(v))
		case 6:
			d := int(int8(v)) * int(op)
			c.MouseMove(d, -d*3, d>>4, i8042.Buttons(v))
		case 7:
			b.Out(portA, 1, uint32(v))
			c.Poll()
		}
		st := byte(b.In(portCommand, 1))
		if st&(stIBF|stParity) != 0 {
			t.Fatalf("status %#02x has IBF or parity set", st)
		}
		if kbd.Level() && (st&stOBF == 0 || st&stAuxOBF != 0) {
			t.Fatalf("IRQ1 high with status %#02x", st)
		}
		if aux.Level() && st&(stOBF|stAuxOBF) != stOBF|stAuxOBF {
			t.Fatalf("IRQ12 high with status %#02x", st)
		}
	}
}
