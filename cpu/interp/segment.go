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
	if c.s.EFlags&cpu.FlagVM != 0 {
		c.s.Seg[seg] = v86Seg(sel)
		if seg == cpu.SS {
			c.s.IRQShadow = true
			c.ssLoaded = true
			c.events = true
		}
		return
	}
	if !c.protectedMode() {
		c.loadSegReal(seg, sel)
		if seg == cpu.SS {
			c.s.IRQShadow = true
			c.ssLoaded = true
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
	return c.readDescriptorFault(sel, cpu.VecGP, 0)
}

// readDescriptorFault is readDescriptor with the fault vector and EXT bit
// of the caller (#TS during task switches, #GP elsewhere).
func (c *CPU) readDescriptorFault(sel uint16, vec uint8, ext uint32) descriptor {
	table, limit := c.s.GDTR.Base, c.s.GDTR.Limit
	if sel&4 != 0 {
		ldt := &c.s.LDTR
		if ldt.Attr&cpu.AttrP == 0 || ldt.Selector&^3 == 0 {
			c.raiseCode(vec, uint32(sel&^3)|ext)
		}
		table, limit = ldt.Base, ldt.Limit
	}
	off := uint32(sel &^ 7)
	if off+7 > limit {
		c.raiseCode(vec, uint32(sel&^3)|ext)
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
	return c.sysRead(addr, 4)
}

// setAccessed sets the descriptor's accessed bit in memory.
func (c *CPU) setAccessed(d *descriptor) {
	if d.attr&cpu.AttrAccessed == 0 {
		d.attr |= cpu.AttrAccessed
		b := c.sysRead(d.addr+5, 1)
		c.sysWrite(d.addr+5, 1, b|1)
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
		c.ssLoaded = true
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

// farJump loads CS:EIP the real-mode way (real and virtual-8086 mode).
func (c *CPU) farJump(sel uint16, eip uint32) {
	if c.s.EFlags&cpu.FlagVM != 0 {
		c.s.Seg[cpu.CS] = v86Seg(sel)
	} else {
		c.loadSegReal(cpu.CS, sel)
	}
	c.s.EIP = eip
	if c.model >= cpu.Model286 && eip > c.s.Seg[cpu.CS].Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
}

// pm reports protected mode outside virtual-8086 mode: where selectors
// name descriptors.
func (c *CPU) pm() bool {
	return c.protectedMode() && c.s.EFlags&cpu.FlagVM == 0
}
