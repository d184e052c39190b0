package spec_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ringzero/frontend/spec"
	"ringzero/testroms"
)

// Two boot sectors for guests the test ROMs do not cover (source in the
// comments; built with nasm -f bin, org 0x7C00).
var (
	// stuck writes "stuck here" to port 0xE9 and to row 2 of the text
	// screen, then loops on `jmp $` at 0000:7C1B.
	stuckSector = mustHex("31c08ed8b800b88ec0bf4001be1d7cb44fac84c07405e6e9abebf6ebfe737475636b206865726500")
	// echo sets COM1 to 115200 8N1, writes '>' to port 0xE9, then copies
	// every byte COM1 receives to port 0xE9 until a '.', and exits
	// through isa-debug-exit with 2 (status 5).
	echoSector = mustHex("bafb03b080eebaf803b001ee4230c0eebafb03b003eeb03ee6e9bafd03eca80174f8baf803ece6e93c2e75eeb002e6f4f4")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// floppy makes a 160 KB boot floppy holding code in its boot sector.
func floppy(code []byte) []byte {
	img := make([]byte, 160<<10)
	copy(img, code)
	img[510], img[511] = 0x55, 0xAA
	return img
}

// guestDir writes the test images into a new folder and returns it.
func guestDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"realmode", "pmode", "demo", "demo-selftest"} {
		img, err := testroms.Image(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".img"), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, code := range map[string][]byte{"stuck.img": stuckSector, "echo.img": echoSector} {
		if err := os.WriteFile(filepath.Join(dir, name), floppy(code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// guestsSpec has four guests that pass and two that fail on purpose.
const guestsSpec = `# Guests for the spec runner's tests.
[defaults]
m = "16M"
no-reboot = true
rtc = "2026-11-29T12:00:00"
timeout = "60s"

[[guest]]
name = "realmode"
cpu = "8086"
fda = "realmode.img"
devices = ["isa-debug-exit,iobase=0xf4,iosize=0x04"]
exit_status = 1
steps = [
  { expect = { debugcon = "realmode: real-mode instruction checks" } },
  { expect = { debugcon = "realmode: pass" } },
]

[[guest]]
name = "pmode"
cpu = "386"
fda = "pmode.img"
devices = ["isa-debug-exit,iobase=0xf4,iosize=0x04"]
exit_status = 1

  [[guest.steps]]
  expect = { debugcon = "pmode: pass", timeout = "30s" }

[[guest]]
name = "demo-keys"
fda = "demo.img"
exit_status = "poweroff"
steps = [
  { expect = { screen = "ringzero demo" } },
  { expect = { serial = "ready:" } },
  { send = { keys = "hi" } },
  { expect = { serial = "key: h\\r?\\nkey: i" } },
  { expect = { screen = "Keys +hi" } },
  { send = { keys = "\n" } },
  { expect = { serial = "key: enter" } },
  { send = { keys = "q" } },
]

[[guest]]
name = "echo"
fda = "echo.img"
devices = ["isa-debug-exit"]
exit_status = 5
steps = [
  { expect = { debugcon = ">" } },
  { send = { serial = "hello, guest." } },
  { expect = { debugcon = "hello, guest" } },
]

# Fails: the self-test passes and exits with 0x21, not 0x23.
[[guest]]
name = "selftest-wrong-status"
fda = "demo-selftest.img"
devices = ["isa-debug-exit"]
exit_status = 0x23
steps = [{ expect = { serial = "self-test: pass" } }]

# Fails: nothing ever prints "login:".
[[guest]]
name = "stuck-never"
fda = "stuck.img"
steps = [
  { expect = { debugcon = "stuck here" } },
  { expect = { serial = "login:", timeout = "1s" } },
]
`

func writeSpec(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func skipBoots(t *testing.T) {
	if testing.Short() {
		t.Skip("boots guests; skipped with -short")
	}
}

// TestRunGuestsInParallel runs the six guests three at a time through
// Main and checks the progress lines, the summary, the status, the
// failure reports and the JUnit file.
func TestRunGuestsInParallel(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	path := writeSpec(t, dir, "guests.toml", guestsSpec)
	out := t.TempDir()
	junit := filepath.Join(out, "junit.xml")
	var stdout, stderr bytes.Buffer
	status := spec.MainContext(context.Background(), []string{"-j", "3", "-junit", junit, path}, &stdout, &stderr, noEnv)
	t.Logf("stdout:\n%s", stdout.String())
	if status != spec.ExitFailed {
		t.Fatalf("status %d, want %d; stderr:\n%s", status, spec.ExitFailed, stderr.String())
	}
	if !strings.HasSuffix(stdout.String(), "\n4 passed, 2 failed\n") {
		t.Errorf("output does not end with the summary")
	}
	for _, line := range []string{
		"6 guests from 1 spec file, 3 at a time",
		"PASS  realmode (", "PASS  pmode (", "PASS  demo-keys (", "PASS  echo (",
		"FAIL  selftest-wrong-status (", "exit status 33 (debug-exit), want 35",
		"FAIL  stuck-never (", "step 2: expect serial /login:/ within 1s: not seen within 1s",
	} {
		if !strings.Contains(stdout.String(), line) {
			t.Errorf("output lacks %q", line)
		}
	}

	// The failure reports, beside the JUnit file.
	wrong := readReport(t, out, "selftest-wrong-status")
	for _, want := range []string{
		"serial (COM1)", "self-test: pass", // the serial tail
		"=> ",                                       // the disassembly line at CS:EIP
		"cpu: stopped at ",                          // CS:EIP
		"screen (80x25 text; PNG ", "ringzero demo", // the screen as text
	} {
		if !strings.Contains(wrong, want) {
			t.Errorf("selftest-wrong-status report lacks %q:\n%s", want, wrong)
		}
	}
	stuck := readReport(t, out, "stuck-never")
	for _, want := range []string{
		"step 1 matched  expect debugcon /stuck here/",
		"step 2 FAILED after",
		"=> 0000:00007c1b  eb fe",
		"jmp 0x7c1b",
		"real mode, 16-bit code",
		"  | stuck here",
	} {
		if !strings.Contains(stuck, want) {
			t.Errorf("stuck-never report lacks %q:\n%s", want, stuck)
		}
	}
	if !regexp.MustCompile(`(?m)^ {5}0000:00007c19  eb f6 +jmp 0x7c11$`).MatchString(stuck) {
		t.Errorf("stuck-never report lacks the instruction before EIP:\n%s", stuck)
	}

	checkJUnit(t, junit, out)
}

// readReport checks a failing guest's PNG and returns its text report.
func readReport(t *testing.T, dir, stem string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, stem+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s.png: %v", stem, err)
	}
	if b := img.Bounds(); b.Dx() < 320 || b.Dy() < 200 {
		t.Errorf("%s.png is %v, want a screen", stem, b)
	}
	text, err := os.ReadFile(filepath.Join(dir, stem+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// checkJUnit reads the JUnit file, checks it, and checks that it survives
// an encoding/xml round trip unchanged.
func checkJUnit(t *testing.T, path, reportDir string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep spec.JUnitReport
	if err := xml.Unmarshal(data, &rep); err != nil {
		t.Fatalf("junit: %v\n%s", err, data)
	}
	if rep.Tests != 6 || rep.Failures != 2 || len(rep.Suites) != 1 {
		t.Fatalf("junit: %d tests, %d failures, %d suites; want 6, 2, 1", rep.Tests, rep.Failures, len(rep.Suites))
	}
	s := rep.Suites[0]
	if s.Tests != 6 || s.Failures != 2 || len(s.Cases) != 6 || !strings.HasSuffix(s.Name, "guests.toml") {
		t.Errorf("junit suite %q: %d tests, %d failures, %d cases", s.Name, s.Tests, s.Failures, len(s.Cases))
	}
	names := []string{"realmode", "pmode", "demo-keys", "echo", "selftest-wrong-status", "stuck-never"}
	for i, c := range s.Cases {
		if c.Name != names[i] || c.Classname != "guests" {
			t.Errorf("case %d: %s.%s, want guests.%s", i, c.Classname, c.Name, names[i])
		}
		failed := i >= 4
		if (c.Failure != nil) != failed {
			t.Errorf("case %s: failure %v, want failed=%v", c.Name, c.Failure, failed)
		}
	}
	f := s.Cases[4].Failure
	if f == nil || f.Message != "exit status 33 (debug-exit), want 35" || !strings.Contains(f.Text, "self-test: pass") {
		t.Errorf("failure of %s: %+v", s.Cases[4].Name, f)
	}
	if want := "[[ATTACHMENT|" + filepath.Join(reportDir, "stuck-never.png") + "]]"; s.Cases[5].SystemOut == nil || !strings.Contains(s.Cases[5].SystemOut.Text, want) {
		t.Errorf("system-out %+v lacks %q", s.Cases[5].SystemOut, want)
	}
	var again bytes.Buffer
	if err := rep.Write(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != string(data) {
		t.Errorf("junit round trip differs:\n%s\n---\n%s", data, again.String())
	}
}

// TestShardedRunRunsItsShare runs shard 1 of 2 of three guests: the
// second one only.
func TestShardedRunRunsItsShare(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	path := writeSpec(t, dir, "guests.toml", guestsSpec)
	var stdout, stderr bytes.Buffer
	status := spec.MainContext(context.Background(), []string{"-shard", "1/2", "-run", "^(realmode|pmode|echo)$", path}, &stdout, &stderr, noEnv)
	if status != spec.ExitPassed {
		t.Fatalf("status %d; stderr %s\nstdout:\n%s", status, stderr.String(), stdout.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "PASS  pmode") || strings.Contains(out, "realmode") || strings.Contains(out, "PASS  echo") {
		t.Errorf("shard 1/2 of realmode, pmode, echo should run pmode only:\n%s", out)
	}
	if !strings.Contains(out, "shard 1/2: 1 of 3") || !strings.HasSuffix(out, "\n1 passed, 0 failed\n") {
		t.Errorf("output:\n%s", out)
	}
}

// TestRunGuestBadKernel: a kernel that is neither a bzImage nor a
// Multiboot kernel fails with the board's reason, without stopping the
// run.
func TestRunGuestBadKernel(t *testing.T) {
	dir := t.TempDir()
	writeSpec(t, dir, "bzImage", "not a kernel")
	s, err := spec.Parse(filepath.Join(dir, "k.toml"), []byte(`
[[guest]]
name = "linux"
kernel = "bzImage"
append = "console=ttyS0"
steps = [{ expect = { serial = "login:" } }]
`))
	if err != nil {
		t.Fatal(err)
	}
	r := spec.RunGuest(context.Background(), s.Guests[0], spec.Options{})
	if r.Passed || !strings.Contains(r.Message, "cannot start:") || !strings.Contains(r.Message, "-kernel") || r.Outcome != spec.OutcomeCannotStart {
		t.Errorf("result %+v", r)
	}
}

// TestRunStopsAfterLastStep: without exit_status a guest passes when its
// last step matches, and the runner stops it.
func TestRunStopsAfterLastStep(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	s, err := spec.Parse(filepath.Join(dir, "s.toml"), []byte(`
[[guest]]
name = "stuck-seen"
fda = "stuck.img"
steps = [{ expect = { screen = "stuck here" } }]
`))
	if err != nil {
		t.Fatal(err)
	}
	r := spec.RunGuest(context.Background(), s.Guests[0], spec.Options{})
	if !r.Passed || r.Outcome != spec.OutcomeStopped {
		t.Errorf("result %+v", r)
	}
}

func noEnv(string) string { return "" }

// TestTimeoutIsStatus124: a guest that runs until its timeout ends with
// status 124, which exit_status = "timeout" expects.
func TestTimeoutIsStatus124(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	s, err := spec.Parse(filepath.Join(dir, "s.toml"), []byte(`
[[guest]]
name = "runs-on"
fda = "stuck.img"
timeout = "1s"
exit_status = "timeout"

[[guest]]
name = "runs-on-wrong"
fda = "stuck.img"
timeout = "1s"
exit_status = 0
`))
	if err != nil {
		t.Fatal(err)
	}
	rs := spec.Run(context.Background(), s.Guests, spec.Options{Jobs: 2})
	if r := rs[0]; !r.Passed || r.Outcome != spec.OutcomeTimeout || r.Status != 124 {
		t.Errorf("%s: %+v", r.Guest.Name, r)
	}
	if r := rs[1]; r.Passed || r.Message != "timed out after 1s, want exit status 0" {
		t.Errorf("%s: %+v", r.Guest.Name, r)
	}
}

// TestInterruptEndsWith130: when the context ends, running guests fail as
// interrupted, the rest do not start, and Main exits with 130.
func TestInterruptEndsWith130(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	path := writeSpec(t, dir, "s.toml", `
[defaults]
fda = "stuck.img"

[[guest]]
name = "first"
steps = [{ expect = { serial = "never" } }]

[[guest]]
name = "second"
steps = [{ expect = { serial = "never" } }]
`)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(time.Second)
		cancel()
	}()
	var stdout, stderr bytes.Buffer
	status := spec.MainContext(ctx, []string{"-j", "1", "-report", t.TempDir(), path}, &stdout, &stderr, noEnv)
	out := stdout.String()
	if stderr.Len() > 0 {
		t.Fatalf("stderr: %s", stderr.String())
	}
	if status != spec.ExitInterrupted || !strings.Contains(out, "FAIL  first (") || !strings.Contains(out, ": interrupted at step 1: expect serial /never/") ||
		!strings.Contains(out, "interrupted: 1 guest not started\n0 passed, 1 failed\n") {
		t.Errorf("status %d, output:\n%s", status, out)
	}
}

// TestMultibootAndBootSectorGuests runs our Multiboot kernels (ELF and
// a.out, Multiboot 1 and 2) beside a boot-sector guest, in
// parallel, one of them failing on purpose.
func TestMultibootAndBootSectorGuests(t *testing.T) {
	skipBoots(t)
	dir := guestDir(t)
	for _, name := range []string{"mbkernel.elf", "mbkernel.img", "mb2kernel.elf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testroms", "bin", name))
		if err != nil {
			t.Fatal(err)
		}
		writeSpec(t, dir, name, string(b))
	}
	path := writeSpec(t, dir, "mb.toml", `
[defaults]
m = "32M"
no-reboot = true
devices = ["isa-debug-exit,iobase=0xf4,iosize=4"]

[[guest]]
name = "mb1-elf"
kernel = "mbkernel.elf"
append = "hello"
steps = [{ expect = { serial = "mbkernel: pass", timeout = "60s" } }]
exit_status = 1

[[guest]]
name = "mb1-aout"
kernel = "mbkernel.img"
steps = [{ expect = { serial = "mbkernel: pass", timeout = "60s" } }]
exit_status = 1

[[guest]]
name = "mb2-elf"
kernel = "mb2kernel.elf"
steps = [{ expect = { serial = "mbkernel: pass", timeout = "60s" } }]
exit_status = 1

[[guest]]
name = "bootsector"
fda = "realmode.img"
exit_status = 1

[[guest]]
name = "mb-wrong-status"
kernel = "mbkernel.img"
exit_status = 5
`)
	var stdout, stderr bytes.Buffer
	reports := t.TempDir()
	status := spec.MainContext(context.Background(), []string{"-j", "3", "-report", reports, path}, &stdout, &stderr, noEnv)
	t.Logf("stdout:\n%s", stdout.String())
	if rep := readReport(t, reports, "mb-wrong-status"); !strings.Contains(rep, "want 5") || !strings.Contains(rep, "mbkernel: pass") {
		t.Errorf("mb-wrong-status report:\n%s", rep)
	}
	if status != spec.ExitFailed || !strings.HasSuffix(stdout.String(), "\n4 passed, 1 failed\n") {
		t.Fatalf("status %d, want %d and 4 passed, 1 failed; stderr:\n%s", status, spec.ExitFailed, stderr.String())
	}
	for _, line := range []string{"PASS  mb1-elf (", "PASS  mb1-aout (", "PASS  mb2-elf (", "PASS  bootsector (", "FAIL  mb-wrong-status ("} {
		if !strings.Contains(stdout.String(), line) {
			t.Errorf("output lacks %q", line)
		}
	}
}
