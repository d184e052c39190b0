package pc

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/debugport"
)

// tinyBIOS is a 64 KiB ROM whose reset vector writes "hi" to the debug
// console and v to the isa-debug-exit port.
func tinyBIOS(v byte) []byte {
	rom := bytes.Repeat([]byte{0xF4}, 64<<10)
	code := []byte{0xB0, 'h', 0xE6, 0xE9, 0xB0, 'i', 0xE6, 0xE9, 0xB0, v, 0xE6, 0xF4, 0xF4}
	copy(rom[0xFFF0:], code)
	return rom
}

func TestResetVectorDebugExit(t *testing.T) {
	for _, model := range []cpu.Model{cpu.Model8086, cpu.Model286, cpu.ModelP2} {
		var con bytes.Buffer
		exit := debugport.DefaultConfig()
		m, err := New(Config{Model: model, MemBytes: 2 << 20, BIOS: tinyBIOS(5), DebugCon: &con, DebugExit: &exit,
			RTCStart: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res, err := m.Run(ctx, RunOptions{})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != DebugExit || res.Status != 11 {
			t.Errorf("%v: result %+v, want debug-exit status 11", model, res)
		}
		if con.String() != "hi" {
			t.Errorf("%v: debug console %q, want %q", model, con.String(), "hi")
		}
	}
}

func TestBadConfig(t *testing.T) {
	if _, err := New(Config{Model: cpu.ModelP2, MemBytes: 2 << 20, BIOS: make([]byte, 1000)}); err == nil {
		t.Error("a 1000-byte BIOS was accepted")
	}
	if _, err := New(Config{Model: cpu.ModelP2, MemBytes: 12345, BIOS: tinyBIOS(0)}); err == nil {
		t.Error("a 12345-byte RAM was accepted")
	}
	if _, err := New(Config{Model: cpu.ModelP2, MemBytes: 2 << 20, BIOS: tinyBIOS(0), Engine: "warp"}); err == nil {
		t.Error("an unknown engine was accepted")
	}
}

// TestTripleFaultNoReboot: a ROM that loads an IDT limit of 0 and raises
// an exception shuts down; with NoReboot the run ends with status 4.
func TestTripleFaultNoReboot(t *testing.T) {
	rom := bytes.Repeat([]byte{0xF4}, 64<<10)
	// F000:FFF0: lidt [cs:0xFFF8] (2E 0F 01 1E F8 FF); int3 (CC)... INT3
	// with a zero-limit IVT raises #GP, then #DF, then shuts down.
	copy(rom[0xFFF0:], []byte{0x2E, 0x0F, 0x01, 0x1E, 0xF8, 0xFF, 0xCC})
	copy(rom[0xFFF8:], []byte{0, 0, 0, 0, 0, 0})
	m, err := New(Config{Model: cpu.Model286, MemBytes: 1 << 20, BIOS: rom, NoReboot: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != TripleFault || res.Status != 4 {
		t.Errorf("result %+v, want triple-fault status 4", res)
	}
}

// TestPortLogs: bytes written to a captured port reach its writer.
func TestPortLogs(t *testing.T) {
	rom := bytes.Repeat([]byte{0xF4}, 64<<10)
	// mov dx,0x190; mov al,'A'; out dx,al; mov al,'B'; out dx,al;
	// mov al,1; out 0xF4,al
	copy(rom[0xFFF0:], []byte{0xBA, 0x90, 0x01, 0xB0, 'A', 0xEE, 0xB0, 'B', 0xEE, 0xB0, 1, 0xE6, 0xF4})
	var log bytes.Buffer
	exit := debugport.DefaultConfig()
	m, err := New(Config{Model: cpu.Model286, MemBytes: 1 << 20, BIOS: rom, DebugExit: &exit,
		PortLogs: map[uint16]io.Writer{0x190: &log}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := m.Run(context.Background(), RunOptions{}); err != nil || res.Status != 3 {
		t.Fatalf("run: %+v %v", res, err)
	}
	if log.String() != "AB" {
		t.Errorf("port 0x190 log %q, want %q", log.String(), "AB")
	}
}
