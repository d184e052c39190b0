; INT 13h: the dispatcher, and the hard disk functions (DL = 80h and up)
; over the ATA driver, with the EDD extensions 41h-48h (Phoenix Enhanced
; Disk Drive Specification 1.1).

int13_handler:
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	jmp	int13_route		; atapi.asm: the CD-ROM, then the rest

; INT 40h: the diskette functions alone (the AT's relocated INT 13h).
int40_handler:
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	jmp	fd_dispatch

; hd_return: AH = status; stored in 40:74h, returned in AH and CF.
hd_return:
	mov	[BDA_HDSTATUS], ah
	jmp	disk_return

hd_dispatch:
	mov	al, dl
	sub	al, 0x80
	cmp	al, [BDA_HDCOUNT]
	jb	.drive_ok
	cmp	ah, 0x15		; no such disk
	jne	.bad_drive
	xor	ah, ah
	jmp	disk_return_ah
.bad_drive:
	cmp	ah, 0x00		; a reset of every disk still succeeds
	je	.reset
	mov	ah, 0x01
	jmp	hd_return
.reset:
	xor	ah, ah
	jmp	hd_return
.drive_ok:
	; BX = the drive's entry in the EBDA, ES = EBDA.
	mov	es, [BDA_EBDA]
	mov	cl, ATA_ENTRY
	mul	cl
	add	ax, EBDA_ATA
	mov	bx, ax
	mov	cx, [bp + F_CX]
	mov	ax, [bp + F_AX]
	cmp	ah, 0x02
	jb	.simple
	cmp	ah, 0x04
	jbe	hd_fn_rw
	cmp	ah, 0x08
	je	hd_fn_params
	cmp	ah, 0x15
	je	hd_fn_type
	cmp	ah, 0x41
	je	hd_fn_check_ext
	cmp	ah, 0x42
	jb	.simple
	cmp	ah, 0x44
	jbe	hd_fn_ext_rw
	cmp	ah, 0x48
	je	hd_fn_ext_params
.simple:
	cmp	ah, 0x01
	je	.status
	; 00 reset, 05 format, 09 init, 0C seek, 0D reset, 10 ready,
	; 11 recalibrate, 14 diagnostic, 47 extended seek: nothing to do.
	mov	si, hd_nop_fns
.nop:
	cmp	byte [cs:si], 0xFF
	je	.invalid
	cmp	ah, [cs:si]
	je	.ok
	inc	si
	jmp	.nop
.ok:
	xor	ah, ah
	jmp	hd_return
.invalid:
	mov	ah, 0x01
	jmp	hd_return
.status:
	mov	ah, [BDA_HDSTATUS]
	jmp	disk_return

hd_nop_fns:
	db	0x00, 0x05, 0x09, 0x0C, 0x0D, 0x10, 0x11, 0x14, 0x47, 0xFF

; hd_call_ata runs the request block on the disk at ES:BX -> AH = status.
hd_call_ata:
	push	ds
	push	es
	pop	ds
	call	ata_rw
	pop	ds
	ret

; AH=02h-04h: AL sectors at CH,CL,DH (CHS) to or from ES:BX -> AL = done.
hd_fn_rw:
	mov	byte [bp + F_AL], 0
	sub	ah, 2
	mov	[es:REQ_OP], ah
	xor	ah, ah
	test	al, al
	jz	.invalid
	mov	[es:REQ_COUNT], ax
	; cylinder = CH | (CL bits 6-7) << 2, sector = CL bits 0-5
	mov	al, cl
	and	al, 0x3F
	jz	.invalid
	cmp	al, [es:bx + ATA_LSPT]
	ja	.invalid
	mov	di, ax			; DI = sector
	mov	al, cl
	xor	ah, ah
	shl	ax, 1
	shl	ax, 1
	mov	al, ch			; AX = cylinder
	cmp	ax, [es:bx + ATA_LCYLS]
	jae	.invalid
	mov	dl, [bp + F_DH]
	cmp	dl, [es:bx + ATA_LHEADS]
	jae	.invalid
	; LBA = (cylinder * heads + head) * sectors + sector - 1
	push	dx
	mov	cl, [es:bx + ATA_LHEADS]
	xor	ch, ch
	mul	cx			; DX:AX = cylinder * heads
	pop	cx
	xor	ch, ch
	add	ax, cx
	adc	dx, 0
	mov	cx, dx
	mov	dl, [es:bx + ATA_LSPT]
	xor	dh, dh
	push	dx
	mul	dx			; low word * sectors
	mov	[es:REQ_LBA], ax
	mov	[es:REQ_LBA + 2], dx
	mov	ax, cx
	pop	cx
	mul	cx			; high word * sectors
	add	[es:REQ_LBA + 2], ax
	dec	di
	add	[es:REQ_LBA], di
	adc	word [es:REQ_LBA + 2], 0
	mov	word [es:REQ_LBA + 4], 0
	mov	ax, [bp + F_ES]
	mov	[es:REQ_SEG], ax
	mov	ax, [bp + F_BX]
	mov	[es:REQ_OFF], ax
	call	hd_call_ata
	mov	al, [es:REQ_DONE]
	mov	[bp + F_AL], al
	jmp	hd_return
.invalid:
	mov	ah, 0x01
	jmp	hd_return

; AH=08h: parameters -> CH,CL = last cylinder and sectors, DH = last head,
; DL = disks.
hd_fn_params:
	mov	ax, [es:bx + ATA_LCYLS]
	dec	ax
	cmp	ax, 1023
	jbe	.cyl_ok
	mov	ax, 1023
.cyl_ok:
	mov	[bp + F_CH], al
	mov	cl, ah
	ror	cl, 1
	ror	cl, 1
	and	cl, 0xC0
	or	cl, [es:bx + ATA_LSPT]
	mov	[bp + F_CL], cl
	mov	al, [es:bx + ATA_LHEADS]
	dec	al
	mov	[bp + F_DH], al
	mov	al, [BDA_HDCOUNT]
	mov	[bp + F_DL], al
	mov	byte [bp + F_AL], 0
	xor	ah, ah
	jmp	hd_return

; AH=15h: type -> AH = 03h (fixed disk), CX:DX = sectors (logical CHS).
hd_fn_type:
	mov	al, [es:bx + ATA_LHEADS]
	mul	byte [es:bx + ATA_LSPT]
	mul	word [es:bx + ATA_LCYLS]
	mov	[bp + F_CX], dx
	mov	[bp + F_DX], ax
	mov	byte [BDA_HDSTATUS], 0
	mov	ah, 0x03
	jmp	disk_return_ah

; AH=41h: BX = 55AAh -> BX = AA55h, AH = 21h (EDD 1.1), CX = 1 (the
; extended disk access functions 42h-44h, 47h, 48h).
hd_fn_check_ext:
	cmp	word [bp + F_BX], 0x55AA
	jne	.no
	mov	word [bp + F_BX], 0xAA55
	mov	word [bp + F_CX], 0x0001
	mov	ah, 0x21
	jmp	disk_return_ah
.no:
	mov	ah, 0x01
	jmp	hd_return

; AH=42h read, 43h write, 44h verify: DS:SI = disk address packet
; (size, 0, sector count, buffer offset:segment, 64-bit LBA). The count
; is updated to the sectors moved.
hd_fn_ext_rw:
	sub	ah, 0x42
	mov	[es:REQ_OP], ah
	push	ds
	mov	ds, [bp + F_DS]
	mov	si, [bp + F_SI]
	mov	ah, 0x01
	cmp	byte [si], 0x10
	jb	.bad
	mov	ax, [si + 2]
	mov	[es:REQ_COUNT], ax
	mov	ax, [si + 4]
	mov	[es:REQ_OFF], ax
	mov	ax, [si + 6]
	mov	[es:REQ_SEG], ax
	and	ax, [si + 4]
	cmp	ax, 0xFFFF		; FFFF:FFFF: a 64-bit flat address follows
	mov	ah, 0x01
	je	.bad
	mov	ax, [si + 8]
	mov	[es:REQ_LBA], ax
	mov	ax, [si + 10]
	mov	[es:REQ_LBA + 2], ax
	mov	ax, [si + 12]
	mov	[es:REQ_LBA + 4], ax
	mov	ah, 0x04
	cmp	word [si + 14], 0
	jne	.bad
	pop	ds
	call	hd_call_ata
	push	ds
	mov	ds, [bp + F_DS]
	mov	cx, [es:REQ_DONE]
	mov	[si + 2], cx
	pop	ds
	jmp	hd_return
.bad:
	mov	word [si + 2], 0
	pop	ds
	jmp	hd_return

; AH=48h: DS:SI = result buffer (its size word first): flags, geometry,
; sectors, bytes per sector; from 1Eh bytes also the DPTE (none).
hd_fn_ext_params:
	push	ds
	mov	ds, [bp + F_DS]
	mov	di, [bp + F_SI]
	mov	ah, 0x01
	mov	cx, [di]
	cmp	cx, 0x1A
	jb	.done
	mov	word [di], 0x1A
	mov	word [di + 2], 0x0002	; CHS information valid
	mov	ax, [es:bx + ATA_LCYLS]
	mov	[di + 4], ax
	mov	word [di + 6], 0
	mov	al, [es:bx + ATA_LHEADS]
	xor	ah, ah
	mov	[di + 8], ax
	mov	word [di + 10], 0
	mov	al, [es:bx + ATA_LSPT]
	mov	[di + 12], ax
	mov	word [di + 14], 0
	mov	ax, [es:bx + ATA_TOTAL]
	mov	[di + 16], ax
	mov	ax, [es:bx + ATA_TOTAL + 2]
	mov	[di + 18], ax
	mov	ax, [es:bx + ATA_TOTAL + 4]
	mov	[di + 20], ax
	mov	word [di + 22], 0
	mov	word [di + 24], 512
	cmp	cx, 0x1E
	jb	.ok
	mov	word [di], 0x1E
	mov	word [di + 26], 0xFFFF	; no device parameter table extension
	mov	word [di + 28], 0xFFFF
.ok:
	xor	ah, ah
.done:
	pop	ds
	jmp	hd_return
