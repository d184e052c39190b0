; NMI: it wakes a HLT even with IF clear, and its handler runs.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	mov word [2*4], nmi
	mov word [2*4+2], 0
	put '1'
	hlt                    ; the test raises NMI after ExitHalt
	put '2'
	hlt
nmi:	push ax
	put 'N'
	pop ax
	iret
