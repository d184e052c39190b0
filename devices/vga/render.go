package vga

import (
	"image"
	"image/color"
)

// Geometry describes the picture the registers currently select.
type Geometry struct {
	Graphics   bool // all-points-addressable mode (GR6 bit 0) rather than text
	Width      int  // frame width in pixels, as Render produces it
	Height     int  // frame height in pixels
	Cols, Rows int  // text cells (text modes only)
	CharWidth  int  // text cell width: 8 or 9 (SR1 bit 0)
	CharHeight int  // text cell height: CR9 maximum scan line + 1
	// ScaleX and ScaleY say how many monitor dots and scan lines one frame
	// pixel covers (dot clock halving, 256-colour pixel pairs, double
	// scanning and repeated rows), so a frontend can keep the 4:3 shape:
	// mode 13h is 320x200 with scales 2 and 2.
	ScaleX, ScaleY int
}

// Geometry decodes the current display format from the CRTC (horizontal
// display end, vertical display end with its overflow bits, maximum scan
// line and double scan), the sequencer (8/9-dot characters, half dot
// clock) and the graphics controller (text or graphics, 256-colour mode).
// Graphics frames count distinct lines: a row of scan lines that all show
// the same memory (mode 13h's two, for instance) is one frame line.
func (a *Adapter) Geometry() Geometry {
	g := Geometry{Graphics: a.gc[grMisc]&gr6Graphics != 0, ScaleX: 1, ScaleY: 1}
	chars := int(a.crtc[crHDispEnd]) + 1
	lines := int(a.vertical(crVDispEnd, 1, 6)) + 1
	scan := int(a.crtc[crMaxScan]&0x1F) + 1
	if a.crtc[crMaxScan]&cr09DoubleScan != 0 {
		g.ScaleY = 2
		lines = (lines + 1) / 2
	}
	if a.seq[srClock]&sr1HalfClock != 0 {
		g.ScaleX = 2
	}
	if !g.Graphics {
		g.CharWidth = 9
		if a.seq[srClock]&sr1Dot8 != 0 {
			g.CharWidth = 8
		}
		g.CharHeight = scan
		g.Cols = chars
		g.Rows = (lines + scan - 1) / scan
		g.Width = chars * g.CharWidth
		g.Height = lines
		return g
	}
	g.Width = chars * 8
	if a.gc[grMode]&gr5Color256 != 0 {
		g.Width /= 2
		g.ScaleX *= 2
	}
	g.Height = lines
	if !a.rowScanAddresses() {
		g.Height = (lines + scan - 1) / scan
		g.ScaleY *= scan
	}
	return g
}

// rowScanAddresses reports whether the row scan counter reaches the memory
// address (CR17 bits 0-1 clear: the CGA and Hercules interleaved banks), so
// that the scan lines of one character row show different memory.
func (a *Adapter) rowScanAddresses() bool {
	return a.crtc[crMode]&(cr17Map13|cr17Map14) != cr17Map13|cr17Map14
}

// memAddr turns the CRTC's memory address counter into a plane offset:
// doubleword mode rotates it left by two, word mode by one (bringing bit
// 13 or 15 down to bit 0), and CR17 bits 0-1 substitute the row scan
// counter for address bits 13-14.
func (a *Adapter) memAddr(ma uint32, rowScan int) uint32 {
	mode := a.crtc[crMode]
	addr := ma
	switch {
	case a.crtc[crUnderline]&cr14DWord != 0:
		addr = ma<<2 | ma>>14&3
	case mode&cr17Byte == 0:
		hi := ma >> 13
		if mode&cr17AddrWrap != 0 {
			hi = ma >> 15
		}
		addr = ma<<1 | hi&1
	}
	if mode&cr17Map13 == 0 {
		addr = addr&^(1<<13) | uint32(rowScan&1)<<13
	}
	if mode&cr17Map14 == 0 {
		addr = addr&^(1<<14) | uint32(rowScan>>1&1)<<14
	}
	return addr & 0xFFFF
}

// Render draws the current frame into dst and returns it; when dst is nil
// or not Geometry's size at the origin, a new image is allocated. Text
// blinking follows the virtual clock: the cursor every 16 frames, blinking
// characters every 32. A screen turned off by SR1 is black; while the
// attribute palette address source bit is clear the frame shows the
// overscan colour, as the hardware does.
func (a *Adapter) Render(dst *image.RGBA) *image.RGBA {
	g := a.Geometry()
	r := image.Rect(0, 0, g.Width, g.Height)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	pal := a.dacColors()
	switch {
	case a.seq[srClock]&sr1ScreenOff != 0:
		fill(dst, color.RGBA{A: 0xFF})
	case a.attrIndex&arIndexPAS == 0:
		fill(dst, pal[a.attr[arOverscan]])
	case g.Graphics:
		a.renderGraphics(dst, g, &pal)
	default:
		a.renderText(dst, g, &pal)
	}
	return dst
}

func fill(dst *image.RGBA, c color.RGBA) {
	b := dst.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
}

// dacColors returns the colour of each pixel value after the pixel mask
// and the DAC, with the 6-bit components widened to 8 bits.
func (a *Adapter) dacColors() (pal [256]color.RGBA) {
	for i := range pal {
		c := a.dac[uint8(i)&a.dacMask]
		pal[i] = color.RGBA{R: c[0]<<2 | c[0]>>4, G: c[1]<<2 | c[1]>>4, B: c[2]<<2 | c[2]>>4, A: 0xFF}
	}
	return pal
}

// attrColor maps a 4-bit colour through the attribute controller: the
// palette register gives 6 bits, colour select bits 2-3 supply bits 6-7 and,
// when AR10 bit 7 is set, colour select bits 0-1 replace bits 4-5.
func (a *Adapter) attrColor(c uint8) uint8 {
	p := a.attr[c&0x0F]
	cs := a.attr[arColorSelect]
	if a.attr[arMode]&ar10P54 != 0 {
		p = p&0x0F | (cs&3)<<4
	}
	return p&0x3F | (cs&0x0C)<<4
}

// raster walks the displayed scan lines as the CRTC does and calls line for
// each one that begins a new frame line, with the memory address at the
// start of its character row and the row scan counter. It handles the
// start address, byte panning and preset row scan (CR08), the row offset
// (CR13), double scanning and the line compare split, below which the
// address and row scan restart at zero.
func (a *Adapter) raster(g Geometry, line func(y int, start uint32, rowScan int, split bool)) {
	lines := int(a.vertical(crVDispEnd, 1, 6)) + 1
	maxScan := int(a.crtc[crMaxScan] & 0x1F)
	double := a.crtc[crMaxScan]&cr09DoubleScan != 0
	compare := int(a.crtc[crLineCompare]) | int(a.crtc[crOverflow]>>4&1)<<8 | int(a.crtc[crMaxScan]>>6&1)<<9
	everyScan := !g.Graphics || a.rowScanAddresses()
	step := 2 * uint32(a.crtc[crOffset])
	start := (uint32(a.crtc[crStartHi])<<8 | uint32(a.crtc[crStartLo])) + uint32(a.crtc[crPresetRow]>>5&3)
	rowScan := int(a.crtc[crPresetRow] & 0x1F)
	repeat, split, fresh := false, false, true
	y := 0
	for n := 0; n < lines && y < g.Height; n++ {
		if n == compare {
			start, rowScan, repeat, split, fresh = 0, 0, false, true, true
		}
		if !repeat && (everyScan || rowScan == 0 || fresh) {
			line(y, start, rowScan, split)
			y++
			fresh = false
		}
		if double {
			if repeat = !repeat; repeat {
				continue
			}
		}
		if rowScan >= maxScan {
			rowScan = 0
			start += step
		} else {
			rowScan++
		}
	}
}

// put copies one line of 4-bit or 8-bit pixel values, starting pan pixels
// in, to row y of dst through lut.
func put(dst *image.RGBA, y int, vals []uint8, pan int, lut []color.RGBA) {
	row := dst.Pix[dst.PixOffset(0, y):]
	w := dst.Rect.Dx()
	for x := 0; x < w; x++ {
		c := lut[vals[x+pan]]
		row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
	}
}

// renderText draws a text mode: character codes in plane 0, attributes in
// plane 1, glyphs in plane 2 at the character map that SR3 and attribute
// bit 3 select.
func (a *Adapter) renderText(dst *image.RGBA, g Geometry, pal *[256]color.RGBA) {
	var lut [16]color.RGBA
	for i := range lut {
		lut[i] = pal[a.attrColor(uint8(i))]
	}
	frame := a.frame()
	cursorPhase := frame/16%2 == 0
	blinkPhase := frame/32%2 == 0
	mode := a.attr[arMode]
	cw := g.CharWidth

	sr3 := int(a.seq[srCharMap])
	mapA := fontBlockOffset(sr3>>2&3 | sr3>>5&1<<2)
	mapB := fontBlockOffset(sr3&3 | sr3>>4&1<<2)
	cursor := uint32(a.crtc[crCursorHi])<<8 | uint32(a.crtc[crCursorLo])
	cursorFrom, cursorTo := int(a.crtc[crCursorStart]&0x1F), int(a.crtc[crCursorEnd]&0x1F)
	cursorOn := cursorPhase && a.crtc[crCursorStart]&cr0ACursorOff == 0
	underline := int(a.crtc[crUnderline] & 0x1F)

	// Pixel panning: in 9-dot mode 8 means none and 0-7 shift by 1-8.
	pan := int(a.attr[arPanning] & 0x0F)
	if cw == 9 {
		pan = (pan + 1) % 9
	} else {
		pan &= 7
	}

	buf := make([]uint8, (g.Cols+1)*cw)
	a.raster(g, func(y int, start uint32, rowScan int, split bool) {
		for c := 0; c <= g.Cols; c++ {
			ma := start + uint32(c)
			addr := a.memAddr(ma, rowScan)
			ch, at := a.planes[0][addr], a.planes[1][addr]
			fg, bg := at&0x0F, at>>4
			cursorColor := fg
			if mode&ar10Blink != 0 {
				bg &= 7
				if at&0x80 != 0 && !blinkPhase {
					fg = bg
				}
			}
			var glyph uint8
			if rowScan < 32 {
				base := mapB
				if at&0x08 != 0 {
					base = mapA
				}
				glyph = a.planes[2][base+int(ch)*32+rowScan]
			}
			ninth := cw == 9 && mode&ar10LineGraph != 0 && ch >= 0xC0 && ch <= 0xDF && glyph&1 != 0
			if rowScan == underline && at&0x77 == 0x01 {
				glyph, ninth = 0xFF, cw == 9
			}
			if cursorOn && ma&0xFFFF == cursor && rowScan >= cursorFrom && rowScan <= cursorTo {
				glyph, ninth, fg = 0xFF, cw == 9, cursorColor
			}
			out := buf[c*cw : c*cw+cw]
			for x := range 8 {
				out[x] = bg
				if glyph&(0x80>>x) != 0 {
					out[x] = fg
				}
			}
			if cw == 9 {
				out[8] = bg
				if ninth {
					out[8] = fg
				}
			}
		}
		p := pan
		if split && mode&ar10PanSplit != 0 {
			p = 0
		}
		put(dst, y, buf, p, lut[:])
	})
}

// renderGraphics draws an all-points-addressable mode. Each character
// clock fetches one byte from each plane and the shift registers turn
// them into pixels: eight 4-bit pixels one bit per plane (16-colour
// planar), eight 2-bit pixels from planes 0-1 with planes 2-3 above them
// (GR5 bit 5, CGA 4-colour), or four 8-bit pixels one per plane (GR5 bit
// 6, 256 colours, which go to the DAC without the attribute palette).
func (a *Adapter) renderGraphics(dst *image.RGBA, g Geometry, pal *[256]color.RGBA) {
	var lut [16]color.RGBA
	enable := a.attr[arPlaneEnable] & 0x0F
	for i := range lut {
		lut[i] = pal[a.attrColor(uint8(i)&enable)]
	}
	chars := int(a.crtc[crHDispEnd]) + 1
	c256 := a.gc[grMode]&gr5Color256 != 0
	interleave := a.gc[grMode]&gr5Interleave != 0
	per := 8
	pan := int(a.attr[arPanning] & 7)
	if c256 {
		per, pan = 4, pan/2
	}
	buf := make([]uint8, (chars+1)*per)
	a.raster(g, func(y int, start uint32, rowScan int, split bool) {
		for c := 0; c <= chars; c++ {
			addr := a.memAddr(start+uint32(c), rowScan)
			p0, p1, p2, p3 := a.planes[0][addr], a.planes[1][addr], a.planes[2][addr], a.planes[3][addr]
			out := buf[c*per : c*per+per]
			switch {
			case c256:
				out[0], out[1], out[2], out[3] = p0, p1, p2, p3
			case interleave:
				for i := range 4 {
					s := 6 - 2*i
					out[i] = p0>>s&3 | (p2>>s&3)<<2
					out[i+4] = p1>>s&3 | (p3>>s&3)<<2
				}
			default:
				for i := range 8 {
					s := 7 - i
					out[i] = p0>>s&1 | (p1>>s&1)<<1 | (p2>>s&1)<<2 | (p3>>s&1)<<3
				}
			}
		}
		p := pan
		if split && a.attr[arMode]&ar10PanSplit != 0 {
			p = 0
		}
		if c256 {
			put(dst, y, buf, p, pal[:])
		} else {
			put(dst, y, buf, p, lut[:])
		}
	})
}
