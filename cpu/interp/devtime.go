package interp

// Device accesses happen at their exact virtual time. The engine hands
// its retired cycles to the clock at the end of each slice, and also
// just before each access to a device (a port, or memory that is not
// RAM), so the device reads the clock at the access's own cycle (a timer
// count, the local APIC's current count, a UART's transmit progress),
// and timers due by then fire first. After the access the slice is cut
// short at the next timer deadline, which the access may have brought
// closer (a timer programmed for a short count fires on time, not at the
// end of the slice).

// syncClock hands the clock the cycles retired since the last hand-over.
func (c *CPU) syncClock() {
	if c.env.Clock != nil && c.s.Cycles != c.sliceBase {
		d := c.s.Cycles - c.sliceBase
		c.sliceBase = c.s.Cycles
		c.env.Clock.Advance(d)
	}
}

// afterDevice ends the running slice no later than the clock's next
// deadline and has the next boundary look for interrupts and stop
// requests the access (or a timer) raised.
func (c *CPU) afterDevice() {
	c.events = true
	if c.env.Clock != nil {
		if d := c.env.Clock.NextDeadline(); d < c.remaining {
			c.remaining = d
		}
	}
}

// deviceRead reads memory that is not RAM (MMIO, ROM, open bus).
func (c *CPU) deviceRead(a uint32, size int) uint32 {
	c.syncClock()
	v := c.env.Bus.Read(a, size)
	c.afterDevice()
	return v
}

// deviceWrite writes memory that is not RAM.
func (c *CPU) deviceWrite(a uint32, size int, v uint32) {
	c.syncClock()
	c.env.Bus.Write(a, size, v)
	c.afterDevice()
}

// portIn reads an I/O port (after the permission checks).
func (c *CPU) portIn(port uint16, n uint8) uint32 {
	c.syncClock()
	v := c.env.Bus.In(port, int(n))
	c.afterDevice()
	return v
}

// portOut writes an I/O port (after the permission checks).
func (c *CPU) portOut(port uint16, n uint8, v uint32) {
	c.syncClock()
	c.env.Bus.Out(port, int(n), v)
	c.afterDevice()
}
