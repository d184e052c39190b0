package interp

import (
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// benchLoop is 16-bit real-mode code at 0000:1000, a register/ALU mix with
// some memory traffic, looping forever:
//
//	top: mov ax, bx       ; 89 D8
//	     add ax, cx       ; 01 C8
//	     xor dx, ax       ; 31 C2
//	     sub bx, 3        ; 83 EB 03
//	     inc si           ; 46
//	     shl di, 1        ; D1 E7
//	     and di, 0x7FFE   ; 81 E7 FE 7F
//	     mov [si+0x2000], al ; 88 84 00 20
//	     mov bp, [si+0x2000] ; 8B AC 00 20
//	     cmp si, 0x0FFF   ; 81 FE FF 0F
//	     jb  top          ; 72 xx
//	     xor si, si       ; 31 F6
//	     jmp top          ; EB xx
var benchLoop = []byte{
	0x89, 0xD8,
	0x01, 0xC8,
	0x31, 0xC2,
	0x83, 0xEB, 0x03,
	0x46,
	0xD1, 0xE7,
	0x81, 0xE7, 0xFE, 0x7F,
	0x88, 0x84, 0x00, 0x20,
	0x8B, 0xAC, 0x00, 0x20,
	0x81, 0xFE, 0xFF, 0x0F,
	0x72, 0x00, // patched
	0x31, 0xF6,
	0xEB, 0x00, // patched
}

func benchMachine(b *testing.B, m cpu.Model) *CPU {
	code := append([]byte(nil), benchLoop...)
	code[29] = 0x100 - 30 // jb top: from offset 30 back to 0
	code[33] = 0x100 - 34 // jmp top
	ram := make([]byte, 1<<20)
	copy(ram[0x1000:], code)
	bs := bus.New()
	if err := bs.MapRAM(0, ram, false); err != nil {
		b.Fatal(err)
	}
	c := New(m, cpu.Env{Bus: bs})
	s := c.State()
	s.SetRealSeg(cpu.CS, 0)
	s.SetRealSeg(cpu.DS, 0)
	s.SetRealSeg(cpu.SS, 0)
	s.EIP = 0x1000
	s.Regs[cpu.ESP] = 0x8000
	return c
}

// BenchmarkInterp reports ns per retired instruction on the loop above.
func BenchmarkInterp(b *testing.B) {
	for _, m := range []cpu.Model{cpu.Model8086, cpu.Model286, cpu.ModelP2} {
		b.Run(m.String(), func(b *testing.B) {
			c := benchMachine(b, m)
			ctx := context.Background()
			const chunk = 1 << 20
			b.ResetTimer()
			var n uint64
			for i := 0; i < b.N; i++ {
				exit, err := c.Run(ctx, chunk)
				if err != nil {
					b.Fatal(err)
				}
				n += exit.Cycles
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/inst")
		})
	}
}
