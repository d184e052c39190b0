package pc

import (
	"ringzero/devices/bus"
	"ringzero/devices/fwcfg"
	"ringzero/devices/pci"
	"ringzero/devices/piix"
	"ringzero/devices/vga"
)

// The PCI chipset of QEMU's pc machine, for firmware that expects it
// (SeaBIOS): the i440FX host bridge with its PAM registers, the PIIX3 ISA
// bridge (PIRQ router), IDE and the PIIX4 power-management function, the
// standard VGA on slot 2 with its option ROM, and QEMU's fw_cfg. Wired
// here, like everything else.

// PCI slots.
const (
	slotHost = 0
	slotVGA  = 2
)

// wirePCI builds the chipset. lowROM is the BIOS image the PAM registers
// show at E0000-FFFFF when they read from ROM.
func (m *Machine) wirePCI(lowROM []byte) error {
	b := m.Bus
	cfg := &m.cfg
	host := pci.NewHost()
	m.PCI = host
	host.ResetControl = m.newResetControl()
	if err := b.MapPorts(pci.Base, pci.Size, "pci", host, bus.SizeAll); err != nil {
		return err
	}

	// The host bridge: PAM decides whether C0000-FFFFF reads RAM or ROM.
	nb := pci.NewI440FX()
	romBase := uint32(0x100000 - len(lowROM))
	nb.OnPAM = func(region int, readEnable, writeEnable bool) {
		base, size := pci.PAMRegion(region)
		b.Unmap(base, size)
		switch {
		case readEnable:
			b.MapRAM(base, m.RAM[base:base+size], !writeEnable)
		case base >= romBase:
			b.MapRAM(base, lowROM[base-romBase:][:size], true)
		}
	}
	host.Attach(slotHost, 0, nb)

	// PIIX: ISA bridge with the PIRQ router, IDE, power management.
	isa := piix.NewISA(m.isaIRQ)
	for n := 0; n < 4; n++ {
		host.SetPIRQ(n, isa.PIRQ(n))
	}
	host.Attach(piix.Slot, piix.FnISA, isa)
	ide := piix.NewIDE()
	host.Attach(piix.Slot, piix.FnIDE, ide)
	pm := piix.NewPM()
	var pmBase uint16
	pm.OnPMBase = func(base uint16, on bool) {
		if pmBase != 0 {
			m.unmapPM(pmBase)
			pmBase = 0
		}
		if on && base != 0 {
			m.mapPM(base)
			pmBase = base
		}
	}
	host.Attach(piix.Slot, piix.FnPM, pm)
	// APM control: the OS's ACPI_ENABLE on the FADT's SMI_CMD sets
	// SCI_EN (no SMM here to do it).
	m.APM = &piix.APM{OnACPIMode: m.PM.SetACPIMode}
	if err := b.MapPorts(piix.APMPort, piix.APMSize, "apm", m.APM, bus.Size8); err != nil {
		return err
	}

	// The standard VGA and its option ROM.
	vgaFn, err := vga.NewPCI(m.VGA, cfg.VGABIOS)
	if err != nil {
		return err
	}
	host.Attach(slotVGA, 0, vgaFn)

	host.OnBAR = func(c pci.BARChange) {
		if c.Old.Mapped() {
			if c.Old.Space == pci.SpaceIO {
				b.UnmapPorts(uint16(c.Old.Base))
			} else {
				b.Unmap(c.Old.Base, c.Old.Size)
			}
		}
		if !c.New.Mapped() {
			return
		}
		switch {
		case c.Device == ide && c.BAR == piix.BusMasterBAR:
			b.MapPorts(uint16(c.New.Base), piix.BusMasterSize, "piix-bm", ide.BusMaster(), bus.SizeAll)
		case c.Device == vgaFn && c.BAR == vga.FramebufferBAR:
			b.MapRAM(c.New.Base, m.VGA.VRAM(), false)
		case c.Device == vgaFn && c.BAR == pci.ROMBAR:
			b.MapRAM(c.New.Base, vgaFn.ROM(), true)
		}
	}

	// fw_cfg: RAM size, E820, boot order, IRQ 0 override, serial console.
	fw := fwcfg.New()
	m.FWCfg = fw
	fw.SetRAMSize(cfg.MemBytes)
	fw.SetE820([]fwcfg.E820Entry{{Addr: 0, Len: cfg.MemBytes, Type: fwcfg.E820RAM}})
	fw.SetBootOrder(fwcfg.BootOrder(m.bootOrder(), map[byte]string{
		'a': fwcfg.FloppyPath(1, 0),
		'c': fwcfg.ATAPath(piix.Slot, piix.FnIDE, 0, 0),
		'd': fwcfg.ATAPath(piix.Slot, piix.FnIDE, 1, 0),
	}))
	fw.SetBootFailWait(-1)
	if m.IOAPIC != nil {
		// The PIT's IRQ 0 is wired to I/O APIC pin 2 (isaIRQ): SeaBIOS
		// then puts the override in its MADT.
		fw.SetItem(fwcfg.KeyIRQ0Override, []byte{1, 0, 0, 0})
	}
	if cfg.SerialConsole {
		fw.SetSerialConsole(0x3F8)
	}
	return b.MapPorts(fwcfg.Base, fwcfg.Size, "fw_cfg", fw, bus.Size8|bus.Size16)
}
