package interp

import (
	"ringzero/cpu"
)

// Protected-mode control transfers: far JMP/CALL/RET through code
// segments, call gates and task gates; IRET in every form; interrupt and
// exception delivery through the IDT with stack switching; hardware task
// switching; virtual-8086 entry and exit (SDM Vol. 3, chapters 5-7, and
// the JMP/CALL/RET/IRET/INT pages of Vol. 2).

// System descriptor types (access byte bits 0-4, S clear).
const (
	sysTSS16      = 0x01
	sysLDT        = 0x02
	sysTSS16Busy  = 0x03
	sysCallGate16 = 0x04
	sysTaskGate   = 0x05
	sysIntGate16  = 0x06
	sysTrapGate16 = 0x07
	sysTSS32      = 0x09
	sysTSS32Busy  = 0x0B
	sysCallGate32 = 0x0C
	sysIntGate32  = 0x0E
	sysTrapGate32 = 0x0F
)

// sysType is the type field of a descriptor with S clear (-1 for a code
// or data segment).
func (d *descriptor) sysType() int {
	if d.attr&cpu.AttrS != 0 {
		return -1
	}
	return int(d.attr & 0x0F)
}

func (d *descriptor) present() bool    { return d.attr&cpu.AttrP != 0 }
func (d *descriptor) isCode() bool     { return d.attr&(cpu.AttrS|cpu.AttrCode) == cpu.AttrS|cpu.AttrCode }
func (d *descriptor) conforming() bool { return d.isCode() && d.attr&cpu.AttrExpDown != 0 }

// gate is a decoded call, interrupt, trap or task gate.
type gate struct {
	typ    int
	dpl    uint8
	sel    uint16
	offset uint32
	params uint32 // call gates: parameter count
	size   uint8  // 2 for 286 gates, 4 for 386 gates
}

// gateOf reinterprets a system descriptor's raw words as a gate.
func (c *CPU) gateOf(addr uint32) gate {
	lo := c.readLinear32(addr)
	hi := c.readLinear32(addr + 4)
	g := gate{
		typ:    int(hi>>8) & 0x1F,
		dpl:    uint8(hi>>13) & 3,
		sel:    uint16(lo >> 16),
		offset: lo&0xFFFF | hi&0xFFFF0000,
		params: (hi) & 0x1F,
		size:   4,
	}
	if g.typ&8 == 0 {
		g.size = 2
		g.offset &= 0xFFFF
	}
	return g
}

// codeTarget checks a code-segment descriptor for a transfer at CPL cpl
// and returns the CPL after it.
func (c *CPU) checkCode(sel uint16, d *descriptor, ext uint32) {
	if !d.isCode() {
		c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(sel&^3)|ext)
	}
}

// setCS loads CS with the descriptor at privilege cpl and jumps to eip.
func (c *CPU) setCS(sel uint16, d *descriptor, cpl uint8, eip uint32) {
	if eip > d.limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.setAccessed(d)
	c.loadCache(cpu.CS, sel&^3|uint16(cpl), d)
	c.s.EIP = eip
}

// pmFarJump is JMP ptr16:16/32 in protected mode.
func (c *CPU) pmFarJump(sel uint16, off uint32, os uint8) {
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	cpl := c.cpl()
	d := c.readDescriptor(sel)
	if d.attr&cpu.AttrS != 0 {
		c.farCodeSame(sel, &d, cpl)
		c.setCS(sel, &d, cpl, off&ipMask(os))
		return
	}
	code := uint32(sel &^ 3)
	switch d.sysType() {
	case sysCallGate16, sysCallGate32:
		g := c.gateOf(d.addr)
		if g.dpl < cpl || g.dpl < uint8(sel&3) {
			c.raiseCode(cpu.VecGP, code)
		}
		if !d.present() {
			c.raiseCode(cpu.VecNP, code)
		}
		if g.sel&^3 == 0 {
			c.raiseCode(cpu.VecGP, 0)
		}
		td := c.readDescriptor(g.sel)
		c.checkCode(g.sel, &td, 0)
		// JMP through a call gate never changes privilege.
		if td.conforming() {
			if td.dpl() > cpl {
				c.raiseCode(cpu.VecGP, uint32(g.sel&^3))
			}
		} else if td.dpl() != cpl {
			c.raiseCode(cpu.VecGP, uint32(g.sel&^3))
		}
		c.setCS(g.sel, &td, cpl, g.offset)
	case sysTaskGate:
		c.viaTaskGate(sel, &d, cpl, taskJump, nil)
	case sysTSS16, sysTSS32:
		if d.dpl() < cpl || d.dpl() < uint8(sel&3) {
			c.raiseCode(cpu.VecGP, code)
		}
		if !d.present() {
			c.raiseCode(cpu.VecNP, code)
		}
		c.taskSwitch(sel, &d, taskJump, nil)
	default:
		c.raiseCode(cpu.VecGP, code)
	}
}

// farCodeSame checks a direct far JMP or CALL to a code segment: no
// privilege change is possible this way.
func (c *CPU) farCodeSame(sel uint16, d *descriptor, cpl uint8) {
	code := uint32(sel &^ 3)
	if !d.isCode() {
		c.raiseCode(cpu.VecGP, code)
	}
	if d.conforming() {
		if d.dpl() > cpl {
			c.raiseCode(cpu.VecGP, code)
		}
	} else if uint8(sel&3) > cpl || d.dpl() != cpl {
		c.raiseCode(cpu.VecGP, code)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, code)
	}
}

// pmFarCall is CALL ptr16:16/32 in protected mode.
func (c *CPU) pmFarCall(sel uint16, off uint32, os uint8) {
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	cpl := c.cpl()
	d := c.readDescriptor(sel)
	retCS, retEIP := uint32(c.s.Seg[cpu.CS].Selector), c.s.EIP
	if d.attr&cpu.AttrS != 0 {
		c.farCodeSame(sel, &d, cpl)
		off &= ipMask(os)
		if off > d.limit {
			c.raiseCode(cpu.VecGP, 0)
		}
		c.pushPair(retCS, retEIP, os)
		c.setCS(sel, &d, cpl, off)
		return
	}
	code := uint32(sel &^ 3)
	switch d.sysType() {
	case sysCallGate16, sysCallGate32:
		g := c.gateOf(d.addr)
		if g.dpl < cpl || g.dpl < uint8(sel&3) {
			c.raiseCode(cpu.VecGP, code)
		}
		if !d.present() {
			c.raiseCode(cpu.VecNP, code)
		}
		if g.sel&^3 == 0 {
			c.raiseCode(cpu.VecGP, 0)
		}
		td := c.readDescriptor(g.sel)
		if !td.isCode() || td.dpl() > cpl {
			c.raiseCode(cpu.VecGP, uint32(g.sel&^3))
		}
		if !td.present() {
			c.raiseCode(cpu.VecNP, uint32(g.sel&^3))
		}
		if !td.conforming() && td.dpl() < cpl {
			c.callInner(g, &td, retCS, retEIP)
			return
		}
		if g.offset > td.limit {
			c.raiseCode(cpu.VecGP, 0)
		}
		c.pushPair(retCS, retEIP, g.size)
		c.setCS(g.sel, &td, cpl, g.offset)
	case sysTaskGate:
		c.viaTaskGate(sel, &d, cpl, taskCall, nil)
	case sysTSS16, sysTSS32:
		if d.dpl() < cpl || d.dpl() < uint8(sel&3) {
			c.raiseCode(cpu.VecGP, code)
		}
		if !d.present() {
			c.raiseCode(cpu.VecNP, code)
		}
		c.taskSwitch(sel, &d, taskCall, nil)
	default:
		c.raiseCode(cpu.VecGP, code)
	}
}

// pushPair pushes a return CS and EIP, checking room for both first so a
// fault leaves ESP unchanged.
func (c *CPU) pushPair(cs, eip uint32, size uint8) {
	sp := c.sp()
	c.push(cs, size)
	func() {
		defer func() {
			if r := recover(); r != nil {
				c.setSP(sp)
				panic(r)
			}
		}()
		c.push(eip, size)
	}()
}

// callInner is a CALL through a call gate to a more privileged
// non-conforming segment: switch to the inner stack from the TSS, copy
// the parameters, push the return frame.
func (c *CPU) callInner(g gate, td *descriptor, retCS, retEIP uint32) {
	newCPL := td.dpl()
	ssSel, esp := c.tssStack(newCPL, 0)
	ssd := c.checkStackSeg(ssSel, newCPL, 0)
	oldSS, oldESP := c.s.Seg[cpu.SS], c.s.Regs[cpu.ESP]
	oldSP := c.sp()
	// Fetch the parameters from the old stack before switching.
	params := make([]uint32, g.params)
	for i := range params {
		params[i] = c.peek(uint32(i)*uint32(g.size), g.size)
	}
	if g.offset > td.limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	ok := false
	c.supervisor = newCPL < 3
	defer func() {
		c.supervisor = false
		if !ok {
			c.s.Seg[cpu.SS], c.s.Regs[cpu.ESP] = oldSS, oldESP
		}
	}()
	c.loadCache(cpu.SS, ssSel, &ssd)
	c.s.Regs[cpu.ESP] = esp
	c.push(uint32(oldSS.Selector), g.size)
	c.push(oldSP, g.size)
	for i := len(params) - 1; i >= 0; i-- {
		c.push(params[i], g.size)
	}
	c.push(retCS, g.size)
	c.push(retEIP, g.size)
	ok = true
	c.setAccessed(&ssd)
	c.setCS(g.sel, td, newCPL, g.offset)
}

// tssStack returns the SS:ESP for privilege level dpl from the current
// TSS.
func (c *CPU) tssStack(dpl uint8, ext uint32) (uint16, uint32) {
	tr := &c.s.TR
	typ := tr.Attr & 0x0F
	if typ == sysTSS32Busy || typ == sysTSS32 {
		off := 4 + 8*uint32(dpl)
		if off+5 > tr.Limit {
			c.raiseCode(cpu.VecTS, uint32(tr.Selector&^3)|ext)
		}
		esp := c.readLinear32(tr.Base + off)
		ss := uint16(c.readLinear16(tr.Base + off + 4))
		return ss, esp
	}
	off := 2 + 4*uint32(dpl)
	if off+3 > tr.Limit {
		c.raiseCode(cpu.VecTS, uint32(tr.Selector&^3)|ext)
	}
	sp := uint32(c.readLinear16(tr.Base + off))
	ss := uint16(c.readLinear16(tr.Base + off + 2))
	return ss, sp
}

// checkStackSeg validates a new stack segment from the TSS for privilege
// level dpl (#TS for a bad one, #SS if not present).
func (c *CPU) checkStackSeg(sel uint16, dpl uint8, ext uint32) descriptor {
	code := uint32(sel&^3) | ext
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecTS, ext)
	}
	d := c.readDescriptorFault(sel, cpu.VecTS, ext)
	if uint8(sel&3) != dpl || d.dpl() != dpl || d.attr&cpu.AttrS == 0 || d.attr&cpu.AttrCode != 0 || d.attr&cpu.AttrWritable == 0 {
		c.raiseCode(cpu.VecTS, code)
	}
	if !d.present() {
		c.raiseCode(cpu.VecSS, code)
	}
	return d
}

func (c *CPU) readLinear16(addr uint32) uint32 {
	return c.sysRead(addr, 2)
}

func (c *CPU) writeLinear16(addr uint32, v uint32) {
	c.sysWrite(addr, 2, v)
}

func (c *CPU) writeLinear32(addr uint32, v uint32) {
	c.sysWrite(addr, 4, v)
}

// pmFarRet is RETF [imm16] in protected mode.
func (c *CPU) pmFarRet(os uint8, n uint32) {
	cpl := c.cpl()
	eip := c.peek(0, os) & ipMask(os)
	sel := uint16(c.peek(uint32(os), os))
	d, rpl := c.returnCode(sel, cpl)
	if rpl == cpl {
		c.setCS(sel, &d, cpl, eip)
		c.setSP(c.sp() + 2*uint32(os) + n)
		return
	}
	// Return to an outer privilege level: the outer SS:ESP follows the
	// parameters.
	espNew := c.peek(2*uint32(os)+n, os)
	ssSel := uint16(c.peek(3*uint32(os)+n, os))
	ssd := c.checkOuterStack(ssSel, rpl)
	if eip > d.limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.setCS(sel, &d, rpl, eip)
	c.setAccessed(&ssd)
	c.loadCache(cpu.SS, ssSel, &ssd)
	if os == 4 || c.stack32() {
		c.s.Regs[cpu.ESP] = espNew
	} else {
		c.setRegv(cpu.ESP, espNew, 2)
	}
	c.setSP(c.sp() + n)
	c.nullifyOuter(rpl)
}

// returnCode checks the code segment a far RET or IRET returns to from
// privilege cpl: never inward, conforming DPL <= RPL, non-conforming
// DPL = RPL, present. It returns the descriptor and the new CPL (RPL).
func (c *CPU) returnCode(sel uint16, cpl uint8) (descriptor, uint8) {
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	rpl := uint8(sel & 3)
	code := uint32(sel &^ 3)
	if rpl < cpl {
		c.raiseCode(cpu.VecGP, code)
	}
	d := c.readDescriptor(sel)
	if !d.isCode() {
		c.raiseCode(cpu.VecGP, code)
	}
	if d.conforming() {
		if d.dpl() > rpl {
			c.raiseCode(cpu.VecGP, code)
		}
	} else if d.dpl() != rpl {
		c.raiseCode(cpu.VecGP, code)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, code)
	}
	return d, rpl
}

// checkOuterStack validates the stack segment a return to privilege rpl
// loads (#GP(sel) for a bad one, #SS(sel) if not present).
func (c *CPU) checkOuterStack(sel uint16, rpl uint8) descriptor {
	code := uint32(sel &^ 3)
	if sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	d := c.readDescriptor(sel)
	if uint8(sel&3) != rpl || d.dpl() != rpl || d.attr&cpu.AttrS == 0 || d.attr&cpu.AttrCode != 0 || d.attr&cpu.AttrWritable == 0 {
		c.raiseCode(cpu.VecGP, code)
	}
	if !d.present() {
		c.raiseCode(cpu.VecSS, code)
	}
	return d
}

// nullifyOuter clears the data segment registers a less privileged level
// may not use after a return to it.
func (c *CPU) nullifyOuter(cpl uint8) {
	for _, s := range []int{cpu.ES, cpu.DS, cpu.FS, cpu.GS} {
		sg := &c.s.Seg[s]
		dpl := uint8(sg.Attr>>5) & 3
		conformingCode := sg.Attr&(cpu.AttrCode|cpu.AttrExpDown) == cpu.AttrCode|cpu.AttrExpDown
		if sg.Attr&cpu.AttrS != 0 && !conformingCode && dpl < cpl {
			*sg = cpu.Segment{}
		}
	}
}

// pmIret is IRET in protected mode (not virtual-8086).
func (c *CPU) pmIret(os uint8) {
	if c.s.EFlags&cpu.FlagNT != 0 {
		// Return from a nested task through the back link.
		link := uint16(c.readLinear16(c.s.TR.Base))
		if link&4 != 0 {
			c.raiseCode(cpu.VecTS, uint32(link&^3))
		}
		d := c.readDescriptorFault(link, cpu.VecTS, 0)
		if t := d.sysType(); t != sysTSS16Busy && t != sysTSS32Busy {
			c.raiseCode(cpu.VecTS, uint32(link&^3))
		}
		if !d.present() {
			c.raiseCode(cpu.VecNP, uint32(link&^3))
		}
		c.taskSwitch(link, &d, taskIret, nil)
		return
	}
	cpl := c.cpl()
	eip := c.peek(0, os)
	sel := uint16(c.peek(uint32(os), os))
	fl := c.peek(2*uint32(os), os)
	if os == 2 {
		fl = c.s.EFlags&0xFFFF0000 | fl&0xFFFF
	}
	if fl&cpu.FlagVM != 0 && cpl == 0 && os == 4 {
		c.iretToV86(eip, sel, fl)
		return
	}
	eip &= ipMask(os)
	d, rpl := c.returnCode(sel, cpl)
	if rpl == cpl {
		c.setCS(sel, &d, cpl, eip)
		c.setSP(c.sp() + 3*uint32(os))
		c.iretFlags(fl, os, cpl)
		return
	}
	espNew := c.peek(3*uint32(os), os)
	ssSel := uint16(c.peek(4*uint32(os), os))
	ssd := c.checkOuterStack(ssSel, rpl)
	if eip > d.limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	c.setCS(sel, &d, rpl, eip)
	c.iretFlags(fl, os, cpl)
	c.setAccessed(&ssd)
	c.loadCache(cpu.SS, ssSel, &ssd)
	// A 16-bit IRET to an outer level loads ESP with the popped SP,
	// zero-extended (as QEMU and Bochs do).
	c.s.Regs[cpu.ESP] = espNew & ipMask(os)
	c.nullifyOuter(rpl)
}

// iretFlags loads EFLAGS as IRET does at privilege cpl (the CPL before
// the return): IOPL only at CPL 0, IF only when CPL <= IOPL; VM, VIP and
// VIF are not changed here.
func (c *CPU) iretFlags(fl uint32, os uint8, cpl uint8) {
	mask := c.model.WritableFlags()
	if c.model == cpu.Model286 {
		mask |= cpu.FlagIOPL | cpu.FlagNT
	}
	if cpl > 0 {
		mask &^= cpu.FlagIOPL
	}
	if uint32(cpl) > (c.s.EFlags&cpu.FlagIOPL)>>12 {
		mask &^= cpu.FlagIF
	}
	if os == 2 {
		mask &= 0xFFFF
	}
	c.s.EFlags = c.s.EFlags&^mask | fl&mask | cpu.FlagRsv1
	c.events = true
}

// v86Seg is a segment cache as virtual-8086 mode loads it.
func v86Seg(sel uint16) cpu.Segment {
	return cpu.Segment{Selector: sel, Base: uint32(sel) << 4, Limit: 0xFFFF, Attr: cpu.RealModeAttr | 3<<5}
}

// iretToV86 returns from a ring-0 handler to virtual-8086 mode: the frame
// holds EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS.
func (c *CPU) iretToV86(eip uint32, cs uint16, fl uint32) {
	esp := c.peek(12, 4)
	ss := uint16(c.peek(16, 4))
	es := uint16(c.peek(20, 4))
	ds := uint16(c.peek(24, 4))
	fs := uint16(c.peek(28, 4))
	gs := uint16(c.peek(32, 4))
	mask := c.model.WritableFlags() | cpu.FlagVM | cpu.FlagVIF | cpu.FlagVIP
	c.s.EFlags = c.s.EFlags&^mask | fl&mask | cpu.FlagRsv1
	c.s.Seg[cpu.CS] = v86Seg(cs)
	c.s.Seg[cpu.SS] = v86Seg(ss)
	c.s.Seg[cpu.ES] = v86Seg(es)
	c.s.Seg[cpu.DS] = v86Seg(ds)
	c.s.Seg[cpu.FS] = v86Seg(fs)
	c.s.Seg[cpu.GS] = v86Seg(gs)
	c.s.Regs[cpu.ESP] = esp
	c.s.EIP = eip & 0xFFFF
	c.events = true
}

// deliverProtected delivers vector vec through the IDT (SDM Vol. 3, 6.12):
// interrupt and trap gates with a stack switch to an inner ring (and out
// of virtual-8086 mode), and task gates.
func (c *CPU) deliverProtected(vec uint8, soft bool, ret uint32, e cpu.Exception) {
	off := uint32(vec) * 8
	ext := uint32(1)
	if soft {
		ext = 0
	}
	idtCode := off | 2 | ext
	if off+7 > c.s.IDTR.Limit {
		c.raiseCode(cpu.VecGP, idtCode)
	}
	g := c.gateOf(c.s.IDTR.Base + off)
	hi := c.readLinear32(c.s.IDTR.Base + off + 4)
	cpl := c.cpl()
	switch g.typ {
	case sysTaskGate, sysIntGate16, sysTrapGate16, sysIntGate32, sysTrapGate32:
	default:
		c.raiseCode(cpu.VecGP, idtCode)
	}
	if soft && g.dpl < cpl {
		c.raiseCode(cpu.VecGP, off|2)
	}
	if hi&(1<<15) == 0 {
		c.raiseCode(cpu.VecNP, idtCode)
	}
	if g.typ == sysTaskGate {
		tss := g.sel
		d := c.readDescriptorFault(tss, cpu.VecTS, ext)
		c.taskViaGate(tss, &d, ext, taskInt, &e)
		return
	}
	trap := g.typ&1 == 1
	if g.sel&^3 == 0 {
		c.raiseCode(cpu.VecGP, ext)
	}
	d := c.readDescriptorFault(g.sel, cpu.VecGP, ext)
	sel := g.sel
	if !d.isCode() || d.dpl() > cpl {
		c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(sel&^3)|ext)
	}
	vm := c.s.EFlags&cpu.FlagVM != 0
	flags := c.readFlags()
	oldCS := uint32(c.s.Seg[cpu.CS].Selector)
	size := g.size
	if !d.conforming() && d.dpl() < cpl {
		newCPL := d.dpl()
		if vm && newCPL != 0 {
			c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
		}
		ssSel, esp := c.tssStack(newCPL, ext)
		ssd := c.checkStackSeg(ssSel, newCPL, ext)
		if g.offset > d.limit {
			c.raiseCode(cpu.VecGP, ext)
		}
		saved := c.s
		ok := false
		c.supervisor = true
		defer func() {
			c.supervisor = false
			if !ok {
				c.s = saved
			}
		}()
		oldSS, oldESP := uint32(c.s.Seg[cpu.SS].Selector), c.s.Regs[cpu.ESP]
		c.loadCache(cpu.SS, ssSel, &ssd)
		c.s.Regs[cpu.ESP] = esp
		if vm {
			for _, s := range []int{cpu.GS, cpu.FS, cpu.DS, cpu.ES} {
				c.push(uint32(c.s.Seg[s].Selector), size)
			}
		}
		c.push(oldSS, size)
		c.push(oldESP, size)
		c.push(flags, size)
		c.push(oldCS, size)
		c.push(ret, size)
		if e.HasCode {
			c.push(e.Code, size)
		}
		ok = true
		c.setAccessed(&ssd)
		if vm {
			for _, s := range []int{cpu.GS, cpu.FS, cpu.DS, cpu.ES} {
				c.s.Seg[s] = cpu.Segment{}
			}
		}
		c.s.EFlags &^= cpu.FlagVM
		c.setCS(sel, &d, newCPL, g.offset)
	} else {
		if vm {
			c.raiseCode(cpu.VecGP, uint32(sel&^3)|ext)
		}
		if g.offset > d.limit {
			c.raiseCode(cpu.VecGP, ext)
		}
		sp := c.s.Regs[cpu.ESP]
		ok := false
		defer func() {
			if !ok {
				c.s.Regs[cpu.ESP] = sp
			}
		}()
		c.push(flags, size)
		c.push(oldCS, size)
		c.push(ret, size)
		if e.HasCode {
			c.push(e.Code, size)
		}
		ok = true
		c.setCS(sel, &d, cpl, g.offset)
	}
	c.s.EFlags &^= cpu.FlagTF | cpu.FlagNT | cpu.FlagRF | cpu.FlagVM
	if !trap {
		c.s.EFlags &^= cpu.FlagIF
	}
	c.events = true
}

// Task switches.

type taskKind int

const (
	taskJump taskKind = iota
	taskCall
	taskInt
	taskIret
)

// viaTaskGate checks a task gate reached by JMP or CALL and switches.
func (c *CPU) viaTaskGate(sel uint16, d *descriptor, cpl uint8, kind taskKind, e *cpu.Exception) {
	g := c.gateOf(d.addr)
	if g.dpl < cpl || g.dpl < uint8(sel&3) {
		c.raiseCode(cpu.VecGP, uint32(sel&^3))
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(sel&^3))
	}
	td := c.readDescriptorFault(g.sel, cpu.VecGP, 0)
	c.taskViaGate(g.sel, &td, 0, kind, e)
}

// taskViaGate checks the TSS a task gate names and switches to it.
func (c *CPU) taskViaGate(tss uint16, d *descriptor, ext uint32, kind taskKind, e *cpu.Exception) {
	if tss&4 != 0 {
		c.raiseCode(cpu.VecGP, uint32(tss&^3)|ext)
	}
	if t := d.sysType(); t != sysTSS16 && t != sysTSS32 {
		c.raiseCode(cpu.VecGP, uint32(tss&^3)|ext)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, uint32(tss&^3)|ext)
	}
	c.taskSwitch(tss, d, kind, e)
}

// taskSwitch saves the current task into its TSS and loads the task of
// the TSS descriptor d (SDM Vol. 3, 7.3).
func (c *CPU) taskSwitch(sel uint16, d *descriptor, kind taskKind, e *cpu.Exception) {
	t := d.sysType()
	is32 := t == sysTSS32 || t == sysTSS32Busy
	minLimit := uint32(0x2B)
	if is32 {
		minLimit = 0x67
	}
	if d.limit < minLimit {
		c.raiseCode(cpu.VecTS, uint32(sel&^3))
	}
	old := c.s.TR
	oldIs32 := old.Attr&0x0F == sysTSS32Busy || old.Attr&0x0F == sysTSS32
	// Save the outgoing task.
	fl := c.readFlags()
	if kind == taskIret {
		fl &^= cpu.FlagNT
	}
	b := old.Base
	if oldIs32 {
		c.writeLinear32(b+0x20, c.s.EIP)
		c.writeLinear32(b+0x24, fl)
		for r := 0; r < 8; r++ {
			c.writeLinear32(b+0x28+4*uint32(r), c.s.Regs[r])
		}
		for s := 0; s < 6; s++ {
			c.writeLinear16(b+0x48+4*uint32(s), uint32(c.s.Seg[s].Selector))
		}
	} else {
		c.writeLinear16(b+0x0E, c.s.EIP)
		c.writeLinear16(b+0x10, fl)
		for r := 0; r < 8; r++ {
			c.writeLinear16(b+0x12+2*uint32(r), c.s.Regs[r])
		}
		for s := 0; s < 4; s++ {
			c.writeLinear16(b+0x22+2*uint32(s), uint32(c.s.Seg[s].Selector))
		}
	}
	if kind == taskJump || kind == taskIret {
		c.setBusy(old.Selector, false)
	}
	if kind == taskCall || kind == taskInt {
		c.writeLinear16(d.base, uint32(old.Selector))
	}
	if kind != taskIret {
		c.setBusy(sel, true)
	}
	// Load the incoming task.
	nb := d.base
	var eip, nfl, ldt uint32
	var regs [8]uint32
	var sels [6]uint16
	if is32 {
		if c.s.CR[0]&cpu.CR0PG != 0 {
			c.s.CR[3] = c.readLinear32(nb + 0x1C)
			c.tlb.LoadCR3(c.s.CR[3])
		}
		eip = c.readLinear32(nb + 0x20)
		nfl = c.readLinear32(nb + 0x24)
		for r := 0; r < 8; r++ {
			regs[r] = c.readLinear32(nb + 0x28 + 4*uint32(r))
		}
		for s := 0; s < 6; s++ {
			sels[s] = uint16(c.readLinear16(nb + 0x48 + 4*uint32(s)))
		}
		ldt = c.readLinear16(nb + 0x60)
	} else {
		eip = c.readLinear16(nb + 0x0E)
		nfl = c.readLinear16(nb+0x10) | c.s.EFlags&0xFFFF0000&^(cpu.FlagVM|cpu.FlagRF)
		for r := 0; r < 8; r++ {
			regs[r] = c.s.Regs[r]&0xFFFF0000 | c.readLinear16(nb+0x12+2*uint32(r))
		}
		for s := 0; s < 4; s++ {
			sels[s] = uint16(c.readLinear16(nb + 0x22 + 2*uint32(s)))
		}
		ldt = c.readLinear16(nb + 0x2A)
	}
	// Commit TR first: faults from here on belong to the new task.
	nd := *d
	nd.attr |= 2 // busy
	c.s.TR = cpu.Segment{Selector: sel, Base: nd.base, Limit: nd.limit, Attr: nd.attr}
	c.s.CR[0] |= cpu.CR0TS
	c.s.EIP = eip
	c.s.EFlags = nfl | cpu.FlagRsv1
	if kind == taskCall || kind == taskInt {
		c.s.EFlags |= cpu.FlagNT
	}
	c.s.Regs = regs
	for s := range sels {
		c.s.Seg[s].Selector = sels[s]
	}
	c.events = true
	// LDT, then the segment registers, with #TS for bad selectors.
	c.loadLDTForTask(uint16(ldt))
	if c.s.EFlags&cpu.FlagVM != 0 {
		for s := range sels {
			c.s.Seg[s] = v86Seg(sels[s])
		}
	} else {
		cs := sels[cpu.CS]
		cpl := uint8(cs & 3)
		if cs&^3 == 0 {
			c.raiseCode(cpu.VecTS, 0)
		}
		cd := c.readDescriptorFault(cs, cpu.VecTS, 0)
		if !cd.isCode() || (cd.conforming() && cd.dpl() > cpl) || (!cd.conforming() && cd.dpl() != cpl) {
			c.raiseCode(cpu.VecTS, uint32(cs&^3))
		}
		if !cd.present() {
			c.raiseCode(cpu.VecNP, uint32(cs&^3))
		}
		c.setAccessed(&cd)
		c.loadCache(cpu.CS, cs, &cd)
		ssd := c.checkStackSeg(sels[cpu.SS], cpl, 0)
		c.setAccessed(&ssd)
		c.loadCache(cpu.SS, sels[cpu.SS], &ssd)
		n := 4
		if is32 {
			n = 6
		}
		for _, s := range []int{cpu.ES, cpu.DS, cpu.FS, cpu.GS}[:n-2] {
			c.loadDataSegTS(s, sels[s], cpl)
		}
	}
	if e != nil && e.HasCode {
		size := uint8(2)
		if is32 {
			size = 4
		}
		c.push(e.Code, size)
	}
	if c.s.EIP > c.s.Seg[cpu.CS].Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	if is32 && c.readLinear16(nb+0x64)&1 != 0 {
		// The TSS's T bit: a debug trap on entering the task (DR6.BT).
		c.s.DR[6] |= 1 << 15
		c.taskTrap = true
	}
}

// setBusy sets or clears the busy bit of the TSS descriptor sel in the GDT.
func (c *CPU) setBusy(sel uint16, busy bool) {
	if sel&^7 == 0 || uint32(sel&^7)+7 > c.s.GDTR.Limit {
		return
	}
	addr := c.s.GDTR.Base + uint32(sel&^7) + 5
	v := c.sysRead(addr, 1)
	if busy {
		v |= 2
	} else {
		v &^= 2
	}
	c.sysWrite(addr, 1, v)
}

// loadLDTForTask loads LDTR during a task switch (#TS on a bad selector).
func (c *CPU) loadLDTForTask(sel uint16) {
	if sel&^3 == 0 {
		c.s.LDTR = cpu.Segment{Selector: sel}
		return
	}
	if sel&4 != 0 {
		c.raiseCode(cpu.VecTS, uint32(sel&^3))
	}
	d := c.readDescriptorFault(sel, cpu.VecTS, 0)
	if d.sysType() != sysLDT {
		c.raiseCode(cpu.VecTS, uint32(sel&^3))
	}
	if !d.present() {
		c.raiseCode(cpu.VecTS, uint32(sel&^3))
	}
	c.s.LDTR = cpu.Segment{Selector: sel, Base: d.base, Limit: d.limit, Attr: d.attr}
}

// loadDataSegTS loads a data segment register during a task switch.
func (c *CPU) loadDataSegTS(s int, sel uint16, cpl uint8) {
	if sel&^3 == 0 {
		c.s.Seg[s] = cpu.Segment{Selector: sel}
		return
	}
	d := c.readDescriptorFault(sel, cpu.VecTS, 0)
	code := uint32(sel &^ 3)
	if d.attr&cpu.AttrS == 0 || (d.isCode() && d.attr&cpu.AttrWritable == 0) {
		c.raiseCode(cpu.VecTS, code)
	}
	if !d.conforming() && (d.dpl() < cpl || d.dpl() < uint8(sel&3)) {
		c.raiseCode(cpu.VecTS, code)
	}
	if !d.present() {
		c.raiseCode(cpu.VecNP, code)
	}
	c.setAccessed(&d)
	c.loadCache(s, sel, &d)
}

// ioAllowed applies the TSS I/O permission bitmap when CPL > IOPL or in
// virtual-8086 mode (SDM Vol. 1, 19.5.2).
func (c *CPU) ioBitmap(port uint16, n uint8) {
	tr := &c.s.TR
	if t := tr.Attr & 0x0F; t != sysTSS32 && t != sysTSS32Busy || tr.Limit < 0x67 {
		c.raiseCode(cpu.VecGP, 0)
	}
	base := c.readLinear16(tr.Base + 0x66)
	at := base + uint32(port)/8
	if at+1 > tr.Limit {
		c.raiseCode(cpu.VecGP, 0)
	}
	bits := c.readLinear16(tr.Base + at)
	mask := uint32(1)<<n - 1
	if bits>>(port%8)&mask != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
}
