package mmu

// The jit marks the physical pages it has translated code from. A write
// to a marked page must reach the jit before the code runs again, so the
// TLB never caches write permission for one: each write misses, and the
// miss calls OnCodeWrite (after v86's TLB_HAS_CODE and jit_dirty_page).
// The marks are a bitmap over the 4 GiB physical space, 128 KiB,
// allocated by the first MarkCode.

// MarkCode marks the physical page holding phys as holding translated
// code, and drops the write permissions the TLB had cached for it.
func (t *TLB) MarkCode(phys uint32) {
	if t.code == nil {
		t.code = make([]uint64, 1<<20/64)
	}
	n := phys >> 12
	if t.code[n/64]&(1<<(n%64)) != 0 {
		return
	}
	t.code[n/64] |= 1 << (n % 64)
	page := phys &^ 0xFFF
	for i := range t.ent {
		if e := &t.ent[i]; e.phys == page {
			e.perm &^= permWrites
			e.host[1] = nil
		}
	}
}

// UnmarkCode clears the mark of the page holding phys. Writes to it hit
// the TLB again once an entry is refilled by a write.
func (t *TLB) UnmarkCode(phys uint32) {
	if t.code != nil {
		n := phys >> 12
		t.code[n/64] &^= 1 << (n % 64)
	}
}

// HasCode reports whether the page holding phys is marked.
func (t *TLB) HasCode(phys uint32) bool {
	n := phys >> 12
	return t.code != nil && t.code[n/64]&(1<<(n%64)) != 0
}

// codeWrite reports a write to the page holding phys if it is marked:
// it counts it, calls OnCodeWrite, and returns whether the page is still
// marked afterwards.
func (t *TLB) codeWrite(phys uint32) bool {
	if !t.HasCode(phys) {
		return false
	}
	t.stats.CodeWrites++
	if t.OnCodeWrite != nil {
		t.OnCodeWrite(phys &^ 0xFFF)
	}
	return t.HasCode(phys)
}
