package uart_test

import (
	"testing"

	"ringzero/devices/clock"
	"ringzero/devices/uart"
)

// These tests pin down PC16550D datasheet details the other files do not
// reach: error characters deep in the FIFO, the timeout restart rule, the
// FCR programming rule and odd accesses.

func TestBreakCharacterShowsWhenItReachesTheTopOfTheFIFO(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.out(ier, ierRLS)
	r.out(mcr, mcrLoop)
	r.out(rbr, 'a')
	r.advance(ct)            // 'a' received
	r.out(lcr, lcr8N1|lcrSB) // break
	r.advance(ct)            // the break character lands behind 'a'
	r.out(lcr, lcr8N1)       // end of break
	r.expect(iir, "IIR with the break character second in the FIFO", iirFIFO|iirNone)
	// LSR7 reports an error anywhere in the FIFO; BI waits for the top.
	r.expect(lsr, "LSR", lsrFErr|lsrDR|lsrTHRE|lsrTEMT)
	r.expect(lsr, "LSR again (the error is still in the FIFO)", lsrFErr|lsrDR|lsrTHRE|lsrTEMT)
	r.expect(rbr, "RBR", 'a')
	r.expect(iir, "IIR with the break character on top", iirFIFO|iirRLS)
	r.expect(lsr, "LSR with the break character on top", lsrFErr|lsrBI|lsrDR|lsrTHRE|lsrTEMT)
	r.expect(iir, "IIR after LSR read", iirFIFO|iirNone)
	r.expect(lsr, "LSR after the error was reported", lsrDR|lsrTHRE|lsrTEMT)
	r.expect(rbr, "break character", 0)
}

func TestTimeoutRestartsOnEachNewCharacter(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0xC1) // trigger level 14
	r.out(mcr, mcrOUT2)
	r.out(ier, ierRDA)
	r.port.Receive([]byte("a"))
	r.port.Poll()
	r.advance(ct) // 'a' in the FIFO at 1 ct: timeout due at 5 ct
	r.advance(2 * ct)
	r.port.Receive([]byte("b"))
	r.port.Poll()
	r.advance(ct) // 'b' in at 4 ct: the timer restarts, due at 8 ct
	r.advance(4*ct - 1)
	r.expectLine(false, "four character times after 'a' but not after 'b'")
	r.advance(1)
	r.expectLine(true, "four character times after 'b'")
	r.expect(iir, "IIR", iirFIFO|iirTimeout)
}

func TestTriggerLevelOutranksAPendingTimeout(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x41) // trigger level 4
	r.out(ier, ierRDA)
	r.port.Receive([]byte("ab"))
	r.port.Poll()
	r.advance(6 * ct)
	r.expect(iir, "IIR", iirFIFO|iirTimeout)
	r.port.Receive([]byte("cd"))
	r.port.Poll()
	r.advance(2 * ct)
	r.expect(iir, "IIR at the trigger level", iirFIFO|iirRDA)
	for _, want := range []byte("abcd") {
		r.expect(rbr, "RBR", want)
	}
	r.expect(iir, "IIR with the FIFO empty", iirFIFO|iirNone)
}

func TestTransmitFIFOResetRaisesTHRE(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.out(mcr, mcrOUT2)
	r.out(ier, ierTHRE)
	r.expect(iir, "IIR (acknowledge the enable-time THRE)", iirFIFO|iirTHRE)
	for _, b := range []byte("abcd") {
		r.out(rbr, b)
	}
	r.expectLine(false, "with three characters queued")
	r.out(fcr, 0x05) // clear the transmit FIFO
	r.expectLine(true, "after the transmit FIFO was cleared")
	r.expect(iir, "IIR", iirFIFO|iirTHRE)
	r.advance(ct)
	if got := r.output(); got != "a" { // the shift register kept its character
		t.Errorf("host got %q, want %q", got, "a")
	}
}

func TestFCRBitsNeedFIFOEnable(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0xC0) // trigger 14 without FCR0: not programmed
	r.expect(iir, "IIR", iirNone)
	r.out(fcr, 0x01) // FIFOs on, trigger bits 00: level 1
	r.out(ier, ierRDA)
	r.port.Receive([]byte("z"))
	r.port.Poll()
	r.advance(ct)
	r.expect(iir, "IIR at one character", iirFIFO|iirRDA)
}

func TestWideAccessesReachOneRegisterPerByte(t *testing.T) {
	r := newRig(t)
	// A 16-bit OUT to LCR writes LCR and MCR, as two byte cycles would.
	r.bus.Out(uart.COM1+lcr, 2, uint32(mcrOUT2)<<8|lcr8N1)
	r.expect(lcr, "LCR", lcr8N1)
	r.expect(mcr, "MCR", mcrOUT2)
	r.out(scr, 0x5A)
	// A 16-bit IN of MSR reads MSR and SCR.
	if got := r.bus.In(uart.COM1+msr, 2); got != 0x5AB0 {
		t.Errorf("16-bit IN at MSR = %#04x, want 0x5ab0", got)
	}
	// Called directly with offsets past the eight registers, the handler
	// reads open bus and ignores writes.
	if got := r.port.ReadPort(7, 2); got != 0xFF5A {
		t.Errorf("ReadPort(7, 2) = %#x, want 0xff5a", got)
	}
	r.port.WritePort(8, 4, 0xFFFFFFFF)
	r.port.WritePort(0xFFFF, 1, 0xFF)
	if got := r.port.ReadPort(0xFFFF, 4); got != 0xFFFFFFFF {
		t.Errorf("ReadPort(0xffff, 4) = %#x, want all ones", got)
	}
	r.expect(ier, "IER after stray writes", 0)
}

func TestDivisorZeroIsTheSlowestRate(t *testing.T) {
	r := newRig(t)
	r.setLine(0, lcr8N1) // the datasheet forbids 0; the counter wraps to 65536
	r.out(rbr, 'q')
	slow := uint64(65536) * 10 * 1_000_000_000 / 115200
	r.advance(slow - 1)
	r.expect(lsr, "LSR just before the stop bit", lsrTHRE)
	r.advance(1)
	r.expect(lsr, "LSR after one character at divisor 65536", lsrTHRE|lsrTEMT)
}

func TestDivisorChangeAppliesToTheNextCharacter(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.out(rbr, 'a')
	r.out(rbr, 'b')
	r.setLine(2, lcr8N1) // while 'a' is on the line
	r.advance(ct)
	if got := r.output(); got != "a" {
		t.Fatalf("host got %q after one fast character", got)
	}
	const ct2 = 173611 // 10 bits at 57600 baud
	r.advance(ct2 - 1)
	if got := r.output(); got != "a" {
		t.Errorf("host got %q before the slow character ended", got)
	}
	r.advance(1)
	if got := r.output(); got != "ab" {
		t.Errorf("host got %q, want %q", got, "ab")
	}
}

func TestNewWithNilLine(t *testing.T) {
	clk := clock.New(0)
	p := uart.New(clk, nil, nil)
	p.WritePort(ier, 1, ierTHRE)
	p.WritePort(mcr, 1, mcrOUT2) // drives the nil line: must not panic
	if got := p.ReadPort(iir, 1); got != iirTHRE {
		t.Errorf("IIR = %#x, want %#x", got, iirTHRE)
	}
}
