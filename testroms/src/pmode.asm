; pmode.asm: enters 32-bit protected mode with a flat GDT, runs 32-bit
; instruction checks, raises exceptions on purpose through an IDT whose
; handlers check the vector, the error code (or its absence) and the
; faulting EIP, then returns to real mode and checks the BIOS still
; works. Needs a 386.
;
; Output on port 0xE9: one line per test, "name ok", then "pmode: pass";
; exit 0 (status 1) through isa-debug-exit at 0xF4, or the failing
; test's number.

%include "rom.inc"

SEL_CODE32	equ 0x08	; flat 4 GB code, 32-bit
SEL_DATA	equ 0x10	; flat 4 GB data
SEL_CODE16	equ 0x18	; 64 KB code at 0, 16-bit: the way back
SEL_DATA16	equ 0x20	; 64 KB data at 0: real-mode limits for the way back
SEL_BASE1M	equ 0x28	; 4 GB data based at 1 MB
SEL_ABSENT	equ 0x30	; data, not present
SEL_XONLY	equ 0x38	; execute-only code
SEL_BEYOND	equ 0xF8	; index 31: past the GDT limit

NO_CODE		equ 0xFFFFFFFF	; exc_code when the CPU pushed no error code
IDT_VECTORS	equ 0x31	; the 32 exceptions, and INT 30h for a test

; DESC base, limit, access, flags: a segment descriptor (Intel SDM Vol.
; 3A, 3.4.5); flags is the G, D/B, L, AVL nibble.
%macro DESC 4
	dw (%2) & 0xFFFF
	dw (%1) & 0xFFFF
	db ((%1) >> 16) & 0xFF
	db %3
	db (((%4) & 0xF) << 4) | (((%2) >> 16) & 0xF)
	db ((%1) >> 24) & 0xFF
%endmacro

; GATE handler: a 32-bit interrupt gate, DPL 0 (SDM Vol. 3A, 6.11).
%macro GATE 1
	dw ((%1) - $$ + 0x7C00) & 0xFFFF
	dw SEL_CODE32
	db 0, 0x8E
	dw (((%1) - $$ + 0x7C00) >> 16) & 0xFFFF
%endmacro

main:
	mov si, hello
	call rom_puts

	; 8086/186: FLAGS bits 12-15 stuck at 1; 286: IOPL and NT stuck at 0
	; in real mode; 386: both stick.
	TEST "386 or later"
	pushf
	pushf
	pop ax
	and ax, 0x0FFF
	push ax
	popf
	pushf
	pop ax
	and ax, 0xF000
	cmp ax, 0xF000
	je %$not386
	mov ax, 0x7000
	push ax
	popf
	pushf
	pop ax
	test ax, 0x7000
	jz %$not386
	popf
	jmp %$is386
%$not386:
	popf
	FAIL
%$is386:
	ENDTEST

	cpu 386
	cli			; no BIOS interrupts from here to real mode again
	lgdt [gdtr]
	lidt [idtr]
	mov eax, cr0
	or al, 1		; CR0.PE
	mov cr0, eax
	jmp SEL_CODE32:pm32	; loads CS from the GDT

	bits 32
pm32:
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, rom_start

	TEST "protected mode is on"
	mov eax, cr0
	and eax, 1
	CHECKD eax, 1
	mov ax, cs
	CHECKW ax, SEL_CODE32
	sgdt [table]
	CHECKW word [table], gdt_end - gdt - 1
	CHECKD dword [table + 2], gdt
	sidt [table]
	CHECKW word [table], idt_end - idt - 1
	CHECKD dword [table + 2], idt
	ENDTEST

	TEST "32-bit arithmetic"
	mov eax, 0xFFFFFFFF	; a 64-bit add in two halves
	mov edx, 0xFFFFFFFF
	add eax, 1
	adc edx, 0
	CHECK_FLAGS ZF|CF, ZF|CF
	CHECKD eax, 0
	CHECKD edx, 0
	mov eax, 0x7FFFFFFF
	add eax, 1
	CHECK_FLAGS OSZAPC, OF|SF|AF|PF
	mov eax, 0x12345678
	mov ecx, 0x9ABCDEF0
	mul ecx
	CHECK_FLAGS CF|OF, CF|OF
	CHECKD edx, 0x0B00EA4E
	CHECKD eax, 0x242D2080
	div ecx
	CHECKD eax, 0x12345678
	CHECKD edx, 0
	mov eax, -7
	cdq
	mov ecx, 2
	idiv ecx
	CHECKD eax, -3
	CHECKD edx, -1
	imul ebx, [seven], -1000
	CHECKD ebx, -7000
	mov eax, 0x10000
	imul eax, eax		; the low half overflows
	CHECK_FLAGS CF|OF, CF|OF
	CHECKD eax, 0
	ENDTEST

	TEST "bit scans, bit tests, double shifts"
	mov eax, 0x00F00000
	bsf ecx, eax
	CHECKD ecx, 20
	bsr ecx, eax
	CHECKD ecx, 23
	xor edx, edx
	bsf ecx, edx
	EXPECT z
	bt eax, 21
	EXPECT c
	bts eax, 0
	EXPECT nc
	btr eax, 20
	EXPECT c
	mov ecx, 31
	btc eax, ecx
	EXPECT nc
	CHECKD eax, 0x80E00001
	mov eax, 0x12345678
	mov edx, 0x9ABCDEF0
	shld eax, edx, 8
	CHECKD eax, 0x3456789A
	shrd eax, edx, 4
	CHECKD eax, 0x03456789
	cmp eax, eax
	setz bl
	setc bh
	CHECKW bx, 0x0001
	movzx ecx, byte [bytes + 1]
	CHECKD ecx, 0x80
	movsx ecx, byte [bytes + 1]
	CHECKD ecx, 0xFFFFFF80
	movsx ecx, word [bytes + 2]
	CHECKD ecx, 0xFFFF8000
	ENDTEST

	TEST "32-bit addressing"
	mov ebx, table
	mov esi, 3
	mov dword [ebx + esi * 4], 0xCAFEF00D
	mov eax, [table + 12]
	CHECKD eax, 0xCAFEF00D
	mov [ebx + esi * 4 + 4], eax
	CHECKD dword [table + 16], 0xCAFEF00D
	mov ecx, 7
	lea eax, [ecx * 8 + ecx + 5]
	CHECKD eax, 68
	ENDTEST

	TEST "flat and based segments above 1 MB"
	mov edi, 0x200000	; 2 MB: addressable without A20 (bit 20 clear)
	mov eax, 0x5AA55AA5
	mov ecx, 256
	rep stosd
	CHECKD edi, 0x200400
	mov dword [0x200000], 0x11223344
	mov esi, 0x200000
	mov edi, 0x201000
	mov ecx, 256
	rep movsd
	CHECKD dword [0x201000], 0x11223344
	CHECKD dword [0x2013FC], 0x5AA55AA5
	mov ax, SEL_BASE1M	; the same bytes through a segment based at 1 MB
	mov fs, ax
	CHECKD dword [fs:0x101000], 0x11223344
	mov ax, SEL_DATA
	mov fs, ax
	ENDTEST

	TEST "PUSHAD/POPAD, ENTER/LEAVE"
	mov eax, 1
	mov ecx, 2
	mov edx, 3
	mov ebx, 4
	mov ebp, 6
	mov esi, 7
	mov edi, 8
	mov [saved_esp], esp
	pushad
	mov eax, [esp + 12]	; the ESP slot holds ESP from before PUSHAD
	mov edx, [saved_esp]
	CHECKD eax, edx
	xor eax, eax
	xor ecx, ecx
	xor edx, edx
	xor ebx, ebx
	xor ebp, ebp
	xor esi, esi
	xor edi, edi
	popad
	CHECKD eax, 1
	CHECKD ebx, 4
	CHECKD ebp, 6
	CHECKD edi, 8
	enter 16, 0
	mov eax, esp
	add eax, 16 + 4		; the frame and the pushed EBP
	mov edx, [saved_esp]
	CHECKD eax, edx
	leave
	CHECKD ebp, 6
	mov eax, esp
	CHECKD eax, edx
	ENDTEST

	TEST "#GP for a selector past the GDT limit"
	call reset_exc
	mov dword [exc_resume], %$back
	mov ax, SEL_BEYOND
%$fault:
	mov ds, ax
	FAIL
%$back:
	CHECKD dword [exc_count], 1
	CHECKD dword [exc_vector], 13
	CHECKD dword [exc_code], SEL_BEYOND
	CHECKD dword [exc_eip], %$fault
	CHECKD dword [exc_cs], SEL_CODE32
	mov ax, ds		; the load did not happen
	CHECKW ax, SEL_DATA
	ENDTEST

	; The error code names the selector without its RPL bits.
	TEST "#GP loading SS with RPL != CPL"
	call reset_exc
	mov dword [exc_resume], %$back
	mov ax, SEL_DATA | 3
%$fault:
	mov ss, ax
	FAIL
%$back:
	CHECKD dword [exc_vector], 13
	CHECKD dword [exc_code], SEL_DATA
	CHECKD dword [exc_eip], %$fault
	ENDTEST

	TEST "#NP loading a not-present segment"
	call reset_exc
	mov dword [exc_resume], %$back
	mov ax, SEL_ABSENT
%$fault:
	mov es, ax
	FAIL
%$back:
	CHECKD dword [exc_vector], 11
	CHECKD dword [exc_code], SEL_ABSENT
	CHECKD dword [exc_eip], %$fault
	mov ax, es
	CHECKW ax, SEL_DATA
	ENDTEST

	; A data segment register takes data or readable code only. (QEMU's
	; TCG checks descriptors when they are loaded, not limits or null
	; selectors when they are used, so this ROM checks loads.)
	TEST "#GP loading execute-only code into FS"
	call reset_exc
	mov dword [exc_resume], %$back
	mov ax, SEL_XONLY
%$fault:
	mov fs, ax
	FAIL
%$back:
	CHECKD dword [exc_vector], 13
	CHECKD dword [exc_code], SEL_XONLY
	CHECKD dword [exc_eip], %$fault
	xor ax, ax		; the null selector loads without a fault
	mov fs, ax
	CHECKD dword [exc_count], 1
	mov ax, SEL_DATA
	mov fs, ax
	ENDTEST

	; #UD pushes no error code: the stub marks that, and the EIP found
	; where the CPU put it is UD2's own.
	TEST "#UD on UD2"
	call reset_exc
	mov dword [exc_resume], %$back
%$fault:
	ud2
	FAIL
%$back:
	CHECKD dword [exc_vector], 6
	CHECKD dword [exc_code], NO_CODE
	CHECKD dword [exc_eip], %$fault
	CHECKD dword [exc_cs], SEL_CODE32
	ENDTEST

	TEST "INT 30h through an interrupt gate"
	call reset_exc
	mov dword [exc_resume], %$ret
	int 0x30
%$ret:
	CHECKD dword [exc_count], 1
	CHECKD dword [exc_vector], 0x30
	CHECKD dword [exc_code], NO_CODE
	CHECKD dword [exc_eip], %$ret
	ENDTEST

	; Back to real mode (SDM Vol. 3A, 9.9.2): through a 16-bit code
	; segment, with 64 KB data segments so real mode gets its usual
	; limits, then PE off and a far jump to load a real-mode CS.
	jmp SEL_CODE16:pm16

	bits 16
pm16:
	mov ax, SEL_DATA16
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov eax, cr0
	and al, 0xFE
	mov cr0, eax
	jmp 0:real
real:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov sp, rom_start
	lidt [real_idtr]
	sti

	TEST "real mode again, BIOS timer ticking"
	mov eax, cr0
	test al, 1
	EXPECT z
	xor ah, ah		; INT 1Ah AH=0: BIOS tick count in cx:dx
	int 0x1A
	mov bx, dx
	mov si, 100		; a tick is 55 ms; other interrupts may wake us first
.wait:
	hlt
	xor ah, ah
	int 0x1A
	cmp dx, bx
	jne .ticked
	dec si
	jnz .wait
	FAIL
.ticked:
	ENDTEST

	ROM_PASS "pmode"

	bits 32
; reset_exc clears what exc_common records.
reset_exc:
	mov dword [exc_count], 0
	mov dword [exc_vector], 0xFFFFFFFF
	mov dword [exc_code], 0x12345678
	mov dword [exc_eip], 0
	mov dword [exc_cs], 0
	mov dword [exc_resume], 0
	ret

; One stub per vector gives exc_common the same frame for all: the
; vector, the error code (NO_CODE for the vectors without one, SDM Vol.
; 3A, Table 6-1), then EIP, CS and EFLAGS as the CPU pushed them.
%assign v 0
%rep IDT_VECTORS
exc_stub%[v]:
%if v == 8 || (v >= 10 && v <= 14) || v == 17
	push dword v
%else
	push dword NO_CODE
	push dword v
%endif
	jmp exc_common
%assign v v + 1
%endrep

; exc_common records the exception and resumes at exc_resume, or, when
; no test expected one, prints it and exits with 0x7E.
exc_common:
	push eax
	mov eax, [esp + 4]
	mov [exc_vector], eax
	mov eax, [esp + 8]
	mov [exc_code], eax
	mov eax, [esp + 12]
	mov [exc_eip], eax
	mov eax, [esp + 16]
	mov [exc_cs], eax
	inc dword [exc_count]
	mov eax, [exc_resume]
	test eax, eax
	jz .unexpected
	mov [esp + 12], eax
	mov dword [exc_resume], 0
	pop eax
	add esp, 8		; the vector and the error code
	iretd
.unexpected:
	mov esi, unexpected_msg
	call rom_puts32
	mov eax, [exc_vector]
	mov cl, 2
	call rom_puthex32
	mov esi, code_msg
	call rom_puts32
	mov eax, [exc_code]
	mov cl, 8
	call rom_puthex32
	mov esi, at_msg
	call rom_puts32
	mov eax, [exc_eip]
	call rom_puthex32
	mov al, 10
	out DEBUGCON, al
	mov al, 0x7E
	jmp rom_exit32

	ROM_LIB32

hello:		db "pmode: protected-mode checks", 10, 0
unexpected_msg:	db 10, "pmode: unexpected exception 0x", 0
code_msg:	db ", error code 0x", 0
at_msg:		db ", at 0x", 0
seven:		dd 7
bytes:		db 0x01, 0x80, 0x00, 0x80

	align 8
gdt:
	dq 0
	DESC 0, 0xFFFFF, 0x9A, 0xC		; SEL_CODE32: G=1, D=1
	DESC 0, 0xFFFFF, 0x92, 0xC		; SEL_DATA
	DESC 0, 0xFFFF, 0x9A, 0x0		; SEL_CODE16
	DESC 0, 0xFFFF, 0x92, 0x0		; SEL_DATA16
	DESC 0x100000, 0xFFFFF, 0x92, 0xC	; SEL_BASE1M
	DESC 0, 0xFFFFF, 0x12, 0xC		; SEL_ABSENT: P=0
	DESC 0, 0xFFFFF, 0x98, 0xC		; SEL_XONLY: code, not readable
gdt_end:

idt:
%assign v 0
%rep IDT_VECTORS
	GATE exc_stub%[v]
%assign v v + 1
%endrep
idt_end:

gdtr:		dw gdt_end - gdt - 1
		dd gdt
idtr:		dw idt_end - idt - 1
		dd idt
real_idtr:	dw 0x3FF		; the real-mode IVT
		dd 0

	align 4
exc_count:	dd 0
exc_vector:	dd 0
exc_code:	dd 0
exc_eip:	dd 0
exc_cs:		dd 0
exc_resume:	dd 0
saved_esp:	dd 0
table:		times 8 dd 0

	ROM_END
