package interp

import (
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
	"ringzero/devices/clock"
)

// timePort records the virtual time of each access and, on a write,
// arms a timer that many nanoseconds ahead.
type timePort struct {
	clk   *clock.Clock
	seen  []uint64
	timer *clock.Timer
	fired []uint64
}

func (p *timePort) ReadPort(off uint16, size int) uint32 {
	p.seen = append(p.seen, p.clk.Now())
	return 0
}

func (p *timePort) WritePort(off uint16, size int, v uint32) {
	p.seen = append(p.seen, p.clk.Now())
	p.timer.SetAfter(uint64(v))
}

// TestDevicesSeeExactTime: a port access sees the clock at its own
// cycle, not at the start of the engine's slice, and a timer the access
// arms fires after exactly its time, not at the end of the slice.
func TestDevicesSeeExactTime(t *testing.T) {
	ram := make([]byte, 1<<20)
	code := []byte{}
	for i := 0; i < 99; i++ {
		code = append(code, 0x90) // nop
	}
	code = append(code,
		0xE4, 0x80, // in al, 0x80: cycle 100
		0xB0, 0xC8, // mov al, 200
		0xE6, 0x80, // out 0x80, al: cycle 102, timer for 20 cycles (200 ns) on
	)
	for i := 0; i < 1000; i++ {
		code = append(code, 0x90)
	}
	code = append(code, opHLT)
	copy(ram[0x1000:], code)
	b := bus.New()
	b.MapRAM(0, ram, false)
	clk := clock.New(0) // 100 MHz: 10 ns a cycle
	p := &timePort{clk: clk}
	p.timer = clk.NewTimer(func(now uint64) { p.fired = append(p.fired, clk.Now()) })
	if err := b.MapPorts(0x80, 1, "time", p, bus.Size8); err != nil {
		t.Fatal(err)
	}
	c := New(cpu.ModelP2, cpu.Env{Bus: b, Clock: clk})
	s := c.State()
	s.SetRealSeg(cpu.CS, 0)
	s.EIP = 0x1000
	c.Run(context.Background(), 10000)
	if len(p.seen) != 2 || p.seen[0] != 1000 || p.seen[1] != 1020 {
		t.Errorf("accesses at %v ns, want [1000 1020]", p.seen)
	}
	if len(p.fired) != 1 || p.fired[0] != 1220 {
		t.Errorf("timer fired at %v ns, want [1220]", p.fired)
	}
}
