package cputest

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// Diff is one mismatch between the expected and the actual final state.
type Diff struct {
	Reg  Reg    // the register, or NumRegs for a memory byte
	Addr uint32 // physical address of a memory byte
	Want uint32
	Got  uint32
	Mask uint16 // AND mask both sides were compared under (0xFFFF: exact)
}

// IsMem reports whether d is about a memory byte.
func (d Diff) IsMem() bool { return d.Reg >= NumRegs }

func (d Diff) String() string {
	var b strings.Builder
	switch {
	case d.IsMem():
		fmt.Fprintf(&b, "[%06x] want %02x got %02x", d.Addr, d.Want, d.Got)
		if m := uint8(d.Mask); m != 0xFF {
			fmt.Fprintf(&b, " (mask %02x: pushed FLAGS)", m)
		}
	case d.Reg == RegFlags:
		fmt.Fprintf(&b, "%-6s want %04x %s got %04x %s", d.Reg, d.Want, FlagLetters(uint16(d.Want)), d.Got, FlagLetters(uint16(d.Got)))
		if x := uint16(d.Want^d.Got) & d.Mask; x != 0 {
			b.WriteString(" differ ")
			var named uint16
			for _, fb := range flagBits {
				named |= fb.bit
				if x&fb.bit != 0 {
					b.WriteByte(fb.letter)
				}
			}
			if x&^named != 0 {
				fmt.Fprintf(&b, "+bits %04x", x&^named)
			}
		}
		if d.Mask != 0xFFFF {
			fmt.Fprintf(&b, " (mask %04x)", d.Mask)
		}
	default:
		fmt.Fprintf(&b, "%-6s want %04x got %04x", d.Reg, d.Want, d.Got)
		if d.Mask != 0xFFFF {
			fmt.Fprintf(&b, " (mask %04x)", d.Mask)
		}
	}
	return b.String()
}

// flagBits are the named FLAGS bits, most significant first.
var flagBits = []struct {
	bit    uint16
	letter byte
}{
	{1 << 11, 'O'}, {1 << 10, 'D'}, {1 << 9, 'I'}, {1 << 8, 'T'},
	{1 << 7, 'S'}, {1 << 6, 'Z'}, {1 << 4, 'A'}, {1 << 2, 'P'}, {1 << 0, 'C'},
}

// FlagLetters decodes FLAGS as "ODITSZAPC", a '-' for each clear flag.
func FlagLetters(f uint16) string {
	var b [9]byte
	for i, fb := range flagBits {
		b[i] = '-'
		if f&fb.bit != 0 {
			b[i] = fb.letter
		}
	}
	return string(b[:])
}

// Disasm disassembles code as 16-bit x86 (golang.org/x/arch x86asm, Intel
// syntax), instructions separated by "; ". Bytes x86asm rejects show as
// "db".
func Disasm(code []byte) string {
	var parts []string
	for pc := 0; pc < len(code); {
		inst, err := x86asm.Decode(code[pc:], 16)
		if err != nil || inst.Len == 0 {
			parts = append(parts, fmt.Sprintf("db %02xh", code[pc]))
			pc++
			continue
		}
		parts = append(parts, strings.ToLower(x86asm.IntelSyntax(inst, uint64(pc), nil)))
		pc += inst.Len
	}
	return strings.Join(parts, "; ")
}

// hexBytes formats code as "f6 b4 3b 3d f4".
func hexBytes(code []byte) string {
	var b strings.Builder
	for i, c := range code {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}
