; x87 arithmetic with values left on the stack between instructions, so
; a hand-over in the middle carries the FPU registers, tags and TOP.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	; (1234 * -7 + 0.5) / 3, rounded to nearest
	fninit
	fild word [x_a]
	fild word [x_b]
	fmulp st1, st0
	fld dword [x_half]
	faddp st1, st0
	fild word [x_c]
	fdivp st1, st0
	fistp dword [0x3100]
	mov eax, [0x3100]
	out PORT32, eax
	fnstsw ax
	out PORT16, ax
	put 'E'
	hlt
x_a:	dw 1234
x_b:	dw -7
x_c:	dw 3
x_half:	dd 0.5
