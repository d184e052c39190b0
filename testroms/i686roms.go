package testroms

// The i686 CPU test ROMs (src/pm_priv.asm, pm_tasks.asm, pm_v86.asm,
// paging.asm, debugregs.asm, i686isa.asm and mmx.asm, on the framework
// in src/pm.inc): protection rings, task switches, virtual-8086 mode,
// paging, the debug registers, the P5/P6 instructions and MMX. Each source
// also builds a NAME-strict image (-DSTRICT) that adds checks of hardware
// behaviour QEMU's TCG does not model; QEMU does not run those (see
// ROM.NotOnQEMU). They were checked under Bochs 2.7 instead (bochs.sh),
// but for #AC, which the Debian build of Bochs does not model either.

// i686ROMs lists them, each ROM before its strict variant.
func i686ROMs() []ROM {
	return []ROM{
		{Name: "pm_priv", Model: "386", Output: pmPrivOutput},
		{Name: "pm_priv-strict", Model: "386", Output: pmPrivStrictOutput,
			NotOnQEMU: "segment limits on data and stack accesses, and the EXT bit of error codes"},
		{Name: "pm_tasks", Model: "386", Output: pmTasksOutput},
		{Name: "pm_tasks-strict", Model: "386", Output: pmTasksStrictOutput,
			NotOnQEMU: "the TSS T bit (#DB on entering a task)"},
		{Name: "pm_v86", Model: "386", Output: pmV86Output},
		{Name: "pm_v86-strict", Model: "386", Output: pmV86StrictOutput,
			NotOnQEMU: "the 64 KB segment limits of virtual-8086 mode"},
		{Name: "paging", Model: "pentium2", Output: pagingOutput},
		{Name: "paging-strict", Model: "pentium2", Output: pagingStrictOutput,
			NotOnQEMU: "global pages kept across CR3 loads (QEMU flushes them)"},
		{Name: "debugregs", Model: "pentium2", Output: debugregsOutput},
		{Name: "debugregs-strict", Model: "pentium2", Output: debugregsStrictOutput,
			NotOnQEMU: "DR7.GD (general detect)"},
		{Name: "i686isa", Model: "pentium2", Output: i686isaOutput},
		{Name: "i686isa-strict", Model: "pentium2", Output: i686isaStrictOutput,
			NotOnQEMU: "RDMSR of the TSC (QEMU reads 0) and alignment checks (#AC)"},
		// src/apic.asm: the local APIC and the I/O APIC of the board.
		{Name: "apic", Model: "pentium2", Output: apicOutput},
		// src/mmx.asm: MMX and FXSAVE/FXRSTOR.
		{Name: "mmx", Model: "pentium2", Output: mmxOutput},
		{Name: "mmx-strict", Model: "pentium2", Output: mmxStrictOutput,
			NotOnQEMU: "bits 64-79 of MMX writes, EMMS with CR0.TS/EM, and #MF for MMX instructions"},
	}
}

// What they print when they pass: one line per test.
const (
	pmPrivOutput = `pm_priv: protection checks
SGDT SIDT SLDT STR SMSW ok
SGDT SIDT SLDT STR SMSW at CPL 3 ok
LAR ok
segment loads set the accessed bit ok
LSL ok
VERR/VERW ok
LAR/VERR/VERW at CPL 3 ok
ARPL ok
expand-down data segment ok
call gate from ring 3 with 3 parameters, RETF ok
16-bit call gate from ring 3: word parameters ok
16-bit interrupt gate from ring 3: a 16-bit frame ok
#GP for JMP through a call gate inward, RETF inward, IRET with a bad SS ok
interrupt gate from ring 3, IRET ok
trap gate from ring 3 keeps IF ok
INT n through a DPL 0 gate from ring 3: #GP(n*8+2) ok
conforming code ok
#GP for a call gate of DPL 0 from ring 3 ok
#NP for a not-present call gate ok
call gate to ring 1: #TS for a bad TSS.SS1, then the call ok
#SS and #NP for not-present segments, #GP for SS ok
#NP(n*8+2) for INT n through a not-present gate ok
CLI/STI/POPF at CPL 3 with IOPL 0 ok
CLI/STI/POPF at CPL 3 with IOPL 3 ok
IN/OUT at CPL 3 against the TSS I/O bitmap ok
IN at CPL 3 with IOPL 3 ignores the bitmap ok
privileged instructions at CPL 3: #GP(0) ok
pm_priv: pass
`
	pmPrivStrictOutput = `pm_priv-strict: protection checks
SGDT SIDT SLDT STR SMSW ok
SGDT SIDT SLDT STR SMSW at CPL 3 ok
LAR ok
segment loads set the accessed bit ok
LSL ok
VERR/VERW ok
LAR/VERR/VERW at CPL 3 ok
ARPL ok
expand-down data segment ok
#GP(0) past a segment limit ok
#SS(0) pushing below an expand-down stack limit ok
call gate from ring 3 with 3 parameters, RETF ok
16-bit call gate from ring 3: word parameters ok
16-bit interrupt gate from ring 3: a 16-bit frame ok
#GP for JMP through a call gate inward, RETF inward, IRET with a bad SS ok
interrupt gate from ring 3, IRET ok
trap gate from ring 3 keeps IF ok
INT n through a DPL 0 gate from ring 3: #GP(n*8+2) ok
conforming code ok
#GP for a call gate of DPL 0 from ring 3 ok
#NP for a not-present call gate ok
call gate to ring 1: #TS for a bad TSS.SS1, then the call ok
#SS and #NP for not-present segments, #GP for SS ok
#NP(n*8+2) for INT n through a not-present gate ok
EXT bit: #NP(6*8+3) for #UD through a not-present gate ok
CLI/STI/POPF at CPL 3 with IOPL 0 ok
CLI/STI/POPF at CPL 3 with IOPL 3 ok
IN/OUT at CPL 3 against the TSS I/O bitmap ok
IN at CPL 3 with IOPL 3 ignores the bitmap ok
privileged instructions at CPL 3: #GP(0) ok
pm_priv-strict: pass
`
	pmTasksOutput = `pm_tasks: task switch checks
JMP to a TSS and back ok
CALL through a task gate, IRET back ok
#GP for a busy TSS ok
#TS for IRET with NT to a TSS that is not busy ok
#TS for a TSS limit below 67h ok
LTR: busy bit, #GP for a busy TSS ok
#GP handled through a task gate ok
INT n through a task gate ok
16-bit TSS ok
task gate called from ring 3 ok
a task switch loads CR3 ok
pm_tasks: pass
`
	pmTasksStrictOutput = `pm_tasks-strict: task switch checks
JMP to a TSS and back ok
CALL through a task gate, IRET back ok
#GP for a busy TSS ok
#TS for IRET with NT to a TSS that is not busy ok
#TS for a TSS limit below 67h ok
LTR: busy bit, #GP for a busy TSS ok
#GP handled through a task gate ok
INT n through a task gate ok
16-bit TSS ok
task gate called from ring 3 ok
a task switch loads CR3 ok
the TSS T bit: #DB with DR6.BT in the new task ok
pm_tasks-strict: pass
`
	pmV86Output = `pm_v86: virtual-8086 mode checks
IRETD to V86, real-mode code, INT 3Fh out ok
INT n with IOPL 3 through the ring-0 handler ok
IOPL 0: CLI STI PUSHF POPF INT IRET fault with #GP(0) ok
IOPL 3: CLI STI POPF work, IOPL stays ok
IN/OUT in V86 against the TSS I/O bitmap ok
IN with IOPL 0 in V86 allowed by the bitmap ok
exceptions in V86 through the IDT ok
pm_v86: pass
`
	pmV86StrictOutput = `pm_v86-strict: virtual-8086 mode checks
IRETD to V86, real-mode code, INT 3Fh out ok
INT n with IOPL 3 through the ring-0 handler ok
IOPL 0: CLI STI PUSHF POPF INT IRET fault with #GP(0) ok
IOPL 3: CLI STI POPF work, IOPL stays ok
IN/OUT in V86 against the TSS I/O bitmap ok
IN with IOPL 0 in V86 allowed by the bitmap ok
exceptions in V86 through the IDT ok
V86 segment limit: #GP(0) past FFFFh ok
pm_v86-strict: pass
`
	pagingOutput = `paging: paging checks
identity-mapped paging on ok
#PF for a not-present page: error codes, CR2 ok
#PF for a not-present PDE ok
#PF in REP STOSB and in a page-straddling access ok
write to a read-only page at CPL 3: #PF(7) ok
write to a read-only page at CPL 0, CR0.WP off and on ok
user access to a supervisor page: #PF(5), #PF(7) ok
PDE-level protection at CPL 3 ok
#PF handler maps the page, the access restarts ok
accessed and dirty bits ok
4 MiB pages with CR4.PSE ok
a changed PTE is seen after INVLPG or a CR3 load ok
INVLPG flushes one page ok
global pages with CR4.PGE ok
paging: pass
`
	pagingStrictOutput = `paging-strict: paging checks
identity-mapped paging on ok
#PF for a not-present page: error codes, CR2 ok
#PF for a not-present PDE ok
#PF in REP STOSB and in a page-straddling access ok
write to a read-only page at CPL 3: #PF(7) ok
write to a read-only page at CPL 0, CR0.WP off and on ok
user access to a supervisor page: #PF(5), #PF(7) ok
PDE-level protection at CPL 3 ok
#PF handler maps the page, the access restarts ok
accessed and dirty bits ok
4 MiB pages with CR4.PSE ok
a changed PTE is seen after INVLPG or a CR3 load ok
INVLPG flushes one page ok
global pages with CR4.PGE ok
paging-strict: pass
`
	debugregsOutput = `debugregs: debug register checks
DR6 and DR7 fixed bits ok
instruction breakpoint: #DB fault, DR6.B0, RF ok
data write breakpoint: #DB trap after the write, DR6.B1 ok
data read/write breakpoint: #DB on a read ok
single-step with TF: DR6.BS ok
single-step over INT n: the handler is not stepped ok
single-step after MOV SS waits one instruction ok
data breakpoint hit at CPL 3 ok
I/O breakpoint with CR4.DE ok
DR4/DR5: aliases without CR4.DE, #UD with it ok
INT3: #BP trap ok
debugregs: pass
`
	debugregsStrictOutput = `debugregs-strict: debug register checks
DR6 and DR7 fixed bits ok
instruction breakpoint: #DB fault, DR6.B0, RF ok
data write breakpoint: #DB trap after the write, DR6.B1 ok
data read/write breakpoint: #DB on a read ok
single-step with TF: DR6.BS ok
single-step over INT n: the handler is not stepped ok
single-step after MOV SS waits one instruction ok
data breakpoint hit at CPL 3 ok
I/O breakpoint with CR4.DE ok
DR4/DR5: aliases without CR4.DE, #UD with it ok
INT3: #BP trap ok
DR7.GD: #DB before MOV DR, DR6.BD ok
debugregs-strict: pass
`
	i686isaOutput = `i686isa: i686 instruction checks
CPUID: GenuineIntel, family 6, i686 features ok
RDTSC counts up ok
RDTSC at CPL 3, and #GP(0) with CR4.TSD ok
RDMSR/WRMSR: the SYSENTER MSRs ok
SYSENTER/SYSEXIT round trip ok
SYSENTER with SYSENTER_CS 0, SYSEXIT at CPL 3: #GP(0) ok
CMPXCHG8B ok
CMOVcc ok
FCOMI and FCMOVcc ok
BSWAP ok
XADD ok
CMPXCHG ok
long NOP (0F 1F) ok
#UD: CMPXCHG8B with a register, LOCK without memory ok
privileged at CPL 3: #GP(0) ok
i686isa: pass
`
	i686isaStrictOutput = `i686isa-strict: i686 instruction checks
CPUID: GenuineIntel, family 6, i686 features ok
RDTSC counts up ok
RDMSR 10h reads the TSC ok
RDTSC at CPL 3, and #GP(0) with CR4.TSD ok
RDMSR/WRMSR: the SYSENTER MSRs ok
SYSENTER/SYSEXIT round trip ok
SYSENTER with SYSENTER_CS 0, SYSEXIT at CPL 3: #GP(0) ok
CMPXCHG8B ok
CMOVcc ok
FCOMI and FCMOVcc ok
BSWAP ok
XADD ok
CMPXCHG ok
long NOP (0F 1F) ok
#UD: CMPXCHG8B with a register, LOCK without memory ok
privileged at CPL 3: #GP(0) ok
alignment check: #AC(0) at CPL 3 ok
i686isa-strict: pass
`
	apicOutput = `apic: local and I/O APIC checks
CPUID APIC flag, IA32_APIC_BASE at FEE00000h ok
local APIC version 14h, six LVT entries ok
self-IPI: IRR, ISR, PPR, EOI ok
software-disabled APIC holds fixed interrupts ok
TPR masks lower priority classes ok
highest vector first, nesting by class ok
APIC timer one-shot ok
APIC timer periodic ok
I/O APIC: 24 pins, PIT through pin 2 ok
I/O APIC level pin: remote IRR and EOI broadcast ok
ExtINT from the 8259 through LINT0 ok
apic: pass
`
	mmxOutput = `mmx: MMX and FXSAVE checks
CPUID: MMX and FXSR ok
PADD/PSUB: wrapping, signed and unsigned saturation ok
PMULLW, PMULHW, PMADDWD ok
PCMPEQ, PCMPGT, PAND, PANDN, POR, PXOR ok
PACKSSWB, PACKSSDW, PACKUSWB, PUNPCKH, PUNPCKL ok
PSLL, PSRL, PSRA by register, memory and imm8 counts ok
MOVD and MOVQ: registers, memory, unaligned ok
x87 aliasing: MMn is Rn, TOP 0, tags valid; EMMS empties them ok
FXSAVE/FXRSTOR round trip, MXCSR and XMM fields left alone ok
FXSAVE/FXRSTOR: #GP(0) unless 16-byte aligned ok
#NM with CR0.TS: MMX, FXSAVE, FXRSTOR ok
#UD: MMX with CR0.EM, SSE2 forms with 66 and F3 ok
mmx: pass
`
	mmxStrictOutput = `mmx-strict: MMX and FXSAVE checks
CPUID: MMX and FXSR ok
PADD/PSUB: wrapping, signed and unsigned saturation ok
PMULLW, PMULHW, PMADDWD ok
PCMPEQ, PCMPGT, PAND, PANDN, POR, PXOR ok
PACKSSWB, PACKSSDW, PACKUSWB, PUNPCKH, PUNPCKL ok
PSLL, PSRL, PSRA by register, memory and imm8 counts ok
MOVD and MOVQ: registers, memory, unaligned ok
x87 aliasing: MMn is Rn, TOP 0, tags valid; EMMS empties them ok
MMX writes set bits 64-79 to ones: FNSTENV tags them special ok
FXSAVE/FXRSTOR round trip, MXCSR and XMM fields left alone ok
FXSAVE/FXRSTOR: #GP(0) unless 16-byte aligned ok
#NM with CR0.TS: MMX, FXSAVE, FXRSTOR ok
#UD: MMX with CR0.EM, SSE2 forms with 66 and F3 ok
EMMS: #NM with CR0.TS, #UD with CR0.EM ok
#MF for an MMX instruction with a pending x87 exception ok
mmx-strict: pass
`
)
