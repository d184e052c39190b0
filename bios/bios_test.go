package bios_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ringzero/bios"
)

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

func TestImageHasTheResetVectorDateAndModel(t *testing.T) {
	img := bios.Image
	if len(img) != bios.MinSize {
		t.Fatalf("Image is %d bytes, want %d", len(img), bios.MinSize)
	}
	// JMP F000:E05B at F000:FFF0, the date at FFF5, model FC at FFFE.
	if got, want := img[0xFFF0:0xFFF5], []byte{0xEA, 0x5B, 0xE0, 0x00, 0xF0}; !bytes.Equal(got, want) {
		t.Errorf("reset vector % X, want % X", got, want)
	}
	if got := string(img[0xFFF5:0xFFFD]); got != "11/29/26" {
		t.Errorf("date %q, want 11/29/26", got)
	}
	if img[0xFFFE] != 0xFC {
		t.Errorf("model byte %02X, want FC", img[0xFFFE])
	}
	if !bytes.Contains(img, []byte("ringzero BIOS")) {
		t.Error("no banner in the image")
	}
}

func TestLoadAcceptsSixtyFourOneTwentyEightAndTwoFiftySixKiB(t *testing.T) {
	for _, size := range []int{64 << 10, 128 << 10, 256 << 10} {
		path := filepath.Join(t.TempDir(), "bios.bin")
		data := bytes.Repeat([]byte{0x90}, size)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := bios.Load(path)
		if err != nil {
			t.Errorf("Load of %d bytes: %v", size, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("Load of %d bytes returned other data", size)
		}
	}
}

func TestLoadRejectsOtherSizesWithAClearError(t *testing.T) {
	for _, size := range []int{0, 1, 512, 64<<10 - 1, 64<<10 + 1, 192 << 10, 512 << 10} {
		path := filepath.Join(t.TempDir(), "bios.bin")
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := bios.Load(path)
		if err == nil {
			t.Errorf("Load accepted %d bytes", size)
			continue
		}
		if !strings.Contains(err.Error(), "64 KiB, 128 KiB or 256 KiB") || !strings.Contains(err.Error(), path) {
			t.Errorf("Load of %d bytes: unclear error %q", size, err)
		}
	}
}

func TestLoadReportsAMissingFileOrADirectory(t *testing.T) {
	dir := t.TempDir()
	if _, err := bios.Load(filepath.Join(dir, "none.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want an os.ErrNotExist error", err)
	}
	if _, err := bios.Load(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: got %v", err)
	}
}

// TestImageMatchesSource rebuilds the image the way build.sh does and
// compares it with the embedded one, and the generated font with
// src/font.asm: the committed files must be what the sources give.
func TestImageMatchesSource(t *testing.T) {
	nasm := need(t, "nasm", "nasm")
	dir := t.TempDir()
	if goTool, err := exec.LookPath("go"); err == nil {
		font := filepath.Join(dir, "font.asm")
		out, err := exec.Command(goTool, "run", "genfont.go", "-o", font).CombinedOutput()
		if err != nil {
			t.Fatalf("go run genfont.go: %v\n%s", err, out)
		}
		want, err := os.ReadFile("src/font.asm")
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(font)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Error("src/font.asm is not what genfont.go generates: run bios/build.sh")
		}
	}
	bin := filepath.Join(dir, "bios.bin")
	out, err := exec.Command(nasm, "-f", "bin", "-w+all", "-I", "src/", "-o", bin, "src/bios.asm").CombinedOutput()
	if err != nil {
		t.Fatalf("nasm: %v\n%s", err, out)
	}
	got, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, bios.Image) {
		t.Fatal("bios.bin differs from what src/ assembles to: run bios/build.sh and commit bios.bin")
	}
}
