// Package irq models interrupt request wires between devices and
// interrupt controllers. A device raises or lowers a Line without knowing
// what is on the other end.
package irq

import "sync"

// Line is one interrupt wire. Set(true) raises it, Set(false) lowers it.
// Edge-triggered receivers see the rising edge; level-triggered ones see
// the level.
type Line interface {
	Set(level bool)
}

// Func adapts a function to a Line.
type Func func(level bool)

// Set calls f.
func (f Func) Set(level bool) { f(level) }

// None is a Line connected to nothing.
var None Line = Func(func(bool) {})

// Pulse raises and lowers l: an edge for edge-triggered inputs.
func Pulse(l Line) {
	l.Set(true)
	l.Set(false)
}

// Recorder is a Line for tests: it remembers the level and counts edges.
type Recorder struct {
	mu      sync.Mutex
	level   bool
	rises   int
	changes []bool
}

// Set records the new level.
func (r *Recorder) Set(level bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if level && !r.level {
		r.rises++
	}
	if level != r.level {
		r.changes = append(r.changes, level)
	}
	r.level = level
}

// Level is the current level.
func (r *Recorder) Level() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.level
}

// Rises counts rising edges seen so far.
func (r *Recorder) Rises() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rises
}

// Changes returns the sequence of level changes seen so far.
func (r *Recorder) Changes() []bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bool(nil), r.changes...)
}

// Reset forgets the history (not the level).
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rises = 0
	r.changes = nil
}
