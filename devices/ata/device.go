package ata

// Drive is what sits at a device position of a Channel: the hard disk
// (Disk) or, later, a packet device such as an ATAPI CD-ROM. The channel
// owns the registers and the PIO data path; the drive decides what
// commands do, through the helpers of the Device it is handed.
type Drive interface {
	// Reset puts the device in its post-reset state: its signature in
	// the taskfile (d.Regs) and its status (d.SetStatus). hard is a
	// power-on or hardware reset, where settings return to their
	// defaults. A software reset (SRST) or EXECUTE DEVICE DIAGNOSTIC
	// keeps them. The channel sets the diagnostic code in the error
	// register afterwards.
	Reset(d *Device, hard bool)
	// Execute runs command cmd, just written to the command register,
	// with its parameters in d.Regs. It must leave the device either
	// finished (Complete or Fail) or transferring data (DataIn or
	// DataOut), whose callbacks continue the command.
	Execute(d *Device, cmd uint8)
}

// Regs is the taskfile as one device holds it. Each of the feature,
// count and LBA registers keeps the last two bytes the host wrote: the
// last in the plain field and the one before in the HOB field, which
// 48-bit commands use as bits 8-15 of the count and 24-47 of the LBA.
type Regs struct {
	Feature, Count, LBALow, LBAMid, LBAHigh                uint8
	HOBFeature, HOBCount, HOBLBALow, HOBLBAMid, HOBLBAHigh uint8
	Device                                                 uint8
}

// LBAMode reports whether the device register selects LBA addressing.
func (r *Regs) LBAMode() bool { return r.Device&devLBA != 0 }

// LBA28 is the 28-bit LBA of a 28-bit command.
func (r *Regs) LBA28() uint64 {
	return uint64(r.Device&0x0F)<<24 | uint64(r.LBAHigh)<<16 | uint64(r.LBAMid)<<8 | uint64(r.LBALow)
}

// LBA48 is the 48-bit LBA of a 48-bit command.
func (r *Regs) LBA48() uint64 {
	return uint64(r.HOBLBAHigh)<<40 | uint64(r.HOBLBAMid)<<32 | uint64(r.HOBLBALow)<<24 |
		uint64(r.LBAHigh)<<16 | uint64(r.LBAMid)<<8 | uint64(r.LBALow)
}

// Sectors28 is the sector count of a 28-bit command: 0 means 256.
func (r *Regs) Sectors28() int {
	if r.Count == 0 {
		return 256
	}
	return int(r.Count)
}

// Sectors48 is the sector count of a 48-bit command: 0 means 65536.
func (r *Regs) Sectors48() int {
	n := int(r.HOBCount)<<8 | int(r.Count)
	if n == 0 {
		return 65536
	}
	return n
}

// CHS is the cylinder, head and sector of a CHS-addressed command.
func (r *Regs) CHS() (c, h, s int) {
	return int(r.LBAHigh)<<8 | int(r.LBAMid), int(r.Device & 0x0F), int(r.LBALow)
}

// write stores a host write to taskfile register reg (1-6), shifting the
// previous byte into the HOB half.
func (r *Regs) write(reg int, v uint8) {
	switch reg {
	case regError:
		r.HOBFeature, r.Feature = r.Feature, v
	case regCount:
		r.HOBCount, r.Count = r.Count, v
	case regLBALow:
		r.HOBLBALow, r.LBALow = r.LBALow, v
	case regLBAMid:
		r.HOBLBAMid, r.LBAMid = r.LBAMid, v
	case regLBAHigh:
		r.HOBLBAHigh, r.LBAHigh = r.LBAHigh, v
	case regDevice:
		r.Device = v
	}
}

// read returns taskfile register reg (2-6), the HOB half if hob.
func (r *Regs) read(reg int, hob bool) uint8 {
	switch reg {
	case regCount:
		if hob {
			return r.HOBCount
		}
		return r.Count
	case regLBALow:
		if hob {
			return r.HOBLBALow
		}
		return r.LBALow
	case regLBAMid:
		if hob {
			return r.HOBLBAMid
		}
		return r.LBAMid
	case regLBAHigh:
		if hob {
			return r.HOBLBAHigh
		}
		return r.LBAHigh
	case regDevice:
		return r.Device
	}
	return 0
}

// Device is one device position of a channel as its Drive sees it: the
// taskfile, status and error registers, the INTRQ output and the PIO
// data path.
type Device struct {
	ch     *Channel
	pos    int   // 0 master, 1 slave
	drive  Drive // nil: no device here
	regs   Regs
	status uint8
	err    uint8
	intrq  bool // INTRQ pending

	buf     []byte // PIO data block in flight
	bufPos  int    // bytes of buf moved
	dataOut bool   // buf is host-to-device
	done    func() // continues the command when buf has been moved
}

// Position is 0 for the master (device 0) and 1 for the slave.
func (d *Device) Position() int { return d.pos }

// Regs is the device's taskfile; a drive reads command parameters from it
// and stores outputs (addresses, signatures) in it.
func (d *Device) Regs() *Regs { return &d.regs }

// Status is the status register.
func (d *Device) Status() uint8 { return d.status }

// SetStatus sets the status register.
func (d *Device) SetStatus(s uint8) { d.status = s }

// SetError sets the error register.
func (d *Device) SetError(e uint8) { d.err = e }

// Interrupt asserts INTRQ. The channel drives its line from it while the
// device is selected and nIEN is clear; reading status clears it.
func (d *Device) Interrupt() {
	d.intrq = true
	d.ch.update()
}

// DataIn offers buf to the host through the data register (PIO data-in):
// DRQ is set and INTRQ raised. When the host has read all of buf, DRQ
// clears and done runs; it may offer the next block, or finish the
// command (Complete(false): no interrupt after the last block). The
// device must not touch buf until then.
func (d *Device) DataIn(buf []byte, done func()) {
	d.startData(buf, false, done)
	d.Interrupt()
}

// DataOut asks the host to write len(buf) bytes (PIO data-out): DRQ is
// set and, if interrupt, INTRQ raised (not for a command's first block;
// for each one after). When buf is full, DRQ clears and done runs.
func (d *Device) DataOut(buf []byte, interrupt bool, done func()) {
	d.startData(buf, true, done)
	if interrupt {
		d.Interrupt()
	}
}

func (d *Device) startData(buf []byte, out bool, done func()) {
	d.buf, d.bufPos, d.dataOut, d.done = buf, 0, out, done
	d.status = d.status&^(StatusBSY|StatusERR|StatusDF) | StatusDRQ
	if len(buf) == 0 { // nothing to move: continue at once
		d.endData()
	}
}

// Complete ends a command without error: status DRDY|DSC, and INTRQ if
// interrupt (a non-data or data-out command; not after data-in).
func (d *Device) Complete(interrupt bool) {
	d.stopData()
	d.status = StatusDRDY | StatusDSC
	d.err = 0
	if interrupt {
		d.Interrupt()
	}
}

// Fail ends a command with an error: status DRDY|DSC|ERR, the error
// register set to errBits (ErrABRT, ErrIDNF, ErrUNC...), and INTRQ.
func (d *Device) Fail(errBits uint8) {
	d.stopData()
	d.status = StatusDRDY | StatusDSC | StatusERR
	d.err = errBits
	d.Interrupt()
}

// stopData abandons any PIO transfer.
func (d *Device) stopData() {
	d.buf, d.bufPos, d.done = nil, 0, nil
	d.status &^= StatusDRQ
}

// endData finishes the block in flight and continues the command.
func (d *Device) endData() {
	done := d.done
	d.stopData()
	if done != nil {
		done()
	}
}

// readData moves up to size bytes of a data-in block to the host.
func (d *Device) readData(size int) uint32 {
	if d.buf == nil || d.dataOut {
		return 0
	}
	var v uint32
	for i := 0; i < size && d.bufPos < len(d.buf); i++ {
		v |= uint32(d.buf[d.bufPos]) << (8 * i)
		d.bufPos++
	}
	if d.bufPos >= len(d.buf) {
		d.endData()
	}
	return v
}

// writeData moves up to size bytes of a data-out block from the host.
func (d *Device) writeData(size int, v uint32) {
	if d.buf == nil || !d.dataOut {
		return
	}
	for i := 0; i < size && d.bufPos < len(d.buf); i++ {
		d.buf[d.bufPos] = byte(v >> (8 * i))
		d.bufPos++
	}
	if d.bufPos >= len(d.buf) {
		d.endData()
	}
}
