// Package decode is ringzero's table-driven x86 instruction decoder. One
// table, opcodes.csv, is the single source of truth: `go generate` turns it
// into ops_gen.go (Op constants and per-Op facts), from which the decoder
// builds per-model opcode maps at start-up. The interpreter's dispatch, the
// translator's block-ending flags, disassembly names and the tests'
// opcode enumerator all come from the same rows.
//
// Decoded instructions (Inst) are plain values with no pointers into guest
// memory, so a translator can cache them.
package decode
