// Package clock is the machine's virtual time base. On the software
// engines time advances only with retired instructions, so a run repeats
// exactly; devices schedule timers on it in nanoseconds of virtual time.
package clock

import "container/heap"

// DefaultHz is the default number of cycles (retired instructions) per
// virtual second.
const DefaultHz = 100_000_000

// Clock converts engine cycles into virtual nanoseconds and fires timers.
// It is not safe for concurrent use; the machine's run loop owns it.
type Clock struct {
	hz     uint64
	cycles uint64 // total cycles advanced
	now    uint64 // virtual nanoseconds
	rem    uint64 // remainder of the cycles→ns conversion (units of 1/hz ns)
	timers timerHeap
	seq    uint64
}

// New returns a clock running at hz cycles per virtual second (DefaultHz
// if hz is 0), at time zero.
func New(hz uint64) *Clock {
	if hz == 0 {
		hz = DefaultHz
	}
	return &Clock{hz: hz}
}

// Hz is the clock rate in cycles per virtual second.
func (c *Clock) Hz() uint64 { return c.hz }

// Now is the virtual time in nanoseconds.
func (c *Clock) Now() uint64 { return c.now }

// Cycles is the total number of cycles advanced.
func (c *Clock) Cycles() uint64 { return c.cycles }

// Advance moves time forward by n cycles and runs every timer now due, in
// deadline order.
func (c *Clock) Advance(n uint64) {
	c.cycles += n
	t := n*1_000_000_000 + c.rem
	c.now += t / c.hz
	c.rem = t % c.hz
	c.fire()
}

// AdvanceTo moves time forward to ns (no-op if ns is not in the future)
// and runs due timers; used by tests and by wall-clock pacing.
func (c *Clock) AdvanceTo(ns uint64) {
	if ns > c.now {
		c.now = ns
	}
	c.fire()
}

func (c *Clock) fire() {
	for len(c.timers) > 0 && c.timers[0].deadline <= c.now {
		t := heap.Pop(&c.timers).(*Timer)
		t.index = -1
		t.fn(t.deadline)
	}
}

// NextDeadline is the number of cycles until the earliest armed timer
// (rounded up, at least 1), or ^uint64(0) when none is armed.
func (c *Clock) NextDeadline() uint64 {
	if len(c.timers) == 0 {
		return ^uint64(0)
	}
	d := c.timers[0].deadline
	if d <= c.now {
		return 1
	}
	ns := d - c.now
	cyc := (ns*c.hz + 999_999_999) / 1_000_000_000
	if cyc == 0 {
		cyc = 1
	}
	return cyc
}

// CyclesFor converts a duration in ns into cycles (rounded up).
func (c *Clock) CyclesFor(ns uint64) uint64 {
	return (ns*c.hz + 999_999_999) / 1_000_000_000
}

// Timer calls a function when virtual time reaches its deadline.
type Timer struct {
	c        *Clock
	fn       func(now uint64)
	deadline uint64
	seq      uint64
	index    int // position in the heap, -1 when not armed
}

// NewTimer makes an unarmed timer that calls fn(deadline) when it fires.
func (c *Clock) NewTimer(fn func(now uint64)) *Timer {
	return &Timer{c: c, fn: fn, index: -1}
}

// Set arms (or re-arms) the timer for absolute virtual time ns.
func (t *Timer) Set(ns uint64) {
	c := t.c
	c.seq++
	t.seq = c.seq
	t.deadline = ns
	if t.index >= 0 {
		heap.Fix(&c.timers, t.index)
		return
	}
	heap.Push(&c.timers, t)
}

// SetAfter arms the timer for ns nanoseconds from now.
func (t *Timer) SetAfter(ns uint64) { t.Set(t.c.now + ns) }

// Stop disarms the timer.
func (t *Timer) Stop() {
	if t.index >= 0 {
		heap.Remove(&t.c.timers, t.index)
		t.index = -1
	}
}

// Armed reports whether the timer is waiting to fire.
func (t *Timer) Armed() bool { return t.index >= 0 }

// Deadline is the absolute time the timer fires at, if armed.
func (t *Timer) Deadline() uint64 { return t.deadline }

type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].deadline != h[j].deadline {
		return h[i].deadline < h[j].deadline
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}
