package vga_test

import (
	"math/rand"
	"testing"

	"ringzero/devices/clock"
	"ringzero/devices/vga"
)

// TestArbitraryGuestInputNeverPanics programs random register values,
// including out-of-range indexes and every memory map, then renders and
// reads status, as a misbehaving guest might.
func TestArbitraryGuestInputNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	clk := clock.New(0)
	a := vga.New(clk)
	sizes := []int{1, 2, 4}
	for round := 0; round < 300; round++ {
		for i := 0; i < 40; i++ {
			off := uint16(rng.Intn(vga.PortSize + 4)) // a little past the end too
			a.WritePort(off, sizes[rng.Intn(3)], rng.Uint32())
			a.ReadPort(off, sizes[rng.Intn(3)])
		}
		for i := 0; i < 40; i++ {
			off := uint32(rng.Intn(vga.MemSize + 8))
			a.WriteMMIO(off, sizes[rng.Intn(3)], rng.Uint32())
			a.ReadMMIO(off, sizes[rng.Intn(3)])
		}
		clk.AdvanceTo(clk.Now() + uint64(rng.Intn(50_000_000)))
		g := a.Geometry()
		img := a.Render(nil)
		if img.Rect.Dx() != g.Width || img.Rect.Dy() != g.Height {
			t.Fatalf("round %d: frame %v for geometry %+v", round, img.Rect, g)
		}
		_ = a.TextScreen()
		_, _, _ = a.Cursor()
	}
}

// FuzzRegisters drives the ports and memory from fuzz input: pairs of
// (port offset, value) bytes followed by a render.
func FuzzRegisters(f *testing.F) {
	f.Add([]byte{0x24, 0x09, 0x25, 0xFF, 0x1E, 0x06, 0x1F, 0x01})
	f.Add([]byte{0x14, 0x04, 0x15, 0x00, 0x10, 0x30, 0x10, 0xFF})
	f.Fuzz(func(t *testing.T, data []byte) {
		a := vga.New(clock.New(0))
		for i := 0; i+1 < len(data); i += 2 {
			a.WritePort(uint16(data[i]%vga.PortSize), 1, uint32(data[i+1]))
			a.WriteMMIO(uint32(data[i])<<9|uint32(data[i+1]), 1, uint32(data[i]))
		}
		a.Render(nil)
		a.TextScreen()
	})
}
