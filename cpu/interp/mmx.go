package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
)

// MMX technology (SDM Vol. 1, chapter 9; Vol. 3, chapter 12): eight
// 64-bit registers MM0-MM7 that are the significands of the physical x87
// registers R0-R7 (package x87 keeps them), and packed integer
// arithmetic on them. Every MMX instruction first raises #UD with
// CR0.EM, #NM with CR0.TS and reports a pending unmasked x87 exception
// (#MF, or FERR# with CR0.NE clear) as the waiting x87 instructions do;
// then each sets TOP to 0 and tags every register valid, but EMMS,
// which tags them all empty. Memory
// operands need no alignment. With a 66, F2 or F3 prefix the opcodes
// are SSE and SSE2 instructions, which a Pentium II does not have: #UD
// (the table marks them np, as the SDM's "NP").

func init() {
	h := &handlers
	for op, f := range map[decode.Op]func(d, s uint64) uint64{
		decode.PADDB_PqQq: padd8, decode.PADDW_PqQq: padd16, decode.PADDD_PqQq: padd32,
		decode.PSUBB_PqQq: psub8, decode.PSUBW_PqQq: psub16, decode.PSUBD_PqQq: psub32,
		decode.PADDSB_PqQq: padds8, decode.PADDSW_PqQq: padds16,
		decode.PSUBSB_PqQq: psubs8, decode.PSUBSW_PqQq: psubs16,
		decode.PADDUSB_PqQq: paddus8, decode.PADDUSW_PqQq: paddus16,
		decode.PSUBUSB_PqQq: psubus8, decode.PSUBUSW_PqQq: psubus16,
		decode.PMULLW_PqQq: pmullw, decode.PMULHW_PqQq: pmulhw, decode.PMADDWD_PqQq: pmaddwd,
		decode.PCMPEQB_PqQq: pcmpeq8, decode.PCMPEQW_PqQq: pcmpeq16, decode.PCMPEQD_PqQq: pcmpeq32,
		decode.PCMPGTB_PqQq: pcmpgt8, decode.PCMPGTW_PqQq: pcmpgt16, decode.PCMPGTD_PqQq: pcmpgt32,
		decode.PAND_PqQq: pand, decode.PANDN_PqQq: pandn, decode.POR_PqQq: por, decode.PXOR_PqQq: pxor,
		decode.PACKSSWB_PqQq: packsswb, decode.PACKSSDW_PqQq: packssdw, decode.PACKUSWB_PqQq: packuswb,
		decode.PUNPCKHBW_PqQq: punpckhbw, decode.PUNPCKHWD_PqQq: punpckhwd, decode.PUNPCKHDQ_PqQq: punpckhdq,
		decode.PSLLW_PqQq: psllw, decode.PSLLD_PqQq: pslld, decode.PSLLQ_PqQq: psllq,
		decode.PSRLW_PqQq: psrlw, decode.PSRLD_PqQq: psrld, decode.PSRLQ_PqQq: psrlq,
		decode.PSRAW_PqQq: psraw, decode.PSRAD_PqQq: psrad,
	} {
		h[op] = mmxPqQq(f, false)
	}
	// PUNPCKL reads only the low doubleword of a memory source.
	h[decode.PUNPCKLBW_PqQd] = mmxPqQq(punpcklbw, true)
	h[decode.PUNPCKLWD_PqQd] = mmxPqQq(punpcklwd, true)
	h[decode.PUNPCKLDQ_PqQd] = mmxPqQq(punpckldq, true)
	for op, f := range map[decode.Op]func(d, s uint64) uint64{
		decode.PSLLW_NqIb: psllw, decode.PSLLD_NqIb: pslld, decode.PSLLQ_NqIb: psllq,
		decode.PSRLW_NqIb: psrlw, decode.PSRLD_NqIb: psrld, decode.PSRLQ_NqIb: psrlq,
		decode.PSRAW_NqIb: psraw, decode.PSRAD_NqIb: psrad,
	} {
		h[op] = mmxNqIb(f)
	}
	h[decode.MOVD_PqEd], h[decode.MOVD_EdPq] = movdPqEd, movdEdPq
	h[decode.MOVQ_PqQq], h[decode.MOVQ_QqPq] = movqPqQq, movqQqPq
	h[decode.EMMS] = emms
	h[decode.FXSAVE_M], h[decode.FXRSTOR_M] = fxsave, fxrstor
}

// mmxCheck makes the checks every MMX instruction makes before it
// touches anything, in the SDM's order.
func (c *CPU) mmxCheck(in *decode.Inst) {
	if in.Prefixes&(decode.PfxOpSize|decode.PfxRep|decode.PfxRepne) != 0 {
		c.raise(cpu.VecUD) // an SSE or SSE2 encoding (decode.FlagNp)
	}
	if c.s.CR[0]&cpu.CR0EM != 0 {
		c.raise(cpu.VecUD)
	}
	if c.s.CR[0]&cpu.CR0TS != 0 {
		c.raise(cpu.VecNM)
	}
	if c.s.FPU.Pending() {
		c.fpuError()
	}
}

// mmxSrc reads the Qq operand: MMn, or 8 bytes of memory (4 with lo32,
// zero-extended).
func (c *CPU) mmxSrc(in *decode.Inst, lo32 bool) uint64 {
	if !in.HasMem {
		return c.s.FPU.MMX(int(in.RM()))
	}
	if lo32 {
		return uint64(c.rd32(seg(in), c.ea(in)))
	}
	return c.rd64(seg(in), c.ea(in))
}

// rd64 reads a quadword operand: one limit check for all 8 bytes, then
// two doublewords.
func (c *CPU) rd64(s int, off uint32) uint64 {
	lin := c.s.Seg[s].Base + off
	if c.dataBP {
		c.checkDataBP(lin, 8, false)
	}
	c.checkRead(s)
	c.checkLimit(s, off, 8)
	c.alignCheck8(lin)
	lo := c.readLin(lin, 4)
	hi := c.readLin(lin+4, 4)
	return uint64(hi)<<32 | uint64(lo)
}

// wr64 writes a quadword operand, all or nothing: both ends are checked
// against the page tables before the first byte is written.
func (c *CPU) wr64(s int, off uint32, v uint64) {
	lin := c.s.Seg[s].Base + off
	if c.dataBP {
		c.checkDataBP(lin, 8, true)
	}
	c.checkWrite(s)
	c.checkLimit(s, off, 8)
	c.alignCheck8(lin)
	c.probeWrite(lin, 8)
	c.writeLin(lin, 4, uint32(v))
	c.writeLin(lin+4, 4, uint32(v>>32))
}

// alignCheck8: a quadword access must be 8-byte aligned for #AC.
func (c *CPU) alignCheck8(lin uint32) {
	if c.s.EFlags&cpu.FlagAC != 0 && lin&7 != 0 {
		c.alignCheck()
	}
}

// probeWrite raises the #PF a write of n bytes (at most a page) at lin
// would, before any of it is done. A fault on the second page reports
// its first byte in CR2, as a straddling read does.
func (c *CPU) probeWrite(lin, n uint32) {
	if !c.paging {
		return
	}
	last := lin + n - 1
	for _, a := range [2]uint32{lin, last &^ 0xFFF} {
		if a < lin && last >= lin {
			continue // last is on lin's page
		}
		if _, f := c.tlb.Translate(a, c.access(true)); f != nil {
			c.pageFault(f)
		}
	}
}

// mmxPqQq is an instruction MMreg = f(MMreg, Qq).
func mmxPqQq(f func(d, s uint64) uint64, lo32 bool) handler {
	return func(c *CPU, in *decode.Inst) {
		c.mmxCheck(in)
		src := c.mmxSrc(in, lo32)
		r := int(in.Reg())
		c.s.FPU.SetMMX(r, f(c.s.FPU.MMX(r), src))
	}
}

// mmxNqIb is a shift of an MMX register by an immediate count (groups
// 12-14: register forms only).
func mmxNqIb(f func(d, n uint64) uint64) handler {
	return func(c *CPU, in *decode.Inst) {
		if in.HasMem {
			c.raise(cpu.VecUD)
		}
		c.mmxCheck(in)
		r := int(in.RM())
		c.s.FPU.SetMMX(r, f(c.s.FPU.MMX(r), uint64(in.Imm&0xFF)))
	}
}

// movdPqEd: MMreg = zero-extended r/m32 (always 32 bits).
func movdPqEd(c *CPU, in *decode.Inst) {
	c.mmxCheck(in)
	var v uint32
	if in.HasMem {
		v = c.rd32(seg(in), c.ea(in))
	} else {
		v = c.s.Regs[in.RM()]
	}
	c.s.FPU.SetMMX(int(in.Reg()), uint64(v))
}

// movdEdPq: r/m32 = low doubleword of MMreg.
func movdEdPq(c *CPU, in *decode.Inst) {
	c.mmxCheck(in)
	v := uint32(c.s.FPU.MMX(int(in.Reg())))
	if in.HasMem {
		c.wr32(seg(in), c.ea(in), v)
	} else {
		c.s.Regs[in.RM()] = v
	}
	c.s.FPU.MMXEnter()
}

func movqPqQq(c *CPU, in *decode.Inst) {
	c.mmxCheck(in)
	c.s.FPU.SetMMX(int(in.Reg()), c.mmxSrc(in, false))
}

func movqQqPq(c *CPU, in *decode.Inst) {
	c.mmxCheck(in)
	v := c.s.FPU.MMX(int(in.Reg()))
	if in.HasMem {
		c.wr64(seg(in), c.ea(in), v)
		c.s.FPU.MMXEnter()
		return
	}
	c.s.FPU.SetMMX(int(in.RM()), v)
}

// emms tags every x87 register empty (and, as every MMX instruction,
// sets TOP to 0: SDM Vol. 3, 12.2 and table 12-2).
func emms(c *CPU, in *decode.Inst) {
	c.mmxCheck(in)
	c.s.FPU.EMMS()
}

// Packed arithmetic on 8, 16 and 32-bit lanes.

func lanes8(d, s uint64, f func(a, b uint8) uint8) (r uint64) {
	for i := 0; i < 64; i += 8 {
		r |= uint64(f(uint8(d>>i), uint8(s>>i))) << i
	}
	return r
}

func lanes16(d, s uint64, f func(a, b uint16) uint16) (r uint64) {
	for i := 0; i < 64; i += 16 {
		r |= uint64(f(uint16(d>>i), uint16(s>>i))) << i
	}
	return r
}

func lanes32(d, s uint64, f func(a, b uint32) uint32) (r uint64) {
	for i := 0; i < 64; i += 32 {
		r |= uint64(f(uint32(d>>i), uint32(s>>i))) << i
	}
	return r
}

// Saturation (SDM Vol. 1, 9.4.2): clamp to the destination's range.
func satS8(v int32) uint8 { return uint8(max(-128, min(127, v))) }
func satU8(v int32) uint8 { return uint8(max(0, min(255, v))) }
func satS16(v int32) uint16 {
	return uint16(max(-32768, min(32767, v)))
}
func satU16(v int32) uint16 { return uint16(max(0, min(65535, v))) }

func padd8(d, s uint64) uint64 { return lanes8(d, s, func(a, b uint8) uint8 { return a + b }) }
func padd16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return a + b })
}
func padd32(d, s uint64) uint64 {
	return lanes32(d, s, func(a, b uint32) uint32 { return a + b })
}
func psub8(d, s uint64) uint64 { return lanes8(d, s, func(a, b uint8) uint8 { return a - b }) }
func psub16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return a - b })
}
func psub32(d, s uint64) uint64 {
	return lanes32(d, s, func(a, b uint32) uint32 { return a - b })
}

func padds8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return satS8(int32(int8(a)) + int32(int8(b))) })
}
func padds16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return satS16(int32(int16(a)) + int32(int16(b))) })
}
func psubs8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return satS8(int32(int8(a)) - int32(int8(b))) })
}
func psubs16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return satS16(int32(int16(a)) - int32(int16(b))) })
}
func paddus8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return satU8(int32(a) + int32(b)) })
}
func paddus16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return satU16(int32(a) + int32(b)) })
}
func psubus8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return satU8(int32(a) - int32(b)) })
}
func psubus16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return satU16(int32(a) - int32(b)) })
}

// pmullw and pmulhw keep the low and the high word of each signed
// 32-bit product.
func pmullw(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return uint16(int32(int16(a)) * int32(int16(b))) })
}
func pmulhw(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return uint16(int32(int16(a)) * int32(int16(b)) >> 16) })
}

// pmaddwd adds the two signed products of each doubleword's word pair;
// the one case that overflows, 8000h·8000h + 8000h·8000h, wraps to
// 80000000h as the SDM says.
func pmaddwd(d, s uint64) uint64 {
	return lanes32(d, s, func(a, b uint32) uint32 {
		lo := int32(int16(a)) * int32(int16(b))
		hi := int32(int16(a>>16)) * int32(int16(b>>16))
		return uint32(lo) + uint32(hi)
	})
}

func mask8(t bool) uint8 {
	if t {
		return 0xFF
	}
	return 0
}
func mask16(t bool) uint16 { return uint16(mask8(t)) * 0x101 }
func mask32(t bool) uint32 { return uint32(mask16(t)) * 0x10001 }

func pcmpeq8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return mask8(a == b) })
}
func pcmpeq16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return mask16(a == b) })
}
func pcmpeq32(d, s uint64) uint64 {
	return lanes32(d, s, func(a, b uint32) uint32 { return mask32(a == b) })
}
func pcmpgt8(d, s uint64) uint64 {
	return lanes8(d, s, func(a, b uint8) uint8 { return mask8(int8(a) > int8(b)) })
}
func pcmpgt16(d, s uint64) uint64 {
	return lanes16(d, s, func(a, b uint16) uint16 { return mask16(int16(a) > int16(b)) })
}
func pcmpgt32(d, s uint64) uint64 {
	return lanes32(d, s, func(a, b uint32) uint32 { return mask32(int32(a) > int32(b)) })
}

func pand(d, s uint64) uint64  { return d & s }
func pandn(d, s uint64) uint64 { return ^d & s }
func por(d, s uint64) uint64   { return d | s }
func pxor(d, s uint64) uint64  { return d ^ s }

// Packs narrow the destination's elements into the low half of the
// result and the source's into the high half, saturating.
func packsswb(d, s uint64) (r uint64) {
	for i := 0; i < 4; i++ {
		r |= uint64(satS8(int32(int16(d>>(16*i))))) << (8 * i)
		r |= uint64(satS8(int32(int16(s>>(16*i))))) << (8 * (i + 4))
	}
	return r
}

func packuswb(d, s uint64) (r uint64) {
	for i := 0; i < 4; i++ {
		r |= uint64(satU8(int32(int16(d>>(16*i))))) << (8 * i)
		r |= uint64(satU8(int32(int16(s>>(16*i))))) << (8 * (i + 4))
	}
	return r
}

func packssdw(d, s uint64) (r uint64) {
	for i := 0; i < 2; i++ {
		r |= uint64(satS16(int32(d>>(32*i)))) << (16 * i)
		r |= uint64(satS16(int32(s>>(32*i)))) << (16 * (i + 2))
	}
	return r
}

// Unpacks interleave the elements of one half of each operand,
// destination first: w bits wide, from bit base (0 low, 32 high).
func unpack(d, s uint64, w, base uint) (r uint64) {
	m := uint64(1)<<w - 1
	for i := uint(0); i < 32/w; i++ {
		r |= (d >> (base + i*w) & m) << (2 * i * w)
		r |= (s >> (base + i*w) & m) << ((2*i + 1) * w)
	}
	return r
}

func punpcklbw(d, s uint64) uint64 { return unpack(d, s, 8, 0) }
func punpcklwd(d, s uint64) uint64 { return unpack(d, s, 16, 0) }
func punpckldq(d, s uint64) uint64 { return unpack(d, s, 32, 0) }
func punpckhbw(d, s uint64) uint64 { return unpack(d, s, 8, 32) }
func punpckhwd(d, s uint64) uint64 { return unpack(d, s, 16, 32) }
func punpckhdq(d, s uint64) uint64 { return unpack(d, s, 32, 32) }

// Shifts take the whole 64-bit count (or the imm8): logical shifts by
// more than the element width give 0, arithmetic ones fill with the
// sign bit.
func psllw(d, n uint64) uint64 {
	if n > 15 {
		return 0
	}
	return lanes16(d, 0, func(a, _ uint16) uint16 { return a << n })
}
func psrlw(d, n uint64) uint64 {
	if n > 15 {
		return 0
	}
	return lanes16(d, 0, func(a, _ uint16) uint16 { return a >> n })
}
func psraw(d, n uint64) uint64 {
	n = min(n, 15)
	return lanes16(d, 0, func(a, _ uint16) uint16 { return uint16(int16(a) >> n) })
}
func pslld(d, n uint64) uint64 {
	if n > 31 {
		return 0
	}
	return lanes32(d, 0, func(a, _ uint32) uint32 { return a << n })
}
func psrld(d, n uint64) uint64 {
	if n > 31 {
		return 0
	}
	return lanes32(d, 0, func(a, _ uint32) uint32 { return a >> n })
}
func psrad(d, n uint64) uint64 {
	n = min(n, 31)
	return lanes32(d, 0, func(a, _ uint32) uint32 { return uint32(int32(a) >> n) })
}
func psllq(d, n uint64) uint64 {
	if n > 63 {
		return 0
	}
	return d << n
}
func psrlq(d, n uint64) uint64 {
	if n > 63 {
		return 0
	}
	return d >> n
}
