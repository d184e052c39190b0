package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// loadall286 is the 286's undocumented LOADALL (0F 05): it loads the whole
// CPU state, descriptor caches included, from the 102-byte table at
// physical address 800h. The single-step suite uses it to set up tests.
func loadall286(c *CPU, in *decode.Inst) {
	c.requireCPL0()
	const t = 0x800
	w := func(off uint32) uint16 { return uint16(c.env.Bus.Read(c.phys(t+off), 2)) }
	b := func(off uint32) uint8 { return uint8(c.env.Bus.Read(c.phys(t+off), 1)) }
	cache := func(off uint32) (base uint32, attr uint16, limit uint32) {
		base = uint32(b(off)) | uint32(b(off+1))<<8 | uint32(b(off+2))<<16
		attr = uint16(b(off + 3))
		limit = uint32(w(off + 4))
		return
	}
	msw := w(0x06)
	// LOADALL can set PE but, like LMSW, never clear it.
	c.s.CR[0] = c.s.CR[0]&^0xF | uint32(msw)&0xF | c.s.CR[0]&1
	c.s.TR.Selector = w(0x16)
	c.s.EFlags = uint32(w(0x18)) | cpu.FlagRsv1
	c.s.EIP = uint32(w(0x1A))
	c.s.LDTR.Selector = w(0x1C)
	sels := []struct {
		seg int
		off uint32
	}{{cpu.DS, 0x1E}, {cpu.SS, 0x20}, {cpu.CS, 0x22}, {cpu.ES, 0x24}}
	for _, s := range sels {
		c.s.Seg[s.seg].Selector = w(s.off)
	}
	regs := []int{cpu.EDI, cpu.ESI, cpu.EBP, cpu.ESP, cpu.EBX, cpu.EDX, cpu.ECX, cpu.EAX}
	for i, r := range regs {
		c.s.SetReg16(r, w(0x26+uint32(2*i)))
	}
	caches := []struct {
		seg int
		off uint32
	}{{cpu.ES, 0x36}, {cpu.CS, 0x3C}, {cpu.SS, 0x42}, {cpu.DS, 0x48}}
	for _, s := range caches {
		base, attr, limit := cache(s.off)
		sg := &c.s.Seg[s.seg]
		sg.Base, sg.Attr, sg.Limit = base, attr, limit
	}
	base, _, limit := cache(0x4E)
	c.s.GDTR = cpu.DescTable{Base: base, Limit: limit}
	base, attr, limit := cache(0x54)
	c.s.LDTR.Base, c.s.LDTR.Attr, c.s.LDTR.Limit = base, attr, limit
	base, _, limit = cache(0x5A)
	c.s.IDTR = cpu.DescTable{Base: base, Limit: limit}
	base, attr, limit = cache(0x60)
	c.s.TR.Base, c.s.TR.Attr, c.s.TR.Limit = base, attr, limit
}
