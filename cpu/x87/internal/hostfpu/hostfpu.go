// Package hostfpu runs single x87 instructions on the host's own FPU, so
// that the tests of package x87 can compare the emulation with silicon
// bit for bit. It exists only for those tests: on hosts other than amd64
// Available reports false and they skip.
//
// Each instruction runs in a generated assembly stub: FRSTOR an image,
// execute the instruction (a memory operand at the start of mem), FNSAVE
// the image back. FNSAVE reinitializes the FPU, so nothing leaks into the
// Go runtime. The image must not hold a pending unmasked exception, or
// the instruction itself would trap (#MF, a SIGFPE for the test binary).
package hostfpu

//go:generate go run gen.go

// stubs maps (opcode-0xD8)<<8 | ModRM to its stub. Memory forms are keyed
// by ModRM reg<<3|6: mod 00, r/m 110, that is [RSI] in 64-bit mode. Bit
// 0x800 selects the operand-size-prefixed FLDENV, FNSTENV, FRSTOR and
// FNSAVE, which use the 16-bit images.
var stubs [16 << 8]func(img *[108]byte, mem *[128]byte, fl uint64) (flOut, ax uint64)

// Available reports whether the host can run instructions.
func Available() bool { return stubs[0x1E8] != nil } // D9 E8 FLD1

var vendor string

// Vendor returns the host CPU's vendor string ("AuthenticAMD",
// "GenuineIntel"), or "" when it has no x87 to drive.
func Vendor() string { return vendor }

// Image is an FSAVE image in the 32-bit protected-mode layout, which
// FSAVE and FRSTOR use in 64-bit mode without REX.W (SDM Vol. 1, 8.1.10).
type Image = [108]byte

// Run executes opcode/modrm on img, with the memory operand in mem and the
// arithmetic flags of rflags (CF, PF, ZF, ...) visible to FCMOVcc. It
// returns the flags afterwards and AX (for FNSTSW AX); ok is false for an
// encoding without a stub (the #UD ones).
func Run(opcode, modrm byte, img *Image, mem *[128]byte, rflags uint64) (rflagsOut uint64, ax uint16, ok bool) {
	return run(0, opcode, modrm, img, mem, rflags)
}

// Run16 is Run with an operand-size prefix, for the 16-bit FLDENV,
// FNSTENV, FRSTOR and FNSAVE (the image itself stays 32-bit).
func Run16(opcode, modrm byte, img *Image, mem *[128]byte) (ok bool) {
	_, _, ok = run(0x800, opcode, modrm, img, mem, 0)
	return ok
}

func run(key int, opcode, modrm byte, img *Image, mem *[128]byte, rflags uint64) (rflagsOut uint64, ax uint16, ok bool) {
	if opcode < 0xD8 {
		return 0, 0, false
	}
	if modrm < 0xC0 {
		modrm = modrm&0x38 | 6
	}
	f := stubs[key|int(opcode-0xD8)<<8|int(modrm)]
	if f == nil {
		return 0, 0, false
	}
	// Only the arithmetic flags go in: never TF, DF, IF or AC.
	fl, a := f(img, mem, rflags&0x8D5|2)
	return fl, uint16(a), true
}
