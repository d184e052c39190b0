package cpu

import "ringzero/cpu/x87"

// General-register indices into State.Regs, in the x86 encoding order
// (ModRM reg field and the +r opcode forms).
const (
	EAX = iota
	ECX
	EDX
	EBX
	ESP
	EBP
	ESI
	EDI
)

// Segment-register indices into State.Seg, in the x86 encoding order
// (the Sreg field of MOV Sw and the segment-override prefixes).
const (
	ES = iota
	CS
	SS
	DS
	FS
	GS
)

// EFLAGS bits (SDM Vol. 1, 3.4.3).
const (
	FlagCF   uint32 = 1 << 0  // carry
	FlagRsv1 uint32 = 1 << 1  // always 1
	FlagPF   uint32 = 1 << 2  // parity of the low result byte
	FlagAF   uint32 = 1 << 4  // auxiliary (BCD) carry out of bit 3
	FlagZF   uint32 = 1 << 6  // zero
	FlagSF   uint32 = 1 << 7  // sign
	FlagTF   uint32 = 1 << 8  // single-step trap
	FlagIF   uint32 = 1 << 9  // maskable interrupts enabled
	FlagDF   uint32 = 1 << 10 // string direction (1 = down)
	FlagOF   uint32 = 1 << 11 // signed overflow
	FlagIOPL uint32 = 3 << 12 // I/O privilege level
	FlagNT   uint32 = 1 << 14 // nested task
	FlagRF   uint32 = 1 << 16 // resume (suppresses instruction breakpoints)
	FlagVM   uint32 = 1 << 17 // virtual-8086 mode
	FlagAC   uint32 = 1 << 18 // alignment check
	FlagVIF  uint32 = 1 << 19 // virtual interrupt flag
	FlagVIP  uint32 = 1 << 20 // virtual interrupt pending
	FlagID   uint32 = 1 << 21 // CPUID available

	// FlagsArith are the six status flags written by arithmetic.
	FlagsArith = FlagCF | FlagPF | FlagAF | FlagZF | FlagSF | FlagOF
)

// CR0 bits (SDM Vol. 3, 2.5).
const (
	CR0PE uint32 = 1 << 0  // protection enable
	CR0MP uint32 = 1 << 1  // monitor coprocessor
	CR0EM uint32 = 1 << 2  // x87 emulation
	CR0TS uint32 = 1 << 3  // task switched
	CR0ET uint32 = 1 << 4  // extension type (387 present)
	CR0NE uint32 = 1 << 5  // native x87 error reporting
	CR0WP uint32 = 1 << 16 // supervisor write protect
	CR0AM uint32 = 1 << 18 // alignment mask
	CR0NW uint32 = 1 << 29 // not write-through
	CR0CD uint32 = 1 << 30 // cache disable
	CR0PG uint32 = 1 << 31 // paging
)

// Segment is a segment register: the visible selector plus the hidden
// descriptor cache the CPU loads with it (SDM Vol. 3, 3.4.3).
type Segment struct {
	Selector uint16 // visible part
	Base     uint32 // linear base address
	Limit    uint32 // byte-granular limit (already scaled when G=1)
	// Attr holds the descriptor's access byte in bits 0-7 (type, S, DPL, P)
	// and its flags nibble in bits 12-15 (AVL, L, D/B, G), the layout of
	// descriptor bytes 5 and 6 with the limit bits removed.
	Attr uint16
}

// Descriptor-cache attribute bits (Segment.Attr).
const (
	AttrAccessed uint16 = 1 << 0  // type bit 0
	AttrWritable uint16 = 1 << 1  // data: writable; code: readable
	AttrExpDown  uint16 = 1 << 2  // data: expand-down; code: conforming
	AttrCode     uint16 = 1 << 3  // executable
	AttrS        uint16 = 1 << 4  // code/data (1) or system (0)
	AttrDPL      uint16 = 3 << 5  // descriptor privilege level
	AttrP        uint16 = 1 << 7  // present
	AttrAVL      uint16 = 1 << 12 // available to software
	AttrDB       uint16 = 1 << 14 // default operand size / big stack
	AttrG        uint16 = 1 << 15 // 4 KiB granularity
)

// RealModeAttr is the cache a real-mode segment load leaves: present,
// writable, accessed data segment with a 64 KiB limit.
const RealModeAttr = AttrP | AttrS | AttrWritable | AttrAccessed

// DescTable is GDTR or IDTR: a linear base and a byte limit.
type DescTable struct {
	Base  uint32
	Limit uint32
}

// State is the architectural state of one x86 CPU. It is a plain value:
// engines execute on it, hand it over to each other and tests compare it.
type State struct {
	Regs   [8]uint32  // EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI
	EIP    uint32     // instruction pointer (offset in CS)
	EFlags uint32     // flags; bit 1 always set
	Seg    [6]Segment // ES, CS, SS, DS, FS, GS with descriptor caches
	CR     [5]uint32  // CR0, CR1 (reserved), CR2, CR3, CR4
	DR     [8]uint32  // DR0-DR3 breakpoints, DR6 status, DR7 control (DR4/5 alias)
	GDTR   DescTable  // global descriptor table
	IDTR   DescTable  // interrupt descriptor table (the IVT in real mode)
	LDTR   Segment    // local descriptor table register with its cache
	TR     Segment    // task register with its cache
	MSW286 uint16     // unused on 386+; reserved for the 286 LOADALL image
	FPU    x87.FPU    // the x87 state (on-chip from the 486)

	Halted bool // HLT executed; cleared by an interrupt, NMI or reset
	// IRQShadow is set for one instruction after STI, MOV SS and POP SS:
	// maskable interrupts (and on MOV/POP SS also debug traps) wait.
	IRQShadow bool
	// Cycles counts retired instructions (the virtual clock's unit).
	Cycles uint64
}

// Reg16 returns the low 16 bits of general register r.
func (s *State) Reg16(r int) uint16 { return uint16(s.Regs[r]) }

// SetReg16 writes the low 16 bits of general register r.
func (s *State) SetReg16(r int, v uint16) { s.Regs[r] = s.Regs[r]&^0xFFFF | uint32(v) }

// SetRealSeg loads segment register i the real-mode way: base = sel<<4.
// The limit and attributes are kept, as on a real CPU ("unreal mode").
func (s *State) SetRealSeg(i int, sel uint16) {
	s.Seg[i].Selector = sel
	s.Seg[i].Base = uint32(sel) << 4
}

// Reset puts the state into the power-on/RESET condition of model m
// (SDM Vol. 3, 9.1.1): CS:IP = F000:FFF0 with CS base FFFF0000 on the 386
// and later (FF0000 on the 286, F0000 on the 8086), flags 0002, CR0.ET set
// on the 386+.
func (s *State) Reset(m Model) {
	*s = State{}
	s.EFlags = FlagRsv1
	for i := range s.Seg {
		s.Seg[i] = Segment{Limit: 0xFFFF, Attr: RealModeAttr}
	}
	s.Seg[CS] = Segment{Selector: 0xF000, Base: 0xFFFF0000, Limit: 0xFFFF, Attr: RealModeAttr | AttrCode}
	switch {
	case m < Model286:
		s.Seg[CS].Base = 0xF0000
		s.Seg[CS].Selector = 0xF000
		s.EIP = 0xFFF0
		s.EFlags = m.FixedFlags()
	case m == Model286:
		s.Seg[CS].Base = 0xFF0000
		s.EIP = 0xFFF0
	default:
		s.EIP = 0xFFF0
		s.CR[0] = CR0ET | CR0CD | CR0NW
		s.Regs[EDX] = m.ResetEDX()
		s.DR[6] = 0xFFFF0FF0
		s.DR[7] = 0x400
	}
	s.FPU = x87.New()
	s.IDTR.Limit = 0x3FF
	s.GDTR.Limit = 0xFFFF
	s.LDTR = Segment{Limit: 0xFFFF, Attr: AttrP | 2}
	s.TR = Segment{Limit: 0xFFFF, Attr: AttrP | 3}
}
