package debugport_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/debugport"
)

// mapOn maps h at base on a fresh bus, failing the test on error.
func mapOn(t *testing.T, base uint16, n uint32, h bus.PortHandler, s bus.Sizes) *bus.Bus {
	t.Helper()
	b := bus.New()
	if err := b.MapPorts(base, n, "dut", h, s); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConsoleAppendsBytesAndReadsBackE9(t *testing.T) {
	var out bytes.Buffer
	b := mapOn(t, debugport.ConsolePort, debugport.ConsoleSize, debugport.NewConsole(&out), bus.Size8)
	for _, c := range []byte("ok\n") {
		b.Out(0xE9, 1, uint32(c))
	}
	b.Out(0xE9, 2, 0x4241) // a word OUT: only the low byte reaches 0xE9
	b.Out(0xE9, 1, 0x1FF)  // a sloppy caller: still one byte
	if got, want := out.String(), "ok\nA\xff"; got != want {
		t.Errorf("console got %q, want %q", got, want)
	}
	if got := b.In(0xE9, 1); got != 0xE9 {
		t.Errorf("IN 0xE9 = %#x, want 0xe9", got)
	}
	if got := b.In(0xE9, 2); got != 0xFFE9 { // 0xEA is nobody's
		t.Errorf("16-bit IN 0xE9 = %#x, want 0xffe9", got)
	}
}

type brokenWriter struct{ calls int }

func (w *brokenWriter) Write(p []byte) (int, error) {
	w.calls++
	return 0, errors.New("broken pipe")
}

func TestConsoleStopsAfterAWriterError(t *testing.T) {
	w := &brokenWriter{}
	c := debugport.NewConsole(w)
	b := mapOn(t, debugport.ConsolePort, debugport.ConsoleSize, c, bus.Size8)
	b.Out(0xE9, 1, 'x')
	b.Out(0xE9, 1, 'y')
	if w.calls != 1 || c.Err() == nil {
		t.Errorf("writer called %d times, Err = %v; want 1 call and an error", w.calls, c.Err())
	}
	var out bytes.Buffer
	c.SetOutput(&out)
	b.Out(0xE9, 1, 'z')
	if out.String() != "z" || c.Err() != nil {
		t.Errorf("after SetOutput: got %q, Err = %v", out.String(), c.Err())
	}
	c.SetOutput(nil)
	b.Out(0xE9, 1, 'q') // discarded, no panic
}

func TestConsoleHandlerOutsideItsPort(t *testing.T) {
	var out bytes.Buffer
	c := debugport.NewConsole(&out)
	c.WritePort(1, 1, 'n') // not the console port
	if got := c.ReadPort(0, 4); got != 0xFFFFFFE9 {
		t.Errorf("ReadPort(0, 4) = %#x, want 0xffffffe9", got)
	}
	if out.Len() != 0 {
		t.Errorf("a write beside the port printed %q", out.String())
	}
}

func TestPOSTLatchesCodesAndKeepsABoundedHistory(t *testing.T) {
	var seen []uint8
	p := debugport.NewPOST(func(c uint8) { seen = append(seen, c) })
	b := mapOn(t, debugport.POSTPort, debugport.POSTSize, p, bus.Size8)

	if _, ok := p.Last(); ok {
		t.Error("Last reports a code before any write")
	}
	if got := b.In(0x80, 1); got != 0 {
		t.Errorf("IN 0x80 before any code = %#x, want 0", got)
	}
	b.Out(0x80, 1, 0x11)
	b.Out(0x80, 2, 0x2255) // word OUT: 0x55 to 0x80, 0x22 to unmapped 0x81
	if code, ok := p.Last(); !ok || code != 0x55 {
		t.Errorf("Last = %#x, %v; want 0x55, true", code, ok)
	}
	if got := b.In(0x80, 1); got != 0x55 {
		t.Errorf("IN 0x80 = %#x, want the latched 0x55", got)
	}
	if want := []uint8{0x11, 0x55}; !slices.Equal(p.History(), want) || !slices.Equal(seen, want) {
		t.Errorf("History %x, callback saw %x; want %x", p.History(), seen, want)
	}

	for i := range 200 {
		b.Out(0x80, 1, uint32(i))
	}
	h := p.History()
	if len(h) != debugport.POSTHistory {
		t.Fatalf("history holds %d codes, want %d", len(h), debugport.POSTHistory)
	}
	for i, c := range h {
		if want := uint8(200 - debugport.POSTHistory + i); c != want {
			t.Fatalf("History[%d] = %d, want %d (oldest first)", i, c, want)
		}
	}
	if p.Count() != 202 || len(seen) != 202 {
		t.Errorf("Count = %d, callback calls = %d; want 202", p.Count(), len(seen))
	}
	h[0] = 0xEE // the caller's copy
	if p.History()[0] == 0xEE {
		t.Error("History returned the latch's own storage")
	}
	p.Reset() // a POST display keeps its code across reset
	if code, _ := p.Last(); code != 199 {
		t.Errorf("Last after Reset = %d, want 199", code)
	}
}

func TestPOSTWithoutCallback(t *testing.T) {
	p := debugport.NewPOST(nil)
	p.WritePort(0, 1, 0xAA)
	p.WritePort(3, 1, 0xBB) // beside the port: ignored
	if code, ok := p.Last(); !ok || code != 0xAA {
		t.Errorf("Last = %#x, %v; want 0xaa, true", code, ok)
	}
}
