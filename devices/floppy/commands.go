package floppy

// paramCount returns the number of parameter bytes that follow opcode b,
// false for an opcode this controller rejects (datasheet Table 5-1; the
// flag bits a command does not define must be 0).
func paramCount(b uint8) (int, bool) {
	switch {
	case b&0x1F == cmdReadData:
		return 8, true
	case b&0x3F == cmdWriteData:
		return 8, true
	case b&^flagMFM == cmdReadID:
		return 1, true
	case b&^flagMFM == cmdFormat:
		return 5, true
	}
	switch b {
	case cmdSpecify, cmdSeek:
		return 2, true
	case cmdSenseDrive, cmdRecalibrate, cmdPerpendicular:
		return 1, true
	case cmdSenseInt, cmdDumpreg, cmdVersion, cmdLock, cmdLock | lockBit:
		return 0, true
	case cmdConfigure:
		return 3, true
	}
	return 0, false
}

// execute runs the command in c.cmd, all of its bytes received.
func (c *Controller) execute() {
	p := c.cmd[:]
	switch op := p[0]; {
	case op&0x1F == cmdReadData:
		c.startRW(opRead)
	case op&0x3F == cmdWriteData:
		c.startRW(opWrite)
	case op&^flagMFM == cmdReadID:
		c.readID()
	case op&^flagMFM == cmdFormat:
		c.startFormat()
	case op == cmdSpecify:
		c.srt, c.hut = p[1]>>4, p[1]&0x0F
		c.hlt, c.nonDMA = p[2]>>1, p[2]&1 != 0
	case op == cmdSenseDrive:
		c.senseDrive(p[1])
	case op == cmdRecalibrate:
		c.seek(p[1]&3, 0, 0)
	case op == cmdSeek:
		c.seek(p[1]&3, p[1]>>2&1, p[2])
	case op == cmdSenseInt:
		c.senseInterrupt()
	case op == cmdDumpreg:
		c.dumpreg()
	case op == cmdVersion:
		c.result(false, versionID)
	case op == cmdPerpendicular:
		// OW=1 lets the command change D0-D3; GAP and WGATE always load.
		if p[1]&0x80 != 0 {
			c.perp = p[1] >> 2 & 0x0F
		}
		c.perpGapWG = p[1] & 3
	case op == cmdConfigure:
		c.eis = p[2]&0x40 != 0
		c.fifoOff = p[2]&0x20 != 0
		c.pollOff = p[2]&0x10 != 0
		c.fifoThr = p[2] & 0x0F
		c.preTrk = p[3]
	case op&^lockBit == cmdLock:
		c.locked = op&lockBit != 0
		var r uint8
		if c.locked {
			r = 0x10
		}
		c.result(false, r)
	}
}

// seek moves drive d's head to cylinder cyl and queues the interrupt that
// SENSE INTERRUPT STATUS reports; RECALIBRATE is a seek to 0. The drive
// is busy in MSR until then. With a medium in the drive the step clears
// the disk-change flag.
func (c *Controller) seek(d, head, cyl uint8) {
	dr := &c.drv[d]
	dr.cyl = int(cyl)
	if dr.img != nil {
		dr.changed = false
	}
	c.sense[d] = true
	c.senseST0[d] = st0SE | head<<2 | d
	c.busy |= 1 << d
	c.raise()
}

// senseInterrupt reports the oldest unsensed seek or reset interrupt
// (lowest drive first) and clears INT. With nothing to report it is an
// invalid command: one byte, 0x80.
func (c *Controller) senseInterrupt() {
	for d := range c.sense {
		if c.sense[d] {
			c.sense[d] = false
			c.busy &^= 1 << d
			c.lower()
			c.result(false, c.senseST0[d], uint8(c.drv[d].cyl))
			return
		}
	}
	c.result(false, st0Invalid)
}

// senseDrive returns ST3 for the drive and head in b. A drive without a
// medium reads as write-protected, as an empty drive's sensor does.
func (c *Controller) senseDrive(b uint8) {
	d := b & 3
	dr := &c.drv[d]
	st3 := st3RDY | st3TS | b&st3Head | d
	if dr.img == nil || dr.img.ReadOnly() {
		st3 |= st3WP
	}
	if dr.cyl == 0 {
		st3 |= st3T0
	}
	c.result(false, st3)
}

// dumpreg returns the ten internal registers (datasheet Table 5-1).
func (c *Controller) dumpreg() {
	var r [10]uint8
	for d := range c.drv {
		r[d] = uint8(c.drv[d].cyl)
	}
	r[4] = c.srt<<4 | c.hut
	r[5] = c.hlt << 1
	if c.nonDMA {
		r[5] |= 1
	}
	r[6] = c.lastEOT
	if c.lastFormat {
		r[6] = c.lastSC
	}
	r[7] = c.perp<<2 | c.perpGapWG
	if c.locked {
		r[7] |= 0x80
	}
	r[8] = c.fifoThr
	if c.eis {
		r[8] |= 0x40
	}
	if c.fifoOff {
		r[8] |= 0x20
	}
	if c.pollOff {
		r[8] |= 0x10
	}
	r[9] = c.preTrk
	c.result(false, r[:]...)
}
