package x87

import (
	"math"
	"math/bits"
)

// The basic operations take the control word for precision, rounding and
// the masks, and return the result with the flags the operation raised.
// They implement the masked responses; the FPU decides from the masks
// whether a result is stored (SDM Vol. 1, 4.9 and 8.5). Special operands
// follow SDM Vol. 1, table 4-7 (NaNs) and the instruction pages.

// nanResult handles the operands an arithmetic instruction cannot compute
// with: an unsupported encoding gives IE and the indefinite; otherwise
// the NaN rules (SDM Vol. 1, table 4-7): an SNaN signals IE; of two NaNs
// the QNaN source wins over an SNaN, else the larger significand (then
// the one with the lower sign/exponent word); an SNaN result is quieted.
// ok is false when neither operand is special in that way.
func nanResult(a, b Ext80, two bool) (r Ext80, fl Flags, ok bool) {
	ca, cb := a.Class(), Zero
	if two {
		cb = b.Class()
	}
	if ca == Unsupported || cb == Unsupported {
		return Indefinite, IE, true
	}
	an, bn := ca == QNaN || ca == SNaN, cb == QNaN || cb == SNaN
	if !an && !bn {
		return Ext80{}, 0, false
	}
	if ca == SNaN || cb == SNaN {
		fl = IE
	}
	switch {
	case an && bn:
		switch {
		case ca == SNaN && cb == QNaN:
			return b, fl, true
		case cb == SNaN && ca == QNaN:
			return a, fl, true
		}
		qa, qb := quiet(a), quiet(b)
		switch {
		case qa.Sig > qb.Sig:
			return qa, fl, true
		case qb.Sig > qa.Sig:
			return qb, fl, true
		case qa.Se <= qb.Se:
			return qa, fl, true
		}
		return qb, fl, true
	case an:
		return quiet(a), fl, true
	}
	return quiet(b), fl, true
}

// normal reports whether x is a normal number (biased exponent 1-7FFE,
// integer bit set): the common case, which needs no special handling.
func normal(x Ext80) bool {
	return (x.Se&expMask)-1 < maxExpRaw-1 && x.Sig&intBit != 0
}

// denormFlag returns DE if any of xs is a denormal or pseudo-denormal.
func denormFlag(xs ...Ext80) Flags {
	for _, x := range xs {
		if x.Se&expMask == 0 && x.Sig != 0 {
			return DE
		}
	}
	return 0
}

// Add returns a + b.
func Add(a, b Ext80, cw uint16) (Ext80, Flags) { return addSub(a, b, false, cw) }

// Sub returns a - b.
func Sub(a, b Ext80, cw uint16) (Ext80, Flags) { return addSub(a, b, true, cw) }

func addSub(a, b Ext80, negB bool, cw uint16) (Ext80, Flags) {
	if normal(a) && normal(b) {
		bn := b.num()
		bn.neg = bn.neg != negB
		if n, exactZero := addNum(a.num(), bn); !exactZero {
			return roundExt(n, cw)
		}
	}
	if r, fl, ok := nanResult(a, b, true); ok {
		return r, fl
	}
	if negB {
		b = b.Chs()
	}
	fl := denormFlag(a, b)
	ca, cb := a.Class(), b.Class()
	switch {
	case ca == Infinity && cb == Infinity:
		if a.Neg() != b.Neg() {
			return Indefinite, IE
		}
		return a, fl
	case ca == Infinity:
		return a, fl
	case cb == Infinity:
		return b, fl
	}
	n, exactZero := addNum(a.num(), b.num())
	if exactZero {
		// x + -x is +0, or -0 when rounding down; -0 + -0 is -0
		// (SDM Vol. 1, 4.8.3.2).
		neg := a.Neg() && b.Neg() || (a.Neg() != b.Neg() && cw&CWRC == RCDown)
		return Ext80{Se: boolSign(neg)}, fl
	}
	r, rf := roundExt(n, cw)
	return r, fl | rf
}

// addNum adds two finite nums exactly, jamming what falls off the bottom
// of 128 bits. exactZero reports an exact zero sum.
func addNum(a, b num) (n num, exactZero bool) {
	switch {
	case a.isZero() && b.isZero():
		return num{}, true
	case a.isZero():
		return b, false
	case b.isZero():
		return a, false
	}
	if a.exp < b.exp || (a.exp == b.exp && (a.hi < b.hi || a.hi == b.hi && a.lo < b.lo)) {
		a, b = b, a // |a| >= |b|
	}
	d := a.exp - b.exp
	if d > 130 {
		d = 130 // all of b is sticky by then
	}
	b.hi, b.lo = shr128(b.hi, b.lo, uint(d))
	n = num{neg: a.neg, exp: a.exp}
	if a.neg == b.neg {
		var c uint64
		n.lo, c = bits.Add64(a.lo, b.lo, 0)
		n.hi, c = bits.Add64(a.hi, b.hi, c)
		if c != 0 {
			sticky := n.lo & 1
			n.lo = n.lo>>1 | n.hi<<63 | sticky
			n.hi = n.hi>>1 | intBit
			n.exp++
		}
		return n, false
	}
	var br uint64
	n.lo, br = bits.Sub64(a.lo, b.lo, 0)
	n.hi, _ = bits.Sub64(a.hi, b.hi, br)
	if n.isZero() {
		return num{}, true
	}
	return n.normalize(), false
}

// Mul returns a × b.
func Mul(a, b Ext80, cw uint16) (Ext80, Flags) {
	if normal(a) && normal(b) {
		return roundExt(mulNum(a.num(), b.num()), cw)
	}
	if r, fl, ok := nanResult(a, b, true); ok {
		return r, fl
	}
	fl := denormFlag(a, b)
	ca, cb := a.Class(), b.Class()
	neg := a.Neg() != b.Neg()
	switch {
	case ca == Infinity || cb == Infinity:
		if ca == Zero || cb == Zero {
			return Indefinite, IE
		}
		return Ext80{Se: boolSign(neg) | expMask, Sig: intBit}, fl
	case ca == Zero || cb == Zero:
		return Ext80{Se: boolSign(neg)}, fl
	}
	r, rf := roundExt(mulNum(a.num(), b.num()), cw)
	return r, fl | rf
}

// mulNum multiplies two nonzero unpacked Ext80 nums (lo = 0) exactly.
func mulNum(a, b num) num {
	hi, lo := bits.Mul64(a.hi, b.hi)
	return num{neg: a.neg != b.neg, exp: a.exp + b.exp + 1, hi: hi, lo: lo}.normalize()
}

// Div returns a / b.
func Div(a, b Ext80, cw uint16) (Ext80, Flags) {
	if normal(a) && normal(b) {
		return roundExt(divNum(a.num(), b.num()), cw)
	}
	if r, fl, ok := nanResult(a, b, true); ok {
		return r, fl
	}
	ca, cb := a.Class(), b.Class()
	neg := a.Neg() != b.Neg()
	inf := Ext80{Se: boolSign(neg) | expMask, Sig: intBit}
	switch {
	case ca == Infinity && cb == Infinity, ca == Zero && cb == Zero:
		return Indefinite, IE
	case ca == Infinity: // ∞/0 is ∞ too, without ZE
		return inf, denormFlag(b)
	case cb == Zero:
		// Divide by zero outranks a denormal dividend (SDM Vol. 1, 4.9.2).
		return inf, ZE
	}
	fl := denormFlag(a, b)
	if cb == Infinity || ca == Zero {
		return Ext80{Se: boolSign(neg)}, fl
	}
	r, rf := roundExt(divNum(a.num(), b.num()), cw)
	return r, fl | rf
}

// divNum divides two nonzero unpacked nums (lo = 0) to a 128-bit quotient
// with a sticky bit for the remainder.
func divNum(a, b num) num {
	// The quotient of the significands lies in (1/2, 2): scale the
	// dividend by 2^127 or 2^128 so that the quotient has 128 bits.
	var n1, n0 uint64 // dividend = a.hi·2^s as n2:n1:n0 with n2 < b.hi
	var n2 uint64
	s := int32(128)
	if a.hi >= b.hi {
		s = 127
		n2, n1 = a.hi>>1, a.hi<<63
	} else {
		n2 = a.hi
	}
	q1, r := bits.Div64(n2, n1, b.hi)
	q0, r := bits.Div64(r, n0, b.hi)
	n := num{neg: a.neg != b.neg, exp: a.exp - b.exp - s + 127, hi: q1, lo: q0}
	if r != 0 {
		n.lo |= 1
	}
	return n
}

// Sqrt returns the square root of a.
func Sqrt(a Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(a, a, false); ok {
		return r, fl
	}
	switch c := a.Class(); {
	case c == Zero:
		return a, 0 // sqrt(-0) = -0
	case a.Neg():
		return Indefinite, IE
	case c == Infinity:
		return a, 0
	}
	r, rf := roundExt(sqrtNum(a.num()), cw)
	return r, denormFlag(a) | rf
}

// sqrtNum takes the square root of a positive nonzero num: a 64-bit
// integer root of the 128-bit radicand hi·2^64 (or hi·2^63 to make the
// exponent even), then the round bit and the sticky bit from the
// remainder. A root of a 64-bit significand is never a halfway case, so
// that settles every rounding mode and precision.
func sqrtNum(a num) num {
	e := a.exp - 63 // value = hi · 2^e
	nh, nl := a.hi, uint64(0)
	if e&1 != 0 {
		nh, nl = a.hi>>1, a.hi<<63 // hi·2^63 · 2^(e-63)
		e++
	}
	// value = N · 2^(e-64) with N = nh:nl in [2^126, 2^128), so the root
	// s = floor(sqrt N) has exactly 64 bits and sqrt(value) = s' · 2^((e-64)/2).
	s := isqrt128(nh, nl)
	ph, pl := bits.Mul64(s, s)
	rl, b := bits.Sub64(nl, pl, 0)
	rh, _ := bits.Sub64(nh, ph, b)
	// sqrt N = s + f, f in [0, 1): f >= 1/2 iff N >= s² + s + 1/4, that is
	// iff the remainder exceeds s; f is never exactly 1/2.
	n := num{exp: (e-64)/2 + 63, hi: s}
	if rh != 0 || rl > s {
		n.lo = 1<<63 | 1
	} else if rl != 0 {
		n.lo = 1
	}
	return n
}

// isqrt128 returns floor(sqrt(hi:lo)) for hi:lo >= 2^126, by Newton's
// iteration from above, started from the float64 root.
func isqrt128(hi, lo uint64) uint64 {
	f := math.Sqrt(float64(hi)*0x1p64 + float64(lo))
	s := ^uint64(0)
	if f < 0x1p64-0x1p13 {
		s = uint64(f) + 1<<13 // above the root: the float64 is good to 2^12
	}
	for {
		if hi >= s {
			// Only when the root is 2^64-1 itself: the quotient would
			// not fit, and s is the answer.
			return s
		}
		q, _ := bits.Div64(hi, lo, s)
		t := s>>1 + q>>1 + s&q&1
		if t >= s {
			return s
		}
		s = t
	}
}

func getBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}
