package kvm_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/kvm"
)

// reference runs the hand-over guest entirely on the interpreter, one
// instruction at a time, and returns the instruction counts after which
// the state is delicate: CR0.PE just set with CS still real, and an
// interrupt shadow (MOV SS) pending.
func reference(t *testing.T, guest string) (r *rig, final *cpu.State, delicate []uint64) {
	t.Helper()
	r = newRig(t, guest)
	c := newInterp(r)
	for n := uint64(1); ; n++ {
		x, err := c.Run(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		s := c.State()
		if x.Reason == cpu.ExitHalt {
			break
		}
		if n > 10000 {
			t.Fatal("interp: the hand-over guest does not halt")
		}
		if s.IRQShadow || (s.CR[0]&cpu.CR0PE != 0 && s.Seg[cpu.CS].Selector == 0) {
			delicate = append(delicate, n)
		}
	}
	if !bytes.HasSuffix(r.dev.console, []byte("E")) {
		t.Fatalf("interp: console %q does not end the program", r.dev.console)
	}
	return r, c.State(), delicate
}

// sameRun compares a finished run with the reference: ports, RAM and the
// final registers.
func sameRun(t *testing.T, what string, got, want *rig, gs, ws *cpu.State) {
	t.Helper()
	if !bytes.Equal(got.dev.console, want.dev.console) {
		t.Errorf("%s: console %q, want %q", what, got.dev.console, want.dev.console)
	}
	if !slices.Equal(got.dev.writes, want.dev.writes) {
		t.Errorf("%s: port writes %x, want %x", what, got.dev.writes, want.dev.writes)
	}
	if !bytes.Equal(got.ram, want.ram) {
		t.Errorf("%s: RAM differs", what)
	}
	if gs.Regs != ws.Regs || gs.EIP != ws.EIP || gs.EFlags != ws.EFlags || gs.CR[0] != ws.CR[0] {
		t.Errorf("%s: final state\n got regs %x eip %#x flags %#x cr0 %#x\nwant regs %x eip %#x flags %#x cr0 %#x",
			what, gs.Regs, gs.EIP, gs.EFlags, gs.CR[0], ws.Regs, ws.EIP, ws.EFlags, ws.CR[0])
	}
	for i := range gs.Seg {
		if gs.Seg[i] != ws.Seg[i] {
			t.Errorf("%s: segment %d = %+v, want %+v", what, i, gs.Seg[i], ws.Seg[i])
		}
	}
}

// TestHandOverFromInterp runs the first n instructions on the interpreter,
// moves the state into a kvm engine and finishes there; the output must
// match an all-interpreter run, for hand-over points in real mode, in
// REP string loops, around the switch to protected mode and in it.
func TestHandOverFromInterp(t *testing.T) {
	needProtected(t)
	handOverFromInterp(t, "handover", 2)
}

// TestHandOverX87 hands over in the middle of x87 arithmetic: the FPU
// stack, tags and TOP travel in cpu.State.FPU.
func TestHandOverX87(t *testing.T) {
	if info := kvm.Probe(); info.Usable() && !info.X87 {
		t.Skip("this host does not run x87 instructions under KVM (kvm_pvm emulates real mode)")
	}
	handOverFromInterp(t, "x87", 0)
}

func handOverFromInterp(t *testing.T, guest string, minDelicate int) {
	want, ws, delicate := reference(t, guest)
	if len(delicate) < minDelicate {
		t.Fatalf("found %d delicate hand-over points, want the PE switch and a MOV SS", len(delicate))
	}
	total := ws.Cycles
	points := append([]uint64{1, 2, 7, 12, 40}, delicate...)
	for i := uint64(1); i < 16; i++ {
		points = append(points, total*i/16)
	}
	points = append(points, total-3, total-1)
	for _, n := range points {
		if n == 0 || n >= total {
			continue
		}
		r := newRig(t, guest)
		c := newInterp(r)
		x, err := c.Run(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		wantExit(t, x, cpu.ExitBudget)
		e, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{Memory: r.regions()})
		kvmUsable(t, err)
		s := *c.State()
		if err := e.SetState(&s); err != nil {
			t.Fatalf("after %d instructions (EIP %#x CR0 %#x): SetState: %v", n, s.EIP, s.CR[0], err)
		}
		wantExit(t, run(t, e), cpu.ExitHalt)
		what := fmt.Sprintf("interp for %d of %d instructions (to %04x:%08x, CR0 %#x, shadow %v), then kvm",
			n, total, s.Seg[cpu.CS].Selector, s.EIP, s.CR[0], s.IRQShadow)
		if slices.Contains(delicate, n) {
			t.Log(what)
		}
		sameRun(t, what, r, want, e.State(), ws)
		e.Close()
	}
}

// TestHandOverToInterp is the other direction: kvm runs until the k-th
// console byte (the device asks the engine to stop from inside the port
// write), then the interpreter takes the state and finishes.
func TestHandOverToInterp(t *testing.T) {
	needProtected(t)
	want, ws, _ := reference(t, "handover")
	for k := 1; k < len(want.dev.console); k += 3 {
		r := newRig(t, "handover")
		r.dev.onConsole = func(byte) {
			if len(r.dev.console) == k {
				r.stop.Request(cpu.ExitBreakpoint)
			}
		}
		e := newKVM(t, r)
		wantExit(t, run(t, e), cpu.ExitBreakpoint)
		r.dev.onConsole = nil
		c := newInterp(r)
		s := *e.State()
		c.SetState(&s)
		wantExit(t, run(t, c), cpu.ExitHalt)
		what := fmt.Sprintf("kvm to console byte %d (EIP %#x), then interp", k, s.EIP)
		gs := c.State()
		gs.Cycles = ws.Cycles
		sameRun(t, what, r, want, gs, ws)
	}
}
