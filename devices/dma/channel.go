package dma

// Number reports the channel number, 0-7.
func (ch *Channel) Number() int { return ch.n }

// wordSized reports whether the channel moves 16-bit words (DMA2).
func (ch *Channel) wordSized() bool { return ch.n >= 4 }

// chip returns the 8237A the channel belongs to.
func (ch *Channel) chip() *chip { return &ch.c.chips[ch.n/4] }

// Ready reports whether the channel can move data now: unmasked, its
// controller enabled, not in cascade mode, and, for channels 0-3, the
// cascade channel 4 unmasked and DMA2 enabled (DMA1 reaches the bus only
// through DMA2's channel 4 on the AT).
func (ch *Channel) Ready() bool {
	if ch.masked || ch.mode&modeSelectMask == modeCascade || ch.chip().command&cmdDisable != 0 {
		return false
	}
	if ch.n < 4 {
		c4 := &ch.c.ch[4]
		if c4.masked || ch.c.chips[1].command&cmdDisable != 0 {
			return false
		}
	}
	return true
}

// SetDREQ sets the level of the channel's DMA request line, as seen in
// the status register. A device raises it while it has data to move.
func (ch *Channel) SetDREQ(on bool) { ch.dreq = on }

// OnReady registers fn to be called when the channel becomes Ready while
// DREQ is held, i.e. when the guest unmasks or enables it after the device
// asked. fn runs inside the guest's port write, after the write has taken
// effect, and may call Transfer. A device that raises DREQ on a channel
// that is already Ready must start the transfer itself.
func (ch *Channel) OnReady(fn func()) { ch.onReady = fn }

// Address is the current 24-bit physical address the channel will access
// next: page register and address register, the latter shifted left by
// one for the word channels (whose page bit 0 is ignored).
func (ch *Channel) Address() uint32 {
	page := uint32(ch.c.pageOf(ch.n))
	if ch.wordSized() {
		return (page&0xFE)<<16 | uint32(ch.curAddr)<<1
	}
	return page<<16 | uint32(ch.curAddr)
}

// Remaining is the number of bytes left before terminal count.
func (ch *Channel) Remaining() int {
	n := int(ch.curCount) + 1
	if ch.wordSized() {
		n *= 2
	}
	return n
}

// Transfer moves up to len(buf) bytes between the device and guest memory
// and reports how many bytes the channel consumed and whether it reached
// terminal count. toMemory says which way the device is moving data (a
// disk read is toMemory); the mode register decides what the memory cycle
// does: a write-mode channel stores buf into memory, a read-mode channel
// fills buf from memory, and a verify-mode channel (or one whose mode
// disagrees with the device) only advances address and count, as the real
// controller does. The transfer stops at terminal count: TC is set in the
// status register and the channel either reloads (autoinitialize) or
// masks itself. Word channels move whole words; a trailing odd byte of buf
// is left alone. A channel that is not Ready moves nothing.
func (ch *Channel) Transfer(buf []byte, toMemory bool) (n int, tc bool) {
	if !ch.Ready() {
		return 0, false
	}
	unit := 1
	if ch.wordSized() {
		unit = 2
	}
	k := ch.chip()
	mem := ch.c.mem
	kind := ch.mode & modeTypeMask
	for n+unit <= len(buf) {
		addr := ch.Address()
		switch {
		case kind == modeWrite && toMemory:
			v := uint32(buf[n])
			if unit == 2 {
				v |= uint32(buf[n+1]) << 8
			}
			if mem != nil {
				mem.Write(addr, unit, v)
			}
		case kind == modeRead && !toMemory:
			var v uint32 = 0xFFFF
			if mem != nil {
				v = mem.Read(addr, unit)
			}
			buf[n] = byte(v)
			if unit == 2 {
				buf[n+1] = byte(v >> 8)
			}
		}
		k.temp = buf[n+unit-1]
		if ch.mode&modeDecrement != 0 {
			ch.curAddr--
		} else {
			ch.curAddr++
		}
		n += unit
		// The count register holds transfers-1: TC is the step from 0
		// to 0xFFFF (8237A datasheet, "Current Word Register").
		if ch.curCount == 0 {
			ch.curCount = 0xFFFF
			ch.terminalCount()
			return n, true
		}
		ch.curCount--
	}
	return n, false
}

// terminalCount records TC: status bit, then reload or mask (8237A
// datasheet, "Autoinitialize"; a channel that does not autoinitialize
// sets its mask bit at TC).
func (ch *Channel) terminalCount() {
	k := ch.chip()
	k.tc |= 1 << (ch.n & 3)
	k.request &^= 1 << (ch.n & 3)
	if ch.mode&modeAutoInit != 0 {
		ch.curAddr, ch.curCount = ch.baseAddr, ch.baseCount
		return
	}
	ch.masked = true
}
