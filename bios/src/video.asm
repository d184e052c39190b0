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

