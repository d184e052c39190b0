// Package testbios builds the tiny BIOS the window tests boot: 64 KiB of
// hand-assembled 8086 code that puts a banner on the text screen, then
// polls the 8042 and echoes every byte it reads from port 0x60 as two hex
// digits and a space, on the screen and on the 0xE9 debug console. It
// stands in for the real BIOS so the tests see raw scan codes.
package testbios

import (
	"bytes"
	"fmt"
)

// Banner is the first line the ROM writes to the screen; the debug
// console gets Ready once it is there and the ROM polls the keyboard.
const (
	Banner = "RINGZERO WINDOW TEST - KEYS ECHO BELOW"
	Ready  = "ready\n"
)

// Size is the ROM size: the smallest the board accepts.
const Size = 64 << 10

// codeAt is where the code starts inside the ROM (F000:E000).
const codeAt = 0xE000

// Image returns the ROM. Its reset vector at F000:FFF0 jumps to F000:E000:
//
//	cli
//	xor ax,ax / mov ss,ax / mov sp,0x7000
//	mov ax,0xB800 / mov es,ax         ; text memory
//	push cs / pop ds                  ; data lives in the ROM
//	mov dx,0x3D4 / mov ax,0x200A / out dx,ax ; CR0A bit 5: cursor off
//	mov si,banner / xor di,di / mov ah,0x1F
//	banner: lodsb / test al,al / jz done / stosw / jmp banner
//	done:   mov si,ready
//	ready:  lodsb / test al,al / jz poll0 / out 0xE9,al / jmp ready
//	poll0:  mov di,160                ; row 1
//	poll:   in al,0x64 / test al,1 / jz poll
//	        in al,0x60 / mov bl,al / mov cl,4 / shr al,cl / call hex
//	        mov al,bl / and al,0x0F / call hex
//	        mov al,' ' / out 0xE9,al / mov ah,0x07 / stosw
//	        cmp di,4000 / jb poll / mov di,160 / jmp poll
//	hex:    cmp al,10 / jb digit / add al,7
//	digit:  add al,'0' / out 0xE9,al / mov ah,0x0E / stosw / ret
func Image() []byte {
	var a asm
	a.emit(0xFA)                   // cli
	a.emit(0x31, 0xC0)             // xor ax,ax
	a.emit(0x8E, 0xD0)             // mov ss,ax
	a.emit(0xBC, 0x00, 0x70)       // mov sp,0x7000
	a.emit(0xB8, 0x00, 0xB8)       // mov ax,0xB800
	a.emit(0x8E, 0xC0)             // mov es,ax
	a.emit(0x0E, 0x1F)             // push cs; pop ds
	a.emit(0xBA, 0xD4, 0x03)       // mov dx,0x3D4
	a.emit(0xB8, 0x0A, 0x20)       // mov ax,0x200A
	a.emit(0xEF)                   // out dx,ax
	a.imm16(0xBE, "banner")        // mov si,banner
	a.emit(0x31, 0xFF)             // xor di,di
	a.emit(0xB4, 0x1F)             // mov ah,0x1F: white on blue
	a.label("bannerLoop")          //
	a.emit(0xAC)                   // lodsb
	a.emit(0x84, 0xC0)             // test al,al
	a.jcc(0x74, "bannerDone")      // jz
	a.emit(0xAB)                   // stosw
	a.jcc(0xEB, "bannerLoop")      // jmp short
	a.label("bannerDone")          //
	a.imm16(0xBE, "ready")         // mov si,ready
	a.label("readyLoop")           //
	a.emit(0xAC)                   // lodsb
	a.emit(0x84, 0xC0)             // test al,al
	a.jcc(0x74, "poll0")           // jz
	a.emit(0xE6, 0xE9)             // out 0xE9,al
	a.jcc(0xEB, "readyLoop")       // jmp short
	a.label("poll0")               //
	a.emit(0xBF, 0xA0, 0x00)       // mov di,160
	a.label("poll")                //
	a.emit(0xE4, 0x64)             // in al,0x64
	a.emit(0xA8, 0x01)             // test al,1: output buffer full
	a.jcc(0x74, "poll")            // jz
	a.emit(0xE4, 0x60)             // in al,0x60
	a.emit(0x88, 0xC3)             // mov bl,al
	a.emit(0xB1, 0x04)             // mov cl,4
	a.emit(0xD2, 0xE8)             // shr al,cl
	a.call("hex")                  //
	a.emit(0x88, 0xD8)             // mov al,bl
	a.emit(0x24, 0x0F)             // and al,0x0F
	a.call("hex")                  //
	a.emit(0xB0, ' ')              // mov al,' '
	a.emit(0xE6, 0xE9)             // out 0xE9,al
	a.emit(0xB4, 0x07)             // mov ah,0x07
	a.emit(0xAB)                   // stosw
	a.emit(0x81, 0xFF, 0xA0, 0x0F) // cmp di,4000
	a.jcc(0x72, "poll")            // jb
	a.emit(0xBF, 0xA0, 0x00)       // mov di,160
	a.jcc(0xEB, "poll")            // jmp short
	a.label("hex")                 //
	a.emit(0x3C, 0x0A)             // cmp al,10
	a.jcc(0x72, "digit")           // jb
	a.emit(0x04, 0x07)             // add al,7: 'A'-'0'-10
	a.label("digit")               //
	a.emit(0x04, '0')              // add al,'0'
	a.emit(0xE6, 0xE9)             // out 0xE9,al
	a.emit(0xB4, 0x0E)             // mov ah,0x0E: yellow on black
	a.emit(0xAB)                   // stosw
	a.emit(0xC3)                   // ret
	a.label("banner")
	a.emit([]byte(Banner + "\x00")...)
	a.label("ready")
	a.emit([]byte(Ready + "\x00")...)
	code, err := a.link()
	if err != nil {
		panic(err) // the program above is fixed: only a bug here fails
	}

	rom := bytes.Repeat([]byte{0xF4}, Size) // hlt everywhere else
	copy(rom[codeAt:], code)
	copy(rom[0xFFF0:], []byte{0xEA, codeAt & 0xFF, codeAt >> 8, 0x00, 0xF0}) // jmp far F000:E000
	return rom
}

// asm is just enough of an assembler for Image: bytes, labels, short
// conditional jumps, near calls and 16-bit label immediates.
type asm struct {
	code   []byte
	labels map[string]int
	fixups []fixup
}

type fixup struct {
	at    int    // offset of the field to patch
	label string // target
	kind  int    // rel8, rel16 or abs16
}

const (
	rel8 = iota
	rel16
	abs16
)

func (a *asm) emit(b ...byte) { a.code = append(a.code, b...) }

func (a *asm) label(name string) {
	if a.labels == nil {
		a.labels = map[string]int{}
	}
	a.labels[name] = len(a.code)
}

// jcc emits a two-byte jump (Jcc rel8 or JMP short) to label.
func (a *asm) jcc(op byte, label string) {
	a.emit(op, 0)
	a.fixups = append(a.fixups, fixup{len(a.code) - 1, label, rel8})
}

// call emits CALL rel16 to label.
func (a *asm) call(label string) {
	a.emit(0xE8, 0, 0)
	a.fixups = append(a.fixups, fixup{len(a.code) - 2, label, rel16})
}

// imm16 emits op followed by label's offset within segment F000.
func (a *asm) imm16(op byte, label string) {
	a.emit(op, 0, 0)
	a.fixups = append(a.fixups, fixup{len(a.code) - 2, label, abs16})
}

func (a *asm) link() ([]byte, error) {
	for _, f := range a.fixups {
		to, ok := a.labels[f.label]
		if !ok {
			return nil, fmt.Errorf("testbios: no label %q", f.label)
		}
		switch f.kind {
		case rel8:
			d := to - (f.at + 1)
			if d < -128 || d > 127 {
				return nil, fmt.Errorf("testbios: jump to %q out of range (%d)", f.label, d)
			}
			a.code[f.at] = byte(int8(d))
		case rel16:
			d := to - (f.at + 2)
			a.code[f.at], a.code[f.at+1] = byte(d), byte(d>>8)
		case abs16:
			v := codeAt + to
			a.code[f.at], a.code[f.at+1] = byte(v), byte(v>>8)
		}
	}
	return a.code, nil
}
