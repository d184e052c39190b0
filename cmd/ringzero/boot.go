package main

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"golang.org/x/term"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
	"ringzero/frontend/gdbstub"
	"ringzero/frontend/terminal"
	"ringzero/frontend/window"
	"ringzero/testroms"
)

// boot builds the machine opts describes, runs it and returns the exit
// status (see the README).
func boot(opts *RunOptions) int {
	status, err := bootErr(opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringzero: %v\n", err)
		return exitUsage
	}
	return status
}

// closers collects what boot opens.
type closers []io.Closer

func (c closers) close() {
	for i := len(c) - 1; i >= 0; i-- {
		c[i].Close()
	}
}

func bootErr(opts *RunOptions) (int, error) {
	var open closers
	defer open.close()

	cfg := pc.Config{
		Model:    opts.CPU,
		MemBytes: opts.Memory,
		Engine:   opts.Engine,
		NoReboot: opts.NoReboot,
		Boot:     opts.Boot.Order,
	}
	if opts.Boot.Once != "" {
		cfg.Boot = opts.Boot.Once
	}
	// BIOS.
	cfg.BIOS = bios.Image
	if opts.BIOS != "" {
		img, err := bios.Load(opts.BIOS)
		if err != nil {
			return 0, err
		}
		cfg.BIOS = img
		// SeaBIOS runs the VGA's option ROM: take QEMU's, from beside the
		// BIOS or from Debian's seabios package.
		for _, dir := range []string{filepath.Dir(opts.BIOS), "/usr/share/seabios"} {
			if rom, err := os.ReadFile(filepath.Join(dir, "vgabios-stdvga.bin")); err == nil {
				cfg.VGABIOS = rom
				break
			}
		}
	}
	if opts.CDROM != "" {
		img, err := disk.Open(opts.CDROM, true, false)
		if err != nil {
			return 0, err
		}
		open = append(open, img)
		cfg.CDROM = img
	}
	// A kernel loaded directly (Linux bzImage).
	if opts.Kernel != "" {
		if err := cfg.SetKernel(opts.Kernel, opts.Initrd, opts.Append, os.ReadFile); err != nil {
			return 0, err
		}
	}
	// Drives. No drive and no kernel boots the built-in demo floppy.
	if opts.FDA == "" && opts.HDA == "" && opts.Kernel == "" && opts.CDROM == "" {
		demo, err := testroms.Image("demo")
		if err != nil {
			return 0, err
		}
		cfg.Floppy[0] = disk.FromBytesWith(demo, disk.Options{Snapshot: true})
	}
	if opts.FDA != "" {
		img, err := disk.Open(opts.FDA, false, opts.Snapshot)
		if err != nil {
			return 0, err
		}
		open = append(open, img)
		cfg.Floppy[0] = img
	}
	if opts.HDA != "" {
		img, err := disk.Open(opts.HDA, false, opts.Snapshot)
		if err != nil {
			return 0, err
		}
		open = append(open, img)
		cfg.HardDisks[0] = img
	}
	// Clock.
	now := time.Now()
	cfg.RTCStart = now.UTC()
	if opts.RTC.Local {
		cfg.RTCStart = now
	}
	if !opts.RTC.Start.IsZero() {
		cfg.RTCStart = opts.RTC.Start
	}
	// Character devices.
	display := opts.Display
	interactive := term.IsTerminal(int(os.Stdout.Fd())) && term.IsTerminal(int(os.Stdin.Fd()))
	if display == "auto" || display == "window" {
		hasDisplay := os.Getenv("DISPLAY") != ""
		switch {
		case hasDisplay && window.Built:
			display = "window"
		case hasDisplay && os.Getenv(windowChildEnv) == "":
			if path := windowBinary(); path != "" {
				// Never returns on success: the window binary takes over
				// with the same command line.
				err := syscall.Exec(path, append([]string{path}, os.Args[1:]...), append(os.Environ(), windowChildEnv+"=1"))
				return 0, fmt.Errorf("starting %s: %v", path, err)
			}
			fallthrough
		default:
			if display == "window" {
				if !hasDisplay {
					return 0, errors.New("-display window: no X display (DISPLAY is not set)")
				}
				return 0, errors.New("-display window: this ringzero has no window: build it with ./scripts/run (which builds ringzero-window), or go build -tags window ./cmd/ringzero")
			}
			display = "none"
			if interactive && opts.Serial0() != "stdio" && opts.Debugcon.Kind != "stdio" {
				display = "curses"
			}
		}
	}
	var serialIn io.Reader
	for i, c := range opts.Serial {
		w, err := chardevWriter(c, &open)
		if err != nil {
			return 0, err
		}
		cfg.Serial[i] = w
		if c.Kind == "stdio" {
			serialIn = os.Stdin
		}
	}
	for _, pl := range opts.PortLogs {
		f, err := os.Create(pl.Path)
		if err != nil {
			return 0, fmt.Errorf("-portlog: %w", err)
		}
		open = append(open, f)
		if cfg.PortLogs == nil {
			cfg.PortLogs = map[uint16]io.Writer{}
		}
		cfg.PortLogs[pl.Port] = f
	}
	w, err := chardevWriter(opts.Debugcon, &open)
	if err != nil {
		return 0, err
	}
	cfg.DebugCon = w
	for _, d := range opts.Devices {
		if d.Driver == debugport.ExitDriver {
			cfg.DebugExit = &debugport.Config{IOBase: d.IOBase, IOSize: uint32(d.IOSize)}
		}
	}

	cfg.OnNote = func(note string) { fmt.Fprintf(os.Stderr, "ringzero: %s\n", note) }
	// SeaBIOS mirrors its screen on COM1 when nobody sees the screen.
	cfg.SerialConsole = len(opts.Serial) > 0 && opts.Serial[0].Kind != "none" && display != "window" && display != "curses"
	for _, item := range opts.Log {
		if item == "int" {
			cfg.OnInterrupt = func(ev cpu.InterruptEvent) { fmt.Fprintln(os.Stderr, ev) }
		}
	}
	var stub *gdbstub.Stub
	if opts.GDB != "" {
		prev := cfg.OnInterrupt
		cfg.OnInterrupt = func(ev cpu.InterruptEvent) {
			if stub != nil {
				stub.NoteInterrupt(ev)
			}
			if prev != nil {
				prev(ev)
			}
		}
	}
	m, err := pc.New(cfg)
	if err != nil {
		return 0, err
	}
	if opts.GDB != "" {
		stub, err = gdbstub.Listen(opts.GDB, gdbstub.NewTarget(m.CPU, m.Bus),
			gdbstub.Config{StartStopped: opts.Freeze, Kick: m.RequestBreak})
		if err != nil {
			return 0, fmt.Errorf("-gdb %s: %w", opts.GDB, err)
		}
		defer stub.Close()
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if opts.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	interrupted := false
	go func() {
		select {
		case <-sigs:
			interrupted = true
			cancel()
		case <-ctx.Done():
		}
	}()

	runOpts := pc.RunOptions{Realtime: display == "curses"}
	if stub != nil {
		runOpts.Debugger = stub
	}
	if serialIn != nil {
		restore := rawStdin()
		defer restore()
		go feedSerial(serialIn, m, cancel, &interrupted)
		// Someone typing at the serial console wants guest time to
		// follow the wall clock; a pipe (CI) gets full speed.
		runOpts.Realtime = runOpts.Realtime || term.IsTerminal(int(os.Stdin.Fd()))
	}
	var screen *terminal.Screen
	if display == "curses" {
		screen, err = terminal.New(m)
		if err != nil {
			return 0, err
		}
		defer screen.Close()
		runOpts.Tick = screen.Refresh
		go func() {
			screen.Input(ctx)
			interrupted = true
			cancel()
		}()
	}

	var res pc.Result
	var runErr error
	if display == "window" {
		res, runErr = window.Run(ctx, m, window.Options{ScreenshotDir: "."})
	} else {
		res, runErr = m.Run(ctx, runOpts)
	}
	if screen != nil {
		screen.Close()
	}
	for _, c := range m.COM {
		c.Flush()
	}
	if opts.Screenshot != "" {
		if err := writeScreenshot(m, opts.Screenshot); err != nil {
			fmt.Fprintf(os.Stderr, "ringzero: %v\n", err)
		}
	}
	if opts.Stats {
		printStats(os.Stderr, m)
	}
	switch {
	case res.Outcome == pc.Stopped && interrupted:
		return exitInterrupted, nil
	case res.Outcome == pc.Stopped && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return exitTimeout, nil
	case errors.Is(runErr, gdbstub.ErrKilled):
		return exitOK, nil // gdb's kill ends the run, as QEMU
	case runErr != nil:
		return 0, runErr
	case res.Outcome == pc.TripleFault:
		fmt.Fprintln(os.Stderr, "ringzero: triple fault; the last exceptions:")
		printHistory(os.Stderr, m)
	case res.Outcome == pc.DebugExit:
		return res.Status & 0xFF, nil
	}
	return res.Status, nil
}

// Serial0 is the first -serial device's kind ("" if none).
func (o *RunOptions) Serial0() string {
	if len(o.Serial) == 0 {
		return ""
	}
	return o.Serial[0].Kind
}

// chardevWriter opens a character device's output.
func chardevWriter(c Chardev, open *closers) (io.Writer, error) {
	switch c.Kind {
	case "stdio":
		return os.Stdout, nil
	case "file":
		f, err := os.Create(c.Path)
		if err != nil {
			return nil, err
		}
		*open = append(*open, f)
		return f, nil
	}
	return nil, nil
}

// rawStdin puts a terminal stdin into raw mode for -serial stdio (QEMU's
// behaviour: keys go to the guest; Ctrl-A x quits). It returns the undo.
func rawStdin() func() {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return func() {}
	}
	st, err := term.MakeRaw(fd)
	if err != nil {
		return func() {}
	}
	return func() { term.Restore(fd, st) }
}

// feedSerial copies stdin to COM1. In a terminal, Ctrl-A x ends the run
// as in QEMU.
func feedSerial(r io.Reader, m *pc.Machine, cancel func(), interrupted *bool) {
	buf := make([]byte, 256)
	ctrlA := false
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if ctrlA && b == 'x' {
				*interrupted = true
				cancel()
				return
			}
			ctrlA = b == 1
			if !ctrlA {
				m.COM[0].Receive([]byte{b})
			}
		}
		if err != nil {
			return
		}
	}
}

func writeScreenshot(m *pc.Machine, path string) error {
	img := m.VGA.Render(nil)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printStats(w io.Writer, m *pc.Machine) {
	st := m.CPU.Stats()
	fmt.Fprintf(w, "engine %s: %d instructions, %d interrupts, %d resets, virtual time %v\n",
		m.CPU.Name(), st.Instructions, st.Interrupts, m.Resets(), time.Duration(m.Clock.Now()))
	for v, n := range st.Exceptions {
		if n > 0 {
			fmt.Fprintf(w, "  exception %-4s %d\n", cpu.VectorName(uint8(v)), n)
		}
	}
	keys := make([]string, 0, len(st.Counters))
	for k := range st.Counters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %s %d\n", k, st.Counters[k])
	}
	fmt.Fprintf(w, "bus: %d unmapped reads, %d unmapped writes\n", m.Bus.UnmappedReads, m.Bus.UnmappedWrites)
}

func printHistory(w io.Writer, m *pc.Machine) {
	h, ok := m.CPU.(interface{ History() []interp.Event })
	if !ok {
		return
	}
	for _, e := range h.History() {
		fmt.Fprintf(w, "  cycle %d: %v at %04x:%08x\n", e.Cycle, e.Exception, e.CS, e.EIP)
	}
}

// windowChildEnv marks a ringzero-window started by ringzero, so it never
// starts another.
const windowChildEnv = "RINGZERO_WINDOW_CHILD"

// windowBinary is the ringzero-window binary beside this one, if any.
func windowBinary() string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	path := filepath.Join(filepath.Dir(self), "ringzero-window")
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 && path != self {
		return path
	}
	return ""
}
