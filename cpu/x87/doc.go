// Package x87 is the floating-point unit of the Pentium II: 80-bit
// double extended-precision arithmetic done exactly in software, the FPU
// state, and an executor for the escape opcodes D8-DF that the
// interpreter (and later the JIT) calls.
//
// # Values
//
// Ext80 is the register and m80 format bit for bit (sign, 15-bit
// exponent, 64-bit significand with explicit integer bit). Add, Sub,
// Mul, Div, Sqrt, Rem, RoundInt, Scale, Extract, Compare and the
// conversions (LoadFloat32/64, ToFloat32/64, FromInt64, ToInt, LoadBCD,
// ToBCD) take the control word and return the result with the Flags
// they raise (IE, DE, ZE, OE, UE, PE, and C1 for "rounded up"). They
// round once, exactly, as IEEE 754 and the SDM ask: 128-bit integer
// arithmetic (math/bits) carries every intermediate with a sticky bit,
// precision control (24, 53, 64 bits) applies to FADD, FSUB, FMUL, FDIV
// and FSQRT only, the exponent range stays extended under reduced
// precision, tininess is detected after rounding, and an unmasked
// overflow or underflow into a register delivers the result with its
// exponent wrapped by ∓24576. Pseudo-denormals are read as denormals
// (DE); unnormals, pseudo-NaNs and pseudo-infinities are unsupported and
// raise IE; FLD m80 and FSTP m80 move every pattern unchanged.
//
// The transcendental instructions are correctly rounded (the P6
// promises under one ulp; AMD silicon agrees with these results to
// within one ulp, and exactly in 95-99% of cases). They are evaluated in
// 128-bit fixed point (fastmath.go, about 2^-118 relative error) and
// rounded when Ziv's test shows the rounding is certain; otherwise, and
// for tiny or exact cases, math/big at 200 bits decides (bigmath.go).
// Both paths give identical results (TestFastMatchesSlow). FSIN, FCOS,
// FSINCOS and FPTAN reduce the argument exactly by the P6's 66-bit π, as
// the hardware does, so fsin of the double nearest π is the hardware's
// 1.2246063538223773e-16; |x| >= 2^63 is left unchanged with C2 set.
// F2XM1 and FYL2XP1 return the true value outside the ranges the SDM
// defines them for. Like silicon, F2XM1 and FYL2X report PE even for
// their exactly representable results (2^1-1, 3·log2(8)).
//
// # State
//
// FPU holds R0-R7, CW, SW (with TOP), the full tag word and the last
// instruction and operand pointers. It is a plain value: New gives the
// FNINIT state, Reset the power-on state. StoreEnv,
// LoadEnv, Save and Restore produce and consume the FSTENV and FSAVE
// images in their four forms (16/32-bit, real/protected: SDM Vol. 1,
// figures 8-9 to 8-12). FXSave and FXRstor do the same for the one
// FXSAVE layout (x87 and MMX part; the P2 has no SSE state). MMX, SetMMX,
// MMXEnter and EMMS are the MMX register aliasing (mmx.go).
//
// # Executing instructions
//
// For an escape opcode the interpreter does, in order:
//
//	if CR0.EM || CR0.TS { #NM }
//	in := x87.Inst{Opcode: b, ModRM: modrm, Op16: opsize == 2,
//		Real: realOrV86, CS: cs, EIP: start, DS: segSelector, EA: ea}
//	d := x87.Describe(in)              // Valid, Waits, MemSize, MemRead, MemWrite
//	if !d.Valid { #UD }
//	if d.Waits && fpu.Pending() {      // an unmasked exception is waiting
//		if CR0.NE { #MF } else { raise IRQ 13 (FERR#) and go on }
//	}
//	regs := x87.Regs{EFlags: eflags, AX: ax}
//	err := fpu.Exec(in, &regs, mem)    // mem implements x87.Mem at seg:ea
//	eflags, ax = regs.EFlags, regs.AX
//
// FWAIT (9B) is the same pending check: #NM when CR0.MP and CR0.TS, then
// #MF or IRQ 13 if fpu.Pending(). FINIT, FCLEX, FSTCW, FSTSW, FSTENV and
// FSAVE are FWAIT followed by the FN form, and need nothing more. Exec returns nil, ErrUD, or the Mem's
// own error (a page fault, say) unchanged, with the FPU untouched by the
// faulting instruction. Numeric exceptions are never errors: masked ones
// give the masked response; unmasked ones set ES and B, store what the
// SDM says (nothing for IE, DE, ZE and for memory destinations of OE and
// UE), and wait for the next waiting instruction to be reported.
//
// # Where this follows which source
//
// The SDM first. Where it is silent, real silicon: every instruction is
// checked bit for bit against the host's own x87 (package
// internal/hostfpu, amd64 only), with two exceptions where the SDM and
// AMD disagree about C1 (FCOMI/FUCOMI clear it; a stack overflow in
// FLD ST(i) sets it), which follow the SDM. Undocumented encodings (FSTP1,
// FCOM2, FCOMP3, FXCH4, FCOMP5, FFREEP, FXCH7, FSTP8, FSTP9) behave as
// their documented twins, except that FSTP1 pops an empty ST(0) without
// a stack fault, as silicon does; FISTTP (SSE3) is #UD.
package x87
