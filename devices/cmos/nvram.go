package cmos

// Standard CMOS RAM layout used by PC BIOSes (IBM AT Technical Reference,
// "CMOS RAM address map", plus the SeaBIOS/QEMU extensions at 0x34-0x35
// and 0x5B-0x5D). The board fills these with SetByte before boot.
const (
	NVShutdown    = 0x0F // shutdown status: why the CPU was reset (BIOS use)
	NVFloppyTypes = 0x10 // drive A type in bits 7-4, drive B in bits 3-0
	NVDiskTypes   = 0x12 // hard disk 0 type in bits 7-4, disk 1 in bits 3-0
	NVEquipment   = 0x14 // equipment byte (floppies, video, FPU)
	NVBaseMemLo   = 0x15 // base memory in KiB, low byte (640 = 0x0280)
	NVBaseMemHi   = 0x16
	NVExtMemLo    = 0x17 // memory above 1 MiB in KiB, low byte (max 0xFFFF)
	NVExtMemHi    = 0x18
	NVDisk0Ext    = 0x19 // extended type of hard disk 0 when 0x12 says 0xF
	NVDisk1Ext    = 0x1A
	NVChecksumHi  = 0x2E // sum of bytes 0x10-0x2D, big-endian
	NVChecksumLo  = 0x2F
	NVExtMem2Lo   = 0x30 // copy of 0x17-0x18 written by POST
	NVExtMem2Hi   = 0x31
	NVCentury     = 0x32 // century in the clock's data mode (BCD 0x20)
	NVHighMemLo   = 0x34 // memory above 16 MiB in 64 KiB units (SeaBIOS)
	NVHighMemHi   = 0x35
	NVAbove4GLo   = 0x5B // memory above 4 GiB in 64 KiB units, 3 bytes (SeaBIOS)
	NVAbove4GMid  = 0x5C
	NVAbove4GHi   = 0x5D
)

// Size is the number of addressable bytes, clock registers included.
const Size = 128

// checksum range: IBM AT Technical Reference, bytes 0x10-0x2D.
const (
	checksumFirst = 0x10
	checksumLast  = 0x2D
)

// SetByte stores v in CMOS RAM byte i, for the board's NVRAM setup. Only
// 0x0E-0x7F are accepted (the clock registers below have side effects and
// are for the guest); other indices are ignored. Call UpdateChecksum after
// changing anything in 0x10-0x2D.
func (r *RTC) SetByte(i int, v byte) {
	if i >= int(regD)+1 && i < Size {
		r.ram[i] = v
	}
}

// Byte returns CMOS RAM byte i as stored (0x00-0x7F; others read 0xFF).
// The clock registers are returned as last updated, without catching up
// with virtual time; the guest's view goes through the ports.
func (r *RTC) Byte(i int) byte {
	if i < 0 || i >= Size {
		return 0xFF
	}
	return r.ram[i]
}

// UpdateChecksum recomputes the standard checksum of bytes 0x10-0x2D into
// 0x2E (high) and 0x2F (low), as the BIOS setup program would.
func (r *RTC) UpdateChecksum() {
	var sum uint16
	for i := checksumFirst; i <= checksumLast; i++ {
		sum += uint16(r.ram[i])
	}
	r.ram[NVChecksumHi] = byte(sum >> 8)
	r.ram[NVChecksumLo] = byte(sum)
}

// SetMemorySize records the RAM size in the bytes BIOSes read at POST:
// below4G is the RAM from address 0 up to the PCI hole, above4G the RAM
// remapped above 4 GiB (0 on 32-bit boards). Base memory is 640 KiB.
// Fields saturate at their maximum. Call UpdateChecksum afterwards.
func (r *RTC) SetMemorySize(below4G, above4G uint64) {
	const kib, mib, unit64K = 1 << 10, 1 << 20, 64 << 10
	put16 := func(lo int, v uint64) {
		if v > 0xFFFF {
			v = 0xFFFF
		}
		r.ram[lo], r.ram[lo+1] = byte(v), byte(v>>8)
	}
	put16(NVBaseMemLo, 640)
	var ext uint64
	if below4G > mib {
		ext = (below4G - mib) / kib
	}
	put16(NVExtMemLo, ext)
	put16(NVExtMem2Lo, ext)
	var high uint64
	if below4G > 16*mib {
		high = (below4G - 16*mib) / unit64K
	}
	put16(NVHighMemLo, high)
	above := above4G / unit64K
	if above > 0xFFFFFF {
		above = 0xFFFFFF
	}
	r.ram[NVAbove4GLo] = byte(above)
	r.ram[NVAbove4GMid] = byte(above >> 8)
	r.ram[NVAbove4GHi] = byte(above >> 16)
}
