package pci

import (
	"fmt"

	"ringzero/devices/bus"
	"ringzero/devices/irq"
)

// Where the board maps the host: configuration mechanism #1 is
// CONFIG_ADDRESS at 0xCF8 (32-bit accesses only) and CONFIG_DATA at
// 0xCFC-0xCFF. The Host serves the whole range 0xCF8-0xCFF, because the
// PIIX's reset control register sits inside it at 0xCF9 and the bus
// allows no overlap: byte accesses to 0xCF9 go to Host.ResetControl.
const (
	Base = 0xCF8 // first port of the range
	Size = 8     // ports 0xCF8-0xCFF
)

// NumSlots and NumFunctions bound bus 0's device and function numbers.
const (
	NumSlots     = 32
	NumFunctions = 8
)

// configEnable is CONFIG_ADDRESS bit 31: the data port runs
// configuration cycles only while it is set. Bits 30-24 and 1-0 are
// reserved and read 0.
const (
	configEnable   = 1 << 31
	configAddrMask = 0x80FFFFFC
)

// Device is one PCI function. The Host reads and writes its configuration
// space through the masks, then tells it what changed.
type Device interface {
	// PCIConfig returns the function's configuration space.
	PCIConfig() *Config
	// ConfigWritten is called after the host wrote size bytes at off
	// (masks applied), so the device can act on its own registers.
	ConfigWritten(off uint8, size int)
	// ConfigReset is called by Host.Reset after the configuration space
	// has returned to its power-on values, so the device can undo what
	// its registers had set up (the i440FX reports its PAM segments
	// back to ROM, for instance).
	ConfigReset()
}

// BARChange tells the board that a BAR of a function decodes somewhere
// else now: the guest moved it, enabled or disabled its address space in
// the command register, or the machine was reset. The board unmaps Old
// (if mapped) and maps New (if mapped).
type BARChange struct {
	Device   Device
	Slot, Fn int
	BAR      int // 0-5, or ROMBAR
	Old, New Region
}

// Function is an attached function and where it sits.
type Function struct {
	Slot, Fn int
	Device   Device
}

// Host is the host side of PCI bus 0: configuration mechanism #1, the
// functions of bus 0 and the four PIRQ lines their INTx pins reach. It is
// not safe for concurrent use; the machine's run loop owns it.
type Host struct {
	// OnBAR, if not nil, is told of every change of where a BAR decodes.
	OnBAR func(BARChange)
	// ResetControl, if not nil, receives byte accesses to port 0xCF9
	// (at offset 0): the PIIX's reset control register.
	ResetControl bus.PortHandler

	addr    uint32 // CONFIG_ADDRESS
	fns     [NumSlots][NumFunctions]Device
	regions [NumSlots][NumFunctions][NumBARs + 1]Region // last reported
	pirq    [4]irq.Line
	pirqN   [4]int  // functions asserting each PIRQ
	pirqLvl [4]bool // level driven on each PIRQ line
}

// NewHost returns a host with no functions and its PIRQ lines unconnected.
func NewHost() *Host {
	h := &Host{}
	for i := range h.pirq {
		h.pirq[i] = irq.None
	}
	return h
}

// Attach puts d at slot and function fn of bus 0. Its configuration space
// as it stands becomes its power-on state.
func (h *Host) Attach(slot, fn int, d Device) error {
	if slot < 0 || slot >= NumSlots || fn < 0 || fn >= NumFunctions {
		return fmt.Errorf("pci: no slot %d function %d", slot, fn)
	}
	if h.fns[slot][fn] != nil {
		return fmt.Errorf("pci: slot %d function %d is taken", slot, fn)
	}
	c := d.PCIConfig()
	if c.host != nil {
		return fmt.Errorf("pci: device already attached at %02x.%d", c.slot, c.fn)
	}
	c.host, c.slot, c.fn = h, slot, fn
	c.save()
	h.fns[slot][fn] = d
	h.update(slot, fn)
	return nil
}

// Functions lists the attached functions in slot and function order.
func (h *Host) Functions() []Function {
	var list []Function
	for s := range h.fns {
		for f, d := range h.fns[s] {
			if d != nil {
				list = append(list, Function{Slot: s, Fn: f, Device: d})
			}
		}
	}
	return list
}

// SetPIRQ connects PIRQ n (0-3 for PIRQA#-PIRQD#) to l, normally the
// router's input (piix.ISA.PIRQ). A function's INTx pin p (1-4) in slot
// s reaches PIRQ (s + p - 2) mod 4, the i440FX board's swizzle that
// SeaBIOS and QEMU assume.
func (h *Host) SetPIRQ(n int, l irq.Line) {
	if n < 0 || n >= len(h.pirq) {
		return
	}
	if l == nil {
		l = irq.None
	}
	h.pirq[n] = l
	l.Set(h.pirqLvl[n])
}

// PIRQOf returns the PIRQ (0-3) that pin (1-4) of a function in slot
// reaches, or -1 for pin 0 (none).
func PIRQOf(slot int, pin uint8) int {
	if pin < 1 || pin > 4 {
		return -1
	}
	return (slot + int(pin) - 2) & 3
}

// intx records a function's INTx level and drives its PIRQ line, which
// is high while any function on it asserts (wired-OR).
func (h *Host) intx(c *Config, level bool) {
	n := PIRQOf(c.slot, c.Byte(RegIntPin))
	if n < 0 {
		return
	}
	if level {
		h.pirqN[n]++
	} else if h.pirqN[n] > 0 {
		h.pirqN[n]--
	}
	if lvl := h.pirqN[n] > 0; lvl != h.pirqLvl[n] {
		h.pirqLvl[n] = lvl
		h.pirq[n].Set(lvl)
	}
}

// Reset returns every function's configuration space to its power-on
// values, lets each device undo its effects, and reports the BARs that
// stop decoding. CONFIG_ADDRESS clears.
func (h *Host) Reset() {
	h.addr = 0
	for s := range h.fns {
		for f, d := range h.fns[s] {
			if d == nil {
				continue
			}
			d.PCIConfig().restore()
			d.ConfigReset()
			h.update(s, f)
		}
	}
}

// ReadPort reads CONFIG_ADDRESS (a 32-bit access at offset 0), the reset
// control register (a byte at offset 1) or CONFIG_DATA (offsets 4-7).
func (h *Host) ReadPort(off uint16, size int) uint32 {
	ones := uint32(0xFFFFFFFF) >> (32 - 8*size)
	switch {
	case off == 0 && size == 4:
		return h.addr
	case off == 1 && size == 1 && h.ResetControl != nil:
		return h.ResetControl.ReadPort(0, 1)
	case off < 4:
		return ones
	}
	d, reg, ok := h.target(off)
	if !ok {
		return ones
	}
	if d == nil {
		return ones // no function there: the cycle ends in master abort
	}
	v := d.PCIConfig().read(reg, size)
	// Function 0 of a slot with several functions says so in its header
	// type, whatever order they were attached in.
	slot := int(h.addr>>11) & 31
	if h.addr>>8&7 == 0 && h.multi(slot) && reg <= RegHeaderType && int(reg)+size > RegHeaderType {
		v |= HeaderMultiFunction << (8 * (RegHeaderType - reg))
	}
	return v
}

// WritePort writes CONFIG_ADDRESS, the reset control register or
// CONFIG_DATA; other accesses to 0xCF8-0xCFB are dropped.
func (h *Host) WritePort(off uint16, size int, v uint32) {
	switch {
	case off == 0 && size == 4:
		h.addr = v & configAddrMask
		return
	case off == 1 && size == 1 && h.ResetControl != nil:
		h.ResetControl.WritePort(0, 1, v)
		return
	case off < 4:
		return
	}
	d, reg, ok := h.target(off)
	if !ok || d == nil {
		return
	}
	d.PCIConfig().write(reg, size, v)
	d.ConfigWritten(reg, size)
	h.update(int(h.addr>>11)&31, int(h.addr>>8)&7)
}

// target decodes CONFIG_ADDRESS for a data port access at offset off
// (4-7): the function addressed (nil if none) and the register offset.
// ok is false when configuration cycles are disabled or the bus is not
// bus 0 (there are no bridges).
func (h *Host) target(off uint16) (Device, uint8, bool) {
	if h.addr&configEnable == 0 || h.addr>>16&0xFF != 0 {
		return nil, 0, false
	}
	slot, fn := h.addr>>11&31, h.addr>>8&7
	return h.fns[slot][fn], uint8(h.addr&0xFC) + uint8(off-4), true
}

// multi reports whether slot holds a function other than 0.
func (h *Host) multi(slot int) bool {
	for f := 1; f < NumFunctions; f++ {
		if h.fns[slot][f] != nil {
			return true
		}
	}
	return false
}

// update reports the BARs of one function whose decoding changed.
func (h *Host) update(slot, fn int) {
	d := h.fns[slot][fn]
	if d == nil {
		return
	}
	c := d.PCIConfig()
	for i := 0; i <= ROMBAR; i++ {
		r := c.BAR(i)
		old := h.regions[slot][fn][i]
		if r == old {
			continue
		}
		h.regions[slot][fn][i] = r
		if h.OnBAR != nil {
			h.OnBAR(BARChange{Device: d, Slot: slot, Fn: fn, BAR: i, Old: old, New: r})
		}
	}
}
