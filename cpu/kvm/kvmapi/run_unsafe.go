package kvmapi

import "unsafe"

// The views below reinterpret the exit union in place, as the kernel's
// anonymous union does; writes through them (RunMMIO.Data on a read) go
// to the shared page.

// IO views the exit union as its io member.
func (r *Run) IO() *RunIO { return (*RunIO)(unsafe.Pointer(&r.Exit[0])) }

// MMIO views the exit union as its mmio member.
func (r *Run) MMIO() *RunMMIO { return (*RunMMIO)(unsafe.Pointer(&r.Exit[0])) }

// FailEntry views the exit union as its fail_entry member.
func (r *Run) FailEntry() *RunFailEntry { return (*RunFailEntry)(unsafe.Pointer(&r.Exit[0])) }

// Ex views the exit union as its ex member.
func (r *Run) Ex() *RunEx { return (*RunEx)(unsafe.Pointer(&r.Exit[0])) }

// Internal views the exit union as its internal member.
func (r *Run) Internal() *RunInternal { return (*RunInternal)(unsafe.Pointer(&r.Exit[0])) }

// SystemEvent views the exit union as its system_event member.
func (r *Run) SystemEvent() *RunSystemEvent {
	return (*RunSystemEvent)(unsafe.Pointer(&r.Exit[0]))
}

// Compile-time checks that every union view fits in the union.
var (
	_ [256 - unsafe.Sizeof(RunIO{})]struct{}
	_ [256 - unsafe.Sizeof(RunMMIO{})]struct{}
	_ [256 - unsafe.Sizeof(RunInternal{})]struct{}
	_ [256 - unsafe.Sizeof(RunSystemEvent{})]struct{}
)
