package dma

// Port ranges of the PC/AT DMA subsystem (IBM PC/AT Technical Reference,
// System I/O address map). The board wires the handlers from these.
const (
	// DMA1Base is the first port of DMA1 (channels 0-3, byte transfers).
	DMA1Base = 0x00
	// DMA1Size is the number of ports DMA1 decodes: one per 8237 register.
	DMA1Size = 0x10
	// DMA2Base is the first port of DMA2 (channels 4-7, word transfers).
	DMA2Base = 0xC0
	// DMA2Size is the number of ports DMA2 decodes: its registers sit at
	// DMA2Base + 2*reg because the AT wires SA1-SA4 to the 8237's A0-A3,
	// so the odd ports alias the even ones.
	DMA2Size = 0x20
	// PageBase is the first page register port this package serves.
	PageBase = 0x81
	// PageSize is the number of page register ports served (0x81-0x8F).
	PageSize = 0x0F
	// POSTPort is the page-register-file port left to the board for POST
	// codes; this package does not map it.
	POSTPort = 0x80
)

// 8237A register numbers as the chip decodes A0-A3 (8237A datasheet,
// Table 2 "Software commands" and Table 3 "Word count and address
// register command codes").
const (
	regStatus     = 0x8 // read: status; write: command
	regRequest    = 0x9 // write: request register
	regMaskSingle = 0xA // write: single mask bit
	regMode       = 0xB // write: mode register
	regClearFF    = 0xC // write: clear byte pointer flip-flop
	regTemp       = 0xD // read: temporary register; write: master clear
	regClearMask  = 0xE // write: clear mask register
	regMaskAll    = 0xF // write: all mask bits (read: mask bits, as later chipsets do)
)

// Command register bits (8237A datasheet, Figure 6).
const (
	cmdMemToMem = 1 << 0 // memory-to-memory enable (not modelled)
	cmdDisable  = 1 << 2 // controller disable
)

// Mode register fields (8237A datasheet, Figure 7).
const (
	modeTypeMask   = 3 << 2 // transfer type
	modeVerify     = 0 << 2 // verify: count and address move, no memory cycle
	modeWrite      = 1 << 2 // write: device to memory
	modeRead       = 2 << 2 // read: memory to device
	modeAutoInit   = 1 << 4 // reload base address and count at TC
	modeDecrement  = 1 << 5 // address decrement select
	modeSelectMask = 3 << 6 // demand, single, block or cascade
	modeCascade    = 3 << 6
)

// pageChannel maps a page register port (offset from 0x80) to its channel,
// -1 for the spare registers (IBM PC/AT Technical Reference, "DMA page
// registers").
var pageChannel = [16]int{
	-1, 2, 3, 1, -1, -1, -1, 0, -1, 6, 7, 5, -1, -1, -1, 4,
}

// Memory is guest physical memory as the DMA controller reaches it; a
// *bus.Bus satisfies it. Size is 1 or 2.
type Memory interface {
	Read(addr uint32, size int) uint32
	Write(addr uint32, size int, v uint32)
}

// Controller is the pair of 8237A DMA controllers and the page registers.
// It is not safe for concurrent use; the machine's run loop owns it.
type Controller struct {
	mem   Memory
	chips [2]chip
	ch    [8]Channel
	page  [16]uint8 // page register file by port-0x80 (index 0 unused)
}

// chip is one 8237A: the registers shared by its four channels.
type chip struct {
	c        *Controller
	base     int   // first channel: 0 for DMA1, 4 for DMA2
	shift    uint  // port offset to register number: 0 for DMA1, 1 for DMA2
	flipFlop bool  // byte pointer: false = low byte next
	command  uint8 // command register
	tc       uint8 // status bits 0-3: terminal count reached, cleared on read
	request  uint8 // software request bits 0-3 (request register)
	temp     uint8 // temporary register: last byte moved
}

// Channel is one DMA channel. Devices hold a *Channel (from
// Controller.Channel) and use SetDREQ, Ready, Transfer and OnReady.
type Channel struct {
	c         *Controller
	n         int    // channel number 0-7
	baseAddr  uint16 // base address register
	baseCount uint16 // base count register (transfers - 1)
	curAddr   uint16 // current address register
	curCount  uint16 // current count register
	mode      uint8  // mode register bits 2-7
	masked    bool   // mask register bit
	dreq      bool   // DREQ held by the device
	onReady   func() // device callback when the channel becomes usable
}

// New returns the DMA controllers in their reset state, moving data to and
// from mem.
func New(mem Memory) *Controller {
	c := &Controller{mem: mem}
	for i := range c.chips {
		c.chips[i] = chip{c: c, base: 4 * i, shift: uint(i)}
	}
	for i := range c.ch {
		c.ch[i] = Channel{c: c, n: i}
	}
	c.Reset()
	return c
}

// Reset is a hardware reset: both chips master-cleared (all channels
// masked) and the page registers cleared. Device callbacks stay attached.
func (c *Controller) Reset() {
	for i := range c.chips {
		c.chips[i].masterClear()
	}
	for i := range c.ch {
		ch := &c.ch[i]
		ch.baseAddr, ch.baseCount, ch.curAddr, ch.curCount, ch.mode = 0, 0, 0, 0, 0
	}
	c.page = [16]uint8{}
}

// Channel returns channel n (0-7), or nil for any other n.
func (c *Controller) Channel(n int) *Channel {
	if n < 0 || n >= len(c.ch) {
		return nil
	}
	return &c.ch[n]
}

// masterClear is the 8237A master clear command, equal to a hardware
// reset of one chip: command, status, request, temporary and flip-flop
// cleared, all four mask bits set (8237A datasheet, "Software Commands").
func (k *chip) masterClear() {
	k.flipFlop = false
	k.command, k.tc, k.request, k.temp = 0, 0, 0, 0
	for i := 0; i < 4; i++ {
		k.c.ch[k.base+i].masked = true
	}
}

// readyMask is the set of channels (bit n = channel n) that could move
// data now if their device asked.
func (c *Controller) readyMask() uint8 {
	var m uint8
	for i := range c.ch {
		if c.ch[i].Ready() {
			m |= 1 << i
		}
	}
	return m
}

// notify calls the OnReady callbacks of channels that have become usable
// while their device holds DREQ. It runs after a register write has fully
// taken effect, so a callback may call Transfer.
func (c *Controller) notify(before uint8) {
	after := c.readyMask()
	for i := range c.ch {
		ch := &c.ch[i]
		if after&^before&(1<<i) != 0 && ch.dreq && ch.onReady != nil {
			ch.onReady()
		}
	}
}

// DMA1 returns the port handler for ports DMA1Base..DMA1Base+DMA1Size-1.
func (c *Controller) DMA1() *ChipPorts { return &ChipPorts{k: &c.chips[0]} }

// DMA2 returns the port handler for ports DMA2Base..DMA2Base+DMA2Size-1.
func (c *Controller) DMA2() *ChipPorts { return &ChipPorts{k: &c.chips[1]} }

// Pages returns the port handler for ports PageBase..PageBase+PageSize-1.
func (c *Controller) Pages() *PagePorts { return &PagePorts{c: c} }

// ChipPorts is the bus.PortHandler of one 8237A. Map it byte-wide; wider
// accesses are split by the bus.
type ChipPorts struct{ k *chip }

// ReadPort reads the register at offset off of the chip's port range.
func (p *ChipPorts) ReadPort(off uint16, size int) uint32 {
	k := p.k
	reg := int(off>>k.shift) & 0xF
	if reg < 8 {
		ch := &k.c.ch[k.base+reg/2]
		v := ch.curAddr
		if reg&1 != 0 {
			v = ch.curCount
		}
		return uint32(k.byteOf(v))
	}
	switch reg {
	case regStatus:
		v := k.tc
		for i := 0; i < 4; i++ {
			if k.c.ch[k.base+i].dreq || k.request&(1<<i) != 0 {
				v |= 0x10 << i
			}
		}
		k.tc = 0 // TC bits clear on read (8237A datasheet, "Status Register")
		return uint32(v)
	case regTemp:
		return uint32(k.temp)
	case regMaskAll:
		var v uint8 = 0xF0
		for i := 0; i < 4; i++ {
			if k.c.ch[k.base+i].masked {
				v |= 1 << i
			}
		}
		return uint32(v)
	}
	return 0xFF
}

// byteOf returns the byte of v the flip-flop points at and toggles it.
func (k *chip) byteOf(v uint16) uint8 {
	b := uint8(v)
	if k.flipFlop {
		b = uint8(v >> 8)
	}
	k.flipFlop = !k.flipFlop
	return b
}

// setByte stores b into the byte of *v the flip-flop points at and
// toggles it.
func (k *chip) setByte(v *uint16, b uint8) {
	if k.flipFlop {
		*v = *v&0x00FF | uint16(b)<<8
	} else {
		*v = *v&0xFF00 | uint16(b)
	}
	k.flipFlop = !k.flipFlop
}

// WritePort writes the register at offset off of the chip's port range.
func (p *ChipPorts) WritePort(off uint16, size int, v uint32) {
	k := p.k
	c := k.c
	b := uint8(v)
	reg := int(off>>k.shift) & 0xF
	before := c.readyMask()
	switch {
	case reg < 8:
		// Writing an address or count loads the base and the current
		// register together (8237A datasheet, "Base Address Registers").
		ch := &c.ch[k.base+reg/2]
		if reg&1 == 0 {
			ff := k.flipFlop
			k.setByte(&ch.baseAddr, b)
			k.flipFlop = ff
			k.setByte(&ch.curAddr, b)
		} else {
			ff := k.flipFlop
			k.setByte(&ch.baseCount, b)
			k.flipFlop = ff
			k.setByte(&ch.curCount, b)
		}
	case reg == regStatus:
		k.command = b
	case reg == regRequest:
		if b&4 != 0 {
			k.request |= 1 << (b & 3)
		} else {
			k.request &^= 1 << (b & 3)
		}
	case reg == regMaskSingle:
		c.ch[k.base+int(b&3)].masked = b&4 != 0
	case reg == regMode:
		c.ch[k.base+int(b&3)].mode = b &^ 3
	case reg == regClearFF:
		k.flipFlop = false
	case reg == regTemp:
		k.masterClear()
	case reg == regClearMask:
		for i := 0; i < 4; i++ {
			c.ch[k.base+i].masked = false
		}
	case reg == regMaskAll:
		for i := 0; i < 4; i++ {
			c.ch[k.base+i].masked = b&(1<<i) != 0
		}
	}
	c.notify(before)
}

// PagePorts is the bus.PortHandler of the page register file at
// PageBase. Map it byte-wide.
type PagePorts struct{ c *Controller }

// ReadPort reads a page register; the spare ones read back what was
// written, as on the 74LS612.
func (p *PagePorts) ReadPort(off uint16, size int) uint32 {
	i := int(off) + PageBase - POSTPort
	if i <= 0 || i >= len(p.c.page) {
		return 0xFF
	}
	return uint32(p.c.page[i])
}

// WritePort writes a page register.
func (p *PagePorts) WritePort(off uint16, size int, v uint32) {
	i := int(off) + PageBase - POSTPort
	if i <= 0 || i >= len(p.c.page) {
		return
	}
	p.c.page[i] = uint8(v)
}

// pageOf returns the page register of channel n.
func (c *Controller) pageOf(n int) uint8 {
	for i, ch := range pageChannel {
		if ch == n {
			return c.page[i]
		}
	}
	return 0
}
