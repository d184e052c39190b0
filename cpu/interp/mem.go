package interp

import (
	"encoding/binary"

	"ringzero/cpu"
	"ringzero/cpu/decode"
	"ringzero/mmu"
)

// Host-page caches. When the bus versions its memory map
// (cpu.MapVersioner), the CPU keeps the host page of its last data read,
// data write and code fetch, and drops them when the map changes. Without
// a versioned bus every access goes through the bus.

const noPage = ^uint32(0)

// syncPages drops the cached pages if the memory map changed.
func (c *CPU) syncPages() {
	if c.gen == nil {
		return
	}
	if g := c.gen.Load(); g != c.seenGen {
		c.seenGen = g
		c.rdNum, c.wrNum, c.codeNum = noPage, noPage, noPage
	}
}

// readPhys reads size bytes at physical address a.
func (c *CPU) readPhys(a uint32, size int) uint32 {
	off := a & 0xFFF
	if c.gen != nil && off+uint32(size) <= 0x1000 {
		if a>>12 != c.rdNum {
			c.rdPage = c.env.Bus.RAMPage(a&^0xFFF, false)
			c.rdNum = a >> 12
		}
		if p := c.rdPage; p != nil {
			switch size {
			case 1:
				return uint32(p[off])
			case 2:
				return uint32(binary.LittleEndian.Uint16(p[off:]))
			default:
				return binary.LittleEndian.Uint32(p[off:])
			}
		}
	}
	return c.deviceRead(a, size)
}

// writePhys writes size bytes at physical address a.
func (c *CPU) writePhys(a uint32, size int, v uint32) {
	off := a & 0xFFF
	if c.gen != nil && off+uint32(size) <= 0x1000 {
		if a>>12 != c.wrNum {
			c.wrPage = c.env.Bus.RAMPage(a&^0xFFF, true)
			c.wrNum = a >> 12
		}
		if p := c.wrPage; p != nil {
			switch size {
			case 1:
				p[off] = uint8(v)
			case 2:
				binary.LittleEndian.PutUint16(p[off:], uint16(v))
			default:
				binary.LittleEndian.PutUint32(p[off:], v)
			}
			return
		}
	}
	c.deviceWrite(a, size, v)
}

// Segmented memory access. Real mode on the 8086/186 wraps offsets at
// 64 KiB byte by byte; the 286 and later check the cached segment limit
// and raise #GP(0), or #SS(0) for the stack segment.

// checkLimit faults if bytes off..off+size-1 are outside segment seg.
func (c *CPU) checkLimit(seg int, off, size uint32) {
	sg := &c.s.Seg[seg]
	last := off + size - 1
	bad := last < off // offset wrapped past 4 GiB
	if sg.Attr&(cpu.AttrCode|cpu.AttrExpDown) == cpu.AttrExpDown && sg.Attr&cpu.AttrS != 0 {
		// Expand-down data segment: valid offsets are limit+1 .. 0xFFFF
		// or 0xFFFFFFFF (B bit).
		upper := uint32(0xFFFF)
		if sg.Attr&cpu.AttrDB != 0 {
			upper = 0xFFFFFFFF
		}
		bad = bad || off <= sg.Limit || last > upper
	} else {
		bad = bad || last > sg.Limit
	}
	if bad {
		// The 286 in real mode raises #GP for stack-segment overruns too
		// (measured on hardware); protected mode and the 386+ use #SS.
		if seg == cpu.SS && (c.model >= cpu.Model386 || c.protectedMode()) {
			c.raiseCode(cpu.VecSS, 0)
		}
		c.raiseCode(cpu.VecGP, 0)
	}
}

// checkRead and checkWrite apply the segment-type rules of protected mode
// (SDM Vol. 3, 5.4 "Limit checking"/5.5 "Type checking"; MOV and friends:
// #GP(0) if a memory operand uses a segment register holding a null
// selector, if the destination is in a non-writable segment, or if the
// source is an execute-only code segment). Real and virtual-8086 mode load
// writable data caches, so the attribute test is false there and pm() is
// only consulted for the faulting shapes.
func (c *CPU) checkRead(seg int) {
	a := c.s.Seg[seg].Attr
	if (a&cpu.AttrP == 0 || a&(cpu.AttrCode|cpu.AttrWritable) == cpu.AttrCode) && c.pm() {
		c.segTypeFault(seg)
	}
}

func (c *CPU) checkWrite(seg int) {
	a := c.s.Seg[seg].Attr
	if a&(cpu.AttrP|cpu.AttrCode|cpu.AttrWritable) != cpu.AttrP|cpu.AttrWritable && c.pm() {
		c.segTypeFault(seg)
	}
}

func (c *CPU) segTypeFault(seg int) {
	if seg == cpu.SS {
		c.raiseCode(cpu.VecSS, 0)
	}
	c.raiseCode(cpu.VecGP, 0)
}

// phys maps a linear address to a physical one without paging (real-mode
// structures such as the IVT, and the 286's LOADALL table).
func (c *CPU) phys(lin uint32) uint32 { return lin & c.addrMask }

// access is the paging access kind of a data access at the current
// privilege level.
func (c *CPU) access(write bool) mmu.Access {
	a := mmu.Read
	if write {
		a = mmu.Write
	}
	if c.cpl() == 3 && !c.supervisor {
		a |= mmu.User
	}
	return a
}

// pageFault raises #PF for f, loading CR2.
func (c *CPU) pageFault(f *mmu.Fault) {
	c.s.CR[2] = f.Addr
	c.raiseCode(cpu.VecPF, f.Code)
}

// readLin reads size bytes at linear address lin with the current
// privilege.
func (c *CPU) readLin(lin uint32, size int) uint32 {
	if c.s.EFlags&cpu.FlagAC != 0 && lin&uint32(size-1) != 0 {
		c.alignCheck()
	}
	if !c.paging {
		return c.readPhys(lin&c.addrMask, size)
	}
	return c.readPaged(lin, size, c.access(false))
}

// writeLin writes size bytes at linear address lin.
func (c *CPU) writeLin(lin uint32, size int, v uint32) {
	if c.s.EFlags&cpu.FlagAC != 0 && lin&uint32(size-1) != 0 {
		c.alignCheck()
	}
	if !c.paging {
		c.writePhys(lin&c.addrMask, size, v)
		return
	}
	c.writePaged(lin, size, v, c.access(true))
}

// readPaged reads through the TLB; an access that crosses a page is
// done byte by byte.
func (c *CPU) readPaged(lin uint32, size int, a mmu.Access) uint32 {
	off := lin & 0xFFF
	if off+uint32(size) > 0x1000 {
		var v uint32
		for i := 0; i < size; i++ {
			v |= c.readPaged(lin+uint32(i), 1, a) << (8 * i)
		}
		return v
	}
	if host, ok := c.tlb.LookupHost(lin, a); ok {
		return loadLE(host[off:], size)
	}
	phys, host, f := c.tlb.TranslateHost(lin, a)
	if f != nil {
		c.pageFault(f)
	}
	if host != nil {
		return loadLE(host[off:], size)
	}
	return c.deviceRead(phys, size)
}

// writePaged writes through the TLB. A write that crosses a page checks
// both pages before it writes anything.
func (c *CPU) writePaged(lin uint32, size int, v uint32, a mmu.Access) {
	off := lin & 0xFFF
	if off+uint32(size) > 0x1000 {
		if _, f := c.tlb.Translate(lin, a); f != nil {
			c.pageFault(f)
		}
		if _, f := c.tlb.Translate(lin+uint32(size)-1, a); f != nil {
			c.pageFault(f)
		}
		for i := 0; i < size; i++ {
			c.writePaged(lin+uint32(i), 1, v>>(8*i), a)
		}
		return
	}
	if host, ok := c.tlb.LookupHost(lin, a); ok {
		storeLE(host[off:], size, v)
		return
	}
	phys, host, f := c.tlb.TranslateHost(lin, a)
	if f != nil {
		c.pageFault(f)
	}
	if host != nil {
		storeLE(host[off:], size, v)
		return
	}
	c.deviceWrite(phys, size, v)
}

func loadLE(b []byte, size int) uint32 {
	switch size {
	case 1:
		return uint32(b[0])
	case 2:
		return uint32(binary.LittleEndian.Uint16(b))
	}
	return binary.LittleEndian.Uint32(b)
}

func storeLE(b []byte, size int, v uint32) {
	switch size {
	case 1:
		b[0] = uint8(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	default:
		binary.LittleEndian.PutUint32(b, v)
	}
}

// updatePaging hands the paging bits of CR0, CR3 and CR4 to the TLB after
// one of them changed.
func (c *CPU) updatePaging() {
	ctl := mmu.ControlFrom(c.s.CR[0], c.s.CR[3], c.s.CR[4])
	if c.model < cpu.Model386 {
		ctl.PG = false
	}
	if c.model < cpu.Model486 {
		ctl.WP = false
	}
	c.tlb.SetControl(ctl)
	c.paging = ctl.PG
}

func (c *CPU) rd8(seg int, off uint32) uint8 {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 1, false)
	}
	if c.model >= cpu.Model286 {
		c.checkRead(seg)
		c.checkLimit(seg, off, 1)
	}
	return uint8(c.readLin(c.s.Seg[seg].Base+off, 1))
}

func (c *CPU) wr8(seg int, off uint32, v uint8) {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 1, true)
	}
	if c.model >= cpu.Model286 {
		c.checkWrite(seg)
		c.checkLimit(seg, off, 1)
	}
	c.writeLin(c.s.Seg[seg].Base+off, 1, uint32(v))
}

func (c *CPU) rd16(seg int, off uint32) uint16 {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 2, false)
	}
	if c.model < cpu.Model286 {
		// Two byte cycles; the offset wraps inside the segment.
		base := c.s.Seg[seg].Base
		lo := c.readLin(base+(off&0xFFFF), 1)
		hi := c.readLin(base+((off+1)&0xFFFF), 1)
		return uint16(lo | hi<<8)
	}
	c.checkRead(seg)
	c.checkLimit(seg, off, 2)
	return uint16(c.readLin(c.s.Seg[seg].Base+off, 2))
}

func (c *CPU) wr16(seg int, off uint32, v uint16) {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 2, true)
	}
	if c.model < cpu.Model286 {
		base := c.s.Seg[seg].Base
		c.writeLin(base+(off&0xFFFF), 1, uint32(v&0xFF))
		c.writeLin(base+((off+1)&0xFFFF), 1, uint32(v>>8))
		return
	}
	c.checkWrite(seg)
	c.checkLimit(seg, off, 2)
	c.writeLin(c.s.Seg[seg].Base+off, 2, uint32(v))
}

func (c *CPU) rd32(seg int, off uint32) uint32 {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 4, false)
	}
	c.checkRead(seg)
	c.checkLimit(seg, off, 4)
	return c.readLin(c.s.Seg[seg].Base+off, 4)
}

func (c *CPU) wr32(seg int, off uint32, v uint32) {
	if c.dataBP {
		c.checkDataBP(c.s.Seg[seg].Base+off, 4, true)
	}
	c.checkWrite(seg)
	c.checkLimit(seg, off, 4)
	c.writeLin(c.s.Seg[seg].Base+off, 4, v)
}

// rdv/wrv access 2 or 4 bytes by operand size.
func (c *CPU) rdv(seg int, off uint32, size uint8) uint32 {
	if size == 4 {
		return c.rd32(seg, off)
	}
	return uint32(c.rd16(seg, off))
}

func (c *CPU) wrv(seg int, off uint32, v uint32, size uint8) {
	if size == 4 {
		c.wr32(seg, off, v)
		return
	}
	c.wr16(seg, off, uint16(v))
}

// Registers.

func (c *CPU) reg8(r uint8) uint8 {
	if r < 4 {
		return uint8(c.s.Regs[r])
	}
	return uint8(c.s.Regs[r-4] >> 8)
}

func (c *CPU) setReg8(r uint8, v uint8) {
	if r < 4 {
		c.s.Regs[r] = c.s.Regs[r]&^0xFF | uint32(v)
		return
	}
	c.s.Regs[r-4] = c.s.Regs[r-4]&^0xFF00 | uint32(v)<<8
}

// regv reads a 16- or 32-bit register by operand size.
func (c *CPU) regv(r uint8, size uint8) uint32 {
	if size == 4 {
		return c.s.Regs[r]
	}
	return c.s.Regs[r] & 0xFFFF
}

// setRegv writes a 16- or 32-bit register; 16-bit writes keep the upper half.
func (c *CPU) setRegv(r uint8, v uint32, size uint8) {
	if size == 4 {
		c.s.Regs[r] = v
		return
	}
	c.s.Regs[r] = c.s.Regs[r]&^0xFFFF | v&0xFFFF
}

// Effective addresses.

// ea computes the offset of the instruction's memory operand.
func (c *CPU) ea(in *decode.Inst) uint32 {
	v := c.eaValue(in)
	c.lastEA = v
	return v
}

// eaValue computes an effective address without noting it.
func (c *CPU) eaValue(in *decode.Inst) uint32 {
	v := in.Disp
	if in.Base != decode.NoReg {
		v += c.s.Regs[in.Base]
	}
	if in.Index != decode.NoReg {
		v += c.s.Regs[in.Index] << in.Scale
	}
	if in.AdSize == 2 {
		v &= 0xFFFF
	}
	return v
}

// seg returns the segment of the memory operand.
func seg(in *decode.Inst) int { return int(in.SegOf()) }

// rm8 reads the r/m byte operand; for memory it also returns the offset
// for a following write.
func (c *CPU) rm8(in *decode.Inst) (uint8, uint32) {
	if !in.HasMem {
		return c.reg8(in.RM()), 0
	}
	off := c.ea(in)
	return c.rd8(seg(in), off), off
}

// setRM8 writes the r/m byte operand (off from rm8 or ea).
func (c *CPU) setRM8(in *decode.Inst, off uint32, v uint8) {
	if !in.HasMem {
		c.setReg8(in.RM(), v)
		return
	}
	c.wr8(seg(in), off, v)
}

// rmv reads the r/m word/dword operand by operand size.
func (c *CPU) rmv(in *decode.Inst) (uint32, uint32) {
	if !in.HasMem {
		return c.regv(in.RM(), in.OpSize), 0
	}
	off := c.ea(in)
	return c.rdv(seg(in), off, in.OpSize), off
}

// setRMv writes the r/m word/dword operand.
func (c *CPU) setRMv(in *decode.Inst, off uint32, v uint32) {
	if !in.HasMem {
		c.setRegv(in.RM(), v, in.OpSize)
		return
	}
	c.wrv(seg(in), off, v, in.OpSize)
}

// rm16 reads a 16-bit r/m operand regardless of operand size (Ew).
func (c *CPU) rm16(in *decode.Inst) (uint16, uint32) {
	if !in.HasMem {
		return uint16(c.s.Regs[in.RM()]), 0
	}
	off := c.ea(in)
	return c.rd16(seg(in), off), off
}

// Stack.

// stack32 reports whether the stack uses ESP (SS.B set).
func (c *CPU) stack32() bool { return c.s.Seg[cpu.SS].Attr&cpu.AttrDB != 0 && c.model >= cpu.Model386 }

func (c *CPU) sp() uint32 {
	if c.stack32() {
		return c.s.Regs[cpu.ESP]
	}
	return c.s.Regs[cpu.ESP] & 0xFFFF
}

func (c *CPU) setSP(v uint32) {
	if c.stack32() {
		c.s.Regs[cpu.ESP] = v
		return
	}
	c.s.Regs[cpu.ESP] = c.s.Regs[cpu.ESP]&^0xFFFF | v&0xFFFF
}

// push pushes a 2- or 4-byte value. The write happens before ESP changes,
// so a faulting push leaves ESP intact.
func (c *CPU) push(v uint32, size uint8) {
	sp := c.sp() - uint32(size)
	if !c.stack32() {
		sp &= 0xFFFF
	}
	c.wrv(cpu.SS, sp, v, size)
	c.setSP(sp)
}

// pop pops a 2- or 4-byte value.
func (c *CPU) pop(size uint8) uint32 {
	sp := c.sp()
	v := c.rdv(cpu.SS, sp, size)
	c.setSP(sp + uint32(size))
	return v
}

// peek reads the stack at ESP+delta without popping.
func (c *CPU) peek(delta uint32, size uint8) uint32 {
	sp := c.sp() + delta
	if !c.stack32() {
		sp &= 0xFFFF
	}
	return c.rdv(cpu.SS, sp, size)
}

// sysRead reads the system structures (descriptor tables, the TSS) at a
// linear address: supervisor accesses whatever the CPL.
func (c *CPU) sysRead(lin uint32, size int) uint32 {
	if !c.paging {
		return c.env.Bus.Read(lin&c.addrMask, size)
	}
	return c.readPaged(lin, size, mmu.Read)
}

// sysWrite writes a system structure (accessed and busy bits, the TSS).
func (c *CPU) sysWrite(lin uint32, size int, v uint32) {
	if !c.paging {
		c.env.Bus.Write(lin&c.addrMask, size, v)
		return
	}
	c.writePaged(lin, size, v, mmu.Write)
}

// alignCheck raises #AC(0) for a misaligned data access at CPL 3 when
// CR0.AM and EFLAGS.AC are both set (486 and later).
func (c *CPU) alignCheck() {
	if c.model >= cpu.Model486 && c.s.CR[0]&cpu.CR0AM != 0 && c.cpl() == 3 {
		c.raiseCode(cpu.VecAC, 0)
	}
}
