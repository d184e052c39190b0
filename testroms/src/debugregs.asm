; debugregs.asm: the debug registers. DR6/DR7 fixed bits, an instruction
; breakpoint in DR0 (a #DB fault before the instruction, DR6.B0, RF set
; by the handler to go on), data breakpoints in DR1 (a #DB trap after the
; write, or the read, also at CPL 3), single-stepping with TF (DR6.BS;
; not over INT n, and MOV SS holding the trap back), I/O breakpoints
; with CR4.DE, DR4/DR5 aliasing DR6/DR7 without CR4.DE and #UD with it,
; and INT3. Needs CR4.DE (Pentium): a Pentium II.
;
; Output on port 0xE9: one line per test, "name ok", then "debugregs:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; With -DSTRICT it also checks DR7.GD (general detect), which QEMU's TCG
; does not model: the debugregs-strict image, checked under Bochs.
;; variant: debugregs-strict -DSTRICT

%define PM_HAS_CR4
%define ROM_NAME "debugregs"
%include "rom.inc"
%include "pm.inc"
	cpu 686

DR6_B0		equ 0x0001
DR6_B1		equ 0x0002
DR6_B2		equ 0x0004
DR6_BD		equ 0x2000
DR6_BS		equ 0x4000
DR6_MASK	equ 0xE00F	; B0-B3, BD, BS, BT
DR6_FIXED	equ 0xFFFF0FF0	; what DR6 reads with no status bit set (P6)

; DB_RESET: #DB goes to db_handler, which records DB_MAX events; it ors
; db_fl_or into the EFLAGS it returns to, and clears TF from the
; db_stop-th event on.
DB_MAX		equ 8
%macro DB_RESET 0
	SETGATE 1, db_handler, SEL_CODE32, 0x8E
	call db_reset
%endmacro

; CHECK_DB n, eip, dr6: event n of db_handler.
%macro CHECK_DB 3
	CHECKD dword [db_eip + (%1) * 4], %2
	mov eax, [db_dr6 + (%1) * 4]
	and eax, DR6_MASK
	CHECKD eax, %3
%endmacro

	bits 32
pm_main:
	TEST "DR6 and DR7 fixed bits"
	xor eax, eax
	mov dr7, eax
	mov eax, dr7
	CHECKD eax, 0x400	; bit 10 reads 1
	xor eax, eax
	mov dr6, eax
	mov eax, dr6
	CHECKD eax, DR6_FIXED
	mov eax, 0x12345678
	mov dr0, eax
	mov eax, dr0
	CHECKD eax, 0x12345678
	mov eax, 0x9ABCDEF0
	mov dr3, eax
	mov eax, dr3
	CHECKD eax, 0x9ABCDEF0
	ENDTEST

	; An instruction breakpoint is a fault: EIP is the instruction's, and
	; the handler sets RF so that IRET runs it without a second #DB.
	TEST "instruction breakpoint: #DB fault, DR6.B0, RF"
	DB_RESET
	mov dword [db_fl_or], RF
	mov eax, %$bp
	mov dr0, eax
	mov eax, 0x00000001	; L0, execute, 1 byte
	mov dr7, eax
	xor ecx, ecx
	mov edx, 3
%$loop:
	nop
%$bp:
	inc ecx			; stops three times, runs three times
	dec edx
	jnz %$loop
	xor eax, eax
	mov dr7, eax
	CHECKD ecx, 3
	CHECKD dword [db_count], 3
	CHECK_DB 0, %$bp, DR6_B0
	CHECK_DB 1, %$bp, DR6_B0
	CHECK_DB 2, %$bp, DR6_B0
	mov eax, [db_efl]
	and eax, RF
	CHECKD eax, 0		; the fault's EFLAGS image: RF clear
	ENDTEST

	; A data breakpoint is a trap: the write is done, EIP is the next
	; instruction's. A 4-byte breakpoint covers each byte of the dword.
	TEST "data write breakpoint: #DB trap after the write, DR6.B1"
	DB_RESET
	mov dword [watched], 0
	mov eax, watched
	mov dr1, eax
	mov eax, 0x00D00304	; L1, write, 4 bytes; LE, GE
	mov dr7, eax
	mov eax, [watched]	; a read: no #DB
	mov dword [watched], 5
%$t1:
	mov ebx, [watched]
	mov byte [watched + 2], 7
%$t2:
	mov dword [watched + 4], 9	; the next dword: no #DB
	xor eax, eax
	mov dr7, eax
	CHECKD ebx, 5		; the write was done before the #DB
	CHECKD dword [watched], 0x00070005
	CHECKD dword [db_count], 2
	CHECK_DB 0, %$t1, DR6_B1
	CHECK_DB 1, %$t2, DR6_B1
	ENDTEST

	TEST "data read/write breakpoint: #DB on a read"
	DB_RESET
	mov eax, watched
	mov dr1, eax
	mov eax, 0x00F00304	; L1, read or write, 4 bytes; LE, GE
	mov dr7, eax
	mov eax, [watched + 4]	; not watched
	mov ax, [watched + 1]
%$t1:
	xor eax, eax
	mov dr7, eax
	CHECKD dword [db_count], 1
	CHECK_DB 0, %$t1, DR6_B1
	ENDTEST

	; TF set by POPFD: the instruction after POPFD is the first one
	; stepped; each #DB has DR6.BS and the EIP of the next instruction.
	TEST "single-step with TF: DR6.BS"
	DB_RESET
	mov dword [db_stop], 3
	pushfd
	or dword [esp], TF
	popfd
	nop
%$s1:
	nop
%$s2:
	nop
%$s3:
	nop
	nop
	pushfd
	pop eax
	and eax, TF
	CHECKD eax, 0		; the handler cleared it
	CHECKD dword [db_count], 3
	CHECK_DB 0, %$s1, DR6_BS
	CHECK_DB 1, %$s2, DR6_BS
	CHECK_DB 2, %$s3, DR6_BS
	ENDTEST

	TEST "single-step over INT n: the handler is not stepped"
	DB_RESET
	call reset_exc
	mov dword [db_stop], 2
	mov dword [exc_resume], %$ret
	pushfd
	or dword [esp], TF
	popfd
	nop
%$s1:
	int 0x30
%$ret:
	nop			; IRET began with TF clear: this one is stepped
%$s2:
	nop
	CHECKD dword [exc_count], 1
	mov eax, [REC(0, R_HEFL)]
	and eax, TF
	CHECKD eax, 0		; INT cleared TF for the handler
	mov eax, [REC(0, R_EFL)]
	and eax, TF
	CHECKD eax, TF
	CHECKD dword [db_count], 2
	CHECK_DB 0, %$s1, DR6_BS
	CHECK_DB 1, %$s2, DR6_BS	; no #DB for INT n, nor after IRET
	ENDTEST

	; With CR4.DE, R/W = 10b is an I/O breakpoint: a trap after IN or OUT
	; to the port.
	; MOV SS delays debug traps by one instruction (SDM Vol. 3A, 6.8.3):
	; the one that follows it is not single-stepped on its own.
	TEST "single-step after MOV SS waits one instruction"
	DB_RESET
	mov dword [db_stop], 3
	mov ax, ss
	pushfd
	or dword [esp], TF
	popfd
	nop
%$s1:
	mov ss, ax
	nop
%$s2:
	nop
%$s3:
	nop
	CHECKD dword [db_count], 3
	CHECK_DB 0, %$s1, DR6_BS
	CHECK_DB 1, %$s2, DR6_BS
	CHECK_DB 2, %$s3, DR6_BS
	ENDTEST

	; Ring 3 hits the breakpoint; #DB takes it to the ring-0 handler.
	TEST "data breakpoint hit at CPL 3"
	DB_RESET
	call reset_exc
	mov eax, watched
	mov dr1, eax
	mov eax, 0x00D00304	; L1, write, 4 bytes
	mov dr7, eax
	GO_RING3 %$r3, %$back
%$r3:
	mov dword [watched], 0x33
%$t1:
	int PM_BAIL
%$back:
	xor eax, eax
	mov dr7, eax
	BAILED 1
	CHECKD dword [db_count], 1
	CHECK_DB 0, %$t1, DR6_B1
	CHECKD dword [watched], 0x33
	ENDTEST

	TEST "I/O breakpoint with CR4.DE"
	DB_RESET
	mov eax, cr4
	or eax, CR4_DE
	mov cr4, eax
	mov eax, 0x80
	mov dr2, eax
	mov eax, 0x02000010	; L2, I/O, 1 byte
	mov dr7, eax
	in al, 0x84		; another port: no #DB
	in al, 0x80
%$t1:
	mov dx, 0x80
	out dx, al
%$t2:
	xor eax, eax
	mov dr7, eax
	mov eax, cr4
	and eax, ~CR4_DE & 0xFFFFFFFF
	mov cr4, eax
	CHECKD dword [db_count], 2
	CHECK_DB 0, %$t1, DR6_B2
	CHECK_DB 1, %$t2, DR6_B2
	ENDTEST

	; Without CR4.DE, DR4 and DR5 are DR6 and DR7; with it, #UD.
	TEST "DR4/DR5: aliases without CR4.DE, #UD with it"
	call reset_exc
	xor eax, eax
	mov dr6, eax
	mov eax, 0x00000100	; LE
	mov dr5, eax
	mov eax, dr7
	CHECKD eax, 0x500
	mov eax, dr4
	CHECKD eax, DR6_FIXED
	xor eax, eax
	mov dr7, eax
	mov eax, cr4
	or eax, CR4_DE
	mov cr4, eax
	R3TRY 0, mov eax, dr4
	R3TRY 1, mov dr5, eax
	mov eax, cr4
	and eax, ~CR4_DE & 0xFFFFFFFF
	mov cr4, eax
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 6
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(1, R_VEC)], 6
	mov eax, [V(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	ENDTEST

	TEST "INT3: #BP trap"
	call reset_exc
	mov dword [exc_resume], 1
	int3
%$ret:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 3
	CHECKD dword [REC(0, R_EIP)], %$ret
	ENDTEST

%ifdef STRICT
	; DR7.GD makes any MOV DR a #DB fault with DR6.BD; the CPU clears GD
	; for the handler.
	TEST "DR7.GD: #DB before MOV DR, DR6.BD"
	DB_RESET
	mov eax, 0x2000		; GD
	mov dr7, eax
%$f1:
	mov eax, dr0		; faults, GD cleared; then runs
	mov eax, dr7
	mov ebx, eax
	xor eax, eax
	mov dr7, eax
	CHECKD dword [db_count], 1
	CHECK_DB 0, %$f1, DR6_BD
	and ebx, 0x2000
	CHECKD ebx, 0
	ENDTEST
%endif

	ROM_PASS

; db_reset clears what db_handler records.
db_reset:
	push eax
	push ecx
	push edi
	xor eax, eax
	mov dr6, eax
	mov [db_count], eax
	mov [db_fl_or], eax
	mov [db_efl], eax
	mov dword [db_stop], 0xFFFFFFFF
	mov edi, db_eip
	mov ecx, DB_MAX * 2
	mov eax, UNSET
	cld
	rep stosd
	pop edi
	pop ecx
	pop eax
	ret

; db_handler: #DB at CPL 0. Records EIP and DR6, clears DR6, returns.
db_handler:
	push eax
	push ebx
	mov ebx, [db_count]
	cmp ebx, DB_MAX
	jae .full
	mov eax, [esp + 8]
	mov [db_eip + ebx * 4], eax
	mov eax, dr6
	mov [db_dr6 + ebx * 4], eax
.full:
	mov eax, [esp + 16]
	mov [db_efl], eax
	inc dword [db_count]
	xor eax, eax
	mov dr6, eax		; the CPU never clears it
	mov eax, [esp + 16]
	or eax, [db_fl_or]
	mov ebx, [db_count]
	cmp ebx, [db_stop]
	jb .go
	and eax, ~TF & 0xFFFFFFFF
.go:
	mov [esp + 16], eax
	pop ebx
	pop eax
	iretd

hello:		db ": debug register checks", 10, 0

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
db_count:	dd 0
db_stop:	dd 0
db_fl_or:	dd 0
db_efl:		dd 0
db_eip:		times DB_MAX dd 0
db_dr6:		times DB_MAX dd 0
	align 16
watched:	dd 0, 0

	ROM_END
