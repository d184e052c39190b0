package main

import (
	"fmt"
	"os"
)

// boot builds the machine opts describes, runs it and returns the exit
// status (see the README). It waits for the PC board, devices/pc.
func boot(opts *RunOptions) int {
	fmt.Fprintln(os.Stderr, "ringzero: the PC board is not built yet")
	return exitUsage
}
