package apic

import (
	"sync"

	"ringzero/devices/irq"
)

// I/O APIC constants of the PC.
const (
	// IOBase is the I/O APIC's physical address.
	IOBase = 0xFEC00000
	// IOSize is the size of the page the board maps for it (the
	// registers take the first 20h bytes).
	IOSize = 0x1000
	// IOPins is the number of interrupt inputs (redirection entries).
	IOPins = 24
	// IOVersion is the version register: version 11h, maximum
	// redirection entry 17h (82093AA datasheet, 3.2.2).
	IOVersion = 0x00170011
	// ISATimerPin is the pin the PIT's IRQ 0 reaches: ISA IRQ n goes to
	// pin n but IRQ 0 goes to pin 2, which the MADT announces with an
	// interrupt source override (QEMU's wiring).
	ISATimerPin = 2
)

// Register offsets in the window and register indexes behind IOWIN
// (82093AA datasheet, 3.0 and 3.2).
const (
	ioRegSel  = 0x00
	ioWin     = 0x10
	ioRegID   = 0x00
	ioRegVer  = 0x01
	ioRegArb  = 0x02
	ioRegRedi = 0x10 // entry n: low dword at 10h+2n, high at 11h+2n
)

// Redirection entry fields (datasheet 3.2.4).
const (
	rteVector   = 0xFF
	rteModeSh   = 8
	rteLogical  = 1 << 11
	rteRemote   = 1 << 14 // remote IRR: a level interrupt accepted, no EOI yet
	rteLevel    = 1 << 15
	rteMasked   = 1 << 16
	rteDestSh   = 56
	rteRW       = 0xFF000000_0001AFFF // vector..dest mode, polarity, trigger, mask, destination
	ioIDMask    = 0x0F000000
	rteResetVal = rteMasked
)

// IO is an 82093AA I/O APIC. Its pins are irq.Lines; it sends interrupt
// messages to the local APIC through the deliver function given to
// NewIO and hears EOIs through EOI. It implements bus.MMIOHandler for its
// window at IOBase. It is safe for concurrent use.
type IO struct {
	mu      sync.Mutex
	deliver func(Message) // called with mu held: must not call back into IO

	id    uint32 // ID register (bits 27-24)
	sel   uint8  // IOREGSEL
	redir [IOPins]uint64
	irr   uint32 // pins with a request: latched edges, high level inputs
	lines uint32 // present pin levels
	pins  [IOPins]pin
}

// NewIO returns an I/O APIC in its reset state that sends its
// interrupts to deliver.
func NewIO(deliver func(Message)) *IO {
	io := &IO{deliver: deliver}
	for i := range io.pins {
		io.pins[i] = pin{io, i}
	}
	io.Reset()
	return io
}

// Reset masks every entry and clears the ID and requests (the pin levels
// stay: they belong to the devices).
func (io *IO) Reset() {
	io.mu.Lock()
	defer io.mu.Unlock()
	io.id, io.sel, io.irr = 0, 0, 0
	for i := range io.redir {
		io.redir[i] = rteResetVal
	}
}

// Pin returns input n (0-23); an out-of-range n is connected to nothing.
func (io *IO) Pin(n int) irq.Line {
	if n < 0 || n >= IOPins {
		return irq.None
	}
	return &io.pins[n]
}

// pin is one input as a device sees it.
type pin struct {
	io *IO
	n  int
}

// Set drives the pin. A level-triggered entry requests while the pin is
// high; an edge-triggered one latches a rising edge, unless the entry is
// masked then (the datasheet ignores edges on masked pins).
func (p *pin) Set(level bool) {
	io := p.io
	io.mu.Lock()
	defer io.mu.Unlock()
	bit := uint32(1) << p.n
	rising := level && io.lines&bit == 0
	if level {
		io.lines |= bit
	} else {
		io.lines &^= bit
	}
	e := io.redir[p.n]
	switch {
	case e&rteLevel != 0 && level:
		io.irr |= bit
	case e&rteLevel != 0:
		io.irr &^= bit
	case rising && e&rteMasked == 0:
		io.irr |= bit
	}
	io.service()
}

// service sends every unmasked request: an edge request is consumed, a
// level one stays while the pin is high but sets remote IRR, which holds
// further messages until the EOI. Called with mu held.
func (io *IO) service() {
	for n := 0; n < IOPins; n++ {
		bit := uint32(1) << n
		e := io.redir[n]
		if io.irr&bit == 0 || e&rteMasked != 0 {
			continue
		}
		level := e&rteLevel != 0
		if level {
			if e&rteRemote != 0 {
				continue
			}
			io.redir[n] |= rteRemote
		} else {
			io.irr &^= bit
		}
		if io.deliver != nil {
			io.deliver(Message{
				Vector:  uint8(e),
				Mode:    uint8(e >> rteModeSh & 7),
				Logical: e&rteLogical != 0,
				Dest:    uint8(e >> rteDestSh),
				Level:   level,
			})
		}
	}
}

// EOI is the local APIC's EOI broadcast for a level-triggered vector:
// entries with that vector clear remote IRR, and a pin still high sends
// again.
func (io *IO) EOI(vector uint8) {
	io.mu.Lock()
	defer io.mu.Unlock()
	for n := range io.redir {
		if e := io.redir[n]; uint8(e) == vector && e&rteRemote != 0 {
			io.redir[n] &^= rteRemote
		}
	}
	io.service()
}

// ReadMMIO reads IOREGSEL (offset 0) or IOWIN (offset 10h); narrower
// reads see part of the register, anything else reads 0.
func (io *IO) ReadMMIO(off uint32, size int) uint32 {
	io.mu.Lock()
	defer io.mu.Unlock()
	var v uint32
	switch {
	case off < ioRegSel+4:
		v = uint32(io.sel)
		off -= ioRegSel
	case off >= ioWin && off < ioWin+4:
		v = io.read(io.sel)
		off -= ioWin
	default:
		return 0
	}
	if off+uint32(size) > 4 {
		return 0
	}
	return v >> (8 * off) & (0xFFFFFFFF >> (32 - 8*size))
}

// WriteMMIO writes IOREGSEL (its low byte) or, with a 32-bit write,
// IOWIN.
func (io *IO) WriteMMIO(off uint32, size int, v uint32) {
	io.mu.Lock()
	defer io.mu.Unlock()
	switch {
	case off == ioRegSel:
		io.sel = uint8(v)
	case off == ioWin && size == 4:
		io.write(io.sel, v)
	}
}

// read returns the register at index r. Called with mu held.
func (io *IO) read(r uint8) uint32 {
	switch {
	case r == ioRegID, r == ioRegArb:
		return io.id
	case r == ioRegVer:
		return IOVersion
	case r >= ioRegRedi && r < ioRegRedi+2*IOPins:
		e := io.redir[(r-ioRegRedi)/2]
		if r&1 != 0 {
			return uint32(e >> 32)
		}
		return uint32(e)
	}
	return 0
}

// write writes v to the register at index r: the ID's four bits, or half
// of a redirection entry (its delivery status and remote IRR are
// read-only; an entry made edge-triggered drops remote IRR). A pending
// request an entry now lets through is sent. Called with mu held.
func (io *IO) write(r uint8, v uint32) {
	switch {
	case r == ioRegID:
		io.id = v & ioIDMask
	case r >= ioRegRedi && r < ioRegRedi+2*IOPins:
		n := (r - ioRegRedi) / 2
		e := io.redir[n]
		if r&1 != 0 {
			e = e&0xFFFFFFFF | uint64(v)<<32
		} else {
			e = e&^0xFFFFFFFF | uint64(v)
		}
		e = e&rteRW | io.redir[n]&rteRemote
		if e&rteLevel == 0 {
			e &^= rteRemote
			// An edge entry requests only on a new edge.
			io.irr &^= 1 << n
		} else if io.lines&(1<<n) != 0 {
			io.irr |= 1 << n
		}
		io.redir[n] = e
		io.service()
	}
}
