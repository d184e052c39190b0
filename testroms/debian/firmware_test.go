package debian

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ringzero/frontend/spec"
)

// runSpec runs the one guest of a spec written into dir, failing the
// test with its report when it does not pass.
func runSpec(t *testing.T, dir, text string, timeout time.Duration) spec.Result {
	t.Helper()
	sp, err := spec.Parse(filepath.Join(dir, "guest.toml"), []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	start := time.Now()
	res := spec.RunGuest(context.Background(), sp.Guests[0], spec.Options{
		Timeout: timeout, ReportDir: dir, Progress: &progress, Verbose: true,
	})
	t.Logf("%s: outcome %s after %v\n%s", sp.Guests[0].Name, res.Outcome, time.Since(start).Round(time.Millisecond), progress.String())
	if !res.Passed {
		t.Fatalf("%s\n%s", res.Message, res.Report)
	}
	return res
}

// fileFrom fetches pkg and returns the path of file in it, for a test
// that boots it (so not with -short).
func fileFrom(t *testing.T, pkg, file string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("boots a guest; not with -short")
	}
	dir, err := Fetch(pkg)
	need(t, err)
	p := filepath.Join(dir, file)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s: %v", pkg, err)
	}
	return p
}

// TestMemtest86PlusKernel boots memtest86+'s ia32 image with -kernel (it
// speaks the Linux boot protocol) and waits for its first test to run.
func TestMemtest86PlusKernel(t *testing.T) {
	bin := fileFrom(t, "memtest86+", "boot/memtest86+ia32.bin")
	dir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(dir, "memtest.bin")); err != nil {
		t.Fatal(err)
	}
	runSpec(t, dir, `
[[guest]]
name = "memtest86plus-ia32"
m = "64M"
kernel = "memtest.bin"
steps = [
  { expect = { screen = "Memtest86\\+ v[0-9.]+" } },
  { expect = { screen = "Pentium II" } },
  { expect = { screen = "Memory\\s*:\\s*64MB" } },
  { expect = { screen = "Test #\\d+ +\\[" } },
]
`, 3*time.Minute)
}

// TestIPXEKernel boots Debian's iPXE as a Linux kernel (ipxe.lkrn, which
// runs in real mode on the BIOS and saves the FPU with FXSAVE on every
// mode switch) to its banner.
func TestIPXEKernel(t *testing.T) {
	lkrn := fileFrom(t, "ipxe", "boot/ipxe.lkrn")
	dir := t.TempDir()
	if err := os.Symlink(lkrn, filepath.Join(dir, "ipxe.lkrn")); err != nil {
		t.Fatal(err)
	}
	runSpec(t, dir, `
[[guest]]
name = "ipxe-lkrn"
m = "64M"
kernel = "ipxe.lkrn"
steps = [
  { expect = { screen = "iPXE [0-9.]+.* -- Open Source Network Boot Firmware" } },
]
`, 3*time.Minute)
}
