; demo.asm: the guest that plain `ringzero` boots. A 1.44 MB floppy whose
; boot sector loads the rest with INT 13h; it shows, in VGA text mode 3
; (80x25, 16 colours), what the machine is made of:
;
;   the title, through INT 10h (AH=09h fills, AH=0Eh teletype);
;   the CPU: CPUID vendor, family, model, stepping and brand when there
;     is CPUID, else 8086/186/286/386/486 told apart by FLAGS tricks;
;   memory from INT 12h and INT 15h E820 (AH=88h on a 286);
;   a clock: INT 1Ah ticks, an uptime counted by an INT 1Ch hook, and the
;     RTC time from INT 1Ah AH=02h;
;   the keys typed, read with INT 16h and echoed with INT 10h;
;   a bouncing block and a colour bar, written straight to B800:0000.
;
; Everything it logs goes to COM1 (3F8h, polled) and to port 0xE9 as
; lines of text. Keys: q powers off (ACPI PM1a_CNT at 604h: SLP_TYP 0,
; SLP_EN; then isa-debug-exit 0xF4 as a fallback, then HLT), r reboots
; through the 8042 (0xFE to port 64h). The code runs on an 8086: 386
; instructions run only after the CPU has been found to have them.
;
; Built with -DSELFTEST (bin/demo-selftest.img, a 160 KB floppy) it
; types "hi" itself (INT 16h AH=05h), runs for SELFTEST_TICKS timer
; ticks (about two seconds), checks what it saw, logs a summary and
; exits through isa-debug-exit with 0x10 (status 0x21) on success, 0x11
; on failure; without that device it then powers off.

;; variant: demo-selftest -DSELFTEST -DROM_FLOPPY=160

; The self-test goes on the smallest floppy: the image stays small and
; the program spans two tracks, so the loader's CHS stepping is tested.
%ifndef ROM_FLOPPY
%define ROM_FLOPPY 1440
%endif
%define ROM_SERIAL
%include "rom.inc"

VIDEO_SEG	equ 0xB800	; colour text memory
COLS		equ 80

ROW_TITLE	equ 0
ROW_CPU		equ 2
ROW_BRAND	equ 3
ROW_MEM		equ 4
ROW_CLOCK	equ 5
ROW_KEYS	equ 6
BOX_TOP		equ 8
BOX_BOTTOM	equ 20
BOX_LEFT	equ 1
BOX_RIGHT	equ 78
ROW_COLOURS	equ 22
ROW_HELP	equ 24
LABEL_COL	equ 1
VALUE_COL	equ 10
VALUE_WIDTH	equ COLS - VALUE_COL - 1
KEYS_MAX	equ 60
TITLE_COL	equ (COLS - title_len) / 2

BLOCK_W		equ 6
BLOCK_H		equ 3
BLOCK_CHAR	equ 0xDB	; CP437 full block

ATTR_TITLE	equ 0x1F	; white on blue
ATTR_LABEL	equ 0x0B	; light cyan
ATTR_VALUE	equ 0x0F	; white
ATTR_KEYS	equ 0x0E	; yellow
ATTR_BOX	equ 0x09	; light blue
ATTR_HELP	equ 0x70	; black on grey
ATTR_BLANK	equ 0x07

SELFTEST_TICKS	equ 36		; 36 x 54.9 ms = 1.98 s
IDLE_TICKS	equ 546		; 546 x 54.9 ms = 30 s without a key: power off
EXIT_PASS	equ 0x10	; isa-debug-exit value: status 0x21
EXIT_FAIL	equ 0x11	; status 0x23

PM1A_CNT	equ 0x604	; ACPI PM1a_CNT_BLK on our board and QEMU's PIIX4
SLP_EN		equ 1 << 13	; with SLP_TYP (bits 10-12) 0: S5, soft off
KBC_STATUS	equ 0x64	; 8042 status (read) and command (write)
KBC_RESET	equ 0xFE	; pulse the reset line

main:
	mov si, title_text
	call log_si
	call video_init
	call show_machine
	call read_rtc
	mov di, linebuf
	mov si, txt_rtc_log
	call buf_str
	mov si, rtc_text
	call buf_str
	call log_buf

	xor ah, ah		; BIOS ticks at the start, for the self-test
	int 0x1A
	mov [bios_start], dx
	mov [bios_start + 2], cx
	call hook_timer
	call draw_clock
	call keys_cursor
%ifdef SELFTEST
	mov cx, 0x2368		; scan code 23h, 'h'
	mov ah, 0x05		; INT 16h AH=05h: store a keystroke
	int 0x16
	mov cx, 0x1769		; scan code 17h, 'i'
	mov ah, 0x05
	int 0x16
%endif
	mov si, txt_ready
	call log_si

main_loop:
	call poll_keys
	call run_frames
%ifdef SELFTEST
	cmp word [tick_count], SELFTEST_TICKS
	jae selftest_finish
%else
	; Nobody at the keyboard (a headless run): power off after
	; IDLE_TICKS without a key, so `ringzero -display none` ends.
	cmp byte [key_seen], 0
	jne .stay
	cmp word [tick_count], IDLE_TICKS
	jb .stay
	mov si, txt_idle
	call log_si
	jmp power_off
.stay:
%endif
	sti
	hlt			; until the next timer tick or key
	jmp main_loop

; ---------------------------------------------------------------------
; Logging to COM1 and port 0xE9 (rom_putc does both).

; log_si logs the string at si and a newline.
log_si:
	push ax
	call rom_puts
	mov al, 10
	call rom_putc
	pop ax
	ret

; log_buf ends the text in linebuf at di and logs it.
log_buf:
	push si
	call buf_end
	mov si, linebuf
	call log_si
	pop si
	ret

; ---------------------------------------------------------------------
; The screen.

; scr_addr sets es:di to row dh, column dl of the text screen.
scr_addr:
	push ax
	mov ax, VIDEO_SEG
	mov es, ax
	mov al, COLS
	mul dh
	add al, dl
	adc ah, 0
	shl ax, 1
	mov di, ax
	pop ax
	ret

; scr_text writes the string at si at row dh, column dl, attribute bl,
; straight into video memory.
scr_text:
	push ax
	push si
	push di
	push es
	call scr_addr
	mov ah, bl
.loop:
	lodsb
	test al, al
	jz .done
	stosw
	jmp .loop
.done:
	pop es
	pop di
	pop si
	pop ax
	ret

; scr_fill writes cx copies of character al, attribute bl, from row dh,
; column dl.
scr_fill:
	push ax
	push cx
	push di
	push es
	call scr_addr
	mov ah, bl
	rep stosw
	pop es
	pop di
	pop cx
	pop ax
	ret

; scr_value writes linebuf (terminated at di) as a value on row dh,
; padded to VALUE_WIDTH so that a shorter text covers a longer one.
scr_value:
	push bx
	push cx
	push si
	mov si, linebuf
	mov cx, VALUE_WIDTH
	call buf_pad
	call buf_end
	mov dl, VALUE_COL
	mov bl, ATTR_VALUE
	call scr_text
	pop si
	pop cx
	pop bx
	ret

; set_cursor moves the BIOS cursor to row dh, column dl.
set_cursor:
	push ax
	push bx
	mov ah, 0x02
	xor bh, bh
	int 0x10
	pop bx
	pop ax
	ret

; keys_cursor puts the cursor after the keys typed so far.
keys_cursor:
	push dx
	mov dh, ROW_KEYS
	mov dl, [key_len]
	add dl, VALUE_COL
	call set_cursor
	pop dx
	ret

; video_init sets mode 3 and draws everything that does not change.
video_init:
	mov ax, 0x0003		; 80x25 colour text
	int 0x10
	mov ax, 0x1003		; bit 7 of an attribute: bright background, not blink
	xor bx, bx
	int 0x10

	; The title bar through the BIOS: AH=09h fills the row with the
	; attribute, AH=0Eh then writes over it and keeps that attribute.
	xor dx, dx
	call set_cursor
	mov ax, 0x0920
	mov bx, ATTR_TITLE	; page 0
	mov cx, COLS
	int 0x10
	mov dx, (ROW_TITLE << 8) | TITLE_COL
	call set_cursor
	mov si, title_text
	call bios_puts
	mov dx, (ROW_TITLE << 8) | (COLS - subtitle_len - 1)
	call set_cursor
	mov si, subtitle_text
	call bios_puts

	; The rest straight into B800:0000.
	mov bl, ATTR_LABEL
	mov dl, LABEL_COL
	mov dh, ROW_CPU
	mov si, txt_cpu_label
	call scr_text
	mov dh, ROW_MEM
	mov si, txt_mem_label
	call scr_text
	mov dh, ROW_CLOCK
	mov si, txt_clock_label
	call scr_text
	mov dh, ROW_KEYS
	mov si, txt_keys_label
	call scr_text
	mov dh, ROW_COLOURS
	mov si, txt_colours_label
	call scr_text

	mov dh, ROW_KEYS	; the keys line, in the colour AH=0Eh will keep
	mov dl, VALUE_COL
	mov al, ' '
	mov bl, ATTR_KEYS
	mov cx, KEYS_MAX + 1
	call scr_fill

	call draw_box
	call draw_colours

	mov dh, ROW_HELP
	xor dl, dl
	mov al, ' '
	mov bl, ATTR_HELP
	mov cx, COLS
	call scr_fill
	mov dl, 1
	mov si, txt_help
	call scr_text
	ret

; bios_puts writes the string at si at the cursor with INT 10h AH=0Eh.
bios_puts:
	push ax
	push bx
	push si
.loop:
	lodsb
	test al, al
	jz .done
	mov ah, 0x0E
	xor bx, bx
	int 0x10
	jmp .loop
.done:
	pop si
	pop bx
	pop ax
	ret

; draw_box draws the double-line frame the block bounces in.
draw_box:
	mov bl, ATTR_BOX
	mov dh, BOX_TOP
	mov dl, BOX_LEFT + 1
	mov al, 0xCD		; CP437 double horizontal
	mov cx, BOX_RIGHT - BOX_LEFT - 1
	call scr_fill
	mov dh, BOX_BOTTOM
	call scr_fill
	mov cx, 1
	mov dh, BOX_TOP
	mov dl, BOX_LEFT
	mov al, 0xC9		; top left
	call scr_fill
	mov dl, BOX_RIGHT
	mov al, 0xBB		; top right
	call scr_fill
	mov dh, BOX_BOTTOM
	mov al, 0xBC		; bottom right
	call scr_fill
	mov dl, BOX_LEFT
	mov al, 0xC8		; bottom left
	call scr_fill
	mov al, 0xBA		; double vertical
	mov dh, BOX_TOP + 1
.side:
	mov dl, BOX_LEFT
	call scr_fill
	mov dl, BOX_RIGHT
	call scr_fill
	inc dh
	cmp dh, BOX_BOTTOM
	jb .side
	jmp draw_bounces

; draw_bounces writes the bounce count into the top of the frame.
draw_bounces:
	mov di, linebuf
	mov si, txt_bounces
	call buf_str
	mov ax, [bounces]
	xor dx, dx
	call buf_udec
	mov al, ' '
	stosb
	call buf_end
	mov dh, BOX_TOP
	mov dl, BOX_LEFT + 3
	mov bl, ATTR_BOX
	mov si, linebuf
	jmp scr_text

; draw_colours shows the 16 background colours, each labelled with its
; number in a contrasting foreground.
draw_colours:
	mov ax, VIDEO_SEG
	mov es, ax
	mov di, (ROW_COLOURS * COLS + VALUE_COL) * 2
	xor bl, bl		; colour
.cell:
	mov ah, bl
	mov cl, 4
	shl ah, cl
	mov al, bl
	xor al, 0x0F
	or ah, al		; background bl, foreground 15 - bl
	mov al, ' '
	stosw
	mov al, bl
	add al, '0'
	cmp al, '9'
	jbe .digit
	add al, 'A' - '9' - 1
.digit:
	stosw
	mov al, ' '
	stosw
	stosw
	inc bl
	cmp bl, 16
	jb .cell
	xor ax, ax
	mov es, ax
	ret

; ---------------------------------------------------------------------
; What the machine is (probe.inc finds out).

; show_machine shows and logs the CPU and the memory.
show_machine:
	call probe_cpu
	mov di, linebuf
	mov si, cpu_text
	call buf_str
	mov dh, ROW_CPU
	call scr_value
	mov di, linebuf
	mov si, brand_text
	call buf_str
	mov dh, ROW_BRAND
	call scr_value
	mov di, linebuf		; "cpu: text[, brand]"
	mov si, txt_cpu_log
	call buf_str
	mov si, cpu_text
	call buf_str
	cmp byte [brand_text], 0
	je .log
	mov si, txt_comma
	call buf_str
	mov si, brand_text
	call buf_str
.log:
	call log_buf
	call probe_memory
	mov di, linebuf
	mov si, mem_text
	call buf_str
	mov dh, ROW_MEM
	call scr_value
	mov di, linebuf
	mov si, txt_mem_log
	call buf_str
	mov si, mem_text
	call buf_str
	jmp log_buf

; ---------------------------------------------------------------------
; Time.

; hook_timer chains timer_hook into INT 1Ch, which the BIOS's IRQ 0
; handler calls 18.2 times a second.
hook_timer:
	cli
	mov ax, [0x1C * 4]
	mov [old_int1c], ax
	mov ax, [0x1C * 4 + 2]
	mov [old_int1c + 2], ax
	mov word [0x1C * 4], timer_hook
	mov word [0x1C * 4 + 2], 0
	sti
	ret

timer_hook:
	inc word [cs:tick_count]
	jnz .chain
	inc word [cs:tick_count + 2]
.chain:
	jmp far [cs:old_int1c]

; run_frames runs one animation frame per tick since the last call and
; then redraws the clock.
run_frames:
	mov si, 0		; frames run now
.next:
	cli
	mov ax, [tick_count]
	mov dx, [tick_count + 2]
	sti
	cmp ax, [last_tick]
	jne .frame
	cmp dx, [last_tick + 2]
	je .done
.frame:
	add word [last_tick], 1
	adc word [last_tick + 2], 0
	push si
	call animate
	pop si
	inc word [frames]
	inc si
	jmp .next
.done:
	test si, si
	jz .ret
	call draw_clock
	call keys_cursor
.ret:
	ret

; draw_clock shows the BIOS tick count, the uptime and the RTC time.
draw_clock:
	mov di, linebuf
	mov si, txt_ticks
	call buf_str
	xor ah, ah
	int 0x1A		; cx:dx = ticks since midnight
	mov ax, dx
	mov dx, cx
	call buf_udec
	mov si, txt_up
	call buf_str
	mov ax, [tick_count]	; seconds = ticks * 10 / 182
	mov dx, [tick_count + 2]
	mov bx, ax		; dx:ax *= 10
	mov cx, dx
	call .shl1		; x2
	call .shl1
	add ax, bx		; x5
	adc dx, cx
	call .shl1		; x10
	mov bx, 182
	call udiv32
	mov bx, 3600
	call udiv32		; dx:ax = hours, cx = seconds within the hour
	cmp ax, 10
	jae .hours
	mov byte [di], '0'
	inc di
.hours:
	call buf_udec
	mov al, ':'
	stosb
	mov ax, cx
	xor dx, dx
	mov bx, 60
	div bx
	call buf_dec2		; minutes
	mov al, ':'
	stosb
	mov al, dl
	call buf_dec2		; seconds
	mov si, txt_rtc
	call buf_str
	call read_rtc
	mov si, rtc_text
	call buf_str
	mov dh, ROW_CLOCK
	jmp scr_value
.shl1:
	shl ax, 1
	rcl dx, 1
	ret

; ---------------------------------------------------------------------
; The bouncing block.

; animate moves the block one step, bouncing off the frame.
animate:
	mov ax, (ATTR_BLANK << 8) | ' '
	call draw_block
	mov al, [box_x]
	add al, [box_dx]
	cmp al, BOX_LEFT + 1
	jl .bounce_x
	cmp al, BOX_RIGHT - BLOCK_W
	jle .x_ok
.bounce_x:
	neg byte [box_dx]
	call bounced
	mov al, [box_x]
	add al, [box_dx]
.x_ok:
	mov [box_x], al
	mov al, [box_y]
	add al, [box_dy]
	cmp al, BOX_TOP + 1
	jl .bounce_y
	cmp al, BOX_BOTTOM - BLOCK_H
	jle .y_ok
.bounce_y:
	neg byte [box_dy]
	call bounced
	mov al, [box_y]
	add al, [box_dy]
.y_ok:
	mov [box_y], al
	mov ah, [box_colour]
	mov al, BLOCK_CHAR
	jmp draw_block

; bounced counts a bounce and changes the block's colour (9 to 15).
bounced:
	inc word [bounces]
	inc byte [box_colour]
	cmp byte [box_colour], 15
	jbe .draw
	mov byte [box_colour], 9
.draw:
	jmp draw_bounces

; draw_block fills the block's cells with character al, attribute ah.
draw_block:
	push cx
	push dx
	push di
	push es
	mov dh, [box_y]
	mov dl, [box_x]
	call scr_addr
	mov dx, BLOCK_H
.row:
	mov cx, BLOCK_W
	rep stosw
	add di, (COLS - BLOCK_W) * 2
	dec dx
	jnz .row
	pop es
	pop di
	pop dx
	pop cx
	ret

; ---------------------------------------------------------------------
; Keys.

; poll_keys handles every key waiting in the BIOS buffer.
poll_keys:
	mov ah, 0x01		; INT 16h AH=01h: ZF set when no key waits
	int 0x16
	jz .done
	xor ah, ah		; AH=00h: al = ASCII, ah = scan code
	int 0x16
	call handle_key
	jmp poll_keys
.done:
	ret

; handle_key logs the key in ax and acts on it.
handle_key:
	mov byte [key_seen], 1
	mov di, linebuf
	mov si, txt_key_log
	call buf_str
	cmp al, 0x08
	je .backspace
	cmp al, 0x0D
	je .enter
	cmp al, ' '
	jb .other
	je .space
	cmp al, '~'
	ja .other
	stosb
	call log_buf
	cmp al, 'q'
	je power_off
	cmp al, 'r'
	je reboot
	; Echo it through the BIOS: AH=0Eh at the cursor keeps the line's
	; colour.
.room_check:
	cmp byte [key_len], KEYS_MAX
	jb .room
	call clear_keys
.room:
	mov bl, [key_len]
	xor bh, bh
	mov [keys + bx], al
	inc byte [key_len]
	mov ah, 0x0E
	xor bx, bx
	int 0x10
	ret
.backspace:
	mov si, txt_backspace
	call buf_str
	call log_buf
	cmp byte [key_len], 0
	je .ret
	dec byte [key_len]
	call keys_cursor
	mov ax, 0x0A20		; AH=0Ah: a space, the attribute left alone
	xor bx, bx
	mov cx, 1
	int 0x10
	ret
.space:
	mov si, txt_space	; logged by name, echoed as itself
	call buf_str
	call log_buf
	jmp .room_check
.enter:
	mov si, txt_enter
	call buf_str
	call log_buf
	jmp clear_keys
.other:
	mov si, txt_scan
	call buf_str
	xchg al, ah
	call buf_hex8
	call log_buf
.ret:
	ret

; clear_keys empties the keys line.
clear_keys:
	push ax
	push bx
	push cx
	push dx
	mov dh, ROW_KEYS
	mov dl, VALUE_COL
	mov al, ' '
	mov bl, ATTR_KEYS
	mov cx, KEYS_MAX + 1
	call scr_fill
	mov byte [key_len], 0
	call keys_cursor
	pop dx
	pop cx
	pop bx
	pop ax
	ret

; power_off asks for S5 through the ACPI PM1a control register, then
; tries isa-debug-exit, then halts.
power_off:
	mov si, txt_power_off
	call log_si
	mov dx, PM1A_CNT
	mov ax, SLP_EN		; SLP_TYP 0 (S5 on QEMU's PIIX4 and on ours)
	out dx, ax
	xor al, al
	out DEBUG_EXIT, al
	jmp halt

; reboot pulses the reset line through the 8042.
reboot:
	mov si, txt_reboot
	call log_si
	mov cx, 0xFFFF
.wait:
	in al, KBC_STATUS	; wait until the input buffer is empty
	test al, 0x02
	jz .reset
	loop .wait
.reset:
	mov al, KBC_RESET
	out KBC_STATUS, al
halt:
	cli
	hlt
	jmp halt

; ---------------------------------------------------------------------
; The self-test.

%ifdef SELFTEST
; selftest_finish checks that the BIOS tick count moved with our INT 1Ch
; count, that one frame ran per tick, that the typed keys arrived and
; that the screen holds what was written, logs a summary and exits.
selftest_finish:
	xor ah, ah
	int 0x1A
	sub dx, [bios_start]	; ticks the BIOS counted meanwhile
	mov [bios_delta], dx
	mov di, linebuf
	mov si, txt_st_ticks
	call buf_str
	mov ax, [tick_count]
	xor dx, dx
	call buf_udec
	mov si, txt_st_bios
	call buf_str
	mov ax, [bios_delta]
	call buf_udec
	mov si, txt_st_frames
	call buf_str
	mov ax, [frames]
	call buf_udec
	mov si, txt_st_bounces
	call buf_str
	mov ax, [bounces]
	call buf_udec
	mov si, txt_st_keys
	call buf_str
	mov bl, [key_len]
	xor bh, bh
	mov byte [keys + bx], 0
	mov si, keys
	call buf_str
	mov si, txt_st_quote
	call buf_str
	call log_buf

	mov si, txt_fail_timer	; the BIOS counts the same IRQ 0 we do
	mov ax, [bios_delta]
	sub ax, [tick_count]
	inc ax			; -1, 0 or 1 (a tick between the two reads)
	cmp ax, 2
	ja .fail
	mov si, txt_fail_frames
	mov ax, [frames]
	cmp ax, [tick_count]
	jne .fail
	mov si, txt_fail_keys
	cmp byte [key_len], 2
	jne .fail
	cmp word [keys], 'hi'
	jne .fail
	mov si, txt_fail_screen
	mov dx, (ROW_TITLE << 8) | TITLE_COL
	call set_cursor
	mov ah, 0x08		; INT 10h AH=08h: character and attribute
	xor bh, bh
	int 0x10
	cmp ax, (ATTR_TITLE << 8) | 'r'
	jne .fail
	mov ax, VIDEO_SEG
	mov es, ax
	mov ax, [es:(ROW_KEYS * COLS + VALUE_COL) * 2]	; echoed by AH=0Eh
	mov bx, [es:(ROW_CPU * COLS + LABEL_COL) * 2]	; written directly
	xor cx, cx
	mov es, cx
	cmp ax, (ATTR_KEYS << 8) | 'h'
	jne .fail
	cmp bx, (ATTR_LABEL << 8) | 'C'
	jne .fail
	mov si, txt_st_pass
	call log_si
	mov al, EXIT_PASS
	out DEBUG_EXIT, al
	jmp power_off
.fail:
	push si
	mov si, txt_st_fail
	call rom_puts
	pop si
	call log_si
	mov al, EXIT_FAIL
	out DEBUG_EXIT, al
	jmp power_off
%endif

; ---------------------------------------------------------------------
; Text and state.

title_text:	db "ringzero demo", 0
title_len	equ $ - title_text - 1
subtitle_text:	db "an x86 PC in Go", 0
subtitle_len	equ $ - subtitle_text - 1
txt_cpu_label:	db "CPU", 0
txt_mem_label:	db "Memory", 0
txt_clock_label: db "Clock", 0
txt_keys_label:	db "Keys", 0
txt_colours_label: db "Colours", 0
%ifdef SELFTEST
txt_help:	db "self-test: runs for 36 timer ticks, then exits through isa-debug-exit", 0
txt_ready:	db "ready: self-test for 36 timer ticks", 0
%else
txt_help:	db "q: power off (ACPI S5)   r: reboot (8042)   any other key is echoed above", 0
txt_ready:	db "ready: q powers off, r reboots; no key within 30 s powers off", 0
txt_idle:	db "no key pressed for 30 s: powering off", 0
%endif
txt_cpu_log:	db "cpu: ", 0
txt_mem_log:	db "memory: ", 0
txt_rtc_log:	db "rtc: ", 0
txt_ticks:	db "ticks ", 0
txt_up:		db "   up ", 0
txt_rtc:	db "   RTC ", 0
txt_bounces:	db " bounces ", 0
txt_key_log:	db "key: ", 0
txt_backspace:	db "backspace", 0
txt_enter:	db "enter", 0
txt_space:	db "space", 0
txt_scan:	db "scan 0x", 0
txt_power_off:	db "power off: ACPI S5, then isa-debug-exit", 0
txt_reboot:	db "reboot: 8042 reset pulse", 0
%ifdef SELFTEST
txt_st_ticks:	db "self-test: ", 0
txt_st_bios:	db " ticks (BIOS ", 0
txt_st_frames:	db "), ", 0
txt_st_bounces:	db " frames, ", 0
txt_st_keys:	db ' bounces, keys "', 0
txt_st_quote:	db '"', 0
txt_st_pass:	db "self-test: pass", 0
txt_st_fail:	db "self-test: FAIL: ", 0
txt_fail_timer:	db "INT 1Ch and INT 1Ah disagree", 0
txt_fail_frames: db "a frame was lost", 0
txt_fail_keys:	db "the keys typed through INT 16h AH=05h did not arrive", 0
txt_fail_screen: db "the screen does not hold what was written", 0
%endif

	align 4
tick_count:	dd 0		; INT 1Ch calls since hook_timer
key_seen:	db 0		; set by the first key: no idle power-off
last_tick:	dd 0		; tick_count at the last frame
bios_start:	dd 0
old_int1c:	dd 0
frames:		dw 0
bounces:	dw 0
bios_delta:	dw 0
box_x:		db BOX_LEFT + 1
box_y:		db BOX_TOP + 1
box_dx:		db 2
box_dy:		db 1
box_colour:	db 12
key_len:	db 0
keys:		times KEYS_MAX + 1 db 0
linebuf:	times 128 db 0

%include "text.inc"
%include "probe.inc"

	ROM_END
