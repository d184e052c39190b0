// Package fwcfg models QEMU's firmware configuration interface
// (fwcfg.Device), through which SeaBIOS learns what QEMU would tell it:
// the memory map, the CPU count, the boot order and menu, the serial
// console, and later the ACPI tables and the -kernel images.
//
// The guest writes a 16-bit key to the selector port 0x510 and reads the
// item byte by byte from the data port 0x511 (Base, Size). Key 0 reads
// "QEMU"; key 1, the ID, is 1: the traditional I/O interface, no DMA.
// Key 0x19 is the directory of named files ("etc/e820", "bootorder",
// "etc/sercon-port", "etc/show-boot-menu", "etc/boot-fail-wait", and
// whatever the board adds with AddFile). The board maps it so:
//
//	fw := fwcfg.New()
//	fw.SetRAMSize(uint64(len(ram)))
//	fw.SetE820([]fwcfg.E820Entry{{0, 0x9FC00, fwcfg.E820RAM}, ...})
//	b.MapPorts(fwcfg.Base, fwcfg.Size, "fw_cfg", fw, bus.Size8|bus.Size16)
//
// It raises no interrupt and reads no clock. Not modelled: the DMA
// interface (0x514), writable items, and the MMIO variant of other
// architectures.
//
// Reference: QEMU docs/specs/fw_cfg.rst ("QEMU Firmware Configuration
// (fw_cfg) Device"); SeaBIOS src/fw/paravirt.c.
package fwcfg
