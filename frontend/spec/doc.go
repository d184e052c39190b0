// Package spec is `ringzero test`: it boots guests described in spec
// files (TOML, or JSON by extension), drives them with expected output and
// typed input, checks how each one ends, and reports the result as
// progress lines, a JUnit XML file and, for a failure, a report a person
// can act on (the last screen as PNG and text, the serial tail, CS:EIP
// with disassembly, the registers and the recent exceptions).
//
// A spec lists guests. Each guest is a pc.Machine built from options named
// after the `ringzero run` flags, a list of steps (expect a pattern on
// COM1, on the port 0xE9 console or on the VGA text screen; send text to
// COM1 or type it on the PS/2 keyboard) and the exit status it must end
// with. README.md in this folder describes the format and the command.
//
// The flow is Load (or Parse) → Select/Shard → Run, which runs the guests
// in parallel, one goroutine per machine; Main is the command line on top
// of them. Every device access happens on the machine's own goroutine:
// output is captured by writers, and patterns, screen reads and input are
// handled in the run loop's Tick callback.
package spec
