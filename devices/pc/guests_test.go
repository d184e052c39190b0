package pc

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/arch/x86/x86asm"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/testroms"
)

// guestRun is one boot of a floppy image with the built-in BIOS.
type guestRun struct {
	res          Result
	debug, com1  string
	instructions uint64
	where        string // registers and disassembly at the end, for failures
}

// whereIs describes the CPU's state and disassembles the code at CS:EIP
// (x86asm), for failure reports.
func whereIs(m *Machine) string {
	s := m.CPU.State()
	var b strings.Builder
	fmt.Fprintf(&b, "CS:EIP %04x:%08x EFLAGS %08x CR0 %08x CR2 %08x CR3 %08x\n", s.Seg[cpu.CS].Selector, s.EIP, s.EFlags, s.CR[0], s.CR[2], s.CR[3])
	for i, n := range []string{"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"} {
		fmt.Fprintf(&b, "%s %08x ", n, s.Regs[i])
	}
	b.WriteString("\n")
	mode := 16
	if s.CR[0]&cpu.CR0PE != 0 && s.Seg[cpu.CS].Attr&cpu.AttrDB != 0 {
		mode = 32
	}
	code := make([]byte, 64)
	for i := range code {
		code[i] = byte(m.Bus.Read(s.Seg[cpu.CS].Base+s.EIP+uint32(i), 1))
	}
	for off := 0; off < 48; {
		inst, err := x86asm.Decode(code[off:], mode)
		if err != nil {
			fmt.Fprintf(&b, "  %08x  (bad)\n", s.EIP+uint32(off))
			break
		}
		fmt.Fprintf(&b, "  %08x  %s\n", s.EIP+uint32(off), x86asm.IntelSyntax(inst, uint64(s.EIP)+uint64(off), nil))
		off += inst.Len
	}
	if h, ok := m.CPU.(interface{ History() []interp.Event }); ok {
		for _, e := range h.History() {
			fmt.Fprintf(&b, "  exception %v at %04x:%08x (cycle %d)\n", e.Exception, e.CS, e.EIP, e.Cycle)
		}
	}
	return b.String()
}

var fixedRTC = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func bootFloppy(t *testing.T, model cpu.Model, image string, exit bool) guestRun {
	t.Helper()
	img, err := testroms.Image(image)
	if err != nil {
		t.Fatal(err)
	}
	var con, com1 bytes.Buffer
	cfg := Config{Model: model, MemBytes: 16 << 20, BIOS: bios.Image, DebugCon: &con,
		RTCStart: fixedRTC, NoReboot: true}
	cfg.Serial[0] = &com1
	cfg.Floppy[0] = disk.FromBytesWith(img, disk.Options{Snapshot: true})
	if exit {
		e := debugport.DefaultConfig()
		cfg.DebugExit = &e
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := m.Run(ctx, RunOptions{})
	if err != nil {
		t.Fatalf("%s on %v: %v\nport 0xE9:\n%s", image, model, err, con.String())
	}
	m.COM[0].Flush()
	return guestRun{res: res, debug: con.String(), com1: com1.String(), instructions: m.CPU.Stats().Instructions, where: whereIs(m)}
}

// TestROMs boots every CPU test ROM on every model it supports and wants
// the output it gives under QEMU.
func TestROMs(t *testing.T) {
	for _, rom := range testroms.ROMs() {
		oldest, err := cpu.ParseModel(rom.Model)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []cpu.Model{cpu.Model8086, cpu.Model286, cpu.Model386, cpu.Model486, cpu.ModelP2} {
			if m < oldest {
				continue
			}
			t.Run(rom.Name+"/"+m.String(), func(t *testing.T) {
				r := bootFloppy(t, m, rom.Name, true)
				if r.res.Outcome != DebugExit || r.res.Status != testroms.PassStatus {
					t.Errorf("result %+v, want status %d\nport 0xE9:\n%s\n%s", r.res, testroms.PassStatus, r.debug, r.where)
				} else if !strings.HasSuffix(r.debug, rom.Output) {
					// The BIOS's banner comes first.
					t.Errorf("port 0xE9:\n%s\nwant:\n%s", r.debug, rom.Output)
				}
			})
		}
	}
}

// TestDemoSelfTest runs the demo's self-test build.
func TestDemoSelfTest(t *testing.T) {
	r := bootFloppy(t, cpu.ModelP2, testroms.DemoSelfTest, true)
	if r.res.Status != testroms.DemoSelfTestStatus {
		t.Errorf("result %+v, want status %#x\nCOM1:\n%s", r.res, testroms.DemoSelfTestStatus, r.com1)
	}
	if guestPart(r.debug) != guestPart(r.com1) {
		t.Errorf("port 0xE9 and COM1 differ:\n%s\n---\n%s", r.debug, r.com1)
	}
}

// TestDemoPowersOffHeadless: with nobody at the keyboard the demo powers
// off through ACPI (status 0), and two runs from the same RTC start give
// the same serial output and instruction count.
func TestDemoPowersOffHeadless(t *testing.T) {
	a := bootFloppy(t, cpu.ModelP2, testroms.Demo, false)
	if a.res.Outcome != PowerOff || a.res.Status != 0 {
		t.Fatalf("result %+v, want power-off\nCOM1:\n%s", a.res, a.com1)
	}
	b := bootFloppy(t, cpu.ModelP2, testroms.Demo, false)
	if a.com1 != b.com1 || a.instructions != b.instructions {
		t.Errorf("two runs differ: %d vs %d instructions\n%s\n---\n%s", a.instructions, b.instructions, a.com1, b.com1)
	}
}

// guestPart is a log from the demo's title line on (the BIOS's banner,
// which differs between port 0xE9 and COM1, comes before it).
func guestPart(log string) string {
	log = strings.ReplaceAll(log, "\r", "")
	if i := strings.Index(log, "ringzero demo"); i >= 0 {
		log = log[i:]
	}
	return strings.TrimSpace(log)
}
