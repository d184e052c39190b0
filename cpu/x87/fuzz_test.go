package x87

import (
	"errors"
	"math/rand"
	"testing"
)

// stateFrom builds an arbitrary FPU state, pending exceptions included,
// from fuzz input.
func stateFrom(b []byte) FPU {
	var f FPU
	get := func(n int) uint64 {
		var v uint64
		for i := 0; i < n && len(b) > 0; i++ {
			v |= uint64(b[0]) << (8 * i)
			b = b[1:]
		}
		return v
	}
	f.CW = uint16(get(2))
	f.SW = uint16(get(2))
	f.TW = uint16(get(2))
	for i := range f.R {
		f.R[i] = Ext80{Sig: get(8), Se: uint16(get(2))}
	}
	return f
}

// checkExec runs one instruction and checks what must always hold.
func checkExec(t *testing.T, f FPU, in Inst, mem []byte, fault bool) {
	m := &bufMem{b: mem}
	if fault {
		m.fault = errFault
	}
	before := f
	r := Regs{EFlags: 0x2}
	err := f.Exec(in, &r, m)
	switch {
	case err == nil:
	case errors.Is(err, ErrUD), errors.Is(err, errFault):
		if f != before {
			t.Fatalf("%02x %02x: state changed on %v", in.Opcode, in.ModRM, err)
		}
	default:
		t.Fatalf("%02x %02x: unexpected error %v", in.Opcode, in.ModRM, err)
	}
	if f.buf != [108]byte{} {
		t.Fatalf("%02x %02x: staging buffer left dirty", in.Opcode, in.ModRM)
	}
	// Whenever an instruction changes the flags or the masks, ES and B
	// end up saying whether an unmasked flag is set.
	if f.SW&0x7F != before.SW&0x7F || f.CW != before.CW {
		pending := f.SW&^f.CW&swExceptions != 0
		if (f.SW&SWES != 0) != pending || (f.SW&SWB != 0) != pending {
			t.Fatalf("%02x %02x: sw %04x cw %04x: ES/B wrong", in.Opcode, in.ModRM, f.SW, f.CW)
		}
	}
}

// FuzzExec: Exec never panics, whatever the encoding, state, operand or
// accessor outcome.
func FuzzExec(f *testing.F) {
	f.Add(byte(0xD8), byte(0xC1), false, make([]byte, 128))
	f.Add(byte(0xD9), byte(0xFE), false, []byte{0x7F, 0x03, 0, 0x38, 0, 0})
	f.Add(byte(0xDD), byte(0x20), false, make([]byte, 200))
	f.Add(byte(0xDF), byte(0x30), true, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, op, modrm byte, fault bool, data []byte) {
		st := stateFrom(data)
		mem := make([]byte, 108)
		if len(data) > 86 {
			copy(mem, data[86:])
		}
		flags := byte(0)
		if len(data) > 0 {
			flags = data[len(data)-1]
		}
		in := Inst{Opcode: 0xD8 | op&7, ModRM: modrm, Op16: flags&1 != 0, Real: flags&2 != 0}
		checkExec(t, st, in, mem, fault)
	})
}

// TestExecNeverPanics runs every encoding on random states (including
// pending exceptions and garbage control words) with random operands.
func TestExecNeverPanics(t *testing.T) {
	r := rand.New(rand.NewSource(10))
	n := 40
	if testing.Short() {
		n = 5
	}
	for op := 0xD8; op <= 0xDF; op++ {
		for m := 0; m < 256; m++ {
			for i := 0; i < n; i++ {
				data := make([]byte, 200)
				r.Read(data)
				st := stateFrom(data)
				if i%2 == 0 {
					st = randState(r)
				}
				mem := make([]byte, 108)
				r.Read(mem)
				in := Inst{Opcode: byte(op), ModRM: byte(m), Op16: i&4 != 0, Real: i&8 != 0}
				checkExec(t, st, in, mem, i%7 == 0)
			}
		}
	}
}
