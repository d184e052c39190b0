package interp

import (
	"ringzero/cpu"
	"ringzero/cpu/decode"
	"ringzero/cpu/x87"
)

// FXSAVE and FXRSTOR (0F AE /0 and /1, CPUID FXSR): the x87 and MMX state
// to and from a 512-byte, 16-byte-aligned area, in one layout for every
// mode (package x87 writes and reads it). This CPU has no SSE, so there
// is no MXCSR and no XMM register: bytes 24-31 and 160-511 are neither
// written nor read (the SDM leaves them implementation dependent with
// CR4.OSFXSR clear; without SSE they do not exist). Neither instruction
// waits for a pending x87 exception.

// cr4OSFXSR is CR4 bit 9: the OS supports FXSAVE/FXRSTOR (and, with SSE,
// the SSE state). It is writable wherever CPUID reports FXSR.
const cr4OSFXSR = 1 << 9

// fxMXCSR is the offset of MXCSR in the FXSAVE area (MXCSR_MASK follows).
const fxMXCSR = 24

// cr4Bits are the CR4 bits the model implements.
func (c *CPU) cr4Bits() uint32 {
	if c.model >= cpu.ModelP2 {
		return cr4Supported | cr4OSFXSR
	}
	return cr4Supported
}

// fxArea checks the memory operand of FXSAVE/FXRSTOR and returns its
// linear address: #UD for a register operand or CR0.EM, #NM for CR0.TS,
// #GP(0) unless 16-byte aligned, then the segment checks and limit for
// all 512 bytes.
func (c *CPU) fxArea(in *decode.Inst, write bool) uint32 {
	if !in.HasMem || c.s.CR[0]&cpu.CR0EM != 0 {
		c.raise(cpu.VecUD)
	}
	if c.s.CR[0]&cpu.CR0TS != 0 {
		c.raise(cpu.VecNM)
	}
	s, off := seg(in), c.ea(in)
	lin := c.s.Seg[s].Base + off
	if lin&15 != 0 {
		c.raiseCode(cpu.VecGP, 0)
	}
	if write {
		c.checkWrite(s)
	} else {
		c.checkRead(s)
	}
	c.checkLimit(s, off, x87.FXSaveSize)
	if c.dataBP {
		c.checkDataBP(lin, x87.FXLegacySize, write)
	}
	return lin
}

func fxsave(c *CPU, in *decode.Inst) {
	lin := c.fxArea(in, true)
	// The whole area is checked as QEMU does; a 16-byte-aligned 512-byte
	// area spans at most two pages.
	c.probeWrite(lin, x87.FXSaveSize)
	var b [x87.FXLegacySize]byte
	c.s.FPU.FXSave(b[:], in.OpSize == 2)
	for i := 0; i < len(b); i += 4 {
		if i == fxMXCSR || i == fxMXCSR+4 {
			continue // no MXCSR, no MXCSR_MASK
		}
		c.writeLin(lin+uint32(i), 4, uint32(b[i])|uint32(b[i+1])<<8|uint32(b[i+2])<<16|uint32(b[i+3])<<24)
	}
}

func fxrstor(c *CPU, in *decode.Inst) {
	lin := c.fxArea(in, false)
	var b [x87.FXLegacySize]byte
	for i := 0; i < len(b); i += 4 {
		v := c.readLin(lin+uint32(i), 4)
		b[i], b[i+1], b[i+2], b[i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	c.s.FPU.FXRstor(b[:], in.OpSize == 2)
}
