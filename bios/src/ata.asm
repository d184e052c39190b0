; ATA hard disks in PIO mode (ATA/ATAPI-6, T13 1410D: sections 7-9).
;
; POST probes the master and slave of the primary (1F0h/3F6h) and secondary
; (170h/376h) channels with IDENTIFY DEVICE and numbers the disks it finds
; from 80h. Each disk gets an entry in the EBDA table with its logical
; geometry for CHS calls: the IDENTIFY geometry when it has at most 1024
; cylinders, else the usual LBA-assisted translation (63 sectors, 16 to
; 255 heads). Transfers use 48-bit commands only when the LBA needs them.
; A position without a disk goes to atapi_probe (atapi.asm), which takes
; the first CD-ROM.

ata_channels:
	dw	0x1F0, 0x3F6
	dw	0x170, 0x376

; ata_wait: DX = alternate status port. Waits up to 5 seconds for BSY to
; clear -> AL = status, CF=1 on timeout. Needs interrupts on.
ata_wait:
	push	bx
	push	cx
	push	ds
	mov	bx, BDA_SEG
	mov	ds, bx
	mov	bx, [BDA_TICKS]
.loop:
	in	al, dx
	test	al, 0x80
	jz	.ok
	mov	cx, [BDA_TICKS]
	sub	cx, bx
	cmp	cx, 91
	jb	.loop
	stc
	jmp	.done
.ok:
	clc
.done:
	pop	ds
	pop	cx
	pop	bx
	ret

; ata_delay reads the alternate status four times (the 400 ns a device
; needs after a command or device selection). DX = alternate status port.
ata_delay:
	push	ax
	in	al, dx
	in	al, dx
	in	al, dx
	in	al, dx
	pop	ax
	ret

; ata_post fills the drive table and 40:75h, and the fixed disk parameter
; tables of the first two disks.
ata_post:
	push	ds
	push	es
	BDA_DS
	mov	es, [BDA_EBDA]
	mov	di, EBDA_ATA
	xor	bp, bp			; disks found
	mov	si, ata_channels
.channel:
	cmp	si, ata_channels + 8
	jae	.done
	mov	bx, [cs:si]		; command block
	mov	cx, [cs:si + 2]		; control block
	add	si, 4
	lea	dx, [bx + 7]
	in	al, dx
	cmp	al, 0xFF		; floating bus: no channel
	je	.channel
	mov	dx, cx
	xor	al, al			; nIEN = 0: interrupts on
	out	dx, al
	mov	ah, 0xA0
.device:
	call	ata_identify
	jnc	.disk
	call	atapi_probe		; no disk: perhaps a CD-ROM
	jmp	.next_device
.disk:
	inc	bp
	add	di, ATA_ENTRY
	cmp	bp, 4
	jae	.done
.next_device:
	cmp	ah, 0xB0
	je	.channel
	mov	ah, 0xB0
	jmp	.device
.done:
	mov	ax, bp
	mov	[BDA_HDCOUNT], al
	test	al, al
	jz	.out
	mov	si, EBDA_ATA
	mov	di, EBDA_FDPT0
	call	ata_fdpt
	cmp	byte [BDA_HDCOUNT], 2
	jb	.out
	mov	si, EBDA_ATA + ATA_ENTRY
	mov	di, EBDA_FDPT1
	call	ata_fdpt
.out:
	pop	es
	pop	ds
	ret

; ata_identify: BX = command block, CX = control block, AH = device (A0h
; or B0h), ES:DI = table entry. Sends IDENTIFY DEVICE and, when a disk
; answers, fills the entry. CF=1 when there is no ATA disk there.
; Preserves BX, CX, SI, DI, AH.
ata_identify:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	mov	[es:di + ATA_BASE], bx
	mov	[es:di + ATA_CTRL], cx
	mov	[es:di + ATA_DEV], ah
	lea	dx, [bx + 6]
	mov	al, ah
	out	dx, al			; select the device
	mov	dx, cx
	call	ata_delay
	in	al, dx
	test	al, al			; nothing there reads 0 (or FFh)
	jz	.absent
	cmp	al, 0xFF
	je	.absent
	call	ata_wait
	jc	.absent
	lea	dx, [bx + 7]
	mov	al, 0xEC		; IDENTIFY DEVICE
	out	dx, al
	mov	dx, cx
	call	ata_delay
	in	al, dx
	test	al, al
	jz	.absent
	call	ata_identify_data	; ERR here: a packet device (CD-ROM) or nothing
	jc	.absent
	call	ata_parse
	clc
	jmp	.ret
.absent:
	stc
.ret:
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

; ata_identify_data takes the 256-word data block of the IDENTIFY (or
; IDENTIFY PACKET) DEVICE command just issued: BX = command block base,
; DX = alternate status port. It waits for BSY to clear and, unless the
; status shows ERR or no DRQ (or the wait timed out: CF=1), reads the
; block into the EBDA buffer (ES = EBDA) and then the status, which
; clears the interrupt. CF=1 if nothing was read. Keeps CX and DI.
ata_identify_data:
	call	ata_wait
	jc	.ret
	test	al, 0x01		; ERR
	jnz	.none
	test	al, 0x08		; DRQ
	jz	.none
	push	cx
	push	di
	mov	di, EBDA_BUF
	mov	dx, bx
	mov	cx, 256
.word:
	in	ax, dx
	stosw
	loop	.word
	pop	di
	pop	cx
	lea	dx, [bx + 7]
	in	al, dx			; status: clears the interrupt
	clc
	ret
.none:
	stc
.ret:
	ret

; ata_parse fills the entry at ES:DI from the IDENTIFY data in the EBDA
; buffer (words 1, 3, 6: geometry; 27-46: model; 49 bit 9: LBA; 60-61:
; LBA sectors; 83 bit 10: 48-bit LBA; 100-103: 48-bit sectors).
ata_parse:
	mov	byte [es:di + ATA_FLAGS], 0
	mov	ax, [es:EBDA_BUF + 1 * 2]
	mov	[es:di + ATA_PCYLS], ax
	mov	al, [es:EBDA_BUF + 3 * 2]
	mov	[es:di + ATA_PHEADS], al
	mov	al, [es:EBDA_BUF + 6 * 2]
	mov	[es:di + ATA_PSPT], al
	; Model: the first 24 characters, bytes swapped in each word.
	mov	si, EBDA_BUF + 27 * 2
	mov	cx, 12
	xor	bx, bx
.model:
	mov	ax, [es:si + bx]
	xchg	al, ah
	mov	[es:di + ATA_MODEL + bx], ax
	add	bx, 2
	loop	.model
	; Capacity.
	mov	word [es:di + ATA_TOTAL + 4], 0
	test	byte [es:EBDA_BUF + 49 * 2 + 1], 0x02
	jz	.chs
	or	byte [es:di + ATA_FLAGS], ATAF_LBA
	mov	ax, [es:EBDA_BUF + 60 * 2]
	mov	[es:di + ATA_TOTAL], ax
	mov	ax, [es:EBDA_BUF + 61 * 2]
	mov	[es:di + ATA_TOTAL + 2], ax
	test	byte [es:EBDA_BUF + 83 * 2 + 1], 0x04
	jz	.geometry
	or	byte [es:di + ATA_FLAGS], ATAF_LBA48
	mov	ax, [es:EBDA_BUF + 100 * 2]
	mov	[es:di + ATA_TOTAL], ax
	mov	ax, [es:EBDA_BUF + 101 * 2]
	mov	[es:di + ATA_TOTAL + 2], ax
	mov	ax, [es:EBDA_BUF + 102 * 2]
	mov	[es:di + ATA_TOTAL + 4], ax
	jmp	.geometry
.chs:
	mov	al, [es:di + ATA_PHEADS]
	mul	byte [es:di + ATA_PSPT]
	mul	word [es:di + ATA_PCYLS]
	mov	[es:di + ATA_TOTAL], ax
	mov	[es:di + ATA_TOTAL + 2], dx
.geometry:
	; Logical geometry for CHS calls.
	mov	ax, [es:di + ATA_PCYLS]
	cmp	ax, 1024
	ja	.translate
	test	ax, ax
	jz	.translate
	cmp	byte [es:di + ATA_PHEADS], 16
	ja	.translate
	cmp	byte [es:di + ATA_PSPT], 0
	je	.translate
	mov	[es:di + ATA_LCYLS], ax
	mov	al, [es:di + ATA_PHEADS]
	mov	[es:di + ATA_LHEADS], al
	mov	al, [es:di + ATA_PSPT]
	mov	[es:di + ATA_LSPT], al
	ret
.translate:
	; LBA-assisted: 63 sectors, the fewest heads of 16, 32, 64, 128, 255
	; that keep the cylinders at 1024 or fewer.
	mov	byte [es:di + ATA_LSPT], 63
	mov	si, .heads
.try:
	mov	al, [cs:si]
	mov	[es:di + ATA_LHEADS], al
	mov	ah, 63
	mul	ah
	mov	cx, ax			; sectors per cylinder
	cmp	word [es:di + ATA_TOTAL + 4], 0
	jne	.too_big		; 2^32 sectors or more
	mov	dx, [es:di + ATA_TOTAL + 2]
	cmp	dx, cx
	jae	.too_big		; 65536 cylinders or more
	mov	ax, [es:di + ATA_TOTAL]
	div	cx
	cmp	ax, 1024
	jbe	.store
.too_big:
	cmp	byte [cs:si], 255
	je	.cap
	inc	si
	jmp	.try
.cap:
	mov	ax, 1024
.store:
	test	ax, ax
	jnz	.nonzero
	inc	ax
.nonzero:
	mov	[es:di + ATA_LCYLS], ax
	ret
.heads:	db	16, 32, 64, 128, 255

; ata_fdpt: ES:SI = drive entry, ES:DI = 16-byte fixed disk parameter
; table to fill (IBM AT: cylinders, heads, precompensation, control byte,
; landing zone, sectors per track).
ata_fdpt:
	mov	ax, [es:si + ATA_LCYLS]
	mov	[es:di + 0], ax
	mov	al, [es:si + ATA_LHEADS]
	mov	[es:di + 2], al
	mov	word [es:di + 5], 0xFFFF	; no write precompensation
	mov	byte [es:di + 8], 0
	cmp	al, 8
	jbe	.ctl
	mov	byte [es:di + 8], 0x08		; more than 8 heads
.ctl:
	mov	ax, [es:si + ATA_LCYLS]
	mov	[es:di + 12], ax
	mov	al, [es:si + ATA_LSPT]
	mov	[es:di + 14], al
	ret

; ata_print prints a line per disk: number, model start, size in MiB.
ata_print:
	push	es
	mov	es, [BDA_EBDA]
	xor	cx, cx
	mov	di, EBDA_ATA
.disk:
	cmp	cl, [BDA_HDCOUNT]
	jae	.done
	mov	si, str_disk
	call	print_str
	mov	al, cl
	add	al, 0x80
	call	print_hex8
	mov	si, str_disk2
	call	print_str
	mov	bx, 24			; the model without its trailing spaces
.trim:
	cmp	byte [es:di + ATA_MODEL + bx - 1], ' '
	ja	.trimmed
	dec	bx
	jnz	.trim
.trimmed:
	mov	dx, bx
	xor	bx, bx
.model:
	cmp	bx, dx
	jae	.model_done
	mov	al, [es:di + ATA_MODEL + bx]
	call	print_char
	inc	bx
	jmp	.model
.model_done:
	mov	al, ' '
	call	print_char
	call	ata_mib
	mov	si, str_mib
	call	print_str
	add	di, ATA_ENTRY
	inc	cx
	jmp	.disk
.done:
	pop	es
	ret

; ata_mib prints the size of the disk at ES:DI in MiB.
ata_mib:
	push	ax
	push	bx
	push	cx
	push	dx
	mov	ax, [es:di + ATA_TOTAL]
	mov	dx, [es:di + ATA_TOTAL + 2]
	mov	bx, [es:di + ATA_TOTAL + 4]
	mov	cx, 11			; sectors / 2048
.shift:
	shr	bx, 1
	rcr	dx, 1
	rcr	ax, 1
	loop	.shift
	call	print_dec32
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

str_disk:	db	"Disk ", 0
str_disk2:	db	"h: ", 0
str_mib:	db	" MiB", 13, 10, 0

; ata_rw performs the request in the EBDA request block on the disk whose
; entry is at DS:BX (DS = EBDA): up to 128 sectors per command, LBA28,
; LBA48 or CHS as the disk and the LBA need. Returns AH = INT 13h status;
; REQ_DONE counts the sectors moved. Interrupts must be on.
ata_rw:
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	push	es
	mov	word [REQ_DONE], 0
	; Normalise the buffer address so that 128 sectors never wrap.
	mov	ax, [REQ_OFF]
	mov	cl, 4
	shr	ax, cl
	add	[REQ_SEG], ax
	and	word [REQ_OFF], 0x000F
.chunk:
	mov	cx, [REQ_COUNT]
	test	cx, cx
	jz	.ok
	cmp	cx, 128
	jbe	.count_ok
	mov	cx, 128
.count_ok:
	mov	dx, [bx + ATA_CTRL]
	call	ata_wait
	jc	.timeout
	call	ata_command
	jc	.error_status
	; Data phase, a sector at a time.
	mov	si, cx			; sectors in this command
.sector:
	mov	dx, [bx + ATA_CTRL]
	call	ata_delay
	call	ata_wait
	jc	.timeout
	test	al, 0x21		; ERR or DF
	jnz	.error_status
	cmp	byte [REQ_OP], OP_VERIFY
	je	.verified
	test	al, 0x08		; DRQ
	jz	.error_status
	mov	dx, [bx + ATA_BASE]
	mov	es, [REQ_SEG]
	mov	di, [REQ_OFF]
	mov	cx, 256
	cmp	byte [REQ_OP], OP_WRITE
	je	.write
	cmp	byte [EBDA_CPU], 1
	jb	.read86
	cpu	186
	rep	insw
	cpu	8086
	jmp	.moved
.read86:
	in	ax, dx
	stosw
	loop	.read86
	jmp	.moved
.write:
	mov	ah, [EBDA_CPU]
	push	si
	push	ds
	mov	si, di
	push	es
	pop	ds
	cmp	ah, 1
	jb	.write86
	cpu	186
	rep	outsw
	cpu	8086
	jmp	.written
.write86:
	lodsw
	out	dx, ax
	loop	.write86
.written:
	pop	ds
	pop	si
.moved:
	add	word [REQ_SEG], 0x20
.verified:
	inc	word [REQ_DONE]
	dec	word [REQ_COUNT]
	add	word [REQ_LBA], 1
	adc	word [REQ_LBA + 2], 0
	adc	word [REQ_LBA + 4], 0
	dec	si
	jnz	.sector
	; After the last sector: a write is done when BSY clears.
	mov	dx, [bx + ATA_CTRL]
	call	ata_wait
	jc	.timeout
	test	al, 0x21
	jnz	.error_status
	mov	dx, [bx + ATA_BASE]
	add	dx, 7
	in	al, dx			; clear the interrupt
	jmp	.chunk
.ok:
	xor	ah, ah
	jmp	.done
.timeout:
	mov	ah, 0x80
	jmp	.done
.error_status:
	; Map the error register: IDNF or ABRT -> 04h, UNC -> 10h, DF -> CCh.
	mov	dx, [bx + ATA_BASE]
	add	dx, 7
	in	al, dx
	mov	ah, 0xCC
	test	al, 0x20
	jnz	.done
	sub	dx, 6
	in	al, dx
	mov	ah, 0x10
	test	al, 0x40
	jnz	.done
	mov	ah, 0x04
	test	al, 0x14
	jnz	.done
	mov	ah, 0x20
.done:
	pop	es
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	ret

; ata_command issues the read, write or verify command of the request for
; CX sectors at REQ_LBA on the disk at DS:BX. CF=1 if the LBA does not fit
; the disk's CHS addressing.
ata_command:
	push	ax
	push	bx
	push	cx
	push	dx
	push	si
	push	di
	mov	al, [REQ_OP]		; command index
	xor	ah, ah
	mov	si, ax
	mov	dx, [bx + ATA_BASE]
	test	byte [bx + ATA_FLAGS], ATAF_LBA
	jz	.chs
	test	byte [bx + ATA_FLAGS], ATAF_LBA48
	jz	.lba28
	cmp	word [REQ_LBA + 4], 0
	jne	.lba48
	cmp	word [REQ_LBA + 2], 0x0FF0
	jae	.lba48
.lba28:
	add	dx, 6
	mov	al, [REQ_LBA + 3]
	and	al, 0x0F
	or	al, [bx + ATA_DEV]
	or	al, 0x40		; LBA
	out	dx, al
	sub	dx, 4
	mov	al, cl
	out	dx, al			; count
	inc	dx
	mov	al, [REQ_LBA]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 1]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 2]
	out	dx, al
	inc	dx
	inc	dx
	mov	al, [cs:ata_cmds + si]
	out	dx, al
	jmp	.issued
.lba48:
	add	dx, 6
	mov	al, [bx + ATA_DEV]
	or	al, 0x40
	out	dx, al
	sub	dx, 4
	xor	al, al
	out	dx, al			; count bits 8-15
	inc	dx
	mov	al, [REQ_LBA + 3]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 4]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 5]
	out	dx, al
	sub	dx, 3
	mov	al, cl
	out	dx, al			; count bits 0-7
	inc	dx
	mov	al, [REQ_LBA]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 1]
	out	dx, al
	inc	dx
	mov	al, [REQ_LBA + 2]
	out	dx, al
	inc	dx
	inc	dx
	mov	al, [cs:ata_cmds48 + si]
	out	dx, al
	jmp	.issued
.chs:
	; LBA -> cylinder, head, sector with the IDENTIFY geometry.
	push	cx			; count
	mov	al, [bx + ATA_PHEADS]
	mul	byte [bx + ATA_PSPT]
	mov	cx, ax			; sectors per cylinder
	jcxz	.bad
	cmp	word [REQ_LBA + 4], 0
	jne	.bad
	mov	ax, [REQ_LBA + 2]
	xor	dx, dx
	div	cx
	test	ax, ax
	jnz	.bad			; cylinder over 65535
	mov	ax, [REQ_LBA]
	div	cx			; AX = cylinder, DX = sector in the cylinder
	mov	di, ax
	mov	ax, dx
	div	byte [bx + ATA_PSPT]	; AL = head, AH = sector - 1
	inc	ah
	mov	cx, ax			; CL = head, CH = sector
	mov	dx, [bx + ATA_BASE]
	add	dx, 6
	mov	al, cl
	or	al, [bx + ATA_DEV]
	out	dx, al			; device and head
	pop	ax			; count
	sub	dx, 4
	out	dx, al
	inc	dx
	mov	al, ch
	out	dx, al			; sector
	inc	dx
	mov	ax, di
	out	dx, al			; cylinder
	inc	dx
	mov	al, ah
	out	dx, al
	inc	dx
	inc	dx
	mov	al, [cs:ata_cmds + si]
	out	dx, al
	jmp	.issued
.bad:
	pop	cx
	stc
	jmp	.ret
.issued:
	clc
.ret:
	pop	di
	pop	si
	pop	dx
	pop	cx
	pop	bx
	pop	ax
	ret

ata_cmds:	db	0x20, 0x30, 0x40	; READ, WRITE, VERIFY SECTORS
ata_cmds48:	db	0x24, 0x34, 0x42	; the EXT forms
