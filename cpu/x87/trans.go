package x87

import (
	"math/big"
	"math/bits"
)

// The transcendental instructions (SDM Vol. 2, F2XM1, FYL2X, FYL2XP1,
// FPTAN, FPATAN, FSIN, FCOS, FSINCOS). Results are rounded once to 64
// bits under the rounding control, so they are correctly rounded (the P6
// promises less than one unit in the last place): the fixed-point
// kernels of fastmath.go answer when their rounding is certain, the
// math/big kernels of bigmath.go otherwise. FSIN, FCOS, FSINCOS and
// FPTAN reduce their argument with the P6's 66-bit π, as the hardware
// does, so that large arguments give the hardware's answers rather than
// the true sine: fsin of the double nearest π is 1.2246063538223773e-16,
// not 1.2246467991e-16.
// The precision control does not apply to these instructions.

// fromBig rounds v to an Ext80 under cw. dir tells where the true value
// lies when v may be exactly representable although the true value is
// not: 0 if v is the true value, +1 if the true value is a little above
// v, -1 if a little below. When v is not exact at 128 bits it is
// already known to be inexact and dir does not matter.
func fromBig(v *big.Float, dir int, cw uint16) (Ext80, Flags) {
	if v.Sign() == 0 {
		if dir == 0 {
			return Ext80{Se: boolSign(v.Signbit())}, 0
		}
		// A true value too small for any exponent: round from far below.
		return roundExt64(num{neg: dir < 0, exp: -1 << 24, hi: intBit}, cw)
	}
	var m big.Float
	e := v.MantExp(&m)
	m.SetMantExp(&m, 128)
	neg := m.Signbit()
	m.Abs(&m)
	i, acc := m.Int(nil)
	var buf [16]byte
	i.FillBytes(buf[:])
	n := num{neg: neg, exp: int32(e - 1), hi: getBE(buf[:8]), lo: getBE(buf[8:])}
	switch {
	case acc != big.Exact:
		n.lo |= 1
	case dir != 0 && (dir > 0) == !neg: // a little larger in magnitude
		n.lo |= 1
	case dir != 0: // a little smaller in magnitude
		var b uint64
		n.lo, b = bits.Sub64(n.lo, 1, 0)
		n.hi -= b
		n = n.normalize()
		n.lo |= 1
	}
	return roundExt64(n, cw)
}

// bigOf returns finite x as a big.Float.
func bigOf(x Ext80) *big.Float {
	f, _ := x.Float()
	return newF(prec).Set(f)
}

// isPow2 reports whether finite nonzero x is ±2^k, and returns k.
func isPow2(x Ext80) (int32, bool) {
	n := x.num()
	return n.exp, n.hi == intBit
}

// TwoXM1 returns 2^a - 1 (F2XM1). The SDM defines it for -1 <= a <= +1;
// outside that range this returns the true value too.
func TwoXM1(a Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(a, a, false); ok {
		return r, fl
	}
	switch a.Class() {
	case Zero:
		return a, 0
	case Infinity:
		if a.Neg() {
			return Ext80{Se: signBit | extBias, Sig: intBit}, 0 // -1
		}
		return a, 0
	}
	fl := denormFlag(a)
	n := a.num()
	switch {
	case n.exp >= 15:
		if n.neg {
			return fromBigFl(big.NewFloat(-1), 1, cw, fl) // -1 + 2^a, a <= -32768
		}
		return fromBigFl(newF(prec).SetMantExp(big.NewFloat(1), 1<<20), 0, cw, fl) // overflows
	case n.exp >= 0 && n.hi<<uint(n.exp+1) == 0:
		// An integer k: 2^k - 1 is exact.
		k := int(n.hi >> (63 - uint(n.exp)))
		if n.neg {
			k = -k
		}
		// 2^k - 1 is exact; the hardware reports PE all the same.
		v := newF(uint(abs(k))+8).SetMantExp(big.NewFloat(1), k)
		r, rf := fromBig(v.Sub(v, big.NewFloat(1)), 0, cw)
		return r, fl | rf | PE
	}
	if n.exp < 0 {
		if v, ok := twoXM1Fast(a); ok {
			if r, rf, ok := roundFast(v, cw); ok {
				return r, fl | rf
			}
		}
	}
	consts()
	x := bigOf(a)
	if n.exp < 0 { // |a| < 1
		x.Mul(x, bigLn2)
		return fromBigFl(expm1(x), 0, cw, fl)
	}
	// 2^a = 2^k · 2^f with f in (0, 1).
	k, _ := x.Int(nil)
	f := x.Sub(x, newF(prec).SetInt(k))
	f.Mul(f, bigLn2)
	v := expm1(f)
	v.Add(v, big.NewFloat(1))
	v.SetMantExp(v, int(k.Int64()))
	return fromBigFl(v.Sub(v, big.NewFloat(1)), 0, cw, fl)
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

func fromBigFl(v *big.Float, dir int, cw uint16, fl Flags) (Ext80, Flags) {
	r, rf := fromBig(v, dir, cw)
	return r, fl | rf
}

// YLog2X returns y·log2(x) (FYL2X: x is ST(0), y is ST(1)); special
// operands follow the table on the FYL2X page.
func YLog2X(x, y Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(x, y, true); ok {
		return r, fl
	}
	cx, cy := x.Class(), y.Class()
	fl := denormFlag(x, y)
	inf := func(neg bool) Ext80 { return Ext80{Se: boolSign(neg) | expMask, Sig: intBit} }
	switch {
	case x.Neg() && cx != Zero:
		return Indefinite, IE
	case cx == Zero:
		switch cy {
		case Zero:
			return Indefinite, IE
		case Infinity:
			return inf(!y.Neg()), fl
		}
		return inf(!y.Neg()), ZE // log2(0) = -inf, times y
	case cx == Infinity:
		if cy == Zero {
			return Indefinite, IE
		}
		return inf(y.Neg()), fl
	}
	// x positive, finite, nonzero.
	k, pow2 := isPow2(x)
	if cy == Infinity {
		if pow2 && k == 0 {
			return Indefinite, IE // inf · log2(1)
		}
		return inf(y.Neg() != (k < 0)), fl
	}
	if pow2 {
		// log2(x) = k exactly: one rounding of the product. The hardware
		// still reports PE for a nonzero result, so this does too.
		r, rf := Mul(y, FromInt64(int64(k)), cw|CWPC)
		if r.Class() != Zero {
			rf |= PE
		}
		return r, fl | rf
	}
	if cy == Zero {
		return Ext80{Se: boolSign(y.Neg() != (k < 0))}, fl
	}
	if v, ok := yLog2XFast(x, y); ok {
		if r, rf, ok := roundFast(v, cw); ok {
			return r, fl | rf
		}
	}
	consts()
	l := ln(bigOf(x))
	l.Quo(l, bigLn2)
	return fromBigFl(l.Mul(l, bigOf(y)), 0, cw, fl)
}

// YLog2XP1 returns y·log2(x+1) (FYL2XP1: x is ST(0), y is ST(1)). The SDM
// defines it for |x| < 1 - √2/2; elsewhere this returns the true value,
// and IE for x <= -1.
func YLog2XP1(x, y Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(x, y, true); ok {
		return r, fl
	}
	cx, cy := x.Class(), y.Class()
	fl := denormFlag(x, y)
	neg := x.Neg() != y.Neg()
	switch {
	case cx == Infinity && (x.Neg() || cy == Zero):
		return Indefinite, IE
	case cx == Infinity:
		return Ext80{Se: boolSign(y.Neg()) | expMask, Sig: intBit}, fl
	case cx == Zero:
		if cy == Infinity {
			return Indefinite, IE
		}
		return Ext80{Se: boolSign(neg)}, fl
	}
	if x.Neg() {
		if o, _ := Compare(x, Ext80{Se: signBit | extBias, Sig: intBit}, true); o != Greater {
			return Indefinite, IE // log of x+1 <= 0
		}
	}
	switch cy {
	case Infinity:
		return Ext80{Se: boolSign(neg) | expMask, Sig: intBit}, fl
	case Zero:
		return Ext80{Se: boolSign(neg)}, fl
	}
	if x.num().exp < -2 {
		if v, ok := yLog2XP1Fast(x, y); ok {
			if r, rf, ok := roundFast(v, cw); ok {
				return r, fl | rf
			}
		}
	}
	consts()
	bx := bigOf(x)
	var l *big.Float
	if x.num().exp < -1 {
		l = log1p(bx)
	} else {
		l = ln(bx.Add(bx, big.NewFloat(1)))
		if l.Sign() == 0 {
			return Ext80{Se: boolSign(neg)}, fl
		}
	}
	l.Quo(l, bigLn2)
	return fromBigFl(l.Mul(l, bigOf(y)), 0, cw, fl)
}

// Atan2 returns the angle of the point (x, y) in (-π, π] (FPATAN: y is
// ST(1), x is ST(0)); zeros and infinities follow the FPATAN table.
func Atan2(y, x Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(y, x, true); ok {
		return r, fl
	}
	consts()
	cx, cy := x.Class(), y.Class()
	fl := denormFlag(x, y)
	piFrac := func(num, den int64) (Ext80, Flags) {
		v := newF(prec).Mul(bigPi, newF(prec).SetInt64(num))
		v.Quo(v, newF(prec).SetInt64(den))
		if y.Neg() {
			v.Neg(v)
		}
		return fromBigFl(v, 0, cw, fl)
	}
	zero := Ext80{Se: y.Se & signBit}
	switch {
	case cy == Infinity && cx == Infinity:
		if x.Neg() {
			return piFrac(3, 4)
		}
		return piFrac(1, 4)
	case cy == Infinity || cx == Zero && cy != Zero:
		return piFrac(1, 2)
	case cx == Infinity || cy == Zero:
		if x.Neg() {
			return piFrac(1, 1)
		}
		return zero, fl
	}
	if v, ok := atan2Fast(y, x); ok {
		if r, rf, ok := roundFast(v, cw); ok {
			return r, fl | rf
		}
	}
	q := newF(prec).Quo(bigOf(y), bigOf(x))
	dir := 0
	if q.MantExp(nil) < -70 && !x.Neg() {
		// atan q = q - q³/3 + ...: a little smaller in magnitude.
		dir = 1
		if !q.Signbit() {
			dir = -1
		}
		return fromBigFl(q, dir, cw, fl)
	}
	v := atan(q)
	if x.Neg() {
		p := newF(prec).Set(bigPi)
		if y.Neg() {
			p.Neg(p)
		}
		v.Add(v, p)
	}
	return fromBigFl(v, dir, cw, fl)
}

// outOfRange reports |a| >= 2^63, which FSIN, FCOS, FSINCOS and FPTAN
// leave unchanged, setting C2 (SDM Vol. 2, FSIN).
func outOfRange(a Ext80) bool {
	return a.Class() == Normal && int32(a.Se&expMask)-extBias >= 63
}

// trig evaluates what FSIN/FCOS/FSINCOS/FPTAN need for finite, in-range,
// nonzero a: sin and cos with the direction hints for tiny arguments.
func trig(a Ext80) (s, c *big.Float, sdir, cdir int) {
	r, q := reduce(bigOf(a))
	if r.Sign() != 0 && r.MantExp(nil) < -70 {
		// sin r = r(1 - r²/6 ...), cos r = 1 - r²/2 ...
		s, c = newF(prec).Set(r), newF(prec).SetInt64(1)
		sdir, cdir = -r.Sign(), -1
	} else {
		s, c = sinCos(r)
	}
	switch q {
	case 1:
		s, c, sdir, cdir = c, s.Neg(s), cdir, -sdir
	case 2:
		s, c, sdir, cdir = s.Neg(s), c.Neg(c), -sdir, -cdir
	case 3:
		s, c, sdir, cdir = c.Neg(c), s, -cdir, sdir
	}
	return
}

// trigSpecial handles the operands of the trigonometric instructions
// that need no computation. ok is false for a finite nonzero in-range a.
func trigSpecial(a Ext80) (r Ext80, fl Flags, ok bool) {
	if r, fl, ok := nanResult(a, a, false); ok {
		return r, fl, true
	}
	if a.Class() == Infinity {
		return Indefinite, IE, true
	}
	return Ext80{}, 0, false
}

// Sin returns sin a (FSIN). inRange is false for |a| >= 2^63: the
// instruction then sets C2 and leaves ST(0) alone.
func Sin(a Ext80, cw uint16) (r Ext80, fl Flags, inRange bool) {
	if r, fl, ok := trigSpecial(a); ok {
		return r, fl, true
	}
	if outOfRange(a) {
		return a, 0, false
	}
	if a.Class() == Zero {
		return a, 0, true
	}
	if s, _, ok := trigFast(a, true, false); ok {
		if r, rf, ok := roundFast(s, cw); ok {
			return r, rf | denormFlag(a), true
		}
	}
	s, _, sdir, _ := trig(a)
	r, fl = fromBig(s, sdir, cw)
	return r, fl | denormFlag(a), true
}

// Cos returns cos a (FCOS).
func Cos(a Ext80, cw uint16) (r Ext80, fl Flags, inRange bool) {
	if r, fl, ok := trigSpecial(a); ok {
		return r, fl, true
	}
	if outOfRange(a) {
		return a, 0, false
	}
	if a.Class() == Zero {
		return One, 0, true
	}
	if _, c, ok := trigFast(a, false, true); ok {
		if r, rf, ok := roundFast(c, cw); ok {
			return r, rf | denormFlag(a), true
		}
	}
	_, c, _, cdir := trig(a)
	r, fl = fromBig(c, cdir, cw)
	return r, fl | denormFlag(a), true
}

// SinCos returns sin a and cos a (FSINCOS).
func SinCos(a Ext80, cw uint16) (s, c Ext80, fl Flags, inRange bool) {
	if r, fl, ok := trigSpecial(a); ok {
		return r, r, fl, true
	}
	if outOfRange(a) {
		return a, a, 0, false
	}
	if a.Class() == Zero {
		return a, One, 0, true
	}
	if fs, fc, ok := trigFast(a, true, true); ok {
		s, sf, ok1 := roundFast(fs, cw)
		c, cf, ok2 := roundFast(fc, cw)
		if ok1 && ok2 {
			return s, c, sf | cf&^C1 | denormFlag(a), true
		}
	}
	bs, bc, sdir, cdir := trig(a)
	s, sf := fromBig(bs, sdir, cw)
	c, cf := fromBig(bc, cdir, cw)
	return s, c, sf | cf&^C1 | denormFlag(a), true
}

// Tan returns tan a (FPTAN, which then pushes 1.0).
func Tan(a Ext80, cw uint16) (r Ext80, fl Flags, inRange bool) {
	if r, fl, ok := trigSpecial(a); ok {
		return r, fl, true
	}
	if outOfRange(a) {
		return a, 0, false
	}
	if a.Class() == Zero {
		return a, 0, true
	}
	fl = denormFlag(a)
	if fs, fc, ok := trigFast(a, true, true); ok {
		if r, rf, ok := roundFast(divNum128(fs, fc), cw); ok {
			return r, fl | rf, true
		}
	}
	r0, q := reduce(bigOf(a))
	odd := q&1 != 0
	if r0.Sign() != 0 && r0.MantExp(nil) < -70 {
		// tan r = r(1 + r²/3 ...) is a little larger than r in
		// magnitude; -cot r = -1/r + r/3 ... a little smaller than 1/r.
		if odd {
			v := newF(prec).Quo(big.NewFloat(-1), r0)
			r, rf := fromBig(v, r0.Sign(), cw)
			return r, fl | rf, true
		}
		r, rf := fromBig(r0, r0.Sign(), cw)
		return r, fl | rf, true
	}
	s, c := sinCos(r0)
	if odd {
		s, c = c, s.Neg(s)
	}
	r, rf := fromBig(s.Quo(s, c), 0, cw)
	return r, fl | rf, true
}
