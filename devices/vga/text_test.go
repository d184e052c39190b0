package vga_test

import (
	"strings"
	"testing"

	"ringzero/devices/vga"
)

func TestSetMode3ThenTextScreen(t *testing.T) {
	r := newRig(t, 3)
	for i, c := range []byte("Hello, world") {
		r.bus.Write(textBase+uint32(i)*2, 2, 0x0700|uint32(c))
	}
	// Row 1 through byte writes: code page 437 characters.
	for i, c := range []byte{0x82, 0xB0, 0xC9, 0xCD, 0xBB, 0xE1} {
		r.poke(textBase+160+uint32(i)*2, c)
	}
	r.poke(textBase+24*160+79*2, '!')
	lines := strings.Split(r.vga.TextScreen(), "\n")
	if len(lines) != 25 {
		t.Fatalf("TextScreen has %d lines, want 25", len(lines))
	}
	if lines[0] != "Hello, world" {
		t.Errorf("line 0 = %q", lines[0])
	}
	if lines[1] != "é░╔═╗ß" {
		t.Errorf("line 1 = %q", lines[1])
	}
	if want := strings.Repeat(" ", 79) + "!"; lines[24] != want {
		t.Errorf("line 24 = %q", lines[24])
	}
	for i := 2; i < 24; i++ {
		if lines[i] != "" {
			t.Errorf("line %d = %q, want blank", i, lines[i])
		}
	}

	// The start address scrolls the page.
	r.crtc(0x0C, 0)
	r.crtc(0x0D, 80)
	if got := strings.SplitN(r.vga.TextScreen(), "\n", 2)[0]; got != "é░╔═╗ß" {
		t.Errorf("after scrolling one row, line 0 = %q", got)
	}

	if err := r.vga.SetMode(0x13); err != nil {
		t.Fatal(err)
	}
	if got := r.vga.TextScreen(); got != "" {
		t.Errorf("TextScreen in mode 13h = %q, want empty", got)
	}
}

func TestSetModeKeepsMemoryWithBit7(t *testing.T) {
	r := newRig(t, 3)
	r.poke(textBase, 'Z')
	if err := r.vga.SetMode(0x83); err != nil {
		t.Fatal(err)
	}
	if got := r.vga.TextScreen(); !strings.HasPrefix(got, "Z") {
		t.Errorf("after SetMode(0x83) screen starts %q, want Z kept", got[:1])
	}
	if err := r.vga.SetMode(3); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(r.vga.TextScreen()); got != "" {
		t.Errorf("after SetMode(3) screen = %q, want cleared", got)
	}
}

func TestMode7UsesMonoAddresses(t *testing.T) {
	r := newRig(t, 7)
	r.poke(0xB0000, 'M')
	r.poke(0xB0001, 0x01) // underlined
	if got := r.vga.TextScreen(); !strings.HasPrefix(got, "M") {
		t.Errorf("mode 7 screen starts %q, want M", got)
	}
	r.out(portCRTCMono, 0x0A)
	r.out(portCRTCMono+1, 0x20) // cursor off
	img := r.vga.Render(nil)
	on := r.dacColor(r.attrRead(1))
	if got := img.RGBAAt(3, 15); got != on {
		t.Errorf("underline pixel = %v, want %v", got, on)
	}
}

func TestCursorPosition(t *testing.T) {
	r := newRig(t, 3)
	r.crtc(0x0E, 0x01)
	r.crtc(0x0F, 0x90) // 400 = row 5, column 0
	if col, row, ok := r.vga.Cursor(); col != 0 || row != 5 || !ok {
		t.Errorf("Cursor() = %d, %d, %v, want 0, 5, true", col, row, ok)
	}
	r.crtc(0x0A, 0x20)
	if _, _, ok := r.vga.Cursor(); ok {
		t.Error("disabled cursor reported visible")
	}
}

func TestCP437Table(t *testing.T) {
	checks := map[byte]rune{0x00: ' ', 0x01: '☺', 0x41: 'A', 0x7E: '~', 0x7F: '⌂', 0x80: 'Ç',
		0x9F: 'ƒ', 0xB0: '░', 0xB3: '│', 0xC5: '┼', 0xCE: '╬', 0xDB: '█', 0xE0: 'α', 0xFE: '■', 0xFF: '\u00A0'}
	for b, want := range checks {
		if got := vga.CP437(b); got != want {
			t.Errorf("CP437(%#x) = %q, want %q", b, got, want)
		}
	}
	seen := map[rune]byte{}
	for i := 1; i < 256; i++ {
		r := vga.CP437(byte(i))
		if prev, dup := seen[r]; dup {
			t.Errorf("CP437(%#x) and CP437(%#x) are both %q", prev, i, r)
		}
		seen[r] = byte(i)
	}
}
