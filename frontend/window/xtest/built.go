//go:build cgo && linux

package xtest

// windowBuilt mirrors window.Built for the same build tags, without
// linking ebiten.
const windowBuilt = true
