package ata

// Wiring of the two legacy ATA channels (the PC/AT's fixed disk ports and
// the ISA secondary).
const (
	// PrimaryCmd is the primary channel's command block (0x1F0-0x1F7).
	PrimaryCmd = 0x1F0
	// PrimaryCtl is the primary channel's control block (0x3F6).
	PrimaryCtl = 0x3F6
	// PrimaryIRQ is the primary channel's interrupt line.
	PrimaryIRQ = 14
	// SecondaryCmd is the secondary channel's command block (0x170-0x177).
	SecondaryCmd = 0x170
	// SecondaryCtl is the secondary channel's control block (0x376).
	SecondaryCtl = 0x376
	// SecondaryIRQ is the secondary channel's interrupt line.
	SecondaryIRQ = 15
	// CmdSize is the number of ports of a command block.
	CmdSize = 8
	// CtlSize is the number of ports of a control block served here: the
	// next one (0x3F7) is the floppy controller's.
	CtlSize = 1
)

// Command block register offsets (ATA/ATAPI-6 section 7.1, Table 9).
const (
	regData    = 0
	regError   = 1 // read; Features on write
	regCount   = 2
	regLBALow  = 3 // sector number in CHS addressing
	regLBAMid  = 4 // cylinder low
	regLBAHigh = 5 // cylinder high
	regDevice  = 6 // device/head
	regStatus  = 7 // read; Command on write
)

// Status register bits (ATA/ATAPI-6 section 7.15).
const (
	StatusBSY  = 0x80 // busy
	StatusDRDY = 0x40 // device ready
	StatusDF   = 0x20 // device fault
	StatusDSC  = 0x10 // device seek complete (ATA-3 name; SERV later)
	StatusDRQ  = 0x08 // data request
	StatusERR  = 0x01 // error: see the error register
)

// Error register bits (ATA/ATAPI-6 section 7.9).
const (
	ErrUNC  = 0x40 // uncorrectable data error
	ErrIDNF = 0x10 // ID (address) not found
	ErrABRT = 0x04 // command aborted
)

// Device register bits (ATA/ATAPI-6 section 7.10).
const (
	devLBA = 0x40 // LBA addressing (else CHS)
	devDEV = 0x10 // selects device 1
)

// Device control register bits (ATA/ATAPI-6 section 7.8).
const (
	ctlNIEN = 0x02 // interrupts disabled
	ctlSRST = 0x04 // software reset
	ctlHOB  = 0x80 // read the previous (high order) bytes
)

// diagPassed is the error register value after a reset or EXECUTE DEVICE
// DIAGNOSTIC when the devices passed (ATA/ATAPI-6 Table 26).
const diagPassed = 0x01

// cmdExecuteDiagnostic is EXECUTE DEVICE DIAGNOSTIC, which both devices
// run whichever is selected.
const cmdExecuteDiagnostic = 0x90

// SectorSize is the size of an ATA disk sector.
const SectorSize = 512
