package cpu

import (
	"fmt"
	"strings"
)

// Model is a CPU generation. It selects the behaviours that differ between
// processors: which opcodes exist, instruction-length limits, what FLAGS
// bits read as, the return address of #DE, shift-count masking and more.
type Model uint8

// The supported models, oldest first; comparisons like m >= Model386 are
// the intended use.
const (
	Model8086    Model = iota // Intel 8086/8088
	Model186                  // Intel 80186/80188
	Model286                  // Intel 80286
	Model386                  // Intel 80386
	Model486                  // Intel 80486
	ModelPentium              // Intel Pentium (P5)
	ModelP2                   // Intel Pentium II (P6 family, i686)
)

var modelNames = []struct {
	m     Model
	names []string
}{
	{Model8086, []string{"8086", "8088"}},
	{Model186, []string{"186", "80186", "188"}},
	{Model286, []string{"286", "80286"}},
	{Model386, []string{"386", "80386"}},
	{Model486, []string{"486", "80486"}},
	{ModelPentium, []string{"pentium", "586"}},
	{ModelP2, []string{"pentium2", "686", "i686", "p2"}},
}

// String returns the model's canonical -cpu name.
func (m Model) String() string {
	for _, e := range modelNames {
		if e.m == m {
			return e.names[0]
		}
	}
	return fmt.Sprintf("Model(%d)", uint8(m))
}

// ParseModel turns a -cpu value (QEMU's spelling where it has one, e.g.
// "486", "pentium", "pentium2") into a Model.
func ParseModel(s string) (Model, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, e := range modelNames {
		for _, n := range e.names {
			if n == s {
				return e.m, nil
			}
		}
	}
	return 0, fmt.Errorf("unknown CPU model %q (want one of %s)", s, strings.Join(ModelNames(), ", "))
}

// ModelNames lists the canonical -cpu names.
func ModelNames() []string {
	var out []string
	for _, e := range modelNames {
		out = append(out, e.names[0])
	}
	return out
}

// MaxInstLen is the longest instruction the model accepts before raising
// #GP (386+) or #UD-like behaviour (286); 0 means no limit (8086/186,
// which keep fetching prefixes forever).
func (m Model) MaxInstLen() int {
	switch {
	case m < Model286:
		return 0
	case m == Model286:
		return 10
	default:
		return 15
	}
}

// FixedFlags are the EFLAGS bits that always read as 1 on this model in
// real mode: bit 1 everywhere, and bits 12-15 on the 8086/186.
func (m Model) FixedFlags() uint32 {
	if m < Model286 {
		return 0xF000 | FlagRsv1
	}
	return FlagRsv1
}

// WritableFlags is the mask of EFLAGS bits POPF/IRET may change in real
// mode (bits 12-15 are stuck at 0 in real mode on the 286).
func (m Model) WritableFlags() uint32 {
	base := FlagCF | FlagPF | FlagAF | FlagZF | FlagSF | FlagTF | FlagIF | FlagDF | FlagOF
	switch {
	case m < Model386:
		return base
	case m == Model386:
		return base | FlagIOPL | FlagNT | FlagRF
	case m == Model486:
		return base | FlagIOPL | FlagNT | FlagRF | FlagAC
	default:
		return base | FlagIOPL | FlagNT | FlagRF | FlagAC | FlagID
	}
}

// ResetEDX is the processor signature left in EDX at reset on the 386+.
func (m Model) ResetEDX() uint32 {
	switch m {
	case Model386:
		return 0x0308
	case Model486:
		return 0x0421
	case ModelPentium:
		return 0x0543
	default:
		return 0x0652 // family 6, model 5 (Deschutes), stepping 2: CPUID's signature
	}
}
