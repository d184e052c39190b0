package kvm

import (
	"fmt"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
)

// CPUID leaf 1 EDX feature bits (SDM Vol. 2, CPUID, Table 3-11).
const (
	featFPU  = 1 << 0  // on-chip x87
	featDE   = 1 << 2  // debugging extensions (CR4.DE)
	featPSE  = 1 << 3  // 4 MiB pages (CR4.PSE)
	featTSC  = 1 << 4  // RDTSC
	featMSR  = 1 << 5  // RDMSR/WRMSR
	featCX8  = 1 << 8  // CMPXCHG8B
	featSEP  = 1 << 11 // SYSENTER/SYSEXIT
	featPGE  = 1 << 13 // global pages (CR4.PGE)
	featCMOV = 1 << 15 // CMOVcc, FCMOVcc
	featMMX  = 1 << 23 // MMX technology
	featFXSR = 1 << 24 // FXSAVE/FXRSTOR, CR4.OSFXSR
)

var featNames = []struct {
	bit  uint32
	name string
}{
	{featFPU, "FPU"}, {featDE, "DE"}, {featPSE, "PSE"}, {featTSC, "TSC"}, {featMSR, "MSR"},
	{featCX8, "CX8"}, {featSEP, "SEP"}, {featPGE, "PGE"}, {featCMOV, "CMOV"},
	{featMMX, "MMX"}, {featFXSR, "FXSR"},
}

// cpuidTable is the CPUID the guest sees: the one cpu/interp reports
// (GenuineIntel; a Pentium II, family 6 model 5 stepping 2, or a Pentium
// for the older models), minus the leaf-1 features the host's KVM cannot
// offer (supported, from KVM_GET_SUPPORTED_CPUID), which it also names.
// TestCPUIDMatchesInterp keeps the two in step.
func cpuidTable(m cpu.Model, supported []kvmapi.CPUIDEntry2) (entries []kvmapi.CPUIDEntry2, missing []string) {
	sig, feat := uint32(0x0543), uint32(featFPU|featDE|featPSE|featTSC|featMSR|featCX8)
	if m >= cpu.ModelP2 {
		sig, feat = 0x0652, featFPU|featDE|featPSE|featTSC|featMSR|featCX8|featSEP|featPGE|featCMOV|featMMX|featFXSR
	}
	var host uint32
	for _, e := range supported {
		if e.Function == 1 && e.Index == 0 {
			host = e.EDX
		}
	}
	for _, f := range featNames {
		if feat&f.bit != 0 && host&f.bit == 0 {
			missing = append(missing, f.name)
		}
	}
	feat &= host
	entries = []kvmapi.CPUIDEntry2{
		{Function: 0, EAX: 2, EBX: 0x756E6547, EDX: 0x49656E69, ECX: 0x6C65746E}, // "GenuineIntel"
		{Function: 1, EAX: sig, EDX: feat},
		{Function: 2},
	}
	if m >= cpu.ModelP2 {
		// TLB and cache descriptors of a Pentium II.
		entries[2].EAX, entries[2].EDX = 0x03020101, 0x0C040843
	}
	return entries, missing
}

// cpuidChanged compares the table set with KVM_SET_CPUID2 with the one
// KVM_GET_CPUID2 returns and names the registers the host changed
// (kvm_pvm, for one, puts its own feature flags in leaf 1 ECX and EDX).
func cpuidChanged(set, got []kvmapi.CPUIDEntry2) []string {
	var out []string
	for _, w := range set {
		for _, g := range got {
			if g.Function != w.Function || g.Index != w.Index {
				continue
			}
			for i, name := range [4]string{"EAX", "EBX", "ECX", "EDX"} {
				wv := [4]uint32{w.EAX, w.EBX, w.ECX, w.EDX}[i]
				gv := [4]uint32{g.EAX, g.EBX, g.ECX, g.EDX}[i]
				if wv != gv {
					out = append(out, fmt.Sprintf("leaf %d %s %#x (not %#x)", w.Function, name, gv, wv))
				}
			}
		}
	}
	return out
}
