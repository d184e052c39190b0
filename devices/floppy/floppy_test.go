package floppy_test

import (
	"bytes"
	"errors"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/disk"
	"ringzero/devices/dma"
	"ringzero/devices/floppy"
	"ringzero/devices/irq"
)

// The controller's DMA interface is what the dma package's channels offer.
var _ floppy.DMA = (*dma.Channel)(nil)

// Ports and bits as a guest driver spells them (82077AA datasheet), kept
// apart from the package's constants so the tests check the datasheet.
const (
	pDOR  = 0x3F2
	pMSR  = 0x3F4 // DSR on write
	pFIFO = 0x3F5
	pDIR  = 0x3F7 // CCR on write

	msrRQM  = 0x80
	msrDIO  = 0x40
	msrNDMA = 0x20
	msrCB   = 0x10

	rate500 = 0
	rate250 = 2

	size144 = 1474560
	size720 = 737280

	dmaWrite = 0x46 // single mode, write to memory, channel 2
	dmaRead  = 0x4A // single mode, read from memory, channel 2
)

// fakeMem is guest memory for the DMA controller: a small slice, with
// accesses beyond it dropped and counted.
type fakeMem struct {
	b       []byte
	dropped int
}

func (m *fakeMem) Read(addr uint32, size int) uint32 {
	var v uint32
	for i := 0; i < size; i++ {
		a := uint64(addr) + uint64(i)
		if a >= uint64(len(m.b)) {
			m.dropped++
			v |= 0xFF << (8 * i)
			continue
		}
		v |= uint32(m.b[a]) << (8 * i)
	}
	return v
}

func (m *fakeMem) Write(addr uint32, size int, v uint32) {
	for i := 0; i < size; i++ {
		a := uint64(addr) + uint64(i)
		if a >= uint64(len(m.b)) {
			m.dropped++
			continue
		}
		m.b[a] = byte(v >> (8 * i))
	}
}

// rig is a floppy controller and the DMA controllers on a bus, with 64 KiB
// of fake guest memory.
type rig struct {
	t    *testing.T
	b    *bus.Bus
	mem  *fakeMem
	line *irq.Recorder
	fdc  *floppy.Controller
}

func newRig(t *testing.T) *rig {
	t.Helper()
	b := bus.New()
	mem := &fakeMem{b: make([]byte, 0x10000)}
	d := dma.New(mem)
	line := &irq.Recorder{}
	fdc := floppy.New(line, d.Channel(floppy.DMAChannel))
	maps := []struct {
		base uint16
		n    uint32
		name string
		h    bus.PortHandler
	}{
		{dma.DMA1Base, dma.DMA1Size, "dma1", d.DMA1()},
		{dma.DMA2Base, dma.DMA2Size, "dma2", d.DMA2()},
		{dma.PageBase, dma.PageSize, "dma-page", d.Pages()},
		{floppy.Base, floppy.Size, "fdc", fdc},
		{floppy.DIRPort, floppy.DIRSize, "fdc-dir", fdc.DIR()},
	}
	for _, m := range maps {
		if err := b.MapPorts(m.base, m.n, m.name, m.h, bus.Size8); err != nil {
			t.Fatal(err)
		}
	}
	b.Out(0xD6, 1, 0xC0) // channel 4 cascade, unmasked, as at POST
	b.Out(0xD4, 1, 0x00)
	return &rig{t: t, b: b, mem: mem, line: line, fdc: fdc}
}

// sectorByte is the content of byte i of the sector at lba in test images.
func sectorByte(lba, i int) byte { return byte(lba*7 + i*3 + i>>8) }

// image returns a patterned image of size bytes.
func image(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = sectorByte(i/512, i%512)
	}
	return b
}

// attach puts a patterned medium of size bytes into drive n.
func (r *rig) attach(n, size int, opt disk.Options) []byte {
	r.t.Helper()
	data := image(size)
	if err := r.fdc.Attach(n, disk.FromBytesWith(data, opt)); err != nil {
		r.t.Fatal(err)
	}
	return data
}

// cmd writes command bytes, checking that the controller asks for each.
func (r *rig) cmd(bs ...byte) {
	r.t.Helper()
	for i, b := range bs {
		if m := r.b.In(pMSR, 1); m&(msrRQM|msrDIO) != msrRQM {
			r.t.Fatalf("command byte %d (%#x): MSR = %#x, controller not ready for it", i, b, m)
		}
		r.b.Out(pFIFO, 1, uint32(b))
	}
}

// result reads the result phase.
func (r *rig) result() []byte {
	r.t.Helper()
	var out []byte
	for len(out) < 16 {
		m := r.b.In(pMSR, 1)
		if m&(msrRQM|msrDIO|msrCB) != msrRQM|msrDIO|msrCB {
			break
		}
		out = append(out, byte(r.b.In(pFIFO, 1)))
	}
	if m := r.b.In(pMSR, 1); m&^0x0F != msrRQM {
		r.t.Fatalf("MSR after result = %#x, want RQM (idle)", m)
	}
	return out
}

// reset pulses DOR reset, selects drive 0 with its motor and the DMA gate
// and collects the four reset interrupts.
func (r *rig) reset() {
	r.t.Helper()
	r.b.Out(pDOR, 1, 0x00)
	r.b.Out(pDOR, 1, 0x1C)
	for d := 0; d < 4; d++ {
		r.cmd(0x08)
		if got := r.result(); !bytes.Equal(got, []byte{0xC0 | byte(d), 0}) {
			r.t.Fatalf("sense interrupt %d after reset = %x", d, got)
		}
	}
}

// program sets up DMA channel 2 for count+1 bytes at addr (page in bits
// 16-23).
func (r *rig) program(mode uint8, addr uint32, count uint16) {
	r.b.Out(0x0A, 1, 0x06) // mask 2
	r.b.Out(0x0C, 1, 0)
	r.b.Out(0x0B, 1, uint32(mode))
	r.b.Out(0x04, 1, addr&0xFF)
	r.b.Out(0x04, 1, addr>>8&0xFF)
	r.b.Out(0x81, 1, addr>>16)
	r.b.Out(0x05, 1, uint32(count&0xFF))
	r.b.Out(0x05, 1, uint32(count>>8))
	r.b.Out(0x0A, 1, 0x02) // unmask 2
}

func TestResetRaisesIRQAndReportsFourDrives(t *testing.T) {
	r := newRig(t)
	if r.line.Level() {
		t.Fatal("IRQ high at power-on")
	}
	if m := r.b.In(pMSR, 1); m != 0 {
		t.Errorf("MSR held in reset = %#x, want 0", m)
	}
	r.b.Out(pDOR, 1, 0x0C)
	if !r.line.Level() || r.line.Rises() != 1 {
		t.Fatalf("IRQ after leaving reset: level %v, rises %d", r.line.Level(), r.line.Rises())
	}
	if m := r.b.In(pMSR, 1); m != msrRQM {
		t.Errorf("MSR after reset = %#x, want 0x80", m)
	}
	for d := byte(0); d < 4; d++ {
		r.cmd(0x08)
		if got := r.result(); !bytes.Equal(got, []byte{0xC0 | d, 0}) {
			t.Errorf("sense interrupt %d = %x, want [%x 00]", d, got, 0xC0|d)
		}
		if r.line.Level() {
			t.Errorf("IRQ still high after sense interrupt %d", d)
		}
	}
	r.cmd(0x08)
	if got := r.result(); !bytes.Equal(got, []byte{0x80}) {
		t.Errorf("sense interrupt with nothing pending = %x, want [80]", got)
	}
	// DSR bit 7 is a self-clearing software reset.
	r.b.Out(pMSR, 1, 0x80)
	if !r.line.Level() {
		t.Error("no IRQ after DSR software reset")
	}
}

func TestDMAGateMasksIRQ(t *testing.T) {
	r := newRig(t)
	r.b.Out(pDOR, 1, 0x04) // out of reset, gate closed
	if r.line.Level() {
		t.Fatal("IRQ visible with the DMA gate closed")
	}
	r.b.Out(pDOR, 1, 0x0C)
	if !r.line.Level() {
		t.Fatal("pending IRQ not visible after opening the gate")
	}
}

func TestSeekRecalibrateAndSenseDrive(t *testing.T) {
	r := newRig(t)
	r.attach(0, size144, disk.Options{})
	r.reset()
	r.line.Reset()
	r.cmd(0x0F, 0x04, 40) // seek drive 0 head 1 to 40
	if r.line.Rises() != 1 {
		t.Fatalf("seek IRQ rises = %d", r.line.Rises())
	}
	if m := r.b.In(pMSR, 1); m != msrRQM|0x01 {
		t.Errorf("MSR after seek = %#x, want RQM + drive 0 busy", m)
	}
	r.cmd(0x08)
	if got := r.result(); !bytes.Equal(got, []byte{0x24, 40}) {
		t.Errorf("sense after seek = %x, want [24 28]", got)
	}
	if m := r.b.In(pMSR, 1); m != msrRQM {
		t.Errorf("MSR after sense = %#x, want 0x80", m)
	}
	r.cmd(0x04, 0x04)
	if got := r.result(); !bytes.Equal(got, []byte{0x2C}) {
		t.Errorf("ST3 at cylinder 40 = %x, want [2c] (RDY TS HD)", got)
	}
	r.cmd(0x07, 0x00)
	r.cmd(0x08)
	if got := r.result(); !bytes.Equal(got, []byte{0x20, 0}) {
		t.Errorf("sense after recalibrate = %x, want [20 00]", got)
	}
	r.cmd(0x04, 0x00)
	if got := r.result(); !bytes.Equal(got, []byte{0x38}) {
		t.Errorf("ST3 at cylinder 0 = %x, want [38] (RDY T0 TS)", got)
	}
	// Seek interrupts queue per drive and are sensed lowest drive first.
	r.cmd(0x0F, 0x01, 5)
	r.cmd(0x0F, 0x00, 7)
	r.cmd(0x08)
	r.result()
	r.cmd(0x08)
	if got := r.result(); !bytes.Equal(got, []byte{0x21, 5}) {
		t.Errorf("second sense = %x, want drive 1 at 5", got)
	}
}

func TestReadDataByDMA(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.program(dmaWrite, 0x1000, 2*512-1)
	r.line.Reset()
	r.cmd(0xE6, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF) // MT MFM SK, C0 H0 R1
	if r.line.Rises() != 1 {
		t.Fatalf("IRQ rises = %d, want 1 at the result phase", r.line.Rises())
	}
	got := r.result()
	if want := []byte{0x00, 0, 0, 0, 0, 3, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x (normal, next sector 3)", got, want)
	}
	if r.line.Level() {
		t.Error("IRQ still high after reading the result")
	}
	if !bytes.Equal(r.mem.b[0x1000:0x1400], data[:1024]) {
		t.Error("memory does not hold sectors 1-2")
	}
	if r.mem.b[0x1400] != 0 {
		t.Error("DMA wrote past its count")
	}
}

func TestMultiTrackReadCrossesToSideOne(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.cmd(0x0F, 0x00, 2)
	r.cmd(0x08)
	r.result()
	r.program(dmaWrite, 0x2000, 3*512-1)
	r.cmd(0xC6, 0x00, 2, 0, 17, 2, 18, 0x1B, 0xFF) // C2 H0 R17, three sectors
	if got, want := r.result(), []byte{0x04, 0, 0, 2, 1, 2, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x (side 1, next sector 2)", got, want)
	}
	lba := (2*2+0)*18 + 16 // C2 H0 S17
	if !bytes.Equal(r.mem.b[0x2000:0x2600], data[lba*512:(lba+3)*512]) {
		t.Error("memory does not hold C2 H0 S17-18 and C2 H1 S1")
	}
}

func TestReadWithoutTCEndsAtEndOfCylinder(t *testing.T) {
	r := newRig(t)
	r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.program(dmaWrite, 0x3000, 0x2000) // more than the two sectors left
	r.cmd(0x46, 0x00, 0, 0, 17, 2, 18, 0x1B, 0xFF)
	if got, want := r.result(), []byte{0x40, 0x80, 0, 1, 0, 1, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x (EN, C+1 R1)", got, want)
	}
}

func TestSectorNotFound(t *testing.T) {
	tests := []struct {
		name string
		cmd  []byte
		want []byte
	}{
		{"sector past the track", []byte{0xE6, 0, 0, 0, 19, 2, 19, 0x1B, 0xFF}, []byte{0x40, 0x04, 0, 0, 0, 19, 2}},
		{"wrong cylinder", []byte{0xE6, 0, 5, 0, 1, 2, 18, 0x1B, 0xFF}, []byte{0x40, 0x04, 0x10, 5, 0, 1, 2}},
		{"sector size 1", []byte{0xE6, 0, 0, 0, 1, 1, 18, 0x1B, 0xFF}, []byte{0x40, 0x04, 0, 0, 0, 1, 1}},
		{"FM recording", []byte{0xA6, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF}, []byte{0x40, 0x01, 0, 0, 0, 1, 2}},
		{"huge R wraps, no panic", []byte{0xE6, 0, 0, 0, 0xFF, 2, 0xFF, 0x1B, 0xFF}, []byte{0x40, 0x04, 0, 0, 0, 0xFF, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.attach(0, size144, disk.Options{})
			r.reset()
			r.b.Out(pDIR, 1, rate500)
			r.program(dmaWrite, 0, 511)
			r.cmd(tt.cmd...)
			if got := r.result(); !bytes.Equal(got, tt.want) {
				t.Errorf("result = %x, want %x", got, tt.want)
			}
		})
	}
}

func TestUnreadableMediaReportMissingAddressMark(t *testing.T) {
	tests := []struct {
		name  string
		size  int // 0: no medium
		rate  uint32
		head  byte
		cyl   byte
		wantC byte
	}{
		{"no medium", 0, rate500, 0, 0, 0},
		{"1.44M at 250 kbit/s", size144, rate250, 0, 0, 0},
		{"720K at 500 kbit/s", size720, rate500, 0, 0, 0},
		{"second side of single-sided media", 163840, rate250, 1, 0, 0},
		{"cylinder past the last", size144, rate500, 0, 90, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			if tt.size != 0 {
				r.attach(0, tt.size, disk.Options{})
			}
			r.reset()
			r.b.Out(pDIR, 1, tt.rate)
			if tt.cyl != 0 {
				r.cmd(0x0F, 0, tt.cyl)
				r.cmd(0x08)
				r.result()
			}
			r.cmd(0x4A, tt.head<<2) // READ ID
			got := r.result()
			if len(got) != 7 || got[0] != 0x40|tt.head<<2 || got[1] != 0x01 {
				t.Errorf("READ ID = %x, want ST0 abnormal and ST1 MA", got)
			}
			r.program(dmaWrite, 0, 511)
			r.cmd(0x66, tt.head<<2, tt.cyl, tt.head, 1, 2, 8, 0x1B, 0xFF)
			if got := r.result(); len(got) != 7 || got[1] != 0x01 || got[3] != tt.wantC {
				t.Errorf("READ DATA = %x, want ST1 MA", got)
			}
		})
	}
}

func TestWriteDataByDMA(t *testing.T) {
	r := newRig(t)
	data := r.attach(1, size720, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate250)
	for i := 0; i < 512+100; i++ {
		r.mem.b[0x4000+i] = byte(i ^ 0x5A)
	}
	r.cmd(0x0F, 0x05, 3) // drive 1, head 1, cylinder 3
	r.cmd(0x08)
	r.result()
	r.program(dmaRead, 0x4000, 511)
	r.cmd(0x45, 0x05, 3, 1, 9, 2, 9, 0x1B, 0xFF)
	if got, want := r.result(), []byte{0x05, 0, 0, 4, 1, 1, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x", got, want)
	}
	lba := (3*2+1)*9 + 8 // C3 H1 S9, the last sector of the track
	if !bytes.Equal(data[lba*512:lba*512+512], r.mem.b[0x4000:0x4200]) {
		t.Error("sector 9 not written")
	}
	if next := lba + 1; data[next*512] != sectorByte(next, 0) {
		t.Error("write went past the sector")
	}
	// A DMA count larger than the track: the command stops at EOT with EN
	// and writes no further.
	r.program(dmaRead, 0x4000, 4*512-1)
	r.cmd(0x45, 0x05, 3, 1, 8, 2, 9, 0x1B, 0xFF)
	if got, want := r.result(), []byte{0x45, 0x80, 0, 4, 1, 1, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x (EN)", got, want)
	}
	if next := lba + 1; data[next*512] != sectorByte(next, 0) {
		t.Error("write went past EOT without MT")
	}
}

func TestWriteTCInMidSectorZeroFills(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	for i := range 612 {
		r.mem.b[i] = 0xAB
	}
	r.program(dmaRead, 0, 611)
	r.cmd(0x45, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF)
	if got, want := r.result(), []byte{0, 0, 0, 0, 0, 3, 2}; !bytes.Equal(got, want) {
		t.Errorf("result = %x, want %x", got, want)
	}
	if data[511] != 0xAB || data[512+99] != 0xAB || data[512+100] != 0 || data[1023] != 0 {
		t.Errorf("sector 2 = %x.. %x, want 100 bytes then zeros", data[512:512+101], data[1023])
	}
}

func TestWriteProtectedMedia(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{ReadOnly: true})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.cmd(0x04, 0x00)
	if got := r.result(); len(got) != 1 || got[0]&0x40 == 0 {
		t.Errorf("ST3 = %x, want WP", got)
	}
	r.program(dmaRead, 0, 511)
	r.cmd(0xC5, 0x04, 0, 1, 1, 2, 18, 0x1B, 0xFF)
	if got, want := r.result(), []byte{0x44, 0x02, 0, 0, 1, 1, 2}; !bytes.Equal(got, want) {
		t.Errorf("write result = %x, want %x (NW)", got, want)
	}
	r.cmd(0x4D, 0, 2, 18, 0x54, 0xF6)
	if got := r.result(); len(got) != 7 || got[1] != 0x02 {
		t.Errorf("format result = %x, want NW", got)
	}
	if !bytes.Equal(data, image(size144)) {
		t.Error("write-protected image changed")
	}
}

func TestReadIDReportsSuccessiveSectors(t *testing.T) {
	r := newRig(t)
	r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.cmd(0x0F, 0x04, 10)
	r.cmd(0x08)
	r.result()
	r.line.Reset()
	r.cmd(0x4A, 0x04)
	if r.line.Rises() != 1 {
		t.Errorf("READ ID IRQ rises = %d", r.line.Rises())
	}
	first := r.result()
	if len(first) != 7 || first[0] != 0x04 || first[3] != 10 || first[4] != 1 || first[6] != 2 {
		t.Fatalf("READ ID = %x, want ST0 04, C10 H1 N2", first)
	}
	r.cmd(0x4A, 0x04)
	if second := r.result(); second[5] != first[5]%18+1 {
		t.Errorf("second READ ID sector = %d after %d", second[5], first[5])
	}
}

func TestVersionDumpregConfigureLock(t *testing.T) {
	r := newRig(t)
	r.reset()
	r.cmd(0x10)
	if got := r.result(); !bytes.Equal(got, []byte{0x90}) {
		t.Errorf("VERSION = %x, want [90]", got)
	}
	for _, op := range []byte{0x00, 0x18, 0x8F, 0x16, 0xFF, 0xE5, 0x8A} {
		r.cmd(op)
		if got := r.result(); !bytes.Equal(got, []byte{0x80}) {
			t.Errorf("command %#x = %x, want invalid [80]", op, got)
		}
	}
	r.cmd(0x03, 0xAF, 0x02)       // SPECIFY SRT=A HUT=F HLT=1 DMA
	r.cmd(0x13, 0x00, 0x57, 0x10) // CONFIGURE EIS, FIFO on, poll off, thr 7, pretrk 16
	r.cmd(0x12, 0x80|0x0C|0x02)   // PERPENDICULAR OW, D1 D0... D3-D0 = 0011, GAP
	r.cmd(0x94)                   // LOCK
	if got := r.result(); !bytes.Equal(got, []byte{0x10}) {
		t.Errorf("LOCK = %x, want [10]", got)
	}
	want := []byte{0, 0, 0, 0, 0xAF, 0x02, 0, 0x80 | 0x0C | 0x02, 0x57, 0x10}
	r.cmd(0x0E)
	if got := r.result(); !bytes.Equal(got, want) {
		t.Errorf("DUMPREG = %x, want %x", got, want)
	}
	// A locked CONFIGURE survives a reset; with polling off there is no
	// reset interrupt. GAP/WGATE are cleared by any reset.
	r.b.Out(pDOR, 1, 0x08)
	r.b.Out(pDOR, 1, 0x0C)
	if r.line.Level() {
		t.Error("reset interrupt with polling disabled")
	}
	want[7] = 0x80 | 0x0C
	r.cmd(0x0E)
	if got := r.result(); !bytes.Equal(got, want) {
		t.Errorf("DUMPREG after locked reset = %x, want %x", got, want)
	}
	r.cmd(0x14)
	if got := r.result(); !bytes.Equal(got, []byte{0x00}) {
		t.Errorf("UNLOCK = %x, want [00]", got)
	}
	r.b.Out(pDOR, 1, 0x08)
	r.b.Out(pDOR, 1, 0x0C)
	if !r.line.Level() {
		t.Error("no reset interrupt after unlock")
	}
	r.cmd(0x0E)
	if got := r.result(); got[8] != 0x20 || got[9] != 0 {
		t.Errorf("DUMPREG after unlocked reset = %x, want CONFIGURE defaults (20 00)", got)
	}
}

func TestDMAWaitsForUnmaskedChannel(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.program(dmaWrite, 0x100, 511)
	r.b.Out(0x0A, 1, 0x06) // mask channel 2 again
	r.line.Reset()
	r.cmd(0xE6, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF)
	if m := r.b.In(pMSR, 1); m != msrCB {
		t.Errorf("MSR while waiting for DMA = %#x, want CB only", m)
	}
	if st := r.b.In(0x08, 1); st&0x40 == 0 {
		t.Errorf("DMA status = %#x, want DREQ 2", st)
	}
	if r.line.Rises() != 0 {
		t.Error("IRQ before the transfer")
	}
	r.b.Out(0x0A, 1, 0x02) // unmask
	if r.line.Rises() != 1 {
		t.Fatal("no IRQ after the channel was unmasked")
	}
	if got := r.result(); got[0] != 0 || got[5] != 2 {
		t.Errorf("result = %x", got)
	}
	if !bytes.Equal(r.mem.b[0x100:0x300], data[:512]) {
		t.Error("sector not in memory")
	}
}

func TestDMAPastEndOfMemoryIsDropped(t *testing.T) {
	r := newRig(t)
	r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.program(dmaWrite, 0xFFFF00, 1023) // page 0xFF: far past the 64 KiB
	r.cmd(0xE6, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF)
	if got := r.result(); got[0] != 0 || got[5] != 3 {
		t.Errorf("result = %x, want normal termination", got)
	}
	if r.mem.dropped != 1024 {
		t.Errorf("dropped %d bytes, want 1024", r.mem.dropped)
	}
	r.program(dmaRead, 0xFFFF00, 511)
	r.cmd(0xC5, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF)
	if got := r.result(); got[0] != 0 {
		t.Errorf("write from missing memory: result = %x", got)
	}
}

func TestNonDMAReadThroughFIFO(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size144, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate500)
	r.cmd(0x03, 0xDF, 0x03) // SPECIFY ND=1
	r.line.Reset()
	r.cmd(0x66, 0, 0, 0, 18, 2, 18, 0x1B, 0xFF) // the last sector of side 0, no MT
	var got []byte
	for len(got) < 600 {
		m := r.b.In(pMSR, 1)
		if m != msrRQM|msrDIO|msrNDMA|msrCB {
			break
		}
		got = append(got, byte(r.b.In(pFIFO, 1)))
	}
	if !bytes.Equal(got, data[17*512:18*512]) {
		t.Fatalf("read %d bytes through the FIFO, want sector 18", len(got))
	}
	if r.line.Rises() < 512 {
		t.Errorf("IRQ rises = %d, want one per byte", r.line.Rises())
	}
	// Without TC the command runs to EOT and ends with EN.
	if res := r.result(); !bytes.Equal(res, []byte{0x40, 0x80, 0, 1, 0, 1, 2}) {
		t.Errorf("result = %x", res)
	}
}

func TestFormatTrackFillsSectors(t *testing.T) {
	r := newRig(t)
	data := r.attach(0, size720, disk.Options{})
	r.reset()
	r.b.Out(pDIR, 1, rate250)
	r.cmd(0x0F, 0x04, 1)
	r.cmd(0x08)
	r.result()
	for s := 0; s < 9; s++ {
		copy(r.mem.b[0x500+4*s:], []byte{1, 1, byte(s + 1), 2})
	}
	r.program(dmaRead, 0x500, 9*4-1)
	r.cmd(0x4D, 0x04, 2, 9, 0x54, 0xF6)
	if got := r.result(); !bytes.Equal(got, []byte{0x04, 0, 0, 1, 1, 9, 2}) {
		t.Errorf("result = %x", got)
	}
	first := (1*2 + 1) * 9
	for lba := first; lba < first+9; lba++ {
		for i := 0; i < 512; i++ {
			if data[lba*512+i] != 0xF6 {
				t.Fatalf("sector %d byte %d = %#x, want 0xf6", lba, i, data[lba*512+i])
			}
		}
	}
	if data[(first-1)*512+511] == 0xF6 || data[(first+9)*512] == 0xF6 {
		t.Error("format touched a neighbouring track")
	}
}

func TestDiskChangeFlag(t *testing.T) {
	r := newRig(t)
	r.reset()
	if r.b.In(pDIR, 1)&0x80 == 0 {
		t.Error("DSKCHG clear at power-on")
	}
	r.attach(0, size144, disk.Options{})
	r.cmd(0x0F, 0x00, 1)
	r.cmd(0x08)
	r.result()
	if got := r.b.In(pDIR, 1); got != 0 {
		t.Errorf("DIR after seek = %#x, want 0", got)
	}
	r.fdc.Eject(0)
	if r.b.In(pDIR, 1)&0x80 == 0 {
		t.Error("DSKCHG clear after eject")
	}
	r.cmd(0x07, 0x00) // no medium: the step does not clear it
	r.cmd(0x08)
	r.result()
	if r.b.In(pDIR, 1)&0x80 == 0 {
		t.Error("DSKCHG cleared without a medium")
	}
}

func TestAttachChecksGeometry(t *testing.T) {
	sizes := map[int64]string{
		163840: "160K", 184320: "180K", 327680: "320K", 368640: "360K", 737280: "720K",
		1228800: "1.2M", 1474560: "1.44M", 1720320: "1.68M", 2949120: "2.88M",
	}
	for size, name := range sizes {
		g, err := floppy.GeometryFor(size)
		if err != nil || g.Name != name || g.Size() != size {
			t.Errorf("GeometryFor(%d) = %+v, %v", size, g, err)
		}
	}
	fdc := floppy.New(nil, nil)
	for _, size := range []int{0, 512, 1474560 + 512, 1 << 20} {
		err := fdc.Attach(0, disk.FromBytes(make([]byte, size)))
		if !errors.Is(err, floppy.ErrUnknownSize) {
			t.Errorf("Attach of %d bytes = %v, want ErrUnknownSize", size, err)
		}
	}
	if err := fdc.Attach(4, disk.FromBytes(make([]byte, size144))); err == nil {
		t.Error("Attach to drive 4 accepted")
	}
	if _, ok := fdc.Geometry(0); ok {
		t.Error("Geometry of an empty drive")
	}
}

func TestGarbageNeverPanics(t *testing.T) {
	r := newRig(t)
	r.attach(0, size144, disk.Options{})
	r.reset()
	for i := 0; i < 20000; i++ {
		v := uint32(i*2654435761) >> 7
		port := uint16(floppy.Base) + uint16(v%8)
		if v&0x100 != 0 {
			r.b.In(port, 1)
		} else {
			r.b.Out(port, 1, v>>9)
		}
	}
}
