; The port-exit benchmark: OUT to port E0h in a tight loop.
	bits 16
	org 0x1000
top:	out 0xE0, al
	jmp top
