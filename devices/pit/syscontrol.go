package pit

// Port 0x61 bits (IBM PC/AT Technical Reference, "System Timers" and
// "I/O Address Map"; PIIX3 datasheet, NMI Status and Control register).
const (
	sysGate2    = 1 << 0 // R/W: GATE of counter 2
	sysSpeaker  = 1 << 1 // R/W: speaker data enable (AND with OUT2)
	sysWritable = 0x0F   // bits 3-2 (parity and channel check enables) are stored
	sysRefresh  = 1 << 4 // RO: refresh request toggle
	sysOut2     = 1 << 5 // RO: OUT of counter 2
)

// SystemControl is the timer half of the AT's system control port 0x61:
//
//	bit 0  R/W  counter 2 GATE
//	bit 1  R/W  speaker data enable
//	bit 2  R/W  parity check enable (stored only)
//	bit 3  R/W  channel check enable (stored only)
//	bit 4  RO   refresh toggle, flips every 15.09 µs of virtual time
//	bit 5  RO   counter 2 OUT
//	bit 6  RO   channel check (IOCHK) status, always 0
//	bit 7  RO   parity error status, always 0
//
// It implements bus.PortHandler for the one port at SystemControlPort.
type SystemControl struct{ t *Timer }

// ReadPort reads port 0x61.
func (s *SystemControl) ReadPort(off uint16, size int) uint32 {
	if off != 0 {
		return 0xFF
	}
	t := s.t
	k := t.now()
	v := t.portB
	if (k/refreshTicks)&1 != 0 {
		v |= sysRefresh
	}
	c := &t.ctr[2]
	c.normalize(k)
	if _, out := c.eval(k); out {
		v |= sysOut2
	}
	return uint32(v)
}

// WritePort writes port 0x61: bits 3-0 are stored, bit 0 drives counter
// 2's GATE, the read-only bits are ignored.
func (s *SystemControl) WritePort(off uint16, size int, v uint32) {
	if off != 0 {
		return
	}
	t := s.t
	t.portB = uint8(v) & sysWritable
	t.ctr[2].setGate(v&sysGate2 != 0, t.now())
}
