// Package pic models the PC/AT interrupt controller: two Intel 8259A
// programmable interrupt controllers, the slave cascaded into the
// master's IR2, plus the PIIX edge/level control registers (ELCR) at
// 0x4D0-0x4D1.
//
// Devices raise the sixteen inputs through Controller.IRQ; the CPU engine
// samples INTR with Controller.Pending and runs the interrupt-acknowledge
// cycle with Controller.Ack, which returns the vector and updates the
// request (IRR) and in-service (ISR) registers as the hardware's two INTA
// pulses do. The guest programs both chips through their ports with the
// full ICW1-ICW4 sequence and OCW1-OCW3.
//
// References: Intel 8259A datasheet (order 231468), "8259A Programmable
// Interrupt Controller"; Intel 82371FB/SB PIIX/PIIX3 datasheet, section
// 2.3.6 (ELCR1/ELCR2).
package pic
