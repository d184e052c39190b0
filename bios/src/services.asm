; INT 02h (NMI), 11h, 12h, 14h, 15h and 17h.

; INT 02h: NMI. Nothing on these boards raises one; ignore it.
int02_nmi:
	iret

; INT 11h: AX = equipment word.
int11_handler:
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	ax, [BDA_EQUIP]
	pop	ds
	iret

; INT 12h: AX = conventional memory in KiB (below the EBDA).
int12_handler:
	push	ds
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	ax, [BDA_MEMSIZE]
	pop	ds
	iret

; INT 17h: no printers here: every function reports a time-out.
int17_handler:
	mov	ah, 0x01
	iret

; ---------------------------------------------------------------------------
; INT 14h: serial ports. DX = port (0-3).
; ---------------------------------------------------------------------------
int14_handler:
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	cmp	dx, 3
	ja	.no_port
	mov	si, dx
	mov	bx, dx
	shl	bx, 1
	mov	dx, [BDA_COM + bx]
	test	dx, dx
	jz	.no_port
	cmp	ah, 0x00
	je	.init
	cmp	ah, 0x01
	je	.send
	cmp	ah, 0x02
	je	.receive
	cmp	ah, 0x03
	je	.status
	jmp	.done
.no_port:
	mov	byte [bp + F_AH], 0x80
	jmp	.done
.init:					; AL: baud (7-5), parity (4-3), stop (2), length (1-0)
	push	ax
	mov	bl, al
	mov	cl, 5
	shr	bl, cl
	xor	bh, bh
	shl	bx, 1
	mov	cx, [cs:baud_table + bx]
	add	dx, 3
	mov	al, 0x80		; DLAB
	out	dx, al
	sub	dx, 3
	mov	al, cl
	out	dx, al
	inc	dx
	mov	al, ch
	out	dx, al
	add	dx, 2
	pop	ax
	and	al, 0x1F
	out	dx, al			; LCR
	sub	dx, 2
	xor	al, al
	out	dx, al			; IER
	dec	dx
	jmp	.status
.send:					; AL = character
	add	dx, 4
	mov	al, 0x03		; DTR, RTS
	out	dx, al
	inc	dx
	mov	ah, 0x20		; THRE
	call	com_wait
	jc	.timeout
	sub	dx, 5
	mov	al, [bp + F_AL]
	out	dx, al
	add	dx, 5
	in	al, dx
	mov	[bp + F_AH], al
	jmp	.done
.receive:
	add	dx, 4
	mov	al, 0x03
	out	dx, al
	inc	dx
	mov	ah, 0x01		; data ready
	call	com_wait
	jc	.timeout
	and	al, 0x1E		; errors only
	mov	[bp + F_AH], al
	sub	dx, 5
	in	al, dx
	mov	[bp + F_AL], al
	jmp	.done
.timeout:
	or	al, 0x80
	mov	[bp + F_AH], al
	jmp	.done
.status:				; AH = line status, AL = modem status
	add	dx, 5
	in	al, dx
	mov	[bp + F_AH], al
	inc	dx
	in	al, dx
	mov	[bp + F_AL], al
.done:
	RESTORE_FRAME
	iret

; com_wait: DX = LSR, AH = bit to wait for, SI = port number. Waits up to
; the port's time-out (40:7Ch, in seconds) -> AL = LSR, CF=1 on timeout.
com_wait:
	push	bx
	push	cx
	push	di
	mov	di, ax			; DI high byte: the bit
	mov	al, 18
	mul	byte [BDA_COMTMO + si]
	mov	cx, ax			; ticks to wait
	mov	bx, [BDA_TICKS]
	mov	ax, di
.loop:
	in	al, dx
	test	al, ah
	jnz	.ok
	push	ax
	mov	ax, [BDA_TICKS]
	sub	ax, bx
	cmp	ax, cx
	pop	ax
	jbe	.loop
	stc
	jmp	.ret
.ok:
	clc
.ret:
	pop	di
	pop	cx
	pop	bx
	ret

; ---------------------------------------------------------------------------
; INT 15h: system services.
; ---------------------------------------------------------------------------
int15_handler:
	cmp	ah, 0x4F
	je	.intercept
	cmp	ax, 0xE820
	je	int15_e820
	cmp	ax, 0xE801
	je	int15_e801
	cmp	ah, 0x87
	je	int15_87
	sti
	cld
	SAVE_FRAME
	push	ax
	BDA_DS
	pop	ax
	cmp	ah, 0x88
	je	.ext_mem
	cmp	ah, 0x8A
	je	.ext_mem_big
	cmp	ah, 0x86
	je	.wait
	cmp	ah, 0x83
	je	.event_wait
	cmp	ah, 0x24
	je	.a20
	cmp	ah, 0xC0
	je	.config
	cmp	ah, 0xC1
	je	.ebda
	cmp	ah, 0x85
	je	.ok
	cmp	ah, 0x90
	je	.ok
	cmp	ah, 0x91
	je	.ok
	cmp	ah, 0x80
	je	.ok
	cmp	ah, 0x81
	je	.ok
	cmp	ah, 0x82
	je	.ok
.unsupported:
	mov	byte [bp + F_AH], 0x86
	SET_CF
	jmp	.done
.ok:
	mov	byte [bp + F_AH], 0
.ok_keep_ah:
	CLEAR_CF
.done:
	RESTORE_FRAME
	iret
.intercept:
	; AH=4Fh: keyboard intercept. Keep the scan code: CF=1.
	stc
	jmp	int15_iret_cf

.ext_mem:				; AH=88h: AX = KiB above 1 MiB (64 MiB at most)
	call	ext_mem_kib
	test	dx, dx
	jz	.ext_small
	mov	ax, 0xFFFF
.ext_small:
	mov	[bp + F_AX], ax
	jmp	.ok_keep_ah
.ext_mem_big:				; AH=8Ah: DX:AX = KiB above 1 MiB
	call	ext_mem_kib
	mov	[bp + F_AX], ax
	mov	[bp + F_DX], dx
	jmp	.ok_keep_ah2
.ok_keep_ah2:
	CLEAR_CF
	jmp	.done

.config:				; AH=C0h: ES:BX = configuration table
	mov	word [bp + F_BX], config_table
	mov	[bp + F_ES], cs
	jmp	.ok
.ebda:					; AH=C1h: ES = EBDA segment
	mov	ax, [BDA_EBDA]
	mov	[bp + F_ES], ax
	CLEAR_CF
	jmp	.done

.wait:					; AH=86h: wait CX:DX microseconds
	test	byte [BDA_WAITACTIVE], 0x01
	jz	.wait_start
	mov	byte [bp + F_AH], 0x83	; a wait is already running
	SET_CF
	jmp	.done
.wait_start:
	mov	word [BDA_WAITPTR], BDA_WAITACTIVE
	mov	word [BDA_WAITPTR + 2], BDA_SEG
	call	rtc_wait_start
.wait_loop:
	hlt
	test	byte [BDA_WAITACTIVE], 0x80
	jz	.wait_loop
	mov	byte [BDA_WAITACTIVE], 0
	jmp	.ok

.event_wait:				; AH=83h: AL=0 start, AL=1 cancel
	cmp	al, 1
	je	.event_cancel
	test	al, al
	jnz	.unsupported
	test	byte [BDA_WAITACTIVE], 0x01
	jnz	.busy
	mov	ax, [bp + F_BX]		; ES:BX = flag byte, bit 7 set at the end
	mov	[BDA_WAITPTR], ax
	mov	ax, [bp + F_ES]
	mov	[BDA_WAITPTR + 2], ax
	call	rtc_wait_start
	jmp	.ok
.busy:
	SET_CF
	jmp	.done
.event_cancel:
	call	rtc_wait_stop
	jmp	.ok

.a20:
	cmp	al, 0x00
	je	.a20_off
	cmp	al, 0x01
	je	.a20_on
	cmp	al, 0x02
	je	.a20_status
	cmp	al, 0x03
	je	.a20_support
	jmp	.unsupported
.a20_off:
	call	a20_disable
	jmp	.ok
.a20_on:
	call	a20_enable
	jmp	.ok
.a20_status:				; AL = 1 when A20 is on
	call	a20_test
	mov	[bp + F_AL], al
	jmp	.ok
.a20_support:				; BX = 3: keyboard controller and port 92h
	mov	word [bp + F_BX], 0x0003
	jmp	.ok

; rtc_wait_start: CX:DX = microseconds. Starts the user wait: the RTC's
; periodic interrupt (1024 Hz) counts it down in INT 70h. DS = BDA.
rtc_wait_start:
	cli
	mov	[BDA_WAITCOUNT], dx
	mov	[BDA_WAITCOUNT + 2], cx
	mov	byte [BDA_WAITACTIVE], 0x01
	mov	al, CMOS_REGC
	call	cmos_read
	mov	al, CMOS_REGB
	call	cmos_read
	or	al, 0x40		; PIE
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	sti
	ret

; rtc_wait_stop turns the periodic interrupt off and ends the wait.
rtc_wait_stop:
	push	ax
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0xBF
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	and	byte [BDA_WAITACTIVE], 0xFE
	pop	ax
	ret

; a20_test: AL = 1 when A20 is enabled (0000:0500 and FFFF:0510 differ
; after a write), else 0. Memory is left as it was.
a20_test:
	push	bx
	push	ds
	push	es
	xor	ax, ax
	mov	ds, ax
	dec	ax
	mov	es, ax
	mov	bl, [0x500]
	mov	bh, [es:0x510]
	mov	byte [0x500], 0x5A
	mov	byte [es:0x510], 0xA5
	xor	al, al
	cmp	byte [0x500], 0xA5
	je	.wraps
	inc	al
.wraps:
	mov	[es:0x510], bh
	mov	[0x500], bl
	pop	es
	pop	ds
	pop	bx
	ret

; a20_enable: port 92h, then the keyboard controller if that did not do.
a20_enable:
	in	al, PORT_A20
	and	al, 0xFE		; never the reset bit
	or	al, 0x02
	out	PORT_A20, al
	call	a20_test
	test	al, al
	jnz	.ret
	mov	al, 0xD1		; write output port: A20 on
	call	kbc_command
	mov	al, 0xDF
	call	kbc_write_data
	call	kbc_wait_input
.ret:
	ret

; a20_disable: both gates off (the chipset ORs them on some boards).
a20_disable:
	in	al, PORT_A20
	and	al, 0xFC
	out	PORT_A20, al
	mov	al, 0xD1
	call	kbc_command
	mov	al, 0xDD
	call	kbc_write_data
	call	kbc_wait_input
	ret

; int15_iret_cf: return from a service without the frame: CF as given.
int15_iret_cf:
	push	bp
	mov	bp, sp
	jc	.set
	and	byte [bp + 6], 0xFE
	pop	bp
	iret
.set:
	or	byte [bp + 6], 0x01
	pop	bp
	iret

	cpu	386
; AX=E801h: AX = CX = KiB from 1 MiB to 16 MiB (15 MiB at most),
; BX = DX = 64 KiB blocks above 16 MiB.
int15_e801:
	push	ds
	push	ax
	mov	al, CMOS_EXTMEM + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_EXTMEM
	call	cmos_read
	cmp	ax, 15 * 1024
	jbe	.low_ok
	mov	ax, 15 * 1024
.low_ok:
	mov	cx, ax
	mov	al, CMOS_HIGHMEM + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_HIGHMEM
	call	cmos_read
	mov	bx, ax
	mov	dx, ax
	pop	ax
	mov	ax, cx
	pop	ds
	clc
	jmp	int15_iret_cf

; AX=E820h: EBX = continuation (entry index), ECX = buffer size,
; EDX = 'SMAP', ES:DI = buffer -> one 20-byte entry, EAX = 'SMAP',
; ECX = 20, EBX = next index (0 after the last).
E820_SMAP	equ	0x534D4150
int15_e820:
	cmp	edx, E820_SMAP
	jne	.fail
	cmp	ecx, 20
	jb	.fail
	push	ds
	push	esi
	push	edx
	push	eax
	mov	ax, BDA_SEG
	mov	ds, ax
	; The map: 0 conventional RAM, 1 EBDA, 2 the ACPI tables and the BIOS
	; (E0000h-FFFFFh), 3 RAM above 1 MiB (if any), 4 the BIOS at the top
	; of 4 GiB.
	call	ext_mem_kib		; DX:AX KiB above 1 MiB
	shl	edx, 16
	mov	dx, ax
	shl	edx, 10			; EDX = bytes above 1 MiB
	mov	esi, ebx
	test	edx, edx
	jnz	.have_ext
	cmp	esi, 3
	jb	.have_ext
	inc	esi			; skip entry 3
.have_ext:
	cmp	esi, 4
	ja	.bad_index
	xor	eax, eax
	mov	[es:di + 4], eax	; base high
	mov	[es:di + 12], eax	; length high
	mov	dword [es:di + 16], 2	; reserved unless RAM
	cmp	esi, 0
	je	.e_low
	cmp	esi, 1
	je	.e_ebda
	cmp	esi, 2
	je	.e_bios
	cmp	esi, 3
	je	.e_ext
	mov	dword [es:di], 0xFFFF0000
	mov	dword [es:di + 8], 0x10000
	xor	ebx, ebx		; the last entry
	jmp	.filled
.e_low:
	mov	dword [es:di], 0
	movzx	eax, word [BDA_MEMSIZE]
	shl	eax, 10
	mov	[es:di + 8], eax
	mov	byte [es:di + 16], 1
	jmp	.next
.e_ebda:
	movzx	eax, word [BDA_MEMSIZE]
	shl	eax, 10
	mov	[es:di], eax
	neg	eax
	add	eax, 0xA0000
	mov	[es:di + 8], eax
	jmp	.next
.e_bios:
	mov	dword [es:di], 0xE0000
	mov	dword [es:di + 8], 0x20000
	jmp	.next
.e_ext:
	mov	dword [es:di], 0x100000
	mov	[es:di + 8], edx
	mov	byte [es:di + 16], 1
.next:
	mov	ebx, esi
	inc	ebx
	test	edx, edx
	jnz	.filled
	cmp	ebx, 3
	jne	.filled
	inc	ebx
.filled:
	pop	eax
	pop	edx
	pop	esi
	pop	ds
	mov	eax, E820_SMAP
	mov	ecx, 20
	clc
	jmp	int15_iret_cf
.bad_index:
	pop	eax
	pop	edx
	pop	esi
	pop	ds
.fail:
	mov	ah, 0x86
	stc
	jmp	int15_iret_cf

; AH=87h: move CX words between the descriptors at ES:SI+10h (source)
; and ES:SI+18h (target) of the caller's GDT, in 16-bit protected mode.
; Needs a 386 (the way back to real mode clears CR0.PE).
int15_87:
	push	ds
	push	bx
	mov	bx, BDA_SEG
	mov	ds, bx
	mov	ds, [BDA_EBDA]
	cmp	byte [EBDA_CPU], 3
	pop	bx
	pop	ds
	jb	.unsupported
	cmp	cx, 0x8000
	ja	.bad_count
	push	eax
	push	ebx
	push	ecx
	push	esi
	push	edi
	push	ebp
	push	ds
	push	es
	push	fs
	push	gs
	cld
	; Fill the GDT entries the caller leaves to the BIOS: 08h the GDT
	; itself, 20h this code segment (F0000h), 28h the caller's stack.
	xor	eax, eax
	mov	ax, es
	shl	eax, 4
	movzx	ebx, si
	add	eax, ebx
	mov	word [es:si + 0x08], 0x2F
	mov	[es:si + 0x0A], eax
	mov	byte [es:si + 0x0D], 0x93
	mov	word [es:si + 0x20], 0xFFFF
	mov	dword [es:si + 0x22], 0x9B0F0000
	mov	word [es:si + 0x26], 0
	xor	eax, eax
	mov	ax, ss
	shl	eax, 4
	mov	word [es:si + 0x28], 0xFFFF
	mov	[es:si + 0x2A], eax
	mov	byte [es:si + 0x2D], 0x93
	mov	word [es:si + 0x2E], 0
	call	a20_test
	push	ax			; A20 as it was
	call	a20_enable
	mov	bp, ss
	cli
	lgdt	[es:si + 0x08]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	0x20:.pm
.pm:
	mov	ax, 0x28
	mov	ss, ax
	mov	ax, 0x10
	mov	ds, ax
	mov	ax, 0x18
	mov	es, ax
	xor	si, si
	xor	di, di
	rep	movsw
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0xF000:.rm
.rm:
	mov	ss, bp
	pop	ax
	test	al, al
	jnz	.a20_kept
	call	a20_disable
.a20_kept:
	pop	gs
	pop	fs
	pop	es
	pop	ds
	pop	ebp
	pop	edi
	pop	esi
	pop	ecx
	pop	ebx
	pop	eax
	mov	ah, 0
	clc
	jmp	int15_iret_cf
.bad_count:
	mov	ah, 0x01
	stc
	jmp	int15_iret_cf
.unsupported:
	mov	ah, 0x86
	stc
	jmp	int15_iret_cf
	cpu	8086
