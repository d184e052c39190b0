; pm_tasks.asm: hardware task switching. JMP to a TSS and back (the
; state saved and loaded, the busy bits, CR0.TS, the LDT), CALL through
; a task gate and IRET back with NT and the back link, #GP for busy TSSs,
; #TS for a bad back link and for a TSS that is too small, an exception
; and an INT n handled by task gates, a 16-bit TSS, a task gate called
; from ring 3, and CR3 loaded from the new TSS. Needs a 386.
;
; Output on port 0xE9: one line per test, "name ok", then "pm_tasks:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; With -DSTRICT it also checks the TSS T bit (#DB on entering the task),
; which QEMU's TCG does not model: the pm_tasks-strict image, checked
; under Bochs.
;; variant: pm_tasks-strict -DSTRICT

%define ROM_NAME "pm_tasks"
%include "rom.inc"
%include "pm.inc"

SEL_TSS_A	equ 0x40	; task A: jumped to, with its own LDT
SEL_TSS_B	equ 0x48	; task B: called through SEL_TGATE_B
SEL_TGATE_B	equ 0x50	; task gate, DPL 0 -> SEL_TSS_B
SEL_TSS_EXC	equ 0x58	; the task of the #GP task gate
SEL_TSS16	equ 0x60	; a 16-bit TSS
SEL_TSS_SMALL	equ 0x68	; a 32-bit TSS descriptor with limit 50h
SEL_LDT_A	equ 0x70	; task A's LDT
SEL_TGATE3	equ 0x7B	; task gate, DPL 3 -> SEL_TSS_C
SEL_TSS_C	equ 0x80	; task C: its code is in the test that calls it
SEL_BEYOND	equ 0xF8

STACK_A		equ 0x21000	; the tasks' stacks
STACK_B		equ 0x22000
STACK_EXC	equ 0x23000
STACK_C		equ 0x24000
STACK16		equ 0x7000	; task16's SP, in SEL_DATA16

PD1		equ 0x30000	; paging for the CR3 test: two directories
PT1		equ 0x31000
PD2		equ 0x32000
PT2		equ 0x33000
REMAPPED	equ 0x250000	; mapped differently by PD2

MARK_EAX	equ 0xA5A5A5A5
MARK_EBX	equ 0x0B0B0B0B
MARK_EBP	equ 0x0E0E0E0E
MARK_ESI	equ 0x05050505
MARK_EDI	equ 0xD1D1D1D1

; TYPEB sel: the access byte of descriptor sel in the GDT.
%define TYPEB(sel) byte [gdt + ((sel) & ~7) + 5]

; SET_C label: makes task C start at label (ring 0, flat, stack STACK_C)
; when it is next called; the task ends with IRETD.
%macro SET_C 1
	mov dword [tss_c + TSS_EIP], %1
	mov dword [tss_c + TSS_ESP], STACK_C
	mov dword [tss_c + TSS_EFLAGS], 2
%endmacro

	bits 32
pm_main:
	TEST "JMP to a TSS and back"
	mov dword [tss_a + TSS_EAX], 0x000A000A
	mov ax, SEL_DATA16	; FS travels through the TSS too
	mov fs, ax
	mov eax, MARK_EAX
	mov ebx, MARK_EBX
	mov ebp, MARK_EBP
	mov esi, MARK_ESI
	mov edi, MARK_EDI
	jmp SEL_TSS_A:0xDEAD	; the offset is ignored
%$back:
	CHECKD eax, MARK_EAX
	CHECKD ebx, MARK_EBX
	CHECKD ebp, MARK_EBP
	CHECKD esi, MARK_ESI
	CHECKD edi, MARK_EDI
	mov ax, fs
	CHECKW ax, SEL_DATA16
	mov ax, SEL_DATA
	mov fs, ax
	str ax
	CHECKW ax, SEL_TSS
	sldt ax
	CHECKW ax, 0
	mov eax, cr0		; every task switch sets TS
	test al, CR0_TS
	EXPECT nz
	clts
	; what task A saw
	CHECKW word [ta_tr], SEL_TSS_A
	CHECKW word [ta_ldt], SEL_LDT_A
	CHECKD dword [ta_ldt_read], 0x600DF00D
	mov eax, [ta_eflags]
	and eax, NT
	CHECKD eax, 0		; JMP does not nest
	CHECKB byte [ta_main_type], 0x89	; JMP cleared the old task's busy bit
	CHECKB byte [ta_a_type], 0x8B
	mov eax, [ta_cr0]
	and eax, CR0_TS
	CHECKD eax, CR0_TS
	CHECKD dword [ta_esp], STACK_A
	CHECKD dword [ta_eax], 0x000A000A	; from its TSS
	CHECKD dword [tss_main + TSS_EIP], %$back	; the state it saved
	CHECKD dword [tss_main + TSS_EAX], MARK_EAX
	CHECKD dword [tss_main + TSS_EDI], MARK_EDI
	CHECKD dword [tss_main + TSS_FS], SEL_DATA16
	CHECKD dword [tss_main + TSS_ESP], PM_STACK
	; after the way back
	CHECKB TYPEB(SEL_TSS_A), 0x89
	CHECKB TYPEB(SEL_TSS), 0x8B
	CHECKD dword [tss_a + TSS_EIP], task_a.again
	CHECKW word [tss_a + TSS_LINK], 0	; JMP leaves the link alone
	ENDTEST

	TEST "CALL through a task gate, IRET back"
	mov eax, MARK_EAX
	call SEL_TGATE_B:0
%$back:
	CHECKD eax, MARK_EAX
	pushfd
	pop eax
	and eax, NT
	CHECKD eax, 0
	str ax
	CHECKW ax, SEL_TSS
	clts
	mov eax, [tb_eflags]
	and eax, NT
	CHECKD eax, NT		; the called task is nested
	CHECKW word [tb_link], SEL_TSS
	CHECKW word [tb_tr], SEL_TSS_B
	CHECKB byte [tb_main_type], 0x8B	; both busy while nested
	CHECKB byte [tb_b_type], 0x8B
	CHECKB TYPEB(SEL_TSS_B), 0x89	; IRET freed task B
	CHECKB TYPEB(SEL_TSS), 0x8B
	CHECKD dword [tss_b + TSS_EIP], task_b.again
	CHECKD dword [tss_main + TSS_EIP], %$back
	ENDTEST

	TEST "#GP for a busy TSS"
	call reset_exc
	mov dword [exc_resume], %$r1
%$f1:
	jmp SEL_TSS:0		; the current task
	FAIL
%$r1:
	mov dword [exc_resume], %$r2
%$f2:
	call SEL_TSS:0
	FAIL
%$r2:
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_TSS
	CHECKD dword [REC(0, R_EIP)], %$f1
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], SEL_TSS
	CHECKD dword [REC(1, R_EIP)], %$f2
	; From a nested task, back to its (busy) caller by JMP.
	call reset_exc
	SET_C %$task
	call SEL_TSS_C:0
	jmp %$after
%$task:
	mov dword [exc_resume], %$r3
%$f3:
	jmp SEL_TSS:0
	FAIL
%$r3:
	str ax
	mov [tc_tr], ax
	iretd
%$after:
	clts
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_TSS
	CHECKD dword [REC(0, R_EIP)], %$f3
	CHECKW word [tc_tr], SEL_TSS_C	; still in task C after the #GP
	CHECKB TYPEB(SEL_TSS_C), 0x89
	ENDTEST

	; IRET with NT set returns to the task in the back link, which must
	; be busy: #TS(link) if it is not.
	TEST "#TS for IRET with NT to a TSS that is not busy"
	call reset_exc
	mov word [tss_main + TSS_LINK], SEL_TSS_A
	mov dword [exc_resume], %$r1
	mov dword [exc_fl_and], ~NT & 0xFFFFFFFF
	pushfd
	or dword [esp], NT
	popfd
%$f1:
	iretd
	FAIL
%$r1:
	mov word [tss_main + TSS_LINK], 0
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 10
	CHECKD dword [REC(0, R_CODE)], SEL_TSS_A
	CHECKD dword [REC(0, R_EIP)], %$f1
	mov eax, [REC(0, R_EFL)]
	and eax, NT
	CHECKD eax, NT
	str ax
	CHECKW ax, SEL_TSS
	CHECKB TYPEB(SEL_TSS_A), 0x89
	ENDTEST

	TEST "#TS for a TSS limit below 67h"
	call reset_exc
	mov dword [exc_resume], %$r1
%$f1:
	jmp SEL_TSS_SMALL:0
	FAIL
%$r1:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 10
	CHECKD dword [REC(0, R_CODE)], SEL_TSS_SMALL
	CHECKD dword [REC(0, R_EIP)], %$f1
	str ax
	CHECKW ax, SEL_TSS
	CHECKB TYPEB(SEL_TSS_SMALL), 0x89
	ENDTEST

	TEST "LTR: busy bit, #GP for a busy TSS"
	call reset_exc
	mov ax, SEL_TSS_C
	ltr ax
	CHECKB TYPEB(SEL_TSS_C), 0x8B	; LTR marks it busy
	str bx
	CHECKW bx, SEL_TSS_C
	mov dword [exc_resume], %$r1
%$f1:
	ltr ax			; busy now
	FAIL
%$r1:
	mov ax, SEL_DATA	; not a TSS
	mov dword [exc_resume], %$r2
%$f2:
	ltr ax
	FAIL
%$r2:
	and TYPEB(SEL_TSS), ~2 & 0xFF	; back to the monitor's TSS
	mov ax, SEL_TSS
	ltr ax
	and TYPEB(SEL_TSS_C), ~2 & 0xFF
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_TSS_C
	CHECKD dword [REC(0, R_EIP)], %$f1
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], SEL_DATA
	CHECKD dword [REC(1, R_EIP)], %$f2
	ENDTEST

	; The exception's error code goes on the handler task's stack; the
	; faulting task's saved EIP is the faulting instruction.
	TEST "#GP handled through a task gate"
	SETTASKGATE 13, SEL_TSS_EXC
	mov dword [xt_resume], %$back
	mov ax, SEL_BEYOND
%$fault:
	mov ds, ax
	FAIL
%$back:
	SETSTUB 13, 0x8E
	clts
	CHECKD dword [xt_code], SEL_BEYOND
	CHECKD dword [xt_esp], STACK_EXC
	CHECKD dword [xt_eip], %$fault
	CHECKW word [xt_link], SEL_TSS
	CHECKW word [xt_tr], SEL_TSS_EXC
	mov eax, [xt_eflags]
	and eax, NT
	CHECKD eax, NT
	mov ax, ds
	CHECKW ax, SEL_DATA
	str ax
	CHECKW ax, SEL_TSS
	CHECKB TYPEB(SEL_TSS_EXC), 0x89
	ENDTEST

	TEST "INT n through a task gate"
	SETTASKGATE 0x30, SEL_TSS_C
	SET_C %$task
	mov eax, MARK_EAX
	int 0x30
%$back:
	SETSTUB 0x30, 0x8E
	clts
	CHECKD eax, MARK_EAX
	CHECKW word [tc_tr], SEL_TSS_C
	CHECKW word [tc_link], SEL_TSS
	CHECKD dword [tc_esp], STACK_C	; no error code, nothing pushed
	CHECKD dword [tss_main + TSS_EIP], %$back
	jmp %$done
%$task:
	str ax
	mov [tc_tr], ax
	mov ax, [tss_c + TSS_LINK]
	mov [tc_link], ax
	mov [tc_esp], esp
	iretd
%$done:
	ENDTEST

	TEST "16-bit TSS"
	call SEL_TSS16:0
%$back:
	clts
	CHECKW word [t16_ax], 0x1616	; loaded from the TSS
	CHECKW word [t16_sp], STACK16
	CHECKW word [t16_cs], SEL_CODE16
	CHECKW word [t16_tr], SEL_TSS16
	CHECKW word [t16_link], SEL_TSS
	mov ax, [t16_flags]
	and ax, NT
	CHECKW ax, NT
	CHECKB TYPEB(SEL_TSS16), 0x81	; available again
	CHECKW word [tss16 + 14], task16.again	; the IP it saved
	CHECKW word [tss16 + 18], 0x6161	; and AX
	CHECKD dword [tss_main + TSS_EIP], %$back
	str ax
	CHECKW ax, SEL_TSS
	ENDTEST

	; A task gate's DPL is checked, not the TSS's: ring 3 reaches a
	; ring-0 task through a DPL 3 gate, and the monitor task's ring-3
	; state is what the switch saves.
	TEST "task gate called from ring 3"
	call reset_exc
	SET_C %$task
	GO_RING3 %$r3, %$back
%$r3:
	mov eax, MARK_EAX
	call SEL_TGATE3:0
%$ret:
	mov [tc_r3_eax], eax
	mov ax, cs
	mov [tc_r3_cs], ax
	mov dword [exc_resume], %$r2
%$f2:
	call SEL_TGATE_B:0	; DPL 0 gate
%$r2:
	mov dword [exc_resume], %$r3b
%$f3:
	jmp SEL_TSS_A:0		; DPL 0 TSS
%$r3b:
	int PM_BAIL
%$task:
	str ax
	mov [tc_tr], ax
	mov eax, [tss_main + TSS_CS]
	mov [tc_main_cs], eax
	mov eax, [tss_main + TSS_SS]
	mov [tc_main_ss], eax
	mov eax, [tss_main + TSS_EIP]
	mov [tc_main_eip], eax
	mov ax, cs
	mov [tc_cs], ax
	iretd
%$back:
	clts
	CHECKW word [tc_tr], SEL_TSS_C
	CHECKW word [tc_cs], SEL_CODE32
	CHECKD dword [tc_main_cs], SEL_CODE3
	CHECKD dword [tc_main_ss], SEL_DATA3
	CHECKD dword [tc_main_eip], %$ret
	CHECKD dword [tc_r3_eax], MARK_EAX
	CHECKW word [tc_r3_cs], SEL_CODE3
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_TGATE_B
	CHECKD dword [REC(0, R_EIP)], %$f2
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], SEL_TSS_A
	CHECKD dword [REC(1, R_EIP)], %$f3
	CHECKD dword [REC(2, R_VEC)], PM_BAIL
	ENDTEST

	; CR3 is a static field: a task switch loads it (with paging on) and
	; never writes it back.
	TEST "a task switch loads CR3"
	call paging_setup
	mov dword [tss_main + TSS_CR3], PD1
	mov dword [tss_c + TSS_CR3], PD2
	SET_C %$task
	CHECKD dword [REMAPPED], 0x25025000	; PD1: identity
	call SEL_TSS_C:0
	CHECKD dword [REMAPPED], 0x25025000
	mov eax, cr3
	CHECKD eax, PD1
	mov eax, cr0
	and eax, ~(CR0_PG | CR0_TS) & 0xFFFFFFFF
	mov cr0, eax
	CHECKD dword [tc_cr3], PD2
	CHECKD dword [tc_read], 0x25125100	; PD2: remapped
	CHECKD dword [tss_c + TSS_CR3], PD2
	CHECKD dword [tss_main + TSS_CR3], PD1
	jmp %$done
%$task:
	mov eax, cr3
	mov [tc_cr3], eax
	mov eax, [REMAPPED]
	mov [tc_read], eax
	iretd
%$done:
	ENDTEST

%ifdef STRICT
	; The T bit of the new TSS raises #DB (DR6.BT) once the switch is
	; done, before the new task's first instruction.
	TEST "the TSS T bit: #DB with DR6.BT in the new task"
	call reset_exc
	SET_C %$task
	mov word [tss_c + 100], 1	; T
	xor eax, eax
	mov dr6, eax
	mov dword [exc_resume], 1
	call SEL_TSS_C:0
	clts
	mov word [tss_c + 100], 0
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 1
	CHECKD dword [REC(0, R_EIP)], %$task
	mov eax, [REC(0, R_DR6)]
	and eax, 0xE00F
	CHECKD eax, 0x8000		; BT
	CHECKW word [tc_tr], SEL_TSS_C	; handled in the new task
	jmp %$done
%$task:
	str ax
	mov [tc_tr], ax
	iretd
%$done:
	ENDTEST
%endif

	ROM_PASS

; paging_setup turns paging on with PD1: the first 4 MiB identity-mapped.
; PD2 maps them the same but for REMAPPED, which goes to REMAPPED + 1000h.
; The pages at 250000h and 251000h hold 25025000h and 25125100h.
paging_setup:
	pushad
	mov edi, PD1
	xor eax, eax
	mov ecx, 1024 * 4	; PD1, PT1, PD2, PT2
	cld
	rep stosd
	mov dword [PD1], PT1 | 7
	mov dword [PD2], PT2 | 7
	mov edi, PT1
	mov eax, 7
	mov ecx, 1024
.pte:
	mov [edi + PT2 - PT1], eax
	stosd
	add eax, 0x1000
	loop .pte
	mov dword [PT2 + (REMAPPED >> 12) * 4], (REMAPPED + 0x1000) | 7
	mov dword [REMAPPED], 0x25025000
	mov dword [REMAPPED + 0x1000], 0x25125100
	mov eax, PD1
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	jmp .on
.on:
	popad
	ret

; Task A: records what it sees, jumps back to the monitor task, and
; starts over when entered again.
task_a:
	mov [ta_eax], eax
	str ax
	mov [ta_tr], ax
	sldt ax
	mov [ta_ldt], ax
	mov ax, 0x04		; its LDT's entry 0
	mov fs, ax
	mov eax, [fs:ldt_probe]
	mov [ta_ldt_read], eax
	pushfd
	pop dword [ta_eflags]
	mov al, TYPEB(SEL_TSS)
	mov [ta_main_type], al
	mov al, TYPEB(SEL_TSS_A)
	mov [ta_a_type], al
	mov eax, cr0
	mov [ta_cr0], eax
	mov [ta_esp], esp
	jmp SEL_TSS:0
.again:
	jmp task_a

; Task B: called through a task gate; returns with IRETD.
task_b:
	pushfd
	pop dword [tb_eflags]
	mov ax, [tss_b + TSS_LINK]
	mov [tb_link], ax
	str ax
	mov [tb_tr], ax
	mov al, TYPEB(SEL_TSS)
	mov [tb_main_type], al
	mov al, TYPEB(SEL_TSS_B)
	mov [tb_b_type], al
	iretd
.again:
	jmp task_b

; The #GP task: takes the error code off its stack, makes the faulting
; task resume at xt_resume, and returns to it.
exc_task:
	pop dword [xt_code]
	mov [xt_esp], esp
	pushfd
	pop dword [xt_eflags]
	mov ax, [tss_exc + TSS_LINK]
	mov [xt_link], ax
	str ax
	mov [xt_tr], ax
	mov eax, [tss_main + TSS_EIP]
	mov [xt_eip], eax
	mov eax, [xt_resume]
	mov [tss_main + TSS_EIP], eax
	iretd
	jmp exc_task

	bits 16
; The 16-bit task: SEL_CODE16, SEL_DATA16.
task16:
	mov [t16_ax], ax
	mov [t16_sp], sp
	mov ax, cs
	mov [t16_cs], ax
	str ax
	mov [t16_tr], ax
	mov ax, [tss16]
	mov [t16_link], ax
	pushf
	pop word [t16_flags]
	mov ax, 0x6161
	iret
.again:
	jmp task16
	bits 32

hello:		db ": task switch checks", 10, 0

	align 4
ldt_probe:	dd 0x600DF00D	; read by task A through its LDT

	align 8
pm_tables:
gdt:
	PM_GDT_BASE
	DESC ABS(tss_a), TSS_SIZE - 1, 0x89, 0		; SEL_TSS_A
	DESC ABS(tss_b), TSS_SIZE - 1, 0x89, 0		; SEL_TSS_B
	GDTGATE 0, SEL_TSS_B, 0x85, 0			; SEL_TGATE_B
	DESC ABS(tss_exc), TSS_SIZE - 1, 0x89, 0	; SEL_TSS_EXC
	DESC ABS(tss16), 44 - 1, 0x81, 0		; SEL_TSS16
	DESC ABS(tss_c), 0x50, 0x89, 0			; SEL_TSS_SMALL
	DESC ABS(ldt_a), ldt_a_end - ldt_a - 1, 0x82, 0	; SEL_LDT_A
	GDTGATE 0, SEL_TSS_C, 0xE5, 0			; SEL_TGATE3
	DESC ABS(tss_c), TSS_SIZE - 1, 0x89, 0		; SEL_TSS_C
gdt_end:

ldt_a:
	DESC 0, 0xFFFFF, 0x92, 0xC	; flat data
ldt_a_end:

	align 4
tss_main:
	TSS32 0, 0, 0, 0, 0, 0
tss_main_end:
tss_a:
	TSS32 task_a, STACK_A, SEL_CODE32, SEL_DATA, 2, SEL_LDT_A
tss_b:
	TSS32 task_b, STACK_B, SEL_CODE32, SEL_DATA, 2, 0
tss_exc:
	TSS32 exc_task, STACK_EXC, SEL_CODE32, SEL_DATA, 2, 0
tss_c:
	TSS32 0, STACK_C, SEL_CODE32, SEL_DATA, 2, 0
tss16:
	dw 0			; link
	dw 0, 0, 0, 0, 0, 0	; SP0, SS0, SP1, SS1, SP2, SS2
	dw task16, 2		; IP, FLAGS
	dw 0x1616, 0, 0, 0	; AX, CX, DX, BX
	dw STACK16, 0, 0, 0	; SP, BP, SI, DI
	dw SEL_DATA16, SEL_CODE16, SEL_DATA16, SEL_DATA16	; ES, CS, SS, DS
	dw 0			; LDT
pm_tables_end:

	align 4
ta_eax:		dd 0
ta_tr:		dw 0
ta_ldt:		dw 0
ta_ldt_read:	dd 0
ta_eflags:	dd 0
ta_cr0:		dd 0
ta_esp:		dd 0
ta_main_type:	db 0
ta_a_type:	db 0
	align 4
tb_eflags:	dd 0
tb_link:	dw 0
tb_tr:		dw 0
tb_main_type:	db 0
tb_b_type:	db 0
	align 4
xt_code:	dd 0
xt_esp:		dd 0
xt_eflags:	dd 0
xt_eip:		dd 0
xt_resume:	dd 0
xt_link:	dw 0
xt_tr:		dw 0
tc_tr:		dw 0
tc_link:	dw 0
tc_cs:		dw 0
tc_r3_cs:	dw 0
tc_esp:		dd 0
tc_main_cs:	dd 0
tc_main_ss:	dd 0
tc_main_eip:	dd 0
tc_r3_eax:	dd 0
tc_cr3:		dd 0
tc_read:	dd 0
t16_ax:		dw 0
t16_sp:		dw 0
t16_cs:		dw 0
t16_tr:		dw 0
t16_link:	dw 0
t16_flags:	dw 0

gdtr:		dw gdt_end - gdt - 1
		dd gdt

	ROM_END
