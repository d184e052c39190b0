package x87

import "fmt"

// Desc describes an x87 encoding for the interpreter. Describe builds it
// without allocating; Name gives the mnemonic for traces.
type Desc struct {
	// Valid is false for the encodings the P6 does not define, which
	// raise #UD (after the #NM check).
	Valid bool
	// Waits is set for the waiting instructions, which report a pending
	// unmasked exception before they run; the FN... control
	// instructions do not.
	Waits bool
	// Control is set for the control instructions, which leave the last
	// instruction and operand pointers alone.
	Control bool
	// MemSize is the number of bytes at the effective address the
	// instruction reads or writes (0 for register forms).
	MemSize  int
	MemRead  bool
	MemWrite bool
}

type memDesc struct {
	name        string
	size        int // bytes; -1 environment, -2 save image
	read, write bool
}

// memOps is the memory-form table, by escape byte and ModRM reg field
// (SDM Vol. 2, appendix A.4, table A-7).
var memOps = [8][8]memDesc{
	{{"FADD m32real", 4, true, false}, {"FMUL m32real", 4, true, false}, {"FCOM m32real", 4, true, false}, {"FCOMP m32real", 4, true, false},
		{"FSUB m32real", 4, true, false}, {"FSUBR m32real", 4, true, false}, {"FDIV m32real", 4, true, false}, {"FDIVR m32real", 4, true, false}},
	{{"FLD m32real", 4, true, false}, {}, {"FST m32real", 4, false, true}, {"FSTP m32real", 4, false, true},
		{"FLDENV m14/28byte", -1, true, false}, {"FLDCW m2byte", 2, true, false}, {"FNSTENV m14/28byte", -1, false, true}, {"FNSTCW m2byte", 2, false, true}},
	{{"FIADD m32int", 4, true, false}, {"FIMUL m32int", 4, true, false}, {"FICOM m32int", 4, true, false}, {"FICOMP m32int", 4, true, false},
		{"FISUB m32int", 4, true, false}, {"FISUBR m32int", 4, true, false}, {"FIDIV m32int", 4, true, false}, {"FIDIVR m32int", 4, true, false}},
	{{"FILD m32int", 4, true, false}, {}, {"FIST m32int", 4, false, true}, {"FISTP m32int", 4, false, true},
		{}, {"FLD m80real", 10, true, false}, {}, {"FSTP m80real", 10, false, true}},
	{{"FADD m64real", 8, true, false}, {"FMUL m64real", 8, true, false}, {"FCOM m64real", 8, true, false}, {"FCOMP m64real", 8, true, false},
		{"FSUB m64real", 8, true, false}, {"FSUBR m64real", 8, true, false}, {"FDIV m64real", 8, true, false}, {"FDIVR m64real", 8, true, false}},
	{{"FLD m64real", 8, true, false}, {}, {"FST m64real", 8, false, true}, {"FSTP m64real", 8, false, true},
		{"FRSTOR m94/108byte", -2, true, false}, {}, {"FNSAVE m94/108byte", -2, false, true}, {"FNSTSW m2byte", 2, false, true}},
	{{"FIADD m16int", 2, true, false}, {"FIMUL m16int", 2, true, false}, {"FICOM m16int", 2, true, false}, {"FICOMP m16int", 2, true, false},
		{"FISUB m16int", 2, true, false}, {"FISUBR m16int", 2, true, false}, {"FIDIV m16int", 2, true, false}, {"FIDIVR m16int", 2, true, false}},
	{{"FILD m16int", 2, true, false}, {}, {"FIST m16int", 2, false, true}, {"FISTP m16int", 2, false, true},
		{"FBLD m80bcd", 10, true, false}, {"FILD m64int", 8, true, false}, {"FBSTP m80bcd", 10, false, true}, {"FISTP m64int", 8, false, true}},
}

// arithNames are the register forms of D8, DC and DE by reg field.
var arithNames = [8]string{"FADD", "FMUL", "FCOM", "FCOMP", "FSUB", "FSUBR", "FDIV", "FDIVR"}

// d9Names are D9 E0-FF.
var d9Names = [32]string{
	"FCHS", "FABS", "", "", "FTST", "FXAM", "", "",
	"FLD1", "FLDL2T", "FLDL2E", "FLDPI", "FLDLG2", "FLDLN2", "FLDZ", "",
	"F2XM1", "FYL2X", "FPTAN", "FPATAN", "FXTRACT", "FPREM1", "FDECSTP", "FINCSTP",
	"FPREM", "FYL2XP1", "FSQRT", "FSINCOS", "FRNDINT", "FSCALE", "FSIN", "FCOS",
}

// Describe returns what the encoding in.Opcode/in.ModRM is (in.Op16 and
// in.Real select the environment sizes).
func Describe(in Inst) Desc {
	op, modrm := in.Opcode&7, in.ModRM
	reg := modrm >> 3 & 7
	if modrm < 0xC0 {
		m := memOps[op][reg]
		if m.name == "" {
			return Desc{}
		}
		d := Desc{Valid: true, Waits: true, MemSize: m.size, MemRead: m.read, MemWrite: m.write}
		switch m.size {
		case -1:
			d.MemSize = in.form().EnvSize()
		case -2:
			d.MemSize = in.form().SaveSize()
		}
		if op == 1 && reg >= 4 || op == 5 && (reg == 4 || reg == 6 || reg == 7) {
			d.Control = true
			d.Waits = reg == 4 || reg == 5 // FLDENV, FLDCW, FRSTOR
		}
		return d
	}
	if !validReg(op, modrm) {
		return Desc{}
	}
	d := Desc{Valid: true, Waits: true}
	if op == 3 && modrm >= 0xE0 && modrm <= 0xE4 || op == 7 && modrm == 0xE0 {
		// FNENI, FNDISI, FNCLEX, FNINIT, FNSETPM, FNSTSW AX.
		d.Waits, d.Control = false, true
	}
	return d
}

// Name returns the mnemonic with Intel operands, "FADD ST(0),ST(3)" or
// "FLD m64real", or "(bad)" for an undefined encoding.
func Name(in Inst) string {
	op, modrm := in.Opcode&7, in.ModRM
	if modrm < 0xC0 {
		if n := memOps[op][modrm>>3&7].name; n != "" {
			return n
		}
		return "(bad)"
	}
	if !validReg(op, modrm) {
		return "(bad)"
	}
	return regName(op, modrm)
}

// regName names a register form, or returns "" for an undefined one.
func regName(op, modrm uint8) string {
	i := modrm & 7
	reg := modrm >> 3 & 7
	sti := fmt.Sprintf("ST(%d)", i)
	switch op {
	case 0:
		if reg == 2 || reg == 3 {
			return arithNames[reg] + " " + sti
		}
		return arithNames[reg] + " ST(0)," + sti
	case 1:
		switch reg {
		case 0:
			return "FLD " + sti
		case 1:
			return "FXCH " + sti
		case 2:
			if i == 0 {
				return "FNOP"
			}
			return ""
		case 3:
			return "FSTP1 " + sti // undocumented alias of FSTP ST(i)
		}
		return d9Names[modrm-0xE0]
	case 2:
		switch {
		case reg < 4:
			return [4]string{"FCMOVB", "FCMOVE", "FCMOVBE", "FCMOVU"}[reg] + " ST(0)," + sti
		case modrm == 0xE9:
			return "FUCOMPP"
		}
	case 3:
		switch {
		case reg < 4:
			return [4]string{"FCMOVNB", "FCMOVNE", "FCMOVNBE", "FCMOVNU"}[reg] + " ST(0)," + sti
		case reg == 4 && i <= 4:
			return [5]string{"FNENI", "FNDISI", "FNCLEX", "FNINIT", "FNSETPM"}[i]
		case reg == 5:
			return "FUCOMI ST(0)," + sti
		case reg == 6:
			return "FCOMI ST(0)," + sti
		}
	case 4, 6:
		p := ""
		if op == 6 {
			p = "P"
		}
		switch reg {
		case 2:
			if op == 4 {
				return "FCOM2 " + sti // undocumented alias of FCOM
			}
			return "FCOMP5 " + sti // undocumented alias of FCOMP
		case 3:
			if op == 4 {
				return "FCOMP3 " + sti // undocumented alias of FCOMP
			}
			if i == 1 {
				return "FCOMPP"
			}
			return ""
		}
		// DC/DE E0-FF: the reg field gives the same operation on ST(0)
		// and ST(i) as in D8, but the result goes to ST(i), so Intel's
		// names swap: DC E0+i (/4, ST(0) - ST(i)) is FSUBR ST(i),ST(0).
		if reg >= 4 {
			reg ^= 1
		}
		return arithNames[reg] + p + " " + sti + ",ST(0)"
	case 5:
		switch reg {
		case 0:
			return "FFREE " + sti
		case 1:
			return "FXCH4 " + sti // undocumented alias of FXCH
		case 2:
			return "FST " + sti
		case 3:
			return "FSTP " + sti
		case 4:
			return "FUCOM " + sti
		case 5:
			return "FUCOMP " + sti
		}
	case 7:
		switch reg {
		case 0:
			return "FFREEP " + sti // undocumented: FFREE and pop
		case 1:
			return "FXCH7 " + sti // undocumented alias of FXCH
		case 2:
			return "FSTP8 " + sti // undocumented alias of FSTP
		case 3:
			return "FSTP9 " + sti // undocumented alias of FSTP
		case 4:
			if i == 0 {
				return "FNSTSW AX"
			}
		case 5:
			return "FUCOMIP ST(0)," + sti
		case 6:
			return "FCOMIP ST(0)," + sti
		}
	}
	return ""
}

// Waits reports whether the instruction checks for a pending unmasked
// exception before it executes: every valid one but FNINIT, FNCLEX,
// FNSTCW, FNSTSW, FNSTENV, FNSAVE and the 8087/287 no-ops FNENI, FNDISI
// and FNSETPM. FWAIT, which is not an escape, always waits. It agrees
// with Describe and allocates nothing.
func Waits(opcode, modrm uint8) bool {
	op, reg := opcode&7, modrm>>3&7
	if modrm < 0xC0 {
		return !((op == 1 || op == 5) && (reg == 6 || reg == 7))
	}
	return !(op == 3 && modrm >= 0xE0 && modrm <= 0xE4 || op == 7 && modrm == 0xE0)
}
