; mmx.asm: MMX technology and FXSAVE/FXRSTOR, in 32-bit protected mode.
; CPUID's MMX and FXSR flags; every MMX instruction of the Pentium II
; over a table of edge-case operands (wrapping and saturating adds and
; subtracts, multiplies and PMADDWD, compares, logic, packs, unpacks,
; shifts by register, memory and imm8 counts up to and past the element
; width), each in its register and its memory form, folded into one
; checksum per group; MOVD/MOVQ; the x87 aliasing (MMn is the physical
; register Rn, TOP 0 and all tags valid after an MMX instruction, EMMS
; empties them); an FXSAVE/FXRSTOR round trip of x87 and MMX state that
; leaves the MXCSR and XMM fields alone with CR4.OSFXSR clear; #GP(0)
; for an unaligned FXSAVE area; #NM with CR0.TS; #UD with CR0.EM and for
; the 66- and F3-prefixed (SSE2) forms. Needs a Pentium II.
;
; The checksums are QEMU's (TCG computes MMX results exactly): a failing
; group prints the checksum it got. Checked in cpu/interp's Go tests
; instead: FXSAVE with CR0.EM (#UD by the SDM; QEMU and Bochs raise #NM)
; and the FOP, FIP and FDP fields (QEMU stores zeros).
;
; Output on port 0xE9: one line per test, "name ok", then "mmx: pass";
; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test prints
; its FAIL line and the ROM goes on; it exits with the first failing
; test's number.
;
; With -DSTRICT it also checks what QEMU 7.2's TCG does not model: an MMX
; write sets bits 64-79 of the register to ones, EMMS faults with CR0.TS
; and CR0.EM, and MMX instructions report a pending x87 exception (#MF):
; the mmx-strict image.
;; variant: mmx-strict -DSTRICT

%define PM_HAS_CR4
%define ROM_NAME "mmx"
%include "rom.inc"
%include "pm.inc"
	cpu p3			; MMX, FXSAVE (nasm files FXSAVE under the P3)

CR0_MP		equ 0x02
CR0_EM		equ 0x04
CR0_NE		equ 0x20
FEAT_MMX	equ 1 << 23
FEAT_FXSR	equ 1 << 24

FXAREA		equ 0x21000	; a 512-byte FXSAVE area, 16-byte aligned
FILL		equ 0x5A5A5A5A	; what the area holds before FXSAVE

; The checksum: ebp = rol(ebp, 5) ^ low dword, then rol 7 + high dword,
; for each result in mm0 (fold keeps every register but mm0, eax, edx).

; PAIRS op: op mm0, [src] and op mm0, mm3 for every pair of vectors,
; each result folded into ebp.
%macro PAIRS 1
	xor esi, esi
%%i:
	xor edi, edi
%%j:
	movq mm0, [vecs + esi * 8]
	%1 mm0, [vecs + edi * 8]
	call fold
	movq mm0, [vecs + esi * 8]
	movq mm3, [vecs + edi * 8]
	%1 mm0, mm3
	call fold
	inc edi
	cmp edi, NVECS
	jb %%j
	inc esi
	cmp esi, NVECS
	jb %%i
%endmacro

; SHIFTS op: op mm0, [count] and op mm0, mm3 for every vector and count.
%macro SHIFTS 1
	xor esi, esi
%%i:
	xor edi, edi
%%j:
	movq mm0, [vecs + esi * 8]
	%1 mm0, [counts + edi * 8]
	call fold
	movq mm0, [vecs + esi * 8]
	movq mm3, [counts + edi * 8]
	%1 mm0, mm3
	call fold
	inc edi
	cmp edi, NCOUNTS
	jb %%j
	inc esi
	cmp esi, NVECS
	jb %%i
%endmacro

; SHIFTS_IMM op: op mm0, imm8 for every vector and the imm8 counts.
%macro SHIFTS_IMM 1
%define SHIFT_OP %1
	xor esi, esi
%%i:
	IMMS 0, 1, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 255
	inc esi
	cmp esi, NVECS
	jb %%i
%endmacro

%macro IMMS 1-*
%rep %0
	movq mm0, [vecs + esi * 8]
	SHIFT_OP mm0, %1
	call fold
%rotate 1
%endrep
%endmacro

; FAULTED n, vector: the n-th recorded event is vector, at R3TRY n's
; instruction (R3TRY works at CPL 0 too).
%macro FAULTED 2
	CHECKD dword [REC(%1, R_VEC)], %2
	mov eax, [V(40 + (%1))]
	CHECKD dword [REC(%1, R_EIP)], eax
%endmacro

	bits 32
pm_main:
	mov eax, cr0		; x87 on, reporting through #MF
	and eax, ~(CR0_EM | CR0_TS) & 0xFFFFFFFF
	or eax, CR0_MP | CR0_NE
	mov cr0, eax
	fninit

	TEST "CPUID: MMX and FXSR"
	mov eax, 1
	cpuid
	and edx, FEAT_MMX | FEAT_FXSR
	CHECKD edx, FEAT_MMX | FEAT_FXSR
	ENDTEST

	TEST "PADD/PSUB: wrapping, signed and unsigned saturation"
	xor ebp, ebp
	PAIRS paddb
	PAIRS paddw
	PAIRS paddd
	PAIRS psubb
	PAIRS psubw
	PAIRS psubd
	PAIRS paddsb
	PAIRS paddsw
	PAIRS psubsb
	PAIRS psubsw
	PAIRS paddusb
	PAIRS paddusw
	PAIRS psubusb
	PAIRS psubusw
	CHECKD ebp, SUM_ADDSUB
	emms
	ENDTEST

	TEST "PMULLW, PMULHW, PMADDWD"
	xor ebp, ebp
	PAIRS pmullw
	PAIRS pmulhw
	PAIRS pmaddwd
	CHECKD ebp, SUM_MUL
	; 8000h·8000h + 8000h·8000h wraps to 80000000h.
	movq mm0, [vecs + 4 * 8]	; 8000800080008000h
	pmaddwd mm0, mm0
	movd eax, mm0
	CHECKD eax, 0x80000000
	psrlq mm0, 32
	movd eax, mm0
	CHECKD eax, 0x80000000
	emms
	ENDTEST

	TEST "PCMPEQ, PCMPGT, PAND, PANDN, POR, PXOR"
	xor ebp, ebp
	PAIRS pcmpeqb
	PAIRS pcmpeqw
	PAIRS pcmpeqd
	PAIRS pcmpgtb
	PAIRS pcmpgtw
	PAIRS pcmpgtd
	PAIRS pand
	PAIRS pandn
	PAIRS por
	PAIRS pxor
	CHECKD ebp, SUM_CMPLOGIC
	emms
	ENDTEST

	TEST "PACKSSWB, PACKSSDW, PACKUSWB, PUNPCKH, PUNPCKL"
	xor ebp, ebp
	PAIRS packsswb
	PAIRS packssdw
	PAIRS packuswb
	PAIRS punpckhbw
	PAIRS punpckhwd
	PAIRS punpckhdq
	PAIRS punpcklbw
	PAIRS punpcklwd
	PAIRS punpckldq
	CHECKD ebp, SUM_PACK
	emms
	ENDTEST

	TEST "PSLL, PSRL, PSRA by register, memory and imm8 counts"
	xor ebp, ebp
	SHIFTS psllw
	SHIFTS pslld
	SHIFTS psllq
	SHIFTS psrlw
	SHIFTS psrld
	SHIFTS psrlq
	SHIFTS psraw
	SHIFTS psrad
	SHIFTS_IMM psllw
	SHIFTS_IMM pslld
	SHIFTS_IMM psllq
	SHIFTS_IMM psrlw
	SHIFTS_IMM psrld
	SHIFTS_IMM psrlq
	SHIFTS_IMM psraw
	SHIFTS_IMM psrad
	CHECKD ebp, SUM_SHIFT
	emms
	ENDTEST

	TEST "MOVD and MOVQ: registers, memory, unaligned"
	mov eax, 0x89ABCDEF
	movd mm1, eax		; zero-extends
	movq [scratch + 1], mm1
	CHECKD dword [scratch + 1], 0x89ABCDEF
	CHECKD dword [scratch + 5], 0
	movq mm2, [vecs + 8 * 8]	; 0123456789ABCDEFh
	movq mm4, mm2
	movd [scratch + 3], mm4	; the low dword
	CHECKD dword [scratch + 3], 0x89ABCDEF
	psrlq mm4, 32
	movd ecx, mm4
	CHECKD ecx, 0x01234567
	movd mm5, [scratch + 3]
	movq mm6, mm5		; register to register
	movq [scratch + 9], mm6
	CHECKD dword [scratch + 9], 0x89ABCDEF
	CHECKD dword [scratch + 13], 0
	movq mm7, [scratch + 3]	; unaligned load
	movd edx, mm7
	CHECKD edx, 0x89ABCDEF
	emms
	ENDTEST

	; fld1 makes R7 = ST0 = 1.0 with TOP 7; MM7 is R7, so MOVQ mm1, mm7
	; reads 1.0's significand. FXSAVE then shows TOP 0, every register
	; tagged valid (abridged FTW FFh), R1 = MM1 and R7 unchanged; after
	; EMMS every register is empty.
	TEST "x87 aliasing: MMn is Rn, TOP 0, tags valid; EMMS empties them"
	fninit
	fld1
	fnstsw ax
	and eax, 0x3800
	CHECKD eax, 7 << 11
	movq mm1, mm7
	fnstsw ax
	and eax, 0x3800
	CHECKD eax, 0		; TOP 0
	fxsave [FXAREA]
	CHECKB byte [FXAREA + 4], 0xFF
	CHECKD dword [FXAREA + 32 + 16 + 0], 0		; ST1 = R1
	CHECKD dword [FXAREA + 32 + 16 + 4], 0x80000000
	CHECKD dword [FXAREA + 32 + 7 * 16 + 4], 0x80000000	; ST7 = R7: 1.0
	CHECKW word [FXAREA + 32 + 7 * 16 + 8], 0x3FFF
	emms
	fxsave [FXAREA]
	CHECKB byte [FXAREA + 4], 0
	mov ax, [FXAREA + 2]
	and eax, 0x3800
	CHECKD eax, 0
	ENDTEST

%ifdef STRICT
	; QEMU keeps bits 64-79 of a register MMX writes.
	TEST "MMX writes set bits 64-79 to ones: FNSTENV tags them special"
	fninit
	fld1
	movq mm1, mm7
	fnsave [fsave_img]	; TOP 0: ST(i) is R(i); reinitializes
	CHECKD dword [fsave_img + 28 + 10 + 4], 0x80000000	; R1
	CHECKW word [fsave_img + 28 + 10 + 8], 0xFFFF
	pxor mm0, mm0		; all eight written: exponent 7FFFh, special
	pxor mm1, mm1
	pxor mm2, mm2
	pxor mm3, mm3
	pxor mm4, mm4
	pxor mm5, mm5
	pxor mm6, mm6
	pxor mm7, mm7
	fnstenv [fenv]		; the tags of the contents (SDM Vol. 3, 12.2.1)
	CHECKW word [fenv + 8], 0xAAAA
	emms
	fnstenv [fenv]
	CHECKW word [fenv + 8], 0xFFFF
	ENDTEST
%endif

	; ST0 = +0 (R5), ST1 = pi (R6), ST2 = 1.0 (R7), TOP 5, control word
	; 027Fh. FXSAVE keeps the state; FXRSTOR after FNINIT brings it back.
	TEST "FXSAVE/FXRSTOR round trip, MXCSR and XMM fields left alone"
	mov edi, FXAREA
	mov ecx, 128
	mov eax, FILL
	cld
	rep stosd
	fninit
	fldcw [cw_027f]
	fld1
	fldpi
	fldz
	fxsave [FXAREA]
	fnstenv [fenv]		; FXSAVE left the state as it was
	CHECKW word [fenv + 8], 0x07FF
	CHECKW word [FXAREA], 0x027F	; FCW
	mov ax, [FXAREA + 2]		; FSW: TOP
	and eax, 0x3800
	CHECKD eax, 5 << 11
	CHECKB byte [FXAREA + 4], 0xE0	; abridged FTW: R5, R6, R7
	CHECKD dword [FXAREA + 24], FILL ; MXCSR, MXCSR_MASK: not written
	CHECKD dword [FXAREA + 28], FILL
	mov esi, FXAREA + 32		; ST0-ST2, 16 bytes apart
	mov edi, st_want
	mov ecx, 3
%$reg:
	mov eax, [esi]
	mov ebx, [edi]
	CHECKD eax, ebx
	mov eax, [esi + 4]
	mov ebx, [edi + 4]
	CHECKD eax, ebx
	mov ax, [esi + 8]
	mov bx, [edi + 8]
	CHECKW ax, bx
	add esi, 16
	add edi, 10
	loop %$reg
	mov esi, FXAREA + 160		; bytes 160-511: not written
%$xmm:
	CHECKD dword [esi], FILL
	add esi, 4
	cmp esi, FXAREA + 512
	jb %$xmm
	fninit
	fxrstor [FXAREA]
	fnstcw [fenv]
	CHECKW word [fenv], 0x027F
	fnstenv [fenv]
	CHECKW word [fenv + 8], 0x07FF
	mov ax, [fenv + 4]
	and eax, 0x3800
	CHECKD eax, 5 << 11
	fstp tword [scratch]	; +0
	fstp tword [scratch + 10]	; pi
	fstp tword [scratch + 20]	; 1.0
	mov esi, scratch
	mov edi, st_want
	mov ecx, 7		; 28 bytes (30 compared as 7 dwords + CHECKW)
%$val:
	mov eax, [esi]
	mov ebx, [edi]
	CHECKD eax, ebx
	add esi, 4
	add edi, 4
	loop %$val
	CHECKW word [scratch + 28], 0x3FFF
	; MMX state: MM3 saved, cleared, restored.
	movq mm3, [vecs + 9 * 8]	; FEDCBA9876543210h
	fxsave [FXAREA]
	pxor mm3, mm3
	fxrstor [FXAREA]
	movd eax, mm3
	CHECKD eax, 0x76543210
	psrlq mm3, 32
	movd eax, mm3
	CHECKD eax, 0xFEDCBA98
	emms
	ENDTEST

	TEST "FXSAVE/FXRSTOR: #GP(0) unless 16-byte aligned"
	call reset_exc
	call clear_v
	R3TRY 0, fxsave [FXAREA + 8]
	R3TRY 1, fxrstor [FXAREA + 4]
	R3TRY 2, fxsave [FXAREA + 1]
	CHECKD dword [exc_count], 3
	FAULTED 0, 13
	CHECKD dword [REC(0, R_CODE)], 0
	FAULTED 1, 13
	FAULTED 2, 13
	ENDTEST

	TEST "#NM with CR0.TS: MMX, FXSAVE, FXRSTOR"
	call reset_exc
	call clear_v
	mov eax, cr0
	or eax, CR0_TS
	mov cr0, eax
	R3TRY 0, paddb mm0, mm1
	R3TRY 1, movd mm2, eax
	R3TRY 2, fxsave [FXAREA]
	R3TRY 3, fxrstor [FXAREA]
	R3TRY 4, fxsave [FXAREA + 8]	; #NM before the alignment check
	clts
	CHECKD dword [exc_count], 5
	FAULTED 0, 7
	FAULTED 1, 7
	FAULTED 2, 7
	FAULTED 3, 7
	FAULTED 4, 7
	ENDTEST

	; With CR0.EM an MMX instruction is #UD (x87 instructions are #NM).
	; 66 0F FC is SSE2's PADDB xmm and F3 0F 7E SSE2's MOVQ xmm: #UD
	; without SSE2, or with CR4.OSFXSR clear.
	TEST "#UD: MMX with CR0.EM, SSE2 forms with 66 and F3"
	call reset_exc
	call clear_v
	fninit
	mov eax, cr0
	or eax, CR0_EM
	mov cr0, eax
	R3TRY 0, paddb mm0, mm1
	R3TRY 1, fld1
	mov eax, cr0
	and eax, ~CR0_EM & 0xFFFFFFFF
	mov cr0, eax
	R3TRY 2, db 0x66, 0x0F, 0xFC, 0xC1	; paddb xmm0, xmm1
	R3TRY 3, db 0xF3, 0x0F, 0x7E, 0xC1	; movq xmm0, xmm1
	CHECKD dword [exc_count], 4
	FAULTED 0, 6
	FAULTED 1, 7
	FAULTED 2, 6
	FAULTED 3, 6
	emms
	ENDTEST

%ifdef STRICT
	; QEMU runs EMMS whatever CR0 says.
	TEST "EMMS: #NM with CR0.TS, #UD with CR0.EM"
	call reset_exc
	call clear_v
	mov eax, cr0
	or eax, CR0_TS
	mov cr0, eax
	R3TRY 0, emms
	xor eax, CR0_TS | CR0_EM
	mov cr0, eax
	R3TRY 1, emms
	and eax, ~CR0_EM & 0xFFFFFFFF
	mov cr0, eax
	CHECKD dword [exc_count], 2
	FAULTED 0, 7
	FAULTED 1, 6
	ENDTEST

	; An MMX instruction reports a pending unmasked x87 exception as
	; the waiting x87 instructions do: #MF with CR0.NE.
	TEST "#MF for an MMX instruction with a pending x87 exception"
	call reset_exc
	call clear_v
	fninit
	fldcw [cw_zm]		; ZE unmasked
	fldz
	fld1
	fdiv st0, st1		; 1/0: ZE pending
	R3TRY 0, paddb mm0, mm1
	fnclex
	paddb mm0, mm1		; nothing pending now
	emms
	fninit
	CHECKD dword [exc_count], 1
	FAULTED 0, 16
	ENDTEST
%endif

	ROM_PASS

; fold folds mm0 into the checksum in ebp.
fold:
	movd eax, mm0
	psrlq mm0, 32
	movd edx, mm0
	rol ebp, 5
	xor ebp, eax
	rol ebp, 7
	add ebp, edx
	ret

; The checksums, from QEMU 7.2 (qemu-system-i386 -M pc; ringzero agrees).
SUM_ADDSUB	equ 0x0E2276DE
SUM_MUL		equ 0xB3B7950C
SUM_CMPLOGIC	equ 0x0211C0F5
SUM_PACK	equ 0xBCE46D25
SUM_SHIFT	equ 0xB0F42469

hello:		db ": MMX and FXSAVE checks", 10, 0

	align 8
; Operands: zeros, ones, the signed limits of each element size, byte
; and word patterns, mixed lanes.
vecs:
	dq 0x0000000000000000
	dq 0xFFFFFFFFFFFFFFFF
	dq 0x8000000080000000
	dq 0x7FFFFFFF7FFFFFFF
	dq 0x8000800080008000
	dq 0x7FFF7FFF7FFF7FFF
	dq 0x8080808080808080
	dq 0x7F7F7F7F7F7F7F7F
	dq 0x0123456789ABCDEF
	dq 0xFEDCBA9876543210
	dq 0x00FF00FF80017FFE
	dq 0x0102030481828384
NVECS		equ ($ - vecs) / 8

; Shift counts: in range, at and past each width, with high bits set.
counts:
	dq 0, 1, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65
	dq 0x100000001, 0xFFFFFFFFFFFFFFFF
NCOUNTS		equ ($ - counts) / 8

; The FXSAVE/FNSTP images of +0, pi and 1.0 (80-bit).
st_want:
	dq 0
	dw 0
	dq 0xC90FDAA22168C235
	dw 0x4000
	dq 0x8000000000000000
	dw 0x3FFF
cw_027f:	dw 0x027F
cw_zm:		dw 0x037B	; all masked but ZE

	align 16
scratch:	times 32 db 0
fenv:		times 28 db 0
fsave_img:	times 108 db 0

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

	ROM_END
