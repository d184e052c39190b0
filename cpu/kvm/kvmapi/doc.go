// Package kvmapi is the raw Linux KVM ABI for 32-bit x86 guests: ioctl
// numbers, capability and exit-reason constants, and Go structs that
// mirror the kernel's (include/uapi/linux/kvm.h and
// arch/x86/include/uapi/asm/kvm.h) byte for byte, with the kernel's names
// in comments and explicit padding fields, so they can be handed to the
// kernel as they are.
//
// golang.org/x/sys/unix has no KVM definitions, so they live here. The
// structs and constants build on every OS; the ioctl wrappers (System,
// VM, VCPU) exist only on Linux. unsafe is confined to files named
// *_unsafe.go, in the spirit of gVisor's checkunsafe.
//
// The layout test compares every size and offset with the values printed
// by a C program compiled against the kernel headers (Linux 6.x, x86-64).
package kvmapi
