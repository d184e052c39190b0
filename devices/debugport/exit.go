package debugport

// Exit is QEMU's isa-debug-exit: a write of value v to any port of its
// range, of any access size, asks the machine to exit with status
// (v<<1)|1, v being the value as written (a 16-bit OUT of 0x10 gives
// 0x21). The low bit is always set, so a guest cannot fake a clean exit
// status 0; test harnesses agree on a value such as 0x10 to mean success
// (status 0x21). A host process exit code keeps only the low 8 bits.
//
// The first write after New or Reset calls the callback; later writes are
// ignored until Reset, because the machine is already on its way out (a
// 32-bit OUT that runs past the end of the range reaches the device as
// several byte writes, and only the first counts). Reads return 0.
//
// Map it with bus.SizeAll so wider accesses arrive whole.
type Exit struct {
	onExit func(status int) // called once per exit request; may be nil
	status int              // status of the request, valid when exited
	exited bool             // a write has requested exit since Reset
}

// NewExit returns the device. onExit, if not nil, is called with the
// exit status on the bus's goroutine; the board requests a cpu.StopFlag
// stop (cpu.ExitDebugExit) there and records the status.
func NewExit(onExit func(status int)) *Exit { return &Exit{onExit: onExit} }

// Status returns the requested exit status; ok is false if the guest has
// not written the port since New or Reset.
func (e *Exit) Status() (status int, ok bool) { return e.status, e.exited }

// Reset forgets an exit request, arming the device again.
func (e *Exit) Reset() { e.status, e.exited = 0, false }

// ReadPort implements bus.PortHandler: the ports read 0.
func (e *Exit) ReadPort(off uint16, size int) uint32 { return 0 }

// WritePort implements bus.PortHandler: the value, cut to the access
// size, becomes exit status (v<<1)|1 wherever in the range it lands.
func (e *Exit) WritePort(off uint16, size int, v uint32) {
	if e.exited || size < 1 {
		return
	}
	if size < 4 {
		v &= 1<<(8*size) - 1
	}
	// Computed in 64 bits: a 32-bit value shifted left needs 33.
	e.status = int(uint64(v)<<1 | 1)
	e.exited = true
	if e.onExit != nil {
		e.onExit(e.status)
	}
}
