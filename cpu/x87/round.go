package x87

import "math/bits"

// Control-word fields (SDM Vol. 1, 8.1.5, figure 8-6).
const (
	CWIM uint16 = 1 << 0  // invalid-operation mask
	CWDM uint16 = 1 << 1  // denormal-operand mask
	CWZM uint16 = 1 << 2  // zero-divide mask
	CWOM uint16 = 1 << 3  // overflow mask
	CWUM uint16 = 1 << 4  // underflow mask
	CWPM uint16 = 1 << 5  // precision mask
	CWPC uint16 = 3 << 8  // precision control
	CWRC uint16 = 3 << 10 // rounding control
	CWIC uint16 = 1 << 12 // infinity control: kept for the 287, ignored

	CWMasks uint16 = 0x3F // all six exception masks

	// CWDefault is the control word FINIT leaves: all exceptions masked,
	// 64-bit precision, round to nearest.
	CWDefault uint16 = 0x037F
	// cwReserved are the bits that read as 0 (bit 6 reads as 1).
	cwReserved uint16 = 0xE0C0
)

// Precision-control values (CW bits 8-9).
const (
	PC24 uint16 = 0 << 8 // single
	PC53 uint16 = 2 << 8 // double
	PC64 uint16 = 3 << 8 // double extended (1 << 8 is reserved and acts as 64)
)

// Rounding-control values (CW bits 10-11).
const (
	RCNearest uint16 = 0 << 10 // to nearest, ties to even
	RCDown    uint16 = 1 << 10 // toward -infinity
	RCUp      uint16 = 2 << 10 // toward +infinity
	RCZero    uint16 = 3 << 10 // toward zero (chop)
)

// Flags are what an operation reports: the six exception bits, stack
// fault, and C1, in their status-word positions, so that the FPU can OR
// them in. C1 set with PE means the result was rounded up (away from
// zero); set with SF it means stack overflow.
type Flags uint16

// Operation flags; the same bit positions as the status word.
const (
	IE Flags = 1 << 0 // invalid operation
	DE Flags = 1 << 1 // denormal operand
	ZE Flags = 1 << 2 // zero divide
	OE Flags = 1 << 3 // overflow
	UE Flags = 1 << 4 // underflow
	PE Flags = 1 << 5 // precision (inexact)
	SF Flags = 1 << 6 // stack fault (with IE)
	C1 Flags = 1 << 9 // rounded up, or stack overflow with SF

	exceptionFlags = IE | DE | ZE | OE | UE | PE
	// preFlags are the pre-computation exceptions: unmasked, they leave
	// the destination unchanged (SDM Vol. 1, 8.5).
	preFlags = IE | DE | ZE
)

// num is a finite value ±(hi:lo)·2^(exp-127) used between unpacking and
// rounding. Nonzero nums are normalized (bit 63 of hi set); bit 0 of lo
// may carry a sticky one standing for bits shifted out below it.
type num struct {
	neg    bool
	exp    int32 // exponent of the top bit of hi
	hi, lo uint64
}

func (n num) isZero() bool { return n.hi == 0 && n.lo == 0 }

// normalize shifts a nonzero 128-bit significand up until bit 127 is set.
func (n num) normalize() num {
	if n.hi == 0 {
		if n.lo == 0 {
			return n
		}
		n.hi, n.lo = n.lo, 0
		n.exp -= 64
	}
	if lz := bits.LeadingZeros64(n.hi); lz != 0 {
		n.hi = n.hi<<lz | n.lo>>(64-lz)
		n.lo <<= lz
		n.exp -= int32(lz)
	}
	return n
}

// shr128 shifts hi:lo right by s, ORing every bit shifted out into bit 0
// (jamming), so a later rounding still sees that the value was inexact.
func shr128(hi, lo uint64, s uint) (uint64, uint64) {
	switch {
	case s == 0:
		return hi, lo
	case s < 64:
		sticky := lo<<(64-s) != 0
		lo = lo>>s | hi<<(64-s)
		hi >>= s
		if sticky {
			lo |= 1
		}
	case s < 128:
		sticky := lo != 0 || hi<<(128-s) != 0
		lo = hi >> (s - 64)
		hi = 0
		if sticky {
			lo |= 1
		}
	default:
		sticky := hi != 0 || lo != 0
		hi, lo = 0, 0
		if sticky {
			lo = 1
		}
	}
	return hi, lo
}

// format describes a destination: significand bits and the exponent
// range of its normal numbers.
type format struct {
	prec       uint
	emin, emax int32
}

var (
	fmtSingle = format{24, -126, 127}
	fmtDouble = format{53, -1022, 1023}
	fmtExt    = format{64, extEmin, extEmax}
)

// extFormat is the register format at the precision the control word
// selects (SDM Vol. 1, 8.1.5.2): the exponent range stays extended.
func extFormat(cw uint16) format {
	switch cw & CWPC {
	case PC24:
		return format{24, extEmin, extEmax}
	case PC53:
		return format{53, extEmin, extEmax}
	}
	return fmtExt
}

// roundBits rounds hi:lo / 2^d to an integer under rounding control rc
// for a value of sign neg; d >= 64. It reports inexactness and whether it
// rounded up in magnitude; carry is set when the result wrapped to 2^64.
func roundBits(hi, lo uint64, d uint, neg bool, rc uint16) (q uint64, carry, inexact, up bool) {
	var rbit, sticky bool
	switch {
	case d == 64:
		q, rbit, sticky = hi, lo>>63 != 0, lo<<1 != 0
	case d < 128:
		s := d - 64
		q = hi >> s
		rbit = hi>>(s-1)&1 != 0
		sticky = lo != 0 || hi<<(65-s) != 0
	case d == 128:
		rbit, sticky = hi>>63 != 0, hi<<1 != 0 || lo != 0
	default:
		sticky = hi != 0 || lo != 0
	}
	inexact = rbit || sticky
	switch rc & CWRC {
	case RCNearest:
		up = rbit && (sticky || q&1 != 0)
	case RCDown:
		up = neg && inexact
	case RCUp:
		up = !neg && inexact
	}
	if up {
		q++
		carry = q == 0
	}
	return
}

// rounded is a value rounded to some format: sig left-aligned with its top
// bit worth 2^exp. A denormal has exp = emin and bit 63 clear; an
// infinity has exp = emax+1 and sig = 1<<63; zero has sig = 0.
type rounded struct {
	neg bool
	exp int32
	sig uint64
}

// round rounds n to format f under cw's rounding control and reports the
// flags IEEE 754 and the SDM ask for (PE, UE, OE, and C1 for rounded up).
// Tininess is detected after rounding (SDM Vol. 1, 4.9.1.5: "the result
// of rounding with unbounded exponent ... is tiny").
//
// wrap selects the register-destination response to an unmasked overflow
// or underflow: the exponent is adjusted by ∓24576 into range (SDM Vol.
// 1, 8.5.4-8.5.5). Without wrap (memory destinations) the caller discards
// the result when OE or UE is unmasked.
func round(n num, f format, cw uint16, wrap bool) (rounded, Flags) {
	r := rounded{neg: n.neg}
	if n.isZero() {
		return r, 0
	}
	var fl Flags
	rc := cw & CWRC
	d := 128 - f.prec
	q, carry, inexact, up := roundBits(n.hi, n.lo, d, n.neg, rc)
	e := n.exp
	if carry || q>>f.prec != 0 {
		q = 1 << (f.prec - 1)
		e++
	}
	sig := q << (64 - f.prec)
	if inexact {
		fl |= PE
		if up {
			fl |= C1
		}
	}
	switch {
	case e > f.emax:
		if wrap && cw&CWOM == 0 {
			e -= wrapBias
			if e <= f.emax {
				return rounded{n.neg, e, sig}, fl | OE
			}
			// Still too large (only FSCALE gets here): infinity.
			return rounded{n.neg, f.emax + 1, intBit}, OE | PE | C1
		}
		fl = OE | PE
		// Masked response (SDM Vol. 1, table 4-10): infinity, or the
		// largest finite value when rounding toward zero or away from
		// the sign.
		if rc == RCZero || (rc == RCDown && !n.neg) || (rc == RCUp && n.neg) {
			return rounded{n.neg, f.emax, ^uint64(0) << (64 - f.prec)}, fl
		}
		return rounded{n.neg, f.emax + 1, intBit}, fl | C1
	case e < f.emin:
		if cw&CWUM == 0 {
			// Unmasked: UE even when exact. In a register the rounded
			// value is kept with its exponent adjusted by +24576.
			fl |= UE
			if wrap {
				e += wrapBias
				if e >= f.emin {
					return rounded{n.neg, e, sig}, fl
				}
				// Still too small (only FSCALE gets here): zero.
				return rounded{neg: n.neg}, UE | PE
			}
		}
		// Denormalize: the unit in the last place is 2^(emin-prec+1),
		// wherever the top bit is (and the precision control applies
		// at that fixed position, as for normals).
		shift := uint(f.emin - n.exp)
		q, _, inexact, up = roundBits(n.hi, n.lo, d+shift, n.neg, rc)
		fl &^= PE | C1
		if inexact {
			fl |= UE | PE
			if up {
				fl |= C1
			}
		}
		return rounded{n.neg, f.emin, q << (64 - f.prec)}, fl
	}
	return rounded{n.neg, e, sig}, fl
}

// roundExt rounds to the register format at cw's precision.
func roundExt(n num, cw uint16) (Ext80, Flags) {
	r, fl := round(n, extFormat(cw), cw, true)
	return pack(r.neg, r.exp, r.sig), fl
}

// roundExt64 rounds to full extended precision, whatever the precision
// control: the instructions other than FADD, FSUB, FMUL, FDIV and FSQRT
// ignore it (SDM Vol. 1, 8.1.5.2).
func roundExt64(n num, cw uint16) (Ext80, Flags) {
	r, fl := round(n, fmtExt, cw, true)
	return pack(r.neg, r.exp, r.sig), fl
}
