; INT 10h: the video BIOS for the VGA. Modes 00h-03h (40x25 and 80x25
; colour text, B800h) and 13h (320x200 in 256 colours, A000h). The BIOS
; programs every register itself from the tables in vgatables.asm and loads
; its own 8x16 font into plane 2, so it needs no option ROM.

int10_handler:
	sti
	cld
	SAVE_FRAME
	mov	bx, BDA_SEG
	mov	ds, bx
	cmp	ah, 0x4F
	je	.vbe
	cmp	ah, INT10_LAST
	ja	.done
	mov	bl, ah
	xor	bh, bh
	shl	bx, 1
	mov	si, bx
	mov	bx, [bp + F_BX]
	call	[cs:int10_table + si]
.done:
	RESTORE_FRAME
	iret
.vbe:
	; No VESA BIOS Extensions: AL=4Fh (function known), AH=01h (failed).
	mov	word [bp + F_AX], 0x014F
	jmp	.done

int10_table:
	dw	vid_set_mode		; 00
	dw	vid_cursor_shape	; 01
	dw	vid_set_cursor		; 02
	dw	vid_get_cursor		; 03
	dw	vid_nop			; 04 light pen
	dw	vid_set_page		; 05
	dw	vid_scroll_up		; 06
	dw	vid_scroll_down		; 07
	dw	vid_read_cell		; 08
	dw	vid_write_cell		; 09
	dw	vid_write_char		; 0A
	dw	vid_nop			; 0B CGA palette
	dw	vid_write_pixel		; 0C
	dw	vid_read_pixel		; 0D
	dw	vid_teletype		; 0E
	dw	vid_get_mode		; 0F
	dw	vid_palette		; 10
	dw	vid_font		; 11
	dw	vid_alt_select		; 12
	dw	vid_write_string	; 13
	dw	vid_nop			; 14
	dw	vid_nop			; 15
	dw	vid_nop			; 16
	dw	vid_nop			; 17
	dw	vid_nop			; 18
	dw	vid_nop			; 19
	dw	vid_display_combo	; 1A
INT10_LAST	equ	0x1A

vid_nop:
	ret

; is_gfx: ZF=1 when the current mode is 13h.
is_gfx:
	cmp	byte [BDA_VMODE], 0x13
	ret

; ---------------------------------------------------------------------------
; AH=00h: set mode AL (bit 7: keep the video memory).
; ---------------------------------------------------------------------------
vid_set_mode:
	mov	ah, al
	and	ah, 0x80
	and	al, 0x7F
	mov	si, vga_mode1
	cmp	al, 0x01
	jbe	.found
	mov	si, vga_mode3
	cmp	al, 0x03
	jbe	.found
	mov	si, vga_mode13
	cmp	al, 0x13
	je	.found
	ret				; not a mode of this BIOS
.found:
	mov	[BDA_VMODE], al
	mov	byte [BDA_VEGAMISC], 0x60
	or	[BDA_VEGAMISC], ah
	mov	byte [BDA_VSWITCHES], 0x09
	mov	byte [BDA_VFLAGS], 0x51
	mov	byte [BDA_VDCC], 0x0B
	mov	word [BDA_VCRTC], 0x3D4
	mov	byte [BDA_VPALREG], 0x30
	mov	al, [cs:si]
	xor	ah, ah
	mov	[BDA_VCOLS], ax
	mov	al, [cs:si + 1]
	mov	[BDA_VROWS], al
	mov	al, [cs:si + 2]
	mov	[BDA_VCHARH], ax
	mov	ax, [cs:si + 3]
	mov	[BDA_VPAGESIZE], ax
	xor	ax, ax
	mov	[BDA_VPAGESTART], ax
	mov	[BDA_VPAGE], al
	push	ds
	pop	es
	mov	di, BDA_VCURPOS
	mov	cx, 8
	rep	stosw
	mov	al, [BDA_VMODE]
	mov	bl, al
	xor	bh, bh
	cmp	bl, 7
	jbe	.modereg
	mov	bl, 7
.modereg:
	mov	al, [cs:video_params + 0x50 + bx]
	mov	[BDA_VMODEREG], al

	call	vga_program
	; INT 43h: the 8x8 font for text in graphics modes.
	xor	ax, ax
	mov	es, ax
	mov	word [es:0x43 * 4], font8x8
	mov	word [es:0x43 * 4 + 2], cs

	call	is_gfx
	je	.gfx
	call	vga_dac_text
	mov	si, font8x16
	mov	bx, 0x1000		; BH = 16 lines, BL = block 0
	call	vga_load_rom_font
	mov	word [BDA_VCURSHAPE], 0x0607
	mov	cx, 0x0607
	call	cursor_shape_set
	test	byte [BDA_VEGAMISC], 0x80
	jnz	.text_kept
	mov	ax, 0xB800
	mov	es, ax
	xor	di, di
	mov	ax, 0x0720
	mov	cx, 0x4000
	rep	stosw
.text_kept:
	call	cursor_update
	mov	byte [bp + F_AL], 0x30
	ret
.gfx:
	call	vga_dac_256
	test	byte [BDA_VEGAMISC], 0x80
	jnz	.gfx_kept
	mov	ax, 0xA000
	mov	es, ax
	xor	di, di
	xor	ax, ax
	mov	cx, 0x8000
	rep	stosw
.gfx_kept:
	mov	byte [bp + F_AL], 0x20
	ret

; vga_program loads every VGA register from the mode table at CS:SI
; (layout in vgatables.asm). Preserves SI.
vga_program:
	push	si
	add	si, 5
	mov	dx, 0x3C4
	mov	ax, 0x0100		; synchronous sequencer reset
	out	dx, ax
	mov	bl, 1
	mov	cx, 4
.seq:
	mov	al, bl
	mov	ah, [cs:si]
	out	dx, ax
	inc	si
	inc	bl
	loop	.seq
	mov	dx, 0x3C2
	mov	al, [cs:si]
	out	dx, al
	inc	si
	mov	dx, 0x3C4
	mov	ax, 0x0300		; sequencer running
	out	dx, ax
	mov	dx, 0x3D4		; unlock CR0-CR7 (CR11 bit 7)
	mov	al, 0x11
	out	dx, al
	inc	dx
	in	al, dx
	and	al, 0x7F
	out	dx, al
	dec	dx
	xor	bl, bl
	mov	cx, 25
.crtc:
	mov	al, bl
	mov	ah, [cs:si]
	out	dx, ax
	inc	si
	inc	bl
	loop	.crtc
	mov	dx, 0x3DA		; attribute flip-flop to index
	in	al, dx
	mov	dx, 0x3C0
	xor	bl, bl
	mov	cx, 20
.attr:
	mov	al, bl
	out	dx, al
	mov	al, [cs:si]
	out	dx, al
	inc	si
	inc	bl
	loop	.attr
	mov	dx, 0x3CE
	xor	bl, bl
	mov	cx, 9
.gc:
	mov	al, bl
	mov	ah, [cs:si]
	out	dx, ax
	inc	si
	inc	bl
	loop	.gc
	mov	dx, 0x3C6
	mov	al, 0xFF		; DAC pixel mask
	out	dx, al
	call	attr_enable
	pop	si
	ret

; attr_enable resets the attribute flip-flop and sets the palette address
; source bit, which turns the display back on.
attr_enable:
	push	ax
	push	dx
	mov	dx, 0x3DA
	in	al, dx
	mov	dx, 0x3C0
	mov	al, 0x20
	out	dx, al
	pop	dx
	pop	ax
	ret

; attr_read: AL = attribute register -> AL = value.
attr_read:
	push	dx
	cli
	mov	dx, 0x3DA
	push	ax
	in	al, dx
	pop	ax
	mov	dx, 0x3C0
	out	dx, al
	inc	dx
	in	al, dx
	sti
	call	attr_enable
	pop	dx
	ret

; attr_write: AL = attribute register, AH = value.
attr_write:
	push	ax
	push	dx
	cli
	mov	dx, 0x3DA
	push	ax
	in	al, dx
	pop	ax
	mov	dx, 0x3C0
	out	dx, al
	mov	al, ah
	out	dx, al
	sti
	call	attr_enable
	pop	dx
	pop	ax
	ret

; vga_dac_text loads DAC entries 0-63 with the EGA colours: bits 2, 1, 0
; of the index are red, green and blue at 2/3 intensity, bits 5, 4, 3 the
; same at 1/3; entries 64-255 are black.
vga_dac_text:
	mov	dx, 0x3C8
	xor	al, al
	out	dx, al
	inc	dx
	xor	bx, bx
.entry:
	mov	ah, 0x04
	mov	cl, 0x20
	call	.component
	mov	ah, 0x02
	mov	cl, 0x10
	call	.component
	mov	ah, 0x01
	mov	cl, 0x08
	call	.component
	inc	bl
	cmp	bl, 64
	jb	.entry
	mov	cx, 192 * 3
	xor	al, al
.black:
	out	dx, al
	loop	.black
	ret
.component:
	xor	al, al
	test	bl, ah
	jz	.no_primary
	add	al, 0x2A
.no_primary:
	test	bl, cl
	jz	.no_secondary
	add	al, 0x15
.no_secondary:
	out	dx, al
	ret

; vga_dac_256 loads the mode 13h palette: the 16 CGA colours, 16 greys, a
; 6x6x6 colour cube in 32-247, and black in 248-255.
vga_dac_256:
	mov	dx, 0x3C8
	xor	al, al
	out	dx, al
	inc	dx
	mov	si, cga_rgb
	mov	cx, 48
.cga:
	mov	al, [cs:si]
	out	dx, al
	inc	si
	loop	.cga
	xor	bl, bl
.grey:
	mov	al, bl
	shl	al, 1
	shl	al, 1
	mov	ah, bl
	shr	ah, 1
	shr	ah, 1
	add	al, ah			; i * 4 + i / 4: 0 .. 63
	out	dx, al
	out	dx, al
	out	dx, al
	inc	bl
	cmp	bl, 16
	jb	.grey
	xor	bx, bx			; BL = red, BH = green
.red:
	xor	bh, bh
.green:
	xor	cl, cl			; blue
.blue:
	push	bx
	xor	bh, bh
	mov	al, [cs:cube_levels + bx]
	out	dx, al
	pop	bx
	push	bx
	mov	bl, bh
	xor	bh, bh
	mov	al, [cs:cube_levels + bx]
	out	dx, al
	mov	bl, cl
	mov	al, [cs:cube_levels + bx]
	out	dx, al
	pop	bx
	inc	cl
	cmp	cl, 6
	jb	.blue
	inc	bh
	cmp	bh, 6
	jb	.green
	inc	bl
	cmp	bl, 6
	jb	.red
	mov	cx, 8 * 3
	xor	al, al
.black:
	out	dx, al
	loop	.black
	ret

cga_rgb:
	db	0x00, 0x00, 0x00,  0x00, 0x00, 0x2A,  0x00, 0x2A, 0x00,  0x00, 0x2A, 0x2A
	db	0x2A, 0x00, 0x00,  0x2A, 0x00, 0x2A,  0x2A, 0x15, 0x00,  0x2A, 0x2A, 0x2A
	db	0x15, 0x15, 0x15,  0x15, 0x15, 0x3F,  0x15, 0x3F, 0x15,  0x15, 0x3F, 0x3F
	db	0x3F, 0x15, 0x15,  0x3F, 0x15, 0x3F,  0x3F, 0x3F, 0x15,  0x3F, 0x3F, 0x3F
cube_levels:
	db	0, 12, 25, 38, 51, 63

; vga_font_access maps plane 2 at A000h for font loading; vga_font_done
; puts the text mode memory mapping back.
vga_font_access:
	push	ax
	push	dx
	mov	dx, 0x3C4
	mov	ax, 0x0402		; write plane 2 only
	out	dx, ax
	mov	ax, 0x0704		; sequential addressing, 256K
	out	dx, ax
	mov	dx, 0x3CE
	mov	ax, 0x0204		; read plane 2
	out	dx, ax
	mov	ax, 0x0005		; write mode 0, no odd/even
	out	dx, ax
	mov	ax, 0x0406		; A000h, 64K, graphics addressing
	out	dx, ax
	pop	dx
	pop	ax
	ret

vga_font_done:
	push	ax
	push	dx
	mov	dx, 0x3C4
	mov	ax, 0x0302		; planes 0 and 1
	out	dx, ax
	mov	ax, 0x0204		; odd/even
	out	dx, ax
	mov	dx, 0x3CE
	mov	ax, 0x0004
	out	dx, ax
	mov	ax, 0x1005		; odd/even
	out	dx, ax
	mov	ax, 0x0E06		; B800h, 32K, text
	out	dx, ax
	pop	dx
	pop	ax
	ret

; font_block_offset: BL = block (0-7) -> DI = its offset in plane 2.
font_block_offset:
	push	ax
	push	cx
	mov	al, bl
	and	al, 7
	xor	di, di
	test	al, 4
	jz	.low
	mov	di, 0x2000
.low:
	and	al, 3
	mov	cl, 6
	shl	al, cl			; block * 0x40
	mov	ah, al
	xor	al, al
	add	di, ax			; + block * 0x4000
	pop	cx
	pop	ax
	ret

; vga_load_rom_font loads 256 characters of BH lines each from CS:SI into
; block BL.
vga_load_rom_font:
	push	ds
	push	cs
	pop	ds
	xor	dx, dx
	mov	cx, 256
	call	vga_load_font
	pop	ds
	ret

; vga_load_font: DS:SI = font, CX = characters, DX = first character,
; BH = bytes per character, BL = block. Each character takes 32 bytes in
; plane 2.
vga_load_font:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	es
	call	vga_font_access
	call	font_block_offset
	mov	ax, dx
	push	cx
	mov	cl, 5
	shl	ax, cl
	pop	cx
	add	di, ax
	mov	ax, 0xA000
	mov	es, ax
	mov	dl, bh
	xor	dh, dh
	jcxz	.done
.char:
	push	cx
	push	di
	mov	cx, dx
	rep	movsb
	mov	cx, 32
	sub	cx, dx
	jbe	.next
	xor	al, al
	rep	stosb
.next:
	pop	di
	pop	cx
	add	di, 32
	loop	.char
.done:
	call	vga_font_done
	pop	es
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; ---------------------------------------------------------------------------
; Cursor.
; ---------------------------------------------------------------------------

; AH=01h: CH = start line (bit 5: hidden), CL = end line.
vid_cursor_shape:
	mov	[BDA_VCURSHAPE], cx
	; fall through
; cursor_shape_set programs CX into the CRTC. With a 16-line font a shape
; given in 8-line units (both lines below 8) is scaled, as the VGA BIOS's
; cursor emulation does: 06h-07h becomes 0Dh-0Eh.
cursor_shape_set:
	call	is_gfx
	je	.ret
	mov	dx, [BDA_VCRTC]
	mov	al, ch
	and	al, 0x60
	cmp	al, 0x20
	jne	.visible
	mov	ax, 0x200A
	out	dx, ax
	ret
.visible:
	and	ch, 0x1F
	and	cl, 0x1F
	cmp	byte [BDA_VCHARH], 16
	jne	.program
	cmp	ch, 7
	ja	.program
	cmp	cl, 7
	ja	.program
	shl	cl, 1
	test	ch, ch
	jz	.program
	shl	ch, 1
	inc	ch
.program:
	mov	al, 0x0A
	mov	ah, ch
	out	dx, ax
	mov	al, 0x0B
	mov	ah, cl
	out	dx, ax
.ret:
	ret

; AH=02h: BH = page, DH = row, DL = column.
vid_set_cursor:
	and	bh, 7
	mov	bl, bh
	xor	bh, bh
	shl	bx, 1
	mov	[BDA_VCURPOS + bx], dx
	; fall through
; cursor_update moves the hardware cursor to the active page's position.
cursor_update:
	call	is_gfx
	je	.ret
	mov	bl, [BDA_VPAGE]
	xor	bh, bh
	shl	bx, 1
	mov	dx, [BDA_VCURPOS + bx]
	mov	al, dh
	mul	byte [BDA_VCOLS]
	add	al, dl
	adc	ah, 0
	mov	bx, [BDA_VPAGESTART]
	shr	bx, 1
	add	bx, ax
	mov	dx, [BDA_VCRTC]
	mov	al, 0x0E
	mov	ah, bh
	out	dx, ax
	mov	al, 0x0F
	mov	ah, bl
	out	dx, ax
.ret:
	ret

; AH=03h: BH = page -> CX = shape, DX = position.
vid_get_cursor:
	and	bh, 7
	mov	bl, bh
	xor	bh, bh
	shl	bx, 1
	mov	ax, [BDA_VCURPOS + bx]
	mov	[bp + F_DX], ax
	mov	ax, [BDA_VCURSHAPE]
	mov	[bp + F_CX], ax
	ret

; AH=05h: AL = page.
vid_set_page:
	call	is_gfx
	je	.ret
	cmp	al, 8
	jae	.ret
	mov	[BDA_VPAGE], al
	xor	ah, ah
	mul	word [BDA_VPAGESIZE]
	mov	[BDA_VPAGESTART], ax
	shr	ax, 1
	mov	bx, ax
	mov	dx, [BDA_VCRTC]
	mov	al, 0x0C
	mov	ah, bh
	out	dx, ax
	mov	al, 0x0D
	mov	ah, bl
	out	dx, ax
	call	cursor_update
.ret:
	ret

; page_cursor: BH = page -> DX = its cursor position, BX = the BDA slot.
page_cursor:
	call	page_slot
	mov	dx, [bx]
	ret

; page_slot: BH = page -> BX = offset of its cursor word in the BDA.
page_slot:
	mov	bl, bh
	and	bl, 7
	xor	bh, bh
	shl	bx, 1
	add	bx, BDA_VCURPOS
	ret

; cell_offset: BH = page, DH = row, DL = column -> DI = offset in B800h.
cell_offset:
	push	ax
	push	dx
	mov	al, bh
	and	al, 7
	xor	ah, ah
	mul	word [BDA_VPAGESIZE]
	mov	di, ax
	pop	dx
	push	dx
	mov	al, dh
	mul	byte [BDA_VCOLS]
	add	al, dl
	adc	ah, 0
	shl	ax, 1
	add	di, ax
	pop	dx
	pop	ax
	ret

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
