package pc

import (
	"bytes"
	"context"
	"testing"
	"time"

	"ringzero/bios/acpi"
	"ringzero/cpu"
	"ringzero/devices/apic"
	"ringzero/devices/debugport"
	"ringzero/devices/irq"
)

// msrBIOS is a 64 KiB ROM that prints CPUID's APIC flag and byte 1 of
// IA32_APIC_BASE on the debug console, clears the MSR's enable bit, prints
// both again, and exits through isa-debug-exit with 0 (nasm, bits 16):
//
//	mov eax, 1 / cpuid / shr edx, 9 / and dl, 1 / mov al, dl / out 0xE9, al
//	mov ecx, 0x1B / rdmsr / mov al, ah / out 0xE9, al
//	mov eax, 0xFEE00000 / xor edx, edx / wrmsr
//	(the first two lines again) / mov al, 0 / out 0xF4, al / hlt
func msrBIOS() []byte {
	rom := bytes.Repeat([]byte{0xF4}, 64<<10)
	copy(rom, []byte{
		0x66, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2, 0x66, 0xc1, 0xea, 0x09,
		0x80, 0xe2, 0x01, 0x88, 0xd0, 0xe6, 0xe9, 0x66, 0xb9, 0x1b, 0x00, 0x00,
		0x00, 0x0f, 0x32, 0x88, 0xe0, 0xe6, 0xe9, 0x66, 0xb8, 0x00, 0x00, 0xe0,
		0xfe, 0x66, 0x31, 0xd2, 0x0f, 0x30, 0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,
		0x0f, 0xa2, 0x66, 0xc1, 0xea, 0x09, 0x80, 0xe2, 0x01, 0x88, 0xd0, 0xe6,
		0xe9, 0x66, 0xb9, 0x1b, 0x00, 0x00, 0x00, 0x0f, 0x32, 0x88, 0xe0, 0xe6,
		0xe9, 0xb0, 0x00, 0xe6, 0xf4, 0xf4,
	})
	copy(rom[0xFFF0:], []byte{0xEA, 0x00, 0x00, 0x00, 0xF0}) // jmp F000:0000
	return rom
}

func newBoard(t *testing.T, model cpu.Model, rom []byte, con *bytes.Buffer) *Machine {
	t.Helper()
	exit := debugport.DefaultConfig()
	cfg := Config{Model: model, MemBytes: 2 << 20, BIOS: rom, DebugExit: &exit, RTCStart: fixedRTC, NoReboot: true}
	if con != nil {
		cfg.DebugCon = con
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// hasMADT reports an "APIC" table in the ACPI area (16-byte aligned).
func hasMADT(m *Machine) bool {
	for a := uint32(acpi.DefaultBase); a < acpi.DefaultBase+acpi.Size; a += 16 {
		if m.Bus.Read(a, 4) == 0x43495041 { // "APIC"
			return true
		}
	}
	return false
}

// TestAPICsOnlyOnThePentiumII: the Pentium II board has both APICs, the
// MADT, and the local APIC as the CPU's interrupt source; a 486 has none
// of them and the 8259 pair drives INTR as before.
func TestAPICsOnlyOnThePentiumII(t *testing.T) {
	p2 := newBoard(t, cpu.ModelP2, tinyBIOS(0), nil)
	if p2.LAPIC == nil || p2.IOAPIC == nil || p2.env.Intr != cpu.Interrupts(p2.LAPIC) {
		t.Fatal("the Pentium II board has no APICs, or the CPU does not ask the local APIC")
	}
	if v := p2.Bus.Read(apic.DefaultBase+0x30, 4); v != apic.Version {
		t.Errorf("local APIC version %#x, want %#x", v, apic.Version)
	}
	p2.Bus.Write(apic.IOBase, 4, 1)
	if v := p2.Bus.Read(apic.IOBase+0x10, 4); v != apic.IOVersion {
		t.Errorf("I/O APIC version %#x, want %#x", v, apic.IOVersion)
	}
	if !hasMADT(p2) {
		t.Error("no MADT on the Pentium II board")
	}
	old := newBoard(t, cpu.Model486, tinyBIOS(0), nil)
	if old.LAPIC != nil || old.IOAPIC != nil || old.env.Intr != cpu.Interrupts(old.PIC) {
		t.Error("a 486 board has APICs")
	}
	for _, a := range []uint32{apic.DefaultBase + 0x30, apic.IOBase + 0x10} {
		if v := old.Bus.Read(a, 4); v != 0xFFFFFFFF {
			t.Errorf("486: %#x reads %#x, want nothing there", a, v)
		}
	}
	if hasMADT(old) {
		t.Error("a MADT on the 486 board")
	}
}

// TestISAIRQsReachBothControllers: an ISA line drives the 8259 and the
// I/O APIC (IRQ 0 on pin 2); with the PIC masked, the I/O APIC's
// interrupt comes through the local APIC.
func TestISAIRQsReachBothControllers(t *testing.T) {
	m := newBoard(t, cpu.ModelP2, tinyBIOS(0), nil)
	b := m.Bus
	b.Write(apic.DefaultBase+0xF0, 4, 0x1FF) // SVR: software enabled
	for _, c := range []struct {
		irq, pin int
		vector   uint32
	}{{0, 2, 0x30}, {4, 4, 0x34}, {9, 9, 0x39}, {14, 14, 0x3E}} {
		b.Write(apic.IOBase, 4, uint32(0x10+2*c.pin))
		b.Write(apic.IOBase+0x10, 4, c.vector)
		irq.Pulse(m.isaIRQ(c.irq))
		if !m.env.Intr.Pending() {
			t.Errorf("IRQ %d: nothing pending", c.irq)
			continue
		}
		if v := m.env.Intr.Ack(); uint32(v) != c.vector {
			t.Errorf("IRQ %d: vector %#x, want %#x (pin %d)", c.irq, v, c.vector, c.pin)
		}
		b.Write(apic.DefaultBase+0xB0, 4, 0) // EOI
		// The 8259 latched it too (OCW3 reads IRR by default).
		port, bit := uint16(0x20), uint32(1)<<c.irq
		if c.irq >= 8 {
			port, bit = 0xA0, 1<<(c.irq-8)
		}
		if b.In(port, 1)&bit == 0 {
			t.Errorf("IRQ %d: not in the 8259's IRR", c.irq)
		}
	}
}

// TestAPICBaseMSRAndCPUID runs a ROM that reads CPUID's APIC flag and
// IA32_APIC_BASE, then disables the APIC through the MSR: the flag goes,
// the page goes, the PIC is the CPU's INTR, and a reset brings all back.
func TestAPICBaseMSRAndCPUID(t *testing.T) {
	var con bytes.Buffer
	m := newBoard(t, cpu.ModelP2, msrBIOS(), &con)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := m.Run(ctx, RunOptions{})
	if err != nil || res.Outcome != DebugExit {
		t.Fatalf("run: %+v %v", res, err)
	}
	if got, want := con.Bytes(), []byte{1, 0x09, 0, 0x01}; !bytes.Equal(got, want) {
		t.Errorf("CPUID flag and IA32_APIC_BASE[15:8] before and after: % x, want % x", got, want)
	}
	if v := m.Bus.Read(apic.DefaultBase+0x30, 4); v != 0xFFFFFFFF {
		t.Errorf("the APIC page still answers (%#x) with the APIC disabled", v)
	}
	m.Reset()
	if v := m.Bus.Read(apic.DefaultBase+0x30, 4); v != apic.Version || !m.LAPIC.Enabled() {
		t.Errorf("after a reset: version %#x, enabled %v", v, m.LAPIC.Enabled())
	}
}
