package gdbstub

import (
	"bytes"
	"strings"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// Breakpoints and watchpoints are the stub's own, not the guest's: the
// stub never plants INT3 in guest memory and never touches DR0-DR7, which
// stay the guest's (a kernel debugging itself with them sees no change).
// While any is set, the machine runs one instruction per engine run and
// the stub checks around each:
//
//   - Z0/Z1 breakpoints: before an instruction, its linear address
//     (CS base + EIP, as QEMU compares) against the set. Software and
//     "hardware" breakpoints work alike and differ only in the stop reply
//     (swbreak or hwbreak).
//   - Z2 write watchpoints: after an instruction, the watched bytes
//     against their last value; a change is a hit. A store of the value
//     already there is not seen (gdb itself reports write watchpoints
//     only on a change).
//   - Z3 read and Z4 access watchpoints: before an instruction, it is
//     decoded and the linear ranges it reads are worked out (its memory
//     operand unless it only stores there, string sources, stack pops,
//     XLAT); after it, an overlap is a hit. Z4 is also hit by a change.
//     Reads by interrupt delivery and descriptor-table accesses are not
//     seen.
//
// Hits are reported after the instruction, as data breakpoints trap on
// x86. An interrupt taken at an instruction boundary runs the handler's
// first instruction in the same engine run (the engines deliver it and
// execute on), so a breakpoint there stops one instruction late, after
// it, with a plain SIGTRAP; the stub learns of the delivery only through
// NoteInterrupt.

// Breakpoint and watchpoint kinds: the Z packet types.
const (
	kindSoftware = 0
	kindHardware = 1
	kindWrite    = 2
	kindRead     = 3
	kindAccess   = 4
)

// maxWatchLen bounds one watchpoint (gdb splits larger ones itself).
const maxWatchLen = 4096

// watch is one watchpoint.
type watch struct {
	kind      int
	addr, len uint32
	old       []byte // the bytes at the last check (write and access)
}

// span is a linear range [addr, addr+n).
type span struct{ addr, n uint32 }

func (s span) overlaps(addr, n uint32) bool {
	return uint64(s.addr) < uint64(addr)+uint64(n) && uint64(addr) < uint64(s.addr)+uint64(s.n)
}

// pc is the linear address of the next instruction.
func pc(s *cpu.State) uint32 { return s.Seg[cpu.CS].Base + s.EIP }

// code32 reports a 32-bit code segment.
func code32(s *cpu.State) bool {
	return s.CR[0]&cpu.CR0PE != 0 && s.EFlags&cpu.FlagVM == 0 && s.Seg[cpu.CS].Attr&cpu.AttrDB != 0
}

// reads decodes the instruction at CS:EIP and returns the linear ranges
// it reads from memory (see the comment above for what is covered).
func reads(t Target, model cpu.Model) []span {
	s := t.State()
	var code [15]byte
	n, _ := t.ReadLinear(pc(s), code[:])
	in, err := decode.Decode(code[:n], decode.Mode{Model: model, Code32: code32(s)})
	if err != nil {
		return nil
	}
	info := in.Op.Info()
	mn := info.Mnemonic
	opSize := uint32(in.OpSize)
	adMask := uint32(0xFFFFFFFF)
	if in.AdSize == 2 {
		adMask = 0xFFFF
	}
	seg := func(i uint8) uint32 { return s.Seg[i].Base }
	var out []span
	if in.HasMem && !storeOnly(mn, info.Operands, &in) && mn != "LEA" && mn != "NOP" && mn != "INVLPG" {
		ea := in.Disp
		if in.Base != decode.NoReg {
			ea += s.Regs[in.Base]
		}
		if in.Index != decode.NoReg {
			ea += s.Regs[in.Index] << in.Scale
		}
		out = append(out, span{seg(in.SegOf()) + ea&adMask, memSize(info.Operands, opSize, info.Flags)})
	}
	elem := opSize
	if strings.HasSuffix(mn, "SB") || info.Flags&decode.FlagByte != 0 {
		elem = 1
	}
	src := seg(cpu.DS)
	if in.Prefixes&decode.PfxSeg != 0 {
		src = seg(in.Seg)
	}
	esi, edi := s.Regs[cpu.ESI]&adMask, s.Regs[cpu.EDI]&adMask
	switch {
	case strings.HasPrefix(mn, "MOVS"), strings.HasPrefix(mn, "LODS"), strings.HasPrefix(mn, "OUTS"):
		out = append(out, span{src + esi, elem})
	case strings.HasPrefix(mn, "CMPS"):
		out = append(out, span{src + esi, elem}, span{seg(cpu.ES) + edi, elem})
	case strings.HasPrefix(mn, "SCAS"):
		out = append(out, span{seg(cpu.ES) + edi, elem})
	case mn == "XLAT":
		out = append(out, span{src + (s.Regs[cpu.EBX]+s.Regs[cpu.EAX]&0xFF)&adMask, 1})
	}
	// Stack reads.
	spMask := uint32(0xFFFF)
	if s.Seg[cpu.SS].Attr&cpu.AttrDB != 0 && s.CR[0]&cpu.CR0PE != 0 {
		spMask = 0xFFFFFFFF
	}
	stack := func(n uint32) { out = append(out, span{seg(cpu.SS) + s.Regs[cpu.ESP]&spMask, n}) }
	switch mn {
	case "POP", "POPF", "RET":
		stack(opSize)
	case "RETF":
		stack(2 * opSize)
	case "IRET":
		stack(3 * opSize)
	case "POPA":
		stack(8 * opSize)
	case "LEAVE":
		out = append(out, span{seg(cpu.SS) + s.Regs[cpu.EBP]&spMask, opSize})
	}
	return out
}

// storeOnly reports an instruction that writes its memory operand
// without reading it.
func storeOnly(mn, operands string, in *decode.Inst) bool {
	switch mn {
	case "MOV":
		return strings.HasPrefix(operands, "E") || strings.HasPrefix(operands, "O")
	case "POP", "SGDT", "SIDT", "SMSW", "SLDT", "STR", "SETMO", "SETMOC":
		return true
	case "ESC":
		// x87 stores: D9 /2 /3 /6 /7, DB /2 /3 /7, DD /2 /3 /6 /7,
		// DF /2 /3 /6 /7 (SDM Vol. 2, x87 opcode maps).
		op, reg := in.Opcode&7, in.Reg()
		switch op {
		case 1, 5, 7:
			return reg == 2 || reg == 3 || reg >= 6
		case 3:
			return reg == 2 || reg == 3 || reg == 7
		}
	}
	return strings.HasPrefix(mn, "SET")
}

// memSize is the size of an instruction's memory operand, from its
// operand notation: b w d q, v and z the operand size, p a far pointer,
// a a BOUND pair, s a descriptor-table register, x87 operands 10 bytes
// at most.
func memSize(operands string, opSize uint32, flags decode.Flags) uint32 {
	for _, o := range strings.Split(operands, ",") {
		if len(o) < 2 || !strings.ContainsRune("EMOX", rune(o[0])) {
			continue
		}
		switch o[1] {
		case 'b':
			return 1
		case 'w':
			return 2
		case 'd':
			return 4
		case 'q':
			return 8
		case 'p':
			return opSize + 2
		case 'a':
			return 2 * opSize
		case 's':
			return 6
		case 'x':
			return 10
		}
		if flags&decode.FlagByte != 0 {
			return 1
		}
		return opSize
	}
	return opSize
}

// changed reports whether a write or access watchpoint's bytes changed,
// and remembers the new value.
func (w *watch) changed(t Target) bool {
	cur := make([]byte, w.len)
	n, _ := t.ReadLinear(w.addr, cur)
	cur = cur[:n]
	if bytes.Equal(cur, w.old) {
		return false
	}
	w.old = cur
	return true
}
