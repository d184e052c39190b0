package x87

import (
	"math/rand"
	"testing"

	"ringzero/cpu/x87/internal/hostfpu"
)

// These tests drive the Ext80 operations directly and compare them with
// the host's x87 running the matching instruction on ST(0) and ST(1).

// hostST runs op/modrm on the host with ST(0) = a and ST(1) = b and
// returns the register that was ST(0) and the one that was ST(1), with
// the status word.
func hostST(op, modrm byte, a, b Ext80, cw uint16) (st0, st1 Ext80, sw uint16) {
	var img hostfpu.Image
	var mem [128]byte
	put16(img[0:], cw)
	put16(img[4:], 6<<11) // TOP = 6: ST(0) = R6, ST(1) = R7
	put16(img[8:], 0x0FFF)
	ab, bb := a.Bytes(), b.Bytes()
	copy(img[28:], ab[:])
	copy(img[38:], bb[:])
	hostfpu.Run(op, modrm, &img, &mem, 0)
	sw = get16(img[4:])
	// The image is in stack order for the new TOP; find R6 and R7.
	top := int(sw>>11) & 7
	reg := func(p int) Ext80 { return FromBytes(img[28+10*((p-top)&7):]) }
	return reg(6), reg(7), sw
}

// randExt returns finite and special values with interesting exponents.
func randExt(r *rand.Rand) Ext80 {
	x := Ext80{Se: uint16(r.Intn(0x10000)), Sig: r.Uint64() | intBit}
	switch r.Intn(8) {
	case 0: // near 1
		x.Se = x.Se&signBit | uint16(extBias+r.Intn(80)-40)
	case 1: // near the bottom of the range
		x.Se = x.Se&signBit | uint16(r.Intn(70))
	case 2: // near the top
		x.Se = x.Se&signBit | uint16(0x7FFF-r.Intn(70))
	case 3: // runs of ones: carries and ties
		x.Sig = ^uint64(0)<<uint(r.Intn(64)) | intBit
		x.Se = x.Se&signBit | uint16(extBias+r.Intn(10)-5)
	case 4: // denormals
		x.Se &= signBit
		x.Sig >>= uint(r.Intn(64))
	}
	return x
}

func randCW(r *rand.Rand) uint16 {
	cw := uint16(0x7F) | uint16(r.Intn(16))<<8
	if r.Intn(4) == 0 {
		cw &^= CWUM | CWOM
	}
	return cw
}

// TestOpsMatchHost checks the arithmetic against silicon: the value, the
// exception flags, C1 when PE is set, and for FPREM/FPREM1 the condition
// codes.
func TestOpsMatchHost(t *testing.T) {
	if !hostfpu.Available() {
		t.Skip("the host has no x87 to compare with (amd64 only)")
	}
	r := rand.New(rand.NewSource(1))
	type op struct {
		name   string
		modrm  byte
		fn     func(a, b Ext80, cw uint16) (Ext80, Flags)
		ccMask uint16
	}
	rem := func(ieee bool) func(a, b Ext80, cw uint16) (Ext80, Flags) {
		return func(a, b Ext80, cw uint16) (Ext80, Flags) {
			x, q, complete, fl := Rem(a, b, ieee, cw)
			fl &^= C1
			switch {
			case !complete:
				fl |= Flags(SWC2)
			case fl&IE == 0 && !x.IsNaN():
				fl |= Flags(q&1)<<9 | Flags(q>>1&1)<<14 | Flags(q>>2&1)<<8
			}
			return x, fl
		}
	}
	ops := []op{
		{"FADD", 0xC1, Add, 0}, {"FMUL", 0xC9, Mul, 0}, {"FSUB", 0xE1, Sub, 0}, {"FDIV", 0xF1, Div, 0},
		{"FSQRT", 0xFA, func(a, b Ext80, cw uint16) (Ext80, Flags) { return Sqrt(a, cw) }, 0},
		{"FPREM", 0xF8, rem(false), swCC}, {"FPREM1", 0xF5, rem(true), swCC},
		{"FRNDINT", 0xFC, func(a, b Ext80, cw uint16) (Ext80, Flags) { return RoundInt(a, cw) }, 0},
		{"FSCALE", 0xFD, Scale, 0},
	}
	bad := 0
	report := hostReport(t)
	for i := 0; i < 200000; i++ {
		a, b := randExt(r), randExt(r)
		cw := randCW(r)
		o := ops[r.Intn(len(ops))]
		opcode := byte(0xD9)
		if o.modrm < 0xF2 && o.modrm != 0xF1 || o.name == "FDIV" {
			opcode = 0xD8
		}
		want, _, sw := hostST(opcode, o.modrm, a, b, cw)
		got, fl := o.fn(a, b, cw)
		mask := uint16(swExceptions) | o.ccMask
		if o.ccMask == 0 && fl&PE != 0 {
			mask |= SWC1
		}
		if got != want || uint16(fl)&mask != sw&mask {
			bad++
			if bad <= 20 {
				report("%s %v %v cw %04x: got %v flags %04x, host %v sw %04x", o.name, a, b, cw, got, uint16(fl)&mask, want, sw&mask)
			}
		}
	}
}

// TestTranscendentalsWithinOneULP compares the transcendental
// instructions with silicon inside the SDM's domains: the values may
// differ by one unit in the last place (ours are correctly rounded), the
// exception flags must agree. It logs how often the two are identical.
func TestTranscendentalsWithinOneULP(t *testing.T) {
	if !hostfpu.Available() {
		t.Skip("the host has no x87 to compare with (amd64 only)")
	}
	r := rand.New(rand.NewSource(3))
	type op struct {
		name  string
		modrm byte
		pops  bool
		fn    func(a, b Ext80, cw uint16) (Ext80, Flags)
	}
	ops := []op{
		{"F2XM1", 0xF0, false, func(a, b Ext80, cw uint16) (Ext80, Flags) { return TwoXM1(a, cw) }},
		{"FYL2X", 0xF1, true, func(a, b Ext80, cw uint16) (Ext80, Flags) { return YLog2X(a, b, cw) }},
		{"FYL2XP1", 0xF9, true, func(a, b Ext80, cw uint16) (Ext80, Flags) { return YLog2XP1(a, b, cw) }},
		{"FPATAN", 0xF3, true, func(a, b Ext80, cw uint16) (Ext80, Flags) { return Atan2(b, a, cw) }},
		{"FSIN", 0xFE, false, func(a, b Ext80, cw uint16) (Ext80, Flags) { x, f, _ := Sin(a, cw); return x, f }},
		{"FCOS", 0xFF, false, func(a, b Ext80, cw uint16) (Ext80, Flags) { x, f, _ := Cos(a, cw); return x, f }},
		{"FPTAN", 0xF2, false, func(a, b Ext80, cw uint16) (Ext80, Flags) { x, f, _ := Tan(a, cw); return x, f }},
	}
	same := map[string]int{}
	total := map[string]int{}
	report := hostReport(t)
	for i := 0; i < 20000; i++ {
		a, b := randExt(r), randExt(r)
		o := ops[r.Intn(len(ops))]
		switch o.name {
		case "F2XM1", "FYL2XP1": // |x| < 1/4
			a.Se = a.Se&signBit | uint16(extBias-3-r.Intn(70))
		case "FYL2X":
			a.Se &^= signBit
		case "FSIN", "FCOS", "FPTAN":
			a.Se = a.Se&signBit | uint16(extBias+r.Intn(80)-40)
		}
		cw := randCW(r) | CWOM | CWUM
		st0, st1, sw := hostST(0xD9, o.modrm, a, b, cw)
		want := st0
		if o.pops {
			want = st1
		}
		got, fl := o.fn(a, b, cw)
		total[o.name]++
		if got == want {
			same[o.name]++
		}
		if d := ulpDiff(got, want); d > 1 || uint16(fl)&swExceptions != sw&swExceptions {
			report("%s %v %v cw %04x: got %v flags %02x, host %v %02x (%d ulp)", o.name, a, b, cw, got, fl&exceptionFlags, want, sw&swExceptions, d)
		}
	}
	for _, o := range ops {
		t.Logf("%-8s identical to the host in %5.1f%% of %d cases, else within one ulp",
			o.name, 100*float64(same[o.name])/float64(total[o.name]), total[o.name])
	}
}

// ulpDiff returns how many units in the last place apart two finite
// values of the same sign are (1<<40 if they are not comparable).
func ulpDiff(a, b Ext80) int64 {
	if a == b {
		return 0
	}
	if a.Se&signBit != b.Se&signBit {
		return 1 << 40
	}
	ea, eb := int64(a.Se&expMask), int64(b.Se&expMask)
	switch {
	case ea == eb:
		d := int64(a.Sig - b.Sig)
		if d < 0 {
			d = -d
		}
		return d
	case ea == eb+1 && a.Sig == intBit && b.Sig == ^uint64(0),
		eb == ea+1 && b.Sig == intBit && a.Sig == ^uint64(0):
		return 1
	}
	return 1 << 40
}
