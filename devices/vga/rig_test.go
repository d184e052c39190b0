package vga_test

import (
	"image/color"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/vga"
)

// Ports and register indexes as a guest driver spells them (IBM VGA
// Technical Reference), kept apart from the package's own constants so the
// tests check the documentation, not themselves.
const (
	portAttr      = 0x3C0
	portAttrRead  = 0x3C1
	portMiscWrite = 0x3C2
	portSeqIndex  = 0x3C4
	portDACMask   = 0x3C6
	portDACRead   = 0x3C7
	portDACWrite  = 0x3C8
	portDACData   = 0x3C9
	portMiscRead  = 0x3CC
	portGCIndex   = 0x3CE
	portCRTCColor = 0x3D4
	portCRTCMono  = 0x3B4
	portStatColor = 0x3DA
	portStatMono  = 0x3BA

	textBase = 0xB8000
	gfxBase  = 0xA0000
)

// rig is an adapter mapped on a bus the way the board maps it, with a
// manual clock.
type rig struct {
	t   *testing.T
	clk *clock.Clock
	bus *bus.Bus
	vga *vga.Adapter
}

func newRig(t *testing.T, mode int) *rig {
	t.Helper()
	r := &rig{t: t, clk: clock.New(0), bus: bus.New()}
	r.vga = vga.New(r.clk)
	if err := r.bus.MapPorts(vga.PortBase, vga.PortSize, "vga", r.vga, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	if err := r.bus.MapMMIO(vga.MemBase, vga.MemSize, "vga-mem", r.vga, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	if err := r.vga.SetMode(mode); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) in(port uint16) uint8 { return uint8(r.bus.In(port, 1)) }

func (r *rig) out(port uint16, v uint8) { r.bus.Out(port, 1, uint32(v)) }

// outw writes an index and its data with one 16-bit OUT, as BIOSes do.
func (r *rig) outw(port uint16, index, v uint8) { r.bus.Out(port, 2, uint32(index)|uint32(v)<<8) }

func (r *rig) seq(i, v uint8)  { r.outw(portSeqIndex, i, v) }
func (r *rig) gc(i, v uint8)   { r.outw(portGCIndex, i, v) }
func (r *rig) crtc(i, v uint8) { r.outw(portCRTCColor, i, v) }

func (r *rig) crtcRead(i uint8) uint8 {
	r.out(portCRTCColor, i)
	return r.in(portCRTCColor + 1)
}

// attr writes attribute register i, keeping the display enabled.
func (r *rig) attr(i, v uint8) {
	r.in(portStatColor)
	r.out(portAttr, i|0x20)
	r.out(portAttr, v)
}

func (r *rig) attrRead(i uint8) uint8 {
	r.in(portStatColor)
	r.out(portAttr, i|0x20)
	v := r.in(portAttrRead)
	r.in(portStatColor)
	return v
}

func (r *rig) peek(addr uint32) uint8 { return uint8(r.bus.Read(addr, 1)) }

func (r *rig) poke(addr uint32, v uint8) { r.bus.Write(addr, 1, uint32(v)) }

// dacColor reads DAC entry i through the ports and widens it as a monitor
// would show it.
func (r *rig) dacColor(i uint8) color.RGBA {
	r.out(portDACRead, i)
	six := func() uint8 { v := r.in(portDACData); return v<<2 | v>>4 }
	return color.RGBA{R: six(), G: six(), B: six(), A: 0xFF}
}

// setDAC writes DAC entry i through the ports.
func (r *rig) setDAC(i, red, green, blue uint8) {
	r.out(portDACWrite, i)
	r.out(portDACData, red)
	r.out(portDACData, green)
	r.out(portDACData, blue)
}

// advance moves virtual time forward by ns.
func (r *rig) advance(ns uint64) { r.clk.AdvanceTo(r.clk.Now() + ns) }
