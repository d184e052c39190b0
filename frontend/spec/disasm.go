package spec

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"

	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/devices/pc"
	"ringzero/mmu"
)

// How much code a report shows around CS:EIP.
const (
	disasmBefore = 4  // instructions before, when they decode back to EIP
	disasmAfter  = 6  // instructions from EIP on
	backBytes    = 24 // how far back to look for them
	aheadBytes   = 15 * disasmAfter
)

// cpuReport describes where the CPU stopped: CS:EIP, the mode, the
// registers and the code around EIP.
func cpuReport(m *pc.Machine, st *cpu.State) string {
	var b strings.Builder
	cs := st.Seg[cpu.CS]
	lin := cs.Base + st.EIP
	bits := 16
	if cs.Attr&cpu.AttrDB != 0 && st.EFlags&cpu.FlagVM == 0 {
		bits = 32
	}
	fmt.Fprintf(&b, "cpu: stopped at %04x:%08x (linear %08x), %s, %d-bit code", cs.Selector, st.EIP, lin, modeName(st), bits)
	if st.Halted {
		b.WriteString(", halted")
	}
	b.WriteString("\n")
	r := &st.Regs
	fmt.Fprintf(&b, "  eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x\n",
		r[cpu.EAX], r[cpu.EBX], r[cpu.ECX], r[cpu.EDX], r[cpu.ESI], r[cpu.EDI])
	fmt.Fprintf(&b, "  ebp=%08x esp=%08x eflags=%08x cr0=%08x cr2=%08x cr3=%08x\n",
		r[cpu.EBP], r[cpu.ESP], st.EFlags, st.CR[0], st.CR[2], st.CR[3])
	fmt.Fprintf(&b, "  cs=%04x ds=%04x es=%04x ss=%04x fs=%04x gs=%04x\n",
		cs.Selector, st.Seg[cpu.DS].Selector, st.Seg[cpu.ES].Selector, st.Seg[cpu.SS].Selector,
		st.Seg[cpu.FS].Selector, st.Seg[cpu.GS].Selector)
	lines := disassemble(m, st, bits)
	if len(lines) == 0 {
		fmt.Fprintf(&b, "  no code at %08x: it is not RAM or ROM\n", lin)
		return b.String()
	}
	b.WriteString("code:\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// disassemble returns the lines around CS:EIP, the current one marked
// "=>". The instructions before EIP are found by decoding from up to
// backBytes earlier and keeping a start that lands exactly on EIP, so
// they are a likely reading, not a certain one.
func disassemble(m *pc.Machine, st *cpu.State, bits int) []string {
	cs := st.Seg[cpu.CS]
	lin := cs.Base + st.EIP
	back := min(backBytes, int(min(lin, backBytes))) // no wrap below 0
	code, first := readCode(m, st, lin-uint32(back), back, back+aheadBytes)
	if code == nil || first > back {
		return nil
	}
	at := back - first // EIP's index in code
	start := at
	for back := at; back > 0; back-- {
		if n := decodesTo(code[at-back:at], bits); n > 0 {
			start = at - back
			// Keep only the last disasmBefore instructions.
			for n > disasmBefore {
				inst, _ := x86asm.Decode(code[start:], bits)
				start += inst.Len
				n--
			}
			break
		}
	}
	var lines []string
	off := start
	after := 0
	for off < len(code) && after < disasmAfter {
		inst, err := x86asm.Decode(code[off:], bits)
		eip := st.EIP + uint32(off-at)
		mark := "   "
		if off == at {
			mark = "=> "
		}
		if off >= at {
			after++
		}
		if err != nil {
			lines = append(lines, fmt.Sprintf("  %s%04x:%08x  %-20s (bad)", mark, cs.Selector, eip, fmt.Sprintf("%02x", code[off])))
			if off >= at {
				break
			}
			off++
			continue
		}
		text := strings.ToLower(x86asm.IntelSyntax(inst, uint64(eip), nil))
		lines = append(lines, fmt.Sprintf("  %s%04x:%08x  %-20s %s", mark, cs.Selector, eip, fmt.Sprintf("% x", code[off:off+inst.Len]), text))
		off += inst.Len
	}
	return lines
}

// decodesTo reports how many instructions code decodes into when they
// end exactly at its end; 0 when they do not.
func decodesTo(code []byte, bits int) int {
	n, off := 0, 0
	for off < len(code) {
		inst, err := x86asm.Decode(code[off:], bits)
		if err != nil {
			return 0
		}
		off += inst.Len
		n++
	}
	if off != len(code) {
		return 0
	}
	return n
}

// readCode reads up to n bytes of linear memory from lin through the
// guest's page tables, without side effects: only RAM and ROM pages are
// read, never MMIO. It returns the readable run that holds lin+back and
// the index in the requested range where it starts.
func readCode(m *pc.Machine, st *cpu.State, lin uint32, back, n int) ([]byte, int) {
	ctl := mmu.ControlFrom(st.CR[0], st.CR[3], st.CR[4])
	var out []byte
	first := -1
	for i := range n {
		a := lin + uint32(i)
		phys := a
		ok := true
		if ctl.PG {
			w := mmu.Walk(m.Bus, ctl, a, mmu.Read)
			phys, ok = w.Phys, w.Mapped
		}
		var page []byte
		if ok {
			page = m.Bus.RAMPage(phys, false)
		}
		if page == nil {
			if i < back {
				out, first = nil, -1 // restart after the hole
				continue
			}
			break
		}
		if first < 0 {
			first = i
		}
		out = append(out, page[phys&(mmu.PageSize-1)])
	}
	if first < 0 {
		return nil, 0
	}
	return out, first
}

// history returns the engine's recent exceptions, if it keeps them (the
// interpreter does).
func history(m *pc.Machine) []string {
	h, ok := m.CPU.(interface{ History() []interp.Event })
	if !ok {
		return nil
	}
	var out []string
	for _, e := range h.History() {
		out = append(out, fmt.Sprintf("instruction %d: %v at %04x:%08x", e.Cycle, e.Exception, e.CS, e.EIP))
	}
	return out
}
