package i8042

// Mouse commands, sent with controller command D4 (IBM PS/2 Hardware
// Interface Technical Reference, "Pointing Device"; A. Chapweske, "The
// PS/2 Mouse Interface"). Every command is answered with ACK (FA) first.
const (
	auxScaling11  = 0xE6
	auxScaling21  = 0xE7
	auxResolution = 0xE8 // + 0-3: 1, 2, 4 or 8 counts/mm
	auxStatus     = 0xE9 // ACK + 3 status bytes
	auxStreamMode = 0xEA
	auxReadData   = 0xEB // ACK + one packet, in any mode
	auxResetWrap  = 0xEC
	auxWrapMode   = 0xEE // echo every byte but EC and FF
	auxRemoteMode = 0xF0
	auxGetID      = 0xF2 // ACK + device ID
	auxSampleRate = 0xF3 // + samples/s
	auxEnable     = 0xF4 // data reporting on (stream mode)
	auxDisable    = 0xF5
	auxDefaults   = 0xF6
	auxResend     = 0xFE
	auxReset      = 0xFF // ACK, self test, AA, ID
)

// Mouse device IDs: a plain PS/2 mouse, a Microsoft IntelliMouse (wheel,
// entered with sample rates 200, 100, 80) and an IntelliMouse Explorer
// (wheel and buttons 4 and 5, entered from ID 3 with 200, 200, 80).
const (
	idPS2          = 0x00
	idIntelliMouse = 0x03
	idExplorer     = 0x04
)

// Mouse defaults (F6, FF).
const (
	defaultSampleRate = 100
	defaultResolution = 2 // 4 counts/mm
	mousePacketBuffer = 12
)

// Packet byte 0 (IBM PS/2 pointing device data report).
const (
	pktAlways1 = 1 << 3
	pktXSign   = 1 << 4
	pktYSign   = 1 << 5
	pktXOver   = 1 << 6
	pktYOver   = 1 << 7
)

// Status byte 1 (reply to E9). Note the buttons are in another order than
// in packets.
const (
	statRight   = 1 << 0
	statMiddle  = 1 << 1
	statLeft    = 1 << 2
	statScale21 = 1 << 4
	statEnable  = 1 << 5
	statRemote  = 1 << 6
)

// Buttons is the set of mouse buttons held, as passed to
// Controller.MouseMove. The low three bits are laid out as in byte 0 of a
// PS/2 packet.
type Buttons uint8

// The mouse buttons. Button4 and Button5 reach the guest only after it
// has switched the mouse to IntelliMouse Explorer mode (ID 4).
const (
	ButtonLeft Buttons = 1 << iota
	ButtonRight
	ButtonMiddle
	Button4
	Button5
)

// validRates are the sample rates a PS/2 mouse accepts; others get FE.
var validRates = [...]byte{10, 20, 40, 60, 80, 100, 200}

// mouse is a PS/2 mouse with the IntelliMouse extensions, as seen from
// the controller.
type mouse struct {
	replies queue  // ACKs and command answers, sent ahead of packets
	packets queue  // stream-mode packets not yet taken by the controller
	last    []byte // last reply or packet, for Resend (FE)

	param   byte    // command waiting for its parameter byte; 0 if none
	id      byte    // device ID (F2)
	rate    byte    // sample rate (F3), reported by E9 only
	res     byte    // resolution code (E8), reported by E9 only
	scale21 bool    // 2:1 scaling (E7) for stream reports
	enabled bool    // data reporting (F4/F5)
	remote  bool    // remote mode (F0): report only on EB
	wrap    bool    // wrap (echo) mode (EE/EC)
	rates   [3]byte // last three sample rates set, for the ID sequences

	// Movement counters and buttons not yet reported.
	dx, dy, dz int
	buttons    Buttons
	dirty      bool // counters or buttons changed since the last report
}

func newMouse() *mouse {
	m := &mouse{replies: queue{max: 16}, packets: queue{max: mousePacketBuffer}}
	m.reset()
	return m
}

// reset is the mouse's power-on state (the state after FF).
func (m *mouse) reset() {
	m.replies.clear()
	m.defaults()
	m.id = idPS2
	m.wrap = false
	m.param = 0
	m.rates = [3]byte{}
	m.last = nil
}

// defaults is the state set by F6: stream mode, reporting off.
func (m *mouse) defaults() {
	m.rate, m.res = defaultSampleRate, defaultResolution
	m.scale21, m.enabled, m.remote = false, false, false
	m.packets.clear()
	m.clearCounters()
}

func (m *mouse) clearCounters() {
	m.dx, m.dy, m.dz = 0, 0, 0
	m.dirty = false
}

// pop hands the controller the next byte: replies first, then packets.
func (m *mouse) pop() (byte, bool) {
	if b, ok := m.replies.pop(); ok {
		return b, true
	}
	return m.packets.pop()
}

// reply queues one answer and remembers it for Resend.
func (m *mouse) reply(bs ...byte) {
	m.replies.push(bs...)
	m.last = bs
}

// write receives one byte from the controller (command D4).
func (m *mouse) write(b byte) {
	if m.wrap && b != auxReset && b != auxResetWrap {
		m.reply(b)
		return
	}
	if b != auxResend {
		// The host interrupts the mouse to talk to it; whatever stream
		// data was not yet sent is stale once the command is answered.
		m.packets.clear()
	}
	if m.param != 0 && b != auxReset {
		m.parameter(b)
		return
	}
	m.param = 0
	m.command(b)
}

func (m *mouse) command(b byte) {
	switch b {
	case auxScaling11, auxScaling21:
		m.scale21 = b == auxScaling21
		m.reply(replyACK)
	case auxResolution, auxSampleRate:
		m.param = b
		m.reply(replyACK)
	case auxStatus:
		m.reply(replyACK, m.statusByte(), m.res, m.rate)
	case auxStreamMode, auxRemoteMode:
		m.remote = b == auxRemoteMode
		m.clearCounters()
		m.reply(replyACK)
	case auxReadData:
		m.reply(append([]byte{replyACK}, m.packet(false)...)...)
	case auxWrapMode, auxResetWrap:
		m.wrap = b == auxWrapMode
		m.clearCounters()
		m.reply(replyACK)
	case auxGetID:
		m.reply(replyACK, m.id)
	case auxEnable, auxDisable:
		m.enabled = b == auxEnable
		m.clearCounters()
		m.reply(replyACK)
	case auxDefaults:
		m.defaults()
		m.reply(replyACK)
	case auxResend:
		if m.last != nil {
			m.replies.push(m.last...)
		}
	case auxReset:
		m.reset()
		m.reply(replyACK, replyBATOK, m.id)
	default:
		m.reply(replyResend)
	}
}

// parameter handles the byte after F3 or E8. An invalid value is answered
// with FE and the mouse keeps waiting for the parameter.
func (m *mouse) parameter(b byte) {
	switch m.param {
	case auxSampleRate:
		valid := false
		for _, r := range validRates {
			valid = valid || r == b
		}
		if !valid {
			m.reply(replyResend)
			return
		}
		m.rate = b
		m.rates = [3]byte{m.rates[1], m.rates[2], b}
		switch {
		case m.id == idPS2 && m.rates == [3]byte{200, 100, 80}:
			m.id = idIntelliMouse
		case m.id == idIntelliMouse && m.rates == [3]byte{200, 200, 80}:
			m.id = idExplorer
		}
	case auxResolution:
		if b > 3 {
			m.reply(replyResend)
			return
		}
		m.res = b
		m.clearCounters()
	}
	m.param = 0
	m.reply(replyACK)
}

func (m *mouse) statusByte() byte {
	var s byte
	if m.buttons&ButtonLeft != 0 {
		s |= statLeft
	}
	if m.buttons&ButtonRight != 0 {
		s |= statRight
	}
	if m.buttons&ButtonMiddle != 0 {
		s |= statMiddle
	}
	if m.scale21 {
		s |= statScale21
	}
	if m.enabled {
		s |= statEnable
	}
	if m.remote {
		s |= statRemote
	}
	return s
}

// packetLen is 3 for a plain mouse, 4 with a wheel.
func (m *mouse) packetLen() int {
	if m.id == idPS2 {
		return 3
	}
	return 4
}

// packet builds a data report from the counters and clears them. stream
// reports get 2:1 scaling when it is on; EB reports never do.
func (m *mouse) packet(stream bool) []byte {
	dx, dy := m.dx, m.dy
	if stream && m.scale21 {
		dx, dy = scale21(dx), scale21(dy)
	}
	x, xOver := clamp9(dx)
	y, yOver := clamp9(dy)
	b0 := byte(m.buttons&(ButtonLeft|ButtonRight|ButtonMiddle)) | pktAlways1
	if x < 0 {
		b0 |= pktXSign
	}
	if y < 0 {
		b0 |= pktYSign
	}
	if xOver {
		b0 |= pktXOver
	}
	if yOver {
		b0 |= pktYOver
	}
	p := []byte{b0, byte(x), byte(y)}
	// IntelliMouse: byte 3 is the wheel, -8..7 in two's complement.
	// Explorer: its low nibble is the wheel, bits 4 and 5 buttons 4 and 5.
	z := byte(int8(min(max(m.dz, -8), 7)))
	switch m.id {
	case idIntelliMouse:
		p = append(p, z)
	case idExplorer:
		z &= 0x0F
		if m.buttons&Button4 != 0 {
			z |= 1 << 4
		}
		if m.buttons&Button5 != 0 {
			z |= 1 << 5
		}
		p = append(p, z)
	}
	m.clearCounters()
	return p
}

// clamp9 limits a counter to the packet's 9-bit two's complement range and
// reports overflow.
func clamp9(v int) (int, bool) {
	switch {
	case v > 255:
		return 255, true
	case v < -256:
		return -256, true
	}
	return v, false
}

// scale21 applies 2:1 scaling (IBM: 0, 1, 1, 3, 6, 9 for movements of 0-5
// counts, then twice the movement).
func scale21(v int) int {
	neg := v < 0
	if neg {
		v = -v
	}
	switch {
	case v <= 5:
		v = [6]int{0, 1, 1, 3, 6, 9}[v]
	case v < 1<<28:
		v *= 2
	}
	if neg {
		return -v
	}
	return v
}

// maxCounter bounds accumulated movement so huge host deltas cannot
// overflow an int; anything this large reports as overflow anyway.
const maxCounter = 1 << 20

// move applies one host event. It returns false, applying nothing, when
// the event changes the buttons while an earlier change has not been
// reported and there is no room to report it: a click is never merged
// away. Plain movement always merges into the counters.
func (m *mouse) move(dx, dy, dz int, b Buttons) bool {
	if m.dirty && b != m.buttons && !m.flush() {
		return false
	}
	m.dx = min(max(m.dx+min(max(dx, -maxCounter), maxCounter), -maxCounter), maxCounter)
	m.dy = min(max(m.dy+min(max(dy, -maxCounter), maxCounter), -maxCounter), maxCounter)
	m.dz = min(max(m.dz+min(max(dz, -maxCounter), maxCounter), -maxCounter), maxCounter)
	if b != m.buttons || dx != 0 || dy != 0 || dz != 0 {
		m.dirty = true
	}
	m.buttons = b
	m.flush()
	return true
}

// flush sends unreported movement as a stream packet. It returns false
// only when a packet is due and the packet buffer is full. With
// reporting off, or in remote or wrap mode, nothing is sent and the
// counters keep accumulating for Read Data (EB).
func (m *mouse) flush() bool {
	if !m.dirty || !m.enabled || m.remote || m.wrap {
		return true
	}
	if m.packets.room() < m.packetLen() {
		return false
	}
	p := m.packet(true)
	m.packets.push(p...)
	m.last = p
	return true
}
