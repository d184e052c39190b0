package decode_test

import (
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// benchCode32 is a compiler-like 32-bit instruction mix: frame setup,
// loads and stores through EBP/ESP and scaled indexes, ALU with small
// immediates, compares and branches, calls, string moves and a few
// system and 0F-map instructions.
var benchCode32 = []byte{
	0x55,       // push ebp
	0x89, 0xE5, // mov ebp, esp
	0x83, 0xEC, 0x18, // sub esp, 0x18
	0x53,             // push ebx
	0x8B, 0x45, 0x08, // mov eax, [ebp+8]
	0x8B, 0x4D, 0x0C, // mov ecx, [ebp+12]
	0x8B, 0x14, 0x88, // mov edx, [eax+ecx*4]
	0x8B, 0x9C, 0x88, 0x00, 0x01, 0x00, 0x00, // mov ebx, [eax+ecx*4+0x100]
	0x01, 0xD3, // add ebx, edx
	0x85, 0xC0, // test eax, eax
	0x74, 0x10, // je +16
	0x3B, 0x45, 0xF8, // cmp eax, [ebp-8]
	0x0F, 0x8C, 0x10, 0x00, 0x00, 0x00, // jl rel32
	0x8D, 0x44, 0x24, 0x04, // lea eax, [esp+4]
	0xC7, 0x45, 0xFC, 0x00, 0x00, 0x00, 0x00, // mov dword [ebp-4], 0
	0x0F, 0xB6, 0x08, // movzx ecx, byte [eax]
	0x41,                               // inc ecx
	0x81, 0xE1, 0xFF, 0x00, 0x00, 0x00, // and ecx, 0xff
	0xC1, 0xE0, 0x02, // shl eax, 2
	0x89, 0x04, 0x24, // mov [esp], eax
	0xE8, 0x00, 0x01, 0x00, 0x00, // call rel32
	0xF3, 0xA5, // rep movsd
	0x66, 0x89, 0x06, // mov [esi], ax
	0xA1, 0x00, 0x10, 0x00, 0x00, // mov eax, [0x1000]
	0x0F, 0x44, 0xC1, // cmove eax, ecx
	0xF0, 0x0F, 0xB1, 0x11, // lock cmpxchg [ecx], edx
	0xEC,       // in al, dx
	0x5B,       // pop ebx
	0xC9,       // leave
	0xC3,       // ret
	0xEB, 0xFE, // jmp $
}

// benchCode16 is a BIOS-like real-mode mix.
var benchCode16 = []byte{
	0xFA,       // cli
	0x31, 0xC0, // xor ax, ax
	0x8E, 0xD8, // mov ds, ax
	0xBC, 0x00, 0x7C, // mov sp, 0x7c00
	0xB4, 0x0E, // mov ah, 0x0e
	0xAC,       // lodsb
	0x08, 0xC0, // or al, al
	0x74, 0x04, // jz +4
	0xCD, 0x10, // int 0x10
	0xEB, 0xF7, // jmp -9
	0x26, 0x8B, 0x46, 0x02, // mov ax, es:[bp+2]
	0x89, 0x87, 0x34, 0x12, // mov [bx+0x1234], ax
	0xF3, 0xAB, // rep stosw
	0xE8, 0x10, 0x00, // call +16
	0x66, 0x50, // push eax
	0xE4, 0x60, // in al, 0x60
	0xEA, 0x00, 0x00, 0xFF, 0xFF, // jmp far ffff:0000
	0xC3, // ret
}

// BenchmarkDecode decodes realistic instruction streams and reports
// ns/inst (one decoded instruction per op).
func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct {
		name string
		code []byte
		mode decode.Mode
	}{
		{"p2-32", benchCode32, decode.Mode{Model: cpu.ModelP2, Code32: true}},
		{"p2-16", benchCode16, decode.Mode{Model: cpu.ModelP2}},
		{"8086", benchCode16[:len(benchCode16)-8], decode.Mode{Model: cpu.Model8086}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// Split the stream once so the loop decodes whole
			// instructions from 15-byte windows, as the interpreter does.
			var starts []int
			for p := 0; p < len(bc.code); {
				in, err := decode.Decode(bc.code[p:], bc.mode)
				if err != nil {
					b.Fatalf("offset %d: %v", p, err)
				}
				starts = append(starts, p)
				p += int(in.Len)
			}
			code := append(append([]byte{}, bc.code...), make([]byte, 15)...)
			var in decode.Inst
			b.ResetTimer()
			j := 0
			for i := 0; i < b.N; i++ {
				p := starts[j]
				if err := decode.DecodeInto(&in, code[p:p+15], bc.mode); err != nil {
					b.Fatal(err)
				}
				if j++; j == len(starts) {
					j = 0
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/inst")
		})
	}
}
