package debugport

// The POST code port. Firmware writes a progress code here at each step
// of the power-on self test; a POST card on the ISA bus latches and shows
// the last one. (Port 0x80 is the spare register of the AT's DMA page
// register file, devices/dma leaves it to this package.)
const (
	// POSTPort is the port firmware writes POST codes to.
	POSTPort = 0x80
	// POSTSize is the number of ports the latch decodes.
	POSTSize = 1
	// POSTHistory is how many of the most recent codes POST keeps.
	POSTHistory = 64
)

// POST is the POST code latch: it remembers the last code written, the
// last POSTHistory codes in order, and how many were written in all, and
// tells an optional callback about each one. Reading the port returns the
// last code (0 before the first), as the AT's page register file does.
//
// Linux and other systems also write port 0x80 as an I/O delay; those
// writes are codes like any other, which is why the history is bounded.
type POST struct {
	onCode func(code uint8)   // called for every write; may be nil
	last   uint8              // the latched code
	count  uint64             // codes written since New
	hist   [POSTHistory]uint8 // ring: code number k is at hist[k%POSTHistory]
}

// NewPOST returns an empty latch. onCode, if not nil, is called with
// every code the guest writes, on the bus's goroutine.
func NewPOST(onCode func(code uint8)) *POST { return &POST{onCode: onCode} }

// Last returns the last code written; ok is false if none was.
func (p *POST) Last() (code uint8, ok bool) { return p.last, p.count > 0 }

// Count is the number of codes written since New.
func (p *POST) Count() uint64 { return p.count }

// History returns up to POSTHistory of the most recent codes, oldest
// first, in a new slice.
func (p *POST) History() []uint8 {
	n := min(p.count, POSTHistory)
	h := make([]uint8, 0, n)
	for k := p.count - n; k < p.count; k++ {
		h = append(h, p.hist[k%POSTHistory])
	}
	return h
}

// Reset does nothing on purpose: a POST display keeps showing its last
// code across a machine reset, which is what makes it useful for finding
// where a reboot loop stops.
func (p *POST) Reset() {}

// ReadPort implements bus.PortHandler: the latch reads back the last
// code; byte lanes past the port read 0xFF.
func (p *POST) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		b := uint32(0xFF)
		if uint32(off)+uint32(i) < POSTSize {
			b = uint32(p.last)
		}
		v |= b << (8 * i)
	}
	return v
}

// WritePort implements bus.PortHandler: the byte on the POST port is the
// code (the low byte of a wider OUT).
func (p *POST) WritePort(off uint16, size int, v uint32) {
	if off != 0 || size < 1 {
		return
	}
	code := uint8(v)
	p.last = code
	p.hist[p.count%POSTHistory] = code
	p.count++
	if p.onCode != nil {
		p.onCode(code)
	}
}
