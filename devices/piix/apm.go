package piix

// APM control and status ports (PIIX4 datasheet, 3.5 and 7.2: APMC at
// 0xB2, APMS at 0xB3).
const (
	APMPort = 0xB2
	APMSize = 2
	// ACPIEnable and ACPIDisable are the APMC values the FADT gives the OS
	// (ACPI_ENABLE, ACPI_DISABLE, with SMI_CMD = APMPort), as SeaBIOS's
	// and QEMU's tables do.
	ACPIEnable  = 0xF1
	ACPIDisable = 0xF0
)

// APM is the APM control (APMC) and status (APMS) register pair. On the
// chip a write to APMC raises an SMI, and the firmware's SMM handler
// moves the machine into or out of ACPI mode. This machine has no SMM
// (APMC_EN reads as set so SeaBIOS does not try to set it up), so, as in
// QEMU, the device does that itself: ACPIEnable sets SCI_EN, ACPIDisable
// clears it, through OnACPIMode. Other commands are stored and do
// nothing. APMS is a scratch byte.
type APM struct {
	// OnACPIMode, if not nil, is told to set (true) or clear SCI_EN.
	OnACPIMode func(on bool)

	control, status uint8
}

// ReadPort returns APMC (offset 0) or APMS (offset 1).
func (a *APM) ReadPort(off uint16, size int) uint32 {
	if off == 0 {
		return uint32(a.control)
	}
	return uint32(a.status)
}

// WritePort writes APMC or APMS.
func (a *APM) WritePort(off uint16, size int, v uint32) {
	if off != 0 {
		a.status = uint8(v)
		return
	}
	a.control = uint8(v)
	if a.OnACPIMode != nil && (a.control == ACPIEnable || a.control == ACPIDisable) {
		a.OnACPIMode(a.control == ACPIEnable)
	}
}

// Reset clears both registers.
func (a *APM) Reset() { a.control, a.status = 0, 0 }
