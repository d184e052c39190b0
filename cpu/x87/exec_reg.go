package x87

// Register forms of the escape opcodes (ModRM mod = 3).

func (f *FPU) execReg(in *Inst, r *Regs) error {
	op, modrm := in.Opcode&7, in.ModRM
	reg, i := modrm>>3&7, int(modrm&7)
	if !validReg(op, modrm) {
		return ErrUD
	}
	if !(op == 3 && modrm >= 0xE0 && modrm <= 0xE4 || op == 7 && modrm == 0xE0) {
		f.lastInst(in)
	}
	switch op {
	case 0: // D8: ST(0) = ST(0) op ST(i)
		switch reg {
		case 2, 3:
			f.compareST(i, false, int(reg-2), nil)
		default:
			f.arith(reg, f.ST(i), f.Empty(i), 0, 0, false)
		}
	case 4, 6: // DC, DE: ST(i) = ST(0) op ST(i) in the reg field's order, DE pops
		switch {
		case reg == 2:
			f.compareST(i, false, int(op/6), nil) // FCOM2, FCOMP5
		case reg == 3 && op == 4:
			f.compareST(i, false, 1, nil) // FCOMP3
		case reg == 3:
			f.compareST(1, false, 2, nil) // FCOMPP
		default:
			f.arith(reg, f.ST(i), f.Empty(i), 0, i, op == 6)
		}
	case 1:
		f.execD9(modrm, reg, i)
	case 2, 3:
		f.execDADB(op, modrm, reg, i, r)
	case 5:
		switch reg {
		case 0: // FFREE
			f.SW &^= SWC1
			f.setTag(f.phys(i), TagEmpty)
		case 1: // FXCH4
			f.fxch(i)
		case 2, 3: // FST, FSTP
			f.fstST(i, reg == 3, false)
		case 4, 5: // FUCOM, FUCOMP
			f.compareST(i, true, int(reg-4), nil)
		}
	case 7:
		switch reg {
		case 0: // FFREEP
			f.SW &^= SWC1
			f.setTag(f.phys(i), TagEmpty)
			f.Pop()
		case 1: // FXCH7
			f.fxch(i)
		case 2, 3: // FSTP8, FSTP9
			f.fstST(i, true, false)
		case 4: // FNSTSW AX
			r.AX = f.SW
		case 5, 6: // FUCOMIP, FCOMIP
			f.compareST(i, reg == 5, 1, &r.EFlags)
		}
	}
	return nil
}

// validReg reports whether a register form is defined on the P6.
func validReg(op, modrm uint8) bool {
	switch op {
	case 1:
		return !(modrm >= 0xD1 && modrm <= 0xD7 || modrm == 0xE2 || modrm == 0xE3 ||
			modrm == 0xE6 || modrm == 0xE7 || modrm == 0xEF)
	case 2:
		return modrm < 0xE0 || modrm == 0xE9
	case 3:
		return !(modrm >= 0xE5 && modrm <= 0xE7 || modrm >= 0xF8)
	case 5:
		return modrm < 0xF0
	case 6:
		return !(modrm >= 0xD8 && modrm <= 0xDF && modrm != 0xD9)
	case 7:
		return !(modrm >= 0xE1 && modrm <= 0xE7 || modrm >= 0xF8)
	}
	return true
}

// arith computes ST(0) op other for the reg field of D8 (add, mul, -, -r,
// /, /r) and writes ST(dst), popping after if pop.
func (f *FPU) arith(reg uint8, other Ext80, otherEmpty bool, lfl Flags, dst int, pop bool) {
	if f.Empty(0) || otherEmpty {
		if f.underflow() {
			f.SetST(dst, Indefinite)
			if pop {
				f.Pop()
			}
		}
		return
	}
	a, cw := f.ST(0), f.CW
	var x Ext80
	var fl Flags
	switch reg {
	case 0:
		x, fl = Add(a, other, cw)
	case 1:
		x, fl = Mul(a, other, cw)
	case 4:
		x, fl = Sub(a, other, cw)
	case 5:
		x, fl = Sub(other, a, cw)
	case 6:
		x, fl = Div(a, other, cw)
	default:
		x, fl = Div(other, a, cw)
	}
	if f.signal(mergeLoadFlags(fl, lfl, a)) {
		f.SetST(dst, x)
		if pop {
			f.Pop()
		}
	}
}

// Condition codes of FCOM and EFLAGS of FCOMI by Order.
var (
	ccOf    = [4]uint16{Greater: 0, Less: SWC0, Equal: SWC3, Unordered: SWC3 | SWC2 | SWC0}
	eflagOf = [4]uint32{Greater: 0, Less: flagCF, Equal: flagZF, Unordered: flagZF | flagPF | flagCF}
)

// compareST compares ST(0) with ST(i).
func (f *FPU) compareST(i int, quiet bool, pops int, eflags *uint32) {
	f.compare(f.ST(i), f.Empty(i), 0, quiet, pops, eflags)
}

// compare is FCOM/FUCOM/FICOM/FTST (condition codes) and FCOMI/FUCOMI
// (eflags != nil), popping pops times. The flags get the comparison's
// result even when an exception is unmasked ("unordered" for a stack
// underflow), as on the hardware; only the pops need the exception masked.
func (f *FPU) compare(other Ext80, otherEmpty bool, lfl Flags, quiet bool, pops int, eflags *uint32) {
	var o Order
	var ok bool
	if f.Empty(0) || otherEmpty {
		o, ok = Unordered, f.underflow()
	} else {
		a := f.ST(0)
		var fl Flags
		o, fl = Compare(a, other, quiet)
		ok = f.signal(mergeLoadFlags(fl, lfl, a))
	}
	if eflags != nil {
		*eflags = *eflags&^(flagZF|flagPF|flagCF|flagOF|flagSF|flagAF) | eflagOf[o]
	} else {
		f.setCC(SWC0|SWC2|SWC3, ccOf[o])
	}
	for ; ok && pops > 0; pops-- {
		f.Pop()
	}
}

// fxch exchanges ST(0) and ST(i); an empty one reads as the indefinite
// when IE is masked.
func (f *FPU) fxch(i int) {
	a, b := f.ST(0), f.ST(i)
	if f.Empty(0) || f.Empty(i) {
		if !f.underflow() {
			return
		}
		if f.Empty(0) {
			a = Indefinite
		}
		if f.Empty(i) {
			b = Indefinite
		}
	} else {
		f.signal(0)
	}
	f.SetST(0, b)
	f.SetST(i, a)
}

// fstST is FST/FSTP ST(i). With quietEmpty (FSTP1, D9 D8+i) an empty
// ST(0) is popped without a stack fault.
func (f *FPU) fstST(i int, pop, quietEmpty bool) {
	switch {
	case !f.Empty(0):
		f.signal(0)
		f.SetST(i, f.ST(0))
	case quietEmpty:
		f.signal(0)
	case f.underflow():
		f.SetST(i, Indefinite)
	default:
		return
	}
	if pop {
		f.Pop()
	}
}

// execDADB is DA and DB with register operands: FCMOVcc, FUCOMPP,
// FUCOMI, FCOMI and the control instructions.
func (f *FPU) execDADB(op, modrm, reg uint8, i int, r *Regs) {
	switch {
	case reg < 4: // FCMOVcc
		fl := r.EFlags
		var cond bool
		switch reg {
		case 0:
			cond = fl&flagCF != 0
		case 1:
			cond = fl&flagZF != 0
		case 2:
			cond = fl&(flagCF|flagZF) != 0
		case 3:
			cond = fl&flagPF != 0
		}
		if op == 3 {
			cond = !cond
		}
		if f.Empty(0) || f.Empty(i) {
			if f.underflow() {
				f.SetST(0, Indefinite)
			}
			return
		}
		if cond { // C1 is left alone unless the stack underflows
			f.SetST(0, f.ST(i))
		}
	case op == 2: // DA E9 FUCOMPP
		f.compareST(1, true, 2, nil)
	case reg == 4:
		switch i {
		case 2:
			f.Clex()
		case 3:
			f.Init()
		}
		// FNENI, FNDISI and FNSETPM do nothing on the 387 and later.
	default: // FUCOMI, FCOMI
		f.compareST(i, reg == 5, 0, &r.EFlags)
	}
}

// execD9 is D9 with a register operand.
func (f *FPU) execD9(modrm, reg uint8, i int) {
	switch reg {
	case 0: // FLD ST(i)
		if !f.Empty(7) {
			if f.overflow() {
				f.Push(Indefinite)
			}
			return
		}
		if f.Empty(i) {
			if f.underflow() {
				f.Push(Indefinite)
			}
			return
		}
		f.signal(0)
		f.Push(f.ST(i))
		return
	case 1:
		f.fxch(i)
		return
	case 2: // FNOP
		return
	case 3: // FSTP1
		f.fstST(i, true, true)
		return
	}
	switch modrm {
	case 0xE0, 0xE1: // FCHS, FABS
		if f.Empty(0) {
			if f.underflow() {
				f.SetST(0, Indefinite)
			}
			return
		}
		f.signal(0)
		x := f.ST(0)
		if modrm == 0xE0 {
			f.SetST(0, x.Chs())
		} else {
			f.SetST(0, x.Abs())
		}
	case 0xE4: // FTST
		f.compare(PosZero, false, 0, false, 0, nil)
	case 0xE5:
		f.fxam()
	case 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE:
		if !f.Empty(7) {
			if f.overflow() {
				f.Push(Indefinite)
			}
			return
		}
		f.signal(0)
		f.Push(Constant(modrm&7, f.CW))
	case 0xF6, 0xF7: // FDECSTP, FINCSTP
		f.SW &^= SWC1
		if modrm == 0xF6 {
			f.setTop(f.Top() - 1)
		} else {
			f.setTop(f.Top() + 1)
		}
	default:
		f.execMath(modrm)
	}
}

// fxam classifies ST(0) into C3, C2, C0 and copies its sign to C1
// (SDM Vol. 2, FXAM, table 3-44). It never signals.
func (f *FPU) fxam() {
	x := f.ST(0)
	var cc uint16
	if x.Neg() {
		cc = SWC1
	}
	if f.Empty(0) {
		cc |= SWC3 | SWC0
	} else {
		switch x.Class() {
		case QNaN, SNaN:
			cc |= SWC0
		case Normal:
			cc |= SWC2
		case Infinity:
			cc |= SWC2 | SWC0
		case Zero:
			cc |= SWC3
		case Denormal:
			cc |= SWC3 | SWC2
		}
	}
	f.setCC(swCC, cc)
}
