package vga_test

import (
	"testing"
)

// retraceEdges samples input status 1 every step ns for span ns and
// returns the times at which vertical retrace began and how long each
// retrace lasted.
func retraceEdges(r *rig, port uint16, step, span uint64) (starts, lengths []uint64) {
	var prev bool
	var began uint64
	for t := uint64(0); t < span; t += step {
		r.clk.AdvanceTo(t)
		v := r.in(port)
		on := v&0x08 != 0
		if on && v&0x01 == 0 {
			r.t.Fatalf("t=%dns: retrace without display disabled (status %#x)", t, v)
		}
		if on && !prev {
			began = t
			starts = append(starts, t)
		}
		if !on && prev && len(starts) > 0 {
			lengths = append(lengths, t-began)
		}
		prev = on
	}
	return starts, lengths
}

func TestRetraceBitTogglesWithVirtualTime(t *testing.T) {
	tests := []struct {
		mode    int
		port    uint16
		frameNs float64 // lines * characters * dots / dot clock
		lineNs  float64
		lines   float64 // retrace length in lines
	}{
		{3, portStatColor, 449 * 900 / 28.322e6 * 1e9, 900 / 28.322e6 * 1e9, 2},
		{7, portStatMono, 449 * 900 / 28.322e6 * 1e9, 900 / 28.322e6 * 1e9, 2},
		{0x12, portStatColor, 525 * 800 / 25.175e6 * 1e9, 800 / 25.175e6 * 1e9, 2},
		{0x13, portStatColor, 449 * 800 / 25.175e6 * 1e9, 800 / 25.175e6 * 1e9, 2},
	}
	for _, tc := range tests {
		r := newRig(t, tc.mode)
		if v := r.in(tc.port); v&0x09 != 0 {
			t.Errorf("mode %#x: status at t=0 (top left, displaying) = %#x, want bits 0 and 3 clear", tc.mode, v)
		}
		starts, lengths := retraceEdges(r, tc.port, 2000, uint64(3.5*tc.frameNs))
		if len(starts) != 3 {
			t.Fatalf("mode %#x: %d retrace starts in 3.5 frames, want 3", tc.mode, len(starts))
		}
		for i := 1; i < len(starts); i++ {
			period := float64(starts[i] - starts[i-1])
			if period < tc.frameNs-4000 || period > tc.frameNs+4000 {
				t.Errorf("mode %#x: retrace period %.0fns, want %.0fns", tc.mode, period, tc.frameNs)
			}
		}
		for _, l := range lengths {
			want := tc.lines * tc.lineNs
			if float64(l) < want-4000 || float64(l) > want+4000 {
				t.Errorf("mode %#x: retrace lasted %dns, want %.0fns", tc.mode, l, want)
			}
		}
	}
}

func TestDisplayEnableTogglesWithinALine(t *testing.T) {
	r := newRig(t, 3)
	lineNs := 900 / 28.322e6 * 1e9 // 100 characters of 9 dots
	// 80 of the 100 character clocks are displayed: sample the middle of
	// each part of line 10.
	r.clk.AdvanceTo(uint64(10*lineNs + 40*9/28.322e6*1e9))
	if v := r.in(portStatColor); v&0x01 != 0 {
		t.Errorf("mid-line status = %#x, want display enabled", v)
	}
	r.clk.AdvanceTo(uint64(10*lineNs + 90*9/28.322e6*1e9))
	if v := r.in(portStatColor); v&0x01 == 0 {
		t.Errorf("horizontal blanking status = %#x, want bit 0 set", v)
	}
	r.clk.AdvanceTo(uint64(405 * lineNs)) // below the 400 displayed lines
	if v := r.in(portStatColor); v&0x01 == 0 || v&0x08 != 0 {
		t.Errorf("bottom border status = %#x, want bit 0 set, bit 3 clear", v)
	}
}

func TestStatusSurvivesHugeTimes(t *testing.T) {
	r := newRig(t, 3)
	r.clk.AdvanceTo(1 << 62)
	_ = r.in(portStatColor)
	_ = r.vga.Render(nil)
}
