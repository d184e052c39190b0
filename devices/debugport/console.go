package debugport

import "io"

// The debug console port (Bochs "port E9 hack", QEMU -debugcon).
const (
	// ConsolePort is the port the guest writes characters to.
	ConsolePort = 0xE9
	// ConsoleSize is the number of ports the console decodes.
	ConsoleSize = 1
	// ConsoleReadback is what reading the port returns; guests read it
	// to detect the console (QEMU's default readback value).
	ConsoleReadback = 0xE9
)

// Console is the debug console: every byte the guest writes to its port
// goes to the host writer, unbuffered and in order. It has no status and
// no interrupt; reading the port returns ConsoleReadback.
//
// The writer is called on the bus's goroutine, so a writer that blocks
// holds up the guest, as QEMU's -debugcon does; give it a bytes.Buffer,
// a file or a terminal, not a pipe nobody reads.
type Console struct {
	w   io.Writer // nil: output is discarded
	err error     // first error from w; output stops after it
	b   [1]byte   // avoids an allocation per character
}

// NewConsole returns a console writing to w (nil discards the output).
func NewConsole(w io.Writer) *Console { return &Console{w: w} }

// SetOutput changes where the console writes (nil: nowhere) and forgets
// any earlier output error.
func (c *Console) SetOutput(w io.Writer) { c.w, c.err = w, nil }

// Err returns the first error the writer returned. After an error the
// console stops writing; the guest sees no difference.
func (c *Console) Err() error { return c.err }

// Reset does nothing: the console has no state the guest can change.
func (c *Console) Reset() {}

// ReadPort implements bus.PortHandler. The console port reads
// ConsoleReadback; byte lanes past it read 0xFF (nothing decodes them).
func (c *Console) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		b := uint32(0xFF)
		if uint32(off)+uint32(i) < ConsoleSize {
			b = ConsoleReadback
		}
		v |= b << (8 * i)
	}
	return v
}

// WritePort implements bus.PortHandler. Only the byte that lands on the
// console port is a character: a 16-bit OUT writes its low byte, as an
// 8-bit device on the ISA bus sees it.
func (c *Console) WritePort(off uint16, size int, v uint32) {
	if off != 0 || size < 1 || c.w == nil || c.err != nil {
		return
	}
	c.b[0] = byte(v)
	if _, err := c.w.Write(c.b[:]); err != nil {
		c.err = err
	}
}
