; The keyboard: INT 09h turns scan code set 1 (the 8042 translates the
; keyboard's set 2) into keystrokes in the BDA ring buffer, and INT 16h
; reads them. Keystroke values follow the IBM AT/PS/2 BIOS (Technical
; Reference, "Keyboard encoding and usage").

; Per scan code 01h-58h: the keystroke word with no shift, Shift, Ctrl
; and Alt; 0 means the combination gives nothing.
%macro KEY 4
	dw	%1, %2, %3, %4
%endmacro
key_table:
	KEY	0x011B, 0x011B, 0x011B, 0x0100	; 01 Esc
	KEY	0x0231, 0x0221, 0,      0x7800	; 02 1 !
	KEY	0x0332, 0x0340, 0x0300, 0x7900	; 03 2 @
	KEY	0x0433, 0x0423, 0,      0x7A00	; 04 3 #
	KEY	0x0534, 0x0524, 0,      0x7B00	; 05 4 $
	KEY	0x0635, 0x0625, 0,      0x7C00	; 06 5 %
	KEY	0x0736, 0x075E, 0x071E, 0x7D00	; 07 6 ^
	KEY	0x0837, 0x0826, 0,      0x7E00	; 08 7 &
	KEY	0x0938, 0x092A, 0,      0x7F00	; 09 8 *
	KEY	0x0A39, 0x0A28, 0,      0x8000	; 0A 9 (
	KEY	0x0B30, 0x0B29, 0,      0x8100	; 0B 0 )
	KEY	0x0C2D, 0x0C5F, 0x0C1F, 0x8200	; 0C - _
	KEY	0x0D3D, 0x0D2B, 0,      0x8300	; 0D = +
	KEY	0x0E08, 0x0E08, 0x0E7F, 0x0E00	; 0E Backspace
	KEY	0x0F09, 0x0F00, 0x9400, 0xA500	; 0F Tab
	KEY	0x1071, 0x1051, 0x1011, 0x1000	; 10 q
	KEY	0x1177, 0x1157, 0x1117, 0x1100	; 11 w
	KEY	0x1265, 0x1245, 0x1205, 0x1200	; 12 e
	KEY	0x1372, 0x1352, 0x1312, 0x1300	; 13 r
	KEY	0x1474, 0x1454, 0x1414, 0x1400	; 14 t
	KEY	0x1579, 0x1559, 0x1519, 0x1500	; 15 y
	KEY	0x1675, 0x1655, 0x1615, 0x1600	; 16 u
	KEY	0x1769, 0x1749, 0x1709, 0x1700	; 17 i
	KEY	0x186F, 0x184F, 0x180F, 0x1800	; 18 o
	KEY	0x1970, 0x1950, 0x1910, 0x1900	; 19 p
	KEY	0x1A5B, 0x1A7B, 0x1A1B, 0x1A00	; 1A [ {
	KEY	0x1B5D, 0x1B7D, 0x1B1D, 0x1B00	; 1B ] }
	KEY	0x1C0D, 0x1C0D, 0x1C0A, 0x1C00	; 1C Enter
	KEY	0,      0,      0,      0	; 1D Ctrl
	KEY	0x1E61, 0x1E41, 0x1E01, 0x1E00	; 1E a
	KEY	0x1F73, 0x1F53, 0x1F13, 0x1F00	; 1F s
	KEY	0x2064, 0x2044, 0x2004, 0x2000	; 20 d
	KEY	0x2166, 0x2146, 0x2106, 0x2100	; 21 f
	KEY	0x2267, 0x2247, 0x2207, 0x2200	; 22 g
	KEY	0x2368, 0x2348, 0x2308, 0x2300	; 23 h
	KEY	0x246A, 0x244A, 0x240A, 0x2400	; 24 j
	KEY	0x256B, 0x254B, 0x250B, 0x2500	; 25 k
	KEY	0x266C, 0x264C, 0x260C, 0x2600	; 26 l
	KEY	0x273B, 0x273A, 0,      0x2700	; 27 ; :
	KEY	0x2827, 0x2822, 0,      0x2800	; 28 ' "
	KEY	0x2960, 0x297E, 0,      0x2900	; 29 ` ~
	KEY	0,      0,      0,      0	; 2A left Shift
	KEY	0x2B5C, 0x2B7C, 0x2B1C, 0x2B00	; 2B \ |
	KEY	0x2C7A, 0x2C5A, 0x2C1A, 0x2C00	; 2C z
	KEY	0x2D78, 0x2D58, 0x2D18, 0x2D00	; 2D x
	KEY	0x2E63, 0x2E43, 0x2E03, 0x2E00	; 2E c
	KEY	0x2F76, 0x2F56, 0x2F16, 0x2F00	; 2F v
	KEY	0x3062, 0x3042, 0x3002, 0x3000	; 30 b
	KEY	0x316E, 0x314E, 0x310E, 0x3100	; 31 n
	KEY	0x326D, 0x324D, 0x320D, 0x3200	; 32 m
	KEY	0x332C, 0x333C, 0,      0x3300	; 33 , <
	KEY	0x342E, 0x343E, 0,      0x3400	; 34 . >
	KEY	0x352F, 0x353F, 0,      0x3500	; 35 / ?
	KEY	0,      0,      0,      0	; 36 right Shift
	KEY	0x372A, 0x372A, 0x9600, 0x3700	; 37 keypad *
	KEY	0,      0,      0,      0	; 38 Alt
	KEY	0x3920, 0x3920, 0x3920, 0x3920	; 39 space
	KEY	0,      0,      0,      0	; 3A Caps Lock
	KEY	0x3B00, 0x5400, 0x5E00, 0x6800	; 3B F1
	KEY	0x3C00, 0x5500, 0x5F00, 0x6900	; 3C F2
	KEY	0x3D00, 0x5600, 0x6000, 0x6A00	; 3D F3
	KEY	0x3E00, 0x5700, 0x6100, 0x6B00	; 3E F4
	KEY	0x3F00, 0x5800, 0x6200, 0x6C00	; 3F F5
	KEY	0x4000, 0x5900, 0x6300, 0x6D00	; 40 F6
	KEY	0x4100, 0x5A00, 0x6400, 0x6E00	; 41 F7
	KEY	0x4200, 0x5B00, 0x6500, 0x6F00	; 42 F8
	KEY	0x4300, 0x5C00, 0x6600, 0x7000	; 43 F9
	KEY	0x4400, 0x5D00, 0x6700, 0x7100	; 44 F10
	KEY	0,      0,      0,      0	; 45 Num Lock
	KEY	0,      0,      0,      0	; 46 Scroll Lock
	KEY	0x4700, 0x4737, 0x7700, 0	; 47 Home / 7
	KEY	0x4800, 0x4838, 0x8D00, 0	; 48 Up / 8
	KEY	0x4900, 0x4939, 0x8400, 0	; 49 PgUp / 9
	KEY	0x4A2D, 0x4A2D, 0x8E00, 0x4A00	; 4A keypad -
	KEY	0x4B00, 0x4B34, 0x7300, 0	; 4B Left / 4
	KEY	0x4C00, 0x4C35, 0x8F00, 0	; 4C keypad 5
	KEY	0x4D00, 0x4D36, 0x7400, 0	; 4D Right / 6
	KEY	0x4E2B, 0x4E2B, 0x9000, 0x4E00	; 4E keypad +
	KEY	0x4F00, 0x4F31, 0x7500, 0	; 4F End / 1
	KEY	0x5000, 0x5032, 0x9100, 0	; 50 Down / 2
	KEY	0x5100, 0x5133, 0x7600, 0	; 51 PgDn / 3
	KEY	0x5200, 0x5230, 0x9200, 0	; 52 Ins / 0
	KEY	0x5300, 0x532E, 0x9300, 0	; 53 Del / .
	KEY	0,      0,      0,      0	; 54 SysRq
	KEY	0,      0,      0,      0	; 55
	KEY	0x565C, 0x567C, 0,      0	; 56 the 102nd key
	KEY	0x8500, 0x8700, 0x8900, 0x8B00	; 57 F11
	KEY	0x8600, 0x8800, 0x8A00, 0x8C00	; 58 F12
KEY_LAST	equ	0x58

; The digit of each keypad key 47h-53h for Alt + keypad entry (FFh: none).
keypad_digits:
	db	7, 8, 9, 0xFF, 4, 5, 6, 0xFF, 1, 2, 3, 0, 0xFF

; ---------------------------------------------------------------------------
; INT 09h: keyboard IRQ 1.
; ---------------------------------------------------------------------------
int09_handler:
	sti
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	ds
	push	es
	cld
	BDA_DS
	in	al, KBC_DATA
	; INT 15h AH=4Fh lets a program see or swallow the scan code.
	mov	ah, 0x4F
	stc
	int	0x15
	jnc	.eoi
	call	kbd_scancode
.eoi:
	cli
	EOI_MASTER
	pop	es
	pop	ds
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	iret

; kbd_scancode handles the scan code in AL. DS = BDA.
kbd_scancode:
	; Swallow the rest of an E1 (Pause) sequence; its make code ends in
	; 45h and pauses the machine until the next key.
	mov	es, [BDA_EBDA]
	cmp	byte [es:EBDA_E1COUNT], 0
	je	.no_e1
	dec	byte [es:EBDA_E1COUNT]
	cmp	al, 0x45
	jne	.ret
	jmp	kbd_pause
.no_e1:
	cmp	al, 0xE0
	jne	.not_e0
	or	byte [BDA_KBMODE], 0x02
	ret
.not_e0:
	cmp	al, 0xE1
	jne	.not_e1
	mov	byte [es:EBDA_E1COUNT], 2
	ret
.not_e1:
	cmp	al, 0xFA		; ACK of a command to the keyboard
	je	.ack
	cmp	al, 0xFE		; resend
	je	.ret
	cmp	al, 0xFF		; overrun
	je	.ret
	test	al, al
	jz	.ret
	; BL = 1 when the code came after E0 (the gray keys).
	xor	bl, bl
	test	byte [BDA_KBMODE], 0x02
	jz	.plain
	and	byte [BDA_KBMODE], 0xFD
	inc	bl
.plain:
	; A key pressed while paused only ends the pause.
	test	byte [BDA_KBFLAGS2], 0x08
	jz	.not_paused
	test	al, 0x80
	jnz	.ret
	and	byte [BDA_KBFLAGS2], 0xF7
	ret
.not_paused:
	mov	ah, al
	and	ah, 0x7F		; AH = key, AL bit 7 = release
	call	kbd_shift_keys
	jnc	.ret			; a shift-type key: done
	test	al, 0x80
	jz	kbd_make
	cmp	ah, 0x52		; Insert released
	jne	.ret
	and	byte [BDA_KBFLAGS2], 0x7F
	ret
.ack:
	or	byte [BDA_KBLEDS], 0x10
.ret:
	ret

; kbd_pause: the pause key stops everything (with interrupts on) until
; another key is pressed.
kbd_pause:
	or	byte [BDA_KBFLAGS2], 0x08
	cli
	EOI_MASTER
	sti
.wait:
	hlt
	test	byte [BDA_KBFLAGS2], 0x08
	jnz	.wait
	ret

; kbd_shift_keys: AH = key, AL bit 7 = release, BL = E0 prefix. Updates
; the shift flags for Shift, Ctrl, Alt, Caps, Num and Scroll Lock and
; Insert, and ends Alt + keypad entry. CF=0 when the key was such a key
; (nothing more to do), CF=1 otherwise.
kbd_shift_keys:
	cmp	ah, 0x2A
	je	.lshift
	cmp	ah, 0x36
	je	.rshift
	cmp	ah, 0x1D
	je	.ctrl
	cmp	ah, 0x38
	je	.alt
	cmp	ah, 0x3A
	je	.caps
	cmp	ah, 0x45
	je	.num
	cmp	ah, 0x46
	je	.scroll
	stc
	ret
.lshift:
	test	bl, bl			; E0 2A: the keyboard's fake shift
	jnz	.done
	mov	cl, 0x02
	jmp	.held
.rshift:
	test	bl, bl
	jnz	.done
	mov	cl, 0x01
.held:
	test	al, 0x80
	jnz	.release
	or	[BDA_KBFLAGS1], cl
	jmp	.done
.release:
	not	cl
	and	[BDA_KBFLAGS1], cl
	jmp	.done
.ctrl:
	mov	cl, 0x01		; left Ctrl in 40:18h, right in 40:96h
	mov	ch, 0x04
	jmp	.ctrl_alt
.alt:
	mov	cl, 0x02
	mov	ch, 0x08
.ctrl_alt:
	test	al, 0x80
	jnz	.ca_release
	test	bl, bl
	jnz	.ca_right
	or	[BDA_KBFLAGS2], cl
	jmp	.ca_any
.ca_right:
	or	[BDA_KBMODE], ch
.ca_any:
	mov	cl, ch			; 40:17h bit 2 Ctrl, bit 3 Alt
	or	[BDA_KBFLAGS1], cl
	jmp	.done
.ca_release:
	not	cl
	not	ch
	test	bl, bl
	jnz	.ca_right_up
	and	[BDA_KBFLAGS2], cl
	jmp	.ca_recompute
.ca_right_up:
	and	[BDA_KBMODE], ch
.ca_recompute:
	; Ctrl (Alt) is down while either side is.
	mov	al, [BDA_KBFLAGS2]
	and	al, 0x03		; left Ctrl, left Alt
	shl	al, 1
	shl	al, 1
	mov	ah, [BDA_KBMODE]
	and	ah, 0x0C		; right Ctrl, right Alt
	or	al, ah
	and	byte [BDA_KBFLAGS1], 0xF3
	or	[BDA_KBFLAGS1], al
	; The end of Alt + keypad entry stores the typed code.
	test	byte [BDA_KBFLAGS1], 0x08
	jnz	.done
	mov	al, [BDA_ALTKEYPAD]
	test	al, al
	jz	.done
	mov	byte [BDA_ALTKEYPAD], 0
	xor	ah, ah
	call	kbd_store
	jmp	.done
.caps:
	mov	cl, 0x40
	jmp	.toggle
.num:
	test	bl, bl
	jnz	.done
	mov	cl, 0x20
	jmp	.toggle
.scroll:
	test	bl, bl			; E0 46: Ctrl-Break
	jnz	.break
	mov	cl, 0x10
.toggle:
	; The toggle flips on the first make of the key; 40:18h holds the
	; key down so that typematic repeats do not flip it again.
	test	al, 0x80
	jnz	.toggle_up
	test	[BDA_KBFLAGS2], cl
	jnz	.done
	or	[BDA_KBFLAGS2], cl
	xor	[BDA_KBFLAGS1], cl
	jmp	.done
.toggle_up:
	not	cl
	and	[BDA_KBFLAGS2], cl
	jmp	.done
.break:
	test	al, 0x80
	jnz	.done
	; Ctrl-Break: flush the buffer, store 0000h, flag it, INT 1Bh.
	mov	ax, [BDA_KBSTART]
	mov	[BDA_KBHEAD], ax
	mov	[BDA_KBTAIL], ax
	mov	byte [BDA_BREAK], 0x80
	xor	ax, ax
	call	kbd_store
	int	0x1B
.done:
	clc
	ret

; kbd_make: AH = key (make), BL = E0 prefix. Finds the keystroke and
; stores it.
kbd_make:
	mov	al, [BDA_KBFLAGS1]
	; Ctrl-Alt-Del restarts the machine.
	cmp	ah, 0x53
	jne	.not_cad
	mov	cl, al
	and	cl, 0x0C
	cmp	cl, 0x0C
	jne	.not_cad
	mov	word [BDA_RESETFLAG], 0x1234
	mov	al, 0xFE		; 8042 pulses the reset line
	out	KBC_CMD, al
	jmp	0xF000:0xFFF0
.not_cad:
	cmp	ah, 0x52		; Insert toggles its flag (not as keypad 0)
	jne	.not_ins
	test	bl, bl
	jnz	.ins
	mov	cl, al
	and	cl, 0x23		; Num Lock or Shift: it is a digit
	jz	.ins
	test	cl, 0x20
	jz	.not_ins
	test	cl, 0x03
	jz	.not_ins
.ins:
	test	byte [BDA_KBFLAGS2], 0x80	; held: a typematic repeat
	jnz	.not_ins
	or	byte [BDA_KBFLAGS2], 0x80
	xor	byte [BDA_KBFLAGS1], 0x80
.not_ins:
	cmp	ah, KEY_LAST
	ja	.ret
	; Alt + keypad digit: build the code in 40:19h.
	test	al, 0x08
	jz	.not_altpad
	test	bl, bl
	jnz	.not_altpad
	cmp	ah, 0x47
	jb	.not_altpad
	cmp	ah, 0x53
	ja	.not_altpad
	push	bx
	mov	bl, ah
	sub	bl, 0x47
	xor	bh, bh
	mov	cl, [cs:keypad_digits + bx]
	pop	bx
	cmp	cl, 0xFF
	je	.not_altpad
	mov	al, [BDA_ALTKEYPAD]
	mov	ch, 10
	mul	ch
	add	al, cl
	mov	[BDA_ALTKEYPAD], al
.ret:
	ret
.not_altpad:
	; Column: 0 plain, 1 Shift, 2 Ctrl, 3 Alt (Alt wins, then Ctrl).
	mov	si, 3
	test	al, 0x08
	jnz	.keypad
	dec	si
	test	al, 0x04
	jnz	.keypad
	mov	si, 0
	test	al, 0x03
	jz	.no_shift
	inc	si
.no_shift:
.keypad:
	; The keypad 47h-53h (without E0) gives digits when Num Lock and
	; Shift differ; the gray keys (with E0) are always navigation keys.
	cmp	ah, 0x47
	jb	.column
	cmp	ah, 0x53
	ja	.column
	cmp	ah, 0x4A
	je	.column
	cmp	ah, 0x4E
	je	.column
	test	bl, bl
	jnz	.gray_nav
	cmp	si, 1
	ja	.column
	test	al, 0x20
	jz	.column
	xor	si, 1
.column:
	push	bx
	mov	bl, ah
	dec	bl
	xor	bh, bh
	shl	bx, 1
	shl	bx, 1
	add	bx, si
	shl	bx, 1
	mov	cx, [cs:key_table + bx]
	pop	bx
	jcxz	.ret
	; Caps Lock swaps the case of letters (Ctrl and Alt columns aside).
	cmp	si, 1
	ja	.e0
	test	byte [BDA_KBFLAGS1], 0x40
	jz	.e0
	mov	al, cl
	or	al, 0x20
	cmp	al, 'a'
	jb	.e0
	cmp	al, 'z'
	ja	.e0
	xor	cl, 0x20
.e0:
	test	bl, bl
	jz	.store
	; Gray keys: keypad Enter and / read as E0 0Dh and E0 2Fh; the Alt
	; forms of both are A6h and A4h.
	cmp	ah, 0x1C
	je	.gray_enter
	cmp	ah, 0x35
	je	.gray_slash
.store:
	mov	ax, cx
	jmp	kbd_store
.gray_enter:
	cmp	si, 3
	je	.alt_enter
	mov	ch, 0xE0
	jmp	.store
.alt_enter:
	mov	cx, 0xA600
	jmp	.store
.gray_slash:
	cmp	si, 3
	je	.alt_slash
	cmp	si, 2
	je	.ctrl_slash
	mov	cx, 0xE02F
	jmp	.store
.ctrl_slash:
	mov	cx, 0x9500
	jmp	.store
.alt_slash:
	mov	cx, 0xA400
	jmp	.store
.gray_nav:
	; Gray navigation keys ignore Num Lock and Shift: E0 in AL; with Alt
	; the scan code moves up by 50h.
	cmp	si, 3
	je	.alt_nav
	cmp	si, 1
	jne	.nav_col
	xor	si, si
.nav_col:
	push	bx
	mov	bl, ah
	dec	bl
	xor	bh, bh
	shl	bx, 1
	shl	bx, 1
	add	bx, si
	shl	bx, 1
	mov	cx, [cs:key_table + bx]
	pop	bx
	mov	cl, 0xE0
	jmp	.store
.alt_nav:
	mov	ch, ah
	add	ch, 0x50
	xor	cl, cl
	jmp	.store

; kbd_store: AX = keystroke -> the buffer tail, unless the buffer is full.
kbd_store:
	push	bx
	push	si
	cli
	mov	bx, [BDA_KBTAIL]
	mov	si, bx
	add	si, 2
	cmp	si, [BDA_KBEND]
	jb	.no_wrap
	mov	si, [BDA_KBSTART]
.no_wrap:
	cmp	si, [BDA_KBHEAD]
	je	.full
	mov	[bx], ax
	mov	[BDA_KBTAIL], si
.full:
	sti
	pop	si
	pop	bx
	ret

; ---------------------------------------------------------------------------
; INT 16h: keyboard services.
; ---------------------------------------------------------------------------
int16_handler:
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	cmp	ah, 0x00
	je	.read
	cmp	ah, 0x10
	je	.read_ext
	cmp	ah, 0x01
	je	.peek
	cmp	ah, 0x11
	je	.peek_ext
	cmp	ah, 0x02
	je	.shift
	cmp	ah, 0x12
	je	.shift_ext
	cmp	ah, 0x05
	je	.store
	cmp	ah, 0x03
	je	.done			; typematic rate: accepted
	cmp	ah, 0x09
	je	.functionality
	cmp	ah, 0x0A
	je	.id
	jmp	.done
.read:					; AH=00h: wait for a key (AT keystrokes)
	call	kbd_peek
	jz	.read_wait
	call	kbd_remove
	call	kbd_to_at
	jc	.read
	mov	[bp + F_AX], ax
	jmp	.done
.read_wait:
	hlt
	jmp	.read
.read_ext:				; AH=10h: wait for a key (all keystrokes)
	call	kbd_peek
	jz	.ext_wait
	call	kbd_remove
	mov	[bp + F_AX], ax
	jmp	.done
.ext_wait:
	hlt
	jmp	.read_ext
.peek:					; AH=01h: ZF=1 no key, else AX = key
	call	kbd_peek
	jz	.none
	push	ax
	call	kbd_to_at
	pop	cx
	jnc	.found
	call	kbd_remove		; a keystroke AH=00h would drop
	jmp	.peek
.peek_ext:
	call	kbd_peek
	jz	.none
.found:
	mov	[bp + F_AX], ax
	CLEAR_ZF
	jmp	.done
.none:
	SET_ZF
	jmp	.done
.shift:					; AH=02h: AL = shift flags
	mov	al, [BDA_KBFLAGS1]
	mov	[bp + F_AL], al
	jmp	.done
.shift_ext:				; AH=12h: AL = flags, AH = keys held
	mov	al, [BDA_KBFLAGS1]
	mov	[bp + F_AL], al
	mov	al, [BDA_KBFLAGS2]
	mov	ah, al
	and	ah, 0x73		; Scroll, Num, Caps held; left Ctrl, Alt
	test	al, 0x04
	jz	.no_sysrq
	or	ah, 0x80
.no_sysrq:
	mov	al, [BDA_KBMODE]
	and	al, 0x0C		; right Ctrl, right Alt
	or	ah, al
	mov	[bp + F_AH], ah
	jmp	.done
.store:					; AH=05h: CX = keystroke -> AL = 0, 1 full
	mov	ax, cx
	mov	bx, [BDA_KBTAIL]
	call	kbd_store
	xor	al, al
	cmp	bx, [BDA_KBTAIL]
	jne	.stored
	inc	al
.stored:
	mov	[bp + F_AL], al
	jmp	.done
.functionality:				; AH=09h: AL = 30h (0Ah and 10h-12h)
	mov	byte [bp + F_AL], 0x30
	jmp	.done
.id:					; AH=0Ah: BX = ID of an MF2 keyboard
	mov	word [bp + F_BX], 0x41AB
.done:
	RESTORE_FRAME
	iret

; kbd_peek: ZF=1 when the buffer is empty, else AX = first keystroke.
kbd_peek:
	cli
	mov	bx, [BDA_KBHEAD]
	cmp	bx, [BDA_KBTAIL]
	je	.ret
	mov	ax, [bx]
.ret:
	sti
	ret

; kbd_remove drops the first keystroke (AX keeps it).
kbd_remove:
	cli
	mov	bx, [BDA_KBHEAD]
	add	bx, 2
	cmp	bx, [BDA_KBEND]
	jb	.no_wrap
	mov	bx, [BDA_KBSTART]
.no_wrap:
	mov	[BDA_KBHEAD], bx
	sti
	ret

; kbd_to_at converts an enhanced keystroke in AX to what AH=00h/01h
; return: E0 gray keys lose the E0, keypad Enter and / get their old scan
; codes, and keystrokes the AT keyboard did not have give CF=1.
kbd_to_at:
	cmp	ah, 0xE0
	jne	.not_gray
	mov	ah, 0x1C		; keypad Enter
	cmp	al, 0x2F
	jne	.ok
	mov	ah, 0x35		; keypad /
	jmp	.ok
.not_gray:
	cmp	al, 0xE0
	jne	.not_e0
	test	ah, ah
	jz	.ok
	xor	al, al
.not_e0:
	test	al, al
	jnz	.ok
	cmp	ah, 0x84
	ja	.drop
.ok:
	clc
	ret
.drop:
	stc
	ret
