; Equates and macros shared by every part of the BIOS.

; ---------------------------------------------------------------------------
; BIOS data area, segment 0040h (IBM AT Technical Reference; Ralf Brown's
; interrupt list, MEMORY.LST). Offsets are relative to segment 40h.
; ---------------------------------------------------------------------------
BDA_SEG		equ	0x40
BDA_COM		equ	0x00	; 4 words: serial port bases
BDA_LPT		equ	0x08	; 3 words: printer port bases
BDA_EBDA	equ	0x0E	; word: EBDA segment
BDA_EQUIP	equ	0x10	; word: equipment list (INT 11h)
BDA_MEMSIZE	equ	0x13	; word: conventional memory in KiB (INT 12h)
BDA_KBFLAGS1	equ	0x17	; shift flags
BDA_KBFLAGS2	equ	0x18	; shift keys held
BDA_ALTKEYPAD	equ	0x19	; Alt + keypad number being typed
BDA_KBHEAD	equ	0x1A	; keyboard buffer head offset
BDA_KBTAIL	equ	0x1C	; keyboard buffer tail offset
BDA_KBBUF	equ	0x1E	; 16 keystrokes
BDA_FDRECAL	equ	0x3E	; bits 0-1 drive calibrated; bit 7 IRQ 6 seen
BDA_FDMOTOR	equ	0x3F	; bits 0-1 motor on; bits 4-5 selected drive
BDA_FDMOTORCNT	equ	0x40	; ticks until the motors are turned off
BDA_FDSTATUS	equ	0x41	; last diskette status
BDA_FDRESULT	equ	0x42	; 7 FDC result bytes
BDA_VMODE	equ	0x49	; video mode
BDA_VCOLS	equ	0x4A	; word: columns
BDA_VPAGESIZE	equ	0x4C	; word: bytes per page
BDA_VPAGESTART	equ	0x4E	; word: offset of the active page
BDA_VCURPOS	equ	0x50	; 8 words: cursor row:column per page
BDA_VCURSHAPE	equ	0x60	; word: cursor start (high) and end (low)
BDA_VPAGE	equ	0x62	; active page
BDA_VCRTC	equ	0x63	; word: CRTC index port
BDA_VMODEREG	equ	0x65	; CGA mode register value
BDA_VPALREG	equ	0x66	; CGA palette register value
BDA_RESETVEC	equ	0x67	; dword: resume address after shutdown 05h/0Ah
BDA_LASTIRQ	equ	0x6B	; last unexpected IRQ
BDA_TICKS	equ	0x6C	; dword: timer ticks since midnight
BDA_MIDNIGHT	equ	0x70	; set when the tick count wraps at midnight
BDA_BREAK	equ	0x71	; bit 7: Ctrl-Break pressed
BDA_RESETFLAG	equ	0x72	; word: 1234h on a warm boot
BDA_HDSTATUS	equ	0x74	; last hard disk status
BDA_HDCOUNT	equ	0x75	; number of hard disks
BDA_LPTTMO	equ	0x78	; printer timeouts
BDA_COMTMO	equ	0x7C	; serial timeouts (seconds)
BDA_KBSTART	equ	0x80	; word: keyboard buffer start offset
BDA_KBEND	equ	0x82	; word: keyboard buffer end offset
BDA_VROWS	equ	0x84	; rows on screen minus one
BDA_VCHARH	equ	0x85	; word: character height in scan lines
BDA_VEGAMISC	equ	0x87	; bit 7: memory not cleared at the last mode set
BDA_VSWITCHES	equ	0x88	; EGA feature bits and switches
BDA_VFLAGS	equ	0x89	; VGA mode set option flags
BDA_VDCC	equ	0x8A	; display combination code index
BDA_FDRATE	equ	0x8B	; last data rate sent to the FDC
BDA_HDINT	equ	0x8E	; FFh when a hard disk interrupt came
BDA_FDINFO	equ	0x8F	; diskette controller information
BDA_FDMEDIA	equ	0x90	; 2 bytes: media state of drives 0 and 1
BDA_FDCYL	equ	0x94	; 2 bytes: present cylinder of drives 0 and 1
BDA_KBMODE	equ	0x96	; bit 0 last code E1, bit 1 last E0, bit 2 right Ctrl,
				; bit 3 right Alt, bit 4 101-key keyboard
BDA_KBLEDS	equ	0x97	; keyboard LED flags
BDA_WAITPTR	equ	0x98	; dword: user wait flag (INT 15h 83h/86h)
BDA_WAITCOUNT	equ	0x9C	; dword: user wait count in microseconds
BDA_WAITACTIVE	equ	0xA0	; bit 0: a wait is running; bit 7: it ended

; Media state byte (BDA_FDMEDIA): bits 7-6 data rate (the CCR value),
; bit 4 media established.
MEDIA_KNOWN	equ	0x10

; ---------------------------------------------------------------------------
; Extended BIOS data area: 1 KiB at the top of conventional memory. The
; FDPTs sit where the IBM PS/2 put them; the rest is this BIOS's own.
; ---------------------------------------------------------------------------
EBDA_SIZE_KB	equ	0x00	; size in KiB (1)
EBDA_FDPT0	equ	0x3D	; 16-byte fixed disk parameter table, drive 80h (INT 41h)
EBDA_FDPT1	equ	0x4D	; drive 81h (INT 46h)
EBDA_CPU	equ	0x60	; CPU level found at POST: 0 8086, 1 186, 2 286, 3 386+
EBDA_E1COUNT	equ	0x61	; bytes of an E1 (Pause) sequence still to swallow
EBDA_CPUFAMILY	equ	0x62	; CPUID family, 0 without CPUID
EBDA_REQ	equ	0x64	; disk request block (below)
EBDA_ATA	equ	0x80	; ATA drive table: 4 entries of ATA_ENTRY bytes (to 140h)
EBDA_BUF	equ	0x200	; 512-byte buffer: IDENTIFY data, DMA bounce buffer

; Disk request block, filled by INT 13h before it calls ata_rw.
REQ_LBA		equ	EBDA_REQ + 0	; 3 words: 48-bit LBA
REQ_COUNT	equ	EBDA_REQ + 6	; word: sectors
REQ_SEG		equ	EBDA_REQ + 8	; word: buffer segment
REQ_OFF		equ	EBDA_REQ + 10	; word: buffer offset
REQ_DONE	equ	EBDA_REQ + 12	; word: sectors transferred
REQ_OP		equ	EBDA_REQ + 14	; byte: OP_READ, OP_WRITE or OP_VERIFY

OP_READ		equ	0
OP_WRITE	equ	1
OP_VERIFY	equ	2

; An ATA drive table entry.
ATA_ENTRY	equ	48
ATA_BASE	equ	0	; word: command block base (1F0h)
ATA_CTRL	equ	2	; word: control block port (3F6h)
ATA_DEV		equ	4	; byte: device register base (A0h master, B0h slave)
ATA_FLAGS	equ	5	; byte: ATAF_*
ATA_LCYLS	equ	6	; word: logical cylinders (INT 13h CHS)
ATA_LHEADS	equ	8	; byte: logical heads
ATA_LSPT	equ	9	; byte: logical sectors per track
ATA_TOTAL	equ	10	; 3 words: total sectors (48 bits)
ATA_PCYLS	equ	16	; word: physical cylinders (IDENTIFY word 1)
ATA_PHEADS	equ	18	; byte: physical heads (word 3)
ATA_PSPT	equ	19	; byte: physical sectors per track (word 6)
ATA_MODEL	equ	20	; 24 bytes: start of the model string (for POST)

ATAF_LBA	equ	0x01
ATAF_LBA48	equ	0x02

; The CD-ROM drive and El Torito boot (atapi.asm), from EBDA 140h.
CD_DRIVE_NUMBER	equ	0xE0	; INT 13h drive number of the CD-ROM
CD_DRIVE	equ	0x140	; byte: CD_DRIVE_NUMBER when a CD-ROM was found, else 0
CD_DEV		equ	0x141	; byte: device register value (A0h or B0h)
CD_BASE		equ	0x142	; word: command block
CD_CTRL		equ	0x144	; word: control block
CD_BOOTED	equ	0x146	; byte: 1 after a boot from the CD
CD_MEDIA	equ	0x147	; byte: boot media type (0 none, 1-3 diskette, 4 hard disk)
CD_EMUDRV	equ	0x148	; byte: emulated drive, or the CD-ROM's number
CD_ACTIVE	equ	0x149	; byte: 1 while a disk is emulated
CD_IMGLBA	equ	0x14A	; dword: first CD sector of the boot image
CD_LOADSEG	equ	0x14E	; word: load segment
CD_COUNT	equ	0x150	; word: 512-byte sectors loaded at boot
CD_CYLS		equ	0x152	; word: emulated cylinders
CD_HEADS	equ	0x154	; byte: emulated heads
CD_SPT		equ	0x155	; byte: emulated sectors per track
CD_CAP		equ	0x156	; dword: CD sectors
CD_SAVEHD	equ	0x15A	; byte: 40:75h before the emulation
CD_CTRLIDX	equ	0x15B	; byte: controller index (0 primary, 1 secondary)
CD_SAVEEQ	equ	0x15C	; word: 40:10h before the emulation
CD_EMUSECS	equ	0x15E	; dword: sectors of the emulated disk
CD_PACKET	equ	0x162	; 12 bytes: the packet (SCSI command)
CD_SKIP		equ	0x16E	; word: data words to drop first
CD_KEEP		equ	0x170	; dword: data words to store next
CD_WSKIP	equ	0x174	; word: working copies of the two
CD_WKEEP	equ	0x176	; dword
CD_BUFSEG	equ	0x17A	; word: buffer segment
CD_BUFOFF	equ	0x17C	; word: buffer offset
CD_SENSE	equ	0x17E	; byte: sense key of the last failed command
CD_RLBA		equ	0x180	; dword: CD sector to read
CD_RCOUNT	equ	0x184	; word: sectors to read
CD_VLBA		equ	0x186	; dword: emulated sector to read
CD_MEMTOP	equ	0x18A	; word: conventional memory in KiB (at boot)
CD_MODEL	equ	0x190	; 24 bytes: start of the model string (to 1A8h)

; ---------------------------------------------------------------------------
; Ports.
; ---------------------------------------------------------------------------
PIC1_CMD	equ	0x20
PIC1_DATA	equ	0x21
PIC2_CMD	equ	0xA0
PIC2_DATA	equ	0xA1
PIT_CH0		equ	0x40
PIT_CH2		equ	0x42
PIT_MODE	equ	0x43
KBC_DATA	equ	0x60
KBC_STATUS	equ	0x64
KBC_CMD		equ	0x64
SYS_CTRL_B	equ	0x61
CMOS_INDEX	equ	0x70
CMOS_DATA	equ	0x71
POST_PORT	equ	0x80
PORT_A20	equ	0x92
DEBUGCON	equ	0xE9
FDC_DOR		equ	0x3F2
FDC_MSR		equ	0x3F4
FDC_FIFO	equ	0x3F5
FDC_DIR		equ	0x3F7	; read: digital input register
FDC_CCR		equ	0x3F7	; write: configuration control (data rate)

; CMOS registers (MC146818 and the IBM/QEMU NVRAM layout).
CMOS_SEC	equ	0x00
CMOS_SEC_ALARM	equ	0x01
CMOS_MIN	equ	0x02
CMOS_MIN_ALARM	equ	0x03
CMOS_HOUR	equ	0x04
CMOS_HOUR_ALARM	equ	0x05
CMOS_DAY	equ	0x07
CMOS_MONTH	equ	0x08
CMOS_YEAR	equ	0x09
CMOS_REGA	equ	0x0A
CMOS_REGB	equ	0x0B
CMOS_REGC	equ	0x0C
CMOS_REGD	equ	0x0D
CMOS_SHUTDOWN	equ	0x0F
CMOS_FLOPPY	equ	0x10
CMOS_BASEMEM	equ	0x15
CMOS_EXTMEM	equ	0x30	; KiB above 1 MiB (word)
CMOS_CENTURY	equ	0x32
CMOS_HIGHMEM	equ	0x34	; 64 KiB blocks above 16 MiB (word)
CMOS_BOOT3	equ	0x38	; bits 7-4 third boot device; bit 0 no floppy signature check
CMOS_BOOT12	equ	0x3D	; bits 3-0 first boot device, 7-4 second
CMOS_LINUX	equ	0x7B	; 4Ch ('L'): a Linux kernel waits in RAM (bios/linuxboot)
CMOS_LINUX_SEG	equ	0x7C	; word: its setup segment
CMOS_LINUX_SP	equ	0x7E	; word: its stack pointer
LINUX_MAGIC	equ	0x4C

; ACPI tables (bios/acpi): the board maps them at E0000h, RSDP first.
ACPI_SEG	equ	0xE000

; ---------------------------------------------------------------------------
; The register frame of the services. SAVE_FRAME pushes the caller's
; registers and points BP at them; a service reads its inputs from the
; live registers or the frame and leaves its outputs in the frame;
; RESTORE_FRAME and IRET hand them back. [bp+F_FLAGS] is the caller's
; FLAGS, where CF and ZF are returned.
; ---------------------------------------------------------------------------
F_AX		equ	0
F_AL		equ	0
F_AH		equ	1
F_BX		equ	2
F_BL		equ	2
F_BH		equ	3
F_CX		equ	4
F_CL		equ	4
F_CH		equ	5
F_DX		equ	6
F_DL		equ	6
F_DH		equ	7
F_SI		equ	8
F_DI		equ	10
F_BP		equ	12
F_ES		equ	14
F_DS		equ	16
F_IP		equ	18
F_CS		equ	20
F_FLAGS		equ	22

%macro SAVE_FRAME 0
	push	ds
	push	es
	push	bp
	push	di
	push	si
	push	dx
	push	cx
	push	bx
	push	ax
	mov	bp, sp
%endmacro

%macro RESTORE_FRAME 0
	pop	ax
	pop	bx
	pop	cx
	pop	dx
	pop	si
	pop	di
	pop	bp
	pop	es
	pop	ds
%endmacro

%macro SET_CF 0
	or	byte [bp + F_FLAGS], 0x01
%endmacro
%macro CLEAR_CF 0
	and	byte [bp + F_FLAGS], 0xFE
%endmacro
%macro SET_ZF 0
	or	byte [bp + F_FLAGS], 0x40
%endmacro
%macro CLEAR_ZF 0
	and	byte [bp + F_FLAGS], 0xBF
%endmacro

; POST_CODE n writes a progress code to port 80h.
%macro POST_CODE 1
	mov	al, %1
	out	POST_PORT, al
%endmacro

; BDA_DS points DS at the BIOS data area (clobbers AX).
%macro BDA_DS 0
	mov	ax, BDA_SEG
	mov	ds, ax
%endmacro

; EOI_MASTER and EOI_BOTH end an interrupt at the PICs (clobber AL).
%macro EOI_MASTER 0
	mov	al, 0x20
	out	PIC1_CMD, al
%endmacro
%macro EOI_BOTH 0
	mov	al, 0x20
	out	PIC2_CMD, al
	out	PIC1_CMD, al
%endmacro

; Diskette operation state in the EBDA (one operation at a time).
FD_DRIVE	equ	0x74	; drive 0 or 1
FD_CYL		equ	0x75	; cylinder of the next sector
FD_HEAD		equ	0x76	; head
FD_SECT		equ	0x77	; sector
FD_SPT		equ	0x78	; sectors per track of the media
FD_TYPE		equ	0x79	; CMOS drive type
FD_RATEIDX	equ	0x7A	; index into the drive's data rate list
FD_OP		equ	0x7B	; OP_READ, OP_WRITE or OP_VERIFY
