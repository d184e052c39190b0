; INT 10h, continued: palette registers, the DAC, fonts and the
; EGA/VGA information functions.

; ---------------------------------------------------------------------------
; AH=10h: palette registers and DAC.
; ---------------------------------------------------------------------------
vid_palette:
	cmp	al, 0x00
	je	.set_reg
	cmp	al, 0x01
	je	.set_overscan
	cmp	al, 0x02
	je	.set_all
	cmp	al, 0x03
	je	.blink
	cmp	al, 0x07
	je	.get_reg
	cmp	al, 0x08
	je	.get_overscan
	cmp	al, 0x09
	je	.get_all
	cmp	al, 0x10
	je	.set_dac
	cmp	al, 0x12
	je	.set_dac_block
	cmp	al, 0x15
	je	.get_dac
	cmp	al, 0x17
	je	.get_dac_block
	cmp	al, 0x18
	je	.set_mask
	cmp	al, 0x19
	je	.get_mask
	cmp	al, 0x1A
	je	.get_page
	cmp	al, 0x1B
	je	.grey
	ret
.set_reg:				; BL = register, BH = value
	cmp	bl, 0x14
	ja	.ret
	mov	al, bl
	mov	ah, bh
	jmp	attr_write
.set_overscan:				; BH = colour
	mov	al, 0x11
	mov	ah, bh
	jmp	attr_write
.set_all:				; ES:DX = 16 registers and overscan
	mov	si, dx
	xor	al, al
.set_all_loop:
	mov	ah, [es:si]
	call	attr_write
	inc	si
	inc	al
	cmp	al, 16
	jb	.set_all_loop
	mov	ah, [es:si]
	mov	al, 0x11
	jmp	attr_write
.blink:					; BL = 0 intensity, 1 blink
	mov	al, 0x10
	call	attr_read
	and	al, 0xF7
	test	bl, bl
	jz	.blink_set
	or	al, 0x08
.blink_set:
	mov	ah, al
	mov	al, 0x10
	jmp	attr_write
.get_reg:
	cmp	bl, 0x14
	ja	.ret
	mov	al, bl
	call	attr_read
	mov	[bp + F_BH], al
	ret
.get_overscan:
	mov	al, 0x11
	call	attr_read
	mov	[bp + F_BH], al
	ret
.get_all:
	mov	di, dx
	xor	bl, bl
.get_all_loop:
	mov	al, bl
	call	attr_read
	stosb
	inc	bl
	cmp	bl, 16
	jb	.get_all_loop
	mov	al, 0x11
	call	attr_read
	stosb
	ret
.set_dac:				; BX = entry, DH = red, CH = green, CL = blue
	mov	al, bl
	mov	dx, 0x3C8
	out	dx, al
	inc	dx
	mov	al, [bp + F_DH]
	out	dx, al
	mov	al, ch
	out	dx, al
	mov	al, cl
	out	dx, al
	ret
.set_dac_block:				; BX = first, CX = count, ES:DX = table
	mov	si, dx
	mov	al, bl
	mov	dx, 0x3C8
	out	dx, al
	inc	dx
	jcxz	.sdb_done
.sdb:
	mov	al, [es:si]
	out	dx, al
	mov	al, [es:si + 1]
	out	dx, al
	mov	al, [es:si + 2]
	out	dx, al
	add	si, 3
	loop	.sdb
.sdb_done:
	ret
.get_dac:				; BX = entry -> DH, CH, CL
	mov	al, bl
	mov	dx, 0x3C7
	out	dx, al
	add	dx, 2
	in	al, dx
	mov	[bp + F_DH], al
	in	al, dx
	mov	[bp + F_CH], al
	in	al, dx
	mov	[bp + F_CL], al
	ret
.get_dac_block:				; BX = first, CX = count, ES:DX = table
	mov	di, dx
	mov	al, bl
	mov	dx, 0x3C7
	out	dx, al
	add	dx, 2
	jcxz	.gdb_done
.gdb:
	in	al, dx
	stosb
	in	al, dx
	stosb
	in	al, dx
	stosb
	loop	.gdb
.gdb_done:
	ret
.set_mask:
	mov	al, bl
	mov	dx, 0x3C6
	out	dx, al
	ret
.get_mask:
	mov	dx, 0x3C6
	in	al, dx
	mov	[bp + F_BL], al
	ret
.get_page:
	mov	word [bp + F_BX], 0
	ret
.grey:					; BX = first, CX = count: sum to grey
	jcxz	.grey_done
.grey_loop:
	push	cx
	mov	al, bl
	mov	dx, 0x3C7
	out	dx, al
	add	dx, 2
	in	al, dx			; red * 77
	mov	ah, 77
	mul	ah
	mov	si, ax
	in	al, dx			; green * 151
	mov	ah, 151
	mul	ah
	add	si, ax
	in	al, dx			; blue * 28
	mov	ah, 28
	mul	ah
	add	ax, si
	mov	al, ah			; / 256
	mov	dx, 0x3C8
	push	ax
	mov	al, bl
	out	dx, al
	pop	ax
	inc	dx
	out	dx, al
	out	dx, al
	out	dx, al
	inc	bx
	pop	cx
	loop	.grey_loop
.grey_done:
.ret:
	ret

; ---------------------------------------------------------------------------
; AH=11h: fonts. There is no 8x14 font: its requests get the 8x16 one.
; ---------------------------------------------------------------------------
vid_font:
	cmp	al, 0x30
	je	.info
	cmp	al, 0x03
	je	.block_spec
	cmp	al, 0x20
	je	.set_1f
	cmp	al, 0x21
	je	.set_43_user
	cmp	al, 0x22
	je	.set_43_16
	cmp	al, 0x23
	je	.set_43_8
	cmp	al, 0x24
	je	.set_43_16
	call	is_gfx
	je	.ret
	mov	ah, al
	and	ah, 0x0F
	cmp	ah, 0x04
	ja	.ret
	cmp	ah, 0x00
	je	.user
	cmp	ah, 0x02
	je	.rom8
	; 01h, 04h (and 11h, 14h): the 8x16 font
	mov	si, font8x16
	mov	bh, 16
	jmp	.rom
.rom8:
	mov	si, font8x8
	mov	bh, 8
.rom:
	push	ax
	push	bx
	call	vga_load_rom_font
	pop	bx
	pop	ax
	jmp	.loaded
.user:					; ES:BP, CX chars, DX first, BL block, BH height
	push	ax
	push	bx
	push	ds
	mov	si, [bp + F_BP]
	push	es
	pop	ds
	call	vga_load_font
	pop	ds
	pop	bx
	pop	ax
.loaded:
	test	al, 0x10
	jz	.ret
	; 1xh: reprogram the character height and the rows for BH lines.
	mov	cl, bh
	dec	cl
	mov	dx, [BDA_VCRTC]
	mov	al, 0x09
	out	dx, al
	inc	dx
	in	al, dx
	and	al, 0xE0
	or	al, cl
	out	dx, al
	mov	al, bh
	xor	ah, ah
	mov	[BDA_VCHARH], ax
	mov	ax, 400
	div	bh
	dec	al
	mov	[BDA_VROWS], al
	inc	al
	mul	byte [BDA_VCOLS]
	shl	ax, 1
	add	ax, 0xFF
	xor	al, al
	mov	[BDA_VPAGESIZE], ax
	mov	cx, [BDA_VCURSHAPE]
	call	cursor_shape_set
.ret:
	ret
.block_spec:
	mov	dx, 0x3C4
	mov	al, 0x03
	mov	ah, bl
	out	dx, ax
	ret
.set_1f:
	mov	si, 0x1F * 4
	jmp	.set_vector
.set_43_user:				; ES:BP, CX = height, BL = rows code
	mov	[BDA_VCHARH], cx
	mov	si, 0x43 * 4
.set_vector:
	xor	ax, ax
	mov	ds, ax
	mov	ax, [bp + F_BP]
	mov	[si], ax
	mov	[si + 2], es
	ret
.set_43_16:
	mov	ax, font8x16
	jmp	.set_43_rom
.set_43_8:
	mov	ax, font8x8
.set_43_rom:
	push	ds
	xor	cx, cx
	mov	ds, cx
	mov	[0x43 * 4], ax
	mov	[0x43 * 4 + 2], cs
	pop	ds
	ret
.info:					; BH = which -> ES:BP, CX = height, DL = rows - 1
	mov	ax, [BDA_VCHARH]
	mov	[bp + F_CX], ax
	mov	al, [BDA_VROWS]
	mov	[bp + F_DL], al
	mov	word [bp + F_ES], cs
	cmp	bh, 0
	je	.info_1f
	cmp	bh, 1
	je	.info_43
	mov	ax, font8x16
	cmp	bh, 2
	je	.info_set
	mov	ax, font8x8
	cmp	bh, 3
	je	.info_set
	mov	ax, font8x8 + 128 * 8
	cmp	bh, 4
	je	.info_set
	mov	ax, font8x16
	cmp	bh, 6
	je	.info_set
	mov	ax, font_alt_none	; 5 and 7: no 9-dot alternates
.info_set:
	mov	[bp + F_BP], ax
	ret
.info_1f:
	mov	si, 0x1F * 4
	jmp	.info_vector
.info_43:
	mov	si, 0x43 * 4
.info_vector:
	xor	ax, ax
	mov	ds, ax
	mov	ax, [si]
	mov	[bp + F_BP], ax
	mov	ax, [si + 2]
	mov	[bp + F_ES], ax
	ret

font_alt_none:
	db	0

; ---------------------------------------------------------------------------
; AH=12h: alternate select. BL=10h returns the EGA/VGA information; the
; VGA's set-up subfunctions (30h-36h) report success and change nothing.
; ---------------------------------------------------------------------------
vid_alt_select:
	cmp	bl, 0x10
	je	.info
	cmp	bl, 0x30
	jb	.ret
	cmp	bl, 0x36
	ja	.ret
	mov	byte [bp + F_AL], 0x12
.ret:
	ret
.info:
	mov	word [bp + F_BX], 0x0003	; colour, 256 KiB
	mov	al, [BDA_VSWITCHES]
	and	al, 0x0F
	xor	ah, ah
	mov	[bp + F_CX], ax			; CH = 0 feature bits, CL = switches
	ret
