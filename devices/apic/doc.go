// Package apic models the Advanced Programmable Interrupt Controller of a
// uniprocessor P6 PC as QEMU's pc machine has it: the CPU's local APIC
// (apic.Local) and one Intel 82093AA I/O APIC (apic.IO).
//
// The local APIC is what the CPU engine asks for interrupts (it
// implements cpu.Interrupts) and it wraps the 8259A pair: its LINT0 input
// is the 8259's INTR, in ExtINT mode (the reset state of the bootstrap
// processor's LINT0, as QEMU sets it) a PIC request passes straight
// through, vector and INTA cycle included, and with the APIC disabled in
// IA32_APIC_BASE the PIC is all the CPU sees. Fixed interrupts from the
// I/O APIC, the APIC timer, the LVT and self-IPIs go through IRR, ISR and
// the priority rules of the SDM: the highest IRR vector is delivered when
// its priority class (vector[7:4]) is above the processor priority PPR,
// the larger of the task priority TPR and the class of the highest
// vector in service. An EOI clears the highest ISR bit and, for a
// level-triggered vector (its TMR bit), is broadcast to the I/O APIC,
// which clears the entry's remote IRR.
//
// Register map: 4 KiB at IA32_APIC_BASE (default DefaultBase), 32-bit
// registers on 16-byte boundaries; ID, version (Version: version 14h, six
// LVT entries), TPR, APR, PPR, EOI, LDR, DFR, SVR, ISR, TMR, IRR, ESR,
// ICR, the LVT (timer, thermal, performance counters, LINT0, LINT1,
// error) and the timer's initial count, current count and divide
// configuration. The timer counts a 1 GHz bus clock (QEMU's) divided by
// 1 to 128 on the machine's virtual clock (devices/clock), one-shot or
// periodic.
//
// The I/O APIC is a 32-byte window at IOBase: IOREGSEL at 00h selects a
// register that IOWIN at 10h reads and writes: ID, version (IOVersion:
// 24 pins), arbitration ID and the 24 redirection entries. Edge inputs
// latch rising edges of unmasked pins; level inputs deliver while high
// and hold off (remote IRR) until the local APIC's EOI.
//
// Not modelled: other processors (IPIs to other APIC IDs go nowhere;
// INIT, SIPI and SMI are ignored), arbitration priority (APR reads 0),
// the thermal and performance-counter sources, polarity (every line is
// active-high, as QEMU's), and ExtINT delivery through the I/O APIC.
//
// A guest write to any register never panics: reserved bits are dropped,
// unknown registers set the ESR's illegal-register bit (the local APIC)
// or are ignored (the I/O APIC).
//
// References: Intel SDM Vol. 3A, chapter 10 "Advanced Programmable
// Interrupt Controller (APIC)"; Intel 82093AA I/O APIC datasheet (order
// 290566); ACPI specification, "Multiple APIC Description Table".
package apic
