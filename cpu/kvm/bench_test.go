package kvm_test

import (
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// stopAfter counts writes to its port and stops the engine at the n-th.
type stopAfter struct {
	n, seen int
	stop    *cpu.StopFlag
}

func (p *stopAfter) ReadPort(off uint16, size int) uint32 { return 0 }
func (p *stopAfter) WritePort(off uint16, size int, v uint32) {
	if p.seen++; p.seen == p.n {
		p.stop.Request(cpu.ExitDebugExit)
	}
}

func benchPortLoop(b *testing.B, newEngine func(*rig) cpu.Engine) {
	r := newRig(b, "ioloop")
	p := &stopAfter{n: b.N, stop: &r.stop}
	if err := r.bus.MapPorts(0xE0, 1, "bench", p, bus.Size8); err != nil {
		b.Fatal(err)
	}
	e := newEngine(r)
	b.ResetTimer()
	x, err := e.Run(context.Background(), 1<<62)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if x.Reason != cpu.ExitDebugExit || p.seen != b.N {
		b.Fatalf("exit %v after %d writes, want debug-exit after %d", x.Reason, p.seen, b.N)
	}
	if st := e.Stats(); st.Counters["exit.io"] > 0 {
		b.ReportMetric(float64(st.Counters["exit.io.run-ns"])/float64(st.Counters["exit.io"]), "ns-in-KVM_RUN/exit")
	}
}

// BenchmarkPortExitKVM is the cost of one port-output exit round trip
// under kvm: the guest's OUT leaves KVM_RUN, Go hands the byte to the
// bus, KVM_RUN resumes (ns/op per OUT).
func BenchmarkPortExitKVM(b *testing.B) {
	benchPortLoop(b, func(r *rig) cpu.Engine { return newKVM(b, r) })
}

// BenchmarkPortWriteInterp is the same guest loop on the interpreter:
// one OUT and one JMP per op.
func BenchmarkPortWriteInterp(b *testing.B) {
	benchPortLoop(b, func(r *rig) cpu.Engine { return newInterp(r) })
}

func benchCount(b *testing.B, newEngine func(*rig) cpu.Engine) {
	r := newRig(b, "count")
	e := newEngine(r)
	s := *e.State()
	s.Regs[cpu.ECX] = uint32(b.N)
	if err := e.SetState(&s); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	x, err := e.Run(context.Background(), 1<<62)
	b.StopTimer()
	if err != nil || x.Reason != cpu.ExitHalt {
		b.Fatalf("exit %v, %v", x.Reason, err)
	}
}

// BenchmarkLoopKVM is guest computation without exits under kvm: one op
// is one iteration of ADD, DEC, JNZ.
func BenchmarkLoopKVM(b *testing.B) {
	benchCount(b, func(r *rig) cpu.Engine { return newKVM(b, r) })
}

// BenchmarkLoopInterp is the same loop on the interpreter.
func BenchmarkLoopInterp(b *testing.B) {
	benchCount(b, func(r *rig) cpu.Engine { return newInterp(r) })
}
