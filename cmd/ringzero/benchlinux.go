package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/devices/pc"
	"ringzero/testroms/debian"
)

// benchLinuxCmd is `ringzero bench linux`: the wall time from power-on to
// a Linux shell on COM1, on ringzero and on qemu-system-i386 -accel tcg
// with the same files, and their ratio.
func benchLinuxCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench linux", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("cpu", "pentium2", "CPU `model`")
	engine := fs.String("engine", "interp", "ringzero `engine`")
	mem := fs.Int("m", 256, "RAM in `MiB`")
	kernel := fs.String("kernel", "", "bzImage `file` (default: Debian 12's linux-image-686, fetched, with a busybox-static initramfs)")
	initrd := fs.String("initrd", "", "initramfs `file` for -kernel")
	appendArg := fs.String("append", "console=ttyS0,115200", "kernel command `line`")
	until := fs.String("until", "ringzero: busybox shell", "`regexp` on COM1 that ends the run")
	qemu := fs.String("qemu", "qemu-system-i386", "QEMU `binary` to compare with; \"\" skips it")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up on either after `duration`")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of ringzero's run to `file` (go tool pprof)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ringzero bench linux [flags]\n\nTime a Linux boot to its shell on ringzero and on QEMU TCG.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "bench linux", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	m, err := cpu.ParseModel(*model)
	if err != nil {
		return usageError(stderr, "bench linux", err)
	}
	re, err := regexp.Compile(*until)
	if err != nil {
		return usageError(stderr, "bench linux", fmt.Errorf("-until: %v", err))
	}
	if *kernel == "" {
		if *kernel, err = debian.KernelImage(); err != nil {
			return usageError(stderr, "bench linux", err)
		}
		if *initrd != "" {
			return usageError(stderr, "bench linux", fmt.Errorf("-initrd needs -kernel"))
		}
		img, err := debian.BusyboxInitramfs(debian.ShellInit)
		if err != nil {
			return usageError(stderr, "bench linux", err)
		}
		dir, err := os.MkdirTemp("", "ringzero-bench-")
		if err != nil {
			return usageError(stderr, "bench linux", err)
		}
		defer os.RemoveAll(dir)
		*initrd = filepath.Join(dir, "initrd.gz")
		if err := os.WriteFile(*initrd, img, 0o644); err != nil {
			return usageError(stderr, "bench linux", err)
		}
	}
	initrdName := "no initrd"
	if *initrd != "" {
		initrdName = filepath.Base(*initrd)
	}
	fmt.Fprintf(stdout, "linux boot to /%s/: %s, %s, -m %d, -append %q\n", *until, filepath.Base(*kernel), initrdName, *mem, *appendArg)

	// ringzero.
	cfg := pc.Config{Model: m, MemBytes: uint64(*mem) << 20, BIOS: bios.Image, Engine: *engine}
	if err := cfg.SetKernel(*kernel, *initrd, *appendArg, os.ReadFile); err != nil {
		return usageError(stderr, "bench linux", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	w := &markWatcher{re: re, found: cancel}
	cfg.Serial[0] = w
	mach, err := pc.New(cfg)
	if err != nil {
		return usageError(stderr, "bench linux", err)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return usageError(stderr, "bench linux", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usageError(stderr, "bench linux", err)
		}
	}
	start := time.Now()
	res, err := mach.Run(ctx, pc.RunOptions{})
	rz := time.Since(start)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if !w.seen() {
		return usageError(stderr, "bench linux", fmt.Errorf("ringzero: /%s/ not seen on COM1 (%v, %v); last output: %q", *until, res.Outcome, err, w.tail()))
	}
	st := mach.CPU.Stats()
	fmt.Fprintf(stdout, "ringzero  %-8s %-9s %8.2f s wall  (%d instructions, %v virtual)\n",
		*engine, m, rz.Seconds(), st.Instructions, time.Duration(mach.Clock.Now()).Round(time.Millisecond))

	// QEMU.
	if *qemu == "" {
		return exitOK
	}
	bin, err := exec.LookPath(*qemu)
	if err != nil {
		fmt.Fprintf(stdout, "qemu      not run: %v\n", err)
		return exitOK
	}
	qargs := []string{"-accel", "tcg", "-cpu", qemuCPU(m), "-m", fmt.Sprint(*mem), "-kernel", *kernel}
	if *initrd != "" {
		qargs = append(qargs, "-initrd", *initrd)
	}
	qargs = append(qargs, "-append", *appendArg, "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot")
	q, err := timeQEMU(*timeout, bin, re, qargs...)
	if err != nil {
		return usageError(stderr, "bench linux", err)
	}
	fmt.Fprintf(stdout, "qemu tcg  %-8s %-9s %8.2f s wall\n", "", qemuCPU(m), q.Seconds())
	fmt.Fprintf(stdout, "ratio     ringzero/qemu = %.1f\n", rz.Seconds()/q.Seconds())
	return exitOK
}

// qemuCPU is QEMU's -cpu name for a model.
func qemuCPU(m cpu.Model) string {
	switch m {
	case cpu.Model386, cpu.Model486:
		return "486"
	case cpu.ModelPentium:
		return "pentium"
	}
	return "pentium2"
}

// timeQEMU runs QEMU until re matches its serial output (its stdout).
func timeQEMU(timeout time.Duration, bin string, re *regexp.Regexp, args ...string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	w := &markWatcher{re: re, found: cancel}
	cmd.Stdout = w
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	cmd.Wait()
	if !w.seen() {
		return 0, fmt.Errorf("qemu: /%s/ not seen on its serial port: %s %q", re, firstLine(errb.String()), w.tail())
	}
	return w.at.Sub(start), nil
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// markWatcher collects serial output and calls found the first time re
// matches it.
type markWatcher struct {
	re    *regexp.Regexp
	found func()
	mu    sync.Mutex
	buf   []byte
	at    time.Time
}

func (w *markWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if w.at.IsZero() && w.re.Match(w.buf) {
		w.at = time.Now()
		w.found()
	}
	if len(w.buf) > 1<<20 {
		w.buf = append([]byte(nil), w.buf[len(w.buf)-4096:]...)
	}
	return len(p), nil
}

func (w *markWatcher) seen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.at.IsZero()
}

func (w *markWatcher) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.buf
	if len(b) > 300 {
		b = b[len(b)-300:]
	}
	return string(b)
}
