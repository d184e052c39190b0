package cputest

import (
	"context"
	"fmt"
	"strings"

	"ringzero/cpu"
)

// maxSteps bounds the Run(ctx, 1) calls spent on one REP string
// instruction. The suites mask CX to 7 bits; the bound only stops an engine
// that never finishes one.
const maxSteps = 1 << 17

// Case is the outcome of one test.
type Case struct {
	File   string // file key ("F6.6")
	Index  int
	Name   string // the suite's disassembly
	Hash   string
	Bytes  []byte
	Passed bool
	Diffs  []Diff
	// Note explains a run that went wrong before the comparison: an engine
	// error, an unexpected exit, a missing HLT.
	Note string
}

// Disasm returns the x86asm disassembly of the test's bytes.
func (c *Case) Disasm() string { return Disasm(c.Bytes) }

// String formats the case: a header line with the suite's name for the
// instruction, its bytes and disassembly, then one line per difference.
func (c *Case) String() string {
	var b strings.Builder
	verdict := "FAIL"
	if c.Passed {
		verdict = "ok"
	}
	fmt.Fprintf(&b, "%s %s #%d %q  [%s]  %s", verdict, c.File, c.Index, c.Name, hexBytes(c.Bytes), c.Disasm())
	if c.Hash != "" {
		h := c.Hash
		if len(h) > 16 {
			h = h[:16]
		}
		fmt.Fprintf(&b, "  hash %s", h)
	}
	if c.Note != "" {
		fmt.Fprintf(&b, "\n    %s", c.Note)
	}
	for _, d := range c.Diffs {
		fmt.Fprintf(&b, "\n    %s", d)
	}
	return b.String()
}

// Machine runs single tests: one RAM and one engine, reused from test to
// test through RAM.Reset and Engine.SetState. A Machine is not safe for
// concurrent use; Run gives each worker its own.
type Machine struct {
	Model  cpu.Model
	RAM    *RAM
	Engine cpu.Engine

	final map[uint32]struct{} // scratch: addresses the final state lists
}

// NewMachine builds the RAM for model m and an engine on it.
func NewMachine(m cpu.Model, newEngine NewEngine) *Machine {
	ram := NewRAM(AddrBits(m))
	return &Machine{
		Model:  m,
		RAM:    ram,
		Engine: newEngine(m, cpu.Env{Bus: ram}),
		final:  make(map[uint32]struct{}),
	}
}

// initialFlags is the FLAGS value a test starts with. The 286 suite's
// initial state is the image given to LOADALL and may have IOPL and NT
// (bits 12-15) set, which real mode cannot; its README asks harnesses to
// clear them, and every 286 final state shows them clear. The 8086 reads
// them as ones (as do all of the 8086 suite's states).
func initialFlags(m cpu.Model, v uint16) uint32 {
	if m >= cpu.Model386 {
		return uint32(v) | cpu.FlagRsv1
	}
	return uint32(v)&^0xF000 | m.FixedFlags()
}

// want returns the expected final value of register r.
func (x *Machine) want(t *Test, r Reg) uint16 {
	if r == RegFlags && !t.Final.Regs.Has(r) {
		return uint16(initialFlags(x.Model, t.Init.Regs.V[r]))
	}
	return t.Want(r)
}

// segRegs maps the suites' segment registers to State.Seg indices.
var segRegs = [...]struct {
	reg Reg
	seg int
}{{RegES, cpu.ES}, {RegCS, cpu.CS}, {RegSS, cpu.SS}, {RegDS, cpu.DS}}

// gprRegs maps the suites' general registers to State.Regs indices.
var gprRegs = [...]struct {
	reg Reg
	gpr int
}{
	{RegAX, cpu.EAX}, {RegBX, cpu.EBX}, {RegCX, cpu.ECX}, {RegDX, cpu.EDX},
	{RegSP, cpu.ESP}, {RegBP, cpu.EBP}, {RegSI, cpu.ESI}, {RegDI, cpu.EDI},
}

// State returns the real-mode cpu.State a test starts from: segment bases
// selector<<4, 64 KiB limits, the IVT at 0.
func (x *Machine) State(t *Test) cpu.State {
	var s cpu.State
	s.Reset(x.Model)
	r := &t.Init.Regs
	for _, g := range gprRegs {
		s.Regs[g.gpr] = uint32(r.V[g.reg])
	}
	for _, sr := range segRegs {
		sel := r.V[sr.reg]
		attr := cpu.RealModeAttr
		if sr.seg == cpu.CS {
			attr |= cpu.AttrCode
		}
		s.Seg[sr.seg] = cpu.Segment{Selector: sel, Base: uint32(sel) << 4, Limit: 0xFFFF, Attr: attr}
	}
	s.EIP = uint32(r.V[RegIP])
	s.EFlags = initialFlags(x.Model, r.V[RegFlags])
	return s
}

// got reads register r from the engine's state.
func got(s *cpu.State, r Reg) uint16 {
	switch r {
	case RegCS:
		return s.Seg[cpu.CS].Selector
	case RegSS:
		return s.Seg[cpu.SS].Selector
	case RegDS:
		return s.Seg[cpu.DS].Selector
	case RegES:
		return s.Seg[cpu.ES].Selector
	case RegIP:
		return uint16(s.EIP)
	case RegFlags:
		return uint16(s.EFlags)
	}
	for _, g := range gprRegs {
		if g.reg == r {
			return uint16(s.Regs[g.gpr])
		}
	}
	return 0
}

// RunTest runs one test of f and compares the outcome.
func (x *Machine) RunTest(ctx context.Context, f *File, t *Test) Case {
	c := Case{File: f.Key, Index: t.Index, Name: t.Name, Hash: t.Hash, Bytes: t.Bytes}
	x.RAM.Reset()
	x.RAM.Load(t.Init.RAM)
	s := x.State(t)
	if err := x.Engine.SetState(&s); err != nil {
		c.Note = fmt.Sprintf("engine error: SetState: %v", err)
		return c
	}
	c.Note = x.execute(ctx, f, t)
	c.Diffs = x.compare(t)
	c.Passed = c.Note == "" && len(c.Diffs) == 0
	return c
}

// execute runs the test's instruction to its end as the suite defines it.
//
// One instruction is one Run(ctx, 1), which by the engine contract
// includes its prefixes and the delivery of any interrupt it raises (the
// IVT push and the jump to the handler). A REP string instruction retires
// one iteration per cycle and, stopped by the budget, leaves EIP at its
// first prefix: it is stepped again while CS:EIP stays put. The 286 suite
// then runs the HLT that follows (or that was planted at the jump target
// or handler): its final IP points past that HLT.
func (x *Machine) execute(ctx context.Context, f *File, t *Test) string {
	st := x.Engine.State()
	cs, ip := st.Seg[cpu.CS].Selector, st.EIP
	rep := isRepString(t.Bytes, x.Model)
	for n := 0; ; n++ {
		exit, err := x.Engine.Run(ctx, 1)
		if err != nil {
			return fmt.Sprintf("engine error: %v", err)
		}
		st = x.Engine.State()
		if st.Halted {
			return "" // the HLT under test (286 F4) ends it too
		}
		if exit.Reason != cpu.ExitBudget && exit.Reason != cpu.ExitNone {
			return fmt.Sprintf("engine stopped: %v", exit.Reason)
		}
		if !rep || st.Seg[cpu.CS].Selector != cs || st.EIP != ip {
			break
		}
		if n >= maxSteps {
			return fmt.Sprintf("REP string instruction still running after %d steps", n)
		}
	}
	if !f.HaltEnds {
		return ""
	}
	at := fmt.Sprintf("%04x:%04x", st.Seg[cpu.CS].Selector, uint16(st.EIP))
	exit, err := x.Engine.Run(ctx, 1)
	if err != nil {
		return fmt.Sprintf("engine error at the closing HLT (%s): %v", at, err)
	}
	if !x.Engine.State().Halted {
		return fmt.Sprintf("no HLT after the instruction: the next one, at %s, did not halt (exit %v)", at, exit.Reason)
	}
	return ""
}

// isRepString reports whether inst is a string instruction with a REP,
// REPE or REPNE prefix among its leading prefixes.
func isRepString(inst []byte, m cpu.Model) bool {
	rep := false
	for _, b := range inst {
		switch {
		case b == 0xF2 || b == 0xF3:
			rep = true
		case b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0:
		case b == 0xF1 && m < cpu.Model286: // LOCK alias on the 8086
		case b >= 0x64 && b <= 0x67 && m >= cpu.Model386:
		default:
			switch {
			case b >= 0xA4 && b <= 0xA7, b >= 0xAA && b <= 0xAF:
				return rep
			case b >= 0x6C && b <= 0x6F && m >= cpu.Model186: // INS/OUTS (60-6F alias 70-7F on the 8086)
				return rep
			}
			return false
		}
	}
	return false
}

// compare checks the registers and memory against the expected final
// state: the initial state overlaid by the final one.
func (x *Machine) compare(t *Test) []Diff {
	var diffs []Diff
	st := x.Engine.State()
	for r := Reg(0); r < NumRegs; r++ {
		w, g, m := x.want(t, r), got(st, r), t.Mask[r]
		if w&m != g&m {
			diffs = append(diffs, Diff{Reg: r, Want: uint32(w), Got: uint32(g), Mask: m})
		}
	}
	// A pushed FLAGS word holds the same undefined flags as the register.
	var lo, hi uint32 = ^uint32(0), ^uint32(0)
	if e := t.Exception; e != nil {
		lo, hi = e.FlagsAddr&x.RAM.mask, (e.FlagsAddr+1)&x.RAM.mask
	}
	fm := t.Mask[RegFlags]
	check := func(a uint32, want uint8) {
		a &= x.RAM.mask
		m := uint8(0xFF)
		switch a {
		case lo:
			m = uint8(fm)
		case hi:
			m = uint8(fm >> 8)
		}
		if g := x.RAM.Byte(a); g&m != want&m {
			diffs = append(diffs, Diff{Reg: NumRegs, Addr: a, Want: uint32(want), Got: uint32(g), Mask: 0xFF00 | uint16(m)})
		}
	}
	clear(x.final)
	for _, b := range t.Final.RAM {
		x.final[b.Addr] = struct{}{}
		check(b.Addr, b.Val)
	}
	for _, b := range t.Init.RAM {
		if _, ok := x.final[b.Addr]; !ok {
			check(b.Addr, b.Val)
		}
	}
	return diffs
}
