package x87

import (
	"math/big"
	"math/bits"
	"sync"
)

// Fast transcendental kernels in 128-bit fixed point (math/bits only).
// Each returns an approximation good to about 2^-118 relative; roundFast
// accepts it only when the true value cannot lie across a rounding
// boundary from it (Ziv's test), and otherwise the caller falls back to
// the math/big kernels. Both paths give the correctly rounded result, so
// the fast one changes speed, never answers (TestFastMatchesSlow).

// q128 is an unsigned fixed-point number with 127 fraction bits: its
// value is (hi·2^64 + lo) / 2^127, in [0, 2).
type q128 struct{ hi, lo uint64 }

var qOne = q128{hi: 1 << 63}

func qAdd(a, b q128) q128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, c)
	return q128{hi, lo}
}

func qSub(a, b q128) q128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return q128{hi, lo}
}

func qLess(a, b q128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

// mul256 returns the 256-bit product of two 128-bit numbers.
func mul256(ah, al, bh, bl uint64) (w3, w2, w1, w0 uint64) {
	h1, l1 := bits.Mul64(ah, bh)
	h2, l2 := bits.Mul64(ah, bl)
	h3, l3 := bits.Mul64(al, bh)
	h4, l4 := bits.Mul64(al, bl)
	w0 = l4
	var c1, c2, c3, c4, c5 uint64
	w1, c1 = bits.Add64(l2, l3, 0)
	w1, c2 = bits.Add64(w1, h4, 0)
	w2, c3 = bits.Add64(l1, h2, 0)
	w2, c4 = bits.Add64(w2, h3, 0)
	w2, c5 = bits.Add64(w2, c1+c2, 0)
	w3 = h1 + c3 + c4 + c5
	return
}

// qMul multiplies, truncating (error under 2^-126).
func qMul(a, b q128) q128 {
	w3, w2, w1, _ := mul256(a.hi, a.lo, b.hi, b.lo)
	return q128{w3<<1 | w2>>63, w2<<1 | w1>>63}
}

func qDivSmall(a q128, d uint64) q128 {
	hi, r := bits.Div64(0, a.hi, d)
	lo, _ := bits.Div64(r, a.lo, d)
	return q128{hi, lo}
}

func qFloat(a q128) float64 { return float64(a.hi)*0x1p-63 + float64(a.lo)*0x1p-127 }

func qFromFloat(f float64) q128 { // 0 <= f < 2
	m := f * 0x1p63
	hi := uint64(m)
	return q128{hi, uint64((m - float64(hi)) * 0x1p64)}
}

// qRecip returns 1/b for b in [1, 2): Newton's iteration from the float64
// reciprocal, two steps for 53 -> 106 -> 125 bits.
func qRecip(b q128) q128 {
	y := qFromFloat(1 / qFloat(b))
	for i := 0; i < 2; i++ {
		if p := qMul(b, y); qLess(p, qOne) {
			y = qAdd(y, qMul(y, qSub(qOne, p)))
		} else {
			y = qSub(y, qMul(y, qSub(p, qOne)))
		}
	}
	return y
}

// qOf returns |n| as fixed point; n's value must be below 2 (exp <= 0).
func qOf(n num) q128 {
	s := uint(-n.exp)
	switch {
	case s == 0:
		return q128{n.hi, n.lo}
	case s < 64:
		return q128{n.hi >> s, n.lo>>s | n.hi<<(64-s)}
	case s < 128:
		return q128{0, n.hi >> (s - 64)}
	}
	return q128{}
}

// numOfQ turns fixed point back into a (normalized) num.
func numOfQ(neg bool, q q128) num {
	return num{neg: neg, hi: q.hi, lo: q.lo}.normalize()
}

// mulNum128 multiplies two nums with 128-bit significands, truncating
// to 128 bits.
func mulNum128(a, b num) num {
	w3, w2, w1, _ := mul256(a.hi, a.lo, b.hi, b.lo)
	n := num{neg: a.neg != b.neg, exp: a.exp + b.exp + 1, hi: w3, lo: w2}
	if w3>>63 == 0 {
		n.hi, n.lo = w3<<1|w2>>63, w2<<1|w1>>63
		n.exp--
	}
	return n
}

// divNum128 divides two nonzero nums with 128-bit significands.
func divNum128(a, b num) num {
	// Both significands read as fixed point lie in [1, 2).
	q := qMul(q128{a.hi, a.lo}, qRecip(q128{b.hi, b.lo}))
	n := numOfQ(a.neg != b.neg, q)
	n.exp += a.exp - b.exp
	return n
}

// roundFast rounds an approximation n (relative error under 2^-110) of
// an irrational result when that is safe: the 64 bits below the
// rounded significand must be well away from a representable value and
// from a midpoint, and the exponent well inside the range.
func roundFast(n num, cw uint16) (Ext80, Flags, bool) {
	const margin = 1 << 20 // in units of 2^-128 of the significand
	t := n.lo
	d := t - 1<<63
	if n.hi>>63 == 0 || t < margin || -t < margin || d < margin || -d < margin ||
		n.exp <= extEmin+2 || n.exp >= extEmax-2 {
		return Ext80{}, 0, false
	}
	n.lo |= 1
	r, fl := roundExt64(n, cw)
	return r, fl, true
}

// fastPaths switches the fast kernels on; tests turn it off to get the
// math/big answers.
var fastPaths = true

// Tables for the kernels, built from the math/big ones on first use.
var (
	fastOnce  sync.Once
	numPiHalf num      // π/2
	numPi     num      // π
	numLn2    num      // ln 2
	numInvLn2 num      // 1/ln 2
	atanTab   [33]q128 // atan(j/32)
	expTab    [47]num  // e^(j/32), j = -23..23
	expm1Tab  [47]num  // e^(j/32) - 1
	lnTab     [92]num  // ln(j/64), j = 45..91
	invTab    [92]q128 // 64/j
	oddInv    [30]q128 // 1/(2k+1)
	intInv    [30]q128 // 1/(k+1)
	sinInv    [17]q128 // 1/(2k(2k+1))
	cosInv    [17]q128 // 1/((2k-1)2k)
)

// piHalfH is the P6's π/2 as an integer: π66/2 = H·2^-65.
var piHalfH, _ = new(big.Int).SetString("3243F6A8885A308D3", 16)

// numOfBig converts a nonzero big.Float to a num, truncated to 128 bits.
func numOfBig(v *big.Float) num {
	var m big.Float
	e := v.MantExp(&m)
	m.SetMantExp(&m, 128)
	neg := m.Signbit()
	m.Abs(&m)
	i, _ := m.Int(nil)
	var buf [16]byte
	i.FillBytes(buf[:])
	return num{neg: neg, exp: int32(e - 1), hi: getBE(buf[:8]), lo: getBE(buf[8:])}
}

func fastTables() {
	fastOnce.Do(func() {
		consts()
		numPi = numOfBig(bigPi)
		numPiHalf = numPi
		numPiHalf.exp--
		numLn2 = numOfBig(bigLn2)
		numInvLn2 = numOfBig(newF(prec).Quo(big.NewFloat(1), bigLn2))
		for j := 1; j <= 32; j++ {
			a := atan(newF(prec).Quo(big.NewFloat(float64(j)), big.NewFloat(32)))
			atanTab[j] = qOf(numOfBig(a))
		}
		for j := -23; j <= 23; j++ {
			if j == 0 {
				expTab[23] = numOfQ(false, qOne)
				continue
			}
			v := expm1(newF(prec).Quo(big.NewFloat(float64(j)), big.NewFloat(32)))
			expm1Tab[j+23] = numOfBig(v)
			expTab[j+23] = numOfBig(v.Add(v, big.NewFloat(1)))
		}
		for j := 45; j <= 91; j++ {
			if j != 64 {
				lnTab[j] = numOfBig(ln(newF(prec).Quo(big.NewFloat(float64(j)), big.NewFloat(64))))
			}
			invTab[j] = qOf(numOfBig(newF(prec).Quo(big.NewFloat(64), big.NewFloat(float64(j)))))
		}
		for k := range oddInv {
			oddInv[k] = qDivSmall(qOne, uint64(2*k+1))
			intInv[k] = qDivSmall(qOne, uint64(k+1))
		}
		for k := uint64(1); k < 17; k++ {
			sinInv[k] = qDivSmall(qOne, 2*k*(2*k+1))
			cosInv[k] = qDivSmall(qOne, (2*k-1)*(2*k))
		}
	})
}

// addSigned adds signed fixed-point terms kept as magnitude and sign.
func addSigned(a q128, an bool, b q128, bn bool) (q128, bool) {
	if an == bn {
		return qAdd(a, b), an
	}
	if qLess(a, b) {
		return qSub(b, a), bn
	}
	return qSub(a, b), an
}

// alternating returns Σ c_k·(-z)^k (or Σ c_k·z^k) by Horner, for small z.
func horner(z q128, c []q128, alternate bool) q128 {
	acc := c[len(c)-1]
	for k := len(c) - 2; k >= 0; k-- {
		t := qMul(z, acc)
		if alternate {
			acc = qSub(c[k], t)
		} else {
			acc = qAdd(c[k], t)
		}
	}
	return acc
}

// --- sine, cosine, tangent ---

// reduceFast splits |a| into r + k·π66/2, |r| <= π66/4, exactly, and
// returns r (positive or negative) and k mod 4. ok is false for r = 0.
func reduceFast(a Ext80) (r num, q int, ok bool) {
	n := a.num()
	n.neg = false
	if n.exp < -1 || n.exp == -1 && n.hi < 0xC8F5C28F5C28F5C2 { // |a| < 0.785
		return n, 0, true
	}
	// |a| = X·2^(e-63) = N·2^-65 with N = X·2^(e+2) < 2^128.
	var nb, kb, rb, half big.Int
	nb.SetUint64(n.hi)
	nb.Lsh(&nb, uint(n.exp+2))
	half.Rsh(piHalfH, 1)
	kb.Add(&nb, &half)
	kb.Quo(&kb, piHalfH) // round to nearest: no ties, H is odd
	rb.Mul(&kb, piHalfH)
	rb.Sub(&nb, &rb) // |R| <= H/2 < 2^65
	if rb.Sign() == 0 {
		return num{}, 0, false
	}
	r.neg = rb.Sign() < 0
	rb.Abs(&rb)
	var buf [16]byte
	rb.FillBytes(buf[:])
	r = num{neg: r.neg, exp: 127 - 65, hi: getBE(buf[:8]), lo: getBE(buf[8:])}.normalize()
	q = int(kb.Uint64() & 3)
	return r, q, true
}

// sinCosFast returns sin r and cos r for |r| <= π66/4 (only the ones
// asked for).
func sinCosFast(r num, wantS, wantC bool) (s, c num) {
	rq := qOf(r)
	z := qMul(rq, rq)
	if wantS {
		S := qOne
		for k := 16; k >= 1; k-- {
			S = qSub(qOne, qMul(qMul(z, S), sinInv[k]))
		}
		s = mulNum128(r, numOfQ(false, S))
	}
	if wantC {
		C := qOne
		for k := 16; k >= 1; k-- {
			C = qSub(qOne, qMul(qMul(z, C), cosInv[k]))
		}
		c = numOfQ(false, C)
	}
	return s, c
}

// trigFast computes sin a and cos a for finite nonzero a, |a| < 2^63
// (only the ones asked for).
func trigFast(a Ext80, wantS, wantC bool) (s, c num, ok bool) {
	if !fastPaths {
		return num{}, num{}, false
	}
	fastTables()
	r, q, ok := reduceFast(a)
	if !ok {
		return num{}, num{}, false
	}
	if q&1 != 0 {
		wantS, wantC = wantC, wantS
	}
	s, c = sinCosFast(r, wantS, wantC)
	switch q {
	case 1:
		s, c = c, s
		c.neg = !c.neg
	case 2:
		s.neg, c.neg = !s.neg, !c.neg
	case 3:
		s, c = c, s
		s.neg = !s.neg
	}
	if a.Neg() {
		s.neg = !s.neg
	}
	return s, c, true
}

// --- arc tangent ---

// atan2Fast returns atan2(y, x) for finite nonzero x and y.
func atan2Fast(y, x Ext80) (num, bool) {
	if !fastPaths {
		return num{}, false
	}
	fastTables()
	yn, xn := y.num(), x.num()
	yn.neg, xn.neg = false, false
	swap := yn.exp > xn.exp || yn.exp == xn.exp && yn.hi > xn.hi
	var t num
	if swap {
		t = divNum(xn, yn)
	} else {
		t = divNum(yn, xn)
	}
	var a num // atan t, t in (0, 1]
	if t.exp < -6 {
		// atan t = t·(1 - t²/3 + t⁴/5 ...)
		tq := qOf(t)
		a = mulNum128(t, numOfQ(false, horner(qMul(tq, tq), oddInv[:12], true)))
	} else {
		tq := qOf(t)
		j := (tq.hi + 1<<57) >> 58 // nearest j/32
		c := q128{hi: j << 58}
		d, dn := addSigned(tq, false, c, true)
		if d != (q128{}) { // (t = 1 = j/32 would overflow 1 + t·j/32)
			d = qMul(d, qRecip(qAdd(qOne, qMul(tq, c))))
		}
		// atan t = atan(j/32) + atan((t - j/32)/(1 + t·j/32)), |d| < 1/64.
		ad := qMul(d, horner(qMul(d, d), oddInv[:12], true))
		v, _ := addSigned(atanTab[j], false, ad, dn)
		a = numOfQ(false, v)
	}
	if swap {
		a.neg = true
		a, _ = addNum(numPiHalf, a)
	}
	if x.Neg() {
		a.neg = !a.neg
		a, _ = addNum(numPi, a)
	}
	a.neg = y.Neg()
	return a, true
}

// --- 2^x - 1 ---

// expm1Small returns e^t - 1 for |t| < 1/64 as t·(1 + t/2 + t²/6 ...).
func expm1Small(t num) num {
	tq := qOf(t)
	acc := qOne
	for k := uint64(16); k >= 2; k-- {
		acc, _ = addSigned(qOne, false, qDivSmall(qMul(tq, acc), k), t.neg)
	}
	return mulNum128(t, numOfQ(false, acc))
}

// twoXM1Fast returns 2^a - 1 for finite nonzero |a| < 1.
func twoXM1Fast(a Ext80) (num, bool) {
	if !fastPaths {
		return num{}, false
	}
	fastTables()
	t := mulNum128(a.num(), numLn2) // |t| < 0.7
	if t.exp < -6 {
		return expm1Small(t), true
	}
	tq := qOf(t)
	j := (tq.hi + 1<<57) >> 58 // nearest j/32 to |t|
	s, sn := addSigned(tq, false, q128{hi: j << 58}, true)
	if t.neg {
		sn = !sn
	}
	// e^t - 1 = (e^(j/32) - 1) + e^(j/32)·(e^s - 1) with j signed like t.
	idx := 23 + int(j)
	if t.neg {
		idx = 23 - int(j)
	}
	var m num
	if s != (q128{}) {
		m = mulNum128(expTab[idx], expm1Small(numOfQ(sn, s)))
	}
	if idx == 23 {
		return m, true
	}
	r, _ := addNum(expm1Tab[idx], m)
	return r, true
}

// --- logarithms ---

// lnFast returns ln m for m in [0.7, 1.43], given in fixed point.
func lnFast(m q128) num {
	j := (m.hi + 1<<56) >> 57 // nearest j/64
	c := q128{hi: j << 57}
	d, dn := addSigned(m, false, c, true)
	u := d
	if j != 64 {
		u = qMul(d, invTab[j]) // (m - c)/c, |u| < 1/90
	}
	// ln(1+u) = u·(1 - u/2 + u²/3 - ...), signs following u's.
	g := horner(u, intInv[:26], !dn)
	l := mulNum128(numOfQ(dn, u), numOfQ(false, g))
	if u == (q128{}) {
		l = num{}
	}
	if j == 64 {
		return l
	}
	r, _ := addNum(lnTab[j], l)
	return r
}

// yLog2XFast returns y·log2(x) for positive finite x that is not a power
// of two and finite nonzero y.
func yLog2XFast(x, y Ext80) (num, bool) {
	if !fastPaths {
		return num{}, false
	}
	fastTables()
	n := x.num()
	e := n.exp
	m := q128{hi: n.hi}            // x = m·2^e, m in [1, 2)
	if n.hi > 0xB504F333F9DE6484 { // m > √2: use m/2
		m = q128{n.hi >> 1, n.hi << 63}
		e++
	}
	l := mulNum128(lnFast(m), numInvLn2)
	if e != 0 {
		if l.isZero() {
			l = FromInt64(int64(e)).num()
		} else {
			l, _ = addNum(FromInt64(int64(e)).num(), l)
		}
	}
	if l.isZero() {
		return num{}, false
	}
	return mulNum128(y.num(), l), true
}

// yLog2XP1Fast returns y·log2(1+x) for finite nonzero |x| < 1/4 and
// finite nonzero y.
func yLog2XP1Fast(x, y Ext80) (num, bool) {
	if !fastPaths {
		return num{}, false
	}
	fastTables()
	n := x.num()
	var l num
	if n.exp < -6 {
		// ln(1+x) = x·(1 - x/2 + x²/3 ...)
		xq := qOf(n)
		l = mulNum128(n, numOfQ(false, horner(xq, intInv[:26], !n.neg)))
	} else {
		m, _ := addSigned(qOne, false, qOf(n), n.neg)
		l = lnFast(m)
	}
	return mulNum128(y.num(), mulNum128(l, numInvLn2)), true
}
