; INT 19h: bootstrap, and INT 18h: no bootable device.
;
; The boot order comes from CMOS as QEMU sets it: 3Dh bits 3-0 the first
; device, bits 7-4 the second, 38h bits 7-4 the third; 1 is the floppy A:,
; 2 the first hard disk, 3 the CD-ROM, 4 the network. 38h bit 0 set skips
; the 55AAh check on floppies. Without an order: floppy, then hard disk.
; Before any of them, a Linux kernel that the board loaded into RAM for
; -kernel is entered (linux_boot, below).

int19_handler:
	sti
	cld
	xor	ax, ax
	mov	ss, ax
	mov	sp, 0x7C00
	mov	ax, BDA_SEG
	mov	ds, ax
	call	linux_boot		; returns when no kernel is loaded
	mov	al, CMOS_BOOT12
	call	cmos_read
	mov	bl, al
	mov	al, CMOS_BOOT3
	call	cmos_read
	mov	bh, al
	mov	cl, 4
	mov	al, bl			; the three devices in order
	and	al, 0x0F
	mov	ah, bl
	shr	ah, cl
	mov	dl, bh
	shr	dl, cl
	mov	dh, bh			; DH bit 0: no floppy signature check
	test	ax, ax
	jnz	.order
	test	dl, dl
	jnz	.order
	mov	ax, 0x0201		; floppy, hard disk
.order:
	push	dx
	push	ax
	call	boot_device
	pop	ax
	pop	dx
	mov	al, ah
	push	dx
	push	ax
	call	boot_device
	pop	ax
	pop	dx
	mov	al, dl
	call	boot_device
	int	0x18

; boot_device: AL = device code, DH bit 0 = skip the floppy check. Returns
; only when the device cannot boot.
boot_device:
	cmp	al, 1
	je	boot_floppy
	cmp	al, 2
	je	boot_disk
	cmp	al, 3
	je	.cdrom
	cmp	al, 4
	je	.network
	ret
.cdrom:
	jmp	boot_cdrom
.network:
	mov	si, str_no_network
	jmp	print_str

boot_floppy:
	mov	si, str_boot_floppy
	call	print_str
	xor	dl, dl
	call	fd_type
	jnz	.present
	mov	si, str_no_drive
	jmp	print_str
.present:
	push	dx
	xor	dl, dl
	call	boot_read
	pop	dx
	jc	.failed
	test	dh, 0x01
	jnz	.go
	xor	ax, ax
	mov	es, ax
	cmp	word [es:0x7DFE], 0xAA55
	jne	.not_bootable
.go:
	xor	dl, dl
	jmp	boot_jump
.failed:
	mov	si, str_read_error
	call	print_str
	mov	al, ah
	call	print_hex8
	jmp	print_crlf
.not_bootable:
	mov	si, str_not_bootable
	jmp	print_str

boot_disk:
	mov	si, str_boot_disk
	call	print_str
	cmp	byte [BDA_HDCOUNT], 0
	jne	.present
	mov	si, str_no_drive
	jmp	print_str
.present:
	mov	dl, 0x80
	call	boot_read
	jc	boot_floppy.failed
	xor	ax, ax
	mov	es, ax
	cmp	word [es:0x7DFE], 0xAA55
	jne	boot_floppy.not_bootable
	mov	dl, 0x80
	jmp	boot_jump

; boot_read: DL = drive. Reads its first sector to 0000:7C00h, with a
; reset and up to three tries. CF=1 and AH = status on failure.
boot_read:
	mov	cx, 3
.try:
	push	cx
	push	dx
	xor	ax, ax
	mov	es, ax
	mov	bx, 0x7C00
	mov	ax, 0x0201
	mov	cx, 0x0001
	xor	dh, dh
	int	0x13
	pop	dx
	pop	cx
	jnc	.ret
	push	ax
	xor	ah, ah
	int	0x13			; reset
	pop	ax
	loop	.try
	stc
.ret:
	ret

; boot_jump: DL = boot drive. Jumps to 0000:7C00h with DS = ES = SS = 0.
boot_jump:
	mov	si, str_booting
	call	print_str
	cli
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x7C00
	xor	bx, bx
	xor	cx, cx
	xor	si, si
	xor	di, di
	xor	bp, bp
	xor	dh, dh
	sti
	jmp	0x0000:0x7C00

; linux_boot enters a Linux kernel that the board loaded into RAM for
; -kernel (bios/linuxboot), before any disk is tried, as QEMU's linuxboot
; option ROM does. The board says so in CMOS: 7Bh = 4Ch ('L'), 7Ch-7Dh the
; segment of the kernel's real-mode setup code, 7Eh-7Fh the stack pointer.
; The byte at 7Bh is cleared first, so a reboot boots the disks unless the
; board loads the kernel again. The entry follows the Linux boot protocol
; ("Running the Kernel"): CS = segment + 20h, IP = 0, DS = ES = FS = GS =
; SS = segment, interrupts off. Returns, with a message, when the CPU is
; older than a 386 or there is no "HdrS" setup header at segment:0202h.
; DS = BDA.
linux_boot:
	mov	al, CMOS_LINUX
	call	cmos_read
	cmp	al, LINUX_MAGIC
	jne	.ret
	mov	ax, CMOS_LINUX		; AH = 0: taken
	call	cmos_write
	mov	al, CMOS_LINUX_SEG + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_LINUX_SEG
	call	cmos_read
	mov	bx, ax			; BX = setup segment
	mov	al, CMOS_LINUX_SP + 1
	call	cmos_read
	mov	ah, al
	mov	al, CMOS_LINUX_SP
	call	cmos_read
	mov	cx, ax			; CX = stack pointer
	mov	si, str_boot_linux
	call	print_str
	mov	es, [BDA_EBDA]
	cmp	byte [es:EBDA_CPU], 3
	jb	.old_cpu
	mov	es, bx
	cmp	word [es:0x202], 0x6448	; "Hd"
	jne	.no_kernel
	cmp	word [es:0x204], 0x5372	; "rS"
	jne	.no_kernel
	mov	si, str_booting
	call	print_str
	cli
	mov	ds, bx
	mov	es, bx
	cpu	386
	mov	fs, bx
	mov	gs, bx
	cpu	8086
	mov	ss, bx
	mov	sp, cx
	add	bx, 0x20
	push	bx			; CS
	xor	ax, ax
	push	ax			; IP
	xor	bx, bx
	xor	cx, cx
	xor	dx, dx
	xor	si, si
	xor	di, di
	xor	bp, bp
	retf
.old_cpu:
	mov	si, str_linux_cpu
	jmp	print_str
.no_kernel:
	mov	si, str_linux_missing
	jmp	print_str
.ret:
	ret

; INT 18h: nothing could boot. Says so and waits forever (with interrupts
; on, so that Ctrl-Alt-Del still works).
int18_handler:
	sti
	mov	ax, BDA_SEG
	mov	ds, ax
	mov	si, str_no_boot
	call	print_str
.halt:
	hlt
	jmp	.halt

str_boot_floppy:	db	"Booting from floppy A:...", 13, 10, 0
str_boot_disk:		db	"Booting from hard disk...", 13, 10, 0
str_no_drive:		db	"  no such drive", 13, 10, 0
str_read_error:		db	"  read error ", 0
str_not_bootable:	db	"  not a bootable disk", 13, 10, 0
str_no_network:		db	"Booting from network: not supported", 13, 10, 0
str_booting:		db	13, 10, 0
str_no_boot:		db	"No bootable device.", 13, 10, 0
str_boot_linux:		db	"Booting the Linux kernel in memory...", 13, 10, 0
str_linux_cpu:		db	"  Linux needs a 386 or later", 13, 10, 0
str_linux_missing:	db	"  no Linux setup header there", 13, 10, 0
