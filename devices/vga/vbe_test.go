package vga_test

import (
	"image/color"
	"math/rand"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/pci"
	"ringzero/devices/vga"
)

// DISPI registers as the SeaBIOS VGA BIOS spells them (vgasrc/bochsvga.h).
const (
	portVBEIndex = 0x1CE
	portVBEData  = 0x1CF

	dispiID         = 0
	dispiXRes       = 1
	dispiYRes       = 2
	dispiBPP        = 3
	dispiEnable     = 4
	dispiBank       = 5
	dispiVirtWidth  = 6
	dispiVirtHeight = 7
	dispiXOffset    = 8
	dispiYOffset    = 9
	dispiVideoMem   = 10

	enEnabled    = 0x01
	enGetCaps    = 0x02
	en8BitDAC    = 0x20
	enLFB        = 0x40
	enNoClearMem = 0x80

	lfbBase = 0xE0000000
)

// vbeRig is a Bochs adapter mapped as the board maps it, with the linear
// framebuffer as RAM at lfbBase.
type vbeRig struct {
	t   *testing.T
	bus *bus.Bus
	vga *vga.Bochs
}

func newVBERig(t *testing.T) *vbeRig {
	t.Helper()
	b, err := vga.NewBochs(clock.New(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	r := &vbeRig{t: t, bus: bus.New(), vga: b}
	for _, err := range []error{
		r.bus.MapPorts(vga.PortBase, vga.PortSize, "vga", b, bus.SizeAll),
		r.bus.MapMMIO(vga.MemBase, vga.MemSize, "vga-mem", b, bus.SizeAll),
		r.bus.MapPorts(vga.VBEPortBase, vga.VBEPortSize, "vbe", b.VBE(), bus.SizeAll),
		r.bus.MapRAM(lfbBase, b.VRAM(), false),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// dispi writes a DISPI register with two 16-bit OUTs, as dispi_write does.
func (r *vbeRig) dispi(i, v uint16) {
	r.bus.Out(portVBEIndex, 2, uint32(i))
	r.bus.Out(portVBEData, 2, uint32(v))
}

func (r *vbeRig) dispiRead(i uint16) uint16 {
	r.bus.Out(portVBEIndex, 2, uint32(i))
	return uint16(r.bus.In(portVBEData, 2))
}

// setMode follows SeaBIOS's bochsvga_set_mode.
func (r *vbeRig) setMode(w, h, bpp, flags uint16) {
	r.dispi(dispiEnable, 0)
	r.dispi(dispiBPP, bpp)
	r.dispi(dispiXRes, w)
	r.dispi(dispiYRes, h)
	r.dispi(dispiBank, 0)
	r.dispi(dispiEnable, enEnabled|flags)
}

func TestVBEIdentification(t *testing.T) {
	r := newVBERig(t)
	if v := r.dispiRead(dispiID); v != 0xB0C5 {
		t.Errorf("ID after reset = %#x, want 0xb0c5", v)
	}
	r.dispi(dispiID, 0xB0C0)
	if v := r.dispiRead(dispiID); v != 0xB0C0 {
		t.Errorf("ID = %#x after writing 0xb0c0", v)
	}
	r.dispi(dispiID, 0x1234)
	if v := r.dispiRead(dispiID); v != 0xB0C0 {
		t.Errorf("ID = %#x after writing a bad ID, want 0xb0c0 kept", v)
	}
	if v := r.dispiRead(dispiVideoMem); v != 256 {
		t.Errorf("VIDEO_MEMORY_64K = %d, want 256 (16 MiB)", v)
	}
	if v := r.bus.In(portVBEIndex, 2); v != dispiVideoMem {
		t.Errorf("index reads %d, want %d", v, dispiVideoMem)
	}
	// GETCAPS: the maxima, then the values again.
	r.dispi(dispiXRes, 640)
	r.dispi(dispiEnable, enGetCaps)
	if x, y, b := r.dispiRead(dispiXRes), r.dispiRead(dispiYRes), r.dispiRead(dispiBPP); x != vga.VBEMaxXRes || y != vga.VBEMaxYRes || b != 32 {
		t.Errorf("GETCAPS reports %dx%dx%d", x, y, b)
	}
	r.dispi(dispiEnable, 0)
	if x := r.dispiRead(dispiXRes); x != 640 {
		t.Errorf("XRES = %d after GETCAPS, want 640", x)
	}
	// A 32-bit OUT at the index writes index then data (0x1D0).
	r.bus.Out(portVBEIndex, 4, dispiYRes|480<<16)
	if y := r.dispiRead(dispiYRes); y != 480 {
		t.Errorf("YRES = %d after a 32-bit OUT, want 480", y)
	}
}

func TestVBEModeRegistersAreFixedUp(t *testing.T) {
	r := newVBERig(t)
	r.setMode(645, 480, 32, enLFB)
	if x, vw, vh := r.dispiRead(dispiXRes), r.dispiRead(dispiVirtWidth), r.dispiRead(dispiVirtHeight); x != 640 || vw != 640 || vh != 16<<20/(640*4) {
		t.Errorf("XRES %d VIRT_WIDTH %d VIRT_HEIGHT %d, want 640 640 %d", x, vw, vh, 16<<20/(640*4))
	}
	r.setMode(640, 480, 12, 0) // not a depth: 8
	if b := r.dispiRead(dispiBPP); b != 8 {
		t.Errorf("BPP = %d after 12, want 8", b)
	}
	r.setMode(2560, 1600, 32, 0) // 16 MB: 1638 lines of 2560x4 fit
	if y := r.dispiRead(dispiYRes); y != 1600 {
		t.Errorf("YRES = %d, want 1600", y)
	}
	// A height the memory cannot hold is cut to what fits.
	r.setMode(4096, 2000, 32, 0)
	if y, vh := r.dispiRead(dispiYRes), r.dispiRead(dispiVirtHeight); y != 1024 || vh != 1024 {
		t.Errorf("4096x2000x32 in 16 MiB: YRES %d VIRT_HEIGHT %d, want 1024 1024", y, vh)
	}
	r.setMode(2560, 1600, 32, 0)
	// Offsets that would run past memory reset to 0.
	r.dispi(dispiYOffset, 1000)
	if y := r.dispiRead(dispiYOffset); y != 0 {
		t.Errorf("Y_OFFSET = %d past the end of memory, want 0", y)
	}
	g := r.vga.Geometry()
	if !g.Graphics || g.Width != 2560 || g.Height != 1600 || g.ScaleX != 1 || g.ScaleY != 1 {
		t.Errorf("Geometry %+v", g)
	}
	// The bank register wraps at the memory size.
	r.dispi(dispiBank, 300)
	if b := r.dispiRead(dispiBank); b != 300&255 {
		t.Errorf("BANK = %d after 300, want %d", b, 300&255)
	}
}

// TestVBE32bppFrame draws through the LFB and checks the rendered frame.
func TestVBE32bppFrame(t *testing.T) {
	r := newVBERig(t)
	r.setMode(320, 200, 32, enLFB)
	for y := uint32(0); y < 200; y++ {
		for x := uint32(0); x < 320; x++ {
			r.bus.Write(lfbBase+(y*320+x)*4, 4, x<<16|y<<8|(x^y)&0xFF) // x8r8g8b8
		}
	}
	img := r.vga.Render(nil)
	if img.Rect.Dx() != 320 || img.Rect.Dy() != 200 {
		t.Fatalf("frame %v, want 320x200", img.Rect)
	}
	for _, p := range [][2]int{{0, 0}, {17, 3}, {255, 199}, {319, 100}} {
		x, y := p[0], p[1]
		want := color.RGBA{R: uint8(x), G: uint8(y), B: uint8(x ^ y), A: 0xFF}
		if got := img.RGBAAt(x, y); got != want {
			t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, want)
		}
	}
	// Panning: a 640-pixel virtual screen shown from (8, 2).
	r.dispi(dispiVirtWidth, 640)
	r.bus.Write(lfbBase+(2*640+8)*4, 4, 0x00123456)
	r.dispi(dispiXOffset, 8)
	r.dispi(dispiYOffset, 2)
	if got := r.vga.Render(img).RGBAAt(0, 0); got != (color.RGBA{0x12, 0x34, 0x56, 0xFF}) {
		t.Errorf("pixel (0,0) with offset (8,2) = %v, want 12 34 56", got)
	}
}

// TestVBE8bppFrameThroughBanksAndDAC draws a 640x480x8 frame through the
// banked window at A0000 and colours it through the DAC.
func TestVBE8bppFrameThroughBanksAndDAC(t *testing.T) {
	r := newVBERig(t)
	r.setMode(640, 480, 8, 0)
	// DAC: entry 1 is 6-bit (63, 32, 0), entry 2 (0, 0, 21).
	r.bus.Out(portDACWrite, 1, 1)
	for _, v := range []uint32{63, 32, 0, 0, 0, 21} {
		r.bus.Out(portDACData, 1, v)
	}
	// Pixel (x, y) sits at y*640+x: bank (offset >> 16), window offset
	// (offset & 0xFFFF).
	put := func(x, y int, v uint8) {
		off := y*640 + x
		r.dispi(dispiBank, uint16(off>>16))
		r.bus.Write(gfxBase+uint32(off&0xFFFF), 1, uint32(v))
	}
	put(0, 0, 1)
	put(639, 479, 2)
	put(100, 300, 1) // offset 192100: bank 2
	if got := r.bus.Read(lfbBase+192100, 1); got != 1 {
		t.Errorf("LFB byte at 192100 = %d, want 1 written through bank 2", got)
	}
	r.dispi(dispiBank, 2)
	if got := r.bus.Read(gfxBase+192100&0xFFFF, 1); got != 1 {
		t.Errorf("window byte = %d, want 1 read back through bank 2", got)
	}
	if got := r.bus.Read(0xB0000, 1); got != 0xFF {
		t.Errorf("B0000 reads %#x in a VBE mode, want 0xff", got)
	}
	img := r.vga.Render(nil)
	orange := color.RGBA{0xFF, 0x82, 0x00, 0xFF}
	blue := color.RGBA{0, 0, 0x55, 0xFF}
	black := color.RGBA{A: 0xFF} // entry 0 of mode 3's palette
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{{0, 0, orange}, {639, 479, blue}, {100, 300, orange}, {1, 0, black}} {
		if got := img.RGBAAt(c.x, c.y); got != c.want {
			t.Errorf("pixel (%d,%d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}

	// With the 8-bit DAC the entries read back and show as written.
	r.dispi(dispiEnable, enEnabled|en8BitDAC|enNoClearMem)
	r.bus.Out(portDACWrite, 1, 1)
	for _, v := range []uint32{0xFE, 0x81, 0x03} {
		r.bus.Out(portDACData, 1, v)
	}
	r.bus.Out(portDACRead, 1, 1)
	if rd, g, b := r.bus.In(portDACData, 1), r.bus.In(portDACData, 1), r.bus.In(portDACData, 1); rd != 0xFE || g != 0x81 || b != 0x03 {
		t.Errorf("8-bit DAC entry 1 reads %x %x %x", rd, g, b)
	}
	if got := r.vga.Render(img).RGBAAt(0, 0); got != (color.RGBA{0xFE, 0x81, 0x03, 0xFF}) {
		t.Errorf("pixel (0,0) with the 8-bit DAC = %v", got)
	}
	if got := img.RGBAAt(100, 300); got != (color.RGBA{0xFE, 0x81, 0x03, 0xFF}) {
		t.Errorf("NOCLEARMEM lost the frame: pixel (100,300) = %v", got)
	}
}

func TestVBEHighColourDepths(t *testing.T) {
	tests := []struct {
		bpp   uint16
		bytes []byte
		want  color.RGBA
	}{
		{15, []byte{0x1F, 0x7C}, color.RGBA{0xFF, 0x00, 0xFF, 0xFF}}, // x11111 00000 11111
		{15, []byte{0xE0, 0x03}, color.RGBA{0x00, 0xFF, 0x00, 0xFF}},
		{16, []byte{0x00, 0xF8}, color.RGBA{0xFF, 0x00, 0x00, 0xFF}},
		{16, []byte{0xE0, 0x07}, color.RGBA{0x00, 0xFF, 0x00, 0xFF}},
		{16, []byte{0x10, 0x84}, color.RGBA{0x84, 0x82, 0x84, 0xFF}}, // 10000 100000 10000
		{24, []byte{0x56, 0x34, 0x12}, color.RGBA{0x12, 0x34, 0x56, 0xFF}},
	}
	for _, tc := range tests {
		r := newVBERig(t)
		r.setMode(64, 8, tc.bpp, enLFB)
		at := uint32(3*64+5) * uint32(len(tc.bytes)) // pixel (5, 3)
		for i, b := range tc.bytes {
			r.bus.Write(lfbBase+at+uint32(i), 1, uint32(b))
		}
		if got := r.vga.Render(nil).RGBAAt(5, 3); got != tc.want {
			t.Errorf("%d bpp %x: pixel = %v, want %v", tc.bpp, tc.bytes, got, tc.want)
		}
	}
}

func TestVBEEnableClearsUnlessNoClearMem(t *testing.T) {
	r := newVBERig(t)
	r.bus.Write(lfbBase+8, 4, 0xDEADBEEF)
	r.setMode(320, 200, 32, enNoClearMem)
	if v := r.bus.Read(lfbBase+8, 4); v != 0xDEADBEEF {
		t.Errorf("NOCLEARMEM: memory %#x, want kept", v)
	}
	r.setMode(320, 200, 32, 0)
	if v := r.bus.Read(lfbBase+8, 4); v != 0 {
		t.Errorf("enable: memory %#x, want cleared", v)
	}
}

func TestVBEOffGivesTheVGABack(t *testing.T) {
	r := newVBERig(t)
	r.bus.Write(textBase, 2, 0x1E41) // 'A' in mode 3, still in the planes
	r.setMode(800, 600, 32, enLFB)
	if g := r.vga.Geometry(); g.Width != 800 || g.Height != 600 {
		t.Fatalf("VBE geometry %+v", g)
	}
	r.dispi(dispiEnable, 0)
	if g := r.vga.Geometry(); g.Graphics || g.Width != 720 || g.Height != 400 {
		t.Errorf("geometry after disabling %+v, want mode 3's 720x400 text", g)
	}
	if s := r.vga.TextScreen(); s[0] != 'A' {
		t.Errorf("text screen starts %q, want the planes untouched", s[:4])
	}
	// SetMode turns the extension off too.
	r.setMode(800, 600, 32, enLFB)
	if err := r.vga.SetMode(0x13); err != nil {
		t.Fatal(err)
	}
	if r.vga.Enabled() || r.dispiRead(dispiEnable) != 0 {
		t.Error("SetMode left the VBE extension on")
	}
}

func TestStdVGAPCIFunction(t *testing.T) {
	b, err := vga.NewBochs(clock.New(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	rom := make([]byte, 38912) // the size of Debian's vgabios-stdvga.bin
	rom[0], rom[1] = 0x55, 0xAA
	fn, err := vga.NewPCI(b, rom)
	if err != nil {
		t.Fatal(err)
	}
	host := pci.NewHost()
	bs := bus.New()
	if err := bs.MapPorts(pci.Base, pci.Size, "pci", host, bus.SizeAll); err != nil {
		t.Fatal(err)
	}
	if err := host.Attach(2, 0, fn); err != nil {
		t.Fatal(err)
	}
	var events []pci.BARChange
	host.OnBAR = func(c pci.BARChange) { events = append(events, c) }
	cfg := func(reg uint8) uint32 {
		bs.Out(0xCF8, 4, 1<<31|2<<11|uint32(reg))
		return bs.In(0xCFC, 4)
	}
	set := func(reg uint8, v uint32) {
		bs.Out(0xCF8, 4, 1<<31|2<<11|uint32(reg))
		bs.Out(0xCFC, 4, v)
	}
	if v := cfg(0); v != 0x11111234 {
		t.Errorf("vendor/device = %#x, want 0x11111234", v)
	}
	if v := cfg(8) >> 8; v != 0x030000 {
		t.Errorf("class = %#x, want 0x030000", v)
	}
	set(0x10, 0xFFFFFFFF)
	if v := cfg(0x10); v != 0xFF000008 {
		t.Errorf("BAR 0 sizes to %#x, want 16 MiB prefetchable 0xff000008", v)
	}
	set(0x30, 0xFFFFF800)
	if v := cfg(0x30); v != 0xFFFF0000 {
		t.Errorf("ROM BAR sizes to %#x, want 64 KiB 0xffff0000", v)
	}
	if len(fn.ROM()) != 64<<10 || fn.ROM()[0] != 0x55 || fn.ROM()[1] != 0xAA {
		t.Errorf("ROM() is %d bytes starting %x", len(fn.ROM()), fn.ROM()[:2])
	}
	set(0x10, 0xFD000000)
	set(0x30, 0xFEB40001)
	set(pci.RegCommand, pci.CmdIO|pci.CmdMemory)
	if len(events) != 2 ||
		events[0].New != (pci.Region{Space: pci.SpaceMemoryPrefetch, Base: 0xFD000000, Size: 16 << 20}) ||
		events[1].BAR != pci.ROMBAR || events[1].New != (pci.Region{Space: pci.SpaceMemory, Base: 0xFEB40000, Size: 64 << 10}) {
		t.Errorf("BAR events %+v", events)
	}
	if noROM, err := vga.NewPCI(b, nil); err != nil || noROM.ROM() != nil || noROM.PCIConfig().BAR(pci.ROMBAR).Mapped() {
		t.Errorf("NewPCI without a ROM: %v", err)
	}
}

func TestVBEArbitraryInputNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	b, err := vga.NewBochs(clock.New(0), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	p := b.VBE()
	for round := 0; round < 100; round++ {
		for i := 0; i < 20; i++ {
			p.WritePort(0, 2, uint32(rng.Intn(12)))
			p.WritePort(1, 2, rng.Uint32())
			p.ReadPort(uint16(rng.Intn(3)), 2)
			b.WriteMMIO(uint32(rng.Intn(vga.MemSize)), 4, rng.Uint32())
			b.Framebuffer().WriteMMIO(uint32(rng.Intn(2<<20)), 4, rng.Uint32())
		}
		g := b.Geometry()
		img := b.Render(nil)
		if img.Rect.Dx() != g.Width || img.Rect.Dy() != g.Height {
			t.Fatalf("round %d: frame %v for geometry %+v", round, img.Rect, g)
		}
	}
	if _, err := vga.NewBochs(nil, 3<<20); err == nil {
		t.Error("NewBochs accepted 3 MiB of video memory")
	}
}
