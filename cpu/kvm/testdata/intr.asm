; Interrupt delivery and IF. The test raises INTR (vector 30h) when it
; sees '1' and expects it to be held off until STI: the output must be
; "12" then the handler's "I" then "3". Then STI; HLT waits for a
; second interrupt, which the test raises after Run returns ExitHalt.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	mov word [0x30*4], handler
	mov word [0x30*4+2], 0
	put '1'                ; the test asserts INTR here
	mov cx, 2000
spin:	loop spin              ; IF=0: nothing may arrive
	put '2'
	sti
	nop                    ; the interrupt lands after the STI shadow
	put '3'
	hlt                    ; IF=1: wait for the second interrupt
	put '4'
	cli
	hlt
handler:
	push ax
	put 'I'
	pop ax
	iret
