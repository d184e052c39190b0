package vga

import "fmt"

//go:generate go run ./internal/fontgen -o font_gen.go

// Font is a character generator: 256 glyphs of Height scan lines, one
// byte per scan line with bit 7 the leftmost pixel, glyph c's line r at
// Glyphs[c*Height+r]. It is the layout a BIOS keeps in ROM and copies into
// plane 2.
type Font struct {
	Height int    // scan lines per glyph, 1-32
	Glyphs []byte // 256*Height bytes
}

// Font8x8 returns a copy of the built-in 8x8 font (for 50-line text and
// the BIOS's graphics-mode characters). It covers printable ASCII and the
// shades, blocks and box-drawing characters 0xB0-0xDF of code page 437;
// other codes are blank.
func Font8x8() Font { return Font{Height: 8, Glyphs: append([]byte(nil), font8x8Data[:]...)} }

// Font8x16 returns a copy of the built-in 8x16 font, the VGA's 400-line
// text font, with the same coverage as Font8x8.
func Font8x16() Font { return Font{Height: 16, Glyphs: append([]byte(nil), font8x16Data[:]...)} }

// fontBlockOffset is where character map n (0-7, as numbered in the
// sequencer's character map select register SR3) starts in plane 2: maps
// 0-3 at 16 KiB steps, maps 4-7 8 KiB above them (IBM VGA Technical
// Reference, SR3).
func fontBlockOffset(n int) int { return (n&3)*0x4000 + (n>>2&1)*0x2000 }

// LoadFont copies f into character map block (0-7) of plane 2, the way the
// BIOS loads a font: glyph c occupies 32 bytes at c*32 of the map, lines
// past f.Height are cleared. It writes the planes directly, without
// touching any register. A font with a height outside 1-32 or fewer than
// 256*Height bytes is refused.
func (a *Adapter) LoadFont(f Font, block int) error {
	if f.Height < 1 || f.Height > 32 {
		return fmt.Errorf("vga: font height %d outside 1-32", f.Height)
	}
	if len(f.Glyphs) < 256*f.Height {
		return fmt.Errorf("vga: font has %d bytes, want %d", len(f.Glyphs), 256*f.Height)
	}
	if block < 0 || block > 7 {
		return fmt.Errorf("vga: character map %d outside 0-7", block)
	}
	base := fontBlockOffset(block)
	for c := 0; c < 256; c++ {
		cell := a.planes[2][base+c*32 : base+c*32+32]
		n := copy(cell, f.Glyphs[c*f.Height:(c+1)*f.Height])
		clear(cell[n:])
	}
	return nil
}
