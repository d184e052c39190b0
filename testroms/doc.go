// Package testroms holds ringzero's guest programs, written in NASM
// (src/*.asm) and committed assembled (bin/*.img) so that nothing but
// build.sh needs nasm:
//
//   - demo: the built-in guest plain `ringzero` boots, a 1.44 MB floppy
//     that shows the CPU, memory, a clock, the keys typed and an
//     animation in VGA text mode, and logs to COM1 and port 0xE9;
//   - demo-selftest: the same program built with -DSELFTEST, which types
//     keys itself, runs for about two seconds of timer ticks, checks
//     what it saw and exits through isa-debug-exit;
//   - the CPU test ROMs listed by ROMs: realmode, pmode, and the i686
//     ones (pm_priv, pm_tasks, pm_v86, paging, debugregs, i686isa, each
//     also as NAME-strict with checks QEMU cannot pass).
//
// Every image is a bootable floppy: a boot sector that loads the rest
// with INT 13h. A test ROM prints on port 0xE9 and ends by writing its
// verdict to the isa-debug-exit port 0xF4 (ExitDevice): 0 for a pass,
// which makes QEMU and `ringzero run` exit with status PassStatus, or the
// number of the failing test n (status 2n+1).
//
// The images are embedded: Image returns one by name. Run build.sh (or
// go generate ./testroms) after editing a source and commit the source
// and its images together; CI rebuilds them and fails on any difference.
package testroms
