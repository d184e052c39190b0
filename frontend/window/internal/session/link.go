// Package session is the window front end without its toolkit: Link runs
// a pc.Machine on a goroutine of its own and trades frames, input and
// commands with the user interface, and the rest (typematic repeat,
// hotkeys, the picture's placement, the status overlay's text) is the
// interface's logic as plain functions. frontend/window glues it to
// ebiten; keeping it apart lets it be tested without a display.
package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"time"

	"ringzero/devices/i8042"
	"ringzero/devices/pc"
	"ringzero/devices/vga"
)

// Timing of the emulation side.
const (
	// FrameInterval is the least time between two renders of the VGA
	// frame: about 60 per second, the display's pace.
	FrameInterval = 15 * time.Millisecond
	// StatsInterval is how often the engine's counters are sampled.
	StatsInterval = 500 * time.Millisecond
	// maxQueued bounds the input waiting for the machine (a paused or
	// stuck machine cannot make it grow); later events are dropped.
	maxQueued = 4096
)

// Status is what the overlay shows, sampled on the emulation goroutine.
type Status struct {
	Engine       string            // cpu.Engine.Name
	Paused       bool              // the machine is paused
	Instructions uint64            // retired so far (cpu.Stats)
	MIPS         float64           // guest millions of instructions per wall-clock second, lately
	Interrupts   uint64            // external interrupts delivered
	Exceptions   uint64            // guest exceptions, all vectors
	Counters     map[string]uint64 // the engine's own counters (a copy)
	VirtualTime  time.Duration     // the machine's clock
	Resets       int               // guest resets so far
}

// event is one piece of host input on its way to the machine.
type event struct {
	mouse      bool
	key        i8042.Key
	down       bool
	dx, dy, dz int
	buttons    i8042.Buttons
}

// Link runs one machine for one user interface. The interface's
// goroutine calls Key, Mouse, SetPaused, Reset, Stop, Frame, Status and
// SavePNG; only the goroutine Start launches touches the machine, in the
// run loop's Tick (pc.RunOptions) and between runs.
type Link struct {
	m        *pc.Machine
	realtime bool

	mu     sync.Mutex
	front  *image.RGBA        // the latest published frame
	geom   vga.Geometry       // its geometry
	gen    uint64             // bumped whenever front changes
	status Status             // last sample
	queue  []event            // input not yet handed to the machine
	reset  bool               // a reset is requested
	paused bool               // the user wants the machine paused
	stop   bool               // the user closed the window
	cancel context.CancelFunc // ends the machine's current Run; nil between runs
	wake   chan struct{}      // pokes the paused loop (buffered, one)
	done   chan struct{}      // closed when the run goroutine returns
	result pc.Result
	err    error

	// Emulation goroutine only.
	back       *image.RGBA
	spare      []event
	lastRender time.Time
	lastStats  time.Time
	lastInstr  uint64
}

// New returns a link for m; realtime paces the guest to the wall clock
// (pc.RunOptions.Realtime), as an interactive window wants.
func New(m *pc.Machine, realtime bool) *Link {
	return &Link{
		m:        m,
		realtime: realtime,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		status:   Status{Engine: m.CPU.Name()},
	}
}

// Start renders the first frame, then runs the machine on a new goroutine
// until the guest ends the run, Stop is called or ctx ends. Call it once.
func (l *Link) Start(ctx context.Context) {
	l.refresh(true)
	l.sample(true)
	go func() {
		res, err := l.run(ctx)
		l.refresh(true)
		l.sample(true)
		l.mu.Lock()
		l.result, l.err = res, err
		l.mu.Unlock()
		close(l.done)
	}()
}

// Done is closed when the machine has stopped.
func (l *Link) Done() <-chan struct{} { return l.done }

// Wait waits for the machine to stop and returns how its run ended: as
// pc.Machine.Run's result, except that Stop makes it a power-off with
// status 0 (closing the window switches the PC off).
func (l *Link) Wait() (pc.Result, error) {
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.result, l.err
}

// Key queues a key press (down) or release for the keyboard.
func (l *Link) Key(k i8042.Key, down bool) { l.push(event{key: k, down: down}) }

// Mouse queues mouse motion and the buttons now held (i8042's
// conventions: dy positive up, dz positive towards the user).
func (l *Link) Mouse(dx, dy, dz int, b i8042.Buttons) {
	l.push(event{mouse: true, dx: dx, dy: dy, dz: dz, buttons: b})
}

func (l *Link) push(e event) {
	l.mu.Lock()
	if len(l.queue) < maxQueued {
		l.queue = append(l.queue, e)
	}
	l.mu.Unlock()
}

// SetPaused pauses or resumes the machine. A paused machine keeps its
// input queued, still obeys Reset, and its virtual time stands still.
func (l *Link) SetPaused(p bool) {
	l.mu.Lock()
	l.paused = p
	l.status.Paused = p
	if p && l.cancel != nil {
		l.cancel()
	}
	l.mu.Unlock()
	l.poke()
}

// Paused reports whether a pause is requested.
func (l *Link) Paused() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused
}

// Reset asks for the machine's reset line (pc.Machine.Reset), served on
// the emulation goroutine.
func (l *Link) Reset() {
	l.mu.Lock()
	l.reset = true
	l.mu.Unlock()
	l.poke()
}

// Stop switches the machine off: the run ends soon, without handing it
// input queued since, and Wait reports a power-off.
func (l *Link) Stop() {
	l.mu.Lock()
	l.stop = true
	if l.cancel != nil {
		l.cancel()
	}
	l.mu.Unlock()
	l.poke()
}

func (l *Link) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Frame returns the latest frame and its generation. If gen is the
// generation the caller has, changed is false and dst is returned as is;
// otherwise the frame is copied into dst (reallocated when its size
// differs). The frame is in the adapter's logical pixels: g tells how
// many monitor dots and lines each covers.
func (l *Link) Frame(dst *image.RGBA, gen uint64) (img *image.RGBA, g vga.Geometry, newGen uint64, changed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.front == nil || gen == l.gen {
		return dst, l.geom, l.gen, false
	}
	return copyRGBA(dst, l.front), l.geom, l.gen, true
}

// Status returns the latest sample of the engine's counters.
func (l *Link) Status() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.status
	s.Counters = make(map[string]uint64, len(l.status.Counters))
	for k, v := range l.status.Counters {
		s.Counters[k] = v
	}
	return s
}

// SavePNG writes the latest frame, in logical pixels as -screenshot
// does, to a new file in dir named ringzero-YYYYMMDD-HHMMSS.png (a -N
// suffix avoids overwriting), and returns its path.
func (l *Link) SavePNG(dir string, now time.Time) (string, error) {
	l.mu.Lock()
	if l.front == nil {
		l.mu.Unlock()
		return "", errors.New("no frame yet")
	}
	img := copyRGBA(nil, l.front)
	l.mu.Unlock()

	// Write a temporary file, then link it to a free name: the PNG
	// appears whole, and never over an older one.
	tmp, err := os.CreateTemp(dir, ".ringzero-*.png")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	err = png.Encode(tmp, img)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	base := "ringzero-" + now.Format("20060102-150405")
	for n := 1; n < 1000; n++ {
		name := base + ".png"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.png", base, n)
		}
		path := filepath.Join(dir, name)
		err := os.Link(tmp.Name(), path)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			// No hard links here (FAT, some network file systems):
			// rename, checking first that the name is free.
			if _, serr := os.Lstat(path); serr == nil {
				continue
			}
			if err := os.Rename(tmp.Name(), path); err != nil {
				return "", err
			}
		}
		return path, nil
	}
	return "", fmt.Errorf("%s: too many screenshots this second", filepath.Join(dir, base))
}

// run is the emulation goroutine's loop: it runs the machine until the
// guest ends the run, and between runs it waits out pauses.
func (l *Link) run(ctx context.Context) (pc.Result, error) {
	for {
		// While paused, serve resets and wait for a change.
		for {
			l.mu.Lock()
			paused, stop, reset := l.paused, l.stop, l.reset
			l.reset = false
			l.mu.Unlock()
			if stop {
				return pc.Result{Outcome: pc.PowerOff}, nil
			}
			if reset {
				l.m.Reset()
				l.refresh(true)
			}
			if !paused {
				break
			}
			l.sample(true)
			select {
			case <-ctx.Done():
				return pc.Result{Outcome: pc.Stopped}, ctx.Err()
			case <-l.wake:
			}
		}

		runCtx, cancel := context.WithCancel(ctx)
		l.mu.Lock()
		l.cancel = cancel
		if l.stop || l.paused {
			cancel()
		}
		l.mu.Unlock()
		l.lastStats = time.Now()
		res, err := l.m.Run(runCtx, pc.RunOptions{Realtime: l.realtime, Tick: l.tick})
		l.mu.Lock()
		l.cancel = nil
		l.mu.Unlock()
		cancel()
		switch {
		case ctx.Err() != nil:
			return pc.Result{Outcome: pc.Stopped}, ctx.Err()
		case res.Outcome != pc.Stopped:
			return res, err
		case err != nil && !errors.Is(err, context.Canceled):
			return res, err
		}
		// Our own cancel: a pause or Stop; the loop above sorts it out.
	}
}

// tick runs on the emulation goroutine about every 10 ms (the machine's
// Tick): it hands queued input to the devices, serves a reset, and
// refreshes the frame and the counters.
func (l *Link) tick() {
	l.mu.Lock()
	in := l.queue
	l.queue = l.spare[:0]
	reset := l.reset
	l.reset = false
	stopping := l.stop
	l.mu.Unlock()
	if !stopping {
		for _, e := range in {
			switch {
			case e.mouse:
				l.m.KBC.MouseMove(e.dx, e.dy, e.dz, e.buttons)
			case e.down:
				l.m.KBC.KeyDown(e.key)
			default:
				l.m.KBC.KeyUp(e.key)
			}
		}
	}
	clear(in)
	l.spare = in
	if reset {
		l.m.Reset()
	}
	l.refresh(reset)
	l.sample(false)
}

// refresh renders the frame (at most every FrameInterval unless force)
// and publishes it if it differs from the last one.
func (l *Link) refresh(force bool) {
	now := time.Now()
	if !force && now.Sub(l.lastRender) < FrameInterval {
		return
	}
	l.lastRender = now
	g := l.m.VGA.Geometry()
	l.back = l.m.VGA.Render(l.back)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.front != nil && l.front.Rect == l.back.Rect && bytes.Equal(l.front.Pix, l.back.Pix) && g == l.geom {
		return
	}
	l.front = copyRGBA(l.front, l.back)
	l.geom = g
	l.gen++
}

// sample reads the engine's counters (at most every StatsInterval unless
// force) for Status.
func (l *Link) sample(force bool) {
	now := time.Now()
	dt := now.Sub(l.lastStats)
	if !force && dt < StatsInterval {
		return
	}
	st := l.m.CPU.Stats()
	var exc uint64
	for _, n := range st.Exceptions {
		exc += n
	}
	counters := make(map[string]uint64, len(st.Counters))
	for k, v := range st.Counters {
		counters[k] = v
	}
	mips := 0.0
	if dt > 0 && st.Instructions >= l.lastInstr && !l.lastStats.IsZero() {
		mips = float64(st.Instructions-l.lastInstr) / dt.Seconds() / 1e6
	}
	l.lastStats, l.lastInstr = now, st.Instructions
	l.mu.Lock()
	defer l.mu.Unlock()
	l.status = Status{
		Engine:       l.m.CPU.Name(),
		Paused:       l.paused,
		Instructions: st.Instructions,
		MIPS:         mips,
		Interrupts:   st.Interrupts,
		Exceptions:   exc,
		Counters:     counters,
		VirtualTime:  time.Duration(l.m.Clock.Now()),
		Resets:       l.m.Resets(),
	}
}

// copyRGBA copies src into dst, reallocating dst if its bounds differ.
func copyRGBA(dst, src *image.RGBA) *image.RGBA {
	if dst == nil || dst.Rect != src.Rect || dst.Stride != src.Stride {
		dst = image.NewRGBA(src.Rect)
	}
	copy(dst.Pix, src.Pix)
	return dst
}
