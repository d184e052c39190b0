; Interrupt handlers of the timer, the RTC, the diskette and ATA
; controllers, the handlers of unexpected IRQs, and INT 1Ah.

; INT 08h: IRQ 0, 18.2 times a second. Counts the ticks since midnight,
; turns the diskette motors off when their countdown ends, calls INT 1Ch.
int08_handler:
	push	ax
	push	dx
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	add	word [BDA_TICKS], 1
	adc	word [BDA_TICKS + 2], 0
	cmp	word [BDA_TICKS + 2], 0x18	; 1800B0h ticks make a day
	jne	.motor
	cmp	word [BDA_TICKS], 0xB0
	jne	.motor
	mov	word [BDA_TICKS], 0
	mov	word [BDA_TICKS + 2], 0
	mov	byte [BDA_MIDNIGHT], 1
.motor:
	cmp	byte [BDA_FDMOTORCNT], 0
	je	.user
	dec	byte [BDA_FDMOTORCNT]
	jnz	.user
	and	byte [BDA_FDMOTOR], 0xF0
	mov	dx, FDC_DOR
	mov	al, 0x0C		; motors off, controller running
	out	dx, al
.user:
	int	0x1C
	cli
	EOI_MASTER
	pop	ds
	pop	dx
	pop	ax
	iret

; INT 0Eh: IRQ 6, the diskette controller. Flags it in 40:3Eh bit 7.
int0e_handler:
	push	ax
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	or	byte [BDA_FDRECAL], 0x80
	EOI_MASTER
	pop	ds
	pop	ax
	iret

; INT 70h: IRQ 8, the RTC. The periodic interrupt counts the user wait
; down by 976 us (1024 Hz); the alarm calls INT 4Ah.
int70_handler:
	push	ax
	push	bx
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	al, CMOS_REGC		; reading C clears the flags and the IRQ
	call	cmos_read
	mov	bl, al
	test	bl, 0x40
	jz	.alarm
	test	byte [BDA_WAITACTIVE], 0x01
	jz	.alarm
	sub	word [BDA_WAITCOUNT], 976
	sbb	word [BDA_WAITCOUNT + 2], 0
	jnc	.alarm
	; The wait is over: set bit 7 of the caller's flag byte.
	call	rtc_wait_stop
	push	ds
	push	bx
	lds	bx, [BDA_WAITPTR]
	or	byte [bx], 0x80
	pop	bx
	pop	ds
.alarm:
	test	bl, 0x20
	jz	.eoi
	sti
	int	0x4A
	cli
.eoi:
	EOI_BOTH
	pop	ds
	pop	bx
	pop	ax
	iret

; INT 71h: IRQ 9 is the AT's IRQ 2 line: end it and call INT 0Ah.
int71_handler:
	push	ax
	mov	al, 0x20
	out	PIC2_CMD, al
	pop	ax
	int	0x0A
	iret

; INT 75h: IRQ 13, the FPU: clear the busy latch and report an NMI.
int75_handler:
	push	ax
	xor	al, al
	out	0xF0, al
	EOI_BOTH
	pop	ax
	int	0x02
	iret

; INT 76h and 77h: IRQ 14 and 15, the ATA channels. Reading the status
; register acknowledges the device; 40:8Eh records the interrupt.
int76_handler:
	push	ax
	push	dx
	mov	dx, 0x1F7
	jmp	ata_irq
int77_handler:
	push	ax
	push	dx
	mov	dx, 0x177
ata_irq:
	in	al, dx
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	byte [BDA_HDINT], 0xFF
	pop	ds
	EOI_BOTH
	pop	dx
	pop	ax
	iret

; The handler of an IRQ 0-7 nobody handles. The in-service register says
; which line it was: none means a spurious IRQ 7 (or a software INT), which
; gets no EOI; otherwise the line is masked and ended. 40:6Bh records it
; (FFh: spurious).
irq_master_default:
	push	ax
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	al, 0x0B		; OCW3: read ISR
	out	PIC1_CMD, al
	in	al, PIC1_CMD
	test	al, al
	jnz	.real
	mov	byte [BDA_LASTIRQ], 0xFF
	jmp	.ret
.real:
	mov	ah, al			; the highest-priority line in service
	neg	ah
	and	ah, al
	mov	[BDA_LASTIRQ], ah
	cmp	ah, 0x04		; never the cascade
	je	.eoi
	in	al, PIC1_DATA
	or	al, ah
	out	PIC1_DATA, al
.eoi:
	EOI_MASTER
.ret:
	pop	ds
	pop	ax
	iret

; The same for IRQ 8-15. A spurious IRQ 15 still ends the cascade
; interrupt at the master.
irq_slave_default:
	push	ax
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	al, 0x0B
	out	PIC2_CMD, al
	in	al, PIC2_CMD
	test	al, al
	jnz	.real
	mov	byte [BDA_LASTIRQ], 0xFF
	mov	al, 0x0B		; master IRQ 2 in service: end it
	out	PIC1_CMD, al
	in	al, PIC1_CMD
	test	al, 0x04
	jz	.ret
	EOI_MASTER
	jmp	.ret
.real:
	mov	ah, al
	neg	ah
	and	ah, al
	mov	[BDA_LASTIRQ], ah
	in	al, PIC2_DATA
	or	al, ah
	out	PIC2_DATA, al
	EOI_BOTH
.ret:
	pop	ds
	pop	ax
	iret

; ---------------------------------------------------------------------------
; INT 1Ah: time of day. The RTC keeps BCD, 24-hour time (register B as
; POST leaves it).
; ---------------------------------------------------------------------------
int1a_handler:
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	cmp	ah, 0x00
	je	.get_ticks
	cmp	ah, 0x01
	je	.set_ticks
	cmp	ah, 0x02
	je	.get_time
	cmp	ah, 0x03
	je	.set_time
	cmp	ah, 0x04
	je	.get_date
	cmp	ah, 0x05
	je	.set_date
	cmp	ah, 0x06
	je	.set_alarm
	cmp	ah, 0x07
	je	.reset_alarm
.fail:
	SET_CF
	jmp	.done
.ok:
	CLEAR_CF
.done:
	RESTORE_FRAME
	iret
.get_ticks:				; CX:DX = ticks, AL = midnight flag
	cli
	mov	ax, [BDA_TICKS]
	mov	[bp + F_DX], ax
	mov	ax, [BDA_TICKS + 2]
	mov	[bp + F_CX], ax
	mov	al, [BDA_MIDNIGHT]
	mov	[bp + F_AL], al
	mov	byte [BDA_MIDNIGHT], 0
	sti
	jmp	.ok
.set_ticks:
	cli
	mov	[BDA_TICKS], dx
	mov	[BDA_TICKS + 2], cx
	mov	byte [BDA_MIDNIGHT], 0
	sti
	jmp	.ok
.get_time:				; CH = hours, CL = minutes, DH = seconds, DL = DST
	call	rtc_wait_update
	jc	.fail
	mov	al, CMOS_HOUR
	call	cmos_read
	mov	[bp + F_CH], al
	mov	al, CMOS_MIN
	call	cmos_read
	mov	[bp + F_CL], al
	mov	al, CMOS_SEC
	call	cmos_read
	mov	[bp + F_DH], al
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0x01
	mov	[bp + F_DL], al
	jmp	.ok
.set_time:
	call	rtc_set_begin
	mov	ah, [bp + F_CH]
	mov	al, CMOS_HOUR
	call	cmos_write
	mov	ah, [bp + F_CL]
	mov	al, CMOS_MIN
	call	cmos_write
	mov	ah, [bp + F_DH]
	mov	al, CMOS_SEC
	call	cmos_write
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0x7E		; SET off, DST as DL says
	mov	ah, [bp + F_DL]
	and	ah, 0x01
	or	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	jmp	.ok
.get_date:				; CH = century, CL = year, DH = month, DL = day
	call	rtc_wait_update
	jc	.fail
	mov	al, CMOS_CENTURY
	call	cmos_read
	mov	[bp + F_CH], al
	mov	al, CMOS_YEAR
	call	cmos_read
	mov	[bp + F_CL], al
	mov	al, CMOS_MONTH
	call	cmos_read
	mov	[bp + F_DH], al
	mov	al, CMOS_DAY
	call	cmos_read
	mov	[bp + F_DL], al
	jmp	.ok
.set_date:
	call	rtc_set_begin
	mov	ah, [bp + F_CH]
	mov	al, CMOS_CENTURY
	call	cmos_write
	mov	ah, [bp + F_CL]
	mov	al, CMOS_YEAR
	call	cmos_write
	mov	ah, [bp + F_DH]
	mov	al, CMOS_MONTH
	call	cmos_write
	mov	ah, [bp + F_DL]
	mov	al, CMOS_DAY
	call	cmos_write
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0x7F
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	jmp	.ok
.set_alarm:				; CH, CL, DH = alarm hours, minutes, seconds
	mov	al, CMOS_REGB
	call	cmos_read
	test	al, 0x20
	jnz	.fail			; an alarm is already set
	mov	ah, [bp + F_CH]
	mov	al, CMOS_HOUR_ALARM
	call	cmos_write
	mov	ah, [bp + F_CL]
	mov	al, CMOS_MIN_ALARM
	call	cmos_write
	mov	ah, [bp + F_DH]
	mov	al, CMOS_SEC_ALARM
	call	cmos_write
	mov	al, CMOS_REGB
	call	cmos_read
	or	al, 0x20
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	jmp	.ok
.reset_alarm:
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0xDF
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	jmp	.ok

; rtc_set_begin stops the clock's updates (register B SET) for a write.
rtc_set_begin:
	call	rtc_wait_update
	mov	al, CMOS_REGB
	call	cmos_read
	or	al, 0x80
	mov	ah, al
	mov	al, CMOS_REGB
	jmp	cmos_write
