package piix

import (
	"encoding/binary"

	"ringzero/devices/pci"
)

// IDE function registers (PIIX3 datasheet, section 2.3).
const (
	// BusMasterBAR is the BAR of the bus master IDE registers (BMIBA).
	BusMasterBAR = 4
	// BusMasterSize is their size: 8 ports for each channel.
	BusMasterSize = 16
	RegIDETIM     = 0x40 // primary (0x40) and secondary (0x42) timing; bit 15 decode enable
	RegSIDETIM    = 0x44 // slave timing
)

// Bus master IDE register bits (PIIX3 datasheet, section 2.7).
const (
	bmCmdStart = 1 << 0 // start/stop bus master
	bmCmdRead  = 1 << 3 // direction: 1 = write to memory
	bmStActive = 1 << 0 // bus master active (never set here)
	bmStError  = 1 << 1 // IDE DMA error, write-1-to-clear
	bmStIntr   = 1 << 2 // IDE interrupt, write-1-to-clear
)

// IDE is the PIIX3 IDE function in legacy ("compatibility") mode: its
// two channels decode the fixed ports 0x1F0/0x3F6 (IRQ 14) and
// 0x170/0x376 (IRQ 15), which the board maps straight to the ata
// channels whatever the IDE timing registers say. The programming
// interface (0x80) declares bus mastering with both channels fixed in
// legacy mode, so configuration software sizes and maps BAR 4, the bus
// master registers; BusMaster serves them.
//
// There is no DMA: the "drive DMA capable" status bits read 0, START is
// stored but moves nothing, and ACTIVE never sets, so a driver that
// looks sees a controller that does not do DMA (the drives' IDENTIFY
// data offers none either) and uses PIO.
type IDE struct {
	cfg pci.Config
	bm  BusMaster
}

// NewIDE returns the IDE function in its power-on state.
func NewIDE() *IDE {
	d := &IDE{}
	c := &d.cfg
	c.Init(pci.ID{Vendor: pci.VendorIntel, Device: DeviceIDE, Class: 0x010180})
	c.SetWord(pci.RegStatus, 0x0280)                       // fast back-to-back, medium DEVSEL
	_ = c.SetBAR(BusMasterBAR, pci.SpaceIO, BusMasterSize) // valid by construction
	c.SetWritable(RegIDETIM, 4, 0xF3FFF3FF)
	c.SetWritable(RegSIDETIM, 1, 0xFF)
	return d
}

// BusMaster returns the handler of the bus master registers; the board
// maps it (BusMasterSize ports, bus.SizeAll) where BAR 4 decodes.
func (d *IDE) BusMaster() *BusMaster { return &d.bm }

// PCIConfig returns the configuration space.
func (d *IDE) PCIConfig() *pci.Config { return &d.cfg }

// ConfigWritten does nothing: the timing registers are stored only.
func (d *IDE) ConfigWritten(off uint8, size int) {}

// ConfigReset clears the bus master registers.
func (d *IDE) ConfigReset() { d.bm.Reset() }

// BusMaster is the bus master IDE register block: for each channel (at
// offsets 0 and 8) the command register (+0), the status register (+2)
// and the descriptor table pointer (+4, 32 bits).
type BusMaster struct {
	regs [BusMasterSize]byte
}

// Reset clears every register.
func (b *BusMaster) Reset() { b.regs = [BusMasterSize]byte{} }

// ReadPort reads size bytes at off.
func (b *BusMaster) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && int(off)+i < BusMasterSize; i++ {
		v |= uint32(b.regs[int(off)+i]) << (8 * i)
	}
	return v
}

// WritePort writes size bytes at off, byte by byte through each
// register's rules.
func (b *BusMaster) WritePort(off uint16, size int, v uint32) {
	for i := 0; i < size && int(off)+i < BusMasterSize; i++ {
		o := int(off) + i
		x := uint8(v >> (8 * i))
		switch o & 7 {
		case 0: // command
			b.regs[o] = x & (bmCmdStart | bmCmdRead)
		case 2: // status: error and interrupt are write-1-to-clear
			b.regs[o] &^= x & (bmStError | bmStIntr)
		case 4: // descriptor table pointer, dword-aligned
			b.regs[o] = x &^ 3
		case 5, 6, 7:
			b.regs[o] = x
		}
	}
}

// PRDT returns the descriptor table pointer of channel ch (for tests and
// tracing).
func (b *BusMaster) PRDT(ch int) uint32 {
	return binary.LittleEndian.Uint32(b.regs[8*(ch&1)+4:])
}
