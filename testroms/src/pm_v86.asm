; pm_v86.asm: virtual-8086 mode. The monitor (ring 0) enters V86 by
; IRETD with VM set and runs real-mode code there; INT n with IOPL 3 goes
; through the protected-mode IDT to the ring-0 handler, with the V86
; frame (EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS) on the TSS.ESP0 stack
; and the data segments nulled; with IOPL < 3, CLI, STI, PUSHF, POPF,
; INT n and IRET fault with #GP(0) to the monitor (INT3 is not
; IOPL-sensitive: its DPL 0 gate makes it #GP(1Ah)); IN and OUT
; consult the TSS I/O bitmap whatever IOPL is; exceptions leave V86
; through the IDT too. Every test leaves V86 back to the monitor. Needs
; a 386.
;
; Output on port 0xE9: one line per test, "name ok", then "pm_v86:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; With -DSTRICT it also checks V86's 64 KB segment limits, which QEMU's
; TCG does not check: the pm_v86-strict image, checked under Bochs.
;; variant: pm_v86-strict -DSTRICT

%define ROM_NAME "pm_v86"
%include "rom.inc"
%include "pm.inc"

; The V86 task's segments: CS 0 (the code runs where it was loaded),
; DS 0 (the variables too), the others markers.
V86_SS		equ 0x2000
V86_SP		equ 0x1000	; linear 21000h
V86_ES		equ 0x2345
V86_FS		equ 0x3456
V86_GS		equ 0x4567

; V86 code stores what it sees in W(n), below 64 KB.
%define W(n) (wbuf + (n) * 4)

; GO_V86 entry, back[, eflags]: IRETD from the monitor to entry in V86
; (EFLAGS VM | 2 | eflags); the V86 code ends with INT PM_BAIL, or any
; event with exc_bail armed, and the monitor goes on at back.
%macro GO_V86 2-3 IOPL3
	mov dword [exc_bail], %2
	mov [exc_bail_esp], esp
	push dword V86_GS
	push dword V86_FS
	push dword 0		; DS
	push dword V86_ES
	push dword V86_SS
	push dword V86_SP
	push dword VM | 2 | (%3)
	push dword 0		; CS
	push dword %1
	iretd
%endmacro

; R86TRY n, instruction: in V86, arms exc_resume past the instruction and
; stores its address in W(40 + n).
%macro R86TRY 2+
	mov dword [exc_resume], %%next
	mov word [W(40 + (%1))], %%insn
%%insn:
	%2
%%next:
%endmacro

; CHECK_V86_FRAME n, eip: record n came from V86 with the V86 task's
; segments (DS 0) and the ESP0 stack.
%macro CHECK_V86_FRAME 2
	CHECKD dword [REC(%1, R_EIP)], %2
	CHECKD dword [REC(%1, R_CS)], 0
	mov eax, [REC(%1, R_EFL)]
	and eax, VM
	CHECKD eax, VM
	CHECKD dword [REC(%1, R_SS)], V86_SS
	CHECKD dword [REC(%1, R_ES)], V86_ES
	CHECKD dword [REC(%1, R_DS)], 0
	CHECKD dword [REC(%1, R_FS)], V86_FS
	CHECKD dword [REC(%1, R_GS)], V86_GS
%endmacro

	bits 32
pm_main:
	TEST "IRETD to V86, real-mode code, INT 3Fh out"
	call reset_exc
	call clear_w
	GO_V86 %$v86, %$back
	bits 16
%$v86:
	mov ax, cs
	mov [W(0)], ax
	mov ax, ss
	mov [W(1)], ax
	mov ax, ds
	mov [W(2)], ax
	mov ax, es
	mov [W(3)], ax
	mov ax, fs
	mov [W(4)], ax
	mov ax, gs
	mov [W(5)], ax
	mov [W(6)], sp
	pushfd			; VM and RF are not in the image
	pop dword [W(7)]
	mov word [es:0x10], 0xBEEF	; linear 23450h + 10h
	mov ax, 0x2000
	mov es, ax		; a real-mode segment load
	mov dword [es:0x100], 0x11223344
	mov eax, 0x12345678	; 32-bit operands
	mov [W(8)], eax
	smsw ax
	mov [W(9)], ax
	int PM_BAIL
%$ret:
	bits 32
%$back:
	BAILED 1
	CHECKW word [W(0)], 0
	CHECKW word [W(1)], V86_SS
	CHECKW word [W(2)], 0
	CHECKW word [W(3)], V86_ES
	CHECKW word [W(4)], V86_FS
	CHECKW word [W(5)], V86_GS
	CHECKW word [W(6)], V86_SP
	mov eax, [W(7)]
	and eax, VM | RF | IOPL3
	CHECKD eax, IOPL3
	CHECKW word [V86_ES * 16 + 0x10], 0xBEEF
	CHECKD dword [0x20100], 0x11223344
	CHECKD dword [W(8)], 0x12345678
	mov ax, [W(9)]
	and ax, 1
	CHECKW ax, 1		; SMSW shows PE
	CHECKD dword [REC(0, R_EIP)], %$ret
	CHECKD dword [REC(0, R_CS)], 0
	CHECKD dword [REC(0, R_ESP)], V86_SP
	CHECKD dword [REC(0, R_SS)], V86_SS
	CHECKD dword [REC(0, R_ES)], 0x2000
	CHECKD dword [REC(0, R_DS)], 0
	CHECKD dword [REC(0, R_FS)], V86_FS
	CHECKD dword [REC(0, R_GS)], V86_GS
	mov ax, cs
	CHECKW ax, SEL_CODE32
	ENDTEST

	; The frame on the ring-0 stack: GS, FS, DS, ES, SS, ESP, EFLAGS, CS,
	; EIP, 36 bytes below TSS.ESP0; the handler runs with DS..GS null
	; and IF, TF, VM clear (SDM Vol. 3A, 20.3.1.1).
	TEST "INT n with IOPL 3 through the ring-0 handler"
	call reset_exc
	call clear_w
	SETSTUB 0x30, 0xEE
	GO_V86 %$v86, %$back, IOPL3 | IF
	bits 16
%$v86:
	mov dword [exc_resume], %$ret
	mov ax, 0x0ABC
	push ds
	mov ds, ax
	int 0x30
%$ret:
	mov ax, ds
	mov [cs:W(0)], ax
	pop ds
	mov [W(1)], sp
	pushf
	pop word [W(2)]
	int PM_BAIL
	bits 32
%$back:
	SETSTUB 0x30, 0x8E
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 0x30
	CHECKD dword [REC(0, R_CODE)], NO_CODE
	CHECKD dword [REC(0, R_EIP)], %$ret
	CHECKD dword [REC(0, R_CS)], 0
	mov eax, [REC(0, R_EFL)]
	and eax, VM | IOPL3 | IF
	CHECKD eax, VM | IOPL3 | IF
	CHECKD dword [REC(0, R_ESP)], V86_SP - 2
	CHECKD dword [REC(0, R_SS)], V86_SS
	CHECKD dword [REC(0, R_ES)], V86_ES
	CHECKD dword [REC(0, R_DS)], 0x0ABC
	CHECKD dword [REC(0, R_FS)], V86_FS
	CHECKD dword [REC(0, R_GS)], V86_GS
	CHECKD dword [REC(0, R_HESP)], PM_ESP0 - 36
	CHECKD dword [REC(0, R_HDS)], 0
	mov eax, [REC(0, R_HEFL)]
	and eax, IF | TF
	CHECKD eax, 0
	CHECKW word [W(0)], 0x0ABC	; IRETD back to V86 loaded DS
	CHECKW word [W(1)], V86_SP
	mov ax, [W(2)]
	and ax, IF
	CHECKW ax, IF
	ENDTEST

	TEST "IOPL 0: CLI STI PUSHF POPF INT IRET fault with #GP(0)"
	call reset_exc
	call clear_w
	SETSTUB 0x30, 0xEE
	GO_V86 %$v86, %$back, 0
	bits 16
%$v86:
	R86TRY 0, cli
	R86TRY 1, sti
	R86TRY 2, pushf
	R86TRY 3, popf
	R86TRY 4, int 0x30
	R86TRY 5, iret
	R86TRY 6, pushfd
	R86TRY 7, popfd
	R86TRY 8, int3		; not IOPL-sensitive: its gate's DPL is checked
	mov [W(0)], sp
	int PM_BAIL		; #GP too, which bails
	bits 32
%$back:
	SETSTUB 0x30, 0x8E
	CHECKW word [W(0)], V86_SP	; nothing was pushed or popped
	CHECKD dword [exc_count], 10
	xor esi, esi
%$each:
	mov ebx, esi
	shl ebx, REC_SHIFT
	cmp dword [PM_RECS + ebx + R_VEC], 13
	jne %$bad
	cmp dword [PM_RECS + ebx + R_CODE], 0
	jne %$bad
	cmp dword [PM_RECS + ebx + R_CS], 0
	jne %$bad
	cmp dword [PM_RECS + ebx + R_HESP], PM_ESP0 - 40
	jne %$bad
	movzx eax, word [W(40) + esi * 4]
	cmp [PM_RECS + ebx + R_EIP], eax
	jne %$bad
	inc esi
	cmp esi, 8
	jb %$each
	jmp %$ok
%$bad:
	inc esi
	mov [rom_got], esi
	mov dword [rom_want], 0
	mov byte [rom_width], 2
	jmp %$fail
%$ok:
	CHECKD dword [REC(8, R_VEC)], 13
	CHECKD dword [REC(8, R_CODE)], 3 * 8 + 2
	movzx eax, word [W(48)]
	CHECKD dword [REC(8, R_EIP)], eax
	CHECKD dword [REC(9, R_VEC)], 13
	ENDTEST

	; With IOPL 3 the flag instructions work, but POPF cannot change
	; IOPL in V86.
	TEST "IOPL 3: CLI STI POPF work, IOPL stays"
	call reset_exc
	call clear_w
	GO_V86 %$v86, %$back, IOPL3 | IF
	bits 16
%$v86:
	cli
	pushf
	pop word [W(0)]
	sti
	pushf
	pop word [W(1)]
	push word 0		; IF 0, IOPL 0
	popf
	pushf
	pop word [W(2)]
	push dword 0
	popfd
	pushfd
	pop dword [W(3)]
	int PM_BAIL
	bits 32
%$back:
	CHECKD dword [exc_count], 1
	mov ax, [W(0)]
	and ax, IF | IOPL3
	CHECKW ax, IOPL3
	mov ax, [W(1)]
	and ax, IF | IOPL3
	CHECKW ax, IF | IOPL3
	mov ax, [W(2)]
	and ax, IF | IOPL3
	CHECKW ax, IOPL3
	mov eax, [W(3)]
	and eax, IF | IOPL3
	CHECKD eax, IOPL3
	mov eax, [REC(0, R_EFL)]
	and eax, VM | IOPL3
	CHECKD eax, VM | IOPL3	; still in V86
	ENDTEST

	; In V86, IN and OUT always consult the bitmap (SDM Vol. 1, 19.5.2):
	; it allows ports 80h and 84h-87h only.
	TEST "IN/OUT in V86 against the TSS I/O bitmap"
	call reset_exc
	call clear_w
	GO_V86 %$v86, %$back, IOPL3
	bits 16
%$v86:
	in al, 0x80
	in eax, 0x84
	mov word [W(0)], 1
	R86TRY 0, in al, 0x81
	R86TRY 1, in ax, 0x80
	mov dx, 0x400
	R86TRY 2, in al, dx
	R86TRY 3, out 0x81, al
	int PM_BAIL
	bits 32
%$back:
	CHECKW word [W(0)], 1
	CHECKD dword [exc_count], 5
	xor esi, esi
%$each:
	mov ebx, esi
	shl ebx, REC_SHIFT
	cmp dword [PM_RECS + ebx + R_VEC], 13
	jne %$bad
	cmp dword [PM_RECS + ebx + R_CODE], 0
	jne %$bad
	movzx eax, word [W(40) + esi * 4]
	cmp [PM_RECS + ebx + R_EIP], eax
	jne %$bad
	inc esi
	cmp esi, 4
	jb %$each
	jmp %$ok
%$bad:
	inc esi
	mov [rom_got], esi
	mov dword [rom_want], 0
	mov byte [rom_width], 2
	jmp %$fail
%$ok:
	CHECKD dword [REC(4, R_VEC)], PM_BAIL
	ENDTEST

	TEST "IN with IOPL 0 in V86 allowed by the bitmap"
	call reset_exc
	GO_V86 %$v86, %$back, 0
	bits 16
%$v86:
	in al, 0x80
	int PM_BAIL		; #GP(0) at IOPL 0: bails
%$int:
	bits 32
%$back:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_EIP)], %$int - 2
	ENDTEST

	; Exceptions in V86 go to the protected-mode IDT, not the IVT; INT n
	; through a DPL 0 gate is #GP(n*8+2) as at CPL 3.
	TEST "exceptions in V86 through the IDT"
	call reset_exc
	call clear_w
	GO_V86 %$v86, %$back, IOPL3
	bits 16
%$v86:
	R86TRY 0, ud2
	xor cx, cx
	mov ax, 1
	R86TRY 1, div cl
	R86TRY 2, int 0x31	; DPL 0 gate
	int PM_BAIL
	bits 32
%$back:
	CHECKD dword [exc_count], 4
	CHECKD dword [REC(0, R_VEC)], 6
	CHECKD dword [REC(0, R_CODE)], NO_CODE
	movzx eax, word [W(40)]
	CHECK_V86_FRAME 0, eax
	CHECKD dword [REC(0, R_ESP)], V86_SP
	CHECKD dword [REC(0, R_HESP)], PM_ESP0 - 36
	CHECKD dword [REC(1, R_VEC)], 0
	movzx eax, word [W(41)]
	CHECK_V86_FRAME 1, eax
	CHECKD dword [REC(2, R_VEC)], 13
	CHECKD dword [REC(2, R_CODE)], 0x31 * 8 + 2
	movzx eax, word [W(42)]
	CHECK_V86_FRAME 2, eax
	CHECKD dword [REC(2, R_HESP)], PM_ESP0 - 40
	ENDTEST

%ifdef STRICT
	; V86 segments have real mode's 64 KB limit: #GP(0) past it.
	TEST "V86 segment limit: #GP(0) past FFFFh"
	call reset_exc
	call clear_w
	GO_V86 %$v86, %$back, IOPL3
	bits 16
%$v86:
	mov ax, [0xFFFE]	; the last word: fine
	R86TRY 0, mov ax, [0xFFFF]
	mov ebx, 0x10000
	R86TRY 1, mov al, [ebx]	; a 32-bit offset
	int PM_BAIL
	bits 32
%$back:
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	movzx eax, word [W(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], 0
	movzx eax, word [W(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	ENDTEST
%endif

	ROM_PASS

; clear_w fills W(0..63) with UNSET.
clear_w:
	pushad
	mov edi, wbuf
	mov ecx, 64
	mov eax, UNSET
	cld
	rep stosd
	popad
	ret

hello:		db ": virtual-8086 mode checks", 10, 0

	align 8
pm_tables:
gdt:
	PM_GDT_BASE
gdt_end:

tss_main:
	TSS32 0, 0, 0, 0, 0, 0
	; the I/O bitmap: ports 0..3FFh, then the terminating byte
	times 0x80 / 8 db 0xFF
	db 0x0E			; 80h allowed, 81h-83h denied, 84h-87h allowed
	times 0x400 / 8 - 0x80 / 8 - 1 db 0xFF
	db 0xFF
tss_main_end:
pm_tables_end:

	align 4
gdtr:		dw gdt_end - gdt - 1
		dd gdt
wbuf:		times 64 dd 0

	ROM_END
