package cputest

import (
	"ringzero/cpu"
)

// NewEngine builds an engine of model m running in env. Engine packages
// pass a closure around their constructor (interp.New and friends).
type NewEngine func(m cpu.Model, env cpu.Env) cpu.Engine

// Reg names one register of the suites' 16-bit register file. The order is
// the suites' own (the MOO REGS bitmask, bit 0 = ax … bit 13 = flags).
type Reg uint8

// The registers, in the suites' order.
const (
	RegAX Reg = iota
	RegBX
	RegCX
	RegDX
	RegCS
	RegSS
	RegDS
	RegES
	RegSP
	RegBP
	RegSI
	RegDI
	RegIP
	RegFlags
	NumRegs
)

var regNames = [NumRegs]string{"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"}

func (r Reg) String() string {
	if r < NumRegs {
		return regNames[r]
	}
	return "reg?"
}

// AllRegs is the Have mask of a complete register file.
const AllRegs = 1<<NumRegs - 1

// Regs is a 16-bit register file, complete (initial states) or partial
// (final states list only the registers that changed).
type Regs struct {
	V    [NumRegs]uint16 // values, indexed by Reg
	Have uint16          // bit r set: V[r] is given
}

// Has reports whether register r is given.
func (r *Regs) Has(reg Reg) bool { return r.Have&(1<<reg) != 0 }

// Set gives register reg the value v.
func (r *Regs) Set(reg Reg, v uint16) {
	r.V[reg] = v
	r.Have |= 1 << reg
}

// MemByte is one byte of a test's memory image at a physical address.
type MemByte struct {
	Addr uint32
	Val  uint8
}

// Snapshot is a CPU state as a suite gives it.
type Snapshot struct {
	Regs Regs
	RAM  []MemByte
}

// Exception records an interrupt taken during the test (divide error,
// #UD, INT n…): its vector and the physical address of the FLAGS word it
// pushed, whose undefined flags are masked in the memory comparison.
type Exception struct {
	Vector    uint8
	FlagsAddr uint32
}

// Test is one single-step case in the suite-neutral form.
type Test struct {
	Index int    // position in its file, from 0
	Name  string // the suite's disassembly
	Bytes []byte // instruction bytes (the 286 suite includes the final HLT)
	Init  Snapshot
	Final Snapshot // only what changed

	// Mask holds AND masks applied to both sides of each register
	// comparison: the metadata's undefined-flag mask for FLAGS and any RMSK
	// chunk. 0xFFFF compares the register exactly.
	Mask      [NumRegs]uint16
	Exception *Exception // nil if the instruction took no interrupt
	Hash      string     // hex SHA-1 (286) or SHA-256 (8086 JSON) id; "" if absent
	Revoked   bool       // listed in the suite's revocation list: skipped
}

// Want returns the expected final value of register r: the final state's
// value if it changed, else the initial one.
func (t *Test) Want(r Reg) uint16 {
	if t.Final.Regs.Has(r) {
		return t.Final.Regs.V[r]
	}
	return t.Init.Regs.V[r]
}

// File is one suite file: the tests of one opcode (or opcode and ModRM
// reg field, as in "F6.6").
type File struct {
	Path string // as given to LoadFile
	Key  string // opcode key from the file name: "40", "F6.6", "0F01"
	CPU  string // MOO CPU id ("C286", "8086") or "8086" for the JSON suite

	// HaltEnds is set when each test ends with the CPU executing a HLT
	// (the 286 method, where the final IP points past that HLT) rather
	// than right after the one instruction under test.
	HaltEnds bool

	Info  *OpcodeInfo // metadata.json entry for Key; nil if none was found
	Tests []Test
}
