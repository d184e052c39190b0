package ata_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ringzero/devices/ata"
	"ringzero/devices/bus"
	"ringzero/devices/disk"
	"ringzero/devices/irq"
)

// Ports and bits as a guest driver spells them (ATA/ATAPI-6 section 7),
// kept apart from the package's constants so the tests check the
// standard.
const (
	pData    = 0x1F0
	pError   = 0x1F1 // features on write
	pCount   = 0x1F2
	pLBALow  = 0x1F3
	pLBAMid  = 0x1F4
	pLBAHigh = 0x1F5
	pDevice  = 0x1F6
	pStatus  = 0x1F7 // command on write
	pCtl     = 0x3F6 // alternate status / device control

	stReady = 0x50 // DRDY DSC
	stDRQ   = 0x58 // DRDY DSC DRQ
	stErr   = 0x51 // DRDY DSC ERR
	stBSY   = 0x80

	errABRT = 0x04
	errIDNF = 0x10

	ctlNIEN = 0x02
	ctlSRST = 0x04
	ctlHOB  = 0x80
)

// synth is a read-only backing store of any size whose bytes are a
// function of their offset, for disks too large to hold in memory.
type synth struct{}

func (synth) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		p[i] = synthByte(off + int64(i))
	}
	return len(p), nil
}

func synthByte(off int64) byte {
	lba := off / 512
	return byte(lba^lba>>8^lba>>16^lba>>24^lba>>32^lba>>40) + byte(off%512)*3
}

// rig is an ATA channel on a bus at the primary ports.
type rig struct {
	t    *testing.T
	b    *bus.Bus
	line *irq.Recorder
	ch   *ata.Channel
}

func newRig(t *testing.T) *rig {
	t.Helper()
	b := bus.New()
	line := &irq.Recorder{}
	ch := ata.NewChannel(line)
	if err := b.MapPorts(ata.PrimaryCmd, ata.CmdSize, "ata0", ch, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	if err := b.MapPorts(ata.PrimaryCtl, ata.CtlSize, "ata0-ctl", ch.Control(), bus.Size8); err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, b: b, line: line, ch: ch}
}

// attach puts a disk over img at position pos.
func (r *rig) attach(pos int, img *disk.Image) {
	r.t.Helper()
	k, err := ata.NewDisk(img, "RZ-TEST-"+string(rune('0'+pos)))
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.ch.Attach(pos, k); err != nil {
		r.t.Fatal(err)
	}
}

// memDisk attaches a patterned in-memory disk of n sectors as master and
// returns its bytes.
func (r *rig) memDisk(n int) []byte {
	data := make([]byte, n*512)
	for i := range data {
		data[i] = synthByte(int64(i))
	}
	r.attach(0, disk.FromBytes(data))
	return data
}

func (r *rig) out(port uint16, v uint32) { r.b.Out(port, 1, v) }
func (r *rig) in(port uint16) uint32     { return r.b.In(port, 1) }

// status reads the alternate status (which leaves INTRQ alone).
func (r *rig) status() uint32 { return r.b.In(pCtl, 1) }

// lba28 loads a 28-bit LBA command's registers for device dev.
func (r *rig) lba28(dev int, lba uint32, count uint8) {
	r.out(pDevice, 0xE0|uint32(dev)<<4|lba>>24&0x0F)
	r.out(pCount, uint32(count))
	r.out(pLBALow, lba&0xFF)
	r.out(pLBAMid, lba>>8&0xFF)
	r.out(pLBAHigh, lba>>16&0xFF)
}

// lba48 loads a 48-bit command's registers: high bytes first.
func (r *rig) lba48(lba uint64, count uint16) {
	r.out(pDevice, 0x40)
	r.out(pCount, uint32(count>>8))
	r.out(pLBALow, uint32(lba>>24&0xFF))
	r.out(pLBAMid, uint32(lba>>32&0xFF))
	r.out(pLBAHigh, uint32(lba>>40&0xFF))
	r.out(pCount, uint32(count&0xFF))
	r.out(pLBALow, uint32(lba&0xFF))
	r.out(pLBAMid, uint32(lba>>8&0xFF))
	r.out(pLBAHigh, uint32(lba>>16&0xFF))
}

// readBlock reads the status register as an interrupt handler does
// (acknowledging INTRQ), checks DRQ and reads n bytes through the 16-bit
// data port.
func (r *rig) readBlock(n int) []byte {
	r.t.Helper()
	if st := r.in(pStatus); st != stDRQ {
		r.t.Fatalf("status before data-in = %#x, want DRQ (0x58)", st)
	}
	buf := make([]byte, n)
	for i := 0; i < n; i += 2 {
		binary.LittleEndian.PutUint16(buf[i:], uint16(r.b.In(pData, 2)))
	}
	return buf
}

// writeBlock reads the status register, checks DRQ and writes p through
// the 16-bit data port.
func (r *rig) writeBlock(p []byte) {
	r.t.Helper()
	if st := r.in(pStatus); st != stDRQ {
		r.t.Fatalf("status before data-out = %#x, want DRQ (0x58)", st)
	}
	for i := 0; i < len(p); i += 2 {
		r.b.Out(pData, 2, uint32(binary.LittleEndian.Uint16(p[i:])))
	}
}

// expect checks the status register (which acknowledges INTRQ) and the
// error register.
func (r *rig) expect(status, errBits uint32) {
	r.t.Helper()
	if st := r.in(pStatus); st != status {
		r.t.Errorf("status = %#x, want %#x", st, status)
	}
	if status&1 != 0 {
		if e := r.in(pError); e != errBits {
			r.t.Errorf("error = %#x, want %#x", e, errBits)
		}
	}
	if r.line.Level() {
		r.t.Error("IRQ still high after reading status")
	}
}

// identify runs IDENTIFY DEVICE on the selected device and returns the
// 256 words.
func (r *rig) identify() [256]uint16 {
	r.t.Helper()
	r.out(pStatus, 0xEC)
	buf := r.readBlock(512)
	var w [256]uint16
	for i := range w {
		w[i] = binary.LittleEndian.Uint16(buf[2*i:])
	}
	return w
}

// ataString decodes an IDENTIFY string.
func ataString(w []uint16) string {
	var b []byte
	for _, v := range w {
		b = append(b, byte(v>>8), byte(v))
	}
	return string(b)
}

func TestIdentifyDeviceWords(t *testing.T) {
	r := newRig(t)
	r.memDisk(20480) // 10 MiB: 20 cylinders of 16 x 63
	r.out(pDevice, 0xA0)
	r.line.Reset()
	w := r.identify()
	if r.line.Rises() != 1 {
		t.Errorf("IRQ rises = %d, want 1 for the data block", r.line.Rises())
	}
	r.expect(stReady, 0)
	checks := []struct {
		word int
		want uint16
	}{
		{0, 0x0040},
		{1, 20}, {3, 16}, {6, 63},
		{47, 0x8010},
		{50, 0x4000},
		{53, 0x0007},
		{54, 20}, {55, 16}, {56, 63},
		{57, 20160 & 0xFFFF}, {58, 20160 >> 16},
		{59, 0x0100},
		{60, 20480}, {61, 0},
		{80, 0x007E},
		{100, 20480}, {101, 0}, {102, 0}, {103, 0},
	}
	for _, c := range checks {
		if w[c.word] != c.want {
			t.Errorf("word %d = %#x, want %#x", c.word, w[c.word], c.want)
		}
	}
	for _, bit := range []struct {
		word int
		mask uint16
		what string
	}{
		{49, 1 << 9, "LBA supported"},
		{83, 1 << 10, "48-bit supported"},
		{86, 1 << 10, "48-bit enabled"},
		{83, 1 << 14, "word 83 valid"},
		{82, 1 << 5, "write cache supported"},
	} {
		if w[bit.word]&bit.mask == 0 {
			t.Errorf("word %d = %#x: %s bit clear", bit.word, w[bit.word], bit.what)
		}
	}
	if w[49]&(1<<8) != 0 || w[88] != 0 {
		t.Error("IDENTIFY offers DMA, which the channel does not do")
	}
	if got := ataString(w[27:47]); got != "RINGZERO HARDDISK"+strings.Repeat(" ", 23) {
		t.Errorf("model = %q", got)
	}
	if got := ataString(w[10:20]); got != "RZ-TEST-0"+strings.Repeat(" ", 11) {
		t.Errorf("serial = %q", got)
	}
	if got := ataString(w[23:27]); got != "1.0     " {
		t.Errorf("firmware = %q", got)
	}
	var sum uint8
	for _, v := range w {
		sum += uint8(v) + uint8(v>>8)
	}
	if w[255]&0xFF != 0xA5 || sum != 0 {
		t.Errorf("word 255 = %#x, byte sum = %#x; want A5 signature and sum 0", w[255], sum)
	}
}

func TestIdentifyCapacityOfLargeDisk(t *testing.T) {
	r := newRig(t)
	const sectors = 1<<33 + 5 // 4 TiB: past both LBA28 and 32 bits
	img, err := disk.New(synth{}, sectors*512, disk.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	r.attach(0, img)
	w := r.identify()
	if w[1] != 16383 || w[3] != 16 || w[6] != 63 {
		t.Errorf("CHS = %d/%d/%d, want 16383/16/63", w[1], w[3], w[6])
	}
	if got := uint32(w[60]) | uint32(w[61])<<16; got != 0x0FFFFFFF {
		t.Errorf("LBA28 capacity = %#x, want 0x0fffffff", got)
	}
	var lba48 uint64
	for i := 0; i < 4; i++ {
		lba48 |= uint64(w[100+i]) << (16 * i)
	}
	if lba48 != sectors {
		t.Errorf("LBA48 capacity = %#x, want %#x", lba48, uint64(sectors))
	}
}

func TestLBA28WriteThenRead(t *testing.T) {
	r := newRig(t)
	data := r.memDisk(256)
	src := make([]byte, 1024)
	for i := range src {
		src[i] = byte(i * 13)
	}
	r.lba28(0, 100, 2)
	r.line.Reset()
	r.out(pStatus, 0x30)
	if r.line.Rises() != 0 {
		t.Error("IRQ before the first data-out block")
	}
	r.writeBlock(src[:512])
	if r.line.Rises() != 1 {
		t.Errorf("IRQ rises after sector 1 = %d, want 1", r.line.Rises())
	}
	r.writeBlock(src[512:])
	if r.line.Rises() != 2 {
		t.Errorf("IRQ rises after sector 2 = %d, want 2", r.line.Rises())
	}
	r.expect(stReady, 0)
	if !bytes.Equal(data[100*512:102*512], src) {
		t.Fatal("image does not hold the written sectors")
	}
	if data[102*512] != synthByte(102*512) {
		t.Error("write went past its sectors")
	}
	r.lba28(0, 100, 2)
	r.line.Reset()
	r.out(pStatus, 0x20)
	if r.line.Rises() != 1 {
		t.Errorf("IRQ rises after command = %d, want 1", r.line.Rises())
	}
	got := r.readBlock(512) // draining sector 1 offers sector 2
	if r.line.Rises() != 2 {
		t.Errorf("IRQ rises after sector 1 = %d, want 2", r.line.Rises())
	}
	got = append(got, r.readBlock(512)...)
	if r.line.Rises() != 2 {
		t.Errorf("IRQ rises = %d, want one per sector", r.line.Rises())
	}
	r.expect(stReady, 0)
	if r.line.Rises() != 2 {
		t.Error("IRQ after the last data-in block")
	}
	if !bytes.Equal(got, src) {
		t.Error("read back differs")
	}
	if r.in(pLBALow) != 101 || r.in(pCount) != 0 {
		t.Errorf("taskfile after read: LBA low %d, count %d; want 101 (last sector), 0", r.in(pLBALow), r.in(pCount))
	}
}

func TestLBA48ReadUsesHOBRegisters(t *testing.T) {
	r := newRig(t)
	img, err := disk.New(synth{}, (1<<34)*512, disk.Options{Snapshot: true})
	if err != nil {
		t.Fatal(err)
	}
	r.attach(0, img)
	const lba = 0x2_3456_789A
	r.lba48(lba, 0x0102) // 258 sectors: the count's high byte matters
	r.out(pStatus, 0x24)
	for s := 0; s < 258; s++ {
		got := r.readBlock(512)
		for i, b := range got {
			if want := synthByte((lba+int64(s))*512 + int64(i)); b != want {
				t.Fatalf("sector %d byte %d = %#x, want %#x", s, i, b, want)
			}
		}
	}
	r.expect(stReady, 0)
	// The taskfile holds the last sector read; HOB reads its high bytes.
	const last = lba + 257
	r.out(pCtl, ctlHOB)
	if got := []uint32{r.in(pLBALow), r.in(pLBAMid), r.in(pLBAHigh)}; got[0] != last>>24&0xFF || got[1] != last>>32&0xFF || got[2] != last>>40&0xFF {
		t.Errorf("HOB LBA = %#x, want bytes 3-5 of %#x", got, last)
	}
	r.out(pCtl, 0)
	if got := []uint32{r.in(pLBALow), r.in(pLBAMid), r.in(pLBAHigh)}; got[0] != last&0xFF || got[1] != last>>8&0xFF || got[2] != last>>16&0xFF {
		t.Errorf("LBA = %#x, want bytes 0-2 of %#x", got, last)
	}
	// A write to any command block register clears HOB.
	r.out(pCtl, ctlHOB)
	r.out(pError, 0)
	if got := r.in(pLBALow); got != last&0xFF {
		t.Errorf("LBA low after HOB cleared = %#x", got)
	}
	// Beyond 32 bits the LBA28 command sees only 28.
	r.lba28(0, 0x0FFFFFFF, 1)
	r.out(pStatus, 0x20)
	if got := r.readBlock(512); got[0] != synthByte(0x0FFFFFFF*512) {
		t.Error("LBA28 read of the last 28-bit sector")
	}
}

func TestCHSReadByCurrentGeometry(t *testing.T) {
	r := newRig(t)
	data := r.memDisk(5000) // 4 cylinders of 16 x 63
	read := func(c, h, s int) []byte {
		r.out(pDevice, 0xA0|uint32(h))
		r.out(pCount, 1)
		r.out(pLBALow, uint32(s))
		r.out(pLBAMid, uint32(c&0xFF))
		r.out(pLBAHigh, uint32(c>>8))
		r.out(pStatus, 0x20)
		return r.readBlock(512)
	}
	// Default geometry 16 heads x 63 sectors.
	if got, lba := read(1, 2, 3), (1*16+2)*63+2; !bytes.Equal(got, data[lba*512:lba*512+512]) {
		t.Error("CHS 1/2/3 with the default geometry")
	}
	r.expect(stReady, 0)
	if r.in(pLBALow) != 3 || r.in(pDevice)&0x0F != 2 || r.in(pLBAMid) != 1 {
		t.Error("taskfile after CHS read does not hold C1 H2 S3")
	}
	// INITIALIZE DEVICE PARAMETERS: 4 heads, 17 sectors per track.
	r.out(pDevice, 0xA3)
	r.out(pCount, 17)
	r.out(pStatus, 0x91)
	r.expect(stReady, 0)
	if got, lba := read(2, 3, 5), (2*4+3)*17+4; !bytes.Equal(got, data[lba*512:lba*512+512]) {
		t.Error("CHS 2/3/5 with 4 heads x 17 sectors")
	}
	r.expect(stReady, 0)
	w := r.identify()
	if w[54] != 5000/68 || w[55] != 4 || w[56] != 17 {
		t.Errorf("current CHS = %d/%d/%d, want %d/4/17", w[54], w[55], w[56], 5000/68)
	}
	r.expect(stReady, 0)
	for _, bad := range [][3]int{{0, 0, 0}, {0, 0, 18}, {0, 4, 1}, {5000/68 + 1, 0, 1}} {
		r.out(pDevice, 0xA0|uint32(bad[1]))
		r.out(pCount, 1)
		r.out(pLBALow, uint32(bad[2]))
		r.out(pLBAMid, uint32(bad[0]))
		r.out(pLBAHigh, 0)
		r.out(pStatus, 0x20)
		r.expect(stErr, errIDNF)
	}
}

func TestMultipleMode(t *testing.T) {
	r := newRig(t)
	data := r.memDisk(100)
	r.lba28(0, 0, 4)
	r.out(pStatus, 0xC4)
	r.expect(stErr, errABRT) // multiple mode disabled
	for _, n := range []uint32{3, 32} {
		r.out(pCount, n)
		r.out(pStatus, 0xC6)
		r.expect(stErr, errABRT)
	}
	r.out(pCount, 4)
	r.out(pStatus, 0xC6)
	r.expect(stReady, 0)
	if w := r.identify(); w[59] != 0x0104 {
		t.Errorf("word 59 = %#x, want 0x104", w[59])
	}
	r.lba28(0, 10, 10)
	r.line.Reset()
	r.out(pStatus, 0xC4)
	var got []byte
	for _, n := range []int{4, 4, 2} {
		got = append(got, r.readBlock(n*512)...)
	}
	r.expect(stReady, 0)
	if r.line.Rises() != 3 {
		t.Errorf("IRQ rises = %d, want one per block (3)", r.line.Rises())
	}
	if !bytes.Equal(got, data[10*512:20*512]) {
		t.Error("READ MULTIPLE data")
	}
	src := bytes.Repeat([]byte{0xC3}, 5*512)
	r.lba28(0, 50, 5)
	r.line.Reset()
	r.out(pStatus, 0xC5)
	r.writeBlock(src[:4*512])
	r.writeBlock(src[4*512:])
	r.expect(stReady, 0)
	if r.line.Rises() != 2 {
		t.Errorf("WRITE MULTIPLE IRQ rises = %d, want 2 (after each block)", r.line.Rises())
	}
	if !bytes.Equal(data[50*512:55*512], src) {
		t.Error("WRITE MULTIPLE data")
	}
	// The EXT forms take a 16-bit count.
	r.lba48(60, 6)
	r.out(pStatus, 0x29)
	got = append(r.readBlock(4*512), r.readBlock(2*512)...)
	r.expect(stReady, 0)
	if !bytes.Equal(got, data[60*512:66*512]) {
		t.Error("READ MULTIPLE EXT data")
	}
}

func TestOutOfRangeIsIDNF(t *testing.T) {
	r := newRig(t)
	data := r.memDisk(300)
	// The first sector exists, the second does not: the command fails
	// before moving any data, pointing at the first missing sector.
	r.lba28(0, 299, 2)
	r.out(pStatus, 0x20)
	r.expect(stErr, errIDNF)
	if r.in(pLBAMid) != 300>>8 || r.in(pLBALow) != 300&0xFF {
		t.Error("taskfile does not point at the first missing sector")
	}
	r.lba28(0, 299, 1)
	r.out(pStatus, 0x20)
	if got := r.readBlock(512); !bytes.Equal(got, data[299*512:]) {
		t.Error("last sector data")
	}
	r.expect(stReady, 0)
	tests := []struct {
		name string
		load func()
		cmd  uint32
	}{
		{"LBA28 read past the end", func() { r.lba28(0, 0x0FFFFFFF, 0) }, 0x20},
		{"LBA28 write past the end", func() { r.lba28(0, 300, 1) }, 0x30},
		{"LBA48 read at the top", func() { r.lba48(1<<48-1, 0) }, 0x24},
		{"LBA48 write, 65536 sectors", func() { r.lba48(1, 0) }, 0x34},
		{"verify past the end", func() { r.lba28(0, 250, 100) }, 0x40},
		{"verify ext", func() { r.lba48(1<<40, 1) }, 0x42},
		{"seek past the end", func() { r.lba28(0, 1000, 1) }, 0x70},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.load()
			r.line.Reset()
			r.out(pStatus, tt.cmd)
			if r.line.Rises() != 1 {
				t.Errorf("IRQ rises = %d, want 1", r.line.Rises())
			}
			r.expect(stErr, errIDNF)
		})
	}
	// A huge count inside the disk is fine: 256 sectors from 0.
	r.lba28(0, 0, 0)
	r.out(pStatus, 0x20)
	for s := 0; s < 256; s++ {
		r.readBlock(512)
	}
	r.expect(stReady, 0)
}

func TestNIENSuppressesIRQ(t *testing.T) {
	r := newRig(t)
	r.memDisk(100)
	r.out(pCtl, ctlNIEN)
	r.out(pDevice, 0xA0)
	r.out(pStatus, 0xEC)
	if r.line.Rises() != 0 {
		t.Fatal("IRQ with nIEN set")
	}
	if st := r.status(); st != stDRQ {
		t.Fatalf("status = %#x, want DRQ", st)
	}
	// The interrupt stays pending: clearing nIEN shows it.
	r.out(pCtl, 0)
	if !r.line.Level() {
		t.Error("pending interrupt not asserted after nIEN cleared")
	}
	r.in(pStatus)
	if r.line.Level() {
		t.Error("status read did not clear INTRQ")
	}
}

func TestSoftwareResetAndDiagnosticSignatures(t *testing.T) {
	r := newRig(t)
	r.memDisk(100)
	r.attach(1, disk.FromBytes(make([]byte, 64*512)))
	signature := func(dev int) {
		t.Helper()
		r.out(pDevice, uint32(dev)<<4)
		got := []uint32{r.in(pCount), r.in(pLBALow), r.in(pLBAMid), r.in(pLBAHigh), r.in(pError), r.status()}
		want := []uint32{1, 1, 0, 0, 1, stReady}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("device %d: count, LBA low/mid/high, error, status = %#x, want %#x", dev, got, want)
				break
			}
		}
	}
	r.out(pDevice, 0xB0)
	r.out(pCount, 0x55)
	r.out(pStatus, 0xEC) // leave the slave in the middle of a data-in
	r.line.Reset()
	r.out(pCtl, ctlSRST)
	if st := r.status(); st != stBSY {
		t.Errorf("status in reset = %#x, want BSY", st)
	}
	r.out(pCtl, 0)
	if r.in(pDevice) != 0 {
		t.Errorf("device register after reset = %#x, want 0 (device 0 selected)", r.in(pDevice))
	}
	signature(0)
	signature(1)
	if r.line.Rises() != 0 {
		t.Error("IRQ after software reset")
	}
	r.out(pDevice, 0xB0)
	r.out(pCount, 0x77)
	r.out(pStatus, 0x90) // EXECUTE DEVICE DIAGNOSTIC, slave selected
	if r.line.Rises() != 1 {
		t.Errorf("diagnostic IRQ rises = %d, want 1", r.line.Rises())
	}
	signature(1)
	signature(0)
}

func TestAbsentSlaveAndEmptyChannel(t *testing.T) {
	r := newRig(t)
	for port := uint16(pData); port <= pStatus; port++ {
		if got := r.in(port); got != 0xFF {
			t.Errorf("empty channel port %#x = %#x, want 0xff", port, got)
		}
	}
	if got := r.status(); got != 0xFF {
		t.Errorf("empty channel alternate status = %#x", got)
	}
	r.memDisk(100)
	r.out(pDevice, 0xB0)
	r.out(pCount, 0x55)
	for port := uint16(pData); port <= pStatus; port++ {
		if got := r.in(port); got != 0 {
			t.Errorf("absent slave port %#x = %#x, want 0", port, got)
		}
	}
	if got := r.status(); got != 0 {
		t.Errorf("absent slave alternate status = %#x, want 0", got)
	}
	r.line.Reset()
	r.out(pStatus, 0xEC)
	if r.line.Rises() != 0 || r.status() != 0 {
		t.Error("absent slave took a command")
	}
	r.out(pDevice, 0xA0)
	if got := r.in(pCount); got != 0x55 {
		t.Errorf("master count = %#x, want 0x55 (taskfile writes reach both)", got)
	}
	r.expect(stReady, 0)
}

func TestPacketCommandsAndUnknownAbort(t *testing.T) {
	r := newRig(t)
	r.memDisk(100)
	for _, cmd := range []uint32{0xA1, 0xA0, 0x00, 0xC8, 0xB0, 0xFF} {
		r.line.Reset()
		r.out(pStatus, cmd)
		if r.line.Rises() != 1 {
			t.Errorf("command %#x: no IRQ", cmd)
		}
		r.expect(stErr, errABRT)
	}
	if r.in(pLBAMid) != 0 || r.in(pLBAHigh) != 0 {
		t.Error("disk signature lost")
	}
}

func TestSetFeaturesFlushAndNonDataCommands(t *testing.T) {
	r := newRig(t)
	r.memDisk(100)
	tests := []struct {
		feature, count uint32
		cmd            uint32
		status, err    uint32
	}{
		{0x03, 0x0C, 0xEF, stReady, 0},     // PIO mode 4
		{0x03, 0x01, 0xEF, stReady, 0},     // PIO default, no IORDY
		{0x03, 0x45, 0xEF, stErr, errABRT}, // UDMA 5: no DMA here
		{0x82, 0, 0xEF, stReady, 0},        // write cache off
		{0x01, 0, 0xEF, stErr, errABRT},    // 8-bit transfers
		{0, 0, 0xE7, stReady, 0},           // FLUSH CACHE
		{0, 0, 0xEA, stReady, 0},           // FLUSH CACHE EXT
		{0, 0, 0x10, stReady, 0},           // RECALIBRATE
		{0, 0, 0xE0, stReady, 0},           // STANDBY IMMEDIATE
	}
	for _, tt := range tests {
		r.out(pError, tt.feature)
		r.out(pCount, tt.count)
		r.line.Reset()
		r.out(pStatus, tt.cmd)
		if r.line.Rises() != 1 {
			t.Errorf("command %#x/%#x: IRQ rises = %d", tt.cmd, tt.feature, r.line.Rises())
		}
		r.expect(tt.status, tt.err)
	}
	if w := r.identify(); w[85]&(1<<5) != 0 {
		t.Error("word 85 still shows the write cache enabled")
	}
	r.out(pStatus, 0xE5)
	r.expect(stReady, 0)
	if r.in(pCount) != 0xFF {
		t.Error("CHECK POWER MODE count != 0xff")
	}
}

func TestDataPortWidths(t *testing.T) {
	r := newRig(t)
	r.memDisk(100)
	want := r.identify()
	r.expect(stReady, 0)
	r.out(pStatus, 0xEC)
	for i := 0; i < 128; i++ {
		v := r.b.In(pData, 4)
		if uint16(v) != want[2*i] || uint16(v>>16) != want[2*i+1] {
			t.Fatalf("dword %d = %#x, want words %#x %#x", i, v, want[2*i], want[2*i+1])
		}
	}
	r.expect(stReady, 0)
	// 32-bit writes fill a sector too.
	r.lba28(0, 7, 1)
	r.out(pStatus, 0x30)
	for i := 0; i < 128; i++ {
		r.b.Out(pData, 4, 0xDEADBEEF)
	}
	r.expect(stReady, 0)
	r.lba28(0, 7, 1)
	r.out(pStatus, 0x20)
	if got := r.readBlock(512); binary.LittleEndian.Uint32(got[508:]) != 0xDEADBEEF {
		t.Error("32-bit written data")
	}
}

func TestReadOnlyImageAbortsWrites(t *testing.T) {
	r := newRig(t)
	data := make([]byte, 64*512)
	r.attach(0, disk.FromBytesWith(data, disk.Options{ReadOnly: true}))
	r.lba28(0, 1, 1)
	r.out(pStatus, 0x30)
	r.writeBlock(bytes.Repeat([]byte{1}, 512))
	r.expect(stErr, errABRT)
	if data[512] != 0 {
		t.Error("read-only image written")
	}
}

func TestSnapshotWritesDoNotReachFile(t *testing.T) {
	orig := make([]byte, 128*512)
	for i := range orig {
		orig[i] = synthByte(int64(i))
	}
	path := filepath.Join(t.TempDir(), "hd.img")
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := disk.Open(path, false, true)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t)
	r.attach(0, img)
	src := bytes.Repeat([]byte("snapshot"), 128)
	r.lba28(0, 5, 2)
	r.out(pStatus, 0x30)
	r.writeBlock(src[:512])
	r.writeBlock(src[512:])
	r.expect(stReady, 0)
	r.out(pStatus, 0xE7) // FLUSH CACHE must not reach the file either
	r.expect(stReady, 0)
	r.lba28(0, 5, 2)
	r.out(pStatus, 0x20)
	got := append(r.readBlock(512), r.readBlock(512)...)
	if !bytes.Equal(got, src) {
		t.Error("guest does not read back its snapshot writes")
	}
	if err := img.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, orig) {
		t.Error("snapshot write reached the file")
	}
}

func TestNewDiskRejectsEmptyImage(t *testing.T) {
	if _, err := ata.NewDisk(disk.FromBytes(make([]byte, 511)), ""); err == nil {
		t.Error("disk with no whole sector accepted")
	}
	if err := ata.NewChannel(nil).Attach(2, nil); err == nil {
		t.Error("position 2 accepted")
	}
}

func TestGarbageNeverPanics(t *testing.T) {
	r := newRig(t)
	r.memDisk(64)
	r.attach(1, disk.FromBytes(make([]byte, 8*512)))
	for i := 0; i < 200000; i++ {
		v := uint32(i) * 2654435761
		port := uint16(pData) + uint16(v>>8%8)
		size := 1 << (v >> 12 % 3)
		switch {
		case v>>14%16 == 0:
			r.b.Out(pCtl, 1, v>>20&0x86)
		case v>>18%2 == 0:
			r.b.In(port, size)
		default:
			r.b.Out(port, size, v>>3)
		}
	}
}

// failing is a backing store whose sectors from 10 on cannot be read.
type failing struct{}

func (failing) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > 10*512 {
		return 0, os.ErrInvalid
	}
	clear(p)
	return len(p), nil
}

func TestHostReadErrorIsUNC(t *testing.T) {
	r := newRig(t)
	img, err := disk.New(failing{}, 64*512, disk.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	r.attach(0, img)
	r.lba28(0, 9, 1)
	r.out(pStatus, 0x20)
	r.readBlock(512)
	r.expect(stReady, 0)
	r.lba28(0, 12, 1)
	r.out(pStatus, 0x20)
	r.expect(stErr, 0x40)
	if r.in(pLBALow) != 12 {
		t.Error("taskfile does not point at the unreadable sector")
	}
}
