package pic_test

import (
	"fmt"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/irq"
	"ringzero/devices/pic"
)

const (
	m0, m1 = pic.MasterBase, pic.MasterBase + 1
	s0, s1 = pic.SlaveBase, pic.SlaveBase + 1
	elcr1  = pic.ELCRBase
	elcr2  = pic.ELCRBase + 1

	masterVec = 0x08 // the BIOS's vector bases
	slaveVec  = 0x70
)

// rig is a controller mapped on a bus, as the board wires it.
type rig struct {
	t *testing.T
	b *bus.Bus
	c *pic.Controller
}

func newRig(t *testing.T) *rig {
	t.Helper()
	c := pic.New()
	b := bus.New()
	for _, m := range []struct {
		base uint16
		name string
		h    bus.PortHandler
	}{
		{pic.MasterBase, "pic1", c.MasterPorts()},
		{pic.SlaveBase, "pic2", c.SlavePorts()},
		{pic.ELCRBase, "elcr", c.ELCRPorts()},
	} {
		if err := b.MapPorts(m.base, pic.Ports, m.name, m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	return &rig{t: t, b: b, c: c}
}

func (r *rig) out(port uint16, v uint8) { r.b.Out(port, 1, uint32(v)) }
func (r *rig) in(port uint16) uint8     { return uint8(r.b.In(port, 1)) }

// initPC programs the pair as a PC BIOS does: edge, cascade, ICW4 with
// the given ICW4 value, slave on IR2, everything unmasked.
func (r *rig) initPC(icw4 uint8) {
	r.out(m0, 0x11)
	r.out(m1, masterVec)
	r.out(m1, 0x04)
	r.out(m1, icw4)
	r.out(s0, 0x11)
	r.out(s1, slaveVec)
	r.out(s1, 0x02)
	r.out(s1, icw4)
	r.out(m1, 0x00)
	r.out(s1, 0x00)
}

func (r *rig) raise(n int) { r.c.IRQ(n).Set(true) }
func (r *rig) lower(n int) { r.c.IRQ(n).Set(false) }
func (r *rig) pulse(n int) { irq.Pulse(r.c.IRQ(n)) }

// isr and irr read the registers through OCW3.
func (r *rig) isr(port uint16) uint8 { r.out(port, 0x0B); return r.in(port) }
func (r *rig) irr(port uint16) uint8 { r.out(port, 0x0A); return r.in(port) }

// eoi sends a non-specific EOI for vector v's chip(s), as a handler does.
func (r *rig) eoi(vec uint8) {
	if vec >= slaveVec && vec < slaveVec+8 {
		r.out(s0, 0x20)
	}
	r.out(m0, 0x20)
}

func (r *rig) wantAck(want uint8) {
	r.t.Helper()
	if !r.c.Pending() {
		r.t.Fatalf("INTR not asserted, want vector %#x", want)
	}
	if got := r.c.Ack(); got != want {
		r.t.Fatalf("Ack() = %#x, want %#x", got, want)
	}
}

func (r *rig) wantIdle() {
	r.t.Helper()
	if r.c.Pending() {
		r.t.Fatalf("INTR asserted, want none")
	}
}

func vecOf(n int) uint8 {
	if n < 8 {
		return masterVec + uint8(n)
	}
	return slaveVec + uint8(n-8)
}

func TestInitProgramsVectorBases(t *testing.T) {
	for _, n := range []int{0, 1, 3, 7, 8, 10, 15} {
		t.Run(fmt.Sprint("IRQ", n), func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			r.pulse(n)
			r.wantAck(vecOf(n))
		})
	}
}

func TestPowerOnStateIsMasked(t *testing.T) {
	r := newRig(t)
	r.pulse(0)
	r.wantIdle()
	if got := r.in(m1); got != 0xFF {
		t.Fatalf("master IMR at power-on = %#x, want 0xFF", got)
	}
}

func TestInitSequenceLength(t *testing.T) {
	tests := []struct {
		name string
		icw  []uint8 // ICW1 then the A0=1 words
	}{
		{"single with ICW4", []uint8{0x13, 0x20, 0x01}},
		{"single without ICW4", []uint8{0x12, 0x20}},
		{"cascade without ICW4", []uint8{0x10, 0x20, 0x04}},
		{"cascade with ICW4", []uint8{0x11, 0x20, 0x04, 0x01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.out(m0, tt.icw[0])
			for _, v := range tt.icw[1:] {
				r.out(m1, v)
			}
			// The next A0=1 write must be OCW1.
			r.out(m1, 0xA5)
			if got := r.in(m1); got != 0xA5 {
				t.Fatalf("IMR = %#x after init, want 0xA5 (init took the OCW1 as an ICW)", got)
			}
			r.out(m1, 0x00)
			r.pulse(1)
			r.wantAck(0x21)
		})
	}
}

func TestICW1ClearsMaskAndISRAndNeedsNewEdge(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.raise(3)
	r.wantAck(masterVec + 3)
	r.out(m1, 0xFF)
	// IRQ 3 is still high while the guest re-initialises.
	r.out(m0, 0x11)
	r.out(m1, 0x20)
	r.out(m1, 0x04)
	r.out(m1, 0x01)
	if got := r.in(m1); got != 0 {
		t.Fatalf("IMR after ICW1 = %#x, want 0", got)
	}
	if got := r.isr(m0); got != 0 {
		t.Fatalf("ISR after ICW1 = %#x, want 0", got)
	}
	r.wantIdle() // the held-high line is not a new edge
	r.lower(3)
	r.raise(3)
	r.wantAck(0x23)
}

func TestMaskBlocksRequests(t *testing.T) {
	tests := []struct {
		irq      int
		port     uint16
		mask     uint8
		deliver  bool
		maskName string
	}{
		{0, m1, 0x01, false, "own bit"},
		{0, m1, 0xFE, true, "other bits"},
		{9, s1, 0x02, false, "slave bit"},
		{9, m1, 0x04, false, "cascade input"},
		{9, s1, 0xFD, true, "other slave bits"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("IRQ%d %s", tt.irq, tt.maskName), func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			r.out(tt.port, tt.mask)
			r.pulse(tt.irq)
			if r.c.Pending() != tt.deliver {
				t.Fatalf("Pending() = %v, want %v", r.c.Pending(), tt.deliver)
			}
			// Unmasking delivers a request latched while masked.
			r.out(tt.port, 0)
			r.wantAck(vecOf(tt.irq))
		})
	}
}

func TestFixedPriorityOrder(t *testing.T) {
	tests := []struct {
		raised []int
		order  []int
	}{
		{[]int{5, 1, 3}, []int{1, 3, 5}},
		{[]int{7, 0}, []int{0, 7}},
		// The slave sits at master IR2: above IRQ 3-7, below 0 and 1.
		{[]int{4, 12, 1, 8}, []int{1, 8, 12, 4}},
		{[]int{15, 3, 9}, []int{9, 15, 3}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.raised), func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			for _, n := range tt.raised {
				r.pulse(n)
			}
			for _, n := range tt.order {
				r.wantAck(vecOf(n))
				r.eoi(vecOf(n))
			}
			r.wantIdle()
		})
	}
}

func TestInServiceBlocksLowerAndEqualPriority(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.pulse(3)
	r.wantAck(masterVec + 3)
	r.pulse(5)
	r.wantIdle() // lower than the level in service
	r.pulse(3)
	r.wantIdle() // same level
	r.pulse(1)
	r.wantAck(masterVec + 1) // higher: nests
	if got := r.isr(m0); got != 0x0A {
		t.Fatalf("ISR = %#x, want 0x0A", got)
	}
	r.out(m0, 0x20) // clears IR1, the highest in service
	if got := r.isr(m0); got != 0x08 {
		t.Fatalf("ISR after EOI = %#x, want 0x08", got)
	}
	r.wantIdle()
	r.out(m0, 0x20)
	r.wantAck(masterVec + 3)
	r.out(m0, 0x20)
	r.wantAck(masterVec + 5)
}

func TestSpecificEOIClearsNamedLevel(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.pulse(4)
	r.wantAck(masterVec + 4)
	r.pulse(2 + 7) // IRQ 9 through the cascade
	r.wantAck(slaveVec + 1)
	if got := r.isr(m0); got != 0x14 {
		t.Fatalf("master ISR = %#x, want 0x14", got)
	}
	r.out(m0, 0x64) // specific EOI, level 4
	if got := r.isr(m0); got != 0x04 {
		t.Fatalf("master ISR after SEOI 4 = %#x, want 0x04", got)
	}
}

func TestRotationCommands(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *rig) // leaves some level lowest
		order []int        // ack order of IRQs 0-7 all raised afterwards
	}{
		{"rotate on non-specific EOI", func(r *rig) {
			r.pulse(3)
			r.wantAck(masterVec + 3)
			r.out(m0, 0xA0)
		}, []int{4, 5, 6, 7, 0, 1, 2, 3}},
		{"rotate on specific EOI", func(r *rig) {
			r.pulse(5)
			r.wantAck(masterVec + 5)
			// Rotate on specific EOI: L2-L0 name both the IS bit to reset
			// and the new lowest level (datasheet Figure 8).
			r.out(m0, 0xE5)
		}, []int{6, 7, 0, 1, 2, 3, 4, 5}},
		{"set priority", func(r *rig) { r.out(m0, 0xC1) }, []int{2, 3, 4, 5, 6, 7, 0, 1}},
		{"no rotation", func(r *rig) {
			r.pulse(3)
			r.wantAck(masterVec + 3)
			r.out(m0, 0x20)
		}, []int{0, 1, 2, 3, 4, 5, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			r.out(m1, 0x04) // keep the cascade input quiet
			tt.setup(r)
			r.out(m1, 0x00)
			if got := r.isr(m0); got != 0 {
				t.Fatalf("ISR after setup = %#x, want 0", got)
			}
			for n := 0; n < 8; n++ {
				if n != 2 {
					r.pulse(n)
				}
			}
			for _, n := range tt.order {
				if n == 2 {
					continue
				}
				r.wantAck(masterVec + uint8(n))
				r.out(m0, 0x60|uint8(n)) // specific EOI keeps the priorities
			}
		})
	}
}

// The datasheet's rotate-on-specific-EOI command carries one level field:
// it resets that IS bit and makes that level the lowest. Naming a level
// other than the one in service rotates but leaves the service bit set.
func TestRotateOnSpecificEOIResetsOnlyTheNamedLevel(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.out(m1, 0x04)
	r.pulse(3)
	r.wantAck(masterVec + 3)
	r.out(m0, 0xE5) // reset IS5 (clear already), IR5 lowest
	if got := r.isr(m0); got != 0x08 {
		t.Fatalf("ISR = %#x, want 0x08 (IS3 still set)", got)
	}
	// IR3 in service now ranks below IR6, IR7, IR0 and IR1 only.
	r.pulse(4)
	r.wantIdle() // IR4 ranks below IR3
	r.pulse(0)
	r.wantAck(masterVec + 0)
	r.out(m0, 0x60) // specific EOI 0
	r.out(m0, 0x63) // specific EOI 3
	r.wantAck(masterVec + 4)
}

func TestAutoEOI(t *testing.T) {
	r := newRig(t)
	r.initPC(0x03) // 8086 mode, AEOI
	r.pulse(3)
	r.wantAck(masterVec + 3)
	if got := r.isr(m0); got != 0 {
		t.Fatalf("ISR in AEOI mode = %#x, want 0", got)
	}
	r.pulse(5) // lower priority: no IS bit blocks it
	r.wantAck(masterVec + 5)

	// Rotate in AEOI mode: the acknowledged level becomes the lowest.
	r.out(m0, 0x80)
	r.pulse(1)
	r.wantAck(masterVec + 1)
	r.pulse(0)
	r.pulse(3)
	r.wantAck(masterVec + 3) // 2 is highest now; 3 beats 0
	r.out(m0, 0x00)          // clear rotate-in-AEOI
	r.pulse(0)
	r.pulse(5)
	r.wantAck(masterVec + 5) // after 3 rotated: 4 highest, then 5
	r.wantAck(masterVec + 0)
}

func TestCascadeSetsBothInService(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.pulse(10)
	r.wantAck(slaveVec + 2)
	if got := r.isr(m0); got != 0x04 {
		t.Fatalf("master ISR = %#x, want 0x04", got)
	}
	if got := r.isr(s0); got != 0x04 {
		t.Fatalf("slave ISR = %#x, want 0x04", got)
	}
	// Master IR2 in service blocks IRQ 3-7 until the master's EOI.
	r.pulse(4)
	r.out(s0, 0x20)
	r.wantIdle()
	r.out(m0, 0x20)
	r.wantAck(masterVec + 4)
}

func TestSlaveNestsOnlyInSpecialFullyNestedMode(t *testing.T) {
	for _, sfnm := range []bool{false, true} {
		t.Run(fmt.Sprint("SFNM=", sfnm), func(t *testing.T) {
			r := newRig(t)
			icw4 := uint8(0x01)
			if sfnm {
				icw4 |= 0x10
			}
			r.initPC(icw4)
			r.pulse(12)
			r.wantAck(slaveVec + 4)
			r.pulse(8) // higher priority on the same slave
			if r.c.Pending() != sfnm {
				t.Fatalf("Pending() = %v, want %v", r.c.Pending(), sfnm)
			}
			if sfnm {
				r.wantAck(slaveVec + 0)
				// Lower master inputs stay blocked behind IR2.
				r.pulse(5)
				r.wantIdle()
			}
		})
	}
}

func TestSlaveAutoEOIDeliversQueuedRequests(t *testing.T) {
	r := newRig(t)
	r.initPC(0x03)
	r.pulse(9)
	r.pulse(11)
	r.wantAck(slaveVec + 1)
	r.wantAck(slaveVec + 3)
	r.wantIdle()
}

func TestLevelTriggeredReassertsAfterEOI(t *testing.T) {
	for _, n := range []int{5, 11} {
		t.Run(fmt.Sprint("IRQ", n), func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			if n < 8 {
				r.out(elcr1, 1<<n)
			} else {
				r.out(elcr2, 1<<(n-8))
			}
			r.raise(n)
			r.wantAck(vecOf(n))
			r.wantIdle() // in service
			r.eoi(vecOf(n))
			r.wantAck(vecOf(n)) // still high: requests again
			r.lower(n)
			r.eoi(vecOf(n))
			r.wantIdle()
		})
	}
}

func TestEdgeTriggeredNeedsNewEdge(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.raise(1)
	r.wantAck(masterVec + 1)
	r.eoi(masterVec + 1)
	r.wantIdle() // still high, but no new edge
	r.raise(1)
	r.wantIdle() // raising a high line again is not an edge
	r.lower(1)
	r.wantIdle()
	r.raise(1)
	r.wantAck(masterVec + 1)
}

func TestELCRReservedBits(t *testing.T) {
	r := newRig(t)
	r.out(elcr1, 0xFF)
	r.out(elcr2, 0xFF)
	if got := r.in(elcr1); got != 0xF8 {
		t.Fatalf("ELCR1 = %#x, want 0xF8 (IRQ 0-2 always edge)", got)
	}
	if got := r.in(elcr2); got != 0xDE {
		t.Fatalf("ELCR2 = %#x, want 0xDE (IRQ 8 and 13 always edge)", got)
	}
	r.out(elcr1, 0x20)
	if got := r.in(elcr1); got != 0x20 {
		t.Fatalf("ELCR1 = %#x, want 0x20", got)
	}
}

func TestSpuriousIRQ7(t *testing.T) {
	tests := []struct {
		name   string
		vanish func(r *rig)
	}{
		{"level input fell", func(r *rig) { r.lower(5) }},
		{"request masked", func(r *rig) { r.out(m1, 0x20) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			r.out(elcr1, 0x20)
			r.raise(5)
			if !r.c.Pending() {
				t.Fatal("INTR not asserted")
			}
			tt.vanish(r)
			if got := r.c.Ack(); got != masterVec+7 {
				t.Fatalf("Ack() = %#x, want spurious %#x", got, masterVec+7)
			}
			if got := r.isr(m0); got != 0 {
				t.Fatalf("ISR after spurious IRQ 7 = %#x, want 0", got)
			}
		})
	}
}

func TestSpuriousIRQ15KeepsMasterIR2InService(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.out(elcr2, 0x08) // IRQ 11 level-triggered
	r.raise(11)
	if !r.c.Pending() {
		t.Fatal("INTR not asserted")
	}
	// The slave's INT rose and the master latched IR2 (edge); the
	// device drops its request before the INTA cycle.
	r.lower(11)
	if got := r.c.Ack(); got != slaveVec+7 {
		t.Fatalf("Ack() = %#x, want spurious %#x", got, slaveVec+7)
	}
	if got := r.isr(s0); got != 0 {
		t.Fatalf("slave ISR = %#x, want 0", got)
	}
	if got := r.isr(m0); got != 0x04 {
		t.Fatalf("master ISR = %#x, want 0x04 (IR2 in service)", got)
	}
	r.out(m0, 0x20)
	if got := r.isr(m0); got != 0 {
		t.Fatalf("master ISR after EOI = %#x, want 0", got)
	}
}

func TestPollCommand(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.out(m0, 0x0C) // OCW3 poll
	if got := r.in(m0); got != 0 {
		t.Fatalf("poll with no request = %#x, want 0", got)
	}
	r.pulse(6)
	r.pulse(4)
	r.out(m0, 0x0C)
	if got := r.in(m1); got != 0x84 { // either port answers a poll
		t.Fatalf("poll = %#x, want 0x84", got)
	}
	if got := r.isr(m0); got != 0x10 {
		t.Fatalf("ISR after poll = %#x, want 0x10", got)
	}
	if got := r.in(m1); got != 0 { // the poll is one-shot: now IMR
		t.Fatalf("read after poll = %#x, want IMR 0", got)
	}
	r.out(m0, 0x20)
	r.out(m0, 0x0C)
	if got := r.in(m0); got != 0x86 {
		t.Fatalf("second poll = %#x, want 0x86", got)
	}
}

func TestSpecialMaskModeEnablesLowerLevels(t *testing.T) {
	for _, smm := range []bool{false, true} {
		t.Run(fmt.Sprint("SMM=", smm), func(t *testing.T) {
			r := newRig(t)
			r.initPC(0x01)
			r.pulse(3)
			r.wantAck(masterVec + 3)
			r.out(m1, 0x08) // the handler masks its own level
			if smm {
				r.out(m0, 0x68) // OCW3 ESMM|SMM
			}
			r.pulse(5)
			if r.c.Pending() != smm {
				t.Fatalf("Pending() = %v, want %v", r.c.Pending(), smm)
			}
			if !smm {
				return
			}
			r.wantAck(masterVec + 5)
			// A non-specific EOI skips the masked level 3.
			r.out(m0, 0x20)
			if got := r.isr(m0); got != 0x08 {
				t.Fatalf("ISR = %#x, want 0x08", got)
			}
			r.out(m0, 0x48) // leave special mask mode
			r.pulse(6)
			r.wantIdle() // level 3 in service blocks again
		})
	}
}

func TestReadIRRAndISR(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.out(m1, 0xFF)
	r.pulse(1)
	r.pulse(6)
	if got := r.in(m0); got != 0x42 { // IRR is the default after ICW1
		t.Fatalf("IRR (default read) = %#x, want 0x42", got)
	}
	r.out(m1, 0x00)
	r.wantAck(masterVec + 1)
	if got := r.irr(m0); got != 0x40 {
		t.Fatalf("IRR = %#x, want 0x40", got)
	}
	if got := r.isr(m0); got != 0x02 {
		t.Fatalf("ISR = %#x, want 0x02", got)
	}
	// The selection sticks until changed; OCW3 without RR keeps it.
	r.out(m0, 0x08)
	if got := r.in(m0); got != 0x02 {
		t.Fatalf("ISR after OCW3 without RR = %#x, want 0x02", got)
	}
	if got := r.in(m1); got != 0x00 {
		t.Fatalf("IMR = %#x, want 0", got)
	}
}

func TestINTRLineFollowsPending(t *testing.T) {
	r := newRig(t)
	var intr irq.Recorder
	r.c.SetINTR(&intr)
	r.initPC(0x01)
	r.pulse(1)
	if !intr.Level() || intr.Rises() != 1 {
		t.Fatalf("INTR level %v rises %d, want high after 1 rise", intr.Level(), intr.Rises())
	}
	r.c.Ack()
	if intr.Level() {
		t.Fatal("INTR still high after INTA")
	}
	r.pulse(0) // IR0 outranks IR1 in service: nests
	r.out(m1, 0x01)
	r.out(m1, 0x00)
	want := []bool{true, false, true, false, true}
	got := intr.Changes()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("INTR changes %v, want %v", got, want)
	}
}

func TestBadInputIsHarmless(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	for _, n := range []int{-1, 16, 1 << 20} {
		r.c.IRQ(n).Set(true)
	}
	r.wantIdle()
	// Word and dword accesses are split by the bus; nothing panics.
	r.b.Out(m0, 4, 0xFFFFFFFF)
	_ = r.b.In(m0, 4)
	_ = r.b.In(elcr1, 2)
	// A master that claims a slave on IR5 gets no vector from anyone.
	r.out(m0, 0x11)
	r.out(m1, 0x08)
	r.out(m1, 0x20)
	r.out(m1, 0x01)
	r.pulse(5)
	r.wantAck(0xFF)
}

func TestIRQ2IsRedirectedToIRQ9(t *testing.T) {
	r := newRig(t)
	r.initPC(0x01)
	r.pulse(2)
	r.wantAck(slaveVec + 1)
}
