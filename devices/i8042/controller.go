package i8042

import (
	"ringzero/devices/irq"
)

// Where the board maps the controller, and its interrupt lines.
const (
	DataBase    uint16 = 0x60 // DataPort: one port
	CommandBase uint16 = 0x64 // CommandPort: one port
	KeyboardIRQ        = 1    // IRQ1: output buffer full with keyboard data
	MouseIRQ           = 12   // IRQ12: output buffer full with mouse data
)

// Status register, read at port 0x64 (IBM PS/2 Hardware Interface
// Technical Reference, "Keyboard and Auxiliary Device Controller").
const (
	stOBF     = 1 << 0 // output buffer full: port 0x60 has a byte
	stIBF     = 1 << 1 // input buffer full: never set, writes are taken at once
	stSYS     = 1 << 2 // system flag: command byte bit 2
	stCommand = 1 << 3 // last write was to port 0x64 (A2 high)
	stUnlock  = 1 << 4 // keyboard not inhibited by the keylock
	stAuxOBF  = 1 << 5 // the byte in the output buffer is from the mouse
	stTimeout = 1 << 6 // the device did not answer (general timeout)
	stParity  = 1 << 7 // parity error: never set
)

// Command byte, controller RAM byte 0 (read with 20, written with 60).
const (
	cbKbdInt     = 1 << 0 // IRQ1 when the output buffer holds keyboard data
	cbAuxInt     = 1 << 1 // IRQ12 when it holds mouse data
	cbSYS        = 1 << 2 // system flag, shown in status bit 2
	cbOverride   = 1 << 3 // ignore the keylock (stored only)
	cbKbdDisable = 1 << 4 // keyboard clock held low: its data waits
	cbAuxDisable = 1 << 5 // mouse clock held low: its data waits
	cbXlat       = 1 << 6 // translate keyboard set 2 codes to set 1
)

// ResetCommandByte is the command byte after Reset: keyboard interrupt
// and translation on, mouse port disabled, system flag clear (a cold
// boot). Firmware rewrites it during POST.
const ResetCommandByte = cbKbdInt | cbAuxDisable | cbXlat

// Output port, read with D0 and written with D1 (aodfaq "KBC output port",
// after the IBM AT and PS/2 technical references).
const (
	opReset    = 1 << 0 // system reset, active low
	opA20      = 1 << 1 // gate A20
	opAuxData  = 1 << 2
	opAuxClock = 1 << 3
	opKbdIRQ   = 1 << 4 // IRQ1 output
	opAuxIRQ   = 1 << 5 // IRQ12 output
	opKbdClock = 1 << 6
	opKbdData  = 1 << 7
)

// inputPort is what C0 reads: keyboard not inhibited (bit 7), colour
// display (bit 6 clear), no manufacturing jumper (bit 5), 512 KiB on the
// system board (bit 4).
const inputPort = 0xB0

// Controller commands, written to port 0x64.
const (
	ccReadRAM      = 0x20 // 20-3F: RAM byte n&1F to the output buffer
	ccWriteRAM     = 0x60 // 60-7F: next data byte to RAM byte n&1F
	ccPasswordTest = 0xA4 // F1: no password installed
	ccPasswordLoad = 0xA5 // data bytes up to a zero (discarded)
	ccAuxDisable   = 0xA7
	ccAuxEnable    = 0xA8
	ccAuxTest      = 0xA9 // 00: clock and data lines fine
	ccSelfTest     = 0xAA // 55
	ccKbdTest      = 0xAB // 00
	ccKbdDisable   = 0xAD
	ccKbdEnable    = 0xAE
	ccReadInput    = 0xC0
	ccReadOutput   = 0xD0
	ccWriteOutput  = 0xD1
	ccWriteKbdOut  = 0xD2 // next data byte appears as keyboard data
	ccWriteAuxOut  = 0xD3 // next data byte appears as mouse data
	ccWriteAux     = 0xD4 // next data byte goes to the mouse
	ccA20Off       = 0xDD
	ccA20On        = 0xDF
	ccPulse        = 0xF0 // F0-FF: pulse output port bits 0-3 that are 0
)

// Controller replies.
const (
	selfTestOK   = 0x55
	testOK       = 0x00
	noPassword   = 0xF1
	ctlQueueSize = 16
)

// Config wires a Controller to the rest of the board. Every field may be
// left zero.
type Config struct {
	KeyboardLine irq.Line // IRQ1; nil: not connected
	MouseLine    irq.Line // IRQ12; nil: not connected

	// OnReset is called when the guest pulses the reset line: commands
	// F0-FF with bit 0 clear (FE is the usual one) or output port bit 0
	// written as 0. It runs at the end of the port write, so it may reset
	// the whole machine, this controller included.
	OnReset func()

	// OnA20 is called with the new state when output port bit 1 changes
	// (D1, DD, DF) and with the reset state from Reset. The PC's A20 line
	// is the OR of this and port 0x92 bit 1: see A20Gate.
	OnA20 func(on bool)

	// NoMouse leaves the auxiliary port empty: bytes sent with D4 time
	// out (FE with the timeout and aux bits set in the status register).
	NoMouse bool
}

// outByte is a byte bound for the output buffer with its status bits.
type outByte struct {
	b       byte
	aux     bool // status bit 5, and IRQ12 instead of IRQ1
	timeout bool // status bit 6
}

// Controller is an Intel 8042 keyboard controller with a PS/2 keyboard
// and a PS/2 mouse plugged in. It has two one-port ranges, DataPort at
// 0x60 and CommandPort at 0x64, and drives IRQ1 and IRQ12. Host input
// (KeyDown, KeyUp, MouseMove, SetNotify, LEDs) may come from any
// goroutine; everything else belongs to the goroutine that runs the
// machine.
type Controller struct {
	kbdLine, auxLine   irq.Line
	kbdLevel, auxLevel bool // levels last driven on the lines
	onReset            func()
	onA20              func(bool)

	ram     [32]byte // controller RAM; byte 0 is the command byte
	a20     bool     // output port bit 1
	pending byte     // command waiting for a data byte at port 0x60; 0 if none
	lastCmd bool     // status bit 3

	obf bool      // output buffer full
	out outByte   // output buffer (kept after it is read: port 0x60 reads it again)
	ctl []outByte // controller replies, loaded ahead of device data
	xl  translator

	kbd *keyboard
	aux *mouse // nil with Config.NoMouse

	host hostInput

	// Callbacks requested while handling a port access, run at its end.
	a20Changed, resetRequested bool

	data DataPort
	cmd  CommandPort
}

// New returns a controller in its reset state (Reset has been called, so
// cfg.OnA20 has already been told that A20 is on).
func New(cfg Config) *Controller {
	c := &Controller{
		kbdLine: cfg.KeyboardLine,
		auxLine: cfg.MouseLine,
		onReset: cfg.OnReset,
		onA20:   cfg.OnA20,
		kbd:     newKeyboard(),
	}
	if c.kbdLine == nil {
		c.kbdLine = irq.None
	}
	if c.auxLine == nil {
		c.auxLine = irq.None
	}
	if !cfg.NoMouse {
		c.aux = newMouse()
	}
	c.data.c, c.cmd.c = c, c
	c.Reset()
	return c
}

// Reset puts the controller, keyboard and mouse in their power-on state:
// command byte ResetCommandByte, output port with A20 on (the 8042's
// port pins come out of reset high), buffers empty, keyboard scanning in
// set 2, mouse in stream mode with reporting off. Host input already
// queued is kept, and so is the set of keys held. Reset reports the A20
// state to Config.OnA20.
func (c *Controller) Reset() {
	c.ram = [32]byte{}
	c.ram[0] = ResetCommandByte
	c.a20 = true
	c.pending, c.lastCmd = 0, false
	c.obf, c.out, c.ctl = false, outByte{}, nil
	c.xl = translator{}
	c.kbd.reset()
	if c.aux != nil {
		c.aux.reset()
	}
	c.a20Changed, c.resetRequested = false, false
	c.updateIRQ()
	if c.onA20 != nil {
		c.onA20(true)
	}
}

// Data returns the handler for port 0x60 (DataBase): map it over one
// port with bus.Size8. Reads take the output buffer; writes are the data
// byte of a pending controller command or else go to the keyboard.
func (c *Controller) Data() *DataPort { return &c.data }

// Command returns the handler for port 0x64 (CommandBase): map it over
// one port with bus.Size8. Reads return the status register; writes are
// controller commands.
func (c *Controller) Command() *CommandPort { return &c.cmd }

// DataPort is the 8042 data register at port 0x60.
type DataPort struct{ c *Controller }

// ReadPort implements bus.PortHandler. Only offset 0 exists; wider reads
// return the byte with the upper bytes all ones.
func (p *DataPort) ReadPort(off uint16, size int) uint32 {
	if off != 0 {
		return widen(0xFF, size)
	}
	return widen(p.c.readData(), size)
}

// WritePort implements bus.PortHandler; only the low byte is used.
func (p *DataPort) WritePort(off uint16, size int, v uint32) {
	if off == 0 {
		p.c.writeData(byte(v))
		p.c.runCallbacks()
	}
}

// CommandPort is the 8042 status register (read) and command register
// (write) at port 0x64.
type CommandPort struct{ c *Controller }

// ReadPort implements bus.PortHandler.
func (p *CommandPort) ReadPort(off uint16, size int) uint32 {
	if off != 0 {
		return widen(0xFF, size)
	}
	p.c.fill() // let a polling guest see host input
	return widen(p.c.status(), size)
}

// WritePort implements bus.PortHandler; only the low byte is used.
func (p *CommandPort) WritePort(off uint16, size int, v uint32) {
	if off == 0 {
		p.c.writeCommand(byte(v))
		p.c.runCallbacks()
	}
}

// widen returns b in an access of size bytes, the bytes above it all ones
// (nothing else answers there).
func widen(b byte, size int) uint32 {
	if size <= 1 || size > 4 {
		return uint32(b)
	}
	return uint32(b) | (0xFFFFFFFF>>(32-8*size))&^0xFF
}

func (c *Controller) commandByte() byte { return c.ram[0] }

func (c *Controller) status() byte {
	s := byte(stUnlock)
	if c.obf {
		s |= stOBF
		if c.out.aux {
			s |= stAuxOBF
		}
		if c.out.timeout {
			s |= stTimeout
		}
	}
	if c.commandByte()&cbSYS != 0 {
		s |= stSYS
	}
	if c.lastCmd {
		s |= stCommand
	}
	return s
}

// readData takes the byte in the output buffer and lets the next one
// load. With the buffer empty it returns the last byte again and takes
// nothing, as the real register does.
func (c *Controller) readData() byte {
	v := c.out.b
	if c.obf {
		c.obf = false
		c.updateIRQ() // the line drops, so the next byte is a fresh edge
	}
	c.fill()
	return v
}

func (c *Controller) writeData(v byte) {
	c.lastCmd = false
	cmd := c.pending
	c.pending = 0
	switch {
	case cmd >= ccWriteRAM && cmd <= ccWriteRAM+0x1F:
		c.ram[cmd&0x1F] = v
		if cmd == ccWriteRAM {
			c.xl = translator{}
		}
	case cmd == ccWriteOutput:
		c.setA20(v&opA20 != 0)
		if v&opReset == 0 {
			c.resetRequested = true
		}
	case cmd == ccWriteKbdOut:
		c.reply(outByte{b: v})
	case cmd == ccWriteAuxOut:
		c.reply(outByte{b: v, aux: true})
	case cmd == ccWriteAux:
		if c.aux == nil {
			c.reply(outByte{b: replyResend, aux: true, timeout: true})
		} else {
			c.aux.write(v)
		}
	case cmd == ccPasswordLoad:
		if v != 0 {
			c.pending = ccPasswordLoad // the password runs up to a zero byte
		}
	default:
		c.kbd.write(v)
	}
	c.fill()
}

func (c *Controller) writeCommand(v byte) {
	c.lastCmd = true
	c.pending = 0
	switch {
	case v >= ccReadRAM && v <= ccReadRAM+0x1F:
		c.reply(outByte{b: c.ram[v&0x1F]})
	case v >= ccWriteRAM && v <= ccWriteRAM+0x1F,
		v == ccPasswordLoad, v >= ccWriteOutput && v <= ccWriteAux:
		c.pending = v
	case v == ccPasswordTest:
		c.reply(outByte{b: noPassword})
	case v == ccAuxDisable:
		c.ram[0] |= cbAuxDisable
	case v == ccAuxEnable:
		c.ram[0] &^= cbAuxDisable
	case v == ccAuxTest, v == ccKbdTest:
		c.reply(outByte{b: testOK})
	case v == ccSelfTest:
		// Some controllers also disable both ports here; this one only
		// raises the system flag, so firmware that skips re-enabling
		// them still works.
		c.ram[0] |= cbSYS
		c.reply(outByte{b: selfTestOK})
	case v == ccKbdDisable:
		c.ram[0] |= cbKbdDisable
	case v == ccKbdEnable:
		c.ram[0] &^= cbKbdDisable
	case v == ccReadInput:
		c.reply(outByte{b: inputPort})
	case v == ccReadOutput:
		c.reply(outByte{b: c.outputPort()})
	case v == ccA20Off, v == ccA20On:
		c.setA20(v == ccA20On)
	case v >= ccPulse:
		// Bits 0-3 that are 0 are pulsed low for about 6 µs; only the
		// reset line (bit 0) does anything visible.
		if v&opReset == 0 {
			c.resetRequested = true
		}
	}
	c.fill()
}

// outputPort is the value D0 reads: reset high, A20 as set, the clock
// lines low for a disabled port, the data lines idle high, and the two
// interrupt outputs as driven now.
func (c *Controller) outputPort() byte {
	v := byte(opReset | opAuxData | opKbdData)
	if c.a20 {
		v |= opA20
	}
	if c.commandByte()&cbAuxDisable == 0 {
		v |= opAuxClock
	}
	if c.commandByte()&cbKbdDisable == 0 {
		v |= opKbdClock
	}
	if c.kbdLevel {
		v |= opKbdIRQ
	}
	if c.auxLevel {
		v |= opAuxIRQ
	}
	return v
}

func (c *Controller) setA20(on bool) {
	if on != c.a20 {
		c.a20 = on
		c.a20Changed = true
	}
}

// runCallbacks tells the board about A20 and reset requests made by the
// port write just handled. It runs last, so a reset callback that resets
// this controller finds it in a consistent state.
func (c *Controller) runCallbacks() {
	if c.a20Changed {
		c.a20Changed = false
		if c.onA20 != nil {
			c.onA20(c.a20)
		}
	}
	if c.resetRequested {
		c.resetRequested = false
		if c.onReset != nil {
			c.onReset()
		}
	}
}

// reply queues a controller-generated byte; these go ahead of device data.
func (c *Controller) reply(b outByte) {
	if len(c.ctl) < ctlQueueSize {
		c.ctl = append(c.ctl, b)
	}
}

// fill loads the output buffer when it is empty: controller replies
// first, then keyboard data (translated when XLAT is on), then mouse
// data, each device only while its port is enabled in the command byte.
// One byte at a time: the next one loads when the guest reads port 0x60.
func (c *Controller) fill() {
	c.pumpHost()
	for !c.obf {
		if len(c.ctl) > 0 {
			c.load(c.ctl[0])
			c.ctl = c.ctl[1:]
			if len(c.ctl) == 0 {
				c.ctl = nil
			}
			continue
		}
		cb := c.commandByte()
		if cb&cbKbdDisable == 0 {
			if b, ok := c.kbd.pop(); ok {
				if cb&cbXlat != 0 {
					if b, ok = c.xl.feed(b); !ok {
						continue // an F0 prefix, folded into the next byte
					}
				}
				c.load(outByte{b: b})
				continue
			}
		}
		if c.aux != nil && cb&cbAuxDisable == 0 {
			if b, ok := c.aux.pop(); ok {
				c.load(outByte{b: b, aux: true})
				continue
			}
		}
		break
	}
	c.pumpHost() // bytes taken from the devices may have made room
	c.updateIRQ()
}

func (c *Controller) load(b outByte) {
	c.out = b
	c.obf = true
}

// updateIRQ drives IRQ1 and IRQ12 from the output buffer and the
// interrupt enables in the command byte.
func (c *Controller) updateIRQ() {
	cb := c.commandByte()
	kbd := c.obf && !c.out.aux && cb&cbKbdInt != 0
	aux := c.obf && c.out.aux && cb&cbAuxInt != 0
	if kbd != c.kbdLevel {
		c.kbdLevel = kbd
		c.kbdLine.Set(kbd)
	}
	if aux != c.auxLevel {
		c.auxLevel = aux
		c.auxLine.Set(aux)
	}
}
