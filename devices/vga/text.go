package vga

import "strings"

// cp437 maps code page 437, the VGA's character set, to Unicode, sixteen
// codes a line. Code 0 maps to a space so a cleared screen reads blank.
var cp437 = [16]string{
	" ☺☻♥♦♣♠•◘○◙♂♀♪♫☼",
	"►◄↕‼¶§▬↨↑↓→←∟↔▲▼",
	" !\"#$%&'()*+,-./",
	"0123456789:;<=>?",
	"@ABCDEFGHIJKLMNO",
	"PQRSTUVWXYZ[\\]^_",
	"`abcdefghijklmno",
	"pqrstuvwxyz{|}~⌂",
	"ÇüéâäàåçêëèïîìÄÅ",
	"ÉæÆôöòûùÿÖÜ¢£¥₧ƒ",
	"áíóúñÑªº¿⌐¬½¼¡«»",
	"░▒▓│┤╡╢╖╕╣║╗╝╜╛┐",
	"└┴┬├─┼╞╟╚╔╩╦╠═╬╧",
	"╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀",
	"αßΓπΣσµτΦΘΩδ∞φε∩",
	"≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0",
}

var cp437Runes = func() (t [256]rune) {
	for hi, line := range cp437 {
		i := 0
		for _, r := range line {
			t[hi*16+i] = r
			i++
		}
	}
	return t
}()

// CP437 returns the Unicode character that code page 437 code b shows.
func CP437(b byte) rune { return cp437Runes[b] }

// TextScreen returns the characters of the displayed text page, one line
// per character row joined by newlines, converted from code page 437 and
// with trailing spaces removed; in graphics modes it returns "". It reads
// the screen as the CRTC does (start address, row offset), ignoring
// attributes and any line compare split.
func (a *Adapter) TextScreen() string {
	g := a.Geometry()
	if g.Graphics {
		return ""
	}
	var b strings.Builder
	start := uint32(a.crtc[crStartHi])<<8 | uint32(a.crtc[crStartLo])
	step := 2 * uint32(a.crtc[crOffset])
	line := make([]rune, g.Cols)
	for r := 0; r < g.Rows; r++ {
		for c := range line {
			line[c] = CP437(a.planes[0][a.memAddr(start+uint32(c), 0)])
		}
		if r > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(string(line), " "))
		start += step
	}
	return b.String()
}

// Cursor returns the text cursor's cell on the displayed page and whether
// the cursor is enabled (CR0A bit 5 clear) and on screen in a text mode.
// Blinking is not considered.
func (a *Adapter) Cursor() (col, row int, visible bool) {
	g := a.Geometry()
	step := 2 * int(a.crtc[crOffset])
	if g.Graphics || step == 0 {
		return 0, 0, false
	}
	start := int(a.crtc[crStartHi])<<8 | int(a.crtc[crStartLo])
	pos := int(a.crtc[crCursorHi])<<8 | int(a.crtc[crCursorLo])
	off := (pos - start) & 0xFFFF
	col, row = off%step, off/step
	visible = a.crtc[crCursorStart]&cr0ACursorOff == 0 && col < g.Cols && row < g.Rows
	return col, row, visible
}
