; i686isa.asm: what the Pentium Pro and Pentium II added to the
; instruction set, and the Pentium's system instructions. CPUID (vendor,
; family, feature bits), RDTSC and CR4.TSD, RDMSR/WRMSR (TSC and the
; SYSENTER MSRs), SYSENTER/SYSEXIT between ring 3 and ring 0, CMPXCHG8B,
; CMOVcc, FCMOVcc and FCOMI, BSWAP, XADD, CMPXCHG, the long NOP, #UD for
; misused CMPXCHG8B and LOCK, and the #GP(0) of the privileged ones at
; CPL 3. Needs a Pentium II.
;
; Output on port 0xE9: one line per test, "name ok", then "i686isa:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; With -DSTRICT it also checks what QEMU's TCG does not model: RDMSR of
; the TSC, and alignment checking (#AC with CR0.AM and EFLAGS.AC at
; CPL 3): the i686isa-strict image. (The Bochs build at hand does not
; model #AC either: that check is written from the SDM alone.)
;; variant: i686isa-strict -DSTRICT

%define PM_HAS_CR4
%define ROM_NAME "i686isa"
%include "rom.inc"
%include "pm.inc"
	cpu 686

MSR_TSC		equ 0x10
MSR_SYSENTER_CS	equ 0x174
MSR_SYSENTER_ESP equ 0x175
MSR_SYSENTER_EIP equ 0x176
SYS_ESP		equ 0x1A800	; the SYSENTER stack, in the ESP0 area

; CPUID.1:EDX bits an i686 has (SDM Vol. 2A, CPUID).
FEAT_FPU	equ 1 << 0
FEAT_DE		equ 1 << 2
FEAT_PSE	equ 1 << 3
FEAT_TSC	equ 1 << 4
FEAT_MSR	equ 1 << 5
FEAT_CX8	equ 1 << 8
FEAT_SEP	equ 1 << 11
FEAT_PGE	equ 1 << 13
FEAT_CMOV	equ 1 << 15
FEAT_I686	equ FEAT_FPU | FEAT_DE | FEAT_PSE | FEAT_TSC | FEAT_MSR | FEAT_CX8 | FEAT_SEP | FEAT_PGE | FEAT_CMOV

; WRMSR3 msr, edx, eax
%macro WRMSR3 3
	mov ecx, %1
	mov edx, %2
	mov eax, %3
	wrmsr
%endmacro

	bits 32
pm_main:
	TEST "CPUID: GenuineIntel, family 6, i686 features"
	pushfd			; EFLAGS.ID can be toggled
	pop eax
	mov ebx, eax
	xor eax, 0x200000
	push eax
	popfd
	pushfd
	pop eax
	xor eax, ebx
	CHECKD eax, 0x200000
	push ebx
	popfd
	xor eax, eax
	cpuid
	cmp eax, 1
	EXPECT ae		; leaf 1 exists
	CHECKD ebx, "Genu"
	CHECKD edx, "ineI"
	CHECKD ecx, "ntel"
	mov eax, 1
	cpuid
	shr eax, 8
	and eax, 0xF
	CHECKD eax, 6
	and edx, FEAT_I686
	CHECKD edx, FEAT_I686
	ENDTEST

	TEST "RDTSC counts up"
	rdtsc
	mov esi, eax
	mov edi, edx
	mov ecx, 1000
%$spin:
	loop %$spin
	rdtsc
	sub eax, esi		; second - first > 0
	sbb edx, edi
	EXPECT nc
	or eax, edx
	EXPECT nz
	ENDTEST

%ifdef STRICT
	; QEMU's RDMSR of the TSC (10h) reads 0.
	TEST "RDMSR 10h reads the TSC"
	rdtsc
	mov esi, eax
	mov edi, edx
	mov ecx, 1000
%$spin:
	loop %$spin
	mov ecx, MSR_TSC
	rdmsr
	mov ebx, eax
	mov ebp, edx
	rdtsc
	sub ebx, esi		; MSR - first > 0
	sbb ebp, edi
	EXPECT nc
	mov ecx, ebx
	or ecx, ebp
	EXPECT nz
	sub eax, esi		; second - first > MSR - first
	sbb edx, edi
	sub eax, ebx
	sbb edx, ebp
	EXPECT nc
	ENDTEST
%endif

	TEST "RDTSC at CPL 3, and #GP(0) with CR4.TSD"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	rdtsc
	mov [V(0)], eax
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], PM_BAIL
	call reset_exc
	mov eax, cr4
	or eax, CR4_TSD
	mov cr4, eax
	rdtsc			; CPL 0 still may
	GO_RING3 %$r3b, %$back2
%$r3b:
	R3TRY 0, rdtsc
	int PM_BAIL
%$back2:
	mov eax, cr4
	and eax, ~CR4_TSD & 0xFFFFFFFF
	mov cr4, eax
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	ENDTEST

	TEST "RDMSR/WRMSR: the SYSENTER MSRs"
	WRMSR3 MSR_SYSENTER_CS, 0, SEL_CODE32
	WRMSR3 MSR_SYSENTER_ESP, 0, 0x12345678
	WRMSR3 MSR_SYSENTER_EIP, 0, 0x9ABCDEF0
	mov ecx, MSR_SYSENTER_CS
	rdmsr
	CHECKD eax, SEL_CODE32
	CHECKD edx, 0
	mov ecx, MSR_SYSENTER_ESP
	rdmsr
	CHECKD eax, 0x12345678
	mov ecx, MSR_SYSENTER_EIP
	rdmsr
	CHECKD eax, 0x9ABCDEF0
	ENDTEST

	; SYSENTER: CS from the MSR, SS = CS + 8, ESP and EIP from the MSRs,
	; IF cleared. SYSEXIT: CS = MSR + 16 and SS = MSR + 24 at RPL 3,
	; ESP = ECX, EIP = EDX (SDM Vol. 2B).
	TEST "SYSENTER/SYSEXIT round trip"
	call reset_exc
	call clear_v
	WRMSR3 MSR_SYSENTER_CS, 0, SEL_CODE32
	WRMSR3 MSR_SYSENTER_ESP, 0, SYS_ESP
	WRMSR3 MSR_SYSENTER_EIP, 0, sys_entry
	GO_RING3 %$r3, %$back, IF
%$r3:
	mov ecx, esp
	mov edx, %$ret
	mov eax, 0xC0DE
	sysenter
%$ret:
	mov [V(3)], eax
	mov [V(0)], esp
	SAVESEG cs, 1
	SAVESEG ss, 2
	pushfd
	pop dword [V(4)]
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], PM_BAIL
	CHECKD dword [V(10)], SEL_CODE32	; CS in the kernel
	CHECKD dword [V(11)], SEL_DATA		; SS = CS + 8
	CHECKD dword [V(12)], SYS_ESP
	mov eax, [V(13)]
	and eax, IF
	CHECKD eax, 0
	CHECKD dword [V(14)], 0xC0DE
	CHECKD dword [V(0)], PM_ESP3
	CHECKD dword [V(1)], SEL_CODE3		; CS + 16, RPL 3
	CHECKD dword [V(2)], SEL_DATA3		; CS + 24, RPL 3
	CHECKD dword [V(3)], 0xC0DE + 1
	mov eax, [V(4)]
	and eax, IF
	CHECKD eax, IF				; the kernel's STI
	ENDTEST

	TEST "SYSENTER with SYSENTER_CS 0, SYSEXIT at CPL 3: #GP(0)"
	call reset_exc
	call clear_v
	WRMSR3 MSR_SYSENTER_CS, 0, SEL_CODE32
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, sysexit
	int PM_BAIL
%$back:
	WRMSR3 MSR_SYSENTER_CS, 0, 0
	R3TRY 1, sysenter
	WRMSR3 MSR_SYSENTER_CS, 0, SEL_CODE32
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(2, R_VEC)], 13
	CHECKD dword [REC(2, R_CODE)], 0
	mov eax, [V(41)]
	CHECKD dword [REC(2, R_EIP)], eax
	ENDTEST

	TEST "CMPXCHG8B"
	mov dword [scratch8], 0x22222222
	mov dword [scratch8 + 4], 0x11111111
	mov eax, 0x22222222
	mov edx, 0x11111111
	mov ebx, 0x44444444
	mov ecx, 0x33333333
	cmpxchg8b [scratch8]	; equal: stores ECX:EBX
	EXPECT z
	CHECKD dword [scratch8], 0x44444444
	CHECKD dword [scratch8 + 4], 0x33333333
	CHECKD eax, 0x22222222
	cmpxchg8b [scratch8]	; not equal: loads EDX:EAX
	EXPECT nz
	CHECKD eax, 0x44444444
	CHECKD edx, 0x33333333
	CHECKD dword [scratch8], 0x44444444
	ENDTEST

	TEST "CMOVcc"
	mov eax, 1
	mov ebx, 2
	mov ecx, 0xCCCCCCCC
	cmp eax, ebx		; 1 < 2: below, less, not equal
	cmovb ecx, ebx
	CHECKD ecx, 2
	cmova ecx, eax
	CHECKD ecx, 2
	cmovl ecx, eax
	CHECKD ecx, 1
	cmovg ecx, ebx
	CHECKD ecx, 1
	cmove ecx, ebx
	CHECKD ecx, 1
	cmovne ecx, [two]
	CHECKD ecx, 2
	mov eax, -1
	test eax, eax		; SF, not ZF, PF
	mov edx, 0x1234
	cmovs edx, [two]
	CHECKD edx, 2
	cmovns edx, eax
	CHECKD edx, 2
	cmovp edx, eax
	CHECKD edx, 0xFFFFFFFF
	mov eax, 0x7FFFFFFF
	add eax, 1		; OF
	mov cx, 0x5555
	mov dx, 0xAAAA
	cmovo cx, dx
	CHECKW cx, 0xAAAA
	cmovno cx, [two]
	CHECKW cx, 0xAAAA
	cmp eax, eax
	cmovle ebx, [two + 4]	; signed <= when equal
	CHECKD ebx, 0x33333333
	cmovbe esi, ebx
	CHECKD esi, 0x33333333
	ENDTEST

	TEST "FCOMI and FCMOVcc"
	mov eax, cr0		; the FPU, not its emulation
	and eax, ~(CR0_TS | 4) & 0xFFFFFFFF
	mov cr0, eax
	fninit
	fld1			; st1 = 1
	fldz			; st0 = 0
	fcomi st0, st1		; 0 < 1: CF
	CHECK_FLAGS ZF | PF | CF, CF
	fcmovb st0, st1		; st0 = 1
	fcomi st0, st1
	CHECK_FLAGS ZF | PF | CF, ZF
	fldz
	fucomip st0, st1	; 0 vs 1, pops
	CHECK_FLAGS ZF | PF | CF, CF
	fcmovnbe st0, st1	; not taken: still 1
	fld1
	fcomip st0, st1
	CHECK_FLAGS ZF | PF | CF, ZF
	fistp dword [scratch8]
	CHECKD dword [scratch8], 1
	fninit
	ENDTEST

	TEST "BSWAP"
	mov eax, 0x12345678
	bswap eax
	CHECKD eax, 0x78563412
	mov edi, 0xAABBCCDD
	bswap edi
	bswap edi
	CHECKD edi, 0xAABBCCDD
	ENDTEST

	TEST "XADD"
	mov dword [scratch8], 10
	mov eax, 5
	xadd [scratch8], eax
	CHECKD eax, 10
	CHECKD dword [scratch8], 15
	mov eax, 0x7FFFFFFF
	mov ebx, 1
	xadd eax, ebx		; flags as ADD
	CHECK_FLAGS OSZAPC, OF | SF | AF | PF
	CHECKD eax, 0x80000000
	CHECKD ebx, 0x7FFFFFFF
	mov byte [scratch8], 0xFF
	mov cl, 1
	xadd [scratch8], cl
	CHECK_FLAGS ZF | CF, ZF | CF
	CHECKB cl, 0xFF
	CHECKB byte [scratch8], 0
	ENDTEST

	TEST "CMPXCHG"
	mov dword [scratch8], 100
	mov eax, 100
	mov ebx, 200
	cmpxchg [scratch8], ebx	; equal: stores
	EXPECT z
	CHECKD dword [scratch8], 200
	CHECKD eax, 100
	mov eax, 300
	cmpxchg [scratch8], ebx	; not equal: loads, flags of CMP 300, 200
	CHECK_FLAGS ZF | CF | SF, 0
	CHECKD eax, 200
	mov al, 5
	mov bl, 7
	mov cl, 9
	cmpxchg bl, cl		; 5 vs 7: below
	CHECK_FLAGS ZF | CF, CF
	CHECKB al, 7
	mov ax, 0x1234
	mov dx, 0x1234
	mov si, 0x4321
	cmpxchg dx, si
	EXPECT z
	CHECKW dx, 0x4321
	ENDTEST

	TEST "long NOP (0F 1F)"
	mov eax, 0x100
	db 0x0F, 0x1F, 0x00		; nop dword [eax]
	db 0x0F, 0x1F, 0x44, 0x00, 0x00	; nop dword [eax + eax + 0]
	db 0x66, 0x0F, 0x1F, 0x84, 0x00, 0, 0, 0, 0	; nop word [eax + eax + 0]
	CHECKD eax, 0x100
	ENDTEST

	TEST "#UD: CMPXCHG8B with a register, LOCK without memory"
	call reset_exc
	call clear_v
	R3TRY 0, db 0x0F, 0xC7, 0xC8		; cmpxchg8b eax
	R3TRY 1, db 0xF0, 0x01, 0xD8		; lock add eax, ebx
	R3TRY 2, db 0xF0, 0x90			; lock nop
	lock add dword [scratch8], 1		; with memory: fine
	CHECKD dword [exc_count], 3
	xor esi, esi
%$each:
	mov ebx, esi
	shl ebx, REC_SHIFT
	cmp dword [PM_RECS + ebx + R_VEC], 6
	jne %$bad
	mov eax, [V(40) + esi * 4]
	cmp [PM_RECS + ebx + R_EIP], eax
	jne %$bad
	inc esi
	cmp esi, 3
	jb %$each
	jmp %$ok
%$bad:
	inc esi
	mov [rom_got], esi
	mov dword [rom_want], 0
	mov byte [rom_width], 2
	jmp %$fail
%$ok:
	ENDTEST

	TEST "privileged at CPL 3: #GP(0)"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	mov ecx, MSR_TSC
	R3TRY 0, rdmsr
	R3TRY 1, wrmsr
	R3TRY 2, wbinvd
	R3TRY 3, invd
	R3TRY 4, invlpg [0x1000]
	R3TRY 5, mov eax, cr4
	R3TRY 6, rdpmc		; without CR4.PCE
	cpuid			; not privileged
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 8
	xor esi, esi
%$each:
	mov ebx, esi
	shl ebx, REC_SHIFT
	cmp dword [PM_RECS + ebx + R_VEC], 13
	jne %$bad
	cmp dword [PM_RECS + ebx + R_CODE], 0
	jne %$bad
	mov eax, [V(40) + esi * 4]
	cmp [PM_RECS + ebx + R_EIP], eax
	jne %$bad
	inc esi
	cmp esi, 7
	jb %$each
	jmp %$ok
%$bad:
	inc esi
	mov [rom_got], esi
	mov dword [rom_want], 0
	mov byte [rom_width], 2
	jmp %$fail
%$ok:
	CHECKD dword [REC(7, R_VEC)], PM_BAIL
	ENDTEST

%ifdef STRICT
	; #AC(0) needs CPL 3, CR0.AM and EFLAGS.AC, and an unaligned access.
	TEST "alignment check: #AC(0) at CPL 3"
	call reset_exc
	call clear_v
	mov eax, cr0
	or eax, CR0_AM
	mov cr0, eax
	mov eax, [VBASE + 1]	; CPL 0: no #AC
	GO_RING3 %$r3, %$back, AC
%$r3:
	mov eax, [VBASE + 4]	; aligned
	mov ax, [VBASE + 2]
	R3TRY 0, mov eax, [VBASE + 1]
	R3TRY 1, mov word [VBASE + 3], 0
	pushfd			; without AC: no #AC
	and dword [esp], ~AC & 0xFFFFFFFF
	popfd
	mov eax, [VBASE + 1]
	int PM_BAIL
%$back:
	mov eax, cr0
	and eax, ~CR0_AM & 0xFFFFFFFF
	mov cr0, eax
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 17
	CHECKD dword [REC(0, R_CODE)], 0
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(1, R_VEC)], 17
	mov eax, [V(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	ENDTEST
%endif

	ROM_PASS

; sys_entry: the SYSENTER target. Records CS, SS, ESP, EFLAGS and EAX
; (DS is still the caller's), returns with EAX + 1 through SYSEXIT.
sys_entry:
	mov [V(14)], eax
	SAVESEG cs, 10
	SAVESEG ss, 11
	mov [V(12)], esp
	pushfd
	pop dword [V(13)]
	mov eax, [V(14)]
	inc eax
	sti
	sysexit

hello:		db ": i686 instruction checks", 10, 0

	align 8
pm_tables:
gdt:
	PM_GDT_BASE
gdt_end:
tss_main:
	TSS32 0, 0, 0, 0, 0, 0
tss_main_end:
pm_tables_end:

	align 4
gdtr:		dw gdt_end - gdt - 1
		dd gdt
two:		dd 2, 0x33333333
	align 8
scratch8:		dd 0, 0

	ROM_END
