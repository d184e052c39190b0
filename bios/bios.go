package bios

import (
	_ "embed"
	"fmt"
	"os"
)

// Image is the built-in BIOS: 64 KiB, the F000 segment, with the reset
// vector at offset FFF0h, the date "11/29/26" at FFF5h and the model byte
// FCh (AT) at FFFEh. It is assembled from src/ by build.sh; a test checks
// that it matches its sources. Callers must not modify it.
//
//go:embed bios.bin
var Image []byte

// Sizes of a BIOS image. The built-in one is MinSize; external images
// (SeaBIOS builds, for example) may be 64, 128 or 256 KiB, and the board
// maps the last 128 KiB of them below 1 MiB and all of them below 4 GiB.
const (
	MinSize = 64 << 10
	MaxSize = 256 << 10
)

// Load reads the BIOS image at path, as given to -bios, and checks that it
// can be mapped: 64 KiB, 128 KiB or 256 KiB long.
func Load(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("bios: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("bios: %s is not a regular file", path)
	}
	if err := checkSize(path, fi.Size()); err != nil {
		return nil, err
	}
	img, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bios: %w", err)
	}
	// The file may have changed between Stat and ReadFile.
	if err := checkSize(path, int64(len(img))); err != nil {
		return nil, err
	}
	return img, nil
}

// checkSize accepts the image sizes Load allows.
func checkSize(path string, n int64) error {
	switch n {
	case 64 << 10, 128 << 10, 256 << 10:
		return nil
	}
	return fmt.Errorf("bios: %s is %d bytes: a BIOS image must be 64 KiB, 128 KiB or 256 KiB (65536, 131072 or 262144 bytes)", path, n)
}
