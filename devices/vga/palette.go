package vga

// Palettes the BIOS loads into the DAC when it sets a mode (IBM VGA
// Technical Reference, "Default colour tables"), built from their rules.
type paletteKind int

const (
	paletteEGA  paletteKind = iota // 64 entries, rgbRGB: 350/400/480-line colour modes
	paletteCGA                     // 64 entries, CGA colours with bit 4 as intensity: 200-line modes
	paletteMono                    // 64 grey entries for monochrome mode 7
	palette256                     // mode 13h's 256 entries
)

// loadPalette fills the DAC with palette k, clearing entries it does not
// define.
func (a *Adapter) loadPalette(k paletteKind) {
	a.dac = [256][3]uint8{}
	switch k {
	case paletteEGA:
		// Bits 0-2 are blue, green and red at 2/3 intensity, bits 3-5 the
		// same at 1/3.
		for i := range 64 {
			for c := range 3 {
				bit := uint(2 - c) // red is bit 2, blue bit 0
				a.dac[i][c] = uint8(i>>bit&1)*0x2A + uint8(i>>(bit+3)&1)*0x15
			}
		}
	case paletteCGA:
		for i := range 64 {
			a.dac[i] = cgaColor(i&7, i&0x10 != 0)
		}
	case paletteMono:
		// Bit 3 is the normal video level, bit 4 adds intensity.
		for i := range 64 {
			v := uint8(i>>3&1)*0x2A + uint8(i>>4&1)*0x15
			a.dac[i] = [3]uint8{v, v, v}
		}
	case palette256:
		for i := range 16 {
			a.dac[i] = cgaColor(i&7, i&8 != 0)
		}
		grey := [16]uint8{0, 5, 8, 11, 14, 17, 20, 24, 28, 32, 36, 40, 45, 50, 56, 63}
		for i, v := range grey {
			a.dac[16+i] = [3]uint8{v, v, v}
		}
		// Nine 24-colour hue wheels: three intensities by three
		// saturations, each running blue, magenta, red, yellow, green,
		// cyan and back towards blue in five steps per edge.
		levels := [9][5]uint8{
			{0, 16, 31, 47, 63}, {31, 39, 47, 55, 63}, {45, 49, 54, 58, 63},
			{0, 7, 14, 21, 28}, {14, 17, 21, 24, 28}, {20, 22, 24, 26, 28},
			{0, 4, 8, 12, 16}, {8, 10, 12, 14, 16}, {11, 12, 13, 15, 16},
		}
		for w, l := range levels {
			for h := range 24 {
				a.dac[32+w*24+h] = hue(h, l)
			}
		}
	}
}

// cgaColor is one of the 16 CGA colours: rgb bits 2 (red), 1 (green) and 0
// (blue) at 2/3, intensity adding 1/3 to all three; dark yellow is brown.
func cgaColor(rgb int, bright bool) [3]uint8 {
	var c [3]uint8
	for i := range 3 {
		if rgb>>(2-i)&1 != 0 {
			c[i] = 0x2A
		}
	}
	if bright {
		for i := range c {
			c[i] += 0x15
		}
	} else if rgb == 6 {
		c[1] = 0x15
	}
	return c
}

// hue returns step h (0-23) of a hue wheel over the five levels l, low to
// high.
func hue(h int, l [5]uint8) [3]uint8 {
	lo, hi := l[0], l[4]
	up := func(i int) uint8 { return l[i] } // rising edge, i = 0..4
	dn := func(i int) uint8 { return l[4-i] }
	e, i := h/4, h%4
	switch e {
	case 0: // blue -> magenta: red rises
		return [3]uint8{up(i), lo, hi}
	case 1: // magenta -> red: blue falls
		return [3]uint8{hi, lo, dn(i)}
	case 2: // red -> yellow: green rises
		return [3]uint8{hi, up(i), lo}
	case 3: // yellow -> green: red falls
		return [3]uint8{dn(i), hi, lo}
	case 4: // green -> cyan: blue rises
		return [3]uint8{lo, hi, up(i)}
	default: // cyan -> blue: green falls
		return [3]uint8{lo, dn(i), hi}
	}
}
