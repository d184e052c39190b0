; ringzero BIOS: a 64 KiB real-mode PC BIOS for the ringzero board and for
; qemu-system-i386 -M pc, written from scratch.
;
; The image is the F000 segment: offset 0 is linear F0000 and the reset
; vector F000:FFF0 jumps to POST. Code and tables live in the low part of
; the segment; from E05B upward sit the entry points and tables that the
; IBM PC/AT BIOS had at fixed addresses (IBM AT Technical Reference, BIOS
; listing), each a jump or a table, so old programs that call them work.
;
; The BIOS reaches devices only through their I/O ports (and VGA memory),
; keeps its state in the BIOS data area (0040:0000) and the extended BIOS
; data area (segment in 40:0E), and never writes to its own segment, so it
; also runs from ROM under KVM.
;
; Most code is 8086 code (cpu 8086 below makes NASM reject anything newer)
; so that the -cpu 8086 machine boots too; 186 and 386 instructions appear
; only in paths that check the CPU level found at POST, or in services
; (E820h, E801h, 87h) that only a 386 program calls.
;
; Build: bios/build.sh (nasm -f bin). Every file here is %included below.

	cpu	8086
	bits	16
	org	0

%include "equates.asm"

; ---------------------------------------------------------------------------
; Code and data, from F000:0000 up to the fixed area.
; ---------------------------------------------------------------------------
bios_start:
	db	"ringzero BIOS", 0

%include "post.asm"
%include "print.asm"
%include "video.asm"
%include "vidtext.asm"
%include "vidpal.asm"
%include "vgatables.asm"
%include "floppy.asm"
%include "fdfuncs.asm"
%include "ata.asm"
%include "atapi.asm"
%include "disk.asm"
%include "keyboard.asm"
%include "services.asm"
%include "timer.asm"
%include "boot.asm"
%include "acpi.asm"
%include "font.asm"

code_end:

; ---------------------------------------------------------------------------
; The fixed area: IBM PC/AT compatible entry points and tables. AT pads with
; zeros up to an address and fails the build if the code above ran past it.
; ---------------------------------------------------------------------------
%macro AT 1
	times	(%1) - ($ - $$) db 0
%endmacro

	AT	0xE05B			; POST entry
	jmp	post

	AT	0xE2C3			; NMI handler
	jmp	int02_nmi

	AT	0xE3FE			; INT 13h hard disk entry (the whole INT 13h here)
	jmp	int13_handler

	AT	0xE401			; fixed disk parameter table for type 1 drives:
	; kept for the address only; drives described by INT 41h/46h are in
	; the EBDA. Type 1 is 306 cylinders, 4 heads, 17 sectors.
	dw	306
	db	4, 0, 0, 0, 0, 0, 0, 0, 0, 0
	dw	305
	db	17, 0

	AT	0xE6F2			; INT 19h bootstrap
	jmp	int19_handler

	AT	0xE6F5			; INT 15h AH=C0h system configuration table
config_table:
	dw	8			; bytes that follow
	db	0xFC			; model: AT
	db	0x01			; submodel
	db	0x00			; BIOS revision
	db	0x70			; feature 1: 2nd PIC, RTC, INT 15h/4Fh from INT 09h
	db	0x40			; feature 2: INT 16h AH=09h supported
	db	0, 0, 0			; features 3-5

	AT	0xE729			; baud rate divisors for INT 14h AH=00h
baud_table:
	dw	1047, 768, 384, 192, 96, 48, 24, 12	; 110 .. 9600 baud

	AT	0xE739			; INT 14h serial
	jmp	int14_handler

	AT	0xE82E			; INT 16h keyboard
	jmp	int16_handler

	AT	0xE987			; INT 09h keyboard IRQ
	jmp	int09_handler

	AT	0xEC59			; INT 13h diskette (INT 40h)
	jmp	int40_handler

	AT	0xEF57			; INT 0Eh diskette IRQ
	jmp	int0e_handler

	AT	0xEFC7			; INT 1Eh diskette parameter table (1.44M)
dpt_default:
	db	0xAF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08

	AT	0xEFD2			; INT 17h printer
	jmp	int17_handler

	AT	0xF065			; INT 10h video
	jmp	int10_handler

	AT	0xF0A4			; INT 1Dh video parameter table (CGA 6845 values)
video_params:
	db	0x38, 0x28, 0x2D, 0x0A, 0x1F, 0x06, 0x19, 0x1C, 0x02, 0x07, 0x06, 0x07, 0, 0, 0, 0
	db	0x71, 0x50, 0x5A, 0x0A, 0x1F, 0x06, 0x19, 0x1C, 0x02, 0x07, 0x06, 0x07, 0, 0, 0, 0
	db	0x38, 0x28, 0x2D, 0x0A, 0x7F, 0x06, 0x64, 0x70, 0x02, 0x01, 0x06, 0x07, 0, 0, 0, 0
	db	0x61, 0x50, 0x52, 0x0F, 0x19, 0x06, 0x19, 0x19, 0x02, 0x0D, 0x0B, 0x0C, 0, 0, 0, 0
	dw	0x0800, 0x1000, 0x4000, 0x4000	; regen buffer lengths
	db	40, 40, 80, 80, 40, 40, 80, 80	; columns of modes 0-7
	db	0x2C, 0x28, 0x2D, 0x29, 0x2A, 0x2E, 0x1E, 0x29	; CGA mode register

	AT	0xF841			; INT 12h memory size
	jmp	int12_handler

	AT	0xF84D			; INT 11h equipment
	jmp	int11_handler

	AT	0xF859			; INT 15h system services
	jmp	int15_handler

	AT	0xFA6E			; 8x8 font, characters 0-127 (graphics modes)
	FONT8_LOW

	AT	0xFE6E			; INT 1Ah time of day
	jmp	int1a_handler

	AT	0xFEA5			; INT 08h timer IRQ
	jmp	int08_handler

	AT	0xFEF3			; offsets of the handlers of INT 08h-1Fh
vector_table:
	dw	0xFEA5, 0xE987, irq_master_default, irq_master_default	; 08-0B
	dw	irq_master_default, irq_master_default, 0xEF57, irq_master_default ; 0C-0F
	dw	0xF065, 0xF84D, 0xF841, 0xE3FE				; 10-13
	dw	0xE739, 0xF859, 0xE82E, 0xEFD2				; 14-17
	dw	int18_handler, 0xE6F2, 0xFE6E, dummy_iret		; 18-1B
	dw	dummy_iret, 0xF0A4, 0xEFC7, font8x8 + 128 * 8		; 1C-1F

	AT	0xFF23			; default handler of unexpected IRQs
	jmp	irq_master_default

	AT	0xFF53			; dummy IRET
dummy_iret:
	iret

	AT	0xFF54			; INT 05h print screen: not implemented
	iret

	AT	0xFFF0			; reset vector
	jmp	0xF000:0xE05B
	db	"11/29/26"		; BIOS date at F000:FFF5
	db	0
	db	0xFC			; model byte at F000:FFFE: AT
	db	0
