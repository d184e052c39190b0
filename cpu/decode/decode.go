package decode

import (
	"errors"

	"ringzero/cpu"
)

// Prefix bits recorded in Inst.Prefixes.
const (
	PfxLock   uint8 = 1 << iota // F0 (or the 8086's F1 alias)
	PfxRep                      // F3 REP/REPE
	PfxRepne                    // F2 REPNE
	PfxOpSize                   // 66 operand-size override
	PfxAdSize                   // 67 address-size override
	PfxSeg                      // a segment override (Inst.Seg)
)

// NoReg marks an absent base or index register in an effective address.
const NoReg = 0xFF

// Inst is one decoded instruction. It is a plain value: no pointers, so a
// translator can cache it keyed by address and mode.
type Inst struct {
	Op     Op     // the table row; selects the handler
	Opcode uint16 // 0x00-0xFF, or 0x0F00|b for the 0F map
	// Len is the total length in bytes, prefixes included. For Invalid it
	// covers the prefixes, the opcode byte(s) and, in a group, the ModRM
	// and displacement: enough to report the #UD, not to skip over it.
	Len      uint8
	Prefixes uint8 // Pfx* bits
	// LastPrefix is the offset of the last prefix byte (0 if none): the
	// 8086 resumes an interrupted REP string instruction there.
	LastPrefix uint8
	Seg        uint8 // segment override (cpu.ES..cpu.GS) when PfxSeg is set
	OpSize     uint8 // effective operand size: 2 or 4 (byte ops still say 2/4)
	AdSize     uint8 // effective address size: 2 or 4

	ModRM uint8 // the ModRM byte, if the Op has one
	// Memory operand (ModRM mod != 3, or moffs): EA = Base + Index<<Scale
	// + Disp, truncated to AdSize; DefSeg is its default segment.
	HasMem bool
	Base   uint8 // register number or NoReg
	Index  uint8 // register number or NoReg
	Scale  uint8 // 0-3
	DefSeg uint8 // cpu.DS or cpu.SS
	Disp   uint32

	Imm  uint32 // first immediate (sign-extended for Ibs/Jb/Jz(16))
	Imm2 uint32 // second immediate: far-pointer selector, ENTER level
}

// Mod returns the ModRM mod field.
func (in *Inst) Mod() uint8 { return in.ModRM >> 6 }

// Reg returns the ModRM reg field.
func (in *Inst) Reg() uint8 { return (in.ModRM >> 3) & 7 }

// RM returns the ModRM r/m field.
func (in *Inst) RM() uint8 { return in.ModRM & 7 }

// SegOf returns the segment of the memory operand: the override if any,
// else the default.
func (in *Inst) SegOf() uint8 {
	if in.Prefixes&PfxSeg != 0 {
		return in.Seg
	}
	return in.DefSeg
}

// Mode is the decoding context.
type Mode struct {
	Model  cpu.Model
	Code32 bool // CS.D: default operand and address size 32 (386 and later; ignored before)
}

// maxLen caps decoding on the models without a length limit (8086/186):
// an instruction of more than 255 bytes (all but the last prefixes) gives
// ErrTooLong there, since Inst.Len is a byte.
const maxLen = 255

// Decoder errors. Anything else decodes to some Op (Invalid raises #UD).
var (
	// ErrTruncated: the bytes end before the instruction does. The caller
	// fetches more (which may fault) and decodes again.
	ErrTruncated = errors.New("decode: instruction truncated")
	// ErrTooLong: the instruction exceeds the model's length limit (#GP).
	// On the 8086/186, which have no limit, it means more than 255 bytes.
	ErrTooLong = errors.New("decode: instruction too long")
)

// modrm16 gives base, index and default segment for the 16-bit r/m forms.
var modrm16 = [8]struct{ base, index, seg uint8 }{
	{cpu.EBX, cpu.ESI, cpu.DS}, {cpu.EBX, cpu.EDI, cpu.DS},
	{cpu.EBP, cpu.ESI, cpu.SS}, {cpu.EBP, cpu.EDI, cpu.SS},
	{cpu.ESI, NoReg, cpu.DS}, {cpu.EDI, NoReg, cpu.DS},
	{cpu.EBP, NoReg, cpu.SS}, {cpu.EBX, NoReg, cpu.DS},
}

// Decode decodes one instruction from b in mode m. b holds the bytes at
// CS:EIP; it may be longer than the instruction.
func Decode(b []byte, m Mode) (Inst, error) {
	var in Inst
	err := DecodeInto(&in, b, m)
	return in, err
}

// DecodeInto is Decode writing into *in (no copy on the hot path).
func DecodeInto(in *Inst, b []byte, m Mode) error {
	*in = Inst{OpSize: 2, AdSize: 2, DefSeg: cpu.DS, Base: NoReg, Index: NoReg}
	model := m.Model
	if model > cpu.ModelP2 {
		model = cpu.ModelP2
	}
	// Only the 386 and later have 32-bit code segments.
	code32 := m.Code32 && model >= cpu.Model386
	if code32 {
		in.OpSize, in.AdSize = 4, 4
	}
	t := tables[model]
	limit := model.MaxInstLen()
	if limit == 0 {
		// The 8086/186 have no limit, but Len and LastPrefix are bytes.
		limit = maxLen
	}
	d := reader{b: b, limit: limit}
	var s *slot
	for {
		c, err := d.next()
		if err != nil {
			return err
		}
		s = &t.slots[c]
		if s.op == Invalid || s.op.Info().Flags&FlagPrefix == 0 {
			in.Opcode = uint16(c)
			break
		}
		in.LastPrefix = uint8(d.p - 1)
		switch c {
		case 0x26, 0x2E, 0x36, 0x3E:
			in.Prefixes |= PfxSeg
			in.Seg = (c >> 3) & 3
		case 0x64, 0x65:
			in.Prefixes |= PfxSeg
			in.Seg = c - 0x64 + cpu.FS
		case 0x66:
			in.Prefixes |= PfxOpSize
			in.OpSize = 4
			if code32 {
				in.OpSize = 2
			}
		case 0x67:
			in.Prefixes |= PfxAdSize
			in.AdSize = 4
			if code32 {
				in.AdSize = 2
			}
		case 0xF0, 0xF1:
			in.Prefixes |= PfxLock
		case 0xF2:
			// The last of F2/F3 wins.
			in.Prefixes = in.Prefixes&^PfxRep | PfxRepne
		case 0xF3:
			in.Prefixes = in.Prefixes&^PfxRepne | PfxRep
		}
	}
	if in.Opcode == 0x0F && model >= cpu.Model286 {
		c, err := d.next()
		if err != nil {
			return err
		}
		in.Opcode = 0x0F00 | uint16(c)
		s = &t.slots[256+int(c)]
	}
	op := s.op
	if s.modrm {
		c, err := d.next()
		if err != nil {
			return err
		}
		in.ModRM = c
		if s.group != nil {
			op = s.group[(c>>3)&7]
		}
		// MOV to/from CRn/DRn/TRn ignore mod: always registers.
		if c>>6 != 3 && op.Info().Flags&FlagRegOnly == 0 {
			in.HasMem = true
			var err error
			if in.AdSize == 2 {
				err = d.ea16(in, c)
			} else {
				err = d.ea32(in, c)
			}
			if err != nil {
				return err
			}
		}
	}
	in.Op = op
	if err := d.imm(in, op.Info().Imm); err != nil {
		return err
	}
	in.Len = uint8(d.p)
	return nil
}

// reader walks the instruction bytes, enforcing the length limit.
type reader struct {
	b     []byte
	p     int
	limit int // longest instruction allowed
}

func (d *reader) next() (byte, error) {
	if d.p >= d.limit {
		return 0, ErrTooLong
	}
	if d.p >= len(d.b) {
		return 0, ErrTruncated
	}
	v := d.b[d.p]
	d.p++
	return v, nil
}

func (d *reader) readN(n int) (uint32, error) {
	var v uint32
	for i := 0; i < n; i++ {
		c, err := d.next()
		if err != nil {
			return 0, err
		}
		v |= uint32(c) << (8 * i)
	}
	return v, nil
}

func (d *reader) ea16(in *Inst, modrm byte) error {
	mod, rm := modrm>>6, modrm&7
	e := modrm16[rm]
	in.Base, in.Index, in.DefSeg = e.base, e.index, e.seg
	switch {
	case mod == 0 && rm == 6:
		in.Base, in.DefSeg = NoReg, cpu.DS
		v, err := d.readN(2)
		in.Disp = v
		return err
	case mod == 1:
		v, err := d.next()
		in.Disp = uint32(int32(int8(v)))
		return err
	case mod == 2:
		v, err := d.readN(2)
		in.Disp = v
		return err
	}
	return nil
}

func (d *reader) ea32(in *Inst, modrm byte) error {
	mod, rm := modrm>>6, modrm&7
	in.Base = rm
	if rm == 4 {
		sib, err := d.next()
		if err != nil {
			return err
		}
		in.Scale = sib >> 6
		if idx := (sib >> 3) & 7; idx != 4 {
			in.Index = idx
		}
		in.Base = sib & 7
		if in.Base == 5 && mod == 0 {
			in.Base = NoReg
			v, err := d.readN(4)
			in.Disp = v
			return err
		}
	} else if rm == 5 && mod == 0 {
		in.Base = NoReg
		v, err := d.readN(4)
		in.Disp = v
		return err
	}
	if in.Base == cpu.ESP || in.Base == cpu.EBP {
		in.DefSeg = cpu.SS
	}
	switch mod {
	case 1:
		v, err := d.next()
		in.Disp = uint32(int32(int8(v)))
		return err
	case 2:
		v, err := d.readN(4)
		in.Disp = v
		return err
	}
	return nil
}

func (d *reader) imm(in *Inst, k ImmKind) error {
	var err error
	switch k {
	case ImmB:
		var c byte
		c, err = d.next()
		in.Imm = uint32(c)
	case ImmBS, ImmJb:
		var c byte
		c, err = d.next()
		in.Imm = uint32(int32(int8(c)))
	case ImmW:
		in.Imm, err = d.readN(2)
	case ImmZ:
		in.Imm, err = d.readN(int(in.OpSize))
	case ImmJz:
		in.Imm, err = d.readN(int(in.OpSize))
		if in.OpSize == 2 {
			in.Imm = uint32(int32(int16(in.Imm)))
		}
	case ImmAp:
		in.Imm, err = d.readN(int(in.OpSize))
		if err == nil {
			in.Imm2, err = d.readN(2)
		}
	case ImmMoffs:
		in.HasMem = true
		in.Disp, err = d.readN(int(in.AdSize))
	case ImmEnter:
		in.Imm, err = d.readN(2)
		if err == nil {
			var c byte
			c, err = d.next()
			in.Imm2 = uint32(c)
		}
	}
	return err
}
