package x87

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"testing"
)

// TestConstants: FLD1 ... FLDZ under each rounding control. The values
// are the ones the 387 and later load (the round-to-nearest column is
// the 8087/287 constant; SDM Vol. 1, 8.3.8) and agree with math/big.
func TestConstants(t *testing.T) {
	tests := []struct {
		k    uint8
		name string
		want [4]Ext80 // nearest, down, up, zero
	}{
		{ConstOne, "FLD1", [4]Ext80{One, One, One, One}},
		{ConstL2T, "FLDL2T", [4]Ext80{ext(0x4000, 0xD49A784BCD1B8AFE), ext(0x4000, 0xD49A784BCD1B8AFE), ext(0x4000, 0xD49A784BCD1B8AFF), ext(0x4000, 0xD49A784BCD1B8AFE)}},
		{ConstL2E, "FLDL2E", [4]Ext80{ext(0x3FFF, 0xB8AA3B295C17F0BC), ext(0x3FFF, 0xB8AA3B295C17F0BB), ext(0x3FFF, 0xB8AA3B295C17F0BC), ext(0x3FFF, 0xB8AA3B295C17F0BB)}},
		{ConstPi, "FLDPI", [4]Ext80{ext(0x4000, 0xC90FDAA22168C235), ext(0x4000, 0xC90FDAA22168C234), ext(0x4000, 0xC90FDAA22168C235), ext(0x4000, 0xC90FDAA22168C234)}},
		{ConstLG2, "FLDLG2", [4]Ext80{ext(0x3FFD, 0x9A209A84FBCFF799), ext(0x3FFD, 0x9A209A84FBCFF798), ext(0x3FFD, 0x9A209A84FBCFF799), ext(0x3FFD, 0x9A209A84FBCFF798)}},
		{ConstLN2, "FLDLN2", [4]Ext80{ext(0x3FFE, 0xB17217F7D1CF79AC), ext(0x3FFE, 0xB17217F7D1CF79AB), ext(0x3FFE, 0xB17217F7D1CF79AC), ext(0x3FFE, 0xB17217F7D1CF79AB)}},
		{ConstZero, "FLDZ", [4]Ext80{PosZero, PosZero, PosZero, PosZero}},
	}
	for _, tt := range tests {
		for rc := uint16(0); rc < 4; rc++ {
			if got := Constant(tt.k, CWDefault|rc<<10); got != tt.want[rc] {
				t.Errorf("%s rc %d = %v, want %v", tt.name, rc, got, tt.want[rc])
			}
		}
	}
	// π cross-checked with Go's math.Pi: the double is π rounded to 53 bits.
	if got := Constant(ConstPi, CWDefault|PC53).Float64(); got != math.Pi {
		t.Errorf("FLDPI as a double: %v", got)
	}
}

// TestFSINOfDoublePi: the P6 reduces by its 66-bit π, so fsin(π as a
// double) gives 1.2246063538223773e-16 (the true sine of that double is
// 1.2246467991473532e-16): the widely quoted hardware result.
func TestFSINOfDoublePi(t *testing.T) {
	x := FromFloat64(math.Pi)
	s, fl, ok := Sin(x, CWDefault)
	// sin d is a little below d, which nearest rounds up to: PE and C1.
	if !ok || fl != PE|C1 {
		t.Fatalf("FSIN(pi): in range %v, flags %03x", ok, fl)
	}
	if got := strconv.FormatFloat(s.Float64(), 'g', -1, 64); got != "1.2246063538223773e-16" {
		t.Errorf("FSIN(pi) = %s", got)
	}
	// And it is the sine of the difference between the 66-bit π and x,
	// rounded once: compute that independently.
	consts()
	d := newF(400).Sub(bigPi66, bigOf(x)) // exact
	d3 := newF(400).Mul(d, d)
	d3.Mul(d3, d)
	d3.Quo(d3, newF(400).SetInt64(6))
	want, _ := fromBig(d.Sub(d, d3), 0, CWDefault) // sin d = d - d³/6 + ..., d ≈ 1.2e-16
	if s != want {
		t.Errorf("FSIN(pi) = %v, want %v", s, want)
	}
}

func TestTrigRange(t *testing.T) {
	big := ext(0x403E, intBit)      // 2^63: out of range
	edge := ext(0x403D, ^uint64(0)) // 2^63 - 1/2·ulp: the largest in range
	if _, _, ok := Sin(big, CWDefault); ok {
		t.Error("FSIN(2^63) in range")
	}
	if _, _, _, ok := SinCos(big.Chs(), CWDefault); ok {
		t.Error("FSINCOS(-2^63) in range")
	}
	if _, _, ok := Tan(edge, CWDefault); !ok {
		t.Error("FPTAN(2^63-1) out of range")
	}
	// Exec: C2 set, ST(0) unchanged, nothing pushed.
	f := New()
	f.Push(big)
	f.Exec(Inst{Opcode: 0xD9, ModRM: 0xFB}, &Regs{}, nil) // FSINCOS
	if f.SW&SWC2 == 0 || f.ST(0) != big || f.Top() != 7 {
		t.Errorf("FSINCOS(2^63): sw %04x st0 %v top %d", f.SW, f.ST(0), f.Top())
	}
	f.Exec(Inst{Opcode: 0xD9, ModRM: 0xE8}, &Regs{}, nil) // FLD1
	f.Exec(Inst{Opcode: 0xD9, ModRM: 0xFE}, &Regs{}, nil) // FSIN(1) clears C2
	if f.SW&SWC2 != 0 {
		t.Errorf("FSIN(1) left C2: sw %04x", f.SW)
	}
}

// TestTrigAgainstMath compares FSIN, FCOS and FPTAN of doubles with Go's
// math package after rounding to double (both within a double ulp).
// Arguments stay where the 66-bit π and the sines are far from zero, so
// the reduction makes no visible difference.
func TestTrigAgainstMath(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	near := func(got, want float64) bool {
		return math.Abs(got-want) <= 2*math.Abs(math.Nextafter(want, 0)-want)
	}
	for i := 0; i < 2000; i++ {
		v := (r.Float64()*2 - 1) * 20
		if math.Abs(math.Sin(v)) < 0.01 || math.Abs(math.Cos(v)) < 0.01 {
			continue
		}
		x := FromFloat64(v)
		s, c, _, _ := SinCos(x, CWDefault)
		tn, _, _ := Tan(x, CWDefault)
		if !near(s.Float64(), math.Sin(v)) || !near(c.Float64(), math.Cos(v)) || !near(tn.Float64(), math.Tan(v)) {
			t.Fatalf("x=%v: sin %v/%v cos %v/%v tan %v/%v", v, s.Float64(), math.Sin(v), c.Float64(), math.Cos(v), tn.Float64(), math.Tan(v))
		}
		y := (r.Float64()*2 - 1) * 5
		a, _ := Atan2(FromFloat64(y), x, CWDefault)
		if !near(a.Float64(), math.Atan2(y, v)) {
			t.Fatalf("atan2(%v, %v) = %v, want %v", y, v, a.Float64(), math.Atan2(y, v))
		}
		p := r.Float64()*2 - 1
		e, _ := TwoXM1(FromFloat64(p), CWDefault)
		if !near(e.Float64(), math.Expm1(p*math.Ln2)) {
			t.Fatalf("F2XM1(%v) = %v, want %v", p, e.Float64(), math.Expm1(p*math.Ln2))
		}
		// (math.Log2 cancels just above 1: use Log/Ln2, which rounds
		// three times, and allow it two ulps more.)
		l, _ := YLog2X(FromFloat64(math.Abs(v)), FromFloat64(y), CWDefault)
		if want := y * math.Log(math.Abs(v)) / math.Ln2; !near(l.Float64(), want) && !near(l.Float64(), math.Nextafter(want, 0)) && !near(l.Float64(), math.Nextafter(want, 2*want)) {
			t.Fatalf("FYL2X(%v, %v) = %v, want %v", math.Abs(v), y, l.Float64(), want)
		}
		q := p / 4
		lp, _ := YLog2XP1(FromFloat64(q), FromFloat64(y), CWDefault)
		if !near(lp.Float64(), y*math.Log1p(q)/math.Ln2) {
			t.Fatalf("FYL2XP1(%v, %v) = %v, want %v", q, y, lp.Float64(), y*math.Log1p(q)/math.Ln2)
		}
	}
}

// TestTranscendentalSpecials: exact results and the special-operand
// tables of the SDM instruction pages.
func TestTranscendentalSpecials(t *testing.T) {
	pi := Constant(ConstPi, CWDefault)
	half := func(x Ext80) Ext80 { x.Se--; return x }
	sqrt2m1 := func() Ext80 { // √2 - 1 computed independently
		v := new(big.Float).SetPrec(300).Sqrt(new(big.Float).SetPrec(300).SetInt64(2))
		v.Sub(v, big.NewFloat(1))
		r, _ := fromBig(v, 0, CWDefault)
		return r
	}()
	two := FromInt64(2)
	tests := []struct {
		name string
		got  func() (Ext80, Flags)
		want Ext80
		fl   Flags
	}{
		{"F2XM1(0.5)", func() (Ext80, Flags) { return TwoXM1(FromFloat64(0.5), CWDefault) }, sqrt2m1, PE},
		{"F2XM1(-0)", func() (Ext80, Flags) { return TwoXM1(NegZero, CWDefault) }, NegZero, 0},
		{"F2XM1(-inf)", func() (Ext80, Flags) { return TwoXM1(NegInf, CWDefault) }, One.Chs(), 0},
		{"F2XM1(-1)", func() (Ext80, Flags) { return TwoXM1(One.Chs(), CWDefault) }, FromFloat64(-0.5), PE},
		{"FYL2X(10,1)", func() (Ext80, Flags) { return YLog2X(FromInt64(10), One, CWDefault) }, Constant(ConstL2T, CWDefault), PE},
		{"FYL2X(8,3) exact", func() (Ext80, Flags) { return YLog2X(FromInt64(8), FromInt64(3), CWDefault) }, FromInt64(9), PE},
		{"FYL2X(1,5)", func() (Ext80, Flags) { return YLog2X(One, FromInt64(5), CWDefault) }, PosZero, 0},
		{"FYL2X(0,2)", func() (Ext80, Flags) { return YLog2X(PosZero, two, CWDefault) }, NegInf, ZE},
		{"FYL2X(0,-2)", func() (Ext80, Flags) { return YLog2X(NegZero, two.Chs(), CWDefault) }, PosInf, ZE},
		{"FYL2X(-1,1)", func() (Ext80, Flags) { return YLog2X(One.Chs(), One, CWDefault) }, Indefinite, IE},
		{"FYL2X(0,0)", func() (Ext80, Flags) { return YLog2X(PosZero, PosZero, CWDefault) }, Indefinite, IE},
		{"FYL2X(inf,0)", func() (Ext80, Flags) { return YLog2X(PosInf, PosZero, CWDefault) }, Indefinite, IE},
		{"FYL2X(1,inf)", func() (Ext80, Flags) { return YLog2X(One, PosInf, CWDefault) }, Indefinite, IE},
		{"FYL2X(0.5,-inf)", func() (Ext80, Flags) { return YLog2X(FromFloat64(0.5), NegInf, CWDefault) }, PosInf, 0},
		{"FYL2X(0.5,-0)", func() (Ext80, Flags) { return YLog2X(FromFloat64(0.75), NegZero, CWDefault) }, PosZero, 0},
		{"FYL2XP1(-0,2)", func() (Ext80, Flags) { return YLog2XP1(NegZero, two, CWDefault) }, NegZero, 0},
		{"FYL2XP1(0,inf)", func() (Ext80, Flags) { return YLog2XP1(PosZero, PosInf, CWDefault) }, Indefinite, IE},
		{"FYL2XP1(-0.25,-inf)", func() (Ext80, Flags) { return YLog2XP1(FromFloat64(-0.25), NegInf, CWDefault) }, PosInf, 0},
		{"FPATAN(1,1)", func() (Ext80, Flags) { return Atan2(One, One, CWDefault) }, half(half(pi)), PE | C1},
		{"FPATAN(+0,-0)", func() (Ext80, Flags) { return Atan2(PosZero, NegZero, CWDefault) }, pi, PE | C1},
		{"FPATAN(-0,-0)", func() (Ext80, Flags) { return Atan2(NegZero, NegZero, CWDefault) }, pi.Chs(), PE | C1},
		{"FPATAN(-0,+0)", func() (Ext80, Flags) { return Atan2(NegZero, PosZero, CWDefault) }, NegZero, 0},
		{"FPATAN(1,+0)", func() (Ext80, Flags) { return Atan2(One, PosZero, CWDefault) }, half(pi), PE | C1},
		{"FPATAN(-inf,5)", func() (Ext80, Flags) { return Atan2(NegInf, FromInt64(5), CWDefault) }, half(pi).Chs(), PE | C1},
		{"FPATAN(2,-inf)", func() (Ext80, Flags) { return Atan2(two, NegInf, CWDefault) }, pi, PE | C1},
		{"FPATAN(inf,inf)", func() (Ext80, Flags) { return Atan2(PosInf, PosInf, CWDefault) }, half(half(pi)), PE | C1},
		{"FCOS(-0)", func() (Ext80, Flags) { r, f, _ := Cos(NegZero, CWDefault); return r, f }, One, 0},
		{"FSIN(inf)", func() (Ext80, Flags) { r, f, _ := Sin(PosInf, CWDefault); return r, f }, Indefinite, IE},
		{"FPTAN(-0)", func() (Ext80, Flags) { r, f, _ := Tan(NegZero, CWDefault); return r, f }, NegZero, 0},
		// Tiny arguments: sin x is just below x, so chopping gives the
		// value below and nearest gives x itself, rounded up (C1).
		{"FSIN tiny nearest", func() (Ext80, Flags) { r, f, _ := Sin(ext(1000, intBit), CWDefault); return r, f }, ext(1000, intBit), PE | C1},
		{"FSIN tiny chop", func() (Ext80, Flags) { r, f, _ := Sin(ext(1000, intBit), CWDefault|RCZero); return r, f }, ext(999, ^uint64(0)), PE},
		{"FCOS tiny down", func() (Ext80, Flags) { r, f, _ := Cos(ext(1000, intBit), CWDefault|RCDown); return r, f }, ext(0x3FFE, ^uint64(0)), PE},
		{"FPTAN tiny up", func() (Ext80, Flags) { r, f, _ := Tan(ext(1000, intBit), CWDefault|RCUp); return r, f }, ext(1000, intBit|1), PE | C1},
		{"FSIN denormal", func() (Ext80, Flags) { r, f, _ := Sin(ext(0, 12345), CWDefault); return r, f }, ext(0, 12345), DE | UE | PE | C1},
	}
	for _, tt := range tests {
		got, fl := tt.got()
		if got != tt.want || fl != tt.fl {
			t.Errorf("%s = %v %03x, want %v %03x", tt.name, got, fl, tt.want, tt.fl)
		}
	}
}
