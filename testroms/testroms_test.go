package testroms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ringzero/devices/floppy"
)

const (
	envNoSkip   = "RINGZERO_NO_SKIP" // 1: a missing tool fails instead of skipping
	qemuBinary  = "qemu-system-i386"
	qemuTimeout = 90 * time.Second // a boot takes seconds; this is only a backstop
)

// missing skips the test for lack of a tool, or fails it when
// RINGZERO_NO_SKIP=1 (CI).
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv(envNoSkip) == "1" {
		t.Fatalf("%s (and %s=1)", what, envNoSkip)
	}
	t.Skipf("skipping: %s", what)
}

// expectedNames lists the images build.sh makes from src/: one per
// source, and one per ";; variant: NAME OPTIONS" line in it.
func expectedNames(t *testing.T) []string {
	t.Helper()
	srcs, err := filepath.Glob("src/*.asm")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) == 0 {
		t.Fatal("no src/*.asm")
	}
	variant := regexp.MustCompile(`(?m)^;;\s*variant:\s*(\S+)`)
	var names []string
	for _, src := range srcs {
		names = append(names, strings.TrimSuffix(filepath.Base(src), ".asm"))
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range variant.FindAllSubmatch(text, -1) {
			names = append(names, string(m[1]))
		}
	}
	sort.Strings(names)
	return names
}

// mustImage returns the embedded image name or fails the test.
func mustImage(t *testing.T, name string) []byte {
	t.Helper()
	img, err := Image(name)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestEverySourceHasAnEmbeddedImage(t *testing.T) {
	want := expectedNames(t)
	got := Names()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("embedded images %q, sources make %q: run testroms/build.sh", got, want)
	}
}

func TestImagesAreBootableFloppies(t *testing.T) {
	for _, name := range Names() {
		img := mustImage(t, name)
		g, err := floppy.GeometryFor(int64(len(img)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if img[510] != 0x55 || img[511] != 0xAA {
			t.Errorf("%s: no boot signature 55 AA at offset 510: % x", name, img[510:512])
		}
		t.Logf("%s: %s floppy", name, g.Name)
	}
	if n := len(mustImage(t, Demo)); n != 1474560 {
		t.Errorf("the demo is %d bytes, want a 1.44 MB floppy (1474560)", n)
	}
}

func TestImageReturnsFreshCopies(t *testing.T) {
	a := mustImage(t, Demo)
	a[0] ^= 0xFF
	if b := mustImage(t, Demo); b[0] == a[0] {
		t.Fatal("Image returned a shared slice: a write to one boot's floppy leaked into the next")
	}
}

func TestImageRejectsUnknownNames(t *testing.T) {
	for _, name := range []string{"", "nope", "../demo", "bin/demo", "demo.img"} {
		img, err := Image(name)
		if err == nil || img != nil {
			t.Errorf("Image(%q) = %d bytes, %v; want an error", name, len(img), err)
		} else if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Image(%q): %v does not wrap fs.ErrNotExist", name, err)
		}
	}
}

func TestROMsHaveImages(t *testing.T) {
	for _, r := range ROMs() {
		if _, err := Image(r.Name); err != nil {
			t.Errorf("ROM %s: %v", r.Name, err)
		}
		if !strings.HasSuffix(r.Output, r.Name+": pass\n") {
			t.Errorf("ROM %s: its expected output does not end with %q", r.Name, r.Name+": pass")
		}
	}
}

// The committed images must be what build.sh makes of the sources (CI
// checks the same with git diff after running build.sh).
func TestImagesMatchSources(t *testing.T) {
	if _, err := exec.LookPath("nasm"); err != nil {
		missing(t, "nasm is not installed (apt-get install -y nasm), so the images cannot be rebuilt")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		missing(t, "bash is not installed")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "build.sh", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, b)
	}
	for _, name := range expectedNames(t) {
		built, err := os.ReadFile(filepath.Join(out, name+".img"))
		if err != nil {
			t.Errorf("build.sh made no %s.img: %v", name, err)
			continue
		}
		if !bytes.Equal(built, mustImage(t, name)) {
			t.Errorf("bin/%s.img differs from what its source assembles to: run testroms/build.sh", name)
		}
	}
}

// guest is a QEMU run of one image with the debug console and COM1
// going to files, and the monitor, if asked for, on stdin.
type guest struct {
	t       *testing.T
	dir     string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	cancel  context.CancelFunc
	done    chan struct{}
	output  bytes.Buffer // QEMU's own stdout and stderr
	outMu   sync.Mutex
	status  int
	waitErr error
}

// lockedWriter serialises QEMU's stdout and stderr into one buffer.
type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// startQEMU boots image name as floppy A of a QEMU PC. extra are more
// QEMU options. It skips the test without QEMU, or with -short.
func startQEMU(t *testing.T, name string, extra ...string) *guest {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping a guest boot with -short")
	}
	qemu, err := exec.LookPath(qemuBinary)
	if err != nil {
		missing(t, qemuBinary+" is not installed (apt-get install -y qemu-system-x86)")
	}
	img := mustImage(t, name)
	g := &guest{t: t, dir: t.TempDir(), done: make(chan struct{})}
	imgPath := filepath.Join(g.dir, name+".img")
	if err := os.WriteFile(imgPath, img, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{
		"-M", "pc", "-display", "none", "-net", "none",
		"-drive", "if=floppy,index=0,format=raw,file=" + imgPath,
		"-debugcon", "file:" + filepath.Join(g.dir, "debugcon.txt"),
		"-serial", "file:" + filepath.Join(g.dir, "com1.txt"),
	}
	args = append(args, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), qemuTimeout)
	g.cancel = cancel
	g.cmd = exec.CommandContext(ctx, qemu, args...)
	g.cmd.Stdout = lockedWriter{&g.outMu, &g.output}
	g.cmd.Stderr = lockedWriter{&g.outMu, &g.output}
	if g.stdin, err = g.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := g.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("%s: %v", qemu, err)
	}
	go func() {
		g.waitErr = g.cmd.Wait()
		g.status = g.cmd.ProcessState.ExitCode()
		close(g.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-g.done
	})
	t.Logf("%s %s", qemuBinary, strings.Join(args, " "))
	return g
}

// wait waits for QEMU to exit and returns its status.
func (g *guest) wait() int {
	g.t.Helper()
	<-g.done
	g.cancel()
	var exitErr *exec.ExitError
	if (g.waitErr != nil && !errors.As(g.waitErr, &exitErr)) || g.status < 0 {
		g.t.Fatalf("QEMU did not exit by itself within %v: %v\n%s", qemuTimeout, g.waitErr, g.report())
	}
	return g.status
}

// file returns what the guest wrote to one of its output files, with
// CRs dropped.
func (g *guest) file(name string) string {
	b, err := os.ReadFile(filepath.Join(g.dir, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		g.t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r", "")
}

func (g *guest) debugcon() string { return g.file("debugcon.txt") }
func (g *guest) serial() string   { return g.file("com1.txt") }

// report is what a failure message shows of the run.
func (g *guest) report() string {
	g.outMu.Lock()
	out := g.output.String()
	g.outMu.Unlock()
	return fmt.Sprintf("--- port 0xE9:\n%s--- COM1:\n%s--- QEMU:\n%s", g.debugcon(), g.serial(), out)
}

// waitSerial waits until COM1 has shown line n times.
func (g *guest) waitSerial(line string, n int) {
	g.t.Helper()
	deadline := time.Now().Add(qemuTimeout)
	for time.Now().Before(deadline) {
		if countLines(g.serial(), line) >= n {
			return
		}
		select {
		case <-g.done:
			g.t.Fatalf("QEMU exited (status %d) before COM1 showed %q %d times\n%s", g.status, line, n, g.report())
		case <-time.After(20 * time.Millisecond):
		}
	}
	g.t.Fatalf("COM1 did not show %q %d times within %v\n%s", line, n, qemuTimeout, g.report())
}

// sendKey presses a key through the QEMU monitor (-monitor stdio).
func (g *guest) sendKey(key string) {
	g.t.Helper()
	if _, err := fmt.Fprintf(g.stdin, "sendkey %s\n", key); err != nil {
		g.t.Fatalf("monitor: %v\n%s", err, g.report())
	}
}

// countLines counts the lines of text equal to line.
func countLines(text, line string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if sc.Text() == line {
			n++
		}
	}
	return n
}

// matchLines checks that patterns match lines of text in order (other
// lines may come between).
func matchLines(t *testing.T, text string, patterns []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	i := 0
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			t.Errorf("no line matching %q (in order) in:\n%s", p, text)
			return
		}
		i++
	}
}

func TestROMsUnderQEMU(t *testing.T) {
	for _, r := range ROMs() {
		t.Run(r.Name, func(t *testing.T) {
			if r.NotOnQEMU != "" {
				t.Skipf("QEMU's TCG does not model %s", r.NotOnQEMU)
			}
			t.Parallel()
			g := startQEMU(t, r.Name, "-device", ExitDevice, "-no-reboot")
			status := g.wait()
			if status != PassStatus {
				t.Errorf("exit status %d, want %d (pass); a failing test n exits with 2n+1", status, PassStatus)
			}
			if got := g.debugcon(); got != r.Output {
				t.Errorf("port 0xE9 output:\n%s\nwant:\n%s", got, r.Output)
			}
			if t.Failed() {
				t.Logf("\n%s", g.report())
			}
		})
	}
}

// The lines the demo logs at boot, with -DSELFTEST or without.
func demoBootLines(ready string) []string {
	return []string{
		`^ringzero demo$`,
		`^cpu: \S{12} family \d+ model \d+ stepping \d+`, // QEMU's CPUs have CPUID
		`^memory: \d+ KB base \(INT 12h\), \d+ KB usable \(E820, \d+ entries\)$`,
		`^rtc: \d\d:\d\d:\d\d$`,
		"^" + regexp.QuoteMeta(ready) + "$",
	}
}

func TestDemoSelfTestUnderQEMU(t *testing.T) {
	t.Parallel()
	g := startQEMU(t, DemoSelfTest, "-device", ExitDevice, "-no-reboot")
	status := g.wait()
	if status != DemoSelfTestStatus {
		t.Errorf("exit status %#x, want %#x", status, DemoSelfTestStatus)
	}
	log := g.serial()
	want := append(demoBootLines("ready: self-test for 36 timer ticks"),
		`^key: h$`,
		`^key: i$`,
		`^self-test: 36 ticks \(BIOS 3[5-7]\), 36 frames, \d+ bounces, keys "hi"$`,
		`^self-test: pass$`,
	)
	matchLines(t, log, want)
	if n := strings.Count(log, "\n"); n != len(want) {
		t.Errorf("COM1 has %d lines, want %d", n, len(want))
	}
	if e9 := g.debugcon(); e9 != log {
		t.Errorf("port 0xE9 does not mirror COM1:\n%s", e9)
	}
	if t.Failed() {
		t.Logf("\n%s", g.report())
	}
}

func TestDemoKeysUnderQEMU(t *testing.T) {
	const ready = "ready: q powers off, r reboots; no key within 30 s powers off"
	t.Run("q powers off through ACPI", func(t *testing.T) {
		t.Parallel()
		// No isa-debug-exit: only the PM1a_CNT write can end the run.
		g := startQEMU(t, Demo, "-monitor", "stdio", "-no-reboot")
		g.waitSerial(ready, 1)
		for _, k := range []string{"h", "i", "spc", "backspace", "ret"} {
			g.sendKey(k)
		}
		g.waitSerial("key: enter", 1)
		g.sendKey("q")
		if status := g.wait(); status != 0 {
			t.Errorf("exit status %d, want 0 (powered off)", status)
		}
		log := g.serial()
		matchLines(t, log, append(demoBootLines(ready),
			`^key: h$`, `^key: i$`, `^key: space$`, `^key: backspace$`, `^key: enter$`,
			`^key: q$`, `^power off: ACPI S5, then isa-debug-exit$`))
		if e9 := g.debugcon(); e9 != log {
			t.Errorf("port 0xE9 does not mirror COM1:\n%s", e9)
		}
		if t.Failed() {
			t.Logf("\n%s", g.report())
		}
	})
	t.Run("r reboots through the 8042", func(t *testing.T) {
		t.Parallel()
		g := startQEMU(t, Demo, "-monitor", "stdio")
		g.waitSerial(ready, 1)
		g.sendKey("r")
		g.waitSerial(ready, 2) // booted again
		g.sendKey("q")
		if status := g.wait(); status != 0 {
			t.Errorf("exit status %d, want 0 (powered off)", status)
		}
		log := g.serial()
		boot := demoBootLines(ready)
		want := append(append(append([]string{}, boot...), `^key: r$`, `^reboot: 8042 reset pulse$`), boot...)
		matchLines(t, log, append(want, `^key: q$`, `^power off:`))
		if t.Failed() {
			t.Logf("\n%s", g.report())
		}
	})
}
