package vga

import "ringzero/devices/clock"

// Adapter is one VGA: its registers, DAC and 256 KiB of planar memory. It
// serves the port range PortBase-PortBase+PortSize-1 and the memory window
// MemBase-MemBase+MemSize-1, both as offsets. It is not safe for
// concurrent use: register and memory accesses, Render and the helpers
// must all come from the goroutine that owns the clock (the board renders
// between engine time slices).
type Adapter struct {
	clk *clock.Clock // virtual time for the retrace status and blinking

	misc    uint8 // miscellaneous output
	feature uint8 // feature control
	enable  uint8 // video subsystem enable (0x3C3)

	seqIndex  uint8
	seq       [numSR]uint8
	crtcIndex uint8
	crtc      [numCR]uint8
	gcIndex   uint8
	gc        [numGR]uint8

	attrIndex uint8 // index (bits 0-4) and palette address source (bit 5)
	attrData  bool  // attribute flip-flop: the next 0x3C0 write is data
	attr      [numAR]uint8

	dacMask      uint8         // pixel mask (0x3C6)
	dacState     uint8         // 0x3C7 read: 0 after a write index, 3 after a read index
	dacRead      uint8         // entry read next through 0x3C9
	dacWrite     uint8         // entry written next through 0x3C9
	dacReadStep  int           // component (0 red, 1 green, 2 blue) read next
	dacWriteStep int           // component written next
	dacLatch     [3]uint8      // components of the entry being written
	dac          [256][3]uint8 // 6-bit red, green, blue

	planes [4][PlaneSize]byte
	latch  [4]uint8 // loaded by every memory read, used by the write modes
}

// New returns an adapter driven by clk, in BIOS text mode 3 with the
// built-in font loaded, as if the video BIOS had run; a nil clk gives a
// private clock that never advances.
func New(clk *clock.Clock) *Adapter {
	if clk == nil {
		clk = clock.New(0)
	}
	a := &Adapter{clk: clk}
	a.Reset()
	return a
}

// Reset puts the adapter into BIOS text mode 3 with cleared memory and
// the built-in 8x16 font in character map 0.
func (a *Adapter) Reset() {
	a.planes = [4][PlaneSize]byte{}
	a.feature = 0
	a.enable = 1
	_ = a.SetMode(3) // mode 3 is in the table
}

// ReadPort reads size bytes from the register block, one port per byte.
func (a *Adapter) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		v |= uint32(a.readPort(off+uint16(i))) << (8 * i)
	}
	return v
}

// WritePort writes size bytes to the register block, one port per byte,
// lowest first: a 16-bit write to an index port sets the index, then the
// data register.
func (a *Adapter) WritePort(off uint16, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		a.writePort(off+uint16(i), uint8(v>>(8*i)))
	}
}

// crtcAt reports whether the CRTC and input status 1 answer at offset off
// under the current I/O address select.
func (a *Adapter) crtcAt(off uint16) bool {
	color := a.misc&miscColor != 0
	switch off {
	case offCRTCIndexMono, offCRTCDataMono, offStatus1Mono:
		return !color
	case offCRTCIndexColor, offCRTCDataColor, offStatus1Color:
		return color
	}
	return false
}

func (a *Adapter) readPort(off uint16) uint8 {
	switch off {
	case offAttrIndex:
		return a.attrIndex
	case offAttrData:
		if i := a.attrIndex & 0x1F; i < numAR {
			return a.attr[i]
		}
		return 0
	case offMisc:
		return 0 // input status 0: no switch sense, no CRT interrupt
	case offEnable:
		return a.enable
	case offSeqIndex:
		return a.seqIndex
	case offSeqData:
		if a.seqIndex < numSR {
			return a.seq[a.seqIndex]
		}
	case offDACMask:
		return a.dacMask
	case offDACReadIndex:
		return a.dacState
	case offDACWriteIndex:
		return a.dacWrite
	case offDACData:
		v := a.dac[a.dacRead][a.dacReadStep]
		if a.dacReadStep++; a.dacReadStep == 3 {
			a.dacReadStep = 0
			a.dacRead++
		}
		return v
	case offFeatureRead:
		return a.feature
	case offMiscRead:
		return a.misc
	case offGCIndex:
		return a.gcIndex
	case offGCData:
		if a.gcIndex < numGR {
			return a.gc[a.gcIndex]
		}
	case offCRTCIndexMono, offCRTCIndexColor:
		if a.crtcAt(off) {
			return a.crtcIndex
		}
	case offCRTCDataMono, offCRTCDataColor:
		if a.crtcAt(off) && a.crtcIndex < numCR {
			return a.crtc[a.crtcIndex]
		}
	case offStatus1Mono, offStatus1Color:
		if a.crtcAt(off) {
			a.attrData = false // reading input status 1 resets the flip-flop
			return a.status1()
		}
	}
	return 0xFF
}

func (a *Adapter) writePort(off uint16, v uint8) {
	switch off {
	case offAttrIndex:
		a.writeAttr(v)
	case offMisc:
		a.misc = v
	case offEnable:
		a.enable = v & 1
	case offSeqIndex:
		a.seqIndex = v & 0x07
	case offSeqData:
		if a.seqIndex < numSR {
			a.seq[a.seqIndex] = v & srMask[a.seqIndex]
		}
	case offDACMask:
		a.dacMask = v
	case offDACReadIndex:
		a.dacRead, a.dacReadStep, a.dacState = v, 0, 3
	case offDACWriteIndex:
		a.dacWrite, a.dacWriteStep, a.dacState = v, 0, 0
	case offDACData:
		// The DAC takes an entry only when all three components are in.
		a.dacLatch[a.dacWriteStep] = v & 0x3F
		if a.dacWriteStep++; a.dacWriteStep == 3 {
			a.dacWriteStep = 0
			a.dac[a.dacWrite] = a.dacLatch
			a.dacWrite++
		}
	case offGCIndex:
		a.gcIndex = v & 0x0F
	case offGCData:
		if a.gcIndex < numGR {
			a.gc[a.gcIndex] = v & grMask[a.gcIndex]
		}
	case offCRTCIndexMono, offCRTCIndexColor:
		if a.crtcAt(off) {
			a.crtcIndex = v & 0x3F
		}
	case offCRTCDataMono, offCRTCDataColor:
		if a.crtcAt(off) {
			a.writeCRTC(a.crtcIndex, v)
		}
	case offStatus1Mono, offStatus1Color:
		if a.crtcAt(off) {
			a.feature = v
		}
	}
}

// writeAttr handles a write to 0x3C0: the flip-flop alternates between the
// index (with the palette address source bit) and the data register.
// Palette registers 0-15 only take data while the palette address source
// is clear, i.e. while the display is blanked for palette loading.
func (a *Adapter) writeAttr(v uint8) {
	if !a.attrData {
		a.attrIndex = v & 0x3F
		a.attrData = true
		return
	}
	a.attrData = false
	i := a.attrIndex & 0x1F
	if i >= numAR || (i < 0x10 && a.attrIndex&arIndexPAS != 0) {
		return
	}
	a.attr[i] = v & arMask(i)
}

// writeCRTC stores a CRTC register, honouring the CR11 protect bit: with it
// set, CR00-CR07 ignore writes except the line compare bit 8 in CR07.
func (a *Adapter) writeCRTC(i, v uint8) {
	if i >= numCR {
		return
	}
	if a.crtc[crVRetraceEnd]&cr11Protect != 0 && i <= crOverflow {
		if i == crOverflow {
			a.crtc[i] = a.crtc[i]&^0x10 | v&0x10
		}
		return
	}
	a.crtc[i] = v
}
