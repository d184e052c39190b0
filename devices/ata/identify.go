package ata

import "encoding/binary"

// Identification strings of the disk (IDENTIFY words 23-26 and 27-46).
const (
	// Model is the model number IDENTIFY DEVICE reports.
	Model = "RINGZERO HARDDISK"
	// Firmware is the firmware revision IDENTIFY DEVICE reports.
	Firmware = "1.0"
)

// identify fills buf (512 bytes) with the IDENTIFY DEVICE data
// (ATA/ATAPI-6 Table 27), word by word, little-endian.
func (k *Disk) identify(buf []byte) {
	var w [256]uint16
	w[0] = 0x0040 // fixed device, ATA
	w[1] = uint16(k.defC)
	w[3] = uint16(k.defH)
	w[6] = uint16(k.defS)
	putString(w[10:20], k.serial)
	putString(w[23:27], Firmware)
	putString(w[27:47], Model)
	w[47] = 0x8000 | MaxMultiple
	w[49] = 1<<11 | 1<<9 // IORDY supported, LBA supported; no DMA
	w[50] = 0x4000
	w[51] = 0x0200 // PIO mode 2 timing (obsolete word)
	w[53] = 0x0007 // words 54-58, 64-70 and 88 are valid
	w[54] = uint16(k.curC)
	w[55] = uint16(k.curH)
	w[56] = uint16(k.curS)
	cur := uint32(k.curC) * uint32(k.curH) * uint32(k.curS)
	w[57], w[58] = uint16(cur), uint16(cur>>16)
	w[59] = 0x0100 | uint16(k.mult) // multiple setting valid
	lba28 := uint32(min(k.total, maxLBA28))
	w[60], w[61] = uint16(lba28), uint16(lba28>>16)
	w[64] = 0x0003 // PIO modes 3 and 4
	w[67] = 120    // minimum PIO cycle time, ns
	w[68] = 120    // minimum PIO cycle time with IORDY, ns
	w[80] = 0x007E // ATA-1 to ATA-6
	// Supported and enabled feature sets: NOP, read look-ahead, write
	// cache, power management; FLUSH CACHE (EXT) and 48-bit addressing.
	w[82] = 1<<14 | 1<<6 | 1<<5 | 1<<3
	w[83] = 1<<14 | 1<<13 | 1<<12 | 1<<10
	w[84] = 1 << 14
	w[85] = 1<<14 | 1<<3
	if k.lookAhd {
		w[85] |= 1 << 6
	}
	if k.wcache {
		w[85] |= 1 << 5
	}
	w[86] = 1<<13 | 1<<12 | 1<<10
	w[87] = 1 << 14
	w[88] = 0 // no Ultra DMA
	for i := 0; i < 4; i++ {
		w[100+i] = uint16(k.total >> (16 * i))
	}
	for i, v := range w {
		binary.LittleEndian.PutUint16(buf[2*i:], v)
	}
	// Word 255: signature A5h and a checksum that makes the 512 bytes sum
	// to 0 modulo 256.
	buf[510] = 0xA5
	var sum uint8
	for _, b := range buf[:511] {
		sum += b
	}
	buf[511] = -sum
}

// putString stores s in ATA string order: two characters a word, the
// first in the high byte, padded with spaces.
func putString(w []uint16, s string) {
	for i := range w {
		hi, lo := byte(' '), byte(' ')
		if 2*i < len(s) {
			hi = s[2*i]
		}
		if 2*i+1 < len(s) {
			lo = s[2*i+1]
		}
		w[i] = uint16(hi)<<8 | uint16(lo)
	}
}
