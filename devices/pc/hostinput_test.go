package pc

import (
	"bytes"
	"context"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/debugport"
)

// haltRX is a ROM at F000:0000 (reset vector F000:FFF0 jumps to it) that
// points IRQ 4 at a handler, unmasks it on the 8259, enables the UART's
// receive interrupt and OUT2, and halts; the handler writes the received
// byte to isa-debug-exit. Source:
//
//	cli / xor ax,ax / mov ss,ax / mov sp,7000h / mov ds,ax
//	mov word [0Ch*4],handler / mov word [0Ch*4+2],0F000h
//	ICW1-4 11h,08h,04h,01h to 20h/21h; OCW1 0EFh to 21h
//	IER (3F9h) = 1; MCR (3FCh) = 08h; sti
//	.idle: hlt / jmp .idle
//	handler: mov dx,3F8h / in al,dx / out 0F4h,al / jmp handler
var haltRX = []byte{
	0xfa, 0x31, 0xc0, 0x8e, 0xd0, 0xbc, 0x00, 0x70, 0x8e, 0xd8, 0xc7, 0x06,
	0x30, 0x00, 0x3a, 0x00, 0xc7, 0x06, 0x32, 0x00, 0x00, 0xf0, 0xb0, 0x11,
	0xe6, 0x20, 0xb0, 0x08, 0xe6, 0x21, 0xb0, 0x04, 0xe6, 0x21, 0xb0, 0x01,
	0xe6, 0x21, 0xb0, 0xef, 0xe6, 0x21, 0xba, 0xf9, 0x03, 0xb0, 0x01, 0xee,
	0xba, 0xfc, 0x03, 0xb0, 0x08, 0xee, 0xfb, 0xf4, 0xeb, 0xfd, 0xba, 0xf8,
	0x03, 0xec, 0xe6, 0xf4, 0xeb, 0xf8,
}

// TestSerialInputWakesHaltedGuest: a guest halted waiting for the UART's
// interrupt, touching no register, still gets host input (Linux's idle
// shell did not, so a spec's second command never arrived), and in real
// time it gets it at once rather than at the next timer event.
func TestSerialInputWakesHaltedGuest(t *testing.T) {
	for _, realtime := range []bool{false, true} {
		rom := bytes.Repeat([]byte{0xF4}, 64<<10)
		copy(rom, haltRX)
		copy(rom[0xFFF0:], []byte{0xEA, 0x00, 0x00, 0x00, 0xF0}) // jmp F000:0000
		exit := debugport.DefaultConfig()
		m, err := New(Config{Model: cpu.Model486, MemBytes: 1 << 20, BIOS: rom, DebugExit: &exit})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(100 * time.Millisecond) // long after the guest halted
			m.COM[0].Receive([]byte{0x15})     // LCR is at its reset value: 5-bit words
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		start := time.Now()
		res, err := m.Run(ctx, RunOptions{Realtime: realtime})
		cancel()
		if err != nil || res.Outcome != DebugExit || res.Status != 0x15<<1|1 {
			t.Fatalf("realtime %v: result %+v, %v; want debug-exit with 15h (status %#x)", realtime, res, err, 0x15<<1|1)
		}
		if el := time.Since(start); realtime && el > time.Second {
			t.Errorf("realtime: the byte took %v to arrive", el)
		}
	}
}
