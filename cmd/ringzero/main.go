package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"ringzero/frontend/spec"
)

// Exit statuses. A run's status tells a script how the guest ended, in
// QEMU's conventions where QEMU has one.
const (
	exitOK          = 0   // power-off, or a reset with -no-reboot
	exitFailed      = 1   // cputest: some case failed
	exitUsage       = 2   // bad command line, or a host error
	exitTripleFault = 4   // triple fault with -no-reboot
	exitTimeout     = 124 // -timeout expired (as timeout(1))
	exitInterrupted = 130 // SIGINT (as a shell reports it)
)

// debugExitStatus is the status for a guest that wrote v to an
// isa-debug-exit port: QEMU's (v<<1)|1, always odd.
func debugExitStatus(v uint32) int { return int(v<<1|1) & 0xFF }

// bootMachine runs a parsed `ringzero run`; tests replace it.
var bootMachine = boot

func main() {
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the command line args and returns the exit status.
func cli(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "run":
			return runCmd(args[1:], stdout, stderr)
		case "cputest":
			return cputestCmd(args[1:], stdout, stderr)
		case "bench":
			return benchCmd(args[1:], stdout, stderr)
		case "test":
			return spec.Main(args[1:], stdout, stderr)
		case "help":
			return helpCmd(args[1:], stdout, stderr)
		}
	}
	// run is the default subcommand: `ringzero -m 64 disk.img`.
	return runCmd(args, stdout, stderr)
}

// usageError prints err as the one line a usage error gets and returns
// status 2.
func usageError(stderr io.Writer, cmd string, err error) int {
	msg := err.Error()
	if strings.HasPrefix(msg, "flag provided but not defined") {
		msg += fmt.Sprintf(" (ringzero help %s lists the flags)", cmd)
	}
	fmt.Fprintf(stderr, "ringzero: %s\n", msg)
	return exitUsage
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	o, err := parseRun(args, stdout)
	switch {
	case errors.Is(err, errListed):
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		printRunHelp(stdout)
		return exitOK
	case err != nil:
		return usageError(stderr, "run", err)
	}
	if err := o.checkFiles(); err != nil {
		return usageError(stderr, "run", err)
	}
	return bootMachine(o)
}

func helpCmd(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		printOverview(stdout)
		fmt.Fprintln(stdout)
		printRunFlags(stdout)
		fmt.Fprintln(stdout)
		printCputestFlags(stdout)
		fmt.Fprintln(stdout)
		spec.PrintFlags(stdout)
		fmt.Fprintln(stdout)
		printExitStatuses(stdout)
	case len(args) == 1 && args[0] == "test":
		spec.PrintHelp(stdout)
	case len(args) == 1 && args[0] == "run":
		printRunHelp(stdout)
	case len(args) == 1 && args[0] == "cputest":
		printCputestHelp(stdout)
	default:
		return usageError(stderr, "", fmt.Errorf("help %s: want help, help run, help cputest or help test", strings.Join(args, " ")))
	}
	return exitOK
}

func printOverview(w io.Writer) {
	fmt.Fprint(w, `ringzero emulates a PC, from the 8086 to the Pentium II, to show how x86 machines work.

Usage:
  ringzero [run] [flags] [IMAGE]      boot a PC; IMAGE is the first hard disk, like -hda
  ringzero cputest [flags] [PATH...]  run single-step CPU test suites on the interpreter
  ringzero bench [-cpu M] [-engine E] measure guest MIPS and a whole boot
  ringzero bench linux [flags]        time Linux to its shell, against QEMU TCG
  ringzero test [flags] SPEC...       boot guests from spec files and check them
  ringzero help [run|cputest]         show this help

Flags follow QEMU's spelling: -flag value or -flag=value, before or after IMAGE.
`)
}

func printRunHelp(w io.Writer) {
	fmt.Fprint(w, "Usage: ringzero [run] [flags] [IMAGE]\n\nBoot a PC. Without IMAGE or a disk flag it boots the built-in demo.\n\n")
	printRunFlags(w)
	fmt.Fprintln(w)
	printExitStatuses(w)
}

func printRunFlags(w io.Writer) {
	var o RunOptions
	fmt.Fprintln(w, "Run flags:")
	printFlags(w, newRunFlags(&o))
}

func printExitStatuses(w io.Writer) {
	fmt.Fprint(w, `Exit status of run:
  0      the guest powered off, or reset with -no-reboot
  odd    the guest wrote v to an isa-debug-exit port: (v<<1)|1
  2      usage or host error
  4      triple fault with -no-reboot
  124    -timeout expired
Exit status of cputest: 0 all passed, 1 some failed, 2 usage or host error, 130 interrupted.
Exit status of test: 0 all passed, 1 some failed, 2 usage or spec error, 130 interrupted.
`)
}

// printFlags lists l's flags by section: name, argument, usage, default.
func printFlags(w io.Writer, l *flagList) {
	type row struct{ left, usage string }
	var rows [][]row
	width := 0
	for _, s := range l.sections {
		var rs []row
		for _, name := range s.names {
			f := l.fs.Lookup(name)
			arg, usage := flag.UnquoteUsage(f)
			left := "-" + name
			if arg != "" {
				left += " " + arg
			}
			if showDefault(f.DefValue) {
				usage += " (default " + f.DefValue + ")"
			}
			width = max(width, len(left))
			rs = append(rs, row{left, usage})
		}
		rows = append(rows, rs)
	}
	for i, s := range l.sections {
		if s.title != "" {
			fmt.Fprintf(w, " %s:\n", s.title)
		}
		for _, r := range rows[i] {
			fmt.Fprintf(w, "  %-*s  %s\n", width, r.left, r.usage)
		}
	}
}

// showDefault hides the defaults that only say "not set".
func showDefault(def string) bool {
	switch def {
	case "", "false", "0", "0s":
		return false
	}
	return true
}
