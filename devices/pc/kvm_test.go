package pc

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/cpu/kvm"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/testroms"
)

// TestKVMBootsTheDemo runs the built-in BIOS and the demo's self-test on
// the kvm engine, with the same devices: the same output as interp.
func TestKVMBootsTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot")
	}
	info := kvm.Probe()
	if !info.Exists {
		t.Skip("no /dev/kvm on this host")
	}
	if info.Err != nil {
		if os.Getenv("RINGZERO_NO_SKIP") == "1" {
			t.Fatalf("/dev/kvm exists but is unusable: %v", info.Err)
		}
		t.Skipf("/dev/kvm is unusable: %v", info.Err)
	}
	img, err := testroms.Image(testroms.DemoSelfTest)
	if err != nil {
		t.Fatal(err)
	}
	var con bytes.Buffer
	exit := debugport.DefaultConfig()
	cfg := Config{Model: cpu.ModelP2, MemBytes: 16 << 20, BIOS: bios.Image, Engine: "kvm", DebugCon: &con,
		DebugExit: &exit, RTCStart: fixedRTC, NoReboot: true}
	cfg.Floppy[0] = disk.FromBytesWith(img, disk.Options{Snapshot: true})
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.CPU.Name() != "kvm" {
		t.Fatalf("engine %s, want kvm", m.CPU.Name())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	res, err := m.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatalf("%v\nport 0xE9:\n%s", err, con.String())
	}
	if res.Status != testroms.DemoSelfTestStatus || !strings.Contains(con.String(), "self-test: pass") {
		t.Fatalf("result %+v, want status %#x\nport 0xE9:\n%s", res, testroms.DemoSelfTestStatus, con.String())
	}
	// Guest time follows host time under kvm: the RTC line differs.
	noClock := func(s string) string {
		var keep []string
		for _, l := range strings.Split(guestPart(s), "\n") {
			if !strings.HasPrefix(l, "rtc:") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	interp := bootFloppy(t, cpu.ModelP2, testroms.DemoSelfTest, true)
	if noClock(interp.debug) != noClock(con.String()) {
		t.Errorf("kvm and interp differ:\n%s\n---\n%s", con.String(), interp.debug)
	}
}
