package pci

import (
	"errors"
	"fmt"
)

// Offsets of the type 0 configuration header (PCI Local Bus
// Specification 3.0, section 6.1, Figure 6-1).
const (
	RegVendorID   = 0x00
	RegDeviceID   = 0x02
	RegCommand    = 0x04
	RegStatus     = 0x06
	RegRevision   = 0x08
	RegClass      = 0x09 // programming interface, then sub-class and base class
	RegCacheLine  = 0x0C
	RegLatency    = 0x0D
	RegHeaderType = 0x0E
	RegBAR0       = 0x10 // six 32-bit base address registers, 0x10-0x27
	RegSubVendor  = 0x2C
	RegSubsystem  = 0x2E
	RegROM        = 0x30 // expansion ROM base address
	RegIntLine    = 0x3C
	RegIntPin     = 0x3D
)

// Command register bits (PCI 3.0 section 6.2.2).
const (
	CmdIO         = 1 << 0  // I/O space enable: I/O BARs decode
	CmdMemory     = 1 << 1  // memory space enable: memory BARs and the ROM decode
	CmdBusMaster  = 1 << 2  // the function may master the bus
	CmdParity     = 1 << 6  // parity error response
	CmdSERR       = 1 << 8  // SERR# enable
	CmdIntDisable = 1 << 10 // INTx# disable
	cmdWritable   = CmdIO | CmdMemory | CmdBusMaster | CmdParity | CmdSERR | CmdIntDisable
)

// Status register bits (PCI 3.0 section 6.2.3).
const (
	StatusInterrupt = 1 << 3 // INTx# is asserted inside the function (read-only)
	// statusErrors are the write-1-to-clear error bits: master data
	// parity error (8) and signalled target abort to detected parity
	// error (11-15).
	statusErrors = 0xF900
)

// HeaderMultiFunction is the header type bit that tells configuration
// software to probe functions 1-7 of a slot. The Host sets it on function
// 0 of any slot that holds more than one function.
const HeaderMultiFunction = 0x80

// NumBARs is the number of base address registers of a type 0 header;
// ROMBAR is the index the expansion ROM base address takes in BAR-related
// calls and events.
const (
	NumBARs = 6
	ROMBAR  = NumBARs
)

// Space is the address space a BAR decodes.
type Space uint8

// Address spaces.
const (
	SpaceNone           Space = iota // no BAR
	SpaceIO                          // I/O ports
	SpaceMemory                      // 32-bit memory
	SpaceMemoryPrefetch              // 32-bit prefetchable memory (a framebuffer)
)

func (s Space) String() string {
	switch s {
	case SpaceIO:
		return "io"
	case SpaceMemory:
		return "mem"
	case SpaceMemoryPrefetch:
		return "mem-pref"
	}
	return "none"
}

// Region is where a BAR decodes at present: Size 0 means nowhere (no
// BAR, decoding disabled in the command register, the ROM disabled, or an
// address the machine cannot decode).
type Region struct {
	Space Space
	Base  uint32
	Size  uint32
}

// Mapped reports whether the region decodes anything.
func (r Region) Mapped() bool { return r.Size != 0 }

func (r Region) String() string {
	if !r.Mapped() {
		return "unmapped"
	}
	return fmt.Sprintf("%v %#x+%#x", r.Space, r.Base, r.Size)
}

// ID is what identifies a function in its header.
type ID struct {
	Vendor, Device uint16
	Revision       uint8
	// Class is the 24-bit class code: base class, sub-class and
	// programming interface (0x030000 is a VGA-compatible controller).
	Class                uint32
	SubVendor, Subsystem uint16
	// IntPin is the interrupt pin the function uses: 0 none, 1-4 INTA#-INTD#.
	IntPin uint8
}

type bar struct {
	space Space
	size  uint32 // 0: not implemented
}

// Config is one function's 256-byte configuration space. Each byte has a
// value, a mask of bits the host may write and a mask of bits a host
// write of 1 clears; every other bit is read-only. A device describes its
// header with Init, SetBAR and SetROM, opens its own registers with
// SetWritable and SetW1C, and reads what the guest programmed with Byte,
// Word and Long. The values present when the function is attached to a
// Host are its power-on values, which Host.Reset restores.
type Config struct {
	data, wmask, w1c [256]byte
	saved            *[3][256]byte // power-on data, wmask, w1c
	bars             [NumBARs + 1]bar

	host      *Host
	slot, fn  int
	intx      bool // INTx asserted by the device
	intxDrive bool // level passed on to the host (intx unless disabled)
}

// Init lays out the header of a single-function type 0 device: identity,
// class and interrupt pin; command and the interrupt line writable;
// the error bits of status write-1-to-clear. Every other byte starts
// read-only and zero.
func (c *Config) Init(id ID) {
	*c = Config{}
	c.SetWord(RegVendorID, id.Vendor)
	c.SetWord(RegDeviceID, id.Device)
	c.SetByte(RegRevision, id.Revision)
	c.SetByte(RegClass, uint8(id.Class))
	c.SetWord(RegClass+1, uint16(id.Class>>8))
	c.SetWord(RegSubVendor, id.SubVendor)
	c.SetWord(RegSubsystem, id.Subsystem)
	c.SetByte(RegIntPin, id.IntPin)
	c.SetWritable(RegCommand, 2, cmdWritable)
	c.SetW1C(RegStatus, 2, statusErrors)
	c.SetWritable(RegCacheLine, 1, 0xFF)
	c.SetWritable(RegLatency, 1, 0xFF)
	c.SetWritable(RegIntLine, 1, 0xFF)
}

// ErrBARSize is returned for a BAR size the PCI specification does not
// allow.
var ErrBARSize = errors.New("pci: BAR size must be a power of two (I/O 4-256 bytes, memory at least 16, ROM at least 2 KiB)")

// SetBAR declares base address register i (0-5) as decoding size bytes
// (a power of two) in space. Its address bits below size read as zero,
// which is how configuration software sizes it: it writes all ones and
// reads back the mask.
func (c *Config) SetBAR(i int, space Space, size uint32) error {
	if i < 0 || i >= NumBARs {
		return fmt.Errorf("pci: no BAR %d", i)
	}
	if size&(size-1) != 0 {
		return ErrBARSize
	}
	off := uint8(RegBAR0 + 4*i)
	var flags uint32
	switch space {
	case SpaceIO:
		if size < 4 || size > 256 {
			return ErrBARSize
		}
		flags = 1 // I/O space indicator
	case SpaceMemory, SpaceMemoryPrefetch:
		if size < 16 {
			return ErrBARSize
		}
		if space == SpaceMemoryPrefetch {
			flags = 1 << 3
		}
	default:
		return fmt.Errorf("pci: BAR %d: no address space", i)
	}
	c.bars[i] = bar{space: space, size: size}
	c.SetLong(off, flags)
	c.SetWritable(off, 4, ^(size - 1))
	return nil
}

// SetROM declares the expansion ROM base address register for a ROM of
// size bytes (a power of two of at least 2 KiB). Bit 0 enables it; it
// decodes only while memory space is enabled too.
func (c *Config) SetROM(size uint32) error {
	if size&(size-1) != 0 || size < 2048 {
		return ErrBARSize
	}
	c.bars[ROMBAR] = bar{space: SpaceMemory, size: size}
	c.SetLong(RegROM, 0)
	c.SetWritable(RegROM, 4, ^(size-1)|1)
	return nil
}

// Byte returns the byte at off.
func (c *Config) Byte(off uint8) uint8 { return c.data[off] }

// Word returns the little-endian 16-bit value at off.
func (c *Config) Word(off uint8) uint16 { return uint16(c.get(off, 2)) }

// Long returns the little-endian 32-bit value at off.
func (c *Config) Long(off uint8) uint32 { return c.get(off, 4) }

// SetByte stores v at off, whatever the masks say (the device's side).
func (c *Config) SetByte(off uint8, v uint8) { c.data[off] = v }

// SetWord stores a 16-bit value at off.
func (c *Config) SetWord(off uint8, v uint16) { c.put(c.data[:], off, 2, uint32(v)) }

// SetLong stores a 32-bit value at off.
func (c *Config) SetLong(off uint8, v uint32) { c.put(c.data[:], off, 4, v) }

// SetWritable makes the bits of mask writable by the host in the size
// bytes at off (and the others read-only).
func (c *Config) SetWritable(off uint8, size int, mask uint32) { c.put(c.wmask[:], off, size, mask) }

// SetW1C makes the bits of mask write-1-to-clear in the size bytes at
// off. Such bits should not also be writable.
func (c *Config) SetW1C(off uint8, size int, mask uint32) { c.put(c.w1c[:], off, size, mask) }

// Command returns the command register.
func (c *Config) Command() uint16 { return c.Word(RegCommand) }

// Slot is the slot on bus 0 the function is attached at.
func (c *Config) Slot() int { return c.slot }

// Function is the function number the function is attached at.
func (c *Config) Function() int { return c.fn }

// SetIRQ drives the function's INTx# pin (level-triggered, active while
// level is true). The Status register's interrupt bit follows it; the
// command register's interrupt disable bit keeps it from the pin.
func (c *Config) SetIRQ(level bool) {
	c.intx = level
	if level {
		c.data[RegStatus] |= StatusInterrupt
	} else {
		c.data[RegStatus] &^= StatusInterrupt
	}
	c.driveIRQ()
}

// driveIRQ passes the INTx level on to the host's interrupt routing.
func (c *Config) driveIRQ() {
	lvl := c.intx && c.Command()&CmdIntDisable == 0
	if lvl == c.intxDrive {
		return
	}
	c.intxDrive = lvl
	if c.host != nil {
		c.host.intx(c, lvl)
	}
}

// BAR returns where BAR i (0-5, or ROMBAR) decodes now. An I/O BAR
// decodes while I/O space is enabled and a memory BAR while memory space
// is; the ROM needs memory space and its own enable bit. An address of
// 0, one whose range wraps past 4 GiB (the all-ones value that sizing
// leaves) or an I/O range above 0xFFFF decodes nothing, as in QEMU.
func (c *Config) BAR(i int) Region {
	if i < 0 || i > ROMBAR {
		return Region{}
	}
	b := c.bars[i]
	if b.size == 0 {
		return Region{}
	}
	cmd := c.Command()
	var addr uint32
	switch {
	case i == ROMBAR:
		v := c.Long(RegROM)
		if cmd&CmdMemory == 0 || v&1 == 0 {
			return Region{}
		}
		addr = v &^ (b.size - 1)
	case b.space == SpaceIO:
		if cmd&CmdIO == 0 {
			return Region{}
		}
		addr = c.Long(uint8(RegBAR0+4*i)) &^ (b.size - 1) &^ 3
	default:
		if cmd&CmdMemory == 0 {
			return Region{}
		}
		addr = c.Long(uint8(RegBAR0+4*i)) &^ (b.size - 1) &^ 0xF
	}
	last := uint64(addr) + uint64(b.size) - 1
	if addr == 0 || last >= 0xFFFFFFFF || (b.space == SpaceIO && last > 0xFFFF) {
		return Region{}
	}
	return Region{Space: b.space, Base: addr, Size: b.size}
}

// read returns size bytes at off as the host sees them.
func (c *Config) read(off uint8, size int) uint32 { return c.get(off, size) }

// write applies a host write of size bytes at off through the masks.
func (c *Config) write(off uint8, size int, v uint32) {
	for i := 0; i < size && int(off)+i < 256; i++ {
		o := int(off) + i
		b := uint8(v >> (8 * i))
		c.data[o] = c.data[o]&^c.wmask[o] | b&c.wmask[o]
		c.data[o] &^= b & c.w1c[o]
	}
	c.driveIRQ() // the interrupt disable bit may have moved
}

// save records the present contents as the power-on state.
func (c *Config) save() {
	c.saved = &[3][256]byte{c.data, c.wmask, c.w1c}
}

// restore returns to the power-on state; INTx is released.
func (c *Config) restore() {
	if c.saved != nil {
		c.data, c.wmask, c.w1c = c.saved[0], c.saved[1], c.saved[2]
	}
	c.SetIRQ(false)
}

func (c *Config) get(off uint8, size int) uint32 {
	var v uint32
	for i := 0; i < size && int(off)+i < 256; i++ {
		v |= uint32(c.data[int(off)+i]) << (8 * i)
	}
	return v
}

func (c *Config) put(dst []byte, off uint8, size int, v uint32) {
	for i := 0; i < size && int(off)+i < 256; i++ {
		dst[int(off)+i] = uint8(v >> (8 * i))
	}
}
