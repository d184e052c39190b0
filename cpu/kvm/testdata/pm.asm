; Enters unpaged 32-bit protected mode, writes a port from 32-bit code,
; uses memory above 1 MiB through a flat segment, and halts.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	lgdt [gdtr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x08:pm32
	bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x9000
	put 'P'
	mov dword [0x100000], 0xCAFEF00D
	mov eax, [0x100000]
	out PORT32, eax
	mov eax, esp
	out PORT32, eax
	hlt
	align 8
gdt:	dq 0
	dq 0x00CF9A000000FFFF  ; 08h: flat 32-bit code
	dq 0x00CF92000000FFFF  ; 10h: flat 32-bit data
gdtr:	dw gdtr - gdt - 1
	dd gdt
