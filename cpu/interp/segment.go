package interp

import (
	"ringzero/cpu"
)

// Segment-register loads. Real mode sets the base to selector*16 and
// keeps the cached limit and attributes (which is what "unreal mode" and
// the 286 LOADALL tricks rely on); protected mode reads and checks the
// descriptor.

// loadSegReal loads a segment register the real-mode way.
func (c *CPU) loadSegReal(seg int, sel uint16) {
	s := &c.s.Seg[seg]
	s.Selector = sel
	s.Base = uint32(sel) << 4
	if c.model >= cpu.Model386 && seg == cpu.CS {
		// A real-mode CS load clears the D bit's effect: code is 16-bit.
		s.Attr &^= cpu.AttrDB
	}
}

// loadSeg loads data or stack segment register seg (ES, SS, DS, FS, GS)
// with sel, as MOV, POP and the LxS instructions do.
func (c *CPU) loadSeg(seg int, sel uint16) {
	if !c.protectedMode() || c.s.EFlags&cpu.FlagVM != 0 {
		c.loadSegReal(seg, sel)
		if seg == cpu.SS {
			c.s.IRQShadow = true
			c.events = true
		}
		return
	}
	c.loadSegProtected(seg, sel)
}

// descriptor is a decoded segment descriptor.
type descriptor struct {
	base  uint32
	limit uint32 // byte granular
	attr  uint16 // cpu.Segment.Attr layout
	addr  uint32 // linear address of the descriptor (to set the accessed bit)
}

func (d *descriptor) dpl() uint8 { return uint8(d.attr>>5) & 3 }

// readDescriptor fetches the descriptor sel names from the GDT or LDT,
// raising #GP(sel) when it lies beyond the table's limit.
func (c *CPU) readDescriptor(sel uint16) descriptor {
	table := c.s.GDTR.Base
	limit := c.s.GDTR.Limit
	if sel&4 != 0 {
		ldt := &c.s.LDTR
		if ldt.Attr&cpu.AttrP == 0 || ldt.Selector&^3 == 0 {
			c.raiseCode(cpu.VecGP, uint32(sel&^3))
		}
		table, limit = ldt.Base, ldt.Limit
	}
	off := uint32(sel &^ 7)
	if off+7 > limit {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	addr := table + off
	lo := c.readLinear32(addr)
	hi := c.readLinear32(addr + 4)
	d := descriptor{addr: addr}
	d.base = lo>>16 | (hi&0xFF)<<16 | hi&0xFF000000
	d.limit = lo&0xFFFF | hi&0xF0000
	d.attr = uint16(hi>>8) & 0xF0FF
	if c.model == cpu.Model286 {
		d.base &= 0xFFFFFF
		d.attr &= 0x00FF
		d.limit &= 0xFFFF
	}
	if d.attr&cpu.AttrG != 0 {
		d.limit = d.limit<<12 | 0xFFF
	}
	return d
}

// readLinear32 reads four bytes at a linear address (paging comes with the
// mmu package).
func (c *CPU) readLinear32(addr uint32) uint32 {
	return c.env.Bus.Read(c.phys(addr), 4)
}

// setAccessed sets the descriptor's accessed bit in memory.
func (c *CPU) setAccessed(d *descriptor) {
	if d.attr&cpu.AttrAccessed == 0 {
		d.attr |= cpu.AttrAccessed
		b := c.env.Bus.Read(c.phys(d.addr+5), 1)
		c.env.Bus.Write(c.phys(d.addr+5), 1, b|1)
	}
}

func (c *CPU) loadCache(seg int, sel uint16, d *descriptor) {
	c.s.Seg[seg] = cpu.Segment{Selector: sel, Base: d.base, Limit: d.limit, Attr: d.attr}
}

// loadSegProtected implements the protected-mode checks for loading a data
// or stack segment register (SDM Vol. 2, MOV/POP: protected-mode
// exceptions).
func (c *CPU) loadSegProtected(seg int, sel uint16) {
	cpl := c.cpl()
	rpl := uint8(sel & 3)
	if sel&^3 == 0 {
		if seg == cpu.SS {
			c.raiseCode(cpu.VecGP, 0)
		}
		c.s.Seg[seg] = cpu.Segment{Selector: sel}
		return
	}
	d := c.readDescriptor(sel)
	code := uint32(sel &^ 3)
	if d.attr&cpu.AttrS == 0 {
		c.raiseCode(cpu.VecGP, code)
	}
	isCode := d.attr&cpu.AttrCode != 0
	if seg == cpu.SS {
		if rpl != cpl || isCode || d.attr&cpu.AttrWritable == 0 || d.dpl() != cpl {
			c.raiseCode(cpu.VecGP, code)
		}
		if d.attr&cpu.AttrP == 0 {
			c.raiseCode(cpu.VecSS, code)
		}
		c.setAccessed(&d)
		c.loadCache(seg, sel, &d)
		c.s.IRQShadow = true
		c.events = true
		return
	}
	if isCode && d.attr&cpu.AttrWritable == 0 {
		c.raiseCode(cpu.VecGP, code) // execute-only code
	}
	conforming := isCode && d.attr&cpu.AttrExpDown != 0
	if !conforming && (d.dpl() < cpl || d.dpl() < rpl) {
		c.raiseCode(cpu.VecGP, code)
	}
	if d.attr&cpu.AttrP == 0 {
		c.raiseCode(cpu.VecNP, code)
	}
	c.setAccessed(&d)
	c.loadCache(seg, sel, &d)
}

// farJump loads CS:EIP for a far JMP, CALL, RET or IRET.
func (c *CPU) farJump(sel uint16, eip uint32) {
	if !c.protectedMode() || c.s.EFlags&cpu.FlagVM != 0 {
		c.loadSegReal(cpu.CS, sel)
		c.s.EIP = eip
		if c.model >= cpu.Model286 && eip > c.s.Seg[cpu.CS].Limit {
			c.raiseCode(cpu.VecGP, 0)
		}
		return
	}
	c.farJumpProtected(sel, eip)
}

// farJumpProtected loads a code segment at the current privilege level
// (conforming or not). Gates, task switches and privilege changes belong
// to the i686 work and raise #GP for now.
func (c *CPU) farJumpProtected(sel uint16, eip uint32) {
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	d := c.readDescriptor(sel)
	code := uint32(sel &^ 3)
	cpl := c.cpl()
	if d.attr&cpu.AttrS == 0 || d.attr&cpu.AttrCode == 0 {
		c.raiseCode(cpu.VecGP, code)
	}
	if d.attr&cpu.AttrExpDown != 0 { // conforming
		if d.dpl() > cpl {
			c.raiseCode(cpu.VecGP, code)
		}
	} else if uint8(sel&3) > cpl || d.dpl() != cpl {
		c.raiseCode(cpu.VecGP, code)
	}
	if d.attr&cpu.AttrP == 0 {
		c.raiseCode(cpu.VecNP, code)
	}
	if eip > d.limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.setAccessed(&d)
	c.loadCache(cpu.CS, sel&^3|uint16(cpl), &d)
	c.s.EIP = eip
}

// deliverProtected delivers an interrupt through an IDT interrupt or trap
// gate to a handler at the current privilege level. Privilege changes,
// task gates and virtual-8086 mode belong to the i686 work: they raise #GP
// here, so a guest that needs them sees a fault rather than wrong state.
func (c *CPU) deliverProtected(vec uint8, soft bool, ret uint32, e cpu.Exception) {
	off := uint32(vec) * 8
	ext := uint32(1)
	if soft {
		ext = 0
	}
	if off+7 > c.s.IDTR.Limit {
		c.raiseCode(cpu.VecGP, off|2|ext)
	}
	lo := c.readLinear32(c.s.IDTR.Base + off)
	hi := c.readLinear32(c.s.IDTR.Base + off + 4)
	typ := (hi >> 8) & 0x1F
	dpl := uint8(hi>>13) & 3
	if soft && dpl < c.cpl() {
		c.raiseCode(cpu.VecGP, off|2)
	}
	if hi&(1<<15) == 0 {
		c.raiseCode(cpu.VecNP, off|2|ext)
	}
	var size uint8
	switch typ {
	case 0x06, 0x07: // 286 interrupt/trap gate
		size = 2
	case 0x0E, 0x0F:
		size = 4
	default:
		c.raiseCode(cpu.VecGP, off|2|ext)
	}
	sel := uint16(lo >> 16)
	eip := lo&0xFFFF | hi&0xFFFF0000
	if size == 2 {
		eip &= 0xFFFF
	}
	d := c.readDescriptor(sel)
	if d.attr&cpu.AttrCode == 0 || d.attr&cpu.AttrS == 0 {
		c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
	}
	if d.attr&cpu.AttrExpDown == 0 && d.dpl() < c.cpl() {
		// Privilege change through the TSS: not yet.
		c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
	}
	if d.attr&cpu.AttrP == 0 {
		c.raiseCode(cpu.VecNP, uint32(sel&^3)|ext)
	}
	flags := c.readFlags()
	c.push(flags, size)
	c.push(uint32(c.s.Seg[cpu.CS].Selector), size)
	c.push(ret, size)
	if e.HasCode {
		c.push(e.Code, size)
	}
	cpl := c.cpl()
	c.setAccessed(&d)
	c.loadCache(cpu.CS, sel&^3|uint16(cpl), &d)
	c.s.EIP = eip
	c.s.EFlags &^= cpu.FlagTF | cpu.FlagNT | cpu.FlagRF | cpu.FlagVM
	if typ&1 == 0 {
		c.s.EFlags &^= cpu.FlagIF
	}
}
