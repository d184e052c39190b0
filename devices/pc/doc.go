// Package pc is the board: it builds one PC from its devices, maps them on
// the bus, routes their IRQ lines to the 8259A pair (and, with a Pentium
// II, to the I/O APIC beside it: the CPU then asks its local APIC, which
// passes the 8259's INTR through LINT0), fills the CMOS with the
// configuration, loads the BIOS, picks the CPU engine and runs the
// machine, turning resets, power-off, debug-exit and triple faults into
// the run's result. It is the only place where devices are wired.
//
// Memory map (QEMU's "pc" machine, without PCI yet):
//
//	00000000-0009FFFF  RAM (conventional memory)
//	000A0000-000BFFFF  VGA window (MMIO)
//	000C0000-000DFFFF  option ROM area (unmapped: reads all ones)
//	000E0000-000FFFFF  the BIOS's last 128 KiB (a 64 KiB BIOS: F0000-FFFFF)
//	00100000-          RAM above 1 MiB, up to -m
//	FEC00000-FEC00FFF  I/O APIC (Pentium II)
//	FEE00000-FEE00FFF  local APIC, where IA32_APIC_BASE puts it (Pentium II)
//	16 MiB - BIOS size the whole BIOS again for the 286's 24-bit reset
//	                   vector (only when RAM ends below it)
//	4 GiB - BIOS size  the whole BIOS again, where the reset vector is
//
// Ports: see wire in board.go, one line per device.
package pc
