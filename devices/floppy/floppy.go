package floppy

import (
	"errors"
	"fmt"

	"ringzero/devices/disk"
	"ringzero/devices/irq"
)

// DMA is the controller's DMA channel as the dma package's *dma.Channel
// provides it. The controller raises DREQ while it has data to move. It
// moves the data with Transfer and waits for OnReady while the channel is
// masked.
type DMA interface {
	SetDREQ(on bool)
	Transfer(buf []byte, toMemory bool) (n int, tc bool)
	OnReady(fn func())
}

// phase is where the controller is in the command/execution/result cycle
// (datasheet section 5).
type phase uint8

const (
	phaseCommand phase = iota // waiting for command bytes
	phaseExec                 // moving data
	phaseResult               // result bytes waiting to be read
)

// drive is one floppy drive and the medium in it.
type drive struct {
	img     *disk.Image // nil: no medium
	geo     Geometry    // the medium's format
	cyl     int         // head position, also the controller's PCN
	changed bool        // DSKCHG latch
	nextSec int         // 0-based sector passing under the head next (READ ID)
}

// Controller is an 82077AA floppy disk controller in PC-AT mode. It is not
// safe for concurrent use; the machine's run loop owns it.
type Controller struct {
	line  irq.Line
	dma   DMA
	drv   [Drives]drive
	dor   uint8 // digital output register
	tdr   uint8 // tape drive register (stored)
	rate  uint8 // data rate code, DSR/CCR bits 0-1
	dsr   uint8 // rest of the DSR: precompensation (stored)
	phase phase

	cmd  [9]byte // command bytes received so far
	ncmd int     // how many
	want int     // how many the command takes, opcode included

	res       [10]byte // result bytes
	nres      int      // how many
	rpos      int      // next to read
	resultIRQ bool     // the result phase raised INT; the first read clears it

	intPending bool          // INT as the chip drives it
	level      bool          // level last driven on line
	sense      [Drives]bool  // SENSE INTERRUPT STATUS pending per drive
	senseST0   [Drives]uint8 // its ST0
	busy       uint8         // MSR drive busy bits (seek in progress)
	x          xfer          // the data transfer of the command in execution
	srt, hut   uint8         // SPECIFY step rate and head unload time
	hlt        uint8         // SPECIFY head load time
	nonDMA     bool          // SPECIFY ND: data through the FIFO
	eis        bool          // CONFIGURE: implied seek
	fifoOff    bool          // CONFIGURE EFIFO: 1 = FIFO disabled
	pollOff    bool          // CONFIGURE POLL: 1 = drive polling disabled
	fifoThr    uint8         // CONFIGURE FIFOTHR
	preTrk     uint8         // CONFIGURE PRETRK
	locked     bool          // LOCK: CONFIGURE survives a software reset
	perp       uint8         // PERPENDICULAR MODE D0-D3
	perpGapWG  uint8         // PERPENDICULAR MODE GAP and WGATE bits
	lastEOT    uint8         // EOT of the last read or write (DUMPREG)
	lastFormat bool          // the last such command was FORMAT: DUMPREG shows SC
	lastSC     uint8         // its SC
	dmaWaiting bool          // DREQ raised, waiting for the channel
}

// New returns a controller in its power-on state raising line and moving
// data through ch (nil for a machine without DMA: DMA-mode transfers then
// wait forever, non-DMA mode still works). No drive holds a medium.
func New(line irq.Line, ch DMA) *Controller {
	if line == nil {
		line = irq.None
	}
	c := &Controller{line: line, dma: ch}
	for i := range c.drv {
		c.drv[i].changed = true // DSKCHG is active at power-on
	}
	if ch != nil {
		ch.OnReady(c.dmaReady)
	}
	c.Reset()
	return c
}

// Reset is a hardware reset (the RESET pin): DOR cleared, so the
// controller is held in reset until the guest sets DOR bit 2; data rate
// 250 kbit/s; SPECIFY, CONFIGURE, LOCK and PERPENDICULAR MODE settings
// cleared. Media stay in their drives.
func (c *Controller) Reset() {
	c.locked = false
	c.perp = 0
	c.srt, c.hut, c.hlt, c.nonDMA = 0, 0, 0, false
	c.rate, c.dsr = rateReset, 0
	c.tdr = 0
	c.lastEOT, c.lastSC, c.lastFormat = 0, 0, false
	c.dor = 0
	c.enterReset()
}

// Attach puts the medium img into drive n (0-3), replacing any medium
// there, and sets the drive's disk-change flag. The image size must be a
// known floppy format (GeometryFor); a read-only image is
// write-protected.
func (c *Controller) Attach(n int, img *disk.Image) error {
	if n < 0 || n >= Drives {
		return fmt.Errorf("floppy: no drive %d", n)
	}
	if img == nil {
		return errors.New("floppy: nil image")
	}
	g, err := GeometryFor(img.Size())
	if err != nil {
		return err
	}
	d := &c.drv[n]
	d.img, d.geo, d.changed, d.nextSec = img, g, true, 0
	return nil
}

// Eject removes the medium from drive n and sets its disk-change flag. It
// does not close the image.
func (c *Controller) Eject(n int) {
	if n < 0 || n >= Drives {
		return
	}
	c.drv[n].img = nil
	c.drv[n].changed = true
}

// Geometry reports the format of the medium in drive n, false if it is
// empty (the board uses it to pick the CMOS drive type).
func (c *Controller) Geometry(n int) (Geometry, bool) {
	if n < 0 || n >= Drives || c.drv[n].img == nil {
		return Geometry{}, false
	}
	return c.drv[n].geo, true
}

// inReset reports whether DOR holds the controller in reset.
func (c *Controller) inReset() bool { return c.dor&dorNReset == 0 }

// updateIRQ drives the line: INT reaches the bus only through the DMA
// gate in PC-AT mode (datasheet section 2.1.3) and is low in reset.
func (c *Controller) updateIRQ() {
	lvl := c.intPending && c.dor&dorDMAGate != 0 && !c.inReset()
	if lvl != c.level {
		c.level = lvl
		c.line.Set(lvl)
	}
}

// raise asserts INT.
func (c *Controller) raise() {
	c.intPending = true
	c.updateIRQ()
}

// lower releases INT.
func (c *Controller) lower() {
	c.intPending = false
	c.updateIRQ()
}

// pulse makes a fresh rising edge of INT: in non-DMA mode every byte the
// FIFO offers or takes is a new interrupt, and INT drops as the host
// services the previous one.
func (c *Controller) pulse() {
	c.lower()
	c.raise()
}

// enterReset is the state a reset (DOR bit 2 low or DSR bit 7) leaves
// the controller in (datasheet section 2.2): command phase, no interrupt,
// CONFIGURE defaults unless LOCKed, PERPENDICULAR GAP and WGATE cleared.
func (c *Controller) enterReset() {
	c.cancelTransfer()
	c.phase, c.ncmd, c.nres, c.rpos, c.resultIRQ = phaseCommand, 0, 0, 0, false
	c.sense = [Drives]bool{}
	c.busy = 0
	c.perpGapWG = 0
	if !c.locked {
		c.eis, c.fifoOff, c.pollOff, c.fifoThr, c.preTrk = false, true, false, 0, 0
	}
	c.lower()
}

// leaveReset ends a reset. With drive polling enabled the controller sees
// the ready lines of all four drives change and interrupts; four SENSE
// INTERRUPT STATUS commands then report ST0 = 0xC0 | drive.
func (c *Controller) leaveReset() {
	if c.pollOff {
		return
	}
	for i := range c.sense {
		c.sense[i] = true
		c.senseST0[i] = st0Polling | uint8(i)
	}
	c.raise()
}

// ReadPort reads the register at offset off from Base (offsets 0-5; 7 is
// DIR, also reachable through DIR()).
func (c *Controller) ReadPort(off uint16, size int) uint32 {
	switch off {
	case regSRA, regSRB:
		return 0xFF // PS/2 mode only; not driven in PC-AT mode
	case regDOR:
		return uint32(c.dor)
	case regTDR:
		return uint32(c.tdr & 3)
	case regMSR:
		return uint32(c.msr())
	case regFIFO:
		return uint32(c.readFIFO())
	case regDIR:
		if c.drv[c.dor&dorSelect].changed {
			return dirDiskChange
		}
		return 0
	}
	return 0xFF
}

// WritePort writes the register at offset off from Base.
func (c *Controller) WritePort(off uint16, size int, v uint32) {
	b := uint8(v)
	switch off {
	case regDOR:
		c.writeDOR(b)
	case regTDR:
		c.tdr = b & 3
	case regMSR: // DSR
		c.rate, c.dsr = b&dsrRate, b&^(dsrRate|dsrReset)
		if b&dsrReset != 0 && !c.inReset() {
			c.enterReset()
			c.leaveReset()
		}
	case regFIFO:
		c.writeFIFO(b)
	case regDIR: // CCR
		c.rate = b & dsrRate
	}
}

// writeDOR handles a DOR write: reset edges, the DMA gate and drive
// select. Motor bits are only stored.
func (c *Controller) writeDOR(b uint8) {
	old := c.dor
	c.dor = b
	switch {
	case old&dorNReset != 0 && b&dorNReset == 0:
		c.enterReset()
	case old&dorNReset == 0 && b&dorNReset != 0:
		c.leaveReset()
	}
	c.updateIRQ()
	if c.dmaWaiting && b&dorDMAGate != 0 {
		c.pump()
	}
}

// msr computes the main status register.
func (c *Controller) msr() uint8 {
	if c.inReset() {
		return 0
	}
	switch c.phase {
	case phaseExec:
		if c.nonDMA {
			v := uint8(msrRQM | msrNDMA | msrCB)
			if c.x.op != opWrite && c.x.op != opFormat {
				v |= msrDIO
			}
			return v | c.busy
		}
		return msrCB | c.busy
	case phaseResult:
		return msrRQM | msrDIO | msrCB | c.busy
	}
	if c.ncmd > 0 {
		return msrRQM | msrCB | c.busy
	}
	return msrRQM | c.busy
}

// readFIFO reads the data register: result bytes, or data in non-DMA
// execution. Reads at any other time return 0 and change nothing.
func (c *Controller) readFIFO() uint8 {
	if c.inReset() {
		return 0
	}
	switch c.phase {
	case phaseResult:
		v := c.res[c.rpos]
		c.rpos++
		if c.rpos == 1 && c.resultIRQ {
			c.resultIRQ = false
			c.lower()
		}
		if c.rpos >= c.nres {
			c.phase, c.nres, c.rpos = phaseCommand, 0, 0
		}
		return v
	case phaseExec:
		if c.nonDMA && c.x.op == opRead {
			return c.pioRead()
		}
	}
	return 0
}

// writeFIFO writes the data register: command bytes, or data in non-DMA
// execution. Writes during the result phase are ignored.
func (c *Controller) writeFIFO(b uint8) {
	if c.inReset() {
		return
	}
	switch c.phase {
	case phaseCommand:
		if c.ncmd == 0 {
			n, ok := paramCount(b)
			if !ok {
				c.result(false, st0Invalid)
				return
			}
			c.want = n + 1
		}
		c.cmd[c.ncmd] = b
		c.ncmd++
		if c.ncmd == c.want {
			c.ncmd = 0
			c.execute()
		}
	case phaseExec:
		if c.nonDMA && (c.x.op == opWrite || c.x.op == opFormat) {
			c.pioWrite(b)
		}
	}
}

// result enters the result phase with bytes r, raising INT if irq.
func (c *Controller) result(irq bool, r ...uint8) {
	c.nres = copy(c.res[:], r)
	c.rpos = 0
	c.phase = phaseResult
	c.resultIRQ = irq
	if irq {
		if c.nonDMA {
			c.pulse()
		} else {
			c.raise()
		}
	}
}

// DIR returns the handler for the single port at DIRPort (DIR on read,
// CCR on write).
func (c *Controller) DIR() *DIRPorts { return &DIRPorts{c: c} }

// DIRPorts is the bus.PortHandler of port DIRPort. Map it byte-wide.
type DIRPorts struct{ c *Controller }

// ReadPort reads the digital input register: bit 7 is the disk-change
// flag of the drive DOR selects; bits 0-6 are not driven in PC-AT mode
// and read 0.
func (p *DIRPorts) ReadPort(off uint16, size int) uint32 { return p.c.ReadPort(regDIR, 1) }

// WritePort writes the configuration control register: the data rate.
func (p *DIRPorts) WritePort(off uint16, size int, v uint32) { p.c.WritePort(regDIR, 1, v) }
