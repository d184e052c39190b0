package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ringzero/cpu"
)

// fakeBoot replaces bootMachine for a test and records what it got.
func fakeBoot(t *testing.T) *[]*RunOptions {
	t.Helper()
	var got []*RunOptions
	old := bootMachine
	bootMachine = func(o *RunOptions) int { got = append(got, o); return 0 }
	t.Cleanup(func() { bootMachine = old })
	return &got
}

func TestDefaultSubcommandIsRun(t *testing.T) {
	img := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(img, make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{},
		{"-m", "64"},
		{"run"},
		{"run", "-m", "64", "-cpu", "386"},
		{img},
		{"run", img, "-m", "64"},
	} {
		booted := fakeBoot(t)
		var out, errb bytes.Buffer
		if st := cli(args, &out, &errb); st != 0 || len(*booted) != 1 {
			t.Errorf("%q: status %d, booted %d times, stderr %q", args, st, len(*booted), errb.String())
		}
	}
	booted := fakeBoot(t)
	cli([]string{img, "-m", "64", "-cpu", "386"}, new(bytes.Buffer), new(bytes.Buffer))
	if o := (*booted)[0]; o.HDA != img || o.Memory != 64<<20 || o.CPU != cpu.Model386 {
		t.Errorf("got %+v", *o)
	}
}

func TestBootStubSaysTheBoardIsMissing(t *testing.T) {
	// Until devices/pc exists, run parses everything and then fails
	// with status 2; this test goes when boot.go is replaced.
	if st := boot(&RunOptions{}); st != exitUsage {
		t.Errorf("boot status %d, want %d", st, exitUsage)
	}
}

// TestUsageErrorsAreOneLine: every command-line mistake gives status 2,
// one line on stderr, nothing on stdout, and boots nothing.
func TestUsageErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{
		{"-cpu", "z80"},
		{"run", "-cpu", "9"},
		{"-m", "0"},
		{"-m", "5T"},
		{"-nosuchflag"},
		{"-device", "e1000"},
		{"-device", "isa-debug-exit,iobase=0x10000"},
		{"-hda", filepath.Join(os.TempDir(), "ringzero-no-such-disk.img")},
		{"-initrd", "x"},
		{"help", "me"},
		{"cputest", "-cpu", "z80", "x"},
		{"cputest", "-limit", "-1", "x"},
		{"cputest", "-max-failures", "-2", "x"},
		{"cputest", "-filter", "xyz", "x"},
		{"cputest", "-engine", "kvm", "x"},
		{"cputest", "-cpu", "8086", filepath.Join(os.TempDir(), "ringzero-no-such-suite")},
		{"cputest", t.TempDir()}, // neither -cpu nor a suite folder name
	} {
		booted := fakeBoot(t)
		var out, errb bytes.Buffer
		st := cli(args, &out, &errb)
		msg := errb.String()
		if st != 2 || out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "ringzero: ") || len(*booted) != 0 {
			t.Errorf("%q: status %d, stdout %q, stderr %q, booted %d", args, st, out.String(), msg, len(*booted))
		}
	}
}

func TestBadCPUIsOneLineWithTheChoices(t *testing.T) {
	var out, errb bytes.Buffer
	if st := cli([]string{"-cpu", "68000"}, &out, &errb); st != 2 {
		t.Fatalf("status %d, want 2", st)
	}
	want := `ringzero: invalid value "68000" for flag -cpu: unknown CPU model "68000" (want one of ` +
		strings.Join(cpu.ModelNames(), ", ") + ")\n"
	if errb.String() != want {
		t.Errorf("stderr:\n got %q\nwant %q", errb.String(), want)
	}
}

// TestHelpListsEveryFlag: `ringzero help` shows every run and cputest
// flag, and the section lists miss none of the registered flags.
func TestHelpListsEveryFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if st := cli([]string{"help"}, &out, &errb); st != 0 {
		t.Fatalf("status %d, stderr %q", st, errb.String())
	}
	help := out.String()
	var ro RunOptions
	var co cputestOptions
	for _, l := range []*flagList{newRunFlags(&ro), newCputestFlags(&co)} {
		listed := map[string]bool{}
		for _, s := range l.sections {
			for _, n := range s.names {
				listed[n] = true
			}
		}
		n := 0
		l.fs.VisitAll(func(f *flag.Flag) {
			n++
			if !listed[f.Name] {
				t.Errorf("flag -%s is registered but in no help section", f.Name)
			}
			if !strings.Contains(help, "\n  -"+f.Name+" ") && !strings.Contains(help, "\n  -"+f.Name+"\n") {
				t.Errorf("help does not list -%s", f.Name)
			}
		})
		if n != len(listed) {
			t.Errorf("%d flags registered, %d in sections", n, len(listed))
		}
	}
	for _, args := range [][]string{{"-help"}, {"-h"}, {"run", "-help"}, {"help", "run"}} {
		var o, e bytes.Buffer
		if st := cli(args, &o, &e); st != 0 || !strings.Contains(o.String(), "-no-reboot") || e.Len() != 0 {
			t.Errorf("%q: status %d, stderr %q", args, st, e.String())
		}
	}
	for _, args := range [][]string{{"cputest", "-help"}, {"help", "cputest"}} {
		var o, e bytes.Buffer
		if st := cli(args, &o, &e); st != 0 || !strings.Contains(o.String(), "-max-failures") || e.Len() != 0 {
			t.Errorf("%q: status %d, stderr %q", args, st, e.String())
		}
	}
}

// TestREADMEFlagTableMatchesHelp keeps the README's table of run flags in
// step with newRunFlags: one row per flag, with the same default.
func TestREADMEFlagTableMatchesHelp(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The run flags' table is in the "## Command line" section.
	text := string(b)
	if i := strings.Index(text, "## Command line"); i >= 0 {
		text = text[i:]
		if j := strings.Index(text[3:], "\n## "); j >= 0 {
			text = text[:j+3]
		}
	}
	rows := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "| `-"); ok {
			name, _, _ := strings.Cut(rest, "`")
			name, _, _ = strings.Cut(name, " ")
			rows[name] = line
		}
	}
	var o RunOptions
	l := newRunFlags(&o)
	l.fs.VisitAll(func(f *flag.Flag) {
		row, ok := rows[f.Name]
		switch {
		case !ok:
			t.Errorf("README has no row for -%s", f.Name)
		case showDefault(f.DefValue) && !strings.Contains(row, "`"+f.DefValue+"`"):
			t.Errorf("README row for -%s does not give its default `%s`:\n%s", f.Name, f.DefValue, row)
		}
		delete(rows, f.Name)
	})
	for name := range rows {
		t.Errorf("README lists -%s, which run does not have", name)
	}
}

func TestDebugExitStatusIsOdd(t *testing.T) {
	for v, want := range map[uint32]int{0: 1, 1: 3, 0x10: 33, 0x7f: 255} {
		if got := debugExitStatus(v); got != want {
			t.Errorf("debugExitStatus(%#x) = %d, want %d", v, got, want)
		}
	}
}
