package uart_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/irq"
	"ringzero/devices/uart"
)

// gateWriter blocks every Write until the test opens the gate, like a
// pipe nobody reads or a terminal under XOFF.
type gateWriter struct {
	gate    chan struct{} // closed to let writes through
	entered chan struct{} // closed when the first Write starts
	once    sync.Once
	mu      sync.Mutex
	buf     bytes.Buffer
}

func newGateWriter() *gateWriter {
	return &gateWriter{gate: make(chan struct{}), entered: make(chan struct{})}
}

func (w *gateWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.entered) })
	<-w.gate
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *gateWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// newPort maps a UART with output w at COM1 on a fresh bus.
func newPort(t *testing.T, w interface{ Write([]byte) (int, error) }) (*clock.Clock, *bus.Bus, *uart.Port) {
	t.Helper()
	clk := clock.New(0)
	p := uart.New(clk, &irq.Recorder{}, w)
	b := bus.New()
	if err := b.MapPorts(uart.COM1, uart.Size, "com1", p, bus.Size8); err != nil {
		t.Fatal(err)
	}
	b.Out(uart.COM1+lcr, 1, lcrDLAB)
	b.Out(uart.COM1+rbr, 1, 1) // 115200 baud
	b.Out(uart.COM1+ier, 1, 0)
	b.Out(uart.COM1+lcr, 1, lcr8N1)
	b.Out(uart.COM1+fcr, 1, 0x01)
	return clk, b, p
}

// sendPolled writes msg the way a FIFO-aware polled driver does: wait for
// THRE, then fill the 16-byte FIFO. It returns the virtual time taken.
func sendPolled(clk *clock.Clock, b *bus.Bus, msg string) uint64 {
	start := clk.Now()
	for i := 0; i < len(msg); {
		if b.In(uart.COM1+lsr, 1)&lsrTHRE == 0 {
			clk.AdvanceTo(clk.Now() + ct)
			continue
		}
		for n := 0; n < 16 && i < len(msg); n++ {
			b.Out(uart.COM1+rbr, 1, uint32(msg[i]))
			i++
		}
	}
	for b.In(uart.COM1+lsr, 1)&lsrTEMT == 0 {
		clk.AdvanceTo(clk.Now() + ct)
	}
	return clk.Now() - start
}

// sendPastStuckWriter runs sendPolled while w's gate is closed and fails
// the test if the guest's loop ends up waiting for the writer. The time
// limit only turns a hang into a failure; it measures no speed.
func sendPastStuckWriter(t *testing.T, w *gateWriter, clk *clock.Clock, b *bus.Bus, msg string) uint64 {
	t.Helper()
	done := make(chan uint64)
	go func() { done <- sendPolled(clk, b, msg) }()
	select {
	case took := <-done:
		return took
	case <-time.After(30 * time.Second):
		close(w.gate)
		<-done
		t.Fatal("the guest's transmit loop waited for the host writer")
		return 0
	}
}

func TestStuckWriterDoesNotStallTheGuest(t *testing.T) {
	w := newGateWriter()
	clk, b, p := newPort(t, w)
	msg := strings.Repeat("0123456789abcdef", 20) // 320 characters
	took := sendPastStuckWriter(t, w, clk, b, msg)
	// The guest saw line timing, not host timing: 320 characters at one
	// character time each (plus at most one polling step).
	if min, max := uint64(len(msg))*ct, uint64(len(msg)+1)*ct; took < min || took > max {
		t.Errorf("sending took %d ns of virtual time, want %d..%d", took, min, max)
	}
	<-w.entered // the port did hand the first bytes to the writer
	if got := w.String(); got != "" {
		t.Errorf("writer got %q through a closed gate", got)
	}
	close(w.gate)
	if err := p.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got := w.String(); got != msg {
		t.Errorf("writer got %q, want %q", got, msg)
	}
	if p.Dropped() != 0 {
		t.Errorf("Dropped = %d, want 0", p.Dropped())
	}
}

func TestOutputQueueOverflowDropsTheNewestBytes(t *testing.T) {
	w := newGateWriter()
	clk, b, p := newPort(t, w)
	total := uart.OutputQueue + 100
	msg := make([]byte, total)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	// The first byte goes alone, so the writer's goroutine is stuck
	// holding exactly one byte; the queue then takes OutputQueue more.
	sendPastStuckWriter(t, w, clk, b, string(msg[:1]))
	<-w.entered
	sendPastStuckWriter(t, w, clk, b, string(msg[1:]))
	if got, want := p.Dropped(), uint64(total-1-uart.OutputQueue); got != want {
		t.Fatalf("Dropped = %d, want %d", got, want)
	}
	close(w.gate)
	if err := p.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got, want := w.String(), string(msg[:1+uart.OutputQueue]); got != want {
		t.Errorf("writer got %d bytes, want the first %d in order", len(got), len(want))
	}
}

// failWriter accepts n writes and then fails.
type failWriter struct {
	n   int
	buf bytes.Buffer
}

var errHostGone = errors.New("host went away")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errHostGone
	}
	w.n--
	return w.buf.Write(p)
}

func TestWriterErrorStopsOutputButNotTheLine(t *testing.T) {
	w := &failWriter{n: 1}
	clk, b, p := newPort(t, w)
	b.Out(uart.COM1+rbr, 1, 'a')
	clk.AdvanceTo(clk.Now() + ct)
	if err := p.Flush(); err != nil {
		t.Fatalf("Flush after the first byte: %v", err)
	}
	if took := sendPolled(clk, b, "bcd"); took < 3*ct {
		t.Errorf("sending after the error took %d ns, less than the line time", took)
	}
	if err := p.Flush(); !errors.Is(err, errHostGone) {
		t.Errorf("Flush = %v, want %v", err, errHostGone)
	}
	if !errors.Is(p.Err(), errHostGone) {
		t.Errorf("Err = %v, want %v", p.Err(), errHostGone)
	}
	if got := w.buf.String(); got != "a" {
		t.Errorf("writer got %q, want %q", got, "a")
	}

	var fresh bytes.Buffer
	p.SetOutput(&fresh)
	if p.Err() != nil {
		t.Errorf("Err after SetOutput = %v", p.Err())
	}
	sendPolled(clk, b, "ok")
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if fresh.String() != "ok" {
		t.Errorf("new writer got %q, want %q", fresh.String(), "ok")
	}
}

func TestSetOutputWhileOldWriterIsStuck(t *testing.T) {
	old := newGateWriter()
	clk, b, p := newPort(t, old)
	sendPastStuckWriter(t, old, clk, b, "lost")
	<-old.entered
	var fresh bytes.Buffer
	p.SetOutput(&fresh)
	sendPolled(clk, b, "found")
	if err := p.Flush(); err != nil { // must not wait for the stuck writer
		t.Fatal(err)
	}
	// Whatever the stuck writer had not yet taken moved to the new one;
	// "found" is always there in full, at the end.
	if got := fresh.String(); !strings.HasSuffix(got, "found") || !strings.HasSuffix("lostfound", got) {
		t.Errorf("new writer got %q, want a suffix of %q ending in %q", got, "lostfound", "found")
	}
	close(old.gate)
}

func TestNilOutputDiscardsWithoutCounting(t *testing.T) {
	clk, b, p := newPort(t, nil)
	sendPolled(clk, b, "into the void")
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if p.Dropped() != 0 || p.Err() != nil {
		t.Errorf("Dropped = %d, Err = %v; want 0, nil", p.Dropped(), p.Err())
	}
}

func TestHostInputNeverOverruns(t *testing.T) {
	for _, c := range []struct {
		name string
		fcr  uint8
	}{
		{"FIFO mode", 0x01},
		{"16450 mode", 0x00},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			r.setLine(1, lcr8N1)
			r.out(fcr, c.fcr)
			msg := strings.Repeat("The quick brown fox. ", 3)
			r.port.Receive([]byte(msg))
			r.port.Poll()
			// A slow reader: one character every ten character times.
			var got []byte
			for len(got) < len(msg) {
				r.advance(10 * ct)
				s := r.in(lsr)
				if s&lsrOE != 0 {
					t.Fatalf("overrun after %d characters", len(got))
				}
				if s&lsrDR != 0 {
					got = append(got, r.in(rbr))
				}
			}
			if string(got) != msg {
				t.Errorf("guest read %q, want %q", got, msg)
			}
			r.advance(100 * ct)
			r.expect(lsr, "LSR when all input is read", lsrTHRE|lsrTEMT)
		})
	}
}

func TestHostInputArrivesAtLineRate(t *testing.T) {
	r := newRig(t)
	r.setLine(12, lcr8N1) // 9600 baud
	r.out(fcr, 0x01)
	r.port.Receive([]byte("xy"))
	r.port.Poll()
	const ct9600 = 1041666 // 10 bits at 9600 baud
	r.advance(ct9600 - 1)
	r.expect(lsr, "LSR before the first stop bit", lsrTHRE|lsrTEMT)
	r.advance(1)
	r.expect(lsr, "LSR after one 9600-baud character", lsrDR|lsrTHRE|lsrTEMT)
	r.advance(ct9600)
	r.expect(rbr, "RBR", 'x')
	r.expect(rbr, "RBR", 'y')
}

func TestHostInputWaitsWhileInLoopback(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(mcr, mcrLoop)
	r.port.Receive([]byte("h"))
	r.port.Poll()
	r.advance(5 * ct)
	r.expect(lsr, "LSR in loopback", lsrTHRE|lsrTEMT) // SIN is disconnected
	r.out(mcr, 0)
	r.advance(ct)
	r.expect(lsr, "LSR after leaving loopback", lsrDR|lsrTHRE|lsrTEMT)
	r.expect(rbr, "RBR", 'h')
}

func TestReceiveFromAnotherGoroutineWakesTheBoard(t *testing.T) {
	r := newRig(t)
	r.setLine(1, lcr8N1)
	r.out(mcr, mcrOUT2)
	r.out(ier, ierRDA)
	woken := make(chan struct{}, 1)
	r.port.SetNotify(func() { woken <- struct{}{} })
	go r.port.Receive([]byte("!"))
	<-woken // the board's run loop would wake from HLT here
	r.port.Poll()
	r.advance(ct)
	r.expectLine(true, "after the character arrived")
	r.expect(iir, "IIR", iirRDA)
	r.expect(rbr, "RBR", '!')
}

func TestHostModemLines(t *testing.T) {
	r := newRig(t)
	r.out(ier, ierMS)
	r.out(mcr, mcrOUT2)
	r.expect(msr, "MSR at reset", 0xB0)

	steps := []struct {
		lines   uart.ModemLines
		wantMSR uint8
		irq     bool
	}{
		{uart.ModemLines{CTS: true, DSR: true, DCD: true, RI: true}, 0xF0, false}, // ring starts: no delta
		{uart.ModemLines{CTS: true, DSR: true, DCD: true}, 0xB4, true},            // ring stops: TERI
		{uart.ModemLines{CTS: true, DSR: true}, 0x38, true},                       // carrier lost: DDCD
		{uart.ModemLines{DSR: true}, 0x21, true},                                  // CTS dropped: DCTS
		{uart.ModemLines{}, 0x02, true},                                           // DSR dropped: DDSR
		{uart.ModemLines{}, 0x00, false},                                          // no change
	}
	for i, s := range steps {
		r.port.SetModemLines(s.lines)
		r.expectLine(s.irq, "after SetModemLines")
		if got := r.in(msr); got != s.wantMSR {
			t.Errorf("step %d: MSR = %#02x, want %#02x", i, got, s.wantMSR)
		}
		r.expectLine(false, "after MSR read")
	}

	// In loopback the lines are disconnected; they show again afterwards.
	r.out(mcr, mcrLoop|mcrRTS)
	r.in(msr)
	r.port.SetModemLines(uart.ModemLines{DCD: true})
	r.expect(msr, "MSR in loopback ignores the host lines", 0x10)
	r.out(mcr, mcrOUT2)
	r.expect(msr, "MSR after loopback", 0x81|0x08) // DCD up (DDCD), CTS down (DCTS)

	// The host's lines survive a chip reset.
	r.port.Reset()
	r.expect(msr, "MSR after Reset", 0x80)
}

// TestDrainSendsWhatIsLeft: characters still in the shift register and
// the transmit FIFO when the run ends reach the host, in order, once.
func TestDrainSendsWhatIsLeft(t *testing.T) {
	w := newGateWriter()
	close(w.gate)
	clk, b, p := newPort(t, w)
	for _, c := range []byte("pass\n") {
		b.Out(uart.COM1+rbr, 1, uint32(c))
	}
	clk.AdvanceTo(clk.Now() + ct) // 'p' is out, "ass\n" still waits
	p.Drain()
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := w.String(); got != "pass\n" {
		t.Errorf("host got %q, want %q", got, "pass\n")
	}
	if lsr := b.In(uart.COM1+lsr, 1); lsr&lsrTEMT == 0 {
		t.Errorf("LSR %#x after Drain: transmitter not empty", lsr)
	}
	clk.AdvanceTo(clk.Now() + 10*ct)
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := w.String(); got != "pass\n" {
		t.Errorf("after Drain the line sent more: host got %q", got)
	}
}
