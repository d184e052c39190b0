package decode_test

import (
	"bytes"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// fuzzModels are the models FuzzDecode runs every input on.
var fuzzModels = []cpu.Model{cpu.Model8086, cpu.Model186, cpu.Model286, cpu.Model386, cpu.ModelP2}

// fuzzSeeds are interesting encodings: prefix storms, every ModRM/SIB
// displacement form, immediates of each kind, model aliases, and
// regression inputs found by fuzzing (keep them here, not in testdata).
var fuzzSeeds = [][]byte{
	{},
	{0x90},
	{0x0F},
	{0x0F, 0x0F},
	{0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x90},
	bytes.Repeat([]byte{0x26}, 300),
	append(bytes.Repeat([]byte{0xF3}, 254), 0xA4),
	{0x8B, 0x84, 0xC8, 0x11, 0x22, 0x33, 0x44},                   // SIB + disp32
	{0x8B, 0x04, 0x25, 0x11, 0x22, 0x33, 0x44},                   // SIB no base
	{0x67, 0x8B, 0x86, 0x34, 0x12},                               // 16-bit disp16
	{0x81, 0x84, 0xC8, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}, // disp32 + imm32
	{0x66, 0xEA, 0x78, 0x56, 0x34, 0x12, 0x00, 0xF0},             // far jump, 32-bit offset
	{0xC8, 0x10, 0x00, 0x01},                                     // ENTER
	{0xA1, 0x78, 0x56, 0x34, 0x12},                               // moffs
	{0x0F, 0x20, 0x18},                                           // MOV CR, mod ignored
	{0x0F, 0x01, 0x10},                                           // LGDT
	{0x0F, 0xC7, 0x0F},                                           // CMPXCHG8B
	{0xD3, 0x20},                                                 // shift by CL, memory
	{0xF6, 0xC8, 0x12},                                           // TEST alias
	{0xFE, 0x18},                                                 // 8086 CALLF Eb
	{0x8E, 0xF0},                                                 // MOV Sw, reg 6
	{0x60, 0xFE},                                                 // 8086 Jcc alias / PUSHA
	{0xC0, 0x34, 0x12},                                           // 8086 RET alias / shift
	{0xF1, 0xFE, 0x07},                                           // 8086 LOCK alias
	{0xD8, 0x05, 0x11, 0x22, 0x33, 0x44},                         // x87
	{0x66, 0x0F, 0x84, 0x00, 0x00, 0x01, 0x00},                   // Jcc rel32 (16-bit code)
}

// FuzzDecode checks, for any bytes, every model and both code sizes, that
// DecodeInto never panics, that a decoded length lies in [1, len(input)]
// and within the model's limit, that the result depends only on the
// instruction's own bytes (deterministic, independent of what follows and
// of the Inst's previous contents), and that one byte less is truncated.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range fuzzModels {
			for _, code32 := range []bool{false, true} {
				checkDecode(t, b, decode.Mode{Model: m, Code32: code32})
			}
		}
	})
}

// TestDecodeInvariantsEveryOpcode runs FuzzDecode's checks on every
// one-byte and 0F opcode with a SIB/displacement/immediate tail, so plain
// `go test` covers every table row on every model.
func TestDecodeInvariantsEveryOpcode(t *testing.T) {
	var seeds [][]byte
	for opc := 0; opc < 512; opc++ {
		src := []byte{byte(opc), 0x84, 0x8D, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}
		if opc >= 256 {
			src = append([]byte{0x0F}, src...)
		}
		seeds = append(seeds, src)
	}
	for _, s := range seeds {
		for _, m := range fuzzModels {
			for _, code32 := range []bool{false, true} {
				checkDecode(t, s, decode.Mode{Model: m, Code32: code32})
			}
		}
	}
}

func checkDecode(t *testing.T, b []byte, mode decode.Mode) {
	t.Helper()
	var in decode.Inst
	err := decode.DecodeInto(&in, b, mode)
	// Decoding again into a dirty Inst gives the same answer.
	dirty := decode.Inst{Op: decode.NumOps - 1, Len: 0xFF, Prefixes: 0xFF, Seg: 7, HasMem: true,
		Base: 3, Index: 5, Scale: 3, Disp: 0xDEADBEEF, Imm: 0xCAFEBABE, Imm2: 0x1234, ModRM: 0xFF, LastPrefix: 9}
	err2 := decode.DecodeInto(&dirty, b, mode)
	if err != err2 || err == nil && in != dirty {
		t.Fatalf("% X %+v: not deterministic: %+v (%v) then %+v (%v)", b, mode, in, err, dirty, err2)
	}
	limit := mode.Model.MaxInstLen()
	if limit == 0 {
		limit = 255
	}
	switch err {
	case nil:
	case decode.ErrTruncated:
		if len(b) >= limit {
			t.Fatalf("% X %+v: ErrTruncated with %d bytes, limit %d", b, mode, len(b), limit)
		}
		return
	case decode.ErrTooLong:
		if len(b) < limit {
			t.Fatalf("% X %+v: ErrTooLong with only %d bytes, limit %d", b, mode, len(b), limit)
		}
		return
	default:
		t.Fatalf("% X %+v: unexpected error %v", b, mode, err)
	}
	n := int(in.Len)
	if n < 1 || n > len(b) || n > limit {
		t.Fatalf("% X %+v: Len %d outside [1, %d] or over limit %d", b, mode, n, len(b), limit)
	}
	if in.Op >= decode.NumOps || int(in.LastPrefix) >= n ||
		in.OpSize != 2 && in.OpSize != 4 || in.AdSize != 2 && in.AdSize != 4 ||
		in.Base != decode.NoReg && in.Base > 7 || in.Index != decode.NoReg && in.Index > 7 ||
		in.Scale > 3 || in.Seg > cpu.GS || in.DefSeg != cpu.DS && in.DefSeg != cpu.SS {
		t.Fatalf("% X %+v: bad fields %+v", b, mode, in)
	}
	if mode.Model < cpu.Model386 && (in.OpSize != 2 || in.AdSize != 2) {
		t.Fatalf("% X %+v: 32-bit sizes before the 386: %+v", b, mode, in)
	}
	// The instruction's own bytes decode the same; one byte less is
	// truncated.
	var again decode.Inst
	if err := decode.DecodeInto(&again, b[:n], mode); err != nil || again != in {
		t.Fatalf("% X %+v: own %d bytes decode to %+v (%v), want %+v", b, mode, n, again, err, in)
	}
	if err := decode.DecodeInto(&again, b[:n-1], mode); err != decode.ErrTruncated {
		t.Fatalf("% X %+v: %d of %d bytes: err %v, want ErrTruncated", b, mode, n-1, n, err)
	}
}
