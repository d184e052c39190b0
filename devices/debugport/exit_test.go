package debugport_test

import (
	"strings"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/debugport"
)

// exitRig is an Exit device mapped where cfg says, recording every
// callback.
type exitRig struct {
	bus   *bus.Bus
	dev   *debugport.Exit
	calls []int
}

func newExitRig(t *testing.T, cfg debugport.Config) *exitRig {
	t.Helper()
	r := &exitRig{}
	r.dev = debugport.NewExit(func(status int) { r.calls = append(r.calls, status) })
	r.bus = mapOn(t, cfg.IOBase, cfg.IOSize, r.dev, bus.SizeAll)
	return r
}

func TestExitStatusIsValueShiftedLeftWithLowBitSet(t *testing.T) {
	for _, c := range []struct {
		name string
		port uint16
		size int
		v    uint32
		want int
	}{
		{"byte 1", 0xF4, 1, 1, 3},
		{"byte 0x10 (test harness success)", 0xF4, 1, 0x10, 0x21},
		{"byte 0x11 (test harness failure)", 0xF4, 1, 0x11, 0x23},
		{"byte 0", 0xF4, 1, 0, 1},
		{"byte 0xFF", 0xF4, 1, 0xFF, 0x1FF},
		{"word 0x10", 0xF4, 2, 0x10, 0x21},
		{"word 0x1234", 0xF4, 2, 0x1234, 0x2469},
		{"dword 0x10", 0xF4, 4, 0x10, 0x21},
		{"dword all ones needs 33 bits", 0xF4, 4, 0xFFFFFFFF, 0x1FFFFFFFF},
		{"byte at the last port of the range", 0xF7, 1, 2, 5},
		{"word inside the range", 0xF6, 2, 0x8000, 0x10001},
		{"byte value cut to the access size", 0xF5, 1, 0xABCD07, 0x0F},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newExitRig(t, debugport.DefaultConfig())
			r.bus.Out(c.port, c.size, c.v)
			if len(r.calls) != 1 || r.calls[0] != c.want {
				t.Fatalf("callback got %#x, want one call with %#x", r.calls, c.want)
			}
			if st, ok := r.dev.Status(); !ok || st != c.want {
				t.Errorf("Status = %#x, %v; want %#x, true", st, ok, c.want)
			}
		})
	}
}

func TestExitFirstWriteWinsUntilReset(t *testing.T) {
	r := newExitRig(t, debugport.DefaultConfig())
	if _, ok := r.dev.Status(); ok {
		t.Fatal("Status reports an exit before any write")
	}
	if got := r.bus.In(0xF4, 4); got != 0 {
		t.Errorf("IN 0xF4 = %#x, want 0", got)
	}
	// A dword OUT at 0xF6 runs past the range: the bus splits it into
	// bytes, and only the first one (0x01 at 0xF6) counts.
	r.bus.Out(0xF6, 4, 0x04030201)
	r.bus.Out(0xF4, 1, 0x10)
	if len(r.calls) != 1 || r.calls[0] != 3 {
		t.Fatalf("callback got %#x, want exactly one call with 0x3", r.calls)
	}
	r.dev.Reset()
	if _, ok := r.dev.Status(); ok {
		t.Error("Status still reports an exit after Reset")
	}
	r.bus.Out(0xF4, 1, 0x10)
	if len(r.calls) != 2 || r.calls[1] != 0x21 {
		t.Errorf("callback got %#x after Reset, want a second call with 0x21", r.calls)
	}
}

func TestExitWithoutCallback(t *testing.T) {
	e := debugport.NewExit(nil)
	e.WritePort(0, 1, 7)
	if st, ok := e.Status(); !ok || st != 15 {
		t.Errorf("Status = %d, %v; want 15, true", st, ok)
	}
}

func TestExitMappedFromParsedSpec(t *testing.T) {
	cfg, err := debugport.ParseDevice("isa-debug-exit,iobase=0x501,iosize=2")
	if err != nil {
		t.Fatal(err)
	}
	r := newExitRig(t, cfg)
	r.bus.Out(0x4F4, 1, 1) // nothing there
	r.bus.Out(0x503, 1, 1) // just past the range
	if len(r.calls) != 0 {
		t.Fatalf("writes outside the range exited: %#x", r.calls)
	}
	r.bus.Out(0x502, 1, 0x20)
	if len(r.calls) != 1 || r.calls[0] != 0x41 {
		t.Errorf("callback got %#x, want one call with 0x41", r.calls)
	}
}

func TestParseDeviceAcceptsQEMUSyntax(t *testing.T) {
	for _, c := range []struct {
		spec string
		want debugport.Config
	}{
		{"isa-debug-exit", debugport.Config{IOBase: 0xF4, IOSize: 4}},
		{"isa-debug-exit,iobase=0xf4,iosize=0x04", debugport.Config{IOBase: 0xF4, IOSize: 4}},
		{"isa-debug-exit,iosize=0x04,iobase=0xf4", debugport.Config{IOBase: 0xF4, IOSize: 4}},
		{"isa-debug-exit,iobase=0x501,iosize=0x02", debugport.Config{IOBase: 0x501, IOSize: 2}},
		{"isa-debug-exit,iobase=1281", debugport.Config{IOBase: 0x501, IOSize: 4}},
		{"isa-debug-exit,iosize=1", debugport.Config{IOBase: 0xF4, IOSize: 1}},
		{"isa-debug-exit,iobase=0XF4,iosize=0X1", debugport.Config{IOBase: 0xF4, IOSize: 1}},
		{"isa-debug-exit,iobase=0", debugport.Config{IOBase: 0, IOSize: 4}},
		{"isa-debug-exit,iobase=0xfffc", debugport.Config{IOBase: 0xFFFC, IOSize: 4}},
		{"isa-debug-exit,iobase=0,iosize=0x10000", debugport.Config{IOBase: 0, IOSize: 0x10000}},
		{"driver=isa-debug-exit,iobase=0xf4", debugport.Config{IOBase: 0xF4, IOSize: 4}},
	} {
		got, err := debugport.ParseDevice(c.spec)
		if err != nil {
			t.Errorf("ParseDevice(%q): %v", c.spec, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseDevice(%q) = %+v, want %+v", c.spec, got, c.want)
		}
		// The String form parses back to the same configuration.
		if again, err := debugport.ParseDevice(got.String()); err != nil || again != got {
			t.Errorf("ParseDevice(%q) = %+v, %v; want %+v", got.String(), again, err, got)
		}
	}
}

func TestParseDeviceRejectsBadSpecs(t *testing.T) {
	for _, c := range []struct {
		spec string
		says string // a fragment the message must contain
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"isa-serial,iobase=0x3f8", "not an isa-debug-exit"},
		{"isa-debug-exitx", "not an isa-debug-exit"},
		{"ISA-DEBUG-EXIT", "not an isa-debug-exit"},
		{"driver=e1000", "not an isa-debug-exit"},
		{",iobase=0xf4", "not an isa-debug-exit"},
		{"isa-debug-exit,", "stray comma"},
		{"isa-debug-exit,,iobase=0xf4", "stray comma"},
		{"isa-debug-exit,irq=5", `unknown property "irq"`},
		{"isa-debug-exit,id=foo", `unknown property "id"`},
		{"isa-debug-exit,IOBASE=0xf4", `unknown property "IOBASE"`},
		{"isa-debug-exit,iobase", "needs a value"},
		{"isa-debug-exit,iobase=", "needs a value"},
		{"isa-debug-exit,iobase=0xf4,iobase=0xf4", "given twice"},
		{"isa-debug-exit,iobase=0x", "no digits"},
		{"isa-debug-exit,iobase=0xfg", "not a hexadecimal number"},
		{"isa-debug-exit,iobase=f4", "not a number"},
		{"isa-debug-exit,iobase=-1", "not a number"},
		{"isa-debug-exit,iobase=+4", "not a number"},
		{"isa-debug-exit,iobase= 0xf4", "not a number"},
		{"isa-debug-exit,iobase=1_000", "not a number"},
		{"isa-debug-exit,iobase=0364", "leading zero"},
		{"isa-debug-exit,iobase=0x10000", "port out of range"},
		{"isa-debug-exit,iobase=99999999999999999999999", "too large"},
		{"isa-debug-exit,iosize=0", "size out of range"},
		{"isa-debug-exit,iosize=0x10001", "size out of range"},
		{"isa-debug-exit,iobase=0xfffd", "run past the end"},
		{"isa-debug-exit,iobase=0xffff,iosize=2", "run past the end"},
	} {
		cfg, err := debugport.ParseDevice(c.spec)
		if err == nil {
			t.Errorf("ParseDevice(%q) = %+v, want an error", c.spec, cfg)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.says) {
			t.Errorf("ParseDevice(%q) error %q does not say %q", c.spec, msg, c.says)
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("ParseDevice(%q) error spans lines: %q", c.spec, msg)
		}
		if cfg != (debugport.Config{}) {
			t.Errorf("ParseDevice(%q) returned %+v with its error", c.spec, cfg)
		}
	}
}
