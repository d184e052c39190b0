package x87

import "errors"

// Inst is one x87 instruction (escape opcodes D8-DF) as the interpreter
// decoded it, with the context the FPU records about it.
type Inst struct {
	Opcode uint8 // D8-DF
	ModRM  uint8
	// Op16 is set when the operand size is 16 bits: FSTENV, FLDENV,
	// FSAVE and FRSTOR then use the 14- and 94-byte images.
	Op16 bool
	// Real is set in real-address and virtual-8086 mode: the images
	// then hold linear instruction and operand addresses.
	Real bool
	// The instruction's address (the offset of its first prefix byte, or
	// of the escape byte when there is none), recorded in FCS:FIP.
	CS  uint16
	EIP uint32
	// The memory operand's segment selector and offset (ModRM mod != 3),
	// recorded in FDS:FDP.
	DS uint16
	EA uint32
}

// Regs are the CPU registers that x87 instructions read or write. Exec
// reads and writes them through the pointer it is given.
type Regs struct {
	// EFlags: FCMOVcc reads CF, ZF and PF; FCOMI, FCOMIP, FUCOMI and
	// FUCOMIP write ZF, PF and CF and clear OF, SF and AF.
	EFlags uint32
	// AX: FNSTSW AX writes it.
	AX uint16
}

// EFLAGS bits used by FCMOVcc and FCOMI.
const (
	flagCF uint32 = 1 << 0
	flagPF uint32 = 1 << 2
	flagAF uint32 = 1 << 4
	flagZF uint32 = 1 << 6
	flagSF uint32 = 1 << 7
	flagOF uint32 = 1 << 11
)

// Mem is the memory operand of one instruction: the bytes at its
// effective address. Exec reads it whole before it changes any FPU
// state, and writes it whole before it commits any, so an error from
// the accessor (a #PF or #GP, say) leaves the FPU as it was, and Exec
// returns that error unchanged. Sizes are 2, 4, 8 and 10 bytes for data,
// 14 or 28 for an environment and 94 or 108 for a save image: an
// accessor that checks the whole range before writing any byte makes
// the writes all-or-nothing, like the hardware's.
type Mem interface {
	Read(p []byte) error  // fill p from EA onwards
	Write(p []byte) error // store p at EA onwards
}

// ErrUD is returned for escape encodings the P6 does not define (#UD).
// Exec changes nothing then.
var ErrUD = errors.New("x87: undefined opcode")

// errNoMem is returned when a memory form is executed with a nil Mem.
var errNoMem = errors.New("x87: memory operand without accessor")

// form returns the image layout the instruction uses.
func (in *Inst) form() Form {
	switch {
	case in.Real && in.Op16:
		return Real16
	case in.Real:
		return Real32
	case in.Op16:
		return Prot16
	}
	return Prot32
}

// Exec executes one x87 instruction. The caller has already done what
// belongs to the CPU, in this order: the #NM check (CR0.EM or CR0.TS; for
// FWAIT, CR0.MP and CR0.TS), the #UD check (Describe(in).Valid), the
// pending-exception check for waiting instructions (Waits and Pending:
// #MF when CR0.NE, else FERR#/IRQ 13 and carry on), and the segment and
// page checks of the memory operand, whose size Describe gives.
//
// r may be nil for instructions other than FCMOVcc, FCOMI, FCOMIP,
// FUCOMI, FUCOMIP and FNSTSW AX; mem may be nil for register forms.
//
// Exec returns nil, ErrUD for an undefined encoding, or the accessor's
// error. Numeric exceptions are not errors: they update the status word
// and, when unmasked, leave ES set for the next waiting instruction, as
// on the hardware.
func (f *FPU) Exec(in Inst, r *Regs, mem Mem) error {
	if in.ModRM >= 0xC0 {
		var none Regs
		if r == nil { // allowed when the caller knows no register is touched
			r = &none
		}
		return f.execReg(&in, r)
	}
	d := Describe(in)
	if !d.Valid {
		return ErrUD
	}
	if mem == nil {
		return errNoMem
	}
	return f.execMem(&in, d, mem)
}

// lastInst records a non-control instruction in FOP, FCS:FIP and, for a
// memory form, FDS:FDP.
func (f *FPU) lastInst(in *Inst) {
	f.FOP = uint16(in.Opcode&7)<<8 | uint16(in.ModRM)
	f.FCS, f.FIP = in.CS, in.EIP
	if in.ModRM < 0xC0 {
		f.FDS, f.FDP = in.DS, in.EA
	}
}

// read fills the first n bytes of the staging buffer from mem.
func (f *FPU) read(mem Mem, n int) ([]byte, error) {
	b := f.buf[:n]
	if err := mem.Read(b); err != nil {
		clear(b)
		return nil, err
	}
	return b, nil
}

// write stores b (a prefix of the staging buffer) and clears it.
func (f *FPU) write(mem Mem, b []byte) error {
	err := mem.Write(b)
	clear(b)
	return err
}

// writeN stores the low n bytes of v, little-endian.
func (f *FPU) writeN(mem Mem, v uint64, n int) error {
	b := f.buf[:n]
	putLE(b, v)
	return f.write(mem, b)
}
