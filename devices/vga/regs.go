package vga

// Where the board maps the adapter. The whole VGA register block
// 0x3B0-0x3DF is one port range: the CRTC and input status 1 answer at
// 0x3B4/0x3B5/0x3BA or 0x3D4/0x3D5/0x3DA according to misc output bit 0,
// and ports the VGA does not decode read 0xFF and ignore writes. Memory is
// the 128 KiB window at 0xA0000; the graphics controller decides which part
// of it answers. Both ranges accept 1, 2 and 4-byte accesses (wider ones
// are split into bytes, a 16-bit OUT to an index port writing index then
// data), so they can be mapped with bus.SizeAll. The VGA raises no IRQ.
const (
	PortBase = 0x3B0   // first port of the register block
	PortSize = 0x30    // ports 0x3B0-0x3DF
	MemBase  = 0xA0000 // physical base of the memory window
	MemSize  = 0x20000 // 128 KiB, 0xA0000-0xBFFFF
)

// PlaneSize is the size of each of the four memory planes (256 KiB in all).
const PlaneSize = 0x10000

// Port offsets within the range (IBM VGA Technical Reference, register
// address table).
const (
	offCRTCIndexMono  = 0x3B4 - PortBase
	offCRTCDataMono   = 0x3B5 - PortBase
	offStatus1Mono    = 0x3BA - PortBase // read: input status 1; write: feature control
	offAttrIndex      = 0x3C0 - PortBase // index and data writes through the flip-flop
	offAttrData       = 0x3C1 - PortBase // data read
	offMisc           = 0x3C2 - PortBase // write: misc output; read: input status 0
	offEnable         = 0x3C3 - PortBase // video subsystem enable
	offSeqIndex       = 0x3C4 - PortBase
	offSeqData        = 0x3C5 - PortBase
	offDACMask        = 0x3C6 - PortBase
	offDACReadIndex   = 0x3C7 - PortBase // write: read index; read: DAC state
	offDACWriteIndex  = 0x3C8 - PortBase
	offDACData        = 0x3C9 - PortBase
	offFeatureRead    = 0x3CA - PortBase
	offMiscRead       = 0x3CC - PortBase
	offGCIndex        = 0x3CE - PortBase
	offGCData         = 0x3CF - PortBase
	offCRTCIndexColor = 0x3D4 - PortBase
	offCRTCDataColor  = 0x3D5 - PortBase
	offStatus1Color   = 0x3DA - PortBase // read: input status 1; write: feature control
)

// Miscellaneous output register bits.
const (
	miscColor     = 0x01 // I/O address select: CRTC at 0x3Dx rather than 0x3Bx
	miscRAMEnable = 0x02 // host access to video memory
	miscClockMask = 0x0C // dot clock select: 0 = 25.175 MHz, 1 = 28.322 MHz
)

// Input status 1 bits.
const (
	st1DisplayOff = 0x01 // not in active display (blanking or retrace)
	st1VRetrace   = 0x08 // vertical retrace
)

// Sequencer registers.
const (
	srReset   = 0x00
	srClock   = 0x01 // clocking mode
	srMapMask = 0x02
	srCharMap = 0x03
	srMemMode = 0x04
	numSR     = 5

	sr1Dot8       = 0x01 // 8-dot characters (else 9)
	sr1HalfClock  = 0x08 // dot clock divided by 2
	sr1ScreenOff  = 0x20
	sr4OddEvenOff = 0x04 // host writes are not odd/even
	sr4Chain4     = 0x08
)

// srMask holds the implemented bits of each sequencer register.
var srMask = [numSR]uint8{0x03, 0x3D, 0x0F, 0x3F, 0x0E}

// CRT controller registers.
const (
	crHTotal        = 0x00
	crHDispEnd      = 0x01
	crVTotal        = 0x06
	crOverflow      = 0x07
	crPresetRow     = 0x08
	crMaxScan       = 0x09
	crCursorStart   = 0x0A
	crCursorEnd     = 0x0B
	crStartHi       = 0x0C
	crStartLo       = 0x0D
	crCursorHi      = 0x0E
	crCursorLo      = 0x0F
	crVRetraceStart = 0x10
	crVRetraceEnd   = 0x11
	crVDispEnd      = 0x12
	crOffset        = 0x13
	crUnderline     = 0x14
	crMode          = 0x17
	crLineCompare   = 0x18
	numCR           = 0x19

	cr09DoubleScan = 0x80
	cr0ACursorOff  = 0x20
	cr11Protect    = 0x80 // CR00-CR07 read-only except the line compare bit in CR07
	cr14DWord      = 0x40
	cr17Map13      = 0x01 // clear: row scan bit 0 replaces address bit 13 (CGA)
	cr17Map14      = 0x02 // clear: row scan bit 1 replaces address bit 14 (Hercules)
	cr17AddrWrap   = 0x20 // word mode puts address bit 15 (else 13) into bit 0
	cr17Byte       = 0x40 // byte mode (else word mode)
)

// Graphics controller registers.
const (
	grSetReset     = 0x00
	grEnableSR     = 0x01
	grColorCompare = 0x02
	grRotate       = 0x03 // data rotate count (0-2) and logical operation (3-4)
	grReadMap      = 0x04
	grMode         = 0x05
	grMisc         = 0x06
	grDontCare     = 0x07
	grBitMask      = 0x08
	numGR          = 9

	gr5ReadMode1  = 0x08
	gr5HostOE     = 0x10 // host reads are odd/even
	gr5Interleave = 0x20 // CGA shift register mode
	gr5Color256   = 0x40 // 256-colour shift register mode
	gr6Graphics   = 0x01
)

// grMask holds the implemented bits of each graphics controller register.
var grMask = [numGR]uint8{0x0F, 0x0F, 0x0F, 0x1F, 0x03, 0x7B, 0x0F, 0x0F, 0xFF}

// Attribute controller registers.
const (
	arMode        = 0x10
	arOverscan    = 0x11
	arPlaneEnable = 0x12
	arPanning     = 0x13
	arColorSelect = 0x14
	numAR         = 0x15

	arIndexPAS = 0x20 // palette address source: set for normal display

	ar10Graphics  = 0x01
	ar10LineGraph = 0x04 // 9th column repeats the 8th for 0xC0-0xDF
	ar10Blink     = 0x08 // attribute bit 7 blinks (else background intensity)
	ar10PanSplit  = 0x20 // panning is reset below the line compare split
	ar10P54       = 0x80 // colour select bits 0-1 replace palette bits 4-5
)

// arMask holds the implemented bits of each attribute controller register.
func arMask(i uint8) uint8 {
	switch {
	case i < 0x10:
		return 0x3F
	case i == arMode:
		return 0xEF
	case i == arOverscan:
		return 0xFF
	case i == arPlaneEnable:
		return 0x3F
	default:
		return 0x0F
	}
}
