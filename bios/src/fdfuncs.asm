; INT 13h, the diskette functions and the diskette part of POST, over the
; controller routines of floppy.asm.

; ---------------------------------------------------------------------------
; The INT 13h diskette functions. Entered with the frame set up and DS =
; BDA; they end at fd_return with AH = status.
; ---------------------------------------------------------------------------
fd_dispatch:
	cmp	ah, 0x00
	je	fd_fn_reset
	cmp	ah, 0x01
	je	fd_fn_status
	cmp	ah, 0x02
	je	fd_fn_rw
	cmp	ah, 0x03
	je	fd_fn_rw
	cmp	ah, 0x04
	je	fd_fn_rw
	cmp	ah, 0x05
	je	fd_fn_format
	cmp	ah, 0x08
	je	fd_fn_params
	cmp	ah, 0x15
	je	fd_fn_type
	cmp	ah, 0x16
	je	fd_fn_change
	cmp	ah, 0x17
	je	fd_fn_ok
	cmp	ah, 0x18
	je	fd_fn_media
	mov	ah, 0x01		; invalid function
	jmp	fd_return

fd_fn_ok:
	xor	ah, ah
	; fall through
; fd_return: AH = status; stored in 40:41h, returned in AH and CF.
fd_return:
	mov	[BDA_FDSTATUS], ah
disk_return:
	mov	[bp + F_AH], ah
	test	ah, ah
	jz	.ok
	SET_CF
	jmp	.out
.ok:
	CLEAR_CF
.out:
	RESTORE_FRAME
	iret

; disk_return_ah: AH is a result, not a status: return it with CF=0.
disk_return_ah:
	mov	[bp + F_AH], ah
	CLEAR_CF
	RESTORE_FRAME
	iret

fd_fn_reset:
	call	fd_reset
	mov	ah, 0
	jnc	.ok
	mov	ah, 0x20
.ok:
	mov	byte [BDA_FDMEDIA], 0
	mov	byte [BDA_FDMEDIA + 1], 0
	jmp	fd_return

fd_fn_status:
	mov	ah, [BDA_FDSTATUS]
	jmp	disk_return

; AH=02h read, 03h write, 04h verify: AL sectors from CH cylinder, CL
; sector, DH head, to or from ES:BX -> AL = sectors done.
fd_fn_rw:
	mov	es, [BDA_EBDA]
	mov	word [es:REQ_DONE], 0
	call	fd_type
	jnz	.drive_ok
	mov	ah, 0x01
	jmp	.end
.drive_ok:
	mov	[es:FD_TYPE], al
	mov	ax, [bp + F_AX]
	sub	ah, 2			; 0 read, 1 write, 2 verify
	mov	[es:FD_OP], ah
	xor	ah, ah
	test	al, al
	jnz	.count_ok
	mov	ah, 0x01
	jmp	.end
.count_ok:
	mov	[es:REQ_COUNT], ax
	mov	byte [es:FD_RATEIDX], 0
	mov	[es:FD_DRIVE], dl
	mov	[es:FD_CYL], ch
	mov	[es:FD_HEAD], dh
	and	cl, 0x3F
	mov	[es:FD_SECT], cl
	; The buffer as segment:offset with an offset below 16, so that
	; neither the bounce copy nor the next sector's address wraps.
	mov	ax, [bp + F_BX]
	mov	di, ax
	and	di, 0x000F
	mov	[es:REQ_OFF], di
	push	cx
	mov	cl, 4
	shr	ax, cl
	pop	cx
	add	ax, [bp + F_ES]
	mov	[es:REQ_SEG], ax
	call	fd_select
	call	fd_changed
	jc	.release
	; Retries: a failure with an unknown medium tries the next data rate
	; of the drive type; with a known one, it resets and recalibrates,
	; up to three times.
	mov	cx, 3			; retries left
.sector:
	mov	bl, dl
	xor	bh, bh
	test	byte [BDA_FDMEDIA + bx], MEDIA_KNOWN
	jnz	.known
	call	fd_rate_entry
	jnc	.try_rate
	mov	byte [es:FD_RATEIDX], 0	; no rate worked
	jmp	.release
.try_rate:
	mov	al, [cs:si]
	call	fd_set_rate
	mov	al, [cs:si + 1]
	mov	[es:FD_SPT], al
	call	fd_sector
	test	ah, ah
	jnz	.rate_failed
	mov	al, [cs:si]
	or	al, MEDIA_KNOWN
	mov	[BDA_FDMEDIA + bx], al
	jmp	.sector_done
.rate_failed:
	cmp	ah, 0x03
	je	.release
	cmp	ah, 0x80
	je	.release
	inc	byte [es:FD_RATEIDX]
	jmp	.sector
.known:
	call	fd_media_spt
	mov	al, [BDA_FDMEDIA + bx]
	call	fd_set_rate
	call	fd_sector
	test	ah, ah
	jz	.sector_done
	cmp	ah, 0x03
	je	.release
	dec	cx
	jz	.release
	call	fd_reset
	mov	byte [BDA_FDMEDIA + bx], 0
	mov	byte [es:FD_RATEIDX], 0
	jmp	.sector
.sector_done:
	mov	cx, 3
	inc	word [es:REQ_DONE]
	add	word [es:REQ_SEG], 0x20
	dec	word [es:REQ_COUNT]
	jz	.all_done
	; The next sector: on to the other head, then the next cylinder.
	mov	al, [es:FD_SECT]
	inc	al
	cmp	al, [es:FD_SPT]
	jbe	.same_track
	mov	al, 1
	xor	byte [es:FD_HEAD], 1
	jnz	.same_track
	inc	byte [es:FD_CYL]
.same_track:
	mov	[es:FD_SECT], al
	jmp	.sector
.all_done:
	xor	ah, ah
.release:
	call	fd_release
.end:
	mov	al, [es:REQ_DONE]
	mov	[bp + F_AL], al
	jmp	fd_return

; AH=05h: format the track CH, head DH with the AL address fields at ES:BX.
fd_fn_format:
	call	fd_type
	jnz	.drive_ok
	mov	ah, 0x01
	jmp	fd_return
.drive_ok:
	mov	es, [BDA_EBDA]
	mov	[es:FD_TYPE], al
	mov	[es:FD_DRIVE], dl
	call	fd_select
	call	fd_changed
	jc	.end
	mov	bl, dl
	xor	bh, bh
	mov	al, [BDA_FDMEDIA + bx]
	test	al, MEDIA_KNOWN
	jnz	.rate
	mov	byte [es:FD_RATEIDX], 0
	call	fd_rate_entry
	mov	al, [cs:si]
.rate:
	call	fd_set_rate
	call	fd_seek
	mov	ah, 0x40
	jc	.end
	mov	ax, [bp + F_ES]
	mov	di, [bp + F_BX]
	call	linear
	mov	al, [bp + F_AL]
	xor	ah, ah
	shl	ax, 1
	shl	ax, 1
	dec	ax
	mov	cx, ax
	mov	al, 0x4A		; read from memory
	call	fd_dma
	and	byte [BDA_FDRECAL], 0x7F
	mov	al, 0x4D		; FORMAT TRACK, MFM
	call	fd_out
	mov	al, [bp + F_DH]
	and	al, 1
	shl	al, 1
	shl	al, 1
	or	al, [bp + F_DL]
	call	fd_out
	mov	al, 2			; N
	call	fd_out
	mov	al, [bp + F_AL]		; sectors per track
	call	fd_out
	mov	bx, 7
	call	fd_dpt			; gap length for format
	call	fd_out
	mov	bx, 8
	call	fd_dpt			; fill byte
	call	fd_out
	mov	ah, 0x20
	jc	.end
	call	fd_wait_irq
	mov	ah, 0x80
	jc	.end
	call	fd_results
.end:
	call	fd_release
	jmp	fd_return

; AH=08h: drive parameters -> BL = type, CH = last cylinder, CL = sectors
; per track, DH = last head, DL = drives, ES:DI = parameter table.
fd_fn_params:
	mov	al, CMOS_FLOPPY
	call	cmos_read
	xor	cl, cl			; count the drives
	test	al, 0xF0
	jz	.no_a
	inc	cl
.no_a:
	test	al, 0x0F
	jz	.no_b
	inc	cl
.no_b:
	mov	[bp + F_DL], cl
	mov	word [bp + F_AX], 0
	call	fd_type
	jnz	.present
	mov	word [bp + F_BX], 0
	mov	word [bp + F_CX], 0
	mov	byte [bp + F_DH], 0
	mov	word [bp + F_DI], 0
	mov	word [bp + F_ES], 0
	xor	ah, ah
	jmp	fd_return
.present:
	mov	[bp + F_BL], al
	mov	byte [bp + F_BH], 0
	xor	ah, ah
	dec	ax
	push	ax
	mov	bx, ax
	shl	bx, 1
	mov	si, [cs:fd_rates + bx]	; the first entry: the native format
	mov	al, [cs:si + 2]
	dec	al
	mov	[bp + F_CH], al
	mov	al, [cs:si + 1]
	mov	[bp + F_CL], al
	mov	byte [bp + F_DH], 1
	pop	ax
	mov	bl, 11
	mul	bl
	add	ax, fd_dpts
	mov	[bp + F_DI], ax
	mov	[bp + F_ES], cs
	xor	ah, ah
	jmp	fd_return

; AH=15h: drive type -> AH = 00h none, 01h no change line, 02h change line.
fd_fn_type:
	call	fd_type
	mov	ah, 0
	jz	.ret
	mov	ah, 1
	cmp	al, 1
	je	.ret
	mov	ah, 2
.ret:
	jmp	disk_return_ah

; AH=16h: disk change status -> AH = 00h not changed, 06h changed.
fd_fn_change:
	call	fd_type
	jnz	.present
	mov	ah, 0x80
	jmp	fd_return
.present:
	mov	ah, 0
	cmp	al, 1
	je	.done
	call	fd_select
	mov	dx, FDC_DIR
	in	al, dx
	call	fd_release
	test	al, 0x80
	jz	.done
	mov	ah, 0x06
.done:
	jmp	fd_return

; AH=18h: media type for format: CH = last cylinder, CL = sectors per
; track -> ES:DI = a parameter table for it.
fd_fn_media:
	call	fd_type
	jnz	.present
	mov	ah, 0x80
	jmp	fd_return
.present:
	and	cl, 0x3F
	mov	bx, 0			; table by sectors per track
	cmp	cl, 9
	je	.found
	mov	bx, 11
	cmp	cl, 15
	je	.found
	mov	bx, 33
	cmp	cl, 18
	je	.found
	mov	bx, 44
	cmp	cl, 36
	je	.found
	mov	ah, 0x0C		; media type not supported
	jmp	fd_return
.found:
	add	bx, fd_dpts
	mov	[bp + F_DI], bx
	mov	[bp + F_ES], cs
	xor	ah, ah
	jmp	fd_return

; fd_post: the equipment bits for the drives in CMOS 10h, a controller
; reset, and a recalibration of each drive (which also clears the disk
; change line set at power-on).
fd_post:
	push	ds
	BDA_DS
	mov	al, CMOS_FLOPPY
	call	cmos_read
	xor	bx, bx
	test	al, 0xF0
	jz	.no_a
	inc	bx
.no_a:
	test	al, 0x0F
	jz	.no_b
	inc	bx
.no_b:
	test	bx, bx
	jz	.done
	dec	bx
	mov	cl, 6
	shl	bx, cl
	or	bx, 1
	or	[BDA_EQUIP], bx
	call	fd_reset
	jc	.done
	xor	dl, dl
.drive:
	call	fd_type
	jz	.next
	call	fd_select
	call	fd_recal
	call	fd_clear_change
.next:
	inc	dl
	cmp	dl, 2
	jb	.drive
	call	fd_release
.done:
	pop	ds
	ret
