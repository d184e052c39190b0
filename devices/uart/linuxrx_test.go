package uart_test

import (
	"strings"
	"testing"
)

// TestLinuxStyleReceiveOfALongLine feeds a line longer than the FIFO to a
// driver that works the way Linux's 8250 driver does: FIFO on with the
// 8-byte trigger, RDA and RLS interrupts, and on each interrupt reading
// IIR, then RBR while LSR.DR is set. Every byte must arrive, in order,
// through trigger-level and character-timeout interrupts.
func TestLinuxStyleReceiveOfALongLine(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x81|0x06) // enable, reset both FIFOs, trigger 8
	r.out(mcr, mcrOUT2|0x03)
	r.out(ier, ierRDA|ierRLS)
	line := "grep -E 'vendor_id|cpu family|model\\s|flags' /proc/cpuinfo\n"
	r.port.Receive([]byte(line))
	var got strings.Builder
	for i := 0; i < 100000 && got.Len() < len(line); i++ {
		r.port.Poll()
		r.advance(10_000) // 10 µs of guest time between looks
		if !r.line.Level() {
			continue
		}
		id := r.in(iir) & 0x0F
		if id == iirNone {
			t.Fatalf("IRQ line high but IIR says none")
		}
		for r.in(lsr)&0x01 != 0 {
			got.WriteByte(r.in(rbr))
		}
	}
	if got.String() != line {
		t.Errorf("received %q, want %q", got.String(), line)
	}
}
