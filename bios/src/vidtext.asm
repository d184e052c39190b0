; INT 10h, continued: scrolling, characters, pixels, teletype and strings.

; ---------------------------------------------------------------------------
; Scrolling.
; ---------------------------------------------------------------------------

; AH=06h and 07h: AL = lines (0 clears), BH = fill attribute (the colour
; in mode 13h), CH,CL = top left, DH,DL = bottom right; active page.
vid_scroll_up:
	xor	si, si
	jmp	vid_scroll
vid_scroll_down:
	mov	si, 1
vid_scroll:
	mov	ah, [BDA_VPAGE]
	; fall through


; scroll_window: AL = lines (0 = all), AH = page, BH = fill attribute,
; CX = top left, DX = bottom right, SI = 0 up or 1 down. DS = BDA.
; Preserves everything. A text row is one line of cells; in mode 13h it
; is 8 lines of pixels, so both cases move and fill lines of words.
scroll_window:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	es
	push	bp
	mov	bp, sp
	sub	sp, 16
	; Locals: -2 lines to scroll, -4 fill word, -6 words per line,
	; -8 height in lines, -10 stride, -12 direction, -14 page (then
	; lines times stride), -16 left column.
	mov	[bp - 12], si
	mov	[bp - 14], ax
	mov	[bp - 16], cl
	cmp	dl, [BDA_VCOLS]
	jb	.c1
	mov	dl, [BDA_VCOLS]
	dec	dl
.c1:
	cmp	dh, [BDA_VROWS]
	jbe	.c2
	mov	dh, [BDA_VROWS]
.c2:
	cmp	ch, dh
	ja	.out
	cmp	cl, dl
	ja	.out
	mov	al, dl
	sub	al, cl
	inc	al
	xor	ah, ah
	mov	[bp - 6], ax		; width in cells
	mov	al, dh
	sub	al, ch
	inc	al
	mov	[bp - 8], ax		; height in rows
	mov	al, [bp - 14]
	test	ax, ax
	jz	.all
	cmp	ax, [bp - 8]
	jbe	.n_ok
.all:
	mov	ax, [bp - 8]
.n_ok:
	mov	[bp - 2], ax
	call	is_gfx
	je	.gfx
	; Text: one line per row, a word per cell, rows of cols * 2 bytes.
	mov	ah, bh
	mov	al, ' '
	mov	[bp - 4], ax
	mov	ax, [BDA_VCOLS]
	shl	ax, 1
	mov	[bp - 10], ax
	mov	al, [bp - 13]		; page
	and	al, 7
	xor	ah, ah
	mul	word [BDA_VPAGESIZE]
	mov	bx, ax
	mov	al, ch
	cmp	byte [bp - 12], 0
	je	.t_first
	mov	al, dh
.t_first:
	mul	byte [BDA_VCOLS]
	add	al, [bp - 16]
	adc	ah, 0
	shl	ax, 1
	add	ax, bx
	mov	di, ax
	mov	ax, 0xB800
	jmp	.move
.gfx:
	; Mode 13h: 8 lines of 320 bytes per row, 8 bytes per cell.
	mov	al, bh
	mov	ah, bh
	mov	[bp - 4], ax
	mov	word [bp - 10], 320
	mov	cl, 2
	shl	word [bp - 6], cl	; words per line: width * 4
	mov	cl, 3
	shl	word [bp - 8], cl
	shl	word [bp - 2], cl
	mov	al, ch
	cmp	byte [bp - 12], 0
	je	.g_first
	mov	al, dh
.g_first:
	xor	ah, ah
	shl	ax, cl
	cmp	byte [bp - 12], 0
	je	.g_top
	add	ax, 7			; last line of the bottom row
.g_top:
	mov	dx, 320
	mul	dx
	mov	bl, [bp - 16]
	xor	bh, bh
	shl	bx, cl
	add	ax, bx
	mov	di, ax
	mov	ax, 0xA000
.move:
	mov	es, ax
	push	ds
	mov	ds, ax
	mov	ax, [bp - 2]
	mul	word [bp - 10]
	mov	[bp - 14], ax		; distance between source and target
	mov	dx, [bp - 8]
	sub	dx, [bp - 2]		; lines to move
	mov	bx, [bp - 10]
	cmp	byte [bp - 12], 0
	jne	.down
.up_move:
	test	dx, dx
	jz	.up_fill
.up_line:
	mov	si, di
	add	si, [bp - 14]
	mov	cx, [bp - 6]
	push	di
	rep	movsw
	pop	di
	add	di, bx
	dec	dx
	jnz	.up_line
.up_fill:
	mov	dx, [bp - 2]
.up_fill_line:
	mov	cx, [bp - 6]
	mov	ax, [bp - 4]
	push	di
	rep	stosw
	pop	di
	add	di, bx
	dec	dx
	jnz	.up_fill_line
	jmp	.done
.down:
	test	dx, dx
	jz	.down_fill
.down_line:
	mov	si, di
	sub	si, [bp - 14]
	mov	cx, [bp - 6]
	push	di
	rep	movsw
	pop	di
	sub	di, bx
	dec	dx
	jnz	.down_line
.down_fill:
	mov	dx, [bp - 2]
.down_fill_line:
	mov	cx, [bp - 6]
	mov	ax, [bp - 4]
	push	di
	rep	stosw
	pop	di
	sub	di, bx
	dec	dx
	jnz	.down_fill_line
.done:
	pop	ds
.out:
	mov	sp, bp
	pop	bp
	pop	es
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; ---------------------------------------------------------------------------
; Characters.
; ---------------------------------------------------------------------------

; AH=08h: BH = page -> AL = character, AH = attribute at the cursor.
; In mode 13h there is no character to read back: AX = 0.
vid_read_cell:
	call	is_gfx
	je	.gfx
	push	bx
	call	page_cursor
	pop	bx
	call	cell_offset
	mov	ax, 0xB800
	mov	es, ax
	mov	ax, [es:di]
	mov	[bp + F_AX], ax
	ret
.gfx:
	mov	word [bp + F_AX], 0
	ret

; AH=09h: AL = character, BH = page, BL = attribute, CX = count, at the
; cursor, which does not move. AH=0Ah: the same keeping the attributes.
vid_write_cell:
	mov	ah, 1
	jmp	vid_write_n
vid_write_char:
	mov	ah, 0
vid_write_n:
	jcxz	.ret
	push	ax
	push	bx
	call	page_cursor
	pop	bx
	pop	ax
	call	is_gfx
	je	.gfx
	call	cell_offset
	push	ax
	mov	ax, 0xB800
	mov	es, ax
	pop	ax
	test	ah, ah
	jz	.chars
	mov	ah, bl
	rep	stosw
	ret
.chars:
	stosb
	inc	di
	loop	.chars
.ret:
	ret
.gfx:
	call	gfx_glyph
	inc	dl
	cmp	dl, [BDA_VCOLS]
	jb	.gnext
	xor	dl, dl
	inc	dh
	cmp	dh, [BDA_VROWS]
	ja	.ret
.gnext:
	loop	.gfx
	ret

; gfx_glyph draws character AL in colour BL at row DH, column DL of mode
; 13h, with the 8x8 font that INT 43h points to; clear pixels are colour 0.
gfx_glyph:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	ds
	push	es
	mov	cx, 0xA000
	mov	es, cx
	xor	cx, cx
	mov	ds, cx
	lds	si, [0x43 * 4]
	xor	ah, ah
	mov	cl, 3
	shl	ax, cl
	add	si, ax
	mov	al, dl			; DI = column * 8 + row * 2560
	xor	ah, ah
	mov	cl, 3
	shl	ax, cl
	mov	di, ax
	mov	al, dh
	xor	ah, ah
	mov	cx, 2560
	mul	cx			; (clobbers DX)
	add	di, ax
	mov	dh, 8
.line:
	lodsb
	mov	ah, al
	mov	cx, 8
.pixel:
	xor	al, al
	shl	ah, 1
	jnc	.put
	mov	al, bl
.put:
	stosb
	loop	.pixel
	add	di, 320 - 8
	dec	dh
	jnz	.line
	pop	es
	pop	ds
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; ---------------------------------------------------------------------------
; Pixels (mode 13h only).
; ---------------------------------------------------------------------------

; pixel_offset: CX = column, DX = row -> DI, ES = A000h; CF=1 off screen.
pixel_offset:
	cmp	cx, 320
	jae	.bad
	cmp	dx, 200
	jae	.bad
	push	ax
	push	dx
	mov	ax, 320
	mul	dx
	add	ax, cx
	mov	di, ax
	mov	ax, 0xA000
	mov	es, ax
	pop	dx
	pop	ax
	clc
	ret
.bad:
	stc
	ret

; AH=0Ch: AL = colour, CX = column, DX = row.
vid_write_pixel:
	call	is_gfx
	jne	.ret
	call	pixel_offset
	jc	.ret
	mov	[es:di], al
.ret:
	ret

; AH=0Dh: CX = column, DX = row -> AL = colour.
vid_read_pixel:
	call	is_gfx
	jne	.ret
	call	pixel_offset
	jc	.ret
	mov	al, [es:di]
	mov	[bp + F_AL], al
.ret:
	ret

; ---------------------------------------------------------------------------
; Teletype.
; ---------------------------------------------------------------------------

; AH=0Eh: AL = character, BL = colour in mode 13h. Writes on the active
; page; BEL, BS, LF and CR act; the screen scrolls at the bottom.
vid_teletype:
	mov	bh, [BDA_VPAGE]
	xor	ah, ah
	; fall through

; tty_out: AL = character, AH = 1 to also write attribute BL (text modes),
; BL = attribute or colour, BH = page. DS = BDA. Preserves everything.
tty_out:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	es
	push	bx
	call	page_cursor		; DX = position
	pop	bx
	cmp	al, 13
	je	.cr
	cmp	al, 10
	je	.lf
	cmp	al, 8
	je	.bs
	cmp	al, 7
	je	.done
	call	is_gfx
	je	.gfx
	call	cell_offset
	push	ax
	mov	ax, 0xB800
	mov	es, ax
	pop	ax
	mov	[es:di], al
	test	ah, ah
	jz	.advance
	mov	[es:di + 1], bl
	jmp	.advance
.gfx:
	call	gfx_glyph
.advance:
	inc	dl
	cmp	dl, [BDA_VCOLS]
	jb	.set
	xor	dl, dl
.lf:
	inc	dh
	cmp	dh, [BDA_VROWS]
	jbe	.set
	mov	dh, [BDA_VROWS]
	; Scroll the page up a line; the new line takes the attribute of
	; the character at the cursor (colour 0 in mode 13h).
	push	bx
	mov	ah, bh			; page
	xor	bh, bh
	call	is_gfx
	je	.scroll
	call	cell_offset_ah
	push	ax
	mov	ax, 0xB800
	mov	es, ax
	pop	ax
	mov	bh, [es:di + 1]
.scroll:
	push	dx
	mov	al, 1
	xor	cx, cx
	mov	dh, [BDA_VROWS]
	mov	dl, [BDA_VCOLS]
	dec	dl
	xor	si, si
	call	scroll_window
	pop	dx
	pop	bx
	jmp	.set
.cr:
	xor	dl, dl
	jmp	.set
.bs:
	test	dl, dl
	jz	.set
	dec	dl
.set:
	push	bx
	call	page_slot
	pop	ax			; AH = page
	push	ax
	mov	[bx], dx
	pop	bx
	cmp	bh, [BDA_VPAGE]
	jne	.done
	call	cursor_update
.done:
	pop	es
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; cell_offset_ah: like cell_offset with the page in AH.
cell_offset_ah:
	push	bx
	mov	bh, ah
	call	cell_offset
	pop	bx
	ret

; AH=0Fh -> AL = mode, AH = columns, BH = active page.
vid_get_mode:
	mov	al, [BDA_VEGAMISC]
	and	al, 0x80
	or	al, [BDA_VMODE]
	mov	ah, [BDA_VCOLS]
	mov	[bp + F_AX], ax
	mov	al, [BDA_VPAGE]
	mov	[bp + F_BH], al
	ret

; AH=13h: write string. AL bit 0: move the cursor; bit 1: the string
; alternates characters and attributes. BH = page, BL = attribute,
; CX = length, DH,DL = position, ES:BP = string.
vid_write_string:
	push	bx
	call	page_slot
	mov	di, bx			; DI = cursor slot
	pop	bx
	push	word [di]		; the cursor before
	mov	[di], dx
	mov	si, [bp + F_BP]
	jcxz	.end
.char:
	mov	al, [es:si]
	inc	si
	test	byte [bp + F_AL], 2
	jz	.attr_ok
	mov	bl, [es:si]
	inc	si
.attr_ok:
	mov	ah, 1
	call	tty_out
	loop	.char
.end:
	pop	ax
	test	byte [bp + F_AL], 1
	jnz	.ret
	mov	[di], ax
	call	cursor_update
.ret:
	ret

; AH=1Ah: display combination. AL=00h -> AL=1Ah, BL=08h (VGA, colour
; analog), BH=00h. AL=01h (set) is accepted.
vid_display_combo:
	cmp	al, 1
	ja	.ret
	mov	byte [bp + F_AL], 0x1A
	test	al, al
	jnz	.ret
	mov	word [bp + F_BX], 0x0008
.ret:
	ret

