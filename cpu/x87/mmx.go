package x87

import (
	"fmt"
	"strings"
)

// MMX registers alias the x87 registers (SDM Vol. 1, 9.5): MM(i) is the
// significand of physical register R(i), not of ST(i). The interpreter's
// MMX instructions use these; before each one (EMMS included) it raises
// #UD when CR0.EM is set, #NM when CR0.TS is set, and #MF when Pending()
// (MMX instructions report pending x87 exceptions as FWAIT does).

// MMX returns MMi, bits 0-63 of R(i).
func (f *FPU) MMX(i int) uint64 { return f.R[i&7].Sig }

// SetMMX writes MMi: bits 0-63 of R(i), with bits 64-79 set to ones.
// Like every MMX instruction but EMMS it also sets TOP to 0 and tags all
// registers valid; call MMXEnter for MMX instructions that only read.
func (f *FPU) SetMMX(i int, v uint64) {
	f.R[i&7] = Ext80{Se: 0xFFFF, Sig: v}
	f.MMXEnter()
}

// MMXEnter is the x87 side effect of every MMX instruction but EMMS:
// TOP = 0 and the tag word all valid (00).
func (f *FPU) MMXEnter() {
	f.setTop(0)
	f.TW = 0
}

// EMMS tags every register empty. Like every MMX instruction it also
// sets TOP to 0 (SDM Vol. 3, 12.2: "Each time an MMX instruction is
// executed, the TOS value is set to 000B", and table 12-2).
func (f *FPU) EMMS() {
	f.setTop(0)
	f.TW = 0xFFFF
}

// Dump formats the state the way QEMU's -d cpu log does with the FPU
// included: control, status (with TOP) and the abridged tag word (a bit
// per non-empty register), then the physical registers R0-R7 as the
// significand and the sign/exponent word.
func (f *FPU) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "FCW=%04x FSW=%04x [ST=%d] FTW=%02x\n", f.CW, f.SW, f.Top(), f.AbridgedTag())
	for r := 0; r < 8; r++ {
		fmt.Fprintf(&b, "FPR%d=%016x %04x", r, f.R[r].Sig, f.R[r].Se)
		if r&1 == 1 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
