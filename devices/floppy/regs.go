package floppy

// Wiring of the primary floppy controller on a PC/AT (IBM PC/AT Technical
// Reference, System I/O address map). The secondary controller, where
// present, sits at 0x370-0x375 and 0x377 on the same IRQ and channel.
const (
	// Base is the first port of the primary controller (SRA at 0x3F0).
	Base = 0x3F0
	// Size is the number of ports the controller handler serves from Base:
	// SRA, SRB, DOR, TDR, MSR/DSR and FIFO (0x3F0-0x3F5). Port 0x3F6 is
	// not the controller's: it is the ATA control block.
	Size = 6
	// DIRPort is the digital input register (read) and configuration
	// control register (write), served by the handler from DIR().
	DIRPort = 0x3F7
	// DIRSize is the number of ports at DIRPort.
	DIRSize = 1
	// IRQ is the interrupt request line of the controller.
	IRQ = 6
	// DMAChannel is the 8237 channel the controller transfers data on.
	DMAChannel = 2
	// Drives is the number of drives a controller can select.
	Drives = 4
)

// Register offsets from Base (82077AA datasheet, Table 2-1).
const (
	regSRA  = 0 // status register A (PS/2 mode)
	regSRB  = 1 // status register B (PS/2 mode)
	regDOR  = 2 // digital output register
	regTDR  = 3 // tape drive register
	regMSR  = 4 // read: main status; write: data rate select (DSR)
	regFIFO = 5 // data FIFO
	regDIR  = 7 // read: digital input; write: configuration control (CCR)
)

// Digital output register (datasheet section 2.1.3).
const (
	dorSelect  = 0x03 // drive select
	dorNReset  = 0x04 // 0 holds the controller in reset
	dorDMAGate = 0x08 // PC-AT mode: enables the INT and DRQ outputs
	dorMotor0  = 0x10 // motor enables, one bit per drive from here
)

// Main status register (datasheet section 2.1.5).
const (
	msrRQM  = 0x80 // FIFO ready for a transfer
	msrDIO  = 0x40 // 1: controller to host
	msrNDMA = 0x20 // execution phase in non-DMA mode
	msrCB   = 0x10 // command in progress
)

// Data rate select register (datasheet section 2.1.6).
const (
	dsrReset = 0x80 // software reset, self-clearing
	dsrRate  = 0x03 // data rate select, shared with CCR
)

// Digital input register in PC-AT mode (datasheet section 2.1.7).
const dirDiskChange = 0x80

// Data rate codes (DSR/CCR bits 0-1) in kbit/s.
var rateKbps = [4]int{500, 300, 250, 1000}

// rateReset is the data rate code after a hardware reset: 250 kbit/s.
const rateReset = 2

// Status register 0 (datasheet Table 5-2).
const (
	st0Abnormal = 0x40 // IC=01: abnormal termination
	st0Invalid  = 0x80 // IC=10: invalid command
	st0Polling  = 0xC0 // IC=11: ready changed (after reset)
	st0SE       = 0x20 // seek end
	st0EC       = 0x10 // equipment check
	st0Head     = 0x04 // head address
)

// Status register 1 (datasheet Table 5-3).
const (
	st1EN = 0x80 // end of cylinder
	st1DE = 0x20 // data error (CRC)
	st1ND = 0x04 // no data: sector not found
	st1NW = 0x02 // not writable
	st1MA = 0x01 // missing address mark
)

// Status register 2 (datasheet Table 5-4).
const (
	st2DD = 0x20 // data error in data field
	st2WC = 0x10 // wrong cylinder
	st2BC = 0x02 // bad cylinder (C = 0xFF)
)

// Status register 3 (datasheet Table 5-5). RDY and TS always read 1 on
// the 82077AA.
const (
	st3WP   = 0x40
	st3RDY  = 0x20
	st3T0   = 0x10
	st3TS   = 0x08
	st3Head = 0x04
)

// Command opcodes (datasheet Table 5-1). Read and write commands carry the
// MT, MFM and SK flags in bits 7-5.
const (
	cmdSpecify       = 0x03
	cmdSenseDrive    = 0x04
	cmdWriteData     = 0x05
	cmdReadData      = 0x06
	cmdRecalibrate   = 0x07
	cmdSenseInt      = 0x08
	cmdReadID        = 0x0A
	cmdFormat        = 0x0D
	cmdDumpreg       = 0x0E
	cmdSeek          = 0x0F
	cmdVersion       = 0x10
	cmdPerpendicular = 0x12
	cmdConfigure     = 0x13
	cmdLock          = 0x14

	flagMT  = 0x80 // multi-track
	flagMFM = 0x40 // MFM (double density) recording
	flagSK  = 0x20 // skip deleted data
	lockBit = 0x80 // LOCK command: 1 locks, 0 unlocks
)

// versionID is the VERSION result of an 82077AA (an 8272A rejects the
// command with 0x80).
const versionID = 0x90

// sectorSize is the size of a sector with N=2, the only size images hold.
const (
	sectorSize = 512
	sectorN    = 2
)
