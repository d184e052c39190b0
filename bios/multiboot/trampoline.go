package multiboot

import (
	"encoding/binary"
	"fmt"
)

// A boot after the BIOS's POST enters the kernel from real mode: the
// trampoline does in guest code what Setup does to the CPU state. It is
// laid out like the start of a Linux setup area, so that the INT 19h
// hand-off bios/linuxboot describes starts it: a short jump at
// segment:0200h over the "HdrS" signature at segment:0202h, entered at
// (segment+20h):0000h in real mode with interrupts off. It only needs to
// be entered in real mode at its first byte with interrupts off;
// segment registers and the stack do not matter.
//
// What it does: fast A20 on (port 92h, as QEMU's multiboot option ROM),
// LGDT of the flat GDT in the information area, CR0.PE on and PG off, a
// far jump into 32-bit code, the data segments loaded, ESP =
// ScratchStack, EFLAGS = 2, ECX EDX ESI EDI EBP zero, EAX the magic, EBX
// the information structure, and a far jump to the entry point.

// TrampolineSize is the number of bytes WriteTrampoline writes from
// segment:0000h.
const TrampolineSize = 0x300

// trampolineCode is where the code starts, past the header fields a
// Linux setup header would have.
const trampolineCode = 0x240

// Trampoline returns the TrampolineSize bytes WriteTrampoline puts at
// segment:0000h.
func (b *Boot) Trampoline(segment uint16) []byte {
	t := make([]byte, TrampolineSize)
	base := uint32(segment) << 4
	t[0x200], t[0x201] = 0xEB, trampolineCode-0x202 // jmp short over the header
	copy(t[0x202:], "HdrS")
	c := t[:trampolineCode]
	u16 := func(v uint16) { c = binary.LittleEndian.AppendUint16(c, v) }
	u32 := func(v uint32) { c = binary.LittleEndian.AppendUint32(c, v) }
	// 16-bit code; CS:0000h is segment:0200h.
	c = append(c,
		0xFA,       // cli
		0xFC,       // cld
		0xE4, 0x92, // in al, 92h
		0x0C, 0x02, // or al, 2: A20
		0x24, 0xFE, // and al, 0FEh: no reset
		0xE6, 0x92, // out 92h, al
	)
	c = append(c, 0x2E, 0x66, 0x0F, 0x01, 0x16) // o32 lgdt cs:[gdtr]
	gdtrAt := len(c)
	u16(0) // patched below
	c = append(c,
		0x0F, 0x20, 0xC0, // mov eax, cr0
		0x0C, 0x01, // or al, 1: PE
	)
	c = append(c, 0x66, 0x25) // and eax, 7FFFFFFFh: PG off
	u32(0x7FFFFFFF)
	c = append(c, 0x0F, 0x22, 0xC0) // mov cr0, eax
	c = append(c, 0x66, 0xEA)       // jmp dword 08h:pm32
	pm32At := len(c)
	u32(0) // patched below
	u16(CodeSelector)
	// 32-bit code.
	binary.LittleEndian.PutUint32(c[pm32At:], base+uint32(len(c)))
	c = append(c, 0x66, 0xB8) // mov ax, 10h
	u16(DataSelector)
	c = append(c,
		0x8E, 0xD8, // mov ds, ax
		0x8E, 0xC0, // mov es, ax
		0x8E, 0xE0, // mov fs, ax
		0x8E, 0xE8, // mov gs, ax
		0x8E, 0xD0, // mov ss, ax
		0xBC, // mov esp, ScratchStack
	)
	u32(ScratchStack)
	c = append(c,
		0x31, 0xC9, // xor ecx, ecx
		0x31, 0xD2, // xor edx, edx
		0x31, 0xF6, // xor esi, esi
		0x31, 0xFF, // xor edi, edi
		0x31, 0xED, // xor ebp, ebp
		0x6A, 0x02, // push 2
		0x9D, // popfd
		0xB8, // mov eax, magic
	)
	u32(b.Magic)
	c = append(c, 0xBB) // mov ebx, info
	u32(b.Info)
	c = append(c, 0xEA) // jmp far 08h:entry
	u32(b.Entry)
	u16(CodeSelector)
	// The GDTR image, addressed from CS (segment+20h).
	binary.LittleEndian.PutUint16(c[gdtrAt:], uint16(len(c)-0x200))
	u16(GDTLimit)
	u32(b.GDT)
	return t
}

// WriteTrampoline writes the trampoline at segment:0000h in ram, after
// checking that it lies in available memory and clear of the kernel,
// the modules and the information area. Enter it at (segment+20h):0000h
// in real mode with interrupts off.
func (b *Boot) WriteTrampoline(ram []byte, segment uint16) error {
	start := uint32(segment) << 4
	r := Range{start, start + TrampolineSize}
	if err := b.mem.check(uint64(start), TrampolineSize); err != nil {
		return fmt.Errorf("multiboot: trampoline at %v: %v", r, err)
	}
	for _, o := range append([]Range{b.Kernel, b.Area}, b.Modules...) {
		if r.Start < o.End && o.Start < r.End {
			return fmt.Errorf("multiboot: trampoline at %v overlaps the kernel's memory %v", r, o)
		}
	}
	copy(ram[start:], b.Trampoline(segment))
	return nil
}
