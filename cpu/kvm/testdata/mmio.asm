; Reads and writes of 1, 2 and 4 bytes to an MMIO page at D0000h; what
; the reads return goes to the ports.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	mov ax, 0xD000
	mov es, ax
	mov byte [es:0x10], 0x11
	mov word [es:0x20], 0x2233
	mov dword [es:0x30], 0x44556677
	mov al, [es:0x41]
	out DEBUG, al
	mov ax, [es:0x42]
	out PORT16, ax
	mov eax, [es:0x44]
	out PORT32, eax
	hlt
