package pic

// Command word bits, named as in the 8259A datasheet, Figure 7
// ("Initialization Command Word Format") and Figure 8 ("Operation Command
// Word Format").
const (
	icw1IC4  = 1 << 0 // ICW4 needed
	icw1SNGL = 1 << 1 // single 8259A, no ICW3
	icw1LTIM = 1 << 3 // level-triggered mode; ignored on PIIX (ELCR decides)
	icw1Sel  = 1 << 4 // with A0=0: this write is ICW1

	icw4uPM  = 1 << 0 // 8086/8088 mode (8080 mode is not modelled)
	icw4AEOI = 1 << 1 // automatic end of interrupt
	icw4SFNM = 1 << 4 // special fully nested mode

	ocw3Sel  = 1 << 3 // with A0=0 and D4=0: this write is OCW3
	ocw3RIS  = 1 << 0 // read ISR (1) or IRR (0) on the next read
	ocw3RR   = 1 << 1 // read register command: RIS is valid
	ocw3P    = 1 << 2 // poll command
	ocw3SMM  = 1 << 5 // special mask mode
	ocw3ESMM = 1 << 6 // SMM is valid
)

// OCW2 commands: bits R, SL and EOI (D7-D5), datasheet Figure 8.
const (
	ocw2RotateAEOIClear = 0 // 000: rotate in automatic EOI mode (clear)
	ocw2NonSpecificEOI  = 1 // 001
	ocw2NOP             = 2 // 010
	ocw2SpecificEOI     = 3 // 011
	ocw2RotateAEOISet   = 4 // 100: rotate in automatic EOI mode (set)
	ocw2RotateNSEOI     = 5 // 101: rotate on non-specific EOI
	ocw2SetPriority     = 6 // 110
	ocw2RotateSEOI      = 7 // 111: rotate on specific EOI
)

// chip is one 8259A. It sees only its two ports (A0) and its eight IR
// pins; the Controller wires the cascade and the CPU.
type chip struct {
	irr   uint8 // interrupt request register
	isr   uint8 // in-service register
	imr   uint8 // interrupt mask register (OCW1)
	lines uint8 // present level of the IR pins, for edge detection

	elcr     uint8 // PIIX ELCR: 1 = level-triggered input
	elcrMask uint8 // ELCR bits that are writable

	vectorBase uint8 // ICW2 T7-T3
	icw3       uint8 // master: IRs with a slave; slave: its ID (D2-D0)
	initStep   int   // 0 ready; 2, 3 or 4: the ICW expected next on A0=1
	needICW4   bool  // ICW1 IC4
	single     bool  // ICW1 SNGL
	autoEOI    bool  // ICW4 AEOI
	sfnm       bool  // ICW4 special fully nested mode
	rotateAEOI bool  // OCW2 rotate in automatic EOI mode

	lowest      uint8 // IR with the lowest priority; lowest+1 has the highest
	readISR     bool  // OCW3: reads at A0=0 return ISR (else IRR)
	poll        bool  // OCW3 poll: the next read is a poll acknowledge
	specialMask bool  // OCW3 special mask mode
}

// reset puts the chip in its power-on state: programmed for the
// conventional cascade but fully masked, so nothing is delivered before
// the BIOS initialises it.
func (p *chip) reset(elcrMask, icw3 uint8) {
	*p = chip{elcrMask: elcrMask, icw3: icw3, imr: 0xFF, lowest: 7, lines: p.lines}
}

// prio returns the priority rank of ir: 0 is the highest.
func (p *chip) prio(ir int) int { return (ir - int(p.lowest) - 1) & 7 }

// highest returns the highest-priority IR set in mask, or -1.
func (p *chip) highest(mask uint8) int {
	for i := 0; i < 8; i++ {
		ir := (int(p.lowest) + 1 + i) & 7
		if mask&(1<<ir) != 0 {
			return ir
		}
	}
	return -1
}

// request is the IR the priority resolver presents on INT, or -1.
// A request must be unmasked and of strictly higher priority than every
// level in service (datasheet "Fully Nested Mode"); in special mask mode
// masked levels in service do not block others ("Special Mask Mode"); in
// special fully nested mode a cascade input is not blocked by its own
// in-service bit, so a slave can nest higher-priority requests.
func (p *chip) request() int {
	ir := p.highest(p.irr &^ p.imr)
	if ir < 0 {
		return -1
	}
	inService := p.isr
	if p.specialMask {
		inService &^= p.imr
	}
	if s := p.highest(inService); s >= 0 {
		ps, pr := p.prio(s), p.prio(ir)
		if ps < pr || (ps == pr && !(p.sfnm && p.icw3&(1<<ir) != 0 && !p.single)) {
			return -1
		}
	}
	return ir
}

// setLine drives IR pin ir. Edge-triggered inputs latch a rising edge in
// IRR and keep it when the pin falls, so a device may signal with
// irq.Pulse (as QEMU does; a real 8259A wants the pin held until INTA).
// Level-triggered inputs make IRR follow the pin, so a request that goes
// away before INTA is gone and the INTA cycle reports a spurious IR7.
func (p *chip) setLine(ir int, level bool) {
	bit := uint8(1) << ir
	if level {
		if p.lines&bit == 0 || p.elcr&bit != 0 {
			p.irr |= bit
		}
		p.lines |= bit
		return
	}
	p.lines &^= bit
	if p.elcr&bit != 0 {
		p.irr &^= bit
	}
}

// setELCR writes the edge/level register; level inputs take the pin's
// present level as their request.
func (p *chip) setELCR(v uint8) {
	p.elcr = v & p.elcrMask
	p.irr = p.irr&^p.elcr | p.lines&p.elcr
}

// ack performs the INTA cycle for ir: the IS bit is set (unless in AEOI
// mode, which does the EOI at the end of the cycle) and an edge request is
// consumed. A level request stays in IRR while the pin is high; the IS
// bit holds it off until the EOI.
func (p *chip) ack(ir int) {
	bit := uint8(1) << ir
	if p.elcr&bit == 0 {
		p.irr &^= bit
	}
	if p.autoEOI {
		if p.rotateAEOI {
			p.lowest = uint8(ir)
		}
		return
	}
	p.isr |= bit
}

// pollRead answers the read that follows an OCW3 poll command: I (D7)
// and the highest requesting level (W2-W0), with the IS bit set as by an
// INTA (datasheet "The Poll Command"). Without a request it reads 0.
func (p *chip) pollRead() uint8 {
	p.poll = false
	ir := p.request()
	if ir < 0 {
		return 0
	}
	bit := uint8(1) << ir
	if p.elcr&bit == 0 {
		p.irr &^= bit
	}
	p.isr |= bit
	return 0x80 | uint8(ir)
}

// read serves a read of port A0.
func (p *chip) read(a0 int) uint8 {
	if p.poll {
		return p.pollRead()
	}
	if a0 == 1 {
		return p.imr
	}
	if p.readISR {
		return p.isr
	}
	return p.irr
}

// write serves a write of v to port A0.
func (p *chip) write(a0 int, v uint8) {
	if a0 == 0 {
		switch {
		case v&icw1Sel != 0:
			p.icw1(v)
		case v&ocw3Sel != 0:
			p.ocw3(v)
		default:
			p.ocw2(v)
		}
		return
	}
	switch p.initStep {
	case 2: // ICW2: T7-T3 of the vector; T2-T0 are the IR number
		p.vectorBase = v & 0xF8
		switch {
		case !p.single:
			p.initStep = 3
		case p.needICW4:
			p.initStep = 4
		default:
			p.initStep = 0
		}
	case 3: // ICW3
		p.icw3 = v
		if p.needICW4 {
			p.initStep = 4
		} else {
			p.initStep = 0
		}
	case 4: // ICW4
		p.autoEOI = v&icw4AEOI != 0
		p.sfnm = v&icw4SFNM != 0
		p.initStep = 0
	default: // OCW1
		p.imr = v
	}
}

// icw1 starts initialisation. Datasheet "Initialization Command Words":
// the edge sense circuit is reset (an input must go low to high again),
// IMR is cleared, IR7 gets the lowest priority, the slave address is 7,
// special mask mode is cleared, status read is set to IRR, and the ICW4
// functions are zeroed.
func (p *chip) icw1(v uint8) {
	p.needICW4 = v&icw1IC4 != 0
	p.single = v&icw1SNGL != 0
	p.initStep = 2
	p.irr = p.lines & p.elcr
	p.isr = 0
	p.imr = 0
	p.lowest = 7
	p.icw3 = 7
	p.specialMask = false
	p.readISR = false
	p.poll = false
	p.autoEOI = false
	p.sfnm = false
	p.rotateAEOI = false
}

// ocw2 runs an EOI or priority command.
func (p *chip) ocw2(v uint8) {
	level := int(v & 7)
	switch v >> 5 {
	case ocw2RotateAEOIClear:
		p.rotateAEOI = false
	case ocw2RotateAEOISet:
		p.rotateAEOI = true
	case ocw2NonSpecificEOI, ocw2RotateNSEOI:
		// In special mask mode a masked IS bit is not cleared by a
		// non-specific EOI (datasheet "End of Interrupt").
		inService := p.isr
		if p.specialMask {
			inService &^= p.imr
		}
		if ir := p.highest(inService); ir >= 0 {
			p.isr &^= 1 << ir
			if v>>5 == ocw2RotateNSEOI {
				p.lowest = uint8(ir)
			}
		}
	case ocw2SpecificEOI:
		p.isr &^= 1 << level
	case ocw2RotateSEOI:
		p.isr &^= 1 << level
		p.lowest = uint8(level)
	case ocw2SetPriority:
		p.lowest = uint8(level)
	case ocw2NOP:
	}
}

// ocw3 selects the register read, the poll command and special mask mode.
func (p *chip) ocw3(v uint8) {
	if v&ocw3RR != 0 {
		p.readISR = v&ocw3RIS != 0
	}
	if v&ocw3P != 0 {
		p.poll = true
	}
	if v&ocw3ESMM != 0 {
		p.specialMask = v&ocw3SMM != 0
	}
}
