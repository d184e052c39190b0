package gdbstub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"ringzero/cpu"
)

// Config tunes a Stub.
type Config struct {
	// StartStopped is QEMU's -S: the machine stays parked before its first
	// instruction until gdb connects and continues it.
	StartStopped bool
	// Kick, if set, makes the engine's current run return soon, so that
	// a Ctrl-C or a new gdb connection stops a running machine within an
	// instruction instead of at the end of the run loop's slice. The board
	// passes a function that requests cpu.ExitBreakpoint on its engine's
	// StopFlag. It is called from the stub's own goroutines.
	Kick func()
	// Log, if set, receives every packet in both directions (debugging the
	// stub or a gdb session).
	Log io.Writer
}

// ErrKilled is what Before returns after gdb's kill request (k, vKill):
// the run loop ends the run, as QEMU exits.
var ErrKilled = errors.New("gdbstub: killed by gdb")

// Signals in stop replies (gdb's numbering, which is Linux's for these).
const (
	sigINT  = 2
	sigTRAP = 5
)

// Stub is a gdb remote serial protocol server for one machine. The run
// loop calls Before and After around every engine run and Exited when
// the machine is gone; gdb connects over TCP. At most one gdb is attached
// at a time.
type Stub struct {
	t     Target
	cfg   Config
	ln    net.Listener
	model cpu.Model

	// armed is set whenever Before or After has work: a stop request, a
	// breakpoint, a watchpoint or a step. Without it the hooks cost one
	// atomic load.
	armed atomic.Bool

	mu       sync.Mutex
	stopReq  *stopReason // park at the next Before
	bps      map[uint32]int
	watches  []*watch
	stepping bool
	skip     bool          // do not stop at a breakpoint at skipPC ...
	skipPC   uint32        // ... where the machine resumed, before it moves
	parked   bool          // the machine waits in Before
	left     chan struct{} // closed when the machine leaves this park
	stopSeq  uint64        // counts parks
	lastStop string        // the stop reply of the last park
	killed   bool
	gone     bool   // Exited was called
	session  bool   // a gdb is attached
	irqHit   bool   // NoteInterrupt saw a handler with a breakpoint
	reads    []span // what the instruction about to run reads (Z3, Z4)

	wake   chan struct{} // the machine parked or went away (buffered 1)
	reqs   chan request  // work for the machine's goroutine while parked
	resume chan struct{} // the parked machine may go on
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

// stopReason is why the machine parks: the stop reply's contents.
type stopReason struct {
	sig   int
	extra string // "swbreak:;", "watch:1234;", ...
}

// request is a function the session runs on the machine's goroutine.
type request struct {
	fn   func()
	done chan struct{}
}

// Listen starts a stub for t on the TCP address addr ("localhost:1234";
// cmd/ringzero turns -gdb tcp::1234 and -s into that form).
func Listen(addr string, t Target, cfg Config) (*Stub, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("gdbstub: %w", err)
	}
	return Serve(ln, t, cfg), nil
}

// Serve runs a stub for t on a listener the caller made.
func Serve(ln net.Listener, t Target, cfg Config) *Stub {
	s := &Stub{
		t: t, cfg: cfg, ln: ln, model: cpu.ModelP2,
		bps:    map[uint32]int{},
		wake:   make(chan struct{}, 1),
		reqs:   make(chan request),
		resume: make(chan struct{}, 1),
		closed: make(chan struct{}),
	}
	if m, ok := t.(Modeler); ok {
		s.model = m.Model()
	}
	if cfg.StartStopped {
		s.stopReq = &stopReason{sig: sigTRAP}
		s.armed.Store(true)
	}
	s.wg.Add(1)
	go s.acceptLoop()
	return s
}

// Addr is the address the stub listens on.
func (s *Stub) Addr() net.Addr { return s.ln.Addr() }

// Close stops listening, drops the connection and lets a parked machine
// run on.
func (s *Stub) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closed)
		err = s.ln.Close()
	})
	s.wg.Wait()
	return err
}

func (s *Stub) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		busy := s.session
		s.session = !busy
		s.mu.Unlock()
		if busy {
			c.Close() // one debugger at a time, as QEMU
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
			s.mu.Lock()
			s.session = false
			s.mu.Unlock()
		}()
	}
}

// rearm recomputes armed; s.mu is held.
func (s *Stub) rearm() {
	s.armed.Store(s.stopReq != nil || s.killed || s.stepping || len(s.bps) > 0 || len(s.watches) > 0)
}

// requestStop asks the machine to park at its next Before, unless it is
// parked already; safe from any goroutine.
func (s *Stub) requestStop(sig int) {
	s.mu.Lock()
	if s.parked || s.gone {
		s.mu.Unlock()
		return
	}
	if s.stopReq == nil {
		s.stopReq = &stopReason{sig: sig}
	}
	s.rearm()
	s.mu.Unlock()
	if s.cfg.Kick != nil {
		s.cfg.Kick()
	}
}

// Before is called by the run loop before each engine run, with the
// budget it means to give it. It parks the machine while gdb holds it
// (-S, a breakpoint, a finished step, Ctrl-C, a new connection) and
// returns the budget to use: 1 while breakpoints, watchpoints or a step
// need the machine to go one instruction at a time, else max. It returns
// ErrKilled when gdb killed the machine, or ctx.Err() if ctx ends while
// parked.
func (s *Stub) Before(ctx context.Context, max uint64) (uint64, error) {
	if !s.armed.Load() {
		return max, nil
	}
	for {
		s.mu.Lock()
		if s.killed {
			s.mu.Unlock()
			return 0, ErrKilled
		}
		r := s.stopReq
		s.stopReq = nil
		if r == nil && len(s.bps) > 0 && !s.stepping {
			p := pc(s.t.State())
			if k, ok := s.bps[p]; ok && !(s.skip && p == s.skipPC) {
				r = &stopReason{sig: sigTRAP, extra: "swbreak:;"}
				if k == kindHardware {
					r.extra = "hwbreak:;"
				}
			}
		}
		if r == nil {
			budget := max
			if s.stepping || len(s.bps) > 0 || len(s.watches) > 0 {
				budget = 1
			}
			s.reads = s.reads[:0]
			for _, w := range s.watches {
				if w.kind == kindRead || w.kind == kindAccess {
					s.reads = reads(s.t, s.model)
					break
				}
			}
			s.irqHit = false
			s.rearm()
			s.mu.Unlock()
			return budget, nil
		}
		// Parked from here on, atomically with taking the request, so
		// that a stop requested meanwhile is not left over and the
		// session sees the park complete.
		left := make(chan struct{})
		s.parked, s.left = true, left
		s.stopSeq++
		s.lastStop = fmt.Sprintf("T%02xthread:1;%s", r.sig, r.extra)
		s.mu.Unlock()
		if err := s.park(ctx, left); err != nil {
			return 0, err
		}
	}
}

// park holds the machine until gdb resumes it, running the session's
// requests meanwhile. Before has marked it parked; left is closed when
// it goes.
func (s *Stub) park(ctx context.Context, left chan struct{}) error {
	s.signal()
	defer func() {
		s.mu.Lock()
		s.parked = false
		s.mu.Unlock()
		close(left)
	}()
	for {
		select {
		case q := <-s.reqs:
			q.fn()
			close(q.done)
		case <-s.resume:
			s.mu.Lock()
			killed := s.killed
			s.mu.Unlock()
			if killed {
				return ErrKilled
			}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			s.mu.Lock()
			s.detachLocked()
			s.mu.Unlock()
			return nil
		}
	}
}

// signal wakes the session (the machine parked or went away).
func (s *Stub) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// After is called by the run loop with each engine run's result. It
// notes a finished step and watchpoint hits; the machine parks at the
// next Before.
func (s *Stub) After(exit cpu.Exit) {
	if !s.armed.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if exit.Cycles == 0 {
		return // nothing ran (HLT, a stop request): nothing to check
	}
	s.skip = false
	var r *stopReason
	for _, w := range s.watches {
		hit := false
		switch w.kind {
		case kindWrite:
			hit = w.changed(s.t)
		case kindAccess:
			hit = w.changed(s.t)
			fallthrough
		case kindRead:
			for _, sp := range s.reads {
				hit = hit || sp.overlaps(w.addr, w.len)
			}
		}
		if hit && r == nil {
			name := [...]string{kindWrite: "watch", kindRead: "rwatch", kindAccess: "awatch"}[w.kind]
			r = &stopReason{sig: sigTRAP, extra: fmt.Sprintf("%s:%x;", name, w.addr)}
		}
	}
	if r == nil && s.irqHit {
		// The handler of an interrupt delivered in this run has a
		// breakpoint. If its first instruction ran too, stop now, one
		// instruction late; else Before stops at it as usual.
		if _, at := s.bps[pc(s.t.State())]; !at {
			r = &stopReason{sig: sigTRAP}
		}
	}
	if r == nil && s.stepping {
		r = &stopReason{sig: sigTRAP}
	}
	if r != nil {
		s.stepping = false
		if s.stopReq == nil {
			s.stopReq = r
		}
	}
	s.rearm()
}

// NoteInterrupt may be chained into the engine's Env.OnInterrupt by the
// board: when an interrupt or exception is delivered to a handler that
// has a breakpoint, the stub stops after the run (one instruction into
// the handler, since the engine executes it in the same run).
func (s *Stub) NoteInterrupt(ev cpu.InterruptEvent) {
	if !s.armed.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bps) == 0 {
		return
	}
	if h, ok := handlerAddress(s.t, ev.Vector); ok {
		if _, bp := s.bps[h]; bp {
			s.irqHit = true
		}
	}
}

// Exited is called by the run loop when the machine is gone (power-off,
// debug-exit, reset with -no-reboot, ...): gdb is told the program exited
// with status (W packet).
func (s *Stub) Exited(status int) {
	s.mu.Lock()
	s.gone = true
	s.lastStop = fmt.Sprintf("W%02x", status&0xFF)
	s.mu.Unlock()
	s.signal()
}

// detachLocked forgets every breakpoint and watchpoint and lets the
// machine run freely; s.mu is held.
func (s *Stub) detachLocked() {
	clear(s.bps)
	s.watches = nil
	s.stepping = false
	s.stopReq = nil
	s.rearm()
}

// handlerAddress is the linear address of the handler of vector v: from
// the interrupt vector table in real mode, from the IDT gate and the
// GDT or LDT descriptor of its selector in protected mode.
func handlerAddress(t Target, v uint8) (uint32, bool) {
	s := t.State()
	var b [8]byte
	if s.CR[0]&cpu.CR0PE == 0 {
		if n, _ := t.ReadLinear(s.IDTR.Base+4*uint32(v), b[:4]); n < 4 {
			return 0, false
		}
		off, seg := uint32(b[0])|uint32(b[1])<<8, uint32(b[2])|uint32(b[3])<<8
		return seg<<4 + off, true
	}
	if n, _ := t.ReadLinear(s.IDTR.Base+8*uint32(v), b[:]); n < 8 {
		return 0, false
	}
	off := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24
	sel := uint32(b[2]) | uint32(b[3])<<8
	if b[5]&0x1F == 5 || b[5]&0x1F == 6 || b[5]&0x1F == 7 {
		off &= 0xFFFF // task gate (no handler address) or 16-bit gate
	}
	table := s.GDTR.Base
	if sel&4 != 0 {
		table = s.LDTR.Base
	}
	if n, _ := t.ReadLinear(table+sel&^7, b[:]); n < 8 {
		return 0, false
	}
	base := uint32(b[2]) | uint32(b[3])<<8 | uint32(b[4])<<16 | uint32(b[7])<<24
	return base + off, true
}
