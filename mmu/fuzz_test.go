package mmu_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"ringzero/mmu"
)

// FuzzTLBAgreesWithWalk builds random page tables (entries present three
// times in four, every other bit random, pointers wrapping around 64 KiB
// of memory) and runs random translations, flushes, control changes,
// page-table edits and code marks. It checks that nothing panics, that
// every TLB answer equals the pure walk's on the current memory, that
// allowed accesses leave the A and D bits set, and that every allowed
// write to a code page reaches OnCodeWrite.
func FuzzTLBAgreesWithWalk(f *testing.F) {
	f.Add([]byte{}, uint64(0), uint8(0))
	f.Add([]byte{0x03, 0x20, 0, 0}, uint64(1), uint8(0x0F))
	f.Add([]byte{0x87, 0x00, 0xC0, 0xFF, 0x07, 0x30, 0, 0}, uint64(42), uint8(0x1F))
	f.Fuzz(func(t *testing.T, dirBytes []byte, seed uint64, ctlBits uint8) {
		const size = 1 << 16
		m := newMem(size)
		rng := rand.New(rand.NewPCG(seed, 0x6d6d75))
		for i := uint32(0); i < size; i += 4 {
			v := rng.Uint32()
			if rng.IntN(4) != 0 {
				v |= p
			}
			m.poke(i, v)
		}
		copy(m.b[dir:dir+mmu.PageSize], dirBytes)
		c := mmu.Control{
			PG:  true,
			WP:  ctlBits&1 != 0,
			PSE: ctlBits&2 != 0,
			PGE: ctlBits&4 != 0,
			PAT: ctlBits&8 != 0,
			CR3: dir | uint32(ctlBits)>>4&1<<3, // PWT in CR3 must be ignored
		}
		tlb := newTLB(m, c)

		pool := make([]uint32, 24)
		for i := range pool {
			switch {
			case i > 0 && i%3 == 0:
				pool[i] = pool[i-1] + mmu.PageSize // neighbours
			case i > 0 && i%5 == 0:
				pool[i] = pool[i-1] ^ 1<<22 // the same slot in the next directory entry
			default:
				pool[i] = rng.Uint32()
			}
		}
		var calls []uint32
		tlb.OnCodeWrite = func(page uint32) {
			calls = append(calls, page)
			if rng.IntN(2) == 0 {
				tlb.UnmarkCode(page)
			}
		}

		translations := uint64(0)
		for step := 0; step < 400; step++ {
			lin := pool[rng.IntN(len(pool))]&^0xFFF | rng.Uint32N(mmu.PageSize)
			switch op := rng.IntN(20); {
			case op < 13:
				translations++
				checkTranslation(t, tlb, m, lin, accesses[rng.IntN(len(accesses))], rng.IntN(4), &calls)
			case op == 13:
				tlb.FlushPage(lin)
			case op == 14:
				tlb.LoadCR3(tlb.Control().CR3)
			case op == 15:
				c := tlb.Control()
				switch rng.IntN(5) {
				case 0:
					c.PG = !c.PG
				case 1:
					c.WP = !c.WP
				case 2:
					c.PSE = !c.PSE
				case 3:
					c.PGE = !c.PGE
				case 4:
					c.PAT = !c.PAT
				}
				tlb.SetControl(c)
			case op == 16:
				// Edit a page table, then flush as a guest should.
				m.poke(rng.Uint32N(size)&^3, rng.Uint32()|p)
				if rng.IntN(2) == 0 {
					m.gen.Add(1)
				}
				tlb.FlushAllGlobal()
			case op == 17:
				c := tlb.Control()
				c.CR3 = rng.Uint32()
				tlb.SetControl(c)
				tlb.FlushAllGlobal() // the new tables may not match global entries
			default:
				if w := mmu.Walk(m, tlb.Control(), lin, mmu.Read); w.Mapped {
					if rng.IntN(3) == 0 {
						tlb.UnmarkCode(w.Phys)
					} else {
						tlb.MarkCode(w.Phys)
					}
				}
			}
		}
		if s := tlb.Stats(); s.Hits+s.Misses != translations || s.Walks > s.Misses || s.Faults > s.Walks {
			t.Errorf("stats %+v after %d translations", s, translations)
		}
	})
}

// checkTranslation translates lin through one of the four entry points
// (mode 0: Translate, 1: TranslateHost, 2: Lookup then Translate, 3:
// LookupHost then TranslateHost) and checks the answer against Walk.
func checkTranslation(t *testing.T, tlb *mmu.TLB, m *fakeMem, lin uint32, acc mmu.Access, mode int, calls *[]uint32) {
	t.Helper()
	ctl := tlb.Control()
	w := mmu.Walk(m, ctl, lin, acc)
	write := acc&mmu.Write != 0
	codeWrite := w.Fault == nil && write && tlb.HasCode(w.Phys)
	*calls = (*calls)[:0]

	var (
		phys uint32
		page *[mmu.PageSize]byte
		f    *mmu.Fault
		ok   bool
	)
	host := mode&1 != 0
	switch mode {
	case 2:
		phys, ok = tlb.Lookup(lin, acc)
	case 3:
		page, ok = tlb.LookupHost(lin, acc)
		phys = w.Phys // LookupHost gives the page; the offset is lin's
	}
	if !ok && host {
		phys, page, f = tlb.TranslateHost(lin, acc)
	} else if !ok {
		phys, f = tlb.Translate(lin, acc)
	}
	if !sameFault(f, w.Fault) || f == nil && phys != w.Phys {
		t.Fatalf("%#x %v %+v: TLB gives %#x %v, Walk gives %#x %v", lin, acc, ctl, phys, f, w.Phys, w.Fault)
	}
	if f != nil {
		if len(*calls) != 0 {
			t.Fatalf("%#x %v: a faulting access called OnCodeWrite %#x", lin, acc, *calls)
		}
		return
	}
	if codeWrite && !slices.Contains(*calls, phys&^0xFFF) {
		t.Fatalf("%#x %v: write to code page %#x did not call OnCodeWrite (%#x)", lin, acc, phys, *calls)
	}
	for _, c := range *calls {
		if c != phys&^0xFFF && c != w.PDEAddr&^0xFFF && c != w.PTEAddr&^0xFFF {
			t.Fatalf("%#x %v: OnCodeWrite(%#x) for a page the access did not write", lin, acc, c)
		}
	}
	if host {
		switch {
		case write && tlb.HasCode(phys):
			if page != nil {
				t.Fatalf("%#x %v: host page for a write to a code page", lin, acc)
			}
		case page == nil || &page[0] != &m.RAMPage(phys, write)[0]:
			t.Fatalf("%#x %v: host page %p is not the page of %#x", lin, acc, page, phys)
		}
	}
	if !ctl.PG {
		return
	}
	after := mmu.Walk(m, ctl, lin, acc)
	leaf := after.PDE
	if after.Levels == 2 {
		leaf = after.PTE
		if after.PTE&a == 0 {
			t.Fatalf("%#x %v: PTE %#x without A", lin, acc, after.PTE)
		}
	}
	if after.PDE&a == 0 || write && leaf&d == 0 {
		t.Fatalf("%#x %v: A/D not set: PDE %#x PTE %#x", lin, acc, after.PDE, after.PTE)
	}
}
