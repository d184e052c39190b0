package kvm

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"ringzero/cpu"
)

// DefaultDevice is the KVM device node.
const DefaultDevice = "/dev/kvm"

// DefaultHz is the clock rate assumed when neither Config.Hz nor the
// clock tells (devices/clock.DefaultHz: 100 MHz of virtual cycles).
const DefaultHz = 100_000_000

// Errors. ErrUnavailable wraps every reason the host cannot run a VM
// (no /dev/kvm, no permission, wrong API, not Linux); callers such as
// -engine auto and the tests check it with errors.Is.
var (
	ErrUnavailable = errors.New("kvm: unavailable")
	// ErrModel is returned for models KVM cannot present: the 8086, 186
	// and 286 behave differently from any CPU KVM runs on.
	ErrModel = errors.New("kvm: model not supported (386 or later)")
	// ErrNoMemory is returned when neither Config.Memory nor the bus
	// (MemoryMapper) describes any RAM.
	ErrNoMemory = errors.New("kvm: no RAM: set Config.Memory or give a Bus that implements kvm.MemoryMapper")
	// ErrPaging is returned by Run when the guest turns on paging on a
	// host that refuses to run paged 32-bit guests (Info.Paging false).
	ErrPaging = errors.New("kvm: this host cannot run a guest with paging enabled")
)

// Region is guest-physical memory backed by host memory: RAM, or ROM
// when ReadOnly. Base and len(Mem) are multiples of 4 KiB. Mem should
// start on a host page boundary (Go allocations of 4 KiB or more do);
// a region that does not is served through MMIO exits, which works for
// data but not for code.
type Region struct {
	Base     uint32
	Mem      []byte
	ReadOnly bool
}

// MemoryMapper is implemented by a Bus that can list its RAM and ROM so
// the engine can hand them to KVM. VisitMemory calls fn for each mapped
// range (pages or maximal runs; the engine merges neighbours whose host
// memory is contiguous), ignoring A20. A Bus that also implements
// cpu.MapVersioner is asked again whenever its generation moves, and one
// with an A20() bool method has its A20 gate followed.
type MemoryMapper interface {
	VisitMemory(fn func(base uint32, mem []byte, readOnly bool))
}

// Config tunes New; the zero value is the default.
type Config struct {
	// Hz is the rate of env.Clock in cycles per second. 0: ask the clock
	// (an Hz() uint64 method, as devices/clock has), else DefaultHz.
	Hz uint64
	// Memory lists RAM and ROM. nil: ask env.Bus (MemoryMapper).
	Memory []Region
	// Device is the KVM device node; "" means DefaultDevice.
	Device string
}

// Info is what Probe found out about the host.
type Info struct {
	Device     string
	Exists     bool // the device node exists
	Opened     bool // it opened read-write
	APIVersion int  // KVM_GET_API_VERSION
	// Kernel capabilities the engine uses.
	ReadonlyMem   bool // KVM_CAP_READONLY_MEM (ROM slots)
	ImmediateExit bool // KVM_CAP_IMMEDIATE_EXIT (race-free kicks)
	VCPUEvents    bool // KVM_CAP_VCPU_EVENTS (interrupt shadow)
	DebugRegs     bool // KVM_CAP_DEBUGREGS
	Memslots      int  // KVM_CAP_NR_MEMSLOTS
	// Modes a tiny guest ran in: real mode, unpaged protected mode, and
	// protected mode with 32-bit paging.
	RealMode, Protected, Paging bool
	// X87: x87 instructions run (in real mode). Hosts that run real mode
	// through KVM's instruction emulator stop at the first one.
	X87 bool
	// ProtectedInterrupts: in unpaged protected mode, INT through the IDT
	// and IRETD back work (hosts that run that mode through KVM's
	// instruction emulator, like kvm_pvm, stop with an emulation error).
	ProtectedInterrupts bool
	// ExitCost is one port-output exit round trip (guest OUT, KVM_RUN
	// returns, KVM_RUN again), measured on a real-mode loop.
	ExitCost time.Duration
	// InstructionCost is the host time per simple guest instruction in a
	// real-mode loop without exits: well under a nanosecond on hardware
	// virtualization, about a microsecond where KVM emulates real mode
	// (kvm_pvm), which is slower than the interpreter.
	InstructionCost time.Duration
	// MissingCPUID lists the Pentium II CPUID features the host cannot
	// give the guest (they are left out of its CPUID).
	MissingCPUID []string
	// CPUIDChanged lists the CPUID registers the host replaces after
	// KVM_SET_CPUID2 (kvm_pvm shows its own leaf 1 ECX and EDX).
	CPUIDChanged []string
	// Err says why the engine cannot run (nil when Usable); it wraps
	// ErrUnavailable.
	Err error
}

// Usable reports whether the kvm engine can run real-mode guests here.
func (i *Info) Usable() bool { return i.Err == nil }

func (i *Info) String() string {
	if !i.Exists {
		return fmt.Sprintf("%s: not present", i.Device)
	}
	if i.Err != nil && !i.RealMode {
		return fmt.Sprintf("%s: unusable: %v", i.Device, i.Err)
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: API %d, real mode %s (x87 %s), protected mode %s (interrupts %s), paging %s, exit round trip %v, %v per instruction",
		i.Device, i.APIVersion, yes(i.RealMode), yes(i.X87), yes(i.Protected), yes(i.ProtectedInterrupts), yes(i.Paging), i.ExitCost, i.InstructionCost)
	if !i.ReadonlyMem {
		b.WriteString(", no read-only slots (ROM is writable)")
	}
	if len(i.MissingCPUID) > 0 {
		fmt.Fprintf(&b, ", CPUID without %s", strings.Join(i.MissingCPUID, " "))
	}
	if len(i.CPUIDChanged) > 0 {
		fmt.Fprintf(&b, ", the host overrides CPUID %s", strings.Join(i.CPUIDChanged, ", "))
	}
	return b.String()
}

// checkModel rejects the models KVM cannot present.
func checkModel(m cpu.Model) error {
	if m < cpu.Model386 {
		return fmt.Errorf("%w: %s", ErrModel, m)
	}
	return nil
}

// clockHz picks the clock rate: cfg, then the clock's own Hz method.
func clockHz(cfg uint64, c cpu.Clock) uint64 {
	if cfg != 0 {
		return cfg
	}
	if h, ok := c.(interface{ Hz() uint64 }); ok && h.Hz() != 0 {
		return h.Hz()
	}
	return DefaultHz
}

var _ cpu.Engine = (*Engine)(nil)
