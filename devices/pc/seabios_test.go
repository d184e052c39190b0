package pc

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/testroms"
)

// TestSeaBIOSBootsTheDemo runs Debian's SeaBIOS (package seabios) on the
// PCI board: it must find the chipset, fw_cfg, the VGA option ROM and the
// floppy, and boot the demo's self-test, which exits with its pass status.
func TestSeaBIOSBootsTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot")
	}
	rom, err := os.ReadFile("/usr/share/seabios/bios-256k.bin")
	if err != nil {
		if os.Getenv("RINGZERO_NO_SKIP") == "1" {
			t.Fatalf("SeaBIOS: %v (Debian package seabios)", err)
		}
		t.Skipf("SeaBIOS is not installed (Debian package seabios): %v", err)
	}
	vgabios, _ := os.ReadFile("/usr/share/seabios/vgabios-stdvga.bin")
	img, err := testroms.Image(testroms.DemoSelfTest)
	if err != nil {
		t.Fatal(err)
	}
	var com1 bytes.Buffer
	exit := debugport.DefaultConfig()
	cfg := Config{Model: cpu.ModelP2, MemBytes: 64 << 20, BIOS: rom, VGABIOS: vgabios,
		DebugExit: &exit, RTCStart: fixedRTC, NoReboot: true, SerialConsole: true}
	cfg.Serial[0] = &com1
	cfg.Floppy[0] = disk.FromBytesWith(img, disk.Options{Snapshot: true})
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	res, err := m.Run(ctx, RunOptions{})
	m.COM[0].Flush()
	if err != nil {
		t.Fatalf("%v\nCOM1:\n%s", err, com1.String())
	}
	if res.Outcome != DebugExit || res.Status != testroms.DemoSelfTestStatus {
		t.Fatalf("result %+v, want status %#x\nCOM1:\n%s", res, testroms.DemoSelfTestStatus, com1.String())
	}
	for _, want := range []string{"SeaBIOS", "self-test: pass"} {
		if !strings.Contains(com1.String(), want) {
			t.Errorf("COM1 lacks %q:\n%s", want, com1.String())
		}
	}
}
