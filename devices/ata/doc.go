// Package ata models one ATA (IDE) channel with PIO data transfers
// (ata.Channel): a master and a slave position, each empty or holding a
// Drive. The hard disk (ata.Disk, over a disk.Image) is the one Drive
// here. Drive is the extension point for an ATAPI CD-ROM: a packet
// device implements Reset and Execute with the same Device helpers for
// signatures, status, PIO transfers and interrupts.
//
// A channel has two port ranges and an IRQ. The command block (8 ports)
// carries the data register, which takes 16- and 32-bit accesses; the
// control block (1 port) is the alternate status register on read and
// device control on write (nIEN, SRST, HOB). The board maps them:
//
//	b.MapPorts(ata.PrimaryCmd, ata.CmdSize, "ata0", ch, bus.SizeAll)
//	b.MapPorts(ata.PrimaryCtl, ata.CtlSize, "ata0-ctl", ch.Control(), bus.Size8)
//
// The primary channel is at 0x1F0 and 0x3F6 on IRQ 14; the secondary, at
// 0x170 and 0x376 on IRQ 15, is a second Channel. Port 0x3F7 (0x377) is
// not ATA's: it belongs to the floppy controller.
//
// Commands complete at once; BSY is only ever seen while SRST is held.
// Interrupts follow the PIO protocols of ATA/ATAPI-6: a data-in command
// raises INTRQ for every DRQ data block (each sector, or each block of
// READ MULTIPLE). A data-out command raises none for its first block and
// one after each block it has written. A non-data command raises one at
// completion. Reading the status register clears the interrupt; nIEN
// releases the line but keeps the interrupt pending. Host writes to the
// command block registers go to both devices, as on the cable. The
// feature, count and LBA registers each hold the last two bytes written,
// which is how 48-bit commands take their high bytes; device control HOB
// reads those back.
//
// When the slave is absent and selected, every register of the command
// block and the alternate status read 0, so a guest sees no device there.
// A channel with no device at all floats: every read returns all ones.
//
// Not modelled: DMA (IDENTIFY does not offer it), the ATA security, SMART,
// HPA and power-management timers (the power commands succeed at once),
// 8-bit data transfers (SET FEATURES 01h is aborted; a byte-wide access
// to the data register moves one byte), and the 400 ns settling rules.
//
// Reference: ATA/ATAPI-6 (T13 1410D rev 3b): sections 7 (registers), 8
// (commands) and 9 (protocols), and Table 27 (IDENTIFY DEVICE data).
package ata
