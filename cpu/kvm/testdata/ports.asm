; Port I/O of every size, IN, and string I/O in both directions.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	put 'o'
	put 'k'
	mov ax, 0x1234
	out PORT16, ax
	mov eax, 0xDEADBEEF
	mov dx, PORT32
	out dx, eax
	in al, COUNTER          ; 1
	out DEBUG, al
	in ax, COUNTER          ; 2 (one 16-bit read)
	out PORT16, ax
	mov si, msg
	mov cx, msg_len
	mov dx, DEBUG
	cld
	rep outsb              ; string output: one exit, many items
	push ds
	pop es
	mov di, buf
	mov cx, 4
	mov dx, COUNTER
	rep insb               ; 3, 4, 5, 6
	mov si, buf
	mov cx, 4
	mov dx, DEBUG
	rep outsb
	hlt
msg:	db "hello"
msg_len equ $ - msg
buf:	times 4 db 0
