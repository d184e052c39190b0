// Package pci models PCI bus 0 as an i440FX machine has it: the host's
// configuration mechanism #1 (pci.Host), the configuration space every
// function carries (pci.Config) and the host bridge itself (pci.I440FX).
//
// Configuration mechanism #1 (PCI Local Bus Specification 3.0, section
// 3.2.2.3.2): a 32-bit write to CONFIG_ADDRESS (0xCF8) selects bus,
// device, function and dword register with bit 31 set, and CONFIG_DATA
// (0xCFC-0xCFF) then reads or writes that dword with byte, word or dword
// accesses at any offset. Only 32-bit accesses reach CONFIG_ADDRESS;
// byte accesses to 0xCF9 are the PIIX reset control register, which the
// Host passes to its ResetControl handler. Absent functions and other
// buses read all ones.
//
// A function is a Device: a Config plus two hooks. A Config holds 256
// bytes with, per bit, read-only, writable or write-1-to-clear behaviour;
// base address registers (I/O or 32-bit memory, sized by writing all
// ones and reading back the mask) and the expansion ROM BAR; the
// interrupt pin and line, and an INTx output. The Host routes INTx pins
// to the four PIRQ lines by the usual swizzle (PIRQOf) and reports every
// change of where a BAR decodes through OnBAR, so the board can unmap and
// map the device's ports or memory. A Device sees only its configuration
// offsets; it never touches the bus.
//
// The board wires it so:
//
//	host := pci.NewHost()
//	host.ResetControl = rcr // port 0xCF9
//	b.MapPorts(pci.Base, pci.Size, "pci", host, bus.SizeAll)
//	nb := pci.NewI440FX()
//	nb.OnPAM = func(region int, re, we bool) { ... remap pci.PAMRegion(region) ... }
//	host.Attach(0, 0, nb)
//	host.OnBAR = func(c pci.BARChange) { ... }
//
// Not modelled: type 1 configuration cycles and bridges (bus 0 only),
// 64-bit BARs, capabilities lists, configuration mechanism #2, and SMM
// (the i440FX's SMRAM register is stored and its D_OPEN window reported,
// but nothing runs in SMM).
//
// References: PCI Local Bus Specification 3.0, chapters 3.2.2 and 6;
// Intel 440FX PCIset 82441FX/82442FX datasheet (order 290549), section 3.
package pci
