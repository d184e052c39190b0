; Power-on self test: from the reset vector to INT 19h.
;
; The order: CPU check, shutdown-byte resume, BDA and EBDA, interrupt
; vectors, PICs, PIT, DMA, RTC, keyboard controller, video, serial ports,
; equipment, diskettes, hard disks, the banner, then INT 19h. Progress codes
; go to port 80h as each step starts.

post:
	cli
	cld
	xor	ax, ax
	mov	ss, ax
	mov	sp, 0x7C00
	POST_CODE 0x01

	; A reset with CMOS shutdown code 05h or 0Ah is a 286 program coming
	; back from protected mode: resume at the far pointer in 40:67
	; without initialising anything (IBM AT Technical Reference,
	; "Shutdown status byte"). 05h also flushes the keyboard and sends EOI.
	mov	al, CMOS_SHUTDOWN | 0x80
	out	CMOS_INDEX, al
	in	al, CMOS_DATA
	mov	bl, al
	mov	al, CMOS_SHUTDOWN | 0x80
	out	CMOS_INDEX, al
	xor	al, al
	out	CMOS_DATA, al
	cmp	bl, 0x05
	je	.resume_eoi
	cmp	bl, 0x0A
	je	.resume
	jmp	.cold
.resume_eoi:
	in	al, KBC_DATA
	EOI_BOTH
.resume:
	mov	al, 0x0D		; NMI on again
	out	CMOS_INDEX, al
	xor	ax, ax
	mov	ds, ax
	jmp	far [0x400 + BDA_RESETVEC]

.cold:
	; CPU level: flags bits 12-15 are always set on the 8086 and 186 and
	; always clear in real mode on the 286; a 386 can set them. The 186
	; masks shift counts to 5 bits where the 8086 shifts 32 times.
	POST_CODE 0x02
	xor	dx, dx			; DL = level, DH = CPUID family
	pushf
	pop	ax
	and	ax, 0x0FFF
	push	ax
	popf
	pushf
	pop	ax
	and	ax, 0xF000
	cmp	ax, 0xF000
	jne	.not86
	mov	cl, 32
	mov	al, 1
	shl	al, cl
	test	al, al
	jz	.cpu_done		; 8086
	mov	dl, 1			; 186
	jmp	.cpu_done
.not86:
	mov	ax, 0x7000
	push	ax
	popf
	pushf
	pop	ax
	test	ax, 0x7000
	mov	dl, 2			; 286
	jz	.cpu_done
	mov	dl, 3			; 386 or later
	cpu	386
	; CPUID exists when EFLAGS.ID (bit 21) can be toggled.
	pushfd
	pop	eax
	mov	ecx, eax
	xor	eax, 0x200000
	push	eax
	popfd
	pushfd
	pop	eax
	push	ecx
	popfd
	xor	eax, ecx
	test	eax, 0x200000
	jz	.cpu_done
	push	dx
	mov	eax, 1
	cpu	586
	cpuid
	cpu	386
	pop	dx
	shr	ax, 8
	and	al, 0x0F
	mov	dh, al
	cpu	8086
.cpu_done:
	; The probes above may have left IOPL and NT set (a 386 keeps what
	; POPF writes): start the OS from clean flags, as after reset.
	xor	ax, ax
	push	ax
	popf
	push	dx

	; BIOS data area: clear 400h-4FFh and the print screen byte at 500h.
	POST_CODE 0x03
	xor	ax, ax
	mov	es, ax
	mov	di, 0x400
	mov	cx, 0x80
	rep	stosw
	stosb

	; Conventional memory from CMOS 15h-16h (640 KiB on a PC); the top
	; KiB is the EBDA.
	mov	al, CMOS_BASEMEM + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_BASEMEM
	call	cmos_read
	cmp	ax, 64
	jb	.base640
	cmp	ax, 640
	jbe	.base_ok
.base640:
	mov	ax, 640
.base_ok:
	dec	ax
	mov	[es:0x400 + BDA_MEMSIZE], ax
	mov	cl, 6
	shl	ax, cl			; KiB to paragraphs
	mov	[es:0x400 + BDA_EBDA], ax

	; EBDA: cleared, its size in KiB in byte 0, the CPU level.
	mov	es, ax
	xor	di, di
	xor	ax, ax
	mov	cx, 512
	rep	stosw
	mov	byte [es:EBDA_SIZE_KB], 1
	pop	dx
	mov	[es:EBDA_CPU], dl
	mov	[es:EBDA_CPUFAMILY], dh

	; Interrupt vectors: every vector to the dummy IRET, the IRQ vectors
	; to the handlers of unexpected IRQs, then the BIOS services from the
	; table at F000:FEF3 and the data pointers.
	POST_CODE 0x04
	xor	ax, ax
	mov	es, ax
	xor	di, di
	mov	cx, 256
.ivt:
	mov	ax, dummy_iret
	stosw
	mov	ax, 0xF000
	stosw
	loop	.ivt
	mov	di, 0x70 * 4
	mov	cx, 8
.ivt_slave:
	mov	ax, irq_slave_default
	stosw
	mov	ax, 0xF000
	stosw
	loop	.ivt_slave
	mov	si, vector_table
	mov	di, 0x08 * 4
	mov	cx, 0x18
.ivt_bios:
	cs lodsw
	stosw
	mov	ax, 0xF000
	stosw
	loop	.ivt_bios
	mov	word [es:0x02 * 4], int02_nmi
	mov	word [es:0x05 * 4], 0xFF54
	mov	word [es:0x40 * 4], 0xEC59
	mov	word [es:0x43 * 4], font8x8
	mov	word [es:0x4A * 4], dummy_iret
	mov	word [es:0x70 * 4], int70_handler
	mov	word [es:0x71 * 4], int71_handler
	mov	word [es:0x75 * 4], int75_handler
	mov	word [es:0x76 * 4], int76_handler
	mov	word [es:0x77 * 4], int77_handler
	; INT 41h and 46h point at the fixed disk parameter tables in the EBDA.
	mov	ax, [es:0x400 + BDA_EBDA]
	mov	word [es:0x41 * 4], EBDA_FDPT0
	mov	[es:0x41 * 4 + 2], ax
	mov	word [es:0x46 * 4], EBDA_FDPT1
	mov	[es:0x46 * 4 + 2], ax

	; BDA basics.
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	word [BDA_KBHEAD], BDA_KBBUF
	mov	word [BDA_KBTAIL], BDA_KBBUF
	mov	word [BDA_KBSTART], BDA_KBBUF
	mov	word [BDA_KBEND], BDA_KBBUF + 32
	mov	byte [BDA_KBMODE], 0x10		; 101-key keyboard
	mov	word [BDA_VCRTC], 0x3D4

	; 8259A pair: edge triggered, cascaded, vectors 08h and 70h, 8086
	; mode (ICW1-ICW4, Intel 8259A datasheet). Unmasked: timer, keyboard,
	; cascade, diskette; RTC, both ATA channels.
	POST_CODE 0x05
	mov	al, 0x11
	out	PIC1_CMD, al
	out	PIC2_CMD, al
	mov	al, 0x08
	out	PIC1_DATA, al
	mov	al, 0x70
	out	PIC2_DATA, al
	mov	al, 0x04
	out	PIC1_DATA, al
	mov	al, 0x02
	out	PIC2_DATA, al
	mov	al, 0x01
	out	PIC1_DATA, al
	out	PIC2_DATA, al
	mov	al, 0xB8		; IRQ 0, 1, 2, 6
	out	PIC1_DATA, al
	mov	al, 0x3E		; IRQ 8, 14, 15
	out	PIC2_DATA, al
	call	apic_virtual_wire

	; 8254 channel 0: mode 3, count 65536 (18.2 Hz); channel 2 (the
	; speaker) mode 3 at about 1 kHz, gated off through port 61h.
	POST_CODE 0x06
	mov	al, 0x36
	out	PIT_MODE, al
	xor	al, al
	out	PIT_CH0, al
	out	PIT_CH0, al
	mov	al, 0xB6
	out	PIT_MODE, al
	mov	ax, 1193
	out	PIT_CH2, al
	mov	al, ah
	out	PIT_CH2, al
	in	al, SYS_CTRL_B
	and	al, 0xFC
	out	SYS_CTRL_B, al

	; 8237A pair: master clear, then channel 4 of the second controller
	; in cascade mode and unmasked, which lets channels 0-3 through.
	POST_CODE 0x07
	xor	al, al
	out	0x0D, al
	out	0xDA, al
	out	0x08, al
	out	0xD0, al
	mov	al, 0xC0		; cascade mode, channel 4 (0 of DMA2)
	out	0xD6, al
	xor	al, al
	out	0xD4, al		; unmask channel 4

	; RTC: 32.768 kHz time base, 1024 Hz periodic rate; register B keeps
	; its data mode (BCD, 24 hours as QEMU sets it) with every interrupt
	; off; registers C and D read to clear them.
	POST_CODE 0x08
	mov	ax, 0x2600 | CMOS_REGA
	call	cmos_write
	mov	al, CMOS_REGB
	call	cmos_read
	and	al, 0x07
	mov	ah, al
	mov	al, CMOS_REGB
	call	cmos_write
	mov	al, CMOS_REGC
	call	cmos_read
	mov	al, CMOS_REGD
	call	cmos_read
	call	rtc_to_ticks

	; Keyboard controller and keyboard.
	POST_CODE 0x09
	call	kbd_init

	; Video: mode 3 through the BIOS's own INT 10h.
	POST_CODE 0x0A
	mov	ax, 0x0003
	int	0x10

	; Serial ports: a UART is present when its scratch register keeps a
	; value. COM1 is set to 115200 8N1 for the POST messages.
	POST_CODE 0x0B
	mov	si, com_ports
	xor	di, di			; BDA slot
	xor	bx, bx			; count
.com:
	cs lodsw
	test	ax, ax
	jz	.com_done
	mov	dx, ax
	add	dx, 7
	mov	al, 0x5A
	out	dx, al
	in	al, dx
	cmp	al, 0x5A
	jne	.com
	mov	al, 0xA5
	out	dx, al
	in	al, dx
	cmp	al, 0xA5
	jne	.com
	sub	dx, 7
	mov	[BDA_COM + di], dx
	mov	byte [BDA_COMTMO + bx], 1
	add	di, 2
	inc	bx
	jmp	.com
.com_done:
	mov	cl, 9
	shl	bx, cl
	mov	[BDA_EQUIP], bx
	mov	dx, [BDA_COM]
	test	dx, dx
	jz	.no_com1
	add	dx, 3			; LCR: divisor latch access
	mov	al, 0x80
	out	dx, al
	sub	dx, 3
	mov	al, 1			; divisor 1: 115200 baud
	out	dx, al
	inc	dx
	xor	al, al
	out	dx, al			; DLM; with DLAB clear this is IER = 0
	add	dx, 2
	mov	al, 0x03		; 8 data bits, no parity, 1 stop bit
	out	dx, al
	dec	dx
	mov	al, 0x07		; FCR: FIFO on and cleared
	out	dx, al
	add	dx, 2
	mov	al, 0x03		; MCR: DTR, RTS
	out	dx, al
	sub	dx, 3
	xor	al, al
	out	dx, al			; IER = 0
.no_com1:
	; Printers: none (INT 17h reports a timeout).
	mov	byte [BDA_LPTTMO], 20
	mov	byte [BDA_LPTTMO + 1], 20
	mov	byte [BDA_LPTTMO + 2], 20

	; Equipment word: initial video mode 80x25 colour, an FPU when FNINIT
	; leaves a zero status word, and the diskette drives.
	POST_CODE 0x0C
	or	word [BDA_EQUIP], 0x0020
	mov	word [BDA_WAITPTR], 0x5A5A	; scratch: FNSTSW target
	fninit
	fnstsw	[BDA_WAITPTR]
	cmp	byte [BDA_WAITPTR], 0
	jne	.no_fpu
	or	word [BDA_EQUIP], 0x0002
.no_fpu:
	mov	word [BDA_WAITPTR], 0

	; Enable interrupts: the timer ticks from here on, and the device
	; probes below time out by it.
	sti

	POST_CODE 0x0D
	call	fd_post
	POST_CODE 0x0E
	call	ata_post
	call	acpi_post

	POST_CODE 0x0F
	call	post_banner

	POST_CODE 0x10
	int	0x19
	; INT 19h does not return; if it does, stop here.
	int	0x18

com_ports:
	dw	0x3F8, 0x2F8, 0x3E8, 0x2E8, 0

; apic_virtual_wire: on a CPU with a local APIC (CPUID 1: EDX bit 9), the
; 8259's INTR reaches the core through the APIC's LINT0 pin, which must be
; in ExtINT mode, and NMI through LINT1 (Intel MP Specification 1.4,
; section 3.6.2.2, "virtual wire mode"). The APIC registers are memory at
; FEE00000h, so this goes to 16-bit protected mode with a flat data
; segment for the three writes, and back. DS = BDA.
apic_virtual_wire:
	push	es
	mov	es, [BDA_EBDA]
	cmp	byte [es:EBDA_CPUFAMILY], 0
	pop	es
	je	.ret			; no CPUID, no local APIC
	cpu	586
	push	eax
	push	ebx
	push	ecx
	push	edx
	mov	eax, 1
	cpuid
	test	dx, 0x0200
	jz	.done
	push	ds
	pushf
	cli
	lgdt	[cs:flat_gdtr]
	mov	eax, cr0
	or	al, 1
	mov	cr0, eax
	jmp	0x08:.pm
.pm:
	mov	ax, 0x10
	mov	ds, ax
	mov	ebx, 0xFEE00000
	mov	eax, [ebx + 0xF0]	; spurious vector register: APIC on
	or	ah, 0x01
	mov	[ebx + 0xF0], eax
	mov	eax, [ebx + 0x350]	; LINT0: ExtINT, unmasked
	and	eax, 0xFFFE00FF
	or	ah, 0x07
	mov	[ebx + 0x350], eax
	mov	eax, [ebx + 0x360]	; LINT1: NMI, unmasked
	and	eax, 0xFFFE00FF
	or	ah, 0x04
	mov	[ebx + 0x360], eax
	mov	eax, cr0
	and	al, 0xFE
	mov	cr0, eax
	jmp	0xF000:.rm
.rm:
	popf
	pop	ds
.done:
	pop	edx
	pop	ecx
	pop	ebx
	pop	eax
	cpu	8086
.ret:
	ret

; A GDT for the protected mode excursions: 08h this code segment
; (base F0000h, 64 KiB), 10h flat data (4 GiB). Accessed bits are set so
; that the CPU never writes to the ROM.
	align	8
flat_gdt:
	dq	0
	dw	0xFFFF, 0x0000
	db	0x0F, 0x9B, 0x00, 0x00
	dw	0xFFFF, 0x0000
	db	0x00, 0x93, 0xCF, 0x00
flat_gdtr:
	dw	3 * 8 - 1
	dd	0xF0000 + flat_gdt

; cmos_read: AL = register -> AL = value. NMI stays enabled.
cmos_read:
	out	CMOS_INDEX, al
	jmp	short $ + 2
	in	al, CMOS_DATA
	ret

; cmos_write: AL = register, AH = value. Clobbers AL.
cmos_write:
	out	CMOS_INDEX, al
	jmp	short $ + 2
	mov	al, ah
	out	CMOS_DATA, al
	ret

; rtc_to_ticks sets the BDA tick count from the RTC time of day:
; ticks = seconds * 1193180 / 65536 = seconds * 18 + seconds * 13532 / 65536.
rtc_to_ticks:
	push	ds
	BDA_DS
	call	rtc_wait_update
	mov	al, CMOS_HOUR
	call	cmos_read
	call	bcd_to_bin
	mov	cl, 60
	mul	cl			; AX = hours * 60
	mov	bx, ax
	mov	al, CMOS_MIN
	call	cmos_read
	call	bcd_to_bin
	xor	ah, ah
	add	ax, bx			; minutes since midnight
	mov	cx, 60
	mul	cx			; DX:AX = minutes * 60
	mov	bx, ax
	mov	si, dx
	mov	al, CMOS_SEC
	call	cmos_read
	call	bcd_to_bin
	xor	ah, ah
	add	bx, ax
	adc	si, 0			; SI:BX = seconds (17 bits)
	; seconds * 18
	mov	ax, bx
	mov	cx, 18
	mul	cx
	mov	di, ax
	mov	cx, dx			; CX:DI = low part * 18
	mov	ax, si
	mov	dx, 18
	mul	dx
	add	cx, ax			; CX:DI = seconds * 18
	; + seconds * 13532 / 65536
	mov	ax, bx
	mov	dx, 13532
	mul	dx			; DX = (low * 13532) >> 16
	add	di, dx
	adc	cx, 0
	test	si, si
	jz	.store
	add	di, 13532
	adc	cx, 0
.store:
	cli
	mov	[BDA_TICKS], di
	mov	[BDA_TICKS + 2], cx
	sti
	pop	ds
	ret

; rtc_wait_update waits (bounded) until the RTC is not updating, so that
; the time registers can be read. CF=1 if UIP never cleared.
rtc_wait_update:
	push	cx
	mov	cx, 0xFFFF
.loop:
	mov	al, CMOS_REGA
	call	cmos_read
	test	al, 0x80
	jz	.ok
	loop	.loop
	pop	cx
	stc
	ret
.ok:
	pop	cx
	clc
	ret

; bcd_to_bin: AL (BCD) -> AL (binary). Clobbers AH.
bcd_to_bin:
	push	cx
	mov	ah, al
	mov	cl, 4
	shr	ah, cl
	and	al, 0x0F
	mov	cl, al
	mov	al, 10
	mul	ah
	add	al, cl
	pop	cx
	ret

; kbd_init: 8042 self-test, keyboard interface on, command byte with
; translation, keyboard reset and scanning enabled. Every wait is bounded;
; a missing or silent controller only costs time.
kbd_init:
	call	kbc_flush
	mov	al, 0xAD		; keyboard interface off during the tests
	call	kbc_command
	mov	al, 0xA7		; mouse interface off
	call	kbc_command
	call	kbc_flush
	mov	al, 0xAA		; controller self-test: 55h
	call	kbc_command
	call	kbc_read
	mov	al, 0x60		; command byte: system flag, XLAT,
	call	kbc_command		; mouse off, keyboard IRQ off for now
	mov	al, 0x64
	call	kbc_write_data
	mov	al, 0xAE		; keyboard interface on
	call	kbc_command
	mov	al, 0xFF		; keyboard reset: FA, then AA
	call	kbc_write_data
	call	kbc_read
	call	kbc_read
	mov	al, 0xF4		; enable scanning: FA
	call	kbc_write_data
	call	kbc_read
	call	kbc_flush
	mov	al, 0x60		; command byte: keyboard IRQ on
	call	kbc_command
	mov	al, 0x65
	call	kbc_write_data
	ret

; kbc_wait_input waits until the 8042 input buffer is empty.
kbc_wait_input:
	push	cx
	mov	cx, 0xFFFF
.loop:
	in	al, KBC_STATUS
	test	al, 0x02
	jz	.done
	loop	.loop
.done:
	pop	cx
	ret

; kbc_command: AL = controller command.
kbc_command:
	push	ax
	call	kbc_wait_input
	pop	ax
	out	KBC_CMD, al
	ret

; kbc_write_data: AL = byte for port 60h (keyboard or command data).
kbc_write_data:
	push	ax
	call	kbc_wait_input
	pop	ax
	out	KBC_DATA, al
	ret

; kbc_read: AL = next byte from the 8042, CF=1 on timeout.
kbc_read:
	push	cx
	push	dx
	mov	dx, 8
.outer:
	mov	cx, 0xFFFF
.loop:
	in	al, KBC_STATUS
	test	al, 0x01
	jnz	.got
	loop	.loop
	dec	dx
	jnz	.outer
	pop	dx
	pop	cx
	stc
	ret
.got:
	in	al, KBC_DATA
	pop	dx
	pop	cx
	clc
	ret

; kbc_flush drops whatever the 8042 holds.
kbc_flush:
	push	cx
	mov	cx, 64
.loop:
	in	al, KBC_STATUS
	test	al, 0x01
	jz	.done
	in	al, KBC_DATA
	loop	.loop
.done:
	pop	cx
	ret

; post_banner prints the BIOS banner, the CPU, the memory and the drives
; on the screen, COM1 and port E9h.
post_banner:
	push	ds
	BDA_DS
	mov	si, str_banner
	call	print_str
	; CPU
	mov	si, str_cpu
	call	print_str
	mov	es, [BDA_EBDA]
	mov	bl, [es:EBDA_CPU]
	xor	bh, bh
	shl	bx, 1
	mov	si, [cs:cpu_names + bx]
	call	print_str
	mov	al, [es:EBDA_CPUFAMILY]
	test	al, al
	jz	.no_family
	mov	si, str_family
	call	print_str
	xor	ah, ah
	call	print_dec
.no_family:
	test	byte [BDA_EQUIP], 0x02
	jz	.no_fpu
	mov	si, str_fpu
	call	print_str
.no_fpu:
	call	print_crlf
	; Memory: base KiB, then extended KiB from CMOS.
	mov	si, str_memory
	call	print_str
	mov	ax, [BDA_MEMSIZE]
	inc	ax			; the EBDA is conventional memory too
	call	print_dec
	mov	si, str_kib_base
	call	print_str
	call	ext_mem_kib		; DX:AX
	call	print_dec32
	mov	si, str_kib_ext
	call	print_str
	; Diskettes
	mov	al, CMOS_FLOPPY
	call	cmos_read
	mov	bl, al
	mov	cl, 4
	shr	al, cl
	mov	dl, 'A'
	call	.floppy
	mov	al, bl
	and	al, 0x0F
	mov	dl, 'B'
	call	.floppy
	; Hard disks
	call	ata_print
	call	cd_print
	pop	ds
	ret
.floppy:
	test	al, al
	jz	.fret
	cmp	al, 5
	ja	.fret
	push	ax
	mov	si, str_floppy
	call	print_str
	mov	al, dl
	call	print_char
	mov	si, str_colon
	call	print_str
	pop	ax
	xor	ah, ah
	dec	ax
	shl	ax, 1
	mov	si, ax
	mov	si, [cs:floppy_names + si]
	call	print_str
	call	print_crlf
.fret:
	ret

; ext_mem_kib: DX:AX = KiB of RAM above 1 MiB, from CMOS 30h-31h, or from
; 34h-35h (64 KiB blocks above 16 MiB) when that is set.
ext_mem_kib:
	push	bx
	push	cx
	mov	al, CMOS_HIGHMEM + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_HIGHMEM
	call	cmos_read
	test	ax, ax
	jz	.low
	mov	cx, 64
	mul	cx
	add	ax, 15 * 1024
	adc	dx, 0
	jmp	.done
.low:
	mov	al, CMOS_EXTMEM + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_EXTMEM
	call	cmos_read
	xor	dx, dx
.done:
	pop	cx
	pop	bx
	ret

str_banner:	db	"ringzero BIOS (11/29/26)", 13, 10, 0
str_cpu:	db	"CPU: ", 0
str_family:	db	", family ", 0
str_fpu:	db	", FPU", 0
str_memory:	db	"Memory: ", 0
str_kib_base:	db	" KiB base, ", 0
str_kib_ext:	db	" KiB extended", 13, 10, 0
str_floppy:	db	"Floppy ", 0
str_colon:	db	": ", 0
cpu_names:	dw	.n86, .n186, .n286, .n386
.n86:		db	"8086", 0
.n186:		db	"80186", 0
.n286:		db	"80286", 0
.n386:		db	"80386 or later", 0
floppy_names:	dw	.f1, .f2, .f3, .f4, .f5
.f1:		db	"360K 5.25in", 0
.f2:		db	"1.2M 5.25in", 0
.f3:		db	"720K 3.5in", 0
.f4:		db	"1.44M 3.5in", 0
.f5:		db	"2.88M 3.5in", 0
