package vga_test

import "testing"

// planes reads the four plane bytes at addr of the A0000 map through read
// mode 0 and read map select.
func (r *rig) planes(addr uint32) [4]uint8 {
	var p [4]uint8
	for i := range p {
		r.gc(4, uint8(i))
		p[i] = r.peek(addr)
	}
	return p
}

// fill writes v into the planes at addr one plane at a time (write mode 0
// with no set/reset, rotate, logical operation or bit mask).
func (r *rig) fill(addr uint32, v [4]uint8) {
	for i, b := range v {
		r.seq(2, 1<<i)
		r.poke(addr, b)
	}
	r.seq(2, 0x0F)
}

func TestWriteMode0(t *testing.T) {
	r := newRig(t, 0x12)
	r.poke(gfxBase, 0xA5)
	if got := r.planes(gfxBase); got != [4]uint8{0xA5, 0xA5, 0xA5, 0xA5} {
		t.Errorf("plain write: planes = %#x", got)
	}

	// Set/reset: enabled planes take the set/reset bit, others the data.
	r.gc(0, 0x05)
	r.gc(1, 0x0C)
	r.poke(gfxBase+1, 0x3C)
	if got := r.planes(gfxBase + 1); got != [4]uint8{0x3C, 0x3C, 0xFF, 0x00} {
		t.Errorf("set/reset: planes = %#x, want [3c 3c ff 00]", got)
	}
	r.gc(1, 0)

	// Bit mask: masked bits come from the latches.
	r.fill(gfxBase+2, [4]uint8{0xFF, 0xFF, 0xFF, 0xFF})
	r.peek(gfxBase + 2) // load the latches
	r.gc(8, 0xF0)
	r.poke(gfxBase+2, 0x00)
	if got := r.planes(gfxBase + 2); got != [4]uint8{0x0F, 0x0F, 0x0F, 0x0F} {
		t.Errorf("bit mask: planes = %#x, want all 0x0f", got)
	}
	r.gc(8, 0xFF)

	// Rotate right by 4, then XOR with the latches.
	r.fill(gfxBase+3, [4]uint8{0x0F, 0x00, 0xFF, 0xF0})
	r.peek(gfxBase + 3)
	r.gc(3, 0x18|4)
	r.poke(gfxBase+3, 0x12) // rotated: 0x21
	r.gc(3, 0)
	if got := r.planes(gfxBase + 3); got != [4]uint8{0x2E, 0x21, 0xDE, 0xD1} {
		t.Errorf("rotate+xor: planes = %#x, want [2e 21 de d1]", got)
	}

	// AND and OR.
	for _, c := range []struct {
		op   uint8
		want uint8
	}{{0x08, 0x0F & 0x3C}, {0x10, 0x0F | 0x3C}} {
		r.fill(gfxBase+4, [4]uint8{0x0F, 0x0F, 0x0F, 0x0F})
		r.peek(gfxBase + 4)
		r.gc(3, c.op)
		r.poke(gfxBase+4, 0x3C)
		r.gc(3, 0)
		if got := r.planes(gfxBase + 4); got[0] != c.want || got[3] != c.want {
			t.Errorf("op %#x: planes = %#x, want %#x", c.op, got, c.want)
		}
	}

	// Map mask: only enabled planes change.
	r.fill(gfxBase+5, [4]uint8{1, 2, 3, 4})
	r.seq(2, 0x02)
	r.poke(gfxBase+5, 0x99)
	r.seq(2, 0x0F)
	if got := r.planes(gfxBase + 5); got != [4]uint8{1, 0x99, 3, 4} {
		t.Errorf("map mask 2: planes = %#x, want [01 99 03 04]", got)
	}
}

func TestWriteMode1CopiesLatches(t *testing.T) {
	r := newRig(t, 0x12)
	r.fill(gfxBase+10, [4]uint8{0x11, 0x22, 0x33, 0x44})
	r.gc(5, 0x01)
	r.peek(gfxBase + 10)
	r.poke(gfxBase+20, 0xEE) // data is ignored
	r.gc(5, 0x00)
	if got := r.planes(gfxBase + 20); got != [4]uint8{0x11, 0x22, 0x33, 0x44} {
		t.Errorf("write mode 1: planes = %#x, want [11 22 33 44]", got)
	}
}

func TestWriteMode2(t *testing.T) {
	r := newRig(t, 0x12)
	r.gc(5, 0x02)
	r.poke(gfxBase, 0x09) // colour 9: planes 0 and 3
	r.gc(5, 0x00)
	if got := r.planes(gfxBase); got != [4]uint8{0xFF, 0x00, 0x00, 0xFF} {
		t.Errorf("write mode 2: planes = %#x, want [ff 00 00 ff]", got)
	}
	// One pixel through the bit mask, the way drivers plot.
	r.gc(5, 0x02)
	r.gc(8, 0x10)
	r.peek(gfxBase)
	r.poke(gfxBase, 0x06)
	r.gc(5, 0x00)
	r.gc(8, 0xFF)
	if got := r.planes(gfxBase); got != [4]uint8{0xEF, 0x10, 0x10, 0xEF} {
		t.Errorf("write mode 2 with bit mask: planes = %#x, want [ef 10 10 ef]", got)
	}
}

func TestWriteMode3(t *testing.T) {
	r := newRig(t, 0x12)
	r.fill(gfxBase, [4]uint8{0x81, 0x81, 0x81, 0x81})
	r.peek(gfxBase)
	r.gc(5, 0x03)
	r.gc(0, 0x06) // colour 6: planes 1 and 2
	r.gc(8, 0x7E)
	r.gc(3, 1) // rotate right by one: 0x78 -> 0x3C, masked by 0x7E
	r.poke(gfxBase, 0x78)
	r.gc(3, 0)
	r.gc(5, 0x00)
	want := [4]uint8{0x81, 0xBD, 0xBD, 0x81} // bits 2-5 from set/reset
	if got := r.planes(gfxBase); got != want {
		t.Errorf("write mode 3: planes = %#x, want %#x", got, want)
	}
}

func TestReadMode1ColourCompare(t *testing.T) {
	r := newRig(t, 0x12)
	r.fill(gfxBase+7, [4]uint8{0xF0, 0xCC, 0xAA, 0x00})
	r.gc(5, 0x08)
	r.gc(2, 0x03) // colour 3: planes 0 and 1 set, 2 and 3 clear
	r.gc(7, 0x0F)
	if got := r.peek(gfxBase + 7); got != 0x40 {
		t.Errorf("compare colour 3 = %#x, want 0x40", got)
	}
	r.gc(7, 0x03) // planes 2 and 3 don't care
	if got := r.peek(gfxBase + 7); got != 0xC0 {
		t.Errorf("compare colour 3, planes 0-1 only = %#x, want 0xc0", got)
	}
	r.gc(7, 0x00)
	if got := r.peek(gfxBase + 7); got != 0xFF {
		t.Errorf("compare with every plane don't care = %#x, want 0xff", got)
	}
}

func TestChain4AddressingMode13h(t *testing.T) {
	r := newRig(t, 0x13)
	for x := uint32(0); x < 8; x++ {
		r.poke(gfxBase+x, uint8(0x10+x))
	}
	r.poke(gfxBase+321, 0x77)
	for x := uint32(0); x < 8; x++ {
		if got := r.peek(gfxBase + x); got != uint8(0x10+x) {
			t.Errorf("chain-4 byte %d = %#x, want %#x", x, got, 0x10+x)
		}
	}
	// Unchained, the same bytes sit in plane x&3 at offset x&^3.
	r.seq(4, 0x06)
	if got := r.planes(gfxBase + 4); got != [4]uint8{0x14, 0x15, 0x16, 0x17} {
		t.Errorf("planes at offset 4 = %#x, want [14 15 16 17]", got)
	}
	if got := r.planes(gfxBase + 320); got != [4]uint8{0, 0x77, 0, 0} {
		t.Errorf("planes at offset 320 = %#x, want [00 77 00 00]", got)
	}
	if got := r.planes(gfxBase + 1); got != [4]uint8{} {
		t.Errorf("planes at offset 1 = %#x, want nothing there", got)
	}
}

func TestOddEvenTextAddressing(t *testing.T) {
	r := newRig(t, 3)
	r.bus.Write(textBase+6, 2, 0x1E41) // 'A' on attribute 0x1E at cell 3
	if got := r.bus.Read(textBase+6, 2); got != 0x1E41 {
		t.Errorf("read back = %#x, want 0x1e41", got)
	}
	// Switch to planar addressing at A0000, as a BIOS does to load fonts:
	// the character is in plane 0 and the attribute in plane 1, both at
	// the even offset.
	r.seq(4, 0x06)
	r.gc(5, 0x00)
	r.gc(6, 0x04)
	if got := r.planes(gfxBase + 6); got[0] != 0x41 || got[1] != 0x1E {
		t.Errorf("planes at 6 = %#x, want character 0x41 and attribute 0x1e", got)
	}
	if got := r.planes(gfxBase + 7); got[0] != 0x20 || got[1] != 0x07 {
		t.Errorf("planes at 7 = %#x, want the cleared cell", got)
	}
}

func TestMemoryMapSelect(t *testing.T) {
	r := newRig(t, 3) // B8000, 32 KiB
	r.poke(textBase, 'x')
	for _, addr := range []uint32{0xA0000, 0xAFFFF, 0xB0000, 0xB7FFF} {
		r.poke(addr, 0x55)
		if got := r.peek(addr); got != 0xFF {
			t.Errorf("mode 3: %#x reads %#x, want 0xff (not decoded)", addr, got)
		}
	}
	if got := r.peek(textBase); got != 'x' {
		t.Errorf("mode 3: B8000 = %#x, want 'x'", got)
	}
	r.gc(6, 0x0A) // B0000, 32 KiB
	if got := r.peek(0xB0000); got != 'x' {
		t.Errorf("B0000 map: B0000 = %#x, want 'x'", got)
	}
	if got := r.peek(textBase); got != 0xFF {
		t.Errorf("B0000 map: B8000 = %#x, want 0xff", got)
	}
	r.gc(6, 0x02) // A0000, 128 KiB
	if got := r.peek(0xA0000); got != 'x' {
		t.Errorf("128K map: A0000 = %#x, want 'x'", got)
	}
	r.out(portMiscWrite, r.in(portMiscRead)&^2) // host RAM access off
	if got := r.peek(0xA0000); got != 0xFF {
		t.Errorf("RAM disabled: A0000 = %#x, want 0xff", got)
	}
}
