package x87

import "math/bits"

// Order is the result of a comparison.
type Order uint8

// Comparison results.
const (
	Greater Order = iota
	Less
	Equal
	Unordered
)

func (o Order) String() string {
	return [...]string{"greater", "less", "equal", "unordered"}[o&3]
}

// Compare orders a against b (FCOM, FUCOM, FCOMI, FUCOMI, FTST, FICOM).
// Unsupported encodings and SNaNs signal IE; QNaNs too unless quiet (the
// FUCOM family). Denormals signal DE; ±0 compare equal.
func Compare(a, b Ext80, quiet bool) (Order, Flags) {
	ca, cb := a.Class(), b.Class()
	switch {
	case ca == Unsupported || cb == Unsupported || ca == SNaN || cb == SNaN:
		return Unordered, IE
	case ca == QNaN || cb == QNaN:
		if quiet {
			return Unordered, 0
		}
		return Unordered, IE
	}
	fl := denormFlag(a, b)
	if ca == Zero && cb == Zero {
		return Equal, fl
	}
	c := cmpMag(a, b)
	switch {
	case a.Neg() != b.Neg():
		if ca == Zero { // -0 vs b or +0 vs b: b decides
			c = -1
			if b.Neg() {
				c = 1
			}
			return orderOf(c), fl
		}
		if a.Neg() {
			return Less, fl
		}
		return Greater, fl
	case a.Neg():
		c = -c
	}
	return orderOf(c), fl
}

func orderOf(c int) Order {
	switch {
	case c < 0:
		return Less
	case c > 0:
		return Greater
	}
	return Equal
}

// cmpMag compares |a| and |b| for non-NaN values.
func cmpMag(a, b Ext80) int {
	ra, rb := magRank(a), magRank(b)
	switch {
	case ra.exp != rb.exp:
		if ra.exp < rb.exp {
			return -1
		}
		return 1
	case ra.hi != rb.hi:
		if ra.hi < rb.hi {
			return -1
		}
		return 1
	}
	return 0
}

// magRank maps a non-NaN value to a (exp, hi) pair ordered like |value|.
func magRank(x Ext80) num {
	switch x.Class() {
	case Zero:
		return num{exp: -1 << 30}
	case Infinity:
		return num{exp: 1 << 30}
	}
	return x.num()
}

// Rem is FPREM (ieee false: quotient truncated) and FPREM1 (ieee true:
// quotient rounded to nearest even), SDM Vol. 2 FPREM/FPREM1. When the
// exponents differ by 64 or more it computes a partial remainder,
// reducing the difference by 32 + (difference mod 32) as the P6 does, and
// reports complete = false (C2). Otherwise q holds the low bits of the
// quotient (C0 = q2, C3 = q1, C1 = q0). The remainder is always exact.
func Rem(a, b Ext80, ieee bool, cw uint16) (r Ext80, q uint64, complete bool, fl Flags) {
	if r, fl, ok := nanResult(a, b, true); ok {
		return r, 0, true, fl
	}
	ca, cb := a.Class(), b.Class()
	switch {
	case ca == Infinity || cb == Zero:
		return Indefinite, 0, true, IE
	case cb == Infinity:
		r, fl := roundExt64(a.num(), cw) // normalizes a pseudo-denormal
		if ca == Zero {
			r = a
		}
		return r, 0, true, fl | denormFlag(a)
	case ca == Zero:
		return a, 0, true, denormFlag(b)
	}
	fl = denormFlag(a, b)
	an, bn := a.num(), b.num()
	A, B := an.hi, bn.hi
	d := an.exp - bn.exp
	neg := an.neg
	var R uint64
	var n num
	switch {
	case d >= 64:
		s := uint(32 + d%32)
		_, R = bits.Div64(A>>(64-s), A<<s, B)
		n = num{neg: neg, exp: an.exp - int32(s), hi: R}
	case d >= 0:
		var hi uint64
		if d > 0 {
			hi = A >> (64 - uint(d))
		}
		q, R = bits.Div64(hi, A<<uint(d), B)
		if ieee && (R > B-R || R == B-R && q&1 != 0) {
			q++
			R = B - R
			neg = !neg
		}
		n = num{neg: neg, exp: bn.exp, hi: R}
		complete = true
	default: // |a| < |b|
		complete = true
		if ieee && d == -1 && A > B {
			// |a| > |b|/2: the quotient rounds to 1.
			q = 1
			n = num{neg: !neg, exp: an.exp, hi: B - (A - B)}
			break
		}
		n = an
	}
	if n.hi == 0 {
		return Ext80{Se: boolSign(neg)}, q, complete, fl
	}
	r, rf := roundExt64(n.normalize(), cw)
	return r, q, complete, fl | rf
}

// RoundInt rounds a to an integer under cw's rounding control (FRNDINT).
func RoundInt(a Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(a, a, false); ok {
		return r, fl
	}
	switch a.Class() {
	case Zero, Infinity:
		return a, 0
	}
	n := a.num()
	if n.exp >= 63 {
		return a, 0 // already an integer
	}
	m, _, inexact, up := roundBits(n.hi, 0, uint(127-n.exp), n.neg, cw)
	fl := denormFlag(a)
	if inexact {
		fl |= PE
		if up {
			fl |= C1
		}
	}
	r := FromInt64(int64(m)) // m <= 2^63; 2^63 wraps to -2^63, the same magnitude
	r.Se = r.Se&expMask | boolSign(n.neg)
	return r, fl
}

// Scale returns a × 2^trunc(b) (FSCALE).
func Scale(a, b Ext80, cw uint16) (Ext80, Flags) {
	if r, fl, ok := nanResult(a, b, true); ok {
		return r, fl
	}
	ca, cb := a.Class(), b.Class()
	fl := denormFlag(a, b)
	if cb == Infinity {
		switch {
		case !b.Neg() && ca == Zero, b.Neg() && ca == Infinity:
			return Indefinite, IE // 0·2^+inf, inf·2^-inf
		case ca == Zero || ca == Infinity:
			return a, fl
		case b.Neg():
			return Ext80{Se: a.Se & signBit}, fl
		}
		return Ext80{Se: a.Se&signBit | expMask, Sig: intBit}, fl
	}
	if ca == Zero || ca == Infinity {
		return a, fl
	}
	var s int32
	if cb != Zero {
		bn := b.num()
		switch {
		case bn.exp > 20:
			s = 1 << 21 // far beyond any result exponent
		case bn.exp >= 0:
			s = int32(bn.hi >> (63 - uint(bn.exp)))
		}
		if bn.neg {
			s = -s
		}
	}
	n := a.num()
	n.exp += s
	r, rf := roundExt64(n, cw)
	return r, fl | rf
}

// Extract splits a into its unbiased exponent and its significand with
// exponent 0 and a's sign (FXTRACT). A zero gives ZE, an exponent of
// -infinity and the zero itself.
func Extract(a Ext80) (exp, sig Ext80, fl Flags) {
	if r, fl, ok := nanResult(a, a, false); ok {
		return r, r, fl
	}
	switch a.Class() {
	case Zero:
		return NegInf, a, ZE
	case Infinity:
		return PosInf, a, 0
	}
	n := a.num()
	return FromInt64(int64(n.exp)), Ext80{Se: boolSign(n.neg) | extBias, Sig: n.hi}, denormFlag(a)
}
