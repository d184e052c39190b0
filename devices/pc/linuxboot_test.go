package pc

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/bios/linuxboot"
	"ringzero/cpu"
	"ringzero/devices/debugport"
)

// fakeKernel is a bzImage whose real-mode setup (bios/linuxboot's
// testdata/fakesetup.asm) checks what the boot protocol promises and
// reports on port 0xE9, followed by pmSize bytes of "kernel".
func fakeKernel(t *testing.T, pmSize int) []byte {
	setup, err := os.ReadFile("../../bios/linuxboot/testdata/fakesetup.bin")
	if err != nil {
		t.Fatal(err)
	}
	pm := make([]byte, pmSize)
	copy(pm, "FAKE-PROTECTED-MODE-KERNEL")
	k := append(setup, pm...)
	binary.LittleEndian.PutUint32(k[0x1F4:], uint32((pmSize+15)/16))
	return k
}

// TestKernelBoot: with Config.Kernel the BIOS POSTs, finds the CMOS
// handshake at INT 19h and enters the setup code as the boot protocol
// says; the setup code sees the command line and the initrd, an E820 map
// with E0000-FFFFF reserved, the RSDP at E0000 and SCI_EN set; a reset
// loads the kernel again.
func TestKernelBoot(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot")
	}
	initrd := bytes.Repeat([]byte{0xA5}, 100_000)
	copy(initrd, "INITRD-0123456789")
	cmdline := "console=ttyS0 root=/dev/ram0 vga=normal"
	var con bytes.Buffer
	exit := debugport.DefaultConfig()
	m, err := New(Config{Model: cpu.ModelP2, MemBytes: 32 << 20, BIOS: bios.Image, DebugCon: &con,
		DebugExit: &exit, RTCStart: fixedRTC, NoReboot: true,
		Kernel: fakeKernel(t, 64<<10), Initrd: initrd, Append: cmdline})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := m.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(con.String(), "\r", "")
	if res.Outcome != DebugExit || res.Status != 0x21 {
		t.Fatalf("result %+v, want debug-exit 0x21\nport 0xE9:\n%s", res, out)
	}
	for _, want := range []string{
		"fake setup: entry ok\n",
		"cmdline: " + cmdline + "\n",
		"initrd: 000186A0 bytes: INITRD-012345678\n",
		"e820: 000E0000 00020000 2\n",
		"acpi: rsdp at e0000 yes, pm1a_cnt 0001\n",
		"setup ok\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("port 0xE9 lacks %q:\n%s", want, out)
		}
	}
	if b := m.RTC.Byte(linuxboot.CMOSMagic); b != 0 {
		t.Errorf("CMOS %#x = %#x after the hand-over, want 0", linuxboot.CMOSMagic, b)
	}
}

// TestKernelErrors: images that are not bzImages are refused by New.
func TestKernelErrors(t *testing.T) {
	for _, k := range [][]byte{{1, 2, 3}, make([]byte, 8192)} {
		if _, err := New(Config{Model: cpu.ModelP2, MemBytes: 32 << 20, BIOS: bios.Image, Kernel: k}); err == nil {
			t.Errorf("a %d-byte non-kernel was accepted", len(k))
		}
	}
}

// TestKernelNeedsBuiltinBIOS: with a SeaBIOS-sized firmware -kernel is
// refused with a clear error instead of being ignored (SeaBIOS would boot
// a disk).
func TestKernelNeedsBuiltinBIOS(t *testing.T) {
	_, err := New(Config{Model: cpu.ModelP2, MemBytes: 32 << 20, BIOS: make([]byte, 256<<10), Kernel: fakeKernel(t, 64<<10)})
	if err == nil || !strings.Contains(err.Error(), "built-in BIOS") {
		t.Errorf("New with a 256 KiB BIOS and -kernel: %v, want an error about the built-in BIOS", err)
	}
}
