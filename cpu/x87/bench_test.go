package x87

import (
	"math"
	"testing"
)

// benchFPU returns an FPU with two finite values on the stack.
func benchFPU() *FPU {
	f := New()
	f.Push(FromFloat64(math.Pi))
	f.Push(FromFloat64(1.0 / 3))
	return &f
}

func benchReg(b *testing.B, modrm byte) {
	f := benchFPU()
	saved := *f
	var r Regs
	in := Inst{Opcode: 0xD8, ModRM: modrm}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i&1023 == 0 {
			*f = saved // keep the values from drifting to 0 or infinity
		}
		f.Exec(in, &r, nil)
	}
}

// FADD ST(0),ST(1), FMUL ST(0),ST(1), FDIV ST(0),ST(1): the whole Exec
// path, decoding and status word included.
func BenchmarkFADD(b *testing.B) { benchReg(b, 0xC1) }
func BenchmarkFMUL(b *testing.B) { benchReg(b, 0xC9) }
func BenchmarkFDIV(b *testing.B) { benchReg(b, 0xF1) }

// FADD m64real through a Mem accessor.
func BenchmarkFADDm64(b *testing.B) {
	f := benchFPU()
	saved := *f
	var r Regs
	m := &bufMem{b: make([]byte, 8)}
	putLE(m.b, math.Float64bits(1e-3))
	in := Inst{Opcode: 0xDC, ModRM: 0x06}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i&1023 == 0 {
			*f = saved
		}
		f.Exec(in, &r, m)
	}
}

func BenchmarkFSQRT(b *testing.B) { benchD9(b, 0xFA) }
func BenchmarkFSIN(b *testing.B)  { benchD9(b, 0xFE) }

func benchD9(b *testing.B, modrm byte) {
	f := benchFPU()
	saved := *f
	var r Regs
	in := Inst{Opcode: 0xD9, ModRM: modrm}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		*f = saved
		f.Exec(in, &r, nil)
	}
}

func BenchmarkFCOS(b *testing.B)    { benchD9(b, 0xFF) }
func BenchmarkFSINCOS(b *testing.B) { benchD9(b, 0xFB) }
func BenchmarkFPTAN(b *testing.B)   { benchD9(b, 0xF2) }
func BenchmarkFPATAN(b *testing.B)  { benchD9(b, 0xF3) }
func BenchmarkF2XM1(b *testing.B)   { benchD9(b, 0xF0) }
func BenchmarkFYL2X(b *testing.B)   { benchD9(b, 0xF1) }
func BenchmarkFPREM(b *testing.B)   { benchD9(b, 0xF8) }

// FSIN of a large argument: the exact reduction by the 66-bit π.
func BenchmarkFSINLarge(b *testing.B) {
	f := New()
	f.Push(FromFloat64(1e15 + 0.5))
	saved := f
	var r Regs
	in := Inst{Opcode: 0xD9, ModRM: 0xFE}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f = saved
		f.Exec(in, &r, nil)
	}
}
