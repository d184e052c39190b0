; apic.asm: the local APIC and the I/O APIC of a Pentium II PC, as QEMU's
; pc machine and ringzero's board have them. CPUID's APIC flag and
; IA32_APIC_BASE; the version register; self-IPIs through the ICR with
; IRR, ISR, PPR and EOI; a software-disabled APIC holding its requests;
; TPR masking priority classes; the highest vector first and nesting by
; class; the APIC timer one-shot and periodic; the I/O APIC's version,
; the PIT's IRQ 0 through pin 2 (the ISA override), masking; a
; level-triggered pin with remote IRR cleared by the EOI broadcast; and
; the 8259's interrupts through LINT0 in ExtINT mode (virtual wire),
; stopped by masking LINT0. Needs a Pentium II.
;
; Output on port 0xE9: one line per test, "name ok", then "apic: pass";
; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; The ROM programs every register it relies on: a BIOS may have set the
; APIC up already (SeaBIOS enables it and sets LINT0 and LINT1) or left
; it as it came out of reset (the built-in BIOS). Times are waited for
; with bounded loops, so a missing interrupt fails instead of hanging.
; Interrupts go through an IDT of 256 gates (BIG_IDT): the framework's
; exception gates, then a stub for each vector 20h-FFh that logs the
; vector and ends it as act[vector] says.

%define PM_HAS_CR4
%define PM_RECOVER_HOOK
%define ROM_NAME "apic"
%include "rom.inc"
%include "pm.inc"
	cpu 686

LAPIC		equ 0xFEE00000	; local APIC registers (SDM Vol. 3A, Table 10-1)
A_ID		equ 0x020
A_VER		equ 0x030
A_TPR		equ 0x080
A_PPR		equ 0x0A0
A_EOI		equ 0x0B0
A_SVR		equ 0x0F0
A_ISR		equ 0x100
A_TMR		equ 0x180
A_IRR		equ 0x200
A_ICRLO		equ 0x300
A_ICRHI		equ 0x310
A_LVTT		equ 0x320
A_LINT0		equ 0x350
A_INIT		equ 0x380
A_CUR		equ 0x390
A_DIV		equ 0x3E0

IOAPIC		equ 0xFEC00000	; IOREGSEL at +0, IOWIN at +10h
IO_VER		equ 0x01
IO_PIN2		equ 0x14	; redirection entry 2, low dword; +1 high

MSR_APIC_BASE	equ 0x1B
FEAT_APIC	equ 1 << 9

SVR_ON		equ 0x100 | 0x2F	; software enabled, spurious vector 2Fh
SVR_OFF		equ 0x2F
ICR_SELF	equ 1 << 18	; destination shorthand: self, fixed, edge
MASKED		equ 1 << 16
PERIODIC	equ 1 << 17
LEVEL		equ 1 << 15	; trigger mode (I/O APIC entries)
REMOTE_IRR	equ 1 << 14
EXTINT		equ 7 << 8

BIG_IDT		equ 0x21000	; 256 gates
PATIENCE		equ 20000000	; loop iterations before giving up

; What the stub does after logging (act[vector]).
ACT_EOI		equ 0		; a local APIC EOI
ACT_NOEOI	equ 1		; nothing: the vector stays in service
ACT_PIC		equ 2		; an EOI to the master 8259
ACT_NEST	equ 3		; self-IPIs NEST_SAME and NEST_HIGH, STI to let them in, then EOI
NEST_SAME	equ 0x67
NEST_HIGH	equ 0x7A

; APIC reg, value: writes a local APIC register.
%macro APIC 2
	mov dword [LAPIC + %1], %2
%endmacro

; IPI vector: a fixed self-IPI.
%macro IPI 1
	APIC A_ICRLO, ICR_SELF | (%1)
%endmacro

; IOWR reg, value / IORD reg (into eax): the I/O APIC's registers.
%macro IOWR 2
	mov dword [IOAPIC], %1
	mov dword [IOAPIC + 0x10], %2
%endmacro
%macro IORD 1
	mov dword [IOAPIC], %1
	mov eax, [IOAPIC + 0x10]
%endmacro

; BIT reg, vector: CHECKD that vector's bit of ISR, TMR or IRR is 1.
; NOBIT: that it is 0.
%macro BIT 2
	mov eax, [LAPIC + (reg_%1) + ((%2) >> 5) * 16]
	and eax, 1 << ((%2) & 31)
	CHECKD eax, 1 << ((%2) & 31)
%endmacro
%macro NOBIT 2
	mov eax, [LAPIC + (reg_%1) + ((%2) >> 5) * 16]
	and eax, 1 << ((%2) & 31)
	CHECKD eax, 0
%endmacro
reg_ISR		equ A_ISR
reg_TMR		equ A_TMR
reg_IRR		equ A_IRR

; LETIN: a window with IF set for pending interrupts to come in.
%macro LETIN 0
	sti
	nop
	nop
	nop
	cli
%endmacro

; WAITFOR vector, n: with IF set, waits until the vector came n times;
; fails the test if it does not within PATIENCE loops.
%macro WAITFOR 2
	mov ecx, PATIENCE
	sti
%%loop:
	cmp dword [counts + (%1) * 4], %2
	jae %%done
	dec ecx
	jnz %%loop
%%done:
	cli
	CHECKD dword [counts + (%1) * 4], %2
%endmacro

; SPIN n: n loop iterations with IF set (interrupts that should not come
; get their chance).
%macro SPIN 1
	mov ecx, %1
	sti
%%loop:
	dec ecx
	jnz %%loop
	cli
%endmacro

	bits 32
pm_main:
	call big_idt
	call quiet

	TEST "CPUID APIC flag, IA32_APIC_BASE at FEE00000h"
	mov eax, 1
	cpuid
	and edx, FEAT_APIC
	CHECKD edx, FEAT_APIC
	mov ecx, MSR_APIC_BASE
	rdmsr
	and eax, 0xFFFFF900	; base, enable, BSP
	CHECKD eax, 0xFEE00900
	CHECKD edx, 0
	mov eax, [LAPIC + A_ID]
	shr eax, 24
	CHECKD eax, 0		; the bootstrap processor is APIC ID 0
	ENDTEST

	TEST "local APIC version 14h, six LVT entries"
	mov eax, [LAPIC + A_VER]
	CHECKD eax, 0x00050014
	ENDTEST

	TEST "self-IPI: IRR, ISR, PPR, EOI"
	call fresh
	IPI 0x31
	BIT IRR, 0x31
	NOBIT ISR, 0x31
	LETIN
	CHECKD dword [counts + 0x31 * 4], 1
	CHECKD dword [isr_seen], 1 << (0x31 - 0x20)	; in service in the handler
	CHECKD dword [ppr_seen], 0x30			; PPR: its class
	NOBIT IRR, 0x31
	NOBIT ISR, 0x31					; the handler's EOI
	mov eax, [LAPIC + A_PPR]
	CHECKD eax, 0
	; Without EOI it stays in service and PPR keeps its class.
	mov byte [act + 0x32], ACT_NOEOI
	IPI 0x32
	LETIN
	BIT ISR, 0x32
	mov eax, [LAPIC + A_PPR]
	CHECKD eax, 0x30
	APIC A_EOI, 0
	NOBIT ISR, 0x32
	ENDTEST

	TEST "software-disabled APIC holds fixed interrupts"
	call fresh
	APIC A_SVR, SVR_OFF
	IPI 0x41
	LETIN
	CHECKD dword [counts + 0x41 * 4], 0
	BIT IRR, 0x41
	APIC A_SVR, SVR_ON
	LETIN
	CHECKD dword [counts + 0x41 * 4], 1
	ENDTEST

	TEST "TPR masks lower priority classes"
	call fresh
	APIC A_TPR, 0x40
	mov eax, [LAPIC + A_PPR]
	CHECKD eax, 0x40
	IPI 0x35
	IPI 0x4E		; class 4: not above TPR's
	LETIN
	CHECKD dword [log_n], 0
	BIT IRR, 0x35
	BIT IRR, 0x4E
	IPI 0x50
	LETIN
	CHECKD dword [log_n], 1
	CHECKB byte [log], 0x50
	APIC A_TPR, 0x30	; lets 4Eh in, not 35h
	LETIN
	CHECKD dword [log_n], 2
	CHECKB byte [log + 1], 0x4E
	APIC A_TPR, 0
	LETIN
	CHECKD dword [log_n], 3
	CHECKB byte [log + 2], 0x35
	ENDTEST

	TEST "highest vector first, nesting by class"
	call fresh
	IPI 0x33
	IPI 0x92
	IPI 0x41
	IPI 0x9F
	LETIN
	CHECKD dword [log_n], 4
	CHECKD dword [log], 0x3341929F	; 9F, 92, 41, 33
	; In service at 65h: 67h waits for the EOI, 7Ah nests.
	call fresh
	mov byte [act + 0x65], ACT_NEST
	IPI 0x65
	LETIN
	CHECKD dword [log_n], 3
	CHECKB byte [log], 0x65
	CHECKB byte [log + 1], NEST_HIGH
	CHECKB byte [log + 2], NEST_SAME
	ENDTEST

	TEST "APIC timer one-shot"
	call fresh
	APIC A_DIV, 0xA		; divide by 128
	APIC A_LVTT, 0x3A	; one-shot, vector 3Ah
	APIC A_INIT, 100000	; 12.8 ms of the 1 GHz bus
	mov eax, [LAPIC + A_CUR]
	cmp eax, 100000
	EXPECT be
	cmp eax, 0
	EXPECT a
	mov ebx, eax
	mov ecx, PATIENCE		; (ringzero's clock moves between slices)
.count:	cmp [LAPIC + A_CUR], ebx
	jb .down
	dec ecx
	jnz .count
.down:	mov eax, [LAPIC + A_CUR]
	cmp eax, ebx
	EXPECT b		; counting down
	WAITFOR 0x3A, 1
	mov eax, [LAPIC + A_CUR]
	CHECKD eax, 0
	SPIN 200000
	CHECKD dword [counts + 0x3A * 4], 1	; once
	ENDTEST

	TEST "APIC timer periodic"
	call fresh
	APIC A_DIV, 3		; divide by 16
	APIC A_LVTT, PERIODIC | 0x3B
	APIC A_INIT, 10000	; 160 us
	WAITFOR 0x3B, 3
	mov eax, [LAPIC + A_CUR]
	cmp eax, 0
	EXPECT nz		; reloaded
	APIC A_LVTT, MASKED | PERIODIC | 0x3B
	mov ebx, [counts + 0x3B * 4]
	SPIN 200000
	CHECKD dword [counts + 0x3B * 4], ebx	; masked: no more
	APIC A_INIT, 0
	ENDTEST

	TEST "I/O APIC: 24 pins, PIT through pin 2"
	call fresh
	IORD IO_VER
	and eax, 0x00FF0000
	CHECKD eax, 0x00170000		; maximum redirection entry 17h
	IORD IO_PIN2
	and eax, MASKED
	CHECKD eax, MASKED		; masked from reset
	call pit_1khz
	IOWR IO_PIN2 + 1, 0		; physical destination: APIC ID 0
	IOWR IO_PIN2, 0x3C		; fixed, edge, vector 3Ch
	WAITFOR 0x3C, 3
	NOBIT TMR, 0x3C			; edge
	IOWR IO_PIN2, MASKED | 0x3C
	mov ebx, [counts + 0x3C * 4]
	SPIN 2000000
	CHECKD dword [counts + 0x3C * 4], ebx
	ENDTEST

	TEST "I/O APIC level pin: remote IRR and EOI broadcast"
	; The PIT's OUT in mode 2 is high but for one clock a period: as a
	; level input it requests, and the entry's remote IRR holds it off
	; until the EOI.
	call fresh
	call pit_1khz
	mov byte [act + 0x3D], ACT_NOEOI
	IOWR IO_PIN2, LEVEL | 0x3D
	WAITFOR 0x3D, 1
	BIT ISR, 0x3D
	BIT TMR, 0x3D			; level: the EOI is broadcast
	IORD IO_PIN2
	and eax, REMOTE_IRR
	CHECKD eax, REMOTE_IRR
	SPIN 2000000
	CHECKD dword [counts + 0x3D * 4], 1	; held by remote IRR
	NOBIT IRR, 0x3D
	APIC A_EOI, 0			; clears remote IRR; the pin is still high
	WAITFOR 0x3D, 2
	IOWR IO_PIN2, LEVEL | MASKED | 0x3D
	APIC A_EOI, 0
	IORD IO_PIN2
	and eax, REMOTE_IRR
	CHECKD eax, 0
	SPIN 2000000
	CHECKD dword [counts + 0x3D * 4], 2
	NOBIT ISR, 0x3D
	ENDTEST

	TEST "ExtINT from the 8259 through LINT0"
	call fresh
	call pit_1khz
	call pic_init			; IRQ 0 at vector 20h, unmasked
	mov byte [act + 0x20], ACT_PIC
	APIC A_LINT0, EXTINT
	WAITFOR 0x20, 3
	APIC A_LINT0, MASKED | EXTINT
	mov ebx, [counts + 0x20 * 4]
	SPIN 2000000
	CHECKD dword [counts + 0x20 * 4], ebx	; masked: the 8259 is cut off
	APIC A_LINT0, EXTINT
	inc ebx
	WAITFOR 0x20, ebx			; and back
	mov al, 0xFF
	out 0x21, al
	ENDTEST

	call quiet
	lidt [pm_idtr]
	ROM_PASS

; big_idt builds BIG_IDT: the framework's gates 0-1Fh, and the stubs for
; 20h-FFh (interrupt gates), and loads it.
big_idt:
	pushad
	mov esi, PM_IDT
	mov edi, BIG_IDT
	mov ecx, 0x20 * 2
	cld
	rep movsd
	mov ebx, ABS(irq_stubs)
	mov ecx, 0x20
.gate:
	mov eax, ebx
	and eax, 0xFFFF
	or eax, SEL_CODE32 << 16
	mov [BIG_IDT + ecx * 8], eax
	mov eax, ebx
	and eax, 0xFFFF0000
	or eax, 0x8E00
	mov [BIG_IDT + ecx * 8 + 4], eax
	add ebx, 16
	inc ecx
	cmp ecx, 0x100
	jb .gate
	lidt [big_idtr]
	popad
	ret

; rom_recover (pm_recover's hook, after a failure) and quiet: the APICs
; as the tests start them: software enabled, TPR 0, timer stopped and
; masked, LINT0 masked, I/O APIC pin 2 masked, the 8259s masked, nothing
; in service.
rom_recover:
quiet:
	push ecx
	mov al, 0xFF
	out 0x21, al
	out 0xA1, al
	APIC A_SVR, SVR_ON
	APIC A_TPR, 0
	APIC A_LVTT, MASKED
	APIC A_INIT, 0
	APIC A_LINT0, MASKED | EXTINT
	IOWR IO_PIN2 + 1, 0
	IOWR IO_PIN2, MASKED
	mov ecx, 16
.eoi:	APIC A_EOI, 0
	dec ecx
	jnz .eoi
	pop ecx
	ret

; fresh clears the log, the counts and the actions, and loads BIG_IDT
; again (after a failure pm_recover put the framework's back).
fresh:
	pushad
	lidt [big_idtr]
	xor eax, eax
	mov edi, counts
	mov ecx, 256
	cld
	rep stosd
	mov edi, act
	mov ecx, 256 / 4
	rep stosd
	mov [log_n], eax
	mov [log], eax
	mov [log + 4], eax
	popad
	ret

; pit_1khz: counter 0 in mode 2 with a count of 1193 (1 kHz).
pit_1khz:
	mov al, 0x34
	out 0x43, al
	mov al, 1193 & 0xFF
	out 0x40, al
	mov al, 1193 >> 8
	out 0x40, al
	ret

; pic_init programs the 8259 pair: master at vector 20h, slave at 28h,
; everything masked but IRQ 0.
pic_init:
	mov al, 0x11
	out 0x20, al
	out 0xA0, al
	mov al, 0x20
	out 0x21, al
	mov al, 0x28
	out 0xA1, al
	mov al, 4
	out 0x21, al
	mov al, 2
	out 0xA1, al
	mov al, 1
	out 0x21, al
	out 0xA1, al
	mov al, 0xFE
	out 0x21, al
	mov al, 0xFF
	out 0xA1, al
	ret

; The stubs: 16 bytes each, irq_stubs + (vector - 20h) * 16.
	align 16
irq_stubs:
%assign v 0x20
%rep 0xE0
	push dword v
	jmp irq_common
	align 16
%assign v v + 1
%endrep

; irq_common logs the vector (log, log_n; counts[vector]), notes the
; ISR word holding it and PPR as the handler sees them, and ends the
; interrupt as act[vector] says.
irq_common:
	push eax
	push ebx
	mov eax, [esp + 8]
	mov ebx, [log_n]
	cmp ebx, 8
	jae .full
	mov [log + ebx], al
	inc dword [log_n]
.full:
	inc dword [counts + eax * 4]
	mov ebx, [LAPIC + A_PPR]
	mov [ppr_seen], ebx
	mov ebx, eax
	shr ebx, 5
	shl ebx, 4
	mov ebx, [LAPIC + A_ISR + ebx]
	mov [isr_seen], ebx
	movzx ebx, byte [act + eax]
	cmp bl, ACT_NOEOI
	je .done
	cmp bl, ACT_PIC
	je .pic
	cmp bl, ACT_NEST
	jne .eoi
	IPI NEST_SAME
	IPI NEST_HIGH
	LETIN
.eoi:
	APIC A_EOI, 0
	jmp .done
.pic:
	mov al, 0x20
	out 0x20, al
.done:
	pop ebx
	pop eax
	add esp, 4
	iretd

hello:		db ": local and I/O APIC checks", 10, 0

	align 8
pm_tables:
gdt:
	PM_GDT_BASE
gdt_end:
tss_main:
	TSS32 0, 0, 0, 0, 0, 0
tss_main_end:
pm_tables_end:

	align 4
gdtr:		dw gdt_end - gdt - 1
		dd gdt
big_idtr:	dw 256 * 8 - 1
		dd BIG_IDT
log_n:		dd 0
log:		times 8 db 0
ppr_seen:	dd 0
isr_seen:	dd 0
counts:		times 256 dd 0
act:		times 256 db 0

	ROM_END
