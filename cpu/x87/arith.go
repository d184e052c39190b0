package x87

import (
	"math/big"
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

// sqrtNum takes the square root of a positive nonzero num exactly to
// about 97 bits plus a sticky bit. Square roots of 64-bit significands
// are never halfway cases, so the sticky bit settles every rounding.
func sqrtNum(a num) num {
	// a = hi · 2^(exp-63). Make the power of two even, then scale by 2^128
	// so the integer root carries 96+ bits.
	e := a.exp - 63
	var m big.Int
	m.SetUint64(a.hi)
	sh := uint(128)
	if e&1 != 0 {
		sh++ // hi·2^129 · 2^(e-1-128)
		e--
	}
	m.Lsh(&m, sh)
	var root, sq big.Int
	root.Sqrt(&m)
	sq.Mul(&root, &root)
	// root ≈ sqrt(m) and value = m·2^(e-128), with e even now.
	var buf [16]byte
	root.FillBytes(buf[:])
	n := num{exp: 127 + (e-128)/2, hi: getBE(buf[:8]), lo: getBE(buf[8:])}
	n = n.normalize()
	if sq.Cmp(&m) != 0 {
		n.lo |= 1
	}
	return n
}

func getBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}
