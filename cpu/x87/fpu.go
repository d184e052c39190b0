package x87

// Status-word bits (SDM Vol. 1, 8.1.3, figure 8-4). The exception bits
// are the Flags of the same name.
const (
	SWIE  uint16 = 1 << 0  // invalid operation
	SWDE  uint16 = 1 << 1  // denormal operand
	SWZE  uint16 = 1 << 2  // zero divide
	SWOE  uint16 = 1 << 3  // overflow
	SWUE  uint16 = 1 << 4  // underflow
	SWPE  uint16 = 1 << 5  // precision
	SWSF  uint16 = 1 << 6  // stack fault
	SWES  uint16 = 1 << 7  // exception summary: an unmasked exception is pending
	SWC0  uint16 = 1 << 8  // condition code 0
	SWC1  uint16 = 1 << 9  // condition code 1
	SWC2  uint16 = 1 << 10 // condition code 2
	SWTOP uint16 = 7 << 11 // top of stack
	SWC3  uint16 = 1 << 14 // condition code 3
	SWB   uint16 = 1 << 15 // busy: mirrors ES on the 387 and later

	swCC         = SWC0 | SWC1 | SWC2 | SWC3
	swExceptions = SWIE | SWDE | SWZE | SWOE | SWUE | SWPE
)

// Tag values, two bits per physical register (SDM Vol. 1, 8.1.7).
const (
	TagValid   = 0
	TagZero    = 1
	TagSpecial = 2 // NaN, infinity, denormal or unsupported
	TagEmpty   = 3
)

// FPU is the x87 state of one CPU. It is a plain value, like cpu.State:
// engines copy it, hand it over and compare it with ==.
type FPU struct {
	R [8]Ext80 // physical registers R0-R7; ST(i) is R[(TOP+i)&7]

	CW uint16 // control word: masks, PC, RC (reserved bits clear, bit 6 set)
	SW uint16 // status word: exceptions, SF, ES, C0-C3, TOP, B
	TW uint16 // tag word: 2 bits per physical register, R0 in bits 0-1

	// The last non-control instruction and its memory operand (SDM Vol.
	// 1, 8.1.8-8.1.9), as FSTENV and FSAVE store them.
	FIP uint32 // offset of the instruction (its first prefix)
	FCS uint16 // its CS selector
	FOP uint16 // its opcode: low 3 bits of the first byte, then ModRM (11 bits)
	FDP uint32 // offset of its memory operand
	FDS uint16 // the operand's segment selector

	// buf stages memory operands so that Exec allocates nothing; it is
	// all zero between calls, so FPU values still compare with ==.
	buf [108]byte
}

// New returns an FPU in the FNINIT state.
func New() FPU {
	var f FPU
	f.Init()
	return f
}

// Init is FNINIT (and the state after RESET's FPU initialization, SDM
// Vol. 3, table 9-1): control word 037F, everything else clear, all
// registers tagged empty. The register contents are kept.
func (f *FPU) Init() {
	f.CW = CWDefault
	f.SW = 0
	f.TW = 0xFFFF
	f.FIP, f.FCS, f.FOP, f.FDP, f.FDS = 0, 0, 0, 0, 0
}

// Reset puts the FPU in its power-on (RESET) state, SDM Vol. 3, table
// 9-1: control word 0040 (all exceptions unmasked, single precision),
// status word 0, tag word 5555 (every register holding +0.0), pointers
// 0. Firmware then runs FNINIT, which gives the state of Init.
func (f *FPU) Reset() {
	*f = FPU{CW: 0x0040, TW: 0x5555}
}

// Top returns TOP, the physical register that is ST(0).
func (f *FPU) Top() int { return int(f.SW>>11) & 7 }

func (f *FPU) setTop(t int) { f.SW = f.SW&^SWTOP | uint16(t&7)<<11 }

func (f *FPU) phys(i int) int { return (f.Top() + i) & 7 }

// ST returns ST(i).
func (f *FPU) ST(i int) Ext80 { return f.R[f.phys(i)] }

// Tag returns the tag of physical register r.
func (f *FPU) Tag(r int) int { return int(f.TW>>(2*uint(r&7))) & 3 }

func (f *FPU) setTag(r, t int) {
	s := 2 * uint(r&7)
	f.TW = f.TW&^(3<<s) | uint16(t)<<s
}

// Empty reports whether ST(i) is tagged empty.
func (f *FPU) Empty(i int) bool { return f.Tag(f.phys(i)) == TagEmpty }

// TagOf is the tag a value gets when written to a register.
func TagOf(x Ext80) int {
	switch e := x.Se & expMask; {
	case e == 0 && x.Sig == 0:
		return TagZero
	case e == 0 || e == maxExpRaw || x.Sig&intBit == 0:
		return TagSpecial
	}
	return TagValid
}

// SetST writes ST(i) and its tag.
func (f *FPU) SetST(i int, x Ext80) {
	p := f.phys(i)
	f.R[p] = x
	f.setTag(p, TagOf(x))
}

// Push decrements TOP and writes ST(0), without the overflow check.
func (f *FPU) Push(x Ext80) {
	f.setTop(f.Top() - 1)
	f.SetST(0, x)
}

// Pop tags ST(0) empty and increments TOP.
func (f *FPU) Pop() {
	f.setTag(f.phys(0), TagEmpty)
	f.setTop(f.Top() + 1)
}

// retag recomputes the tags of the registers that are not empty, as
// FLDENV and FRSTOR do with the tag word they load.
func (f *FPU) retag() {
	for r := 0; r < 8; r++ {
		if f.Tag(r) != TagEmpty {
			f.setTag(r, TagOf(f.R[r]))
		}
	}
}

// Pending reports whether an unmasked exception is pending (ES): the
// next waiting x87 instruction or FWAIT must first report it, by #MF
// when CR0.NE is set and otherwise on the FERR# pin, which a PC wires to
// IRQ 13 (SDM Vol. 1, 8.7 and Vol. 3, 9.2.2).
func (f *FPU) Pending() bool { return f.SW&SWES != 0 }

// updateES sets ES and B when an exception flag is set whose mask is
// clear, and clears them otherwise (SDM Vol. 1, 8.1.3.5).
func (f *FPU) updateES() {
	if f.SW&^f.CW&swExceptions != 0 {
		f.SW |= SWES | SWB
	} else {
		f.SW &^= SWES | SWB
	}
}

// SetCW loads the control word as FLDCW does: reserved bits read as 0
// except bit 6, which reads as 1; a newly unmasked pending flag sets ES.
func (f *FPU) SetCW(cw uint16) {
	f.CW = cw&^cwReserved | 0x40
	f.updateES()
}

// Clex is FNCLEX: clear the exception flags, SF, ES and B.
func (f *FPU) Clex() {
	f.SW &^= swExceptions | SWSF | SWES | SWB
}

// signal records the flags of an operation whose result goes to a
// register, and reports whether the result may be written. Unmasked IE,
// DE and ZE are pre-computation exceptions: only they are recorded and
// the destination keeps its value. Unmasked OE and UE (whose results
// arrive already wrapped) and PE still deliver the result. C1 is set
// from the flags: rounded up, or stack overflow.
func (f *FPU) signal(fl Flags) bool { return f.signalBlocking(fl, preFlags) }

// signalBlocking is signal with the set of unmasked exceptions that
// suppress the result given: FLD m32real/m64real still loads a denormal
// when DE is unmasked.
func (f *FPU) signalBlocking(fl, blocking Flags) bool {
	unmasked := uint16(fl) &^ f.CW & swExceptions
	ok := unmasked&uint16(blocking) == 0
	if !ok {
		fl &= preFlags | SF | C1
		if fl&SF == 0 {
			fl &^= C1
		}
	}
	f.SW = f.SW&^SWC1 | uint16(fl)&(swExceptions|SWSF|SWC1)
	f.updateES()
	return ok
}

// signalStore is signal for a memory destination (FST m32/m64, FIST,
// FBSTP): with OE or UE unmasked nothing is stored either, PE is not
// reported and C1 is cleared (SDM Vol. 1, 8.5.4-8.5.5).
func (f *FPU) signalStore(fl Flags) bool {
	unmasked := uint16(fl) &^ f.CW & swExceptions
	if unmasked&uint16(OE|UE) != 0 && unmasked&uint16(preFlags) == 0 {
		f.SW = f.SW&^SWC1 | uint16(fl)&uint16(OE|UE|DE)
		f.updateES()
		return false
	}
	return f.signal(fl)
}

// underflow is the stack-underflow invalid operation: IE and SF with C1
// clear. It reports whether the masked response is to be applied.
func (f *FPU) underflow() bool {
	f.signal(IE | SF)
	return f.CW&CWIM != 0
}

// overflow is the stack-overflow invalid operation: IE, SF and C1.
func (f *FPU) overflow() bool {
	f.signal(IE | SF | C1)
	return f.CW&CWIM != 0
}

// setCC sets the condition codes in mask to the bits of cc.
func (f *FPU) setCC(mask, cc uint16) { f.SW = f.SW&^mask | cc&mask }
