package x87

import (
	"math/big"
	"sync"
)

// High-precision kernels for the transcendental instructions. Each works
// at prec bits (well beyond the 64 of the result), so a correctly rounded
// Ext80 comes out unless the true value lies within about 2^-190 of a
// rounding boundary.

const prec = 200

var (
	constsOnce sync.Once
	bigPi      *big.Float // π at 320 bits
	bigLn2     *big.Float // ln 2
	bigLn10    *big.Float // ln 10
	// bigPi66 is the x87's internal π: π rounded down to 66 significant bits
	// (0.C90FDAA22168C234C × 2^2), which FSIN, FCOS, FSINCOS and FPTAN use to
	// reduce their argument (SDM Vol. 1, 8.3.10).
	bigPi66 *big.Float
)

func consts() {
	constsOnce.Do(func() {
		const p = 320
		// π = 16·atan(1/5) - 4·atan(1/239) (Machin).
		a := atanSeries(newF(p).Quo(newF(p).SetInt64(1), newF(p).SetInt64(5)), p)
		b := atanSeries(newF(p).Quo(newF(p).SetInt64(1), newF(p).SetInt64(239)), p)
		a.Mul(a, newF(p).SetInt64(16))
		b.Mul(b, newF(p).SetInt64(4))
		bigPi = a.Sub(a, b)
		// ln 2 = 2·atanh(1/3); ln 10 = 3·ln 2 + 2·atanh(1/9) (ln 1.25).
		bigLn2 = atanhSeries(newF(p).Quo(newF(p).SetInt64(1), newF(p).SetInt64(3)), p)
		bigLn2.Mul(bigLn2, newF(p).SetInt64(2))
		l := atanhSeries(newF(p).Quo(newF(p).SetInt64(1), newF(p).SetInt64(9)), p)
		l.Mul(l, newF(p).SetInt64(2))
		bigLn10 = newF(p).Mul(bigLn2, newF(p).SetInt64(3))
		bigLn10.Add(bigLn10, l)
		// 0xC90FDAA22168C234C has 68 bits, the last two zero.
		m, _ := new(big.Int).SetString("C90FDAA22168C234C", 16)
		bigPi66 = newF(p).SetInt(m)
		bigPi66.SetMantExp(bigPi66, 2-68)
	})
}

func newF(p uint) *big.Float { return new(big.Float).SetPrec(p) }

// atanSeries sums x - x³/3 + x⁵/5 - ... for small |x|.
func atanSeries(x *big.Float, p uint) *big.Float {
	return oddSeries(x, p, true)
}

// atanhSeries sums x + x³/3 + x⁵/5 + ... for small |x|.
func atanhSeries(x *big.Float, p uint) *big.Float {
	return oddSeries(x, p, false)
}

func oddSeries(x *big.Float, p uint, alternate bool) *big.Float {
	sum := newF(p).Set(x)
	x2 := newF(p).Mul(x, x)
	if alternate {
		x2.Neg(x2)
	}
	pow := newF(p).Set(x)
	t := newF(p)
	for k := int64(3); ; k += 2 {
		pow.Mul(pow, x2)
		t.Quo(pow, t.SetInt64(k))
		if t.Sign() == 0 || sum.MantExp(nil)-t.MantExp(nil) > int(p)+4 {
			return sum
		}
		sum.Add(sum, t)
	}
}

// expm1 returns e^x - 1 for |x| <= 1 by its Taylor series.
func expm1(x *big.Float) *big.Float {
	sum := newF(prec).Set(x)
	term := newF(prec).Set(x)
	t := newF(prec)
	for k := int64(2); ; k++ {
		term.Mul(term, x)
		term.Quo(term, t.SetInt64(k))
		if term.Sign() == 0 || sum.MantExp(nil)-term.MantExp(nil) > prec+4 {
			return sum
		}
		sum.Add(sum, term)
	}
}

// ln returns the natural logarithm of x > 0: x = m·2^e with m in
// [1/√2, √2), ln x = e·ln 2 + 2·atanh((m-1)/(m+1)).
func ln(x *big.Float) *big.Float {
	consts()
	m := newF(prec)
	e := x.MantExp(m) // m in [0.5, 1)
	if m.Cmp(big.NewFloat(0.7071067811865476)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	one := newF(prec).SetInt64(1)
	num := newF(prec).Sub(m, one)
	den := newF(prec).Add(m, one)
	r := atanhSeries(num.Quo(num, den), prec)
	r.Mul(r, newF(prec).SetInt64(2))
	return r.Add(r, newF(prec).Mul(bigLn2, newF(prec).SetInt64(int64(e))))
}

// log1p returns ln(1+x) for |x| < 1/2 without cancellation:
// 2·atanh(x/(2+x)).
func log1p(x *big.Float) *big.Float {
	d := newF(prec).Add(x, newF(prec).SetInt64(2))
	r := atanhSeries(d.Quo(x, d), prec)
	return r.Mul(r, newF(prec).SetInt64(2))
}

// atan returns the arc tangent of x.
func atan(x *big.Float) *big.Float {
	consts()
	neg := x.Sign() < 0
	t := newF(prec).Abs(x)
	one := newF(prec).SetInt64(1)
	invert := t.Cmp(one) > 0
	if invert {
		t.Quo(one, t)
	}
	// Halve the angle three times: atan t = 2·atan(t / (1 + sqrt(1+t²))).
	for i := 0; i < 3; i++ {
		s := newF(prec).Mul(t, t)
		s.Add(s, one)
		s.Sqrt(s)
		s.Add(s, one)
		t.Quo(t, s)
	}
	r := atanSeries(t, prec)
	r.SetMantExp(r, 3)
	if invert {
		h := newF(prec).SetMantExp(bigPi, -1)
		r.Sub(h, r)
	}
	if neg {
		r.Neg(r)
	}
	return r
}

// sinCos returns sin r and cos r for |r| <= π/4 by their Taylor series.
func sinCos(r *big.Float) (s, c *big.Float) {
	r2 := newF(prec).Mul(r, r)
	r2.Neg(r2)
	s = newF(prec).Set(r)
	c = newF(prec).SetInt64(1)
	st := newF(prec).Set(r)
	ct := newF(prec).SetInt64(1)
	t := newF(prec)
	for k := int64(1); k < 200; k++ {
		ct.Mul(ct, r2)
		ct.Quo(ct, t.SetInt64((2*k-1)*(2*k)))
		st.Mul(st, r2)
		st.Quo(st, t.SetInt64((2*k)*(2*k+1)))
		if st.Sign() == 0 || s.MantExp(nil)-st.MantExp(nil) > prec+4 {
			break
		}
		s.Add(s, st)
		c.Add(c, ct)
	}
	return s, c
}

// reduce splits x (|x| < 2^63) into r + k·π66/2 with |r| <= π66/4 and
// returns r and k mod 4. The subtraction is exact: x has 64 significant
// bits and k·π66/2 at most 130, all above 2^-66.
func reduce(x *big.Float) (*big.Float, int) {
	consts()
	if x.MantExp(nil) <= 0 { // |x| < 1 < π/4·1.27: k = 0 unless |x| > π/4
		if new(big.Float).Abs(x).Cmp(big.NewFloat(0.78)) < 0 {
			return x, 0
		}
	}
	half := newF(400).SetMantExp(bigPi66, -1)
	q := newF(400).Quo(x, half)
	// k = nearest integer to q.
	k, _ := newF(400).Add(q, big.NewFloat(0.5*float64(q.Sign()))).Int(nil)
	kf := newF(400).SetInt(k)
	r := newF(400).Sub(x, kf.Mul(kf, half))
	m := new(big.Int).And(k, big.NewInt(3))
	return r, int(m.Int64())
}
