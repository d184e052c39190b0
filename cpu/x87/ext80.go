package x87

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Ext80 is an x87 double extended-precision value, exactly as it sits in a
// register or in an m80 operand (SDM Vol. 1, 4.2.2 and figure 4-3): a sign
// bit and a 15-bit biased exponent in Se, and a 64-bit significand whose
// bit 63 is the explicit integer ("J") bit. Every bit pattern is kept as
// is; the arithmetic decides what an encoding means (see Class).
type Ext80 struct {
	Se  uint16 // bit 15 sign, bits 0-14 biased exponent (bias 16383)
	Sig uint64 // significand; bit 63 is the integer bit
}

// Extended-format parameters.
const (
	extBias   = 16383
	extEmin   = -16382 // exponent of the smallest normal
	extEmax   = 16383  // exponent of the largest finite
	expMask   = 0x7FFF
	signBit   = 0x8000
	intBit    = uint64(1) << 63
	quietBit  = uint64(1) << 62
	wrapBias  = 24576 // 3 << 13: the unmasked over/underflow exponent adjustment (SDM Vol. 1, 8.5.4)
	maxExpRaw = 0x7FFF
)

// Well-known encodings.
var (
	// Indefinite is the QNaN "real indefinite" that masked invalid
	// operations produce (SDM Vol. 1, table 4-3).
	Indefinite = Ext80{Se: 0xFFFF, Sig: 0xC000000000000000}
	PosZero    = Ext80{}
	NegZero    = Ext80{Se: signBit}
	PosInf     = Ext80{Se: expMask, Sig: intBit}
	NegInf     = Ext80{Se: signBit | expMask, Sig: intBit}
	One        = Ext80{Se: extBias, Sig: intBit}
)

// Class is what an Ext80 encoding means to the P6 (SDM Vol. 1, table 8-3
// and 8.2.2). Pseudo-denormals count as denormals, as they do as
// operands; unnormals, pseudo-NaNs and pseudo-infinities are Unsupported
// and make every arithmetic instruction signal an invalid operation.
type Class uint8

// Ext80 classes.
const (
	Zero Class = iota
	Denormal
	Normal
	Infinity
	QNaN
	SNaN
	Unsupported
)

var classNames = [...]string{"zero", "denormal", "normal", "infinity", "QNaN", "SNaN", "unsupported"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", c)
}

// Class classifies x.
func (x Ext80) Class() Class {
	e := x.Se & expMask
	switch {
	case e == 0:
		if x.Sig == 0 {
			return Zero
		}
		return Denormal // true denormal (J=0) or pseudo-denormal (J=1)
	case x.Sig&intBit == 0:
		return Unsupported // unnormal, pseudo-NaN or pseudo-infinity
	case e == maxExpRaw:
		switch {
		case x.Sig<<1 == 0:
			return Infinity
		case x.Sig&quietBit != 0:
			return QNaN
		}
		return SNaN
	}
	return Normal
}

// Neg reports whether the sign bit is set.
func (x Ext80) Neg() bool { return x.Se&signBit != 0 }

// IsNaN reports whether x is a QNaN or an SNaN.
func (x Ext80) IsNaN() bool { c := x.Class(); return c == QNaN || c == SNaN }

// Abs clears the sign bit (FABS); it never signals.
func (x Ext80) Abs() Ext80 { x.Se &^= signBit; return x }

// Chs flips the sign bit (FCHS); it never signals.
func (x Ext80) Chs() Ext80 { x.Se ^= signBit; return x }

// Bytes returns the m80 image: the significand little-endian in bytes 0-7,
// then sign and exponent in bytes 8-9.
func (x Ext80) Bytes() [10]byte {
	var b [10]byte
	putLE(b[:8], x.Sig)
	b[8], b[9] = byte(x.Se), byte(x.Se>>8)
	return b
}

// FromBytes decodes an m80 image; with Bytes it round-trips every pattern.
func FromBytes(b []byte) Ext80 {
	return Ext80{Sig: getLE(b[:8]), Se: uint16(b[8]) | uint16(b[9])<<8}
}

func putLE(b []byte, v uint64) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

func getLE(b []byte) uint64 {
	var v uint64
	for i := range b {
		v |= uint64(b[i]) << (8 * i)
	}
	return v
}

func (x Ext80) String() string { return fmt.Sprintf("%04x:%016x", x.Se, x.Sig) }

// Float returns x as an exact big.Float (precision 64) for finite values
// and infinities; NaNs and unsupported encodings give ok = false.
func (x Ext80) Float() (f *big.Float, ok bool) {
	switch x.Class() {
	case Infinity:
		return new(big.Float).SetInf(x.Neg()), true
	case Zero, Denormal, Normal:
		n := x.num()
		f = new(big.Float).SetPrec(64).SetUint64(n.hi)
		f.SetMantExp(f, int(n.exp)-63)
		if n.neg {
			f.Neg(f)
		}
		return f, true
	}
	return nil, false
}

// Float64 converts x to the nearest float64 for display and tests
// (round to nearest even, NaNs to NaN); it is not the FST m64 path.
func (x Ext80) Float64() float64 {
	r, _ := x.ToFloat64(CWDefault)
	return math.Float64frombits(r)
}

// FromFloat64 converts a float64 exactly (FLD m64 without exceptions).
func FromFloat64(v float64) Ext80 {
	r, _ := LoadFloat64(math.Float64bits(v))
	return r
}

// num returns the finite value x (zero, denormal or normal) unpacked and
// normalized. Denormals and pseudo-denormals both use the exponent of
// biased 1 (SDM Vol. 1, 8.2.2: pseudo-denormals are read as denormals).
func (x Ext80) num() num {
	n := num{neg: x.Neg()}
	if x.Sig == 0 {
		return n
	}
	e := int32(x.Se & expMask)
	if e == 0 {
		e = 1
	}
	lz := bits.LeadingZeros64(x.Sig)
	n.exp = e - extBias - int32(lz)
	n.hi = x.Sig << lz
	return n
}

// pack builds an Ext80 from a rounded result: sig left-aligned with its
// top bit at exponent exp (a denormal has exp = extEmin and bit 63 clear;
// exp = extEmax+1 with sig = 1<<63 is infinity).
func pack(neg bool, exp int32, sig uint64) Ext80 {
	var se uint16
	if neg {
		se = signBit
	}
	if sig == 0 {
		return Ext80{Se: se}
	}
	if sig&intBit != 0 {
		se |= uint16(exp+extBias) & expMask
	}
	return Ext80{Se: se, Sig: sig}
}

// quiet returns NaN x with its quiet bit set.
func quiet(x Ext80) Ext80 { x.Sig |= quietBit; return x }

func boolSign(neg bool) uint16 {
	if neg {
		return signBit
	}
	return 0
}
