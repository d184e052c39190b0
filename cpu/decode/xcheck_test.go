package decode_test

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"

	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// TestDecodeAgreesWithX86asm decodes every one-byte and 0F opcode with all
// 256 ModRM bytes, a fixed tail of distinctive SIB/displacement/immediate
// bytes and a set of prefixes, in 16- and 32-bit code on the Pentium II,
// with our decoder and with golang.org/x/arch/x86/x86asm, and compares
// validity, mnemonic, length, operands and LOCK legality. Every
// disagreement must be explained by a row of knownDiffs; a row that no
// longer matches anything fails the test too, so the list stays honest.
//
// Run with -xcheck.v to print every disagreement grouped by opcode.
func TestDecodeAgreesWithX86asm(t *testing.T) {
	tails := xcheckTails
	if testing.Short() {
		tails = tails[:1] // every known difference still shows
	}
	got := map[diffKey]*diffGroup{}
	for _, mode := range []int{16, 32} {
		for _, pfx := range xcheckPrefixes {
			for opc := 0; opc < 512; opc++ {
				if opc < 256 && (opc == 0x0F || isPrefixByte(byte(opc))) {
					continue // enumerated through the 0F map and the prefix sets
				}
				for _, tail := range tails {
					for modrm := 0; modrm < 256; modrm++ {
						src := xcheckBytes(pfx, opc, byte(modrm), tail)
						kind, detail := crossCheck(src, mode)
						if kind == agree {
							continue
						}
						k := diffKey{mode: mode, opc: opc, reg: modrm >> 3 & 7, memForm: modrm>>6 != 3, pfx: pfx, kind: kind}
						g := got[k]
						if g == nil {
							g = &diffGroup{example: src, detail: detail}
							got[k] = g
						}
						g.n++
					}
				}
			}
		}
	}

	// Report one line per (kind, opcode, form, explanation), listing the
	// ModRM reg values, modes and prefix sets seen.
	type line struct {
		kind    diffKind
		opc     int
		memForm bool
		known   int
	}
	type agg struct {
		regs, modes, pfxs map[string]bool
		n                 int
		example           []byte
		detail            string
	}
	used := make([]bool, len(knownDiffs))
	lines := map[line]*agg{}
	for k, g := range got {
		i := matchKnown(k)
		if i >= 0 {
			used[i] = true
		}
		l := line{k.kind, k.opc, k.memForm, i}
		a := lines[l]
		if a == nil {
			a = &agg{regs: map[string]bool{}, modes: map[string]bool{}, pfxs: map[string]bool{}, example: g.example, detail: g.detail}
			lines[l] = a
		}
		a.regs[strconv.Itoa(k.reg)] = true
		a.modes[strconv.Itoa(k.mode)] = true
		a.pfxs[pfxName(k.pfx)] = true
		a.n += g.n
	}
	order := make([]line, 0, len(lines))
	for l := range lines {
		order = append(order, l)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.opc != b.opc {
			return a.opc < b.opc
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return !a.memForm && b.memForm
	})
	unexplained := 0
	for _, l := range order {
		a := lines[l]
		why := "UNEXPLAINED"
		if l.known >= 0 {
			why = knownDiffs[l.known].Why
		} else {
			unexplained++
		}
		msg := fmt.Sprintf("%s %s %s /%s modes=%s pfx=%s n=%d e.g. % X: %s [%s]",
			l.kind, opcName(l.opc), formName(l.memForm), setString(a.regs), setString(a.modes), setString(a.pfxs), a.n, a.example, a.detail, why)
		switch {
		case l.known < 0 && unexplained <= 100:
			t.Error(msg)
		case *xcheckVerbose:
			t.Log(msg)
		}
	}
	if unexplained > 100 {
		t.Errorf("... %d unexplained disagreement classes in all", unexplained)
	}
	for i, u := range used {
		if !u {
			t.Errorf("knownDiffs[%d] (%s %s) matched nothing: remove it", i, knownDiffs[i].Ops, knownDiffs[i].Kind)
		}
	}
}

func setString(m map[string]bool) string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

var xcheckVerbose = flag.Bool("xcheck.v", false, "print every decoder disagreement with x86asm")

// xcheckPrefixes are the prefix sequences put before each opcode: none,
// operand size, address size, both, REP, a segment override (a classic one
// and a 386 one) and LOCK.
var xcheckPrefixes = []string{"", "66", "67", "6667", "F3", "26", "64", "F0"}

// xcheckTails follow the ModRM byte: a SIB byte, then distinctive bytes for
// displacements and immediates (no two alike, so a misplaced field shows).
// The first SIB has a base and a scaled index; the second has no index
// and base 5 (disp32 without base when mod is 0).
var xcheckTails = [][]byte{
	{0x8B, 0x81, 0x92, 0xA3, 0xB4, 0xC5, 0xD6, 0xE7, 0xF8, 0x19, 0x2A},
	{0x25, 0x7E, 0x6D, 0x5C, 0x4B, 0x3A, 0x29, 0x18, 0x07, 0xF6, 0xE5},
}

func isPrefixByte(b byte) bool {
	switch b {
	case 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3:
		return true
	}
	return false
}

func xcheckBytes(pfx string, opc int, modrm byte, tail []byte) []byte {
	var src []byte
	for i := 0; i < len(pfx); i += 2 {
		v, _ := strconv.ParseUint(pfx[i:i+2], 16, 8)
		src = append(src, byte(v))
	}
	if opc >= 256 {
		src = append(src, 0x0F)
	}
	src = append(src, byte(opc), modrm)
	return append(src, tail...)
}

// diffKind classifies a disagreement.
type diffKind uint8

const (
	agree      diffKind = iota
	onlyX86asm          // x86asm decodes an instruction; ours says invalid (#UD)
	onlyOurs            // ours decodes an instruction; x86asm rejects it
	diffOp              // different mnemonic
	diffLen             // different length
	diffArgs            // different operands
	diffLock            // different view of whether LOCK is legal
)

func (k diffKind) String() string {
	return [...]string{"agree", "only-x86asm", "only-ours", "mnemonic", "length", "operands", "lock"}[k]
}

type diffKey struct {
	mode    int
	opc     int // 0x00-0xFF, 0x100|b for 0F b
	reg     int // ModRM reg field
	memForm bool
	pfx     string
	kind    diffKind
}

type diffGroup struct {
	n       int
	example []byte
	detail  string
}

func opcName(opc int) string {
	if opc >= 256 {
		return fmt.Sprintf("0F %02X", opc&0xFF)
	}
	return fmt.Sprintf("%02X", opc)
}

func pfxName(p string) string {
	if p == "" {
		return "-"
	}
	return p
}

func formName(mem bool) string {
	if mem {
		return "mem"
	}
	return "reg"
}

// crossCheck decodes src with both decoders and reports the first
// disagreement.
func crossCheck(src []byte, mode int) (diffKind, string) {
	in, err := decode.Decode(src, decode.Mode{Model: cpu.ModelP2, Code32: mode == 32})
	if err != nil {
		return onlyX86asm, "ours: " + err.Error()
	}
	x, xerr := x86asm.Decode(src, mode)
	// x86asm answers an invalid instruction after prefixes with just the
	// first prefix (Op 0, no error).
	xok := xerr == nil && x.Op != 0
	ok := oursValid(&in)
	switch {
	case !ok && !xok:
		return agree, ""
	case !ok:
		return onlyX86asm, fmt.Sprintf("x86asm %v len %d", x, x.Len)
	case !xok:
		return onlyOurs, fmt.Sprintf("ours %s len %d", in.Op, in.Len)
	}
	if want := x86Mnemonic(&x); !sameMnemonic(&in, want) {
		return diffOp, fmt.Sprintf("ours %s, x86asm %s", in.Op, want)
	}
	if int(in.Len) != x.Len {
		return diffLen, fmt.Sprintf("ours %s len %d, x86asm %v len %d", in.Op, in.Len, x, x.Len)
	}
	if want, checkable := expectArgs(&in); checkable {
		var have []x86asm.Arg
		for _, a := range x.Args {
			if a != nil {
				have = append(have, a)
			}
		}
		if !sameArgs(want, have, &in) {
			return diffArgs, fmt.Sprintf("ours %s %v, x86asm %v", in.Op, want, have)
		}
	}
	// The default segment follows the base register (SDM Vol. 1, 3.7.4):
	// SS for BP, EBP and ESP, else DS.
	for _, a := range x.Args {
		if m, ok := a.(x86asm.Mem); ok && in.HasMem {
			want := uint8(cpu.DS)
			switch m.Base {
			case x86asm.BP, x86asm.EBP, x86asm.ESP:
				want = cpu.SS
			}
			if in.DefSeg != want {
				return diffArgs, fmt.Sprintf("ours %s default segment %d, x86asm base %v", in.Op, in.DefSeg, m.Base)
			}
			break
		}
	}
	if in.Prefixes&decode.PfxLock != 0 {
		ours := in.Op.Info().Flags&decode.FlagLock != 0 && in.HasMem
		theirs := true
		for _, p := range x.Prefix {
			if p&0xFF == x86asm.PrefixLOCK && p&x86asm.PrefixInvalid != 0 {
				theirs = false
			}
		}
		if ours != theirs {
			return diffLock, fmt.Sprintf("ours %s lock-ok=%v, x86asm %v lock-ok=%v", in.Op, ours, x, theirs)
		}
	}
	return agree, ""
}

// oursValid reports whether our decoding is an instruction rather than a
// #UD: an Invalid Op, or a memory-only operand with a register ModRM.
func oursValid(in *decode.Inst) bool {
	info := in.Op.Info()
	if in.Op == decode.Invalid {
		return false
	}
	if info.Flags&decode.FlagMemOnly != 0 && in.Mod() == 3 {
		return false
	}
	// The MMX handlers raise #UD for a 66, F2 or F3 prefix (SSE
	// encodings), and for a memory operand where the table says N.
	if info.Flags&decode.FlagNp != 0 && in.Prefixes&(decode.PfxOpSize|decode.PfxRep|decode.PfxRepne) != 0 {
		return false
	}
	if strings.HasPrefix(info.Operands, "N") && in.HasMem {
		return false
	}
	return true
}

var ccNames = [16]string{"O", "NO", "B", "AE", "E", "NE", "BE", "A", "S", "NS", "P", "NP", "L", "GE", "LE", "G"}

// x86Mnemonic is x86asm's mnemonic folded onto our table's spelling
// (operand-size variants share one row of ours).
func x86Mnemonic(x *x86asm.Inst) string {
	s := x.Op.String()
	switch s {
	case "CWDE":
		return "CBW"
	case "CDQ":
		return "CWD"
	case "PUSHAD":
		return "PUSHA"
	case "POPAD":
		return "POPA"
	case "PUSHFD":
		return "PUSHF"
	case "POPFD":
		return "POPF"
	case "IRETD":
		return "IRET"
	case "INSD", "OUTSD", "MOVSD", "CMPSD", "STOSD", "LODSD", "SCASD":
		return s[:len(s)-1] + "W"
	case "JECXZ":
		return "JCXZ"
	case "XLATB":
		return "XLAT"
	case "LCALL":
		return "CALLF"
	case "LJMP":
		return "JMPF"
	case "LRET":
		return "RETF"
	case "FWAIT":
		return "WAIT"
	case "ICEBP":
		return "INT1"
	case "PAUSE":
		return "NOP" // F3 90: REP NOP on the P6
	case "INT":
		if x.Opcode>>24 == 0xCC {
			return "INT3"
		}
	}
	return s
}

// sameMnemonic compares our Op with x86asm's (folded) mnemonic.
func sameMnemonic(in *decode.Inst, x string) bool {
	m := in.Op.Info().Mnemonic
	cc := ccNames[in.Opcode&15]
	switch m {
	case "Jcc":
		return x == "J"+cc
	case "SETcc":
		return x == "SET"+cc
	case "CMOVcc":
		return x == "CMOV"+cc
	case "ESC":
		return strings.HasPrefix(x, "F") // any x87 instruction
	case "XCHG":
		return x == "XCHG" || x == "NOP" && in.Opcode == 0x90
	}
	return m == x
}

// expectArgs builds the x86asm operand list our decoding implies, from the
// table's operand notation. checkable is false for forms x86asm spells
// with operands the table leaves implicit (string instructions, x87).
func expectArgs(in *decode.Inst) (args []any, checkable bool) {
	info := in.Op.Info()
	if info.Operands == "" {
		return nil, info.Flags&decode.FlagStr == 0 && info.Mnemonic != "XLAT" && info.Mnemonic != "INT3"
	}
	v := int(in.OpSize)
	for _, o := range strings.Split(info.Operands, ",") {
		var a any
		switch o {
		case "Eb", "Ew", "Ev", "Ed":
			if in.HasMem {
				a = memArg(in)
			} else {
				a = gpr(sizeOf(o[1], v), in.RM())
			}
		case "M", "Ma", "Mp", "Ms", "Mq", "Ob", "Ov":
			a = memArg(in)
		case "Pq":
			a = x86asm.M0 + x86asm.Reg(in.Reg())
		case "Qq", "Qd":
			if in.HasMem {
				a = memArg(in)
			} else {
				a = x86asm.M0 + x86asm.Reg(in.RM())
			}
		case "Nq":
			a = x86asm.M0 + x86asm.Reg(in.RM())
		case "Gb", "Gw", "Gv", "Gd":
			a = gpr(sizeOf(o[1], v), in.Reg())
		case "Rd":
			a = gpr(4, in.RM())
		case "Zb", "Zv", "Zd":
			a = gpr(sizeOf(o[1], v), uint8(in.Opcode&7))
		case "Sw":
			a = x86asm.ES + x86asm.Reg(in.Reg())
		case "Cd":
			a = x86asm.CR0 + x86asm.Reg(in.Reg())
		case "Dd":
			a = x86asm.DR0 + x86asm.Reg(in.Reg())
		case "Td":
			a = x86asm.TR0 + x86asm.Reg(in.Reg())
		case "AL":
			a = x86asm.AL
		case "CL":
			a = x86asm.CL
		case "DX":
			a = x86asm.DX
		case "eAX":
			a = gpr(v, cpu.EAX)
		case "ES", "CS", "SS", "DS", "FS", "GS":
			a = x86asm.ES + x86asm.Reg(strings.Index("ES CS SS DS FS GS", o)/3)
		case "1":
			a = x86asm.Imm(1)
		case "Ib":
			if info.Mnemonic == "ENTER" {
				a = immArg(in.Imm2, 1)
			} else {
				a = immArg(in.Imm, 1)
			}
		case "Ibs", "Iz":
			a = immArg(in.Imm, v)
		case "Iw":
			a = immArg(in.Imm, 2)
		case "Jb", "Jz":
			a = x86asm.Rel(int32(in.Imm))
		case "Ap":
			args = append(args, immArg(in.Imm2, 2))
			a = immArg(in.Imm, v)
		default: // Ex (x87)
			return nil, false
		}
		args = append(args, a)
	}
	return args, true
}

// immVal is an immediate, compared modulo its operand width.
type immVal struct {
	v    uint32
	size int
}

func (i immVal) String() string { return fmt.Sprintf("imm%d(%#x)", 8*i.size, i.v) }

func immArg(v uint32, size int) immVal { return immVal{v, size} }

func gpr(size int, n uint8) x86asm.Reg {
	switch size {
	case 1:
		return x86asm.AL + x86asm.Reg(n)
	case 2:
		return x86asm.AX + x86asm.Reg(n)
	}
	return x86asm.EAX + x86asm.Reg(n)
}

func sizeOf(c byte, v int) int {
	switch c {
	case 'b':
		return 1
	case 'w':
		return 2
	case 'd':
		return 4
	}
	return v
}

func memArg(in *decode.Inst) x86asm.Mem {
	m := x86asm.Mem{Disp: int64(in.Disp)}
	if in.Prefixes&decode.PfxSeg != 0 {
		m.Segment = x86asm.ES + x86asm.Reg(in.Seg)
	}
	if in.Base != decode.NoReg {
		m.Base = gpr(int(in.AdSize), in.Base)
	}
	if in.Index != decode.NoReg {
		m.Index = gpr(int(in.AdSize), in.Index)
		m.Scale = 1 << in.Scale
	}
	return m
}

func sameArgs(want []any, have []x86asm.Arg, in *decode.Inst) bool {
	if len(want) != len(have) {
		return false
	}
	for i, w := range want {
		h := have[i]
		switch w := w.(type) {
		case immVal:
			hv, ok := h.(x86asm.Imm)
			mask := uint64(1)<<(8*w.size) - 1
			if !ok || uint64(hv)&mask != uint64(w.v)&mask {
				return false
			}
		case x86asm.Mem:
			hm, ok := h.(x86asm.Mem)
			if !ok {
				return false
			}
			mask := uint64(1)<<(8*in.AdSize) - 1
			if hm.Segment != w.Segment || hm.Base != w.Base || hm.Index != w.Index ||
				uint64(hm.Disp)&mask != uint64(w.Disp)&mask {
				return false
			}
			if w.Index != 0 && hm.Scale != w.Scale {
				return false
			}
		default:
			if w != any(h) {
				return false
			}
		}
	}
	return true
}

// knownDiff explains a class of disagreements between our decoder and
// x86asm. Ops lists opcodes and ranges ("D8-DF", "0F 24", "0F 10-17");
// Regs limits the ModRM reg field ("1-7"); Form is "reg", "mem" or any;
// Pfx is a prefix set of xcheckPrefixes (or any); Mode is 16, 32 or any.
type knownDiff struct {
	Ops  string
	Regs string
	Form string
	Pfx  string
	Mode int
	Kind diffKind
	Why  string
}

func matchKnown(k diffKey) int {
	for i, d := range knownDiffs {
		if d.Kind != k.kind || d.Mode != 0 && d.Mode != k.mode {
			continue
		}
		if d.Form == "reg" && k.memForm || d.Form == "mem" && !k.memForm {
			continue
		}
		if d.Pfx != "" && d.Pfx != pfxName(k.pfx) {
			continue
		}
		if !inRanges(d.Regs, k.reg) || !opsMatch(d.Ops, k.opc) {
			continue
		}
		return i
	}
	return -1
}

// opsMatch parses a knownDiff.Ops list: comma-separated entries, each an
// opcode or a range, "0F " marking the two-byte map.
func opsMatch(ops string, opc int) bool {
	for _, e := range strings.Split(ops, ",") {
		e = strings.TrimSpace(e)
		base := 0
		if strings.HasPrefix(e, "0F ") {
			base, e = 256, e[3:]
		}
		lo, hi, ok := strings.Cut(e, "-")
		if !ok {
			hi = lo
		}
		l, err1 := strconv.ParseUint(lo, 16, 8)
		h, err2 := strconv.ParseUint(hi, 16, 8)
		if err1 != nil || err2 != nil {
			panic("bad knownDiff Ops " + ops)
		}
		if opc >= base+int(l) && opc <= base+int(h) {
			return true
		}
	}
	return false
}

func inRanges(s string, v int) bool {
	if s == "" {
		return true
	}
	for _, e := range strings.Split(s, ",") {
		lo, hi, ok := strings.Cut(e, "-")
		if !ok {
			hi = lo
		}
		l, _ := strconv.Atoi(lo)
		h, _ := strconv.Atoi(hi)
		if v >= l && v <= h {
			return true
		}
	}
	return false
}

// mmxOps are the MMX instructions of the 0F map (Pentium MMX and P6);
// opcodes.csv has them (np: no 66, F2 or F3 prefix).
const mmxOps = "0F 60-6B, 0F 6E-6F, 0F 71-77, 0F 7E-7F, 0F D1-D3, 0F D5, 0F D8-D9, 0F DB-DD, 0F DF, " +
	"0F E1-E2, 0F E5, 0F E8-E9, 0F EB-ED, 0F EF, 0F F1-F3, 0F F5, 0F F8-FA, 0F FC-FE"

// sseOps are SSE and later instructions of the 0F map (Pentium III on),
// MMX rows that only SSE or SSE2 extended, and the 0F 38/0F 3A maps.
const sseOps = "0F 10-17, 0F 28-2F, 0F 38, 0F 3A, 0F 50-5F, 0F 6C-6D, 0F 70, 0F 7C-7D, 0F C2-C6, 0F D0, 0F D4, " +
	"0F D6-D7, 0F DA, 0F DE, 0F E0, 0F E3-E4, 0F E6-E7, 0F EA, 0F EE, 0F F4, 0F F6-F7, 0F FB"

// knownDiffs is the list of explained disagreements. Each says who is
// right and why, citing the SDM (Vol. 2, Appendix A opcode maps) where it
// speaks.
var knownDiffs = []knownDiff{
	// Encodings real Intel CPUs execute that x86asm does not decode.
	{Ops: "82", Kind: onlyOurs,
		Why: "82 /r is Grp1 Eb,Ib in SDM Table A-2 (i64: invalid only in 64-bit mode), an alias of 80 /r; x86asm omits it"},
	{Ops: "C0-C1, D0-D3", Regs: "6", Kind: onlyOurs,
		Why: "undocumented SAL alias of SHL (/4); the SDM map leaves /6 blank, 286+ CPUs shift like /4"},
	{Ops: "D6", Kind: onlyOurs,
		Why: "undocumented SALC (AL = CF ? FF : 00) on every Intel model; blank in SDM Table A-2"},
	{Ops: "F6-F7", Regs: "1", Kind: onlyOurs,
		Why: "undocumented TEST alias of /0; blank in SDM Table A-6 Grp3, executed as TEST by Intel CPUs"},
	{Ops: "D9-DF", Kind: onlyOurs,
		Why: "x87 escapes decode as ESC Ex (length from ModRM alone); reserved and undocumented FPU forms (FSTP1 D9 D8+i, FCOM2 DC D0+i, FFREEP DF C0+i, D9 /1 memory, ...) are the FPU handler's to accept or #UD; x86asm rejects them"},
	{Ops: "0F 1F", Regs: "1-7", Kind: onlyOurs,
		Why: "SDM documents only NOP 0F 1F /0; P6 CPUs execute the whole 0F 1F /r row as NOP Ev (hint-NOP space), as our table does"},

	// Later instructions that a Pentium II does not have (#UD there).
	{Ops: "C6-C7", Regs: "7", Form: "reg", Kind: onlyX86asm,
		Why: "XABORT/XBEGIN (C6 F8, C7 F8) are TSX (Haswell); #UD on the P2"},
	{Ops: "0F 01", Regs: "1,2,7", Form: "reg", Kind: onlyX86asm,
		Why: "MONITOR/MWAIT, XGETBV/XSETBV, SWAPGS/RDTSCP live in the register forms of memory-only 0F 01 /1 /2 /7 on later CPUs; #UD on the P2"},
	{Ops: "0F 0D, 0F 18", Form: "mem", Kind: onlyX86asm,
		Why: "PREFETCHW (0F 0D /1) and PREFETCHh (0F 18 /0-3, SSE) postdate the P2"},
	{Ops: "0F 24, 0F 26", Kind: onlyX86asm,
		Why: "MOV to/from test registers exists on the 386 and 486 only (our table: 386-486); #UD on the Pentium and later"},
	{Ops: mmxOps, Pfx: "66", Kind: onlyX86asm,
		Why: "with a 66 prefix the MMX opcodes are SSE2 instructions on XMM registers (F3 0F 6F/7E/7F: SSE2 MOVDQU/MOVQ); the SDM marks the MMX forms NP, the table np, and the handlers raise #UD, as a P2 without SSE2 does"},
	{Ops: mmxOps, Pfx: "6667", Kind: onlyX86asm,
		Why: "with a 66 prefix the MMX opcodes are SSE2 instructions on XMM registers (F3 0F 6F/7E/7F: SSE2 MOVDQU/MOVQ); the SDM marks the MMX forms NP, the table np, and the handlers raise #UD, as a P2 without SSE2 does"},
	{Ops: "0F 6F, 0F 7E-7F", Pfx: "F3", Kind: onlyX86asm,
		Why: "with a 66 prefix the MMX opcodes are SSE2 instructions on XMM registers (F3 0F 6F/7E/7F: SSE2 MOVDQU/MOVQ); the SDM marks the MMX forms NP, the table np, and the handlers raise #UD, as a P2 without SSE2 does"},
	{Ops: "0F 77", Pfx: "F3", Kind: onlyX86asm,
		Why: "x86asm ignores REP on EMMS; the SDM's encoding is NP 0F 77, so ours (np) raises #UD with 66, F2 or F3"},
	{Ops: sseOps, Kind: onlyX86asm,
		Why: "SSE and later (Pentium III on); #UD on the P2"},
	{Ops: "0F AA", Kind: onlyX86asm,
		Why: "RSM is valid only in SMM, which ringzero does not model: #UD outside it"},
	{Ops: "0F AE", Regs: "2-7", Kind: onlyX86asm,
		Why: "0F AE /2-/7 (LDMXCSR/STMXCSR, the XSAVE family, LFENCE/MFENCE/SFENCE) are SSE and later; the P2 has only FXSAVE and FXRSTOR (/0, /1, memory)"},
	{Ops: "0F B8", Pfx: "F3", Kind: onlyX86asm,
		Why: "F3 0F B8 is POPCNT (Nehalem); 0F B8 is #UD on the P2"},
	{Ops: "0F B9, 0F FF", Kind: onlyX86asm,
		Why: "UD1 and UD0 raise #UD by definition; ours decodes them as Invalid, so only the reported length differs"},
	{Ops: "0F C7", Kind: onlyX86asm,
		Why: "0F C7 /3-/6 (XRSTORS, XSAVEC, XSAVES, RDRAND) postdate the P2, where only CMPXCHG8B (/1) exists"},

	// Differences in how an operand is spelled or which prefix wins.
	{Ops: "8E, 0F 02-03", Form: "reg", Kind: diffArgs,
		Why: "MOV Sw,Ew and LAR/LSL Gv,Ew read only the low 16 bits of a register source; x86asm names it by operand size (EAX), SDM Table A-2 says Ew"},
	{Ops: "0F 00, 0F 01", Regs: "0,1,4", Form: "reg", Kind: diffArgs,
		Why: "SLDT/STR/SMSW with a register destination write an operand-size register (SDM Table A-6: Rv/Mw); the table's Ew names the memory form and Inst.OpSize gives the register width"},
	{Ops: "0F C8-CF", Kind: diffArgs,
		Why: "BSWAP with a 16-bit operand size is undefined (SDM BSWAP); the table spells Zd, x86asm shows the 16-bit register"},
	{Ops: "0F 20-23", Form: "mem", Kind: diffLen,
		Why: "MOV to/from CRn/DRn ignore the mod field and always name registers (SDM MOV, 'The two bits in the mod field are ignored'); x86asm consumes a displacement"},
	{Ops: "0F 20, 0F 22", Pfx: "F0", Kind: diffArgs,
		Why: "LOCK MOV CRn is AMD's encoding of CR8-CR15; on Intel CPUs LOCK makes it #UD (the handler checks PfxLock)"},
	{Ops: "0F BC-BD", Pfx: "F3", Kind: diffOp,
		Why: "F3 0F BC/BD are TZCNT/LZCNT on BMI1/LZCNT CPUs; earlier CPUs ignore the REP prefix and execute BSF/BSR (SDM LZCNT note)"},
}
