package apic_test

import (
	"math/rand"
	"testing"

	"ringzero/devices/apic"
	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/irq"
)

// Register offsets, as a guest writes them.
const (
	rID      = 0x020
	rVersion = 0x030
	rTPR     = 0x080
	rPPR     = 0x0A0
	rEOI     = 0x0B0
	rLDR     = 0x0D0
	rDFR     = 0x0E0
	rSVR     = 0x0F0
	rISR     = 0x100
	rTMR     = 0x180
	rIRR     = 0x200
	rESR     = 0x280
	rICRLow  = 0x300
	rICRHigh = 0x310
	rTimer   = 0x320
	rLINT0   = 0x350
	rLINT1   = 0x360
	rError   = 0x370
	rInitial = 0x380
	rCurrent = 0x390
	rDivide  = 0x3E0

	masked   = 1 << 16
	periodic = 1 << 17
	swEnable = 1 << 8
	spurious = 0xFF
)

// fakePIC is an 8259 pair with one request.
type fakePIC struct {
	pending bool
	vector  uint8
	acks    int
}

func (p *fakePIC) Pending() bool { return p.pending }
func (p *fakePIC) Ack() uint8 {
	p.acks++
	if !p.pending {
		return 0x0F // the master's spurious IR7
	}
	p.pending = false
	return p.vector
}

// rig is a local APIC and an I/O APIC on a bus, wired as the board does.
type rig struct {
	t     *testing.T
	b     *bus.Bus
	clk   *clock.Clock
	l     *apic.Local
	io    *apic.IO
	pic   *fakePIC
	nmi   *irq.Recorder
	eois  []uint8
	base  uint32
	on    bool
	moves int
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, b: bus.New(), clk: clock.New(0), pic: &fakePIC{vector: 0x08}, nmi: &irq.Recorder{}}
	r.io = apic.NewIO(func(m apic.Message) { r.l.Deliver(m) })
	r.l = apic.NewLocal(apic.LocalConfig{
		Clock: r.clk,
		PIC:   r.pic,
		NMI:   r.nmi,
		EOI: func(v uint8) {
			r.eois = append(r.eois, v)
			r.io.EOI(v)
		},
		Remap: func(base uint32, on bool) {
			r.b.Unmap(r.base, apic.Size)
			r.base, r.on = base, on
			r.moves++
			if on {
				if err := r.b.MapMMIO(base, apic.Size, "lapic", r.l, bus.SizeAll); err != nil {
					t.Fatal(err)
				}
			}
		},
	})
	r.base, r.on = apic.DefaultBase, true
	for _, m := range []struct {
		base uint32
		h    bus.MMIOHandler
	}{{apic.DefaultBase, r.l}, {apic.IOBase, r.io}} {
		if err := r.b.MapMMIO(m.base, apic.Size, "apic", m.h, bus.SizeAll); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func (r *rig) rd(off uint32) uint32    { return r.b.Read(apic.DefaultBase+off, 4) }
func (r *rig) wr(off uint32, v uint32) { r.b.Write(apic.DefaultBase+off, 4, v) }

func (r *rig) want(off uint32, want uint32) {
	r.t.Helper()
	if got := r.rd(off); got != want {
		r.t.Errorf("register %#03x = %#08x, want %#08x", off, got, want)
	}
}

// enable sets the software enable bit with the spurious vector FFh.
func (r *rig) enable() { r.wr(rSVR, swEnable|spurious) }

// selfIPI sends a fixed self-IPI (edge) with vector v.
func (r *rig) selfIPI(v uint32) { r.wr(rICRLow, 1<<18|v) }

// take runs Pending and Ack as the CPU does with IF set; -1 if nothing
// is pending.
func (r *rig) take() int {
	if !r.l.Pending() {
		return -1
	}
	return int(r.l.Ack())
}

func (r *rig) wantTake(want int) {
	r.t.Helper()
	if got := r.take(); got != want {
		r.t.Errorf("interrupt %#x, want %#x", got, want)
	}
}

func TestResetState(t *testing.T) {
	r := newRig(t)
	if got := r.l.APICBase(); got != 0xFEE00900 {
		t.Errorf("IA32_APIC_BASE %#x, want 0xfee00900", got)
	}
	r.want(rVersion, 0x00050014)
	r.want(rID, 0)
	r.want(rSVR, 0xFF)
	r.want(rDFR, 0xFFFFFFFF)
	r.want(rLINT0, 0x700)
	for _, off := range []uint32{rTimer, 0x330, 0x340, rLINT1, rError} {
		r.want(off, masked)
	}
	r.want(rDivide, 0)
	r.want(rCurrent, 0)
	if !r.on || r.base != apic.DefaultBase {
		t.Errorf("MMIO page at %#x (on %v)", r.base, r.on)
	}
}

func TestExtINTPassesThePIC(t *testing.T) {
	r := newRig(t)
	r.pic.pending = true
	if !r.l.Pending() || r.l.Ack() != 0x08 {
		t.Fatal("the 8259's request did not pass through LINT0 in ExtINT mode")
	}
	r.pic.pending = true
	r.wr(rLINT0, 0x700|masked)
	if r.l.Pending() {
		t.Error("PIC request seen through a masked LINT0")
	}
	// Software enable does not matter to ExtINT, and ExtINT goes before
	// fixed interrupts whatever their priority.
	r.enable()
	r.wr(rLINT0, 0x700)
	r.selfIPI(0xE0)
	r.wantTake(0x08)
	r.wantTake(0xE0)
	// With the APIC disabled in the MSR the PIC is the CPU's INTR, LINT0
	// masked or not.
	r.wr(rLINT0, 0x700|masked)
	r.pic.pending = true
	if !r.l.SetAPICBase(0xFEE00100) {
		t.Fatal("SetAPICBase refused a legal value")
	}
	r.wantTake(0x08)
	if r.on {
		t.Error("MMIO page still mapped with the APIC disabled")
	}
	if r.b.Read(apic.DefaultBase+rVersion, 4) != 0xFFFFFFFF {
		t.Error("APIC registers still answer with the APIC disabled")
	}
	// Disabled until reset (P6).
	r.l.SetAPICBase(0xFEE00900)
	if r.l.Enabled() {
		t.Error("the APIC came back without a reset")
	}
	r.l.Reset()
	if !r.l.Enabled() || !r.on {
		t.Error("reset did not enable the APIC")
	}
}

func TestPriorityClassesAndNesting(t *testing.T) {
	r := newRig(t)
	r.selfIPI(0x52)
	if r.l.Pending() {
		t.Error("fixed interrupt pending while software-disabled")
	}
	r.enable()
	r.selfIPI(0x31)
	r.selfIPI(0x45)
	r.want(rIRR+0x20, 1<<(0x52-0x40)|1<<(0x45-0x40))
	r.wantTake(0x52)
	r.want(rISR+0x20, 1<<(0x52-0x40))
	r.want(rPPR, 0x50)
	// 0x45 and 0x31 are of lower classes than 0x52 in service.
	r.wantTake(-1)
	// A higher class nests.
	r.selfIPI(0x61)
	r.wantTake(0x61)
	r.want(rPPR, 0x60)
	// The same class does not.
	r.selfIPI(0x6A)
	r.wantTake(-1)
	r.wr(rEOI, 0) // ends 0x61
	r.wantTake(0x6A)
	r.wr(rEOI, 0)
	r.wr(rEOI, 0) // ends 0x52
	r.want(rPPR, 0)
	r.wantTake(0x45)
	r.wr(rEOI, 0)
	r.wantTake(0x31)
	r.wr(rEOI, 0)
	r.wantTake(-1)
	r.wr(rEOI, 0) // nothing in service: harmless
	if len(r.eois) != 0 {
		t.Errorf("EOI broadcasts %x for edge interrupts", r.eois)
	}
}

func TestTPRMasksLowerClasses(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.wr(rTPR, 0x55)
	r.want(rPPR, 0x55)
	r.selfIPI(0x5F)
	r.wantTake(-1)
	r.selfIPI(0x60)
	r.wantTake(0x60)
	r.want(rPPR, 0x60)
	r.wr(rEOI, 0)
	r.wr(rTPR, 0x40)
	r.wantTake(0x5F)
	r.wr(rEOI, 0)
	// TPR rising between Pending and Ack: the spurious vector, no ISR.
	r.wr(rTPR, 0)
	r.selfIPI(0x70)
	if !r.l.Pending() {
		t.Fatal("0x70 not pending")
	}
	r.wr(rTPR, 0xF0)
	if v := r.l.Ack(); v != spurious {
		t.Errorf("Ack %#x, want the spurious vector", v)
	}
	r.want(rISR+0x30, 0)
	r.want(rIRR+0x30, 1<<(0x70-0x60))
}

func TestLevelEOIIsBroadcast(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.l.Deliver(apic.Message{Vector: 0x41, Level: true})
	r.l.Deliver(apic.Message{Vector: 0x42, Dest: 7}) // another APIC's
	r.want(rTMR+0x20, 1<<1)
	r.wantTake(0x41)
	r.wr(rEOI, 0)
	if len(r.eois) != 1 || r.eois[0] != 0x41 {
		t.Errorf("EOI broadcasts %x, want [41]", r.eois)
	}
	r.wantTake(-1)
}

func TestLogicalDestinations(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.wr(rLDR, 0x01000000)
	r.l.Deliver(apic.Message{Vector: 0x40, Logical: true, Dest: 0x02})
	r.wantTake(-1)
	r.l.Deliver(apic.Message{Vector: 0x41, Logical: true, Dest: 0x03})
	r.wantTake(0x41)
	r.wr(rEOI, 0)
	r.wr(rDFR, 0) // cluster model: cluster 1, member bit 0
	r.wr(rLDR, 0x11000000)
	r.l.Deliver(apic.Message{Vector: 0x42, Logical: true, Dest: 0x21})
	r.wantTake(-1)
	r.l.Deliver(apic.Message{Vector: 0x43, Logical: true, Dest: 0x13})
	r.wantTake(0x43)
	r.want(rDFR, 0x0FFFFFFF)
}

func TestTimerOneShot(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.wr(rDivide, 0xB) // divide by 1: 1 ns a count
	r.wr(rTimer, 0x30)
	r.wr(rInitial, 1000)
	r.want(rCurrent, 1000)
	r.clk.AdvanceTo(400)
	r.want(rCurrent, 600)
	r.clk.AdvanceTo(999)
	r.wantTake(-1)
	r.clk.AdvanceTo(1000)
	r.want(rCurrent, 0)
	r.wantTake(0x30)
	r.wr(rEOI, 0)
	r.clk.AdvanceTo(5000)
	r.wantTake(-1)
	// Divide by 16: 16 ns a count.
	r.wr(rDivide, 3)
	r.wr(rInitial, 10)
	r.clk.AdvanceTo(5000 + 159)
	r.want(rCurrent, 1)
	r.wantTake(-1)
	r.clk.AdvanceTo(5000 + 160)
	r.wantTake(0x30)
}

func TestTimerPeriodic(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.wr(rDivide, 0) // divide by 2
	r.wr(rTimer, periodic|0x31)
	r.wr(rInitial, 500) // 1 µs period
	n := 0
	for ns := uint64(100); ns <= 10_000; ns += 100 {
		r.clk.AdvanceTo(ns)
		if r.take() == 0x31 {
			n++
			r.wr(rEOI, 0)
		}
	}
	if n != 10 {
		t.Errorf("%d timer interrupts in 10 µs, want 10", n)
	}
	r.clk.AdvanceTo(10_250)
	r.want(rCurrent, 375)
	// Masked: it counts on but does not interrupt.
	r.wr(rTimer, periodic|masked|0x31)
	r.clk.AdvanceTo(20_000)
	r.wantTake(-1)
	// Initial count 0 stops it.
	r.wr(rTimer, periodic|0x31)
	r.wr(rInitial, 0)
	r.clk.AdvanceTo(30_000)
	r.wantTake(-1)
	r.want(rCurrent, 0)
}

func TestIPIsToSelf(t *testing.T) {
	r := newRig(t)
	r.enable()
	r.wr(rICRHigh, 0)
	r.wr(rICRLow, 0x4050) // physical destination 0: this APIC
	r.wantTake(0x50)
	r.wr(rEOI, 0)
	r.wr(rICRLow, 3<<18|0x51) // all excluding self: nobody
	r.wantTake(-1)
	r.wr(rICRLow, 1<<18|4<<8) // NMI to self
	if r.nmi.Rises() != 1 {
		t.Errorf("%d NMIs, want 1", r.nmi.Rises())
	}
	// INIT and start-up to self are ignored.
	r.wr(rICRLow, 1<<18|5<<8|1<<14)
	r.wr(rICRLow, 1<<18|6<<8|0x10)
	r.want(rSVR, swEnable|spurious)
	r.wantTake(-1)
	if got := r.rd(rICRLow); got&(1<<12) != 0 {
		t.Errorf("ICR delivery status busy: %#x", got)
	}
	// An illegal vector: ESR after the next write, and the error LVT.
	r.wr(rError, 0xFE)
	r.wr(rICRLow, 1<<18|0x05)
	r.want(rESR, 0)
	r.wr(rESR, 0)
	r.want(rESR, 1<<5)
	r.wantTake(0xFE)
}

func TestLINT1IsTheNMIPin(t *testing.T) {
	r := newRig(t)
	lint1 := r.l.LINT1()
	irq.Pulse(lint1)
	if r.nmi.Rises() != 0 {
		t.Error("NMI through a masked LINT1")
	}
	r.wr(rLINT1, 4<<8) // NMI
	irq.Pulse(lint1)
	if r.nmi.Rises() != 1 {
		t.Errorf("%d NMIs through LINT1, want 1", r.nmi.Rises())
	}
	// LINT0 in fixed mode: the PIC's INTR edge becomes vector 0x39.
	r.enable()
	r.wr(rLINT0, 0x39)
	irq.Pulse(r.l.LINT0())
	r.wantTake(0x39)
	// Disabled in the MSR: LINT1 is NMI directly.
	r.l.SetAPICBase(apic.DefaultBase)
	irq.Pulse(lint1)
	if r.nmi.Rises() != 2 {
		t.Errorf("%d NMIs with the APIC disabled, want 2", r.nmi.Rises())
	}
}

func TestAPICBaseMSR(t *testing.T) {
	r := newRig(t)
	for _, bad := range []uint64{1, 1 << 10, 1 << 36, 1 << 63} {
		if r.l.SetAPICBase(0xFEE00900 | bad) {
			t.Errorf("SetAPICBase accepted reserved bits %#x", bad)
		}
	}
	if !r.l.SetAPICBase(0xFED00800) {
		t.Fatal("relocation refused")
	}
	if got := r.l.APICBase(); got != 0xFED00900 {
		t.Errorf("IA32_APIC_BASE %#x, want 0xfed00900 (BSP kept)", got)
	}
	if r.base != 0xFED00000 || r.b.Read(0xFED00000+rVersion, 4) != 0x00050014 {
		t.Errorf("the page did not move: at %#x", r.base)
	}
}

// TestGarbageNeverPanics writes random values of every size to every
// register of both chips and to the MSR, and keeps taking interrupts.
func TestGarbageNeverPanics(t *testing.T) {
	r := newRig(t)
	rnd := rand.New(rand.NewSource(1))
	sizes := []int{1, 2, 4}
	for i := 0; i < 200_000; i++ {
		off := uint32(rnd.Intn(apic.Size))
		if i%2 == 0 {
			off &^= 0xF
		}
		v := rnd.Uint32()
		switch rnd.Intn(8) {
		case 0:
			r.b.Read(apic.DefaultBase+off, sizes[rnd.Intn(3)])
		case 1:
			r.b.Write(apic.IOBase+off%0x20, sizes[rnd.Intn(3)], v)
		case 2:
			r.b.Read(apic.IOBase+off%0x20, sizes[rnd.Intn(3)])
		case 3:
			if rnd.Intn(100) == 0 {
				r.l.SetAPICBase(rnd.Uint64())
				if rnd.Intn(2) == 0 {
					r.l.Reset()
				}
			}
		case 4:
			r.io.Pin(rnd.Intn(30) - 2).Set(rnd.Intn(2) == 0)
			r.l.Deliver(apic.Message{Vector: uint8(v), Mode: uint8(v >> 8 & 7), Logical: v&1 != 0, Dest: uint8(v >> 16), Level: v&2 != 0})
		case 5:
			r.clk.Advance(uint64(rnd.Intn(100_000)))
		default:
			r.b.Write(apic.DefaultBase+off, sizes[rnd.Intn(3)], v)
		}
		if r.l.Pending() {
			r.l.Ack()
		}
	}
}

// TestWithoutPIC: a local APIC with nothing on LINT0 (and no MMIO
// mapping callback) still answers the CPU, enabled or not.
func TestWithoutPIC(t *testing.T) {
	l := apic.NewLocal(apic.LocalConfig{Clock: clock.New(0)})
	if l.Pending() {
		t.Error("pending with nothing connected")
	}
	if v := l.Ack(); v != spurious {
		t.Errorf("Ack %#x, want the spurious vector", v)
	}
	l.SetAPICBase(apic.DefaultBase)
	if l.Pending() || l.Enabled() {
		t.Error("disabled APIC without a PIC: pending, or still enabled")
	}
	l.Ack()
	l.Reset()
}
