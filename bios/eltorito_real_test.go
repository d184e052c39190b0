package bios_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
)

// The tests here boot CDs, under the built-in BIOS and under Debian's
// SeaBIOS, made by real tools from Debian packages: a GRUB
// rescue CD (grub-mkrescue: no-emulation El Torito, GRUB reading the CD
// through INT 13h AH=42h), an ISOLINUX CD (INT 13h AH=4Bh to find its own
// image, then AH=42h) and memtest86+'s ISO (1.44M diskette emulation).
// Each skips when its package is missing, unless RINGZERO_NO_SKIP=1.

// needFile returns path, or skips the test when it does not exist (fails
// it with RINGZERO_NO_SKIP=1).
func needFile(t *testing.T, path, pkg string) string {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return path
	}
	msg := path + " is missing (apt-get install " + pkg + ")"
	if os.Getenv("RINGZERO_NO_SKIP") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// realRun is the end of bootUntil.
type realRun struct {
	result  pc.Result
	err     error
	screen  string
	serial  string
	reached bool          // done said yes
	elapsed time.Duration // until then, or the end
}

// firmware is a BIOS the CDs boot under.
type firmware struct {
	name          string
	bios, vgabios []byte
}

// firmwares returns the built-in BIOS and Debian's SeaBIOS with its
// stdvga option ROM (package seabios; skipped without it, unless
// RINGZERO_NO_SKIP=1).
func firmwares(t *testing.T) []firmware {
	t.Helper()
	seabios, err := os.ReadFile(needFile(t, "/usr/share/seabios/bios-256k.bin", "seabios"))
	if err != nil {
		t.Fatal(err)
	}
	vgabios, err := os.ReadFile(needFile(t, "/usr/share/seabios/vgabios-stdvga.bin", "seabios"))
	if err != nil {
		t.Fatal(err)
	}
	return []firmware{{"builtin-bios", bios.Image, nil}, {"seabios", seabios, vgabios}}
}

// eachFirmware runs boot as a subtest under each firmware.
func eachFirmware(t *testing.T, boot func(t *testing.T, fw firmware)) {
	for _, fw := range firmwares(t) {
		t.Run(fw.name, func(t *testing.T) { boot(t, fw) })
	}
}

// bootUntil boots the CD image at path on the ringzero board (firmware
// fw, -boot d, 64 MiB, a Pentium II) until the guest powers off or
// exits, or done (asked about every 10 ms with the text screen and COM1's
// output) says yes, or timeout passes.
func bootUntil(t *testing.T, fw firmware, path string, timeout time.Duration, done func(screen, serial string) bool) realRun {
	t.Helper()
	img, err := disk.Open(path, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	var serial syncBuf
	m, err := pc.New(pc.Config{
		Model:    cpu.ModelP2,
		MemBytes: 64 << 20,
		BIOS:     fw.bios,
		VGABIOS:  fw.vgabios,
		Boot:     "d",
		CDROM:    img,
		Serial:   [2]io.Writer{&serial, nil},
		NoReboot: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var r realRun
	start := time.Now()
	r.result, r.err = m.Run(ctx, pc.RunOptions{Tick: func() {
		if !r.reached && done(m.VGA.TextScreen(), serial.String()) {
			r.reached = true
			r.elapsed = time.Since(start)
			cancel()
		}
	}})
	if !r.reached {
		r.elapsed = time.Since(start)
	}
	r.screen, r.serial = m.VGA.TextScreen(), serial.String()
	return r
}

func (r realRun) String() string {
	return "outcome " + r.result.Outcome.String() + " after " + r.elapsed.Round(time.Millisecond).String() +
		"\nscreen:\n" + r.screen + "\nCOM1:\n" + r.serial
}

// TestElToritoGRUBRescueCD makes a GRUB rescue CD whose grub.cfg prints a
// line on COM1 and halts (ACPI power-off), and boots it.
func TestElToritoGRUBRescueCD(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	mkrescue := need(t, "grub-mkrescue", "grub-common")
	need(t, "xorriso", "xorriso")
	need(t, "mformat", "mtools")
	needFile(t, "/usr/lib/grub/i386-pc/cdboot.img", "grub-pc-bin")
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "root", "boot", "grub")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := `serial --unit=0 --speed=115200
terminal_output --append serial
set timeout=0
menuentry "ringzero" {
  echo "RINGZERO GRUB OK"
  halt
}
`
	if err := os.WriteFile(filepath.Join(cfgDir, "grub.cfg"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(dir, "grub.iso")
	// Only the BIOS platform: an EFI image would need more packages and
	// does nothing here.
	cmd := exec.Command(mkrescue, "-o", iso, "-d", "/usr/lib/grub/i386-pc", filepath.Join(dir, "root"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("grub-mkrescue: %v\n%s", err, out)
	}
	eachFirmware(t, func(t *testing.T, fw firmware) {
		var entry time.Duration // until GRUB starts the menu entry
		start := time.Now()
		r := bootUntil(t, fw, iso, 120*time.Second, func(_, serial string) bool {
			if entry == 0 && strings.Contains(serial, "Booting `ringzero'") {
				entry = time.Since(start)
			}
			return false
		})
		if r.err != nil || r.result.Outcome != pc.PowerOff {
			t.Fatalf("GRUB did not power off: %v", r)
		}
		if !strings.Contains(r.serial, "RINGZERO GRUB OK") {
			t.Fatalf("no line from grub.cfg on COM1: %v", r)
		}
		t.Logf("GRUB booted its menu entry %v and powered off %v after power-on",
			entry.Round(time.Millisecond), r.elapsed.Round(time.Millisecond))
	})
}

// TestElToritoISOLINUXCD makes an ISOLINUX CD (xorriso, no emulation, a
// boot info table) whose isolinux.cfg says a line and prompts, and boots
// it to the prompt. ISOLINUX finds its image with AH=4Bh: had that failed
// it would say "trying to wing it".
func TestElToritoISOLINUXCD(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	xorriso := need(t, "xorriso", "xorriso")
	isolinux := needFile(t, "/usr/lib/ISOLINUX/isolinux.bin", "isolinux")
	ldlinux := needFile(t, "/usr/lib/syslinux/modules/bios/ldlinux.c32", "syslinux-common")
	dir := t.TempDir()
	root := filepath.Join(dir, "root", "isolinux")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{isolinux, ldlinux} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := "SERIAL 0 115200\nSAY RINGZERO ISOLINUX OK\nPROMPT 1\nTIMEOUT 0\n"
	if err := os.WriteFile(filepath.Join(root, "isolinux.cfg"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(dir, "isolinux.iso")
	cmd := exec.Command(xorriso, "-as", "mkisofs", "-quiet", "-o", iso, "-b", "isolinux/isolinux.bin",
		"-c", "isolinux/boot.cat", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
		filepath.Join(dir, "root"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	eachFirmware(t, func(t *testing.T, fw firmware) {
		r := bootUntil(t, fw, iso, 120*time.Second, func(screen, _ string) bool {
			return strings.Contains(screen, "RINGZERO ISOLINUX OK\nboot:")
		})
		if !r.reached {
			t.Fatalf("ISOLINUX did not reach its prompt: %v", r)
		}
		for _, bad := range []string{"wing it", "Boot failed", "Image checksum error"} {
			if strings.Contains(r.screen, bad) {
				t.Errorf("ISOLINUX says %q: %v", bad, r)
			}
		}
		if !strings.Contains(r.serial, "ISOLINUX 6") {
			t.Errorf("no ISOLINUX banner on COM1: %v", r)
		}
		if fw.name == "seabios" && !strings.Contains(r.screen, "SeaBIOS (version") {
			// ISOLINUX keeps the screen: SeaBIOS's banner, drawn by
			// the stdvga option ROM, is still at the top.
			t.Errorf("no SeaBIOS banner on the VGA screen: %v", r)
		}
		t.Logf("ISOLINUX prompt %v after power-on", r.elapsed.Round(time.Millisecond))
	})
}

// TestElToritoMemtest86PlusCD boots Debian's memtest86+ ISO (a 1.44M
// diskette image in El Torito diskette emulation) to its start screen.
func TestElToritoMemtest86PlusCD(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	iso := needFile(t, "/usr/lib/memtest86+/memtest86+ia32.iso", "memtest86+")
	eachFirmware(t, func(t *testing.T, fw firmware) {
		r := bootUntil(t, fw, iso, 120*time.Second, func(screen, _ string) bool {
			return strings.Contains(screen, "Memtest86") && strings.Contains(screen, "to start testing")
		})
		if !r.reached {
			t.Fatalf("memtest86+ did not reach its start screen: %v", r)
		}
		t.Logf("memtest86+ start screen %v after power-on", r.elapsed.Round(time.Millisecond))
	})
}
