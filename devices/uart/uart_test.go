package uart_test

import (
	"bytes"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/irq"
	"ringzero/devices/uart"
)

// Register offsets and bits as a guest driver spells them (PC16550D
// datasheet, Table II), kept separate from the package's own constants so
// the tests check the datasheet, not themselves.
const (
	rbr = 0 // also THR, DLL
	ier = 1 // also DLM
	iir = 2 // FCR on write
	lcr = 3
	mcr = 4
	lsr = 5
	msr = 6
	scr = 7

	fcr = 2

	lsrDR   = 0x01
	lsrOE   = 0x02
	lsrBI   = 0x10
	lsrTHRE = 0x20
	lsrTEMT = 0x40
	lsrFErr = 0x80

	mcrDTR  = 0x01
	mcrRTS  = 0x02
	mcrOUT1 = 0x04
	mcrOUT2 = 0x08
	mcrLoop = 0x10

	lcr8N1  = 0x03
	lcrDLAB = 0x80
	lcrSB   = 0x40

	// ct is one 8N1 character at divisor 1: 10 bits at 115200 baud.
	ct = 10 * 1_000_000_000 / 115200 // 86805 ns
)

// rig is a UART on a bus at COM1 with a manual clock, an IRQ recorder and
// a buffer as the host side.
type rig struct {
	t    *testing.T
	clk  *clock.Clock
	bus  *bus.Bus
	line *irq.Recorder
	host *bytes.Buffer
	port *uart.Port
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, clk: clock.New(0), bus: bus.New(), line: &irq.Recorder{}, host: &bytes.Buffer{}}
	r.port = uart.New(r.clk, r.line, r.host)
	if err := r.bus.MapPorts(uart.COM1, uart.Size, "com1", r.port, bus.Size8); err != nil {
		t.Fatal(err)
	}
	return r
}

// output waits for the port's output queue to drain and returns everything
// the host writer has received so far.
func (r *rig) output() string {
	r.t.Helper()
	if err := r.port.Flush(); err != nil {
		r.t.Fatalf("Flush: %v", err)
	}
	return r.host.String()
}

func (r *rig) in(reg uint16) uint8 { return uint8(r.bus.In(uart.COM1+reg, 1)) }

func (r *rig) out(reg uint16, v uint8) { r.bus.Out(uart.COM1+reg, 1, uint32(v)) }

// advance moves virtual time forward by ns.
func (r *rig) advance(ns uint64) { r.clk.AdvanceTo(r.clk.Now() + ns) }

// setLine programs the divisor and line control the way a driver does.
func (r *rig) setLine(div uint16, lineCtl uint8) {
	r.out(lcr, lcrDLAB)
	r.out(rbr, uint8(div))
	r.out(ier, uint8(div>>8))
	r.out(lcr, lineCtl)
}

func (r *rig) expect(reg uint16, name string, want uint8) {
	r.t.Helper()
	if got := r.in(reg); got != want {
		r.t.Errorf("%s = %#02x, want %#02x", name, got, want)
	}
}

func TestResetState(t *testing.T) {
	r := newRig(t)
	for _, c := range []struct {
		name string
		reg  uint16
		want uint8
	}{
		{"IER", ier, 0x00},
		{"IIR", iir, 0x01},
		{"LCR", lcr, 0x00},
		{"MCR", mcr, 0x00},
		{"LSR", lsr, lsrTHRE | lsrTEMT},
		{"MSR", msr, 0xB0}, // host terminal: DCD, DSR, CTS; no deltas
		{"SCR", scr, 0x00},
	} {
		r.expect(c.reg, c.name, c.want)
	}
	r.out(lcr, lcrDLAB)
	r.expect(rbr, "DLL", 12) // 9600 baud
	r.expect(ier, "DLM", 0)
}

func TestDivisorLatchReadsBackAndHidesIER(t *testing.T) {
	r := newRig(t)
	r.out(lcr, lcrDLAB|lcr8N1)
	r.out(rbr, 0x34)
	r.out(ier, 0x12)
	r.expect(rbr, "DLL", 0x34)
	r.expect(ier, "DLM", 0x12)
	r.expect(lcr, "LCR", lcrDLAB|lcr8N1)

	r.out(lcr, lcr8N1)
	r.expect(ier, "IER with DLAB clear", 0x00) // the divisor did not leak into IER
	r.out(ier, 0xFF)
	r.expect(ier, "IER", 0x0F) // bits 4-7 are always 0

	r.out(lcr, lcrDLAB)
	r.expect(rbr, "DLL after IER write", 0x34)
	r.expect(ier, "DLM after IER write", 0x12)
}

func TestLCRAndScratchReadBack(t *testing.T) {
	for _, v := range []uint8{0x00, 0x03, 0x1B, 0x5A, 0x7F, 0xA5} {
		r := newRig(t)
		r.out(lcr, v)
		r.out(scr, ^v)
		r.expect(lcr, "LCR", v)
		r.expect(scr, "SCR", ^v)
	}
}

func TestMCRKeepsOnlyFiveBits(t *testing.T) {
	r := newRig(t)
	r.out(mcr, 0xEF)
	r.expect(mcr, "MCR", 0x0F)
}

func TestLoopbackEchoWalksLSR(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(mcr, mcrLoop)

	r.out(rbr, 'A')
	// 'A' moved straight into the shift register: THR empty, line busy.
	r.expect(lsr, "LSR while shifting", lsrTHRE)
	r.advance(ct - 1)
	r.expect(lsr, "LSR one ns before the stop bit ends", lsrTHRE)
	r.advance(1)
	r.expect(lsr, "LSR after one character time", lsrDR|lsrTHRE|lsrTEMT)
	r.expect(rbr, "RBR", 'A')
	r.expect(lsr, "LSR after reading RBR", lsrTHRE|lsrTEMT)
	if got := r.output(); got != "" {
		t.Errorf("loopback sent %q to the host", got)
	}
}

func TestLoopbackBreakReportsBI(t *testing.T) {
	for _, c := range []struct {
		name     string
		fcr      uint8
		firstLSR uint8
	}{
		{"16450 mode", 0x00, lsrDR | lsrBI | lsrTHRE | lsrTEMT},
		{"FIFO mode sets LSR7", 0x01, lsrDR | lsrBI | lsrTHRE | lsrTEMT | lsrFErr},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			r.setLine(1, lcr8N1)
			r.out(fcr, c.fcr)
			r.out(mcr, mcrLoop)
			r.out(lcr, lcr8N1|lcrSB)
			r.advance(ct - 1)
			r.expect(lsr, "LSR before a character time of spacing", lsrTHRE|lsrTEMT)
			r.advance(1)
			r.expect(lsr, "LSR at break", c.firstLSR)
			r.expect(lsr, "LSR read again", lsrDR|lsrTHRE|lsrTEMT)
			r.expect(rbr, "break character", 0x00)
			r.advance(10 * ct)
			r.expect(lsr, "LSR while break held", lsrTHRE|lsrTEMT) // one BI character per break
		})
	}
}

func TestOverrunWhenReceiverFull(t *testing.T) {
	t.Run("FIFO mode loses the new character", func(t *testing.T) {
		r := newRig(t)
		r.setLine(1, lcr8N1)
		r.out(fcr, 0x01)
		r.out(mcr, mcrLoop)
		// 17 characters fit in the transmitter: one shifting, 16 queued.
		for i := range 17 {
			r.out(rbr, uint8('a'+i))
		}
		r.expect(lsr, "LSR with full transmitter", 0)
		r.advance(16 * ct)
		r.expect(lsr, "LSR with 16 received", lsrDR|lsrTHRE)
		r.advance(ct)
		r.expect(lsr, "LSR after the 17th", lsrDR|lsrOE|lsrTHRE|lsrTEMT)
		r.expect(lsr, "LSR read again", lsrDR|lsrTHRE|lsrTEMT)
		for i := range 16 {
			r.expect(rbr, "RBR", uint8('a'+i))
		}
		r.expect(lsr, "LSR drained", lsrTHRE|lsrTEMT)
	})
	t.Run("16450 mode overwrites the unread character", func(t *testing.T) {
		r := newRig(t)
		r.setLine(1, lcr8N1)
		r.out(mcr, mcrLoop)
		r.out(rbr, 'x')
		r.out(rbr, 'y')
		r.expect(lsr, "LSR with THR full", 0)
		r.advance(2 * ct)
		r.expect(lsr, "LSR", lsrDR|lsrOE|lsrTHRE|lsrTEMT)
		r.expect(rbr, "RBR", 'y')
		r.expect(lsr, "LSR drained", lsrTHRE|lsrTEMT)
	})
}

func TestCharacterTimeFollowsDivisorAndLCR(t *testing.T) {
	for _, c := range []struct {
		name string
		div  uint16
		lcr  uint8
		ns   uint64
	}{
		{"8N1 at 115200", 1, 0x03, 86805},   // 10 bits
		{"8N1 at 9600", 12, 0x03, 1041666},  // 10 bits × 12
		{"7E2 at 115200", 1, 0x1E, 95486},   // 1+7+1+2 = 11 bits
		{"5N1.5 at 115200", 1, 0x04, 65104}, // 1+5+1.5 = 7.5 bits
		{"6N1 at 38400", 3, 0x01, 208333},   // 8 bits × 3
		{"8O1 at 57600", 2, 0x0B, 190972},   // 11 bits × 2
		{"8N1 at 50 baud", 2304, 0x03, 2e8}, // 10 bits at 50 baud
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			r.setLine(c.div, c.lcr)
			r.out(rbr, 0x55)
			r.advance(c.ns - 1)
			r.expect(lsr, "LSR just before the stop bit ends", lsrTHRE)
			r.advance(1)
			r.expect(lsr, "LSR at the end of the character", lsrTHRE|lsrTEMT)
		})
	}
}

func TestHostWriterGetsTransmittedBytes(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	msg := "Hello, ringzero!\r\n"
	start := r.clk.Now()
	// A BIOS-style polled writer: wait for THRE, write, repeat.
	for i := 0; i < len(msg); {
		if r.in(lsr)&lsrTHRE != 0 {
			r.out(rbr, msg[i])
			i++
			continue
		}
		r.advance(1000)
	}
	for r.in(lsr)&lsrTEMT == 0 {
		r.advance(1000)
	}
	if got := r.output(); got != msg {
		t.Errorf("host got %q, want %q", got, msg)
	}
	if took, min := r.clk.Now()-start, uint64(len(msg))*ct; took < min {
		t.Errorf("sending %d characters took %d ns, less than %d ns of line time", len(msg), took, min)
	}
}

func TestHostWriterSeesEachByteAtItsStopBit(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	for _, b := range []byte("abc") {
		r.out(rbr, b)
	}
	for i, want := range []string{"", "a", "ab", "abc"} {
		if got := r.output(); got != want {
			t.Errorf("after %d character times host has %q, want %q", i, got, want)
		}
		r.advance(ct)
	}
}

func TestShortWordsAreMaskedOnTheLine(t *testing.T) {
	r := newRig(t)
	r.setLine(1, 0x02) // 7N1
	r.out(rbr, 0xC1)
	r.advance(ct)
	if got := r.output(); got != "A" { // 0xC1 cut to 7 bits
		t.Errorf("host got %q, want %q", got, "A")
	}
}

func TestNilWriterDropsOutput(t *testing.T) {
	clk := clock.New(0)
	p := uart.New(clk, nil, nil)
	b := bus.New()
	if err := b.MapPorts(uart.COM2, uart.Size, "com2", p, bus.Size8); err != nil {
		t.Fatal(err)
	}
	b.Out(uart.COM2, 1, 'x')
	clk.AdvanceTo(clk.Now() + 2_000_000)
	if got := b.In(uart.COM2+lsr, 1); got != lsrTHRE|lsrTEMT {
		t.Errorf("LSR = %#x, want %#x", got, lsrTHRE|lsrTEMT)
	}
	if p.Err() != nil {
		t.Errorf("Err = %v", p.Err())
	}
}

func TestFIFOResetBits(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.expect(iir, "IIR with FIFOs on", 0xC1)
	r.out(mcr, mcrLoop)
	for _, b := range []byte("12345") {
		r.out(rbr, b)
	}
	r.advance(2 * ct) // '1' and '2' received, '3' shifting, '4' '5' queued
	r.expect(lsr, "LSR", lsrDR)
	r.out(fcr, 0x03) // clear the receive FIFO
	r.expect(lsr, "LSR after RX reset", 0)
	r.out(fcr, 0x05) // clear the transmit FIFO; the shift register keeps '3'
	r.expect(lsr, "LSR after TX reset", lsrTHRE)
	r.advance(ct)
	r.expect(lsr, "LSR after '3' arrives", lsrDR|lsrTHRE|lsrTEMT)
	r.expect(rbr, "RBR", '3')
	r.advance(4 * ct)
	r.expect(lsr, "LSR with nothing more to come", lsrTHRE|lsrTEMT)

	r.out(fcr, 0x00)
	r.expect(iir, "IIR with FIFOs off", 0x01)
}

func TestDisablingFIFOsClearsThem(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0x01)
	r.out(mcr, mcrLoop)
	r.out(rbr, 'a')
	r.out(rbr, 'b')
	r.advance(2 * ct)
	r.expect(lsr, "LSR", lsrDR|lsrTHRE|lsrTEMT)
	r.out(fcr, 0x00)
	r.expect(lsr, "LSR after FCR0 cleared", lsrTHRE|lsrTEMT)
}

func TestResetRestoresPowerOnState(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(fcr, 0xC1)
	r.out(ier, 0x0F)
	r.out(mcr, mcrLoop|mcrOUT2)
	r.out(scr, 0x99)
	r.out(rbr, 'z')
	r.port.Reset()
	r.advance(10 * ct)
	r.expect(iir, "IIR", 0x01)
	r.expect(lsr, "LSR", lsrTHRE|lsrTEMT)
	r.expect(mcr, "MCR", 0)
	r.expect(scr, "SCR", 0)
	r.out(lcr, lcrDLAB)
	r.expect(rbr, "DLL", 12)
	if got := r.output(); got != "" {
		t.Errorf("abandoned character reached the host: %q", got)
	}
}
