package acpi

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The image Build returns: Size bytes for DefaultBase, where the board
// maps it read-only. The built-in BIOS takes F0000h-FFFFFh, so the ACPI
// tables take the 64 KiB below it, inside the area E0000h-FFFFFh where an
// OS looks for the RSDP (ACPI specification, "Finding the RSDP on IA-PC
// Systems"); the BIOS's E820 map reports E0000h-FFFFFh reserved.
const (
	DefaultBase = 0xE0000
	Size        = 64 << 10
	searchStart = 0xE0000  // the RSDP search area: E0000h ...
	searchEnd   = 0x100000 // ... to FFFFFh
)

// Config describes the fixed ACPI hardware the tables advertise. The
// defaults (DefaultConfig) match devices/debugport's power-management
// block and the PIIX4's tables in QEMU.
type Config struct {
	// Base is the physical address where the image is mapped: 4 KiB
	// aligned, and the whole image inside E0000h-FFFFFh.
	Base uint32
	// OEMID (up to 6 characters) and OEMTableID (up to 8) fill every
	// table header; shorter ones are padded with spaces.
	OEMID, OEMTableID string

	PM1aEvent     uint16 // FADT PM1a_EVT_BLK: PM1_STS then PM1_EN
	PM1EventLen   uint8  // FADT PM1_EVT_LEN: even, 4 to 16
	PM1aControl   uint16 // FADT PM1a_CNT_BLK: PM1_CNT
	PM1ControlLen uint8  // FADT PM1_CNT_LEN: 2 to 16
	PMTimer       uint16 // FADT PM_TMR_BLK (PM_TMR_LEN is 4)
	Timer32       bool   // the PM timer counts 32 bits (FADT flag TMR_VAL_EXT), not 24
	SCIIRQ        uint8  // FADT SCI_INT: an ISA IRQ of the 8259 pair
	S5Type        uint8  // SLP_TYP that powers off: the \_S5 package's values, 0-7
	// ResetPort, if not 0, is an I/O port that resets the machine when
	// ResetValue is written to it (FADT RESET_REG, flag RESET_REG_SUP).
	ResetPort  uint16
	ResetValue uint8
	// Century is the CMOS index of the RTC's century byte (FADT
	// CENTURY); 0 if there is none.
	Century uint8
	// MADT, if set, adds the Multiple APIC Description Table (madt.go)
	// to the RSDT and XSDT: a board with a local APIC and an I/O APIC.
	// nil on a board without them.
	MADT *MADT
	// PCIRoot adds \_SB_.PCI0, a PCI host bridge (PNP0A03) at bus 0, to
	// the DSDT. Leave it off on a board without configuration mechanism
	// #1 at CF8h.
	PCIRoot bool
}

// DefaultConfig is the configuration of the ringzero PC board: the
// debugport power-management block (PM1a at 600h and 604h, the PM timer
// at 608h, the SCI on IRQ 9, S5 = SLP_TYP 0), the reset register at CF9h
// (value 06h: a hard reset), the century at CMOS 32h, and the APICs of
// a Pentium II (DefaultMADT).
func DefaultConfig() Config {
	return Config{
		Base:          DefaultBase,
		OEMID:         "RINGZR",
		OEMTableID:    "RINGZERO",
		PM1aEvent:     0x600,
		PM1EventLen:   4,
		PM1aControl:   0x604,
		PM1ControlLen: 2,
		PMTimer:       0x608,
		SCIIRQ:        9,
		S5Type:        0,
		ResetPort:     0xCF9,
		ResetValue:    0x06,
		Century:       0x32,
		MADT:          DefaultMADT(),
	}
}

// Table sizes and revisions. The set serves ACPI 1.0 and 2.0 OSes alike:
// an ACPI 2.0 RSDP (revision 2) whose first 20 bytes are the 1.0 RSDP, an
// RSDT for 1.0 and an XSDT for 2.0, and a revision 3 FADT whose first 116
// bytes are the 1.0 FADT.
const (
	headerLen   = 36  // the System Description Table Header
	rsdpLen     = 36  // the ACPI 2.0 RSDP; 20 for ACPI 1.0
	rsdpLen1    = 20  // the part the ACPI 1.0 checksum covers
	facsLen     = 64  // FACS, 64-byte aligned
	fadtLen     = 244 // FADT revision 3
	fadtRev     = 3
	rsdtRev     = 1
	xsdtRev     = 1
	dsdtRev     = 1 // 32-bit AML integers: every ACPI OS reads it
	facsVersion = 1 // ACPI 2.0 FACS
	creatorID   = "RZRO"
	creatorRev  = 1
	oemRev      = 1
)

// FADT flags (ACPI 2.0, "Fixed ACPI Description Table Fixed Feature
// Flags").
const (
	fadtWBINVD      = 1 << 0  // WBINVD works
	fadtProcC1      = 1 << 2  // C1 on every processor
	fadtSlpButton   = 1 << 5  // no fixed-feature sleep button
	fadtFixRTC      = 1 << 6  // no RTC wake status in fixed register space
	fadtTmrValExt   = 1 << 8  // 32-bit PM timer
	fadtResetRegSup = 1 << 10 // RESET_REG works
	// IAPC_BOOT_ARCH: legacy ISA devices, and an 8042 (without this bit
	// Linux does not probe the keyboard controller).
	bootArchLegacy = 1 << 0
	bootArch8042   = 1 << 1
	// Generic Address Structure address space.
	gasSystemIO = 1
)

// Build returns the Size-byte image of the ACPI tables for cfg, to be
// mapped read-only at cfg.Base: the RSDP at offset 0, then the FACS, RSDT,
// XSDT, FADT and DSDT.
func Build(cfg Config) ([]byte, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	dsdt, err := buildDSDT(cfg)
	if err != nil {
		return nil, err
	}
	var madt []byte
	if cfg.MADT != nil {
		madt = buildMADT(cfg)
	}
	entries := 1 // the FADT, then the MADT if any
	if madt != nil {
		entries++
	}
	img := make([]byte, Size)
	l := layout{base: cfg.Base}
	rsdp := l.place(rsdpLen, 16)
	facs := l.place(facsLen, 64)
	rsdt := l.place(headerLen+4*entries, 16)
	xsdt := l.place(headerLen+8*entries, 16)
	fadt := l.place(fadtLen, 16)
	dsdtAt := l.place(len(dsdt), 16)
	madtAt := l.place(len(madt), 16)
	if l.next > Size {
		return nil, fmt.Errorf("acpi: the tables need %d bytes, more than %d", l.next, Size)
	}
	le := binary.LittleEndian
	addr := func(off int) uint32 { return cfg.Base + uint32(off) }

	// FACS: no header, no checksum.
	f := img[facs:]
	copy(f, "FACS")
	le.PutUint32(f[4:], facsLen)
	f[32] = facsVersion

	// DSDT.
	copy(img[dsdtAt:], dsdt)

	// FADT.
	t := img[fadt : fadt+fadtLen]
	le.PutUint32(t[36:], addr(facs))   // FIRMWARE_CTRL
	le.PutUint32(t[40:], addr(dsdtAt)) // DSDT
	le.PutUint16(t[46:], uint16(cfg.SCIIRQ))
	// SMI_CMD (48), ACPI_ENABLE and ACPI_DISABLE stay 0: no SMM, so the
	// machine is in ACPI mode from power-on and the BIOS sets SCI_EN.
	le.PutUint32(t[56:], uint32(cfg.PM1aEvent))
	le.PutUint32(t[64:], uint32(cfg.PM1aControl))
	le.PutUint32(t[76:], uint32(cfg.PMTimer))
	t[88] = cfg.PM1EventLen
	t[89] = cfg.PM1ControlLen
	t[91] = 4                  // PM_TMR_LEN
	le.PutUint16(t[96:], 101)  // P_LVL2_LAT > 100: no C2
	le.PutUint16(t[98:], 1001) // P_LVL3_LAT > 1000: no C3
	t[108] = cfg.Century
	le.PutUint16(t[109:], bootArchLegacy|bootArch8042)
	flags := uint32(fadtWBINVD | fadtProcC1 | fadtSlpButton | fadtFixRTC)
	if cfg.Timer32 {
		flags |= fadtTmrValExt
	}
	if cfg.ResetPort != 0 {
		flags |= fadtResetRegSup
		putGAS(t[116:], gasSystemIO, 8, uint64(cfg.ResetPort))
		t[128] = cfg.ResetValue
	}
	le.PutUint32(t[112:], flags)
	// X_FIRMWARE_CTRL (132) stays 0: FIRMWARE_CTRL holds the FACS, and
	// ACPI allows only one of the two. X_DSDT repeats DSDT.
	le.PutUint64(t[140:], uint64(addr(dsdtAt)))
	putGAS(t[148:], gasSystemIO, 8*cfg.PM1EventLen, uint64(cfg.PM1aEvent))
	putGAS(t[172:], gasSystemIO, 8*cfg.PM1ControlLen, uint64(cfg.PM1aControl))
	putGAS(t[208:], gasSystemIO, 32, uint64(cfg.PMTimer))
	putHeader(t, "FACP", fadtRev, cfg)

	// MADT.
	copy(img[madtAt:], madt)

	// RSDT and XSDT: the FADT, and the MADT on a board with APICs.
	t = img[rsdt : rsdt+headerLen+4*entries]
	le.PutUint32(t[headerLen:], addr(fadt))
	if madt != nil {
		le.PutUint32(t[headerLen+4:], addr(madtAt))
	}
	putHeader(t, "RSDT", rsdtRev, cfg)
	t = img[xsdt : xsdt+headerLen+8*entries]
	le.PutUint64(t[headerLen:], uint64(addr(fadt)))
	if madt != nil {
		le.PutUint64(t[headerLen+8:], uint64(addr(madtAt)))
	}
	putHeader(t, "XSDT", xsdtRev, cfg)

	// RSDP, revision 2 (ACPI 2.0): the first checksum covers the ACPI
	// 1.0 part, the extended one all of it.
	t = img[rsdp : rsdp+rsdpLen]
	copy(t, "RSD PTR ")
	copy(t[9:15], pad(cfg.OEMID, 6))
	t[15] = 2
	le.PutUint32(t[16:], addr(rsdt))
	le.PutUint32(t[20:], rsdpLen)
	le.PutUint64(t[24:], uint64(addr(xsdt)))
	t[8] = checksum(t[:rsdpLen1])
	t[32] = checksum(t)
	return img, nil
}

// check rejects configurations that would give tables an OS
// misreads.
func (cfg Config) check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("acpi: "+format, args...)) }
	if cfg.Base%4096 != 0 || cfg.Base < searchStart || uint64(cfg.Base)+Size > searchEnd {
		bad("Base %#x: want a 4 KiB-aligned address with the %d-byte image inside %#x-%#x", cfg.Base, Size, searchStart, searchEnd-1)
	}
	if !printable(cfg.OEMID, 6) {
		bad("OEMID %q: up to 6 printable ASCII characters", cfg.OEMID)
	}
	if !printable(cfg.OEMTableID, 8) {
		bad("OEMTableID %q: up to 8 printable ASCII characters", cfg.OEMTableID)
	}
	if cfg.PM1aEvent == 0 || cfg.PM1EventLen < 4 || cfg.PM1EventLen%2 != 0 || cfg.PM1EventLen > 16 {
		bad("PM1a event block %#x length %d: want a port and an even length from 4 to 16", cfg.PM1aEvent, cfg.PM1EventLen)
	}
	if cfg.PM1aControl == 0 || cfg.PM1ControlLen < 2 || cfg.PM1ControlLen > 16 {
		bad("PM1a control block %#x length %d: want a port and a length from 2 to 16", cfg.PM1aControl, cfg.PM1ControlLen)
	}
	if cfg.PMTimer == 0 {
		bad("PMTimer: ACPI 1.0 and 2.0 require a PM timer port")
	}
	if cfg.SCIIRQ > 15 || cfg.SCIIRQ == 0 || cfg.SCIIRQ == 2 {
		bad("SCIIRQ %d: want an ISA IRQ from 1 to 15 other than the cascade (2)", cfg.SCIIRQ)
	}
	if cfg.S5Type > 7 {
		bad("S5Type %d: SLP_TYP is 3 bits", cfg.S5Type)
	}
	if cfg.Century != 0 && (cfg.Century < 0x0E || cfg.Century > 0x7F) {
		bad("Century %#x: want a CMOS RAM index from 0x0e to 0x7f, or 0", cfg.Century)
	}
	if cfg.MADT != nil {
		if err := cfg.MADT.check(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// buildDSDT returns the DSDT: \_S5 and, if asked, the PCI root bridge.
func buildDSDT(cfg Config) ([]byte, error) {
	var e encoder
	s5 := uint64(cfg.S5Type)
	// \_S5: SLP_TYPa, SLP_TYPb, two reserved (ACPI, "\_S5 (Soft Off
	// State)"), as QEMU's PIIX4 DSDT has it.
	aml := e.name("_S5_", e.pkg(e.integer(s5), e.integer(s5), e.integer(0), e.integer(0)))
	if cfg.PCIRoot {
		aml = append(aml, e.scope(`\_SB_`,
			e.device("PCI0",
				e.name("_HID", e.eisaID("PNP0A03")),
				e.name("_ADR", e.integer(0)),
				e.name("_UID", e.integer(0)),
				e.name("_BBN", e.integer(0)),
			),
		)...)
	}
	if e.err != nil {
		return nil, e.err
	}
	t := make([]byte, headerLen+len(aml))
	copy(t[headerLen:], aml)
	putHeader(t, "DSDT", dsdtRev, cfg)
	return t, nil
}

// layout hands out offsets in the image.
type layout struct {
	base uint32
	next int
}

func (l *layout) place(n, align int) int {
	off := (l.next + align - 1) &^ (align - 1)
	l.next = off + n
	return off
}

// putHeader fills the System Description Table Header of t (whose length
// is len(t)) and its checksum; the body must be written already.
func putHeader(t []byte, sig string, rev byte, cfg Config) {
	le := binary.LittleEndian
	copy(t[0:4], sig)
	le.PutUint32(t[4:], uint32(len(t)))
	t[8] = rev
	t[9] = 0
	copy(t[10:16], pad(cfg.OEMID, 6))
	copy(t[16:24], pad(cfg.OEMTableID, 8))
	le.PutUint32(t[24:], oemRev)
	copy(t[28:32], creatorID)
	le.PutUint32(t[32:], creatorRev)
	t[9] = checksum(t)
}

// putGAS writes a Generic Address Structure: address space, register
// width in bits, bit offset 0, access size 0 (undefined, as ACPI 2.0
// has it), address.
func putGAS(b []byte, space, bitWidth byte, addr uint64) {
	b[0] = space
	b[1] = bitWidth
	b[2] = 0
	b[3] = 0
	binary.LittleEndian.PutUint64(b[4:], addr)
}

// checksum returns the byte that makes b (with that byte 0) sum to 0.
func checksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return -s
}

func pad(s string, n int) []byte {
	b := []byte(s)
	for len(b) < n {
		b = append(b, ' ')
	}
	return b
}

func printable(s string, n int) bool {
	if len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}
