package x87

import "testing"

// TestAbridgedTag follows the SDM's example (FXSAVE, "Field Definitions"):
// tags R7..R0 = 11 xx xx xx 11 11 11 11 save as 01110000b.
func TestAbridgedTag(t *testing.T) {
	f := New()
	f.TW = 0xC0FF | TagZero<<8 | TagSpecial<<10 | TagValid<<12
	if got := f.AbridgedTag(); got != 0x70 {
		t.Errorf("abridged tag %#02x, want 0x70", got)
	}
}

// TestFXRstorRetags: FXRSTOR rebuilds the full tag of each register the
// abridged word marks valid from the register's contents (SDM Vol. 2A,
// FXSAVE, "Recreating FSAVE Format"), and keeps the others empty.
func TestFXRstorRetags(t *testing.T) {
	var f FPU
	f.R[0] = Ext80{Se: 0x3FFF, Sig: 1 << 63}            // 1.0: valid
	f.R[1] = Ext80{Se: 0x8000}                          // -0: zero
	f.R[2] = Ext80{Se: 0x0000, Sig: 1}                  // denormal: special
	f.R[3] = Ext80{Se: 0x7FFF, Sig: 0xC000000000000000} // NaN: special
	f.R[4] = Ext80{Se: 0xFFFF, Sig: 0x1234}             // an MMX value: special
	f.R[5] = Ext80{Se: 0x4000, Sig: 0x1234}             // unnormal: special
	f.R[6] = Ext80{Se: 0x3FFF, Sig: 1 << 63}            // tagged empty below
	f.TW = 0x0000 | TagEmpty<<12 | TagEmpty<<14         // R6, R7 empty
	f.CW = CWDefault
	b := make([]byte, FXSaveSize)
	for i := range b {
		b[i] = 0x5A
	}
	f.FXSave(b, false)
	if b[4] != 0x3F || b[5] != 0 || b[24] != 0x5A || b[31] != 0x5A || b[160] != 0x5A {
		t.Errorf("FTW %#02x, byte 5 %#02x, MXCSR bytes %#02x %#02x, byte 160 %#02x", b[4], b[5], b[24], b[31], b[160])
	}
	var g FPU
	g.FXRstor(b, false)
	want := uint16(TagValid | TagZero<<2 | TagSpecial<<4 | TagSpecial<<6 | TagSpecial<<8 | TagSpecial<<10 | TagEmpty<<12 | TagEmpty<<14)
	if g.TW != want {
		t.Errorf("tag word %#04x, want %#04x", g.TW, want)
	}
	if g.R != f.R || g.CW != f.CW {
		t.Errorf("registers or control word differ after the round trip")
	}
}

// TestFXSaveOp16 stores and loads 16-bit offsets with a 16-bit operand
// size (SDM: "16-bit mode — low 16 bits are IP offset; high 16 bits are
// reserved").
func TestFXSaveOp16(t *testing.T) {
	f := New()
	f.FIP, f.FDP = 0x12345678, 0x9ABCDEF0
	b := make([]byte, FXSaveSize)
	f.FXSave(b, true)
	if get32(b[8:]) != 0x5678 || get32(b[16:]) != 0xDEF0 {
		t.Errorf("FPU IP %#x, DP %#x", get32(b[8:]), get32(b[16:]))
	}
	put32(b[8:], 0xFFFF1111)
	f.FXRstor(b, true)
	if f.FIP != 0x1111 {
		t.Errorf("FIP %#x after a 16-bit FXRSTOR, want 0x1111", f.FIP)
	}
}
