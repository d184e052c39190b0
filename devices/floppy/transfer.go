package floppy

import (
	"errors"

	"ringzero/devices/disk"
)

// xferOp is the kind of data transfer in execution.
type xferOp uint8

const (
	opNone   xferOp = iota
	opRead          // READ DATA: disk to host
	opWrite         // WRITE DATA: host to disk
	opFormat        // FORMAT TRACK: sector IDs from the host
)

// xfer is the execution phase of a read, write or format command.
type xfer struct {
	op              xferOp
	d               uint8 // drive
	hds             uint8 // physical head (HDS, switched by MT)
	c, h, r, n, eot uint8 // ID of the current sector; last sector number
	mt, mfm         bool  // multi-track; MFM recording
	se              bool  // an implied seek happened: ST0 SE
	buf             [sectorSize]byte
	pos, end        int   // bytes of buf moved so far, and to move
	off             int64 // image offset of the sector in buf
	left            int   // FORMAT: sector IDs still to come
	fill            byte  // FORMAT: data pattern
}

// startRW starts READ DATA or WRITE DATA from the command bytes:
// HDS/DS, C, H, R, N, EOT, GPL, DTL (GPL and DTL do not matter here).
func (c *Controller) startRW(op xferOp) {
	p := &c.cmd
	x := &c.x
	*x = xfer{
		op: op, d: p[1] & 3, hds: p[1] >> 2 & 1,
		c: p[2], h: p[3], r: p[4], n: p[5], eot: p[6],
		mt: p[0]&flagMT != 0, mfm: p[0]&flagMFM != 0,
	}
	c.lastEOT, c.lastFormat = x.eot, false
	dr := &c.drv[x.d]
	if c.eis {
		// Implied seek (CONFIGURE EIS): the head goes to C first.
		dr.cyl, x.se = int(x.c), true
		if dr.img != nil {
			dr.changed = false
		}
	}
	if op == opWrite && dr.img != nil && dr.img.ReadOnly() {
		c.finish(st0Abnormal, st1NW, 0)
		return
	}
	if !c.locate() {
		return
	}
	c.phase = phaseExec
	if op == opRead {
		if !c.load() {
			return
		}
	} else {
		x.pos, x.end = 0, sectorSize
	}
	c.pump()
}

// trackReadable reports whether the head of drive d can read IDs on its
// current cylinder: a medium, MFM, the medium's data rate, an existing
// side and cylinder.
func (c *Controller) trackReadable(d, hds uint8, mfm bool) bool {
	dr := &c.drv[d]
	g := dr.geo
	return dr.img != nil && mfm && g.readable(c.rate) && int(hds) < g.Heads && dr.cyl < g.Cylinders
}

// locate finds the sector x.c/h/r/n on the track under the head and sets
// x.off, or ends the command with the status a real controller reports
// after failing to find it.
func (c *Controller) locate() bool {
	x := &c.x
	dr := &c.drv[x.d]
	if !c.trackReadable(x.d, x.hds, x.mfm) {
		c.finish(st0Abnormal, st1MA, 0)
		return false
	}
	if int(x.c) != dr.cyl {
		var st2 uint8 = st2WC
		if x.c == 0xFF {
			st2 |= st2BC
		}
		c.finish(st0Abnormal, st1ND, st2)
		return false
	}
	g := dr.geo
	if x.h != x.hds || x.n != sectorN || x.r < 1 || int(x.r) > g.Sectors {
		c.finish(st0Abnormal, st1ND, 0)
		return false
	}
	lba := (dr.cyl*g.Heads+int(x.hds))*g.Sectors + int(x.r) - 1
	x.off = int64(lba) * sectorSize
	return true
}

// load reads the located sector into the buffer.
func (c *Controller) load() bool {
	x := &c.x
	dr := &c.drv[x.d]
	if dr.img == nil {
		c.finish(st0Abnormal, st1MA, 0)
		return false
	}
	if _, err := dr.img.ReadAt(x.buf[:], x.off); err != nil {
		c.finish(st0Abnormal, st1DE, st2DD)
		return false
	}
	x.pos, x.end = 0, sectorSize
	return true
}

// pump moves data until the command ends or has to wait: for the DMA
// channel (DREQ held until OnReady), for the DMA gate in DOR, or, in
// non-DMA mode, for the host to service the FIFO.
func (c *Controller) pump() {
	x := &c.x
	for c.phase == phaseExec {
		tc := false
		if x.pos < x.end {
			if c.nonDMA {
				c.pulse()
				return
			}
			if c.dma == nil || c.dor&dorDMAGate == 0 {
				// DRQ is not driven while the gate is closed.
				c.stopDMA()
				c.dmaWaiting = true
				return
			}
			n, t := c.dma.Transfer(x.buf[x.pos:x.end], x.op == opRead)
			x.pos += n
			tc = t
			if x.pos < x.end && !tc {
				c.dmaWaiting = true
				c.dma.SetDREQ(true)
				return
			}
		}
		c.blockDone(tc)
	}
	c.stopDMA()
}

// dmaReady is the DMA channel's OnReady callback.
func (c *Controller) dmaReady() {
	if c.phase == phaseExec && c.dmaWaiting && !c.nonDMA {
		c.pump()
	}
}

// stopDMA drops DREQ.
func (c *Controller) stopDMA() {
	c.dmaWaiting = false
	if c.dma != nil {
		c.dma.SetDREQ(false)
	}
}

// pioRead hands the host the next data byte in non-DMA mode.
func (c *Controller) pioRead() uint8 {
	x := &c.x
	if x.pos >= x.end {
		return 0
	}
	v := x.buf[x.pos]
	x.pos++
	c.pump()
	return v
}

// pioWrite takes the next data byte from the host in non-DMA mode.
func (c *Controller) pioWrite(b uint8) {
	x := &c.x
	if x.pos >= x.end {
		return
	}
	x.buf[x.pos] = b
	x.pos++
	c.pump()
}

// blockDone runs when the buffer has been moved completely or TC ended
// the transfer early: it writes the sector (or the formatted sector),
// then moves on to the next sector or ends the command.
func (c *Controller) blockDone(tc bool) {
	x := &c.x
	dr := &c.drv[x.d]
	if dr.img == nil { // ejected while the transfer waited
		c.finish(st0Abnormal, st1MA, 0)
		return
	}
	switch x.op {
	case opWrite:
		clear(x.buf[x.pos:]) // TC in mid-sector: the rest is zeros
		if _, err := dr.img.WriteAt(x.buf[:], x.off); err != nil {
			var st1 uint8 = st1DE
			if errors.Is(err, disk.ErrReadOnly) {
				st1 = st1NW
			}
			c.finish(st0Abnormal, st1, 0)
			return
		}
	case opFormat:
		if x.pos == x.end && !c.formatSector() {
			c.finish(st0Abnormal, st1DE, 0)
			return
		}
		x.left--
		if tc || x.left <= 0 {
			c.finish(0, 0, 0)
			return
		}
		x.pos, x.end = 0, 4
		return
	}
	dr.nextSec = int(x.r) % dr.geo.Sectors
	endCyl := x.advance()
	switch {
	case tc:
		c.finish(0, 0, 0)
	case endCyl:
		// Reaching the end of the cylinder without TC is how a read
		// without DMA (or with too large a DMA count) ends.
		c.finish(st0Abnormal, st1EN, 0)
	default:
		if !c.locate() {
			return
		}
		if x.op == opRead {
			c.load()
		} else {
			x.pos, x.end = 0, sectorSize
		}
	}
}

// advance steps the ID to the next sector. Past EOT a multi-track
// command goes on with sector 1 of side 1; otherwise the cylinder ends
// (the C, H, R result rules of the datasheet: C+1, R=1, H complemented
// when MT is set).
func (x *xfer) advance() (endOfCylinder bool) {
	if x.r != x.eot {
		x.r++
		return false
	}
	x.r = 1
	if x.mt {
		x.h ^= 1
		if x.hds == 0 {
			x.hds = 1
			return false
		}
	}
	x.c++
	return true
}

// finish ends a read, write, format or READ ID command: result phase with
// ST0, ST1, ST2, C, H, R, N and an interrupt.
func (c *Controller) finish(st0, st1, st2 uint8) {
	x := &c.x
	st0 |= x.hds<<2 | x.d
	if x.se {
		st0 |= st0SE
	}
	c.stopDMA()
	x.op = opNone
	c.result(true, st0, st1, st2, x.c, x.h, x.r, x.n)
}

// cancelTransfer abandons the transfer in execution (reset).
func (c *Controller) cancelTransfer() {
	c.x.op = opNone
	c.stopDMA()
}

// readID reports the ID of the next sector to pass under the head.
func (c *Controller) readID() {
	p := &c.cmd
	x := &c.x
	d, hds := p[1]&3, p[1]>>2&1
	dr := &c.drv[d]
	*x = xfer{d: d, hds: hds, c: uint8(dr.cyl), h: hds}
	if !c.trackReadable(d, hds, p[0]&flagMFM != 0) {
		c.finish(st0Abnormal, st1MA, 0)
		return
	}
	x.r, x.n = uint8(dr.nextSec+1), sectorN
	dr.nextSec = (dr.nextSec + 1) % dr.geo.Sectors
	c.finish(0, 0, 0)
}

// startFormat starts FORMAT TRACK: HDS/DS, N, SC, GPL, D; then SC sector
// IDs (C, H, R, N) arrive as data.
func (c *Controller) startFormat() {
	p := &c.cmd
	x := &c.x
	d, hds := p[1]&3, p[1]>>2&1
	dr := &c.drv[d]
	*x = xfer{op: opFormat, d: d, hds: hds, c: uint8(dr.cyl), h: hds, n: p[2],
		mfm: p[0]&flagMFM != 0, left: int(p[3]), fill: p[5]}
	c.lastSC, c.lastFormat = p[3], true
	switch {
	case dr.img == nil:
		c.finish(st0Abnormal, st1MA, 0)
		return
	case dr.img.ReadOnly():
		c.finish(st0Abnormal, st1NW, 0)
		return
	case !c.trackReadable(d, hds, x.mfm):
		// A track the image cannot hold at this rate or density.
		c.finish(st0Abnormal, st1ND, 0)
		return
	case x.left == 0:
		c.finish(0, 0, 0)
		return
	}
	c.phase = phaseExec
	x.pos, x.end = 0, 4
	c.pump()
}

// formatSector applies the sector ID in the buffer: a sector the image's
// geometry holds at this place is filled with the data pattern; any other
// ID (another size, number or place) cannot be stored and is skipped.
func (c *Controller) formatSector() bool {
	x := &c.x
	dr := &c.drv[x.d]
	x.c, x.h, x.r, x.n = x.buf[0], x.buf[1], x.buf[2], x.buf[3]
	g := dr.geo
	if int(x.c) != dr.cyl || x.h != x.hds || x.n != sectorN || x.r < 1 || int(x.r) > g.Sectors {
		return true
	}
	lba := (dr.cyl*g.Heads+int(x.hds))*g.Sectors + int(x.r) - 1
	for i := range x.buf {
		x.buf[i] = x.fill
	}
	_, err := dr.img.WriteAt(x.buf[:], int64(lba)*sectorSize)
	return err == nil
}
