; mbkernel.asm: a Multiboot test kernel. A boot loader (QEMU's or
; ringzero's -kernel) enters it in 32-bit protected mode; it checks the
; machine state and the boot information it was given, reports on COM1
; (polled, and mirrored to port 0xE9), and ends by writing its verdict to
; the isa-debug-exit port 0xF4: 0 for a pass (exit status 1), or the
; number n of the failing check (status 2n+1).
;
; Four builds from this one source:
;
;   bin/mbkernel.img   Multiboot 1 with the "a.out kludge" address fields
;   bin/mb2kernel.img  Multiboot2 with address and entry tags
;   bin/mbkernel.elf   Multiboot 1 as an ELF32 executable
;   bin/mb2kernel.elf  Multiboot2 as an ELF32 executable
;
; The .img builds are 160 KB floppy images too, so that they sit among
; the other images: sector 0 is a boot sector that only says to boot the
; file with -kernel (and exits with status 3); the kernel starts at file
; offset 200h. The bytes after the kernel's data in the file are AAh: a
; loader that ignores load_end_addr puts them in the bss, which the kernel
; checks is zero. The .elf builds are ELF32 files written by hand (nasm -f
; bin, no linker): text at 100000h and data with its bss at 110000h, two
; PT_LOAD segments.
;
; What it prints (Multiboot 1; the loader name, the command line, the
; memory sizes and the modules come from the loader):
;
;   mbkernel: Multiboot a.out kludge
;   magic 0x2badb002 ok
;   cpu: protected mode, paging off, interrupts off ok
;   image: data ok, bss zero ok
;   info flags 0x0000024f
;   loader: ringzero
;   cmdline: mbkernel.img arg1 arg2
;   memory: lower 639 KB, upper 31744 KB
;   mmap: 5 entries, kernel in available RAM ok
;   modules: 2
;   module 0: 20 bytes, page-aligned: "mod0.txt x=1" holds "hello from module 0"
;   module 1: ...
;   mbkernel: pass
;
;; variant: mb2kernel -DMB2
;; elf: mbkernel -DELF
;; elf: mb2kernel -DMB2 -DELF

	cpu	386

KERNEL_ADDR	equ	0x100000	; text (and the Multiboot header)
DATA_ADDR	equ	0x110000	; ELF builds: the data segment
COM1		equ	0x3F8		; 16550: THR/DLL +0, IER/DLM +1, FCR +2, LCR +3, MCR +4, LSR +5
DEBUGCON	equ	0xE9
DEBUG_EXIT	equ	0xF4
FLOPPY_SIZE	equ	160 * 1024
STACK_SIZE	equ	4096
BSS_SIZE	equ	STACK_SIZE + 4096

MB1_MAGIC	equ	0x1BADB002
MB1_BOOT	equ	0x2BADB002
MB2_MAGIC	equ	0xE85250D6
MB2_BOOT	equ	0x36D76289

%ifdef ELF
TEXT_OFF	equ	0x1000		; file offsets of the two segments
DATA_OFF	equ	0x5000
%else
TEXT_OFF	equ	0x200
%endif

; Failure numbers (the exit status is 2n+1).
FAIL_MAGIC	equ	1
FAIL_CPU	equ	2
FAIL_IMAGE	equ	3
FAIL_FLAGS	equ	4
FAIL_MMAP	equ	5
FAIL_MODULE	equ	6
FAIL_TAGS	equ	7

%ifdef ELF
; ---------------------------------------------------------------------
; ELF32 header and program headers (System V ABI, i386 supplement).

	section	elfhdr start=0 vstart=0
ehdr:
	db	0x7F, "ELF", 1, 1, 1, 0	; ELFCLASS32, ELFDATA2LSB, EV_CURRENT, System V
	times	8 db 0
	dw	2			; e_type: ET_EXEC
	dw	3			; e_machine: EM_386
	dd	1			; e_version
	dd	entry			; e_entry
	dd	phdrs - ehdr		; e_phoff
	dd	0			; e_shoff: no section headers
	dd	0			; e_flags
	dw	52			; e_ehsize
	dw	32			; e_phentsize
	dw	2			; e_phnum
	dw	40, 0, 0		; e_shentsize, e_shnum, e_shstrndx
phdrs:
	; p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
	dd	1, TEXT_OFF, KERNEL_ADDR, KERNEL_ADDR, text_end - text_start, text_end - text_start, 5, 0x1000
	dd	1, DATA_OFF, DATA_ADDR, DATA_ADDR, data_end - data_start, data_end - data_start + BSS_SIZE, 6, 0x1000
%else
; ---------------------------------------------------------------------
; The boot sector: this file is a kernel, not a boot disk.

	section	boot start=0 vstart=0x7C00
	bits	16
	cli
	xor	ax, ax
	mov	ds, ax
	mov	si, boot_msg
	cld
.next:
	lodsb
	test	al, al
	jz	.done
	out	DEBUGCON, al
	jmp	.next
.done:
	mov	al, 1
	out	DEBUG_EXIT, al
.halt:
	hlt
	jmp	.halt
boot_msg:
	db	"mbkernel: this is a Multiboot kernel: boot it with -kernel", 13, 10, 0
	times	510 - ($ - $$) db 0
	dw	0xAA55
%endif

; ---------------------------------------------------------------------
; The kernel: the Multiboot header, then the code.

	section	text start=TEXT_OFF vstart=KERNEL_ADDR align=16
	bits	32
text_start:

%ifdef MB2
	align	8, db 0
mb2_header:
	dd	MB2_MAGIC, 0, mb2_header_end - mb2_header
	dd	0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	; Information request: the kernel cannot do without these.
	dw	1, 0
	dd	8 + 4 * 5
	dd	1, 2, 3, 4, 6		; cmdline, loader name, modules, basic memory, memory map
	align	8, db 0
%ifndef ELF
	dw	2, 0			; address tag
	dd	24
	dd	mb2_header, KERNEL_ADDR, data_end, bss_end
	dw	3, 0			; entry address tag
	dd	12
	dd	entry
	align	8, db 0
%endif
	dw	5, 1			; framebuffer tag, optional: 80x25 text
	dd	20
	dd	80, 25, 0
	align	8, db 0
	dw	0, 0			; end tag
	dd	8
mb2_header_end:
%else
%ifdef ELF
MB1_FLAGS	equ	0x00000003	; page-aligned modules, memory information
%else
MB1_FLAGS	equ	0x00010003	; the same, and the address fields
%endif
	align	4, db 0
mb1_header:
	dd	MB1_MAGIC, MB1_FLAGS, 0x100000000 - (MB1_MAGIC + MB1_FLAGS)
%ifndef ELF
	dd	mb1_header		; header_addr
	dd	KERNEL_ADDR		; load_addr
	dd	data_end		; load_end_addr
	dd	bss_end			; bss_end_addr
	dd	entry			; entry_addr
%endif
%endif

entry:
	; EAX and EBX first, and the state the loader left.
	mov	[boot_eax], eax
	mov	[boot_ebx], ebx
	pushfd
	pop	dword [boot_eflags]
	mov	eax, cr0
	mov	[boot_cr0], eax
	mov	esp, stack_top
	cld
	call	com_init

	mov	esi, s_banner
	call	puts

	; The magic.
	mov	esi, s_magic
	call	puts
	mov	eax, [boot_eax]
	call	puthex
%ifdef MB2
	cmp	eax, MB2_BOOT
%else
	cmp	eax, MB1_BOOT
%endif
	mov	al, FAIL_MAGIC
	jne	fail
	call	ok

	; The machine state (both specifications, 3.2): CR0.PE set, PG
	; clear; EFLAGS.IF and VM clear.
	mov	esi, s_cpu
	call	puts
	mov	eax, [boot_cr0]
	and	eax, 0x80000001
	cmp	eax, 1
	mov	al, FAIL_CPU
	jne	fail
	test	dword [boot_eflags], (1 << 9) | (1 << 17)
	jnz	fail
	call	ok

	; The image: initialised data where it belongs, bss zeroed.
	mov	esi, s_image
	call	puts
	cmp	dword [data_magic], 0x600DDA7A
	mov	al, FAIL_IMAGE
	jne	fail
	mov	edi, stack_top		; the bss above the stack, unused so far
	mov	ecx, (bss_end - stack_top) / 4
	xor	eax, eax
	repe	scasd
	mov	al, FAIL_IMAGE
	jne	fail
	call	ok

%ifdef MB2
	call	mb2_info
%else
	call	mb1_info
%endif

	mov	esi, s_pass
	call	puts
	call	com_drain
	mov	al, 0
	out	DEBUG_EXIT, al
	jmp	halt

; fail: AL = failure number. Reports it and exits with it.
fail:
	movzx	ebx, al
	mov	esi, s_fail
	call	puts
	mov	eax, ebx
	call	putdec
	mov	al, 10
	call	putc
	call	com_drain
	mov	eax, ebx
	out	DEBUG_EXIT, al
halt:
	cli
	hlt
	jmp	halt

%ifndef MB2
; ---------------------------------------------------------------------
; Multiboot 1 information (Multiboot Specification 0.6.96, 3.3).

mb1_info:
	mov	ebx, [boot_ebx]
	mov	esi, s_flags
	call	puts
	mov	eax, [ebx]
	call	puthex
	mov	al, 10
	call	putc
	; Needed: memory (bit 0), command line (2), modules (3), memory
	; map (6), loader name (9).
	mov	eax, [ebx]
	and	eax, 0x24D
	cmp	eax, 0x24D
	mov	al, FAIL_FLAGS
	jne	fail

	mov	esi, s_loader
	call	puts
	mov	esi, [ebx + 64]
	call	puts
	mov	al, 10
	call	putc

	mov	esi, s_cmdline
	call	puts
	mov	esi, [ebx + 16]
	call	puts
	mov	al, 10
	call	putc

	mov	eax, [ebx + 4]
	mov	edx, [ebx + 8]
	call	print_memory

	; The memory map: entries of size+4 bytes from mmap_addr.
	mov	esi, [ebx + 48]
	mov	edi, esi
	add	edi, [ebx + 44]
	xor	ecx, ecx		; entries
	xor	ebp, ebp		; the kernel found in available RAM
.mmap:
	cmp	esi, edi
	jae	.mmap_done
	inc	ecx
	lea	eax, [esi + 4]
	call	check_range
	add	esi, [esi]
	add	esi, 4
	jmp	.mmap
.mmap_done:
	call	print_mmap

	; Modules: 16 bytes each (start, end, string, reserved).
	mov	esi, s_modules
	call	puts
	mov	eax, [ebx + 20]
	call	putdec
	mov	al, 10
	call	putc
	mov	ecx, [ebx + 20]
	mov	esi, [ebx + 24]
	xor	edx, edx		; module number
.mod:
	jecxz	.mod_done
	mov	eax, [esi]
	mov	edi, [esi + 4]
	push	esi
	mov	esi, [esi + 8]
	call	print_module
	pop	esi
	add	esi, 16
	inc	edx
	dec	ecx
	jmp	.mod
.mod_done:
	ret

%else
; ---------------------------------------------------------------------
; Multiboot2 information (Multiboot2 Specification, 3.6): tags after an
; 8-byte header, each 8-byte aligned, ending with tag 0.

mb2_info:
	mov	ebx, [boot_ebx]
	mov	esi, s_total
	call	puts
	mov	eax, [ebx]
	call	putdec
	mov	al, 10
	call	putc
	lea	esi, [ebx + 8]
	xor	edx, edx		; module number
	xor	ebp, ebp		; bit n: tag n seen
.tag:
	mov	eax, [esi]
	test	eax, eax
	jz	.end
	cmp	eax, 32
	jae	.next
	bts	ebp, eax
	cmp	eax, 1
	je	.cmdline
	cmp	eax, 2
	je	.loader
	cmp	eax, 3
	je	.module
	cmp	eax, 4
	je	.meminfo
	cmp	eax, 6
	je	.mmap
	cmp	eax, 8
	je	.fb
.next:
	mov	eax, [esi + 4]
	add	eax, 7
	and	eax, ~7
	add	esi, eax
	jmp	.tag
.cmdline:
	push	esi
	mov	esi, s_cmdline
	call	puts
	pop	esi
	push	esi
	add	esi, 8
	call	puts
	mov	al, 10
	call	putc
	pop	esi
	jmp	.next
.loader:
	push	esi
	mov	esi, s_loader
	call	puts
	pop	esi
	push	esi
	add	esi, 8
	call	puts
	mov	al, 10
	call	putc
	pop	esi
	jmp	.next
.module:
	push	esi
	mov	eax, [esi + 8]
	mov	edi, [esi + 12]
	add	esi, 16
	call	print_module
	pop	esi
	inc	edx
	jmp	.next
.meminfo:
	push	edx
	mov	eax, [esi + 8]
	mov	edx, [esi + 12]
	call	print_memory
	pop	edx
	jmp	.next
.mmap:
	push	esi
	push	edx
	push	ebp
	mov	edi, esi
	add	edi, [esi + 4]		; the tag's end
	mov	edx, [esi + 8]		; entry size
	add	esi, 16
	xor	ecx, ecx
	xor	ebp, ebp
.entry:
	cmp	esi, edi
	jae	.entries_done
	inc	ecx
	mov	eax, esi
	call	check_range
	add	esi, edx
	jmp	.entry
.entries_done:
	call	print_mmap
	pop	ebp
	pop	edx
	pop	esi
	jmp	.next
.fb:
	push	esi
	mov	esi, s_fb
	call	puts
	pop	esi
	push	esi
	movzx	eax, byte [esi + 29]	; type
	call	putdec
	mov	al, ','
	call	putc
	mov	al, ' '
	call	putc
	mov	eax, [esi + 20]		; width
	call	putdec
	mov	al, 'x'
	call	putc
	mov	eax, [esi + 24]		; height
	call	putdec
	mov	esi, s_at
	call	puts
	pop	esi
	mov	eax, [esi + 8]		; address (low half)
	call	puthex
	mov	al, 10
	call	putc
	; Write on the screen through it.
	push	esi
	mov	edi, [esi + 8]
	mov	esi, s_screen
	mov	ah, 0x1F		; white on blue
.screen:
	lodsb
	test	al, al
	jz	.screen_done
	stosw
	jmp	.screen
.screen_done:
	pop	esi
	jmp	.next
.end:
	; Needed: command line, loader name, basic memory, memory map.
	and	ebp, (1 << 1) | (1 << 2) | (1 << 4) | (1 << 6)
	cmp	ebp, (1 << 1) | (1 << 2) | (1 << 4) | (1 << 6)
	mov	al, FAIL_TAGS
	jne	fail
	ret
%endif

; ---------------------------------------------------------------------
; Shared reporting.

; print_memory: EAX = mem_lower, EDX = mem_upper (KiB). Keeps every
; register.
print_memory:
	pushad
	mov	esi, s_memory
	call	puts
	call	putdec
	mov	esi, s_upper
	call	puts
	mov	eax, edx
	call	putdec
	mov	esi, s_kb
	call	puts
	popad
	ret

; check_range: EAX -> a memory map entry's base (u64), length (u64) and
; type (u32). Sets EBP if it is available RAM holding the whole kernel.
; Keeps every register but EBP.
check_range:
	pushad
	cmp	dword [eax + 16], 1	; available
	jne	.no
	cmp	dword [eax + 4], 0	; base below 4 GiB
	jne	.no
	mov	ebx, [eax]		; base
	cmp	ebx, text_start
	ja	.no
	mov	ecx, [eax + 8]		; length (low half; the high half counts as all ones)
	cmp	dword [eax + 12], 0
	je	.len
	mov	ecx, 0xFFFFFFFF
.len:
	add	ecx, ebx
	jc	.yes			; runs to 4 GiB
	cmp	ecx, bss_end
	jb	.no
.yes:
	popad
	mov	ebp, 1
	ret
.no:
	popad
	ret

; print_mmap: ECX = entries, EBP = the kernel was found in available RAM.
print_mmap:
	mov	esi, s_mmap
	call	puts
	mov	eax, ecx
	call	putdec
	mov	esi, s_entries
	call	puts
	test	ebp, ebp
	mov	al, FAIL_MMAP
	jz	fail
	jmp	ok

; print_module: EDX = number, EAX = start, EDI = end, ESI = its string.
; A module must start on a page boundary. Keeps every register.
print_module:
	pushad
	mov	ebx, eax		; start
	mov	ebp, esi		; string
	mov	esi, s_module
	call	puts
	mov	eax, edx
	call	putdec
	mov	esi, s_colon
	call	puts
	mov	eax, edi
	sub	eax, ebx
	call	putdec
	test	ebx, 0xFFF
	mov	al, FAIL_MODULE
	jnz	fail
	mov	esi, s_aligned
	call	puts
	mov	esi, ebp
	call	puts
	mov	esi, s_holds
	call	puts
	mov	esi, ebx		; its first line, at most 40 bytes
	mov	ecx, 40
.line:
	cmp	esi, edi
	jae	.line_done
	lodsb
	cmp	al, 10
	je	.line_done
	call	putc
	loop	.line
.line_done:
	mov	al, '"'
	call	putc
	mov	al, 10
	call	putc
	popad
	ret

; ok prints " ok" and a new line.
ok:
	push	esi
	mov	esi, s_ok
	call	puts
	pop	esi
	ret

; ---------------------------------------------------------------------
; COM1, polled, 115200 8N1; everything is mirrored to port 0xE9.

com_init:
	mov	dx, COM1 + 1
	mov	al, 0
	out	dx, al			; IER: no interrupts
	mov	dx, COM1 + 3
	mov	al, 0x80
	out	dx, al			; LCR: DLAB
	mov	dx, COM1
	mov	al, 1
	out	dx, al			; divisor 1: 115200 baud
	inc	dx
	mov	al, 0
	out	dx, al
	mov	dx, COM1 + 3
	mov	al, 0x03
	out	dx, al			; LCR: 8N1
	dec	dx
	mov	al, 0x07
	out	dx, al			; FCR: FIFOs on and cleared
	mov	dx, COM1 + 4
	mov	al, 0x03
	out	dx, al			; MCR: DTR, RTS
	ret

; com_drain waits until the last character has left the UART (LSR
; transmitter empty), so that nothing is lost when the machine exits.
com_drain:
	push	eax
	push	edx
	mov	dx, COM1 + 5
.wait:
	in	al, dx
	test	al, 0x40		; LSR: TEMT
	jz	.wait
	pop	edx
	pop	eax
	ret

; putc: AL. Keeps every register.
putc:
	push	edx
	push	eax
	mov	dx, COM1 + 5
.wait:
	in	al, dx
	test	al, 0x20		; LSR: THR empty
	jz	.wait
	mov	eax, [esp]
	mov	dx, COM1
	out	dx, al
	out	DEBUGCON, al
	pop	eax
	pop	edx
	ret

; puts: ESI -> NUL-terminated string. Keeps every register but ESI.
puts:
	push	eax
.next:
	lodsb
	test	al, al
	jz	.done
	call	putc
	jmp	.next
.done:
	pop	eax
	ret

; putdec: EAX in decimal. Keeps every register.
putdec:
	pushad
	mov	ebx, 10
	xor	ecx, ecx
.div:
	xor	edx, edx
	div	ebx
	push	edx
	inc	ecx
	test	eax, eax
	jnz	.div
.out:
	pop	eax
	add	al, '0'
	call	putc
	loop	.out
	popad
	ret

; puthex: EAX as 0x and eight hex digits. Keeps every register.
puthex:
	pushad
	mov	ebx, eax
	mov	al, '0'
	call	putc
	mov	al, 'x'
	call	putc
	mov	ecx, 8
.digit:
	rol	ebx, 4
	mov	eax, ebx
	and	eax, 15
	mov	al, [hex_digits + eax]
	call	putc
	loop	.digit
	popad
	ret

hex_digits:	db	"0123456789abcdef"
%ifdef MB2
%ifdef ELF
s_banner:	db	"mbkernel: Multiboot2 ELF32", 10, 0
%else
s_banner:	db	"mbkernel: Multiboot2 a.out kludge", 10, 0
%endif
s_magic:	db	"magic ", 0
s_total:	db	"info size ", 0
s_fb:		db	"framebuffer: type ", 0
s_at:		db	" at ", 0
s_screen:	db	"ringzero mb2kernel", 0
%else
%ifdef ELF
s_banner:	db	"mbkernel: Multiboot ELF32", 10, 0
%else
s_banner:	db	"mbkernel: Multiboot a.out kludge", 10, 0
%endif
s_magic:	db	"magic ", 0
s_flags:	db	"info flags ", 0
s_modules:	db	"modules: ", 0
%endif
s_cpu:		db	"cpu: protected mode, paging off, interrupts off", 0
s_image:	db	"image: data ok, bss zero", 0
s_loader:	db	"loader: ", 0
s_cmdline:	db	"cmdline: ", 0
s_memory:	db	"memory: lower ", 0
s_upper:	db	" KB, upper ", 0
s_kb:		db	" KB", 10, 0
s_mmap:		db	"mmap: ", 0
s_entries:	db	" entries, kernel in available RAM", 0
s_module:	db	"module ", 0
s_colon:	db	": ", 0
s_aligned:	db	" bytes, page-aligned: ", 34, 0
s_holds:	db	34, " holds ", 34, 0
s_ok:		db	" ok", 10, 0
s_pass:		db	"mbkernel: pass", 10, 0
s_fail:		db	"mbkernel: FAIL ", 0

	align	16, db 0
text_end:
%ifdef ELF
%if TEXT_OFF + (text_end - text_start) > DATA_OFF
%error "the text runs into the data segment's file offset"
%endif
%endif

; ---------------------------------------------------------------------
; Data, then bss (ELF: a segment of its own at DATA_ADDR; a.out: right
; after the text, as the address fields require).

%ifdef ELF
	section	data start=DATA_OFF vstart=DATA_ADDR align=16
%else
	section	data follows=text vfollows=text align=16
%endif
data_start:
data_magic:	dd	0x600DDA7A
boot_eax:	dd	0
boot_ebx:	dd	0
boot_eflags:	dd	0
boot_cr0:	dd	0
	align	16, db 0
data_end:

	section	bss nobits vfollows=data valign=16
bss_start:
	resb	STACK_SIZE
stack_top:
	resb	BSS_SIZE - STACK_SIZE	; more bss, checked to be zero
bss_end:

%ifndef ELF
; The rest of the floppy image: not part of the kernel (load_end_addr
; stops before it).
	section	pad follows=data align=1
	times	FLOPPY_SIZE - TEXT_OFF - (text_end - text_start) - (data_end - data_start) db 0xAA
%endif
