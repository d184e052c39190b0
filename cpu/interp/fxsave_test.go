package interp

import (
	"bytes"
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/x87"
)

// fxState is an x87 state with every FXSAVE field distinct: TOP 5,
// ST0 = R5 = 1.0 (valid), ST1 = R6 = +0 (zero), ST2 = R7 = an MMX value
// (special), R0-R4 empty.
func fxState() x87.FPU {
	f := x87.New()
	f.CW = 0x0273
	f.SW = 5<<11 | x87.SWC1 | x87.SWPE
	f.R[5] = x87.Ext80{Se: 0x3FFF, Sig: 0x8000000000000000}
	f.R[6] = x87.Ext80{}
	f.R[7] = x87.Ext80{Se: 0xFFFF, Sig: 0x0123456789ABCDEF}
	f.R[0] = x87.Ext80{Se: 0x4000, Sig: 0xC000000000000000} // empty, but kept
	f.TW = 0xFFFF&^(3<<10|3<<12|3<<14) | x87.TagZero<<12 | x87.TagSpecial<<14
	f.FIP, f.FCS, f.FOP = 0x12345678, 0x1B2B, 0x5DC
	f.FDP, f.FDS = 0x9ABCDEF0, 0x2233
	return f
}

// TestFXSAVELayout checks the image byte by byte (SDM Vol. 2A, FXSAVE,
// the non-64-bit layout) with both operand sizes in real mode: the MXCSR
// fields and bytes 160-511 are left as they were (no SSE), reserved
// bytes are zero, and the 16-bit form stores 16-bit offsets.
func TestFXSAVELayout(t *testing.T) {
	for _, op32 := range []bool{true, false} {
		code := []byte{0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT} // fxsave [0x2000]
		if op32 {
			code = append([]byte{0x66}, code...)
		}
		c, ram := realMachine(t, cpu.ModelP2, code)
		for i := 0x2000; i < 0x2200; i++ {
			ram[i] = 0xAA
		}
		s := c.State()
		s.FPU = fxState()
		before := s.FPU
		if v := run(t, c); v != -1 {
			t.Fatalf("op32=%v: exception %d", op32, v)
		}
		if s.FPU != before {
			t.Errorf("op32=%v: FXSAVE changed the FPU", op32)
		}
		want := []byte{
			0x73, 0x02, // FCW
			0x20, 0x2A, // FSW: TOP 5, C1, PE
			0xE0,       // abridged FTW: R5, R6, R7
			0x00,       // reserved
			0xDC, 0x05, // FOP
			0x78, 0x56, 0x34, 0x12, // FPU IP
			0x2B, 0x1B, // CS
			0x00, 0x00,
			0xF0, 0xDE, 0xBC, 0x9A, // FPU DP
			0x33, 0x22, // DS
			0x00, 0x00,
			0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, // MXCSR, MXCSR_MASK: untouched
		}
		if !op32 {
			copy(want[8:], []byte{0x78, 0x56, 0x00, 0x00})
			copy(want[16:], []byte{0xF0, 0xDE, 0x00, 0x00})
		}
		regs := [8][]byte{
			{0, 0, 0, 0, 0, 0, 0, 0x80, 0xFF, 0x3F},                      // ST0 = R5 = 1.0
			{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},                               // ST1 = R6 = +0
			{0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01, 0xFF, 0xFF}, // ST2 = R7
			{0, 0, 0, 0, 0, 0, 0, 0xC0, 0x00, 0x40},                      // ST3 = R0, empty: stored anyway
		}
		for i := 0; i < 8; i++ {
			r := make([]byte, 16)
			copy(r, regs[i])
			want = append(want, r...)
		}
		for len(want) < 512 {
			want = append(want, 0xAA)
		}
		got := ram[0x2000:0x2200]
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("op32=%v: byte %d = %#02x, want %#02x", op32, i, got[i], want[i])
			}
		}
	}
}

// TestFXRSTORRoundTrip: FXRSTOR of an FXSAVE image gives the state
// back, with the full tag word recomputed from the abridged one; a
// pending exception in the loaded FSW is not reported by FXRSTOR.
func TestFXRSTORRoundTrip(t *testing.T) {
	code := []byte{
		0x66, 0x0F, 0xAE, 0x06, 0x00, 0x20, // fxsave [0x2000]
		0xDB, 0xE3, // fninit
		0x66, 0x0F, 0xAE, 0x0E, 0x00, 0x20, // fxrstor [0x2000]
		opHLT,
	}
	c, _ := realMachine(t, cpu.ModelP2, code)
	s := c.State()
	s.FPU = fxState()
	s.FPU.SetCW(0x0272) // IM clear, IE set below: pending
	s.FPU.SW |= x87.SWIE | x87.SWES | x87.SWB
	s.CR[0] |= cpu.CR0NE
	want := s.FPU
	if v := run(t, c); v != -1 {
		t.Fatalf("exception %d", v)
	}
	if s.FPU != want {
		t.Errorf("after FXSAVE, FNINIT, FXRSTOR:\n%s\nwant\n%s", s.FPU.Dump(), want.Dump())
	}
}

// TestFXSAVEFaults: #UD for a register operand and CR0.EM, #NM for
// CR0.TS, #GP(0) unless 16-byte aligned, #UD on models without FXSR.
func TestFXSAVEFaults(t *testing.T) {
	cases := []struct {
		name  string
		model cpu.Model
		code  []byte
		cr0   uint32
		want  int
	}{
		{"fxsave [0x2000]", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT}, 0, -1},
		{"fxsave [0x2008]", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x08, 0x20, opHLT}, 0, cpu.VecGP},
		{"fxrstor [0x2001]", cpu.ModelP2, []byte{0x0F, 0xAE, 0x0E, 0x01, 0x20, opHLT}, 0, cpu.VecGP},
		{"fxsave [0xFE00]: up to FFFF", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x00, 0xFE, opHLT}, 0, -1},
		{"fxsave [0xFE10]: past the limit", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x10, 0xFE, opHLT}, 0, cpu.VecGP},
		{"fxsave eax", cpu.ModelP2, []byte{0x0F, 0xAE, 0xC0, opHLT}, 0, cpu.VecUD},
		{"CR0.EM", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT}, cpu.CR0EM, cpu.VecUD},
		{"CR0.TS", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT}, cpu.CR0TS, cpu.VecNM},
		{"fxrstor, CR0.TS", cpu.ModelP2, []byte{0x0F, 0xAE, 0x0E, 0x00, 0x20, opHLT}, cpu.CR0TS, cpu.VecNM},
		{"CR0.TS misaligned", cpu.ModelP2, []byte{0x0F, 0xAE, 0x06, 0x08, 0x20, opHLT}, cpu.CR0TS, cpu.VecNM},
		{"lock fxsave", cpu.ModelP2, []byte{0xF0, 0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT}, 0, cpu.VecUD},
		{"Pentium", cpu.ModelPentium, []byte{0x0F, 0xAE, 0x06, 0x00, 0x20, opHLT}, 0, cpu.VecUD},
	}
	for _, tc := range cases {
		c, ram := realMachine(t, tc.model, tc.code)
		c.State().CR[0] |= tc.cr0
		if got := run(t, c); got != tc.want {
			t.Errorf("%s: vector %d, want %d", tc.name, got, tc.want)
		}
		if tc.want >= 0 && !bytes.Equal(ram[0x2000:0x2010], make([]byte, 16)) {
			t.Errorf("%s: the faulting FXSAVE wrote", tc.name)
		}
	}
}

// TestFXSAVEPageFault: an area running into a page that is not present
// faults before anything is written.
func TestFXSAVEPageFault(t *testing.T) {
	// fxsave [0x8F00]: bytes 0x8F00-0x90FF, the second page missing.
	c, ram := pagedMachine(t, cpu.ModelP2, []byte{0x0F, 0xAE, 0x05, 0x00, 0x8F, 0x00, 0x00}, 0x9000)
	c.Run(context.Background(), 100)
	s := c.State()
	if s.EIP != 0x5001 || s.CR[2] != 0x9000 {
		t.Fatalf("EIP %#x CR2 %#x, want the #PF handler for 0x9000", s.EIP, s.CR[2])
	}
	if !bytes.Equal(ram[0x8F00:0x9000], make([]byte, 0x100)) {
		t.Error("the faulting FXSAVE wrote to the present page")
	}
}

// TestCPUIDMMXFXSR: the Pentium II is a model 5 (Deschutes) with MMX and
// FXSR, and CR4.OSFXSR is writable; the Pentium has neither.
func TestCPUIDMMXFXSR(t *testing.T) {
	code := []byte{
		0x66, 0xB8, 0x01, 0x00, 0x00, 0x00, // mov eax, 1
		0x0F, 0xA2, // cpuid
		0x66, 0xB9, 0x00, 0x02, 0x00, 0x00, // mov ecx, 0x200 (OSFXSR)
		0x0F, 0x22, 0xE1, // mov cr4, ecx
		opHLT,
	}
	for _, tc := range []struct {
		model   cpu.Model
		sig     uint32
		feat    bool
		cr4Vec  int
		cr4Want uint32
	}{
		{cpu.ModelP2, 0x0652, true, -1, 0x200},
		{cpu.ModelPentium, 0x0543, false, cpu.VecGP, 0},
	} {
		c, _ := realMachine(t, tc.model, code)
		v := run(t, c)
		s := c.State()
		if s.Regs[cpu.EAX] != tc.sig {
			t.Errorf("%v: signature %#x, want %#x", tc.model, s.Regs[cpu.EAX], tc.sig)
		}
		const mmxFXSR = 1<<23 | 1<<24
		const cmov = 1 << 15 // kept on the Pentium II
		if got := s.Regs[cpu.EDX]&mmxFXSR == mmxFXSR; got != tc.feat || tc.feat && s.Regs[cpu.EDX]&cmov == 0 {
			t.Errorf("%v: CPUID.1:EDX = %#x", tc.model, s.Regs[cpu.EDX])
		}
		if v != tc.cr4Vec || s.CR[4] != tc.cr4Want {
			t.Errorf("%v: MOV CR4 with OSFXSR: vector %d, CR4 %#x", tc.model, v, s.CR[4])
		}
		if tc.model == cpu.ModelP2 && tc.model.ResetEDX() != tc.sig {
			t.Errorf("reset EDX %#x differs from the CPUID signature", tc.model.ResetEDX())
		}
	}
}
