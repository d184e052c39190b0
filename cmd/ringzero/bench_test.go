package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ringzero/testroms/debian"
)

func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a guest")
	}
	var out, errb bytes.Buffer
	if st := cli([]string{"bench", "-time", "50ms", "-cpu", "286"}, &out, &errb); st != exitOK {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	for _, want := range []string{"ns/instruction", "MIPS", "demo boot", "status 0x21"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if st := cli([]string{"bench", "-engine", "warp"}, &out, &errb); st != exitUsage {
		t.Errorf("bad engine: status %d, want %d", st, exitUsage)
	}
}

// TestBenchLinux times memtest86+ (which speaks the Linux boot protocol and
// prints on COM1 with console=ttyS0) on ringzero and on QEMU when it is
// installed; the busybox shell boot it measures by default takes minutes.
func TestBenchLinux(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a guest")
	}
	dir, err := debian.Fetch("memtest86+")
	if err != nil {
		if errors.Is(err, debian.ErrUnavailable) && os.Getenv("RINGZERO_NO_SKIP") != "1" {
			t.Skipf("skipped: %v", err)
		}
		t.Fatal(err)
	}
	args := []string{"bench", "linux", "-kernel", filepath.Join(dir, "boot/memtest86+ia32.bin"),
		"-append", "console=ttyS0,115200", "-until", `Memtest86\+`, "-m", "64"}
	if _, err := exec.LookPath("qemu-system-i386"); err != nil {
		if os.Getenv("RINGZERO_NO_SKIP") == "1" {
			t.Fatal("qemu-system-i386 not installed")
		}
		args = append(args, "-qemu", "")
	}
	var out, errb bytes.Buffer
	if st := cli(args, &out, &errb); st != exitOK {
		t.Fatalf("status %d: %s\n%s", st, errb.String(), out.String())
	}
	t.Log(out.String())
	want := []string{`ringzero  interp   pentium2 +\d+\.\d+ s wall`}
	if len(args) == 14 {
		want = append(want, `qemu tcg +pentium2 +\d+\.\d+ s wall`, `ratio +ringzero/qemu = \d+\.\d`)
	}
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(out.String()) {
			t.Errorf("output lacks /%s/:\n%s", w, out.String())
		}
	}
	// The mark never comes: a clear error, status 2.
	out.Reset()
	errb.Reset()
	args = append(args[:len(args)-2:len(args)-2], "-m", "64", "-qemu", "", "-timeout", "2s")
	args[7] = "never-printed"
	if st := cli(args, &out, &errb); st != exitUsage || !strings.Contains(errb.String(), "not seen on COM1") {
		t.Errorf("status %d, stderr %q; want %d and \"not seen on COM1\"", st, errb.String(), exitUsage)
	}
	if st := cli([]string{"bench", "linux", "-until", "("}, &out, &errb); st != exitUsage {
		t.Errorf("bad -until: status %d, want %d", st, exitUsage)
	}
}
