package window

import (
	"errors"
	"os"
)

// Options tune the window.
type Options struct {
	// Title starts the window title ("ringzero" if empty); the title
	// also shows the pause state and the pointer hotkey.
	Title string
	// Scale sets the first window size: the picture's natural size
	// (frame size times the geometry's scales) times Scale. 0 picks the
	// largest whole multiple that fits in nine tenths of the monitor.
	Scale int
	// ScreenshotDir is where Ctrl+Alt+S writes PNG files ("" is the
	// current directory).
	ScreenshotDir string
	// Overlay shows the status overlay from the start.
	Overlay bool
}

// Errors from Run.
var (
	// ErrNotBuilt: this binary has no window support.
	ErrNotBuilt = errors.New("window support not built (needs cgo and X11 dev packages: " +
		"gcc libc6-dev pkg-config libgl1-mesa-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev; " +
		"and go build -tags window)")
	// ErrNoDisplay: no X display to open (DISPLAY is unset).
	ErrNoDisplay = errors.New("window: no display (DISPLAY is not set)")
	// ErrTwice: ebiten runs one window per process.
	ErrTwice = errors.New("window: Run can be called only once per process")
)

// hasDisplay reports whether an X display is named. ebiten v2.8.8 speaks
// X11 only (XWayland provides DISPLAY on Wayland desktops).
func hasDisplay() bool { return os.Getenv("DISPLAY") != "" }
