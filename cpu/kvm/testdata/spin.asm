; Spins with interrupts enabled and no exits; each interrupt (vector
; 30h) prints 'T'. Only a kick gets the vCPU out of KVM_RUN.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	mov word [0x30*4], tick
	mov word [0x30*4+2], 0
	sti
spin:	jmp spin
tick:	push ax
	put 'T'
	pop ax
	iret
