// Package window is the desktop front end (-display window): an ebiten
// window that shows the VGA picture and turns the host's keyboard and
// mouse into PS/2 input.
//
//   - The picture is the adapter's frame (vga.Adapter.Render, in logical
//     pixels) stretched by the geometry's ScaleX and ScaleY to the
//     monitor's shape, then fitted to the resizable window: whole
//     multiples with sharp pixels when they fit, smooth scaling otherwise.
//     It is uploaded and redrawn only when it changed.
//   - Keys go to the guest as make and break codes (i8042.Key, US
//     positions, whatever the host layout), with a keyboard's typematic
//     repeat: the key pressed last repeats its make code after 500 ms, 30
//     times a second. A click grabs the mouse pointer; Ctrl+Alt+G gives it
//     back. Mouse motion, buttons and the wheel go through
//     i8042.Controller.MouseMove.
//   - Ctrl+Alt+O shows a status overlay (engine, guest MIPS, instructions,
//     the engine's counters); Ctrl+Alt+P pauses, Ctrl+Alt+R resets,
//     Ctrl+Alt+S saves the frame as PNG, Ctrl+Alt+Q or closing the window
//     switches the machine off.
//
// The machine runs on a goroutine of its own with real-time pacing; the
// window never waits for it. Only that goroutine touches the devices: in
// the run loop's Tick it applies queued input and commands and publishes
// the frame and counters under a mutex (internal/session).
//
// Building: ebiten links X11 and OpenGL through cgo, and a binary with the
// window cannot start without an X display at all (ebiten opens it in a
// package init; internal/displaycheck turns that into a one-line
// explanation and status 2). So the window is opt-in: it exists only in
// cgo builds for Linux with -tags window, and the plain ringzero binary,
// headless-safe, starts the ringzero-window binary beside it (built by
// scripts/run) when a window is wanted. Elsewhere Run returns ErrNotBuilt
// and Available reports false.
package window
