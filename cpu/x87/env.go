package x87

// The FSTENV/FLDENV environment and the FSAVE/FRSTOR state images, in
// their four forms (SDM Vol. 1, 8.1.10, figures 8-9 to 8-12).

// Form selects an image layout: the operand size and whether the CPU is
// in protected mode or in real-address/virtual-8086 mode.
type Form uint8

// Image layouts.
const (
	Prot32 Form = iota // 28-byte environment, 108-byte save image
	Prot16             // 14 and 94 bytes
	Real32             // 28 and 108 bytes
	Real16             // 14 and 94 bytes
)

// EnvSize is the size of the environment in form f: 14 or 28 bytes.
func (f Form) EnvSize() int {
	if f == Prot16 || f == Real16 {
		return 14
	}
	return 28
}

// SaveSize is the size of the FSAVE image in form f: 94 or 108 bytes.
func (f Form) SaveSize() int { return f.EnvSize() + 80 }

func put16(b []byte, v uint16) { b[0], b[1] = byte(v), byte(v>>8) }
func put32(b []byte, v uint32) { put16(b, uint16(v)); put16(b[2:], uint16(v>>16)) }
func get16(b []byte) uint16    { return uint16(b[0]) | uint16(b[1])<<8 }
func get32(b []byte) uint32    { return uint32(get16(b)) | uint32(get16(b[2:]))<<16 }

// StoreEnv writes the environment in form fm to b (FNSTENV without its
// exception masking). The tags stored are those of the register
// contents; in real mode the pointers are stored as 20/32-bit linear
// addresses, selector·16 + offset. Reserved bits are stored as ones, as
// the P6 does.
func (f *FPU) StoreEnv(b []byte, fm Form) {
	fip, fdp := f.FIP, f.FDP
	tw := f.contentTags()
	if fm == Real16 || fm == Real32 {
		fip += uint32(f.FCS) << 4
		fdp += uint32(f.FDS) << 4
	}
	switch fm {
	case Prot32:
		put32(b[0:], 0xFFFF0000|uint32(f.CW))
		put32(b[4:], 0xFFFF0000|uint32(f.SW))
		put32(b[8:], 0xFFFF0000|uint32(tw))
		put32(b[12:], f.FIP)
		put32(b[16:], uint32(f.FCS)|uint32(f.FOP&0x7FF)<<16)
		put32(b[20:], f.FDP)
		put32(b[24:], 0xFFFF0000|uint32(f.FDS))
	case Real32:
		put32(b[0:], 0xFFFF0000|uint32(f.CW))
		put32(b[4:], 0xFFFF0000|uint32(f.SW))
		put32(b[8:], 0xFFFF0000|uint32(tw))
		put32(b[12:], 0xFFFF0000|fip&0xFFFF)
		put32(b[16:], fip&0xFFFF0000>>4|uint32(f.FOP&0x7FF))
		put32(b[20:], 0xFFFF0000|fdp&0xFFFF)
		put32(b[24:], fdp&0xFFFF0000>>4)
	case Prot16:
		put16(b[0:], f.CW)
		put16(b[2:], f.SW)
		put16(b[4:], tw)
		put16(b[6:], uint16(f.FIP))
		put16(b[8:], f.FCS)
		put16(b[10:], uint16(f.FDP))
		put16(b[12:], f.FDS)
	case Real16:
		put16(b[0:], f.CW)
		put16(b[2:], f.SW)
		put16(b[4:], tw)
		put16(b[6:], uint16(fip))
		put16(b[8:], uint16(fip>>4&0xF000)|f.FOP&0x7FF)
		put16(b[10:], uint16(fdp))
		put16(b[12:], uint16(fdp>>4&0xF000))
	}
}

// contentTags is the tag word as FSTENV and FSAVE store it: empty
// registers stay empty, the others get the tag of their contents (SDM
// Vol. 3, 12.2.1). Only MMX instructions leave TW out of step with the
// contents: they tag every register valid, whatever it holds.
func (f *FPU) contentTags() uint16 {
	var tw uint16
	for r := 0; r < 8; r++ {
		t := TagEmpty
		if f.Tag(r) != TagEmpty {
			t = TagOf(f.R[r])
		}
		tw |= uint16(t) << (2 * r)
	}
	return tw
}

// LoadEnv loads the environment in form fm from b (FLDENV). The control
// word is sanitized as by FLDCW, the tags of non-empty registers are
// recomputed from their contents, and ES and B follow the loaded flags
// and masks. In real mode the pointers load as linear addresses with
// zero selectors.
func (f *FPU) LoadEnv(b []byte, fm Form) {
	switch fm {
	case Prot32:
		f.CW, f.SW, f.TW = get16(b[0:]), get16(b[4:]), get16(b[8:])
		f.FIP = get32(b[12:])
		f.FCS, f.FOP = get16(b[16:]), get16(b[18:])&0x7FF
		f.FDP, f.FDS = get32(b[20:]), get16(b[24:])
	case Real32:
		f.CW, f.SW, f.TW = get16(b[0:]), get16(b[4:]), get16(b[8:])
		f.FIP = get32(b[16:])&0x0FFFF000<<4 | uint32(get16(b[12:]))
		f.FOP = get16(b[16:]) & 0x7FF
		f.FDP = get32(b[24:])&0x0FFFF000<<4 | uint32(get16(b[20:]))
		f.FCS, f.FDS = 0, 0
	case Prot16:
		f.CW, f.SW, f.TW = get16(b[0:]), get16(b[2:]), get16(b[4:])
		f.FIP, f.FCS = uint32(get16(b[6:])), get16(b[8:])
		f.FDP, f.FDS = uint32(get16(b[10:])), get16(b[12:])
		f.FOP = 0
	case Real16:
		f.CW, f.SW, f.TW = get16(b[0:]), get16(b[2:]), get16(b[4:])
		f.FIP = uint32(get16(b[8:])&0xF000)<<4 | uint32(get16(b[6:]))
		f.FOP = get16(b[8:]) & 0x7FF
		f.FDP = uint32(get16(b[12:])&0xF000)<<4 | uint32(get16(b[10:]))
		f.FCS, f.FDS = 0, 0
	}
	f.CW = f.CW&^cwReserved | 0x40
	f.retag()
	f.updateES()
}

// Save writes the FSAVE image in form fm to b: the environment, then
// ST(0) to ST(7) as m80s. Unlike FNSAVE it does not reinitialize.
func (f *FPU) Save(b []byte, fm Form) {
	f.StoreEnv(b, fm)
	off := fm.EnvSize()
	for i := 0; i < 8; i++ {
		x := f.ST(i).Bytes()
		copy(b[off+10*i:], x[:])
	}
}

// Restore loads an FSAVE image in form fm from b (FRSTOR).
func (f *FPU) Restore(b []byte, fm Form) {
	off := fm.EnvSize()
	// The registers are in stack order for the TOP being loaded.
	top := int(get16(b[2:])>>11) & 7
	if fm == Prot32 || fm == Real32 {
		top = int(get16(b[4:])>>11) & 7
	}
	for i := 0; i < 8; i++ {
		f.R[(top+i)&7] = FromBytes(b[off+10*i:])
	}
	f.LoadEnv(b, fm)
}
