package interp

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/x87"
	"ringzero/devices/bus"
)

// The expected values below are worked out by hand from the SDM's
// pseudo-code for each instruction (Vol. 2), lane by lane, high lane
// first in the comments.

func TestMMXArithmetic(t *testing.T) {
	cases := []struct {
		name    string
		f       func(d, s uint64) uint64
		d, s, w uint64
	}{
		// Wrapping: 01+01 02+FF 03+FE 04+FC FF+01 80+80 7F+01 00+00.
		{"PADDB", padd8, 0x01020304FF807F00, 0x01FFFEFC01800100, 0x0201010000008000},
		{"PADDW", padd16, 0xFFFF800012340001, 0x000180001111FFFF, 0x0000000023450000},
		{"PADDD", padd32, 0xFFFFFFFF7FFFFFFF, 0x0000000100000001, 0x0000000080000000},
		{"PSUBB", psub8, 0x0001020304050607, 0x0101010101010101, 0xFF00010203040506},
		{"PSUBW", psub16, 0x000080000001FFFF, 0x000100010002FFFF, 0xFFFF7FFFFFFF0000},
		{"PSUBD", psub32, 0x0000000080000000, 0x0000000100000001, 0xFFFFFFFF7FFFFFFF},
		// Signed saturation: 7F+01→7F, 80+FF→80, 7F+7F→7F, 80+80→80,
		// 40+40→7F, C0+C0→80 (-128 exactly), 01+FF→0, FF+01→0.
		{"PADDSB", padds8, 0x7F807F8040C001FF, 0x01FF7F8040C0FF01, 0x7F807F807F800000},
		{"PADDSW", padds16, 0x7FFF80000001FFFF, 0x0001FFFF7FFF8000, 0x7FFF80007FFF8000},
		// 80-01→80, 7F-FF→7F, 00-80→7F, 00-7F→81, 01-80→7F, FF-7F→80,
		// 80-80→00, 7F-7F→00.
		{"PSUBSB", psubs8, 0x807F000001FF807F, 0x01FF807F807F807F, 0x807F7F817F800000},
		{"PSUBSW", psubs16, 0x80007FFF00000005, 0x0001FFFF80000007, 0x80007FFF7FFFFFFE},
		// Unsigned saturation.
		{"PADDUSB", paddus8, 0xFF807F0001FE8010, 0x01808000FE017F20, 0xFFFFFF00FFFFFF30},
		{"PADDUSW", paddus16, 0xFFFF80007FFF0001, 0x0001800080000002, 0xFFFFFFFFFFFF0003},
		{"PSUBUSB", psubus8, 0x0010FF807F010205, 0x010FFF817E020105, 0x0001000001000100},
		{"PSUBUSW", psubus16, 0x0000FFFF80001234, 0x0001000180010234, 0x0000FFFE00001000},
		// 8000·8000 = 40000000h, 7FFF·7FFF = 3FFF0001h, (-1)(-1) = 1,
		// 3·(-2) = FFFFFFFAh.
		{"PMULLW", pmullw, 0x80007FFFFFFF0003, 0x80007FFFFFFFFFFE, 0x000000010001FFFA},
		{"PMULHW", pmulhw, 0x80007FFFFFFF0003, 0x80007FFFFFFFFFFE, 0x40003FFF0000FFFF},
		// 8000·8000 + 8000·8000 = 80000000h (the one overflow, wraps);
		// 3·(-1) + 2·4 = 5.
		{"PMADDWD", pmaddwd, 0x8000800000020003, 0x800080000004FFFF, 0x8000000000000005},
		{"PCMPEQB", pcmpeq8, 0x0102030405060708, 0x0100030005000700, 0xFF00FF00FF00FF00},
		{"PCMPEQW", pcmpeq16, 0x123456789ABCDEF0, 0x123400009ABC0000, 0xFFFF0000FFFF0000},
		{"PCMPEQD", pcmpeq32, 0x1234567800000000, 0x1234567800000001, 0xFFFFFFFF00000000},
		// Signed: 7F>80, 80>7F no, 00>FF, 01>01 no, FF>00 no, 00>FF,
		// 10>0F, 10>11 no.
		{"PCMPGTB", pcmpgt8, 0x7F800001FF001010, 0x807FFF0100FF0F11, 0xFF00FF0000FFFF00},
		{"PCMPGTW", pcmpgt16, 0x80007FFF0000FFFF, 0x7FFF8000FFFF0000, 0x0000FFFFFFFF0000},
		{"PCMPGTD", pcmpgt32, 0x8000000000000001, 0x7FFFFFFFFFFFFFFF, 0x00000000FFFFFFFF},
		{"PAND", pand, 0xF0F0FF0012345678, 0xFF000FF0FFFF0000, 0xF0000F0012340000},
		{"PANDN", pandn, 0xF0F0F0F0F0F0F0F0, 0xFFFF0000FFFF0000, 0x0F0F00000F0F0000},
		{"POR", por, 0xF000000000000001, 0x0F00000000000010, 0xFF00000000000011},
		{"PXOR", pxor, 0xFFFF0000FFFF0000, 0x0F0F0F0F0F0F0F0F, 0xF0F00F0FF0F00F0F},
		// d words 0001 007F 0080 FF80 → 01 7F 7F 80; s words FF7F 7FFF
		// 8000 FFFF → 80 7F 80 FF (low lane first).
		{"PACKSSWB", packsswb, 0xFF800080007F0001, 0xFFFF80007FFFFF7F, 0xFF807F80807F7F01},
		// d 0001 00FF 0100 FFFF → 01 FF FF 00; s 8000 7FFF 0080 0000 →
		// 00 FF 80 00.
		{"PACKUSWB", packuswb, 0xFFFF010000FF0001, 0x000000807FFF8000, 0x0080FF0000FFFF01},
		// d 00008000 FFFF7FFF → 7FFF 8000; s 00001234 FFFFFFFE → 1234 FFFE.
		{"PACKSSDW", packssdw, 0xFFFF7FFF00008000, 0xFFFFFFFE00001234, 0xFFFE123480007FFF},
		{"PUNPCKLBW", punpcklbw, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBB44AA3399228811},
		{"PUNPCKHBW", punpckhbw, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFF88EE77DD66CC55},
		{"PUNPCKLWD", punpcklwd, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBBAA443399882211},
		{"PUNPCKHWD", punpckhwd, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFFEE8877DDCC6655},
		{"PUNPCKLDQ", punpckldq, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBBAA998844332211},
		{"PUNPCKHDQ", punpckhdq, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFFEEDDCC88776655},
	}
	for _, tc := range cases {
		if got := tc.f(tc.d, tc.s); got != tc.w {
			t.Errorf("%s %016X, %016X = %016X, want %016X", tc.name, tc.d, tc.s, got, tc.w)
		}
	}
}

// TestMMXShifts: the count is the whole quadword (or the imm8); counts
// at or past the element width give zeros, or copies of the sign bit
// for PSRAW/PSRAD.
func TestMMXShifts(t *testing.T) {
	const w = 0x800140020003FFFF
	cases := []struct {
		name    string
		f       func(d, n uint64) uint64
		d, n, w uint64
	}{
		{"PSLLW 1", psllw, w, 1, 0x000280040006FFFE},
		{"PSLLW 15", psllw, w, 15, 0x8000000080008000},
		{"PSLLW 16", psllw, w, 16, 0},
		{"PSLLW 2^32+1", psllw, w, 1<<32 | 1, 0},
		{"PSRLW 1", psrlw, w, 1, 0x4000200100017FFF},
		{"PSRLW 16", psrlw, w, 16, 0},
		{"PSRAW 1", psraw, w, 1, 0xC00020010001FFFF},
		{"PSRAW 16", psraw, w, 16, 0xFFFF00000000FFFF},
		{"PSRAW 200", psraw, w, 200, 0xFFFF00000000FFFF},
		{"PSRAW 2^63", psraw, w, 1 << 63, 0xFFFF00000000FFFF},
		{"PSLLD 1", pslld, 0x8000000100000003, 1, 0x0000000200000006},
		{"PSLLD 32", pslld, 0x8000000100000003, 32, 0},
		{"PSRLD 4", psrld, 0x8000000100000003, 4, 0x0800000000000000},
		{"PSRLD 33", psrld, 0x8000000100000003, 33, 0},
		{"PSRAD 31", psrad, 0x800000017FFFFFFF, 31, 0xFFFFFFFF00000000},
		{"PSRAD 32", psrad, 0x800000017FFFFFFF, 32, 0xFFFFFFFF00000000},
		{"PSLLQ 1", psllq, 0x8000000000000001, 1, 2},
		{"PSLLQ 63", psllq, 0x8000000000000001, 63, 0x8000000000000000},
		{"PSLLQ 64", psllq, 0x8000000000000001, 64, 0},
		{"PSRLQ 63", psrlq, 0x8000000000000001, 63, 1},
		{"PSRLQ 64", psrlq, 0x8000000000000001, 64, 0},
		{"PSRLQ 255", psrlq, 0x8000000000000001, 255, 0},
	}
	for _, tc := range cases {
		if got := tc.f(tc.d, tc.n); got != tc.w {
			t.Errorf("%s of %016X = %016X, want %016X", tc.name, tc.d, got, tc.w)
		}
	}
}

// realMachine is a real-mode CPU of model m with code at 0000:1000 and,
// for every vector v < 32, an IVT entry to 0000:0500+v holding HLT, so
// that an exception shows as the CPU halted at EIP 0501+v.
func realMachine(t *testing.T, m cpu.Model, code []byte) (*CPU, []byte) {
	t.Helper()
	ram := make([]byte, 1<<20)
	for v := 0; v < 32; v++ {
		binary.LittleEndian.PutUint16(ram[4*v:], uint16(0x500+v))
		ram[0x500+v] = 0xF4
	}
	copy(ram[0x1000:], code)
	b := bus.New()
	b.MapRAM(0, ram, false)
	c := New(m, cpu.Env{Bus: b})
	s := c.State()
	s.SetRealSeg(cpu.CS, 0)
	s.EIP, s.Regs[cpu.ESP] = 0x1000, 0xF000
	return c, ram
}

// run executes until HLT and returns the vector of the exception taken,
// or -1 when the code ran to its own HLT.
func run(t *testing.T, c *CPU) int {
	t.Helper()
	c.Run(context.Background(), 1000)
	s := c.State()
	if !s.Halted {
		t.Fatalf("did not halt: EIP %#x", s.EIP)
	}
	if s.EIP > 0x500 && s.EIP <= 0x520 {
		return int(s.EIP - 0x501)
	}
	return -1
}

const opHLT = 0xF4 // HLT

// TestMMXAliasing: MMn is the significand of physical register Rn, not
// of ST(n); writing it sets bits 64-79 to ones; every MMX instruction
// sets TOP to 0 and tags all registers valid, a read-only one too; EMMS
// empties the tag word. FIP, FOP and the rest of FSW stay.
func TestMMXAliasing(t *testing.T) {
	code := []byte{
		0xDB, 0xE3, // fninit
		0xD9, 0xE8, // fld1: TOP 7, R7 = 1.0
		0xD9, 0xEE, // fldz: TOP 6, R6 = +0
		opHLT,
		0x0F, 0x6F, 0xCF, // movq mm1, mm7 (reads R7's significand)
		opHLT,
		0x0F, 0x6E, 0xD0, // movd mm2, eax
		opHLT,
		0x0F, 0x77, // emms
		opHLT,
	}
	c, _ := realMachine(t, cpu.ModelP2, code)
	if v := run(t, c); v != -1 {
		t.Fatalf("exception %d", v)
	}
	f := &c.State().FPU
	fip, fop, sw := f.FIP, f.FOP, f.SW
	if f.Top() != 6 {
		t.Fatalf("TOP %d after two loads", f.Top())
	}
	c.State().Halted = false
	c.State().Regs[cpu.EAX] = 0x12345678
	run(t, c)
	if f.Top() != 0 || f.TW != 0 {
		t.Errorf("after MOVQ mm1, mm7: TOP %d TW %#04x, want 0 and 0000", f.Top(), f.TW)
	}
	if got := f.R[1]; got != (x87.Ext80{Se: 0xFFFF, Sig: 0x8000000000000000}) {
		t.Errorf("R1 = %04X:%016X, want FFFF:8000000000000000 (MM1 = R7's significand)", got.Se, got.Sig)
	}
	if f.R[7].Se != 0x3FFF || f.R[6] != (x87.Ext80{}) {
		t.Errorf("source registers changed: R7 %04X:%016X R6 %04X:%016X", f.R[7].Se, f.R[7].Sig, f.R[6].Se, f.R[6].Sig)
	}
	if f.FIP != fip || f.FOP != fop || f.SW&^x87.SWTOP != sw&^x87.SWTOP {
		t.Errorf("FIP %#x FOP %#x SW %#x, want %#x %#x and SW bits but TOP kept (%#x)", f.FIP, f.FOP, f.SW, fip, fop, sw)
	}
	c.State().Halted = false
	run(t, c)
	if got := c.State().FPU.MMX(2); got != 0x12345678 || f.R[2].Se != 0xFFFF {
		t.Errorf("MOVD mm2, eax: R2 = %04X:%016X", f.R[2].Se, got)
	}
	// EMMS after an x87 instruction that moved TOP.
	f.SW = f.SW&^x87.SWTOP | 3<<11
	c.State().Halted = false
	run(t, c)
	if f.TW != 0xFFFF || f.Top() != 0 {
		t.Errorf("after EMMS: TW %#04x TOP %d, want FFFF and 0", f.TW, f.Top())
	}
}

// TestMMXFaults: the order of #UD (a 66/F2/F3 prefix, a memory operand
// for a register-only form, CR0.EM), #NM (CR0.TS) and #MF (a pending x87
// exception, or FERR# with CR0.NE clear), and that a faulting MMX
// instruction leaves TOP and the tags alone.
func TestMMXFaults(t *testing.T) {
	paddb := []byte{0x0F, 0xFC, 0xC1, opHLT} // paddb mm0, mm1
	cases := []struct {
		name   string
		model  cpu.Model
		code   []byte
		cr0    uint32
		unmask bool // an unmasked x87 exception is pending
		want   int
	}{
		{"paddb", cpu.ModelP2, paddb, 0, false, -1},
		{"paddb on a Pentium (no MMX)", cpu.ModelPentium, paddb, 0, false, cpu.VecUD},
		{"66 paddb (SSE2)", cpu.ModelP2, append([]byte{0x66}, paddb...), 0, false, cpu.VecUD},
		{"F3 movq (SSE2 MOVQ xmm)", cpu.ModelP2, []byte{0xF3, 0x0F, 0x7E, 0xC1, opHLT}, 0, false, cpu.VecUD},
		{"F2 paddb", cpu.ModelP2, append([]byte{0xF2}, paddb...), 0, false, cpu.VecUD},
		{"lock paddb", cpu.ModelP2, append([]byte{0xF0}, paddb...), 0, false, cpu.VecUD},
		{"psrlw [bx], 1", cpu.ModelP2, []byte{0x0F, 0x71, 0x17, 0x01, opHLT}, 0, false, cpu.VecUD},
		{"CR0.EM", cpu.ModelP2, paddb, cpu.CR0EM, false, cpu.VecUD},
		{"CR0.TS", cpu.ModelP2, paddb, cpu.CR0TS, false, cpu.VecNM},
		{"CR0.EM and TS", cpu.ModelP2, paddb, cpu.CR0EM | cpu.CR0TS, false, cpu.VecUD},
		{"emms with CR0.TS", cpu.ModelP2, []byte{0x0F, 0x77, opHLT}, cpu.CR0TS, false, cpu.VecNM},
		{"CR0.MP alone", cpu.ModelP2, paddb, cpu.CR0MP, false, -1},
		{"pending, CR0.NE", cpu.ModelP2, paddb, cpu.CR0NE, true, cpu.VecMF},
		{"emms pending, CR0.NE", cpu.ModelP2, []byte{0x0F, 0x77, opHLT}, cpu.CR0NE, true, cpu.VecMF},
		{"pending, FERR#", cpu.ModelP2, paddb, 0, true, -1},
		{"TS before pending", cpu.ModelP2, paddb, cpu.CR0TS | cpu.CR0NE, true, cpu.VecNM},
	}
	for _, tc := range cases {
		ferr := false
		c, _ := realMachine(t, tc.model, tc.code)
		c.env.FERR = func(on bool) { ferr = on }
		s := c.State()
		s.CR[0] |= tc.cr0
		s.FPU.SW = 5 << 11 // TOP 5
		if tc.unmask {
			s.FPU.SetCW(0x037E) // IM clear
			s.FPU.SW |= x87.SWIE | x87.SWES | x87.SWB
		}
		got := run(t, c)
		if got != tc.want {
			t.Errorf("%s: vector %d, want %d", tc.name, got, tc.want)
		}
		if tc.want >= 0 && (s.FPU.Top() != 5 || s.FPU.TW != 0xFFFF) {
			t.Errorf("%s: the fault changed TOP (%d) or the tags (%#04x)", tc.name, s.FPU.Top(), s.FPU.TW)
		}
		if tc.unmask && tc.want == -1 && !ferr {
			t.Errorf("%s: FERR# not asserted", tc.name)
		}
	}
}

// TestMMXMemory: quadword loads and stores, unaligned; PUNPCKL reads 4
// bytes, the others 8, which the segment limit shows.
func TestMMXMemory(t *testing.T) {
	code := []byte{
		0x0F, 0x6F, 0x47, 0x01, // movq mm0, [bx+1]
		0x0F, 0x7F, 0x47, 0x11, // movq [bx+0x11], mm0
		0x0F, 0x7E, 0x47, 0x21, // movd [bx+0x21], mm0
		0x0F, 0x6E, 0x4F, 0x05, // movd mm1, [bx+5]
		0x0F, 0x60, 0x0E, 0xFC, 0xFF, // punpcklbw mm1, [0xFFFC]: 4 bytes, in the limit
		opHLT,
		0x0F, 0x68, 0x0E, 0xFC, 0xFF, // punpckhbw mm1, [0xFFFC]: 8 bytes, past it
		opHLT,
	}
	c, ram := realMachine(t, cpu.ModelP2, code)
	s := c.State()
	s.SetRealSeg(cpu.DS, 0x2000)
	s.Regs[cpu.EBX] = 0x100
	copy(ram[0x20101:], []byte{1, 2, 3, 4, 5, 6, 7, 8})
	copy(ram[0x2FFFC:], []byte{0xA1, 0xA2, 0xA3, 0xA4})
	if v := run(t, c); v != -1 {
		t.Fatalf("exception %d", v)
	}
	if got := ram[0x20111 : 0x20111+8]; !bytes.Equal(got, []byte{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("MOVQ store wrote % X", got)
	}
	if got := ram[0x20121 : 0x20121+5]; !bytes.Equal(got, []byte{1, 2, 3, 4, 0}) {
		t.Errorf("MOVD store wrote % X", got)
	}
	// mm1 = 08070605h, unpacked with A4A3A2A1h.
	if got := s.FPU.MMX(1); got != 0xA408A307A206A105 {
		t.Errorf("PUNPCKLBW from memory: %016X", got)
	}
	s.Halted = false
	if v := run(t, c); v != cpu.VecGP {
		t.Errorf("8-byte operand at FFFC: vector %d, want #GP", v)
	}
}

// TestMMXStorePageFault: a MOVQ store across a page boundary into a
// page that is not present writes nothing.
func TestMMXStorePageFault(t *testing.T) {
	// movq [0x8FFC], mm0
	c, ram := pagedMachine(t, cpu.ModelP2, []byte{0x0F, 0x7F, 0x05, 0xFC, 0x8F, 0x00, 0x00}, 0x9000)
	c.State().FPU.SetMMX(0, 0x1122334455667788)
	c.Run(context.Background(), 100)
	s := c.State()
	if s.EIP != 0x5001 || s.CR[2] != 0x9000 {
		t.Fatalf("EIP %#x CR2 %#x, want the #PF handler for 0x9000", s.EIP, s.CR[2])
	}
	if got := ram[0x8FFC:0x9000]; !bytes.Equal(got, []byte{0, 0, 0, 0}) {
		t.Errorf("the faulting store wrote % X", got)
	}
}
