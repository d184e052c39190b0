package interp

import (
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
	"ringzero/devices/clock"
)

// TestTSCFollowsVirtualTime: the time-stamp counter counts the clock's
// cycles, so time the machine spends idle with the CPU halted (which the
// board advances the clock over) shows in it, and RESET clears it.
func TestTSCFollowsVirtualTime(t *testing.T) {
	ram := make([]byte, 1<<20)
	copy(ram[0x1000:], []byte{
		0x0F, 0x31, // rdtsc
		0x89, 0xC6, // mov si, ax
		opHLT,
		0x0F, 0x31, // rdtsc
		opHLT,
	})
	b := bus.New()
	b.MapRAM(0, ram, false)
	clk := clock.New(0)
	c := New(cpu.ModelP2, cpu.Env{Bus: b, Clock: clk})
	s := c.State()
	s.SetRealSeg(cpu.CS, 0)
	s.EIP = 0x1000
	c.Run(context.Background(), 100)
	first := s.Regs[cpu.EAX]
	const idle = 123456
	clk.Advance(idle) // the board idles the halted CPU
	s.Halted = false
	c.Run(context.Background(), 100)
	// Between the two RDTSCs: the first's own cycle, MOV, HLT, idle.
	if d := s.Regs[cpu.EAX] - first; d != idle+3 {
		t.Errorf("TSC advanced %d across %d idle cycles and 3 instructions, want %d", d, idle, idle+3)
	}
	if got := clk.Cycles(); got != uint64(s.Cycles)+idle {
		t.Errorf("clock at %d cycles, want %d", got, s.Cycles+idle)
	}

	c.Reset()
	s.SetRealSeg(cpu.CS, 0)
	s.EIP = 0x1005
	c.Run(context.Background(), 100)
	// The first instruction after RESET reads its own cycle.
	if s.Regs[cpu.EAX] != 1 || s.Regs[cpu.EDX] != 0 {
		t.Errorf("RDTSC right after RESET = %#x:%#x, want 1", s.Regs[cpu.EDX], s.Regs[cpu.EAX])
	}
}
