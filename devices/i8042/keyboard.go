package i8042

import "sync/atomic"

// Keyboard commands, written to port 0x60 with no controller command
// pending (IBM PS/2 keyboard; A. Brouwer, "Keyboard scancodes", section
// 12 "Keyboard commands").
const (
	kbdSetLEDs     = 0xED // + LED bits: ScrollLock 0, NumLock 1, CapsLock 2
	kbdEcho        = 0xEE // answered with EE, not ACK
	kbdScanSet     = 0xF0 // + 0 (query) or 1-3 (select)
	kbdIdentify    = 0xF2 // ACK AB 83: an MF2 keyboard
	kbdTypematic   = 0xF3 // + rate and delay
	kbdEnable      = 0xF4 // clear the buffer, start scanning
	kbdDisable     = 0xF5 // defaults, clear the buffer, stop scanning
	kbdDefaults    = 0xF6 // defaults, clear the buffer, keep scanning
	kbdSet3AllTyp  = 0xF7 // F7-FA: set 3 key-type commands for all keys
	kbdSet3AllMB   = 0xFA
	kbdSet3KeyTyp  = 0xFB // FB-FD: set 3 key-type commands, + key list
	kbdSet3KeyMake = 0xFD
	kbdResend      = 0xFE
	kbdReset       = 0xFF // ACK, self test, AA
)

// Replies from both devices.
const (
	replyACK    = 0xFA
	replyResend = 0xFE // the byte received was not understood
	replyBATOK  = 0xAA // basic assurance test passed
	replyEcho   = 0xEE
)

// Keyboard identity (F2 reply after the ACK): MF2 keyboard.
var kbdID = [2]byte{0xAB, 0x83}

// Keyboard defaults (F5, F6, FF).
const (
	defaultTypematic = 0x2B // 10.9 characters/s after 500 ms
	defaultScanSet   = 2
	maxKeySequence   = 8  // Pause: E1 14 77 E1 F0 14 F0 77
	kbdBufferSize    = 32 // scan code bytes the keyboard holds for the controller
)

// LEDs are the keyboard's lock lights as last set by the guest (command
// ED): bit 0 Scroll Lock, bit 1 Num Lock, bit 2 Caps Lock.
type LEDs uint8

// The keyboard LEDs.
const (
	LEDScrollLock LEDs = 1 << 0
	LEDNumLock    LEDs = 1 << 1
	LEDCapsLock   LEDs = 1 << 2
)

// keyboard is an MF2 PS/2 keyboard as seen from the controller: bytes in
// (commands) and bytes out (replies and scan codes).
type keyboard struct {
	replies queue // ACKs and command answers, sent ahead of scan codes
	scan    queue // scan codes of key events not yet taken by the controller

	last      byte // last byte handed to the controller, for Resend (FE)
	param     byte // command waiting for its parameter byte; 0 if none
	set       byte // scan code set selected with F0 (1, 2 or 3)
	typematic byte // rate/delay byte from F3 (repeat is left to the host)
	scanning  bool // key events produce scan codes (F4/F5)

	leds atomic.Uint32 // LEDs, readable from the host's goroutine

	down [keyCount]bool // keys held, for repeat detection and Print Screen/Pause variants
}

func newKeyboard() *keyboard {
	k := &keyboard{replies: queue{max: 16}, scan: queue{max: kbdBufferSize}}
	k.reset()
	return k
}

// reset is the keyboard's power-on state; host keys held stay held.
func (k *keyboard) reset() {
	k.replies.clear()
	k.scan.clear()
	k.last, k.param = 0, 0
	k.set = defaultScanSet
	k.typematic = defaultTypematic
	k.scanning = true
	k.leds.Store(0)
}

// pop hands the controller the next byte: replies first, then scan codes.
func (k *keyboard) pop() (byte, bool) {
	b, ok := k.replies.pop()
	if !ok {
		b, ok = k.scan.pop()
	}
	if ok {
		k.last = b
	}
	return b, ok
}

func (k *keyboard) reply(bs ...byte) { k.replies.push(bs...) }

// write receives one byte from the host side of the controller.
func (k *keyboard) write(b byte) {
	// A byte of ED or above is always a command: it aborts a command
	// still waiting for its parameter (IBM: "if a command is received in
	// place of the option byte, the previous command is discontinued").
	if k.param != 0 && b < kbdSetLEDs {
		k.parameter(b)
		return
	}
	k.param = 0
	k.command(b)
}

func (k *keyboard) command(b byte) {
	switch {
	case b == kbdSetLEDs || b == kbdScanSet || b == kbdTypematic:
		k.reply(replyACK)
		k.param = b
	case b == kbdEcho:
		k.reply(replyEcho)
	case b == kbdIdentify:
		k.reply(replyACK, kbdID[0], kbdID[1])
	case b == kbdEnable:
		k.scan.clear()
		k.scanning = true
		k.reply(replyACK)
	case b == kbdDisable, b == kbdDefaults:
		k.scan.clear()
		k.typematic = defaultTypematic
		k.scanning = b == kbdDefaults
		k.reply(replyACK)
	case b >= kbdSet3AllTyp && b <= kbdSet3AllMB:
		k.reply(replyACK) // set 3 key types: we never generate set 3
	case b >= kbdSet3KeyTyp && b <= kbdSet3KeyMake:
		k.reply(replyACK)
		k.param = b // key list follows, each byte ACKed
	case b == kbdResend:
		k.reply(k.last)
	case b == kbdReset:
		k.reset()
		k.reply(replyACK, replyBATOK)
	default:
		k.reply(replyResend)
	}
}

// parameter handles the byte after ED, F0, F3 or FB-FD.
func (k *keyboard) parameter(b byte) {
	switch k.param {
	case kbdSetLEDs:
		k.leds.Store(uint32(b & 7))
		k.param = 0
		k.reply(replyACK)
	case kbdTypematic:
		if b&0x80 != 0 {
			k.reply(replyResend) // still waiting for a valid byte
			return
		}
		k.typematic = b
		k.param = 0
		k.reply(replyACK)
	case kbdScanSet:
		switch b {
		case 0:
			k.reply(replyACK, k.set)
		case 1, 2, 3:
			k.reply(replyACK)
			k.set = b
			k.scan.clear() // codes of the old set would confuse the guest
		default:
			k.reply(replyResend)
			return
		}
		k.param = 0
	default: // FB-FD key list: accept and ignore
		k.reply(replyACK)
	}
}

// room reports whether the keyboard can take the longest key sequence.
func (k *keyboard) room() bool { return k.scan.room() >= maxKeySequence }

// key applies a host key event. Pressing a held key again is a typematic
// repeat (make code again); releasing a key that is not held is ignored.
// The keyboard tracks held keys even while not scanning.
func (k *keyboard) key(key Key, down bool) {
	if !key.Valid() || (!down && !k.down[key]) {
		return
	}
	seq := k.sequence(key, down)
	k.down[key] = down
	if !k.scanning || len(seq) == 0 {
		return
	}
	if k.set == 1 {
		seq = toSet1(seq)
	}
	k.scan.push(seq...)
}

// sequence is the set 2 code sequence for one event of key, given the
// modifiers held now (Microsoft scan code specification, notes on Print
// Screen and Pause). The "fake shift" codes keyboards add around
// navigation keys with Num Lock or Shift are not generated.
func (k *keyboard) sequence(key Key, down bool) []byte {
	alt := k.down[KeyLeftAlt] || k.down[KeyRightAlt]
	ctrl := k.down[KeyLeftCtrl] || k.down[KeyRightCtrl]
	shift := k.down[KeyLeftShift] || k.down[KeyRightShift]
	switch key {
	case KeyPrintScreen:
		switch {
		case alt: // SysRq
			if down {
				return []byte{codeSysRq}
			}
			return []byte{breakPrefix, codeSysRq}
		case ctrl || shift:
			if down {
				return []byte{prefixE0, 0x7C}
			}
			return []byte{prefixE0, breakPrefix, 0x7C}
		case down:
			return []byte{prefixE0, 0x12, prefixE0, 0x7C}
		default:
			return []byte{prefixE0, breakPrefix, 0x7C, prefixE0, breakPrefix, 0x12}
		}
	case KeyPause:
		switch {
		case !down:
			return nil // Pause sends everything on the press
		case ctrl: // Break
			return []byte{prefixE0, 0x7E, prefixE0, breakPrefix, 0x7E}
		default:
			return []byte{prefixE1, 0x14, 0x77, prefixE1, breakPrefix, 0x14, breakPrefix, 0x77}
		}
	}
	if down {
		return set2Make(key)
	}
	return set2Break(key)
}
