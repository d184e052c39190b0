// Package cputest runs the hardware-captured single-step suites
// (SingleStepTests 8086 and 80286, github.com/SingleStepTests) against any
// cpu.Engine.
//
// The suites come in two encodings: gzip JSON (8086 v1) and the chunked
// binary MOO format (80286, and one 8086 file). Both load into the same
// neutral form, a File of Tests, with the undefined-flag masks of the suite's
// metadata.json and its revocation list already applied.
//
// What one test means differs between the suites, and the runner follows
// the data:
//
//   - 8086: the initial RAM holds the instruction followed by NOP padding;
//     the final state is taken right after the one instruction (its prefixes
//     and, for REP string instructions, all its iterations included). A
//     divide error is part of the instruction: the final CS:IP is the
//     handler's first byte.
//   - 80286: every test is the instruction followed by HLT, and a HLT is
//     injected at any jump target or interrupt handler. The final IP points
//     past that HLT, so the runner executes until the CPU halts.
//
// In both, the final state lists only what changed: the expected state is
// the initial one overlaid by the final one, and the runner checks every
// byte of either list. The 8086 reads FLAGS bits 12-15 as ones; the 286 in
// real mode reads them as zeros, and the 286 suite's initial flags, which
// are the LOADALL image, may have them set: the runner clears them as the
// suite's README asks. Addresses wrap at 1 MiB on the 8086 and at 16 MiB on
// the 286 (whose suite uses the A20-enabled bytes above 1 MiB).
//
// Engine packages call SingleStep from a test; the ringzero CLI calls Run.
package cputest
