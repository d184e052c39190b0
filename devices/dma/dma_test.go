package dma_test

import (
	"bytes"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/dma"
)

const ramSize = 0x40000 // 256 KiB: pages 0-3

type rig struct {
	b   *bus.Bus
	d   *dma.Controller
	ram []byte
}

func newRig(t *testing.T) *rig {
	t.Helper()
	b := bus.New()
	ram := make([]byte, ramSize)
	if err := b.MapRAM(0, ram, false); err != nil {
		t.Fatal(err)
	}
	d := dma.New(b)
	for _, m := range []struct {
		base uint16
		n    uint32
		name string
		h    bus.PortHandler
	}{
		{dma.DMA1Base, dma.DMA1Size, "dma1", d.DMA1()},
		{dma.DMA2Base, dma.DMA2Size, "dma2", d.DMA2()},
		{dma.PageBase, dma.PageSize, "dma-page", d.Pages()},
	} {
		if err := b.MapPorts(m.base, m.n, m.name, m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	r := &rig{b: b, d: d, ram: ram}
	// POST-style setup: channel 4 in cascade mode and unmasked.
	b.Out(0xD6, 1, 0xC0)
	b.Out(0xD4, 1, 0x00)
	return r
}

// Port numbers of channel n's address, count and page registers.
func addrPort(n int) uint16 {
	if n < 4 {
		return uint16(2 * n)
	}
	return 0xC0 + uint16(4*(n-4))
}

var pagePort = [8]uint16{0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A}

// program sets up channel n the way a BIOS does: mask, clear flip-flop,
// mode, address, count, page, unmask.
func (r *rig) program(n int, mode uint8, addr, count uint16, page uint8) {
	maskPort, modePort, ffPort := uint16(0x0A), uint16(0x0B), uint16(0x0C)
	if n >= 4 {
		maskPort, modePort, ffPort = 0xD4, 0xD6, 0xD8
	}
	r.b.Out(maskPort, 1, uint32(4|n&3))
	r.b.Out(ffPort, 1, 0)
	r.b.Out(modePort, 1, uint32(mode|uint8(n&3)))
	ap := addrPort(n)
	step := uint16(1)
	if n >= 4 {
		step = 2
	}
	r.b.Out(ap, 1, uint32(addr&0xFF))
	r.b.Out(ap, 1, uint32(addr>>8))
	r.b.Out(ap+step, 1, uint32(count&0xFF))
	r.b.Out(ap+step, 1, uint32(count>>8))
	r.b.Out(pagePort[n], 1, uint32(page))
	r.b.Out(maskPort, 1, uint32(n&3))
}

// read16 reads a 16-bit register through the flip-flop.
func (r *rig) read16(port uint16) uint16 {
	lo := r.b.In(port, 1)
	hi := r.b.In(port, 1)
	return uint16(lo | hi<<8)
}

func TestAddressAndCountReadBackThroughFlipFlop(t *testing.T) {
	r := newRig(t)
	r.b.Out(0x0C, 1, 0)
	r.b.Out(0x04, 1, 0x34)
	r.b.Out(0x04, 1, 0x12)
	r.b.Out(0x05, 1, 0xFF)
	r.b.Out(0x05, 1, 0x01)
	r.b.Out(0x0C, 1, 0)
	if got := r.read16(0x04); got != 0x1234 {
		t.Errorf("address = %#x, want 0x1234", got)
	}
	if got := r.read16(0x05); got != 0x01FF {
		t.Errorf("count = %#x, want 0x1ff", got)
	}
	// A stray read toggles the flip-flop; clearing it realigns.
	r.b.In(0x04, 1)
	r.b.Out(0x0C, 1, 0)
	if got := r.read16(0x04); got != 0x1234 {
		t.Errorf("address after clear flip-flop = %#x, want 0x1234", got)
	}
	// DMA2 registers sit on even ports; odd ports alias them.
	r.b.Out(0xD8, 1, 0)
	r.b.Out(0xC4, 1, 0x78)
	r.b.Out(0xC5, 1, 0x56)
	r.b.Out(0xD9, 1, 0)
	if got := r.read16(0xC4); got != 0x5678 {
		t.Errorf("channel 5 address = %#x, want 0x5678", got)
	}
}

func TestPageRegistersIncludingSpares(t *testing.T) {
	r := newRig(t)
	for p := uint16(0x81); p <= 0x8F; p++ {
		r.b.Out(p, 1, uint32(p)^0x5A)
	}
	for p := uint16(0x81); p <= 0x8F; p++ {
		if got := r.b.In(p, 1); got != uint32(p)^0x5A {
			t.Errorf("port %#x = %#x, want %#x", p, got, uint32(p)^0x5A)
		}
	}
	if got := r.b.In(dma.POSTPort, 1); got != 0xFF {
		t.Errorf("port 0x80 = %#x, want unmapped 0xff (left to the board)", got)
	}
}

func TestWriteTransferStopsAtTerminalCountAndMasks(t *testing.T) {
	r := newRig(t)
	r.program(2, 0x44, 0x1000, 9, 0x01) // single, write to memory
	ch := r.d.Channel(2)
	if !ch.Ready() {
		t.Fatal("channel 2 not ready after unmask")
	}
	src := []byte("ABCDEFGHIJKLMNOP")
	n, tc := ch.Transfer(src, true)
	if n != 10 || !tc {
		t.Fatalf("Transfer = %d, %v; want 10, true", n, tc)
	}
	if got := r.ram[0x11000:0x1100B]; !bytes.Equal(got, []byte("ABCDEFGHIJ\x00")) {
		t.Errorf("memory = %q", got)
	}
	if got := r.b.In(0x08, 1); got&0x0F != 0x04 {
		t.Errorf("status = %#x, want TC for channel 2", got)
	}
	if got := r.b.In(0x08, 1); got&0x0F != 0 {
		t.Errorf("status on second read = %#x, want TC cleared", got)
	}
	if got := r.b.In(0x0F, 1); got&0x04 == 0 {
		t.Errorf("mask register = %#x, want channel 2 masked after TC", got)
	}
	if n, _ := ch.Transfer(src, true); n != 0 {
		t.Errorf("Transfer on masked channel moved %d bytes", n)
	}
	r.b.Out(0x0C, 1, 0)
	if got := r.read16(0x04); got != 0x100A {
		t.Errorf("current address = %#x, want 0x100a", got)
	}
	if got := r.read16(0x05); got != 0xFFFF {
		t.Errorf("current count = %#x, want 0xffff", got)
	}
}

func TestAutoinitReloadsAndStaysUnmasked(t *testing.T) {
	r := newRig(t)
	r.program(1, 0x54, 0x2000, 3, 0) // autoinit, write
	ch := r.d.Channel(1)
	if n, tc := ch.Transfer([]byte{1, 2, 3, 4}, true); n != 4 || !tc {
		t.Fatalf("first Transfer = %d, %v; want 4, true", n, tc)
	}
	if !ch.Ready() {
		t.Fatal("autoinit channel masked itself at TC")
	}
	r.b.Out(0x0C, 1, 0)
	if got := r.read16(0x02); got != 0x2000 {
		t.Errorf("address after autoinit = %#x, want 0x2000", got)
	}
	if got := r.read16(0x03); got != 3 {
		t.Errorf("count after autoinit = %d, want 3", got)
	}
	if n, tc := ch.Transfer([]byte{9, 8, 7, 6, 5}, true); n != 4 || !tc {
		t.Fatalf("second Transfer = %d, %v; want 4, true", n, tc)
	}
	if got := r.ram[0x2000:0x2005]; !bytes.Equal(got, []byte{9, 8, 7, 6, 0}) {
		t.Errorf("memory = %v", got)
	}
}

func TestDecrementAndReadModes(t *testing.T) {
	r := newRig(t)
	r.program(3, 0x64, 0x0103, 3, 0) // decrement, write
	ch := r.d.Channel(3)
	if n, tc := ch.Transfer([]byte{1, 2, 3, 4}, true); n != 4 || !tc {
		t.Fatalf("Transfer = %d, %v", n, tc)
	}
	if got := r.ram[0x100:0x104]; !bytes.Equal(got, []byte{4, 3, 2, 1}) {
		t.Errorf("decrementing write = %v, want [4 3 2 1]", got)
	}
	copy(r.ram[0x3000:], "hello")
	r.program(3, 0x48, 0x3000, 4, 0) // read from memory
	buf := make([]byte, 8)
	if n, tc := ch.Transfer(buf, false); n != 5 || !tc {
		t.Fatalf("read Transfer = %d, %v", n, tc)
	}
	if string(buf[:5]) != "hello" {
		t.Errorf("read from memory = %q", buf[:5])
	}
	if got := r.b.In(0x0D, 1); got != 'o' {
		t.Errorf("temporary register = %#x, want last byte 'o'", got)
	}
}

func TestVerifyAndMismatchedModesMoveNoData(t *testing.T) {
	tests := []struct {
		name     string
		mode     uint8
		toMemory bool
	}{
		{"verify", 0x40, true},
		{"read mode, device writes", 0x48, true},
		{"write mode, device reads", 0x44, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.ram[0x500] = 0xEE
			r.program(2, tt.mode, 0x500, 1, 0)
			buf := []byte{0x11, 0x22}
			n, tc := r.d.Channel(2).Transfer(buf, tt.toMemory)
			if n != 2 || !tc {
				t.Fatalf("Transfer = %d, %v; want count to advance to TC", n, tc)
			}
			if r.ram[0x500] != 0xEE || r.ram[0x501] != 0 {
				t.Errorf("memory changed: %#x %#x", r.ram[0x500], r.ram[0x501])
			}
			if buf[0] != 0x11 {
				t.Errorf("device buffer changed: %#x", buf[0])
			}
		})
	}
}

func TestWordChannelUsesWordAddressAndCount(t *testing.T) {
	r := newRig(t)
	// Channel 5: page 0x03 (bit 0 ignored -> 0x02), word address 0x0800
	// = byte 0x1000, count 1 = two words.
	r.program(5, 0x44, 0x0800, 1, 0x03)
	ch := r.d.Channel(5)
	if got := ch.Address(); got != 0x21000 {
		t.Errorf("Address = %#x, want 0x21000", got)
	}
	n, tc := ch.Transfer([]byte{1, 2, 3, 4, 5, 6}, true)
	if n != 4 || !tc {
		t.Fatalf("Transfer = %d, %v; want 4, true", n, tc)
	}
	if got := r.ram[0x21000:0x21006]; !bytes.Equal(got, []byte{1, 2, 3, 4, 0, 0}) {
		t.Errorf("memory = %v", got)
	}
	if got := r.b.In(0xD0, 1); got&0x0F != 0x02 {
		t.Errorf("DMA2 status = %#x, want TC bit 1 (channel 5)", got)
	}
}

func TestCascadeAndDisableGateChannels(t *testing.T) {
	r := newRig(t)
	r.program(2, 0x44, 0, 0xFF, 0)
	ch := r.d.Channel(2)
	steps := []struct {
		port  uint16
		val   uint32
		ready bool
	}{
		{0xD4, 0x04, false}, // mask channel 4: DMA1 cut off
		{0xD4, 0x00, true},
		{0x08, 0x04, false}, // DMA1 command: controller disable
		{0x08, 0x00, true},
		{0xD0, 0x04, false}, // DMA2 disabled stops the cascade
		{0xD0, 0x00, true},
		{0x0B, 0xC2, false}, // channel 2 in cascade mode
		{0x0B, 0x46, true},
		{0x0F, 0x04, false}, // write all mask bits
		{0x0E, 0x00, true},  // clear mask register
		{0x0D, 0x00, false}, // master clear masks everything
	}
	for _, s := range steps {
		r.b.Out(s.port, 1, s.val)
		if got := ch.Ready(); got != s.ready {
			t.Errorf("after out %#x,%#x: Ready = %v, want %v", s.port, s.val, got, s.ready)
		}
	}
	if n, _ := ch.Transfer([]byte{1}, true); n != 0 {
		t.Errorf("Transfer after master clear moved %d bytes", n)
	}
	if r.d.Channel(4).Ready() {
		t.Error("channel 4 (cascade) reports Ready")
	}
}

func TestStatusShowsRequestsAndOnReadyFiresOnUnmask(t *testing.T) {
	r := newRig(t)
	r.program(2, 0x44, 0x100, 0, 0)
	r.b.Out(0x0A, 1, 0x06) // mask channel 2
	ch := r.d.Channel(2)
	calls := 0
	ch.OnReady(func() {
		calls++
		ch.Transfer([]byte{0x77}, true)
	})
	r.b.Out(0x0A, 1, 0x02) // unmask without DREQ: no call
	if calls != 0 {
		t.Fatalf("OnReady called without DREQ")
	}
	r.b.Out(0x0A, 1, 0x06)
	ch.SetDREQ(true)
	if got := r.b.In(0x08, 1); got != 0x40 {
		t.Errorf("status = %#x, want DREQ bit for channel 2 (0x40)", got)
	}
	r.b.Out(0x09, 1, 0x05) // software request on channel 1
	if got := r.b.In(0x08, 1); got != 0x60 {
		t.Errorf("status = %#x, want requests for channels 1 and 2", got)
	}
	r.b.Out(0x0A, 1, 0x02) // unmask: device is called back
	if calls != 1 {
		t.Fatalf("OnReady calls = %d, want 1", calls)
	}
	if r.ram[0x100] != 0x77 {
		t.Errorf("callback transfer did not reach memory")
	}
	ch.SetDREQ(false)
	if got := r.b.In(0x08, 1); got != 0x24 {
		t.Errorf("status = %#x, want TC ch2 + request ch1 (0x24)", got)
	}
}

func TestTransferPastRAMGoesToBus(t *testing.T) {
	r := newRig(t)
	r.program(2, 0x44, 0xFFFE, 3, 0xFF) // 0xFFFFFE: no RAM there
	before := r.b.UnmappedWrites
	n, tc := r.d.Channel(2).Transfer([]byte{1, 2, 3, 4}, true)
	if n != 4 || !tc {
		t.Fatalf("Transfer = %d, %v", n, tc)
	}
	if got := r.b.UnmappedWrites - before; got != 4 {
		t.Errorf("unmapped writes = %d, want 4", got)
	}
	// The address wraps within the 64 KiB page, as on the 8237A + page
	// register: it does not carry into the page.
	r.b.Out(0x0C, 1, 0)
	if got := r.read16(0x04); got != 0x0002 {
		t.Errorf("address after wrap = %#x, want 0x0002", got)
	}
}

func TestChannelOutOfRangeIsNil(t *testing.T) {
	r := newRig(t)
	for _, n := range []int{-1, 8, 100} {
		if r.d.Channel(n) != nil {
			t.Errorf("Channel(%d) != nil", n)
		}
	}
}
