// Package floppy models the Intel 82077AA floppy disk controller of a PC
// in PC-AT mode (floppy.Controller) with up to four drives holding raw
// disk images.
//
// The board maps two port ranges, because 0x3F6 between them is the ATA
// control block:
//
//	b.MapPorts(floppy.Base, floppy.Size, "fdc", fdc, bus.Size8)            // 0x3F0-0x3F5
//	b.MapPorts(floppy.DIRPort, floppy.DIRSize, "fdc-dir", fdc.DIR(), bus.Size8) // 0x3F7
//
// and wires IRQ 6 (floppy.IRQ) to the interrupt controller and DMA channel
// 2 (floppy.DMAChannel) of the dma package to New. The registers are SRA
// and SRB (PS/2 mode only; they read 0xFF here, as in PC-AT mode), DOR,
// TDR, MSR/DSR, the data FIFO, and DIR/CCR.
//
// Commands run synchronously: a seek or recalibrate ends at once and
// raises its interrupt, and a read or write moves every sector as soon as
// the DMA channel takes the data. When the channel is masked the
// controller holds DREQ and waits for the guest to unmask it. The
// commands are SPECIFY, SENSE DRIVE STATUS, RECALIBRATE, SEEK, SENSE
// INTERRUPT STATUS, READ DATA, WRITE DATA, READ ID, FORMAT TRACK,
// VERSION, CONFIGURE, LOCK, DUMPREG and PERPENDICULAR MODE. Data moves by
// DMA, or through the FIFO in non-DMA mode (SPECIFY ND=1), where the
// controller interrupts once for every byte.
//
// The disk is modelled down to its ID fields. A track holds sectors 1..n
// of 512 bytes (N=2) with C and H equal to the cylinder and head. A
// command whose C, H, R or N finds no such sector ends with ST1 ND. A
// track the head cannot read ends with ST1 MA: no media, a data rate
// (DSR/CCR) that does not match the media, FM mode (MFM=0), the second
// side of single-sided media, or a cylinder past the last. The hardware
// reset value of the data rate is 250 kbit/s, so a guest must select 500
// kbit/s before reading 1.2M, 1.44M or 1.68M media, as it must on real
// hardware. The DSKCHG bit of DIR is set at power-on, insert and eject.
// Any SEEK or RECALIBRATE with media in the drive clears it, even one to
// the current cylinder (a real drive needs a step pulse).
//
// The image size picks the geometry (GeometryFor): 160K, 180K, 320K, 360K,
// 720K, 1.2M, 1.44M, 1.68M (DMF, 21 sectors per track) and 2.88M. Any
// other size is an error at Attach. A read-only image is write-protected
// media.
//
// Not modelled, each accepted as an invalid command (ST0 0x80): READ
// TRACK, READ/WRITE DELETED DATA, VERIFY, the SCAN commands and RELATIVE
// SEEK. Also not modelled: FIFO thresholds (stored only), motor spin-up
// (a drive reads with its motor off), overrun (the controller waits for
// DMA forever), deleted data marks, and power-down. When TC ends a write
// in the middle of a sector, the rest of that sector is written as zeros.
//
// Reference: Intel 82077AA CHMOS Single-Chip Floppy Disk Controller
// datasheet (order 290166), sections 2 (registers) and 5 (command set,
// Table 5-1; status registers, Tables 5-2 to 5-5).
package floppy
