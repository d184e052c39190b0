// Package terminal is the text-terminal front end (-display curses): it
// draws the VGA text screen with tcell and turns terminal key presses into
// PS/2 keyboard input. Graphics modes are shown as a one-line notice.
package terminal

import (
	"context"
	"strings"
	"sync"

	"github.com/gdamore/tcell/v2"

	"ringzero/devices/i8042"
	"ringzero/devices/pc"
)

// Screen shows one machine in the terminal.
type Screen struct {
	m      *pc.Machine
	s      tcell.Screen
	mu     sync.Mutex
	closed bool
	keys   chan []keyStroke
}

// New takes over the terminal for machine m.
func New(m *pc.Machine) (*Screen, error) {
	s, err := tcell.NewScreen()
	if err != nil {
		return nil, err
	}
	if err := s.Init(); err != nil {
		return nil, err
	}
	s.Clear()
	return &Screen{m: m, s: s, keys: make(chan []keyStroke, 64)}, nil
}

// Close gives the terminal back. It may be called more than once.
func (t *Screen) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		t.s.Fini()
	}
}

// Refresh redraws the screen and hands queued key strokes to the guest.
// The machine's run loop calls it, so it may touch the devices.
func (t *Screen) Refresh() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	for done := false; !done; {
		select {
		case ks := <-t.keys:
			for _, k := range ks {
				if k.up {
					t.m.KBC.KeyUp(k.key)
				} else {
					t.m.KBC.KeyDown(k.key)
				}
			}
		default:
			done = true
		}
	}
	t.draw()
	t.s.Show()
}

func (t *Screen) draw() {
	g := t.m.VGA.Geometry()
	text := t.m.VGA.TextScreen()
	t.s.Clear()
	if text == "" {
		msg := "ringzero: the guest is in a graphics mode (use -screenshot FILE.png, or the window)"
		for i, r := range msg {
			t.s.SetContent(i, 0, r, nil, tcell.StyleDefault)
		}
		_ = g
		return
	}
	for y, line := range strings.Split(text, "\n") {
		x := 0
		for _, r := range line {
			t.s.SetContent(x, y, r, nil, tcell.StyleDefault)
			x++
		}
	}
	if col, row, ok := t.m.VGA.Cursor(); ok {
		t.s.ShowCursor(col, row)
	} else {
		t.s.HideCursor()
	}
}

// Input reads terminal events until ctx ends or the user quits with
// Ctrl-A x (QEMU's escape) or Ctrl-C twice... a single Ctrl-C reaches the
// guest; Ctrl-A x ends the run. It returns when the run should end.
func (t *Screen) Input(ctx context.Context) {
	events := make(chan tcell.Event, 16)
	quit := make(chan struct{})
	go t.s.ChannelEvents(events, quit)
	defer close(quit)
	ctrlA := false
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			k, ok := ev.(*tcell.EventKey)
			if !ok {
				continue
			}
			if ctrlA && k.Key() == tcell.KeyRune && k.Rune() == 'x' {
				return
			}
			ctrlA = k.Key() == tcell.KeyCtrlA
			if ctrlA {
				continue
			}
			if ks := strokes(k); ks != nil {
				select {
				case t.keys <- ks:
				default:
				}
			}
		}
	}
}

type keyStroke struct {
	key i8042.Key
	up  bool
}

// press returns the make and break strokes of key with modifiers.
func press(key i8042.Key, mods ...i8042.Key) []keyStroke {
	var ks []keyStroke
	for _, m := range mods {
		ks = append(ks, keyStroke{key: m})
	}
	ks = append(ks, keyStroke{key: key}, keyStroke{key: key, up: true})
	for i := len(mods) - 1; i >= 0; i-- {
		ks = append(ks, keyStroke{key: mods[i], up: true})
	}
	return ks
}

var special = map[tcell.Key]i8042.Key{
	tcell.KeyEnter: i8042.KeyEnter, tcell.KeyTab: i8042.KeyTab, tcell.KeyEscape: i8042.KeyEscape,
	tcell.KeyBackspace: i8042.KeyBackspace, tcell.KeyBackspace2: i8042.KeyBackspace,
	tcell.KeyUp: i8042.KeyUp, tcell.KeyDown: i8042.KeyDown, tcell.KeyLeft: i8042.KeyLeft, tcell.KeyRight: i8042.KeyRight,
	tcell.KeyHome: i8042.KeyHome, tcell.KeyEnd: i8042.KeyEnd, tcell.KeyPgUp: i8042.KeyPageUp, tcell.KeyPgDn: i8042.KeyPageDown,
	tcell.KeyInsert: i8042.KeyInsert, tcell.KeyDelete: i8042.KeyDelete,
	tcell.KeyF1: i8042.KeyF1, tcell.KeyF2: i8042.KeyF2, tcell.KeyF3: i8042.KeyF3, tcell.KeyF4: i8042.KeyF4,
	tcell.KeyF5: i8042.KeyF5, tcell.KeyF6: i8042.KeyF6, tcell.KeyF7: i8042.KeyF7, tcell.KeyF8: i8042.KeyF8,
	tcell.KeyF9: i8042.KeyF9, tcell.KeyF10: i8042.KeyF10, tcell.KeyF11: i8042.KeyF11, tcell.KeyF12: i8042.KeyF12,
}

// strokes turns a terminal key event into PS/2 key strokes (US layout).
func strokes(ev *tcell.EventKey) []keyStroke {
	if k, ok := special[ev.Key()]; ok {
		return press(k)
	}
	if ev.Key() == tcell.KeyRune {
		r := ev.Rune()
		k, shift, ok := RuneKey(r)
		if !ok {
			return nil
		}
		var mods []i8042.Key
		if shift {
			mods = append(mods, i8042.KeyLeftShift)
		}
		if ev.Modifiers()&tcell.ModAlt != 0 {
			mods = append(mods, i8042.KeyLeftAlt)
		}
		return press(k, mods...)
	}
	// Control characters: Ctrl-letter.
	if ev.Key() >= tcell.KeyCtrlA && ev.Key() <= tcell.KeyCtrlZ {
		k, _, _ := RuneKey(rune('a' + ev.Key() - tcell.KeyCtrlA))
		return press(k, i8042.KeyLeftCtrl)
	}
	return nil
}

// RuneKey returns the US-layout key that types r and whether Shift is
// needed.
func RuneKey(r rune) (i8042.Key, bool, bool) {
	if k, ok := plain[r]; ok {
		return k, false, true
	}
	if k, ok := shifted[r]; ok {
		return k, true, true
	}
	if r >= 'A' && r <= 'Z' {
		if k, ok := plain[r-'A'+'a']; ok {
			return k, true, true
		}
	}
	return 0, false, false
}

var plain = map[rune]i8042.Key{
	'a': i8042.KeyA, 'b': i8042.KeyB, 'c': i8042.KeyC, 'd': i8042.KeyD, 'e': i8042.KeyE, 'f': i8042.KeyF,
	'g': i8042.KeyG, 'h': i8042.KeyH, 'i': i8042.KeyI, 'j': i8042.KeyJ, 'k': i8042.KeyK, 'l': i8042.KeyL,
	'm': i8042.KeyM, 'n': i8042.KeyN, 'o': i8042.KeyO, 'p': i8042.KeyP, 'q': i8042.KeyQ, 'r': i8042.KeyR,
	's': i8042.KeyS, 't': i8042.KeyT, 'u': i8042.KeyU, 'v': i8042.KeyV, 'w': i8042.KeyW, 'x': i8042.KeyX,
	'y': i8042.KeyY, 'z': i8042.KeyZ,
	'0': i8042.Key0, '1': i8042.Key1, '2': i8042.Key2, '3': i8042.Key3, '4': i8042.Key4,
	'5': i8042.Key5, '6': i8042.Key6, '7': i8042.Key7, '8': i8042.Key8, '9': i8042.Key9,
	' ': i8042.KeySpace, '-': i8042.KeyMinus, '=': i8042.KeyEqual, '[': i8042.KeyLeftBracket,
	']': i8042.KeyRightBracket, '\\': i8042.KeyBackslash, ';': i8042.KeySemicolon, '\'': i8042.KeyApostrophe,
	'`': i8042.KeyGrave, ',': i8042.KeyComma, '.': i8042.KeyPeriod, '/': i8042.KeySlash,
}

var shifted = map[rune]i8042.Key{
	'!': i8042.Key1, '@': i8042.Key2, '#': i8042.Key3, '$': i8042.Key4, '%': i8042.Key5,
	'^': i8042.Key6, '&': i8042.Key7, '*': i8042.Key8, '(': i8042.Key9, ')': i8042.Key0,
	'_': i8042.KeyMinus, '+': i8042.KeyEqual, '{': i8042.KeyLeftBracket, '}': i8042.KeyRightBracket,
	'|': i8042.KeyBackslash, ':': i8042.KeySemicolon, '"': i8042.KeyApostrophe, '~': i8042.KeyGrave,
	'<': i8042.KeyComma, '>': i8042.KeyPeriod, '?': i8042.KeySlash,
}
