package spec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"ringzero/bios"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
)

// DefaultTimeout bounds a guest that gives no timeout of its own when
// Options.Timeout is 0.
const DefaultTimeout = 60 * time.Second

// Options tune Run.
type Options struct {
	// Jobs is how many guests run at once; 0 means runtime.GOMAXPROCS.
	Jobs int
	// Timeout is the wall-clock limit of a guest that sets none; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// ReportDir receives each failing guest's files: NAME.png (the last
	// screen), NAME.txt (the report) and NAME.serial.log and
	// NAME.debugcon.log (the whole output). "" writes none. The folder is
	// created when the first guest fails.
	ReportDir string
	// Progress receives a PASS or FAIL line per guest as it ends, and the
	// report after each FAIL line; nil prints nothing.
	Progress io.Writer
	// Verbose adds a line for each step as it completes.
	Verbose bool
}

// Outcomes of a guest besides pc.Outcome's names.
const (
	OutcomeStopped     = "stopped"      // by the runner: after the last step, a step's timeout, or ctx
	OutcomeTimeout     = "timeout"      // the guest's timeout expired (status 124)
	OutcomeError       = "error"        // the engine failed
	OutcomeCannotStart = "cannot start" // the machine could not be built
	OutcomeNotStarted  = "not started"  // interrupted before its turn
)

// Result is how one guest did.
type Result struct {
	Guest   *Guest
	Passed  bool
	Message string        // why it failed, one line; "" when it passed
	Report  string        // the failure report; "" when it passed
	Elapsed time.Duration // wall-clock time from build to stop
	// Outcome is how the machine stopped: a pc.Outcome name
	// ("power-off", "debug-exit", ...) or one of the Outcome constants.
	Outcome string
	Status  int      // the exit status as `ringzero run` would give it
	Files   []string // report files written, the PNG first when there is one
}

// Run runs guests, Options.Jobs at a time, and returns their results in
// the order of guests. A guest's failure never stops the others; when ctx
// ends, running guests fail as interrupted and the rest are not started
// (their results say so).
func Run(ctx context.Context, guests []*Guest, opt Options) []Result {
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	stems := reportStems(guests)
	results := make([]Result, len(guests))
	var mu sync.Mutex // serializes Progress
	pr := &printer{w: opt.Progress, mu: &mu}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, len(guests)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					results[i] = notStarted(guests[i])
					continue
				}
				r := runGuest(ctx, guests[i], opt, stems[i], pr)
				results[i] = r
				pr.result(r)
			}
		}()
	}
	for i := range guests {
		if ctx.Err() != nil {
			results[i] = notStarted(guests[i])
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
			results[i] = notStarted(guests[i])
		}
	}
	close(next)
	wg.Wait()
	return results
}

func notStarted(g *Guest) Result {
	return Result{Guest: g, Message: "not started: interrupted", Outcome: OutcomeNotStarted}
}

// RunGuest runs one guest on the calling goroutine.
func RunGuest(ctx context.Context, g *Guest, opt Options) Result {
	return runGuest(ctx, g, opt, reportStems([]*Guest{g})[0], &printer{w: opt.Progress, mu: new(sync.Mutex)})
}

// printer writes progress lines whole, from any goroutine.
type printer struct {
	w  io.Writer
	mu *sync.Mutex
}

func (p *printer) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, args...)
}

func (p *printer) result(r Result) {
	el := r.Elapsed.Round(time.Millisecond)
	if r.Passed {
		p.printf("PASS  %s (%v)\n", r.Guest.Name, el)
		return
	}
	p.printf("FAIL  %s (%v): %s\n%s", r.Guest.Name, el, r.Message, indent(r.Report, "    "))
}

// Why the runner stopped a machine (context causes).
var (
	errAllMatched   = errors.New("every step matched")
	errGuestTimeout = errors.New("the guest's timeout expired")
)

// stepTimeout is the cause when an expect waited too long.
type stepTimeout struct {
	step int // index in Guest.Steps
	wait time.Duration
}

func (e *stepTimeout) Error() string { return fmt.Sprintf("step %d timed out", e.step+1) }

// session is one guest's run: the machine, its captured output and the
// step machinery, which runs in the machine's Tick on its goroutine.
type session struct {
	g        *Guest
	m        *pc.Machine
	pr       *printer
	verbose  bool
	start    time.Time
	serial   stream
	debugcon stream
	cancel   context.CancelCauseFunc

	step      int        // the current step
	stepStart time.Time  // when it became current
	typing    [][]stroke // characters still to type, one per tick
	log       []string   // what each completed step did, for the report
	screen    string     // the text screen at the last look
	resets    int
}

func runGuest(ctx context.Context, g *Guest, opt Options, stem string, pr *printer) Result {
	s := &session{g: g, pr: pr, verbose: opt.Verbose, start: time.Now()}
	s.stepStart = s.start
	r := Result{Guest: g, Outcome: OutcomeCannotStart}
	fail := func(msg string) Result {
		r.Passed, r.Message = false, msg
		r.Report = fmt.Sprintf("%s (%s): %s\n", g.Name, g.Spec, msg)
		r.Elapsed = time.Since(s.start)
		return r
	}

	cfg, closers, err := s.config()
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	if err != nil {
		return fail("cannot start: " + err.Error())
	}
	m, err := pc.New(cfg)
	if err != nil {
		return fail("cannot start: " + err.Error())
	}
	s.m = m

	timeout := g.Timeout
	if timeout == 0 {
		timeout = opt.Timeout
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx, stop := context.WithTimeoutCause(ctx, timeout, errGuestTimeout)
	defer stop()
	s.cancel = cancel

	res, runErr := m.Run(ctx, pc.RunOptions{
		Tick:    s.tick,
		OnReset: func(triple bool) { s.resets++ },
	})
	m.COM[0].Flush()
	cause := context.Cause(ctx)
	var st *stepTimeout
	if !errors.As(cause, &st) {
		s.advance(time.Now(), true) // the output the last tick did not see
	}

	r.Outcome, r.Status = res.Outcome.String(), res.Status
	if res.Outcome == pc.DebugExit {
		r.Status &= 0xFF // as the process exit status carries it
	}
	waiting := ""
	if s.step < len(g.Steps) {
		waiting = fmt.Sprintf("step %d: %s", s.step+1, g.Steps[s.step])
	}
	// Run returns Stopped when ctx ends; any other outcome is the
	// guest's own doing, even if a timeout fired at the same moment.
	stopped := res.Outcome == pc.Stopped || (runErr != nil && ctx.Err() != nil)
	switch {
	case runErr != nil && !stopped:
		r.Outcome = OutcomeError
		r.Message = "the machine failed: " + runErr.Error()
	case !stopped: // the guest ended the run itself
		switch {
		case waiting != "":
			r.Message = fmt.Sprintf("the guest ended (%s, status %d) at %s", r.Outcome, r.Status, waiting)
		case g.ExitStatus != nil && r.Status != *g.ExitStatus:
			r.Message = fmt.Sprintf("exit status %d (%s), want %d", r.Status, r.Outcome, *g.ExitStatus)
		}
	case errors.Is(cause, errAllMatched):
		r.Outcome = OutcomeStopped
	case st != nil:
		r.Outcome = OutcomeStopped
		r.Message = fmt.Sprintf("%s: not seen within %v", waiting, st.wait)
	case errors.Is(cause, errGuestTimeout):
		r.Outcome, r.Status = OutcomeTimeout, 124
		switch {
		case waiting != "":
			r.Message = fmt.Sprintf("timed out after %v at %s", timeout, waiting)
		case g.ExitStatus != nil && *g.ExitStatus != 124:
			r.Message = fmt.Sprintf("timed out after %v, want exit status %d", timeout, *g.ExitStatus)
		}
	default:
		r.Outcome = OutcomeStopped
		r.Message = "interrupted"
		if waiting != "" {
			r.Message += " at " + waiting
		}
	}
	r.Passed = r.Message == ""
	if !r.Passed {
		r.Report, r.Files = s.report(r, opt.ReportDir, stem)
	}
	r.Elapsed = time.Since(s.start)
	return r
}

// config builds the pc.Config, the way `ringzero run` turns its flags
// into one. Disk images are opened as snapshots: guests may share an
// image and never change it. The closers close what was opened.
func (s *session) config() (pc.Config, []io.Closer, error) {
	mo := s.g.Machine
	var open []io.Closer
	cfg := pc.Config{
		Model:     mo.CPU,
		MemBytes:  mo.Memory,
		Engine:    mo.Engine,
		NoReboot:  mo.NoReboot,
		Boot:      mo.Boot,
		BIOS:      bios.Image,
		DebugExit: mo.DebugExit,
		DebugCon:  &s.debugcon,
	}
	cfg.Serial[0] = &s.serial
	if mo.BIOS != "" {
		img, err := bios.Load(mo.BIOS)
		if err != nil {
			return cfg, open, err
		}
		cfg.BIOS = img
	}
	for _, d := range []struct {
		path string
		slot **disk.Image
	}{{mo.FDA, &cfg.Floppy[0]}, {mo.HDA, &cfg.HardDisks[0]}} {
		if d.path == "" {
			continue
		}
		img, err := disk.Open(d.path, false, true)
		if err != nil {
			return cfg, open, err
		}
		open = append(open, img)
		*d.slot = img
	}
	if mo.CDROM != "" {
		img, err := disk.Open(mo.CDROM, true, false)
		if err != nil {
			return cfg, open, err
		}
		open = append(open, img)
		cfg.CDROM = img
	}
	if mo.Kernel != "" {
		if err := cfg.SetKernel(mo.Kernel, mo.Initrd, mo.Append, os.ReadFile); err != nil {
			return cfg, open, err
		}
	}
	now := time.Now()
	cfg.RTCStart = now.UTC()
	if mo.RTC.Local {
		cfg.RTCStart = now
	}
	if !mo.RTC.Start.IsZero() {
		cfg.RTCStart = mo.RTC.Start
	}
	return cfg, open, nil
}

// tick runs on the machine's goroutine about every 10 ms: it types the
// next character and moves the steps on.
func (s *session) tick() {
	if len(s.typing) > 0 {
		for _, k := range s.typing[0] {
			if k.up {
				s.m.KBC.KeyUp(k.key)
			} else {
				s.m.KBC.KeyDown(k.key)
			}
		}
		s.typing = s.typing[1:]
	}
	s.advance(time.Now(), false)
}

// advance completes every step it can. final is the look after the run
// ended: expects are checked once more, and nothing is sent.
func (s *session) advance(now time.Time, final bool) {
	steps := s.g.Steps
	for s.step < len(steps) {
		st := steps[s.step]
		at := now.Sub(s.start).Round(time.Millisecond)
		if st.Send != nil {
			if final {
				return
			}
			if st.Send.Serial != "" {
				s.m.COM[0].Receive([]byte(st.Send.Serial))
			} else {
				ks, _ := keyStrokes(st.Send.Keys) // checked by Parse
				s.typing = append(s.typing, ks...)
			}
			s.done(now, fmt.Sprintf("%8v  step %d sent     %s", at, s.step+1, st))
			continue
		}
		e := st.Expect
		text, ok := s.look(e)
		if ok {
			s.done(now, fmt.Sprintf("%8v  step %d matched  %s: %q", at, s.step+1, st, text))
			continue
		}
		if !final && e.Timeout > 0 && now.Sub(s.stepStart) > e.Timeout {
			s.cancel(&stepTimeout{step: s.step, wait: e.Timeout})
		}
		return
	}
	if !final && s.g.ExitStatus == nil && len(s.typing) == 0 {
		s.cancel(errAllMatched)
	}
}

// look checks an expect once.
func (s *session) look(e *Expect) (string, bool) {
	switch e.Stream {
	case Serial:
		return s.serial.match(e.Pattern)
	case DebugCon:
		return s.debugcon.match(e.Pattern)
	}
	s.screen = s.m.VGA.TextScreen()
	if loc := e.Pattern.FindStringIndex(s.screen); loc != nil {
		return s.screen[loc[0]:loc[1]], true
	}
	return "", false
}

// done records a completed step and makes the next one current.
func (s *session) done(now time.Time, line string) {
	s.log = append(s.log, line)
	if s.verbose {
		s.pr.printf("      %s: %s\n", s.g.Name, strings.TrimSpace(line))
	}
	s.step++
	s.stepStart = now
}

// indent prefixes every line of text.
func indent(text, prefix string) string {
	if text == "" {
		return ""
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		if l == "\n" {
			b.WriteString(l)
			continue
		}
		b.WriteString(prefix + l)
	}
	if !strings.HasSuffix(text, "\n") {
		b.WriteString("\n")
	}
	return b.String()
}
