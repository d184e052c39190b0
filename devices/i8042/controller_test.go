package i8042_test

import (
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/i8042"
)

func TestSelfTestReplies55AndSetsSystemFlag(t *testing.T) {
	r := newRig(t, false)
	st := r.status()
	if st&(stOBF|stIBF|stSYS|stParity|stTimeout) != 0 || st&stUnlock == 0 {
		t.Fatalf("status after reset = %#02x, want OBF, IBF, SYS clear and keylock open", st)
	}
	r.command(0xAA)
	if st := r.status(); st&stOBF == 0 || st&stCmd == 0 {
		t.Fatalf("status after AA = %#02x, want OBF and command bit set", st)
	}
	r.expect("self test", 0x55)
	if st := r.status(); st&stSYS == 0 || st&stOBF != 0 {
		t.Errorf("status after reading the self test = %#02x, want SYS set, OBF clear", st)
	}
	r.command(0xAB)
	r.expect("keyboard interface test", 0x00)
	r.command(0xA9)
	r.expect("mouse interface test", 0x00)
	r.command(0xA4)
	r.expect("password test", 0xF1)
}

func TestCommandByteAndRAM(t *testing.T) {
	r := newRig(t, false)
	if got := r.commandByte(); got != i8042.ResetCommandByte || got&cbXlat == 0 || got&cbKbdInt == 0 {
		t.Errorf("command byte after reset = %#02x, want %#02x with XLAT and IRQ1 on", got, i8042.ResetCommandByte)
	}
	r.setCommandByte(0x47)
	if st := r.status(); st&stCmd != 0 || st&stSYS == 0 {
		t.Errorf("status after data write = %#02x, want command bit clear and SYS (command byte bit 2) set", st)
	}
	if got := r.commandByte(); got != 0x47 {
		t.Errorf("command byte = %#02x, want 0x47", got)
	}
	r.setCommandByte(0x43)
	if st := r.status(); st&stSYS != 0 {
		t.Errorf("status = %#02x after clearing command byte bit 2, want SYS clear", st)
	}

	// RAM bytes 1-31 through 61-7F and 21-3F.
	for i := byte(1); i < 32; i++ {
		r.command(0x60 + i)
		r.data(0xA0 ^ i)
	}
	for i := byte(1); i < 32; i++ {
		r.command(0x20 + i)
		r.expect("RAM byte", 0xA0^i)
	}
	if got := r.commandByte(); got != 0x43 {
		t.Errorf("command byte = %#02x after RAM writes, want 0x43", got)
	}

	for _, c := range []struct {
		cmd       byte
		set, clr  byte
		condition string
	}{
		{0xAD, cbKbdDisable, 0, "AD disables the keyboard"},
		{0xAE, 0, cbKbdDisable, "AE enables the keyboard"},
		{0xA7, cbAuxDisable, 0, "A7 disables the mouse"},
		{0xA8, 0, cbAuxDisable, "A8 enables the mouse"},
	} {
		r.command(c.cmd)
		got := r.commandByte()
		if got&c.set != c.set || got&c.clr != 0 {
			t.Errorf("%s: command byte = %#02x", c.condition, got)
		}
	}

	r.command(0xC0)
	if got := r.read(); len(got) != 1 || got[0]&0x80 == 0 {
		t.Errorf("input port = % X, want one byte with bit 7 (keyboard not inhibited)", got)
	}
}

func TestOutputPortA20(t *testing.T) {
	r := newRig(t, false)
	if len(r.a20) != 1 || !r.a20[0] {
		t.Fatalf("A20 reports after New = %v, want [true]", r.a20)
	}
	r.command(0xD0)
	// Reset high, A20 on, keyboard clock and data high, mouse data high,
	// mouse clock low (the port is disabled at reset), no interrupts.
	r.expect("output port", 0xC7)
	r.command(0xA8)
	r.command(0xD0)
	r.expect("output port with the mouse port enabled", 0xCF)

	r.command(0xD1)
	r.data(0xDD) // A20 off, reset high
	r.command(0xD0)
	if got := r.read(); len(got) != 1 || got[0]&0x03 != 0x01 {
		t.Errorf("output port after D1 DD = % X, want bit 1 clear, bit 0 set", got)
	}
	r.command(0xDF)
	r.command(0xDD)
	r.command(0xDD) // no change: no callback
	r.command(0xD1)
	r.data(0xDF)
	want := []bool{true, false, true, false, true}
	if len(r.a20) != len(want) {
		t.Fatalf("A20 reports = %v, want %v", r.a20, want)
	}
	for i := range want {
		if r.a20[i] != want[i] {
			t.Fatalf("A20 reports = %v, want %v", r.a20, want)
		}
	}
	if r.resets != 0 {
		t.Errorf("%d resets from A20 writes, want 0", r.resets)
	}

	// The output port shows the interrupt outputs as they are driven.
	r.command(0xD2)
	r.data(0x12)
	r.command(0xD0)
	got := r.read()
	if len(got) != 2 || got[0] != 0x12 || got[1]&0x10 == 0 {
		t.Errorf("D2 byte then output port = % X, want 12 then a byte with bit 4 (IRQ1) set", got)
	}
}

func TestResetPulse(t *testing.T) {
	for _, c := range []struct {
		name   string
		do     func(r *rig)
		resets int
	}{
		{"FE pulses reset", func(r *rig) { r.command(0xFE) }, 1},
		{"F0 pulses all four lines", func(r *rig) { r.command(0xF0) }, 1},
		{"FC pulses reset and A20", func(r *rig) { r.command(0xFC) }, 1},
		{"FF pulses nothing", func(r *rig) { r.command(0xFF) }, 0},
		{"FD leaves reset alone", func(r *rig) { r.command(0xFD) }, 0},
		{"D1 with bit 0 clear", func(r *rig) { r.command(0xD1); r.data(0xFE) }, 1},
		{"D1 with bit 0 set", func(r *rig) { r.command(0xD1); r.data(0xFF) }, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, false)
			c.do(r)
			if r.resets != c.resets {
				t.Errorf("%d resets, want %d", r.resets, c.resets)
			}
		})
	}
}

func TestResetCallbackMayResetTheController(t *testing.T) {
	var c *i8042.Controller
	c = i8042.New(i8042.Config{OnReset: func() { c.Reset() }})
	r := &rig{t: t, bus: bus.New()}
	if err := r.bus.MapPorts(i8042.DataBase, 1, "d", c.Data(), bus.Size8); err != nil {
		t.Fatal(err)
	}
	if err := r.bus.MapPorts(i8042.CommandBase, 1, "c", c.Command(), bus.Size8); err != nil {
		t.Fatal(err)
	}
	r.setCommandByte(0x00)
	r.command(0xFE)
	if got := r.commandByte(); got != i8042.ResetCommandByte {
		t.Errorf("command byte after a reset pulse that reset the controller = %#02x, want %#02x", got, i8042.ResetCommandByte)
	}
}

func TestPortA(t *testing.T) {
	var a20 []bool
	resets := 0
	pa := i8042.NewPortA(func(on bool) { a20 = append(a20, on) }, func() { resets++ })
	b := bus.New()
	if err := b.MapPorts(i8042.PortABase, 1, "port92", pa, bus.Size8); err != nil {
		t.Fatal(err)
	}
	if got := b.In(portA, 1); got != 0 || len(a20) != 1 || a20[0] {
		t.Fatalf("after reset: port 92 = %#02x, A20 reports %v; want 0 and [false]", got, a20)
	}
	b.Out(portA, 1, 0x02)
	if got := b.In(portA, 1); got != 0x02 || len(a20) != 2 || !a20[1] || resets != 0 {
		t.Errorf("after writing 02: port 92 = %#02x, A20 %v, resets %d", got, a20, resets)
	}
	// The usual reboot: read, set bit 0, write. Twice, as after a reboot.
	for i := 1; i <= 2; i++ {
		b.Out(portA, 1, b.In(portA, 1)|0x01)
		if resets != i {
			t.Fatalf("fast reset %d: %d resets", i, resets)
		}
		if got := b.In(portA, 1); got != 0x02 {
			t.Errorf("port 92 after fast reset = %#02x, want 02 (bit 0 reads 0, A20 kept)", got)
		}
	}
	if len(a20) != 2 {
		t.Errorf("A20 reports %v: setting bit 0 must not report A20", a20)
	}
	// The security lock stays set.
	b.Out(portA, 1, 0x08)
	b.Out(portA, 1, 0x00)
	if got := b.In(portA, 1); got != 0x08 {
		t.Errorf("port 92 = %#02x after setting and clearing the lock, want 08", got)
	}
	if a20[len(a20)-1] {
		t.Errorf("A20 still on after bit 1 cleared: %v", a20)
	}
	pa.Reset()
	if got := b.In(portA, 1); got != 0 {
		t.Errorf("port 92 after Reset = %#02x, want 0", got)
	}
}

// TestA20GateORsBothSources drives a real bus's A20 through both gates.
func TestA20GateORsBothSources(t *testing.T) {
	b := bus.New()
	gate := i8042.NewA20Gate(b.SetA20)
	c := i8042.New(i8042.Config{OnA20: gate.Controller})
	pa := i8042.NewPortA(gate.PortA, nil)
	for _, m := range []struct {
		base uint16
		h    bus.PortHandler
	}{{i8042.DataBase, c.Data()}, {i8042.CommandBase, c.Command()}, {i8042.PortABase, pa}} {
		if err := b.MapPorts(m.base, 1, "x", m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name string
		do   func()
		want bool
	}{
		{"reset state: controller on", func() {}, true},
		{"DD: both off", func() { b.Out(portCommand, 1, 0xDD) }, false},
		{"92 bit 1 on", func() { b.Out(portA, 1, 0x02) }, true},
		{"DF while 92 on", func() { b.Out(portCommand, 1, 0xDF) }, true},
		{"92 off while controller on", func() { b.Out(portA, 1, 0x00) }, true},
		{"D1 with A20 clear", func() { b.Out(portCommand, 1, 0xD1); b.Out(portData, 1, 0x01) }, false},
	}
	for _, s := range steps {
		s.do()
		if b.A20() != s.want || gate.On() != s.want {
			t.Errorf("%s: bus A20 %v, gate %v, want %v", s.name, b.A20(), gate.On(), s.want)
		}
	}
}

func TestOutputBufferOneByteAtATimeRepliesFirst(t *testing.T) {
	r := newRig(t, false)
	r.c.KeyDown(i8042.KeyA)
	r.c.KeyDown(i8042.KeyB)
	r.c.Poll()
	if st := r.status(); st&stOBF == 0 || st&stAuxOBF != 0 {
		t.Fatalf("status = %#02x, want keyboard data in the output buffer", st)
	}
	// The controller's reply waits for the byte already in the buffer,
	// then goes ahead of the keyboard's second key.
	r.command(0x20)
	r.expect("A, command byte, B", 0x1E, i8042.ResetCommandByte, 0x30)
	// Reading an empty buffer returns the last byte again.
	if got := r.bus.In(portData, 1); got != 0x30 {
		t.Errorf("read of empty output buffer = %#02x, want the last byte 30", got)
	}
}

func TestDisabledPortHoldsItsData(t *testing.T) {
	r := newRig(t, false)
	r.command(0xAD)
	r.press(i8042.KeyA)
	r.expect("keyboard disabled")
	r.command(0xAE)
	r.expect("keyboard enabled", 0x1E)

	r.toMouse(0xF4)
	r.expect("mouse port disabled at reset")
	r.command(0xA8)
	bs, aux := r.readTagged()
	if string(bs) != "\xFA" || !aux[0] {
		t.Errorf("after A8: % X aux %v, want FA from the mouse", bs, aux)
	}
}

func TestD2D3LoopBack(t *testing.T) {
	r := newRig(t, false)
	r.command(0xD2)
	r.data(0x1C) // not translated: D2 bytes come from the controller
	r.command(0xD3)
	r.data(0x5A)
	bs, aux := r.readTagged()
	if string(bs) != "\x1C\x5A" || aux[0] || !aux[1] {
		t.Errorf("D2 1C, D3 5A read % X with aux %v, want 1C (keyboard) 5A (mouse)", bs, aux)
	}
}

func TestNoMouseTimesOut(t *testing.T) {
	r := newRig(t, true)
	r.command(0xA8)
	r.toMouse(0xFF)
	st := r.status()
	if st&(stOBF|stAuxOBF|stTimeout) != stOBF|stAuxOBF|stTimeout {
		t.Fatalf("status after D4 with no mouse = %#02x, want OBF, AUX and timeout", st)
	}
	r.expect("no mouse", 0xFE)
	if st := r.status(); st&stTimeout != 0 {
		t.Errorf("status = %#02x after reading, want timeout clear", st)
	}
	r.c.MouseMove(1, 1, 0, i8042.ButtonLeft)
	r.c.Poll()
	r.expect("mouse motion with no mouse")
}

func TestIRQ1GatedByCommandByte(t *testing.T) {
	r := newRig(t, false)
	r.setCommandByte(cbXlat) // interrupts off
	r.press(i8042.KeyA)
	if r.status()&stOBF == 0 || r.kbd.Level() {
		t.Fatalf("IRQ1 high (or no data) with command byte bit 0 clear")
	}
	r.setCommandByte(cbXlat | cbKbdInt)
	if !r.kbd.Level() || r.aux.Level() {
		t.Fatalf("enabling bit 0 with data waiting: IRQ1 %v IRQ12 %v, want high, low", r.kbd.Level(), r.aux.Level())
	}
	r.kbd.Reset()
	r.release(i8042.KeyA) // 9E waits behind 1E
	r.bus.In(portData, 1)
	if !r.kbd.Level() || r.kbd.Rises() != 1 {
		t.Errorf("after reading the first byte: IRQ1 %v with %d rising edges, want high and a fresh edge", r.kbd.Level(), r.kbd.Rises())
	}
	r.bus.In(portData, 1)
	if r.kbd.Level() {
		t.Errorf("IRQ1 high with the output buffer empty")
	}
	// Controller replies interrupt on IRQ1 too.
	r.command(0x20)
	if !r.kbd.Level() {
		t.Errorf("IRQ1 low with a controller reply waiting")
	}
}

func TestIRQ12GatedByCommandByte(t *testing.T) {
	r := newRig(t, false)
	r.setCommandByte(cbKbdInt) // mouse port enabled, IRQ12 off
	r.toMouse(0xF2)
	if r.status()&stAuxOBF == 0 || r.aux.Level() || r.kbd.Level() {
		t.Fatalf("mouse data with bit 1 clear: status %#02x, IRQ12 %v, IRQ1 %v", r.status(), r.aux.Level(), r.kbd.Level())
	}
	r.setCommandByte(cbKbdInt | cbAuxInt)
	if !r.aux.Level() || r.kbd.Level() {
		t.Fatalf("bit 1 set with mouse data: IRQ12 %v IRQ1 %v, want high, low", r.aux.Level(), r.kbd.Level())
	}
	r.expect("get ID", ack, 0x00)
	if r.aux.Level() {
		t.Errorf("IRQ12 high with the output buffer empty")
	}
}

func TestWideAccessesAndOddOffsets(t *testing.T) {
	r := newRig(t, false)
	r.command(0xAA)
	if got := r.c.Command().ReadPort(0, 2); got != 0xFF00|uint32(r.status()) {
		t.Errorf("16-bit status read = %#04x", got)
	}
	if got := r.c.Data().ReadPort(0, 4); got != 0xFFFFFF55 {
		t.Errorf("32-bit data read = %#08x, want FFFFFF55", got)
	}
	if got := r.c.Data().ReadPort(3, 1); got != 0xFF {
		t.Errorf("read at offset 3 = %#02x, want FF", got)
	}
	r.c.Command().WritePort(1, 1, 0xFE) // not a port: ignored
	if r.resets != 0 {
		t.Errorf("write at offset 1 reached the controller")
	}
}
