; ATAPI CD-ROM drives and El Torito boot ("El Torito" Bootable CD-ROM
; Format Specification 1.0, Phoenix/IBM 1995).
;
; POST looks for a packet device on the positions where ata_post found no
; ATA disk: the packet signature (LBA mid 14h, high EBh), then IDENTIFY
; PACKET DEVICE word 0 saying ATAPI, device type 05h (CD-ROM). The first
; one becomes drive E0h. Its commands go through the PACKET protocol
; (ATA/ATAPI-6 section 9.10) in PIO, with a byte count limit of 2048 so
; that each DRQ block is at most a sector.
;
; INT 13h for E0h reads 2048-byte sectors (AH=42h) and answers 41h, 48h,
; 15h and the status and no-op functions; writes fail with 03h (write
; protected). After a boot in floppy (1.2M, 1.44M, 2.88M) or hard disk
; emulation, drive 00h or 80h is the disk image on the CD, read in 512-byte
; sectors from the image's start, and the real drives of that kind move up
; by one; AH=4Bh (any drive) reports the boot and ends the emulation.

; ---------------------------------------------------------------------------
; Packet commands.
; ---------------------------------------------------------------------------

; atapi_probe: BX = command block, CX = control block, AH = device (A0h or
; B0h), ES = EBDA. Records the device as drive E0h when it is the first
; CD-ROM. Preserves all registers.
atapi_probe:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	cmp	byte [es:CD_DRIVE], 0
	jne	.ret
	lea	dx, [bx + 6]
	mov	al, ah
	out	dx, al			; select the device
	mov	dx, cx
	call	ata_delay
	in	al, dx
	cmp	al, 0xFF
	je	.ret
	call	ata_wait
	jc	.ret
	lea	dx, [bx + 4]
	in	al, dx
	cmp	al, 0x14		; the packet signature
	jne	.ret
	inc	dx
	in	al, dx
	cmp	al, 0xEB
	jne	.ret
	add	dx, 2
	mov	al, 0xA1		; IDENTIFY PACKET DEVICE
	out	dx, al
	mov	dx, cx
	call	ata_delay
	call	ata_identify_data
	jc	.ret
	mov	al, [es:EBDA_BUF + 1]	; word 0 bits 15-14: 10b ATAPI
	and	al, 0xDF		; bits 12-8: 05h CD-ROM
	cmp	al, 0x85
	jne	.ret
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	mov	[es:CD_BASE], bx
	mov	[es:CD_CTRL], cx
	mov	[es:CD_DEV], ah
	mov	byte [es:CD_DRIVE], CD_DRIVE_NUMBER
	xor	al, al
	cmp	bx, 0x1F0
	je	.primary
	inc	al
.primary:
	mov	[es:CD_CTRLIDX], al
	; The model: the first 24 characters, bytes swapped in each word.
	xor	bx, bx
.model:
	mov	ax, [es:EBDA_BUF + 27 * 2 + bx]
	xchg	al, ah
	mov	[es:CD_MODEL + bx], ax
	add	bx, 2
	cmp	bx, 24
	jb	.model
.ret:
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; cd_print prints the CD-ROM line of the POST screen. DS = BDA.
cd_print:
	push	es
	mov	es, [BDA_EBDA]
	cmp	byte [es:CD_DRIVE], 0
	je	.ret
	mov	si, str_cdrom
	call	print_str
	mov	al, [es:CD_DRIVE]
	call	print_hex8
	mov	si, str_disk2
	call	print_str
	mov	bx, 24			; the model without its trailing spaces
.trim:
	cmp	byte [es:CD_MODEL + bx - 1], ' '
	ja	.trimmed
	dec	bx
	jnz	.trim
.trimmed:
	xor	si, si
.char:
	cmp	si, bx
	jae	.done
	mov	al, [es:CD_MODEL + si]
	call	print_char
	inc	si
	jmp	.char
.done:
	call	print_crlf
.ret:
	pop	es
	ret

; atapi_command sends the 12-byte packet at CD_PACKET to the CD-ROM and
; moves the data it returns: the first CD_SKIP words are dropped, the next
; CD_KEEP words (a dword) stored from CD_BUFSEG:CD_BUFOFF on, the rest
; dropped. DS = EBDA; interrupts on. -> CF=0 and AH=0, or CF=1 and AH = an
; INT 13h status, with the sense key in CD_SENSE. Preserves the request.
atapi_command:
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	es
	mov	byte [CD_SENSE], 0
	mov	ax, [CD_SKIP]
	mov	[CD_WSKIP], ax
	mov	ax, [CD_KEEP]
	mov	[CD_WKEEP], ax
	mov	ax, [CD_KEEP + 2]
	mov	[CD_WKEEP + 2], ax
	mov	bx, [CD_BASE]
	mov	dx, [CD_CTRL]
	call	ata_wait
	jc	.timeout
	lea	dx, [bx + 6]
	mov	al, [CD_DEV]
	out	dx, al
	mov	dx, [CD_CTRL]
	call	ata_delay
	call	ata_wait
	jc	.timeout
	lea	dx, [bx + 1]
	xor	al, al
	out	dx, al			; features: PIO
	add	dx, 3
	out	dx, al			; byte count limit 0800h
	inc	dx
	mov	al, 0x08
	out	dx, al
	add	dx, 2
	mov	al, 0xA0		; PACKET
	out	dx, al
	mov	dx, [CD_CTRL]
	call	ata_delay
	call	ata_wait
	jc	.timeout
	test	al, 0x01
	jnz	.error
	test	al, 0x08
	jz	.no_drq
	mov	si, CD_PACKET
	mov	dx, bx
	mov	cx, 6
.packet:
	lodsw
	out	dx, ax
	loop	.packet
	mov	es, [CD_BUFSEG]
	mov	di, [CD_BUFOFF]
	call	.normalise
.phase:
	mov	dx, [CD_CTRL]
	call	ata_delay
	call	ata_wait
	jc	.timeout
	test	al, 0x01
	jnz	.error
	test	al, 0x08
	jz	.complete
	lea	dx, [bx + 4]		; the block's byte count
	in	al, dx
	mov	cl, al
	inc	dx
	in	al, dx
	mov	ch, al
	inc	cx
	shr	cx, 1			; words
	jz	.no_drq
	mov	dx, bx
	; Words to drop first.
	mov	ax, [CD_WSKIP]
	cmp	ax, cx
	jbe	.skip_n
	mov	ax, cx
.skip_n:
	sub	[CD_WSKIP], ax
	sub	cx, ax
	call	.drop
	; Words to keep.
	mov	ax, cx
	cmp	word [CD_WKEEP + 2], 0
	jne	.keep_n
	cmp	ax, [CD_WKEEP]
	jbe	.keep_n
	mov	ax, [CD_WKEEP]
.keep_n:
	sub	[CD_WKEEP], ax
	sbb	word [CD_WKEEP + 2], 0
	sub	cx, ax
	push	cx
	mov	cx, ax
	jcxz	.kept
	cmp	byte [EBDA_CPU], 1
	jb	.keep86
	cpu	186
	rep	insw
	cpu	8086
	jmp	.kept
.keep86:
	in	ax, dx
	stosw
	loop	.keep86
.kept:
	pop	ax
	call	.drop			; and the rest
	call	.normalise
	jmp	.phase
.complete:
	lea	dx, [bx + 7]
	in	al, dx			; clear the interrupt
	xor	ah, ah
	jmp	.done
.no_drq:
	mov	ah, 0x20		; the drive broke the protocol
	jmp	.fail
.timeout:
	mov	ah, 0x80
	jmp	.fail
.error:
	lea	dx, [bx + 7]
	in	al, dx
	sub	dx, 6
	in	al, dx			; error register: sense key in bits 7-4
	mov	cl, 4
	shr	al, cl
	mov	[CD_SENSE], al
	mov	ah, 0xAA		; 2: not ready
	cmp	al, 2
	je	.fail
	mov	ah, 0x10		; 3: medium error
	cmp	al, 3
	je	.fail
	mov	ah, 0x04		; 5: illegal request (LBA out of range)
	cmp	al, 5
	je	.fail
	mov	ah, 0x06		; 6: unit attention (medium changed)
	cmp	al, 6
	je	.fail
	mov	ah, 0x20
.fail:
	stc
.done:
	pop	es
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	ret
; .drop reads and drops AX words from the data port DX.
.drop:
	test	ax, ax
	jz	.dropped
	push	ax
	push	cx
	mov	cx, ax
.drop1:
	in	ax, dx
	loop	.drop1
	pop	cx
	pop	ax
.dropped:
	ret
; .normalise makes DI below 16 by moving it into ES.
.normalise:
	push	ax
	push	cx
	mov	ax, di
	mov	cl, 4
	shr	ax, cl
	mov	cx, es
	add	cx, ax
	mov	es, cx
	and	di, 0x000F
	pop	cx
	pop	ax
	ret

; cd_packet_clear zeroes CD_PACKET and the transfer (no data kept).
; DS = EBDA.
cd_packet_clear:
	push	ax
	push	bx
	xor	ax, ax
	xor	bx, bx
.clear:
	mov	[CD_PACKET + bx], ax
	add	bx, 2
	cmp	bx, 12
	jb	.clear
	mov	[CD_SKIP], ax
	mov	[CD_KEEP], ax
	mov	[CD_KEEP + 2], ax
	pop	bx
	pop	ax
	ret

; cd_command runs the packet, again up to twice when the drive reports a
; unit attention or not ready (a medium just inserted or the first command
; after a reset). DS = EBDA. -> as atapi_command.
cd_command:
	push	cx
	mov	cx, 3
.try:
	call	atapi_command
	jnc	.ret
	cmp	byte [CD_SENSE], 6
	je	.again
	cmp	byte [CD_SENSE], 2
	jne	.failed
.again:
	loop	.try
.failed:
	stc
.ret:
	pop	cx
	ret

; cd_read reads CD_RCOUNT 2048-byte sectors from CD_RLBA (READ(10)), with
; CD_SKIP, CD_KEEP and the buffer already set. DS = EBDA. -> as
; atapi_command.
cd_read:
	push	ax
	mov	al, 0x28
	call	cd_packet_op
	mov	ax, [CD_RLBA + 2]
	xchg	al, ah
	mov	[CD_PACKET + 2], ax
	mov	ax, [CD_RLBA]
	xchg	al, ah
	mov	[CD_PACKET + 4], ax
	mov	ax, [CD_RCOUNT]
	mov	[CD_PACKET + 8], al
	mov	[CD_PACKET + 7], ah
	pop	ax
	jmp	cd_command

; cd_packet_op: AL = operation code. Zeroes the packet (keeping the
; transfer) and puts the code in it. DS = EBDA.
cd_packet_op:
	push	bx
	xor	bx, bx
.clear:
	mov	word [CD_PACKET + bx], 0
	add	bx, 2
	cmp	bx, 12
	jb	.clear
	mov	[CD_PACKET], al
	pop	bx
	ret

; cd_vread reads CD_RCOUNT 512-byte sectors of the emulated disk from its
; sector CD_VLBA (a dword) to CD_BUFSEG:CD_BUFOFF: the 2048-byte sectors
; that hold them, keeping only the wanted part. DS = EBDA. -> as
; atapi_command.
cd_vread:
	push	ax
	push	cx
	push	dx
	mov	ax, [CD_VLBA]
	and	ax, 3
	push	ax
	mov	cl, 8
	shl	ax, cl
	mov	[CD_SKIP], ax		; (sector mod 4) * 256 words
	mov	ax, [CD_RCOUNT]
	mov	dl, ah
	xor	dh, dh
	mov	ah, al
	xor	al, al
	mov	[CD_KEEP], ax		; count * 256 words
	mov	[CD_KEEP + 2], dx
	pop	ax
	add	ax, [CD_RCOUNT]
	add	ax, 3			; no carry: counts are below 8000h
	shr	ax, 1
	shr	ax, 1
	mov	cx, [CD_RCOUNT]
	mov	[CD_RCOUNT], ax		; 2048-byte sectors
	mov	ax, [CD_VLBA]
	mov	dx, [CD_VLBA + 2]
	shr	dx, 1
	rcr	ax, 1
	shr	dx, 1
	rcr	ax, 1
	add	ax, [CD_IMGLBA]
	adc	dx, [CD_IMGLBA + 2]
	mov	[CD_RLBA], ax
	mov	[CD_RLBA + 2], dx
	call	cd_read
	mov	[CD_RCOUNT], cx		; the count again, in 512-byte sectors
	pop	dx
	pop	cx
	pop	ax
	ret

; cd_ready waits for the drive: TEST UNIT READY, then READ CAPACITY into
; CD_CAP (sectors). DS = EBDA. -> as atapi_command.
cd_ready:
	push	cx
	mov	cx, 5
.tur:
	call	cd_packet_clear
	call	atapi_command
	jnc	.capacity
	loop	.tur
	stc
	jmp	.ret
.capacity:
	call	cd_packet_clear
	mov	byte [CD_PACKET], 0x25	; READ CAPACITY
	mov	[CD_BUFSEG], ds
	mov	word [CD_BUFOFF], EBDA_BUF
	mov	word [CD_KEEP], 4
	call	cd_command
	jc	.ret
	mov	ax, [EBDA_BUF + 2]	; last LBA, big-endian
	xchg	al, ah
	mov	cx, [EBDA_BUF]
	xchg	cl, ch
	add	ax, 1
	adc	cx, 0
	mov	[CD_CAP], ax
	mov	[CD_CAP + 2], cx
	clc
.ret:
	pop	cx
	ret

; ---------------------------------------------------------------------------
; El Torito boot.
; ---------------------------------------------------------------------------

; boot_cdrom: INT 19h's CD-ROM entry. DS = BDA. Returns, with a message,
; when the CD cannot boot.
boot_cdrom:
	mov	si, str_boot_cdrom
	call	print_str
	mov	ax, [BDA_MEMSIZE]
	push	ds
	mov	ds, [BDA_EBDA]
	call	cd_boot
	pop	ds
	call	print_str
	cmp	si, str_cd_read_error.end
	jne	.ret
	mov	al, [es:CD_SENSE]
	call	print_hex8
	call	print_crlf
.ret:
	ret

; cd_boot: AX = conventional memory in KiB, DS = EBDA. Loads and enters the
; boot image; returns SI = the message saying why it could not, and ES =
; EBDA.
cd_boot:
	push	ds
	pop	es
	mov	[CD_MEMTOP], ax
	call	cd_emu_stop
	mov	byte [CD_BOOTED], 0
	mov	si, str_no_drive
	cmp	byte [CD_DRIVE], 0
	jne	.drive
	ret
.drive:
	call	cd_ready
	jnc	.ready
	mov	si, str_cd_no_disc
	cmp	byte [CD_SENSE], 2
	je	.ret
	jmp	.read_error
.ready:
	; The Boot Record Volume Descriptor, sector 17, to 0000:7C00.
	mov	si, str_cd_no_eltorito
	cmp	word [CD_CAP + 2], 0
	jne	.big
	cmp	word [CD_CAP], 18
	jb	.ret
.big:
	mov	word [CD_RLBA], 17
	mov	word [CD_RLBA + 2], 0
	call	.read_scratch
	jc	.read_error
	xor	ax, ax
	mov	es, ax
	mov	si, str_cd_no_eltorito
	mov	di, 0x7C00
	cmp	byte [es:di], 0		; boot record
	jne	.ret
	cmp	byte [es:di + 6], 1	; version
	jne	.ret
	xor	bx, bx			; "CD001", 1, then the system identifier
.id:
	mov	al, [cs:eltorito_id + bx]
	cmp	al, [es:di + 1 + bx]
	jne	.ret
	inc	bx
	cmp	bx, eltorito_id.end - eltorito_id
	jb	.id
	; The boot catalog.
	mov	ax, [es:0x7C00 + 0x47]
	mov	dx, [es:0x7C00 + 0x49]
	mov	si, str_cd_bad_catalog
	cmp	dx, [CD_CAP + 2]
	jb	.catalog
	ja	.ret
	cmp	ax, [CD_CAP]
	jae	.ret
.catalog:
	mov	[CD_RLBA], ax
	mov	[CD_RLBA + 2], dx
	call	.read_scratch
	jc	.read_error
	; The validation entry: header 01h, key 55h AAh, words summing to 0.
	xor	ax, ax
	mov	es, ax
	mov	si, str_cd_bad_catalog
	cmp	byte [es:0x7C00], 1
	jne	.ret
	cmp	word [es:0x7C00 + 0x1E], 0xAA55
	jne	.ret
	xor	bx, bx
	xor	ax, ax
.sum:
	add	ax, [es:0x7C00 + bx]
	add	bx, 2
	cmp	bx, 32
	jb	.sum
	test	ax, ax
	jnz	.ret
	mov	si, str_cd_platform
	cmp	byte [es:0x7C00 + 1], 0	; 80x86
	jne	.ret
	; The initial/default entry.
	mov	si, str_cd_not_bootable
	cmp	byte [es:0x7C20], 0x88
	jne	.ret
	mov	al, [es:0x7C21]
	and	al, 0x0F
	mov	si, str_cd_media
	cmp	al, 4
	ja	.ret
	mov	[CD_MEDIA], al
	mov	ax, [es:0x7C22]
	test	ax, ax
	jnz	.segment
	mov	ax, 0x07C0
.segment:
	mov	[CD_LOADSEG], ax
	mov	ax, [es:0x7C26]
	mov	[CD_COUNT], ax
	mov	ax, [es:0x7C28]
	mov	[CD_IMGLBA], ax
	mov	ax, [es:0x7C2A]
	mov	[CD_IMGLBA + 2], ax
	push	ds
	pop	es
	mov	si, str_cd_beyond
	mov	ax, [CD_IMGLBA]
	mov	dx, [CD_IMGLBA + 2]
	call	.inside
	jc	.ret
	mov	al, [CD_MEDIA]
	test	al, al
	jnz	.emulation
	; No emulation: the drive itself, CD_COUNT 512-byte sectors.
	mov	al, [CD_DRIVE]
	mov	[CD_EMUDRV], al
	mov	si, str_cd_empty
	mov	ax, [CD_COUNT]
	test	ax, ax
	jz	.ret
	jmp	.load
.emulation:
	mov	byte [CD_EMUDRV], 0x00
	cmp	al, 4
	je	.hard_disk
	dec	al			; 0 1.2M, 1 1.44M, 2 2.88M
	mov	bl, al
	xor	bh, bh
	mov	al, [cs:cd_floppy_spt + bx]
	mov	[CD_SPT], al
	mov	word [CD_CYLS], 80
	mov	byte [CD_HEADS], 2
	jmp	.emu_count
.hard_disk:
	; The geometry from the image's partition table: the end of the
	; first partition gives the heads and sectors per track.
	mov	byte [CD_EMUDRV], 0x80
	mov	word [CD_VLBA], 0
	mov	word [CD_VLBA + 2], 0
	mov	word [CD_RCOUNT], 1
	mov	word [CD_BUFSEG], 0
	mov	word [CD_BUFOFF], 0x7C00
	call	cd_vread
	jc	.read_error
	xor	ax, ax
	mov	es, ax
	mov	si, str_cd_no_partition
	mov	al, [es:0x7C00 + 0x1BE + 6]	; end sector, cylinder bits 9-8
	mov	ah, al
	and	al, 0x3F
	jz	.ret_es
	mov	[CD_SPT], al
	mov	al, [es:0x7C00 + 0x1BE + 5]	; end head
	inc	al
	jz	.ret_es
	mov	[CD_HEADS], al
	mov	al, [es:0x7C00 + 0x1BE + 7]	; end cylinder bits 7-0
	mov	cl, 6
	shr	ah, cl
	inc	ax
	mov	[CD_CYLS], ax
	push	ds
	pop	es
.emu_count:
	; Emulated disks load the sector count given, at least the boot
	; sector.
	mov	ax, [CD_COUNT]
	test	ax, ax
	jnz	.emu_geometry
	inc	ax
	mov	[CD_COUNT], ax
.emu_geometry:
	; Sectors of the emulated disk: cylinders * heads * sectors.
	mov	al, [CD_HEADS]
	mul	byte [CD_SPT]
	mul	word [CD_CYLS]
	mov	[CD_EMUSECS], ax
	mov	[CD_EMUSECS + 2], dx
	mov	ax, [CD_COUNT]
	cmp	word [CD_EMUSECS + 2], 0
	jne	.load
	mov	si, str_cd_too_big
	cmp	ax, [CD_EMUSECS]
	ja	.ret
.load:
	; AX = 512-byte sectors to load at CD_LOADSEG:0000. They must lie
	; between 600h and the top of conventional memory, and on the CD.
	mov	[CD_RCOUNT], ax
	mov	si, str_cd_too_big
	cmp	word [CD_LOADSEG], 0x0060
	jb	.ret
	mov	cx, 512
	mul	cx			; DX:AX = bytes
	mov	bx, ax
	mov	cx, dx
	mov	ax, [CD_LOADSEG]
	xor	dx, dx
	call	.shl4
	add	ax, bx
	adc	dx, cx			; DX:AX = end of the image
	mov	bx, ax
	mov	cx, dx
	mov	ax, [CD_MEMTOP]
	xor	dx, dx
	call	.shl4			; KiB << 10: the top in bytes
	call	.shl4
	shl	ax, 1
	rcl	dx, 1
	shl	ax, 1
	rcl	dx, 1
	cmp	cx, dx
	ja	.ret
	jb	.fits
	cmp	bx, ax
	ja	.ret
.fits:
	; The image's last 2048-byte sector on the CD.
	mov	si, str_cd_beyond
	mov	ax, [CD_RCOUNT]
	dec	ax
	shr	ax, 1
	shr	ax, 1
	xor	dx, dx
	add	ax, [CD_IMGLBA]
	adc	dx, [CD_IMGLBA + 2]
	jc	.ret
	call	.inside
	jc	.ret
	mov	word [CD_VLBA], 0
	mov	word [CD_VLBA + 2], 0
	mov	ax, [CD_LOADSEG]
	mov	[CD_BUFSEG], ax
	mov	word [CD_BUFOFF], 0
	call	cd_vread
	jc	.read_error
	; Booted: record it, start the emulation, enter the image.
	mov	byte [CD_BOOTED], 1
	cmp	byte [CD_MEDIA], 0
	je	.enter
	call	cd_emu_start
.enter:
	mov	si, str_booting
	call	print_str
	; No emulation enters at segment:0000 (07C0:0000 by default), as
	; other BIOSes do; an emulated disk's boot sector at 0000:7C00.
	mov	dl, [CD_EMUDRV]
	mov	dh, [CD_MEDIA]
	mov	bx, [CD_LOADSEG]
	cli
	; Stack: 0000:7C00, or right below the image when that is lower.
	xor	ax, ax
	mov	ss, ax
	mov	sp, 0x7C00
	cmp	bx, 0x07C0
	jae	.stack_ok
	mov	sp, bx
	mov	cl, 4
	shl	sp, cl
.stack_ok:
	mov	ds, ax
	mov	es, ax
	xor	cx, cx
	test	dh, dh
	jz	.far
	cmp	bx, 0x07C0
	jne	.far
	xor	bx, bx
	mov	cx, 0x7C00
.far:
	push	bx
	push	cx
	xor	ax, ax
	xor	bx, bx
	xor	cx, cx
	xor	si, si
	xor	di, di
	xor	bp, bp
	xor	dh, dh
	sti
	retf
.read_error:
	push	ds
	pop	es
	mov	si, str_cd_read_error
	ret
.ret_es:
	push	ds
	pop	es
.ret:
	ret
; .read_scratch reads the 2048-byte sector CD_RLBA to 0000:7C00.
.read_scratch:
	mov	word [CD_RCOUNT], 1
	mov	word [CD_SKIP], 0
	mov	word [CD_KEEP], 1024
	mov	word [CD_KEEP + 2], 0
	mov	word [CD_BUFSEG], 0
	mov	word [CD_BUFOFF], 0x7C00
	jmp	cd_read
; .inside: CF=1 when sector DX:AX is past the end of the CD.
.inside:
	cmp	dx, [CD_CAP + 2]
	jb	.in
	ja	.out
	cmp	ax, [CD_CAP]
	jb	.in
.out:
	stc
	ret
.in:
	clc
	ret
; .shl4 shifts DX:AX left by 4.
.shl4:
	push	cx
	mov	cx, 4
.shl1:
	shl	ax, 1
	rcl	dx, 1
	loop	.shl1
	pop	cx
	ret

eltorito_id:
	db	"CD001", 1, "EL TORITO SPECIFICATION", 0
.end:

; Sectors per track of the emulated diskettes: 1.2M, 1.44M, 2.88M.
cd_floppy_spt:	db	15, 18, 36
; Their CMOS drive types, for AH=08h.
cd_floppy_type:	db	2, 4, 5

; cd_emu_start maps the emulated drive in: drive 80h adds a hard disk,
; drive 00h a diskette drive to the equipment word. DS = EBDA.
cd_emu_start:
	push	ax
	push	es
	mov	ax, BDA_SEG
	mov	es, ax
	mov	al, [es:BDA_HDCOUNT]
	mov	[CD_SAVEHD], al
	mov	ax, [es:BDA_EQUIP]
	mov	[CD_SAVEEQ], ax
	cmp	byte [CD_EMUDRV], 0x80
	jne	.floppy
	inc	byte [es:BDA_HDCOUNT]
	jmp	.on
.floppy:
	test	al, 0x01
	jnz	.second
	or	al, 0x01		; one drive
	and	al, 0x3F
	jmp	.equip
.second:
	or	al, 0x40		; two drives
.equip:
	mov	[es:BDA_EQUIP], ax
.on:
	mov	byte [CD_ACTIVE], 1
	pop	es
	pop	ax
	ret

; cd_emu_stop ends the emulation, if any: the drive counts come back.
; DS = EBDA.
cd_emu_stop:
	cmp	byte [CD_ACTIVE], 0
	je	.ret
	push	ax
	push	es
	mov	ax, BDA_SEG
	mov	es, ax
	mov	al, [CD_SAVEHD]
	mov	[es:BDA_HDCOUNT], al
	mov	ax, [CD_SAVEEQ]
	mov	[es:BDA_EQUIP], ax
	mov	byte [CD_ACTIVE], 0
	pop	es
	pop	ax
.ret:
	ret

; ---------------------------------------------------------------------------
; INT 13h.
; ---------------------------------------------------------------------------

; int13_route: the frame is set up, DS = BDA, AX and DL as the caller had
; them. AH=4Bh goes to cd_fn_status; drive E0h to the CD functions, the
; emulated drive to the emulation; the real drives of its kind move up by
; one. Everything else goes on to the diskette or hard disk functions.
int13_route:
	mov	es, [BDA_EBDA]
	cmp	ah, 0x4B
	je	cd_fn_status
	cmp	byte [es:CD_DRIVE], 0
	je	.plain
	cmp	dl, [es:CD_DRIVE]
	je	cd_dispatch
	cmp	byte [es:CD_ACTIVE], 0
	je	.plain
	mov	al, [es:CD_EMUDRV]
	cmp	dl, al
	je	emu_dispatch
	xor	al, dl
	test	al, 0x80
	jnz	.plain			; the other kind of drive
	cmp	dl, [es:CD_EMUDRV]
	jb	.plain
	dec	dl			; a real drive, numbered one up
	test	dl, 0x80
	jz	.plain
	mov	al, dl
	sub	al, 0x80
	cmp	al, [es:CD_SAVEHD]
	jb	.plain
	mov	dl, 0xDF		; no such disk
.plain:
	mov	ax, [bp + F_AX]
	test	dl, 0x80
	jnz	hd_dispatch
	jmp	fd_dispatch

; The functions of drive E0h. ES = EBDA.
cd_dispatch:
	mov	ax, [bp + F_AX]
	mov	si, cd_functions
.find:
	mov	al, [cs:si]
	cmp	al, 0xFF
	je	.invalid
	cmp	al, ah
	je	.found
	add	si, 3
	jmp	.find
.found:
	mov	ax, [bp + F_AX]
	jmp	[cs:si + 1]
.invalid:
	mov	ah, 0x01
	jmp	hd_return

cd_functions:
	db	0x00
	dw	cd_fn_ok
	db	0x01
	dw	cd_fn_last
	db	0x03
	dw	cd_fn_protected
	db	0x05
	dw	cd_fn_protected
	db	0x09
	dw	cd_fn_ok
	db	0x0C
	dw	cd_fn_ok
	db	0x0D
	dw	cd_fn_ok
	db	0x10
	dw	cd_fn_ok
	db	0x11
	dw	cd_fn_ok
	db	0x14
	dw	cd_fn_ok
	db	0x15
	dw	cd_fn_type
	db	0x16
	dw	cd_fn_ok
	db	0x41
	dw	hd_fn_check_ext		; the same answer: EDD 1.1
	db	0x42
	dw	cd_fn_ext_read
	db	0x43
	dw	cd_fn_protected
	db	0x44
	dw	cd_fn_ok
	db	0x45
	dw	cd_fn_lock
	db	0x47
	dw	cd_fn_ok
	db	0x48
	dw	cd_fn_ext_params
	db	0x4E
	dw	cd_fn_ok
	db	0xFF

cd_fn_ok:
	xor	ah, ah
	jmp	hd_return
cd_fn_last:
	mov	ah, [BDA_HDSTATUS]
	jmp	disk_return
cd_fn_protected:
	mov	ah, 0x03
	jmp	hd_return

; AH=15h: removable, with change line.
cd_fn_type:
	mov	byte [BDA_HDSTATUS], 0
	mov	ah, 0x02
	jmp	disk_return_ah

; AH=45h: lock (AL=0), unlock (1), status (2) -> AL = 1 locked. The drive
; is never locked from here: the status says unlocked.
cd_fn_lock:
	cmp	al, 2
	ja	.bad
	jb	.ok
	mov	byte [bp + F_AL], 0
.ok:
	xor	ah, ah
	jmp	hd_return
.bad:
	mov	ah, 0x01
	jmp	hd_return

; ext_dap reads the disk address packet at the caller's DS:SI into the
; request: count (up to 127) in CD_RCOUNT, the buffer, the LBA (below
; 2^32) in CD_VLBA and CD_RLBA. ES = EBDA. -> CF=1, AH = 01h when it is
; not valid; CX = 0 when the count is 0.
ext_dap:
	push	ds
	mov	ds, [bp + F_DS]
	mov	si, [bp + F_SI]
	mov	ah, 0x01
	cmp	byte [si], 0x10
	jb	.bad
	mov	cx, [si + 2]
	cmp	cx, 127
	ja	.bad
	mov	[es:CD_RCOUNT], cx
	mov	ax, [si + 4]
	mov	[es:CD_BUFOFF], ax
	mov	ax, [si + 6]
	mov	[es:CD_BUFSEG], ax
	and	ax, [si + 4]
	cmp	ax, 0xFFFF		; a 64-bit flat address: not here
	mov	ah, 0x01
	je	.bad
	mov	ah, 0x04
	cmp	word [si + 12], 0
	jne	.bad
	cmp	word [si + 14], 0
	jne	.bad
	mov	ax, [si + 8]
	mov	[es:CD_VLBA], ax
	mov	[es:CD_RLBA], ax
	mov	ax, [si + 10]
	mov	[es:CD_VLBA + 2], ax
	mov	[es:CD_RLBA + 2], ax
	pop	ds
	clc
	ret
.bad:
	pop	ds
	stc
	ret

; ext_done: AH = status of an extended read, CX = 2048- or 512-byte
; sectors it moved. Writes the count back to the packet and returns.
ext_done:
	push	ds
	mov	ds, [bp + F_DS]
	mov	si, [bp + F_SI]
	mov	[si + 2], cx
	pop	ds
	jmp	hd_return

; AH=42h on E0h: DS:SI = disk address packet; 2048-byte sectors.
cd_fn_ext_read:
	call	ext_dap
	jc	.bad
	jcxz	.none
	mov	word [es:CD_SKIP], 0
	mov	ax, cx
	mov	cl, 10
	mov	dx, ax
	shl	ax, cl
	mov	cl, 6
	shr	dx, cl
	mov	[es:CD_KEEP], ax	; count * 1024 words
	mov	[es:CD_KEEP + 2], dx
	push	ds
	push	es
	pop	ds
	call	cd_read
	pop	ds
	mov	cx, 0
	jc	ext_done
	mov	cx, [es:CD_RCOUNT]
.none:
	jmp	ext_done
.bad:
	xor	cx, cx
	jmp	ext_done

; AH=48h on E0h: removable, 2048-byte sectors, CHS not valid; the size
; of the disc in the drive now (0 when there is none).
cd_fn_ext_params:
	push	ds
	push	es
	pop	ds
	call	cd_ready
	jnc	.known
	mov	word [CD_CAP], 0
	mov	word [CD_CAP + 2], 0
.known:
	pop	ds
	mov	ax, 2048
	mov	dx, 0x0074		; DMA boundary errors handled, removable,
	mov	si, CD_CAP		; change line, lockable
	jmp	ext_params

; ext_params: AX = bytes per sector, DX = flags, ES:SI = the total sectors
; (dword); CD_CYLS/HEADS/SPT the geometry when flag bit 1 is set. Fills
; the caller's result buffer (DS:SI) and returns.
ext_params:
	push	ds
	mov	ds, [bp + F_DS]
	mov	di, [bp + F_SI]
	mov	cx, [di]
	cmp	cx, 0x1A
	jb	.short
	mov	word [di], 0x1A
	mov	[di + 2], dx
	mov	[di + 24], ax
	mov	ax, [es:si]
	mov	[di + 16], ax
	mov	ax, [es:si + 2]
	mov	[di + 18], ax
	xor	ax, ax
	mov	[di + 20], ax
	mov	[di + 22], ax
	mov	[di + 4], ax
	mov	[di + 6], ax
	mov	[di + 8], ax
	mov	[di + 10], ax
	mov	[di + 12], ax
	mov	[di + 14], ax
	test	dl, 0x02
	jz	.dpte
	mov	ax, [es:CD_CYLS]
	mov	[di + 4], ax
	mov	al, [es:CD_HEADS]
	xor	ah, ah
	mov	[di + 8], ax
	mov	al, [es:CD_SPT]
	mov	[di + 12], ax
.dpte:
	cmp	cx, 0x1E
	jb	.ok
	mov	word [di], 0x1E
	mov	word [di + 26], 0xFFFF	; no device parameter table extension
	mov	word [di + 28], 0xFFFF
.ok:
	xor	ah, ah
	pop	ds
	jmp	hd_return
.short:
	mov	ah, 0x01
	pop	ds
	jmp	hd_return

; AH=4Bh, any drive: AL=00h terminate the emulation and return its
; status, 01h return it only, to the 13h-byte packet at DS:SI. Fails with
; 01h when the BIOS did not boot from the CD.
cd_fn_status:
	cmp	al, 1
	ja	.bad
	cmp	byte [es:CD_BOOTED], 0
	je	.bad
	push	ds
	mov	ds, [bp + F_DS]
	mov	di, [bp + F_SI]
	mov	byte [di], 0x13
	mov	al, [es:CD_MEDIA]
	mov	[di + 1], al
	mov	al, [es:CD_EMUDRV]
	mov	[di + 2], al
	mov	al, [es:CD_CTRLIDX]
	mov	[di + 3], al
	mov	ax, [es:CD_IMGLBA]
	mov	[di + 4], ax
	mov	ax, [es:CD_IMGLBA + 2]
	mov	[di + 6], ax
	xor	ax, ax
	cmp	byte [es:CD_DEV], 0xB0
	jne	.master
	inc	ax
.master:
	mov	[di + 8], ax		; device: bit 0 slave
	mov	word [di + 10], 0	; no user buffer
	mov	ax, [es:CD_LOADSEG]
	mov	[di + 12], ax
	mov	ax, [es:CD_COUNT]
	mov	[di + 14], ax
	xor	ax, ax
	mov	[di + 16], ax
	mov	[di + 18], al
	cmp	byte [es:CD_MEDIA], 0
	je	.geometry_done
	call	emu_chs_max		; CH, CL, DH as AH=08h gives them
	mov	[di + 16], ch
	mov	[di + 17], cl
	mov	[di + 18], dh
.geometry_done:
	pop	ds
	cmp	byte [bp + F_AL], 0
	jne	.ok
	push	ds
	push	es
	pop	ds
	call	cd_emu_stop
	pop	ds
.ok:
	xor	ah, ah
	jmp	hd_return
.bad:
	mov	ah, 0x01
	jmp	hd_return

; emu_chs_max: ES = EBDA -> CH, CL, DH: the last cylinder, sector and
; head of the emulated disk, as AH=08h returns them.
emu_chs_max:
	push	ax
	mov	ax, [es:CD_CYLS]
	dec	ax
	cmp	ax, 1023
	jbe	.cyl
	mov	ax, 1023
.cyl:
	mov	ch, al
	mov	cl, ah
	ror	cl, 1
	ror	cl, 1
	and	cl, 0xC0
	or	cl, [es:CD_SPT]
	mov	dh, [es:CD_HEADS]
	dec	dh
	pop	ax
	ret

; The emulated drive (00h or 80h). ES = EBDA; AX, CX, DX the caller's.
emu_dispatch:
	mov	ax, [bp + F_AX]
	cmp	ah, 0x02
	je	emu_fn_rw
	cmp	ah, 0x04
	je	emu_fn_rw
	cmp	ah, 0x03
	je	.protected
	cmp	ah, 0x05
	je	.protected
	cmp	ah, 0x43
	je	.protected
	cmp	ah, 0x01
	je	.status
	cmp	ah, 0x08
	je	emu_fn_params
	cmp	ah, 0x15
	je	emu_fn_type
	cmp	byte [es:CD_EMUDRV], 0
	je	.floppy
	cmp	ah, 0x41
	je	hd_fn_check_ext
	cmp	ah, 0x42
	je	emu_fn_ext_rw
	cmp	ah, 0x44
	je	emu_fn_ext_rw
	cmp	ah, 0x48
	je	emu_fn_ext_params
	mov	si, hd_nop_fns
	jmp	.nop
.floppy:
	mov	si, emu_fd_nop_fns
.nop:
	cmp	byte [cs:si], 0xFF
	je	.invalid
	cmp	ah, [cs:si]
	je	.ok
	inc	si
	jmp	.nop
.ok:
	xor	ah, ah
	jmp	emu_return
.invalid:
	mov	ah, 0x01
	jmp	emu_return
.protected:
	mov	ah, 0x03
	jmp	emu_return
.status:
	mov	ah, [BDA_HDSTATUS]
	cmp	byte [es:CD_EMUDRV], 0
	jne	.last
	mov	ah, [BDA_FDSTATUS]
.last:
	jmp	disk_return

emu_fd_nop_fns:
	db	0x00, 0x16, 0x17, 0x18, 0xFF

; emu_return: AH = status, kept as the diskette or hard disk status.
emu_return:
	cmp	byte [es:CD_EMUDRV], 0
	jne	hd_return
	jmp	fd_return

; AH=02h read, 04h verify: AL sectors at CH, CL, DH to ES:BX.
emu_fn_rw:
	mov	byte [bp + F_AL], 0
	test	al, al
	jz	.invalid
	xor	ah, ah
	mov	[es:CD_RCOUNT], ax
	mov	al, cl
	and	al, 0x3F
	jz	.invalid
	cmp	al, [es:CD_SPT]
	ja	.invalid
	mov	di, ax			; DI = sector (AH = 0)
	mov	al, cl
	shl	ax, 1
	shl	ax, 1
	mov	al, ch			; AX = cylinder
	cmp	ax, [es:CD_CYLS]
	jae	.invalid
	cmp	dh, [es:CD_HEADS]
	jae	.invalid
	; LBA = (cylinder * heads + head) * sectors + sector - 1
	mov	cl, [es:CD_HEADS]
	xor	ch, ch
	mul	cx
	mov	cl, [bp + F_DH]
	add	ax, cx
	adc	dx, 0
	mov	cl, [es:CD_SPT]
	push	ax
	mov	ax, dx
	mul	cx
	mov	si, ax			; high word * sectors
	pop	ax
	mul	cx
	add	dx, si
	dec	di
	add	ax, di
	adc	dx, 0
	mov	[es:CD_VLBA], ax
	mov	[es:CD_VLBA + 2], dx
	call	emu_check_range
	jc	.invalid
	cmp	byte [bp + F_AH], 0x04
	je	.verified
	mov	ax, [bp + F_ES]
	mov	[es:CD_BUFSEG], ax
	mov	ax, [bp + F_BX]
	mov	[es:CD_BUFOFF], ax
	push	ds
	push	es
	pop	ds
	call	cd_vread
	pop	ds
	jc	emu_return
.verified:
	mov	al, [es:CD_RCOUNT]
	mov	[bp + F_AL], al
	xor	ah, ah
	jmp	emu_return
.invalid:
	mov	ah, 0x01
	cmp	byte [es:CD_EMUDRV], 0
	jne	emu_return
	mov	ah, 0x04		; sector not found, as a diskette says it
	jmp	emu_return

; emu_check_range: CF=1 when sectors CD_VLBA .. + CD_RCOUNT - 1 are not
; all on the emulated disk. ES = EBDA.
emu_check_range:
	push	ax
	push	dx
	mov	ax, [es:CD_VLBA]
	mov	dx, [es:CD_VLBA + 2]
	add	ax, [es:CD_RCOUNT]
	adc	dx, 0
	cmp	dx, [es:CD_EMUSECS + 2]
	jb	.ok
	ja	.bad
	cmp	ax, [es:CD_EMUSECS]
	jbe	.ok
.bad:
	stc
	jmp	.ret
.ok:
	clc
.ret:
	pop	dx
	pop	ax
	ret

; AH=08h: the emulated geometry; a diskette also its type and table.
emu_fn_params:
	call	emu_chs_max
	mov	[bp + F_CH], ch
	mov	[bp + F_CL], cl
	mov	[bp + F_DH], dh
	mov	byte [bp + F_AL], 0
	cmp	byte [es:CD_EMUDRV], 0
	jne	.disk
	mov	al, [BDA_EQUIP]		; diskette drives
	rol	al, 1
	rol	al, 1
	and	al, 0x03
	inc	al
	mov	[bp + F_DL], al
	mov	bl, [es:CD_MEDIA]
	dec	bl
	xor	bh, bh
	mov	al, [cs:cd_floppy_type + bx]
	mov	[bp + F_BL], al
	mov	byte [bp + F_BH], 0
	dec	al
	mov	bl, 11
	mul	bl
	add	ax, fd_dpts
	mov	[bp + F_DI], ax
	mov	[bp + F_ES], cs
	xor	ah, ah
	jmp	emu_return
.disk:
	mov	al, [BDA_HDCOUNT]
	mov	[bp + F_DL], al
	xor	ah, ah
	jmp	emu_return

; AH=15h: a diskette without change line, or a fixed disk and its size.
emu_fn_type:
	cmp	byte [es:CD_EMUDRV], 0
	jne	.disk
	mov	byte [BDA_FDSTATUS], 0
	mov	ah, 0x01
	jmp	disk_return_ah
.disk:
	mov	ax, [es:CD_EMUSECS + 2]
	mov	[bp + F_CX], ax
	mov	ax, [es:CD_EMUSECS]
	mov	[bp + F_DX], ax
	mov	byte [BDA_HDSTATUS], 0
	mov	ah, 0x03
	jmp	disk_return_ah

; AH=42h read, 44h verify on the emulated hard disk: 512-byte sectors.
emu_fn_ext_rw:
	call	ext_dap
	jc	.bad
	jcxz	.none
	call	emu_check_range
	mov	ah, 0x04
	jc	.bad
	cmp	byte [bp + F_AH], 0x44
	je	.none
	push	ds
	push	es
	pop	ds
	call	cd_vread
	pop	ds
	mov	cx, 0
	jc	ext_done
	mov	cx, [es:CD_RCOUNT]
.none:
	xor	ah, ah
	jmp	ext_done
.bad:
	xor	cx, cx
	jmp	ext_done

; AH=48h on the emulated hard disk.
emu_fn_ext_params:
	mov	ax, 512
	mov	dx, 0x0002		; CHS valid
	mov	si, CD_EMUSECS
	jmp	ext_params

str_cdrom:		db	"CD-ROM ", 0
str_boot_cdrom:		db	"Booting from CD-ROM...", 13, 10, 0
str_cd_no_disc:		db	"  no disc in the drive", 13, 10, 0
str_cd_no_eltorito:	db	"  not a bootable CD (no El Torito boot record)", 13, 10, 0
str_cd_bad_catalog:	db	"  invalid El Torito boot catalog", 13, 10, 0
str_cd_platform:	db	"  the boot catalog is not for x86 PCs", 13, 10, 0
str_cd_not_bootable:	db	"  the boot catalog has no bootable entry", 13, 10, 0
str_cd_media:		db	"  unknown El Torito boot media type", 13, 10, 0
str_cd_empty:		db	"  the boot image has no sectors", 13, 10, 0
str_cd_too_big:		db	"  the boot image does not fit in memory", 13, 10, 0
str_cd_beyond:		db	"  the boot image lies past the end of the CD", 13, 10, 0
str_cd_no_partition:	db	"  the hard disk image has no partition table", 13, 10, 0
str_cd_read_error:	db	"  CD read error, sense key ", 0
.end:
