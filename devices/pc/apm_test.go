package pc

import (
	"testing"

	"ringzero/cpu"
	"ringzero/devices/piix"
)

// TestAPMControlSwitchesACPIMode: on the PCI board, the OS's ACPI_ENABLE
// and ACPI_DISABLE writes to SMI_CMD (0xB2, as SeaBIOS's FADT says) set
// and clear SCI_EN in PM1_CNT, as QEMU's PIIX4 does without SMM; APMS
// keeps what is written; a reset clears SCI_EN again.
func TestAPMControlSwitchesACPIMode(t *testing.T) {
	m, err := New(Config{Model: cpu.ModelP2, MemBytes: 2 << 20, BIOS: make([]byte, 128<<10)})
	if err != nil {
		t.Fatal(err)
	}
	const pmBase = 0x600
	cfgAddr := func(reg uint8) uint32 {
		return 1<<31 | uint32(piix.Slot)<<11 | uint32(piix.FnPM)<<8 | uint32(reg)
	}
	b := m.Bus
	b.Out(0xCF8, 4, cfgAddr(piix.RegPMBA))
	b.Out(0xCFC, 4, pmBase|1)
	b.Out(0xCF8, 4, cfgAddr(piix.RegPMREGMISC))
	b.Out(0xCFC, 1, 1)
	cnt := func() uint32 { return b.In(pmBase+piix.PMControlOff, 2) }
	if cnt()&1 != 0 {
		t.Fatalf("PM1_CNT %#x at power-on: SCI_EN set", cnt())
	}
	b.Out(piix.APMPort, 1, piix.ACPIEnable)
	if cnt()&1 == 0 {
		t.Errorf("PM1_CNT %#x after ACPI_ENABLE: SCI_EN clear", cnt())
	}
	if v := b.In(piix.APMPort, 1); v != piix.ACPIEnable {
		t.Errorf("APMC reads %#x, want %#x", v, piix.ACPIEnable)
	}
	b.Out(piix.APMPort+1, 1, 0x5A)
	if v := b.In(piix.APMPort+1, 1); v != 0x5A {
		t.Errorf("APMS reads %#x, want 0x5a", v)
	}
	b.Out(piix.APMPort, 1, 0x42) // some other command: no SMM, no effect
	if cnt()&1 == 0 {
		t.Errorf("PM1_CNT %#x after command 42h: SCI_EN cleared", cnt())
	}
	b.Out(piix.APMPort, 1, piix.ACPIDisable)
	if cnt()&1 != 0 {
		t.Errorf("PM1_CNT %#x after ACPI_DISABLE: SCI_EN set", cnt())
	}
	b.Out(piix.APMPort, 1, piix.ACPIEnable)
	m.Reset()
	b.Out(0xCF8, 4, cfgAddr(piix.RegPMBA))
	b.Out(0xCFC, 4, pmBase|1)
	b.Out(0xCF8, 4, cfgAddr(piix.RegPMREGMISC))
	b.Out(0xCFC, 1, 1)
	if cnt()&1 != 0 {
		t.Errorf("PM1_CNT %#x after reset: SCI_EN set", cnt())
	}
}
