; INT 13h for diskettes (DL = 0 or 1): the 82077AA controller at 3F0h in
; PC-AT mode with DMA channel 2, IRQ 6 (Intel 82077AA datasheet, section
; 5; IBM AT Technical Reference, diskette BIOS).
;
; Transfers go a sector at a time: each sector is one READ DATA or WRITE
; DATA command whose DMA count ends it with terminal count. A sector whose
; buffer crosses a 64 KiB DMA page goes through the bounce buffer in the
; EBDA, so callers never see error 09h. Verify reads into the bounce buffer
; and drops the data. The data rate is found by trying the rates the drive
; type allows, and kept in the media state byte (40:90h) until a reset or a
; disk change.

; Data rates and geometries each drive type can read: rate (CCR value in
; bits 7-6), sectors per track, cylinders; FFh ends a list.
fd_rates:
	dw	.t1, .t2, .t3, .t4, .t5
.t1:	db	0x80, 9, 40, 0x40, 9, 40, 0xFF		; 360K
.t2:	db	0x00, 15, 80, 0x40, 9, 40, 0xFF		; 1.2M
.t3:	db	0x80, 9, 80, 0xFF			; 720K
.t4:	db	0x00, 18, 80, 0x80, 9, 80, 0xFF		; 1.44M
.t5:	db	0xC0, 36, 80, 0x00, 18, 80, 0x80, 9, 80, 0xFF	; 2.88M

; Diskette parameter tables returned by AH=08h for each drive type.
fd_dpts:
	db	0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08	; 360K
	db	0xDF, 0x02, 0x25, 0x02, 15, 0x1B, 0xFF, 0x54, 0xF6, 0x0F, 0x08	; 1.2M
	db	0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08	; 720K
	db	0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08	; 1.44M
	db	0xAF, 0x02, 0x25, 0x02, 36, 0x1B, 0xFF, 0x50, 0xF6, 0x0F, 0x08	; 2.88M

; fd_type: DL = drive -> AL = CMOS drive type (0: no drive), ZF=1 if none.
fd_type:
	cmp	dl, 1
	ja	.none
	mov	al, CMOS_FLOPPY
	call	cmos_read
	test	dl, dl
	jnz	.b
	push	cx
	mov	cl, 4
	shr	al, cl
	pop	cx
.b:
	and	al, 0x0F
	cmp	al, 5
	ja	.none
	test	al, al
	ret
.none:
	xor	al, al
	ret

; fd_dpt: BX = index -> AL = byte of the table INT 1Eh points to.
fd_dpt:
	push	si
	push	ds
	xor	ax, ax
	mov	ds, ax
	lds	si, [0x1E * 4]
	mov	al, [si + bx]
	pop	ds
	pop	si
	ret

; fd_out: AL = byte for the FDC FIFO. CF=1 if the FDC never asked for it.
fd_out:
	push	cx
	push	dx
	push	ax
	mov	dx, FDC_MSR
	mov	cx, 0xFFFF
.wait:
	in	al, dx
	and	al, 0xC0
	cmp	al, 0x80
	je	.ready
	loop	.wait
	pop	ax
	pop	dx
	pop	cx
	stc
	ret
.ready:
	pop	ax
	mov	dx, FDC_FIFO
	out	dx, al
	pop	dx
	pop	cx
	clc
	ret

; fd_in: AL = next result byte. CF=1 on timeout.
fd_in:
	push	cx
	push	dx
	mov	dx, FDC_MSR
	mov	cx, 0xFFFF
.wait:
	in	al, dx
	and	al, 0xC0
	cmp	al, 0xC0
	je	.ready
	loop	.wait
	pop	dx
	pop	cx
	stc
	ret
.ready:
	mov	dx, FDC_FIFO
	in	al, dx
	pop	dx
	pop	cx
	clc
	ret

; fd_wait_irq waits up to 2 seconds for IRQ 6 (INT 0Eh sets bit 7 of
; 40:3Eh). CF=1 on timeout. DS = BDA.
fd_wait_irq:
	push	ax
	push	bx
	mov	bx, [BDA_TICKS]
.loop:
	cli
	test	byte [BDA_FDRECAL], 0x80
	jnz	.got
	sti
	mov	ax, [BDA_TICKS]
	sub	ax, bx
	cmp	ax, 37
	ja	.timeout
	sti
	hlt
	jmp	.loop
.got:
	and	byte [BDA_FDRECAL], 0x7F
	sti
	pop	bx
	pop	ax
	clc
	ret
.timeout:
	pop	bx
	pop	ax
	stc
	ret

; fd_sense: SENSE INTERRUPT STATUS -> AL = ST0, AH = present cylinder.
fd_sense:
	mov	al, 0x08
	call	fd_out
	jc	.ret
	call	fd_in
	jc	.ret
	mov	ah, al
	call	fd_in
	xchg	al, ah
.ret:
	ret

; fd_reset resets the controller, senses the four drives' interrupts,
; sends SPECIFY from the INT 1Eh table, and forgets the calibration.
; CF=1 on failure. DS = BDA.
fd_reset:
	push	ax
	push	bx
	push	cx
	push	dx
	cli
	and	byte [BDA_FDRECAL], 0x70
	mov	al, [BDA_FDMOTOR]
	mov	ah, al
	mov	cl, 4
	shl	al, cl			; motor bits 4-7
	shr	ah, cl
	and	ah, 0x03		; selected drive
	or	al, ah
	or	al, 0x08		; DMA and IRQ on
	mov	dx, FDC_DOR
	out	dx, al			; reset held (bit 2 clear)
	mov	cx, 16
.delay:
	in	al, POST_PORT
	loop	.delay
	mov	al, [BDA_FDMOTOR]
	mov	ah, al
	mov	cl, 4
	shl	al, cl
	shr	ah, cl
	and	ah, 0x03
	or	al, ah
	or	al, 0x0C
	out	dx, al			; reset released
	sti
	call	fd_wait_irq
	jc	.fail
	mov	cx, 4
.sense:
	call	fd_sense
	loop	.sense
	mov	al, 0x03		; SPECIFY
	call	fd_out
	mov	bx, 0
	call	fd_dpt			; step rate, head unload
	call	fd_out
	mov	bx, 1
	call	fd_dpt			; head load; ND = 0: DMA
	and	al, 0xFE
	call	fd_out
	jc	.fail
	mov	byte [BDA_FDRATE], 0xFF
	clc
.fail:
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; fd_select: DL = drive. Turns its motor on, selects it and holds the motor
; on until fd_release.
fd_select:
	push	ax
	push	cx
	push	dx
	mov	byte [BDA_FDMOTORCNT], 0xFF
	mov	cl, dl
	mov	al, 0x10
	shl	al, cl			; motor bit
	or	al, dl
	or	al, 0x0C
	mov	dx, FDC_DOR
	out	dx, al
	pop	dx
	push	dx
	mov	al, 1
	mov	cl, dl
	shl	al, cl			; motor status bit
	mov	ah, dl
	mov	cl, 4
	shl	ah, cl			; selected drive in bits 4-5
	or	al, ah
	mov	[BDA_FDMOTOR], al
	pop	dx
	pop	cx
	pop	ax
	ret

; fd_release starts the motor-off countdown (INT 1Eh byte 2, in ticks).
fd_release:
	push	ax
	push	bx
	mov	bx, 2
	call	fd_dpt
	mov	[BDA_FDMOTORCNT], al
	pop	bx
	pop	ax
	ret

; fd_set_rate: AL = media state (rate in bits 7-6) -> CCR.
fd_set_rate:
	push	ax
	push	cx
	push	dx
	and	al, 0xC0
	cmp	al, [BDA_FDRATE]
	je	.same
	mov	[BDA_FDRATE], al
	mov	cl, 6
	shr	al, cl
	mov	dx, FDC_CCR
	out	dx, al
.same:
	pop	dx
	pop	cx
	pop	ax
	ret

; fd_recal: DL = drive. RECALIBRATE (twice if needed: a drive may be more
; than 77 steps out). CF=1 on failure.
fd_recal:
	push	ax
	push	bx
	push	cx
	mov	cx, 2
.try:
	and	byte [BDA_FDRECAL], 0x7F
	mov	al, 0x07
	call	fd_out
	mov	al, dl
	call	fd_out
	call	fd_wait_irq
	jc	.next
	call	fd_sense
	jc	.next
	test	al, 0xC0
	jnz	.next
	mov	bl, dl
	xor	bh, bh
	mov	byte [BDA_FDCYL + bx], 0
	mov	al, 1
	push	cx
	mov	cl, dl
	shl	al, cl
	pop	cx
	or	[BDA_FDRECAL], al
	clc
	jmp	.done
.next:
	loop	.try
	stc
.done:
	pop	cx
	pop	bx
	pop	ax
	ret

; fd_seek: DL = drive, CH = cylinder, DH = head. Recalibrates first when
; needed. CF=1 on failure.
fd_seek:
	push	ax
	push	bx
	push	cx
	mov	al, 1
	mov	cl, dl
	shl	al, cl
	pop	cx
	push	cx
	test	[BDA_FDRECAL], al
	jnz	.calibrated
	call	fd_recal
	jc	.done
.calibrated:
	mov	bl, dl
	xor	bh, bh
	cmp	[BDA_FDCYL + bx], ch
	je	.ok
	and	byte [BDA_FDRECAL], 0x7F
	mov	al, 0x0F
	call	fd_out
	mov	al, dh
	and	al, 1
	shl	al, 1
	shl	al, 1
	or	al, dl
	call	fd_out
	mov	al, ch
	call	fd_out
	jc	.done
	call	fd_wait_irq
	jc	.done
	call	fd_sense
	jc	.done
	test	al, 0xC0
	jnz	.fail
	cmp	ah, ch
	jne	.fail
	mov	[BDA_FDCYL + bx], ch
.ok:
	clc
	jmp	.done
.fail:
	stc
.done:
	pop	cx
	pop	bx
	pop	ax
	ret

; fd_results reads the 7 result bytes of a read, write or format into
; 40:42h and maps them to an INT 13h status in AH.
fd_results:
	push	bx
	push	cx
	mov	bx, BDA_FDRESULT
	mov	cx, 7
.read:
	call	fd_in
	jc	.timeout
	mov	[bx], al
	inc	bx
	loop	.read
	mov	al, [BDA_FDRESULT]	; ST0
	mov	bl, [BDA_FDRESULT + 1]	; ST1
	mov	bh, [BDA_FDRESULT + 2]	; ST2
	xor	ah, ah
	test	al, 0xC0
	jz	.done
	mov	ah, 0x03		; write protected
	test	bl, 0x02
	jnz	.done
	mov	ah, 0x04		; sector not found
	test	bl, 0x84
	jnz	.done
	mov	ah, 0x10		; CRC error
	test	bl, 0x20
	jnz	.done
	test	bh, 0x20
	jnz	.done
	mov	ah, 0x08		; DMA overrun
	test	bl, 0x10
	jnz	.done
	mov	ah, 0x02		; address mark not found
	test	bl, 0x01
	jnz	.done
	mov	ah, 0x20		; controller failure
	jmp	.done
.timeout:
	mov	ah, 0x80
.done:
	pop	cx
	pop	bx
	ret

; fd_dma: AL = 8237 mode byte. Sets up channel 2 for CX+1 bytes at the
; linear address BL:DI (BL = bits 16-23). Clobbers AX.
fd_dma:
	cli
	push	ax
	mov	al, 0x06		; mask channel 2
	out	0x0A, al
	out	0x0C, al		; clear the byte pointer flip-flop
	pop	ax
	out	0x0B, al		; mode
	mov	ax, di
	out	0x04, al
	mov	al, ah
	out	0x04, al
	mov	al, bl
	out	0x81, al		; page
	mov	ax, cx
	out	0x05, al
	mov	al, ah
	out	0x05, al
	mov	al, 0x02		; unmask channel 2
	out	0x0A, al
	sti
	ret

; linear: AX = segment, DI = offset -> BL = bits 16-23, DI = bits 0-15.
linear:
	push	ax
	push	cx
	mov	bx, ax
	mov	cl, 4
	shl	ax, cl
	mov	cl, 12
	shr	bx, cl
	add	di, ax
	adc	bl, 0
	pop	cx
	pop	ax
	ret

; fd_copy_bounce copies 512 bytes between the caller's buffer and the
; bounce buffer: AL = 0 bounce to buffer (after a read), 1 buffer to bounce.
; ES = EBDA, DS = BDA.
fd_copy_bounce:
	push	cx
	push	si
	push	di
	push	ds
	push	es
	mov	si, EBDA_BUF
	mov	di, [es:REQ_OFF]
	mov	cx, [es:REQ_SEG]
	test	al, al
	jz	.to_buffer
	xchg	si, di
	push	es
	mov	ds, cx			; DS:SI = caller's buffer
	pop	es			; ES:DI = bounce buffer
	jmp	.copy
.to_buffer:
	push	es
	pop	ds			; DS:SI = bounce buffer
	mov	es, cx			; ES:DI = caller's buffer
.copy:
	mov	cx, 256
	rep	movsw
	pop	es
	pop	ds
	pop	di
	pop	si
	pop	cx
	ret

; fd_sector moves one sector as the EBDA operation state says, at the
; media state's data rate. AH = status. ES = EBDA, DS = BDA.
fd_sector:
	push	bx
	push	cx
	push	dx
	push	di
	push	bp
	mov	dl, [es:FD_DRIVE]
	mov	ch, [es:FD_CYL]
	mov	dh, [es:FD_HEAD]
	call	fd_seek
	jc	.seek_error
	; The DMA address: the caller's buffer, or the bounce buffer when the
	; sector would cross a 64 KiB page or the operation is a verify.
	xor	bp, bp			; BP = 1: bounce
	cmp	byte [es:FD_OP], OP_VERIFY
	je	.bounce
	mov	ax, [es:REQ_SEG]
	mov	di, [es:REQ_OFF]
	call	linear
	cmp	di, 0xFE00
	jbe	.addr_ok
.bounce:
	inc	bp
	mov	ax, es
	mov	di, EBDA_BUF
	call	linear
	cmp	byte [es:FD_OP], OP_WRITE
	jne	.addr_ok
	mov	al, 1
	call	fd_copy_bounce
.addr_ok:
	mov	al, 0x46		; single transfer, write to memory, channel 2
	mov	ah, 0x46		; FDC: READ DATA, MFM
	cmp	byte [es:FD_OP], OP_WRITE
	jne	.dma
	mov	al, 0x4A		; read from memory
	mov	ah, 0x45		; WRITE DATA, MFM
.dma:
	mov	cx, 511
	push	ax
	call	fd_dma
	pop	ax
	and	byte [BDA_FDRECAL], 0x7F
	mov	al, ah
	call	fd_out			; command
	mov	al, [es:FD_HEAD]
	and	al, 1
	shl	al, 1
	shl	al, 1
	or	al, [es:FD_DRIVE]
	call	fd_out			; head, drive
	mov	al, [es:FD_CYL]
	call	fd_out			; C
	mov	al, [es:FD_HEAD]
	call	fd_out			; H
	mov	al, [es:FD_SECT]
	call	fd_out			; R
	mov	al, 2
	call	fd_out			; N: 512 bytes
	mov	al, [es:FD_SECT]
	call	fd_out			; EOT: this sector
	mov	bx, 5
	call	fd_dpt
	call	fd_out			; gap length
	mov	bx, 6
	call	fd_dpt
	call	fd_out			; data length
	jc	.ctrl_error
	call	fd_wait_irq
	jc	.timeout
	call	fd_results
	test	ah, ah
	jnz	.done
	test	bp, bp
	jz	.done
	cmp	byte [es:FD_OP], OP_READ
	jne	.done
	xor	al, al
	call	fd_copy_bounce
	xor	ah, ah
	jmp	.done
.seek_error:
	mov	ah, 0x40
	jmp	.done
.ctrl_error:
	mov	ah, 0x20
	jmp	.done
.timeout:
	mov	ah, 0x80
.done:
	pop	bp
	pop	di
	pop	dx
	pop	cx
	pop	bx
	ret

; fd_rate_entry: ES = EBDA -> SI = the drive type's rate list entry at
; FD_RATEIDX; CF=1 past the end of the list.
fd_rate_entry:
	push	ax
	push	bx
	mov	bl, [es:FD_TYPE]
	dec	bl
	xor	bh, bh
	shl	bx, 1
	mov	si, [cs:fd_rates + bx]
	mov	al, [es:FD_RATEIDX]
	mov	ah, 3
	mul	ah
	add	si, ax
	cmp	byte [cs:si], 0xFF
	je	.end
	clc
	jmp	.ret
.end:
	stc
.ret:
	pop	bx
	pop	ax
	ret

; fd_media_spt: DL = drive, ES = EBDA -> FD_SPT from the media state: the
; rate list entry with the established data rate.
fd_media_spt:
	push	ax
	push	bx
	push	si
	mov	bl, dl
	xor	bh, bh
	mov	ah, [BDA_FDMEDIA + bx]
	and	ah, 0xC0
	mov	byte [es:FD_RATEIDX], 0
.find:
	call	fd_rate_entry
	jc	.default
	mov	al, [cs:si]
	cmp	al, ah
	je	.found
	inc	byte [es:FD_RATEIDX]
	jmp	.find
.default:
	mov	byte [es:FD_RATEIDX], 0
	call	fd_rate_entry
.found:
	mov	al, [cs:si + 1]
	mov	[es:FD_SPT], al
	pop	si
	pop	bx
	pop	ax
	ret

; fd_changed: DL = drive (selected, motor on). If the disk change line is
; active, forget the media, seek to clear the line, and return CF=1 with
; AH = 06h (changed) or 80h (still active: no disk).
fd_changed:
	mov	al, [es:FD_TYPE]
	cmp	al, 1			; 360K drives have no change line
	je	.no
	push	dx
	mov	dx, FDC_DIR
	in	al, dx
	pop	dx
	test	al, 0x80
	jz	.no
	push	bx
	mov	bl, dl
	xor	bh, bh
	mov	byte [BDA_FDMEDIA + bx], 0
	pop	bx
	call	fd_clear_change
	push	dx
	mov	dx, FDC_DIR
	in	al, dx
	pop	dx
	mov	ah, 0x06
	test	al, 0x80
	jz	.yes
	mov	ah, 0x80
.yes:
	stc
	ret
.no:
	clc
	ret

; fd_clear_change: DL = drive. Steps the head to cylinder 1 and back to 0:
; the change line clears on a step with a disk in the drive (QEMU clears
; it only when the head really moves).
fd_clear_change:
	push	cx
	push	dx
	mov	ch, 1
	xor	dh, dh
	call	fd_seek
	call	fd_recal
	pop	dx
	pop	cx
	ret

