// Package uart models the National Semiconductor PC16550D UART, the serial
// port of every PC since the 486 era (uart.Port).
//
// The guest sees the eight byte-wide registers of the datasheet at offsets
// 0-7 of its port range: RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR and SCR,
// with the divisor latch behind LCR.DLAB. Both 16-byte FIFOs, the four
// receive trigger levels, the character timeout and the four interrupt
// sources with their IIR priorities are modelled.
//
// Timing is real but simple: the transmitter shifts one character per
// character time (start bit, 5-8 data bits, optional parity, 1, 1.5 or 2
// stop bits, at 115200/divisor baud) on the virtual clock, with a single
// timer armed for the end of the character in the shift register. A guest
// polling LSR therefore sees THRE and TEMT change in virtual time, and a
// guest that writes 16 bytes into the FIFO gets its THRE interrupt when the
// last one has moved into the shift register.
//
// Host side:
//
//   - Transmitted characters go to the io.Writer given to New (or
//     SetOutput), each one at the end of its stop bit. They pass through a
//     queue of up to OutputQueue bytes drained by a goroutine of the port's
//     own, so a writer that blocks (a terminal, a full pipe, a slow
//     socket) never stalls the guest: its THRE and TEMT timing stays that
//     of the line. A writer more than OutputQueue bytes behind loses the
//     newest bytes (counted by Dropped); one that fails stops receiving
//     (Err). Flush waits until the writer has everything queued so far;
//     call it before reading what the writer collected or before exiting.
//   - Host input is queued by Receive, which is safe to call from any
//     goroutine, and enters the receiver at the line rate, one character
//     per character time, only while the receiver has room: the host
//     behaves like a sender with perfect flow control, so host input never
//     overruns (QEMU's chardev does the same). SetNotify and Poll let a
//     board wake a halted guest when input arrives. Overruns still happen
//     in loopback mode, where the guest feeds its own receiver, and so do
//     breaks: LCR.SB set in loopback mode delivers one zero character
//     flagged BI after one character time.
//   - SetModemLines drives the modem status inputs (CTS, DSR, RI, DCD),
//     for a frontend that wants to show a hang-up or a ring.
//
// The IRQ output follows the PC wiring: the UART's INTR pin reaches the
// interrupt controller only through a buffer enabled by the OUT2 modem
// control output, so the line is high while an enabled interrupt is
// pending and MCR.OUT2 is set. In loopback mode the datasheet forces the
// modem control output pins inactive, so the line stays low there even
// though IIR still reports the interrupt.
//
// Not modelled: parity and framing errors (nothing on the host side can
// produce them; the LSR bits exist and stay 0), breaks sent by the host,
// DMA mode signalling (FCR bit 3 is stored and ignored), and the
// one-character delay of the first THRE indication after a short FIFO
// burst.
package uart
