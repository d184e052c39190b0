package kvm

import "unsafe"

// hostAddr is the host virtual address of b's first byte, which KVM
// memory slots are given. Go's heap does not move objects, and the
// engine keeps every region's slice reachable while it is mapped.
func hostAddr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
