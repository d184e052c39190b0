package bios_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
)

// The QEMU smoke tests boot the embedded BIOS in qemu-system-i386 -M pc,
// the reference machine, from a diskette and from a hard disk whose first
// sectors hold smokeProgram. The program exits through isa-debug-exit
// with 10h when every check passed, which QEMU turns into status 21h.

func TestQEMUBootsFromFloppy(t *testing.T) { runSmoke(t, false) }

func TestQEMUBootsFromHardDisk(t *testing.T) { runSmoke(t, true) }

// smokeExit is QEMU's exit status for the program's "all passed": the
// value 10h written to isa-debug-exit, as (v << 1) | 1.
const smokeExit = 0x10<<1 | 1

func runSmoke(t *testing.T, hardDisk bool) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	qemu := need(t, "qemu-system-i386", "qemu-system-x86")
	nasm := need(t, "nasm", "nasm")
	dir := t.TempDir()
	biosPath := filepath.Join(dir, "bios.bin")
	if err := os.WriteFile(biosPath, bios.Image, 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "smoke.asm")
	if err := os.WriteFile(src, []byte(smokeProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "smoke.bin")
	args := []string{"-f", "bin", "-o", prog, src}
	if hardDisk {
		args = append([]string{"-DHD"}, args...)
	}
	if out, err := exec.Command(nasm, args...).CombinedOutput(); err != nil {
		t.Fatalf("nasm: %v\n%s", err, out)
	}
	code, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	// A blank 1.44M diskette or 2 MiB disk with the program at sector 0.
	size, drive := 1474560, "if=floppy"
	if hardDisk {
		size, drive = 2<<20, "if=ide,index=0"
	}
	img := make([]byte, size)
	copy(img, code)
	diskPath := filepath.Join(dir, "disk.img")
	if err := os.WriteFile(diskPath, img, 0o644); err != nil {
		t.Fatal(err)
	}
	boot := "a"
	if hardDisk {
		boot = "c"
	}

	for _, accel := range []string{"tcg", "kvm"} {
		t.Run(accel, func(t *testing.T) {
			if accel == "kvm" {
				f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
				if err != nil {
					t.Skipf("KVM is not usable here: %v", err)
				}
				f.Close()
			}
			serial := filepath.Join(t.TempDir(), "serial.txt")
			debugcon := filepath.Join(t.TempDir(), "e9.txt")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, qemu,
				"-M", "pc", "-accel", accel, "-m", "32", "-bios", biosPath,
				"-display", "none", "-nic", "none", "-no-reboot",
				"-serial", "file:"+serial, "-debugcon", "file:"+debugcon,
				"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
				"-drive", "file="+diskPath+",format=raw,"+drive, "-boot", boot)
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("QEMU still running after 60 s; killed.\n%s\n%s", out, readLog(t, debugcon))
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != smokeExit {
				t.Fatalf("QEMU ended with %v, want exit status %d\n%s\ndebug console:\n%s", err, smokeExit, out, readLog(t, debugcon))
			}
			for name, path := range map[string]string{"serial": serial, "debugcon": debugcon} {
				text := readLog(t, path)
				for _, want := range []string{
					"ringzero BIOS",
					"Memory: 640 KiB base, 31744 KiB extended",
					"BOOT OK",
					"E820 0000000000000000 000000000009FC00 1",
					"E820 0000000000100000 0000000001F00000 1",
					"PASS disk",
					"DONE failures=0",
				} {
					if !strings.Contains(text, want) {
						t.Errorf("%s output lacks %q:\n%s", name, want, text)
					}
				}
				if strings.Contains(text, "FAIL") {
					t.Errorf("%s output reports a failure:\n%s", name, text)
				}
			}
		})
	}
}

func readLog(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(b)
}

// smokeProgram is the guest: a boot sector that loads the rest with
// INT 13h (AH=02h from a diskette, AH=42h from a hard disk), then checks
// INT 10h, 11h, 12h, 13h, 15h (E820h, E801h, 88h, C0h, 24h, 87h, 86h), 16h
// and 1Ah, printing PASS or FAIL for each through INT 10h, INT 14h and
// port E9h.
const smokeProgram = `; ringzero BIOS smoke test: a boot sector that loads the rest of this
; program, then calls the BIOS services and prints PASS or FAIL for each
; on the screen (INT 10h), COM1 (INT 14h) and port E9h. It exits through
; isa-debug-exit at F4h: 10h when everything passed, 11h otherwise.
; Assemble with -DHD for the hard disk version (INT 13h AH=42h).
	cpu	386
	bits	16
	org	0x7C00
SECTORS	equ	8			; sectors after the boot sector

boot:
	cli
	xor	ax, ax
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	sp, 0x7C00
	sti
	cld
	mov	[drive], dl
	mov	si, s_boot
	call	print
%ifdef HD
	mov	ah, 0x41
	mov	bx, 0x55AA
	mov	dl, [drive]
	int	0x13
	jc	boot_fail
	cmp	bx, 0xAA55
	jne	boot_fail
	mov	si, dap
	mov	ah, 0x42
	mov	dl, [drive]
	int	0x13
	jc	boot_fail
	cmp	word [dap + 2], SECTORS
	jne	boot_fail
%else
	mov	ax, 0x0200 | SECTORS
	mov	cx, 0x0002
	xor	dh, dh
	mov	dl, [drive]
	mov	bx, 0x7E00
	int	0x13
	jc	boot_fail
	cmp	al, SECTORS
	jne	boot_fail
%endif
	cmp	word [stage2], 0x3252	; "R2"
	jne	boot_fail
	jmp	stage2 + 2
boot_fail:
	mov	si, s_bootfail
	call	print
	mov	al, 0x03
	out	0xF4, al
	cli
	hlt

; print: DS:SI = string, to INT 10h, INT 14h and port E9h.
print:
	lodsb
	test	al, al
	jz	.done
	call	putc
	jmp	print
.done:
	ret
putc:
	pusha
	out	0xE9, al
	push	ax
	mov	ah, 0x0E
	mov	bx, 0x0007
	int	0x10
	pop	ax
	mov	ah, 0x01
	xor	dx, dx
	int	0x14
	popa
	ret

drive:	db	0
%ifdef HD
dap:	db	0x10, 0
	dw	SECTORS
	dw	0x7E00, 0
	dq	1
%endif
s_boot:		db	"BOOT OK", 13, 10, 0
s_bootfail:	db	"FAIL boot", 13, 10, 0
	times	510 - ($ - $$) db 0
	dw	0xAA55

stage2:
	dw	0x3252
	mov	byte [fails], 0

	; INT 12h: 639 KiB below the EBDA.
	int	0x12
	cmp	ax, 639
	call	check
	db	"int12", 0

	; INT 11h: 80x25 colour as the initial video mode.
	int	0x11
	and	ax, 0x30
	cmp	ax, 0x20
	call	check
	db	"int11", 0

	; E820: print the map; RAM at 0 (9FC00h bytes) and at 1 MiB.
	xor	ebx, ebx
	xor	bp, bp			; bit 0: low RAM seen, bit 1: high RAM seen
.e820:
	mov	eax, 0xE820
	mov	edx, 0x534D4150
	mov	ecx, 20
	mov	di, 0x9000
	int	0x15
	jc	.e820_end
	cmp	eax, 0x534D4150
	jne	.e820_end
	push	ebx
	mov	si, s_e820
	call	print
	mov	eax, [di + 4]
	call	hex32
	mov	eax, [di]
	call	hex32
	mov	al, ' '
	call	putc
	mov	eax, [di + 12]
	call	hex32
	mov	eax, [di + 8]
	call	hex32
	mov	al, ' '
	call	putc
	mov	al, [di + 16]
	add	al, '0'
	call	putc
	call	crlf
	pop	ebx
	cmp	dword [di], 0
	jne	.e820_1
	cmp	dword [di + 8], 0x9FC00
	jne	.e820_1
	or	bp, 1
.e820_1:
	cmp	dword [di], 0x100000
	jne	.e820_2
	cmp	dword [di + 16], 1
	jne	.e820_2
	or	bp, 2
.e820_2:
	test	ebx, ebx
	jnz	.e820
.e820_end:
	cmp	bp, 3
	call	check
	db	"e820", 0

	; E801h and 88h with -m 32: 15 MiB below 16 MiB, 256 blocks above;
	; 31744 KiB above 1 MiB.
	mov	ax, 0xE801
	int	0x15
	jc	.e801_bad
	cmp	ax, 15360
	jne	.e801_bad
	cmp	bx, 256
.e801_bad:
	call	check
	db	"e801", 0
	mov	ah, 0x88
	int	0x15
	cmp	ax, 31744
	call	check
	db	"int15/88", 0

	; C0h: the configuration table says model FCh.
	mov	ah, 0xC0
	int	0x15
	jc	.c0_bad
	cmp	byte [es:bx + 2], 0xFC
.c0_bad:
	push	cs
	pop	es
	call	check
	db	"int15/c0", 0

	; A20 on, then 87h: boot sector -> 2 MiB -> 30000h, compared.
	mov	ax, 0x2401
	int	0x15
	mov	ax, 0x2402
	int	0x15
	cmp	al, 1
	call	check
	db	"a20", 0
	mov	esi, 0x7C00
	mov	edi, 0x200000
	call	move512
	jc	.move_bad
	mov	esi, 0x200000
	mov	edi, 0x30000
	call	move512
	jc	.move_bad
	push	ds
	push	es
	mov	ax, 0x3000
	mov	es, ax
	xor	di, di
	mov	si, 0x7C00
	mov	cx, 256
	repe	cmpsw
	pop	es
	pop	ds
.move_bad:
	call	check
	db	"int15/87", 0

	; 86h: a 200 ms wait lets the tick count move (3.6 ticks; at least
	; 1, as a loaded host running QEMU with KVM can lose PIT ticks).
	xor	ah, ah
	int	0x1A
	mov	[ticks], dx
	mov	cx, 0x0003
	mov	dx, 0x0D40
	mov	ah, 0x86
	int	0x15
	jc	.wait_bad
	xor	ah, ah
	int	0x1A
	sub	dx, [ticks]
	cmp	dx, 1
	jae	.wait_ok
.wait_bad:
	or	al, 1			; ZF=0
	jmp	.wait_done
.wait_ok:
	cmp	al, al
.wait_done:
	call	check
	db	"int15/86", 0

	; INT 1Ah: RTC time and date read, century 20h.
	mov	ah, 0x02
	int	0x1A
	jc	.rtc_bad
	mov	ah, 0x04
	int	0x1A
	jc	.rtc_bad
	cmp	ch, 0x20
.rtc_bad:
	call	check
	db	"int1a", 0

	; INT 16h: an empty buffer, then a keystroke stored with 05h.
	mov	ah, 0x01
	int	0x16
	jnz	.kbd_bad
	mov	ah, 0x05
	mov	cx, 0x1E61
	int	0x16
	test	al, al
	jnz	.kbd_bad
	mov	ah, 0x01
	int	0x16
	jz	.kbd_bad
	cmp	ax, 0x1E61
	jne	.kbd_bad
	mov	ah, 0x00
	int	0x16
	cmp	ax, 0x1E61
	jne	.kbd_bad
	mov	ah, 0x11
	int	0x16
	jnz	.kbd_bad
	cmp	al, al
.kbd_bad:
	call	check
	db	"int16", 0

	; INT 10h in mode 3.
	mov	ah, 0x0F
	int	0x10
	cmp	ax, 0x5003
	jne	.v_bad
	mov	ah, 0x02		; cursor to row 20, column 5
	xor	bh, bh
	mov	dx, 0x1405
	int	0x10
	mov	ah, 0x03
	int	0x10
	cmp	dx, 0x1405
	jne	.v_bad
	mov	ax, 0x095A		; 'Z', yellow on blue, twice
	mov	bx, 0x001E
	mov	cx, 2
	int	0x10
	mov	ah, 0x08
	int	0x10
	cmp	ax, 0x1E5A
	jne	.v_bad
	mov	ax, 0x0601		; scroll rows 0-24 up one line
	mov	bh, 0x07
	xor	cx, cx
	mov	dx, 0x184F
	int	0x10
	mov	ah, 0x02
	xor	bh, bh
	mov	dx, 0x1306
	int	0x10
	mov	ah, 0x08
	int	0x10
	cmp	ax, 0x1E5A
	jne	.v_bad
	mov	ax, 0x1A00
	int	0x10
	cmp	al, 0x1A
	jne	.v_bad
	cmp	bl, 0x08
	jne	.v_bad
	mov	ax, 0x4F00
	int	0x10
	cmp	ax, 0x014F
	jne	.v_bad
	mov	ah, 0x12
	mov	bl, 0x10
	int	0x10
	cmp	bx, 0x0003
	jne	.v_bad
	mov	ax, 0x1300		; "AB" at row 3, column 70; cursor stays
	mov	bx, 0x002F
	mov	cx, 2
	mov	dx, 0x0346
	push	cs
	pop	es
	mov	bp, s_ab
	int	0x10
	mov	ah, 0x03
	xor	bh, bh
	int	0x10
	cmp	dx, 0x1306
	jne	.v_bad
	mov	ah, 0x02
	mov	dx, 0x0347
	int	0x10
	mov	ah, 0x08
	int	0x10
	cmp	ax, 0x2F42
	jne	.v_bad
	mov	ah, 0x02		; back to the bottom line
	xor	bh, bh
	mov	dx, 0x1800
	int	0x10
	cmp	al, al
.v_bad:
	call	check
	db	"int10", 0

	; Mode 13h: a pixel written, read back, and found in A000h.
	mov	ax, 0x0013
	int	0x10
	mov	ah, 0x0F
	int	0x10
	cmp	al, 0x13
	jne	.g_bad
	mov	ax, 0x0C2A
	mov	cx, 100
	mov	dx, 50
	int	0x10
	mov	ah, 0x0D
	int	0x10
	cmp	al, 0x2A
	jne	.g_bad
	push	es
	mov	ax, 0xA000
	mov	es, ax
	cmp	byte [es:50 * 320 + 100], 0x2A
	pop	es
	jne	.g_bad
	mov	ah, 0x02		; teletype 'A' in colour 0Fh at 0,0
	xor	bh, bh
	xor	dx, dx
	int	0x10
	mov	ax, 0x0E41
	mov	bl, 0x0F
	int	0x10
	push	es			; its cell has colour 0Fh pixels
	mov	ax, 0xA000
	mov	es, ax
	xor	di, di
	mov	al, 0x0F
	mov	cx, 8
	repne	scasb
	pop	es
	jne	.g_bad
	mov	ah, 0x03		; and the cursor moved on
	xor	bh, bh
	int	0x10
	cmp	dx, 0x0001
.g_bad:
	pushf
	mov	ax, 0x0003
	int	0x10
	popf
	call	check
	db	"mode13", 0

%ifdef HD
	; Hard disk: geometry, EDD parameters, a write and read back at
	; LBA 100, and CHS sector 2 = LBA 1.
	mov	ah, 0x08
	mov	dl, [drive]
	int	0x13
	jc	.d_bad
	cmp	dl, 1
	jne	.d_bad
	mov	si, 0x9000
	mov	word [si], 0x1E
	mov	ah, 0x48
	mov	dl, [drive]
	int	0x13
	jc	.d_bad
	cmp	dword [si + 16], 4096
	jne	.d_bad
	call	fill_pattern
	mov	word [dap2 + 2], 1
	mov	word [dap2 + 4], 0x2000
	mov	ah, 0x43
	xor	al, al
	mov	dl, [drive]
	mov	si, dap2
	int	0x13
	jc	.d_bad
	mov	word [dap2 + 2], 1
	mov	word [dap2 + 4], 0x2200
	mov	ah, 0x42
	mov	dl, [drive]
	mov	si, dap2
	int	0x13
	jc	.d_bad
	call	compare_pattern
	jne	.d_bad
	mov	ax, 0x0201
	mov	cx, 0x0002
	xor	dh, dh
	mov	dl, [drive]
	mov	bx, 0x2400
	int	0x13
	jc	.d_bad
	cmp	word [0x2400], 0x3252
.d_bad:
	call	check
	db	"disk", 0
%else
	; Diskette: 1.44M geometry, type with change line, a write, read
	; back and verify at C0 H1 S5, and a read into a buffer that
	; crosses a 64 KiB DMA page.
	mov	ah, 0x08
	mov	dl, [drive]
	int	0x13
	jc	.d_bad
	cmp	bl, 4
	jne	.d_bad
	cmp	cx, 0x4F12
	jne	.d_bad
	cmp	dh, 1
	jne	.d_bad
	push	cs
	pop	es
	mov	ah, 0x15
	mov	dl, [drive]
	int	0x13
	jc	.d_bad
	cmp	ah, 2
	jne	.d_bad
	call	fill_pattern
	mov	ax, 0x0301
	mov	cx, 0x0005
	mov	dh, 1
	mov	dl, [drive]
	mov	bx, 0x2000
	int	0x13
	jc	.d_bad
	mov	ax, 0x0201
	mov	cx, 0x0005
	mov	dh, 1
	mov	dl, [drive]
	mov	bx, 0x2200
	int	0x13
	jc	.d_bad
	call	compare_pattern
	jne	.d_bad
	mov	ax, 0x0401
	mov	cx, 0x0005
	mov	dh, 1
	mov	dl, [drive]
	int	0x13
	jc	.d_bad
	push	es
	mov	ax, 0x1000		; 1000:FF00: linear 1FF00h-200FFh
	mov	es, ax
	mov	bx, 0xFF00
	mov	ax, 0x0201
	mov	cx, 0x0005
	mov	dh, 1
	mov	dl, [drive]
	int	0x13
	pop	es
	jc	.d_bad
	push	ds
	push	es
	mov	ax, 0x1FF0
	mov	ds, ax
	xor	si, si
	xor	ax, ax
	mov	es, ax
	mov	di, 0x2000
	mov	cx, 256
	repe	cmpsw
	pop	es
	pop	ds
.d_bad:
	call	check
	db	"disk", 0
%endif

	mov	si, s_done
	call	print
	mov	al, [fails]
	add	al, '0'
	call	putc
	call	crlf
	mov	al, 0x10
	cmp	byte [fails], 0
	je	.exit
	mov	al, 0x11
.exit:
	out	0xF4, al
	cli
	hlt

; check: ZF=1 passed. The name follows the call; returns after it.
check:
	pushf
	push	si
	mov	si, s_pass
	jz	.print
	inc	byte [fails]
	mov	si, s_fail
.print:
	call	print
	mov	bp, sp
	mov	si, [bp + 4]
	call	print
	mov	[bp + 4], si
	call	crlf
	pop	si
	popf
	ret

crlf:
	mov	al, 13
	call	putc
	mov	al, 10
	jmp	putc

hex32:
	mov	cx, 8
.digit:
	rol	eax, 4
	push	eax
	and	al, 0x0F
	add	al, '0'
	cmp	al, '9'
	jbe	.put
	add	al, 7
.put:
	call	putc
	pop	eax
	loop	.digit
	ret

; move512: INT 15h AH=87h, 512 bytes from ESI to EDI. CF on error.
move512:
	push	edi
	mov	di, gdt
	xor	ax, ax
	mov	cx, 24
	rep	stosw
	pop	edi
	mov	word [gdt + 0x10], 0xFFFF
	mov	[gdt + 0x12], esi
	mov	byte [gdt + 0x15], 0x93
	mov	word [gdt + 0x18], 0xFFFF
	mov	[gdt + 0x1A], edi
	mov	byte [gdt + 0x1D], 0x93
	mov	si, gdt
	mov	cx, 256
	mov	ah, 0x87
	int	0x15
	ret

; fill_pattern writes 512 bytes at 2000h; compare_pattern checks 2200h
; against them (ZF=1 equal).
fill_pattern:
	mov	di, 0x2000
	mov	cx, 512
	mov	al, 0x5B
.fill:
	stosb
	add	al, 7
	loop	.fill
	ret
compare_pattern:
	mov	si, 0x2000
	mov	di, 0x2200
	mov	cx, 256
	repe	cmpsw
	ret

%ifdef HD
dap2:	db	0x10, 0
	dw	1
	dw	0x2000, 0
	dq	100
%endif
fails:	db	0
ticks:	dw	0
s_e820:	db	"E820 ", 0
s_pass:	db	"PASS ", 0
s_fail:	db	"FAIL ", 0
s_done:	db	"DONE failures=", 0
s_ab:	db	"AB"
	align	8
gdt:	times	48 db 0
	times	512 * (SECTORS + 1) - ($ - $$) db 0
`
