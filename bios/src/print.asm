; Console output for the BIOS's own messages: every character goes to the
; screen (INT 10h teletype), to COM1 when there is one, and to the debug
; console at port E9h.

; print_str: CS:SI = zero-terminated string. Preserves all but SI.
print_str:
	push	ax
.loop:
	cs lodsb
	test	al, al
	jz	.done
	call	print_char
	jmp	.loop
.done:
	pop	ax
	ret

print_crlf:
	push	ax
	mov	al, 13
	call	print_char
	mov	al, 10
	call	print_char
	pop	ax
	ret

; print_char: AL = character. Preserves all registers.
print_char:
	push	ax
	push	bx
	push	cx
	push	dx
	push	ds
	out	DEBUGCON, al
	mov	bx, BDA_SEG
	mov	ds, bx
	mov	dx, [BDA_COM]
	test	dx, dx
	jz	.screen
	mov	ah, al
	add	dx, 5			; LSR: wait for THRE, bounded
	mov	cx, 0xFFFF
.wait:
	in	al, dx
	test	al, 0x20
	jnz	.send
	loop	.wait
.send:
	sub	dx, 5
	mov	al, ah
	out	dx, al
.screen:
	mov	ah, 0x0E
	mov	bx, 0x0007
	int	0x10
	pop	ds
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; print_dec: AX = unsigned number, in decimal.
print_dec:
	push	dx
	xor	dx, dx
	call	print_dec32
	pop	dx
	ret

; print_dec32: DX:AX = unsigned number, in decimal.
print_dec32:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	xor	cx, cx			; digits pushed
	mov	si, 10
.div:
	; DX:AX / 10 in two steps so that neither quotient overflows.
	mov	bx, ax
	mov	ax, dx
	xor	dx, dx
	div	si			; AX = high quotient, DX = remainder
	xchg	ax, bx
	div	si			; AX = low quotient, DX = digit
	push	dx
	inc	cx
	mov	dx, bx
	mov	bx, ax
	or	bx, dx
	jnz	.div
.out:
	pop	ax
	add	al, '0'
	call	print_char
	loop	.out
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; print_hex8: AL in two hex digits.
print_hex8:
	push	ax
	push	cx
	mov	ah, al
	mov	cl, 4
	shr	al, cl
	call	.digit
	mov	al, ah
	call	.digit
	pop	cx
	pop	ax
	ret
.digit:
	and	al, 0x0F
	add	al, '0'
	cmp	al, '9'
	jbe	.put
	add	al, 'A' - '0' - 10
.put:
	jmp	print_char
