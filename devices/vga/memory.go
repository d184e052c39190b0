package vga

// ReadMMIO reads size bytes of the memory window at offset off from
// MemBase. Addresses outside the map selected by GR6, or any address while
// misc output bit 1 disables host access, read as 0xFF.
func (a *Adapter) ReadMMIO(off uint32, size int) uint32 {
	var v uint32
	for i := 0; i < size && i < 4; i++ {
		b := uint8(0xFF)
		if addr, ok := a.window(off + uint32(i)); ok {
			b = a.readMem(addr)
		}
		v |= uint32(b) << (8 * i)
	}
	return v
}

// WriteMMIO writes size bytes to the memory window at offset off from
// MemBase; writes outside the selected map are dropped.
func (a *Adapter) WriteMMIO(off uint32, size int, v uint32) {
	for i := 0; i < size && i < 4; i++ {
		if addr, ok := a.window(off + uint32(i)); ok {
			a.writeMem(addr, uint8(v>>(8*i)))
		}
	}
}

// window translates an offset in the 128 KiB window into an address within
// the memory map that GR6 bits 2-3 select: 0xA0000 for 128 KiB, 0xA0000
// for 64 KiB, 0xB0000 for 32 KiB or 0xB8000 for 32 KiB.
func (a *Adapter) window(off uint32) (uint32, bool) {
	if a.misc&miscRAMEnable == 0 || off >= MemSize {
		return 0, false
	}
	switch a.gc[grMisc] >> 2 & 3 {
	case 0:
		return off, true
	case 1:
		return off, off < 0x10000
	case 2:
		return off - 0x10000, off >= 0x10000 && off < 0x18000
	default:
		return off - 0x18000, off >= 0x18000
	}
}

// readMem performs a host read at address addr of the memory map: every
// read loads the four latches from the addressed plane offset, then read
// mode 0 returns one plane's byte and read mode 1 the colour compare.
func (a *Adapter) readMem(addr uint32) uint8 {
	var plane int
	var off uint32
	switch {
	case a.seq[srMemMode]&sr4Chain4 != 0:
		// Chain 4: address bits 0-1 pick the plane; the plane offset
		// keeps them, so each plane holds every fourth byte (the CRTC's
		// doubleword mode reads it back in that layout).
		plane, off = int(addr&3), addr&0xFFFC
	case a.gc[grMode]&gr5HostOE != 0:
		// Odd/even: address bit 0 picks plane 0/1 (or 2/3, by read map
		// select bit 1) and is replaced by address bit 16.
		plane = int(a.gc[grReadMap]&2) | int(addr&1)
		off = addr&0xFFFE | addr>>16&1
	default:
		plane, off = int(a.gc[grReadMap]&3), addr&0xFFFF
	}
	for p := range a.latch {
		a.latch[p] = a.planes[p][off]
	}
	if a.gc[grMode]&gr5ReadMode1 == 0 {
		return a.latch[plane]
	}
	// Read mode 1: a bit is 1 where every plane not marked don't care
	// matches the colour compare value.
	var diff uint8
	for p := range 4 {
		if a.gc[grDontCare]>>p&1 == 0 {
			continue
		}
		want := expand(a.gc[grColorCompare] >> p)
		diff |= a.latch[p] ^ want
	}
	return ^diff
}

// writeMem performs a host write through the graphics controller's data
// path (write modes 0-3, rotate, set/reset, logical operation, bit mask)
// into the planes that the map mask and the addressing mode enable.
func (a *Adapter) writeMem(addr uint32, v uint8) {
	enabled := a.seq[srMapMask] & 0x0F
	var off uint32
	switch {
	case a.seq[srMemMode]&sr4Chain4 != 0:
		enabled &= 1 << (addr & 3)
		off = addr & 0xFFFC
	case a.seq[srMemMode]&sr4OddEvenOff == 0:
		if addr&1 == 0 {
			enabled &= 0x05
		} else {
			enabled &= 0x0A
		}
		off = addr&0xFFFE | addr>>16&1
	default:
		off = addr & 0xFFFF
	}
	if enabled == 0 {
		return
	}
	data, mask := a.writeData(v)
	for p := range 4 {
		if enabled>>p&1 != 0 {
			a.planes[p][off] = data[p]&mask | a.latch[p]&^mask
		}
	}
}

// writeData computes the byte each plane receives for host data v, and the
// bit mask selecting which bits come from it rather than from the latches
// (IBM VGA Technical Reference, graphics controller write modes).
func (a *Adapter) writeData(v uint8) (data [4]uint8, mask uint8) {
	rot := a.gc[grRotate] & 7
	rotated := v>>rot | v<<(8-rot)
	mask = a.gc[grBitMask]
	switch a.gc[grMode] & 3 {
	case 0:
		for p := range 4 {
			d := rotated
			if a.gc[grEnableSR]>>p&1 != 0 {
				d = expand(a.gc[grSetReset] >> p)
			}
			data[p] = a.alu(d, a.latch[p])
		}
	case 1:
		// The latches are written back unchanged.
		return a.latch, 0xFF
	case 2:
		for p := range 4 {
			data[p] = a.alu(expand(v>>p), a.latch[p])
		}
	case 3:
		mask &= rotated
		for p := range 4 {
			data[p] = a.alu(expand(a.gc[grSetReset]>>p), a.latch[p])
		}
	}
	return data, mask
}

// alu applies the logical operation of GR3 bits 3-4 between d and a latch.
func (a *Adapter) alu(d, latch uint8) uint8 {
	switch a.gc[grRotate] >> 3 & 3 {
	case 1:
		return d & latch
	case 2:
		return d | latch
	case 3:
		return d ^ latch
	}
	return d
}

// expand turns bit 0 of b into a whole byte of that bit.
func expand(b uint8) uint8 {
	if b&1 != 0 {
		return 0xFF
	}
	return 0
}
