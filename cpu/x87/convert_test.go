package x87

import (
	"math"
	"math/rand"
	"testing"
)

func TestToIntEdges(t *testing.T) {
	half := func(v float64) Ext80 { return FromFloat64(v) }
	tests := []struct {
		x    Ext80
		size uint
		rc   uint16
		want int64
		fl   Flags
	}{
		{half(32767.4), 16, RCNearest, 32767, PE},
		{half(32767.5), 16, RCNearest, Int16Indefinite, IE}, // rounds to 32768
		{half(32767.5), 16, RCZero, 32767, PE},
		{half(32767.1), 16, RCUp, Int16Indefinite, IE},
		{half(-32768.4), 16, RCNearest, -32768, PE},
		{half(-32768.5), 16, RCNearest, -32768, PE}, // tie to even 32768
		{half(-32768.5), 16, RCDown, Int16Indefinite, IE},
		{half(-32769), 16, RCNearest, Int16Indefinite, IE},
		{half(2147483647.5), 32, RCNearest, Int32Indefinite, IE},
		{half(2147483647.5), 32, RCDown, 2147483647, PE},
		{half(-2147483648), 32, RCNearest, -2147483648, 0},
		{half(-2147483648.75), 32, RCUp, -2147483648, PE},
		{half(0.5), 32, RCNearest, 0, PE},
		{half(1.5), 32, RCNearest, 2, PE | C1},
		{half(-1.5), 32, RCUp, -1, PE},
		{half(-1.5), 32, RCDown, -2, PE | C1},
		{half(-0.0), 64, RCNearest, 0, 0},
		{ext(0x403E, intBit), 64, RCNearest, Int64Indefinite, IE},     // 2^63
		{ext(0xC03E, intBit), 64, RCNearest, math.MinInt64, 0},        // -2^63 fits
		{ext(0x403D, ^uint64(0)), 64, RCNearest, Int64Indefinite, IE}, // 2^63 - 1/2 ties to 2^63
		{ext(0x403D, ^uint64(0)), 64, RCDown, math.MaxInt64, PE},      // ... or goes down
		{ext(0x403D, ^uint64(0)&^1), 64, RCNearest, math.MaxInt64, 0}, // 2^63 - 1
		{ext(0x0000, 0x1234), 32, RCUp, 1, PE | C1},                   // denormal: no DE
		{ext(0x0000, 0x1234).Chs(), 32, RCNearest, 0, PE},
		{PosInf, 16, RCNearest, Int16Indefinite, IE},
		{Indefinite, 64, RCNearest, Int64Indefinite, IE},
		{ext(0x7FFF, 0x8000000000000001), 32, RCNearest, Int32Indefinite, IE}, // SNaN
		{ext(0x4000, 0x4000000000000000), 32, RCNearest, Int32Indefinite, IE}, // unnormal
		{ext(0x7FFE, intBit), 64, RCNearest, Int64Indefinite, IE},             // huge
	}
	for _, tt := range tests {
		got, fl := tt.x.ToInt(CWDefault&^CWRC|tt.rc, tt.size)
		if got != tt.want || fl != tt.fl {
			t.Errorf("ToInt(%v, %d, rc %d) = %d %03x, want %d %03x", tt.x, tt.size, tt.rc>>10, got, fl, tt.want, tt.fl)
		}
	}
}

func TestBCD(t *testing.T) {
	// 123456789012345678 and its m80bcd bytes, least significant first.
	b := BCD{0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x00}
	if got := LoadBCD(b); got != FromInt64(123456789012345678) {
		t.Errorf("FBLD: %v", got)
	}
	nb := b
	nb[9] = 0x80
	if got := LoadBCD(nb); got != FromInt64(-123456789012345678) {
		t.Errorf("FBLD negative: %v", got)
	}
	if got := LoadBCD(BCD{9: 0x80}); got != NegZero {
		t.Errorf("FBLD -0: %v", got)
	}
	if got := LoadBCD(BCD{9: 0x7F}); got != PosZero {
		t.Errorf("FBLD ignores bits 72-78: %v", got)
	}
	// Invalid digits count with their nibble value, as on the P6.
	if got := LoadBCD(BCD{0: 0x0F}); got != FromInt64(15) {
		t.Errorf("FBLD of an invalid digit: %v", got)
	}
	tests := []struct {
		x    Ext80
		rc   uint16
		want BCD
		fl   Flags
	}{
		{FromInt64(123456789012345678), RCNearest, b, 0},
		{FromInt64(-123456789012345678), RCNearest, nb, 0},
		{FromFloat64(-0.4), RCNearest, BCD{9: 0x80}, PE},
		{FromFloat64(2.5), RCNearest, BCD{0: 0x02}, PE},
		{FromFloat64(2.5), RCUp, BCD{0: 0x03}, PE | C1},
		{FromInt64(999999999999999999), RCNearest, BCD{0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0}, 0},
		{FromInt64(1000000000000000000), RCNearest, BCDIndefinite, IE},
		{FromInt64(-1000000000000000000), RCNearest, BCDIndefinite, IE},
		{PosInf, RCNearest, BCDIndefinite, IE},
		{Indefinite, RCNearest, BCDIndefinite, IE},
	}
	for _, tt := range tests {
		got, fl := tt.x.ToBCD(CWDefault&^CWRC | tt.rc)
		if got != tt.want || fl != tt.fl {
			t.Errorf("FBSTP %v rc %d = % x %03x, want % x %03x", tt.x, tt.rc>>10, got, fl, tt.want, tt.fl)
		}
	}
	// Round trip of every 18-digit value through FBSTP and FBLD.
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 10000; i++ {
		v := r.Int63n(1000000000000000000)
		if r.Intn(2) == 0 {
			v = -v
		}
		bcd, fl := FromInt64(v).ToBCD(CWDefault)
		if got := LoadBCD(bcd); fl != 0 || got != FromInt64(v) {
			t.Fatalf("BCD round trip of %d: % x -> %v", v, bcd, got)
		}
	}
}

func TestFloatLoads(t *testing.T) {
	tests := []struct {
		bits uint64
		f64  bool
		want Ext80
		fl   Flags
	}{
		{0x3F800000, false, One, 0},
		{0x80000000, false, NegZero, 0},
		{0xFF800000, false, NegInf, 0},
		{0x00000001, false, ext(0x3FFF-149, intBit), DE},               // smallest float32 denormal
		{0x007FFFFF, false, ext(0x3FFF-127, 0xFFFFFE0000000000), DE},   // largest
		{0x7F800001, false, ext(0x7FFF, 0xC000010000000000), IE},       // SNaN, quieted
		{0xFFC00000, false, Indefinite, 0},                             // float32 indefinite
		{0x7FF8000000000001, true, ext(0x7FFF, 0xC000000000000800), 0}, // QNaN payload kept
		{0x0000000000000001, true, ext(0x3FFF-1074, intBit), DE},
		{0x3FF0000000000000, true, One, 0},
		{0xC00921FB54442D18, true, ext(0xC000, 0xC90FDAA22168C000), 0}, // -π as a double
	}
	for _, tt := range tests {
		var got Ext80
		var fl Flags
		if tt.f64 {
			got, fl = LoadFloat64(tt.bits)
		} else {
			got, fl = LoadFloat32(uint32(tt.bits))
		}
		if got != tt.want || fl != tt.fl {
			t.Errorf("load %#x: got %v %03x, want %v %03x", tt.bits, got, fl, tt.want, tt.fl)
		}
	}
}

func TestFloatStores(t *testing.T) {
	third, _ := Div(One, FromInt64(3), CWDefault)
	tests := []struct {
		x    Ext80
		rc   uint16
		f64  bool
		want uint64
		fl   Flags
	}{
		{third, RCNearest, false, 0x3EAAAAAB, PE | C1},
		{third, RCZero, false, 0x3EAAAAAA, PE},
		{third, RCNearest, true, 0x3FD5555555555555, PE},
		{third, RCUp, true, 0x3FD5555555555556, PE | C1},
		{ext(0x7FFE, intBit), RCNearest, false, 0x7F800000, OE | PE | C1},
		{ext(0x7FFE, intBit), RCZero, false, 0x7F7FFFFF, OE | PE},
		{ext(0xFFFE, intBit), RCUp, true, 0xFFEFFFFFFFFFFFFF, OE | PE},
		{ext(0x3FFF-150, intBit), RCNearest, false, 0, UE | PE},                            // 2^-150: tie to even 0
		{ext(0x3FFF-150, 0xC000000000000000), RCNearest, false, 1, UE | PE | C1},           // 0.75·2^-149
		{ext(0x3FFF-149, intBit), RCNearest, false, 1, 0},                                  // exact denormal
		{ext(0x3FFF-127, 0xFFFFFF8000000000), RCNearest, false, 0x00800000, PE | C1},       // rounds up to the smallest normal: not tiny after rounding
		{ext(0x0000, 0x1234), RCNearest, true, 0, UE | PE},                                 // an extended denormal: no DE
		{ext(0x7FFF, 0xC000000000000800), RCNearest, false, 0x7FC00000, 0},                 // QNaN payload truncated
		{ext(0xFFFF, 0x8000000000000001), RCNearest, true, 0xFFF8000000000000, IE},         // SNaN quieted
		{ext(0x3FFF, 0x7FFFFFFFFFFFFFFF), RCNearest, false, uint64(Float32Indefinite), IE}, // unnormal
		{NegZero, RCNearest, true, 0x8000000000000000, 0},
	}
	for _, tt := range tests {
		cw := CWDefault&^CWRC | tt.rc
		var got uint64
		var fl Flags
		if tt.f64 {
			got, fl = tt.x.ToFloat64(cw)
		} else {
			var v uint32
			v, fl = tt.x.ToFloat32(cw)
			got = uint64(v)
		}
		if got != tt.want || fl != tt.fl {
			t.Errorf("store %v rc %d f64 %v: got %#x %03x, want %#x %03x", tt.x, tt.rc>>10, tt.f64, got, fl, tt.want, tt.fl)
		}
	}
	// Every float64 survives FLD m64 and FST m64, and every float32
	// FLD m32 and FST m32.
	r := rand.New(rand.NewSource(6))
	for i := 0; i < 100000; i++ {
		v := r.Uint64()
		x, _ := LoadFloat64(v)
		got, _ := x.ToFloat64(CWDefault)
		if got != v && !(math.IsNaN(math.Float64frombits(v)) && got == v|1<<51) {
			t.Fatalf("float64 %#x came back as %#x", v, got)
		}
		w := r.Uint32()
		y, _ := LoadFloat32(w)
		got32, _ := y.ToFloat32(CWDefault)
		if got32 != w && !(math.IsNaN(float64(math.Float32frombits(w))) && got32 == w|1<<22) {
			t.Fatalf("float32 %#x came back as %#x", w, got32)
		}
	}
}

// TestFromInt64 checks FILD's exact conversion at the extremes.
func TestFromInt64(t *testing.T) {
	for _, tt := range []struct {
		v    int64
		want Ext80
	}{
		{0, PosZero}, {1, One}, {-1, One.Chs()},
		{math.MinInt64, ext(0xC03E, intBit)},
		{math.MaxInt64, ext(0x403D, ^uint64(0)&^1)},
		{-32768, ext(0xC00E, intBit)},
	} {
		if got := FromInt64(tt.v); got != tt.want {
			t.Errorf("FromInt64(%d) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
