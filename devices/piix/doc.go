// Package piix models the PCI functions of the south bridge of QEMU's
// "pc" machine, at bus 0 slot 1: the PIIX3 PCI-to-ISA bridge (piix.ISA,
// 8086:7000, function 0) with its PIRQ router, the PIIX3 IDE controller
// (piix.IDE, 8086:7010, function 1) in legacy mode with a bus master
// register block that does no DMA, and the PIIX4 power-management
// function (piix.PM, 8086:7113, function 3) that places the ACPI
// register block. It also holds the reset control register at 0xCF9
// (piix.ResetControl) and the APM control and status ports at 0xB2-0xB3
// (piix.APM), whose ACPI enable and disable commands switch SCI_EN.
//
// Each function is a pci.Device: it sees its configuration offsets and
// tells the board, through callbacks and IRQ lines, what the guest
// programmed. The chips it controls live elsewhere: the ATA channels in
// devices/ata, the ELCR in devices/pic, the PM1a registers and the PM
// timer in devices/debugport.
//
// The board wires them so (see each type for details):
//
//	isa := piix.NewISA(pic.IRQ)                 // PIRQ outputs to ISA IRQs
//	for n := 0; n < 4; n++ { host.SetPIRQ(n, isa.PIRQ(n)) }
//	host.Attach(piix.Slot, piix.FnISA, isa)
//	ide := piix.NewIDE()                        // BAR 4: ide.BusMaster(), 16 ports
//	host.Attach(piix.Slot, piix.FnIDE, ide)
//	pm := piix.NewPM()
//	pm.OnPMBase = func(base uint16, on bool) { ... remap PM1a/PM timer ... }
//	host.Attach(piix.Slot, piix.FnPM, pm)
//	rcr := &piix.ResetControl{OnReset: ...}
//	host.ResetControl = rcr                     // port 0xCF9 is inside pci.Host's range
//	apm := &piix.APM{OnACPIMode: pmBlock.SetACPIMode} // ports 0xB2-0xB3
//
// References: Intel 82371FB (PIIX) and 82371SB (PIIX3) datasheet, order
// 290550; Intel 82371AB PIIX4 datasheet, order 290562.
package piix
