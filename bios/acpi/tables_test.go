package acpi

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ringzero/devices/debugport"
)

var le = binary.LittleEndian

// image is a built image with helpers that follow its pointers the way
// an OS does, failing the test on anything an OS would reject.
type image struct {
	t    *testing.T
	b    []byte
	base uint32
}

func build(t *testing.T, cfg Config) image {
	t.Helper()
	b, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != Size {
		t.Fatalf("image is %d bytes, want %d", len(b), Size)
	}
	return image{t: t, b: b, base: cfg.Base}
}

func sum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return s
}

// table returns the table at physical address addr after checking its
// signature, length and checksum.
func (im image) table(addr uint64, sig string) []byte {
	im.t.Helper()
	if addr < uint64(im.base) || addr+headerLen > uint64(im.base)+uint64(len(im.b)) {
		im.t.Fatalf("%s at %#x: outside the image at %#x", sig, addr, im.base)
	}
	off := int(addr - uint64(im.base))
	if got := string(im.b[off : off+4]); got != sig {
		im.t.Fatalf("table at %#x is %q, want %q", addr, got, sig)
	}
	n := int(le.Uint32(im.b[off+4:]))
	if n < headerLen || off+n > len(im.b) {
		im.t.Fatalf("%s length %d runs out of the image", sig, n)
	}
	t := im.b[off : off+n]
	if s := sum(t); s != 0 {
		im.t.Errorf("%s checksum: bytes sum to %#x, want 0", sig, s)
	}
	if got := strings.TrimRight(string(t[10:16]), " "); got != "RINGZR" {
		im.t.Errorf("%s OEM ID %q", sig, got)
	}
	return t
}

// rsdp checks the RSDP at the image's start and returns it.
func (im image) rsdp() []byte {
	im.t.Helper()
	if im.base%16 != 0 || im.base < 0xE0000 || im.base >= 0x100000 {
		im.t.Fatalf("RSDP at %#x: outside the E0000h-FFFFFh search area or unaligned", im.base)
	}
	r := im.b[:rsdpLen]
	if string(r[:8]) != "RSD PTR " {
		im.t.Fatalf("no RSDP signature: %q", r[:8])
	}
	if s := sum(r[:20]); s != 0 {
		im.t.Errorf("RSDP ACPI 1.0 checksum: first 20 bytes sum to %#x", s)
	}
	if s := sum(r); s != 0 {
		im.t.Errorf("RSDP extended checksum: 36 bytes sum to %#x", s)
	}
	if r[15] != 2 || le.Uint32(r[20:]) != rsdpLen {
		im.t.Errorf("RSDP revision %d length %d, want 2 and 36", r[15], le.Uint32(r[20:]))
	}
	return r
}

// entries follows RSDP -> RSDT and XSDT, checks that both lists agree,
// and returns the table addresses they list.
func (im image) entries() []uint64 {
	im.t.Helper()
	r := im.rsdp()
	rsdt := im.table(uint64(le.Uint32(r[16:])), "RSDT")
	xsdt := im.table(le.Uint64(r[24:]), "XSDT")
	n := (len(rsdt) - headerLen) / 4
	if n < 1 || len(rsdt) != headerLen+4*n || len(xsdt) != headerLen+8*n {
		im.t.Fatalf("RSDT %d and XSDT %d bytes: want the same entries", len(rsdt), len(xsdt))
	}
	var out []uint64
	for i := 0; i < n; i++ {
		a, xa := uint64(le.Uint32(rsdt[headerLen+4*i:])), le.Uint64(xsdt[headerLen+8*i:])
		if a != xa {
			im.t.Errorf("RSDT lists %#x, XSDT %#x", a, xa)
		}
		out = append(out, a)
	}
	return out
}

// fadt returns the FADT, the first table the RSDT and XSDT list.
func (im image) fadt() []byte {
	im.t.Helper()
	f := im.table(im.entries()[0], "FACP")
	if len(f) != fadtLen || f[8] != fadtRev {
		im.t.Errorf("FADT length %d revision %d, want %d and %d", len(f), f[8], fadtLen, fadtRev)
	}
	return f
}

// s5 decodes the DSDT the FADT points at and returns the \_S5 package.
func (im image) dsdtNodes(f []byte) []amlNode {
	im.t.Helper()
	d := uint64(le.Uint32(f[40:]))
	if x := le.Uint64(f[140:]); x != d {
		im.t.Errorf("X_DSDT %#x, DSDT %#x", x, d)
	}
	dsdt := im.table(d, "DSDT")
	nodes, err := decodeAML(dsdt[headerLen:])
	if err != nil {
		im.t.Fatalf("DSDT AML: %v", err)
	}
	return nodes
}

func TestTablesChainFromTheRSDPWithValidChecksums(t *testing.T) {
	im := build(t, DefaultConfig())
	f := im.fadt()
	facs := uint64(le.Uint32(f[36:]))
	if facs%64 != 0 {
		t.Errorf("FACS at %#x: not 64-byte aligned", facs)
	}
	off := facs - DefaultBase
	if string(im.b[off:off+4]) != "FACS" || le.Uint32(im.b[off+4:]) != facsLen || im.b[off+32] != facsVersion {
		t.Errorf("FACS: % X", im.b[off:off+facsLen])
	}
	if x := le.Uint64(f[132:]); x != 0 {
		t.Errorf("X_FIRMWARE_CTRL %#x with FIRMWARE_CTRL set", x)
	}
	nodes := im.dsdtNodes(f)
	if len(nodes) != 1 || nodes[0].String() != "Name(_S5_, Package{0x0, 0x0, 0x0, 0x0})" {
		t.Errorf("DSDT: %v, want just \\_S5 = {0, 0, 0, 0}", nodes)
	}
}

// TestFADTDescribesTheDebugportBlock: the default tables give the ports,
// lengths, SCI and S5 type of devices/debugport, and say "ACPI mode from
// power-on" (SMI_CMD 0), which the BIOS completes by setting SCI_EN.
func TestFADTDescribesTheDebugportBlock(t *testing.T) {
	f := build(t, DefaultConfig()).fadt()
	for _, c := range []struct {
		name      string
		off, size int
		want      uint64
	}{
		{"SCI_INT", 46, 2, debugport.SCIIRQ},
		{"SMI_CMD", 48, 4, 0},
		{"ACPI_ENABLE", 52, 1, 0},
		{"PM1a_EVT_BLK", 56, 4, debugport.PM1aEventBase},
		{"PM1b_EVT_BLK", 60, 4, 0},
		{"PM1a_CNT_BLK", 64, 4, debugport.PM1aControlBase},
		{"PM_TMR_BLK", 76, 4, debugport.PMTimerBase},
		{"GPE0_BLK", 80, 4, 0},
		{"PM1_EVT_LEN", 88, 1, debugport.PM1EventLen},
		{"PM1_CNT_LEN", 89, 1, debugport.PM1ControlLen},
		{"PM_TMR_LEN", 91, 1, debugport.PMTimerLen},
		{"CENTURY", 108, 1, 0x32},
		{"IAPC_BOOT_ARCH", 109, 2, 3},
		{"RESET_VALUE", 128, 1, 6},
		{"X_PM1a_EVT_BLK address", 152, 8, debugport.PM1aEventBase},
		{"X_PM1a_EVT_BLK width", 149, 1, 8 * debugport.PM1EventLen},
		{"X_PM1a_CNT_BLK address", 176, 8, debugport.PM1aControlBase},
		{"X_PM1a_CNT_BLK width", 173, 1, 8 * debugport.PM1ControlLen},
		{"X_PM_TMR_BLK address", 212, 8, debugport.PMTimerBase},
		{"X_PM_TMR_BLK space", 208, 1, gasSystemIO},
		{"RESET_REG address", 120, 8, 0xCF9},
	} {
		var got uint64
		for i := c.size - 1; i >= 0; i-- {
			got = got<<8 | uint64(f[c.off+i])
		}
		if got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, got, c.want)
		}
	}
	flags := le.Uint32(f[112:])
	if flags&fadtTmrValExt != 0 {
		t.Error("TMR_VAL_EXT set, but debugport's timer is 24 bits by default")
	}
	if flags&(1<<4) != 0 {
		t.Error("PWR_BUTTON set: the power button is a fixed feature (PWRBTN_STS)")
	}
	if flags&fadtResetRegSup == 0 {
		t.Error("RESET_REG_SUP clear")
	}
	if debugport.DefaultS5Type != DefaultConfig().S5Type {
		t.Errorf("S5Type %d, debugport's %d", DefaultConfig().S5Type, debugport.DefaultS5Type)
	}
}

func TestConfigChangesReachTheTables(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MADT = nil
	cfg.S5Type = 5
	cfg.Timer32 = true
	cfg.ResetPort = 0
	cfg.PCIRoot = true
	cfg.Base = 0xE8000
	im := build(t, cfg)
	f := im.fadt()
	if n := len(im.entries()); n != 1 {
		t.Errorf("%d tables listed without a MADT, want the FADT alone", n)
	}
	if le.Uint32(f[112:])&fadtTmrValExt == 0 {
		t.Error("Timer32 did not set TMR_VAL_EXT")
	}
	if le.Uint32(f[112:])&fadtResetRegSup != 0 || f[116] != 0 {
		t.Error("no ResetPort, but a reset register")
	}
	var got []string
	for _, n := range im.dsdtNodes(f) {
		got = append(got, n.String())
	}
	want := []string{
		"Name(_S5_, Package{0x5, 0x5, 0x0, 0x0})",
		`Scope(\_SB_){Device(PCI0){Name(_HID, 0x30ad041), Name(_ADR, 0x0), Name(_UID, 0x0), Name(_BBN, 0x0)}}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("DSDT:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBuildRejectsBadConfigs(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"base not aligned":      func(c *Config) { c.Base = 0xE0010 },
		"base below E0000":      func(c *Config) { c.Base = 0xD0000 },
		"image past 1 MiB":      func(c *Config) { c.Base = 0xF8000 },
		"long OEM ID":           func(c *Config) { c.OEMID = "TOOLONG" },
		"OEM table ID with NUL": func(c *Config) { c.OEMTableID = "A\x00" },
		"no PM1a event block":   func(c *Config) { c.PM1aEvent = 0 },
		"odd PM1 event length":  func(c *Config) { c.PM1EventLen = 5 },
		"short PM1 control":     func(c *Config) { c.PM1ControlLen = 1 },
		"no PM timer":           func(c *Config) { c.PMTimer = 0 },
		"SCI on the cascade":    func(c *Config) { c.SCIIRQ = 2 },
		"SCI past IRQ 15":       func(c *Config) { c.SCIIRQ = 16 },
		"SLP_TYP 8":             func(c *Config) { c.S5Type = 8 },
		"century in the clock":  func(c *Config) { c.Century = 0x09 },
		"LAPIC unaligned":       func(c *Config) { c.MADT.LocalAPIC = 0xFEE00010 },
		"no I/O APIC":           func(c *Config) { c.MADT.IOAPIC = 0 },
		"I/O APIC ID 16":        func(c *Config) { c.MADT.IOAPICID = 16 },
		"timer GSI 24":          func(c *Config) { c.MADT.TimerGSI = 24 },
	} {
		cfg := DefaultConfig()
		change(&cfg)
		if img, err := Build(cfg); err == nil || img != nil {
			t.Errorf("%s: Build gave %d bytes, %v; want an error", name, len(img), err)
		}
	}
}

// TestIASLDisassemblesTheTables runs the ACPICA disassembler (Debian
// acpica-tools) on every table but the RSDP, which it does not read
// alone: each must disassemble without a checksum complaint, and the
// DSDT must give \_S5 as Package (0x04) of Zeros.
func TestIASLDisassemblesTheTables(t *testing.T) {
	iasl, err := exec.LookPath("iasl")
	if err != nil {
		msg := "iasl is not installed (apt-get install acpica-tools)"
		if os.Getenv("RINGZERO_NO_SKIP") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cfg := DefaultConfig()
	cfg.PCIRoot = true
	im := build(t, cfg)
	f := im.fadt()
	tables := map[string][]byte{
		"rsdt": im.table(uint64(le.Uint32(im.b[16:])), "RSDT"),
		"xsdt": im.table(le.Uint64(im.b[24:]), "XSDT"),
		"facp": f,
		"dsdt": im.table(uint64(le.Uint32(f[40:])), "DSDT"),
		"apic": im.table(im.entries()[1], "APIC"),
	}
	facs := le.Uint32(f[36:]) - cfg.Base
	tables["facs"] = im.b[facs : facs+facsLen]
	dir := t.TempDir()
	for name, data := range tables {
		path := filepath.Join(dir, name+".dat")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(iasl, "-d", path)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("iasl -d %s: %v\n%s", name, err, out)
			continue
		}
		dsl, err := os.ReadFile(filepath.Join(dir, name+".dsl"))
		if err != nil {
			t.Errorf("iasl wrote no %s.dsl: %v", name, err)
			continue
		}
		text := string(dsl)
		if strings.Contains(text, "Incorrect") || strings.Contains(text, "Invalid") {
			t.Errorf("iasl complains about %s:\n%s", name, text)
		}
		if name == "apic" {
			// Without the "[04Ah 0074   1]" offsets before each field.
			fields := regexp.MustCompile(`\[[0-9A-F]+h [0-9]+ +[0-9]+\]`).ReplaceAllString(text, "")
			squashed := strings.Join(strings.Fields(fields), " ")
			for _, want := range []string{
				"Local Apic Address : FEE00000",
				"PC-AT Compatibility : 1",
				"Subtable Type : 00 [Processor Local APIC] Length : 08 Processor ID : 00 Local Apic ID : 00 Flags (decoded below) : 00000001 Processor Enabled : 1",
				"Subtable Type : 01 [I/O APIC] Length : 0C I/O Apic ID : 00 Reserved : 00 Address : FEC00000 Interrupt : 00000000",
				"Subtable Type : 02 [Interrupt Source Override] Length : 0A Bus : 00 Source : 00 Interrupt : 00000002 Flags (decoded below) : 0000",
				"Source : 09 Interrupt : 00000009 Flags (decoded below) : 000D Polarity : 1 Trigger Mode : 3",
				"Subtable Type : 04 [Local APIC NMI] Length : 06 Processor ID : FF Flags (decoded below) : 0000 Polarity : 0 Trigger Mode : 0 Interrupt Input LINT : 01",
			} {
				if !strings.Contains(squashed, want) {
					t.Errorf("iasl's MADT lacks %q:\n%s", want, text)
				}
			}
		}
		if name == "dsdt" {
			squashed := strings.Join(strings.Fields(text), " ")
			for _, want := range []string{
				`DefinitionBlock ("", "DSDT", 1, "RINGZR", "RINGZERO", 0x00000001)`,
				"Name (_S5, Package (0x04) // _S5_: S5 System State { Zero, Zero, Zero, Zero })",
				`Device (PCI0)`,
				`Name (_HID, EisaId ("PNP0A03")`,
			} {
				if !strings.Contains(squashed, want) {
					t.Errorf("iasl's DSDT lacks %q:\n%s", want, text)
				}
			}
		}
	}
}

// TestMADTDescribesTheAPICs walks the MADT as an OS does: the local APIC
// address and PCAT_COMPAT, then each interrupt controller structure.
func TestMADTDescribesTheAPICs(t *testing.T) {
	im := build(t, DefaultConfig())
	e := im.entries()
	if len(e) != 2 {
		t.Fatalf("%d tables listed, want the FADT and the MADT", len(e))
	}
	m := im.table(e[1], "APIC")
	if m[8] != madtRev {
		t.Errorf("MADT revision %d, want %d", m[8], madtRev)
	}
	if a, f := le.Uint32(m[36:]), le.Uint32(m[40:]); a != 0xFEE00000 || f != madtPCATCompat {
		t.Errorf("local APIC address %#x flags %#x, want 0xfee00000 and PCAT_COMPAT", a, f)
	}
	var got []string
	for off := 44; off < len(m); {
		typ, n := m[off], int(m[off+1])
		if n < 2 || off+n > len(m) {
			t.Fatalf("MADT structure at %d: length %d runs out of the table", off, n)
		}
		got = append(got, fmt.Sprintf("%d:% x", typ, m[off+2:off+n]))
		off += n
	}
	want := []string{
		"0:00 00 01 00 00 00",             // processor 0, APIC ID 0, enabled
		"1:00 00 00 00 c0 fe 00 00 00 00", // I/O APIC 0 at FEC00000, GSI base 0
		"2:00 00 02 00 00 00 00 00",       // ISA IRQ 0 -> GSI 2
		"2:00 09 09 00 00 00 0d 00",       // the SCI: level, active high
		"4:ff 00 00 01",                   // NMI on every processor's LINT1
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("MADT structures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
