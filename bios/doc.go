// Package bios will hold ringzero's built-in BIOS, its NASM source and the
// assembled image embedded with go:embed, and a loader for external BIOS
// images such as SeaBIOS (the -bios flag).
package bios
