package x87

// Memory forms of the escape opcodes (ModRM mod != 3).

func (f *FPU) execMem(in *Inst, d Desc, mem Mem) error {
	op, reg := in.Opcode&7, in.ModRM>>3&7
	switch {
	case op&1 == 0: // D8, DA, DC, DE: arithmetic and compare with a memory operand
		v, err := f.readN(mem, d.MemSize)
		if err != nil {
			return err
		}
		src, lfl := memOperand(op, v)
		f.lastInst(in)
		f.arithMem(reg, src, lfl)
		return nil
	case d.MemRead && (reg == 0 || op == 3 && reg == 5 || op == 7 && (reg == 4 || reg == 5)):
		return f.load(in, mem, d.MemSize, op, reg)
	case reg == 2 || reg == 3 || op == 7 && (reg == 6 || reg == 7) || op == 3 && reg == 7:
		return f.store(in, mem, d.MemSize, op, reg)
	}
	return f.control(in, mem, d.MemSize, op, reg)
}

// memOperand widens the source operand of an arithmetic memory form
// (D8 m32real, DA m32int, DC m64real, DE m16int). An SNaN stays
// signaling, so the arithmetic applies the NaN rules to it; a denormal
// source is normalized and reported as lfl = DE.
func memOperand(op uint8, v uint64) (Ext80, Flags) {
	switch op {
	case 0:
		return widen(v, 23, 8)
	case 4:
		return widen(v, 52, 11)
	case 2:
		return FromInt64(int64(int32(v))), 0
	}
	return FromInt64(int64(int16(v))), 0
}

// widen converts an m32real/m64real exactly without quieting an SNaN.
func widen(v uint64, fracBits, expBits uint) (Ext80, Flags) {
	x, fl := loadFloat(v, fracBits, expBits)
	if fl&IE != 0 {
		x.Sig &^= quietBit // give the SNaN back its signaling bit
	}
	return x, fl &^ IE
}

// mergeLoadFlags adds the denormal flag of a converted source operand,
// unless the operation already signaled a higher-priority exception or
// took a NaN path (SDM Vol. 1, 4.9.2).
func mergeLoadFlags(fl, lfl Flags, a Ext80) Flags {
	if fl&(IE|ZE) != 0 {
		return fl
	}
	switch a.Class() {
	case QNaN, SNaN, Unsupported:
		return fl
	}
	return fl | lfl
}

// arithMem is D8/DA/DC/DE with a memory operand: the reg field selects
// the operation and the result goes to ST(0).
func (f *FPU) arithMem(reg uint8, src Ext80, lfl Flags) {
	switch reg {
	case 2, 3: // FCOM, FCOMP, FICOM, FICOMP
		f.compare(src, false, lfl, false, int(reg-2), nil)
	default:
		f.arith(reg, src, false, lfl, 0, false)
	}
}

// readN reads an n-byte (n <= 8) operand.
func (f *FPU) readN(mem Mem, n int) (uint64, error) {
	b, err := f.read(mem, n)
	if err != nil {
		return 0, err
	}
	v := getLE(b)
	clear(b)
	return v, nil
}

// load is FLD m32/m64/m80real, FILD m16/m32/m64int and FBLD.
func (f *FPU) load(in *Inst, mem Mem, n int, op, reg uint8) error {
	b, err := f.read(mem, n)
	if err != nil {
		return err
	}
	var x Ext80
	var fl Flags
	switch {
	case op == 1:
		x, fl = LoadFloat32(uint32(getLE(b)))
	case op == 5:
		x, fl = LoadFloat64(getLE(b))
	case op == 3 && reg == 5:
		x = FromBytes(b)
	case op == 3:
		x = FromInt64(int64(int32(getLE(b))))
	case reg == 0:
		x = FromInt64(int64(int16(getLE(b))))
	case reg == 5:
		x = FromInt64(int64(getLE(b)))
	default:
		x = LoadBCD(BCD(b))
	}
	clear(b)
	f.lastInst(in)
	f.push(x, fl)
	return nil
}

// push is the common tail of the loads: stack overflow, else the
// conversion's flags, then the push unless IE is unmasked (an unmasked
// DE does not stop a load, as on the hardware).
func (f *FPU) push(x Ext80, fl Flags) {
	if !f.Empty(7) {
		if f.overflow() {
			f.Push(Indefinite)
		}
		return
	}
	if f.signalBlocking(fl, IE) {
		f.Push(x)
	}
}

// store is FST/FSTP m32/m64real, FSTP m80real, FIST/FISTP m16/m32int,
// FISTP m64int and FBSTP.
func (f *FPU) store(in *Inst, mem Mem, n int, op, reg uint8) error {
	pop := reg != 2
	var fl Flags
	b := f.buf[:n]
	empty := f.Empty(0)
	if empty {
		fl = IE | SF
	}
	x, cw := f.ST(0), f.CW
	switch {
	case op == 1:
		v := Float32Indefinite
		if !empty {
			v, fl = x.ToFloat32(cw)
		}
		putLE(b, uint64(v))
	case op == 5:
		v := Float64Indefinite
		if !empty {
			v, fl = x.ToFloat64(cw)
		}
		putLE(b, v)
	case op == 3 && reg == 7:
		if empty {
			x = Indefinite
		}
		v := x.Bytes()
		copy(b, v[:])
	case op == 7 && reg == 6:
		v := BCDIndefinite
		if !empty {
			v, fl = x.ToBCD(cw)
		}
		copy(b, v[:])
	default:
		size := uint(16)
		switch {
		case op == 3:
			size = 32
		case reg == 7:
			size = 64
		}
		v := int64(-1) << (size - 1)
		if !empty {
			v, fl = x.ToInt(cw, size)
		}
		putLE(b, uint64(v))
	}
	// Work out the status the store leaves, but commit it (and the pop)
	// only once the memory write has succeeded.
	old := f.SW
	ok := f.signalStore(fl)
	sw := f.SW
	f.SW = old
	if ok {
		if err := f.write(mem, b); err != nil {
			return err
		}
	}
	clear(b)
	f.SW = sw
	f.lastInst(in)
	if ok && pop {
		f.Pop()
	}
	return nil
}

// control is FLDENV, FLDCW, FNSTENV, FNSTCW, FRSTOR, FNSAVE and FNSTSW.
func (f *FPU) control(in *Inst, mem Mem, n int, op, reg uint8) error {
	fm := in.form()
	switch {
	case reg == 4: // FLDENV, FRSTOR
		b, err := f.read(mem, n)
		if err != nil {
			return err
		}
		if op == 1 {
			f.LoadEnv(b, fm)
		} else {
			f.Restore(b, fm)
		}
		clear(b)
	case reg == 5: // FLDCW
		v, err := f.readN(mem, 2)
		if err != nil {
			return err
		}
		f.SetCW(uint16(v))
	case reg == 6: // FNSTENV, FNSAVE
		b := f.buf[:n]
		if op == 1 {
			f.StoreEnv(b, fm)
		} else {
			f.Save(b, fm)
		}
		if err := f.write(mem, b); err != nil {
			return err
		}
		if op == 1 {
			// FNSTENV then masks every exception (SDM Vol. 2, FSTENV).
			f.CW |= CWMasks
			f.updateES()
		} else {
			f.Init()
		}
	case op == 1: // FNSTCW
		return f.writeN(mem, uint64(f.CW), 2)
	default: // FNSTSW m2byte
		return f.writeN(mem, uint64(f.SW), 2)
	}
	return nil
}
