package x87

import (
	"bytes"
	"errors"
	"math"
	"math/rand"
	"sync"
	"testing"
)

// exec runs one instruction with a scratch memory operand and fails the
// test on an error.
func exec(t *testing.T, f *FPU, op, modrm byte, mem []byte) Regs {
	t.Helper()
	var r Regs
	if err := f.Exec(Inst{Opcode: op, ModRM: modrm}, &r, &bufMem{b: mem}); err != nil {
		t.Fatalf("%02x %02x: %v", op, modrm, err)
	}
	return r
}

// sampleState is the FPU state whose images TestSaveLayouts spells out.
func sampleState() FPU {
	f := New()
	f.SW = 6<<11 | SWC1 | SWPE // TOP = 6
	f.R[6] = One
	f.R[7] = FromInt64(-2)
	f.TW = 0x0FFF // R6 and R7 valid, the rest empty
	f.FIP, f.FCS, f.FOP = 0x12345678, 0x001B, 0x05C1
	f.FDP, f.FDS = 0x9ABCDEF0, 0x0023
	return f
}

// TestSaveLayouts: FNSAVE images in the four forms of SDM Vol. 1, figures
// 8-9 to 8-12, byte for byte.
func TestSaveLayouts(t *testing.T) {
	regs := []byte{
		0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x3F, // ST(0) = R6 = 1.0
		0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0xC0, // ST(1) = R7 = -2.0
	}
	regs = append(regs, make([]byte, 60)...) // ST(2)-ST(7) = R0-R5 = 0
	f := sampleState()
	real16 := f
	real16.FIP, real16.FCS, real16.FDP, real16.FDS = 0x5678, 0x1234, 0xDEF0, 0x2345
	tests := []struct {
		form Form
		f    FPU
		env  []byte
	}{
		{Prot32, f, []byte{
			0x7F, 0x03, 0xFF, 0xFF, // CW, reserved bits stored as ones
			0x20, 0x32, 0xFF, 0xFF, // SW
			0xFF, 0x0F, 0xFF, 0xFF, // TW
			0x78, 0x56, 0x34, 0x12, // FIP
			0x1B, 0x00, 0xC1, 0x05, // FCS, FOP
			0xF0, 0xDE, 0xBC, 0x9A, // FDP
			0x23, 0x00, 0xFF, 0xFF, // FDS
		}},
		{Prot16, f, []byte{
			0x7F, 0x03, 0x20, 0x32, 0xFF, 0x0F,
			0x78, 0x56, // FIP[15:0]
			0x1B, 0x00, // FCS
			0xF0, 0xDE, // FDP[15:0]
			0x23, 0x00, // FDS
		}},
		{Real32, f, []byte{ // linear FIP 0x12345828 = 0x1B0 + 0x12345678, FDP 0x9ABCE120
			0x7F, 0x03, 0xFF, 0xFF,
			0x20, 0x32, 0xFF, 0xFF,
			0xFF, 0x0F, 0xFF, 0xFF,
			0x28, 0x58, 0xFF, 0xFF, // FIP[15:0]
			0xC1, 0x45, 0x23, 0x01, // FIP[31:16] in bits 12-27, FOP in 0-10
			0x20, 0xE1, 0xFF, 0xFF, // FDP[15:0]
			0x00, 0xC0, 0xAB, 0x09, // FDP[31:16] in bits 12-27
		}},
		{Real16, real16, []byte{ // linear FIP 0x179B8, FDP 0x31340
			0x7F, 0x03, 0x20, 0x32, 0xFF, 0x0F,
			0xB8, 0x79, // FIP[15:0]
			0xC1, 0x15, // FIP[19:16] in bits 12-15, FOP in 0-10
			0x40, 0x13, // FDP[15:0]
			0x00, 0x30, // FDP[19:16] in bits 12-15
		}},
	}
	for _, tt := range tests {
		want := append(append([]byte(nil), tt.env...), regs...)
		if len(want) != tt.form.SaveSize() || len(tt.env) != tt.form.EnvSize() {
			t.Fatalf("form %d: sizes %d/%d", tt.form, len(want), len(tt.env))
		}
		got := make([]byte, tt.form.SaveSize())
		g := tt.f
		g.Save(got, tt.form)
		if !bytes.Equal(got, want) {
			t.Errorf("form %d:\n got % x\nwant % x", tt.form, got, want)
		}
		// FNSAVE through Exec writes the same bytes and reinitializes.
		mem := make([]byte, 108)
		in := Inst{Opcode: 0xDD, ModRM: 0x30, Op16: tt.form == Prot16 || tt.form == Real16, Real: tt.form >= Real32}
		if err := g.Exec(in, &Regs{}, &bufMem{b: mem}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(mem[:len(want)], want) || g.CW != CWDefault || g.SW != 0 || g.TW != 0xFFFF {
			t.Errorf("form %d: FNSAVE wrote % x and left cw %04x sw %04x tw %04x", tt.form, mem[:len(want)], g.CW, g.SW, g.TW)
		}
		// FRSTOR brings the state back; in real mode the pointers come
		// back as linear addresses with zero selectors.
		var h FPU
		in.ModRM = 0x20
		if err := h.Exec(in, &Regs{}, &bufMem{b: mem}); err != nil {
			t.Fatal(err)
		}
		w := tt.f
		switch tt.form {
		case Prot16:
			w.FIP, w.FDP, w.FOP = w.FIP&0xFFFF, w.FDP&0xFFFF, 0
		case Real32, Real16:
			w.FIP += uint32(w.FCS) << 4
			w.FDP += uint32(w.FDS) << 4
			w.FCS, w.FDS = 0, 0
		}
		if h != w {
			t.Errorf("form %d: FRSTOR gave\n%+v\nwant\n%+v", tt.form, h, w)
		}
	}
}

func TestInitAndControlWord(t *testing.T) {
	var r FPU
	r.Reset()
	if r.CW != 0x0040 || r.SW != 0 || r.TW != 0x5555 || r.ST(3) != PosZero {
		t.Errorf("RESET state: %04x %04x %04x", r.CW, r.SW, r.TW)
	}
	f := New()
	if f.CW != 0x037F || f.SW != 0 || f.TW != 0xFFFF {
		t.Fatalf("FNINIT state: %04x %04x %04x", f.CW, f.SW, f.TW)
	}
	for _, tt := range []struct{ in, want uint16 }{{0, 0x0040}, {0xFFFF, 0x1F7F}, {0x027F, 0x027F}} {
		f.SetCW(tt.in)
		if f.CW != tt.want {
			t.Errorf("FLDCW %04x: %04x, want %04x", tt.in, f.CW, tt.want)
		}
	}
	// Unmasking a flag that is already set makes it pending.
	f = New()
	f.SW |= SWZE
	mem := []byte{0x7B, 0x03}    // ZM clear
	exec(t, &f, 0xD9, 0x28, mem) // FLDCW
	if !f.Pending() || f.SW&(SWES|SWB) != SWES|SWB {
		t.Errorf("FLDCW unmasking ZE: sw %04x", f.SW)
	}
	// FNSTENV stores, then masks everything, which clears ES.
	env := make([]byte, 28)
	exec(t, &f, 0xD9, 0x30, env)
	if f.CW&CWMasks != CWMasks || f.Pending() || get16(env[0:]) != 0x037B || get16(env[4:])&SWES == 0 {
		t.Errorf("FNSTENV: cw %04x sw %04x, stored cw %04x sw %04x", f.CW, f.SW, get16(env[0:]), get16(env[4:]))
	}
	// FLDENV of that image makes it pending again.
	exec(t, &f, 0xD9, 0x20, env)
	if !f.Pending() {
		t.Errorf("FLDENV: sw %04x", f.SW)
	}
	exec(t, &f, 0xDB, 0xE2, nil) // FNCLEX
	if f.Pending() || f.SW&0xFF != 0 {
		t.Errorf("FNCLEX: sw %04x", f.SW)
	}
}

func TestStackFaults(t *testing.T) {
	f := New()
	for i := 0; i < 8; i++ {
		exec(t, &f, 0xD9, 0xE8, nil) // FLD1
	}
	if f.SW&0xFF != 0 || f.TW != 0 {
		t.Fatalf("eight pushes: sw %04x tw %04x", f.SW, f.TW)
	}
	// The ninth overflows: IE, SF and C1; masked, the indefinite is pushed.
	exec(t, &f, 0xD9, 0xEE, nil) // FLDZ
	if f.SW&(SWIE|SWSF|SWC1) != SWIE|SWSF|SWC1 || f.ST(0) != Indefinite || f.Top() != 7 {
		t.Errorf("masked overflow: sw %04x st0 %v", f.SW, f.ST(0))
	}
	// Unmasked, nothing moves and the exception is pending.
	f.SetCW(0x037E)
	top, st0 := f.Top(), f.ST(0)
	exec(t, &f, 0xD9, 0xE8, nil)
	if f.Top() != top || f.ST(0) != st0 || !f.Pending() || f.SW&SWB == 0 {
		t.Errorf("unmasked overflow: sw %04x", f.SW)
	}
	// Underflow: C1 clear; masked, the destination gets the indefinite.
	f = New()
	exec(t, &f, 0xD9, 0xE8, nil) // FLD1
	exec(t, &f, 0xD8, 0xC1, nil) // FADD ST(0),ST(1): ST(1) is empty
	if f.SW&(SWIE|SWSF|SWC1) != SWIE|SWSF || f.ST(0) != Indefinite {
		t.Errorf("underflow: sw %04x st0 %v", f.SW, f.ST(0))
	}
	// FSTP m64 of an empty ST(0): the double indefinite, and a pop.
	f = New()
	mem := make([]byte, 8)
	exec(t, &f, 0xDD, 0x18, mem)
	if getLE(mem) != Float64Indefinite || f.Top() != 1 {
		t.Errorf("FSTP m64 of empty: % x top %d", mem, f.Top())
	}
}

func TestMemoryDestinations(t *testing.T) {
	// FIST m16 out of range: masked stores the integer indefinite.
	f := New()
	f.Push(FromInt64(40000))
	mem := []byte{0x11, 0x22}
	exec(t, &f, 0xDF, 0x10, mem)
	if get16(mem) != 0x8000 || f.SW&SWIE == 0 {
		t.Errorf("FIST 40000: % x sw %04x", mem, f.SW)
	}
	// Unmasked IE: nothing is written, nothing popped.
	f = New()
	f.SetCW(0x037E)
	f.Push(FromInt64(40000))
	mem = []byte{0x11, 0x22}
	exec(t, &f, 0xDF, 0x18, mem) // FISTP
	if get16(mem) != 0x2211 || f.Top() != 7 || !f.Pending() {
		t.Errorf("FISTP unmasked: % x top %d sw %04x", mem, f.Top(), f.SW)
	}
	// FSTP m32 overflowing with OE unmasked: no store, no pop, PE not
	// reported, C1 clear.
	f = New()
	f.SetCW(CWDefault &^ CWOM)
	f.Push(ext(0x7000, intBit))
	mem = []byte{1, 2, 3, 4}
	exec(t, &f, 0xD9, 0x18, mem)
	if getLE(mem) != 0x04030201 || f.Top() != 7 || f.SW&(SWOE|SWPE|SWC1|SWES) != SWOE|SWES {
		t.Errorf("FSTP m32 unmasked overflow: % x top %d sw %04x", mem, f.Top(), f.SW)
	}
	// Masked, the infinity goes out and the stack pops.
	f.SetCW(CWDefault)
	f.Clex()
	exec(t, &f, 0xD9, 0x18, mem)
	if getLE(mem) != 0x7F800000 || f.Top() != 0 || f.SW&(SWOE|SWPE|SWC1) != SWOE|SWPE|SWC1 {
		t.Errorf("FSTP m32 masked overflow: % x top %d sw %04x", mem, f.Top(), f.SW)
	}
	// A register destination with OE unmasked gets the wrapped result.
	f = New()
	f.SetCW(CWDefault &^ CWOM)
	f.Push(ext(0x7000, intBit))
	f.Push(ext(0x7000, intBit))
	exec(t, &f, 0xDE, 0xC9, nil) // FMULP
	if f.ST(0) != ext(0x7000+0x7000-extBias-wrapBias, intBit) || !f.Pending() {
		t.Errorf("FMULP unmasked overflow: %v sw %04x", f.ST(0), f.SW)
	}
}

// TestM80RoundTrip: FLD m80 then FSTP m80 returns every bit pattern.
func TestM80RoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	f := New()
	for i := 0; i < 100000; i++ {
		in := make([]byte, 10)
		r.Read(in)
		switch i % 4 { // make sure the odd encodings come up
		case 1:
			in[8], in[9] = 0, in[9]&0x80 // denormals and pseudo-denormals
		case 2:
			in[8], in[9] = 0xFF, in[9]|0x7F // NaNs, infinities, pseudo-NaNs
		case 3:
			in[7] &= 0x7F // unnormals
		}
		exec(t, &f, 0xDB, 0x28, in) // FLD m80
		if f.SW&0xFF != 0 || f.Tag(f.Top()) != TagOf(FromBytes(in)) {
			t.Fatalf("FLD m80 % x: sw %04x tag %d", in, f.SW, f.Tag(f.Top()))
		}
		out := make([]byte, 10)
		exec(t, &f, 0xDB, 0x38, out) // FSTP m80
		if !bytes.Equal(in, out) || f.SW&0xFF != 0 {
			t.Fatalf("m80 % x came back as % x (sw %04x)", in, out, f.SW)
		}
	}
}

func TestFXAM(t *testing.T) {
	f := New()
	for _, tt := range []struct {
		x  Ext80
		cc uint16
	}{
		{FromInt64(-3), SWC2 | SWC1},
		{PosZero, SWC3},
		{NegInf, SWC2 | SWC0 | SWC1},
		{Indefinite, SWC0 | SWC1},
		{ext(0, 1), SWC3 | SWC2},
		{ext(0, intBit), SWC3 | SWC2}, // pseudo-denormal
		{ext(0x4000, 1), 0},           // unnormal: unsupported
	} {
		f.Push(tt.x)
		exec(t, &f, 0xD9, 0xE5, nil)
		if f.SW&swCC != tt.cc {
			t.Errorf("FXAM %v: %04x, want %04x", tt.x, f.SW&swCC, tt.cc)
		}
		f.Pop()
	}
	// Empty: C3 and C0, with C1 the sign of what the register holds.
	f.R[f.Top()] = NegZero
	exec(t, &f, 0xD9, 0xE5, nil)
	if f.SW&swCC != SWC3|SWC0|SWC1 {
		t.Errorf("FXAM empty: %04x", f.SW&swCC)
	}
}

func TestRegisterInterface(t *testing.T) {
	f := New()
	f.Push(FromInt64(2))
	f.Push(FromInt64(1))
	// FCOMI ST(0),ST(1): 1 < 2 sets CF and clears ZF, PF, OF, SF, AF.
	var r Regs
	r.EFlags = flagZF | flagPF | flagOF | flagSF | flagAF | 0x202
	if err := f.Exec(Inst{Opcode: 0xDB, ModRM: 0xF1}, &r, nil); err != nil {
		t.Fatal(err)
	}
	if r.EFlags != flagCF|0x202 {
		t.Errorf("FCOMI 1,2: eflags %x", r.EFlags)
	}
	// FCMOVB ST(0),ST(1) with CF set copies 2 into ST(0).
	f.Exec(Inst{Opcode: 0xDA, ModRM: 0xC1}, &r, nil)
	if f.ST(0) != FromInt64(2) {
		t.Errorf("FCMOVB: %v", f.ST(0))
	}
	// FCMOVNB with CF set does not.
	f.SetST(0, FromInt64(7))
	f.Exec(Inst{Opcode: 0xDB, ModRM: 0xC1}, &r, nil)
	if f.ST(0) != FromInt64(7) {
		t.Errorf("FCMOVNB: %v", f.ST(0))
	}
	// FUCOMIP with a QNaN: unordered (ZF, PF, CF), no IE, and a pop.
	f.SetST(0, Indefinite)
	f.Exec(Inst{Opcode: 0xDF, ModRM: 0xE9}, &r, nil)
	if r.EFlags != flagZF|flagPF|flagCF|0x202 || f.SW&SWIE != 0 || f.Top() != 7 {
		t.Errorf("FUCOMIP NaN: eflags %x sw %04x", r.EFlags, f.SW)
	}
	// FNSTSW AX.
	f.SW |= SWC3
	f.Exec(Inst{Opcode: 0xDF, ModRM: 0xE0}, &r, nil)
	if r.AX != f.SW {
		t.Errorf("FNSTSW AX = %04x, sw %04x", r.AX, f.SW)
	}
}

func TestStackOps(t *testing.T) {
	f := New()
	f.Push(FromInt64(1))
	f.Push(FromInt64(2))
	exec(t, &f, 0xD9, 0xC9, nil) // FXCH ST(1)
	if f.ST(0) != FromInt64(1) || f.ST(1) != FromInt64(2) {
		t.Errorf("FXCH: %v %v", f.ST(0), f.ST(1))
	}
	exec(t, &f, 0xD9, 0xF7, nil) // FINCSTP: no tags change
	if f.Top() != 7 || f.TW != 0x0FFF {
		t.Errorf("FINCSTP: top %d tw %04x", f.Top(), f.TW)
	}
	exec(t, &f, 0xD9, 0xF6, nil) // FDECSTP
	exec(t, &f, 0xDD, 0xC1, nil) // FFREE ST(1)
	if !f.Empty(1) || f.Top() != 6 {
		t.Errorf("FFREE: tw %04x", f.TW)
	}
	exec(t, &f, 0xDF, 0xC0, nil) // FFREEP ST(0)
	if f.TW != 0xFFFF || f.Top() != 7 {
		t.Errorf("FFREEP: top %d tw %04x", f.Top(), f.TW)
	}
	// FUCOMPP pops twice; FSTP1 of an empty ST(0) pops without a fault.
	f = New()
	f.Push(One)
	f.Push(One)
	exec(t, &f, 0xDA, 0xE9, nil)
	if f.Top() != 0 || f.SW&swCC != SWC3 {
		t.Errorf("FUCOMPP: top %d sw %04x", f.Top(), f.SW)
	}
	exec(t, &f, 0xD9, 0xD9, nil) // FSTP1 ST(1)
	if f.Top() != 1 || f.SW&SWIE != 0 {
		t.Errorf("FSTP1 of empty: top %d sw %04x", f.Top(), f.SW)
	}
}

// TestPointers: non-control instructions record FCS:FIP and FOP, memory
// forms FDS:FDP too; control instructions leave them alone.
func TestPointers(t *testing.T) {
	f := New()
	mem := make([]byte, 8)
	putLE(mem, math.Float64bits(1))
	in := Inst{Opcode: 0xDD, ModRM: 0x06, CS: 0x10, EIP: 0x1234, DS: 0x18, EA: 0x5678}
	if err := f.Exec(in, &Regs{}, &bufMem{b: mem}); err != nil { // FLD m64
		t.Fatal(err)
	}
	if f.FCS != 0x10 || f.FIP != 0x1234 || f.FOP != 0x506 || f.FDS != 0x18 || f.FDP != 0x5678 {
		t.Errorf("after FLD m64: %04x:%x op %03x %04x:%x", f.FCS, f.FIP, f.FOP, f.FDS, f.FDP)
	}
	f.Exec(Inst{Opcode: 0xD9, ModRM: 0x38, CS: 1, EIP: 2, DS: 3, EA: 4}, &Regs{}, &bufMem{b: mem}) // FNSTCW
	f.Exec(Inst{Opcode: 0xDB, ModRM: 0xE2, CS: 1, EIP: 2}, &Regs{}, nil)                           // FNCLEX
	if f.FIP != 0x1234 || f.FDP != 0x5678 || f.FOP != 0x506 {
		t.Errorf("control instructions moved the pointers: %x %x %x", f.FIP, f.FDP, f.FOP)
	}
	f.Exec(Inst{Opcode: 0xD9, ModRM: 0xE1, CS: 0x20, EIP: 0x99}, &Regs{}, nil) // FABS
	if f.FIP != 0x99 || f.FCS != 0x20 || f.FOP != 0x1E1 || f.FDP != 0x5678 {
		t.Errorf("FABS: %04x:%x op %03x dp %x", f.FCS, f.FIP, f.FOP, f.FDP)
	}
}

var errFault = errors.New("page fault")

// TestMemoryFaults: the accessor's error comes back unchanged and the
// instruction leaves no trace.
func TestMemoryFaults(t *testing.T) {
	base := New()
	base.Push(FromFloat64(1.5))
	base.Push(FromFloat64(-2.5))
	base.FIP = 0x777
	for _, in := range []Inst{
		{Opcode: 0xDD, ModRM: 0x00}, // FLD m64
		{Opcode: 0xDC, ModRM: 0x00}, // FADD m64
		{Opcode: 0xDD, ModRM: 0x18}, // FSTP m64
		{Opcode: 0xDF, ModRM: 0x38}, // FISTP m64
		{Opcode: 0xDF, ModRM: 0x30}, // FBSTP
		{Opcode: 0xDB, ModRM: 0x38}, // FSTP m80
		{Opcode: 0xDD, ModRM: 0x30}, // FNSAVE
		{Opcode: 0xDD, ModRM: 0x20}, // FRSTOR
		{Opcode: 0xD9, ModRM: 0x30}, // FNSTENV
		{Opcode: 0xD9, ModRM: 0x28}, // FLDCW
		{Opcode: 0xDD, ModRM: 0x38}, // FNSTSW
	} {
		f := base
		err := f.Exec(in, &Regs{}, &bufMem{b: make([]byte, 108), fault: errFault})
		if err != errFault {
			t.Errorf("%s: error %v", Name(in), err)
		}
		if f != base {
			t.Errorf("%s: state changed by a faulting access", Name(in))
		}
	}
}

// TestUndefined: #UD encodings report ErrUD and change nothing.
func TestUndefined(t *testing.T) {
	base := New()
	base.Push(One)
	for _, in := range []Inst{
		{Opcode: 0xD9, ModRM: 0xD1}, {Opcode: 0xD9, ModRM: 0xE2}, {Opcode: 0xD9, ModRM: 0xEF},
		{Opcode: 0xDA, ModRM: 0xE8}, {Opcode: 0xDB, ModRM: 0xE5}, {Opcode: 0xDB, ModRM: 0xF8},
		{Opcode: 0xDD, ModRM: 0xF0}, {Opcode: 0xDE, ModRM: 0xD8}, {Opcode: 0xDF, ModRM: 0xE1},
		{Opcode: 0xD9, ModRM: 0x08}, {Opcode: 0xDB, ModRM: 0x20}, {Opcode: 0xDB, ModRM: 0x30},
		{Opcode: 0xDD, ModRM: 0x28}, {Opcode: 0xDB, ModRM: 0x08}, {Opcode: 0xDD, ModRM: 0x08},
		{Opcode: 0xDF, ModRM: 0x08}, // FISTTP is SSE3
	} {
		f := base
		if err := f.Exec(in, &Regs{}, &bufMem{b: make([]byte, 16)}); err != ErrUD || f != base {
			t.Errorf("%02x %02x: %v", in.Opcode, in.ModRM, err)
		}
		if Describe(in).Valid {
			t.Errorf("%02x %02x described as valid", in.Opcode, in.ModRM)
		}
	}
}

// TestDescribe: Waits agrees with Describe for every encoding, and the
// table gives the names and sizes of the SDM.
func TestDescribe(t *testing.T) {
	for op := 0xD8; op <= 0xDF; op++ {
		for m := 0; m < 256; m++ {
			d := Describe(Inst{Opcode: byte(op), ModRM: byte(m)})
			if d.Valid && d.Waits != Waits(byte(op), byte(m)) {
				t.Errorf("%02x %02x: Waits disagrees", op, m)
			}
			if d.Valid && d.MemRead == d.MemWrite && m < 0xC0 {
				t.Errorf("%02x %02x: memory direction", op, m)
			}
		}
	}
	for _, tt := range []struct {
		in   Inst
		name string
		size int
		wait bool
	}{
		{Inst{Opcode: 0xD8, ModRM: 0xC3}, "FADD ST(0),ST(3)", 0, true},
		{Inst{Opcode: 0xDC, ModRM: 0xE2}, "FSUBR ST(2),ST(0)", 0, true},
		{Inst{Opcode: 0xDE, ModRM: 0xF9}, "FDIVP ST(1),ST(0)", 0, true},
		{Inst{Opcode: 0xDE, ModRM: 0xD9}, "FCOMPP", 0, true},
		{Inst{Opcode: 0xDB, ModRM: 0xE3}, "FNINIT", 0, false},
		{Inst{Opcode: 0xDF, ModRM: 0xE0}, "FNSTSW AX", 0, false},
		{Inst{Opcode: 0xDD, ModRM: 0x36}, "FNSAVE m94/108byte", 108, false},
		{Inst{Opcode: 0xDD, ModRM: 0x26, Op16: true}, "FRSTOR m94/108byte", 94, true},
		{Inst{Opcode: 0xD9, ModRM: 0x26, Op16: true, Real: true}, "FLDENV m14/28byte", 14, true},
		{Inst{Opcode: 0xDB, ModRM: 0x2E}, "FLD m80real", 10, true},
		{Inst{Opcode: 0xDF, ModRM: 0x36}, "FBSTP m80bcd", 10, true},
		{Inst{Opcode: 0xD9, ModRM: 0x3E}, "FNSTCW m2byte", 2, false},
	} {
		d := Describe(tt.in)
		if Name(tt.in) != tt.name || d.MemSize != tt.size || d.Waits != tt.wait || !d.Valid {
			t.Errorf("%02x %02x: %+v", tt.in.Opcode, tt.in.ModRM, d)
		}
	}
}

// TestDescribeAllocatesNothing: the interpreter calls Describe and Waits
// for every escape opcode.
func TestDescribeAllocatesNothing(t *testing.T) {
	in := Inst{Opcode: 0xD8, ModRM: 0xC1}
	if n := testing.AllocsPerRun(100, func() {
		in.ModRM++
		_ = Describe(in)
		_ = Waits(in.Opcode, in.ModRM)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// TestExecAllocatesNothing: arithmetic, memory operands and the fast
// transcendental path run without allocating.
func TestExecAllocatesNothing(t *testing.T) {
	f := New()
	f.Push(FromFloat64(0.75))
	f.Push(FromFloat64(0.5))
	m := &bufMem{b: make([]byte, 8)}
	putLE(m.b, math.Float64bits(0.25))
	var r Regs
	for _, in := range []Inst{
		{Opcode: 0xD8, ModRM: 0xC1}, // FADD ST(0),ST(1)
		{Opcode: 0xDC, ModRM: 0x0E}, // FMUL m64real
		{Opcode: 0xDD, ModRM: 0x16}, // FST m64real
		{Opcode: 0xD9, ModRM: 0xFA}, // FSQRT
		{Opcode: 0xD9, ModRM: 0xFB}, // FSINCOS (and FSTP to rebalance)
		{Opcode: 0xDB, ModRM: 0xF1}, // FCOMI
	} {
		saved := f
		if n := testing.AllocsPerRun(50, func() {
			f = saved
			f.Exec(in, &r, m)
		}); n != 0 {
			t.Errorf("%s: %v allocations", Name(in), n)
		}
		f = saved
	}
}

func TestMMXAliasing(t *testing.T) {
	f := New()
	f.Push(One) // TOP = 7, R7 = 1.0
	f.SetMMX(7, 0x0123456789ABCDEF)
	if f.Top() != 0 || f.TW != 0 || f.R[7] != ext(0xFFFF, 0x0123456789ABCDEF) || f.MMX(7) != 0x0123456789ABCDEF {
		t.Errorf("after SetMMX: top %d tw %04x r7 %v", f.Top(), f.TW, f.R[7])
	}
	// MM7 read back through the x87 is ST(7) now that TOP is 0: a NaN.
	if f.ST(7).Class() != QNaN && f.ST(7).Class() != SNaN && f.ST(7).Class() != Unsupported {
		t.Errorf("ST(7) = %v (%v)", f.ST(7), f.ST(7).Class())
	}
	f.EMMS()
	if f.TW != 0xFFFF {
		t.Errorf("EMMS: tw %04x", f.TW)
	}
}

func TestDump(t *testing.T) {
	f := New()
	f.Push(One)
	want := "FCW=037f FSW=3800 [ST=7] FTW=80\n" +
		"FPR0=0000000000000000 0000 FPR1=0000000000000000 0000\n" +
		"FPR2=0000000000000000 0000 FPR3=0000000000000000 0000\n" +
		"FPR4=0000000000000000 0000 FPR5=0000000000000000 0000\n" +
		"FPR6=0000000000000000 0000 FPR7=8000000000000000 3fff\n"
	if got := f.Dump(); got != want {
		t.Errorf("Dump:\n%s\nwant\n%s", got, want)
	}
}

// TestConcurrentFirstUse: the constant and kernel tables are built on
// first use; engines on several goroutines may get there together (run
// with -race to check).
func TestConcurrentFirstUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f := New()
			f.Push(FromFloat64(float64(i) + 0.5))
			for _, m := range []byte{0xFE, 0xEB, 0xF0, 0xFF} { // FSIN, FLDPI, F2XM1, FCOS
				f.Exec(Inst{Opcode: 0xD9, ModRM: m}, nil, nil)
			}
		}(i)
	}
	wg.Wait()
}
