package cpu

import (
	"context"
	"fmt"
	"sync/atomic"
)

// Bus is the physical world as the CPU sees it. devices/bus.Bus satisfies
// it. Addresses are physical (after segmentation, paging and A20).
type Bus interface {
	Read(addr uint32, size int) uint32 // RAM, ROM or MMIO; size 1, 2 or 4
	Write(addr uint32, size int, v uint32)
	In(port uint16, size int) uint32
	Out(port uint16, size int, v uint32)
	// RAMPage returns the 4 KiB host page holding addr for the fast path,
	// or nil if the page is MMIO, ROM (when write is set) or unmapped.
	RAMPage(addr uint32, write bool) []byte
}

// MapVersioner is implemented by a Bus whose memory map can change: the
// counter it returns moves on every change, so engines that cache host
// pages (RAMPage results) know when to drop them.
type MapVersioner interface {
	MapGeneration() *atomic.Uint64
}

// Interrupts is the CPU's INTR pin and INTA cycle (pic.Controller).
type Interrupts interface {
	Pending() bool // INTR asserted
	Ack() uint8    // interrupt-acknowledge: returns the vector
}

// Clock is the virtual time base the engine drives with retired cycles.
// An engine advances it by the cycles it has retired before every device
// access (a port, MMIO), not only at the end of a run slice, so a device
// reads the time of the access itself.
type Clock interface {
	Advance(cycles uint64)
	// NextDeadline is the number of cycles until the next timer event;
	// engines end their run slice there so devices fire on time.
	NextDeadline() uint64
	// Cycles is the total number of cycles advanced, idle time included
	// (the time-stamp counter follows it).
	Cycles() uint64
}

// StopFlag lets a device ask the running engine to return after the
// current instruction (power-off, reset, debug-exit). Safe for use from
// other goroutines.
type StopFlag struct{ v atomic.Uint32 }

// Request asks the engine to stop with reason r.
func (f *StopFlag) Request(r ExitReason) { f.v.Store(uint32(r)) }

// Take returns and clears a pending request (ExitNone if none).
func (f *StopFlag) Take() ExitReason { return ExitReason(f.v.Swap(0)) }

// Pending reports whether a request waits, without clearing it.
func (f *StopFlag) Pending() bool { return f.v.Load() != 0 }

// Env is what an engine needs from the machine around it.
type Env struct {
	Bus   Bus
	Intr  Interrupts // nil: INTR never asserted
	Clock Clock      // nil: no timers
	Stop  *StopFlag  // nil: devices never stop the engine
	NMI   *atomic.Bool
	// FERR, if set, drives the FPU error line (IRQ 13 on the PC) for x87
	// errors reported with CR0.NE clear; the board clears it when the
	// guest writes port 0xF0.
	FERR func(active bool)
	// OnInterrupt, if set, is told of every exception and interrupt the
	// engine delivers (-d int).
	OnInterrupt func(InterruptEvent)
}

// InterruptKind says where an interrupt came from.
type InterruptKind uint8

// Interrupt kinds.
const (
	KindException InterruptKind = iota // a fault or trap raised by an instruction
	KindHardware                       // INTR or NMI
	KindSoftware                       // INT n, INT3, INTO, INT1
)

// InterruptEvent describes one delivered exception or interrupt.
type InterruptEvent struct {
	Kind    InterruptKind
	Vector  uint8
	Code    uint32 // error code, when HasCode
	HasCode bool
	CS      uint16 // where it happened: the faulting or next instruction
	EIP     uint32
	CR2     uint32
	Cycle   uint64
}

func (e InterruptEvent) String() string {
	kind := [...]string{"exception", "irq", "int"}[e.Kind]
	code := "----"
	if e.HasCode {
		code = fmt.Sprintf("%04x", e.Code)
	}
	name := fmt.Sprintf("%#x", e.Vector)
	if e.Kind == KindException {
		name = VectorName(e.Vector)
	}
	return fmt.Sprintf("%-9s v=%02x %-6s e=%s at %04x:%08x cr2=%08x cycle=%d",
		kind, e.Vector, name, code, e.CS, e.EIP, e.CR2, e.Cycle)
}

// ExitReason says why Engine.Run returned.
type ExitReason uint8

// Exit reasons.
const (
	ExitNone        ExitReason = iota
	ExitBudget                 // the cycle budget or the clock deadline was reached
	ExitHalt                   // HLT with interrupts disabled or none pending
	ExitTripleFault            // shutdown after a fault while delivering a double fault
	ExitReset                  // the machine asked for a reset (8042, port 92, CF9)
	ExitPowerOff               // the machine powered off (ACPI S5)
	ExitDebugExit              // the guest wrote the isa-debug-exit port
	ExitBreakpoint             // a debugger breakpoint or single step
	ExitCanceled               // ctx was done
)

var exitNames = [...]string{"none", "budget", "halt", "triple-fault", "reset", "power-off", "debug-exit", "breakpoint", "canceled"}

func (r ExitReason) String() string {
	if int(r) < len(exitNames) {
		return exitNames[r]
	}
	return fmt.Sprintf("ExitReason(%d)", uint8(r))
}

// Exit is the result of one Engine.Run.
type Exit struct {
	Reason ExitReason
	Cycles uint64 // cycles retired during this Run
}

// Stats are an engine's counters: what the teaching tools show.
type Stats struct {
	Instructions uint64            // retired instructions
	Exceptions   [32]uint64        // guest exceptions by vector
	Interrupts   uint64            // external interrupts delivered
	Counters     map[string]uint64 // engine-specific (exits, traps, blocks…)
}

// Engine executes guest code on State. Implemented by interp, jit, trap, bt
// and kvm.
type Engine interface {
	Name() string
	// Run executes until the budget of cycles is used, HLT, triple fault,
	// a stop request, or ctx is done.
	Run(ctx context.Context, budget uint64) (Exit, error)
	// State returns the engine's architectural state, synced on demand;
	// valid until the next Run. Software engines return their live state.
	State() *State
	// SetState replaces the architectural state.
	SetState(s *State) error
	Stats() Stats
}

// Exception is a guest-visible fault or trap: a value, never a Go error.
type Exception struct {
	Vector  uint8
	Code    uint32 // error code, when HasCode
	HasCode bool
}

func (e Exception) String() string {
	if e.HasCode {
		return fmt.Sprintf("%s(%#x)", VectorName(e.Vector), e.Code)
	}
	return VectorName(e.Vector)
}

// Exception vectors (SDM Vol. 3, 6.3.1).
const (
	VecDE  = 0  // divide error
	VecDB  = 1  // debug
	VecNMI = 2  // non-maskable interrupt
	VecBP  = 3  // breakpoint (INT3)
	VecOF  = 4  // overflow (INTO)
	VecBR  = 5  // BOUND range exceeded
	VecUD  = 6  // invalid opcode
	VecNM  = 7  // device not available
	VecDF  = 8  // double fault
	VecTS  = 10 // invalid TSS
	VecNP  = 11 // segment not present
	VecSS  = 12 // stack-segment fault
	VecGP  = 13 // general protection
	VecPF  = 14 // page fault
	VecMF  = 16 // x87 floating-point error
	VecAC  = 17 // alignment check
	VecMC  = 18 // machine check
)

var vectorNames = map[uint8]string{
	VecDE: "#DE", VecDB: "#DB", VecNMI: "NMI", VecBP: "#BP", VecOF: "#OF", VecBR: "#BR",
	VecUD: "#UD", VecNM: "#NM", VecDF: "#DF", 9: "CSO", VecTS: "#TS", VecNP: "#NP",
	VecSS: "#SS", VecGP: "#GP", VecPF: "#PF", VecMF: "#MF", VecAC: "#AC", VecMC: "#MC",
}

// VectorName names an exception vector (#GP, #PF, …) or "INT n".
func VectorName(v uint8) string {
	if n, ok := vectorNames[v]; ok {
		return n
	}
	return fmt.Sprintf("INT %#x", v)
}
