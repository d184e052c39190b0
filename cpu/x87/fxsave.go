package x87

// The FXSAVE/FXRSTOR image (SDM Vol. 2A, FXSAVE, "Non-64-bit-Mode
// Layout of FXSAVE and FXRSTOR Memory Region"): one layout in every
// operating mode, unlike FSAVE's four.
//
//	bytes   field
//	0-1     FCW
//	2-3     FSW (with TOP)
//	4       abridged FTW: bit i set when physical register Ri is not empty
//	5       reserved
//	6-7     FOP (low 11 bits)
//	8-11    FPU IP: the offset (16-bit mode: low 16 bits, high 16 reserved)
//	12-13   CS
//	14-15   reserved
//	16-19   FPU DP (16-bit mode: low 16 bits)
//	20-21   DS
//	22-23   reserved
//	24-27   MXCSR         } SSE state: a CPU without SSE has no MXCSR
//	28-31   MXCSR_MASK    } and no XMM registers, and leaves these alone
//	32-159  ST0-ST7 (stack order, as FSAVE), 10 bytes in each 16-byte slot
//	160-511 XMM0-7, reserved, available to software
//
// The SDM makes the MXCSR and XMM fields implementation dependent when
// CR4.OSFXSR is clear ("may not save"/"may not restore"); on a processor
// without SSE they do not exist at all, so FXSave writes only bytes
// 0-159 and FXRstor reads only those (no MXCSR reserved-bit #GP either).

// FXSaveSize is the size of the FXSAVE area; FXLegacySize the part of it
// holding the x87 and MMX state.
const (
	FXSaveSize   = 512
	FXLegacySize = 160
)

// FXSave writes the x87/MMX part of the FXSAVE image to b[0:160]: all
// of it but bytes 24-31 (MXCSR and MXCSR_MASK), which it leaves as they
// are. op16 is a 16-bit operand size, which stores only the low 16 bits
// of the instruction and operand offsets. Reserved bytes are written as
// zeros. Like FXSAVE, it leaves the FPU unchanged.
func (f *FPU) FXSave(b []byte, op16 bool) {
	fip, fdp := f.FIP, f.FDP
	if op16 {
		fip &= 0xFFFF
		fdp &= 0xFFFF
	}
	clear(b[:24])
	clear(b[32:FXLegacySize])
	put16(b[0:], f.CW)
	put16(b[2:], f.SW)
	b[4] = f.AbridgedTag()
	put16(b[6:], f.FOP&0x7FF)
	put32(b[8:], fip)
	put16(b[12:], f.FCS)
	put32(b[16:], fdp)
	put16(b[20:], f.FDS)
	for i := 0; i < 8; i++ {
		x := f.ST(i).Bytes()
		copy(b[32+16*i:], x[:])
	}
}

// FXRstor loads the x87/MMX state from an FXSAVE image b[0:160]. The tag
// of a register marked valid in the abridged tag word is recomputed from
// its contents (valid, zero or special); the control word is sanitized
// as FLDCW does and ES and B follow the loaded flags and masks, so a
// pending exception is reported by the next waiting instruction, not by
// FXRSTOR.
func (f *FPU) FXRstor(b []byte, op16 bool) {
	f.CW = get16(b[0:])
	f.SW = get16(b[2:])
	f.SetAbridgedTag(b[4])
	f.FOP = get16(b[6:]) & 0x7FF
	f.FIP, f.FCS = get32(b[8:]), get16(b[12:])
	f.FDP, f.FDS = get32(b[16:]), get16(b[20:])
	if op16 {
		f.FIP &= 0xFFFF
		f.FDP &= 0xFFFF
	}
	top := f.Top()
	for i := 0; i < 8; i++ {
		f.R[(top+i)&7] = FromBytes(b[32+16*i:])
	}
	f.CW = f.CW&^cwReserved | 0x40
	f.retag()
	f.updateES()
}

// AbridgedTag is the tag word as FXSAVE stores it: bit i is 1 when
// physical register Ri is not empty.
func (f *FPU) AbridgedTag() uint8 {
	var t uint8
	for r := 0; r < 8; r++ {
		if f.Tag(r) != TagEmpty {
			t |= 1 << r
		}
	}
	return t
}

// SetAbridgedTag loads an abridged tag word: a 0 bit tags its register
// empty, a 1 bit valid (retag then refines it from the contents).
func (f *FPU) SetAbridgedTag(t uint8) {
	f.TW = 0
	for r := 0; r < 8; r++ {
		if t&(1<<r) == 0 {
			f.setTag(r, TagEmpty)
		}
	}
}
