package piix

import (
	"ringzero/devices/irq"
	"ringzero/devices/pci"
)

// Where the PIIX functions sit on bus 0, as in QEMU's "pc" machine:
// slot 1, with the ISA bridge at function 0, IDE at 1 and the PIIX4
// power-management function at 3 (function 2, USB, is not modelled).
const (
	Slot    = 1
	FnISA   = 0
	FnIDE   = 1
	FnPM    = 3
	ISAIRQs = 16
)

// PCI identities (Intel 82371SB PIIX3 and 82371AB PIIX4 datasheets).
const (
	DeviceISA = 0x7000 // 82371SB PIIX3 PCI-to-ISA bridge
	DeviceIDE = 0x7010 // 82371SB PIIX3 IDE controller
	DevicePM  = 0x7113 // 82371AB PIIX4 power management
)

// ISA bridge registers (PIIX3 datasheet, section 2.2).
const (
	RegPIRQRC = 0x60 // PIRQ route control A-D, 0x60-0x63
	pirqOff   = 0x80 // IRQEN#: routing disabled
	pirqIRQ   = 0x0F // the ISA IRQ
)

// ISA is the PIIX3 PCI-to-ISA bridge function. Of its registers, the
// PIRQ route control registers act: each of PIRQA#-PIRQD# goes to the
// ISA IRQ in bits 0-3 of its register unless bit 7 disables it; IRQ 0-2,
// 8 and 13 are reserved and route nothing. The others (ISA clock, X-bus
// chip select, top of memory, the motherboard IRQ and DMA routing, the
// SMI and APIC registers) are stored only. The edge/level control
// registers at ports 0x4D0-0x4D1 are devices/pic's.
//
// PCI interrupts are level-triggered and shared: an ISA IRQ output is
// high while any PIRQ routed to it is. The board must not route another
// device's line to the same IRQ input (SeaBIOS uses 10 and 11).
type ISA struct {
	cfg   pci.Config
	out   [ISAIRQs]irq.Line
	pirq  [4]bool       // input levels
	level [ISAIRQs]bool // levels driven on out
	pins  [4]pirqInput  // the PIRQ inputs as lines
}

type pirqInput struct {
	s *ISA
	n int
}

// Set drives PIRQ n.
func (p pirqInput) Set(level bool) {
	p.s.pirq[p.n] = level
	p.s.route()
}

// NewISA returns the bridge in its power-on state, every PIRQ unrouted.
// isaIRQ gives the interrupt controller input for an ISA IRQ (nil, or a
// nil line, leaves it unconnected).
func NewISA(isaIRQ func(n int) irq.Line) *ISA {
	s := &ISA{}
	for i := range s.out {
		s.out[i] = irq.None
		if isaIRQ != nil {
			if l := isaIRQ(i); l != nil {
				s.out[i] = l
			}
		}
	}
	for i := range s.pins {
		s.pins[i] = pirqInput{s: s, n: i}
	}
	c := &s.cfg
	c.Init(pci.ID{Vendor: pci.VendorIntel, Device: DeviceISA, Class: 0x060100})
	c.SetWord(pci.RegCommand, pci.CmdIO|pci.CmdMemory|pci.CmdBusMaster)
	c.SetWord(pci.RegStatus, 0x0200) // medium DEVSEL
	c.SetByte(pci.RegHeaderType, pci.HeaderMultiFunction)
	// Power-on values and writable bits of the stored registers (PIIX3
	// datasheet, section 2.2).
	regs := []struct {
		off      uint8
		v, wmask uint8
	}{
		{0x4C, 0x4D, 0x7F}, // IORT
		{0x4E, 0x03, 0xFF}, // XBCS
		{0x4F, 0x00, 0xFF},
		{0x60, 0x80, 0x8F}, {0x61, 0x80, 0x8F}, {0x62, 0x80, 0x8F}, {0x63, 0x80, 0x8F},
		{0x69, 0x02, 0xFE},                     // TOM
		{0x6A, 0x00, 0xFF}, {0x6B, 0x00, 0xFF}, // MSTAT
		{0x70, 0x80, 0xCF}, {0x71, 0x80, 0xCF}, // MBIRQ0-1
		{0x76, 0x0C, 0x8F}, {0x77, 0x0C, 0x8F}, // MBDMA0-1
		{0x78, 0x02, 0xFF}, {0x79, 0x00, 0xFF}, // PCSC
		{0x80, 0x00, 0xFF}, {0x82, 0x00, 0xFF}, // APICBASE, DLC
		{0xA0, 0x08, 0xFF}, {0xA2, 0x00, 0xFF}, {0xA3, 0x00, 0xFF}, // SMICNTL, SMIEN
		{0xA4, 0x00, 0xFF}, {0xA5, 0x00, 0xFF}, {0xA6, 0x00, 0xFF}, {0xA7, 0x00, 0xFF}, // SEE
		{0xA8, 0x0F, 0xFF},                     // FTMR
		{0xAA, 0x00, 0xFF}, {0xAB, 0x00, 0xFF}, // SMIREQ
		{0xAC, 0x00, 0xFF}, {0xAE, 0x00, 0xFF}, // CTLTMR, CTLTMRH
	}
	for _, r := range regs {
		c.SetByte(r.off, r.v)
		c.SetWritable(r.off, 1, uint32(r.wmask))
	}
	return s
}

// PIRQ returns the input of PIRQ n (0-3 for PIRQA#-PIRQD#); connect it
// with pci.Host.SetPIRQ.
func (s *ISA) PIRQ(n int) irq.Line {
	if n < 0 || n >= len(s.pins) {
		return irq.None
	}
	return s.pins[n]
}

// Route returns the ISA IRQ PIRQ n reaches, or ok false when its routing
// is disabled or names a reserved IRQ.
func (s *ISA) Route(n int) (isaIRQ int, ok bool) {
	if n < 0 || n > 3 {
		return 0, false
	}
	v := s.cfg.Byte(RegPIRQRC + uint8(n))
	i := int(v & pirqIRQ)
	switch {
	case v&pirqOff != 0, i < 3, i == 8, i == 13:
		return 0, false
	}
	return i, true
}

// PCIConfig returns the configuration space.
func (s *ISA) PCIConfig() *pci.Config { return &s.cfg }

// ConfigWritten re-routes the PIRQs after a write to their registers.
func (s *ISA) ConfigWritten(off uint8, size int) {
	if int(off) < RegPIRQRC+4 && int(off)+size > RegPIRQRC {
		s.route()
	}
}

// ConfigReset drops every route (the PIRQ inputs keep their levels).
func (s *ISA) ConfigReset() { s.route() }

// route drives each ISA IRQ output from the PIRQs routed to it.
func (s *ISA) route() {
	var want [ISAIRQs]bool
	for n, lvl := range s.pirq {
		if i, ok := s.Route(n); ok && lvl {
			want[i] = true
		}
	}
	for i := range want {
		if want[i] != s.level[i] {
			s.level[i] = want[i]
			s.out[i].Set(want[i])
		}
	}
}

// Reset control register bits (PIIX3 datasheet, section 2.6.1; PIIX4
// adds FULL_RST).
const (
	RCRPort   = 0xCF9
	rcrSysRst = 1 << 1 // hard (1) or soft (0) reset when RST_CPU is written
	rcrRstCPU = 1 << 2 // writing 1 starts the reset
	rcrFull   = 1 << 3 // PIIX4: full reset, power cycled
)

// ResetControl is the reset control register at port 0xCF9: writing
// RST_CPU (bit 2) resets the machine, hard when SYS_RST (bit 1) or
// FULL_RST (bit 3) is set, soft (INIT) otherwise. Bits 1 and 3 are kept.
// pci.Host serves 0xCF9 because it lies inside its 0xCF8-0xCFF range:
// set it as Host.ResetControl.
type ResetControl struct {
	// OnReset, if not nil, is called when the guest asks for a reset.
	OnReset func(hard bool)
	v       uint8
}

// ReadPort reads the register.
func (r *ResetControl) ReadPort(off uint16, size int) uint32 { return uint32(r.v) }

// WritePort writes the register, resetting the machine if bit 2 is set.
func (r *ResetControl) WritePort(off uint16, size int, v uint32) {
	r.v = uint8(v) & (rcrSysRst | rcrFull)
	if v&rcrRstCPU != 0 && r.OnReset != nil {
		r.OnReset(v&(rcrSysRst|rcrFull) != 0)
	}
}

// Reset clears the register.
func (r *ResetControl) Reset() { r.v = 0 }
