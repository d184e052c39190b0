// Package decode is ringzero's table-driven x86 instruction decoder. One
// table, opcodes.csv, is the single source of truth: `go generate` turns it
// into ops_gen.go (Op constants and per-Op facts), from which the decoder
// builds per-model opcode maps at start-up. The interpreter's dispatch, the
// translator's block-ending flags, disassembly names and the tests'
// opcode enumerator all come from the same rows.
//
// Decoded instructions (Inst) are plain values with no pointers into guest
// memory, so a translator can cache them.
//
// Tests: testdata/decode.txt holds golden decodings (prefix orderings,
// addressing forms, model aliases, length limits); TestDecodeAgreesWithX86asm
// cross-checks every one-byte and 0F opcode x ModRM x prefix set against
// golang.org/x/arch/x86/x86asm, with each known disagreement listed and
// explained in xcheck_test.go; FuzzDecode checks the decoder's invariants
// on arbitrary bytes for every model.
package decode
