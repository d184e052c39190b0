package session

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"ringzero/devices/vga"
)

// NaturalSize is the picture's size on a monitor, in dots and scan lines:
// the frame's size times the geometry's scales (mode 13h's 320x200 frame
// is 640x400, text mode 3 is 720x400). Zero scales count as 1.
func NaturalSize(g vga.Geometry) (w, h int) {
	sx, sy := max(g.ScaleX, 1), max(g.ScaleY, 1)
	return max(g.Width, 1) * sx, max(g.Height, 1) * sy
}

// Placement is where a frame goes in the window: the largest rectangle
// of the natural aspect ratio that fits, centred. Scale tells how many
// window pixels one frame pixel covers on each axis; Sharp is set when
// both are whole numbers, so nearest-neighbour filtering is exact (smooth
// filtering is better otherwise).
type Placement struct {
	X, Y, W, H     float64
	ScaleX, ScaleY float64
	Sharp          bool
}

// Place fits a frame of geometry g into a window of outW by outH pixels.
// When the fit scale is at least 1 it is rounded down to a whole number
// if that loses less than an eighth of the size, for crisp pixels in a
// window a little larger than a multiple.
func Place(g vga.Geometry, outW, outH int) Placement {
	nw, nh := NaturalSize(g)
	fw, fh := float64(max(g.Width, 1)), float64(max(g.Height, 1))
	s := math.Min(float64(outW)/float64(nw), float64(outH)/float64(nh))
	if s >= 1 {
		if f := math.Floor(s); s-f < s/8 {
			s = f
		}
	}
	w, h := float64(nw)*s, float64(nh)*s
	p := Placement{
		X: math.Floor((float64(outW) - w) / 2), Y: math.Floor((float64(outH) - h) / 2),
		W: w, H: h,
		ScaleX: w / fw, ScaleY: h / fh,
	}
	p.Sharp = p.ScaleX == math.Trunc(p.ScaleX) && p.ScaleY == math.Trunc(p.ScaleY)
	return p
}

// Lines is the status overlay's text: the engine, its speed and counters,
// and the hotkeys.
func (s Status) Lines() []string {
	state := "running"
	if s.Paused {
		state = "paused"
	}
	lines := []string{
		fmt.Sprintf("engine %s  %s  %.1f MIPS", s.Engine, state, s.MIPS),
		fmt.Sprintf("instructions %s  interrupts %s  exceptions %s", group(s.Instructions), group(s.Interrupts), group(s.Exceptions)),
		fmt.Sprintf("virtual time %s  resets %d", s.VirtualTime.Truncate(time.Millisecond), s.Resets),
	}
	if len(s.Counters) > 0 {
		names := make([]string, 0, len(s.Counters))
		for k := range s.Counters {
			names = append(names, k)
		}
		sort.Strings(names)
		var b strings.Builder
		for i, k := range names {
			if i > 0 && i%4 == 0 {
				lines = append(lines, b.String())
				b.Reset()
			}
			if b.Len() > 0 {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, "%s %s", k, group(s.Counters[k]))
		}
		lines = append(lines, b.String())
	}
	var keys []string
	for _, h := range Hotkeys {
		keys = append(keys, fmt.Sprintf("%c %s", h.Key.String()[0], h.Label))
	}
	lines = append(lines, "Ctrl+Alt+ "+strings.Join(keys, ", "))
	return lines
}

// group writes n with thousands separators.
func group(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
