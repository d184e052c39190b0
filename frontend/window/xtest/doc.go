// Package xtest holds the window's tests in a real X server: they start
// Xvfb, run the window (internal/xhelper, built by the test) on it, drive
// it with xdotool through the X server and capture it with xwd. They live
// apart from package window because a test binary that links ebiten
// cannot even start without a display.
package xtest
