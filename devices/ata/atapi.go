package ata

import (
	"encoding/binary"
	"errors"
	"fmt"

	"ringzero/devices/disk"
)

// CDSectorSize is the size of a CD-ROM logical block (mode 1 user data).
const CDSectorSize = 2048

// Identification of the CD-ROM drive (IDENTIFY PACKET DEVICE words
// 27-46, INQUIRY vendor and product).
const (
	CDModel   = "RINGZERO CD-ROM"
	cdVendor  = "RINGZERO"
	cdProduct = "CD-ROM"
)

// ATA commands a packet device answers (ATA/ATAPI-6 section 8).
const (
	cmdDeviceReset    = 0x08
	cmdPacket         = 0xA0
	cmdIdentifyPacket = 0xA1
	cmdIdentify       = 0xEC
	cmdSetFeatures    = 0xEF
	cmdCheckPower     = 0xE5
)

// Interrupt reason bits, in the sector count register during a packet
// command (ATA/ATAPI-6 section 7.16).
const (
	reasonCoD = 1 << 0 // command (packet or completion) rather than data
	reasonIO  = 1 << 1 // transfer towards the host
)

// ATAPI signature (ATA/ATAPI-6 section 9.12): LBA mid and high after a
// reset of a packet device.
const (
	sigMid  = 0x14
	sigHigh = 0xEB
)

// SCSI sense keys and additional sense codes (SPC-3 section 4.5.6, MMC-4
// Annex F).
const (
	senseNoSense        = 0x00
	senseNotReady       = 0x02
	senseMediumError    = 0x03
	senseIllegalRequest = 0x05
	senseUnitAttention  = 0x06

	ascReadError        = 0x11 // unrecovered read error
	ascInvalidOpcode    = 0x20 // invalid command operation code
	ascLBAOutOfRange    = 0x21 // logical block address out of range
	ascInvalidField     = 0x24 // invalid field in CDB
	ascMediumChanged    = 0x28 // not ready to ready change, medium may have changed
	ascSavingNotAllowed = 0x39 // saving parameters not supported
	ascMediumNotPresent = 0x3A
	ascRemovalPrevented = 0x53 // with ASCQ 02h: medium removal prevented
)

// SCSI/MMC operation codes served (SPC-3, SBC-2, MMC-4).
const (
	scsiTestUnitReady   = 0x00
	scsiRequestSense    = 0x03
	scsiInquiry         = 0x12
	scsiStartStopUnit   = 0x1B
	scsiPreventAllow    = 0x1E
	scsiReadCapacity    = 0x25
	scsiRead10          = 0x28
	scsiSeek10          = 0x2B
	scsiReadTOC         = 0x43
	scsiGetConfig       = 0x46
	scsiGetEventStatus  = 0x4A
	scsiModeSense10     = 0x5A
	scsiRead12          = 0xA8
	scsiSetCDSpeed      = 0xBB
	maxByteCount        = 0xFFFE // largest even byte count limit
	packetSize          = 12
	mediaEventNone      = 0
	mediaEventNewMedia  = 2
	mediaEventRemoval   = 3
	featureProfileList  = 0x0000
	featureCore         = 0x0001
	featureRemovable    = 0x0003
	featureRandomRead   = 0x0010
	profileCDROM        = 0x0008
	modePageErrRecovery = 0x01
	modePageCapability  = 0x2A
	modePageAll         = 0x3F
)

// CDROM is an ATAPI CD-ROM drive: a packet device that takes SCSI/MMC
// commands through PACKET (A0h) and moves their data by PIO, over an ISO
// image of 2048-byte sectors. It is a Drive for a Channel position.
//
// The PACKET protocol (ATA/ATAPI-6 section 9.10): the host puts the
// byte count limit in LBA mid/high and issues PACKET; the drive asks for
// the 12-byte command (DRQ, interrupt reason C/D, no interrupt), then
// for each data block sets the byte count in LBA mid/high, interrupt
// reason I/O and raises INTRQ; at the end the reason is C/D+I/O, with ERR
// and the sense key in the error register's high nibble when the command
// failed (CHECK CONDITION). REQUEST SENSE returns the details.
//
// Commands: TEST UNIT READY, REQUEST SENSE, INQUIRY, READ CAPACITY,
// READ(10), READ(12), SEEK(10), MODE SENSE(10) (pages 01h, 2Ah, 3Fh),
// GET CONFIGURATION (profile list, core, removable medium, random
// readable), READ TOC formats 0 and 1, START STOP UNIT, PREVENT/ALLOW
// MEDIUM REMOVAL, GET EVENT STATUS NOTIFICATION (polled, media class)
// and SET CD SPEED; any other is ILLEGAL REQUEST, invalid operation
// code. A medium inserted while running raises UNIT ATTENTION (medium
// may have changed) for the next command other than INQUIRY, REQUEST
// SENSE, GET CONFIGURATION and GET EVENT STATUS NOTIFICATION. There is
// no DMA (a PACKET asking for it is aborted), no audio, no overlapped
// commands and no writing.
type CDROM struct {
	img      *disk.Image // nil: no medium
	sectors  uint32
	serial   string
	trayOpen bool
	locked   bool  // PREVENT MEDIUM REMOVAL
	ua       bool  // unit attention pending: the medium changed
	event    uint8 // media event not yet reported by GET EVENT STATUS

	key, asc, ascq uint8 // sense data of the last CHECK CONDITION

	packet [packetSize]byte
	limit  int // byte count limit of the packet command in progress

	// The data-in transfer in progress: left bytes, from reply or, when
	// reply is nil, from the image at off.
	left  int64
	reply []byte
	off   int64
	buf   [maxByteCount]byte
}

// NewCDROM returns a drive holding img (nil: an empty drive) with the
// given serial number. The image must hold at least one 2048-byte
// sector; a trailing partial sector is not addressable.
func NewCDROM(img *disk.Image, serial string) (*CDROM, error) {
	c := &CDROM{serial: serial}
	if img != nil {
		if err := c.load(img); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *CDROM) load(img *disk.Image) error {
	n := img.Size() / CDSectorSize
	if n == 0 {
		return fmt.Errorf("ata: CD image of %d bytes holds no sector", img.Size())
	}
	if n > 1<<32-1 {
		return errors.New("ata: CD image too large")
	}
	c.img, c.sectors, c.trayOpen = img, uint32(n), false
	return nil
}

// Insert puts img in the drive (closing the tray): the guest sees a new
// medium event and a unit attention. Call it on the bus's goroutine.
func (c *CDROM) Insert(img *disk.Image) error {
	if img == nil {
		return errors.New("ata: nil image")
	}
	if err := c.load(img); err != nil {
		return err
	}
	c.ua, c.event = true, mediaEventNewMedia
	return nil
}

// Eject removes the medium whatever the guest's lock says, as the
// monitor's forced eject does.
func (c *CDROM) Eject() {
	if c.img != nil {
		c.event = mediaEventRemoval
	}
	c.img, c.sectors = nil, 0
}

// Present reports whether a medium is in the drive with the tray closed.
func (c *CDROM) Present() bool { return c.img != nil && !c.trayOpen }

// Sectors is the number of 2048-byte sectors of the medium (0 if none).
func (c *CDROM) Sectors() uint32 { return c.sectors }

// Reset loads the packet device signature (count 1, LBA low 1, mid 14h,
// high EBh). Status is DRDY after a power-on reset, as QEMU has it, and
// 0 after a software reset or EXECUTE DEVICE DIAGNOSTIC: ATA/ATAPI-6
// packet devices do not set DRDY there. A hard reset unlocks the tray.
func (c *CDROM) Reset(d *Device, hard bool) {
	if hard {
		c.locked = false
	}
	c.left, c.reply = 0, nil
	c.signature(d)
	d.Regs().Device = 0
	if hard {
		d.SetStatus(StatusDRDY | StatusDSC)
	} else {
		d.SetStatus(0)
	}
}

// signature puts the packet device signature in the taskfile.
func (c *CDROM) signature(d *Device) {
	r := d.Regs()
	r.Count, r.LBALow, r.LBAMid, r.LBAHigh = 1, 1, sigMid, sigHigh
	r.Device &= 0xF0
}

// Execute runs an ATA command (ATA/ATAPI-6 section 8: the commands of
// the PACKET feature set and the general ones a packet device takes).
func (c *CDROM) Execute(d *Device, cmd uint8) {
	r := d.Regs()
	switch {
	case cmd == cmdPacket:
		if r.Feature&1 != 0 { // DMA requested: not offered
			d.Fail(ErrABRT)
			return
		}
		// A limit of 0 is not allowed; take it, and FFFFh, as the
		// largest even count. A limit of 1 could never move a word.
		c.limit = int(r.LBAMid) | int(r.LBAHigh)<<8
		switch {
		case c.limit == 0 || c.limit > maxByteCount:
			c.limit = maxByteCount
		case c.limit == 1:
			c.limit = 2
		}
		r.Count = r.Count&^(reasonCoD|reasonIO|4) | reasonCoD
		d.SetStatus(StatusDRDY | StatusDSC)
		d.DataOut(c.packet[:], false, func() { c.command(d) })
	case cmd == cmdIdentifyPacket:
		c.identify(c.buf[:512])
		d.SetStatus(StatusDRDY | StatusDSC)
		d.DataIn(c.buf[:512], func() { d.Complete(false) })
	case cmd == cmdIdentify, cmd == 0x20, cmd == 0x21:
		// A packet device aborts IDENTIFY DEVICE and READ SECTORS and
		// shows its signature, which is how drivers tell it from a disk.
		c.signature(d)
		d.Fail(ErrABRT)
	case cmd == cmdDeviceReset:
		c.Reset(d, false)
		d.SetError(diagPassed)
	case cmd == cmdSetFeatures:
		if r.Feature == 0x03 && r.Count > 0x01 && (r.Count < 0x08 || r.Count > 0x0C) {
			d.Fail(ErrABRT) // DMA transfer modes
			return
		}
		d.Complete(true)
	case cmd >= 0xE0 && cmd <= 0xE3, cmd == 0xE6:
		d.Complete(true) // standby, idle, sleep: nothing spins down
	case cmd == cmdCheckPower:
		r.Count = 0xFF
		d.Complete(true)
	default:
		d.Fail(ErrABRT)
	}
}

// identify fills buf with the IDENTIFY PACKET DEVICE data (ATA/ATAPI-6
// Table 28).
func (c *CDROM) identify(buf []byte) {
	var w [256]uint16
	// ATAPI, CD-ROM device type (5), removable, DRQ within 50 us of
	// PACKET, 12-byte packets.
	w[0] = 2<<14 | 5<<8 | 1<<7 | 2<<5
	putString(w[10:20], c.serial)
	putString(w[23:27], Firmware)
	putString(w[27:47], CDModel)
	w[49] = 1<<11 | 1<<9 // IORDY, LBA; no DMA
	w[50] = 0x4000
	w[53] = 0x0006 // words 64-70 and 88 are valid
	w[64] = 0x0003 // PIO modes 3 and 4
	w[67] = 120
	w[68] = 120
	w[80] = 0x0070              // ATA/ATAPI-4 to 6
	w[82] = 1<<14 | 1<<9 | 1<<4 // NOP bit reserved-1, DEVICE RESET, PACKET
	w[83] = 1 << 14             // words 82-84 valid
	w[84] = 1 << 14             //
	w[85] = w[82]               // enabled as supported
	w[87] = 1 << 14             //
	for i, v := range w {
		binary.LittleEndian.PutUint16(buf[2*i:], v)
	}
	buf[510] = 0xA5
	var sum uint8
	for _, b := range buf[:511] {
		sum += b
	}
	buf[511] = -sum
}

// command runs the SCSI command in c.packet once the host has sent it.
func (c *CDROM) command(d *Device) {
	p := c.packet[:]
	op := p[0]
	if op != scsiRequestSense {
		c.key, c.asc, c.ascq = senseNoSense, 0, 0
	}
	allowUA := op == scsiInquiry || op == scsiRequestSense || op == scsiGetConfig || op == scsiGetEventStatus
	if c.ua && !allowUA {
		c.ua = false
		c.checkCondition(d, senseUnitAttention, ascMediumChanged, 0)
		return
	}
	switch op {
	case scsiTestUnitReady, scsiReadCapacity, scsiRead10, scsiRead12, scsiSeek10, scsiReadTOC:
		if !c.Present() {
			c.checkCondition(d, senseNotReady, ascMediumNotPresent, 0)
			return
		}
	}
	switch op {
	case scsiTestUnitReady, scsiSetCDSpeed:
		c.good(d)
	case scsiRequestSense:
		c.requestSense(d)
	case scsiInquiry:
		c.inquiry(d)
	case scsiReadCapacity:
		var b [8]byte
		binary.BigEndian.PutUint32(b[0:], c.sectors-1)
		binary.BigEndian.PutUint32(b[4:], CDSectorSize)
		c.dataIn(d, b[:], len(b))
	case scsiRead10:
		c.read(d, binary.BigEndian.Uint32(p[2:]), uint32(binary.BigEndian.Uint16(p[7:])))
	case scsiRead12:
		c.read(d, binary.BigEndian.Uint32(p[2:]), binary.BigEndian.Uint32(p[6:]))
	case scsiSeek10:
		if binary.BigEndian.Uint32(p[2:]) >= c.sectors {
			c.checkCondition(d, senseIllegalRequest, ascLBAOutOfRange, 0)
			return
		}
		c.good(d)
	case scsiModeSense10:
		c.modeSense(d)
	case scsiGetConfig:
		c.getConfiguration(d)
	case scsiReadTOC:
		c.readTOC(d)
	case scsiStartStopUnit:
		c.startStop(d)
	case scsiPreventAllow:
		c.locked = p[4]&1 != 0
		c.good(d)
	case scsiGetEventStatus:
		c.eventStatus(d)
	default:
		c.checkCondition(d, senseIllegalRequest, ascInvalidOpcode, 0)
	}
}

// good completes the command without error: reason C/D+I/O, INTRQ.
func (c *CDROM) good(d *Device) {
	r := d.Regs()
	r.Count = r.Count&^(reasonCoD|reasonIO|4) | reasonCoD | reasonIO
	d.Complete(true)
}

// checkCondition fails the command: sense data kept for REQUEST SENSE,
// the sense key in the error register's high nibble, ERR and INTRQ.
func (c *CDROM) checkCondition(d *Device, key, asc, ascq uint8) {
	c.key, c.asc, c.ascq = key, asc, ascq
	c.left, c.reply = 0, nil
	r := d.Regs()
	r.Count = r.Count&^(reasonCoD|reasonIO|4) | reasonCoD | reasonIO
	d.Fail(key << 4)
}

// dataIn returns data to the host, cut to the allocation length alloc.
func (c *CDROM) dataIn(d *Device, data []byte, alloc int) {
	n := min(len(data), alloc)
	if n <= 0 {
		c.good(d)
		return
	}
	c.reply = append(c.reply[:0], data[:n]...)
	c.left, c.off = int64(n), 0
	c.nextBlock(d)
}

// read starts READ(10)/READ(12) of n sectors from lba.
func (c *CDROM) read(d *Device, lba, n uint32) {
	if uint64(lba)+uint64(n) > uint64(c.sectors) {
		c.checkCondition(d, senseIllegalRequest, ascLBAOutOfRange, 0)
		return
	}
	if n == 0 {
		c.good(d)
		return
	}
	c.reply = nil
	c.left, c.off = int64(n)*CDSectorSize, int64(lba)*CDSectorSize
	c.nextBlock(d)
}

// nextBlock offers the next DRQ block of the transfer: at most the byte
// count limit (made even when the transfer is longer, as ATA/ATAPI-6
// asks), its size in LBA mid/high, reason I/O.
func (c *CDROM) nextBlock(d *Device) {
	n := c.limit
	if int64(n) >= c.left {
		n = int(c.left)
	} else {
		n &^= 1
	}
	blk := c.buf[:n]
	if c.reply != nil {
		copy(blk, c.reply[len(c.reply)-int(c.left):])
	} else if c.img == nil {
		c.checkCondition(d, senseNotReady, ascMediumNotPresent, 0)
		return
	} else if _, err := c.img.ReadAt(blk, c.off); err != nil {
		c.checkCondition(d, senseMediumError, ascReadError, 0)
		return
	}
	r := d.Regs()
	r.LBAMid, r.LBAHigh = uint8(n), uint8(n>>8)
	r.Count = r.Count&^(reasonCoD|reasonIO|4) | reasonIO
	d.DataIn(blk, func() {
		c.left -= int64(n)
		c.off += int64(n)
		if c.left > 0 {
			c.nextBlock(d)
			return
		}
		c.reply = nil
		c.good(d)
	})
}

// requestSense returns fixed-format sense data (SPC-3 section 4.5.3) and
// clears it. Without a pending error it reports the drive's state: a
// pending unit attention, or no medium.
func (c *CDROM) requestSense(d *Device) {
	key, asc, ascq := c.key, c.asc, c.ascq
	switch {
	case key != senseNoSense:
	case c.ua:
		key, asc, c.ua = senseUnitAttention, ascMediumChanged, false
	case !c.Present():
		key, asc = senseNotReady, ascMediumNotPresent
	}
	c.key, c.asc, c.ascq = senseNoSense, 0, 0
	var b [18]byte
	b[0] = 0x70 | 0x80 // current error, fixed format, valid
	b[2] = key
	b[7] = 10 // additional sense length
	b[12], b[13] = asc, ascq
	c.dataIn(d, b[:], int(c.packet[4]))
}

// inquiry returns standard INQUIRY data (SPC-3 section 6.4.2); vital
// product data pages are not offered.
func (c *CDROM) inquiry(d *Device) {
	if c.packet[1]&1 != 0 {
		c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
		return
	}
	var b [36]byte
	b[0] = 0x05   // peripheral device type: CD/DVD
	b[1] = 0x80   // removable medium
	b[2] = 0x00   // no SCSI version claimed, as ATAPI devices report
	b[3] = 0x21   // ATAPI transport, response data format 1
	b[4] = 36 - 5 // additional length
	pad(b[8:16], cdVendor)
	pad(b[16:32], cdProduct)
	pad(b[32:36], Firmware)
	c.dataIn(d, b[:], int(binary.BigEndian.Uint16(c.packet[3:])))
}

// pad copies s into b, filling the rest with spaces.
func pad(b []byte, s string) {
	for i := range b {
		b[i] = ' '
	}
	copy(b, s)
}

// modeSense is MODE SENSE(10) (SPC-3 section 6.10) with the read error
// recovery page and the CD capabilities page (MMC-2 section 5.5.10).
func (c *CDROM) modeSense(d *Device) {
	p := c.packet[:]
	pc, page := p[2]>>6, p[2]&0x3F
	if pc == 3 {
		c.checkCondition(d, senseIllegalRequest, ascSavingNotAllowed, 0)
		return
	}
	var pages []byte
	if page == modePageErrRecovery || page == modePageAll {
		pages = append(pages, modePageErrRecovery, 6, 0x00, 0x05, 0, 0, 0, 0)
	}
	if page == modePageCapability || page == modePageAll {
		caps := []byte{
			modePageCapability, 0x14,
			0x00, 0x00, // reads CD-ROM media only; writes nothing
			0x71,       // audio play, mode 2 form 1 and 2, multisession
			0x00,       //
			0x29,       // tray loading, eject, lock
			0x00,       //
			0x02, 0xC0, // maximum read speed 704 KB/s (4x)
			0x00, 0x02, // volume levels
			0x02, 0x00, // 512 KiB buffer
			0x02, 0xC0, // current read speed
			0, 0, 0, 0, 0, 0,
		}
		if c.locked {
			caps[6] |= 0x02
		}
		pages = append(pages, caps...)
	}
	if pages == nil {
		c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
		return
	}
	if pc == 1 { // changeable values: none
		for i := 0; i < len(pages); i += 2 + int(pages[i+1]) {
			clear(pages[i+2 : i+2+int(pages[i+1])])
		}
	}
	b := make([]byte, 8, 8+len(pages))
	binary.BigEndian.PutUint16(b, uint16(6+len(pages)))
	b[2] = 0x70 // medium type (obsolete in MMC): as QEMU reports
	b = append(b, pages...)
	c.dataIn(d, b, int(binary.BigEndian.Uint16(p[7:])))
}

// getConfiguration is GET CONFIGURATION (MMC-4 section 6.6) with the
// features of a read-only CD-ROM drive.
func (c *CDROM) getConfiguration(d *Device) {
	p := c.packet[:]
	rt, start := p[1]&3, binary.BigEndian.Uint16(p[2:])
	if rt == 3 {
		c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
		return
	}
	// Feature descriptor flags: version 0, persistent (bit 1), current
	// (bit 0).
	const persistent, current = 0x02, 0x01
	present := c.Present()
	profile, media := uint16(0), byte(0)
	if present {
		profile, media = profileCDROM, current
	}
	feats := []struct {
		code  uint16
		flags byte
		data  []byte
	}{
		{featureProfileList, persistent | current, []byte{0x00, profileCDROM, media, 0}},
		{featureCore, persistent | current, []byte{0, 0, 0, 2}},                       // physical interface: ATAPI
		{featureRemovable, persistent | current, []byte{1<<5 | 0x08 | 0x01, 0, 0, 0}}, // tray, eject, lock
		{featureRandomRead, media, []byte{0, 0, 0x08, 0x00, 0, 1, 0, 0}},              // 2048-byte blocks
	}
	b := make([]byte, 8)
	binary.BigEndian.PutUint16(b[6:], profile)
	for _, f := range feats {
		switch {
		case f.code < start:
			continue
		case rt == 1 && f.flags&current == 0:
			continue
		case rt == 2 && f.code != start:
			continue
		}
		b = binary.BigEndian.AppendUint16(b, f.code)
		b = append(b, f.flags, byte(len(f.data)))
		b = append(b, f.data...)
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	c.dataIn(d, b, int(binary.BigEndian.Uint16(p[7:])))
}

// readTOC is READ TOC/PMA/ATIP (MMC-4 section 6.26) formats 0 (TOC) and
// 1 (session information) for a single-track data disc.
func (c *CDROM) readTOC(d *Device) {
	p := c.packet[:]
	msf := p[1]&2 != 0
	format := p[2] & 0x0F
	if format == 0 {
		format = p[9] >> 6 // the ATAPI (SFF-8020) place of the format
	}
	track := p[6]
	alloc := int(binary.BigEndian.Uint16(p[7:]))
	addr := func(b []byte, lba uint32) {
		if !msf {
			binary.BigEndian.PutUint32(b, lba)
			return
		}
		f := lba + 150 // the 2-second pregap
		b[0], b[1], b[2], b[3] = 0, byte(f/(75*60)), byte(f/75%60), byte(f%75)
	}
	var b []byte
	switch format {
	case 0:
		if track > 1 && track != 0xAA {
			c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
			return
		}
		b = []byte{0, 0, 1, 1}
		if track <= 1 {
			desc := []byte{0, 0x14, 1, 0, 0, 0, 0, 0} // data track 1
			addr(desc[4:], 0)
			b = append(b, desc...)
		}
		lead := []byte{0, 0x16, 0xAA, 0, 0, 0, 0, 0} // lead-out
		addr(lead[4:], c.sectors)
		b = append(b, lead...)
	case 1:
		b = []byte{0, 0, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0}
		addr(b[8:], 0)
	default:
		c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
		return
	}
	binary.BigEndian.PutUint16(b, uint16(len(b)-2))
	c.dataIn(d, b, alloc)
}

// startStop is START STOP UNIT (SBC-2 section 5.17): LoEj with Start
// clear opens the tray unless the medium is locked in; with Start set it
// closes it, bringing the medium back.
func (c *CDROM) startStop(d *Device) {
	loej, start := c.packet[4]&2 != 0, c.packet[4]&1 != 0
	switch {
	case !loej:
	case !start:
		if c.locked {
			c.checkCondition(d, senseIllegalRequest, ascRemovalPrevented, 0x02)
			return
		}
		if !c.trayOpen && c.img != nil {
			c.event = mediaEventRemoval
		}
		c.trayOpen = true
	case c.trayOpen:
		c.trayOpen = false
		if c.img != nil {
			c.ua, c.event = true, mediaEventNewMedia
		}
	}
	c.good(d)
}

// eventStatus is GET EVENT STATUS NOTIFICATION (MMC-4 section 6.8),
// polled only, with the media class.
func (c *CDROM) eventStatus(d *Device) {
	p := c.packet[:]
	if p[1]&1 == 0 { // asynchronous notification is not supported
		c.checkCondition(d, senseIllegalRequest, ascInvalidField, 0)
		return
	}
	const mediaClass = 1 << 4
	alloc := int(binary.BigEndian.Uint16(p[7:]))
	if p[4]&mediaClass == 0 {
		// No event available in the classes asked for (NEA).
		c.dataIn(d, []byte{0, 2, 0x80, mediaClass}, alloc)
		return
	}
	var status byte
	if c.trayOpen {
		status |= 1
	}
	if c.Present() {
		status |= 2
	}
	b := []byte{0, 6, 4, mediaClass, c.event, status, 0, 0}
	c.event = mediaEventNone
	c.dataIn(d, b, alloc)
}
