package cputest

import (
	"encoding/binary"

	"ringzero/cpu"
)

// PageSize is the granularity of RAM.RAMPage and of RAM.Reset.
const PageSize = 4096

// RAM is the flat memory a test runs in, a cpu.Bus: every address is
// writable RAM, wrapping at the model's address width (1 MiB on the
// 8086, 16 MiB on the 286); I/O reads return all ones and writes are
// dropped, as on the test rigs.
//
// Reset is cheap: RAM remembers the pages written since the last Reset
// (through Write, Load or a writable RAMPage) and clears only those.
type RAM struct {
	mem   []byte
	mask  uint32   // address mask: len(mem)-1
	dirty []bool   // by page number: written since Reset
	list  []uint32 // the dirty page numbers
}

// NewRAM returns zeroed RAM of 1<<addrBits bytes (addrBits in 12..32).
func NewRAM(addrBits uint) *RAM {
	addrBits = min(max(addrBits, 12), 32)
	size := uint64(1) << addrBits
	return &RAM{
		mem:   make([]byte, size),
		mask:  uint32(size - 1),
		dirty: make([]bool, size/PageSize),
	}
}

// AddrBits returns the physical address width of model m as the suites
// see it: 20 bits for the 8086/186, 24 for the 286 (A20 enabled: the 286
// suite uses addresses up to 10FFEFh without wrapping), 32 beyond.
func AddrBits(m cpu.Model) uint {
	switch {
	case m < cpu.Model286:
		return 20
	case m == cpu.Model286:
		return 24
	default:
		return 32
	}
}

// Size returns the size of the RAM in bytes.
func (r *RAM) Size() int { return len(r.mem) }

func (r *RAM) touch(a uint32) {
	if p := a / PageSize; !r.dirty[p] {
		r.dirty[p] = true
		r.list = append(r.list, p)
	}
}

// Reset zeroes every page written since the last Reset.
func (r *RAM) Reset() {
	for _, p := range r.list {
		clear(r.mem[p*PageSize : (p+1)*PageSize])
		r.dirty[p] = false
	}
	r.list = r.list[:0]
}

// Load writes a memory image.
func (r *RAM) Load(img []MemByte) {
	for _, m := range img {
		a := m.Addr & r.mask
		r.touch(a)
		r.mem[a] = m.Val
	}
}

// Byte returns the byte at addr (wrapped).
func (r *RAM) Byte(addr uint32) uint8 { return r.mem[addr&r.mask] }

// Read implements cpu.Bus. Accesses crossing the top of memory wrap.
func (r *RAM) Read(addr uint32, size int) uint32 {
	a := addr & r.mask
	if uint64(a)+uint64(size) <= uint64(len(r.mem)) {
		switch size {
		case 1:
			return uint32(r.mem[a])
		case 2:
			return uint32(binary.LittleEndian.Uint16(r.mem[a:]))
		case 4:
			return binary.LittleEndian.Uint32(r.mem[a:])
		}
	}
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		v |= uint32(r.mem[(addr+uint32(i))&r.mask]) << (8 * i)
	}
	return v
}

// Write implements cpu.Bus.
func (r *RAM) Write(addr uint32, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		a := (addr + uint32(i)) & r.mask
		r.touch(a)
		r.mem[a] = uint8(v >> (8 * i))
	}
}

// In implements cpu.Bus: no device answers, the data bus floats high.
func (r *RAM) In(port uint16, size int) uint32 {
	if size >= 4 {
		return 0xFFFFFFFF
	}
	return 1<<(8*size) - 1
}

// Out implements cpu.Bus: writes go nowhere.
func (r *RAM) Out(port uint16, size int, v uint32) {}

// RAMPage implements cpu.Bus: the 4 KiB page holding addr. A page handed
// out for writing counts as written.
func (r *RAM) RAMPage(addr uint32, write bool) []byte {
	a := addr & r.mask &^ (PageSize - 1)
	if write {
		r.touch(a)
	}
	return r.mem[a : a+PageSize : a+PageSize]
}

var _ cpu.Bus = (*RAM)(nil)
