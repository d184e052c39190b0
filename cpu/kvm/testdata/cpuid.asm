; CPUID leaves 0, 1 and 2: EAX, EBX, ECX, EDX of each to the 32-bit port.
%include "macros.inc"
	bits 16
	org 0x1000
	cli
	xor esi, esi
leaf:	mov eax, esi
	cpuid
	out PORT32, eax
	mov eax, ebx
	out PORT32, eax
	mov eax, ecx
	out PORT32, eax
	mov eax, edx
	out PORT32, eax
	inc esi
	cmp esi, 3
	jb leaf
	hlt
