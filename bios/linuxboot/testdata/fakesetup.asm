; fakesetup.asm: the real-mode part of a fake Linux bzImage, for the
; linuxboot tests. Build: nasm -f bin -o fakesetup.bin fakesetup.asm
; (go generate in bios/linuxboot; a test checks the committed image).
;
; It is a boot sector and SETUP_SECTS setup sectors with a boot protocol
; 2.15 setup header, as a real kernel's are; the test appends the
; protected-mode part and sets syssize. Entered by a boot loader at
; segment+20h:0000 (the header's jump), it checks what the boot protocol
; promises at entry, then reports on port E9h and the screen (INT 10h):
;
;   fake setup: entry ok
;   cmdline: <the command line at cmd_line_ptr>
;   initrd: <size> bytes: <its first 16 bytes, read with INT 15h AH=87h>
;   e820: <base> <length> <type>          (one line per INT 15h E820h entry)
;   acpi: rsdp at e0000 <yes|no>, pm1a_cnt <PM1_CNT at port 604h>
;   setup ok
;
; and writes 10h to isa-debug-exit at F4h (exit status 21h). A failed
; check prints "setup FAIL <letter>" and writes 11h (status 23h): F flags
; (IF set), S segments differ, C CS is not DS+20h, P SP outside the heap
; end, L loader fields (type_of_loader, CAN_USE_HEAP), I INT 15h AH=87h.
; It never enters protected mode.

	bits	16
	cpu	386
	org	0

SETUP_SECTS	equ	4

; ---------------------------------------------------------------------------
; The boot sector's header fields (boot protocol, "The Real-Mode Kernel
; Header").
; ---------------------------------------------------------------------------
	times	0x1F1 - ($ - $$) db 0
	db	SETUP_SECTS		; 1F1 setup_sects
	dw	0			; 1F2 root_flags
	dd	0			; 1F4 syssize: set by the test
	dw	0			; 1F8 ram_size
	dw	0			; 1FA vid_mode: the loader writes it
	dw	0			; 1FC root_dev
	dw	0xAA55			; 1FE boot_flag

; 200h: the entry point, and the rest of the header.
	jmp	short start		; 200 jump; 201 is the header's length - 2
	db	"HdrS"			; 202 header
	dw	0x020F			; 206 version 2.15
	dd	0			; 208 realmode_swtch
	dw	0x1000			; 20C start_sys_seg
	dw	kernel_version - 0x200	; 20E kernel_version
	db	0			; 210 type_of_loader
	db	0x01			; 211 loadflags: LOADED_HIGH
	dw	0x8000			; 212 setup_move_size
	dd	0x100000		; 214 code32_start
	dd	0			; 218 ramdisk_image
	dd	0			; 21C ramdisk_size
	dd	0			; 220 bootsect_kludge
	dw	0			; 224 heap_end_ptr
	db	0			; 226 ext_loader_ver
	db	0			; 227 ext_loader_type
	dd	0			; 228 cmd_line_ptr
	dd	0x37FFFFFF		; 22C initrd_addr_max
	dd	0x200000		; 230 kernel_alignment
	db	1			; 234 relocatable_kernel
	db	21			; 235 min_alignment (log2)
	dw	0			; 236 xloadflags
	dd	2047			; 238 cmdline_size
	dd	0			; 23C hardware_subarch
	dq	0			; 240 hardware_subarch_data
	dd	0			; 248 payload_offset
	dd	0			; 24C payload_length
	dq	0			; 250 setup_data
	dq	0x100000		; 258 pref_address
	dd	0x100000		; 260 init_size
	dd	0			; 264 handover_offset
	dd	0			; 268 kernel_info_offset

; ---------------------------------------------------------------------------
; The code. CS = DS + 20h, so data is addressed through DS (offsets from
; the setup's start) and the code uses relative jumps and calls only.
; ---------------------------------------------------------------------------
start:
	mov	[entry_sp], sp
	pushf
	pop	word [entry_flags]
	mov	[entry_cs], cs
	mov	[entry_es], es
	mov	[entry_fs], fs
	mov	[entry_gs], gs
	mov	[entry_ss], ss
	cld

	mov	bl, 'F'			; interrupts off
	test	word [entry_flags], 0x0200
	jnz	fail
	mov	bl, 'S'			; DS = ES = FS = GS = SS
	mov	ax, ds
	cmp	ax, [entry_es]
	jne	fail
	cmp	ax, [entry_fs]
	jne	fail
	cmp	ax, [entry_gs]
	jne	fail
	cmp	ax, [entry_ss]
	jne	fail
	mov	bl, 'C'			; CS = DS + 20h
	add	ax, 0x20
	cmp	ax, [entry_cs]
	jne	fail
	mov	bl, 'P'			; heap_end_ptr < SP <= heap_end_ptr + 200h
	movzx	eax, word [entry_sp]	; (SP 0 is 10000h, the end of the segment)
	dec	ax
	inc	eax
	movzx	edx, word [0x224]
	cmp	eax, edx
	jbe	fail
	add	edx, 0x200
	cmp	eax, edx
	ja	fail
	mov	bl, 'L'			; type_of_loader B0h, CAN_USE_HEAP
	cmp	byte [0x210], 0xB0
	jne	fail
	test	byte [0x211], 0x80
	jz	fail
	mov	si, msg_entry
	call	print

	; The command line.
	mov	si, msg_cmdline
	call	print
	mov	eax, [0x228]
	call	print_linear
	call	crlf

	; The initrd's size and first 16 bytes.
	mov	eax, [0x21C]
	test	eax, eax
	jz	.no_initrd
	mov	si, msg_initrd
	call	print
	call	print_hex32
	mov	si, msg_bytes
	call	print
	mov	eax, [0x218]		; source descriptor: the initrd
	mov	[gdt87 + 0x12], ax
	shr	eax, 16
	mov	[gdt87 + 0x14], al
	mov	[gdt87 + 0x17], ah
	xor	eax, eax		; target: buf
	mov	ax, ds
	shl	eax, 4
	add	eax, buf
	mov	[gdt87 + 0x1A], ax
	shr	eax, 16
	mov	[gdt87 + 0x1C], al
	mov	[gdt87 + 0x1F], ah
	mov	si, gdt87
	mov	cx, 8			; words
	mov	ah, 0x87
	int	0x15
	mov	bl, 'I'
	jc	fail
	mov	si, buf
	mov	cx, 16
.byte:
	lodsb
	cmp	al, 0x20
	jb	.dot
	cmp	al, 0x7E
	jbe	.put
.dot:
	mov	al, '.'
.put:
	call	putc
	loop	.byte
	call	crlf
.no_initrd:

	; The E820 map.
	xor	ebx, ebx
.e820:
	mov	eax, 0xE820
	mov	edx, 0x534D4150		; "SMAP"
	mov	ecx, 20
	mov	di, buf
	int	0x15
	jc	.e820_done
	cmp	eax, 0x534D4150
	jne	.e820_done
	push	ebx			; the continuation, kept from INT 10h
	mov	si, msg_e820
	call	print
	mov	eax, [buf]
	call	print_hex32
	call	space
	mov	eax, [buf + 8]
	call	print_hex32
	call	space
	mov	al, [buf + 16]
	add	al, '0'
	call	putc
	call	crlf
	pop	ebx
	test	ebx, ebx
	jnz	.e820
.e820_done:

	; ACPI: the RSDP at E0000h, and PM1_CNT (SCI_EN is bit 0).
	mov	si, msg_acpi
	call	print
	mov	si, msg_no
	push	ds
	mov	ax, 0xE000
	mov	ds, ax
	cmp	dword [0], "RSD "
	jne	.no_rsdp
	cmp	dword [4], "PTR "
	jne	.no_rsdp
	pop	ds
	mov	si, msg_yes
	push	ds
.no_rsdp:
	pop	ds
	call	print
	mov	si, msg_pm1
	call	print
	mov	dx, 0x604
	in	ax, dx
	call	print_hex16
	call	crlf

	mov	si, msg_ok
	call	print
	mov	al, 0x10
	out	0xF4, al
.halt:
	cli
	hlt
	jmp	.halt

fail:
	mov	si, msg_fail
	call	print
	mov	al, bl
	call	putc
	mov	si, msg_state		; and the entry state, to tell why
	call	print
	mov	ax, [entry_cs]
	call	print_hex16
	mov	si, msg_ds
	call	print
	mov	ax, ds
	call	print_hex16
	mov	si, msg_ss
	call	print
	mov	ax, [entry_ss]
	call	print_hex16
	mov	si, msg_sp
	call	print
	mov	ax, [entry_sp]
	call	print_hex16
	mov	si, msg_flags
	call	print
	mov	ax, [entry_flags]
	call	print_hex16
	mov	si, msg_heap
	call	print
	mov	ax, [0x224]
	call	print_hex16
	call	crlf
	mov	al, 0x11
	out	0xF4, al
	jmp	start.halt

; print: DS:SI = zero-terminated string.
print:
	push	ax
.loop:
	lodsb
	test	al, al
	jz	.done
	call	putc
	jmp	.loop
.done:
	pop	ax
	ret

; print_linear: EAX = linear address below 1 MiB of a zero-terminated
; string; prints at most 2048 characters.
print_linear:
	push	ds
	push	si
	push	cx
	mov	si, ax
	and	si, 0x0F
	shr	eax, 4
	mov	ds, ax
	mov	cx, 2048
.loop:
	lodsb
	test	al, al
	jz	.done
	call	putc
	loop	.loop
.done:
	pop	cx
	pop	si
	pop	ds
	ret

; print_hex32: EAX in 8 hex digits; print_hex16: AX in 4.
print_hex32:
	push	eax
	shr	eax, 16
	call	print_hex16
	pop	eax
print_hex16:
	push	ax
	mov	al, ah
	call	print_hex8
	pop	ax
print_hex8:
	push	ax
	shr	al, 4
	call	.digit
	pop	ax
	push	ax
	and	al, 0x0F
	call	.digit
	pop	ax
	ret
.digit:
	add	al, '0'
	cmp	al, '9'
	jbe	.out
	add	al, 'A' - '9' - 1
.out:
	jmp	putc

space:
	push	ax
	mov	al, ' '
	call	putc
	pop	ax
	ret

crlf:
	push	ax
	mov	al, 13
	call	putc
	mov	al, 10
	call	putc
	pop	ax
	ret

; putc: AL to port E9h and to the screen. Preserves all registers.
putc:
	push	ax
	push	bx
	out	0xE9, al
	mov	ah, 0x0E
	mov	bx, 0x0007
	int	0x10
	pop	bx
	pop	ax
	ret

msg_entry:	db	"fake setup: entry ok", 13, 10, 0
msg_cmdline:	db	"cmdline: ", 0
msg_initrd:	db	"initrd: ", 0
msg_bytes:	db	" bytes: ", 0
msg_e820:	db	"e820: ", 0
msg_acpi:	db	"acpi: rsdp at e0000 ", 0
msg_yes:	db	"yes", 0
msg_no:		db	"no", 0
msg_pm1:	db	", pm1a_cnt ", 0
msg_ok:		db	"setup ok", 13, 10, 0
msg_fail:	db	"setup FAIL ", 0
msg_state:	db	": cs ", 0
msg_ds:		db	" ds ", 0
msg_ss:		db	" ss ", 0
msg_sp:		db	" sp ", 0
msg_flags:	db	" flags ", 0
msg_heap:	db	" heap_end_ptr ", 0
kernel_version:	db	"0.0.0-fake (linuxboot test)", 0

	align	2
entry_sp:	dw	0
entry_flags:	dw	0
entry_cs:	dw	0
entry_es:	dw	0
entry_fs:	dw	0
entry_gs:	dw	0
entry_ss:	dw	0

; The INT 15h AH=87h descriptor table: 0 and 8 unused, 10h source,
; 18h target (limit FFFFh, data read/write), 20h and 28h the BIOS's.
	align	8
gdt87:
	times	16 db 0
	dw	0xFFFF, 0
	db	0, 0x93, 0, 0
	dw	0xFFFF, 0
	db	0, 0x93, 0, 0
	times	16 db 0

buf:	times	32 db 0

	times	(SETUP_SECTS + 1) * 512 - ($ - $$) db 0
