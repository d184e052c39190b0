// Command ringzero emulates a PC, from the 8086 to the Pentium II.
//
//	ringzero [run] [flags] [IMAGE]      boot a PC (run is the default)
//	ringzero cputest [flags] [PATH...]  run single-step CPU suites
//	ringzero help [run|cputest]         list every flag
//
// The run flags follow QEMU's names (-m, -cpu, -hda, -serial, -device
// isa-debug-exit, -no-reboot, -s, -S, -d ...) so scripts written for
// qemu-system-i386 mostly carry over, and so do QEMU's exit statuses:
// (v<<1)|1 for a debug-exit write of v. newRunFlags is the one list of run
// flags; -help, `ringzero help` and the README's table all follow it.
//
// The command only parses and checks; boot hands the options to the board
// (devices/pc) and a frontend.
package main
