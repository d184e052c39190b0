; The compute benchmark: ECX iterations of a three-instruction loop, no
; exits, then HLT.
	bits 16
	org 0x1000
top:	add eax, ebx
	dec ecx
	jnz top
	hlt
