package session

import (
	"time"

	"ringzero/devices/i8042"
)

// Typematic rates of a PS/2 keyboard after reset (IBM PS/2 Hardware
// Interface Technical Reference, "Keyboard", command F3: default 500 ms
// delay, 10.9 characters per second). Hosts repeat faster; we use the
// ~30/s most desktops use.
const (
	RepeatDelay  = 500 * time.Millisecond
	RepeatPeriod = time.Second / 30
)

// Typematic turns key-held state into a keyboard's auto-repeat: as on a
// real keyboard, only the key pressed last repeats, after Delay, every
// Period, until it is released; each repeat is its make code again
// (i8042.Controller.KeyDown while held), with no break codes between.
// Pause never repeats. Unlike a PS/2 keyboard, but like X11 and most
// hosts, modifiers and lock keys neither repeat nor stop another key's
// repeat: a Ctrl+Alt chord held for a hotkey does not flood the guest.
// The zero value is ready, with RepeatDelay and RepeatPeriod.
type Typematic struct {
	Delay, Period time.Duration // zero: RepeatDelay, RepeatPeriod

	key  i8042.Key // the repeating key; KeyNone if none
	next time.Time // when it repeats next
}

// Press records that k went down at now.
func (t *Typematic) Press(k i8042.Key, now time.Time) {
	if noRepeat[k] {
		return
	}
	if k == i8042.KeyPause {
		t.key = i8042.KeyNone
		return
	}
	t.key = k
	t.next = now.Add(t.delay())
}

// noRepeat are the keys that do not repeat and leave the repeat alone.
var noRepeat = map[i8042.Key]bool{
	i8042.KeyLeftShift: true, i8042.KeyRightShift: true,
	i8042.KeyLeftCtrl: true, i8042.KeyRightCtrl: true,
	i8042.KeyLeftAlt: true, i8042.KeyRightAlt: true,
	i8042.KeyLeftMeta: true, i8042.KeyRightMeta: true,
	i8042.KeyCapsLock: true, i8042.KeyNumLock: true, i8042.KeyScrollLock: true,
}

// Release records that k went up: it stops repeating if it was.
func (t *Typematic) Release(k i8042.Key) {
	if k == t.key {
		t.key = i8042.KeyNone
	}
}

// Stop ends any repeat (the window lost the keyboard, or a hotkey took
// the key).
func (t *Typematic) Stop() { t.key = i8042.KeyNone }

// Due returns the key to repeat at now and how many repeats are due (0 if
// none). A late caller gets at most two, as a keyboard would not have
// queued more: repeats are not meant to catch up.
func (t *Typematic) Due(now time.Time) (i8042.Key, int) {
	if t.key == i8042.KeyNone || now.Before(t.next) {
		return i8042.KeyNone, 0
	}
	p := t.period()
	n := int(now.Sub(t.next)/p) + 1
	if n > 2 {
		n = 2
		t.next = now.Add(p)
	} else {
		t.next = t.next.Add(time.Duration(n) * p)
	}
	return t.key, n
}

func (t *Typematic) delay() time.Duration {
	if t.Delay > 0 {
		return t.Delay
	}
	return RepeatDelay
}

func (t *Typematic) period() time.Duration {
	if t.Period > 0 {
		return t.Period
	}
	return RepeatPeriod
}

// Action is what a hotkey does.
type Action int

// The hotkeys' actions.
const (
	NoAction       Action = iota
	ReleasePointer        // give the mouse pointer back to the desktop
	ToggleOverlay         // show or hide the status overlay
	TogglePause           // pause or resume the machine
	ResetMachine          // press the reset button
	Screenshot            // save the frame as PNG
	Quit                  // switch off and close, as the close button does
)

// Hotkey is one Ctrl+Alt combination.
type Hotkey struct {
	Key    i8042.Key
	Action Action
	Label  string // short description for the overlay
}

// Hotkeys are the window's own keys, each Ctrl+Alt plus a letter. The
// letter never reaches the guest; Ctrl and Alt, pressed first, do (the
// guest sees them pressed and released, as under QEMU).
var Hotkeys = []Hotkey{
	{i8042.KeyG, ReleasePointer, "release pointer"},
	{i8042.KeyO, ToggleOverlay, "overlay"},
	{i8042.KeyP, TogglePause, "pause"},
	{i8042.KeyR, ResetMachine, "reset"},
	{i8042.KeyS, Screenshot, "screenshot"},
	{i8042.KeyQ, Quit, "quit"},
}

// HotkeyAction returns the action of k pressed with ctrl and alt held
// (either side); NoAction if it is not a hotkey.
func HotkeyAction(k i8042.Key, ctrl, alt bool) Action {
	if !ctrl || !alt {
		return NoAction
	}
	for _, h := range Hotkeys {
		if h.Key == k {
			return h.Action
		}
	}
	return NoAction
}
