package vga

import "math/bits"

// Dot clocks selected by misc output bits 2-3 (IBM VGA Technical
// Reference). The external clocks 2 and 3 are taken as 25.175 MHz.
const (
	dotClock25 = 25_175_000
	dotClock28 = 28_322_000
)

// timing is the raster the CRTC registers describe, in character clocks
// and scan lines.
type timing struct {
	charPs  uint64 // one character clock in picoseconds
	hTotal  uint64 // character clocks per scan line
	hDisp   uint64 // displayed character clocks per line
	vTotal  uint64 // scan lines per frame
	vDisp   uint64 // displayed scan lines
	vrStart uint64 // first scan line of vertical retrace
	vrEnd   uint64 // first scan line after it
}

// vertical returns the 10-bit value of a vertical CRTC register whose bits
// 8 and 9 live in the overflow register at bit8 and bit9.
func (a *Adapter) vertical(reg uint8, bit8, bit9 uint) uint64 {
	ov := a.crtc[crOverflow]
	return uint64(a.crtc[reg]) | uint64(ov>>bit8&1)<<8 | uint64(ov>>bit9&1)<<9
}

// timing decodes the CRTC, sequencer and misc output registers.
func (a *Adapter) timing() timing {
	hz := uint64(dotClock25)
	if a.misc&miscClockMask == 0x04 {
		hz = dotClock28
	}
	dots := uint64(9)
	if a.seq[srClock]&sr1Dot8 != 0 {
		dots = 8
	}
	if a.seq[srClock]&sr1HalfClock != 0 {
		dots *= 2
	}
	t := timing{
		charPs:  dots * 1_000_000_000_000 / hz,
		hTotal:  uint64(a.crtc[crHTotal]) + 5,
		hDisp:   uint64(a.crtc[crHDispEnd]) + 1,
		vTotal:  a.vertical(crVTotal, 0, 5) + 2,
		vDisp:   a.vertical(crVDispEnd, 1, 6) + 1,
		vrStart: a.vertical(crVRetraceStart, 2, 7),
	}
	// Vertical retrace ends when the low four bits of the line counter
	// match CR11 bits 0-3.
	t.vrEnd = t.vrStart&^0xF | uint64(a.crtc[crVRetraceEnd]&0xF)
	if t.vrEnd <= t.vrStart {
		t.vrEnd += 16
	}
	return t
}

// linePs and framePs are the scan line and frame periods in picoseconds.
func (t timing) linePs() uint64  { return t.charPs * t.hTotal }
func (t timing) framePs() uint64 { return t.linePs() * t.vTotal }

// position returns the frame number and the picosecond offset within the
// frame at virtual time now (ns), without overflowing for any now.
func (t timing) position(now uint64) (frame, ps uint64) {
	f := t.framePs()
	// now*1000 needs 128 bits; divide it in two steps so the high word is
	// below f. Frame counts past 2^64 wrap, which only moves the blink phase.
	hi, lo := bits.Mul64(now, 1000)
	_, r := bits.Div64(0, hi, f)
	return bits.Div64(r, lo, f)
}

// status1 computes input status 1 from the raster position at the current
// virtual time: bit 0 while outside the displayed area, bit 3 during
// vertical retrace.
func (a *Adapter) status1() uint8 {
	t := a.timing()
	_, ps := t.position(a.clk.Now())
	line := ps / t.linePs()
	char := ps % t.linePs() / t.charPs
	var v uint8
	if line >= t.vDisp || char >= t.hDisp {
		v |= st1DisplayOff
	}
	if line >= t.vrStart && line < t.vrEnd {
		v |= st1VRetrace
	}
	return v
}

// frame is the number of frames displayed since virtual time zero; text
// blinking counts it.
func (a *Adapter) frame() uint64 {
	f, _ := a.timing().position(a.clk.Now())
	return f
}
