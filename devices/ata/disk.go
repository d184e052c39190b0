package ata

import (
	"errors"
	"fmt"

	"ringzero/devices/disk"
)

// MaxMultiple is the largest block, in sectors, SET MULTIPLE MODE
// accepts (IDENTIFY word 47).
const MaxMultiple = 16

// Limits of CHS addressing (ATA/ATAPI-6 section 6.2.1): the default
// geometry never exceeds 16383 cylinders, 16 heads and 63 sectors, and
// the current geometry covers at most 16,514,064 sectors.
const (
	maxCylinders = 16383
	maxCHSHeads  = 16
	maxCHSSPT    = 63
	maxCHSTotal  = maxCylinders * maxCHSHeads * maxCHSSPT
	maxLBA28     = 1<<28 - 1
)

// Disk is an ATA hard disk over a raw image: 512-byte sectors, 28- and
// 48-bit LBA and CHS addressing, PIO transfers with READ/WRITE MULTIPLE.
// A read-only image aborts writes. The image is used as it is: the
// snapshot mode of the disk package keeps guest writes in memory.
type Disk struct {
	img     *disk.Image
	total   uint64 // sectors
	serial  string
	defC    int // default geometry (IDENTIFY words 1, 3, 6)
	defH    int
	defS    int
	curC    int  // current geometry (INITIALIZE DEVICE PARAMETERS)
	curH    int  // heads
	curS    int  // sectors per track
	mult    int  // READ/WRITE MULTIPLE block size; 0 = disabled
	wcache  bool // write cache enabled (SET FEATURES 02h/82h)
	lookAhd bool // read look-ahead enabled (SET FEATURES AAh/55h)

	// The command in progress.
	lba   uint64 // next sector
	left  int    // sectors still to move
	block int    // sectors per DRQ block
	ext   bool   // 48-bit command: addresses go to both register halves
	buf   [MaxMultiple * SectorSize]byte
}

// NewDisk returns a hard disk over img with the given serial number (at
// most 20 characters reach IDENTIFY). The image must hold at least one
// sector; a trailing partial sector is not addressable.
func NewDisk(img *disk.Image, serial string) (*Disk, error) {
	if img == nil {
		return nil, errors.New("ata: nil image")
	}
	total := uint64(img.Size()) / SectorSize
	if total == 0 {
		return nil, fmt.Errorf("ata: image of %d bytes holds no sector", img.Size())
	}
	k := &Disk{img: img, total: total, serial: serial}
	k.defC, k.defH, k.defS = defaultGeometry(total)
	k.powerOn()
	return k, nil
}

// defaultGeometry picks the CHS geometry IDENTIFY words 1, 3 and 6
// report: 16 heads and 63 sectors per track as every disk since ATA-2,
// fewer for images too small to fill one cylinder.
func defaultGeometry(total uint64) (c, h, s int) {
	h, s = maxCHSHeads, maxCHSSPT
	if total < uint64(h*s) {
		s = int(min(total, maxCHSSPT))
		h = int(min(total/uint64(s), maxCHSHeads))
	}
	c = int(min(total/uint64(h*s), maxCylinders))
	return c, h, s
}

// Sectors is the number of addressable sectors.
func (k *Disk) Sectors() uint64 { return k.total }

// powerOn restores the settings a hardware reset restores.
func (k *Disk) powerOn() {
	k.curC, k.curH, k.curS = k.defC, k.defH, k.defS
	k.mult = 0
	k.wcache, k.lookAhd = true, true
}

// Reset loads the ATA device signature (ATA/ATAPI-6 section 9.12):
// count 1, LBA 1 in the low byte, 0 in mid and high, device 0.
func (k *Disk) Reset(d *Device, hard bool) {
	if hard {
		k.powerOn()
	}
	r := d.Regs()
	*r = Regs{Count: 1, LBALow: 1}
	d.SetStatus(StatusDRDY | StatusDSC)
}

// Execute runs an ATA command (ATA/ATAPI-6 section 8).
func (k *Disk) Execute(d *Device, cmd uint8) {
	r := d.Regs()
	switch {
	case cmd == 0xEC: // IDENTIFY DEVICE
		k.identify(k.buf[:SectorSize])
		d.DataIn(k.buf[:SectorSize], func() { d.Complete(false) })
	case cmd == 0x20 || cmd == 0x21: // READ SECTORS (with/without retry)
		k.start28(d, 1, false)
	case cmd == 0x30 || cmd == 0x31: // WRITE SECTORS
		k.start28(d, 1, true)
	case cmd == 0xC4: // READ MULTIPLE
		k.startMultiple(d, false, false)
	case cmd == 0xC5: // WRITE MULTIPLE
		k.startMultiple(d, false, true)
	case cmd == 0x24: // READ SECTORS EXT
		k.start48(d, 1, false)
	case cmd == 0x34: // WRITE SECTORS EXT
		k.start48(d, 1, true)
	case cmd == 0x29: // READ MULTIPLE EXT
		k.startMultiple(d, true, false)
	case cmd == 0x39: // WRITE MULTIPLE EXT
		k.startMultiple(d, true, true)
	case cmd == 0x40 || cmd == 0x41: // READ VERIFY SECTORS
		if lba, ok := k.addr28(d); ok {
			k.verify(d, lba, r.Sectors28(), false)
		}
	case cmd == 0x42: // READ VERIFY SECTORS EXT
		k.verify(d, r.LBA48(), r.Sectors48(), true)
	case cmd == 0xC6: // SET MULTIPLE MODE
		k.setMultiple(d)
	case cmd == 0x91: // INITIALIZE DEVICE PARAMETERS
		k.initParams(d)
	case cmd&0xF0 == 0x70: // SEEK
		if lba, ok := k.addr28(d); ok {
			k.verify(d, lba, 1, false)
		}
	case cmd&0xF0 == 0x10: // RECALIBRATE (obsolete, still used by BIOSes)
		d.Complete(true)
	case cmd == 0xEF: // SET FEATURES
		k.setFeatures(d)
	case cmd == 0xE7 || cmd == 0xEA: // FLUSH CACHE (EXT)
		if err := k.img.Flush(); err != nil {
			d.Fail(ErrABRT)
			d.SetStatus(d.Status() | StatusDF)
			return
		}
		d.Complete(true)
	case cmd >= 0xE0 && cmd <= 0xE3, cmd == 0xE6:
		// STANDBY IMMEDIATE, IDLE IMMEDIATE, STANDBY, IDLE, SLEEP: the
		// image never spins down.
		d.Complete(true)
	case cmd == 0xE5: // CHECK POWER MODE: active or idle
		r.Count = 0xFF
		d.Complete(true)
	default:
		// IDENTIFY PACKET DEVICE and PACKET (a disk is no packet
		// device), NOP, DMA and every command not modelled.
		d.Fail(ErrABRT)
	}
}

// addr28 resolves the address of a 28-bit command, LBA or CHS by the
// current geometry. An impossible CHS address fails the command with
// IDNF.
func (k *Disk) addr28(d *Device) (uint64, bool) {
	r := d.Regs()
	if r.LBAMode() {
		return r.LBA28(), true
	}
	c, h, s := r.CHS()
	if s < 1 || s > k.curS || h >= k.curH || c >= k.curC {
		d.Fail(ErrIDNF)
		return 0, false
	}
	return (uint64(c)*uint64(k.curH)+uint64(h))*uint64(k.curS) + uint64(s) - 1, true
}

// start28 starts a 28-bit read or write in blocks of block sectors.
func (k *Disk) start28(d *Device, block int, write bool) {
	lba, ok := k.addr28(d)
	if !ok {
		return
	}
	k.start(d, lba, d.Regs().Sectors28(), block, false, write)
}

// start48 starts a 48-bit read or write in blocks of block sectors.
func (k *Disk) start48(d *Device, block int, write bool) {
	r := d.Regs()
	k.start(d, r.LBA48(), r.Sectors48(), block, true, write)
}

// startMultiple starts READ/WRITE MULTIPLE (EXT), aborted while multiple
// mode is disabled.
func (k *Disk) startMultiple(d *Device, ext, write bool) {
	if k.mult == 0 {
		d.Fail(ErrABRT)
		return
	}
	if ext {
		k.start48(d, k.mult, write)
	} else {
		k.start28(d, k.mult, write)
	}
}

// start sets up a transfer of count sectors from lba. A range that runs
// past the end of the disk fails with IDNF before any data moves.
func (k *Disk) start(d *Device, lba uint64, count, block int, ext, write bool) {
	k.lba, k.left, k.block, k.ext = lba, count, block, ext
	if !k.inRange(d, lba, count) {
		return
	}
	if write {
		k.nextWrite(d, false)
	} else {
		k.nextRead(d)
	}
}

// inRange checks n sectors from lba. When they do not all exist it fails
// the command with IDNF and reports the first missing sector.
func (k *Disk) inRange(d *Device, lba uint64, n int) bool {
	if lba < k.total && uint64(n) <= k.total-lba {
		return true
	}
	k.setAddr(d, max(lba, k.total))
	d.Fail(ErrIDNF)
	return false
}

// nextRead reads the next block and offers it to the host.
func (k *Disk) nextRead(d *Device) {
	n := min(k.block, k.left)
	if !k.inRange(d, k.lba, n) {
		return
	}
	buf := k.buf[:n*SectorSize]
	if _, err := k.img.ReadAt(buf, int64(k.lba)*SectorSize); err != nil {
		k.setAddr(d, k.lba)
		d.Fail(ErrUNC)
		return
	}
	d.DataIn(buf, func() {
		k.advance(d, n)
		if k.left == 0 {
			d.Complete(false)
			return
		}
		k.nextRead(d)
	})
}

// nextWrite asks the host for the next block and writes it when it has
// arrived; interrupt is false for the command's first block.
func (k *Disk) nextWrite(d *Device, interrupt bool) {
	n := min(k.block, k.left)
	if !k.inRange(d, k.lba, n) {
		return
	}
	buf := k.buf[:n*SectorSize]
	d.DataOut(buf, interrupt, func() {
		if _, err := k.img.WriteAt(buf, int64(k.lba)*SectorSize); err != nil {
			k.setAddr(d, k.lba)
			d.Fail(ErrABRT)
			if !errors.Is(err, disk.ErrReadOnly) {
				d.SetStatus(d.Status() | StatusDF) // the host store failed
			}
			return
		}
		k.advance(d, n)
		if k.left == 0 {
			d.Complete(true)
			return
		}
		k.nextWrite(d, true)
	})
}

// advance records n sectors moved: the taskfile then holds the address
// of the last sector moved and the count of sectors left.
func (k *Disk) advance(d *Device, n int) {
	k.lba += uint64(n)
	k.left -= n
	k.setAddr(d, k.lba-1)
	r := d.Regs()
	r.Count = uint8(k.left)
	if k.ext {
		r.HOBCount = uint8(k.left >> 8)
	}
}

// verify checks that count sectors from lba exist (READ VERIFY, SEEK).
func (k *Disk) verify(d *Device, lba uint64, count int, ext bool) {
	k.ext = ext
	if !k.inRange(d, lba, count) {
		return
	}
	k.setAddr(d, lba+uint64(count)-1)
	d.Complete(true)
}

// setAddr stores lba in the taskfile in the form the command used: 48-bit
// in both register halves, 28-bit LBA with bits 24-27 in the device
// register, or CHS by the current geometry.
func (k *Disk) setAddr(d *Device, lba uint64) {
	r := d.Regs()
	switch {
	case k.ext:
		r.LBALow, r.LBAMid, r.LBAHigh = uint8(lba), uint8(lba>>8), uint8(lba>>16)
		r.HOBLBALow, r.HOBLBAMid, r.HOBLBAHigh = uint8(lba>>24), uint8(lba>>32), uint8(lba>>40)
	case r.LBAMode():
		r.LBALow, r.LBAMid, r.LBAHigh = uint8(lba), uint8(lba>>8), uint8(lba>>16)
		r.Device = r.Device&0xF0 | uint8(lba>>24)&0x0F
	default:
		hs := uint64(k.curH) * uint64(k.curS)
		c, h, s := lba/hs, lba/uint64(k.curS)%uint64(k.curH), lba%uint64(k.curS)+1
		r.LBALow, r.LBAMid, r.LBAHigh = uint8(s), uint8(c), uint8(c>>8)
		r.Device = r.Device&0xF0 | uint8(h)
	}
}

// setMultiple is SET MULTIPLE MODE: a power of two up to MaxMultiple, or
// 0 to disable.
func (k *Disk) setMultiple(d *Device) {
	n := int(d.Regs().Count)
	if n > MaxMultiple || n&(n-1) != 0 {
		d.Fail(ErrABRT)
		return
	}
	k.mult = n
	d.Complete(true)
}

// initParams is INITIALIZE DEVICE PARAMETERS: the CHS translation with
// the heads in the device register (plus one) and the sectors per track
// in the count register.
func (k *Disk) initParams(d *Device) {
	r := d.Regs()
	h, s := int(r.Device&0x0F)+1, int(r.Count)
	if s == 0 {
		d.Fail(ErrABRT)
		return
	}
	c := min(min(k.total, maxCHSTotal)/uint64(h*s), 65535)
	if c == 0 {
		d.Fail(ErrABRT)
		return
	}
	k.curC, k.curH, k.curS = int(c), h, s
	d.Complete(true)
}

// setFeatures is SET FEATURES with the subcommand in the feature
// register (ATA/ATAPI-6 section 8.37).
func (k *Disk) setFeatures(d *Device) {
	r := d.Regs()
	switch r.Feature {
	case 0x03: // set transfer mode: PIO default or PIO flow control 0-4
		if m := r.Count; m > 0x01 && (m < 0x08 || m > 0x0C) {
			d.Fail(ErrABRT) // DMA modes and the rest
			return
		}
	case 0x02:
		k.wcache = true
	case 0x82:
		k.wcache = false
	case 0xAA:
		k.lookAhd = true
	case 0x55:
		k.lookAhd = false
	case 0x66, 0xCC: // revert to power-on defaults off/on: nothing to keep
	default:
		d.Fail(ErrABRT)
		return
	}
	d.Complete(true)
}
