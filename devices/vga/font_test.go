package vga_test

import (
	"bytes"
	"testing"

	"ringzero/devices/vga"
)

func TestBuiltInFontsCoverASCIIAndBoxDrawing(t *testing.T) {
	for _, f := range []vga.Font{vga.Font8x8(), vga.Font8x16()} {
		if len(f.Glyphs) != 256*f.Height {
			t.Fatalf("%d-line font has %d bytes", f.Height, len(f.Glyphs))
		}
		glyph := func(c int) []byte { return f.Glyphs[c*f.Height : (c+1)*f.Height] }
		blank := make([]byte, f.Height)
		seen := map[string]int{}
		for c := 0x21; c <= 0x7E; c++ {
			g := glyph(c)
			if bytes.Equal(g, blank) {
				t.Errorf("%d-line font: %q is blank", f.Height, rune(c))
			}
			if prev, dup := seen[string(g)]; dup {
				t.Errorf("%d-line font: %q and %q look the same", f.Height, rune(prev), rune(c))
			}
			seen[string(g)] = c
		}
		for c := 0xB0; c <= 0xDF; c++ {
			if bytes.Equal(glyph(c), blank) {
				t.Errorf("%d-line font: %#x is blank", f.Height, c)
			}
		}
		if !bytes.Equal(glyph(0x20), blank) {
			t.Errorf("%d-line font: space is not blank", f.Height)
		}
		// Box-drawing lines reach the cell edges so cells join: ─ spans
		// the width, │ the height, and ┼ has both.
		mid := f.Height/2 - 1
		if glyph(0xC4)[mid] != 0xFF || glyph(0xC5)[mid] != 0xFF {
			t.Errorf("%d-line font: ─ or ┼ does not span scan line %d", f.Height, mid)
		}
		for y, b := range glyph(0xB3) {
			if b != 0x18 {
				t.Errorf("%d-line font: │ line %d = %#x, want 0x18", f.Height, y, b)
			}
		}
		// ═ meets ╔ and ╗ on the same two lines.
		for _, y := range []int{mid - 1, mid + 1} {
			if glyph(0xCD)[y] != 0xFF || glyph(0xC9)[y]&1 == 0 || glyph(0xBB)[y]&0x80 == 0 {
				t.Errorf("%d-line font: double lines do not join on line %d", f.Height, y)
			}
		}
	}
}

func TestFontsAreCopies(t *testing.T) {
	f := vga.Font8x16()
	f.Glyphs['A'*16+5] ^= 0xFF
	if bytes.Equal(vga.Font8x16().Glyphs, f.Glyphs) {
		t.Error("changing a returned font changed the built-in one")
	}
}

func TestLoadFontIntoPlane2(t *testing.T) {
	r := newRig(t, 3)
	f := vga.Font8x8()
	if err := r.vga.LoadFont(f, 1); err != nil {
		t.Fatal(err)
	}
	// Map 1 starts at 16 KiB in plane 2; read it the way a BIOS does.
	r.seq(2, 0x04)
	r.seq(4, 0x06)
	r.gc(4, 0x02)
	r.gc(5, 0x00)
	r.gc(6, 0x04)
	for line := uint32(0); line < 10; line++ {
		want := uint8(0)
		if line < 8 {
			want = f.Glyphs['B'*8+line]
		}
		if got := r.peek(gfxBase + 0x4000 + 'B'*32 + line); got != want {
			t.Errorf("map 1, 'B' line %d = %#x, want %#x", line, got, want)
		}
	}
	for _, bad := range []struct {
		f     vga.Font
		block int
	}{
		{vga.Font{Height: 0}, 0},
		{vga.Font{Height: 33, Glyphs: make([]byte, 256*33)}, 0},
		{vga.Font{Height: 8, Glyphs: make([]byte, 100)}, 0},
		{f, 8},
		{f, -1},
	} {
		if err := r.vga.LoadFont(bad.f, bad.block); err == nil {
			t.Errorf("LoadFont(height %d, %d bytes, map %d) succeeded", bad.f.Height, len(bad.f.Glyphs), bad.block)
		}
	}
}

func TestTextUsesCharacterMapSelect(t *testing.T) {
	r := newRig(t, 3)
	// Map 4 (8 KiB up) holds a font with 'A' solid; SR3 selects it as map
	// A (bits 5,3,2 = 1,0,0) while map B stays 0, so attribute bit 3
	// chooses between the two.
	solid := vga.Font{Height: 16, Glyphs: make([]byte, 256*16)}
	for i := range 16 {
		solid.Glyphs['A'*16+i] = 0xFF
	}
	if err := r.vga.LoadFont(solid, 4); err != nil {
		t.Fatal(err)
	}
	r.seq(3, 0x20)
	r.crtc(0x0A, 0x20)
	r.bus.Write(textBase, 2, 0x0F41)   // bright: map A
	r.bus.Write(textBase+2, 2, 0x0741) // normal: map B
	img := r.vga.Render(nil)
	fgBright, _ := r.textColours(0x0F)
	_, bg := r.textColours(0x07)
	if got := img.RGBAAt(0, 0); got != fgBright {
		t.Errorf("map A glyph corner = %v, want solid %v", got, fgBright)
	}
	if got := img.RGBAAt(9, 0); got != bg {
		t.Errorf("map B glyph corner = %v, want blank %v", got, bg)
	}
}
