; Protected mode with an empty IDT: INT3 faults, the #GP and the #DF
; find nothing either, and the CPU shuts down.
	bits 16
	org 0x1000
	cli
	xor ax, ax
	mov ds, ax
	lgdt [gdtr]
	lidt [idtr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x08:pm32
	bits 32
pm32:
	int3
	hlt
	align 8
gdt:	dq 0
	dq 0x00CF9A000000FFFF
gdtr:	dw gdtr - gdt - 1
	dd gdt
idtr:	dw 0
	dd 0
