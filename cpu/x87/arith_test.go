package x87

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

var rcModes = []struct {
	rc   uint16
	mode big.RoundingMode
	name string
}{
	{RCNearest, big.ToNearestEven, "nearest"},
	{RCDown, big.ToNegativeInf, "down"},
	{RCUp, big.ToPositiveInf, "up"},
	{RCZero, big.ToZero, "zero"},
}

var pcModes = []struct {
	pc   uint16
	bits uint
}{{PC24, 24}, {PC53, 53}, {PC64, 64}}

// fromExactBig converts a big.Float of at most 64 significant bits in
// the normal range to an Ext80; ok is false outside the normal range.
func fromExactBig(v *big.Float) (Ext80, bool) {
	if v.Sign() == 0 {
		return Ext80{Se: boolSign(v.Signbit())}, true
	}
	var m big.Float
	e := v.MantExp(&m) // |m| in [0.5, 1)
	exp := e - 1
	if exp < extEmin || exp > extEmax {
		return Ext80{}, false
	}
	m.SetMantExp(&m, 64)
	neg := m.Signbit()
	m.Abs(&m)
	u, acc := m.Uint64()
	if acc != big.Exact {
		panic("not exact")
	}
	return Ext80{Se: boolSign(neg) | uint16(exp+extBias), Sig: u}, true
}

// TestArithmeticMatchesBigFloat checks Add, Sub, Mul, Div and Sqrt
// against math/big rounding the exact result to the precision and
// rounding mode of the control word: the value, PE, and C1 (rounded up
// in magnitude). Only normal-range results are compared; the exponent
// edges are covered by the tables below and by the host tests.
func TestArithmeticMatchesBigFloat(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 100000; i++ {
		a, b := randFinite(r), randFinite(r)
		rm := rcModes[r.Intn(4)]
		pm := pcModes[r.Intn(3)]
		cw := CWMasks | rm.rc | pm.pc
		fa, _ := a.Float()
		fb, _ := b.Float()
		want := new(big.Float).SetPrec(pm.bits).SetMode(rm.mode)
		var got Ext80
		var fl Flags
		switch k := r.Intn(5); k {
		case 0:
			want.Add(fa, fb)
			got, fl = Add(a, b, cw)
		case 1:
			want.Sub(fa, fb)
			got, fl = Sub(a, b, cw)
		case 2:
			want.Mul(fa, fb)
			got, fl = Mul(a, b, cw)
		case 3:
			if fb.Sign() == 0 {
				continue
			}
			want.Quo(fa, fb)
			got, fl = Div(a, b, cw)
		case 4:
			if fa.Sign() < 0 {
				continue
			}
			// big.Float's Sqrt does not report its accuracy: take the root
			// at 256 bits, then round that (a root of a 64-bit value is
			// never within 2^-256 of a tie without being exact).
			want.Set(new(big.Float).SetPrec(256).Sqrt(fa))
			got, fl = Sqrt(a, cw)
		}
		w, ok := fromExactBig(want)
		if !ok || w.Class() == Zero && want.Acc() != big.Exact {
			continue
		}
		if w.Class() == Zero && fa.Sign() != 0 && fb.Sign() != 0 {
			// big.Float gives +0 for x - x in every mode; the x87 gives
			// -0 when rounding down (checked in TestSignedZeros).
			w.Se = got.Se
		}
		wantPE := want.Acc() != big.Exact
		wantC1 := want.Acc() == big.Above && want.Sign() > 0 || want.Acc() == big.Below && want.Sign() < 0
		if got != w || (fl&PE != 0) != wantPE || (fl&C1 != 0) != wantC1 {
			t.Fatalf("%v op %v (pc %d, %s): got %v flags %03x, want %v PE %v C1 %v",
				a, b, pm.bits, rm.name, got, fl, w, wantPE, wantC1)
		}
	}
}

// randFinite returns a finite value near 1 (normals only).
func randFinite(r *rand.Rand) Ext80 {
	x := Ext80{Se: uint16(r.Intn(2))<<15 | uint16(extBias+r.Intn(200)-100), Sig: r.Uint64() | intBit}
	switch r.Intn(4) {
	case 0:
		x.Sig &= ^uint64(0) << uint(r.Intn(64)) // short significands: exact cases and ties
	case 1:
		x.Sig |= ^uint64(0) >> uint(r.Intn(64)) // long runs of ones: carries
	}
	return x
}

func ext(se uint16, sig uint64) Ext80 { return Ext80{Se: se, Sig: sig} }

// TestRoundingTies: halfway cases under each rounding control and
// precision, worked by hand.
func TestRoundingTies(t *testing.T) {
	one := ext(0x3FFF, intBit)
	ulp64 := ext(0x3FFF-63, intBit)  // 2^-63: one ulp of 1.0 at 64 bits
	half64 := ext(0x3FFF-64, intBit) // 2^-64: half of it
	tests := []struct {
		name string
		a, b Ext80
		cw   uint16
		want Ext80
		fl   Flags
	}{
		// 1 + 2^-64 is halfway between 1 and 1+2^-63: nearest goes to the
		// even one, 1.
		{"tie to even down", one, half64, RCNearest | PC64, one, PE},
		{"tie up", one, half64, RCUp | PC64, ext(0x3FFF, intBit|1), PE | C1},
		{"tie down", one, half64, RCDown | PC64, one, PE},
		{"tie chop", one, half64, RCZero | PC64, one, PE},
		// (1+2^-63) + 2^-64 is halfway between 1+2^-63 (odd) and 1+2^-62:
		// nearest goes up to the even one.
		{"tie to even up", ext(0x3FFF, intBit|1), half64, RCNearest | PC64, ext(0x3FFF, intBit|2), PE | C1},
		// Negative: rounding down increases the magnitude.
		{"negative tie down", one.Chs(), half64.Chs(), RCDown | PC64, ext(0xBFFF, intBit|1), PE | C1},
		{"negative tie up", one.Chs(), half64.Chs(), RCUp | PC64, one.Chs(), PE},
		// Single precision: 1 + 2^-24 is halfway between 1 and 1+2^-23.
		{"pc24 tie even", one, ext(0x3FFF-24, intBit), RCNearest | PC24, one, PE},
		{"pc24 tie odd", ext(0x3FFF, intBit|1<<40), ext(0x3FFF-24, intBit), RCNearest | PC24, ext(0x3FFF, intBit|2<<40), PE | C1},
		// Double precision: 1 + 2^-53.
		{"pc53 tie even", one, ext(0x3FFF-53, intBit), RCNearest | PC53, one, PE},
		{"pc53 up", one, ext(0x3FFF-53, intBit), RCUp | PC53, ext(0x3FFF, intBit|1<<11), PE | C1},
		// Exact sums set nothing.
		{"exact", one, ulp64, RCNearest | PC64, ext(0x3FFF, intBit|1), 0},
		// An all-ones significand rounding up carries into the exponent.
		{"carry", ext(0x3FFF, ^uint64(0)), half64, RCUp | PC64, ext(0x4000, intBit), PE | C1},
	}
	for _, tt := range tests {
		got, fl := Add(tt.a, tt.b, tt.cw|CWMasks)
		if got != tt.want || fl != tt.fl {
			t.Errorf("%s: got %v %03x, want %v %03x", tt.name, got, fl, tt.want, tt.fl)
		}
	}
}

// TestPrecisionControl: 1/3 and 2/3 under each precision (the single and
// double results are the float32 and float64 values widened).
func TestPrecisionControl(t *testing.T) {
	three := FromInt64(3)
	tests := []struct {
		num  int64
		cw   uint16
		want Ext80
		fl   Flags
	}{
		{1, PC24, ext(0x3FFD, 0xAAAAAB0000000000), PE | C1}, // float32 1/3 = 0x3EAAAAAB
		{1, PC53, ext(0x3FFD, 0xAAAAAAAAAAAAA800), PE},      // float64 1/3 = 0x3FD5555555555555
		{1, PC64, ext(0x3FFD, 0xAAAAAAAAAAAAAAAB), PE | C1},
		{2, PC24, ext(0x3FFE, 0xAAAAAB0000000000), PE | C1}, // float32 2/3 = 0x3F2AAAAB
		{2, PC53, ext(0x3FFE, 0xAAAAAAAAAAAAA800), PE},      // float64 2/3 = 0x3FE5555555555555
		{1, PC24 | RCZero, ext(0x3FFD, 0xAAAAAA0000000000), PE},
		{1, PC53 | RCUp, ext(0x3FFD, 0xAAAAAAAAAAAAB000), PE | C1},
		// The reserved setting 01 acts as 64 bits.
		{1, 1 << 8, ext(0x3FFD, 0xAAAAAAAAAAAAAAAB), PE | C1},
	}
	for _, tt := range tests {
		got, fl := Div(FromInt64(tt.num), three, tt.cw|CWMasks)
		if got != tt.want || fl != tt.fl {
			t.Errorf("%d/3 cw %04x: got %v %03x, want %v %03x", tt.num, tt.cw, got, fl, tt.want, tt.fl)
		}
	}
	// Precision control does not apply to FRNDINT, FSCALE or the loads.
	x, _ := Scale(ext(0x3FFD, 0xAAAAAAAAAAAAAAAB), One, CWMasks|PC24)
	if x != ext(0x3FFE, 0xAAAAAAAAAAAAAAAB) {
		t.Errorf("FSCALE under PC24 rounded: %v", x)
	}
}

// TestSpecialOperands: the masked responses of SDM Vol. 1, 4.8 and the
// instruction pages.
func TestSpecialOperands(t *testing.T) {
	qnan := ext(0x7FFF, 0xC000000000001234)
	snan := ext(0x7FFF, 0x8000000000001234)
	den := ext(0x0000, 0x0000000000001234)
	pden := ext(0x0000, 0x8000000000001234) // pseudo-denormal
	unnormal := ext(0x3FFF, 0x4000000000000000)
	pinf := ext(0x7FFF, 0x4000000000000000) // pseudo-infinity (J = 0)
	two := FromInt64(2)
	tests := []struct {
		name string
		fn   func(a, b Ext80, cw uint16) (Ext80, Flags)
		a, b Ext80
		want Ext80
		fl   Flags
	}{
		{"inf-inf", Sub, PosInf, PosInf, Indefinite, IE},
		{"inf+inf", Add, PosInf, PosInf, PosInf, 0},
		{"0*inf", Mul, PosZero, NegInf, Indefinite, IE},
		{"0/0", Div, NegZero, PosZero, Indefinite, IE},
		{"inf/inf", Div, PosInf, NegInf, Indefinite, IE},
		{"2/0", Div, two, NegZero, NegInf, ZE},
		{"den/0: ZE outranks DE", Div, den, PosZero, PosInf, ZE},
		{"inf/0: no ZE", Div, NegInf, PosZero, NegInf, 0},
		{"2/inf", Div, two, NegInf, NegZero, 0},
		{"snan+2", Add, snan, two, quiet(snan), IE},
		{"qnan+snan: the QNaN", Add, qnan, snan, qnan, IE},
		{"snan+qnan: the QNaN", Add, snan.Chs(), qnan, qnan, IE},
		{"qnan+2", Mul, two, qnan, qnan, 0},
		{"qnan+den: no DE", Add, qnan, den, qnan, 0},
		{"larger significand", Add, ext(0x7FFF, 0xC000000000000001), ext(0xFFFF, 0xC000000000000002), ext(0xFFFF, 0xC000000000000002), 0},
		{"equal significands: positive", Add, ext(0xFFFF, 0xC000000000000001), ext(0x7FFF, 0xC000000000000001), ext(0x7FFF, 0xC000000000000001), 0},
		{"unnormal", Add, unnormal, two, Indefinite, IE},
		{"pseudo-inf", Mul, pinf, two, Indefinite, IE},
		{"unsupported+qnan", Add, qnan, unnormal, Indefinite, IE},
		{"den+0 stays denormal", Add, den, PosZero, den, DE},
		{"pseudo-denormal normalizes", Add, pden, PosZero, ext(0x0001, 0x8000000000001234), DE},
		{"den*2", Mul, den, two, ext(0, 0x2468), DE},
		{"den+inf: DE", Add, den, PosInf, PosInf, DE},
		{"sqrt(-0)", func(a, _ Ext80, cw uint16) (Ext80, Flags) { return Sqrt(a, cw) }, NegZero, Ext80{}, NegZero, 0},
		{"sqrt(-den): IE", func(a, _ Ext80, cw uint16) (Ext80, Flags) { return Sqrt(a, cw) }, den.Chs(), Ext80{}, Indefinite, IE},
		{"sqrt(4)", func(a, _ Ext80, cw uint16) (Ext80, Flags) { return Sqrt(a, cw) }, FromInt64(4), Ext80{}, two, 0},
		{"sqrt(2)", func(a, _ Ext80, cw uint16) (Ext80, Flags) { return Sqrt(a, cw) }, two, Ext80{}, ext(0x3FFF, 0xB504F333F9DE6484), PE},
	}
	for _, tt := range tests {
		got, fl := tt.fn(tt.a, tt.b, CWDefault)
		if got != tt.want || fl != tt.fl {
			t.Errorf("%s: got %v %03x, want %v %03x", tt.name, got, fl, tt.want, tt.fl)
		}
	}
}

// TestSignedZeros: the sign of exact zero results (SDM Vol. 1, 4.8.3.2).
func TestSignedZeros(t *testing.T) {
	two := FromInt64(2)
	for _, rm := range rcModes {
		wantNeg := rm.rc == RCDown
		if got, _ := Sub(two, two, CWMasks|rm.rc); got.Neg() != wantNeg || got.Class() != Zero {
			t.Errorf("2-2 rounding %s: %v", rm.name, got)
		}
		if got, _ := Add(NegZero, NegZero, CWMasks|rm.rc); got != NegZero {
			t.Errorf("-0+-0 rounding %s: %v", rm.name, got)
		}
		if got, _ := Add(NegZero, PosZero, CWMasks|rm.rc); got.Neg() != wantNeg {
			t.Errorf("-0++0 rounding %s: %v", rm.name, got)
		}
	}
}

// TestOverflowUnderflow: the masked and unmasked responses at the ends
// of the exponent range (SDM Vol. 1, 4.9.1.4-4.9.1.5, table 4-10).
func TestOverflowUnderflow(t *testing.T) {
	huge := ext(0x7FFE, 0xC000000000000000)
	maxFinite := ext(0x7FFE, ^uint64(0))
	tiny := ext(0x0001, 0xC000000000000000) // 1.5 * 2^-16382
	half := ext(0x3FFE, intBit)
	tests := []struct {
		name string
		fn   func(a, b Ext80, cw uint16) (Ext80, Flags)
		a, b Ext80
		cw   uint16
		want Ext80
		fl   Flags
	}{
		{"overflow nearest", Mul, huge, huge, CWDefault, PosInf, OE | PE | C1},
		{"overflow chop", Mul, huge, huge, CWDefault | RCZero, maxFinite, OE | PE},
		{"overflow down +", Mul, huge, huge, CWDefault | RCDown, maxFinite, OE | PE},
		{"overflow down -", Mul, huge.Chs(), huge, CWDefault | RCDown, NegInf, OE | PE | C1},
		{"overflow up -", Mul, huge.Chs(), huge, CWDefault | RCUp, maxFinite.Chs(), OE | PE},
		{"overflow pc24 chop", Mul, huge, huge, CWMasks | RCZero | PC24, ext(0x7FFE, 0xFFFFFF0000000000), OE | PE},
		// Unmasked: the exponent wraps by -24576: 1.5·2^16383 squared is
		// 1.125·2^32767, delivered as 1.125·2^8191.
		{"overflow unmasked", Mul, huge, huge, CWDefault &^ CWOM, ext(8191+extBias, 0x9000000000000000), OE},
		// Masked underflow: exact denormal results raise nothing.
		{"tiny exact", Mul, tiny, half, CWDefault, ext(0, 0x6000000000000000), 0},
		{"tiny inexact", Mul, ext(0x0001, 0xC000000000000001), half, CWDefault, ext(0, 0x6000000000000000), UE | PE},
		{"tiny inexact up", Mul, ext(0x0001, 0xC000000000000001), half, CWDefault | RCUp, ext(0, 0x6000000000000001), UE | PE | C1},
		// Under PC24 the denormal keeps 24 bits from the fixed position.
		{"tiny pc24", Mul, ext(0x0001, 0xC000000000000001), half, CWDefault&^CWPC | RCUp, ext(0, 0x6000010000000000), UE | PE | C1},
		// Unmasked underflow: UE even when exact, result wrapped by +24576.
		{"tiny exact unmasked", Mul, tiny, half, CWDefault &^ CWUM, ext(wrapBias, 0xC000000000000000), UE},
		// Tininess after rounding: (2-2^-62)·2^-16382 · (1+2^-63)/2 is
		// (1-2^-126)·2^-16382. Rounded to nearest with an unbounded
		// exponent it is 2^-16382, so it is not tiny: no UE.
		{"not tiny after rounding", Mul, ext(0x0001, 0xFFFFFFFFFFFFFFFE), ext(0x3FFE, 0x8000000000000001), CWDefault, ext(0x0001, intBit), PE | C1},
		// Chopped it stays below: tiny and inexact.
		{"tiny after rounding", Mul, ext(0x0001, 0xFFFFFFFFFFFFFFFE), ext(0x3FFE, 0x8000000000000001), CWDefault | RCZero, ext(0, 0x7FFFFFFFFFFFFFFF), UE | PE},
	}
	for _, tt := range tests {
		got, fl := tt.fn(tt.a, tt.b, tt.cw)
		if got != tt.want || fl != tt.fl {
			t.Errorf("%s: got %v %03x, want %v %03x", tt.name, got, fl, tt.want, tt.fl)
		}
	}
}

// TestRemainder: FPREM and FPREM1 quotient bits, signs, and the partial
// remainder for exponent differences of 64 and more.
func TestRemainder(t *testing.T) {
	f := func(v int64) Ext80 { return FromInt64(v) }
	tests := []struct {
		a, b     Ext80
		ieee     bool
		want     Ext80
		q        uint64
		complete bool
	}{
		{f(17), f(5), false, f(2), 3, true},
		{f(17), f(5), true, f(2), 3, true},
		{f(18), f(5), false, f(3), 3, true},
		{f(18), f(5), true, f(-2), 4, true}, // 18/5 = 3.6 rounds to 4
		{f(-18), f(5), true, f(2), 4, true}, // remainder takes the dividend's sign, flipped by rounding
		{f(-18), f(5), false, f(-3), 3, true},
		{f(15), f(10), true, f(-5), 2, true}, // 1.5 rounds to even 2
		{f(25), f(10), true, f(5), 2, true},  // 2.5 rounds to even 2
		{f(3), f(4), true, f(-1), 1, true},   // 0.75 rounds to 1 (exponent difference -1)
		{f(2), f(4), true, f(2), 0, true},    // 0.5 rounds to even 0
		{f(-10), f(5), false, NegZero, 2, true},
		{f(1), f(7), false, f(1), 0, true},
		{f(1), PosInf, false, f(1), 0, true},
		// 2^70 rem 3: a partial step reduces the exponent difference by
		// 32 + (69 mod 32) = 37, leaving 2^70 rem 3·2^32 = 2^32.
		{ext(0x3FFF+70, intBit), f(3), false, ext(0x3FFF+32, intBit), 0, false},
	}
	for _, tt := range tests {
		got, q, complete, fl := Rem(tt.a, tt.b, tt.ieee, CWDefault)
		if got != tt.want || q&7 != tt.q&7 || complete != tt.complete || fl != 0 {
			t.Errorf("rem(%v, %v, ieee %v) = %v q%d complete %v %03x, want %v q%d %v",
				tt.a, tt.b, tt.ieee, got, q&7, complete, fl, tt.want, tt.q&7, tt.complete)
		}
	}
	// Repeating FPREM until C2 clears gives the true remainder.
	x, y := ext(0x3FFF+1000, 0xC90FDAA22168C235), FromFloat64(3.14159)
	for i := 0; i < 100; i++ {
		var complete bool
		x, _, complete, _ = Rem(x, y, false, CWDefault)
		if complete {
			break
		}
	}
	fx, _ := x.Float()
	fy, _ := y.Float()
	if fx.Sign() < 0 || fx.Cmp(fy) >= 0 {
		t.Errorf("iterated FPREM left %v, not in [0, %v)", x, y)
	}
}

// TestRoundIntAndScale covers FRNDINT under each rounding control and
// FSCALE's truncation of its scale.
func TestRoundIntAndScale(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		rc   uint16
		want float64
		fl   Flags
	}{
		{2.5, RCNearest, 2, PE}, {3.5, RCNearest, 4, PE | C1}, {-2.5, RCNearest, -2, PE},
		{2.5, RCDown, 2, PE}, {-2.5, RCDown, -3, PE | C1}, {2.5, RCUp, 3, PE | C1},
		{-2.5, RCZero, -2, PE}, {-0.25, RCNearest, math.Copysign(0, -1), PE}, {0.75, RCZero, 0, PE},
		{7, RCUp, 7, 0}, {1e30, RCNearest, 1e30, 0},
	} {
		got, fl := RoundInt(FromFloat64(tt.x), CWMasks|tt.rc)
		if got != FromFloat64(tt.want) || fl != tt.fl {
			t.Errorf("FRNDINT(%v, rc %x) = %v %03x, want %v %03x", tt.x, tt.rc>>10, got, fl, tt.want, tt.fl)
		}
	}
	for _, tt := range []struct{ x, s, want float64 }{
		{3, 2.9, 12}, {3, -2.9, 0.75}, {-1, 10, -1024}, {5, 0.5, 5}, {0, 100, 0},
	} {
		got, fl := Scale(FromFloat64(tt.x), FromFloat64(tt.s), CWDefault)
		if got != FromFloat64(tt.want) || fl != 0 {
			t.Errorf("FSCALE(%v, %v) = %v %03x, want %v", tt.x, tt.s, got, fl, tt.want)
		}
	}
	if got, fl := Scale(PosZero, PosInf, CWDefault); got != Indefinite || fl != IE {
		t.Errorf("FSCALE(0, +inf) = %v %03x", got, fl)
	}
	e, s, fl := Extract(FromFloat64(-24))
	if e != FromInt64(4) || s != FromFloat64(-1.5) || fl != 0 {
		t.Errorf("FXTRACT(-24) = %v %v %03x", e, s, fl)
	}
	e, s, fl = Extract(NegZero)
	if e != NegInf || s != NegZero || fl != ZE {
		t.Errorf("FXTRACT(-0) = %v %v %03x", e, s, fl)
	}
}

// TestCompare covers ordering, signed zeros and the NaN rules.
func TestCompare(t *testing.T) {
	qnan := ext(0x7FFF, 0xC000000000000001)
	snan := ext(0x7FFF, 0x8000000000000001)
	for _, tt := range []struct {
		a, b  Ext80
		quiet bool
		want  Order
		fl    Flags
	}{
		{FromInt64(1), FromInt64(2), false, Less, 0},
		{FromInt64(-1), FromInt64(-2), false, Greater, 0},
		{PosZero, NegZero, false, Equal, 0},
		{NegInf, FromInt64(-5), false, Less, 0},
		{FromInt64(3), PosInf, false, Less, 0},
		{ext(0, 5), ext(0, 4), false, Greater, DE},
		{ext(0, 5).Chs(), PosZero, false, Less, DE},
		{qnan, FromInt64(1), false, Unordered, IE},
		{qnan, FromInt64(1), true, Unordered, 0},
		{snan, FromInt64(1), true, Unordered, IE},
		{ext(0x3FFF, 1), FromInt64(1), true, Unordered, IE}, // unnormal
		{ext(0, intBit), ext(1, intBit), false, Equal, DE},  // pseudo-denormal = 2^-16382
	} {
		got, fl := Compare(tt.a, tt.b, tt.quiet)
		if got != tt.want || fl != tt.fl {
			t.Errorf("Compare(%v, %v, quiet %v) = %v %03x, want %v %03x", tt.a, tt.b, tt.quiet, got, fl, tt.want, tt.fl)
		}
	}
}
