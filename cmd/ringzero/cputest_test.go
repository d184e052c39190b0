package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/cputest"
)

// nopEngine executes every instruction as a one-byte NOP: enough to
// drive the command through a passing and a failing case without
// depending on the interpreter.
type nopEngine struct{ s cpu.State }

func (e *nopEngine) Name() string { return "nop" }
func (e *nopEngine) Run(ctx context.Context, budget uint64) (cpu.Exit, error) {
	e.s.EIP = (e.s.EIP + 1) & 0xFFFF
	return cpu.Exit{Reason: cpu.ExitBudget, Cycles: 1}, nil
}
func (e *nopEngine) State() *cpu.State           { return &e.s }
func (e *nopEngine) SetState(s *cpu.State) error { e.s = *s; return nil }
func (e *nopEngine) Stats() cpu.Stats            { return cpu.Stats{} }

// writeSuite writes an 8086-style JSON suite file of two NOP tests; the
// second claims the NOP moves IP by 2, so a correct engine fails it.
func writeSuite(t *testing.T) string {
	t.Helper()
	regs := func(ip int) map[string]int {
		return map[string]int{"ax": 1, "bx": 2, "cx": 3, "dx": 4, "cs": 0x100, "ss": 0x200, "ds": 0x300, "es": 0x400,
			"sp": 0xFFFE, "bp": 5, "si": 6, "di": 7, "ip": ip, "flags": 0xF002}
	}
	test := func(name string, finalIP int) map[string]any {
		return map[string]any{
			"name":      name,
			"bytes":     []int{0x90},
			"initial":   map[string]any{"regs": regs(0x10), "ram": [][2]int{{0x1010, 0x90}}},
			"final":     map[string]any{"regs": map[string]int{"ip": finalIP}, "ram": [][2]int{}},
			"test_hash": strings.Repeat("ab", 32),
		}
	}
	b, err := json.Marshal([]any{test("nop", 0x11), test("nop", 0x12)})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "suite")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "90.json.gz")
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(b)
	w.Close()
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func withNopEngine(t *testing.T) {
	softwareEngines["nop"] = func(m cpu.Model, env cpu.Env) cpu.Engine { return &nopEngine{} }
	t.Cleanup(func() { delete(softwareEngines, "nop") })
}

func TestCputestReportsFailuresAndExitsOne(t *testing.T) {
	withNopEngine(t)
	path := writeSuite(t)
	var out, errb bytes.Buffer
	st := cli([]string{"cputest", "-engine", "nop", "-cpu", "8086", filepath.Dir(path)}, &out, &errb)
	got := out.String()
	if st != 1 || errb.Len() != 0 {
		t.Fatalf("status %d, stderr %q, stdout:\n%s", st, errb.String(), got)
	}
	for _, want := range []string{"90 ", "1/2", "50.00%", "FAIL 90 #1", "nop", "ip", "\n1 passed, 1 failed\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "1 passed, 1 failed\n") {
		t.Errorf("output does not end with the totals:\n%s", got)
	}
}

func TestCputestExitsZeroWhenAllPass(t *testing.T) {
	withNopEngine(t)
	path := writeSuite(t)
	var out, errb bytes.Buffer
	// Flags may follow the paths; -filter 0 keeps the passing test only.
	st := cli([]string{"cputest", path, "-engine", "nop", "-cpu", "8086", "-filter", "0", "-v"}, &out, &errb)
	if st != 0 || !strings.HasSuffix(out.String(), "1 passed, 0 failed\n") || !strings.Contains(out.String(), "ok 90 #0") {
		t.Errorf("status %d, stderr %q, stdout:\n%s", st, errb.String(), out.String())
	}
}

func TestCputestGuessesTheModelFromTheSuiteFolder(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  cpu.Model
		ok    bool
	}{
		{[]string{"../shared/testdata/singlesteptests-8086/v1"}, cpu.Model8086, true},
		{[]string{"testdata/singlesteptests-80286/v1_real_mode/00.MOO.gz"}, cpu.Model286, true},
		{[]string{"x/singlesteptests-8086/v1", "x/singlesteptests-80286/v1_real_mode"}, 0, false},
		{[]string{"suite/90.json.gz"}, 0, false},
	} {
		got, err := guessModel(tc.paths)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("guessModel(%q) = %v, %v", tc.paths, got, err)
		}
	}
}

// TestCputestInterpOnSuites runs a few tests of one file of each suite on
// the real interpreter; the pass-rate thresholds live in the engine's own
// SingleStep test, so this checks only that the command runs end to end.
func TestCputestInterpOnSuites(t *testing.T) {
	dir, err := cputest.TestdataDir()
	if err != nil {
		if os.Getenv(cputest.EnvNoSkip) == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, f := range []string{"singlesteptests-8086/v1/00.json.gz", "singlesteptests-80286/v1_real_mode/00.MOO.gz"} {
		var out, errb bytes.Buffer
		st := cli([]string{"cputest", "-limit", "20", "-max-failures", "1", filepath.Join(dir, f)}, &out, &errb)
		if st == 2 || !strings.HasPrefix(out.String(), "00 ") || !strings.Contains(out.String(), " passed, ") {
			t.Errorf("%s: status %d, stderr %q, stdout:\n%s", f, st, errb.String(), out.String())
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
