package linuxboot_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeOK is QEMU's exit status when the fake setup passed its checks: it
// writes 10h to isa-debug-exit, and QEMU exits with (10h << 1) | 1.
const fakeOK = 0x10<<1 | 1

// TestQEMULoadsTheFakeKernel boots the fake bzImage with QEMU's own
// -kernel loader (SeaBIOS and its linuxboot option ROM), the reference
// boot loader: the fake setup must accept the entry QEMU gives it and
// find the command line and initrd, so the fake is a bzImage as real
// loaders see it, and the checks it makes on our loader are fair.
func TestQEMULoadsTheFakeKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	qemu := need(t, "qemu-system-i386", "qemu-system-x86")
	dir := t.TempDir()
	kernel := filepath.Join(dir, "bzImage")
	initrd := filepath.Join(dir, "initrd")
	debugcon := filepath.Join(dir, "e9.txt")
	if err := os.WriteFile(kernel, fakeKernel(64<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(initrd, fakeInitrd(100_000), 0o644); err != nil {
		t.Fatal(err)
	}
	cmdline := "console=ttyS0 root=/dev/ram0 fake=1"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, "-M", "pc", "-accel", "tcg", "-m", "32",
		"-display", "none", "-nic", "none", "-no-reboot", "-serial", "none",
		"-debugcon", "file:"+debugcon, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
		"-kernel", kernel, "-initrd", initrd, "-append", cmdline)
	out, err := cmd.CombinedOutput()
	log, _ := os.ReadFile(debugcon)
	if ctx.Err() != nil {
		t.Fatalf("QEMU still running after 60 s; killed.\n%s\n%s", out, log)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != fakeOK {
		t.Fatalf("QEMU ended with %v, want exit status %d\n%s\ndebug console:\n%s", err, fakeOK, out, log)
	}
	text := strings.ReplaceAll(string(log), "\r", "")
	for _, want := range []string{
		"fake setup: entry ok\n",
		"cmdline: " + cmdline + "\n",
		"initrd: 000186A0 bytes: INITRD-012345678\n",
		"e820: 00000000 0009FC00 1\n",
		"setup ok\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("debug console lacks %q:\n%s", want, text)
		}
	}
}
