package pic

import (
	"sync"

	"ringzero/devices/irq"
)

// Default port bases and wiring of the PC/AT pair.
const (
	// MasterBase is the first port of the master 8259A (0x20-0x21).
	MasterBase = 0x20
	// SlaveBase is the first port of the slave 8259A (0xA0-0xA1).
	SlaveBase = 0xA0
	// ELCRBase is the first port of the PIIX edge/level control
	// registers: ELCR1 (IRQ 0-7) at 0x4D0, ELCR2 (IRQ 8-15) at 0x4D1.
	ELCRBase = 0x4D0
	// Ports is the number of ports in each of the three ranges.
	Ports = 2
	// CascadeIRQ is the master input the slave's INT drives.
	CascadeIRQ = 2
	// NumIRQ is the number of interrupt inputs, IRQ 0-15.
	NumIRQ = 16
	// SlaveID is the slave's cascade identity (its ICW3) on the PC/AT.
	SlaveID = 2
)

// Writable ELCR bits. PIIX section 2.3.6: IRQ 0, 1, 2, 8 and 13 are
// always edge-triggered, so their ELCR bits are reserved and read 0.
const (
	elcr1Mask = 0xF8
	elcr2Mask = 0xDE
)

// Controller is the master/slave 8259A pair of a PC/AT with the PIIX
// ELCR. It implements the CPU's interrupt interface (Pending and Ack).
// It is safe for concurrent use: devices may raise lines from any
// goroutine while the engine runs.
type Controller struct {
	mu     sync.Mutex
	master chip
	slave  chip
	intr   bool     // present level of the master's INT output
	intrTo irq.Line // told of every INTR change; nil if none
	inputs [NumIRQ]input
}

// New returns a controller in its power-on state: both chips masked,
// all inputs edge-triggered.
func New() *Controller {
	c := &Controller{}
	for i := range c.inputs {
		c.inputs[i] = input{c: c, n: i}
	}
	c.Reset()
	return c
}

// Reset returns both chips and the ELCR to their power-on state. Input
// pin levels are kept: they belong to the devices driving them.
func (c *Controller) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.master.reset(elcr1Mask, 1<<CascadeIRQ)
	c.slave.reset(elcr2Mask, SlaveID)
	c.update()
}

// SetINTR connects l to the INTR output (the master's INT pin), so an
// engine that sleeps in the guest (KVM) can be kicked when an interrupt
// becomes deliverable. l is set to the present level now and on every
// change after. It is called with the controller locked: it must not
// call back into the Controller.
func (c *Controller) SetINTR(l irq.Line) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.intrTo = l
	if l != nil && c.intr {
		l.Set(true)
	}
}

// IRQ returns the input line for IRQ n (0-15). IRQ 2 is the AT bus's
// IRQ2/9 pin, which the AT redirects to the slave's IR1: it is the same
// input as IRQ 9. An out-of-range n yields a line connected to nothing.
func (c *Controller) IRQ(n int) irq.Line {
	if n == CascadeIRQ {
		n = 9
	}
	if n < 0 || n >= NumIRQ {
		return irq.None
	}
	return &c.inputs[n]
}

// Pending reports whether INTR is asserted: some unmasked request is of
// higher priority than everything in service.
func (c *Controller) Pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.intr
}

// Ack runs the interrupt-acknowledge cycle and returns the vector. If the
// request that raised INTR has gone (a level input fell, or it was
// masked), the master answers with its IR7 vector and sets no IS bit; if
// it went from the slave after the master took IR2, the slave answers
// with its IR7 vector while the master's IR2 stays in service, as on real
// hardware (datasheet "Interrupt Sequence"; the spurious IRQ 7 and 15).
func (c *Controller) Ack() uint8 {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := &c.master
	ir := m.request()
	if ir < 0 {
		return m.vectorBase + 7
	}
	m.ack(ir)
	if m.single || m.icw3&(1<<ir) == 0 {
		c.update()
		return m.vectorBase + uint8(ir)
	}
	// Cascade: the master puts the slave's ID on CAS0-2 and the slave
	// drives the vector. Only IR2 has a slave on the AT; any other IR
	// marked as cascaded finds no one there and the bus floats.
	if ir != CascadeIRQ || c.slave.icw3&7 != CascadeIRQ {
		c.update()
		return 0xFF
	}
	s := &c.slave
	var vec uint8
	if sir := s.request(); sir < 0 {
		vec = s.vectorBase + 7
	} else {
		s.ack(sir)
		vec = s.vectorBase + uint8(sir)
	}
	// The slave's INT drops during the INTA cycle; if it still has a
	// request (AEOI with more pending) it rises again, which the master
	// sees as a fresh edge on IR2.
	m.setLine(CascadeIRQ, false)
	c.update()
	return vec
}

// update propagates the slave's INT to the master's IR2 and the master's
// INT to INTR. Called with c.mu held after every state change.
func (c *Controller) update() {
	c.master.setLine(CascadeIRQ, c.slave.request() >= 0)
	intr := c.master.request() >= 0
	if intr != c.intr {
		c.intr = intr
		if c.intrTo != nil {
			c.intrTo.Set(intr)
		}
	}
}

// input is one IRQ pin as a device sees it.
type input struct {
	c *Controller
	n int
}

// Set drives the pin.
func (in *input) Set(level bool) {
	c := in.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if in.n < 8 {
		c.master.setLine(in.n, level)
	} else {
		c.slave.setLine(in.n-8, level)
	}
	c.update()
}

// MasterPorts returns the handler for the master's two ports, to be
// mapped at MasterBase.
func (c *Controller) MasterPorts() *ChipPorts { return &ChipPorts{c: c, p: &c.master} }

// SlavePorts returns the handler for the slave's two ports, to be mapped
// at SlaveBase.
func (c *Controller) SlavePorts() *ChipPorts { return &ChipPorts{c: c, p: &c.slave} }

// ELCRPorts returns the handler for ELCR1 and ELCR2, to be mapped at
// ELCRBase.
func (c *Controller) ELCRPorts() *ELCR { return &ELCR{c: c} }

// ChipPorts is the port view of one 8259A: offset 0 is A0=0 (ICW1, OCW2,
// OCW3; reads IRR or ISR), offset 1 is A0=1 (ICW2-4, OCW1; reads IMR).
// It implements bus.PortHandler for byte accesses.
type ChipPorts struct {
	c *Controller
	p *chip
}

// ReadPort reads the register at off.
func (h *ChipPorts) ReadPort(off uint16, size int) uint32 {
	if off >= Ports {
		return 0xFF
	}
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	v := h.p.read(int(off))
	h.c.update() // a poll read acknowledges like INTA
	return uint32(v)
}

// WritePort writes the low byte of v to the register at off.
func (h *ChipPorts) WritePort(off uint16, size int, v uint32) {
	if off >= Ports {
		return
	}
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	h.p.write(int(off), uint8(v))
	h.c.update()
}

// ELCR is the port view of the PIIX edge/level control registers:
// offset 0 is ELCR1 (IRQ 0-7), offset 1 is ELCR2 (IRQ 8-15); a set bit
// makes that input level-triggered. It implements bus.PortHandler.
type ELCR struct{ c *Controller }

// ReadPort reads ELCR1 or ELCR2.
func (h *ELCR) ReadPort(off uint16, size int) uint32 {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	switch off {
	case 0:
		return uint32(h.c.master.elcr)
	case 1:
		return uint32(h.c.slave.elcr)
	}
	return 0xFF
}

// WritePort writes ELCR1 or ELCR2; reserved bits stay 0.
func (h *ELCR) WritePort(off uint16, size int, v uint32) {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	switch off {
	case 0:
		h.c.master.setELCR(uint8(v))
	case 1:
		h.c.slave.setELCR(uint8(v))
	}
	h.c.update()
}
