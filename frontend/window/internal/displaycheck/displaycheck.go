// Package displaycheck stops a program built with the ebiten window
// cleanly when there is no X display to open.
//
// ebiten v2.8.8 opens the display in a package init (internal/ui calls
// glfw.Init) and panics when it cannot, so any binary that links the
// window dies before main when DISPLAY is unset, whatever its flags say.
// Only another package init can run in time, and this one does. The Go
// spec initialises, at each step, the first package in import-path order
// whose imports are all initialised. This package imports only syscall,
// so it is ready as soon as syscall is; every package that imports
// syscall and sorts after "ringzero/", such as time, must then wait for
// it, and ebiten's ui package depends on time. So this check runs first
// and turns the panic and its stack trace into one line that says what to
// do, with exit status 2. xtest's TestWindowBinaryWithoutDisplay checks
// that on a real binary.
package displaycheck

import "syscall"

// Message is what a program hears when it was built with the window and
// started without a display.
const Message = "ringzero: built with the ebiten window, which opens the X display before main runs, " +
	"and DISPLAY is not set: set DISPLAY, run under xvfb-run, or build without -tags window\n"

func init() {
	if d, ok := syscall.Getenv("DISPLAY"); ok && d != "" {
		return
	}
	syscall.Write(2, []byte(Message))
	syscall.Exit(2)
}
