package linuxboot_test

//go:generate nasm -f bin -w+all -o testdata/fakesetup.bin testdata/fakesetup.asm

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// fakeSetup is the real-mode part of the fake bzImage, assembled from
// testdata/fakesetup.asm (see there for what it checks and prints).
//
//go:embed testdata/fakesetup.bin
var fakeSetup []byte

// Offsets of the header fields the tests read or patch.
const (
	hSetupSects    = 0x1F1
	hSyssize       = 0x1F4
	hVidMode       = 0x1FA
	hBootFlag      = 0x1FE
	hMagic         = 0x202
	hVersion       = 0x206
	hTypeOfLoader  = 0x210
	hLoadFlags     = 0x211
	hSetupMoveSize = 0x212
	hCode32Start   = 0x214
	hRamdiskImage  = 0x218
	hRamdiskSize   = 0x21C
	hHeapEndPtr    = 0x224
	hCmdLinePtr    = 0x228
	hInitrdAddrMax = 0x22C
	hKernelAlign   = 0x230
	hRelocatable   = 0x234
	hCmdlineSize   = 0x238
	hPrefAddress   = 0x258
	hInitSize      = 0x260
)

var le = binary.LittleEndian

// fakeKernel returns a bzImage: the fake setup and pmSize bytes of
// protected-mode "code" (a recognisable pattern), with syssize set.
func fakeKernel(pmSize int) []byte {
	k := append([]byte(nil), fakeSetup...)
	pm := make([]byte, pmSize)
	copy(pm, "FAKE-PROTECTED-MODE-KERNEL")
	for i := 32; i < pmSize; i++ {
		pm[i] = byte(i * 7)
	}
	k = append(k, pm...)
	le.PutUint32(k[hSyssize:], uint32((pmSize+15)/16))
	return k
}

// fakeInitrd returns an initrd of n bytes that starts with a marker the
// fake setup prints.
func fakeInitrd(n int) []byte {
	b := bytes.Repeat([]byte{0xA5}, n)
	copy(b, "INITRD-0123456789")
	return b
}

// TestFakeSetupMatchesSource rebuilds testdata/fakesetup.bin with NASM
// and compares it with the committed image.
func TestFakeSetupMatchesSource(t *testing.T) {
	nasm := need(t, "nasm", "nasm")
	out := filepath.Join(t.TempDir(), "fakesetup.bin")
	if msg, err := exec.Command(nasm, "-f", "bin", "-w+all", "-o", out, "testdata/fakesetup.asm").CombinedOutput(); err != nil {
		t.Fatalf("nasm: %v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, fakeSetup) {
		t.Fatal("testdata/fakesetup.bin differs from its source: run go generate ./bios/linuxboot")
	}
	if len(fakeSetup) != 5*512 || string(fakeSetup[hMagic:hMagic+4]) != "HdrS" {
		t.Fatalf("fake setup is %d bytes without a header", len(fakeSetup))
	}
}

// need returns the path of tool, or skips the test when it is missing;
// with RINGZERO_NO_SKIP=1 (as in CI) a missing tool fails it instead.
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	msg := tool + " is not installed (apt-get install " + pkg + ")"
	if os.Getenv("RINGZERO_NO_SKIP") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
