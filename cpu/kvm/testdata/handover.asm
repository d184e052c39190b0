; A deterministic program for engine hand-over: real-mode arithmetic,
; string moves, a far call and a software interrupt, then unpaged
; protected mode with a checksum loop. Everything it computes goes to the
; console, so any state lost in a hand-over shows in the output.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x8000
	mov word [0x40*4], soft_int
	mov word [0x40*4+2], 0
	; Fibonacci, low bytes.
	mov cx, 12
	mov ax, 1
	mov bx, 1
fib:	out DEBUG, al
	mov dx, ax
	add ax, bx
	mov bx, dx
	loop fib
	; Copy a message with REP MOVSB and print it with REP OUTSB.
	cld
	mov si, msg
	mov di, 0x3000
	mov cx, msg_len
	rep movsb
	mov si, 0x3000
	mov cx, msg_len
	mov dx, DEBUG
	rep outsb
	; Flags and a carry chain.
	mov ax, 0xFFF0
	add ax, 0x20
	adc al, 0
	pushf
	pop ax
	and al, 0xD5               ; defined flags only
	out DEBUG, al
	call 0:far_proc
	int 0x40
	; Protected mode.
	lgdt [gdtr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x08:pm32
far_proc:
	put 'F'
	retf
soft_int:
	put 'S'
	iret
	bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x9000
	; checksum of 0x1000..0x1100, rotated, four bytes out
	mov esi, 0x1000
	xor edx, edx
	mov ecx, 0x40
sum:	lodsd
	xor edx, eax
	rol edx, 5
	add edx, ecx
	loop sum
	mov eax, edx
	out PORT32, eax
	; a table in memory above 1 MiB
	mov edi, 0x100000
	mov ecx, 16
	mov eax, 0x01020304
fill:	stosd
	imul eax, eax, 3
	loop fill
	mov esi, 0x100000
	mov ecx, 16
	xor ebx, ebx
total:	lodsd
	add ebx, eax
	loop total
	mov eax, ebx
	out PORT32, eax
	put 'E'
	hlt
msg:	db "copy"
msg_len equ $ - msg
	align 8
gdt:	dq 0
	dq 0x00CF9A000000FFFF
	dq 0x00CF92000000FFFF
gdtr:	dw gdtr - gdt - 1
	dd gdt
