package kvm_test

import (
	"context"
	"embed"
	"errors"
	"os"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/cpu/kvm"
	"ringzero/devices/bus"
)

// The test guests: NASM sources in testdata, built by testdata/build.sh
// into the committed .bin images.
//
//go:generate sh testdata/build.sh
//go:embed testdata/*.bin
var guests embed.FS

// Ports the guests use (testdata/macros.inc).
const (
	portDebug   = 0xE9 // byte console
	port16      = 0x80
	port32      = 0x84
	portCounter = 0x88 // reads count 1, 2, 3...
	loadAddr    = 0x1000
)

// access is one port or MMIO write a device saw.
type access struct {
	addr uint32
	size int
	v    uint32
}

// devices records what a guest does on its ports.
type devices struct {
	console []byte
	writes  []access // to port16 and port32
	counter uint32
	// onConsole, if set, is called after each console byte.
	onConsole func(b byte)
}

type consolePort struct{ d *devices }

func (p consolePort) ReadPort(off uint16, size int) uint32 { return 0xFF }
func (p consolePort) WritePort(off uint16, size int, v uint32) {
	p.d.console = append(p.d.console, byte(v))
	if p.d.onConsole != nil {
		p.d.onConsole(byte(v))
	}
}

type recordPort struct {
	d    *devices
	base uint16
}

func (p recordPort) ReadPort(off uint16, size int) uint32 { return 0 }
func (p recordPort) WritePort(off uint16, size int, v uint32) {
	p.d.writes = append(p.d.writes, access{uint32(p.base + off), size, v})
}

type counterPort struct{ d *devices }

func (p counterPort) ReadPort(off uint16, size int) uint32     { p.d.counter++; return p.d.counter }
func (p counterPort) WritePort(off uint16, size int, v uint32) {}

// rig is a bare machine: 1.5 MiB of RAM (the low 640 KiB and 512 KiB
// above 1 MiB), the recording ports and a guest at 0000:1000.
type rig struct {
	bus  *bus.Bus
	ram  []byte
	dev  *devices
	stop cpu.StopFlag
	env  cpu.Env
}

const ramSize = 0x180000

func newRig(t testing.TB, guest string) *rig {
	t.Helper()
	r := &rig{bus: bus.New(), ram: make([]byte, ramSize), dev: &devices{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.bus.MapRAM(0, r.ram[:0xA0000], false))
	must(r.bus.MapRAM(0x100000, r.ram[0x100000:], false))
	must(r.bus.MapPorts(portDebug, 1, "console", consolePort{r.dev}, bus.Size8))
	must(r.bus.MapPorts(port16, 2, "port16", recordPort{r.dev, port16}, bus.Size16))
	must(r.bus.MapPorts(port32, 4, "port32", recordPort{r.dev, port32}, bus.Size32))
	must(r.bus.MapPorts(portCounter, 4, "counter", counterPort{r.dev}, bus.SizeAll))
	if guest != "" {
		code, err := guests.ReadFile("testdata/" + guest + ".bin")
		must(err)
		copy(r.ram[loadAddr:], code)
	}
	r.env = cpu.Env{Bus: r.bus, Stop: &r.stop}
	return r
}

// regions is the rig's RAM as kvm.Config.Memory.
func (r *rig) regions() []kvm.Region {
	return []kvm.Region{{Base: 0, Mem: r.ram[:0xA0000]}, {Base: 0x100000, Mem: r.ram[0x100000:]}}
}

// startState is the model's reset state moved to the guest's entry point.
func startState() cpu.State {
	var s cpu.State
	s.Reset(cpu.ModelP2)
	s.Seg[cpu.CS] = cpu.Segment{Limit: 0xFFFF, Attr: cpu.RealModeAttr | cpu.AttrCode}
	s.EIP = loadAddr
	s.Regs[cpu.ESP] = 0x8000
	return s
}

// kvmUsable skips the test when KVM cannot run here, or fails it when
// RINGZERO_NO_SKIP=1 and /dev/kvm exists (CI with KVM must run them).
func kvmUsable(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, kvm.ErrUnavailable) {
		if _, statErr := os.Stat(kvm.DefaultDevice); statErr == nil && os.Getenv("RINGZERO_NO_SKIP") == "1" {
			t.Fatalf("RINGZERO_NO_SKIP=1 and %s exists, but: %v", kvm.DefaultDevice, err)
		}
		t.Skipf("kvm engine unusable here: %v", err)
	}
	t.Fatal(err)
}

// needProtected skips (or fails, as kvmUsable) when the host cannot run
// unpaged protected mode.
func needProtected(t testing.TB) {
	t.Helper()
	if info := kvm.Probe(); info.Usable() && !info.Protected {
		kvmUsable(t, errors.Join(kvm.ErrUnavailable, errors.New("the host does not run unpaged protected mode")))
	}
}

// newKVM makes a kvm engine on the rig at the guest's entry point.
func newKVM(t testing.TB, r *rig) *kvm.Engine {
	t.Helper()
	e, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{Memory: r.regions()})
	kvmUsable(t, err)
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Error(err)
		}
	})
	s := startState()
	if err := e.SetState(&s); err != nil {
		t.Fatal(err)
	}
	return e
}

// newInterp makes an interpreter on the rig at the guest's entry point.
func newInterp(r *rig) *interp.CPU {
	c := interp.New(cpu.ModelP2, r.env)
	s := startState()
	c.SetState(&s)
	return c
}

// run runs e with a generous budget and a 10-second guard.
func run(t testing.TB, e cpu.Engine) cpu.Exit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	x, err := e.Run(ctx, 1<<40)
	if err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	if x.Reason == cpu.ExitCanceled {
		t.Fatalf("%s: guest still running after 10 s at EIP %#x", e.Name(), e.State().EIP)
	}
	return x
}

func wantExit(t testing.TB, x cpu.Exit, want cpu.ExitReason) {
	t.Helper()
	if x.Reason != want {
		t.Fatalf("exit %v, want %v", x.Reason, want)
	}
}

func wantConsole(t testing.TB, d *devices, want string) {
	t.Helper()
	if got := string(d.console); got != want {
		t.Fatalf("console %q, want %q", got, want)
	}
}
