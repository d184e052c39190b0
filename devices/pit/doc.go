// Package pit models the PC's programmable interval timer, an Intel 8254
// (pit.Timer) at ports 0x40-0x43, and the timer half of the AT's system
// control port 0x61 (pit.SystemControl).
//
// The three counters run from the 1.193182 MHz PC timer clock, derived
// from the machine's virtual clock (devices/clock) and never from host
// time. Counter 0's OUT drives IRQ 0; counter 1 is the old DRAM refresh
// counter and drives nothing; counter 2's GATE and OUT are bits 0 and 5 of
// port 0x61, which also gates the speaker.
//
// Implemented: modes 0-5 with the datasheet's load-on-next-clock timing,
// GATE semantics (suspend, trigger, retrigger), binary and BCD counting,
// LSB-only, MSB-only and LSB-then-MSB access, the counter latch command,
// the read-back command with status bytes (OUT, NULL COUNT and the
// programmed mode), and the rule that a new count in modes 2 and 3 takes
// effect at the end of the current period or half-period.
//
// Work is lazy: every counter's CE and OUT are closed-form functions of
// the timer clock tick since the last event that changed its inputs (a
// port write or a GATE change), evaluated when the guest reads. A clock
// timer is armed only for the next rising edge of OUT0, so a periodic
// IRQ 0 at 18.2 Hz costs one timer event per period. The short low phase
// of mode 2, the low half of mode 3 and the strobes of modes 4 and 5 are
// folded into that event: the IRQ 0 line goes low and straight back high
// there, which is the rising edge an edge-triggered 8259A input latches.
// When the clock jumps over several periods in one step, the missed edges
// fold into one, as the 8259A's single request bit would anyway. Port
// writes that change OUT0 (a control word, a mode 0 count) move the line
// at once.
//
// Not implemented: counter 1 driving the refresh toggle (port 0x61 bit 4
// toggles every 18 timer clocks, the period BIOSes program into counter 1,
// whatever counter 1 is doing), the 8253's differences, and the speaker's
// sound itself (Speaker reports what it would play).
//
// References: Intel 8254 Programmable Interval Timer datasheet (order
// 231164), "Operational Description", "Modes" and "Read-Back Command";
// IBM PC/AT Technical Reference, "System Timers" and port 61h.
package pit
