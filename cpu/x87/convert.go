package x87

import "math/bits"

// Conversions between Ext80 and the memory formats: m32real, m64real,
// m16int, m32int, m64int and m80bcd (SDM Vol. 1, 4.2 and 8.2).

// Memory-format indefinites (SDM Vol. 1, tables 4-3 and 4-2).
const (
	Float32Indefinite uint32 = 0xFFC00000
	Float64Indefinite uint64 = 0xFFF8000000000000
)

// LoadFloat32 widens an m32real exactly (FLD m32real). An SNaN signals IE
// and is quieted; a denormal signals DE and is normalized.
func LoadFloat32(v uint32) (Ext80, Flags) {
	return loadFloat(uint64(v), 23, 8)
}

// LoadFloat64 widens an m64real exactly (FLD m64real).
func LoadFloat64(v uint64) (Ext80, Flags) {
	return loadFloat(v, 52, 11)
}

func loadFloat(v uint64, fracBits, expBits uint) (Ext80, Flags) {
	neg := v>>(fracBits+expBits) != 0
	emax := uint64(1)<<expBits - 1
	bias := int32(emax >> 1)
	e := v >> fracBits & emax
	frac := v & (1<<fracBits - 1)
	sign := boolSign(neg)
	switch {
	case e == emax && frac == 0:
		return Ext80{Se: sign | expMask, Sig: intBit}, 0
	case e == emax:
		x := Ext80{Se: sign | expMask, Sig: intBit | frac<<(63-fracBits)}
		if x.Sig&quietBit == 0 {
			return quiet(x), IE
		}
		return x, 0
	case e == 0 && frac == 0:
		return Ext80{Se: sign}, 0
	case e == 0:
		// A denormal: exact in the wider exponent range.
		lz := uint(bits.LeadingZeros64(frac))
		exp := 1 - bias - int32(lz) + int32(64-fracBits-1)
		return Ext80{Se: sign | uint16(exp+extBias), Sig: frac << lz}, DE
	}
	return Ext80{Se: sign | uint16(int32(e)-bias+extBias), Sig: intBit | frac<<(63-fracBits)}, 0
}

// ToFloat32 narrows x to an m32real (FST m32real) with the rounding
// control of cw (precision control does not apply). Masked responses are
// built in; with OE or UE unmasked the caller must not store.
func (x Ext80) ToFloat32(cw uint16) (uint32, Flags) {
	v, fl := x.toFloat(cw, fmtSingle, 23, 8)
	return uint32(v), fl
}

// ToFloat64 narrows x to an m64real (FST m64real).
func (x Ext80) ToFloat64(cw uint16) (uint64, Flags) {
	return x.toFloat(cw, fmtDouble, 52, 11)
}

func (x Ext80) toFloat(cw uint16, f format, fracBits, expBits uint) (uint64, Flags) {
	sign := uint64(0)
	if x.Neg() {
		sign = 1 << (fracBits + expBits)
	}
	emaxRaw := uint64(1)<<expBits - 1
	inf := sign | emaxRaw<<fracBits
	switch x.Class() {
	case Unsupported:
		return 1<<(fracBits+expBits) | emaxRaw<<fracBits | 1<<(fracBits-1), IE // the indefinite
	case SNaN, QNaN:
		var fl Flags
		if x.Class() == SNaN {
			fl = IE
		}
		// Keep the top fraction bits of the payload; set the quiet bit.
		return inf | (x.Sig|quietBit)<<1>>(64-fracBits), fl
	case Infinity:
		return inf, 0
	case Zero:
		return sign, 0
	}
	// No DE here: stores do not signal denormal operands (SDM Vol. 2,
	// FST/FSTP lists #U, #O, #P and #IA only); a tiny value underflows.
	r, fl := round(x.num(), f, cw, false)
	bias := int32(emaxRaw >> 1)
	var e uint64
	if r.sig&intBit != 0 {
		e = uint64(r.exp + bias)
	}
	return sign | e<<fracBits | r.sig<<1>>(64-fracBits), fl
}

// FromInt64 converts an integer exactly (FILD).
func FromInt64(v int64) Ext80 {
	if v == 0 {
		return Ext80{}
	}
	neg := v < 0
	m := uint64(v)
	if neg {
		m = -m
	}
	lz := bits.LeadingZeros64(m)
	return Ext80{Se: boolSign(neg) | uint16(extBias+63-lz), Sig: m << lz}
}

// Integer indefinites: what a masked invalid FIST stores.
const (
	Int16Indefinite int64 = -1 << 15
	Int32Indefinite int64 = -1 << 31
	Int64Indefinite int64 = -1 << 63
)

// ToInt rounds x to a signed integer of size bits (16, 32 or 64) under
// cw's rounding control (FIST/FISTP). NaNs, infinities, unsupported
// encodings and out-of-range values signal IE and give the integer
// indefinite (the most negative value).
func (x Ext80) ToInt(cw uint16, size uint) (int64, Flags) {
	indef := int64(-1) << (size - 1)
	switch x.Class() {
	case Zero:
		return 0, 0
	case Denormal, Normal:
	default:
		return indef, IE
	}
	m, neg, fl, ok := x.roundToInteger(cw)
	if !ok {
		return indef, IE
	}
	limit := uint64(1) << (size - 1) // |most negative|
	if m > limit || (m == limit && !neg) {
		return indef, IE
	}
	if neg {
		return -int64(m), fl
	}
	return int64(m), fl
}

// roundToInteger rounds finite x to an integer magnitude under cw's
// rounding control; ok is false if that does not fit in 64 bits.
func (x Ext80) roundToInteger(cw uint16) (m uint64, neg bool, fl Flags, ok bool) {
	n := x.num()
	if n.exp > 63 {
		return 0, n.neg, 0, false
	}
	q, carry, inexact, up := roundBits(n.hi, 0, uint(127-n.exp), n.neg, cw)
	if carry {
		return 0, n.neg, 0, false
	}
	if inexact {
		fl = PE
		if up {
			fl |= C1
		}
	}
	return q, n.neg, fl, true // FIST and FBSTP do not signal DE
}

// BCD is an m80bcd operand: 18 packed decimal digits, two per byte from
// the least significant, and the sign in bit 7 of byte 9 (SDM Vol. 1,
// 4.7, figure 4-10).
type BCD [10]byte

// BCDIndefinite is what a masked invalid FBSTP stores.
var BCDIndefinite = BCD{7: 0xC0, 8: 0xFF, 9: 0xFF}

// LoadBCD converts an m80bcd exactly (FBLD). Digits above 9 are not
// valid; like the P6 they are not checked, and count with their nibble
// value. Bits 72-78 are ignored.
func LoadBCD(b BCD) Ext80 {
	var v uint64
	for i := 8; i >= 0; i-- {
		v = v*10 + uint64(b[i]>>4)
		v = v*10 + uint64(b[i]&15)
	}
	r := FromInt64(int64(v))
	if b[9]&0x80 != 0 {
		r.Se |= signBit
	}
	return r
}

// ToBCD rounds x to an integer under cw's rounding control and packs it
// (FBSTP). Values beyond 18 digits, NaNs, infinities and unsupported
// encodings signal IE and give BCDIndefinite. The sign byte follows the
// sign of x, so -0.4 stores a negative zero.
func (x Ext80) ToBCD(cw uint16) (BCD, Flags) {
	var m uint64
	var fl Flags
	switch x.Class() {
	case Zero:
	case Denormal, Normal:
		var ok bool
		m, _, fl, ok = x.roundToInteger(cw)
		if !ok || m > 999999999999999999 {
			return BCDIndefinite, IE
		}
	default:
		return BCDIndefinite, IE
	}
	var b BCD
	for i := 0; i < 9; i++ {
		lo := m % 10
		m /= 10
		b[i] = byte(lo) | byte(m%10)<<4
		m /= 10
	}
	if x.Neg() {
		b[9] = 0x80
	}
	return b, fl
}
