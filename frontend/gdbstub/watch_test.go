package gdbstub

import (
	"fmt"
	"testing"

	"ringzero/cpu"
)

// memTarget is a Target over a byte slice, linear = physical.
type memTarget struct {
	s   cpu.State
	mem []byte
}

func (t *memTarget) State() *cpu.State           { return &t.s }
func (t *memTarget) SetState(s *cpu.State) error { t.s = *s; return nil }
func (t *memTarget) ReadLinear(a uint32, b []byte) (int, error) {
	return copy(b, t.mem[min(int(a), len(t.mem)):]), nil
}
func (t *memTarget) WriteLinear(a uint32, b []byte) (int, error) {
	return copy(t.mem[min(int(a), len(t.mem)):], b), nil
}

func TestReadsFindsWhatAnInstructionReads(t *testing.T) {
	const (
		ds  = 0x10000
		es  = 0x20000
		ss  = 0x30000
		bx  = 0x100
		si  = 0x200
		di  = 0x300
		sp  = 0x400
		bp  = 0x500
		eip = 0x1000
	)
	cases := []struct {
		name   string
		code   []byte
		code32 bool
		want   []span
	}{
		{"mov ax, [bx]", []byte{0x8B, 0x07}, false, []span{{ds + bx, 2}}},
		{"mov al, es:[bx]", []byte{0x26, 0x8A, 0x07}, false, []span{{es + bx, 1}}},
		{"mov [bx], ax (a store)", []byte{0x89, 0x07}, false, nil},
		{"mov word [bx], 1 (a store)", []byte{0xC7, 0x07, 1, 0}, false, nil},
		{"lea ax, [bx] (no access)", []byte{0x8D, 0x07}, false, nil},
		{"add [bx], al (read-modify-write)", []byte{0x00, 0x07}, false, []span{{ds + bx, 1}}},
		{"push word [bx]", []byte{0xFF, 0x37}, false, []span{{ds + bx, 2}}},
		{"les ax, [bx]", []byte{0xC4, 0x07}, false, []span{{ds + bx, 4}}},
		{"sgdt [bx] (a store)", []byte{0x0F, 0x01, 0x07}, false, nil},
		{"fld dword [bx]", []byte{0xD9, 0x07}, false, []span{{ds + bx, 10}}},
		{"fstp dword [bx] (a store)", []byte{0xD9, 0x1F}, false, nil},
		{"movsb", []byte{0xA4}, false, []span{{ds + si, 1}}},
		{"cmpsw", []byte{0xA7}, false, []span{{ds + si, 2}, {es + di, 2}}},
		{"scasb", []byte{0xAE}, false, []span{{es + di, 1}}},
		{"stosw (a store)", []byte{0xAB}, false, nil},
		{"xlat", []byte{0xD7}, false, []span{{ds + bx + 0x12, 1}}},
		{"pop ax", []byte{0x58}, false, []span{{ss + sp, 2}}},
		{"ret", []byte{0xC3}, false, []span{{ss + sp, 2}}},
		{"iret", []byte{0xCF}, false, []span{{ss + sp, 6}}},
		{"leave", []byte{0xC9}, false, []span{{ss + bp, 2}}},
		{"mov eax, [ebx] (32-bit)", []byte{0x8B, 0x03}, true, []span{{ds + bx, 4}}},
		{"mov eax, [0x2000] (moffs)", []byte{0xA1, 0, 0x20, 0, 0}, true, []span{{ds + 0x2000, 4}}},
		{"mov [0x2000], eax (a store)", []byte{0xA3, 0, 0x20, 0, 0}, true, nil},
		{"nop", []byte{0x90}, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tg := &memTarget{mem: make([]byte, 0x2000)}
			copy(tg.mem[eip:], tc.code)
			s := &tg.s
			s.Reset(cpu.ModelP2)
			s.Seg[cpu.CS] = cpu.Segment{Base: 0, Limit: 0xFFFF, Attr: cpu.RealModeAttr | cpu.AttrCode}
			s.Seg[cpu.DS].Base, s.Seg[cpu.ES].Base, s.Seg[cpu.SS].Base = ds, es, ss
			if tc.code32 {
				s.CR[0] |= cpu.CR0PE
				s.Seg[cpu.CS].Attr |= cpu.AttrDB
				s.Seg[cpu.SS].Attr |= cpu.AttrDB
			}
			s.EIP = eip
			s.Regs[cpu.EBX], s.Regs[cpu.ESI], s.Regs[cpu.EDI], s.Regs[cpu.ESP], s.Regs[cpu.EBP], s.Regs[cpu.EAX] = bx, si, di, sp, bp, 0x12
			got := reads(tg, cpu.ModelP2)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("reads %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSpanOverlaps(t *testing.T) {
	s := span{0x100, 4}
	for _, c := range []struct {
		addr, n uint32
		want    bool
	}{{0xFC, 4, false}, {0xFD, 4, true}, {0x103, 1, true}, {0x104, 8, false}, {0, 0x1000, true}, {0xFFFFFFFF, 2, false}} {
		if got := s.overlaps(c.addr, c.n); got != c.want {
			t.Errorf("%v overlaps %#x+%d: %v, want %v", s, c.addr, c.n, got, c.want)
		}
	}
}
