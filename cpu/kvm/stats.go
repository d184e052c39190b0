package kvm

import (
	"fmt"
	"time"

	"ringzero/cpu/kvm/kvmapi"
)

// exitNames are the Stats counter names of KVM exit reasons.
var exitNames = map[uint32]string{
	kvmapi.ExitUnknown:       "unknown",
	kvmapi.ExitException:     "exception",
	kvmapi.ExitIO:            "io",
	kvmapi.ExitHypercall:     "hypercall",
	kvmapi.ExitDebug:         "debug",
	kvmapi.ExitHLT:           "hlt",
	kvmapi.ExitMMIO:          "mmio",
	kvmapi.ExitIRQWindowOpen: "irq-window",
	kvmapi.ExitShutdown:      "shutdown",
	kvmapi.ExitFailEntry:     "fail-entry",
	kvmapi.ExitIntr:          "intr",
	kvmapi.ExitNMI:           "nmi",
	kvmapi.ExitInternalError: "internal-error",
	kvmapi.ExitSystemEvent:   "system-event",
	kvmapi.ExitX86RDMSR:      "rdmsr",
	kvmapi.ExitX86WRMSR:      "wrmsr",
}

func exitName(r uint32) string {
	if n, ok := exitNames[r]; ok {
		return n
	}
	return fmt.Sprintf("reason-%d", r)
}

// exitStat is one exit reason's count and host time.
type exitStat struct {
	n      uint64
	run    time.Duration // in the KVM_RUN calls that ended with it
	handle time.Duration // in Go, serving it
}

// stats are the engine's counters; Counters names them
// "exit.<reason>", "exit.<reason>.run-ns", "exit.<reason>.handle-ns",
// plus "io-items" (port I/O transfers, > exit.io with string I/O) and
// "injected" (KVM_INTERRUPT calls).
type stats struct {
	exits    [kvmapi.NumExitReasons]exitStat
	other    exitStat // reasons beyond the table
	ioItems  uint64
	injected uint64
}

func (s *stats) init() { *s = stats{} }

func (s *stats) exit(reason uint32, run, handle time.Duration) {
	x := &s.other
	if reason < kvmapi.NumExitReasons {
		x = &s.exits[reason]
	}
	x.n++
	x.run += run
	x.handle += handle
}

func (s *stats) counters() map[string]uint64 {
	c := map[string]uint64{"io-items": s.ioItems, "injected": s.injected}
	add := func(name string, x exitStat) {
		if x.n == 0 {
			return
		}
		c["exit."+name] = x.n
		c["exit."+name+".run-ns"] = uint64(x.run)
		c["exit."+name+".handle-ns"] = uint64(x.handle)
	}
	for r, x := range s.exits {
		add(exitName(uint32(r)), x)
	}
	add("other", s.other)
	return c
}
