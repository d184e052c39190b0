package interp

import (
	"context"
	"encoding/binary"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// FuzzInterp runs arbitrary bytes as code from an arbitrary state on every
// model: the engine must never panic or return a host error, whatever the
// guest does (bad descriptors, wild jumps, faults inside faults).
func FuzzInterp(f *testing.F) {
	seeds := [][]byte{
		{0x90, 0xF4},
		{0xF3, 0xA4},                         // rep movsb
		{0x0F, 0x01, 0x16, 0, 0, 0xCC},       // lgdt, int3
		{0xFA, 0xF4},                         // cli; hlt
		{0x8E, 0xD0, 0xFF, 0xE0},             // mov ss,ax; jmp ax
		{0x0F, 0x22, 0xC0, 0xEA, 0, 0, 8, 0}, // mov cr0,eax; jmp far
		{0xCF, 0xCF, 0xCF},
		{0x66, 0x67, 0xF3, 0xAB},
		{0xF6, 0xF1}, // div cl
	}
	for _, s := range seeds {
		f.Add(s, uint64(0x12345678), uint8(6))
	}
	f.Fuzz(func(t *testing.T, code []byte, seed uint64, modelSel uint8) {
		if len(code) > 4096 {
			code = code[:4096]
		}
		models := []cpu.Model{cpu.Model8086, cpu.Model186, cpu.Model286, cpu.Model386, cpu.Model486, cpu.ModelPentium, cpu.ModelP2}
		m := models[int(modelSel)%len(models)]
		ram := make([]byte, 1<<20)
		// Fill memory with the code repeated, so jumps land on more of it.
		for i := 0; i < len(ram) && len(code) > 0; i += len(code) {
			copy(ram[i:], code)
		}
		b := bus.New()
		if err := b.MapRAM(0, ram, false); err != nil {
			t.Fatal(err)
		}
		c := New(m, cpu.Env{Bus: b})
		s := c.State()
		// An arbitrary but valid-shaped state derived from the seed.
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], seed)
		for i := range s.Regs {
			s.Regs[i] = uint32(seed>>(i*4)) * 0x9E3779B1
		}
		s.EFlags = uint32(seed)&0x0DD5 | 2
		if seed&(1<<40) != 0 && m >= cpu.Model286 {
			s.CR[0] |= cpu.CR0PE // protected mode with whatever GDT
			s.GDTR = cpu.DescTable{Base: uint32(seed>>8) & 0xFFFF0, Limit: uint32(seed>>24) & 0xFFFF}
			s.IDTR = cpu.DescTable{Base: uint32(seed>>12) & 0xFFFF0, Limit: uint32(seed>>32) & 0x7FF}
		}
		s.SetRealSeg(cpu.CS, 0)
		s.EIP = 0
		if _, err := c.Run(context.Background(), 2000); err != nil {
			t.Fatalf("model %v: host error: %v", m, err)
		}
	})
}
