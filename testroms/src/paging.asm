; paging.asm: 32-bit paging. Identity-mapped page tables, #PF error
; codes and CR2 (not present, write to read-only at CPL 3 and at CPL 0
; with CR0.WP off and on, user access to supervisor pages, at the PTE and
; at the PDE level, instruction fetch, REP STOSB and page-straddling
; accesses running into a missing page), a #PF handler that maps the page
; and restarts the access, accessed and dirty bits set by the CPU, 4 MiB
; pages with CR4.PSE (and the PS bit ignored without it), and the TLB:
; a changed PTE is not seen until INVLPG or a CR3 reload, INVLPG flushes
; one page (4 KiB or 4 MiB), global pages (CR4.PGE) need INVLPG or
; clearing PGE. Needs
; CR4 (Pentium) and PGE (Pentium Pro): a Pentium II.
;
; Output on port 0xE9: one line per test, "name ok", then "paging:
; pass"; exit 0 (status 1) through isa-debug-exit at 0xF4. A failing test
; prints its FAIL line and the ROM goes on; it exits with the first
; failing test's number.
;
; QEMU flushes global pages on every CR3 load (the SDM allows it keeping
; them); the STRICT build checks that they survive, as on a Pentium II:
; the paging-strict image, checked under Bochs.
;; variant: paging-strict -DSTRICT

%define PM_HAS_CR4
%define ROM_NAME "paging"
%include "rom.inc"
%include "pm.inc"
	cpu 686

PD		equ 0x30000	; the page directory
PT0		equ 0x31000	; linear 0-4 MiB, identity
PT2		equ 0x32000	; linear 8 MiB: PDE supervisor
PT3		equ 0x33000	; linear 12 MiB: PDE read-only

P		equ 0x001	; page-table entry bits
W		equ 0x002
U		equ 0x004
A		equ 0x020
D		equ 0x040
PS		equ 0x080
G		equ 0x100

; The test pages, in the identity-mapped first 4 MiB.
PG_NP		equ 0x210000	; not present
PG_RO		equ 0x211000	; user, read-only
PG_SUP		equ 0x212000	; supervisor
PG_AD		equ 0x213000	; user, A and D clear
PG_GLOB		equ 0x214000	; global -> 240000h, then 241000h
PG_NG		equ 0x215000	; not global -> 242000h, then 243000h
PG_INV1		equ 0x216000	; -> 244000h, then 245000h
PG_INV2		equ 0x217000	; -> 246000h, then 247000h
BIG		equ 0x400000	; PDE 1: a 4 MiB page -> 800000h
BIG_PHYS	equ 0x800000
BIG_PHYS2	equ 0xC00000	; its frame after the INVLPG test
LIN_SUPPDE	equ 0x800000	; PDE 2: supervisor, its PTE user
LIN_ROPDE	equ 0xC00000	; PDE 3: read-only, its PTE writable
LIN_NOPDE	equ 0x1000000	; PDE 4: not present

%define PTE(lin) dword [PT0 + ((lin) >> 12) * 4]
%define PDE(lin) dword [PD + ((lin) >> 22) * 4]

; CHECK_PF n, code, cr2, eip: record n is a #PF.
%macro CHECK_PF 4
	CHECKD dword [REC(%1, R_VEC)], 14
	CHECKD dword [REC(%1, R_CODE)], %2
	CHECKD dword [REC(%1, R_CR2)], %3
	mov edx, %4
	CHECKD dword [REC(%1, R_EIP)], edx
%endmacro

	bits 32
pm_main:
	TEST "identity-mapped paging on"
	call paging_on
	mov eax, cr0
	and eax, CR0_PG | CR0_PE
	CHECKD eax, CR0_PG | CR0_PE
	mov eax, cr3
	CHECKD eax, PD
	CHECKD dword [marker], 0x5AFE5AFE	; data through the tables
	mov dword [0x20000], 0x600DCAFE
	CHECKD dword [0x20000], 0x600DCAFE
	mov eax, [PG_INV1]	; a remapped page: not identity
	CHECKD eax, 0x44440000
	ENDTEST

	TEST "#PF for a not-present page: error codes, CR2"
	call paging_on
	call reset_exc
	call clear_v
	R3TRY 0, mov eax, [PG_NP + 0x10]
	R3TRY 1, mov dword [PG_NP + 0x24], 0
	R3TRY 2, jmp PG_NP + 0x30	; an instruction fetch
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 3, mov eax, [PG_NP + 0x40]
	R3TRY 4, mov byte [PG_NP + 0xFFF], 0
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 6
	CHECK_PF 0, 0, PG_NP + 0x10, [V(40)]	; read
	CHECK_PF 1, 2, PG_NP + 0x24, [V(41)]	; write
	CHECK_PF 2, 0, PG_NP + 0x30, PG_NP + 0x30	; fetch: no I/D bit without NX
	CHECK_PF 3, 4, PG_NP + 0x40, [V(43)]	; user read
	CHECK_PF 4, 6, PG_NP + 0xFFF, [V(44)]	; user write
	CHECKD dword [REC(3, R_HESP)], PM_ESP0 - 24
	ENDTEST

	TEST "#PF for a not-present PDE"
	call paging_on
	call reset_exc
	R3TRY 0, mov eax, [LIN_NOPDE + 0x123]
	CHECKD dword [exc_count], 1
	CHECK_PF 0, 0, LIN_NOPDE + 0x123, [V(40)]
	ENDTEST

	; A string instruction faults at the first element in the missing
	; page, with ESI/EDI/ECX showing the elements done; an access that
	; straddles two pages reports the first byte of the missing one.
	TEST "#PF in REP STOSB and in a page-straddling access"
	call paging_on
	call reset_exc
	mov dword [PG_NP - 4], 0
	mov edi, PG_NP - 4
	mov ecx, 8
	mov al, 0xAA
	cld
	mov dword [exc_resume], %$r1
%$f1:
	rep stosb
	FAIL
%$r1:
	CHECKD edi, PG_NP
	CHECKD ecx, 4
	CHECKD dword [PG_NP - 4], 0xAAAAAAAA
	mov dword [exc_resume], %$r2
%$f2:
	mov eax, [PG_NP - 2]
	FAIL
%$r2:
	CHECKD dword [exc_count], 2
	CHECK_PF 0, 2, PG_NP, %$f1
	CHECK_PF 1, 0, PG_NP, %$f2
	ENDTEST

	TEST "write to a read-only page at CPL 3: #PF(7)"
	call paging_on
	call reset_exc
	call clear_v
	mov dword [PG_RO], 0x0D0D0D0D
	GO_RING3 %$r3, %$back
%$r3:
	mov eax, [PG_RO]	; reading is fine
	mov [V(0)], eax
	R3TRY 0, mov dword [PG_RO], 1
	int PM_BAIL
%$back:
	CHECKD dword [V(0)], 0x0D0D0D0D
	CHECKD dword [PG_RO], 0x0D0D0D0D
	CHECKD dword [exc_count], 2
	CHECK_PF 0, 7, PG_RO, [V(40)]
	ENDTEST

	; CR0.WP (486 and later) makes read-only pages read-only at CPL 0 too.
	TEST "write to a read-only page at CPL 0, CR0.WP off and on"
	call paging_on
	call reset_exc
	mov dword [PG_RO + 4], 0x11111111	; WP off: allowed
	CHECKD dword [PG_RO + 4], 0x11111111
	mov eax, cr0
	or eax, CR0_WP
	mov cr0, eax
	R3TRY 0, mov dword [PG_RO + 8], 0x22222222
	mov eax, cr0
	and eax, ~CR0_WP & 0xFFFFFFFF
	mov cr0, eax
	CHECKD dword [PG_RO + 8], 0
	CHECKD dword [exc_count], 1
	CHECK_PF 0, 3, PG_RO + 8, [V(40)]
	mov dword [PG_SUP], 0x33333333	; supervisor pages stay writable at CPL 0
	CHECKD dword [PG_SUP], 0x33333333
	ENDTEST

	TEST "user access to a supervisor page: #PF(5), #PF(7)"
	call paging_on
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, mov eax, [PG_SUP + 0x100]
	R3TRY 1, mov dword [PG_SUP + 0x104], 0
	int PM_BAIL
%$back:
	CHECKD dword [exc_count], 3
	CHECK_PF 0, 5, PG_SUP + 0x100, [V(40)]
	CHECK_PF 1, 7, PG_SUP + 0x104, [V(41)]
	ENDTEST

	; The PDE's U and R/W bits combine with the PTE's: the stricter wins.
	TEST "PDE-level protection at CPL 3"
	call paging_on
	call reset_exc
	call clear_v
	GO_RING3 %$r3, %$back
%$r3:
	R3TRY 0, mov eax, [LIN_SUPPDE + 0x10]	; PDE U=0
	mov eax, [LIN_ROPDE]			; PDE R/W=0: reading is fine
	mov [V(0)], eax
	R3TRY 1, mov dword [LIN_ROPDE + 0x20], 0
	int PM_BAIL
%$back:
	CHECKD dword [V(0)], 0x49490000
	CHECKD dword [exc_count], 3
	CHECK_PF 0, 5, LIN_SUPPDE + 0x10, [V(40)]
	CHECK_PF 1, 7, LIN_ROPDE + 0x20, [V(41)]
	ENDTEST

	; Demand paging: the handler makes the page present and IRETs to the
	; faulting instruction, which then completes.
	TEST "#PF handler maps the page, the access restarts"
	call paging_on
	SETGATE 14, pf_fix, SEL_CODE32, 0x8E
	mov dword [pf_count], 0
	mov eax, 0x12345678
	mov [PG_NP + 0x20], eax
	SETSTUB 14, 0x8E
	CHECKD dword [pf_count], 1
	CHECKD dword [pf_cr2], PG_NP + 0x20
	CHECKD dword [pf_code], 2
	CHECKD dword [PG_NP + 0x20], 0x12345678
	ENDTEST

	TEST "accessed and dirty bits"
	call paging_on
	mov eax, PTE(PG_AD)
	and eax, A | D
	CHECKD eax, 0
	and PDE(PG_AD), ~A & 0xFFFFFFFF
	mov eax, cr3		; the TLB must walk again
	mov cr3, eax
	mov eax, [PG_AD]	; a read sets A
	mov eax, PTE(PG_AD)
	and eax, A | D
	CHECKD eax, A
	mov eax, PDE(PG_AD)
	and eax, A
	CHECKD eax, A
	mov dword [PG_AD], 1	; a write sets D, though the read filled the TLB
	mov eax, PTE(PG_AD)
	and eax, A | D
	CHECKD eax, A | D
	and PTE(PG_AD), ~(A | D) & 0xFFFFFFFF
	invlpg [PG_AD]
	mov byte [PG_AD + 0xFFF], 1	; a first write sets both
	mov eax, PTE(PG_AD)
	and eax, A | D
	CHECKD eax, A | D
	mov eax, PDE(BIG)	; a 4 MiB page has its own
	and eax, A | D
	CHECKD eax, 0
	mov eax, [BIG]
	mov eax, PDE(BIG)
	and eax, A | D
	CHECKD eax, A
	mov dword [BIG + 0x100], 0
	mov eax, PDE(BIG)
	and eax, A | D
	CHECKD eax, A | D
	ENDTEST

	; PDE 1 has PS set: with CR4.PSE it maps 4 MiB at 800000h, whose
	; first dword is 00220007h; without, it points at a page table at
	; 800000h, whose first entry maps 220000h.
	TEST "4 MiB pages with CR4.PSE"
	call paging_on
	call reset_exc
	CHECKD dword [BIG], 0x00220027
	mov dword [BIG + 0x2FFFFC], 0xB16B16B1
	mov eax, cr4
	and eax, ~CR4_PSE & 0xFFFFFFFF
	mov cr4, eax
	CHECKD dword [BIG], 0x22220000
	mov eax, cr4
	or eax, CR4_PSE
	mov cr4, eax
	CHECKD dword [BIG], 0x00220027
	CHECKD dword [BIG + 0x2FFFFC], 0xB16B16B1
	and PDE(BIG), ~W & 0xFFFFFFFF	; read-only, WP on: #PF(3)
	mov eax, cr0
	or eax, CR0_WP
	mov cr0, eax
	R3TRY 0, mov dword [BIG + 0x123456], 0
	mov eax, cr0
	and eax, ~CR0_WP & 0xFFFFFFFF
	mov cr0, eax
	CHECKD dword [exc_count], 1
	CHECK_PF 0, 3, BIG + 0x123456, [V(40)]
	; INVLPG of any address in a 4 MiB page flushes it.
	or PDE(BIG), W
	mov eax, cr3
	mov cr3, eax
	CHECKD dword [BIG], 0x00220027
	mov PDE(BIG), BIG_PHYS2 | PS | P | W | U
	CHECKD dword [BIG], 0x00220027	; still cached
	invlpg [BIG + 0x3FF000]
	CHECKD dword [BIG], 0x0C0C0C0C
	ENDTEST

	; The TLB is not coherent with the page tables: a changed PTE takes
	; effect after INVLPG of its page or a CR3 load.
	TEST "a changed PTE is seen after INVLPG or a CR3 load"
	call paging_on
	CHECKD dword [PG_NG], 0x42420000
	mov PTE(PG_NG), 0x243000 | P | W
	CHECKD dword [PG_NG], 0x42420000	; still the cached one
	invlpg [PG_NG]
	CHECKD dword [PG_NG], 0x43430000
	mov PTE(PG_NG), 0x242000 | P | W
	CHECKD dword [PG_NG], 0x43430000
	mov eax, cr3
	mov cr3, eax
	CHECKD dword [PG_NG], 0x42420000
	ENDTEST

	TEST "INVLPG flushes one page"
	call paging_on
	CHECKD dword [PG_INV1], 0x44440000
	CHECKD dword [PG_INV2], 0x46460000
	mov PTE(PG_INV1), 0x245000 | P | W
	mov PTE(PG_INV2), 0x247000 | P | W
	mov eax, PG_INV1 + 0x123
	invlpg [eax]		; any address in the page
	CHECKD dword [PG_INV1], 0x45450000
	CHECKD dword [PG_INV2], 0x46460000
	mov eax, cr3
	mov cr3, eax
	CHECKD dword [PG_INV2], 0x47470000
	ENDTEST

	; A global page's translation survives CR3 loads (SDM Vol. 3A,
	; 4.10.2.4); INVLPG, or clearing CR4.PGE, flushes it.
	TEST "global pages with CR4.PGE"
	call paging_on
	mov eax, cr4
	or eax, CR4_PGE
	mov cr4, eax
	CHECKD dword [PG_GLOB], 0x40400000
	CHECKD dword [PG_NG], 0x42420000
	mov PTE(PG_GLOB), 0x241000 | G | P | W
	mov PTE(PG_NG), 0x243000 | P | W
	mov eax, cr3
	mov cr3, eax
	CHECKD dword [PG_NG], 0x43430000	; flushed
%ifdef STRICT
	CHECKD dword [PG_GLOB], 0x40400000	; kept
%endif
	invlpg [PG_GLOB]
	CHECKD dword [PG_GLOB], 0x41410000
	mov PTE(PG_GLOB), 0x240000 | G | P | W
	CHECKD dword [PG_GLOB], 0x41410000
	mov eax, cr4
	and eax, ~CR4_PGE & 0xFFFFFFFF
	mov cr4, eax
	CHECKD dword [PG_GLOB], 0x40400000
	ENDTEST

	ROM_PASS

; paging_on turns paging off, rebuilds the tables and the pages' contents,
; and turns it on again with CR4.PSE (CR0.WP and CR4.PGE off).
paging_on:
	pushad
	mov eax, cr0
	and eax, ~(CR0_PG | CR0_WP) & 0xFFFFFFFF
	mov cr0, eax
	xor eax, eax
	mov cr4, eax
	mov edi, PD		; the directory: PDE 0 -> PT0
	mov ecx, 1024
	rep stosd
	mov dword [PD + 0 * 4], PT0 | P | W | U
	mov dword [PD + 1 * 4], BIG_PHYS | PS | P | W | U
	mov dword [PD + 2 * 4], PT2 | P | W		; supervisor
	mov dword [PD + 3 * 4], PT3 | P | U		; read-only
	mov edi, PT0		; identity, user, writable
	mov eax, P | W | U
	mov ecx, 1024
.pte:
	stosd
	add eax, 0x1000
	loop .pte
	mov PTE(PG_NP), PG_NP | W | U
	mov PTE(PG_RO), PG_RO | P | U
	mov PTE(PG_SUP), PG_SUP | P | W
	mov PTE(PG_AD), PG_AD | P | W | U
	mov PTE(PG_GLOB), 0x240000 | G | P | W
	mov PTE(PG_NG), 0x242000 | P | W
	mov PTE(PG_INV1), 0x244000 | P | W
	mov PTE(PG_INV2), 0x246000 | P | W
	mov edi, PT2
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov dword [PT2], 0x248000 | P | W | U
	mov edi, PT3
	mov ecx, 1024
	rep stosd
	mov dword [PT3], 0x249000 | P | W | U
	; the pages' contents: 0xNNNN0000 at the start of frame 2NN000h
	mov ebx, 0x240000
.frame:
	mov eax, ebx
	shl eax, 4		; 24N000h -> 4N0000h
	and eax, 0x00FF0000
	mov edx, eax
	shl edx, 8
	or eax, edx		; 4N4N0000h
	mov [ebx], eax
	add ebx, 0x1000
	cmp ebx, 0x24A000
	jb .frame
	mov dword [0x220000], 0x22220000
	mov dword [BIG_PHYS], 0x00220027	; PTE 0 if PDE 1 is a table
	mov dword [BIG_PHYS2], 0x0C0C0C0C
	mov dword [PG_NP + 0x20], 0
	mov dword [PG_RO + 4], 0
	mov dword [PG_RO + 8], 0
	mov eax, PD
	mov cr3, eax
	mov eax, CR4_PSE
	mov cr4, eax
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	jmp .flush		; as the SDM asks after setting PG
.flush:
	popad
	ret

; pf_fix: a #PF handler that makes the page present and restarts.
pf_fix:
	push eax
	mov eax, [esp + 4]
	mov [pf_code], eax
	mov eax, cr2
	mov [pf_cr2], eax
	inc dword [pf_count]
	shr eax, 12
	or dword [PT0 + eax * 4], P
	mov eax, cr2
	invlpg [eax]
	pop eax
	add esp, 4		; the error code
	iretd

hello:		db ": paging checks", 10, 0

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
marker:		dd 0x5AFE5AFE
pf_count:	dd 0
pf_cr2:		dd 0
pf_code:	dd 0

	ROM_END
