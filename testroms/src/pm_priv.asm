; pm_priv.asm: protection rings. Call gates with parameter copy, RETF and
; IRET to an outer ring (and the data segments they nullify), interrupt
; and trap gates from ring 3 with the stack switch through TSS.ESP0,
; gate DPL checks, conforming code, the #GP/#NP/#SS/#TS error codes,
; LAR/LSL/VERR/VERW/ARPL, the descriptor-table stores, and IOPL with the
; TSS I/O permission bitmap. Needs a 386.
;
; Output on port 0xE9: one line per test, "name ok", then "pm_priv:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; With -DSTRICT it also checks what QEMU's TCG does not model (segment
; limits on accesses, the EXT bit of error codes): the pm_priv-strict
; image, checked under Bochs.
;; variant: pm_priv-strict -DSTRICT

%define ROM_NAME "pm_priv"
%include "rom.inc"
%include "pm.inc"

SEL_CGATE	equ 0x40	; call gate, DPL 3, 3 parameters -> cg_handler (ring 0)
SEL_CONF0	equ 0x48	; conforming code, DPL 0, readable
SEL_CONF3	equ 0x50	; conforming code, DPL 3
SEL_CODE1	equ 0x59	; code, DPL 1 (RPL 1)
SEL_DATA1	equ 0x61	; data, DPL 1 (RPL 1)
SEL_CGATE1	equ 0x68	; call gate, DPL 3, no parameters -> ring1_func
SEL_GATE_NP	equ 0x70	; call gate, DPL 3, not present
SEL_GATE0	equ 0x78	; call gate, DPL 0 -> cg_handler
SEL_EXPDOWN	equ 0x80	; data, expand-down, limit FFFh, B=1, base 21000h, DPL 0
SEL_RODATA	equ 0x8B	; read-only data, DPL 3
SEL_XONLY	equ 0x93	; execute-only code, DPL 3
SEL_NPDATA	equ 0x98	; data, not present
SEL_LDT		equ 0xA0	; the LDT
SEL_IGATE	equ 0xA8	; an interrupt-gate type in the GDT (not valid for LAR)
SEL_SMALL	equ 0xB0	; data, limit FFh, byte granular, DPL 0
SEL_EXPDOWN3	equ 0xBB	; data, expand-down, limit 0FFFh, B=1, base 21000h, DPL 3
SEL_FRESH	equ 0xC0	; flat data, DPL 0, never loaded before its test
SEL_CGATE16	equ 0xC8	; 286 call gate, DPL 3, 2 word parameters -> cg16_handler
SEL_STACK0	equ 0xD0	; flat data, DPL 0: TSS.SS0 in the interrupt test
SEL_BEYOND	equ 0xF8	; past the GDT limit
SEL_LDATA3	equ 0x07	; LDT entry 0: flat data, DPL 3

EXPDOWN_BASE	equ 0x21000
STACK16		equ 0x7000	; a ring-3 stack below 64 KB for the 16-bit gates

	bits 32
pm_main:
	TEST "SGDT SIDT SLDT STR SMSW"
	sgdt [table]
	CHECKW word [table], gdt_end - gdt - 1
	CHECKD dword [table + 2], gdt
	sidt [table]
	CHECKW word [table], PM_VECTORS * 8 - 1
	CHECKD dword [table + 2], PM_IDT
	sldt ax
	CHECKW ax, 0
	str ax
	CHECKW ax, SEL_TSS
	mov eax, cr0
	smsw bx
	CHECKW ax, bx
	and bx, 1
	CHECKW bx, 1
	mov ax, SEL_LDT
	lldt ax
	sldt bx
	CHECKW bx, SEL_LDT
	mov ax, SEL_LDATA3	; a selector in the LDT
	mov fs, ax
	mov dword [fs:VBASE], 0x1234ABCD
	CHECKD dword [VBASE], 0x1234ABCD
	mov ax, SEL_DATA
	mov fs, ax
	ENDTEST

	TEST "SGDT SIDT SLDT STR SMSW at CPL 3"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	sgdt [V(0)]
	sidt [V(2)]
	sldt ax
	mov [V(4)], ax
	str ax
	mov [V(5)], ax
	smsw ax
	mov [V(6)], ax
	mov ax, SEL_LDATA3	; the LDT entry is DPL 3
	mov es, ax
	mov dword [es:V(7)], 0x5A5A5A5A
	int PM_BAIL
%$back:
	BAILED 1
	CHECKW word [V(0)], gdt_end - gdt - 1
	CHECKD dword [V(0) + 2], gdt
	CHECKW word [V(2)], PM_VECTORS * 8 - 1
	CHECKD dword [V(2) + 2], PM_IDT
	CHECKW word [V(4)], SEL_LDT
	CHECKW word [V(5)], SEL_TSS
	mov eax, cr0
	CHECKW word [V(6)], ax
	CHECKD dword [V(7)], 0x5A5A5A5A
	xor ax, ax
	lldt ax
	ENDTEST

	; LAR gives bits 8-23 of the descriptor's second dword; 16-19 are
	; undefined, so the checks mask them.
	TEST "LAR"
	mov eax, 0xFFFFFFFF
	lar eax, [sel_xonly]
	EXPECT z
	and eax, 0x00F0FF00
	CHECKD eax, 0x00C0F800
	mov ax, SEL_TSS
	lar ebx, ax		; a busy TSS
	EXPECT z
	and ebx, 0x00F0FF00
	CHECKD ebx, 0x00008B00
	mov ax, SEL_CGATE
	lar ebx, ax		; gates are valid for LAR
	EXPECT z
	and ebx, 0x00F0FF00
	CHECKD ebx, 0x0000EC00
	mov ax, SEL_EXPDOWN
	lar ebx, ax
	EXPECT z
	and ebx, 0x00F0FF00
	CHECKD ebx, 0x00409600
	mov ebx, 0x12345678
	mov ax, SEL_IGATE	; not an interrupt gate
	lar ebx, ax
	EXPECT nz
	CHECKD ebx, 0x12345678	; left alone
	xor ax, ax		; nor the null selector
	lar ebx, ax
	EXPECT nz
	mov ax, SEL_BEYOND	; nor one past the limit
	lar ebx, ax
	EXPECT nz
	mov ax, SEL_DATA | 3	; RPL 3 > DPL 0
	lar ebx, ax
	EXPECT nz
	mov ax, SEL_CONF0 | 3	; but conforming code takes any RPL
	lar ebx, ax
	EXPECT z
	ENDTEST

	; Loading a segment register sets the descriptor's accessed bit.
	TEST "segment loads set the accessed bit"
	mov ax, SEL_FRESH
	lar ebx, ax
	EXPECT z
	and ebx, 0x00F0FF00
	CHECKD ebx, 0x00C09200
	mov es, ax
	lar ebx, ax
	and ebx, 0x00F0FF00
	CHECKD ebx, 0x00C09300
	CHECKB byte [gdt + SEL_FRESH + 5], 0x93
	mov ax, SEL_DATA
	mov es, ax
	ENDTEST

	TEST "LSL"
	mov ax, SEL_DATA
	lsl ebx, ax
	EXPECT z
	CHECKD ebx, 0xFFFFFFFF	; G=1: the limit in bytes
	mov ax, SEL_SMALL
	lsl ebx, ax
	EXPECT z
	CHECKD ebx, 0xFF
	mov ax, SEL_EXPDOWN	; the raw limit, also when expanding down
	lsl ebx, ax
	EXPECT z
	CHECKD ebx, 0xFFF
	mov ax, SEL_TSS
	lsl ebx, ax
	EXPECT z
	CHECKD ebx, tss_main_end - tss_main - 1
	mov ax, SEL_LDT
	lsl ebx, ax
	EXPECT z
	CHECKD ebx, ldt_end - ldt - 1
	mov ebx, 0x12345678
	mov ax, SEL_CGATE	; gates have no limit
	lsl ebx, ax
	EXPECT nz
	CHECKD ebx, 0x12345678
	xor ax, ax
	lsl ebx, ax
	EXPECT nz
	ENDTEST

	TEST "VERR/VERW"
	mov ax, SEL_CODE32	; readable code
	verr ax
	EXPECT z
	verw ax
	EXPECT nz
	mov ax, SEL_XONLY	; execute-only code
	verr ax
	EXPECT nz
	mov ax, SEL_DATA
	verr ax
	EXPECT z
	verw ax
	EXPECT z
	mov ax, SEL_RODATA
	verr ax
	EXPECT z
	verw ax
	EXPECT nz
	mov ax, SEL_TSS		; system segments are neither
	verr ax
	EXPECT nz
	xor ax, ax
	verr ax
	EXPECT nz
	mov ax, SEL_BEYOND
	verw ax
	EXPECT nz
	ENDTEST

	TEST "LAR/VERR/VERW at CPL 3"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	xor ebx, ebx		; one bit per result: ZF
	mov ax, SEL_DATA	; DPL 0 < CPL 3: invisible
	lar ecx, ax
	call .zf
	mov ax, SEL_CODE32
	lar ecx, ax
	call .zf
	mov ax, SEL_CONF0 | 3	; conforming: visible
	lar ecx, ax
	call .zf
	mov ax, SEL_DATA
	verr ax
	call .zf
	mov ax, SEL_CONF0 | 3
	verr ax
	call .zf
	mov ax, SEL_DATA3
	verw ax
	call .zf
	mov ax, SEL_DATA3 & ~3	; RPL 0 is fine at CPL 3 for DPL 3
	verw ax
	call .zf
	mov [V(0)], ebx
	int PM_BAIL
.zf:
	setz al
	shl ebx, 1
	or bl, al
	ret
%$back:
	BAILED 1
	CHECKD dword [V(0)], 0x17	; 0 0 1 0 1 1 1
	ENDTEST

	TEST "ARPL"
	mov ax, 0x0010
	mov bx, 0x0003
	arpl ax, bx
	EXPECT z
	CHECKW ax, 0x0013
	mov bx, 0x0001
	arpl ax, bx		; RPL 3 >= 1: unchanged
	EXPECT nz
	CHECKW ax, 0x0013
	mov word [table], 0x0028
	mov bx, 0x0002
	arpl [table], bx
	EXPECT z
	CHECKW word [table], 0x002A
	ENDTEST

	; QEMU's TCG does not check segment limits when memory is accessed:
	; the faults below the limit are checked in the STRICT build.
	TEST "expand-down data segment"
	call reset_exc
	mov ax, SEL_EXPDOWN
	mov es, ax		; valid offsets: 1000h..FFFFFFFFh
	mov dword [es:0x1000], 0xA1B2C3D4
	CHECKD dword [EXPDOWN_BASE + 0x1000], 0xA1B2C3D4
	mov dword [EXPDOWN_BASE + 0x1FFC], 0x01020304
	CHECKD dword [es:0x1FFC], 0x01020304
%ifdef STRICT
	mov dword [exc_resume], %$r1
%$f1:
	mov eax, [es:0xFFC]	; at the limit: outside
	FAIL
%$r1:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	CHECKD dword [REC(0, R_EIP)], %$f1
	mov dword [exc_resume], %$r2
%$f2:
	mov eax, [es:0xFFE]	; straddles the limit
	FAIL
%$r2:
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(1, R_VEC)], 13
%endif
	mov ax, SEL_DATA
	mov es, ax
	ENDTEST

%ifdef STRICT
	TEST "#GP(0) past a segment limit"
	call reset_exc
	mov ax, SEL_SMALL
	mov es, ax
	mov eax, [es:0xFC]	; the last dword: fine
	mov dword [exc_resume], %$r1
%$f1:
	mov eax, [es:0xFD]	; one byte over
	FAIL
%$r1:
	mov ax, SEL_DATA
	mov es, ax
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	CHECKD dword [REC(0, R_EIP)], %$f1
	ENDTEST

	; At CPL 3, so that the #SS handler runs on the ring-0 stack.
	TEST "#SS(0) pushing below an expand-down stack limit"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	mov ax, SEL_EXPDOWN3
	mov ss, ax
	mov esp, 0x1008
	push eax		; 1004h
	push eax		; 1000h
	mov [V(0)], esp
	mov dword [exc_resume], %$r1
%$f1:
	push eax		; 0FFCh: below the limit
	FAIL
%$r1:
	mov [V(1)], esp
	int PM_BAIL
%$back:
	CHECKD dword [V(0)], 0x1000
	CHECKD dword [V(1)], 0x1000	; the push did not happen
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 12
	CHECKD dword [REC(0, R_CODE)], 0
	CHECKD dword [REC(0, R_EIP)], %$f1
	CHECKD dword [REC(0, R_SS)], SEL_EXPDOWN3
	CHECKD dword [REC(0, R_ESP)], 0x1000
	ENDTEST
%endif

	; The parameters are copied to the ring-0 stack in the order they
	; were pushed, between CS:EIP and SS:ESP of the caller (SDM Vol. 3A,
	; 5.8.5). RETF 12 removes them from both stacks and, returning to
	; ring 3, nulls DS, ES, FS and GS that hold data or non-conforming
	; code of DPL < 3 (SDM Vol. 3A, 5.8.6).
	TEST "call gate from ring 3 with 3 parameters, RETF"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	push dword 0x11111111
	push dword 0x22222222
	push dword 0x33333333
	call SEL_CGATE:0xDEAD	; the offset is the gate's
%$ret:
	mov [ss:V(0)], esp
	SAVESEG ds, 1
	SAVESEG es, 2
	SAVESEG fs, 3
	SAVESEG gs, 4
	SAVESEG cs, 5
	int PM_BAIL
%$back:
	BAILED 1
	CHECKD dword [V(10)], PM_ESP0 - 28	; the ring-0 ESP
	CHECKD dword [V(11)], %$ret		; caller's EIP
	CHECKW word [V(12)], SEL_CODE3		; caller's CS
	CHECKD dword [V(13)], 0x33333333	; the parameters
	CHECKD dword [V(14)], 0x22222222
	CHECKD dword [V(15)], 0x11111111
	CHECKD dword [V(16)], PM_ESP3 - 12	; caller's ESP
	CHECKW word [V(17)], SEL_DATA3		; caller's SS
	CHECKD dword [V(18)], SEL_CODE32	; CS in the handler
	CHECKD dword [V(19)], SEL_DATA		; SS from TSS.SS0
	CHECKD dword [V(0)], PM_ESP3		; parameters popped
	CHECKD dword [V(1)], 0			; DS: DPL 0 data, nulled
	CHECKD dword [V(2)], SEL_DATA3		; ES: DPL 3 data, kept
	CHECKD dword [V(3)], 0			; FS: DPL 0 code, nulled
	CHECKD dword [V(4)], SEL_CONF0		; GS: conforming code, kept
	CHECKD dword [V(5)], SEL_CODE3
	mov ax, SEL_DATA
	mov fs, ax
	mov gs, ax
	ENDTEST

	; A 286 call gate pushes words: IP, CS, the parameters, SP, SS. The
	; ring-3 stack is kept below 64 KB so that SP is all of ESP.
	TEST "16-bit call gate from ring 3: word parameters"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	mov esp, STACK16
	push word 0x1111
	push word 0x2222
	call SEL_CGATE16:0
%$ret:
	mov [V(0)], esp
	int PM_BAIL
%$back:
	BAILED 1
	CHECKD dword [V(50)], PM_ESP0 - 12
	CHECKW word [V(51)], %$ret		; IP
	CHECKW word [V(51) + 2], SEL_CODE3	; CS
	CHECKW word [V(51) + 4], 0x2222		; the parameters
	CHECKW word [V(51) + 6], 0x1111
	CHECKW word [V(51) + 8], STACK16 - 4	; SP
	CHECKW word [V(51) + 10], SEL_DATA3	; SS
	CHECKD dword [V(0)], STACK16		; RETF 4 dropped them
	ENDTEST

	TEST "16-bit interrupt gate from ring 3: a 16-bit frame"
	call reset_exc
	call clear_v
	SETGATE 0x33, int16_handler, SEL_CODE32, 0xE6
	GO_RING3 %$r3, %$back, IF
%$r3:
	mov esp, STACK16
	int 0x33
%$ret:
	mov [V(0)], esp
	pushfd
	pop dword [V(1)]
	int PM_BAIL
%$back:
	SETSTUB 0x33, 0x8E
	BAILED 1
	CHECKD dword [V(55)], PM_ESP0 - 10
	CHECKW word [V(56)], %$ret		; IP
	CHECKW word [V(56) + 2], SEL_CODE3	; CS
	mov ax, [V(56) + 4]			; FLAGS
	and ax, IF
	CHECKW ax, IF
	CHECKW word [V(56) + 6], STACK16	; SP
	CHECKW word [V(56) + 8], SEL_DATA3	; SS
	mov eax, [V(59)]			; the handler's EFLAGS
	and eax, IF
	CHECKD eax, 0
	CHECKD dword [V(0)], STACK16
	mov eax, [V(1)]
	and eax, IF
	CHECKD eax, IF
	ENDTEST

	; JMP cannot change privilege, RETF cannot return inward, IRET
	; checks the outer SS's RPL against the return CS's.
	TEST "#GP for JMP through a call gate inward, RETF inward, IRET with a bad SS"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, jmp SEL_CGATE:0
	push dword SEL_CODE32
	push dword %$r3
	R3TRY 1, retf
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_CODE32
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], SEL_CODE32
	mov eax, [V(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	CHECKD dword [REC(1, R_ESP)], PM_ESP3 - 8	; nothing popped
	call reset_exc
	push dword SEL_DATA3 & ~3	; RPL 0
	push dword PM_ESP3
	push dword 2
	push dword SEL_CODE3
	push dword %$r3
	mov dword [exc_resume], %$r2
%$f2:
	iretd
	FAIL
%$r2:
	add esp, 20
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_DATA3 & ~3
	CHECKD dword [REC(0, R_EIP)], %$f2
	ENDTEST

	TEST "interrupt gate from ring 3, IRET"
	call reset_exc
	call clear_v
	SETSTUB 0x30, 0xEE		; interrupt gate, DPL 3
	mov dword [tss_main + TSS_SS0], SEL_STACK0
	mov ax, SEL_CONF0
	mov gs, ax			; FS stays SEL_DATA: nulled by the IRET
	GO_RING3 %$r3, %$back, IF
%$r3:
	SAVESEG fs, 6
	SAVESEG gs, 7
	mov dword [exc_resume], %$ret
	int 0x30
%$ret:
	pushfd
	pop dword [V(0)]
	mov [V(1)], esp
	SAVESEG ds, 2
	int PM_BAIL
%$back:
	mov ax, SEL_DATA
	mov fs, ax
	mov gs, ax
	SETSTUB 0x30, 0x8E
	mov dword [tss_main + TSS_SS0], SEL_DATA
	CHECKD dword [V(6)], 0
	CHECKD dword [V(7)], SEL_CONF0
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 0x30
	CHECKD dword [REC(0, R_EIP)], %$ret
	CHECKD dword [REC(0, R_CS)], SEL_CODE3
	mov eax, [REC(0, R_EFL)]
	and eax, IF | IOPL3 | VM
	CHECKD eax, IF
	CHECKD dword [REC(0, R_ESP)], PM_ESP3
	CHECKD dword [REC(0, R_SS)], SEL_DATA3
	CHECKD dword [REC(0, R_HESP)], PM_ESP0 - 20	; from TSS.ESP0
	CHECKD dword [REC(0, R_HSS)], SEL_STACK0	; and TSS.SS0
	mov eax, [REC(0, R_HEFL)]
	and eax, IF | TF
	CHECKD eax, 0			; an interrupt gate clears IF
	CHECKD dword [REC(0, R_HDS)], SEL_DATA3
	mov eax, [V(0)]
	and eax, IF
	CHECKD eax, IF			; IRET set it again
	CHECKD dword [V(1)], PM_ESP3
	CHECKD dword [V(2)], SEL_DATA3
	ENDTEST

	TEST "trap gate from ring 3 keeps IF"
	call reset_exc
	SETSTUB 0x31, 0xEF		; trap gate, DPL 3
	GO_RING3 %$r3, %$back, IF
%$r3:
	mov dword [exc_resume], %$ret
	int 0x31
%$ret:
	int PM_BAIL
%$back:
	SETSTUB 0x31, 0x8E
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 0x31
	CHECKD dword [REC(0, R_HESP)], PM_ESP0 - 20
	mov eax, [REC(0, R_HEFL)]
	and eax, IF
	CHECKD eax, IF
	ENDTEST

	; INT n, INT3 and INTO check the gate's DPL against CPL: #GP with
	; the IDT entry as the error code (vector * 8 + 2, EXT 0).
	TEST "INT n through a DPL 0 gate from ring 3: #GP(n*8+2)"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, int 0x32
	R3TRY 1, int3
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0x32 * 8 + 2
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax	; the INT itself
	CHECKD dword [REC(0, R_CS)], SEL_CODE3
	CHECKD dword [REC(0, R_HESP)], PM_ESP0 - 24
	CHECKD dword [REC(1, R_VEC)], 13
	CHECKD dword [REC(1, R_CODE)], 3 * 8 + 2
	mov eax, [V(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	ENDTEST

	; A conforming segment runs at the caller's CPL: no stack switch, and
	; CS.RPL is the CPL (SDM Vol. 3A, 5.8.1.2).
	TEST "conforming code"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	call SEL_CONF0:conf_func
	call SEL_CONF3:conf3_func
	R3TRY 0, jmp SEL_CODE32:%$r3	; non-conforming DPL 0: #GP(sel)
	int PM_BAIL
%$back:
	CHECKD dword [V(30)], SEL_CONF0 | 3
	CHECKD dword [V(31)], PM_ESP3 - 8
	CHECKD dword [V(32)], SEL_CONF3 | 3
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_CODE32
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	; At CPL 0, conforming code of DPL 3 > CPL cannot be reached.
	call reset_exc
	mov dword [exc_resume], %$r0
%$f0:
	call SEL_CONF3:conf3_func
	FAIL
%$r0:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_CONF3 & ~3
	CHECKD dword [REC(0, R_EIP)], %$f0
	ENDTEST

	TEST "#GP for a call gate of DPL 0 from ring 3"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, call SEL_GATE0:0
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], SEL_GATE0
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	ENDTEST

	TEST "#NP for a not-present call gate"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, call SEL_GATE_NP:0
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 11
	CHECKD dword [REC(0, R_CODE)], SEL_GATE_NP
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	ENDTEST

	; A call gate to ring 1 takes SS1:ESP1 from the TSS; an SS1 whose
	; RPL is not 1 is #TS(SS1).
	TEST "call gate to ring 1: #TS for a bad TSS.SS1, then the call"
	call reset_exc
	call clear_v
	mov dword [tss_main + TSS_ESP1], PM_ESP1
	mov dword [tss_main + TSS_SS1], SEL_DATA
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, call SEL_CGATE1:0
	mov dword [tss_main + TSS_SS1], SEL_DATA1
	call SEL_CGATE1:0
%$ret:
	mov [V(0)], esp
	SAVESEG cs, 1
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 2
	CHECKD dword [REC(0, R_VEC)], 10
	CHECKD dword [REC(0, R_CODE)], SEL_DATA
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(0, R_CS)], SEL_CODE3
	CHECKD dword [V(20)], SEL_CODE1		; CPL 1
	CHECKD dword [V(21)], SEL_DATA1
	CHECKD dword [V(22)], PM_ESP1 - 16
	CHECKD dword [V(23)], %$ret
	CHECKD dword [V(24)], PM_ESP3
	CHECKD dword [V(0)], PM_ESP3
	CHECKD dword [V(1)], SEL_CODE3
	ENDTEST

	; Loading SS with a not-present segment is #SS, not #NP.
	TEST "#SS and #NP for not-present segments, #GP for SS"
	call reset_exc
	mov ax, SEL_NPDATA
	mov dword [exc_resume], %$r1
%$f1:
	mov ss, ax
	FAIL
%$r1:
	mov dword [exc_resume], %$r2
%$f2:
	mov ds, ax
	FAIL
%$r2:
	mov ax, SEL_RODATA & ~3	; read-only data cannot be a stack
	mov dword [exc_resume], %$r3
%$f3:
	mov ss, ax
	FAIL
%$r3:
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 12
	CHECKD dword [REC(0, R_CODE)], SEL_NPDATA
	CHECKD dword [REC(0, R_EIP)], %$f1
	CHECKD dword [REC(1, R_VEC)], 11
	CHECKD dword [REC(1, R_CODE)], SEL_NPDATA
	CHECKD dword [REC(1, R_EIP)], %$f2
	CHECKD dword [REC(2, R_VEC)], 13
	CHECKD dword [REC(2, R_CODE)], SEL_RODATA & ~3
	CHECKD dword [REC(2, R_EIP)], %$f3
	mov ax, ss
	CHECKW ax, SEL_DATA
	ENDTEST

	TEST "#NP(n*8+2) for INT n through a not-present gate"
	call reset_exc
	and byte [PM_IDT + 0x33 * 8 + 5], 0x7F
	mov dword [exc_resume], %$r1
%$f1:
	int 0x33		; INT n is no external event: EXT 0
	FAIL
%$r1:
	or byte [PM_IDT + 0x33 * 8 + 5], 0x80
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 11
	CHECKD dword [REC(0, R_CODE)], 0x33 * 8 + 2
	CHECKD dword [REC(0, R_EIP)], %$f1
	ENDTEST

%ifdef STRICT
	; An exception the CPU raises while delivering a hardware exception
	; sets EXT (bit 0) in its error code; IDT (bit 1) says the index is
	; a vector (SDM Vol. 3A, 6.13).
	TEST "EXT bit: #NP(6*8+3) for #UD through a not-present gate"
	call reset_exc
	and byte [PM_IDT + 6 * 8 + 5], 0x7F
	mov dword [exc_resume], %$r1
%$f1:
	ud2
	FAIL
%$r1:
	or byte [PM_IDT + 6 * 8 + 5], 0x80
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], 11
	CHECKD dword [REC(0, R_CODE)], 6 * 8 + 3
	CHECKD dword [REC(0, R_EIP)], %$f1
	ENDTEST
%endif

	TEST "CLI/STI/POPF at CPL 3 with IOPL 0"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back, IF
%$r3:
	R3TRY 0, cli
	R3TRY 1, sti
	push dword 0x3002	; IF and IOPL: silently kept
	popfd
	pushfd
	pop dword [V(0)]
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 3
	CHECKD dword [REC(0, R_VEC)], 13
	CHECKD dword [REC(0, R_CODE)], 0
	mov eax, [V(40)]
	CHECKD dword [REC(0, R_EIP)], eax
	CHECKD dword [REC(1, R_VEC)], 13
	mov eax, [V(41)]
	CHECKD dword [REC(1, R_EIP)], eax
	mov eax, [V(0)]
	and eax, IF | IOPL3
	CHECKD eax, IF
	ENDTEST

	TEST "CLI/STI/POPF at CPL 3 with IOPL 3"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back, IF | IOPL3
%$r3:
	cli
	pushfd
	pop dword [V(0)]
	sti
	push dword 0x0002	; IF changes, IOPL does not
	popfd
	pushfd
	pop dword [V(1)]
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 1
	mov eax, [V(0)]
	and eax, IF | IOPL3
	CHECKD eax, IOPL3
	mov eax, [V(1)]
	and eax, IF | IOPL3
	CHECKD eax, IOPL3
	ENDTEST

	; The bitmap allows ports 80h and 84h-87h only; every byte of an
	; access needs its bit clear; ports past the bitmap are denied.
	TEST "IN/OUT at CPL 3 against the TSS I/O bitmap"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	in al, 0x80		; allowed
	in eax, 0x84		; 84h..87h allowed
	mov dx, 0x86
	in ax, dx
	mov [V(0)], dword 1
	R3TRY 0, in al, 0x81
	R3TRY 1, in ax, 0x80	; 81h denied
	R3TRY 2, in eax, 0x85	; 88h denied
	mov dx, 0x400		; past the bitmap
	R3TRY 3, in al, dx
	mov dx, 0x8000		; past the TSS limit
	R3TRY 4, out dx, al
	int PM_BAIL
%$back:
	CHECKD dword [V(0)], 1
	CHECKD dword [exc_count], 6
	mov esi, 0
	mov ecx, 5
	call check_gp0
	test eax, eax
	jz %$ok
	jmp %$fail		; check_gp0 set got and want
%$ok:
	ENDTEST

	TEST "IN at CPL 3 with IOPL 3 ignores the bitmap"
	call reset_exc
	GO_RING3 %$r3, %$back, IOPL3
%$r3:
	in al, 0x81
	mov dx, 0x400
	in al, dx
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 1
	CHECKD dword [REC(0, R_VEC)], PM_BAIL
	ENDTEST

	TEST "privileged instructions at CPL 3: #GP(0)"
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, hlt
	R3TRY 1, lgdt [table]
	R3TRY 2, lidt [table]
	R3TRY 3, lldt ax
	R3TRY 4, ltr ax
	R3TRY 5, mov eax, cr0
	R3TRY 6, mov cr3, eax
	R3TRY 7, mov eax, dr7
	R3TRY 8, clts
	R3TRY 9, lmsw ax
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 11
	mov esi, 0
	mov ecx, 10
	call check_gp0
	test eax, eax
	jz %$ok
	jmp %$fail		; check_gp0 set got and want
%$ok:
	ENDTEST

	ROM_PASS

; check_gp0 checks that records esi..esi+ecx-1 are #GP(0) at the
; addresses R3TRY stored in V(40 + i). eax = 0 if they are, else the
; failing record's number + 1 (printed as got, with want = 0).
check_gp0:
	xor edx, edx
.next:
	mov ebx, esi
	shl ebx, REC_SHIFT
	cmp dword [PM_RECS + ebx + R_VEC], 13
	jne .bad
	cmp dword [PM_RECS + ebx + R_CODE], 0
	jne .bad
	mov eax, [V(40) + esi * 4]
	cmp [PM_RECS + ebx + R_EIP], eax
	jne .bad
	inc esi
	loop .next
	xor eax, eax
	ret
.bad:
	lea eax, [esi + 1]
	mov [rom_got], eax
	mov dword [rom_want], 0
	mov byte [rom_width], 2
	ret

; cg_handler runs at ring 0 through SEL_CGATE: it stores its stack (the
; 7 dwords of the inner frame), CS and SS, loads DS..GS for the
; nullification check and returns with RETF 12. DS is the caller's
; (DPL 3) until it changes it.
cg_handler:
	mov [V(10)], esp
	mov esi, esp
	mov edi, V(11)
	mov ecx, 7
	cld
	rep movsd
	mov ax, cs
	movzx eax, ax
	mov [V(18)], eax
	mov ax, ss
	movzx eax, ax
	mov [V(19)], eax
	mov ax, SEL_DATA	; data, DPL 0: nulled
	mov ds, ax
	mov ax, SEL_DATA3	; data, DPL 3: kept
	mov es, ax
	mov ax, SEL_CODE32	; readable non-conforming code, DPL 0: nulled
	mov fs, ax
	mov ax, SEL_CONF0	; conforming code: kept
	mov gs, ax
	retf 12

; cg16_handler runs at ring 0 through the 286 call gate SEL_CGATE16:
; it stores ESP and the 12-byte frame, and returns with a 16-bit RETF 4.
cg16_handler:
	mov [V(50)], esp
	mov eax, [esp]
	mov [V(51)], eax
	mov eax, [esp + 4]
	mov [V(52)], eax
	mov eax, [esp + 8]
	mov [V(53)], eax
	o16 retf 4

; int16_handler: INT 33h through a 16-bit interrupt gate: stores ESP,
; the 10-byte frame and its EFLAGS, and returns with a 16-bit IRET.
int16_handler:
	mov [V(55)], esp
	mov eax, [esp]
	mov [V(56)], eax
	mov eax, [esp + 4]
	mov [V(57)], eax
	mov ax, [esp + 8]
	mov [V(58)], ax
	pushfd
	pop dword [V(59)]
	iretw

; ring1_func runs at CPL 1 through SEL_CGATE1.
ring1_func:
	SAVESEG cs, 20
	SAVESEG ss, 21
	mov [V(22)], esp
	mov eax, [esp]
	mov [V(23)], eax
	mov eax, [esp + 8]
	mov [V(24)], eax
	retf

; conf_func and conf3_func run in the conforming segments.
conf_func:
	SAVESEG cs, 30
	mov [V(31)], esp
	retf
conf3_func:
	SAVESEG cs, 32
	retf

	align 2
sel_xonly:	dw SEL_XONLY

hello:		db ": protection checks", 10, 0

	align 8
pm_tables:
gdt:
	PM_GDT_BASE
	GDTGATE ABS(cg_handler), SEL_CODE32, 0xEC, 3	; SEL_CGATE
	DESC 0, 0xFFFFF, 0x9E, 0xC		; SEL_CONF0
	DESC 0, 0xFFFFF, 0xFE, 0xC		; SEL_CONF3
	DESC 0, 0xFFFFF, 0xBA, 0xC		; SEL_CODE1
	DESC 0, 0xFFFFF, 0xB2, 0xC		; SEL_DATA1
	GDTGATE ABS(ring1_func), SEL_CODE1, 0xEC, 0	; SEL_CGATE1
	GDTGATE ABS(cg_handler), SEL_CODE32, 0x6C, 3	; SEL_GATE_NP
	GDTGATE ABS(cg_handler), SEL_CODE32, 0x8C, 3	; SEL_GATE0
	DESC EXPDOWN_BASE, 0xFFF, 0x96, 0x4	; SEL_EXPDOWN
	DESC 0, 0xFFFFF, 0xF0, 0xC		; SEL_RODATA
	DESC 0, 0xFFFFF, 0xF8, 0xC		; SEL_XONLY
	DESC 0, 0xFFFFF, 0x12, 0xC		; SEL_NPDATA
	DESC ABS(ldt), ldt_end - ldt - 1, 0x82, 0	; SEL_LDT
	GDTGATE ABS(cg_handler), SEL_CODE32, 0x8E, 0	; SEL_IGATE
	DESC 0, 0xFF, 0x92, 0x4			; SEL_SMALL
	DESC EXPDOWN_BASE, 0xFFF, 0xF6, 0x4	; SEL_EXPDOWN3
	DESC 0, 0xFFFFF, 0x92, 0xC		; SEL_FRESH
	GDTGATE ABS(cg16_handler), SEL_CODE32, 0xE4, 2	; SEL_CGATE16
	DESC 0, 0xFFFFF, 0x92, 0xC		; SEL_STACK0
gdt_end:

ldt:
	DESC 0, 0xFFFFF, 0xF2, 0xC		; SEL_LDATA3
ldt_end:

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
table:		times 4 dd 0

	ROM_END
