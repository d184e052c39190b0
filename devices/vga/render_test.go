package vga_test

import (
	"image"
	"image/color"
	"testing"

	"ringzero/devices/vga"
)

// frameNs is one mode 3 frame: 449 lines of 100 nine-dot characters at
// 28.322 MHz (IBM VGA Technical Reference timing), about 70 Hz.
const frameNs uint64 = 449 * 100 * 9 * 1_000_000_000 / 28_322_000

func TestGeometryOfStandardModes(t *testing.T) {
	tests := []struct {
		mode             int
		graphics         bool
		w, h, cols, rows int
		scaleX, scaleY   int
	}{
		{0x00, false, 360, 400, 40, 25, 2, 1},
		{0x01, false, 360, 400, 40, 25, 2, 1},
		{0x02, false, 720, 400, 80, 25, 1, 1},
		{0x03, false, 720, 400, 80, 25, 1, 1},
		{0x04, true, 320, 200, 0, 0, 2, 2},
		{0x05, true, 320, 200, 0, 0, 2, 2},
		{0x06, true, 640, 200, 0, 0, 1, 2},
		{0x07, false, 720, 400, 80, 25, 1, 1},
		{0x0D, true, 320, 200, 0, 0, 2, 2},
		{0x0E, true, 640, 200, 0, 0, 1, 2},
		{0x10, true, 640, 350, 0, 0, 1, 1},
		{0x11, true, 640, 480, 0, 0, 1, 1},
		{0x12, true, 640, 480, 0, 0, 1, 1},
		{0x13, true, 320, 200, 0, 0, 2, 2},
	}
	for _, tc := range tests {
		r := newRig(t, tc.mode)
		g := r.vga.Geometry()
		if g.Graphics != tc.graphics || g.Width != tc.w || g.Height != tc.h || g.Cols != tc.cols || g.Rows != tc.rows || g.ScaleX != tc.scaleX || g.ScaleY != tc.scaleY {
			t.Errorf("mode %#x: geometry %+v, want graphics=%v %dx%d cells %dx%d scale %dx%d",
				tc.mode, g, tc.graphics, tc.w, tc.h, tc.cols, tc.rows, tc.scaleX, tc.scaleY)
		}
		if img := r.vga.Render(nil); img.Rect.Dx() != tc.w || img.Rect.Dy() != tc.h {
			t.Errorf("mode %#x: frame %v, want %dx%d", tc.mode, img.Rect, tc.w, tc.h)
		}
	}
	if err := vga.New(nil).SetMode(0x14); err == nil {
		t.Error("SetMode(0x14) succeeded, want an error")
	}
}

// textColours returns the colours attribute at gives its foreground and
// background in a text mode, read from the attribute controller and the
// DAC through the ports.
func (r *rig) textColours(at uint8) (fg, bg color.RGBA) {
	return r.dacColor(r.attrRead(at & 0x0F)), r.dacColor(r.attrRead(at >> 4))
}

func TestTextRenderMatchesCharacterAndAttribute(t *testing.T) {
	r := newRig(t, 3)
	const col, row, at = 3, 2, 0x1E // yellow on blue
	r.bus.Write(textBase+uint32(row*80+col)*2, 2, uint32(at)<<8|'A')
	img := r.vga.Render(nil)
	fg, bg := r.textColours(at)
	if fg == bg {
		t.Fatal("foreground and background colours are equal")
	}
	font := vga.Font8x16().Glyphs
	lit := 0
	for y := 0; y < 16; y++ {
		bits := font['A'*16+y]
		for x := 0; x < 9; x++ {
			want := bg
			if x < 8 && bits&(0x80>>x) != 0 {
				want, lit = fg, lit+1
			}
			if got := img.RGBAAt(col*9+x, row*16+y); got != want {
				t.Fatalf("pixel (%d,%d) of the cell = %v, want %v", x, y, got, want)
			}
		}
	}
	if lit < 10 {
		t.Errorf("glyph 'A' lit only %d pixels", lit)
	}
	// The cell to its right is a cleared cell: grey on black, blank.
	_, black := r.textColours(0x07)
	if got := img.RGBAAt((col+1)*9+4, row*16+8); got != black {
		t.Errorf("neighbouring cell = %v, want %v", got, black)
	}
}

func TestTextLineGraphicsNinthColumn(t *testing.T) {
	r := newRig(t, 3)
	r.bus.Write(textBase, 2, 0x07C4)   // ─ in cell 0
	r.bus.Write(textBase+2, 2, 0x07B0) // ░ in cell 1: outside 0xC0-0xDF
	r.crtc(0x0A, 0x20)                 // cursor off
	img := r.vga.Render(nil)
	fg, bg := r.textColours(0x07)
	if got := img.RGBAAt(8, 7); got != fg {
		t.Errorf("9th column of ─ on its line = %v, want foreground %v", got, fg)
	}
	if got := img.RGBAAt(9+8, 0); got != bg {
		t.Errorf("9th column of ░ = %v, want background %v", got, bg)
	}
	r.attr(0x10, 0x08) // line graphics off
	img = r.vga.Render(img)
	if got := img.RGBAAt(8, 7); got != bg {
		t.Errorf("9th column of ─ with line graphics off = %v, want background", got)
	}
}

func TestTextCursorBlinksEvery16Frames(t *testing.T) {
	r := newRig(t, 3)
	r.crtc(0x0E, 0x00)
	r.crtc(0x0F, 81) // row 1, column 1
	fg, bg := r.textColours(0x07)
	x, y := 9+4, 16+14 // inside the default cursor lines 13-14
	if got := r.vga.Render(nil).RGBAAt(x, y); got != fg {
		t.Errorf("frame 0: cursor pixel = %v, want %v", got, fg)
	}
	r.advance(16*frameNs + 1000)
	if got := r.vga.Render(nil).RGBAAt(x, y); got != bg {
		t.Errorf("frame 16: cursor pixel = %v, want %v (off phase)", got, bg)
	}
	r.advance(16 * frameNs)
	if got := r.vga.Render(nil).RGBAAt(x, y); got != fg {
		t.Errorf("frame 32: cursor pixel = %v, want %v", got, fg)
	}
	r.crtc(0x0A, 0x2D) // cursor disabled
	if got := r.vga.Render(nil).RGBAAt(x, y); got != bg {
		t.Errorf("disabled cursor pixel = %v, want %v", got, bg)
	}
}

func TestTextBlinkAttributeOrIntensity(t *testing.T) {
	r := newRig(t, 3)
	r.crtc(0x0A, 0x20)               // cursor off
	r.bus.Write(textBase, 2, 0x8FDB) // full block, blinking white on black
	fg, bg := r.textColours(0x0F)
	if got := r.vga.Render(nil).RGBAAt(4, 8); got != fg {
		t.Errorf("frame 0: blinking block = %v, want %v", got, fg)
	}
	r.advance(32*frameNs + 1000)
	if got := r.vga.Render(nil).RGBAAt(4, 8); got != bg {
		t.Errorf("frame 32: blinking block = %v, want background %v", got, bg)
	}
	// With AR10 bit 3 clear, bit 7 is background intensity: a space
	// shows dark grey (colour 8).
	r.attr(0x10, 0x04)
	r.bus.Write(textBase, 2, 0x8F20)
	_, grey := r.textColours(0x80)
	if grey == bg {
		t.Fatal("colour 8 equals colour 0")
	}
	if got := r.vga.Render(nil).RGBAAt(4, 8); got != grey {
		t.Errorf("intensity background = %v, want %v", got, grey)
	}
}

func TestFortyColumnTextUsesNineDotCells(t *testing.T) {
	r := newRig(t, 1)
	r.bus.Write(textBase+2*39, 2, 0x0FDB) // last column
	img := r.vga.Render(nil)
	fg, _ := r.textColours(0x0F)
	if got := img.RGBAAt(39*9+7, 0); got != fg {
		t.Errorf("block in column 39 = %v, want %v", got, fg)
	}
}

func TestMode13hRendersAPixel(t *testing.T) {
	r := newRig(t, 0x13)
	r.setDAC(0x80, 0x3F, 0x20, 0x00)
	r.poke(gfxBase+5*320+10, 0x80)
	img := r.vga.Render(nil)
	if want := (color.RGBA{0xFF, 0x82, 0x00, 0xFF}); img.RGBAAt(10, 5) != want {
		t.Errorf("pixel (10,5) = %v, want %v", img.RGBAAt(10, 5), want)
	}
	black := r.dacColor(0)
	for _, p := range []image.Point{{9, 5}, {11, 5}, {10, 4}, {10, 6}} {
		if got := img.RGBAAt(p.X, p.Y); got != black {
			t.Errorf("pixel %v = %v, want black", p, got)
		}
	}
	// The pixel mask applies before the DAC.
	r.out(portDACMask, 0x7F)
	if got := r.vga.Render(img).RGBAAt(10, 5); got != black {
		t.Errorf("pixel through mask 0x7f = %v, want entry 0 (black)", got)
	}
}

func TestMode13hPanningAndLineCompare(t *testing.T) {
	r := newRig(t, 0x13)
	r.poke(gfxBase+1, 0x0F)
	white := r.dacColor(0x0F)

	r.attr(0x13, 2) // two dots: one 256-colour pixel
	if got := r.vga.Render(nil).RGBAAt(0, 0); got != white {
		t.Errorf("panned pixel (0,0) = %v, want %v", got, white)
	}
	r.attr(0x13, 0)

	// Split at scan line 100 (frame line 50): below it the display
	// restarts at address 0. Clear line compare bits 8 (CR07 bit 4) and
	// 9 (CR09 bit 6).
	r.crtc(0x07, 0x0F)
	r.crtc(0x09, 0x01)
	r.crtc(0x18, 100)
	img := r.vga.Render(nil)
	if got := img.RGBAAt(1, 50); got != white {
		t.Errorf("pixel (1,50) below the split = %v, want %v", got, white)
	}
	if got := img.RGBAAt(1, 49); got == white {
		t.Errorf("pixel (1,49) above the split is white, want row 49's black")
	}
}

func TestPlanarMode12hRendersThroughPalette(t *testing.T) {
	r := newRig(t, 0x12)
	const x, y = 100, 300
	r.gc(5, 0x02)
	r.gc(8, 0x80>>(x%8))
	addr := uint32(gfxBase + y*80 + x/8)
	r.peek(addr)
	r.poke(addr, 0x05)
	r.gc(8, 0xFF)
	r.gc(5, 0x00)
	img := r.vga.Render(nil)
	want := r.dacColor(r.attrRead(5))
	if got := img.RGBAAt(x, y); got != want {
		t.Errorf("pixel = %v, want colour 5 %v", got, want)
	}
	if got := img.RGBAAt(x+1, y); got != r.dacColor(r.attrRead(0)) {
		t.Errorf("next pixel = %v, want colour 0", got)
	}
	// Disabling plane 0 turns colour 5 into colour 4.
	r.attr(0x12, 0x0E)
	if got, want := r.vga.Render(img).RGBAAt(x, y), r.dacColor(r.attrRead(4)); got != want {
		t.Errorf("pixel with plane 0 disabled = %v, want colour 4 %v", got, want)
	}
}

func TestMode0DhHalfClock(t *testing.T) {
	r := newRig(t, 0x0D)
	r.gc(5, 0x02)
	r.poke(gfxBase+40*199+39, 0x0E) // last byte of the 40-byte rows
	r.gc(5, 0x00)
	img := r.vga.Render(nil)
	want := r.dacColor(r.attrRead(0x0E))
	if got := img.RGBAAt(319, 199); got != want {
		t.Errorf("pixel (319,199) = %v, want colour 14 %v", got, want)
	}
}

func TestCGAMode4Render(t *testing.T) {
	r := newRig(t, 4)
	r.poke(textBase, 0xE4)        // pixels 3, 2, 1, 0 on line 0
	r.poke(textBase+0x2000, 0x40) // pixel 1 on line 1 (odd bank)
	r.poke(textBase+81, 0x03)     // pixel 7 on line 2, from the odd byte
	img := r.vga.Render(nil)
	colour := func(i uint8) color.RGBA { return r.dacColor(r.attrRead(i)) }
	for x, c := range []uint8{3, 2, 1, 0} {
		if got := img.RGBAAt(x, 0); got != colour(c) {
			t.Errorf("line 0 pixel %d = %v, want colour %d %v", x, got, c, colour(c))
		}
	}
	if got := img.RGBAAt(0, 1); got != colour(1) {
		t.Errorf("line 1 pixel 0 = %v, want colour 1", got)
	}
	if got := img.RGBAAt(7, 2); got != colour(3) {
		t.Errorf("line 2 pixel 7 = %v, want colour 3", got)
	}
	if colour(3) != (color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}) {
		t.Errorf("mode 4 colour 3 = %v, want bright white", colour(3))
	}
}

func TestCGAMode6Render(t *testing.T) {
	r := newRig(t, 6)
	r.poke(textBase, 0x81)
	r.poke(textBase+0x2000+79, 0x01)
	img := r.vga.Render(nil)
	on, off := r.dacColor(r.attrRead(1)), r.dacColor(r.attrRead(0))
	for x := 0; x < 8; x++ {
		want := off
		if x == 0 || x == 7 {
			want = on
		}
		if got := img.RGBAAt(x, 0); got != want {
			t.Errorf("line 0 pixel %d = %v, want %v", x, got, want)
		}
	}
	if got := img.RGBAAt(639, 1); got != on {
		t.Errorf("line 1 pixel 639 = %v, want %v", got, on)
	}
}

func TestScreenOffAndPASBlankTheFrame(t *testing.T) {
	r := newRig(t, 3)
	r.bus.Write(textBase, 2, 0x0FDB)
	r.seq(1, 0x20) // screen off (and 9-dot)
	if got := r.vga.Render(nil).RGBAAt(4, 4); got != (color.RGBA{A: 0xFF}) {
		t.Errorf("screen off pixel = %v, want black", got)
	}
	r.seq(1, 0x00)
	r.attr(0x11, 0x01) // overscan colour 1
	r.in(portStatColor)
	r.out(portAttr, 0x00) // PAS clear
	if got, want := r.vga.Render(nil).RGBAAt(4, 4), r.dacColor(1); got != want {
		t.Errorf("PAS clear pixel = %v, want overscan %v", got, want)
	}
}

func TestRenderReusesDestination(t *testing.T) {
	r := newRig(t, 3)
	a := r.vga.Render(nil)
	if b := r.vga.Render(a); b != a {
		t.Error("Render allocated a new image for a matching destination")
	}
	if err := r.vga.SetMode(0x13); err != nil {
		t.Fatal(err)
	}
	if b := r.vga.Render(a); b == a || b.Rect.Dx() != 320 {
		t.Errorf("Render after a mode change returned %v", b.Rect)
	}
}
