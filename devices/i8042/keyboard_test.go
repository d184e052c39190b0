package i8042_test

import (
	"testing"

	"ringzero/devices/i8042"
)

// set1 is every key's set 1 make code, typed in from the Microsoft
// "Keyboard Scan Code Specification" (rev. 1.3a) independently of the
// package's set 2 table. Break codes are the make code with bit 7 set,
// after the E0 prefix.
var set1 = map[i8042.Key][]byte{
	i8042.KeyEscape: {0x01}, i8042.KeyF1: {0x3B}, i8042.KeyF2: {0x3C}, i8042.KeyF3: {0x3D},
	i8042.KeyF4: {0x3E}, i8042.KeyF5: {0x3F}, i8042.KeyF6: {0x40}, i8042.KeyF7: {0x41},
	i8042.KeyF8: {0x42}, i8042.KeyF9: {0x43}, i8042.KeyF10: {0x44}, i8042.KeyF11: {0x57},
	i8042.KeyF12: {0x58}, i8042.KeyScrollLock: {0x46},

	i8042.KeyGrave: {0x29}, i8042.Key1: {0x02}, i8042.Key2: {0x03}, i8042.Key3: {0x04},
	i8042.Key4: {0x05}, i8042.Key5: {0x06}, i8042.Key6: {0x07}, i8042.Key7: {0x08},
	i8042.Key8: {0x09}, i8042.Key9: {0x0A}, i8042.Key0: {0x0B}, i8042.KeyMinus: {0x0C},
	i8042.KeyEqual: {0x0D}, i8042.KeyBackspace: {0x0E},

	i8042.KeyTab: {0x0F}, i8042.KeyQ: {0x10}, i8042.KeyW: {0x11}, i8042.KeyE: {0x12},
	i8042.KeyR: {0x13}, i8042.KeyT: {0x14}, i8042.KeyY: {0x15}, i8042.KeyU: {0x16},
	i8042.KeyI: {0x17}, i8042.KeyO: {0x18}, i8042.KeyP: {0x19}, i8042.KeyLeftBracket: {0x1A},
	i8042.KeyRightBracket: {0x1B}, i8042.KeyBackslash: {0x2B},

	i8042.KeyCapsLock: {0x3A}, i8042.KeyA: {0x1E}, i8042.KeyS: {0x1F}, i8042.KeyD: {0x20},
	i8042.KeyF: {0x21}, i8042.KeyG: {0x22}, i8042.KeyH: {0x23}, i8042.KeyJ: {0x24},
	i8042.KeyK: {0x25}, i8042.KeyL: {0x26}, i8042.KeySemicolon: {0x27},
	i8042.KeyApostrophe: {0x28}, i8042.KeyEnter: {0x1C},

	i8042.KeyLeftShift: {0x2A}, i8042.KeyNonUSBackslash: {0x56}, i8042.KeyZ: {0x2C},
	i8042.KeyX: {0x2D}, i8042.KeyC: {0x2E}, i8042.KeyV: {0x2F}, i8042.KeyB: {0x30},
	i8042.KeyN: {0x31}, i8042.KeyM: {0x32}, i8042.KeyComma: {0x33}, i8042.KeyPeriod: {0x34},
	i8042.KeySlash: {0x35}, i8042.KeyRightShift: {0x36},

	i8042.KeyLeftCtrl: {0x1D}, i8042.KeyLeftMeta: {0xE0, 0x5B}, i8042.KeyLeftAlt: {0x38},
	i8042.KeySpace: {0x39}, i8042.KeyRightAlt: {0xE0, 0x38}, i8042.KeyRightMeta: {0xE0, 0x5C},
	i8042.KeyMenu: {0xE0, 0x5D}, i8042.KeyRightCtrl: {0xE0, 0x1D},

	i8042.KeyInsert: {0xE0, 0x52}, i8042.KeyDelete: {0xE0, 0x53}, i8042.KeyHome: {0xE0, 0x47},
	i8042.KeyEnd: {0xE0, 0x4F}, i8042.KeyPageUp: {0xE0, 0x49}, i8042.KeyPageDown: {0xE0, 0x51},
	i8042.KeyUp: {0xE0, 0x48}, i8042.KeyDown: {0xE0, 0x50}, i8042.KeyLeft: {0xE0, 0x4B},
	i8042.KeyRight: {0xE0, 0x4D},

	i8042.KeyNumLock: {0x45}, i8042.KeyKPDivide: {0xE0, 0x35}, i8042.KeyKPMultiply: {0x37},
	i8042.KeyKPMinus: {0x4A}, i8042.KeyKPPlus: {0x4E}, i8042.KeyKPEnter: {0xE0, 0x1C},
	i8042.KeyKPPeriod: {0x53}, i8042.KeyKP0: {0x52}, i8042.KeyKP1: {0x4F}, i8042.KeyKP2: {0x50},
	i8042.KeyKP3: {0x51}, i8042.KeyKP4: {0x4B}, i8042.KeyKP5: {0x4C}, i8042.KeyKP6: {0x4D},
	i8042.KeyKP7: {0x47}, i8042.KeyKP8: {0x48}, i8042.KeyKP9: {0x49},
}

func set1Break(make []byte) []byte {
	b := append([]byte(nil), make...)
	b[len(b)-1] |= 0x80
	return b
}

// TestEveryKeyTranslatesToItsSet1Code presses and releases every key with
// XLAT on (the reset state) and checks the guest sees set 1.
func TestEveryKeyTranslatesToItsSet1Code(t *testing.T) {
	r := newRig(t, false)
	n := 0
	for k := i8042.Key(1); k.Valid(); k++ {
		if k == i8042.KeyPrintScreen || k == i8042.KeyPause {
			continue // multi-code keys: TestSpecialKeySequences
		}
		want, ok := set1[k]
		if !ok {
			t.Errorf("key %v (%d) missing from the test table", k, k)
			continue
		}
		n++
		r.press(k)
		r.expect(k.String()+" make", want...)
		r.release(k)
		r.expect(k.String()+" break", set1Break(want)...)
	}
	if n != len(set1) {
		t.Errorf("tested %d keys, the table has %d", n, len(set1))
	}
}

func TestSet2ScancodesWithoutTranslation(t *testing.T) {
	r := newRig(t, false)
	r.setCommandByte(cbKbdInt) // XLAT off
	for _, c := range []struct {
		key       i8042.Key
		make, brk []byte
	}{
		{i8042.KeyA, []byte{0x1C}, []byte{0xF0, 0x1C}},
		{i8042.KeyF7, []byte{0x83}, []byte{0xF0, 0x83}},
		{i8042.KeyRight, []byte{0xE0, 0x74}, []byte{0xE0, 0xF0, 0x74}},
		{i8042.KeyKPEnter, []byte{0xE0, 0x5A}, []byte{0xE0, 0xF0, 0x5A}},
		{i8042.KeyPrintScreen, []byte{0xE0, 0x12, 0xE0, 0x7C}, []byte{0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12}},
		{i8042.KeyPause, []byte{0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77}, nil},
	} {
		r.press(c.key)
		r.expect(c.key.String()+" make", c.make...)
		r.release(c.key)
		r.expect(c.key.String()+" break", c.brk...)
	}
}

func TestSpecialKeySequences(t *testing.T) {
	r := newRig(t, false) // XLAT on: set 1 as a BIOS sees it
	for _, c := range []struct {
		name      string
		mod       i8042.Key // held around the key, or KeyNone
		key       i8042.Key
		make, brk []byte
	}{
		{"Print Screen", i8042.KeyNone, i8042.KeyPrintScreen, []byte{0xE0, 0x2A, 0xE0, 0x37}, []byte{0xE0, 0xB7, 0xE0, 0xAA}},
		{"Shift+Print Screen", i8042.KeyLeftShift, i8042.KeyPrintScreen, []byte{0xE0, 0x37}, []byte{0xE0, 0xB7}},
		{"Alt+Print Screen (SysRq)", i8042.KeyLeftAlt, i8042.KeyPrintScreen, []byte{0x54}, []byte{0xD4}},
		{"Pause", i8042.KeyNone, i8042.KeyPause, []byte{0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5}, nil},
		{"Ctrl+Pause (Break)", i8042.KeyRightCtrl, i8042.KeyPause, []byte{0xE0, 0x46, 0xE0, 0xC6}, nil},
	} {
		if c.mod != i8042.KeyNone {
			r.press(c.mod)
			r.read()
		}
		r.press(c.key)
		r.expect(c.name+" make", c.make...)
		r.release(c.key)
		r.expect(c.name+" break", c.brk...)
		if c.mod != i8042.KeyNone {
			r.release(c.mod)
			r.read()
		}
	}
}

func TestKeyRepeatAndStrayRelease(t *testing.T) {
	r := newRig(t, false)
	r.release(i8042.KeyA)
	r.expect("release of a key not held")
	r.press(i8042.KeyA)
	r.press(i8042.KeyA)
	r.release(i8042.KeyA)
	r.expect("press, repeat, release", 0x1E, 0x1E, 0x9E)
	r.c.KeyDown(i8042.KeyNone)
	r.c.KeyDown(i8042.Key(250))
	r.c.Poll()
	r.expect("invalid keys")
}

func TestKeyboardResetReply(t *testing.T) {
	for _, xlat := range []bool{false, true} {
		r := newRig(t, false)
		if !xlat {
			r.setCommandByte(cbKbdInt)
		}
		r.data(0xFF)
		if st := r.status(); st&stCmd != 0 || st&stAuxOBF != 0 {
			t.Errorf("status after FF to port 60 = %#02x, want data and keyboard bits", st)
		}
		r.expect("keyboard reset", ack, 0xAA) // ACK and BAT pass through translation
	}
}

func TestKeyboardIdentify(t *testing.T) {
	r := newRig(t, false)
	r.data(0xF2)
	r.expect("identify, translated", ack, 0xAB, 0x41) // 83 becomes 41 (Brouwer)
	r.setCommandByte(cbKbdInt)
	r.data(0xF2)
	r.expect("identify, untranslated", ack, 0xAB, 0x83)
}

func TestKeyboardCommands(t *testing.T) {
	r := newRig(t, false)
	r.setCommandByte(cbKbdInt) // XLAT off: the keyboard's own bytes

	r.data(0xEE)
	r.expect("echo", 0xEE)

	r.data(0xED)
	r.data(0x06)
	r.expect("set LEDs", ack, ack)
	if got := r.c.LEDs(); got != i8042.LEDNumLock|i8042.LEDCapsLock {
		t.Errorf("LEDs = %#x, want Num Lock and Caps Lock", got)
	}

	r.data(0xF3)
	r.data(0x80) // not a typematic byte
	r.data(0x20)
	r.expect("typematic with a bad then a good byte", ack, 0xFE, ack)

	r.data(0x01)
	r.expect("unknown command", 0xFE)
	r.data(0xFE)
	r.expect("resend", 0xFE)

	// Scan code sets: query, select, query; bad set numbers get FE.
	r.data(0xF0)
	r.data(0x00)
	r.expect("get set: F0 and its parameter are each ACKed", ack, ack, 0x02)
	r.data(0xF0)
	r.data(0x05)
	r.data(0x01)
	r.expect("set 5 refused, set 1 taken", ack, 0xFE, ack)
	r.data(0xF0)
	r.data(0x00)
	r.expect("get set", ack, ack, 0x01)
	r.press(i8042.KeyA)
	r.release(i8042.KeyA)
	r.expect("set 1 from the keyboard itself", 0x1E, 0x9E)
	r.data(0xF0)
	r.data(0x03)
	r.data(0xF0)
	r.data(0x00)
	r.expect("set 3 stored", ack, ack, ack, ack, 0x03)
	r.press(i8042.KeyA)
	r.expect("set 3 still sends set 2 codes", 0x1C)

	// A command in place of a parameter aborts the first command.
	r.data(0xED)
	r.data(0xFF)
	r.expect("ED then FF", ack, ack, 0xAA)
	if got := r.c.LEDs(); got != 0 {
		t.Errorf("LEDs = %#x after reset, want 0", got)
	}

	// F5 stops scanning, F4 starts it again.
	r.data(0xF5)
	r.expect("disable", ack)
	r.press(i8042.KeyB)
	r.expect("key while disabled")
	r.data(0xF4)
	r.expect("enable", ack)
	r.release(i8042.KeyB)
	r.expect("release after enable", 0xF0, 0x32)
	r.press(i8042.KeyB)
	r.data(0xF6) // defaults: clears the buffer, keeps scanning
	r.expect("defaults", 0x32, ack)
}

func TestTranslatedScanSetQuery(t *testing.T) {
	r := newRig(t, false)
	r.data(0xF0)
	r.data(0x00)
	r.expect("F0 00 with XLAT on reads set 2 as 41 (Brouwer)", ack, ack, 0x41)
}

func TestKeyString(t *testing.T) {
	for k, want := range map[i8042.Key]string{
		i8042.KeyA: "A", i8042.KeyKP7: "KP7", i8042.KeyPrintScreen: "PrintScreen", i8042.Key(250): "Key(?)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Key(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestHostInputFromAnotherGoroutine(t *testing.T) {
	r := newRig(t, false)
	woke := make(chan struct{}, 16)
	r.c.SetNotify(func() { woke <- struct{}{} })
	go func() {
		r.c.KeyDown(i8042.KeyZ)
		r.c.KeyUp(i8042.KeyZ)
	}()
	<-woke
	<-woke
	if r.kbd.Level() {
		t.Fatalf("IRQ1 raised on the host's goroutine, before Poll")
	}
	r.c.Poll()
	if !r.kbd.Level() {
		t.Fatalf("IRQ1 low after Poll with a key waiting")
	}
	r.expect("Z from another goroutine", 0x2C, 0xAC)
}

// TestKeyboardBufferNeverLosesHostKeys types more than the keyboard's
// buffer holds while the guest is not reading.
func TestKeyboardBufferNeverLosesHostKeys(t *testing.T) {
	r := newRig(t, false)
	r.command(0xAD) // the guest is busy
	var want []byte
	for i := 0; i < 40; i++ {
		r.c.KeyDown(i8042.KeyA)
		want = append(want, 0x1E)
	}
	r.c.Poll()
	r.command(0xAE)
	r.expect("40 repeats", want...)
}
