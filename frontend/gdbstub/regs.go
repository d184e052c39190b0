package gdbstub

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"ringzero/cpu"
	"ringzero/cpu/x87"
)

// The register file gdb sees: the order of g and G packets and the
// register numbers of p and P, described to gdb by targetXML. The first
// 32 are gdb's i386 core registers in gdb's own order (what gdb expects
// with or without a target description): eax ecx edx ebx esp ebp esi edi
// eip eflags cs ss ds es fs gs, then the x87 stack and control registers.
// Then ringzero's system registers (not gdb's org.gnu.gdb.i386.segments
// feature for fs_base and gs_base, which gdb 13 rejects on a 32-bit
// target with an internal error): the segment bases, CR0-CR4, GDTR,
// IDTR, LDTR and TR, which "info registers" lists with the general ones
// (as QEMU's control registers), and the debug registers, in gdb's
// "system" group ("info registers system").

// register is one register: its tdesc entry and how it maps to State.
type register struct {
	name    string
	bits    int
	typ     string // tdesc type
	group   string // tdesc group ("" for the default)
	feature int    // index in features
	get     func(s *cpu.State) uint64
	set     func(s *cpu.State, v uint64)
	// st is the x87 stack register number for 80-bit registers (get and
	// set unused), -1 otherwise.
	st int
}

var features = []string{"org.gnu.gdb.i386.core", "org.ringzero.i386.system"}

func gpr(i int) (func(*cpu.State) uint64, func(*cpu.State, uint64)) {
	return func(s *cpu.State) uint64 { return uint64(s.Regs[i]) },
		func(s *cpu.State, v uint64) { s.Regs[i] = uint32(v) }
}

// selector is a segment register as gdb sees it: the selector. Writing
// one in real or virtual-8086 mode also sets the base (selector * 16),
// as a load would; in protected mode only the selector changes (write
// the _base register too, or reload it in the guest).
func selector(i int) (func(*cpu.State) uint64, func(*cpu.State, uint64)) {
	return func(s *cpu.State) uint64 { return uint64(s.Seg[i].Selector) },
		func(s *cpu.State, v uint64) {
			s.Seg[i].Selector = uint16(v)
			if s.CR[0]&cpu.CR0PE == 0 || s.EFlags&cpu.FlagVM != 0 {
				s.Seg[i].Base = uint32(uint16(v)) << 4
			}
		}
}

func segBase(i int) (func(*cpu.State) uint64, func(*cpu.State, uint64)) {
	return func(s *cpu.State) uint64 { return uint64(s.Seg[i].Base) },
		func(s *cpu.State, v uint64) { s.Seg[i].Base = uint32(v) }
}

func field32(p func(s *cpu.State) *uint32) (func(*cpu.State) uint64, func(*cpu.State, uint64)) {
	return func(s *cpu.State) uint64 { return uint64(*p(s)) },
		func(s *cpu.State, v uint64) { *p(s) = uint32(v) }
}

func field16(p func(s *cpu.State) *uint16) (func(*cpu.State) uint64, func(*cpu.State, uint64)) {
	return func(s *cpu.State) uint64 { return uint64(*p(s)) },
		func(s *cpu.State, v uint64) { *p(s) = uint16(v) }
}

var registers = buildRegisters()

func buildRegisters() []register {
	var r []register
	add := func(name string, bits int, typ, group string, feature int, get func(*cpu.State) uint64, set func(*cpu.State, uint64)) {
		r = append(r, register{name: name, bits: bits, typ: typ, group: group, feature: feature, get: get, set: set, st: -1})
	}
	for i, n := range []string{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"} {
		typ := "int32"
		if i == cpu.ESP || i == cpu.EBP {
			typ = "data_ptr"
		}
		g, s := gpr(i)
		add(n, 32, typ, "general", 0, g, s)
	}
	g, s := field32(func(s *cpu.State) *uint32 { return &s.EIP })
	add("eip", 32, "code_ptr", "general", 0, g, s)
	add("eflags", 32, "i386_eflags", "general", 0,
		func(s *cpu.State) uint64 { return uint64(s.EFlags) },
		func(s *cpu.State, v uint64) { s.EFlags = uint32(v) | cpu.FlagRsv1 })
	// gdb's order: cs ss ds es fs gs (State's is es cs ss ds fs gs).
	for _, seg := range []struct {
		name string
		i    int
	}{{"cs", cpu.CS}, {"ss", cpu.SS}, {"ds", cpu.DS}, {"es", cpu.ES}, {"fs", cpu.FS}, {"gs", cpu.GS}} {
		g, s := selector(seg.i)
		add(seg.name, 32, "int32", "general", 0, g, s)
	}
	for i := 0; i < 8; i++ {
		r = append(r, register{name: fmt.Sprintf("st%d", i), bits: 80, typ: "i387_ext", group: "float", st: i})
	}
	fpu := []struct {
		name string
		get  func(f *x87.FPU) uint32
		set  func(f *x87.FPU, v uint32)
	}{
		{"fctrl", func(f *x87.FPU) uint32 { return uint32(f.CW) }, func(f *x87.FPU, v uint32) { f.CW = uint16(v) }},
		{"fstat", func(f *x87.FPU) uint32 { return uint32(f.SW) }, func(f *x87.FPU, v uint32) { f.SW = uint16(v) }},
		{"ftag", func(f *x87.FPU) uint32 { return uint32(f.TW) }, func(f *x87.FPU, v uint32) { f.TW = uint16(v) }},
		{"fiseg", func(f *x87.FPU) uint32 { return uint32(f.FCS) }, func(f *x87.FPU, v uint32) { f.FCS = uint16(v) }},
		{"fioff", func(f *x87.FPU) uint32 { return f.FIP }, func(f *x87.FPU, v uint32) { f.FIP = v }},
		{"foseg", func(f *x87.FPU) uint32 { return uint32(f.FDS) }, func(f *x87.FPU, v uint32) { f.FDS = uint16(v) }},
		{"fooff", func(f *x87.FPU) uint32 { return f.FDP }, func(f *x87.FPU, v uint32) { f.FDP = v }},
		{"fop", func(f *x87.FPU) uint32 { return uint32(f.FOP) }, func(f *x87.FPU, v uint32) { f.FOP = uint16(v) & 0x7FF }},
	}
	for _, f := range fpu {
		add(f.name, 32, "int", "float", 0,
			func(s *cpu.State) uint64 { return uint64(f.get(&s.FPU)) },
			func(s *cpu.State, v uint64) { f.set(&s.FPU, uint32(v)) })
	}
	g, s = segBase(cpu.FS)
	add("fs_base", 32, "data_ptr", "", 1, g, s)
	g, s = segBase(cpu.GS)
	add("gs_base", 32, "data_ptr", "", 1, g, s)
	for _, seg := range []struct {
		name string
		i    int
	}{{"cs_base", cpu.CS}, {"ss_base", cpu.SS}, {"ds_base", cpu.DS}, {"es_base", cpu.ES}} {
		g, s := segBase(seg.i)
		add(seg.name, 32, "data_ptr", "", 1, g, s)
	}
	for _, cr := range []struct {
		name, typ string
		i         int
	}{{"cr0", "i386_cr0", 0}, {"cr2", "data_ptr", 2}, {"cr3", "int32", 3}, {"cr4", "i386_cr4", 4}} {
		i := cr.i
		g, s := field32(func(s *cpu.State) *uint32 { return &s.CR[i] })
		add(cr.name, 32, cr.typ, "", 1, g, s)
	}
	g, s = field32(func(s *cpu.State) *uint32 { return &s.GDTR.Base })
	add("gdtr_base", 32, "data_ptr", "", 1, g, s)
	g, s = field32(func(s *cpu.State) *uint32 { return &s.GDTR.Limit })
	add("gdtr_limit", 32, "int32", "", 1, g, s)
	g, s = field32(func(s *cpu.State) *uint32 { return &s.IDTR.Base })
	add("idtr_base", 32, "data_ptr", "", 1, g, s)
	g, s = field32(func(s *cpu.State) *uint32 { return &s.IDTR.Limit })
	add("idtr_limit", 32, "int32", "", 1, g, s)
	g, s = field16(func(s *cpu.State) *uint16 { return &s.LDTR.Selector })
	add("ldtr", 32, "int32", "", 1, g, s)
	g, s = field16(func(s *cpu.State) *uint16 { return &s.TR.Selector })
	add("tr", 32, "int32", "", 1, g, s)
	for _, i := range []int{0, 1, 2, 3, 6, 7} {
		g, s := field32(func(s *cpu.State) *uint32 { return &s.DR[i] })
		add(fmt.Sprintf("dr%d", i), 32, "int32", "system", 1, g, s)
	}
	return r
}

// bytes is the register's value in target byte order (little-endian).
func (r *register) bytes(s *cpu.State) []byte {
	if r.st >= 0 {
		b := s.FPU.R[(int(s.FPU.SW>>11&7)+r.st)&7].Bytes()
		return b[:]
	}
	return binary.LittleEndian.AppendUint64(nil, r.get(s))[:r.bits/8]
}

// setBytes writes the register from len(b) == bits/8 bytes.
func (r *register) setBytes(s *cpu.State, b []byte) {
	if r.st >= 0 {
		s.FPU.R[(int(s.FPU.SW>>11&7)+r.st)&7] = x87.FromBytes(b)
		return
	}
	var v [8]byte
	copy(v[:], b)
	r.set(s, binary.LittleEndian.Uint64(v[:]))
}

// readRegisters is the g reply: every register in order, in hex.
func readRegisters(s *cpu.State) string {
	var sb strings.Builder
	for i := range registers {
		sb.WriteString(hex.EncodeToString(registers[i].bytes(s)))
	}
	return sb.String()
}

// writeRegisters applies a G packet's hex: registers in order, as many
// as it holds completely.
func writeRegisters(s *cpu.State, h string) error {
	b, err := hex.DecodeString(h)
	if err != nil {
		return err
	}
	for i := range registers {
		n := registers[i].bits / 8
		if len(b) < n {
			break
		}
		registers[i].setBytes(s, b[:n])
		b = b[n:]
	}
	return nil
}

// targetXML is the target description gdb reads with
// qXfer:features:read:target.xml (GDB manual, "Target Descriptions").
var targetXML = buildTargetXML()

func buildTargetXML() string {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
<architecture>i386</architecture>
`)
	for fi, f := range features {
		fmt.Fprintf(&sb, "<feature name=%q>\n", f)
		if fi == 0 {
			sb.WriteString(flagsXML("i386_eflags", []string{"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF", "", "", "NT", "", "RF", "VM", "AC", "VIF", "VIP", "ID"}))
		}
		if fi == 1 {
			sb.WriteString(flagsXML("i386_cr0", []string{"PE", "MP", "EM", "TS", "ET", "NE", 16: "WP", 18: "AM", 29: "NW", 30: "CD", 31: "PG"}))
			sb.WriteString(flagsXML("i386_cr4", []string{"VME", "PVI", "TSD", "DE", "PSE", "PAE", "MCE", "PGE", "PCE", "OSFXSR", "OSXMMEXCPT"}))
		}
		for i, r := range registers {
			if r.feature != fi {
				continue
			}
			fmt.Fprintf(&sb, "<reg name=%q bitsize=\"%d\" type=%q regnum=\"%d\"", r.name, r.bits, r.typ, i)
			if r.group != "" {
				fmt.Fprintf(&sb, " group=%q", r.group)
			}
			sb.WriteString("/>\n")
		}
		sb.WriteString("</feature>\n")
	}
	sb.WriteString("</target>\n")
	return sb.String()
}

// flagsXML describes a 32-bit flags register: one bit per named field.
func flagsXML(id string, bits []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "<flags id=%q size=\"4\">\n", id)
	for i, n := range bits {
		if n == "" {
			continue
		}
		fmt.Fprintf(&sb, "<field name=%q start=\"%d\" end=\"%d\"/>\n", n, i, i)
	}
	sb.WriteString("</flags>\n")
	return sb.String()
}
