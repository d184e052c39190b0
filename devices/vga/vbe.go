package vga

import (
	"fmt"
	"image"

	"ringzero/devices/clock"
)

// Where the board maps the Bochs VBE ("DISPI") registers: the index at
// 0x1CE and the data register at 0x1CF, both 16 bits wide; 0x1D0 is the
// data register too, as QEMU has it for other architectures, so that a
// 16-bit access at 0x1CF stays inside the range. Map it bus.SizeAll.
const (
	VBEPortBase = 0x1CE
	VBEPortSize = 3
)

// DefaultVRAMSize is the video memory of the standard VGA: 16 MiB, all of
// it reachable through the linear framebuffer.
const DefaultVRAMSize = 16 << 20

// Limits reported through VBE_DISPI_GETCAPS (QEMU's VBE_DISPI_MAX_*);
// the video memory bounds the height further.
const (
	VBEMaxXRes = 16000
	VBEMaxYRes = 12000
	VBEMaxBPP  = 32
)

// DISPI register indexes (Bochs vbe.h, QEMU include/hw/display/bochs-vbe.h).
const (
	vbeID           = 0x0
	vbeXRes         = 0x1
	vbeYRes         = 0x2
	vbeBPP          = 0x3
	vbeEnable       = 0x4
	vbeBank         = 0x5
	vbeVirtWidth    = 0x6
	vbeVirtHeight   = 0x7
	vbeXOffset      = 0x8
	vbeYOffset      = 0x9
	vbeVideoMemory  = 0xA // VIDEO_MEMORY_64K, read-only
	numVBE          = 0xA // registers stored in regs
	vbeIDFirst      = 0xB0C0
	vbeIDLatest     = 0xB0C5
	vbeEnabled      = 0x01
	vbeGetCaps      = 0x02
	vbe8BitDAC      = 0x20
	vbeLFBEnabled   = 0x40
	vbeNoClearMem   = 0x80
	vbeBankSize     = 0x10000
	vbeWindowOffset = 0x10000 // the banked window is A0000-AFFFF
)

// Bochs is the standard VGA of Bochs and QEMU (PCI 1234:1111, QEMU's
// "-vga std"): an Adapter plus the Bochs VBE extension and linear video
// memory. While the extension is off it is the Adapter unchanged. While
// it is on, with 8, 15, 16, 24 or 32 bits per pixel, the picture is
// XRES x YRES pixels read from video memory at the X/Y offset of a
// VIRT_WIDTH-pixel-wide virtual screen; the 64 KiB window at A0000 shows
// the video memory bank BANK, and the whole of it is the linear
// framebuffer (LFB, the PCI BAR 0). At 4 bits per pixel the planar VGA
// path stays in charge of memory and rendering, which fits 800x600.
//
// Registers (index at VBEPortBase, data at VBEPortBase+1): ID (writes of
// B0C0h-B0C5h are kept, it reads B0C5h after reset), XRES, YRES, BPP,
// ENABLE (ENABLED, GETCAPS: XRES/YRES/BPP then read their maxima,
// 8BIT_DAC, LFB_ENABLED, NOCLEARMEM), BANK, VIRT_WIDTH, VIRT_HEIGHT
// (computed), X_OFFSET, Y_OFFSET and VIDEO_MEMORY_64K. Values are
// checked as QEMU's vbe_fixup_regs does: a depth other than those listed
// becomes 8, widths are multiples of 8, the height fits the memory, and
// an offset that would run past the memory resets to 0. Enabling clears
// the visible screen unless NOCLEARMEM is set.
//
// With 8BIT_DAC set the DAC's entries are 8 bits wide: they read back as
// written and colour the 8-bit VBE modes at full precision.
type Bochs struct {
	*Adapter
	vram  []byte
	index uint16
	regs  [numVBE]uint16
	line  int // bytes per virtual scan line
	start int // first byte shown

	raw      [256][3]uint8 // DAC entries as written, for 8BIT_DAC
	rawLatch [3]uint8
}

// NewBochs returns a standard VGA with vramSize bytes of video memory (a
// power of two from 256 KiB to 256 MiB; 0 means DefaultVRAMSize), driven
// by clk, in text mode 3 with the extension off.
func NewBochs(clk *clock.Clock, vramSize int) (*Bochs, error) {
	if vramSize == 0 {
		vramSize = DefaultVRAMSize
	}
	if vramSize < 256<<10 || vramSize > 256<<20 || vramSize&(vramSize-1) != 0 {
		return nil, fmt.Errorf("vga: video memory of %d bytes: want a power of two from 256 KiB to 256 MiB", vramSize)
	}
	b := &Bochs{Adapter: New(clk), vram: make([]byte, vramSize)}
	b.Reset()
	return b, nil
}

// Reset puts the adapter in text mode 3 with the extension off and its
// registers cleared; video memory is cleared too.
func (b *Bochs) Reset() {
	b.Adapter.Reset()
	clear(b.vram)
	b.index = 0
	b.regs = [numVBE]uint16{}
	b.regs[vbeID] = vbeIDLatest
	b.line, b.start = 0, 0
	b.syncRaw()
}

// SetMode turns the extension off and sets a standard VGA mode, as the
// video BIOS does.
func (b *Bochs) SetMode(mode int) error {
	if err := b.Adapter.SetMode(mode); err != nil {
		return err
	}
	b.regs[vbeEnable] = 0
	b.syncRaw()
	return nil
}

// syncRaw copies the DAC into the 8-bit copy after the Adapter loaded a
// palette by itself.
func (b *Bochs) syncRaw() { b.raw = b.dac }

// VRAM is the video memory: the linear framebuffer. The board may map it
// as RAM where the PCI BAR 0 decodes (bus.MapRAM), or map Framebuffer.
func (b *Bochs) VRAM() []byte { return b.vram }

// Framebuffer returns an MMIO handler for the linear framebuffer.
func (b *Bochs) Framebuffer() *Framebuffer { return &Framebuffer{b: b} }

// VBE returns the handler for the DISPI ports (VBEPortBase, VBEPortSize).
func (b *Bochs) VBE() *VBEPorts { return &VBEPorts{b: b} }

// linear reports whether the extension drives memory and the picture:
// enabled, at a packed-pixel or direct-colour depth.
func (b *Bochs) linear() bool {
	return b.regs[vbeEnable]&vbeEnabled != 0 && b.regs[vbeBPP] != 4
}

// Enabled reports whether the VBE extension is on.
func (b *Bochs) Enabled() bool { return b.regs[vbeEnable]&vbeEnabled != 0 }

// dac8 reports whether the DAC is 8 bits wide.
func (b *Bochs) dac8() bool { return b.regs[vbeEnable]&vbe8BitDAC != 0 }

// ReadPort reads the VGA register block; with 8BIT_DAC the DAC data
// register returns the entries as written.
func (b *Bochs) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		p := off + uint16(i)
		var x uint8
		if p == offDACData && b.dac8() {
			x = b.raw[b.dacRead][b.dacReadStep]
			b.readPort(p) // advance the read index
		} else {
			x = b.readPort(p)
		}
		v |= uint32(x) << (8 * i)
	}
	return v
}

// WritePort writes the VGA register block, keeping an 8-bit copy of the
// DAC entries written.
func (b *Bochs) WritePort(off uint16, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		p, x := off+uint16(i), uint8(v>>(8*i))
		if p == offDACData {
			idx, step := b.dacWrite, b.dacWriteStep
			b.rawLatch[step] = x
			if step == 2 {
				b.raw[idx] = b.rawLatch
			}
		}
		b.writePort(p, x)
	}
}

// ReadMMIO reads the memory window at MemBase: while the extension is on
// the first 64 KiB show video memory bank BANK and the rest reads 0xFF.
func (b *Bochs) ReadMMIO(off uint32, size int) uint32 {
	if !b.linear() {
		return b.Adapter.ReadMMIO(off, size)
	}
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		x := uint32(0xFF)
		if a, ok := b.bankAddr(off + uint32(i)); ok {
			x = uint32(b.vram[a])
		}
		v |= x << (8 * i)
	}
	return v
}

// WriteMMIO writes the memory window at MemBase (see ReadMMIO).
func (b *Bochs) WriteMMIO(off uint32, size int, v uint32) {
	if !b.linear() {
		b.Adapter.WriteMMIO(off, size, v)
		return
	}
	for i := 0; i < size && i < 4; i++ {
		if a, ok := b.bankAddr(off + uint32(i)); ok {
			b.vram[a] = uint8(v >> (8 * i))
		}
	}
}

// bankAddr maps an offset in the A0000 window to video memory.
func (b *Bochs) bankAddr(off uint32) (int, bool) {
	if off >= vbeWindowOffset {
		return 0, false
	}
	a := int(b.regs[vbeBank])*vbeBankSize + int(off)
	return a, a < len(b.vram)
}

// Geometry describes the picture: the VBE mode's size at scale 1 while
// the extension drives it, else the VGA's.
func (b *Bochs) Geometry() Geometry {
	if !b.linear() {
		return b.Adapter.Geometry()
	}
	return Geometry{Graphics: true, Width: int(b.regs[vbeXRes]), Height: int(b.regs[vbeYRes]), ScaleX: 1, ScaleY: 1}
}

// Render draws the current frame (see Adapter.Render); VBE modes read
// video memory from the display start, one virtual line apart: 8-bit
// pixels through the DAC, 15-bit x1r5g5b5, 16-bit r5g6b5, 24-bit and
// 32-bit blue-green-red(-unused), little-endian as the LFB holds them.
func (b *Bochs) Render(dst *image.RGBA) *image.RGBA {
	if !b.linear() {
		return b.Adapter.Render(dst)
	}
	w, h := int(b.regs[vbeXRes]), int(b.regs[vbeYRes])
	r := image.Rect(0, 0, w, h)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	var pal [256][4]uint8
	if b.regs[vbeBPP] == 8 {
		if b.dac8() {
			for i := range pal {
				c := b.raw[uint8(i)&b.dacMask]
				pal[i] = [4]uint8{c[0], c[1], c[2], 0xFF}
			}
		} else {
			for i, c := range b.dacColors() {
				pal[i] = [4]uint8{c.R, c.G, c.B, 0xFF}
			}
		}
	}
	bpp := int(b.regs[vbeBPP])
	bytes := (bpp + 7) / 8
	for y := 0; y < h; y++ {
		row := dst.Pix[dst.PixOffset(0, y):]
		src := b.start + y*b.line
		for x := 0; x < w; x++ {
			o := src + x*bytes
			px := row[4*x : 4*x+4 : 4*x+4]
			if o < 0 || o+bytes > len(b.vram) {
				px[0], px[1], px[2], px[3] = 0, 0, 0, 0xFF
				continue
			}
			m := b.vram[o:]
			switch bpp {
			case 8:
				c := pal[m[0]]
				px[0], px[1], px[2], px[3] = c[0], c[1], c[2], c[3]
			case 15:
				v := uint16(m[0]) | uint16(m[1])<<8
				px[0], px[1], px[2], px[3] = five(v>>10), five(v>>5), five(v), 0xFF
			case 16:
				v := uint16(m[0]) | uint16(m[1])<<8
				g := uint8(v>>5) & 0x3F
				px[0], px[1], px[2], px[3] = five(v>>11), g<<2|g>>4, five(v), 0xFF
			default: // 24 and 32: blue, green, red
				px[0], px[1], px[2], px[3] = m[2], m[1], m[0], 0xFF
			}
		}
	}
	return dst
}

// five widens a 5-bit colour component (the low bits of v) to 8 bits.
func five(v uint16) uint8 {
	c := uint8(v) & 0x1F
	return c<<3 | c>>2
}

// readVBE reads DISPI register i.
func (b *Bochs) readVBE(i uint16) uint16 {
	switch {
	case i == vbeVideoMemory:
		return uint16(len(b.vram) / vbeBankSize)
	case i >= numVBE:
		return 0
	case b.regs[vbeEnable]&vbeGetCaps != 0 && i == vbeXRes:
		return VBEMaxXRes
	case b.regs[vbeEnable]&vbeGetCaps != 0 && i == vbeYRes:
		return VBEMaxYRes
	case b.regs[vbeEnable]&vbeGetCaps != 0 && i == vbeBPP:
		return VBEMaxBPP
	}
	return b.regs[i]
}

// writeVBE writes DISPI register i (QEMU vbe_ioport_write_data).
func (b *Bochs) writeVBE(i, v uint16) {
	switch i {
	case vbeID:
		if v >= vbeIDFirst && v <= vbeIDLatest {
			b.regs[vbeID] = v
		}
	case vbeXRes, vbeYRes, vbeBPP, vbeVirtWidth, vbeXOffset, vbeYOffset:
		b.regs[i] = v
		b.fixup()
	case vbeBank:
		b.regs[vbeBank] = v & uint16(len(b.vram)/vbeBankSize-1)
	case vbeEnable:
		on := v&vbeEnabled != 0
		if on && b.regs[vbeEnable]&vbeEnabled == 0 {
			// A mode is being set: the virtual screen restarts at the
			// mode's width, at offset 0.
			b.regs[vbeVirtWidth], b.regs[vbeXOffset], b.regs[vbeYOffset] = 0, 0, 0
			b.regs[vbeEnable] |= vbeEnabled
			b.fixup()
			if v&vbeNoClearMem == 0 {
				clear(b.vram[:min(len(b.vram), int(b.regs[vbeYRes])*b.line)])
			}
		}
		b.regs[vbeEnable] = v
		if !on {
			b.regs[vbeBank] = 0
		}
	}
}

// fixup makes the mode registers consistent with each other and the
// video memory (QEMU vbe_fixup_regs), while the extension is on.
func (b *Bochs) fixup() {
	r := &b.regs
	if r[vbeEnable]&vbeEnabled == 0 {
		return
	}
	bits := int(r[vbeBPP])
	switch bits {
	case 4, 8, 16, 24, 32:
	case 15:
		bits = 16
	default:
		r[vbeBPP], bits = 8, 8
	}
	r[vbeXRes] &^= 7
	if r[vbeXRes] == 0 {
		r[vbeXRes] = 8
	}
	r[vbeXRes] = min(r[vbeXRes], VBEMaxXRes)
	r[vbeVirtWidth] &^= 7
	r[vbeVirtWidth] = max(min(r[vbeVirtWidth], VBEMaxXRes), r[vbeXRes])
	line := int(r[vbeVirtWidth]) * bits / 8
	maxY := len(b.vram) / line
	r[vbeYRes] = uint16(min(max(int(r[vbeYRes]), 1), VBEMaxYRes, maxY))
	r[vbeXOffset] = min(r[vbeXOffset], VBEMaxXRes)
	r[vbeYOffset] = min(r[vbeYOffset], VBEMaxYRes)
	start := int(r[vbeXOffset])*bits/8 + int(r[vbeYOffset])*line
	if start+int(r[vbeYRes])*line > len(b.vram) {
		r[vbeXOffset], r[vbeYOffset], start = 0, 0, 0
	}
	r[vbeVirtHeight] = uint16(min(maxY, 0xFFFF))
	b.line, b.start = line, start
}

// VBEPorts is the bus.PortHandler of the DISPI registers: the index at
// offset 0, the data register at offsets 1 and 2, 16 bits each. A 32-bit
// access at offset 0 writes the index, then the data (at 0x1D0).
type VBEPorts struct{ b *Bochs }

// ReadPort reads the index or the data register.
func (p *VBEPorts) ReadPort(off uint16, size int) uint32 {
	mask := uint32(0xFFFFFFFF) >> (32 - 8*size)
	switch {
	case off == 0 && size == 4:
		return uint32(p.b.index) | uint32(p.b.readVBE(p.b.index))<<16
	case off == 0:
		return uint32(p.b.index) & mask
	}
	return uint32(p.b.readVBE(p.b.index)) & mask
}

// WritePort writes the index or the data register.
func (p *VBEPorts) WritePort(off uint16, size int, v uint32) {
	switch {
	case off == 0 && size == 4:
		p.b.index = uint16(v)
		p.b.writeVBE(p.b.index, uint16(v>>16))
	case off == 0:
		p.b.index = uint16(v)
	default:
		p.b.writeVBE(p.b.index, uint16(v))
	}
}

// Framebuffer is the bus.MMIOHandler of the linear framebuffer: video
// memory at offsets 0 to len(VRAM)-1.
type Framebuffer struct{ b *Bochs }

// ReadMMIO reads size bytes of video memory at off.
func (f *Framebuffer) ReadMMIO(off uint32, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		x := uint32(0xFF)
		if o := uint64(off) + uint64(i); o < uint64(len(f.b.vram)) {
			x = uint32(f.b.vram[o])
		}
		v |= x << (8 * i)
	}
	return v
}

// WriteMMIO writes size bytes of video memory at off.
func (f *Framebuffer) WriteMMIO(off uint32, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		if o := uint64(off) + uint64(i); o < uint64(len(f.b.vram)) {
			f.b.vram[o] = uint8(v >> (8 * i))
		}
	}
}
