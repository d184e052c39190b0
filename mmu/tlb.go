package mmu

import "sync/atomic"

// Entries is the number of TLB entries. The TLB is direct-mapped.
const Entries = 1024

// slot is the entry for lin: the low ten bits of the linear page number,
// xor'ed with the directory index so that pages 4 MiB apart (a kernel at
// 0xC0000000 and a program at 0x00400000) do not evict each other. Any 4
// MiB-aligned window still fits without conflicts.
func (t *TLB) slot(lin uint32) *entry {
	return &t.ent[(lin>>12^lin>>22)%Entries]
}

// hit reports whether e serves access a to lin without a walk: the tag
// matches and the perm bit of the access kind is set (bit 0 of the index
// is the Write bit of Access, bit 1 the User bit).
func (e *entry) hit(lin uint32, a Access) bool {
	return e.tag == lin>>12 && e.perm>>(a>>1&3)&1 != 0
}

// MapVersioner is implemented by a Memory whose map can change
// (devices/bus.Bus): the counter moves on every change, and the TLB drops
// its cached host pages when it does. It has the shape of cpu.MapVersioner.
type MapVersioner interface {
	MapGeneration() *atomic.Uint64
}

// Stats counts TLB events for the teaching tools.
type Stats struct {
	Hits          uint64 // translations served by an entry, without a walk
	Misses        uint64 // translations that were not
	Walks         uint64 // page walks done for misses (none while paging is off)
	Faults        uint64 // page faults returned
	Flushes       uint64 // FlushAll and LoadCR3: non-global entries dropped
	GlobalFlushes uint64 // FlushAllGlobal, including those done by SetControl
	PageFlushes   uint64 // FlushPage (INVLPG)
	HostFlushes   uint64 // full flushes because the memory map changed
	CodeWrites    uint64 // writes that found a page holding translated code
}

// Permission bits of an entry, one per access kind, at index a>>1&3 for
// an Access a (see hit).
const (
	permSupRead   = 1 << 0
	permSupWrite  = 1 << 1
	permUserRead  = 1 << 2
	permUserWrite = 1 << 3
	permWrites    = permSupWrite | permUserWrite
)

// Entry flags.
const (
	flagGlobal = 1 << 0 // the translation is global (G and CR4.PGE)
	flagLarge  = 1 << 1 // cut from a 4 MiB page
)

// entry caches one 4 KiB linear page. It is valid when perm is not 0.
type entry struct {
	tag   uint32 // linear page number (lin >> 12)
	phys  uint32 // physical page base
	perm  uint8  // perm* bits: the accesses that hit
	flags uint8  // flag* bits
	// host is the host page for reads and fetches ([0]) and for writes
	// ([1], set only when a write filled the entry); nil: use Memory.
	host [2]*[PageSize]byte
}

// TLB is a software TLB over Walk. The zero value is not usable; call New.
// A TLB belongs to one CPU and is not safe for concurrent use.
type TLB struct {
	mem   Memory
	ctl   Control
	ent   [Entries]entry
	stats Stats

	large   bool           // some entry has flagLarge: FlushPage must scan
	gen     *atomic.Uint64 // the memory map's generation (noGen if it has none)
	seenGen uint64         // gen when the host pages were last dropped
	noGen   atomic.Uint64  // a generation that never moves

	code []uint64 // bitmap of physical pages holding code; nil until MarkCode

	// OnCodeWrite, if set, is called with the physical page base when a
	// write to a page marked by MarkCode is allowed: before Translate
	// returns, so before the write itself. The processor's own accessed
	// and dirty updates to a marked page call it too, just after they
	// are made. It may call UnmarkCode and the flush methods; while the
	// page stays marked, every write to it misses and calls it again.
	OnCodeWrite func(page uint32)
}

// New returns an empty TLB over mem, with paging off.
func New(mem Memory) *TLB {
	t := &TLB{mem: mem}
	t.gen = &t.noGen
	if v, ok := mem.(MapVersioner); ok {
		t.gen = v.MapGeneration()
	}
	t.seenGen = t.gen.Load()
	return t
}

// Control returns the paging state the TLB translates with.
func (t *TLB) Control() Control { return t.ctl }

// SetControl installs new paging state and flushes what it makes stale
// (SDM Vol. 3, section 4.10.4.1): a change to CR0.PG, CR4.PSE or CR4.PGE
// flushes every entry, global ones included, and so does a change to
// CR0.WP or PAT, which the entries fold into their cached permissions;
// a change of CR3 alone flushes the non-global ones. Call it after every
// MOV to CR0 or CR4; use LoadCR3 for MOV to CR3, which flushes even when
// the value is unchanged.
func (t *TLB) SetControl(c Control) {
	old := t.ctl
	t.ctl = c
	switch {
	case old.PG != c.PG || old.WP != c.WP || old.PSE != c.PSE || old.PGE != c.PGE || old.PAT != c.PAT:
		t.FlushAllGlobal()
	case old.CR3 != c.CR3:
		t.FlushAll()
	}
}

// LoadCR3 is MOV to CR3 (or a task switch): the new directory base, and
// a flush of every non-global entry.
func (t *TLB) LoadCR3(cr3 uint32) {
	t.ctl.CR3 = cr3
	t.FlushAll()
}

// FlushAll drops every entry except global ones when CR4.PGE is on
// (entries are only marked global while it is).
func (t *TLB) FlushAll() {
	t.stats.Flushes++
	large := false
	for i := range t.ent {
		e := &t.ent[i]
		if e.flags&flagGlobal == 0 {
			e.perm = 0
		} else if e.perm != 0 && e.flags&flagLarge != 0 {
			large = true
		}
	}
	t.large = large
}

// FlushAllGlobal drops every entry, global ones included.
func (t *TLB) FlushAllGlobal() {
	t.stats.GlobalFlushes++
	t.clear()
}

func (t *TLB) clear() {
	for i := range t.ent {
		t.ent[i].perm = 0
	}
	t.large = false
}

// FlushPage is INVLPG: it drops the translation of the page holding lin,
// global or not. When lin lies in a 4 MiB page, the whole 4 MiB page
// goes, as it was one entry on the hardware.
func (t *TLB) FlushPage(lin uint32) {
	t.stats.PageFlushes++
	t.invalidate(lin)
}

func (t *TLB) invalidate(lin uint32) {
	if e := t.slot(lin); e.tag == lin>>12 {
		e.perm = 0
	}
	if !t.large {
		return
	}
	for i := range t.ent {
		e := &t.ent[i]
		if e.flags&flagLarge != 0 && e.tag>>10 == lin>>22 {
			e.perm = 0
		}
	}
}

// Stats returns the counters.
func (t *TLB) Stats() Stats { return t.stats }

// ResetStats zeroes the counters.
func (t *TLB) ResetStats() { t.stats = Stats{} }

// Translate returns the physical address of lin for access a, or the page
// fault the access takes. A hit reads no memory; a miss walks the page
// tables, sets the accessed and dirty bits and fills the entry.
func (t *TLB) Translate(lin uint32, a Access) (uint32, *Fault) {
	if e := t.slot(lin); e.hit(lin, a) {
		t.stats.Hits++
		return e.phys | lin&0xFFF, nil
	}
	return t.miss(lin, a)
}

// TranslateHost is Translate that also returns the host page holding the
// physical address (Memory.RAMPage, cached in the entry), or nil when the
// access must go through Memory (MMIO, unmapped, or a write to ROM).
func (t *TLB) TranslateHost(lin uint32, a Access) (uint32, *[PageSize]byte, *Fault) {
	if g := t.gen.Load(); g != t.seenGen {
		t.seenGen = g
		t.stats.HostFlushes++
		t.clear()
	}
	e := t.slot(lin)
	if e.hit(lin, a) {
		t.stats.Hits++
	} else if _, f := t.miss(lin, a); f != nil {
		return 0, nil, f
	}
	return e.phys | lin&0xFFF, e.host[a>>1&1], nil
}

// Lookup is the hit path of Translate alone, small enough for the
// compiler to inline into an engine's memory accessors: the physical
// address and true on a hit, false when Translate must walk.
func (t *TLB) Lookup(lin uint32, a Access) (uint32, bool) {
	if e := t.slot(lin); e.hit(lin, a) {
		t.stats.Hits++
		return e.phys | lin&0xFFF, true
	}
	return 0, false
}

// LookupHost is the inlinable hit path of TranslateHost: on a hit whose
// page is host memory, and while the memory map is unchanged, it returns
// the host page (index it with lin&0xFFF) and true. Otherwise it returns
// false and the caller goes through TranslateHost.
func (t *TLB) LookupHost(lin uint32, a Access) (*[PageSize]byte, bool) {
	// Written out flat: through slot and hit it costs the inliner more.
	e := &t.ent[(lin>>12^lin>>22)%Entries]
	if p := e.host[a>>1&1]; e.tag == lin>>12 && e.perm>>(a>>1&3)&1 != 0 && p != nil && t.gen.Load() == t.seenGen {
		t.stats.Hits++
		return p, true
	}
	return nil, false
}

// miss walks for lin and refills its entry. A read or fetch fill caches only
// read permissions, so the first write to a page walks again and sets
// its dirty bit, as on the hardware. Writes to code pages are never
// cached, so each one reaches OnCodeWrite.
func (t *TLB) miss(lin uint32, a Access) (uint32, *Fault) {
	t.stats.Misses++
	w := WalkResult{Lin: lin, Mapped: true, Phys: lin, Writable: true, User: true}
	if t.ctl.PG {
		t.stats.Walks++
		w = Walk(t.mem, t.ctl, lin, a)
		if w.Fault != nil {
			// A page fault drops what the TLB held for lin's page,
			// all of a 4 MiB page (SDM Vol. 3, section 4.10.4.1), so a
			// stale translation does not outlive a fault on it.
			t.stats.Faults++
			t.invalidate(lin)
			return 0, w.Fault
		}
		pde, pte := w.PDE, w.PTE
		w.MarkUsed(t.mem, a)
		if t.code != nil {
			if w.PDE != pde {
				t.codeWrite(w.PDEAddr)
			}
			if w.PTE != pte && w.PTEAddr != w.PDEAddr {
				t.codeWrite(w.PTEAddr)
			}
		}
	}
	page := w.Phys &^ 0xFFF
	if a&Write != 0 && t.codeWrite(page) {
		a &^= Write // translate for the write, but cache only reads
	}
	perm := uint8(permSupRead)
	if w.User {
		perm |= permUserRead
	}
	if a&Write != 0 {
		if w.Writable || !t.ctl.WP {
			perm |= permSupWrite
		}
		if w.User && w.Writable {
			perm |= permUserWrite
		}
	}
	e := t.slot(lin) // only now: OnCodeWrite may have flushed
	e.tag, e.phys, e.perm, e.flags = lin>>12, page, perm, 0
	if w.Global {
		e.flags |= flagGlobal
	}
	if w.Large {
		e.flags |= flagLarge
		t.large = true
	}
	e.host[0] = hostPage(t.mem.RAMPage(page, false))
	e.host[1] = nil
	if a&Write != 0 {
		e.host[1] = hostPage(t.mem.RAMPage(page, true))
	}
	return w.Phys, nil
}

// hostPage turns a RAMPage result into an array pointer, so the fast path
// indexes it with lin&0xFFF and no bounds check.
func hostPage(p []byte) *[PageSize]byte {
	if len(p) < PageSize {
		return nil
	}
	return (*[PageSize]byte)(p)
}
