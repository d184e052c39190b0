package pc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/cpu/kvm"
	"ringzero/devices/cmos"
)

// setupCMOS writes the configuration into CMOS RAM as a BIOS expects it
// (the layout QEMU's pc machine uses, so SeaBIOS reads it too).
func (m *Machine) setupCMOS() {
	r := m.RTC
	r.SetMemorySize(m.cfg.MemBytes, 0)
	// Floppy types: 1 = 360K, 2 = 1.2M, 3 = 720K, 4 = 1.44M, 5 = 2.88M.
	types := map[string]byte{"360K": 1, "1.2M": 2, "720K": 3, "1.44M": 4, "2.88M": 5}
	var ft byte
	nfd := 0
	for i, img := range m.cfg.Floppy {
		if img == nil {
			continue
		}
		nfd++
		t := byte(4)
		if g, ok := m.FDC.Geometry(i); ok {
			if v, ok := types[g.Name]; ok {
				t = v
			}
		}
		ft |= t << (4 * (1 - i))
	}
	r.SetByte(cmos.NVFloppyTypes, ft)
	var dt byte
	if m.cfg.HardDisks[0] != nil {
		dt |= 0xF0
		r.SetByte(cmos.NVDisk0Ext, 47)
	}
	if m.cfg.HardDisks[1] != nil {
		dt |= 0x0F
		r.SetByte(cmos.NVDisk1Ext, 47)
	}
	r.SetByte(cmos.NVDiskTypes, dt)
	eq := byte(0) // bits 4-5 00: EGA/VGA
	if nfd > 0 {
		eq |= 1 | byte(nfd-1)<<6
	}
	r.SetByte(cmos.NVEquipment, eq)
	// Boot order as QEMU encodes it: 1 floppy, 2 hard disk, 3 CD-ROM;
	// first device in 0x3D bits 0-3, second in bits 4-7, third in 0x38
	// bits 4-7.
	order := m.bootOrder()
	code := func(i int) byte {
		if i >= len(order) {
			return 0
		}
		switch order[i] {
		case 'a':
			return 1
		case 'c':
			return 2
		case 'd':
			return 3
		}
		return 0
	}
	r.SetByte(0x3D, code(0)|code(1)<<4)
	r.SetByte(0x38, code(2)<<4)
	r.UpdateChecksum()
}

// bootOrder returns the -boot order, defaulting to floppy then disk.
func (m *Machine) bootOrder() string {
	b := strings.ToLower(m.cfg.Boot)
	b = strings.TrimPrefix(b, "order=")
	if b == "" {
		if m.cfg.Floppy[0] != nil {
			return "acd"
		}
		return "cad"
	}
	return b
}

// BootOrderValid reports whether s is a -boot value the board accepts:
// letters a, c and d, optionally after "order=".
func BootOrderValid(s string) bool {
	s = strings.TrimPrefix(strings.ToLower(s), "order=")
	if s == "" {
		return false
	}
	for _, c := range s {
		if c != 'a' && c != 'c' && c != 'd' {
			return false
		}
	}
	return true
}

// Outcome says how a run ended.
type Outcome int

// Outcomes of Run.
const (
	PowerOff    Outcome = iota // ACPI S5 (status 0)
	Reset                      // reset with NoReboot (status 0)
	DebugExit                  // isa-debug-exit write (status (v<<1)|1)
	TripleFault                // triple fault with NoReboot (status 4)
	Stopped                    // the context ended (timeout, interrupt)
)

var outcomeNames = [...]string{"power-off", "reset", "debug-exit", "triple-fault", "stopped"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is how a run ended.
type Result struct {
	Outcome Outcome
	Status  int // process exit status per the command-line contract
}

// RunOptions tune Run.
type RunOptions struct {
	// Realtime paces virtual time to the wall clock (interactive use);
	// otherwise the machine runs as fast as it can and idles instantly.
	Realtime bool
	// OnReset, if set, is told of each guest reset (for logging).
	OnReset func(tripleFault bool)
	// Tick, if set, is called about every 10 ms of wall time from the run
	// loop's goroutine (a front end refreshes its display there).
	Tick func()
	// Debugger, if set, is consulted around every engine run (the gdb
	// stub): it may park the machine and shrink the budget to single
	// steps.
	Debugger Debugger
}

// Debugger is what the run loop asks a debugger (frontend/gdbstub).
type Debugger interface {
	Before(ctx context.Context, budget uint64) (uint64, error)
	After(exit cpu.Exit)
	Exited(status int)
}

// slice is the cycle budget of one engine run between checks.
const slice = 1 << 20

// Run executes the machine until it powers off, exits through the debug
// port, resets or triple-faults with NoReboot, or ctx ends.
func (m *Machine) Run(ctx context.Context, opt RunOptions) (Result, error) {
	start := time.Now()
	startNs := m.Clock.Now()
	lastTick := start
	for {
		if opt.Tick != nil && time.Since(lastTick) >= 10*time.Millisecond {
			lastTick = time.Now()
			opt.Tick()
		}
		m.pollHostInput()
		budget := uint64(slice)
		if d := opt.Debugger; d != nil {
			t0 := time.Now()
			var err error
			if budget, err = d.Before(ctx, budget); err != nil {
				return Result{Outcome: Stopped}, err
			}
			if time.Since(t0) > 10*time.Millisecond {
				// It was parked: pace from now on.
				start, startNs = time.Now(), m.Clock.Now()
			}
		}
		exit, err := m.CPU.Run(ctx, budget)
		if opt.Debugger != nil && err == nil {
			opt.Debugger.After(exit)
		}
		if err != nil {
			if errors.Is(err, kvm.ErrPaging) {
				// The host's KVM refuses a mode the guest just entered:
				// hand the guest over to the interpreter and go on.
				if herr := m.handOver(err); herr != nil {
					return Result{}, herr
				}
				continue
			}
			return Result{}, err
		}
		switch exit.Reason {
		case cpu.ExitBudget, cpu.ExitNone, cpu.ExitBreakpoint:
		case cpu.ExitHalt:
			if !m.idle(ctx, opt, start, startNs) {
				return Result{Outcome: Stopped}, ctx.Err()
			}
		case cpu.ExitCanceled:
			return Result{Outcome: Stopped}, ctx.Err()
		case cpu.ExitPowerOff:
			return m.ended(opt, Result{Outcome: PowerOff, Status: 0}), nil
		case cpu.ExitDebugExit:
			return m.ended(opt, Result{Outcome: DebugExit, Status: m.status}), nil
		case cpu.ExitReset, cpu.ExitTripleFault:
			triple := exit.Reason == cpu.ExitTripleFault
			if opt.OnReset != nil {
				opt.OnReset(triple)
			}
			if m.cfg.NoReboot {
				if triple {
					return m.ended(opt, Result{Outcome: TripleFault, Status: 4}), nil
				}
				return m.ended(opt, Result{Outcome: Reset, Status: 0}), nil
			}
			m.Reset()
		}
		if opt.Realtime {
			m.pace(ctx, start, startNs)
		}
	}
}

// idle handles a halted CPU: it moves virtual time to the next timer event,
// so an interrupt can wake the CPU. In real time it sleeps until that
// event is due on the wall clock, but host input (a key, a serial byte)
// wakes it early, and virtual time then moves only as far as the wall
// clock did, so the input arrives at once instead of at the next timer.
// It reports false if ctx ended first.
func (m *Machine) idle(ctx context.Context, opt RunOptions, start time.Time, startNs uint64) bool {
	d := m.Clock.NextDeadline()
	if d == ^uint64(0) || d == 0 {
		// Nothing will ever wake the CPU except host input: wait for it
		// (or for ctx) in small steps.
		d = m.Clock.CyclesFor(uint64(time.Millisecond))
	}
	if !opt.Realtime {
		m.Clock.Advance(d)
		return ctx.Err() == nil
	}
	hz := m.Clock.Hz()
	due := m.Clock.Now() + d/hz*1_000_000_000 + d%hz*1_000_000_000/hz
	if wait := time.Until(start.Add(time.Duration(due - startNs))); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-m.wake:
		}
		t.Stop()
	}
	wall := startNs + uint64(time.Since(start))
	switch {
	case wall >= due:
		m.Clock.Advance(d)
	case wall > m.Clock.Now():
		m.Clock.Advance(m.Clock.CyclesFor(wall - m.Clock.Now()))
	}
	return ctx.Err() == nil
}

// wakeUp is called, from any goroutine, when host input is queued: it
// ends an idle wait early. It never blocks.
func (m *Machine) wakeUp() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// pollHostInput lets queued host input (keys, serial bytes) start
// reaching the devices; a halted guest waiting for an interrupt does not
// touch their registers, which would do the same.
func (m *Machine) pollHostInput() {
	m.KBC.Poll()
	for _, c := range m.COM {
		c.Poll()
	}
}

// pace sleeps while virtual time is ahead of the wall clock.
func (m *Machine) pace(ctx context.Context, start time.Time, startNs uint64) {
	ahead := time.Duration(m.Clock.Now()-startNs) - time.Since(start)
	if ahead > 2*time.Millisecond {
		t := time.NewTimer(ahead)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// Reset is the machine's reset line: CPU and devices go back to their
// power-on state; RAM and the CMOS keep their contents.
func (m *Machine) Reset() {
	if r, ok := m.CPU.(interface{ Reset() }); ok {
		r.Reset()
	} else {
		var s cpu.State
		s.Reset(m.cfg.Model)
		m.CPU.SetState(&s)
	}
	m.PIC.Reset()
	if m.LAPIC != nil {
		m.LAPIC.Reset()
		m.IOAPIC.Reset()
	}
	m.nmi.Store(false)
	m.PIT.Reset()
	m.KBC.Reset()
	m.PortA.Reset()
	m.VGA.Reset()
	for _, c := range m.COM {
		c.Reset()
	}
	m.DMA.Reset()
	m.FDC.Reset()
	for _, c := range m.IDE {
		c.Reset()
	}
	m.Debug.Reset()
	m.POST.Reset()
	m.PM.Reset()
	if m.Exit != nil {
		m.Exit.Reset()
	}
	if m.PCI != nil {
		m.PCI.Reset()
		m.APM.Reset()
	}
	m.Bus.SetA20(true)
	m.resets++
	m.loadKernel() // it loaded once already: it cannot fail now
}

// Resets counts guest resets so far.
func (m *Machine) Resets() int { return m.resets }

// handOver moves the running guest from its engine to the interpreter,
// with its whole state (kvm refused a mode mid-run).
func (m *Machine) handOver(why error) error {
	st := *m.CPU.State()
	next := interp.New(m.cfg.Model, m.env)
	if err := next.SetState(&st); err != nil {
		return err
	}
	if c, ok := m.CPU.(interface{ Close() error }); ok {
		c.Close()
	}
	if m.cfg.OnNote != nil {
		m.cfg.OnNote(fmt.Sprintf("%s: %v; the guest goes on on the interp engine", m.CPU.Name(), why))
	}
	m.CPU = next
	m.handovers++
	return nil
}

// Handovers counts engine changes during the run.
func (m *Machine) Handovers() int { return m.handovers }

// ended sends what the UARTs still hold to the host, tells the debugger
// how the run ended and returns r.
func (m *Machine) ended(opt RunOptions, r Result) Result {
	for _, p := range m.COM {
		p.Drain()
	}
	if opt.Debugger != nil {
		opt.Debugger.Exited(r.Status)
	}
	return r
}
