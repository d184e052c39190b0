package bios_test

// etGuest is the boot image of the El Torito tests: 3 sectors of 512
// bytes. Assembled with one of MODE_NOEMU (the CD's no-emulation boot
// image, loaded whole by the BIOS), MODE_FLOPPY (the first sectors of a
// 1.44M diskette image) or MODE_HDD (of a hard disk image), and LOADSEG
// (the segment the BIOS loads it at), IMGLBA (its first CD sector),
// DATALBA (two CD sectors holding "RZCD", their LBA and "END!") and TOTAL
// (the CD's sectors). The boot sector loads the rest itself in the
// emulation modes. Then it checks the INT 13h functions of its drive,
// prints PASS or FAIL for each on port E9h and exits through
// isa-debug-exit at F4h: 10h when all passed, 11h otherwise, 03h when the
// boot itself failed. With SEABIOS defined it leaves out the checks where
// SeaBIOS, the reference BIOS, does otherwise: it loads whole 2048-byte
// sectors of a no-emulation image, gives no size for a CD in AH=48h, has
// no EDD functions on an emulated hard disk and keeps its last cylinder
// back in AH=08h.
const etGuest = `
	cpu	386
	bits	16
	org	0
PROGSECTS	equ	3

start:
	cli
	call	.here
.here:
	pop	di
	sub	di, .here		; DI = the entry offset
	mov	si, cs			; SI = the entry segment
	mov	ax, di
	shr	ax, 4
	add	ax, si			; the segment of start at offset 0
	push	ax
	push	word .norm
	retf
.norm:
	mov	ds, ax
	mov	es, ax
	mov	bx, 0x8000
	mov	ss, bx
	mov	sp, 0xFFF0
	sti
	cld
	mov	[drive], dl
	mov	[entry_seg], si
	mov	[entry_off], di
	mov	si, s_hello
	call	print
%ifdef MODE_FLOPPY
	mov	ax, 0x0200 | (PROGSECTS - 1)
	mov	cx, 0x0002
	xor	dh, dh
	mov	dl, [drive]
	mov	bx, 0x0200
	int	0x13
	jc	boot_fail
%endif
%ifdef MODE_HDD
	mov	ax, 0x0200 | (PROGSECTS - 1)
	mov	cx, 0x0002
	xor	dh, dh
	mov	dl, [drive]
	mov	bx, 0x0200
	int	0x13
	jc	boot_fail
%endif
	cmp	word [stage2], 0x5A52
	jne	boot_fail
	jmp	stage2 + 2
boot_fail:
	mov	si, s_bootfail
	call	print
	mov	al, 0x03
	out	0xF4, al
	cli
	hlt

print:
	lodsb
	test	al, al
	jz	.done
	out	0xE9, al
	jmp	print
.done:
	ret

drive:		db	0
entry_seg:	dw	0
entry_off:	dw	0
fails:		db	0
s_hello:	db	"GUEST START", 13, 10, 0
s_bootfail:	db	"FAIL boot", 13, 10, 0
	times	510 - ($ - $$) db 0
	dw	0xAA55

stage2:
	dw	0x5A52

	; The BIOS entered the image at LOADSEG * 16.
	movzx	eax, word [entry_seg]
	shl	eax, 4
	movzx	ebx, word [entry_off]
	add	eax, ebx
	cmp	eax, LOADSEG * 16
	call	check
	db	"entry", 0

	; The drive number: E0h for the CD, 00h or 80h for an emulated disk.
%ifdef MODE_NOEMU
	cmp	byte [drive], 0xE0
%elifdef MODE_FLOPPY
	cmp	byte [drive], 0x00
%else
	cmp	byte [drive], 0x80
%endif
	call	check
	db	"drive", 0

	; AH=4Bh AL=01h: the specification packet.
	mov	di, pkt
	mov	cx, 20
	mov	al, 0xEE
	rep	stosb
	mov	ax, 0x4B01
	mov	dl, [drive]
	mov	si, pkt
	int	0x13
	jc	.pkt_bad
	cmp	byte [pkt], 0x13
	jne	.pkt_bad
	mov	al, [pkt + 1]
	and	al, 0x0F
%ifdef MODE_NOEMU
	cmp	al, 0
%elifdef MODE_FLOPPY
	cmp	al, 2
%else
	cmp	al, 4
%endif
	jne	.pkt_bad
	mov	al, [pkt + 2]
	cmp	al, [drive]
	jne	.pkt_bad
	cmp	dword [pkt + 4], IMGLBA
	jne	.pkt_bad
	cmp	word [pkt + 12], LOADSEG
	jne	.pkt_bad
%ifdef MODE_NOEMU
	cmp	word [pkt + 14], PROGSECTS
%else
	cmp	word [pkt + 14], 1
%endif
.pkt_bad:
	call	check
	db	"int13/4b01", 0

%ifdef MODE_NOEMU
%ifndef SEABIOS
	; The BIOS loaded 3 sectors, not the whole CD sector: the fourth
	; 512-byte part ("MARK") is not in memory.
	cmp	dword [PROGSECTS * 512], 'MARK'
	setne	al
	cmp	al, 1
	call	check
	db	"load count", 0
%endif

	mov	ah, 0x41
	mov	bx, 0x55AA
	mov	dl, [drive]
	int	0x13
	jc	.ext_bad
	cmp	bx, 0xAA55
.ext_bad:
	call	check
	db	"int13/41", 0

	; AH=42h: two 2048-byte sectors to 3000:0000.
	mov	word [dap + 2], 2
	mov	word [dap + 4], 0
	mov	word [dap + 6], 0x3000
	mov	dword [dap + 8], DATALBA
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jc	.read_bad
	cmp	word [dap + 2], 2
	jne	.read_bad
	push	es
	mov	ax, 0x3000
	mov	es, ax
	cmp	dword [es:0], 'RZCD'
	jne	.read_es
	cmp	dword [es:4], DATALBA
	jne	.read_es
	cmp	dword [es:0x7FC], 'END!'
	jne	.read_es
	cmp	dword [es:0x800], 'RZCD'
	jne	.read_es
	cmp	dword [es:0x804], DATALBA + 1
	jne	.read_es
	cmp	dword [es:0xFFC], 'END!'
.read_es:
	pop	es
.read_bad:
	call	check
	db	"int13/42", 0

	; AH=42h past the end, and with 200 sectors: errors.
	mov	word [dap + 2], 1
	mov	dword [dap + 8], TOTAL
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jnc	.err_bad
	mov	word [dap + 2], 200
	mov	dword [dap + 8], DATALBA
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jnc	.err_bad
	cmp	al, al
	jmp	.err_done
.err_bad:
	or	al, 1			; ZF=0
.err_done:
	call	check
	db	"int13/42 errors", 0

	; AH=48h: 2048-byte sectors, TOTAL of them.
	mov	word [pkt], 0x1E
	mov	ah, 0x48
	mov	dl, [drive]
	mov	si, pkt
	int	0x13
	jc	.params_bad
	cmp	word [pkt + 24], 2048
%ifndef SEABIOS
	jne	.params_bad
	cmp	dword [pkt + 16], TOTAL
%endif
.params_bad:
	call	check
	db	"int13/48", 0

	; AH=43h: write protected.
	mov	word [dap + 2], 1
	mov	ax, 0x4300
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jnc	.wp_bad
	cmp	ah, 0x03
	jmp	.wp_done
.wp_bad:
	or	al, 1			; ZF=0
	test	al, al
.wp_done:
	call	check
	db	"int13/43", 0
%endif

%ifdef MODE_FLOPPY
	; AH=08h: a 1.44M drive.
	mov	ah, 0x08
	mov	dl, [drive]
	int	0x13
	call	show_cx_dx
	push	cs
	pop	es
	jc	.geo_bad
	cmp	bl, 4
	jne	.geo_bad
	cmp	cx, 0x4F12
	jne	.geo_bad
	cmp	dh, 1
.geo_bad:
	call	check
	db	"int13/08", 0

	; AH=02h: C1 H1 S5 is LBA 58; then LBA 59-61, across a CD sector.
	push	es
	mov	ax, 0x3000
	mov	es, ax
	mov	ax, 0x0201
	mov	cx, 0x0105
	mov	dh, 1
	mov	dl, [drive]
	xor	bx, bx
	int	0x13
	jc	.rd_bad
	cmp	al, 1
	jne	.rd_bad
	cmp	dword [es:0], 'RZFD'
	jne	.rd_bad
	cmp	dword [es:4], 58
	jne	.rd_bad
	mov	ax, 0x0203
	mov	cx, 0x0106
	mov	dh, 1
	mov	dl, [drive]
	mov	bx, 0x1000
	int	0x13
	jc	.rd_bad
	cmp	al, 3
	jne	.rd_bad
	cmp	dword [es:0x1004], 59
	jne	.rd_bad
	cmp	dword [es:0x1204], 60
	jne	.rd_bad
	cmp	dword [es:0x1404], 61
.rd_bad:
	pop	es
	call	check
	db	"int13/02", 0

	; Cylinder 80 does not exist; writes fail with 03h.
	mov	ax, 0x0201
	mov	cx, 0x5001
	xor	dh, dh
	mov	dl, [drive]
	mov	bx, 0x4000
	int	0x13
	jnc	.range_bad
	mov	ax, 0x0301
	mov	cx, 0x0001
	xor	dh, dh
	mov	dl, [drive]
	int	0x13
	jnc	.range_bad
	cmp	ah, 0x03
	jmp	.range_done
.range_bad:
	or	al, 1
	test	al, al
.range_done:
	call	check
	db	"int13/02 errors", 0

	; The equipment word has a diskette drive.
	int	0x11
	test	al, 1
	setnz	al
	cmp	al, 1
	call	check
	db	"int11", 0

	; AH=4Bh AL=00h ends the emulation: drive 00h is the (absent) real
	; diskette drive again.
	mov	ax, 0x4B00
	mov	dl, [drive]
	mov	si, pkt
	int	0x13
	jc	.term_bad
	mov	ax, 0x0201
	mov	cx, 0x0001
	xor	dh, dh
	mov	dl, 0
	mov	bx, 0x4000
	int	0x13
	cmc
.term_bad:
	setc	al
	cmp	al, 0
	call	check
	db	"int13/4b00", 0
%endif

%ifdef MODE_HDD
	; AH=08h: 2 cylinders, 16 heads, 63 sectors; one disk.
	mov	ah, 0x08
	mov	dl, [drive]
	int	0x13
	call	show_cx_dx
	jc	.geo_bad
%ifdef SEABIOS
	cmp	cl, 0x3F		; it keeps a cylinder back, counts 2 disks
	jne	.geo_bad
	cmp	dh, 0x0F
%else
	cmp	cx, 0x013F
	jne	.geo_bad
	cmp	dx, 0x0F01
%endif
.geo_bad:
	call	check
	db	"int13/08", 0

%ifndef SEABIOS
	mov	ah, 0x41
	mov	bx, 0x55AA
	mov	dl, [drive]
	int	0x13
	jc	.ext_bad
	cmp	bx, 0xAA55
.ext_bad:
	call	check
	db	"int13/41", 0

	; AH=42h: LBA 1000 and 1001.
	mov	word [dap + 2], 2
	mov	word [dap + 4], 0
	mov	word [dap + 6], 0x3000
	mov	dword [dap + 8], 1000
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jc	.read_bad
	push	es
	mov	ax, 0x3000
	mov	es, ax
	cmp	dword [es:0], 'RZHD'
	jne	.read_es
	cmp	dword [es:4], 1000
	jne	.read_es
	cmp	dword [es:0x204], 1001
.read_es:
	pop	es
.read_bad:
	call	check
	db	"int13/42", 0
%endif

	; AH=02h: LBA 1000 is C0 H15 S56.
	push	es
	mov	ax, 0x3000
	mov	es, ax
	mov	ax, 0x0201
	mov	cx, 0x0038
	mov	dh, 15
	mov	dl, [drive]
	mov	bx, 0x1000
	int	0x13
	jc	.chs_bad
	cmp	dword [es:0x1004], 1000
.chs_bad:
	pop	es
	call	check
	db	"int13/02", 0

%ifndef SEABIOS
	; AH=48h: 512-byte sectors, 2016 of them.
	mov	word [pkt], 0x1A
	mov	ah, 0x48
	mov	dl, [drive]
	mov	si, pkt
	int	0x13
	jc	.params_bad
	cmp	word [pkt + 24], 512
	jne	.params_bad
	cmp	dword [pkt + 16], 2016
.params_bad:
	call	check
	db	"int13/48", 0

	; LBA 2016 is past the end; there is no drive 81h.
	mov	word [dap + 2], 1
	mov	dword [dap + 8], 2016
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap
	int	0x13
	jnc	.err_bad
%endif
	mov	ah, 0x08
	mov	dl, 0x81
	int	0x13
	push	cs
	pop	es
	jnc	.err_bad
	cmp	al, al
	jmp	.err_done
.err_bad:
	or	al, 1			; ZF=0
.err_done:
	call	check
	db	"int13 errors", 0
%endif

	mov	si, s_done
	call	print
	mov	al, [fails]
	add	al, '0'
	out	0xE9, al
	mov	al, 10
	out	0xE9, al
	mov	al, 0x10
	cmp	byte [fails], 0
	je	.exit
	mov	al, 0x11
.exit:
	out	0xF4, al
	cli
	hlt

; check: ZF=1 passed. The name follows the call; returns after it.
check:
	pushf
	push	si
	push	bp
	mov	si, s_pass
	jz	.print
	inc	byte [fails]
	mov	si, s_fail
.print:
	call	print
	mov	bp, sp
	mov	si, [bp + 6]
	call	print
	mov	[bp + 6], si
	mov	al, 10
	out	0xE9, al
	pop	bp
	pop	si
	popf
	ret

; show_cx_dx prints CX and DX on port E9h. Preserves the registers and
; flags.
show_cx_dx:
	pushf
	pusha
	mov	si, s_cx
	call	print
	mov	ax, cx
	call	hex16
	mov	si, s_dx
	call	print
	mov	ax, dx
	call	hex16
	mov	al, 10
	out	0xE9, al
	popa
	popf
	ret
hex16:
	mov	cx, 4
.digit:
	rol	ax, 4
	push	ax
	and	al, 0x0F
	add	al, '0'
	cmp	al, '9'
	jbe	.put
	add	al, 7
.put:
	out	0xE9, al
	pop	ax
	loop	.digit
	ret

s_cx:	db	"  CX=", 0
s_dx:	db	" DX=", 0
s_pass:	db	"PASS ", 0
s_fail:	db	"FAIL ", 0
s_done:	db	"DONE failures=", 0
dap:	db	0x10, 0
	dw	1, 0, 0
	dq	0
pkt:	times	32 db 0
	times	PROGSECTS * 512 - ($ - $$) db 0
`
