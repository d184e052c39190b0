package multiboot

import "ringzero/cpu"

// ScratchStack is ESP at the kernel's entry. Neither specification gives
// the kernel a stack ("the OS image must create its own stack as soon as
// it needs one"); ESP points below 7C00h, in conventional memory the
// BIOS is done with, as it does after GRUB, so that a kernel that pushes
// before setting up its stack still works.
const ScratchStack = 0x7C00

// Setup puts s in the state both specifications give the kernel (3.2 in
// each): protected mode with paging off, CS a flat 4 GiB 32-bit code
// segment and DS, ES, FS, GS and SS flat 4 GiB 32-bit data segments
// (selectors CodeSelector and DataSelector of the GDT in the information
// area, so the kernel may reload them before it sets up its own GDT),
// EFLAGS with IF and VM clear, EAX the boot loader magic and EBX the
// address of the information structure, EIP the entry point. The other
// general registers are cleared and ESP is ScratchStack; CR3, CR4, the
// IDTR, the debug registers and the FPU are left as they are (the IDTR
// stays invalid for protected mode until the kernel loads its own).
// The board keeps A20 enabled.
func (b *Boot) Setup(s *cpu.State) {
	s.Regs = [8]uint32{}
	s.Regs[cpu.EAX] = b.Magic
	s.Regs[cpu.EBX] = b.Info
	s.Regs[cpu.ESP] = ScratchStack
	s.EIP = b.Entry
	s.EFlags = cpu.FlagRsv1
	s.CR[0] = s.CR[0]&^cpu.CR0PG | cpu.CR0PE
	const common = cpu.AttrP | cpu.AttrS | cpu.AttrAccessed | cpu.AttrDB | cpu.AttrG
	for i := range s.Seg {
		s.Seg[i] = cpu.Segment{Selector: DataSelector, Base: 0, Limit: 0xFFFFFFFF, Attr: common | cpu.AttrWritable}
	}
	s.Seg[cpu.CS] = cpu.Segment{Selector: CodeSelector, Base: 0, Limit: 0xFFFFFFFF, Attr: common | cpu.AttrCode | cpu.AttrWritable}
	s.GDTR = cpu.DescTable{Base: b.GDT, Limit: GDTLimit}
	s.Halted = false
	s.IRQShadow = false
}
