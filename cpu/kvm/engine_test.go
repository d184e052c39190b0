package kvm_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/cpu/kvm"
	"ringzero/cpu/x87"
	"ringzero/devices/bus"
	"ringzero/devices/clock"
)

func TestProbeReportsHost(t *testing.T) {
	info := kvm.Probe()
	t.Logf("%v", info)
	kvmUsable(t, info.Err)
	if !info.RealMode {
		t.Error("usable but real mode does not run")
	}
}

func TestPortIOReachesHandlers(t *testing.T) {
	r := newRig(t, "ports")
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "ok\x01hello\x03\x04\x05\x06")
	want := []access{{port16, 2, 0x1234}, {port32, 4, 0xDEADBEEF}, {port16, 2, 2}}
	if !slices.Equal(r.dev.writes, want) {
		t.Errorf("port writes %x, want %x", r.dev.writes, want)
	}
	st := e.Stats()
	// "hello" and the four INSB items are one exit each.
	if st.Counters["io-items"] <= st.Counters["exit.io"] {
		t.Errorf("string I/O took one exit per item: %v", st.Counters)
	}
}

// mmioDev answers reads with bytes derived from the offset and records
// writes.
type mmioDev struct{ writes []access }

func (d *mmioDev) ReadMMIO(off uint32, size int) uint32 {
	var v uint32
	for i := size - 1; i >= 0; i-- {
		v = v<<8 | (off+uint32(i))&0xFF ^ 0xA0
	}
	return v
}
func (d *mmioDev) WriteMMIO(off uint32, size int, v uint32) {
	d.writes = append(d.writes, access{off, size, v})
}

func TestMMIOReachesHandler(t *testing.T) {
	r := newRig(t, "mmio")
	dev := &mmioDev{}
	if err := r.bus.MapMMIO(0xD0000, 0x1000, "test", dev, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	want := []access{{0x10, 1, 0x11}, {0x20, 2, 0x2233}, {0x30, 4, 0x44556677}}
	if !slices.Equal(dev.writes, want) {
		t.Errorf("MMIO writes %x, want %x", dev.writes, want)
	}
	wantConsole(t, r.dev, string([]byte{0x41 ^ 0xA0}))
	wantWrites := []access{{port16, 2, 0xE3E2}, {port32, 4, 0xE7E6E5E4}}
	if !slices.Equal(r.dev.writes, wantWrites) {
		t.Errorf("values read %x, want %x", r.dev.writes, wantWrites)
	}
	if n := e.Stats().Counters["exit.mmio"]; n != 6 {
		t.Errorf("%d MMIO exits, want 6", n)
	}
}

func TestROMIsReadOnly(t *testing.T) {
	r := newRig(t, "")
	// mov ax, 0xF000 / mov ds, ax / mov byte [0], 0x55 / mov al, [0] / out 0xE9, al / hlt
	copy(r.ram[loadAddr:], []byte{0xB8, 0x00, 0xF0, 0x8E, 0xD8, 0xC6, 0x06, 0x00, 0x00, 0x55, 0xA0, 0x00, 0x00, 0xE6, 0xE9, 0xF4})
	rom := make([]byte, 0x10000)
	rom[0] = 0xAA
	if err := r.bus.MapRAM(0xF0000, rom, true); err != nil {
		t.Fatal(err)
	}
	e, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{Memory: append(r.regions(), kvm.Region{Base: 0xF0000, Mem: rom, ReadOnly: true})})
	kvmUsable(t, err)
	defer e.Close()
	s := startState()
	if err := e.SetState(&s); err != nil {
		t.Fatal(err)
	}
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "\xAA")
	if rom[0] != 0xAA {
		t.Errorf("ROM byte changed to %#x", rom[0])
	}
	if !kvm.Probe().ReadonlyMem {
		return
	}
	if n := e.Stats().Counters["exit.mmio"]; n != 1 {
		t.Errorf("%d MMIO exits, want 1 (the dropped ROM write)", n)
	}
}

func TestHaltReturnsExitHalt(t *testing.T) {
	r := newRig(t, "")
	copy(r.ram[loadAddr:], []byte{0xFA, 0xF4, 0xF4}) // cli; hlt; hlt
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	s := e.State()
	if !s.Halted || s.EIP != loadAddr+2 {
		t.Fatalf("after HLT: Halted %v EIP %#x, want true %#x", s.Halted, s.EIP, loadAddr+2)
	}
	// Halted with IF clear: Run returns at once, still halted.
	x := run(t, e)
	wantExit(t, x, cpu.ExitHalt)
	if x.Cycles != 0 || e.State().EIP != loadAddr+2 {
		t.Errorf("second Run: %d cycles, EIP %#x", x.Cycles, e.State().EIP)
	}
	if n := e.Stats().Counters["exit.hlt"]; n != 1 {
		t.Errorf("%d HLT exits, want 1", n)
	}
}

// pic is a fake interrupt controller: one vector, asserted until taken.
type pic struct {
	vec     uint8
	pending bool
	acks    int
	onAck   func()
}

func (p *pic) Pending() bool { return p.pending }
func (p *pic) Ack() uint8 {
	p.pending = false
	p.acks++
	if p.onAck != nil {
		p.onAck()
	}
	return p.vec
}

func TestInterruptInjectionHonoursIF(t *testing.T) {
	r := newRig(t, "intr")
	p := &pic{vec: 0x30}
	r.env.Intr = p
	r.dev.onConsole = func(b byte) {
		if b == '1' {
			p.pending = true
		}
	}
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	// Hardware takes the interrupt right after the STI shadow: "12I3".
	// Hosts that emulate the guest see the window only at the next exit,
	// the OUT of '3': "123I". Both keep it waiting while IF is clear.
	switch got := string(r.dev.console); got {
	case "12I3":
	case "123I":
		t.Logf("the interrupt arrived one exit late: %q", got)
	default:
		t.Fatalf("console %q, want \"12I3\"", got)
	}
	r.dev.console = []byte("12I3")
	if !e.State().Halted {
		t.Fatal("not halted at the STI; HLT")
	}
	// The second interrupt wakes the HLT.
	p.pending = true
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "12I3I4")
	if p.acks != 2 {
		t.Errorf("%d interrupt acknowledges, want 2", p.acks)
	}
	if got := e.Stats().Interrupts; got != 2 {
		t.Errorf("Stats.Interrupts = %d, want 2", got)
	}
}

func TestProtectedModeGuestWritesPort(t *testing.T) {
	needProtected(t)
	r := newRig(t, "pm")
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "P")
	want := []access{{port32, 4, 0xCAFEF00D}, {port32, 4, 0x9000}}
	if !slices.Equal(r.dev.writes, want) {
		t.Errorf("port writes %x, want %x", r.dev.writes, want)
	}
	s := e.State()
	if s.CR[0]&cpu.CR0PE == 0 || s.Seg[cpu.CS].Selector != 8 || s.Seg[cpu.CS].Attr&cpu.AttrDB == 0 {
		t.Errorf("not in 32-bit protected mode: CR0 %#x CS %+v", s.CR[0], s.Seg[cpu.CS])
	}
}

func TestTripleFault(t *testing.T) {
	needProtected(t)
	if !kvm.Probe().ProtectedInterrupts {
		t.Skip("this host cannot deliver exceptions in protected mode (kvm_pvm emulates it), so a triple fault cannot be provoked")
	}
	r := newRig(t, "triple")
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitTripleFault)
}

func TestStateRoundTrip(t *testing.T) {
	r := newRig(t, "")
	e := newKVM(t, r)
	seg := func(sel uint16, base, limit uint32, attr uint16) cpu.Segment {
		return cpu.Segment{Selector: sel, Base: base, Limit: limit, Attr: attr}
	}
	data := cpu.AttrP | cpu.AttrS | cpu.AttrWritable | cpu.AttrAccessed
	code := data | cpu.AttrCode
	real := startState()
	real.Regs = [8]uint32{1, 2, 3, 4, 0x7FF0, 6, 7, 8}
	real.EFlags = cpu.FlagRsv1 | cpu.FlagCF | cpu.FlagZF | cpu.FlagIF
	real.IRQShadow = true
	real.Seg[cpu.DS] = seg(0x1234, 0x12340, 0xFFFF, cpu.RealModeAttr)
	real.Seg[cpu.FS] = seg(0x40, 0x400, 0xFFFFFFFF, cpu.RealModeAttr|cpu.AttrG) // unreal mode
	real.DR = [8]uint32{0x1000, 0x2000, 0x3000, 0x4000, 0, 0, 0xFFFF0FF0, 0x400}
	real.Cycles = 12345

	prot := startState()
	prot.Regs = [8]uint32{0xA, 0xB, 0xC, 0xD, 0x9000, 0xE, 0xF, 0x10}
	prot.EIP = 0x2000
	prot.EFlags = cpu.FlagRsv1 | cpu.FlagSF | cpu.FlagDF
	prot.Halted = true
	prot.CR = [5]uint32{cpu.CR0PE | cpu.CR0ET | cpu.CR0NE, 0, 0xDEAD000, 0x5000, 1 << 3}
	prot.Seg = [6]cpu.Segment{
		cpu.ES: seg(0x10, 0, 0xFFFFFFFF, data|cpu.AttrDB|cpu.AttrG),
		cpu.CS: seg(0x08, 0, 0xFFFFFFFF, code|cpu.AttrDB|cpu.AttrG),
		cpu.SS: seg(0x10, 0, 0xFFFFFFFF, data|cpu.AttrDB|cpu.AttrG),
		cpu.DS: seg(0x18, 0x10000, 0xFFFFF, data|cpu.AttrDB|cpu.AttrAVL),
		cpu.FS: seg(0x00, 0, 0, 0), // null
		cpu.GS: seg(0x10, 0, 0xFFFFFFFF, data|cpu.AttrDB|cpu.AttrG),
	}
	prot.GDTR = cpu.DescTable{Base: 0x500, Limit: 0x27}
	prot.IDTR = cpu.DescTable{Base: 0x600, Limit: 0x7FF}
	prot.LDTR = seg(0x20, 0x700, 0x2F, cpu.AttrP|2)
	prot.TR = seg(0x28, 0x800, 0x67, cpu.AttrP|11)
	prot.DR = [8]uint32{0, 0, 0, 0x1234, 0, 0, 0xFFFF0FF0, 0x401}
	prot.Cycles = 1 << 33
	prot.FPU.Push(x87.FromInt64(-3))
	prot.FPU.Push(x87.FromInt64(0))
	prot.FPU.Push(x87.Ext80{Se: 0x7FFF, Sig: 1 << 63}) // +infinity: tagged special
	prot.FPU.CW = 0x0C7F                               // round toward zero
	prot.FPU.SW |= x87.SWC1 | x87.SWPE
	prot.FPU.FIP, prot.FPU.FCS, prot.FPU.FOP, prot.FPU.FDP, prot.FPU.FDS = 0x1234, 0x08, 0x5D9, 0x4000, 0x10

	for _, tc := range []struct {
		name string
		s    cpu.State
	}{{"real", real}, {"protected", prot}} {
		if tc.name == "protected" {
			needProtected(t)
		}
		if err := e.SetState(&tc.s); err != nil {
			t.Fatalf("%s: SetState: %v", tc.name, err)
		}
		got := *e.State()
		if !reflect.DeepEqual(got, tc.s) {
			t.Errorf("%s: State after SetState differs:\n got %+v\nwant %+v", tc.name, got, tc.s)
		}
	}
}

// TestStateEditsAreWrittenBack checks that changes made through the
// pointer State returns reach the vCPU, as they do on the interpreter.
func TestStateEditsAreWrittenBack(t *testing.T) {
	r := newRig(t, "")
	copy(r.ram[0x2000:], []byte{0xE6, 0xE9, 0xF4}) // out 0xE9, al; hlt
	e := newKVM(t, r)
	s := e.State()
	s.EIP = 0x2000
	s.Regs[cpu.EAX] = 'x'
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "x")
}

func TestClockDeadlineKicksSpinningGuest(t *testing.T) {
	r := newRig(t, "spin")
	clk := clock.New(clock.DefaultHz)
	p := &pic{vec: 0x30}
	// A one-shot timer re-armed 2 ms after each acknowledge, so a slow
	// host (late kicks) cannot merge two ticks into one interrupt.
	timer := clk.NewTimer(func(uint64) { p.pending = true })
	timer.Set(2_000_000)
	p.onAck = func() { timer.SetAfter(2_000_000) }
	r.env.Intr, r.env.Clock = p, clk
	r.dev.onConsole = func(b byte) {
		if len(r.dev.console) == 5 {
			r.stop.Request(cpu.ExitDebugExit)
		}
	}
	e := newKVM(t, r)
	start := time.Now()
	wantExit(t, run(t, e), cpu.ExitDebugExit)
	wantConsole(t, r.dev, "TTTTT")
	t.Logf("5 timer interrupts 2 ms of guest time apart took %v of host time; clock at %v ns", time.Since(start), clk.Now())
	if clk.Now() < 10_000_000 {
		t.Errorf("virtual clock at %d ns after five 2 ms ticks", clk.Now())
	}
	if e.Stats().Counters["kicks"] == 0 {
		t.Error("no kicks sent")
	}
}

func TestBudgetEndsRun(t *testing.T) {
	r := newRig(t, "spin")
	e := newKVM(t, r)
	x, err := e.Run(context.Background(), clock.DefaultHz/100) // 10 ms
	if err != nil {
		t.Fatal(err)
	}
	wantExit(t, x, cpu.ExitBudget)
	if x.Cycles < clock.DefaultHz/100 {
		t.Errorf("%d cycles, want at least the budget", x.Cycles)
	}
}

func TestContextCancelStopsSpinningGuest(t *testing.T) {
	r := newRig(t, "spin")
	e := newKVM(t, r)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	x, err := e.Run(ctx, 1<<62)
	if err != nil {
		t.Fatal(err)
	}
	wantExit(t, x, cpu.ExitCanceled)
}

// a20Bus is a bus that lists its memory for the engine (kvm.MemoryMapper)
// and has an A20 gate on port 92h.
type a20Bus struct {
	*bus.Bus
	regions []kvm.Region
}

func (b *a20Bus) VisitMemory(fn func(base uint32, mem []byte, readOnly bool)) {
	for _, r := range b.regions {
		// Page by page, as a bus that knows only its pages would.
		for off := 0; off < len(r.Mem); off += 4096 {
			fn(r.Base+uint32(off), r.Mem[off:off+4096], r.ReadOnly)
		}
	}
}

type port92 struct{ b *bus.Bus }

func (p port92) ReadPort(off uint16, size int) uint32 { return 0 }
func (p port92) WritePort(off uint16, size int, v uint32) {
	p.b.SetA20(v&2 != 0)
}

func TestA20GateWrapsHMA(t *testing.T) {
	r := newRig(t, "a20")
	if err := r.bus.MapPorts(0x92, 1, "port92", port92{r.bus}, bus.Size8); err != nil {
		t.Fatal(err)
	}
	b := &a20Bus{Bus: r.bus, regions: r.regions()}
	r.env.Bus = b
	e, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{})
	kvmUsable(t, err)
	defer e.Close()
	s := startState()
	if err := e.SetState(&s); err != nil {
		t.Fatal(err)
	}
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "bbc")
	if got := e.Stats().Counters["memslots"]; got != 2 {
		t.Errorf("%d memory slots after merging pages, want 2", got)
	}
}

func TestNewRejectsOldModels(t *testing.T) {
	r := newRig(t, "")
	for _, m := range []cpu.Model{cpu.Model8086, cpu.Model286} {
		if _, err := kvm.New(m, r.env, kvm.Config{Memory: r.regions()}); !errors.Is(err, kvm.ErrModel) {
			t.Errorf("%v: err %v, want ErrModel", m, err)
		}
	}
}

func TestNMIWakesHaltWithIFClear(t *testing.T) {
	r := newRig(t, "nmi")
	var nmi atomic.Bool
	r.env.NMI = &nmi
	e := newKVM(t, r)
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "1")
	nmi.Store(true)
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "1N2")
	if nmi.Load() {
		t.Error("NMI request not taken")
	}
}

func TestMissingDeviceIsErrUnavailable(t *testing.T) {
	r := newRig(t, "")
	_, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{Memory: r.regions(), Device: "/dev/no-such-kvm"})
	if !errors.Is(err, kvm.ErrUnavailable) {
		t.Fatalf("err %v, want ErrUnavailable", err)
	}
}

// TestCPUIDMatchesInterp runs CPUID leaves 0-2 on both engines: kvm must
// report what the interpreter does, less the features the host lacks.
func TestCPUIDMatchesInterp(t *testing.T) {
	ri := newRig(t, "cpuid")
	wantExit(t, run(t, newInterp(ri)), cpu.ExitHalt)
	rk := newRig(t, "cpuid")
	wantExit(t, run(t, newKVM(t, rk)), cpu.ExitHalt)
	if len(rk.dev.writes) != 12 || len(ri.dev.writes) != 12 {
		t.Fatalf("%d and %d register writes, want 12", len(rk.dev.writes), len(ri.dev.writes))
	}
	names := map[string]uint32{"FPU": 1 << 0, "DE": 1 << 2, "PSE": 1 << 3, "TSC": 1 << 4, "MSR": 1 << 5,
		"CX8": 1 << 8, "SEP": 1 << 11, "PGE": 1 << 13, "CMOV": 1 << 15, "MMX": 1 << 23, "FXSR": 1 << 24}
	var lacking uint32
	for _, f := range kvm.Probe().MissingCPUID {
		lacking |= names[f]
	}
	for i := range ri.dev.writes {
		name := fmt.Sprintf("leaf %d %s", i/4, [4]string{"EAX", "EBX", "ECX", "EDX"}[i%4])
		want := ri.dev.writes[i].v
		if i == 4+3 { // leaf 1 EDX
			want &^= lacking
		}
		got := rk.dev.writes[i].v
		if slices.ContainsFunc(kvm.Probe().CPUIDChanged, func(c string) bool { return strings.HasPrefix(c, name+" ") }) {
			t.Logf("%s = %#x: the host overrides it (interp says %#x)", name, got, want)
			continue
		}
		if got != want {
			t.Errorf("%s = %#x, interp says %#x", name, got, want)
		}
	}
}

// TestUnalignedHostMemoryServedByExits maps RAM whose host memory is not
// page-aligned: it cannot be a KVM slot, so its accesses go through MMIO
// exits to the bus, which still reads and writes the same bytes.
func TestUnalignedHostMemoryServedByExits(t *testing.T) {
	r := newRig(t, "")
	copy(r.ram[loadAddr:], []byte{
		0xB8, 0x00, 0xE0, // mov ax, 0xE000
		0x8E, 0xC0, // mov es, ax
		0x26, 0xC6, 0x06, 0x10, 0x00, 0x5A, // mov byte [es:0x10], 0x5A
		0x26, 0xA0, 0x10, 0x00, // mov al, [es:0x10]
		0xE6, 0xE9, // out 0xE9, al
		0xF4, // hlt
	})
	odd := make([]byte, 2*4096)[16 : 16+4096]
	if err := r.bus.MapRAM(0xE0000, odd, false); err != nil {
		t.Fatal(err)
	}
	e, err := kvm.New(cpu.ModelP2, r.env, kvm.Config{Memory: append(r.regions(), kvm.Region{Base: 0xE0000, Mem: odd})})
	kvmUsable(t, err)
	defer e.Close()
	s := startState()
	if err := e.SetState(&s); err != nil {
		t.Fatal(err)
	}
	wantExit(t, run(t, e), cpu.ExitHalt)
	wantConsole(t, r.dev, "Z")
	if odd[0x10] != 0x5A {
		t.Errorf("host byte %#x, want 5A", odd[0x10])
	}
	st := e.Stats().Counters
	if st["mem-unaligned"] != 1 || st["exit.mmio"] != 2 || len(e.Notes()) == 0 {
		t.Errorf("counters %v, notes %q", st, e.Notes())
	}
}
