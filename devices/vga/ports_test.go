package vga_test

import (
	"testing"
)

func TestDACWriteReadCycle(t *testing.T) {
	r := newRig(t, 0x13)
	r.out(portDACWrite, 5)
	for _, v := range []uint8{0x3F, 0x20, 0x41, 1, 2, 3} {
		r.out(portDACData, v)
	}
	if got := r.in(portDACWrite); got != 7 {
		t.Errorf("write index after two entries = %d, want 7", got)
	}
	if got := r.in(portDACRead); got != 0x00 {
		t.Errorf("DAC state after writing = %#x, want 0 (write mode)", got)
	}
	r.out(portDACRead, 5)
	if got := r.in(portDACRead); got != 0x03 {
		t.Errorf("DAC state after read index = %#x, want 3 (read mode)", got)
	}
	want := []uint8{0x3F, 0x20, 0x01, 1, 2, 3} // values are 6 bits
	for i, w := range want {
		if got := r.in(portDACData); got != w {
			t.Errorf("read %d = %#x, want %#x", i, got, w)
		}
	}

	// An entry changes only when its third component arrives, and a new
	// write index restarts the cycle.
	r.setDAC(9, 10, 11, 12)
	r.out(portDACWrite, 9)
	r.out(portDACData, 30)
	r.out(portDACData, 31)
	r.out(portDACRead, 9)
	if got := []uint8{r.in(portDACData), r.in(portDACData), r.in(portDACData)}; got[0] != 10 || got[1] != 11 || got[2] != 12 {
		t.Errorf("entry 9 after two of three writes = %v, want [10 11 12]", got)
	}
	r.out(portDACWrite, 9)
	r.out(portDACData, 40)
	r.out(portDACData, 41)
	r.out(portDACData, 42)
	r.out(portDACRead, 9)
	if got := []uint8{r.in(portDACData), r.in(portDACData), r.in(portDACData)}; got[0] != 40 || got[1] != 41 || got[2] != 42 {
		t.Errorf("entry 9 after a full write = %v, want [40 41 42]", got)
	}

	// Indexes wrap at 256.
	r.setDAC(255, 1, 2, 3)
	r.out(portDACData, 4)
	r.out(portDACData, 5)
	r.out(portDACData, 6)
	r.out(portDACRead, 0)
	if got := r.in(portDACData); got != 4 {
		t.Errorf("entry 0 after wrapping write = %d, want 4", got)
	}

	r.out(portDACMask, 0x0F)
	if got := r.in(portDACMask); got != 0x0F {
		t.Errorf("pixel mask = %#x, want 0x0f", got)
	}
}

func TestAttributeFlipFlopResetByStatusRead(t *testing.T) {
	r := newRig(t, 3)
	r.in(portStatColor)
	r.out(portAttr, 0x30) // index AR10, display on
	r.out(portAttr, 0x08) // data
	if got := r.in(portAttrRead); got != 0x08 {
		t.Fatalf("AR10 = %#x, want 0x08", got)
	}

	r.out(portAttr, 0x31) // index AR11; the flip-flop now expects data
	r.in(portStatColor)   // ... until input status 1 is read
	r.out(portAttr, 0x32) // so this is an index again
	if got := r.in(portAttr); got != 0x32 {
		t.Errorf("attribute index after reset = %#x, want 0x32", got)
	}
	r.out(portAttr, 0x05)
	if got := r.attrRead(0x12); got != 0x05 {
		t.Errorf("AR12 = %#x, want 0x05", got)
	}
	if got := r.attrRead(0x11); got != 0x00 {
		t.Errorf("AR11 = %#x, want it untouched (0)", got)
	}

	// Without the reset, the second write is data.
	r.in(portStatColor)
	r.out(portAttr, 0x31)
	r.out(portAttr, 0x32)
	if got := r.attrRead(0x11); got != 0x32 {
		t.Errorf("AR11 = %#x, want 0x32 written as data", got)
	}

	// In monochrome addressing input status 1 is at 0x3BA; 0x3DA is not
	// decoded and leaves the flip-flop alone.
	r.out(portMiscWrite, r.in(portMiscRead)&^1)
	r.in(portStatMono)
	r.out(portAttr, 0x33) // index AR13
	if got := r.in(portStatColor); got != 0xFF {
		t.Errorf("0x3DA in mono addressing = %#x, want 0xff", got)
	}
	r.out(portAttr, 0x07) // still data for AR13
	r.in(portStatMono)
	r.out(portAttr, 0x33)
	if got := r.in(portAttrRead); got != 0x07 {
		t.Errorf("AR13 = %#x, want 0x07", got)
	}
}

func TestAttributePaletteNeedsPASClear(t *testing.T) {
	r := newRig(t, 3)
	r.in(portStatColor)
	r.out(portAttr, 0x21) // palette 1 with PAS set: display side owns it
	r.out(portAttr, 0x2A)
	if got := r.attrRead(1); got != 0x01 {
		t.Errorf("palette 1 written with PAS set = %#x, want unchanged 0x01", got)
	}
	r.in(portStatColor)
	r.out(portAttr, 0x01) // PAS clear: loading
	r.out(portAttr, 0x2A)
	r.out(portAttr, 0x20) // display on again
	if got := r.attrRead(1); got != 0x2A {
		t.Errorf("palette 1 = %#x, want 0x2a", got)
	}
}

func TestCRTCProtectBit(t *testing.T) {
	r := newRig(t, 3) // CR11 = 0x8E: protected
	r.crtc(0x01, 0x20)
	if got := r.crtcRead(0x01); got != 0x4F {
		t.Errorf("protected CR01 = %#x, want 0x4f", got)
	}
	r.crtc(0x07, 0x00) // only bit 4 (line compare bit 8) may change
	if got := r.crtcRead(0x07); got != 0x0F {
		t.Errorf("protected CR07 = %#x, want 0x0f", got)
	}
	r.crtc(0x11, 0x0E) // clear protect
	r.crtc(0x01, 0x20)
	if got := r.crtcRead(0x01); got != 0x20 {
		t.Errorf("unprotected CR01 = %#x, want 0x20", got)
	}
}

func TestCRTCAddressFollowsMiscBit0(t *testing.T) {
	r := newRig(t, 3)
	r.out(portCRTCColor, 0x0E)
	if got := r.in(portCRTCColor); got != 0x0E {
		t.Errorf("colour CRTC index = %#x, want 0x0e", got)
	}
	if got := r.in(portCRTCMono); got != 0xFF {
		t.Errorf("mono CRTC index in colour addressing = %#x, want 0xff", got)
	}
	r.out(portMiscWrite, 0x66)
	r.out(portCRTCMono, 0x0A)
	if got := r.in(portCRTCMono + 1); got != 0x0D {
		t.Errorf("CR0A via 0x3B5 = %#x, want 0x0d", got)
	}
	if got := r.in(portCRTCColor + 1); got != 0xFF {
		t.Errorf("0x3D5 in mono addressing = %#x, want 0xff", got)
	}
}

func TestSequencerAndGraphicsRegistersReadBack(t *testing.T) {
	r := newRig(t, 0x12)
	r.seq(2, 0xF5)
	r.out(portSeqIndex, 2)
	if got := r.in(portSeqIndex + 1); got != 0x05 {
		t.Errorf("map mask = %#x, want 0x05 (4 bits)", got)
	}
	r.gc(3, 0xFF)
	r.out(portGCIndex, 3)
	if got := r.in(portGCIndex + 1); got != 0x1F {
		t.Errorf("GR3 = %#x, want 0x1f (5 bits)", got)
	}
	if got := r.in(0x3B0); got != 0xFF {
		t.Errorf("undecoded port 0x3B0 = %#x, want 0xff", got)
	}
}
