package i8042

// PortABase is where the board maps PortA: System Control Port A, one
// port at 0x92 (PS/2 and every PC chipset since).
const PortABase uint16 = 0x92

// System Control Port A bits (IBM PS/2 technical reference; Intel PIIX
// datasheet, "Port 92h").
const (
	paFastReset = 1 << 0 // write 1: reset the CPU (reads back 0)
	paA20       = 1 << 1 // gate A20 ("fast A20")
	paLock      = 1 << 3 // security lock: once set, stays set until reset
	paLEDs      = 3 << 6 // fixed-disk activity lights
	paStored    = paA20 | paLock | paLEDs
)

// PortA is System Control Port A at 0x92: the "fast A20" gate and the
// fast reset, without a trip through the keyboard controller. It shares
// a package with Controller because both drive A20; the board maps it
// separately at PortABase (one port, bus.Size8).
type PortA struct {
	v     byte
	a20   func(on bool)
	reset func()
}

// NewPortA returns port 0x92 in its reset state. a20 is called when bit 1
// changes (and from Reset); reset when the guest writes bit 0 as 1.
// Either may be nil.
func NewPortA(a20 func(on bool), reset func()) *PortA {
	p := &PortA{a20: a20, reset: reset}
	p.Reset()
	return p
}

// Reset clears every bit, A20 included, and reports A20 off.
func (p *PortA) Reset() {
	p.v = 0
	if p.a20 != nil {
		p.a20(false)
	}
}

// ReadPort implements bus.PortHandler. Bits 1, 3, 6 and 7 read back as
// written; bit 0 reads 0 because the reset it requests happens at once,
// so the usual read-or-write sequence can reboot again and again.
func (p *PortA) ReadPort(off uint16, size int) uint32 {
	if off != 0 {
		return widen(0xFF, size)
	}
	return widen(p.v, size)
}

// WritePort implements bus.PortHandler.
func (p *PortA) WritePort(off uint16, size int, v uint32) {
	if off != 0 {
		return
	}
	old := p.v
	p.v = byte(v)&paStored | old&paLock
	if (old^p.v)&paA20 != 0 && p.a20 != nil {
		p.a20(p.v&paA20 != 0)
	}
	if byte(v)&paFastReset != 0 && p.reset != nil {
		p.reset()
	}
}

// A20Gate combines the PC's two A20 controls: the address line is enabled
// while the keyboard controller's output port bit 1 OR port 0x92 bit 1
// is set. Pass its Controller method as Config.OnA20 and its PortA
// method to NewPortA; it calls set when the combined line changes.
type A20Gate struct {
	set        func(on bool)
	kbc, portA bool
	on, known  bool // last state passed to set, and whether there was one
}

// NewA20Gate returns a gate that drives set (e.g. bus.Bus.SetA20).
func NewA20Gate(set func(on bool)) *A20Gate { return &A20Gate{set: set} }

// Controller takes the keyboard controller's A20 output.
func (g *A20Gate) Controller(on bool) { g.kbc = on; g.update() }

// PortA takes port 0x92's A20 bit.
func (g *A20Gate) PortA(on bool) { g.portA = on; g.update() }

// On reports the combined A20 line.
func (g *A20Gate) On() bool { return g.kbc || g.portA }

func (g *A20Gate) update() {
	on := g.On()
	if g.known && on == g.on {
		return
	}
	g.on, g.known = on, true
	if g.set != nil {
		g.set(on)
	}
}
