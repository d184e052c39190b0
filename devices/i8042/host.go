package i8042

import (
	"sync"
	"sync/atomic"
)

// maxHostEvents bounds each host input queue; events past it are dropped
// (a guest that never reads its keyboard cannot make the host queue grow).
const maxHostEvents = 1024

type keyEvent struct {
	key  Key
	down bool
}

type mouseEvent struct {
	dx, dy, dz int
	buttons    Buttons
}

// hostInput is host input waiting to reach the devices. The host side
// appends from any goroutine; the machine's goroutine drains it in
// pumpHost, so the devices and IRQ lines are touched only there.
type hostInput struct {
	mu     sync.Mutex
	keys   []keyEvent
	moves  []mouseEvent
	n      atomic.Int64 // len(keys)+len(moves), readable without mu
	notify func()
}

// KeyDown presses key. Calling it again while the key is held is a
// typematic repeat: the keyboard sends the make code again (typematic
// timing is left to the host). Safe to call from any goroutine; the
// codes reach the guest on the next port access or Poll.
func (c *Controller) KeyDown(key Key) { c.queueKey(key, true) }

// KeyUp releases key; releasing a key that is not held does nothing.
// Safe to call from any goroutine.
func (c *Controller) KeyUp(key Key) { c.queueKey(key, false) }

func (c *Controller) queueKey(key Key, down bool) {
	if !key.Valid() {
		return
	}
	h := &c.host
	h.mu.Lock()
	if len(h.keys) < maxHostEvents {
		h.keys = append(h.keys, keyEvent{key, down})
		h.n.Add(1)
	}
	fn := h.notify
	h.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// MouseMove reports mouse motion and the buttons now held. dx is positive
// to the right and dy positive away from the user (up the screen): the
// PS/2 convention, so a frontend with screen coordinates passes -dy. dz is
// the wheel, positive towards the user (scrolling down), as IntelliMouse
// packets carry it; it is dropped unless the guest enabled the wheel.
// Movement not yet reported accumulates, as in a real mouse's counters;
// every button change gets its own packet. Safe to call from any
// goroutine.
func (c *Controller) MouseMove(dx, dy, dz int, buttons Buttons) {
	if c.aux == nil {
		return
	}
	h := &c.host
	h.mu.Lock()
	if len(h.moves) < maxHostEvents {
		h.moves = append(h.moves, mouseEvent{dx, dy, dz, buttons})
		h.n.Add(1)
	}
	fn := h.notify
	h.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// SetNotify registers fn to be called, on the caller's goroutine, after
// each KeyDown, KeyUp or MouseMove, so a board whose CPU is halted can
// wake its run loop and call Poll. Safe to call from any goroutine.
func (c *Controller) SetNotify(fn func()) {
	c.host.mu.Lock()
	c.host.notify = fn
	c.host.mu.Unlock()
}

// Poll moves queued host input into the devices and the output buffer,
// raising IRQ1 or IRQ12 as needed. Port accesses do the same, so only an
// interrupt-driven guest that is waiting needs it; call it from the
// machine's goroutine (e.g. once per run slice).
func (c *Controller) Poll() { c.fill() }

// LEDs returns the keyboard lights as last set by the guest. Safe to call
// from any goroutine.
func (c *Controller) LEDs() LEDs { return LEDs(c.kbd.leds.Load()) }

// pumpHost hands queued host events to the devices while they have room:
// key events while the keyboard buffer can hold the longest sequence,
// mouse events until a button change would have to wait.
func (c *Controller) pumpHost() {
	if c.aux != nil {
		c.aux.flush()
	}
	h := &c.host
	if h.n.Load() == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.keys) > 0 && c.kbd.room() {
		ev := h.keys[0]
		h.keys = h.keys[1:]
		c.kbd.key(ev.key, ev.down)
	}
	for len(h.moves) > 0 && c.aux != nil {
		ev := h.moves[0]
		if !c.aux.move(ev.dx, ev.dy, ev.dz, ev.buttons) {
			break
		}
		h.moves = h.moves[1:]
	}
	if len(h.keys) == 0 {
		h.keys = nil
	}
	if len(h.moves) == 0 {
		h.moves = nil
	}
	h.n.Store(int64(len(h.keys) + len(h.moves)))
}
