; The A20 gate: with it off (port 92h bit 1 clear), FFFF:0010 is 0000:0000.
; Prints the byte read back through the other address, gate off then on.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	mov ax, 0xFFFF
	mov es, ax
	mov al, 0
	out 0x92, al           ; A20 off
	mov byte [0x0500], 'a'
	mov byte [es:0x0510], 'b'  ; wraps onto 0000:0500
	mov al, [0x0500]
	out DEBUG, al          ; 'b'
	mov al, 2
	out 0x92, al           ; A20 on
	mov byte [es:0x0510], 'c'  ; 0x100500 now
	mov al, [0x0500]
	out DEBUG, al          ; still 'b'
	mov al, [es:0x0510]
	out DEBUG, al          ; 'c'
	hlt
