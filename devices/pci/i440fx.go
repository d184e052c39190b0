package pci

// Identity of the Intel 82441FX PCI and memory controller (PMC), the host
// bridge of the 440FX chipset that QEMU's "pc" machine models.
const (
	VendorIntel  = 0x8086
	DeviceI440FX = 0x1237
	ClassHost    = 0x060000 // bridge, host bridge
)

// I440FX registers (Intel 440FX PCIset datasheet, order 290549,
// section 3.2).
const (
	RegPAM0  = 0x59 // PAM0-PAM6 at 0x59-0x5F
	RegSMRAM = 0x72
)

// SMRAM register bits (datasheet section 3.2.29).
const (
	smramBaseSeg = 0x02 // C_BASE_SEG: fixed 010b, SMRAM at A0000h
	smramGSMRAME = 0x08 // global SMRAM enable
	smramDLCK    = 0x10 // D_LCK: locks the register until reset
	smramDCLS    = 0x20 // D_CLS: data accesses go to the VGA, code to SMRAM
	smramDOPEN   = 0x40 // D_OPEN: SMRAM visible outside SMM
)

// PAM attribute bits of each nibble (datasheet section 3.2.18).
const (
	pamRE = 1 << 0 // reads go to DRAM (else to PCI: ROM or nothing)
	pamWE = 1 << 1 // writes go to DRAM (else to PCI: dropped by a ROM)
)

// PAMRegions is the number of segments the PAM registers control: the
// 64 KiB BIOS segment F0000-FFFFF and twelve 16 KiB segments C0000-EFFFF.
const PAMRegions = 13

// PAMRegion returns the physical range of PAM segment i: 0 is
// F0000-FFFFF (PAM0 bits 4-5); i = 1-12 is C0000 + (i-1)*16 KiB, whose
// attributes are the low (odd i) or high (even i) nibble of PAM(i+1)/2.
func PAMRegion(i int) (base, size uint32) {
	if i == 0 {
		return 0xF0000, 0x10000
	}
	return 0xC0000 + uint32(i-1)*0x4000, 0x4000
}

// pamAttr extracts segment i's two attribute bits from PAM0-PAM6.
func pamAttr(pam []byte, i int) uint8 {
	v := pam[(i+1)/2]
	if i%2 == 0 {
		v >>= 4
	}
	return v & (pamRE | pamWE)
}

// I440FX is the host bridge function (bus 0, slot 0, function 0). Its
// device registers are stored as written; two of them act:
//
//   - PAM0-PAM6 (0x59-0x5F) choose, for each segment of C0000-FFFFF,
//     whether reads and writes go to DRAM or to PCI (where the BIOS ROM
//     and option ROMs answer). SeaBIOS turns the segments to DRAM to copy
//     itself into RAM, then write-protects them (reads DRAM, writes PCI).
//     OnPAM reports each change.
//   - SMRAM (0x72): with G_SMRAME and D_OPEN set, A0000-BFFFF shows the
//     DRAM under the VGA window outside SMM; D_LCK freezes the register
//     (and closes D_OPEN) until reset. OnSMRAM reports the open state.
//     There is no SMM: the closed SMRAM is never reached.
type I440FX struct {
	// OnPAM, if not nil, is told when segment region (see PAMRegion)
	// changes: readEnable sends reads to DRAM (else to PCI: the ROM
	// image for the BIOS segments, nothing elsewhere), writeEnable sends
	// writes to DRAM (else they are dropped).
	OnPAM func(region int, readEnable, writeEnable bool)
	// OnSMRAM, if not nil, is told when the SMRAM window opens (DRAM
	// visible at A0000-BFFFF) or closes (the VGA window is back).
	OnSMRAM func(open bool)

	cfg  Config
	pam  [PAMRegions]uint8 // attributes last reported
	open bool              // SMRAM open state last reported
}

// NewI440FX returns the host bridge in its power-on state: every segment
// to PCI, SMRAM closed.
func NewI440FX() *I440FX {
	d := &I440FX{}
	c := &d.cfg
	c.Init(ID{Vendor: VendorIntel, Device: DeviceI440FX, Revision: 0x02, Class: ClassHost})
	c.SetWord(RegCommand, CmdMemory|CmdBusMaster)
	c.SetWord(RegStatus, 0x0280) // fast back-to-back capable, medium DEVSEL
	// Device registers: PMCCFG, DETURBO, DBC, AXC, DRAMR, DRAMC, DRAMT
	// (0x50-0x58), the DRAM row boundaries (0x60-0x67), FDHC (0x68),
	// MTT and CLT (0x70-0x71) and ERRCMD (0x90) are plain storage;
	// ERRSTS (0x91) is write-1-to-clear.
	for off := 0x50; off <= 0x58; off++ {
		c.SetWritable(uint8(off), 1, 0xFF)
	}
	c.SetWritable(RegPAM0, 1, 0x30) // the low nibble of PAM0 is reserved
	for off := RegPAM0 + 1; off <= RegPAM0+6; off++ {
		c.SetWritable(uint8(off), 1, 0x33)
	}
	for off := 0x60; off <= 0x68; off++ {
		c.SetWritable(uint8(off), 1, 0xFF)
		c.SetByte(uint8(off), 0x01) // one 8 MiB row: stored only
	}
	c.SetByte(0x68, 0)
	c.SetWritable(0x70, 2, 0xFFFF)
	c.SetWritable(0x90, 1, 0xFF)
	c.SetW1C(0x91, 1, 0xFF)
	c.SetByte(RegSMRAM, smramBaseSeg)
	c.SetWritable(RegSMRAM, 1, smramGSMRAME|smramDLCK|smramDCLS|smramDOPEN)
	return d
}

// PCIConfig returns the configuration space.
func (d *I440FX) PCIConfig() *Config { return &d.cfg }

// ConfigWritten acts on writes to the PAM and SMRAM registers.
func (d *I440FX) ConfigWritten(off uint8, size int) {
	end := int(off) + size
	if int(off) < RegPAM0+7 && end > RegPAM0 {
		d.updatePAM()
	}
	if int(off) <= RegSMRAM && end > RegSMRAM {
		d.writeSMRAM()
	}
}

// ConfigReset reports every segment back to PCI and SMRAM closed.
func (d *I440FX) ConfigReset() {
	d.updatePAM()
	d.updateSMRAM()
}

// PAM returns the attributes of segment i now: whether reads and writes
// go to DRAM.
func (d *I440FX) PAM(i int) (readEnable, writeEnable bool) {
	if i < 0 || i >= PAMRegions {
		return false, false
	}
	a := pamAttr(d.cfg.data[RegPAM0:RegPAM0+7], i)
	return a&pamRE != 0, a&pamWE != 0
}

// SMRAMOpen reports whether SMRAM is visible outside SMM.
func (d *I440FX) SMRAMOpen() bool { return d.open }

func (d *I440FX) updatePAM() {
	for i := range d.pam {
		a := pamAttr(d.cfg.data[RegPAM0:RegPAM0+7], i)
		if a == d.pam[i] {
			continue
		}
		d.pam[i] = a
		if d.OnPAM != nil {
			d.OnPAM(i, a&pamRE != 0, a&pamWE != 0)
		}
	}
}

// writeSMRAM applies D_LCK: once set, D_OPEN clears and only D_CLS stays
// writable until reset restores the register's masks.
func (d *I440FX) writeSMRAM() {
	c := &d.cfg
	if c.data[RegSMRAM]&smramDLCK != 0 {
		c.data[RegSMRAM] &^= smramDOPEN
		c.wmask[RegSMRAM] = smramDCLS
	}
	d.updateSMRAM()
}

func (d *I440FX) updateSMRAM() {
	v := d.cfg.data[RegSMRAM]
	open := v&smramGSMRAME != 0 && v&smramDOPEN != 0
	if open == d.open {
		return
	}
	d.open = open
	if d.OnSMRAM != nil {
		d.OnSMRAM(open)
	}
}
