// Package jit will hold the "jit" engine: it translates guest code into
// blocks, caches them by physical page and mode flags, chains them, and
// drops a page's blocks when the guest writes to it (self-modifying code).
// Its subpackages will be ir (the micro-op IR built from decode.Inst),
// closure (the portable backend of chained Go closures), amd64 (an
// optional native backend), trap (the trap-and-emulate engine) and bt
// (the binary-translation engine). Every engine here passes the same
// suites as cpu/interp, whose handlers it reuses.
package jit
