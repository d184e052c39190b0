package x87

import (
	"math/big"
	"sync"
)

type bigFloat = big.Float

// D9 F0-FF: the mathematical instructions, and the D9 E8-EE constants.

func (f *FPU) execMath(modrm uint8) {
	cw := f.CW
	switch modrm {
	case 0xF0, 0xFA, 0xFC, 0xFE, 0xFF: // F2XM1, FSQRT, FRNDINT, FSIN, FCOS
		if modrm >= 0xFE {
			f.SW &^= SWC2 // even on a stack fault
		}
		if f.Empty(0) {
			if f.underflow() {
				f.SetST(0, Indefinite)
			}
			return
		}
		x := f.ST(0)
		var r Ext80
		var fl Flags
		inRange := true
		switch modrm {
		case 0xF0:
			r, fl = TwoXM1(x, cw)
		case 0xFA:
			r, fl = Sqrt(x, cw)
		case 0xFC:
			r, fl = RoundInt(x, cw)
		case 0xFE:
			r, fl, inRange = Sin(x, cw)
		default:
			r, fl, inRange = Cos(x, cw)
		}
		if !inRange {
			f.SW = f.SW&^SWC1 | SWC2
			return
		}
		if f.signal(fl) {
			f.SetST(0, r)
		}
	case 0xF1, 0xF3, 0xF9: // FYL2X, FPATAN, FYL2XP1: ST(1) = f(ST(0), ST(1)), pop
		if f.Empty(0) || f.Empty(1) {
			if f.underflow() {
				f.SetST(1, Indefinite)
				f.Pop()
			}
			return
		}
		x, y := f.ST(0), f.ST(1)
		var r Ext80
		var fl Flags
		switch modrm {
		case 0xF1:
			r, fl = YLog2X(x, y, cw)
		case 0xF3:
			r, fl = Atan2(y, x, cw)
		default:
			r, fl = YLog2XP1(x, y, cw)
		}
		if f.signal(fl) {
			f.SetST(1, r)
			f.Pop()
		}
	case 0xF2, 0xF4, 0xFB: // FPTAN, FXTRACT, FSINCOS: replace ST(0), then push
		if modrm != 0xF4 {
			f.SW &^= SWC2 // even on a stack fault; FXTRACT leaves C2 alone
		}
		if f.Empty(0) || !f.Empty(7) {
			ok := false
			if f.Empty(0) {
				ok = f.underflow()
			} else {
				ok = f.overflow()
			}
			if ok {
				f.SetST(0, Indefinite)
				f.Push(Indefinite)
			}
			return
		}
		x := f.ST(0)
		var r0, r1 Ext80 // new ST(1) and ST(0)
		var fl Flags
		inRange := true
		switch modrm {
		case 0xF2:
			r0, fl, inRange = Tan(x, cw)
			r1 = One
			if r0.IsNaN() {
				r1 = r0
			}
		case 0xF4:
			r0, r1, fl = Extract(x)
		default:
			r0, r1, fl, inRange = SinCos(x, cw)
		}
		if !inRange {
			f.SW = f.SW&^SWC1 | SWC2
			return
		}
		if f.signal(fl) {
			f.SetST(0, r0)
			f.Push(r1)
		}
	case 0xF5, 0xF8: // FPREM1, FPREM
		f.SW &^= SWC2
		if f.Empty(0) || f.Empty(1) {
			if f.underflow() {
				f.SetST(0, Indefinite)
			}
			return
		}
		r, q, complete, fl := Rem(f.ST(0), f.ST(1), modrm == 0xF5, cw)
		if !f.signal(fl) {
			return
		}
		f.SetST(0, r)
		if r.IsNaN() {
			return // the quotient bits keep their values
		}
		cc := SWC2
		if complete {
			cc = 0
			if q&1 != 0 {
				cc |= SWC1
			}
			if q&2 != 0 {
				cc |= SWC3
			}
			if q&4 != 0 {
				cc |= SWC0
			}
		}
		f.setCC(swCC, cc)
	case 0xFD: // FSCALE
		if f.Empty(0) || f.Empty(1) {
			if f.underflow() {
				f.SetST(0, Indefinite)
			}
			return
		}
		r, fl := Scale(f.ST(0), f.ST(1), cw)
		if f.signal(fl) {
			f.SetST(0, r)
		}
	}
}

// Constants, D9 E8-EE by ModRM & 7.
const (
	ConstOne  = 0 // FLD1
	ConstL2T  = 1 // FLDL2T: log2(10)
	ConstL2E  = 2 // FLDL2E: log2(e)
	ConstPi   = 3 // FLDPI
	ConstLG2  = 4 // FLDLG2: log10(2)
	ConstLN2  = 5 // FLDLN2: ln(2)
	ConstZero = 6 // FLDZ
)

var (
	constOnce  sync.Once
	constTable [7][4]Ext80 // by constant and rounding control
)

// Constant returns constant k rounded under cw's rounding control, as
// the P6 loads it (SDM Vol. 1, 8.3.8: the constants are held to 66 bits
// and rounded by RC; PE is not signaled).
func Constant(k uint8, cw uint16) Ext80 {
	constOnce.Do(func() {
		consts()
		one := newF(prec).SetInt64(1)
		vals := [7]func() *bigFloat{
			func() *bigFloat { return one },
			func() *bigFloat { v := newF(prec).Quo(bigLn10, bigLn2); return v },
			func() *bigFloat { return newF(prec).Quo(one, bigLn2) },
			func() *bigFloat { return newF(prec).Set(bigPi) },
			func() *bigFloat { return newF(prec).Quo(bigLn2, bigLn10) },
			func() *bigFloat { return newF(prec).Set(bigLn2) },
			nil,
		}
		for c := 0; c < 6; c++ {
			for rc := 0; rc < 4; rc++ {
				constTable[c][rc], _ = fromBig(vals[c](), 0, uint16(rc)<<10|CWMasks)
			}
		}
	})
	return constTable[k%7][cw>>10&3]
}
