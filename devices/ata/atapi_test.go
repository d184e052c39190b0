package ata_test

import (
	"bytes"
	"encoding/binary"
	"math/rand"
	"strings"
	"testing"

	"ringzero/devices/ata"
	"ringzero/devices/disk"
)

// Interrupt reasons and sense keys as ATA/ATAPI-6 and SPC-3 spell them.
const (
	reasonCmd  = 0x01 // C/D: the drive wants the packet
	reasonData = 0x02 // I/O: data to the host
	reasonDone = 0x03 // C/D + I/O: completion

	keyNotReady       = 0x02
	keyIllegalRequest = 0x05
	keyUnitAttention  = 0x06
)

// iso builds a CD image of n 2048-byte sectors: a primary volume
// descriptor at sector 16, every other byte a function of its offset.
func iso(n int) []byte {
	b := make([]byte, n*2048)
	for i := range b {
		b[i] = byte(i/2048*7 + i%251)
	}
	if n > 16 {
		copy(b[16*2048:], "\x01CD001\x01")
	}
	return b
}

// attachCD puts a CD-ROM drive holding img (nil: empty) at pos.
func (r *rig) attachCD(pos int, img []byte) *ata.CDROM {
	r.t.Helper()
	var im *disk.Image
	if img != nil {
		im = disk.FromBytesWith(img, disk.Options{ReadOnly: true})
	}
	cd, err := ata.NewCDROM(im, "RZ-CD-1")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.ch.Attach(pos, cd); err != nil {
		r.t.Fatal(err)
	}
	return cd
}

// packet issues PACKET with byte count limit and sends cdb (padded to 12
// bytes) as a driver does: no interrupt before the packet, DRQ with
// reason C/D.
func (r *rig) packet(dev int, limit uint16, cdb ...byte) {
	r.t.Helper()
	r.out(pDevice, uint32(dev)<<4)
	r.out(pError, 0) // features: PIO
	r.out(pLBAMid, uint32(limit&0xFF))
	r.out(pLBAHigh, uint32(limit>>8))
	r.line.Reset()
	r.out(pStatus, 0xA0)
	if st := r.status(); st&0x88 != 0x08 {
		r.t.Fatalf("status after PACKET = %#x, want DRQ without BSY", st)
	}
	if v := r.in(pCount); v&3 != reasonCmd {
		r.t.Fatalf("interrupt reason after PACKET = %#x, want C/D", v)
	}
	if r.line.Rises() != 0 {
		r.t.Fatal("INTRQ raised before the packet was sent")
	}
	var p [12]byte
	copy(p[:], cdb)
	for i := 0; i < 12; i += 2 {
		r.b.Out(pData, 2, uint32(binary.LittleEndian.Uint16(p[i:])))
	}
}

// result is the outcome of a packet command.
type result struct {
	data   []byte
	blocks []int  // the byte count of each DRQ block
	status uint32 // final status
	err    uint32 // error register if ERR
}

// finish runs the data phase as an interrupt-driven driver does: for
// each interrupt, read status (acknowledging it), then either read the
// block whose size LBA mid/high give, or take the completion.
func (r *rig) finish() result {
	r.t.Helper()
	var res result
	for i := 0; i < 100000; i++ {
		if !r.line.Level() {
			r.t.Fatalf("no INTRQ pending (status %#x)", r.status())
		}
		st := r.in(pStatus)
		reason := r.in(pCount) & 3
		if st&0x08 == 0 {
			if reason != reasonDone {
				r.t.Errorf("interrupt reason at completion = %d, want C/D+I/O", reason)
			}
			res.status = st
			if st&1 != 0 {
				res.err = r.in(pError)
			}
			return res
		}
		if reason != reasonData {
			r.t.Fatalf("interrupt reason with DRQ = %d, want I/O", reason)
		}
		n := int(r.in(pLBAMid) | r.in(pLBAHigh)<<8)
		res.blocks = append(res.blocks, n)
		blk := make([]byte, 0, n+1)
		for j := 0; j < n; j += 2 {
			w := r.b.In(pData, 2)
			blk = append(blk, byte(w), byte(w>>8))
		}
		res.data = append(res.data, blk[:n]...)
	}
	r.t.Fatal("transfer never ends")
	return res
}

// run sends a packet to device dev and finishes it.
func (r *rig) run(dev int, limit uint16, cdb ...byte) result {
	r.t.Helper()
	r.packet(dev, limit, cdb...)
	return r.finish()
}

// good checks that a command succeeded.
func (res result) good(t *testing.T) {
	t.Helper()
	if res.status != stReady {
		t.Fatalf("status = %#x (error %#x), want 0x50", res.status, res.err)
	}
}

// sense runs REQUEST SENSE and returns key, ASC and ASCQ.
func (r *rig) sense(dev int) (key, asc, ascq byte) {
	r.t.Helper()
	res := r.run(dev, 2048, 0x03, 0, 0, 0, 18, 0)
	res.good(r.t)
	if len(res.data) != 18 || res.data[0]&0x7F != 0x70 || res.data[7] != 10 {
		r.t.Fatalf("sense data %x, want fixed format", res.data)
	}
	return res.data[2] & 0x0F, res.data[12], res.data[13]
}

// checkCondition checks a failed command's status and sense key, and
// the sense data that REQUEST SENSE then returns.
func (r *rig) checkCondition(dev int, res result, key, asc byte) {
	r.t.Helper()
	if res.status&0x89 != 0x01 || res.err>>4 != uint32(key) {
		r.t.Fatalf("status %#x error %#x, want ERR with sense key %d", res.status, res.err, key)
	}
	if k, a, _ := r.sense(dev); k != key || a != asc {
		r.t.Fatalf("sense %d/%#x, want %d/%#x", k, a, key, asc)
	}
}

func read10(lba uint32, n uint16) []byte {
	c := []byte{0x28, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(c[2:], lba)
	binary.BigEndian.PutUint16(c[7:], n)
	return c
}

func TestATAPISignature(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	sig := func(when string) {
		t.Helper()
		got := []uint32{r.in(pCount), r.in(pLBALow), r.in(pLBAMid), r.in(pLBAHigh)}
		if got[0] != 1 || got[1] != 1 || got[2] != 0x14 || got[3] != 0xEB {
			t.Errorf("%s: count/LBA = %x, want 1 1 14 eb", when, got)
		}
	}
	sig("power-on")
	if st := r.status(); st != stReady {
		t.Errorf("status at power-on = %#x, want 0x50", st)
	}
	r.out(pCtl, ctlSRST)
	r.out(pCtl, 0)
	sig("after SRST")
	if st := r.status(); st != 0 {
		t.Errorf("status after SRST = %#x, want 0: packet devices leave DRDY clear", st)
	}
	// IDENTIFY DEVICE and READ SECTORS abort and show the signature.
	for _, cmd := range []uint32{0xEC, 0x20} {
		r.lba28(0, 5, 1)
		r.out(pStatus, cmd)
		r.expect(stErr, errABRT)
		sig("after aborted command")
	}
	// DEVICE RESET: signature, no interrupt, DRDY clear.
	r.out(pCount, 0x55)
	r.line.Reset()
	r.out(pStatus, 0x08)
	sig("after DEVICE RESET")
	if st := r.status(); st != 0 || r.line.Rises() != 0 {
		t.Errorf("after DEVICE RESET: status %#x, %d interrupts; want 0, none", st, r.line.Rises())
	}
}

func TestIdentifyPacketDevice(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	r.out(pDevice, 0)
	r.out(pStatus, 0xA1)
	if st := r.in(pStatus); st&0x89 != 0x08 {
		t.Fatalf("status = %#x, want DRQ", st)
	}
	buf := make([]byte, 512)
	for i := 0; i < 512; i += 2 {
		binary.LittleEndian.PutUint16(buf[i:], uint16(r.b.In(pData, 2)))
	}
	r.expect(stReady, 0)
	w := func(i int) uint16 { return binary.LittleEndian.Uint16(buf[2*i:]) }
	if w(0) != 0x85C0 {
		t.Errorf("word 0 = %#x, want 0x85c0 (ATAPI CD-ROM, removable, 50 us DRQ, 12-byte packets)", w(0))
	}
	var model []uint16
	for i := 27; i < 47; i++ {
		model = append(model, w(i))
	}
	if m := strings.TrimSpace(ataString(model)); m != ata.CDModel {
		t.Errorf("model %q, want %q", m, ata.CDModel)
	}
	if w(49)&(1<<8) != 0 {
		t.Error("word 49 offers DMA")
	}
	if w(82)&(1<<4) == 0 {
		t.Error("word 82 does not claim the PACKET feature set")
	}
	var sum byte
	for _, b := range buf {
		sum += b
	}
	if buf[510] != 0xA5 || sum != 0 {
		t.Errorf("checksum: signature %#x, sum %#x", buf[510], sum)
	}
}

func TestInquiry(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	res := r.run(0, 2048, 0x12, 0, 0, 0, 96, 0)
	res.good(t)
	if len(res.data) != 36 {
		t.Fatalf("INQUIRY returned %d bytes, want 36", len(res.data))
	}
	if res.data[0] != 0x05 || res.data[1] != 0x80 {
		t.Errorf("device type %#x removable %#x, want 5 and 0x80", res.data[0], res.data[1])
	}
	if v, p := string(res.data[8:16]), strings.TrimSpace(string(res.data[16:32])); v != "RINGZERO" || p != "CD-ROM" {
		t.Errorf("vendor %q product %q", v, p)
	}
	// The allocation length cuts the reply.
	if res := r.run(0, 2048, 0x12, 0, 0, 0, 5, 0); len(res.data) != 5 {
		t.Errorf("INQUIRY with allocation length 5 returned %d bytes", len(res.data))
	}
	// So does a byte count limit, into several DRQ blocks.
	res = r.run(0, 16, 0x12, 0, 0, 0, 36, 0)
	if len(res.blocks) != 3 || res.blocks[0] != 16 || res.blocks[2] != 4 {
		t.Errorf("blocks %v with limit 16, want [16 16 4]", res.blocks)
	}
	// Vital product data is not offered.
	r.checkCondition(0, r.run(0, 2048, 0x12, 1, 0x80, 0, 36, 0), keyIllegalRequest, 0x24)
}

func TestRead10OfAnISO(t *testing.T) {
	r := newRig(t)
	img := iso(20)
	r.attachCD(1, img) // slave, as -cdrom is on many machines
	// TEST UNIT READY and READ CAPACITY first, as SeaBIOS does.
	r.run(1, 2048, 0x00).good(t)
	capacity := r.run(1, 2048, 0x25)
	capacity.good(t)
	if last, bs := binary.BigEndian.Uint32(capacity.data), binary.BigEndian.Uint32(capacity.data[4:]); last != 19 || bs != 2048 {
		t.Errorf("READ CAPACITY = last LBA %d, block %d; want 19, 2048", last, bs)
	}
	// The volume descriptor, one sector per DRQ block at limit 2048.
	res := r.run(1, 2048, read10(16, 2)...)
	res.good(t)
	if !bytes.Equal(res.data, img[16*2048:18*2048]) {
		t.Error("READ(10) of sectors 16-17 returned other data")
	}
	if string(res.data[1:6]) != "CD001" {
		t.Errorf("sector 16 starts %q", res.data[:8])
	}
	if len(res.blocks) != 2 || res.blocks[0] != 2048 {
		t.Errorf("blocks %v, want two of 2048", res.blocks)
	}
	// A large limit moves several sectors a block; an odd limit rounds
	// down to even, blocks may end mid-sector.
	res = r.run(1, 0xFFFF, read10(0, 20)...)
	if !bytes.Equal(res.data, img) || len(res.blocks) != 1 {
		t.Errorf("READ(10) of the whole disc: %d bytes in blocks %v", len(res.data), res.blocks)
	}
	res = r.run(1, 3001, read10(3, 3)...)
	res.good(t)
	if !bytes.Equal(res.data, img[3*2048:6*2048]) || len(res.blocks) != 3 || res.blocks[0] != 3000 || res.blocks[2] != 144 {
		t.Errorf("READ(10) at limit 3001: blocks %v", res.blocks)
	}
	// READ(12) and a zero-length read.
	c := []byte{0xA8, 0, 0, 0, 0, 19, 0, 0, 0, 1}
	res = r.run(1, 2048, c...)
	if !bytes.Equal(res.data, img[19*2048:]) {
		t.Error("READ(12) of the last sector returned other data")
	}
	res = r.run(1, 2048, read10(5, 0)...)
	res.good(t)
	if len(res.data) != 0 {
		t.Errorf("zero-length read returned %d bytes", len(res.data))
	}
}

func TestBadLBAIsIllegalRequest(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	res := r.run(0, 2048, read10(19, 2)...)
	if len(res.data) != 0 {
		t.Errorf("failed read moved %d bytes", len(res.data))
	}
	r.checkCondition(0, res, keyIllegalRequest, 0x21)
	// The sense is cleared once read, and a good command leaves none.
	if k, _, _ := r.sense(0); k != 0 {
		t.Errorf("second REQUEST SENSE key %d, want no sense", k)
	}
	r.checkCondition(0, r.run(0, 2048, 0x2B, 0, 0, 0, 0, 20), keyIllegalRequest, 0x21) // SEEK past the end
	r.checkCondition(0, r.run(0, 2048, 0xFF), keyIllegalRequest, 0x20)                 // unknown opcode
}

func TestEmptyDriveAndMediumChange(t *testing.T) {
	r := newRig(t)
	cd := r.attachCD(0, nil)
	r.checkCondition(0, r.run(0, 2048, 0x00), keyNotReady, 0x3A)
	r.checkCondition(0, r.run(0, 2048, read10(0, 1)...), keyNotReady, 0x3A)
	// INQUIRY works without a medium.
	r.run(0, 2048, 0x12, 0, 0, 0, 36, 0).good(t)

	if err := cd.Insert(disk.FromBytes(iso(20))); err != nil {
		t.Fatal(err)
	}
	// GET EVENT STATUS NOTIFICATION reports the new medium once, and
	// does not consume the unit attention.
	ev := r.run(0, 2048, 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8)
	ev.good(t)
	if len(ev.data) != 8 || ev.data[2] != 4 || ev.data[4] != 2 || ev.data[5] != 2 {
		t.Errorf("media event %x, want class 4, new media, present", ev.data)
	}
	if ev := r.run(0, 2048, 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8); ev.data[4] != 0 {
		t.Errorf("second media event %x, want no change", ev.data)
	}
	r.checkCondition(0, r.run(0, 2048, 0x00), keyUnitAttention, 0x28)
	r.run(0, 2048, 0x00).good(t)

	// Lock, refuse to eject, unlock, eject, load.
	r.run(0, 2048, 0x1E, 0, 0, 0, 1, 0).good(t)
	r.checkCondition(0, r.run(0, 2048, 0x1B, 0, 0, 0, 0x02, 0), keyIllegalRequest, 0x53)
	r.run(0, 2048, 0x1E, 0, 0, 0, 0, 0).good(t)
	r.run(0, 2048, 0x1B, 0, 0, 0, 0x02, 0).good(t)
	r.checkCondition(0, r.run(0, 2048, 0x00), keyNotReady, 0x3A)
	r.run(0, 2048, 0x1B, 0, 0, 0, 0x03, 0).good(t)
	r.checkCondition(0, r.run(0, 2048, 0x25), keyUnitAttention, 0x28)
	r.run(0, 2048, 0x25).good(t)
}

func TestModeSenseConfigurationAndTOC(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	ms := r.run(0, 2048, 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 64, 0)
	ms.good(t)
	if len(ms.data) != 8+22 || ms.data[8] != 0x2A || ms.data[9] != 0x14 || binary.BigEndian.Uint16(ms.data) != 28 {
		t.Errorf("MODE SENSE page 2Ah = %x", ms.data)
	}
	if all := r.run(0, 2048, 0x5A, 0, 0x3F, 0, 0, 0, 0, 0xFF, 0xFF, 0); len(all.data) != 8+8+22 {
		t.Errorf("MODE SENSE all pages = %d bytes, want 38", len(all.data))
	}
	r.checkCondition(0, r.run(0, 2048, 0x5A, 0, 0x05, 0, 0, 0, 0, 0, 64, 0), keyIllegalRequest, 0x24)

	gc := r.run(0, 2048, 0x46, 0, 0, 0, 0, 0, 0, 0, 255, 0)
	gc.good(t)
	if len(gc.data) < 12 || binary.BigEndian.Uint16(gc.data[6:]) != 0x0008 || int(binary.BigEndian.Uint32(gc.data))+4 != len(gc.data) {
		t.Errorf("GET CONFIGURATION = %x, want current profile CD-ROM", gc.data)
	}
	if gc := r.run(0, 2048, 0x46, 2, 0, 1, 0, 0, 0, 0, 255, 0); len(gc.data) != 8+8 || gc.data[9] != 1 {
		t.Errorf("GET CONFIGURATION RT=2 core = %x", gc.data)
	}

	toc := r.run(0, 2048, 0x43, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0)
	toc.good(t)
	want := []byte{0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x16, 0xAA, 0, 0, 0, 0, 20}
	if !bytes.Equal(toc.data, want) {
		t.Errorf("READ TOC = %x, want %x", toc.data, want)
	}
	toc = r.run(0, 2048, 0x43, 2, 0, 0, 0, 0, 0, 0, 0xFF, 0) // MSF
	if len(toc.data) != 20 || !bytes.Equal(toc.data[8:12], []byte{0, 0, 2, 0}) || !bytes.Equal(toc.data[16:20], []byte{0, 0, 2, 20}) {
		t.Errorf("READ TOC (MSF) = %x", toc.data)
	}
}

func TestPacketRefusesDMA(t *testing.T) {
	r := newRig(t)
	r.attachCD(0, iso(20))
	r.out(pDevice, 0)
	r.out(pError, 1) // DMA
	r.out(pStatus, 0xA0)
	r.expect(stErr, errABRT)
}

func TestDiskAndCDROMShareAChannel(t *testing.T) {
	r := newRig(t)
	data := r.memDisk(64)
	img := iso(20)
	r.attachCD(1, img)
	r.out(pCtl, ctlSRST)
	r.out(pCtl, 0)
	// The master shows the ATA signature, the slave the ATAPI one.
	r.out(pDevice, 0x00)
	if mid, high := r.in(pLBAMid), r.in(pLBAHigh); mid != 0 || high != 0 {
		t.Errorf("master signature %x %x, want 0 0", mid, high)
	}
	r.out(pDevice, 0x10)
	if mid, high := r.in(pLBAMid), r.in(pLBAHigh); mid != 0x14 || high != 0xEB {
		t.Errorf("slave signature %x %x, want 14 eb", mid, high)
	}
	res := r.run(1, 2048, read10(2, 1)...)
	if !bytes.Equal(res.data, img[2*2048:3*2048]) {
		t.Error("CD read returned other data")
	}
	r.lba28(0, 3, 1)
	r.out(pStatus, 0x20)
	if got := r.readBlock(512); !bytes.Equal(got, data[3*512:4*512]) {
		t.Error("disk read after a CD read returned other data")
	}
}

func TestNewCDROMRejectsTinyImage(t *testing.T) {
	if _, err := ata.NewCDROM(disk.FromBytes(make([]byte, 2047)), "x"); err == nil {
		t.Error("NewCDROM accepted an image with no whole sector")
	}
}

// TestRandomPacketsAlwaysComplete sends random commands with random
// byte count limits: each must end in a completion, never hang or panic.
func TestRandomPacketsAlwaysComplete(t *testing.T) {
	r := newRig(t)
	cd := r.attachCD(0, iso(40))
	rng := rand.New(rand.NewSource(3))
	ops := []byte{0x00, 0x03, 0x12, 0x1B, 0x1E, 0x25, 0x28, 0x2B, 0x43, 0x46, 0x4A, 0x5A, 0xA8, 0xBB, 0xBD, 0x55}
	moved := 0
	for i := 0; i < 2000; i++ {
		cdb := make([]byte, 12)
		rng.Read(cdb)
		cdb[0] = ops[rng.Intn(len(ops))]
		if cdb[0] == 0x28 || cdb[0] == 0xA8 {
			// Mostly in range, up to 7 sectors.
			clear(cdb[2:10])
			cdb[5] = byte(rng.Intn(44))
			cdb[8+map[byte]int{0x28: 0, 0xA8: 1}[cdb[0]]] = byte(rng.Intn(8))
		}
		if cdb[0] == 0x1B && rng.Intn(8) != 0 {
			cdb[4] &^= 2 // mostly leave the tray alone
		}
		res := r.run(0, uint16(rng.Intn(0x10000)), cdb...)
		if res.status&0x88 != 0 {
			t.Fatalf("command %x ended with status %#x", cdb, res.status)
		}
		moved += len(res.data)
		if !cd.Present() && rng.Intn(4) == 0 {
			r.run(0, 2048, 0x1E, 0, 0, 0, 0, 0)    // allow removal
			r.run(0, 2048, 0x1B, 0, 0, 0, 0x03, 0) // close the tray
		}
	}
	if moved < 1<<20 {
		t.Errorf("only %d bytes moved: the commands hardly ran", moved)
	}
}
