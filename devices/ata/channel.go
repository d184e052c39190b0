package ata

import (
	"fmt"

	"ringzero/devices/irq"
)

// Channel is one ATA channel: the command and control blocks, two device
// positions and the IRQ line. It is not safe for concurrent use; the
// machine's run loop owns it.
type Channel struct {
	line  irq.Line
	dev   [2]Device
	ctl   uint8 // device control register
	sel   int   // device selected by the DEV bit
	level bool  // level driven on line
}

// NewChannel returns an empty channel raising line.
func NewChannel(line irq.Line) *Channel {
	if line == nil {
		line = irq.None
	}
	c := &Channel{line: line}
	for i := range c.dev {
		c.dev[i] = Device{ch: c, pos: i}
	}
	return c
}

// Attach puts drive at position pos (0 master, 1 slave), in its power-on
// state; a nil drive empties the position.
func (c *Channel) Attach(pos int, drive Drive) error {
	if pos != 0 && pos != 1 {
		return fmt.Errorf("ata: no device position %d", pos)
	}
	d := &c.dev[pos]
	d.drive = drive
	d.stopData()
	d.intrq = false
	if drive != nil {
		drive.Reset(d, true)
		d.err = diagPassed
	}
	c.update()
	return nil
}

// Reset is a hardware reset (RESET- on the cable): device control
// cleared, every device in its power-on state with its signature, device
// 0 selected, no interrupt.
func (c *Channel) Reset() {
	c.ctl = 0
	c.resetDevices(true)
}

// resetDevices runs the reset of both devices (hard, SRST or EXECUTE
// DEVICE DIAGNOSTIC): signatures, diagnostic code, device 0 selected.
func (c *Channel) resetDevices(hard bool) {
	for i := range c.dev {
		d := &c.dev[i]
		d.stopData()
		d.intrq = false
		if d.drive != nil {
			d.drive.Reset(d, hard)
			d.err = diagPassed
		}
	}
	c.sel = 0
	c.update()
}

// present reports whether any device is attached.
func (c *Channel) present() bool { return c.dev[0].drive != nil || c.dev[1].drive != nil }

// selected is the device the DEV bit selects.
func (c *Channel) selected() *Device { return &c.dev[c.sel] }

// update drives the IRQ line: INTRQ of the selected device unless nIEN
// is set (the device then releases the line).
func (c *Channel) update() {
	d := c.selected()
	lvl := d.drive != nil && d.intrq && c.ctl&ctlNIEN == 0
	if lvl != c.level {
		c.level = lvl
		c.line.Set(lvl)
	}
}

// ReadPort reads the command block at offset off: the data register
// (1, 2 or 4 bytes) or byte registers, a wider access reading successive
// registers as the ISA bus does.
func (c *Channel) ReadPort(off uint16, size int) uint32 {
	if !c.present() {
		return 0xFFFFFFFF >> (32 - 8*size)
	}
	if off == regData {
		d := c.selected()
		if d.drive == nil || c.ctl&ctlSRST != 0 {
			return 0
		}
		return d.readData(size)
	}
	var v uint32
	for i := 0; i < size && int(off)+i < CmdSize; i++ {
		v |= uint32(c.readReg(int(off)+i)) << (8 * i)
	}
	return v
}

// readReg reads byte register reg (1-7) of the selected device.
func (c *Channel) readReg(reg int) uint8 {
	d := c.selected()
	if d.drive == nil {
		return 0 // absent slave
	}
	switch reg {
	case regError:
		return d.err
	case regStatus:
		d.intrq = false
		c.update()
		return d.status
	}
	return d.regs.read(reg, c.ctl&ctlHOB != 0)
}

// WritePort writes the command block at offset off.
func (c *Channel) WritePort(off uint16, size int, v uint32) {
	if c.ctl&ctlSRST != 0 {
		return // the devices are in reset and BSY
	}
	if off == regData {
		if d := c.selected(); d.drive != nil {
			d.writeData(size, v)
		}
		return
	}
	for i := 0; i < size && int(off)+i < CmdSize; i++ {
		c.writeReg(int(off)+i, uint8(v>>(8*i)))
	}
}

// writeReg writes byte register reg (1-7). Taskfile writes reach both
// devices and clear HOB (ATA/ATAPI-6 section 7.8).
func (c *Channel) writeReg(reg int, v uint8) {
	c.ctl &^= ctlHOB
	if reg != regStatus {
		for i := range c.dev {
			c.dev[i].regs.write(reg, v)
		}
		if reg == regDevice {
			c.sel = int(v>>4) & 1
			c.update()
		}
		return
	}
	if v == cmdExecuteDiagnostic {
		c.executeDiagnostic()
		return
	}
	d := c.selected()
	if d.drive == nil {
		return // nobody there to take the command
	}
	// A new command abandons any transfer in progress and clears the
	// pending interrupt.
	d.stopData()
	d.intrq = false
	d.status = d.status&^(StatusERR|StatusDF) | StatusBSY
	c.update()
	d.drive.Execute(d, v)
	if d.status&StatusBSY != 0 {
		// A drive that forgot to finish: do not leave the guest spinning.
		d.Fail(ErrABRT)
	}
}

// executeDiagnostic runs EXECUTE DEVICE DIAGNOSTIC on both devices
// whichever is selected: signatures, diagnostic code, device 0 selected,
// and an interrupt from device 0 (ATA/ATAPI-6 section 8.11).
func (c *Channel) executeDiagnostic() {
	c.resetDevices(false)
	for i := range c.dev {
		if c.dev[i].drive != nil {
			c.dev[i].intrq = true
			break // device 0 interrupts; device 1 alone does if it is alone
		}
	}
	c.update()
}

// writeControl writes the device control register. SRST set puts both
// devices in reset (BSY); SRST cleared completes the reset with their
// signatures and no interrupt.
func (c *Channel) writeControl(v uint8) {
	old := c.ctl
	c.ctl = v
	switch {
	case old&ctlSRST == 0 && v&ctlSRST != 0:
		for i := range c.dev {
			d := &c.dev[i]
			d.stopData()
			d.intrq = false
			if d.drive != nil {
				d.status = StatusBSY
			}
		}
	case old&ctlSRST != 0 && v&ctlSRST == 0:
		c.resetDevices(false)
	}
	c.update()
}

// Control returns the handler for the control block port.
func (c *Channel) Control() *ControlPort { return &ControlPort{c: c} }

// ControlPort is the bus.PortHandler of a channel's control block: the
// alternate status register on read, device control on write. Map it
// byte-wide.
type ControlPort struct{ c *Channel }

// ReadPort reads the alternate status: the status of the selected device
// without clearing its interrupt.
func (p *ControlPort) ReadPort(off uint16, size int) uint32 {
	c := p.c
	if !c.present() {
		return 0xFF
	}
	d := c.selected()
	if d.drive == nil {
		return 0
	}
	return uint32(d.status)
}

// WritePort writes the device control register.
func (p *ControlPort) WritePort(off uint16, size int, v uint32) {
	p.c.writeControl(uint8(v))
}
