package debian

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// need turns an ErrUnavailable into a skip, or into a failure under
// RINGZERO_NO_SKIP=1 (CI, which installs everything).
func need(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrUnavailable) && os.Getenv("RINGZERO_NO_SKIP") != "1" {
		t.Skipf("skipped: %v", err)
	}
	t.Fatal(err)
}

// shellChecks are the steps every Linux boot goes through once the shell
// is up: the kernel sees our CPU, tmpfs works, the timer and serial
// drivers came up.
const shellChecks = `
  { expect = { serial = "ringzero: busybox shell" } },
  { expect = { serial = "# " } },
  { send = { serial = "uname -m\n" } },
  { expect = { serial = "\ni686\r?\n" } },
  { send = { serial = "grep -E 'vendor_id|cpu family|flags' /proc/cpuinfo\n" } },
  { expect = { serial = "vendor_id\\s+: GenuineIntel" } },
  { expect = { serial = "cpu family\\s+: 6" } },
  { expect = { serial = "flags\\s+: fpu [^\n]*\\bsep\\b[^\n]*\\bcmov\\b" } },
  { send = { serial = "mount -t tmpfs t /tmp && echo ringzero-tmpfs-ok > /tmp/f && cat /tmp/f\n" } },
  { expect = { serial = "\nringzero-tmpfs-ok\r?\n" } },
  { send = { serial = "dmesg | grep -E 'ttyS0 at I/O|Switched to clocksource'\n" } },
  { expect = { serial = "clocksource: Switched to clocksource" } },
  { expect = { serial = "ttyS0 at I/O 0x3f8 \\(irq = 4, base_baud = 115200\\) is a 16550A" } },
`

// TestDebianLinux boots Debian 12's i386 kernel with a busybox initramfs
// to a shell and drives it over COM1, three ways: with -kernel on the
// built-in BIOS, ending in an ACPI power-off; from a SYSLINUX hard disk
// under SeaBIOS, likewise; and from that disk again with "noapic nolapic
// acpi=off", ending in reboot -f, which -no-reboot turns into status 0.
// The first two use the local APIC (its timer as the clock event device)
// and the I/O APIC. The built-in BIOS boot runs the kernel's crypto
// self-tests and checks that none failed (known answers for its ciphers,
// hashes and RSA: a wide check of integer arithmetic); the SeaBIOS boots skip them
// (cryptomgr.notests), which saves each over half of its instructions.
// Each boot takes a minute or more on the interpreter (most of it
// unpacking the XZ kernel), so they run in parallel.
func TestDebianLinux(t *testing.T) {
	if testing.Short() {
		t.Skip("boots Linux for minutes; not with -short")
	}
	kernel, err := KernelImage()
	need(t, err)
	initrd, err := BusyboxInitramfs(ShellInit)
	need(t, err)
	const seabios = "/usr/share/seabios/bios-256k.bin"

	// apic checks that the local APIC timer ticks and that COM1's IRQ
	// comes through the I/O APIC.
	const apic = `
  { send = { serial = "grep -E 'ttyS0|LOC' /proc/interrupts\n" } },
  { expect = { serial = "IO-APIC\\s+4-edge\\s+ttyS0" } },
  { expect = { serial = "LOC:\\s+[1-9][0-9]*\\s+Local timer interrupts" } },
`
	// selfTests checks the crypto self-tests' verdicts in the kernel log.
	const selfTests = `
  { send = { serial = "dmesg | grep -cE 'alg: .*(fail|error)'\n" } },
  { expect = { serial = "\n0\r?\n" } },
`
	boots := []struct {
		name    string
		disk    bool   // boot a SYSLINUX disk under SeaBIOS instead of -kernel
		cmdline string // besides the console
		checks  string // steps after shellChecks
		end     string // the command that ends the run with status 0
		outcome string // how it ends: "power-off" or "reset"
	}{
		{"builtin-bios-kernel", false, "", apic + selfTests, "poweroff -f", "power-off"},
		{"seabios-syslinux-disk", true, "cryptomgr.notests", apic, "poweroff -f", "power-off"},
		{"seabios-syslinux-disk-noapic-noacpi", true, "cryptomgr.notests noapic nolapic acpi=off", "", "reboot -f", "reset"},
	}
	for _, b := range boots {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.Symlink(kernel, filepath.Join(dir, "vmlinuz")); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "initrd.gz"), initrd, 0o644); err != nil {
				t.Fatal(err)
			}
			// 115200 baud: at the kernel's default 9600 its console
			// writes (which wait for each character on the line) would
			// cost the boot more instructions than the rest of it.
			cmdline := "console=ttyS0,115200 panic=-1 " + b.cmdline
			machine := fmt.Sprintf("kernel = \"vmlinuz\"\ninitrd = \"initrd.gz\"\nappend = %q\n", cmdline)
			if b.disk {
				if _, err := os.Stat(seabios); err != nil {
					need(t, fmt.Errorf("%w: %s (Debian package seabios)", ErrUnavailable, seabios))
				}
				disk := filepath.Join(dir, "disk.img")
				need(t, SyslinuxDisk(disk, 32, filepath.Join(dir, "vmlinuz"), filepath.Join(dir, "initrd.gz"), cmdline))
				machine = fmt.Sprintf("bios = %q\nhda = \"disk.img\"\n", seabios)
			}
			spec := fmt.Sprintf(`
[[guest]]
name = %q
m = "256M"
no-reboot = true
exit_status = 0
%s
steps = [%s%s
  { send = { serial = "%s\n" } },
]
`, b.name, machine, shellChecks, b.checks, b.end)
			if res := runSpec(t, dir, spec, 40*time.Minute); res.Outcome != b.outcome {
				t.Errorf("ended by %s, want %s", res.Outcome, b.outcome)
			}
		})
	}
}
