package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// The protected-mode-only system instructions: SLDT, STR, LLDT, LTR,
// VERR, VERW, LAR, LSL, ARPL. All raise #UD in real and virtual-8086 mode.

// storeSel writes a selector to an Ew operand: a register destination
// takes the operand size (upper bits zeroed), memory takes 16 bits.
func (c *CPU) storeSel(in *decode.Inst, v uint16) {
	if !in.HasMem {
		if in.OpSize == 4 {
			c.s.Regs[in.RM()] = uint32(v)
		} else {
			c.setRegv(in.RM(), uint32(v), 2)
		}
		return
	}
	c.wr16(seg(in), c.ea(in), v)
}

func sldt(c *CPU, in *decode.Inst) {
	c.requireProtected()
	c.storeSel(in, c.s.LDTR.Selector)
}

func str(c *CPU, in *decode.Inst) {
	c.requireProtected()
	c.storeSel(in, c.s.TR.Selector)
}

func lldt(c *CPU, in *decode.Inst) {
	c.requireProtected()
	c.requireCPL0()
	sel, _ := c.rm16(in)
	if sel&^3 == 0 {
		c.s.LDTR = cpu.Segment{Selector: sel}
		return
	}
	if sel&4 != 0 {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	d := c.readDescriptor(sel)
	if d.sysType() != sysLDT {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(sel&^3))
	}
	c.s.LDTR = cpu.Segment{Selector: sel, Base: d.base, Limit: d.limit, Attr: d.attr}
}

func ltr(c *CPU, in *decode.Inst) {
	c.requireProtected()
	c.requireCPL0()
	sel, _ := c.rm16(in)
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	if sel&4 != 0 {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	d := c.readDescriptor(sel)
	if t := d.sysType(); t != sysTSS16 && t != sysTSS32 {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(sel&^3))
	}
	c.setBusy(sel, true)
	c.s.TR = cpu.Segment{Selector: sel, Base: d.base, Limit: d.limit, Attr: d.attr | 2}
}

// probeDescriptor reads the descriptor a LAR/LSL/VERR/VERW operand names,
// reporting false (ZF clear) for a null selector or one beyond its table.
func (c *CPU) probeDescriptor(sel uint16) (descriptor, bool) {
	if sel&^3 == 0 {
		return descriptor{}, false
	}
	limit := c.s.GDTR.Limit
	if sel&4 != 0 {
		if c.s.LDTR.Selector&^3 == 0 || c.s.LDTR.Attr&cpu.AttrP == 0 {
			return descriptor{}, false
		}
		limit = c.s.LDTR.Limit
	}
	if uint32(sel&^7)+7 > limit {
		return descriptor{}, false
	}
	return c.readDescriptor(sel), true
}

// visible applies the privilege rule of LAR, LSL, VERR and VERW: a
// conforming code segment is always visible; anything else needs
// DPL >= CPL and DPL >= RPL.
func (c *CPU) visible(sel uint16, d *descriptor) bool {
	if d.conforming() {
		return true
	}
	return d.dpl() >= c.cpl() && d.dpl() >= uint8(sel&3)
}

func lar(c *CPU, in *decode.Inst) {
	c.requireProtected()
	sel, _ := c.rm16(in)
	d, ok := c.probeDescriptor(sel)
	if ok {
		switch d.sysType() {
		case -1, sysTSS16, sysLDT, sysTSS16Busy, sysCallGate16, sysTaskGate, sysTSS32, sysTSS32Busy, sysCallGate32:
		default:
			ok = false
		}
	}
	if !ok || !c.visible(sel, &d) {
		c.s.EFlags &^= cpu.FlagZF
		return
	}
	// The access rights: descriptor bytes 5-6 in bits 8-23, limit bits
	// masked out.
	hi := c.readLinear32(d.addr + 4)
	c.setRegv(in.Reg(), hi&0x00F0FF00, in.OpSize)
	c.s.EFlags |= cpu.FlagZF
}

func lsl(c *CPU, in *decode.Inst) {
	c.requireProtected()
	sel, _ := c.rm16(in)
	d, ok := c.probeDescriptor(sel)
	if ok {
		switch d.sysType() {
		case -1, sysTSS16, sysLDT, sysTSS16Busy, sysTSS32, sysTSS32Busy:
		default:
			ok = false
		}
	}
	if !ok || !c.visible(sel, &d) {
		c.s.EFlags &^= cpu.FlagZF
		return
	}
	c.setRegv(in.Reg(), d.limit, in.OpSize)
	c.s.EFlags |= cpu.FlagZF
}

func verr(c *CPU, in *decode.Inst) { c.verify(in, false) }
func verw(c *CPU, in *decode.Inst) { c.verify(in, true) }

func (c *CPU) verify(in *decode.Inst, write bool) {
	c.requireProtected()
	sel, _ := c.rm16(in)
	d, ok := c.probeDescriptor(sel)
	ok = ok && d.attr&cpu.AttrS != 0 && c.visible(sel, &d)
	if ok {
		if write {
			ok = !d.isCode() && d.attr&cpu.AttrWritable != 0
		} else {
			ok = !d.isCode() || d.attr&cpu.AttrWritable != 0
		}
	}
	c.setFlag(cpu.FlagZF, ok)
}

// arpl raises the RPL of the destination selector to the source's.
func arpl(c *CPU, in *decode.Inst) {
	c.requireProtected()
	dst, off := c.rm16(in)
	src := uint16(c.s.Regs[in.Reg()])
	if dst&3 < src&3 {
		dst = dst&^3 | src&3
		if in.HasMem {
			c.wr16(seg(in), off, dst)
		} else {
			c.setRegv(in.RM(), uint32(dst), 2)
		}
		c.s.EFlags |= cpu.FlagZF
		return
	}
	c.s.EFlags &^= cpu.FlagZF
}
