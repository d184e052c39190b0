package interp

import (
	"context"
	"testing"

	"ringzero/cpu"
	"ringzero/devices/bus"
)

// TestLastEAOn8086: given a register operand, the 8086's LEA stores the
// last effective address it computed (the 286 raises #UD instead).
func TestLastEAOn8086(t *testing.T) {
	ram := make([]byte, 1<<20)
	// lea bx,[si+0x1234]; lea ax,ax (8D C0)
	copy(ram[0x1000:], []byte{0x8D, 0x9C, 0x34, 0x12, 0x8D, 0xC0})
	b := bus.New()
	b.MapRAM(0, ram, false)
	c := New(cpu.Model8086, cpu.Env{Bus: b})
	s := c.State()
	s.SetRealSeg(cpu.CS, 0)
	s.EIP, s.Regs[cpu.ESI] = 0x1000, 0x10
	c.Run(context.Background(), 2)
	if got := c.State().Regs[cpu.EAX] & 0xFFFF; got != 0x1244 {
		t.Errorf("AX = %#x, want 0x1244 (the last EA)", got)
	}
}
