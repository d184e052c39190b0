package uart

// Standard PC serial port bases and IRQs (IBM PC/AT Technical Reference;
// COM3 and COM4 share IRQ 4 and 3 with COM1 and COM2 by convention). The
// board wires ports from these constants.
const (
	COM1    = 0x3F8 // first serial port base
	COM1IRQ = 4     // IRQ of COM1
	COM2    = 0x2F8 // second serial port base
	COM2IRQ = 3     // IRQ of COM2
	COM3    = 0x3E8 // third serial port base
	COM3IRQ = 4     // IRQ of COM3 (shared with COM1)
	COM4    = 0x2E8 // fourth serial port base
	COM4IRQ = 3     // IRQ of COM4 (shared with COM2)

	// Size is the number of consecutive ports a UART decodes.
	Size = 8
)

// Clocking: a PC serial port runs the 16550 from a 1.8432 MHz crystal and
// the baud generator divides by 16 × divisor (PC16550D datasheet, Table
// III), so divisor 1 is 115200 baud.
const (
	// InputClockHz is the XIN frequency of a PC serial port.
	InputClockHz = 1_843_200
	// BaseBaud is the baud rate at divisor 1.
	BaseBaud = InputClockHz / 16
	// ResetDivisor is the divisor after Reset: 12, 9600 baud, as QEMU and
	// most BIOSes leave it.
	ResetDivisor = 12
	// FIFOSize is the depth of the transmit and receive FIFOs.
	FIFOSize = 16
)

// Register offsets within the port range (PC16550D datasheet, Table II).
// Offsets 0 and 1 address the divisor latch while LCR.DLAB is set.
const (
	regRBR = 0 // receiver buffer (read, DLAB=0)
	regTHR = 0 // transmitter holding (write, DLAB=0)
	regDLL = 0 // divisor latch LSB (DLAB=1)
	regIER = 1 // interrupt enable (DLAB=0)
	regDLM = 1 // divisor latch MSB (DLAB=1)
	regIIR = 2 // interrupt identification (read)
	regFCR = 2 // FIFO control (write)
	regLCR = 3 // line control
	regMCR = 4 // modem control
	regLSR = 5 // line status
	regMSR = 6 // modem status
	regSCR = 7 // scratch
)

// IER bits (PC16550D datasheet, Table II).
const (
	ierERBFI = 1 << 0 // received data available (and character timeout)
	ierETBEI = 1 << 1 // transmitter holding register empty
	ierELSI  = 1 << 2 // receiver line status
	ierEDSSI = 1 << 3 // modem status
	ierMask  = 0x0F   // bits 4-7 always read 0
)

// IIR values (PC16550D datasheet, Table IV). Bit 0 clear means an
// interrupt is pending; bits 1-3 identify the highest-priority one.
const (
	iirNoInt = 0x01 // nothing pending
	iirRLS   = 0x06 // priority 1: receiver line status (OE, PE, FE, BI)
	iirRDA   = 0x04 // priority 2: received data available / trigger level
	iirCTI   = 0x0C // priority 2: character timeout (FIFO mode only)
	iirTHRE  = 0x02 // priority 3: transmitter holding register empty
	iirMS    = 0x00 // priority 4: modem status
	iirFIFOs = 0xC0 // bits 6-7: set while FCR0 enables the FIFOs
)

// FCR bits (PC16550D datasheet, Table II).
const (
	fcrEnable  = 1 << 0 // enable both FIFOs; changing it clears them
	fcrRxReset = 1 << 1 // clear the receive FIFO (self-clearing)
	fcrTxReset = 1 << 2 // clear the transmit FIFO (self-clearing)
	fcrDMA     = 1 << 3 // DMA mode select (stored, no effect here)
	fcrTrigger = 3 << 6 // receive trigger level: 1, 4, 8 or 14 bytes
)

// rxTriggerLevels maps FCR bits 7:6 to the receive FIFO trigger level.
var rxTriggerLevels = [4]int{1, 4, 8, 14}

// LCR bits (PC16550D datasheet, Table II).
const (
	lcrWLS   = 3 << 0 // word length select: 5 + value data bits
	lcrSTB   = 1 << 2 // 2 stop bits (1.5 for 5-bit words)
	lcrPEN   = 1 << 3 // parity enable
	lcrEPS   = 1 << 4 // even parity select
	lcrStick = 1 << 5 // stick parity
	lcrSB    = 1 << 6 // set break: SOUT forced to spacing
	lcrDLAB  = 1 << 7 // divisor latch access
)

// MCR bits (PC16550D datasheet, Table II).
const (
	mcrDTR  = 1 << 0 // data terminal ready
	mcrRTS  = 1 << 1 // request to send
	mcrOUT1 = 1 << 2 // user output 1 (unused on a PC)
	mcrOUT2 = 1 << 3 // user output 2: gates INTR onto the ISA IRQ line on a PC
	mcrLoop = 1 << 4 // local loopback
	mcrMask = 0x1F   // bits 5-7 always read 0
)

// LSR bits (PC16550D datasheet, Table II).
const (
	lsrDR        = 1 << 0 // data ready
	lsrOE        = 1 << 1 // overrun error
	lsrPE        = 1 << 2 // parity error
	lsrFE        = 1 << 3 // framing error
	lsrBI        = 1 << 4 // break interrupt
	lsrTHRE      = 1 << 5 // transmitter holding register (or FIFO) empty
	lsrTEMT      = 1 << 6 // transmitter empty: THR and shift register both
	lsrRxFIFOErr = 1 << 7 // a PE, FE or BI character is in the receive FIFO
	lsrErrors    = lsrOE | lsrPE | lsrFE | lsrBI
)

// MSR bits (PC16550D datasheet, Table II). The low four bits are
// deltas latched until MSR is read; the high four are the inputs.
const (
	msrDCTS = 1 << 0 // CTS changed
	msrDDSR = 1 << 1 // DSR changed
	msrTERI = 1 << 2 // RI went from on to off (trailing edge)
	msrDDCD = 1 << 3 // DCD changed
	msrCTS  = 1 << 4 // clear to send (loopback: RTS)
	msrDSR  = 1 << 5 // data set ready (loopback: DTR)
	msrRI   = 1 << 6 // ring indicator (loopback: OUT1)
	msrDCD  = 1 << 7 // data carrier detect (loopback: OUT2)
)

// externalInputs is what the host terminal presents outside loopback
// until SetModemLines says otherwise: carrier, data set ready and clear to
// send, no ring. Guests that wait for DCD or CTS before talking therefore
// proceed.
const externalInputs = msrCTS | msrDSR | msrDCD
