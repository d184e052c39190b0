package i8042

// set2To1 is the 8042's scan code translation table: with XLAT (command
// byte bit 6) set, every byte the keyboard sends is replaced by
// set2To1[b] before it reaches the output buffer, except the F0 break
// prefix, which is swallowed and sets bit 7 of the byte after it. The
// table is a fact of the controller ROM, not of any one keyboard, so it
// also covers codes no standard key produces (F13-F24, the Japanese and
// Brazilian keys). Bytes 0x80-0xFF pass unchanged except 0x83 (F7) and
// 0x84 (SysRq); that is why an identify reply AB 83 reads AB 41 when
// translated, and why ACK (FA), BAT (AA) and echo (EE) are untouched.
// The table is tabulated in A. Brouwer, "Keyboard scancodes", section 10
// ("The AT keyboard controller"); every entry for a real key agrees with
// the set 1 and set 2 columns of the Microsoft "Keyboard Scan Code
// Specification" (rev. 1.3a), which keys_test.go checks key by key.
var set2To1 = [256]byte{
	// 0x00-0x7F, one row of sixteen per line.
	0xFF, 0x43, 0x41, 0x3F, 0x3D, 0x3B, 0x3C, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3E, 0x0F, 0x29, 0x59,
	0x65, 0x38, 0x2A, 0x70, 0x1D, 0x10, 0x02, 0x5A, 0x66, 0x71, 0x2C, 0x1F, 0x1E, 0x11, 0x03, 0x5B,
	0x67, 0x2E, 0x2D, 0x20, 0x12, 0x05, 0x04, 0x5C, 0x68, 0x39, 0x2F, 0x21, 0x14, 0x13, 0x06, 0x5D,
	0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5E, 0x6A, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5F,
	0x6B, 0x33, 0x25, 0x17, 0x18, 0x0B, 0x0A, 0x60, 0x6C, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0C, 0x61,
	0x6D, 0x73, 0x28, 0x74, 0x1A, 0x0D, 0x62, 0x6E, 0x3A, 0x36, 0x1C, 0x1B, 0x75, 0x2B, 0x63, 0x76,
	0x55, 0x56, 0x77, 0x78, 0x79, 0x7A, 0x0E, 0x7B, 0x7C, 0x4F, 0x7D, 0x4B, 0x47, 0x7E, 0x7F, 0x6F,
	0x52, 0x53, 0x50, 0x4C, 0x4D, 0x48, 0x01, 0x45, 0x57, 0x4E, 0x51, 0x4A, 0x37, 0x49, 0x46, 0x54,
}

func init() {
	// The upper half is the identity but for two keys; filling it here
	// keeps the table above readable.
	for i := 0x80; i < 0x100; i++ {
		set2To1[i] = byte(i)
	}
	set2To1[0x83] = 0x41 // F7
	set2To1[0x84] = 0x54 // SysRq (Alt+Print Screen)
}

// breakPrefix is the set 2 (and set 3) break code prefix.
const breakPrefix = 0xF0

// translator turns a set 2 byte stream into set 1, one byte at a time,
// remembering a pending F0 prefix between calls.
type translator struct {
	brk bool // an F0 was swallowed; the next byte is a break code
}

// feed translates b. ok is false when b was the F0 prefix and produced no
// output.
func (t *translator) feed(b byte) (out byte, ok bool) {
	if b == breakPrefix {
		t.brk = true
		return 0, false
	}
	out = set2To1[b]
	if t.brk {
		out |= 0x80
		t.brk = false
	}
	return out, true
}

// toSet1 translates a whole set 2 sequence (one key event) into set 1.
func toSet1(seq []byte) []byte {
	var t translator
	out := make([]byte, 0, len(seq))
	for _, b := range seq {
		if v, ok := t.feed(b); ok {
			out = append(out, v)
		}
	}
	return out
}
