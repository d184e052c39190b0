// Package frontend will hold the ways to watch and drive a machine, all
// through pc.Machine (screen, keys, serial) and never the chips directly:
// frontend/window (ebiten: shows the VGA frames, turns keys into i8042
// scancodes), frontend/headless (serial to stdout, the guest's exit
// status, timeouts, PNG screenshots) and a curses text display.
package frontend
