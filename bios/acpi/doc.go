// Package acpi builds the ACPI tables of the ringzero PC: a 64 KiB
// read-only image that the board maps at E0000h, below the built-in BIOS.
//
// The tables describe the fixed ACPI hardware of devices/debugport's
// power-management block and, on a board with them, the APICs:
//
//   - the RSDP at the image's start (E0000h, in the area E0000h-FFFFFh an
//     OS searches on 16-byte boundaries), revision 2 with both checksums
//     and both the RSDT and XSDT addresses;
//   - the RSDT and XSDT, each listing the FADT and the MADT;
//   - the FADT (revision 3): PM1a event and control blocks, the PM timer,
//     the SCI's IRQ, the reset register, the RTC century index, and
//     SMI_CMD = 0, which tells the OS that the machine is in ACPI mode
//     from power-on (the built-in BIOS sets SCI_EN at POST for that
//     reason: bios/src/acpi.asm);
//   - the FACS;
//   - the MADT (madt.go), when Config.MADT is set: the local APIC, the
//     I/O APIC, ISA IRQ 0 on GSI 2 and the SCI level-triggered (QEMU's
//     overrides), NMI on LINT1, and PCAT_COMPAT for the 8259 pair;
//   - the DSDT, whose AML this package encodes itself (aml.go): \_S5 with
//     the SLP_TYP that powers off, and optionally a PCI root bridge.
//
// The same set serves ACPI 1.0 and 2.0 OSes: the first 20 bytes of the
// RSDP are an ACPI 1.0 RSDP, and the first 116 bytes of the FADT an ACPI
// 1.0 FADT. Field names in comments are the specification's.
package acpi
