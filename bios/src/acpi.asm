; ACPI: the board may map ACPI tables at E0000h (bios/acpi), with the RSDP
; at their start. Their FADT has no SMI_CMD, which tells the OS that the
; machine is in ACPI mode from power-on (ACPI specification, FADT field
; SMI_CMD: "zero if the system does not support System Management mode"),
; so no OS ever sets SCI_EN itself: the firmware does it here, or the
; power button's SCI would never reach the OS. The PM1a control block is
; read from the FADT, so nothing here knows the board's ports.

; acpi_post sets SCI_EN (bit 0 of PM1_CNT) when E000:0000 holds an RSDP
; with a valid checksum whose RSDT lists a FADT with SMI_CMD = 0 and a
; PM1a control block in I/O space. Tables above 1 MiB are not looked at.
; Preserves DS and ES.
acpi_post:
	push	ds
	push	es
	mov	ax, ACPI_SEG
	mov	ds, ax
	push	cs
	pop	es
	xor	si, si
	mov	di, acpi_rsdp_sig
	mov	cx, 8
	repe	cmpsb
	jne	.done
	xor	si, si			; ACPI 1.0 checksum: bytes 0-19
	mov	cx, 20
	xor	al, al
.sum:
	add	al, [si]
	inc	si
	loop	.sum
	test	al, al
	jnz	.done
	mov	ax, [16]		; RsdtAddress
	mov	dx, [18]
	call	acpi_map
	jc	.done
	cmp	word [si], 'RS'
	jne	.done
	cmp	word [si + 2], 'DT'
	jne	.done
	cmp	word [si + 6], 0	; Length below 64 KiB
	jne	.done
	mov	cx, [si + 4]
	sub	cx, 36
	jbe	.done
	shr	cx, 1
	shr	cx, 1			; CX = entries
	add	si, 36
.entry:
	push	ds
	push	si
	push	cx
	mov	ax, [si]
	mov	dx, [si + 2]
	call	acpi_map
	jc	.next
	cmp	word [si], 'FA'
	jne	.next
	cmp	word [si + 2], 'CP'
	jne	.next
	mov	ax, [si + 48]		; SMI_CMD
	or	ax, [si + 50]
	jnz	.next
	cmp	word [si + 66], 0	; PM1a_CNT_BLK: an I/O port
	jne	.next
	mov	dx, [si + 64]
	test	dx, dx
	jz	.next
	in	ax, dx
	or	al, 0x01		; SCI_EN
	out	dx, ax
	pop	cx
	pop	si
	pop	ds
	jmp	.done
.next:
	pop	cx
	pop	si
	pop	ds
	add	si, 4
	loop	.entry
.done:
	pop	es
	pop	ds
	ret

; acpi_map: DX:AX = physical address -> DS:SI pointing at it; CF=1 when
; it is not below 1 MiB. Clobbers AX, CX and DX.
acpi_map:
	cmp	dx, 0x000F
	ja	.far
	mov	si, ax
	and	si, 0x000F
	mov	cl, 4
	shr	ax, cl
	ror	dx, cl			; DX < 10h: bits 3-0 go to 15-12
	or	ax, dx
	mov	ds, ax
	clc
	ret
.far:
	stc
	ret

acpi_rsdp_sig:	db	"RSD PTR "
