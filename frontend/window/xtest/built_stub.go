//go:build !cgo || !linux

package xtest

const windowBuilt = false
