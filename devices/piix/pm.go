package piix

import "ringzero/devices/pci"

// Power-management function registers (PIIX4 datasheet, section 3.5;
// 82371AB order 290562).
const (
	RegPMBA      = 0x40 // power-management base address: bits 15-6, bit 0 reads 1
	RegDEVACTB   = 0x58 // device activity B: bit 25 APMC_EN (SMI on APM control writes)
	RegPMREGMISC = 0x80 // bit 0 PMIOSE: the PM I/O block decodes
	RegSMBBA     = 0x90 // SMBus base address: bits 15-4, bit 0 reads 1
	RegSMBHSTCFG = 0xD2 // SMBus host configuration: bit 0 enables the SMBus block
	// PMBlockSize is the size of the PM I/O block PMBA places: PM1a
	// status/enable at +0, PM1a control at +4, the PM timer at +8, the
	// general-purpose registers above them.
	PMBlockSize = 64
	// SCIIRQ is where the PIIX4 (as QEMU wires it) raises the ACPI SCI.
	SCIIRQ = 9
)

// Offsets of the ACPI fixed registers inside the PM I/O block, where
// devices/debugport.PowerManagement's Events, Control and Timer go.
const (
	PMEventsOff  = 0x00 // PM1a_EVT_BLK, 4 ports
	PMControlOff = 0x04 // PM1a_CNT_BLK, 2 ports
	PMTimerOff   = 0x08 // PM_TMR_BLK, 4 ports
)

const (
	pmbaMask     = 0xFFC0
	devactbAPMC  = 1 << 25
	pmregmiscIOS = 1 << 0
)

// PM is the PIIX4 power-management function (8086:7113), as QEMU puts it
// next to a PIIX3. The guest places the ACPI register block with PMBA
// (0x40) and turns it on with PMREGMISC bit 0 (0x80); OnPMBase tells the
// board so it can move the devices/debugport.PowerManagement handlers.
// The SCI is wired to IRQ SCIIRQ; the interrupt line register (0x3C)
// starts at 9 and is only stored.
//
// APMC_EN (bit 25 of DEVACTB) reads as set, as QEMU does when the
// machine has no SMM: SeaBIOS takes it to mean that SMM is set up already
// and skips the SMI-based relocation, which would wait forever here. The
// SMBus registers are stored; there is no SMBus controller.
type PM struct {
	// OnPMBase, if not nil, is told when the PM I/O block moves or is
	// turned on or off: the board unmaps the block from its old place
	// and, if enabled, maps it at base (PMBlockSize ports).
	OnPMBase func(base uint16, enabled bool)

	cfg     pci.Config
	base    uint16 // last reported
	enabled bool
}

// NewPM returns the function in its power-on state: the PM block at 0,
// disabled.
func NewPM() *PM {
	d := &PM{}
	c := &d.cfg
	c.Init(pci.ID{Vendor: pci.VendorIntel, Device: DevicePM, Revision: 0x03, Class: 0x068000, IntPin: 1})
	c.SetWord(pci.RegStatus, 0x0280)
	c.SetByte(pci.RegIntLine, SCIIRQ)
	c.SetLong(RegPMBA, 1)
	c.SetWritable(RegPMBA, 4, pmbaMask)
	c.SetWritable(0x44, 4, 0xFFFFFFFF) // CNTA, CNTB: stored
	c.SetWritable(0x48, 4, 0xFFFFFFFF)
	c.SetWritable(0x4C, 4, 0xFFFFFFFF) // GPICTL
	c.SetWritable(0x50, 4, 0xFFFFFFFF) // DEVRESD, DEVACTA
	c.SetWritable(0x54, 4, 0xFFFFFFFF) // DEVRESA
	c.SetLong(RegDEVACTB, devactbAPMC)
	c.SetWritable(RegDEVACTB, 4, 0xFFFFFFFF&^devactbAPMC)
	c.SetWritable(0x5C, 4, 0xFFFFFFFF) // DEVRESB
	c.SetWritable(0x60, 4, 0xFFFFFFFF) // DEVRESC
	c.SetWritable(0x64, 4, 0xFFFFFFFF) // DEVRESE
	c.SetWritable(0x68, 4, 0xFFFFFFFF) // DEVRESF
	c.SetWritable(0x6C, 4, 0xFFFFFFFF) // DEVRESG
	c.SetWritable(0x70, 4, 0xFFFFFFFF) // DEVRESH
	c.SetWritable(0x74, 4, 0xFFFFFFFF) // DEVRESI
	c.SetWritable(0x78, 4, 0xFFFFFFFF) // DEVRESJ
	c.SetWritable(RegPMREGMISC, 1, pmregmiscIOS)
	c.SetLong(RegSMBBA, 1)
	c.SetWritable(RegSMBBA, 4, 0xFFF0)
	c.SetWritable(RegSMBHSTCFG, 1, 0x0F)
	return d
}

// PCIConfig returns the configuration space.
func (d *PM) PCIConfig() *pci.Config { return &d.cfg }

// ConfigWritten reports a move of the PM block after a write to PMBA or
// PMREGMISC.
func (d *PM) ConfigWritten(off uint8, size int) {
	end := int(off) + size
	if (int(off) < RegPMBA+4 && end > RegPMBA) || (int(off) <= RegPMREGMISC && end > RegPMREGMISC) {
		d.update()
	}
}

// ConfigReset reports the block disabled.
func (d *PM) ConfigReset() { d.update() }

// PMBase returns where the PM I/O block decodes, and whether it does.
func (d *PM) PMBase() (base uint16, enabled bool) {
	return uint16(d.cfg.Long(RegPMBA) & pmbaMask), d.cfg.Byte(RegPMREGMISC)&pmregmiscIOS != 0
}

func (d *PM) update() {
	base, on := d.PMBase()
	if on == d.enabled && (!on || base == d.base) {
		d.base = base
		return
	}
	d.base, d.enabled = base, on
	if d.OnPMBase != nil {
		d.OnPMBase(base, on)
	}
}
