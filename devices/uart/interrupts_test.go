package uart_test

import (
	"fmt"
	"slices"
	"testing"
)

// IIR identifications (PC16550D datasheet, Table IV).
const (
	iirNone    = 0x01
	iirRLS     = 0x06
	iirRDA     = 0x04
	iirTimeout = 0x0C
	iirTHRE    = 0x02
	iirMS      = 0x00
	iirFIFO    = 0xC0

	ierRDA  = 0x01
	ierTHRE = 0x02
	ierRLS  = 0x04
	ierMS   = 0x08
)

func (r *rig) expectLine(want bool, when string) {
	r.t.Helper()
	if got := r.line.Level(); got != want {
		r.t.Errorf("IRQ line %v %s, want %v", got, when, want)
	}
}

func TestTHREInterruptOnIEREnable(t *testing.T) {
	r := newRig(t)
	r.out(mcr, mcrOUT2)
	r.expectLine(false, "with IER clear")

	r.out(ier, ierTHRE)
	r.expectLine(true, "after enabling ETBEI with THR empty")
	r.expect(iir, "IIR", iirTHRE)
	r.expectLine(false, "after IIR read acknowledged THRE")
	r.expect(iir, "IIR after acknowledge", iirNone)

	r.out(ier, ierTHRE) // ETBEI already set: no new interrupt
	r.expectLine(false, "after rewriting the same IER")

	r.out(ier, 0)
	r.out(ier, ierTHRE) // a fresh 0→1 enable re-raises it
	r.expectLine(true, "after re-enabling ETBEI")
	if got := r.line.Rises(); got != 2 {
		t.Errorf("IRQ rose %d times, want 2", got)
	}
}

func TestTHREInterruptWhenTransmitterDrains(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.out(mcr, mcrOUT2)
	r.out(ier, ierTHRE)
	r.expect(iir, "IIR", iirFIFO|iirTHRE) // acknowledge the enable-time interrupt
	for _, b := range []byte("wxyz") {
		r.out(rbr, b)
	}
	// 'w' shifts, "xyz" waits in the FIFO: no THRE until 'z' moves out.
	r.expectLine(false, "with the FIFO holding three characters")
	r.expect(lsr, "LSR", 0)
	r.advance(3*ct - 1)
	r.expectLine(false, "before the last character leaves the FIFO")
	r.advance(1)
	r.expectLine(true, "when the FIFO empties")
	r.expect(lsr, "LSR with 'z' shifting", lsrTHRE)
	r.expect(iir, "IIR", iirFIFO|iirTHRE)
	r.expectLine(false, "after IIR read")
	r.advance(ct)
	r.expect(lsr, "LSR when the line is idle", lsrTHRE|lsrTEMT)
	r.expectLine(false, "after the shift register empties") // THRE did not change again
	if got := r.output(); got != "wxyz" {
		t.Errorf("host got %q", got)
	}
}

func TestTHRWriteAcknowledgesTHREInterrupt(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(mcr, mcrOUT2)
	r.out(ier, ierTHRE)
	r.expectLine(true, "after enabling ETBEI")
	r.out(rbr, 'a') // moves to the shift register at once: THR empty again
	r.out(rbr, 'b') // now THR holds 'b'
	r.expectLine(false, "with 'b' in THR")
	r.expect(iir, "IIR", iirNone)
	r.advance(ct)
	r.expectLine(true, "when 'b' moves into the shift register")
	if want := []bool{true, false, true, false, true}; !slices.Equal(r.line.Changes(), want) {
		t.Errorf("IRQ changes %v, want %v", r.line.Changes(), want)
	}
}

func TestIIRReportsHighestPriorityFirst(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(ier, ierRDA|ierTHRE|ierRLS|ierMS) // THRE pending: THR is empty
	r.out(mcr, mcrLoop)                     // CTS, DSR, DCD drop: modem status pending
	r.out(rbr, 'a')
	r.out(rbr, 'b')
	r.advance(2 * ct) // 'a' received, then 'b' overruns it: line status pending

	steps := []struct {
		reg  uint16
		name string
		want uint8
	}{
		{iir, "IIR with all four pending", iirRLS},
		{iir, "IIR again (reading IIR does not clear line status)", iirRLS},
		{lsr, "LSR", lsrDR | lsrOE | lsrTHRE | lsrTEMT},
		{iir, "IIR after LSR read", iirRDA},
		{rbr, "RBR", 'b'},
		{iir, "IIR after RBR read", iirTHRE},
		{iir, "IIR after THRE acknowledged", iirMS},
		{msr, "MSR", 0x0B}, // DDCD, DDSR, DCTS; all inputs low
		{iir, "IIR after MSR read", iirNone},
	}
	for _, s := range steps {
		r.expect(s.reg, s.name, s.want)
	}
}

func TestTimeoutRanksWithReceivedDataAboveTHRE(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0xC1) // trigger level 14
	r.out(ier, ierRDA|ierTHRE)
	r.port.Receive([]byte("hi"))
	r.port.Poll()
	r.advance(2 * ct)
	r.expect(iir, "IIR with 2 of 14 received", iirFIFO|iirTHRE)
	r.advance(4 * ct)
	r.expect(iir, "IIR after the timeout", iirFIFO|iirTimeout)
	r.expect(iir, "IIR read again (timeout not cleared by IIR)", iirFIFO|iirTimeout)
}

func TestReceiveTriggerLevels(t *testing.T) {
	for _, c := range []struct {
		fcr   uint8
		level int
	}{
		{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xC1, 14},
	} {
		t.Run(fmt.Sprintf("level %d", c.level), func(t *testing.T) {
			r := newRig(t)
			r.setLine(1, lcr8N1)
			r.out(fcr, c.fcr)
			r.out(mcr, mcrOUT2)
			r.out(ier, ierRDA)
			r.port.Receive([]byte("0123456789ABCDEF"))
			r.port.Poll()
			r.advance(uint64(c.level-1) * ct)
			r.expectLine(false, "one character short of the trigger level")
			r.expect(iir, "IIR below the trigger level", iirFIFO|iirNone)
			r.advance(ct)
			r.expectLine(true, "at the trigger level")
			r.expect(iir, "IIR at the trigger level", iirFIFO|iirRDA)
			r.expect(rbr, "RBR", '0')
			r.expectLine(false, "after reading below the trigger level")
			r.expect(iir, "IIR below the trigger level again", iirFIFO|iirNone)
		})
	}
}

func TestCharacterTimeoutInterrupt(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0xC1) // trigger level 14: three characters never reach it
	r.out(mcr, mcrOUT2)
	r.out(ier, ierRDA)
	r.port.Receive([]byte("abc"))
	r.port.Poll()
	r.advance(3 * ct) // 'c' just arrived
	r.advance(4*ct - 1)
	r.expectLine(false, "just under four character times after the last character")
	r.expect(iir, "IIR before the timeout", iirFIFO|iirNone)
	r.advance(1)
	r.expectLine(true, "four character times after the last character")
	r.expect(iir, "IIR", iirFIFO|iirTimeout)

	r.expect(rbr, "RBR", 'a')
	r.expectLine(false, "after a read clears the timeout")
	r.advance(4*ct - 1)
	r.expectLine(false, "before the restarted timer expires")
	r.advance(1)
	r.expectLine(true, "four character times after the read")

	r.expect(rbr, "RBR", 'b')
	r.expect(rbr, "RBR", 'c')
	r.advance(10 * ct)
	r.expectLine(false, "with the FIFO empty")
	r.expect(iir, "IIR with the FIFO empty", iirFIFO|iirNone)
}

func TestNoTimeoutIn16450Mode(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(ier, ierRDA)
	r.port.Receive([]byte("a"))
	r.port.Poll()
	r.advance(ct)
	r.expect(iir, "IIR", iirRDA)
	r.advance(10 * ct)
	r.expect(iir, "IIR later", iirRDA)
	r.expect(rbr, "RBR", 'a')
	r.expect(iir, "IIR after read", iirNone)
}

func TestLineStatusInterruptOnOverrun(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(ier, ierRLS)
	r.out(mcr, mcrLoop)
	r.out(rbr, 1)
	r.advance(ct)
	r.expect(iir, "IIR with one character", iirNone)
	r.out(rbr, 2)
	r.advance(ct)
	r.expect(iir, "IIR after overrun", iirRLS)
	r.expect(lsr, "LSR", lsrDR|lsrOE|lsrTHRE|lsrTEMT)
	r.expect(iir, "IIR after LSR read", iirNone)
}

func TestModemStatusDeltasInLoopback(t *testing.T) {
	r := newRig(t)
	steps := []struct {
		mcr     uint8
		wantMSR uint8
	}{
		{mcrLoop, 0x0B},                             // CTS, DSR, DCD disconnected from the terminal: all drop
		{mcrLoop | mcrDTR, 0x22},                    // DTR→DSR, DDSR
		{mcrLoop | mcrDTR | mcrRTS, 0x31},           // RTS→CTS, DCTS
		{mcrLoop | mcrDTR | mcrRTS | mcrOUT1, 0x70}, // OUT1→RI: leading edge sets no delta
		{mcrLoop | mcrDTR | mcrRTS, 0x34},           // RI trailing edge: TERI
		{mcrLoop | mcrOUT2 | mcrRTS | mcrDTR, 0xB8}, // OUT2→DCD, DDCD
		{mcrLoop | mcrOUT2 | mcrRTS | mcrDTR, 0xB0}, // no change, no delta
		{mcrLoop | mcrOUT2 | mcrRTS, 0x92},          // Linux's probe value 0x1A reads 0x90 in the high nibble
		{mcrOUT2 | mcrRTS, 0xB2},                    // back to the terminal: DSR returns
	}
	for i, s := range steps {
		r.out(mcr, s.mcr)
		if got := r.in(msr); got != s.wantMSR {
			t.Errorf("step %d: MCR %#02x: MSR = %#02x, want %#02x", i, s.mcr, got, s.wantMSR)
		}
		if got := r.in(msr); got&0x0F != 0 {
			t.Errorf("step %d: deltas %#x survived an MSR read", i, got&0x0F)
		}
	}
}

func TestModemStatusInterrupt(t *testing.T) {
	r := newRig(t)
	r.out(ier, ierMS)
	r.out(mcr, mcrLoop)
	r.in(msr)
	r.expect(iir, "IIR with no deltas", iirNone)
	r.out(mcr, mcrLoop|mcrRTS)
	r.expect(iir, "IIR after CTS changed", iirMS)
	r.expect(msr, "MSR", 0x11)
	r.expect(iir, "IIR after MSR read", iirNone)
}

func TestOUT2GatesTheIRQLine(t *testing.T) {
	r := newRig(t)
	r.out(ier, ierTHRE) // a THRE interrupt is now pending
	steps := []struct {
		mcr  uint8
		want bool
		why  string
	}{
		{0, false, "OUT2 clear"},
		{mcrOUT2, true, "OUT2 set"},
		{mcrDTR | mcrRTS, false, "OUT2 cleared again"},
		{mcrOUT2 | mcrLoop, false, "loopback forces the OUT2 pin inactive"},
		{mcrOUT2 | mcrDTR | mcrRTS, true, "OUT2 set, loopback off"},
	}
	for _, s := range steps {
		r.out(mcr, s.mcr)
		r.expectLine(s.want, "with "+s.why)
	}
	// The interrupt itself stayed pending throughout: gating is outside the chip.
	r.expect(iir, "IIR", iirTHRE)
	r.expectLine(false, "after IIR read")
}

func TestLoopbackInterruptsShowInIIRButNotOnTheLine(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(ier, ierRDA)
	r.out(mcr, mcrLoop|mcrOUT2)
	r.out(rbr, 'q')
	r.advance(ct)
	r.expect(iir, "IIR", iirRDA)
	r.expectLine(false, "in loopback")
	r.out(mcr, mcrOUT2)
	r.expectLine(true, "after leaving loopback with data pending")
}
