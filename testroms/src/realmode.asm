; realmode.asm: real-mode instruction checks that run on every model
; from the 8086 (the code uses 8086 instructions only). Where the models
; differ (the #DE return address, shift-count masking, PUSH SP) the ROM
; tells an 8086/186 from a 286 or later by FLAGS bits 12-15, which read
; as 1 only on the 8086/186, and checks the behaviour of that class.
;
; Output on port 0xE9: one line per test, "name ok", then
; "realmode: pass"; exit 0 (status 1) through isa-debug-exit at 0xF4,
; or the failing test's number.

%include "rom.inc"

; isr_record is the handler for every vector these tests raise. It
; counts the call, records the IP, CS and FLAGS the CPU pushed and the
; FLAGS it runs with, sets CF and clears TF in the FLAGS that IRET will
; restore (so a test sees IRET restore FLAGS from the stack), and resumes
; at isr_resume instead of the pushed IP if that is not 0.
isr_record:
	push bp
	mov bp, sp
	push ax
	pushf
	pop word [isr_flags_in]
	inc word [isr_count]
	mov ax, [bp + 2]
	mov [isr_ip], ax
	mov ax, [bp + 4]
	mov [isr_cs], ax
	mov ax, [bp + 6]
	mov [isr_flags], ax
	and word [bp + 6], (~TF) & 0xFFFF
	or word [bp + 6], CF
	mov ax, [isr_resume]
	test ax, ax
	jz .ret
	mov [bp + 2], ax
	mov word [isr_resume], 0
.ret:
	pop ax
	pop bp
	iret

; set_vector points IVT entry bx at isr_record.
set_vector:
	push bx
	shl bx, 1
	shl bx, 1
	mov word [bx], isr_record
	mov word [bx + 2], 0
	pop bx
	ret

; reset_isr clears what isr_record recorded.
reset_isr:
	mov word [isr_count], 0
	mov word [isr_ip], 0
	mov word [isr_cs], 0xFFFF
	mov word [isr_flags], 0
	mov word [isr_flags_in], 0
	mov word [isr_resume], 0
	ret

; farproc is called far with one word argument, which it returns in ax.
farproc:
	push bp
	mov bp, sp
	mov ax, [bp + 6]	; above the saved bp and the far return address
	pop bp
	retf 2

main:
	mov si, hello
	call rom_puts

	; 8086/186: FLAGS bits 12-15 always read as 1. On the 286 and later
	; clearing them through POPF sticks.
	pushf
	pop ax
	and ax, 0x0FFF
	push ax
	popf
	pushf
	pop ax
	and ax, 0xF000
	cmp ax, 0xF000
	je .old
	mov byte [is286], 1
.old:
	mov bx, 0		; #DE
	call set_vector
	mov bx, 1		; single step
	call set_vector
	mov bx, 3		; INT3
	call set_vector
	mov bx, 4		; INTO
	call set_vector
	mov bx, 0x60		; a user vector
	call set_vector

	TEST "add/adc flags"
	mov ax, 0x7FFF
	add ax, 1
	CHECKW ax, 0x8000
	CHECK_FLAGS OSZAPC, OF|SF|AF|PF
	mov ax, 0xFFFF
	add ax, 1
	CHECKW ax, 0
	CHECK_FLAGS OSZAPC, CF|ZF|AF|PF
	stc
	mov al, 0x0E
	adc al, 0x01
	CHECKB al, 0x10
	CHECK_FLAGS OSZAPC, AF
	mov ax, 0xFFFF		; a 32-bit add in two halves
	mov dx, 0x0001
	add ax, 1
	adc dx, 0
	CHECKW ax, 0
	CHECKW dx, 2
	ENDTEST

	TEST "sub/sbb/cmp/neg flags"
	xor ax, ax
	sub ax, 1
	CHECKW ax, 0xFFFF
	CHECK_FLAGS OSZAPC, CF|SF|AF|PF
	mov ax, 0x8000
	sub ax, 1
	CHECKW ax, 0x7FFF
	CHECK_FLAGS OSZAPC, OF|AF|PF
	stc
	mov al, 0x10
	sbb al, 0x01
	CHECKB al, 0x0E
	CHECK_FLAGS OSZAPC, AF
	mov bx, 5
	cmp bx, 7
	CHECK_FLAGS OSZAPC, CF|SF|AF
	CHECKW bx, 5
	mov ax, 1
	neg ax
	CHECKW ax, 0xFFFF
	CHECK_FLAGS OSZAPC, CF|SF|AF|PF
	xor ax, ax
	neg ax
	CHECK_FLAGS OSZAPC, ZF|PF
	mov al, 0x80
	neg al
	CHECKB al, 0x80
	CHECK_FLAGS OSZAPC, OF|SF|CF
	ENDTEST

	TEST "inc/dec/logic flags"
	stc
	mov ax, 0xFFFF
	inc ax			; CF is kept
	CHECKW ax, 0
	CHECK_FLAGS OSZAPC, CF|ZF|AF|PF
	clc
	mov al, 0x80
	dec al
	CHECKB al, 0x7F
	CHECK_FLAGS OSZAPC, OF|AF
	stc
	mov ax, 0xF0F0
	and ax, 0x0FF0		; clears CF and OF; AF is undefined
	CHECKW ax, 0x00F0
	CHECK_FLAGS OF|SF|ZF|PF|CF, PF
	or ax, 0x8000
	CHECKW ax, 0x80F0
	CHECK_FLAGS OF|SF|ZF|PF|CF, SF|PF
	xor ax, ax
	CHECK_FLAGS OF|SF|ZF|PF|CF, ZF|PF
	mov ax, 0x5555
	stc
	not ax			; changes no flag
	CHECKW ax, 0xAAAA
	CHECK_FLAGS CF, CF
	test ax, 0x0001
	CHECK_FLAGS OF|SF|ZF|CF, ZF
	ENDTEST

	TEST "shifts and rotates"
	mov al, 0x81
	shl al, 1
	CHECKB al, 0x02
	CHECK_FLAGS CF|OF|SF|ZF, CF|OF
	mov al, 0x81
	shr al, 1
	CHECKB al, 0x40
	CHECK_FLAGS CF|OF|SF|ZF, CF|OF
	mov al, 0x81
	sar al, 1
	CHECKB al, 0xC0
	CHECK_FLAGS CF|OF|SF|ZF, CF|SF
	mov ax, 0x8001
	mov cl, 4
	sar ax, cl
	CHECKW ax, 0xF800
	CHECK_FLAGS CF, 0
	mov ax, 0x1234
	shl ax, cl		; the last bit out is bit 12
	CHECKW ax, 0x2340
	CHECK_FLAGS CF, CF
	mov al, 0x81
	rol al, 1
	CHECKB al, 0x03
	CHECK_FLAGS CF|OF, CF|OF
	mov al, 0x81
	ror al, 1
	CHECKB al, 0xC0
	CHECK_FLAGS CF|OF, CF
	stc
	mov al, 0x80
	rcl al, 1
	CHECKB al, 0x01
	CHECK_FLAGS CF, CF
	clc
	mov al, 0x01
	rcr al, 1
	CHECKB al, 0x00
	CHECK_FLAGS CF, CF
	mov ax, 0x1234
	mov cl, 8
	ror ax, cl
	CHECKW ax, 0x3412
	stc			; a count of 0 changes no flag
	mov cl, 0
	shl ax, cl
	CHECK_FLAGS CF, CF
	CHECKW ax, 0x3412
	cmp byte [is286], 0	; the 186 and later mask the count to 5 bits
	je .nomask
	mov ax, 1
	mov cl, 33
	shl ax, cl
	CHECKW ax, 2
.nomask:
	ENDTEST

	TEST "string ops with REP"
	cld
	mov si, text
	mov di, buf
	mov cx, text_len
	rep movsb
	CHECKW cx, 0
	CHECKW si, text + text_len
	CHECKW di, buf + text_len
	mov si, text
	mov di, buf
	mov cx, text_len
	repe cmpsb
	EXPECT z
	CHECKW cx, 0
	mov di, text		; find the 'z' of "ringzero"
	mov al, 'z'
	mov cx, text_len
	repne scasb
	EXPECT z
	CHECKW di, text + 5
	CHECKW cx, text_len - 5
	mov byte [buf + 6], '?'	; now the copy differs at index 6
	mov si, text
	mov di, buf
	mov cx, text_len
	repe cmpsb
	EXPECT nz
	CHECKW cx, text_len - 7
	CHECKW si, text + 7
	std			; copy backwards
	mov si, text + text_len - 1
	mov di, buf + text_len - 1
	mov cx, text_len
	rep movsb
	cld
	CHECKW di, buf - 1
	mov si, text
	mov di, buf
	mov cx, text_len
	repe cmpsb
	EXPECT z
	mov di, buf
	mov ax, 0xA55A
	mov cx, 4
	rep stosw
	CHECKW di, buf + 8
	CHECKW word [buf + 6], 0xA55A
	mov si, buf + 2
	lodsw
	CHECKW ax, 0xA55A
	CHECKW si, buf + 4
	mov di, buf		; REP with CX = 0 does nothing
	xor cx, cx
	mov al, 0
	rep stosb
	CHECKW di, buf
	CHECKB byte [buf], 0x5A
	mov byte [buf], 'x'	; an overlapping forward copy spreads one byte
	mov si, buf
	mov di, buf + 1
	mov cx, 7
	rep movsb
	CHECKB byte [buf + 7], 'x'
	CHECKB byte [buf + 8], '!'
	ENDTEST

	TEST "BCD adjust"
	mov al, 0x79
	add al, 0x35
	daa
	CHECKB al, 0x14
	CHECK_FLAGS CF|AF, CF|AF
	mov al, 0x35
	sub al, 0x47
	das
	CHECKB al, 0x88
	CHECK_FLAGS CF|AF, CF|AF
	mov ax, 0x0009
	add al, 3
	aaa
	CHECKW ax, 0x0102
	CHECK_FLAGS CF|AF, CF|AF
	mov ax, 0x0205
	sub al, 8
	aas
	CHECKW ax, 0x0107
	CHECK_FLAGS CF|AF, CF|AF
	mov al, 63
	aam
	CHECKW ax, 0x0603
	CHECK_FLAGS SF|ZF|PF, PF
	aad
	CHECKW ax, 63
	mov al, 0x3F
	aam 16
	CHECKW ax, 0x030F
	ENDTEST

	TEST "MUL/IMUL"
	mov ax, 0x1234
	mov bx, 0x5678
	mul bx
	CHECKW dx, 0x0626
	CHECKW ax, 0x0060
	CHECK_FLAGS CF|OF, CF|OF
	mov al, 200
	mov bl, 2
	mul bl
	CHECKW ax, 400
	CHECK_FLAGS CF|OF, CF|OF
	mov al, 10
	mov bl, 20
	mul bl
	CHECKW ax, 200
	CHECK_FLAGS CF|OF, 0
	mov al, -2
	mov bl, 3
	imul bl
	CHECKW ax, -6 & 0xFFFF
	CHECK_FLAGS CF|OF, 0
	mov ax, -300
	mov bx, 300
	imul bx
	CHECKW dx, 0xFFFE
	CHECKW ax, 0xA070
	CHECK_FLAGS CF|OF, CF|OF
	ENDTEST

	TEST "DIV/IDIV"
	mov dx, 0x0001
	mov ax, 0x2345
	mov bx, 0x0100
	div bx
	CHECKW ax, 0x0123
	CHECKW dx, 0x0045
	mov ax, 1000
	mov bl, 7
	div bl
	CHECKW ax, 0x068E	; remainder 6, quotient 142
	mov ax, -7
	cwd
	mov bx, 2
	idiv bx			; rounds towards zero
	CHECKW ax, -3 & 0xFFFF
	CHECKW dx, 0xFFFF
	mov ax, -7
	mov bl, 2
	idiv bl
	CHECKW ax, 0xFFFD
	mov ax, 7
	cwd
	mov bx, -2
	idiv bx
	CHECKW ax, -3 & 0xFFFF
	CHECKW dx, 1
	ENDTEST

	; #DE is a fault on the 286 and later: the pushed IP is the divide's
	; own, so a handler that returns runs it again. The 8086/186 push the
	; IP of the next instruction.
	TEST "#DE and its return address"
	call reset_isr
	mov word [isr_resume], %$back1
	mov ax, 0x1234
	xor bl, bl
%$div1:
	div bl			; divide by zero
%$next1:
	FAIL
%$back1:
	CHECKW word [isr_count], 1
	CHECKW word [isr_cs], 0
	mov bx, %$div1
	cmp byte [is286], 0
	jne .fault1
	mov bx, %$next1
.fault1:
	CHECKW word [isr_ip], bx
	cmp byte [is286], 0	; a fault leaves the operands alone
	je .old1
	CHECKW ax, 0x1234
.old1:
	call reset_isr
	mov word [isr_resume], %$back2
	mov ax, 0x4000
	mov bl, 1
%$div2:
	div bl			; the quotient does not fit in AL
%$next2:
	FAIL
%$back2:
	CHECKW word [isr_count], 1
	mov bx, %$div2
	cmp byte [is286], 0
	jne .fault2
	mov bx, %$next2
.fault2:
	CHECKW word [isr_ip], bx
	call reset_isr
	mov word [isr_resume], %$back3
	mov ax, 0x8000
	cwd
	mov bx, -1
%$div3:
	idiv bx			; -32768 / -1 overflows
%$next3:
	FAIL
%$back3:
	CHECKW word [isr_count], 1
	mov bx, %$div3
	cmp byte [is286], 0
	jne .fault3
	mov bx, %$next3
.fault3:
	CHECKW word [isr_ip], bx
	call reset_isr
	mov word [isr_resume], %$back4
	mov al, 5
%$div4:
	aam 0			; AAM divides by its immediate
%$next4:
	FAIL
%$back4:
	CHECKW word [isr_count], 1
	mov bx, %$div4
	cmp byte [is286], 0
	jne .fault4
	mov bx, %$next4
.fault4:
	CHECKW word [isr_ip], bx
	ENDTEST

	TEST "INT/IRET"
	call reset_isr
	sti
	clc
	int 0x60
%$ret:
	EXPECT c		; the handler set CF in the FLAGS IRET popped
	CHECKW word [isr_count], 1
	CHECKW word [isr_ip], %$ret
	CHECKW word [isr_cs], 0
	mov ax, [isr_flags]	; as they were before INT
	and ax, IF|CF
	CHECKW ax, IF
	mov ax, [isr_flags_in]	; INT clears IF and TF
	and ax, IF|TF
	CHECKW ax, 0
	pushf
	pop ax
	test ax, IF		; and IRET brings IF back
	EXPECT nz
	ENDTEST

	TEST "INT3/INTO"
	call reset_isr
	int3			; the one-byte CC
%$ret3:
	CHECKW word [isr_count], 1
	CHECKW word [isr_ip], %$ret3
	call reset_isr
	xor al, al		; OF = 0: INTO does nothing
	into
	CHECKW word [isr_count], 0
	mov al, 0x7F
	add al, 1		; OF = 1
	into
%$ret4:
	CHECKW word [isr_count], 1
	CHECKW word [isr_ip], %$ret4
	ENDTEST

	; POPF that sets TF traps after the instruction that follows it.
	TEST "single-step trap"
	call reset_isr
	pushf
	pop ax
	or ax, TF
	push ax
	popf
	nop
%$stepped:
	CHECKW word [isr_count], 1
	CHECKW word [isr_ip], %$stepped
	mov ax, [isr_flags]
	and ax, TF
	CHECKW ax, TF
	pushf
	pop ax
	and ax, TF		; the handler cleared it
	CHECKW ax, 0
	ENDTEST

	TEST "stack, far calls, flags transfer"
	mov bx, sp
	push sp
	pop ax
	cmp byte [is286], 0	; the 286 pushes SP as it was before PUSH
	jne .newsp
	sub bx, 2
.newsp:
	CHECKW ax, bx
	mov bx, sp
	mov ax, 0x1357
	push ax
	call 0:farproc
	CHECKW ax, 0x1357
	mov cx, sp
	CHECKW cx, bx		; RETF 2 dropped the argument
	mov ah, SF|ZF|AF|PF|CF | 0x02
	sahf
	CHECK_FLAGS SF|ZF|AF|PF|CF, SF|ZF|AF|PF|CF
	mov ah, 0x02
	sahf
	lahf
	CHECKB ah, 0x02		; bit 1 always reads as 1
	ENDTEST

	TEST "misc: XLAT CBW CWD LEA LOOP LDS XCHG"
	mov bx, hexdigits
	mov al, 12
	xlatb
	CHECKB al, 'c'
	mov al, 0x80
	cbw
	CHECKW ax, 0xFF80
	cwd
	CHECKW dx, 0xFFFF
	mov bx, 0x1000
	mov si, 0x0234
	lea ax, [bx + si + 0x10]
	CHECKW ax, 0x1244
	mov cx, 5
	xor ax, ax
.loop:
	add ax, cx
	loop .loop
	CHECKW ax, 15
	CHECKW cx, 0
	jcxz .zero
	FAIL
.zero:
	lds si, [farptr]
	mov ax, ds
	xor bx, bx
	mov ds, bx
	CHECKW ax, 0x5678
	CHECKW si, 0x1234
	les di, [farptr]
	mov ax, es
	mov es, bx
	CHECKW ax, 0x5678
	mov ax, 1
	mov dx, 2
	xchg ax, dx
	CHECKW ax, 2
	CHECKW dx, 1
	ENDTEST

	ROM_PASS "realmode"

hello:		db "realmode: real-mode instruction checks", 10, 0
text:		db "ringzero!"
text_len	equ $ - text
hexdigits:	db "0123456789abcdef"
farptr:		dw 0x1234, 0x5678
is286:		db 0
	align 2
isr_count:	dw 0
isr_ip:		dw 0
isr_cs:		dw 0
isr_flags:	dw 0
isr_flags_in:	dw 0
isr_resume:	dw 0
buf:		times 16 db 0

	ROM_END
