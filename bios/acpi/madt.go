package acpi

import (
	"encoding/binary"
	"fmt"
)

// MADT describes the interrupt controllers for the Multiple APIC
// Description Table ("APIC"): one processor with a local APIC and one I/O
// APIC whose inputs from GSI 0 are the ISA IRQs, with the 8259 pair
// beside them (PCAT_COMPAT), as QEMU's pc machine describes itself.
type MADT struct {
	LocalAPIC uint32 // the local APIC's physical address
	IOAPIC    uint32 // the I/O APIC's physical address
	IOAPICID  uint8  // the I/O APIC's ID register
	// TimerGSI is the I/O APIC input ISA IRQ 0 reaches (2 on the PC):
	// an interrupt source override IRQ 0 -> TimerGSI.
	TimerGSI uint8
}

// DefaultMADT is the ringzero PC's (devices/apic's addresses, QEMU's
// IRQ 0 override): local APIC at FEE00000h, I/O APIC 0 at FEC00000h.
func DefaultMADT() *MADT {
	return &MADT{LocalAPIC: 0xFEE00000, IOAPIC: 0xFEC00000, IOAPICID: 0, TimerGSI: 2}
}

// MADT structure types and flags (ACPI 2.0, 5.2.10.4 "Multiple APIC
// Description Table").
const (
	madtRev        = 1
	madtPCATCompat = 1 << 0 // the 8259 pair is there too (and must be masked to use the I/O APIC)

	madtLocalAPIC    = 0 // Processor Local APIC
	madtIOAPIC       = 1 // I/O APIC
	madtOverride     = 2 // Interrupt Source Override
	madtLocalAPICNMI = 4 // Local APIC NMI

	madtLAPICEnabled = 1 << 0
	// MPS INTI flags: polarity (bits 1-0) and trigger mode (bits 3-2);
	// 0 is "conforms to the bus" (ISA: active high, edge).
	intiActiveHigh = 1 << 0
	intiLevel      = 3 << 2
	allProcessors  = 0xFF // ACPI processor ID of every processor
	nmiLINT1       = 1
	ioAPICPins     = 24 // the I/O APIC's inputs: GSI 0-23
)

// check rejects a MADT an OS would misread.
func (m *MADT) check() error {
	switch {
	case m.LocalAPIC == 0 || m.LocalAPIC%4096 != 0:
		return fmt.Errorf("acpi: MADT local APIC address %#x: want a 4 KiB-aligned address", m.LocalAPIC)
	case m.IOAPIC == 0 || m.IOAPIC%1024 != 0:
		return fmt.Errorf("acpi: MADT I/O APIC address %#x: want a 1 KiB-aligned address", m.IOAPIC)
	case m.IOAPICID > 15:
		return fmt.Errorf("acpi: MADT I/O APIC ID %d: the 82093AA's ID has 4 bits", m.IOAPICID)
	case m.TimerGSI >= ioAPICPins:
		return fmt.Errorf("acpi: MADT TimerGSI %d: the I/O APIC has GSIs 0-%d", m.TimerGSI, ioAPICPins-1)
	}
	return nil
}

// buildMADT returns the table: the local APIC address and PCAT_COMPAT,
// processor 0 with local APIC ID 0, the I/O APIC with GSI base 0, the
// overrides ISA IRQ 0 -> TimerGSI (when they differ) and SCI -> GSI SCI,
// level-triggered and active-high as QEMU declares it, and NMI on every
// processor's LINT1.
func buildMADT(cfg Config) []byte {
	m := cfg.MADT
	le := binary.LittleEndian
	t := make([]byte, headerLen+8)
	le.PutUint32(t[36:], m.LocalAPIC)
	le.PutUint32(t[40:], madtPCATCompat)
	add := func(typ byte, body ...byte) {
		t = append(t, typ, byte(2+len(body)))
		t = append(t, body...)
	}
	u16 := func(v uint16) []byte { return le.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return le.AppendUint32(nil, v) }
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	// ACPI processor ID 0, APIC ID 0, enabled.
	add(madtLocalAPIC, cat([]byte{0, 0}, u32(madtLAPICEnabled))...)
	// I/O APIC ID, reserved, address, GSI base 0.
	add(madtIOAPIC, cat([]byte{m.IOAPICID, 0}, u32(m.IOAPIC), u32(0))...)
	// Bus 0 (ISA), source IRQ, GSI, flags.
	if m.TimerGSI != 0 {
		add(madtOverride, cat([]byte{0, 0}, u32(uint32(m.TimerGSI)), u16(0))...)
	}
	add(madtOverride, cat([]byte{0, cfg.SCIIRQ}, u32(uint32(cfg.SCIIRQ)), u16(intiActiveHigh|intiLevel))...)
	// Every processor, flags (conforms), LINT1.
	add(madtLocalAPICNMI, cat([]byte{allProcessors}, u16(0), []byte{nmiLINT1})...)
	putHeader(t, "APIC", madtRev, cfg)
	return t
}
