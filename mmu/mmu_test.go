package mmu_test

import (
	"fmt"
	"testing"

	"ringzero/mmu"
)

// newTLB returns a TLB over m with the given paging state.
func newTLB(m *fakeMem, c mmu.Control) *mmu.TLB {
	t := mmu.New(m)
	t.SetControl(c)
	return t
}

// translate runs both the pure walk and the TLB, checks that they agree,
// and returns the TLB's answer.
func translate(t *testing.T, tlb *mmu.TLB, m *fakeMem, lin uint32, acc mmu.Access) (uint32, *mmu.Fault) {
	t.Helper()
	w := mmu.Walk(m, tlb.Control(), lin, acc)
	phys, f := tlb.Translate(lin, acc)
	if !sameFault(f, w.Fault) || f == nil && phys != w.Phys {
		t.Fatalf("%#x %v: TLB gives %#x %v, Walk gives %#x %v", lin, acc, phys, f, w.Phys, w.Fault)
	}
	return phys, f
}

func sameFault(x, y *mmu.Fault) bool {
	return x == nil && y == nil || x != nil && y != nil && *x == *y
}

func TestTranslateSmallPage(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00401000, 0x00345000, p|rw, p|rw)
	m.mapPage(0xC0000000, 0x00346000, p, p)
	tlb := newTLB(m, paging)
	for _, tc := range []struct{ lin, want uint32 }{
		{0x00401000, 0x00345000},
		{0x00401ABC, 0x00345ABC},
		{0x00401FFF, 0x00345FFF},
		{0xC0000123, 0x00346123},
	} {
		got, f := translate(t, tlb, m, tc.lin, mmu.Read)
		if f != nil || got != tc.want {
			t.Errorf("%#x: got %#x %v, want %#x", tc.lin, got, f, tc.want)
		}
	}
	w := mmu.Walk(m, paging, 0x00401ABC, mmu.Read)
	if w.Levels != 2 || w.PDEAddr != pdeAddr(0x00401000) || w.PTEAddr != pteAddr(0x00401000) ||
		w.PDE != m.peek(w.PDEAddr) || w.PTE != m.peek(w.PTEAddr) || w.Large || !w.Mapped {
		t.Errorf("walk result %+v", w)
	}
}

func TestPagingOffIsIdentity(t *testing.T) {
	m := newMem(1 << 16)
	tlb := mmu.New(m)
	for _, acc := range []mmu.Access{mmu.Read, mmu.Write, mmu.User | mmu.Write, mmu.Exec} {
		if got, f := tlb.Translate(0xFEDCB123, acc); f != nil || got != 0xFEDCB123 {
			t.Errorf("%v: got %#x %v", acc, got, f)
		}
	}
	if s := tlb.Stats(); s.Walks != 0 || m.reads != 0 {
		t.Errorf("paging off walked: %+v, %d reads", s, m.reads)
	}
	if w := mmu.Walk(m, mmu.Control{}, 0x1234, mmu.User|mmu.Write); w.Levels != 0 || w.Phys != 0x1234 || w.Fault != nil {
		t.Errorf("walk with paging off: %+v", w)
	}
}

// rightsOracle is SDM Vol. 3, section 4.6, for 32-bit paging without
// SMEP or SMAP, written out case by case.
func rightsOracle(pde, pte uint32, acc mmu.Access, wp bool) bool {
	userPage := pde&us != 0 && pte&us != 0
	rwPage := pde&rw != 0 && pte&rw != 0
	user, write := acc&mmu.User != 0, acc&mmu.Write != 0
	switch {
	case user && !userPage:
		return false // supervisor page: no user access at all
	case user && write:
		return rwPage // user writes need R/W at every level
	case write && wp:
		return rwPage // supervisor writes honour R/W only under WP
	}
	return true // reads and fetches; supervisor writes with WP=0
}

var accesses = []mmu.Access{
	mmu.Read, mmu.Write, mmu.Exec,
	mmu.User | mmu.Read, mmu.User | mmu.Write, mmu.User | mmu.Exec,
}

// TestAccessRightsEveryCombination covers every U/S and R/W combination
// of both levels, every access kind, and both values of CR0.WP, on the
// pure walk and on a fresh TLB.
func TestAccessRightsEveryCombination(t *testing.T) {
	const lin = 0x08049000
	for _, pdeF := range []uint32{0, rw, us, rw | us} {
		for _, pteF := range []uint32{0, rw, us, rw | us} {
			for _, acc := range accesses {
				for _, wp := range []bool{false, true} {
					name := fmt.Sprintf("pde=%#x pte=%#x %v wp=%v", pdeF, pteF, acc, wp)
					m := newMem(1 << 20)
					m.mapPage(lin, 0x5000, p|pdeF, p|pteF)
					before := append([]byte(nil), m.b...)
					c := paging
					c.WP = wp
					tlb := newTLB(m, c)
					phys, f := translate(t, tlb, m, lin+0x10, acc)
					if rightsOracle(pdeF, pteF, acc, wp) {
						if f != nil || phys != 0x5010 {
							t.Errorf("%s: got %#x %v, want allowed", name, phys, f)
						}
						continue
					}
					want := mmu.Fault{Code: mmu.FaultP | uint32(acc&(mmu.Write|mmu.User)), Addr: lin + 0x10}
					if f == nil || *f != want {
						t.Errorf("%s: got %v, want %v", name, f, &want)
					}
					if string(before) != string(m.b) {
						t.Errorf("%s: a faulting access changed memory", name)
					}
				}
			}
		}
	}
}

func TestFaultCodes(t *testing.T) {
	const lin = 0x00C05123
	const large = mmu.EntryLarge
	for _, tc := range []struct {
		name     string
		pde, pte uint32 // pte unused when pde has PS and PSE is on
		ctl      mmu.Control
		acc      mmu.Access
		want     uint32 // error code, or ok
		ok       bool
	}{
		{"PDE not present, supervisor read", 0, p, paging, mmu.Read, 0, false},
		{"PDE not present, user write", rw | us, p, paging, mmu.User | mmu.Write, mmu.FaultW | mmu.FaultU, false},
		{"PTE not present, supervisor write", p | rw, rw, paging, mmu.Write, mmu.FaultW, false},
		{"PTE not present, user read", p | us, us, paging, mmu.User, mmu.FaultU, false},
		{"PTE not present under a supervisor PDE, user read", p, us, paging, mmu.User, mmu.FaultU, false},
		{"fetch has no I/D bit", p | us, us, paging, mmu.User | mmu.Exec, mmu.FaultU, false},
		{"user read of a supervisor PDE", p | rw, p | rw | us, paging, mmu.User, mmu.FaultP | mmu.FaultU, false},
		{"user read of a supervisor PTE", p | us, p | rw, paging, mmu.User, mmu.FaultP | mmu.FaultU, false},
		{"user write to a read-only PDE", p | us, p | rw | us, paging, mmu.User | mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultU, false},
		{"user write to a read-only PTE", p | rw | us, p | us, paging, mmu.User | mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultU, false},
		{"user read of a read-only page", p | us, p | us, paging, mmu.User, 0, true},
		{"CPL0 write to read-only, WP=0", p, p, paging, mmu.Write, 0, true},
		{"CPL0 write to read-only user page, WP=0", p | us, p | us, paging, mmu.Write, 0, true},
		{"CPL0 write to read-only, WP=1", p, p, mmu.Control{PG: true, WP: true, CR3: dir}, mmu.Write, mmu.FaultP | mmu.FaultW, false},
		{"CPL0 write to read-only PDE, WP=1", p | us, p | rw | us, mmu.Control{PG: true, WP: true, CR3: dir}, mmu.Write, mmu.FaultP | mmu.FaultW, false},
		{"CPL0 write to writable page, WP=1", p | rw, p | rw, mmu.Control{PG: true, WP: true, CR3: dir}, mmu.Write, 0, true},
		{"4 MiB page, user write to supervisor", p | rw | large, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.User | mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultU, false},
		{"4 MiB page, bit 13 reserved", p | rw | us | large | 1<<13, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.Read, mmu.FaultP | mmu.FaultRSVD, false},
		{"4 MiB page, bit 21 reserved, user write", p | rw | us | large | 1<<21, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.User | mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultU | mmu.FaultRSVD, false},
		{"4 MiB page, reserved beats a rights violation", p | large | 1<<17, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.User | mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultU | mmu.FaultRSVD, false},
		{"4 MiB page, bit 12 reserved without PAT", p | large | 1<<12, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.Read, mmu.FaultP | mmu.FaultRSVD, false},
		{"4 MiB page, bit 12 is PAT with PAT", p | large | 1<<12, 0, mmu.Control{PG: true, PSE: true, PAT: true, CR3: dir}, mmu.Read, 0, true},
		{"4 MiB page, bit 13 reserved even with PAT", p | large | 1<<13, 0, mmu.Control{PG: true, PSE: true, PAT: true, CR3: dir}, mmu.Read, mmu.FaultP | mmu.FaultRSVD, false},
		{"not-present PDE ignores reserved bits", large | 1<<13, 0, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.Read, 0, false},
		{"PTE bit 7 reserved without PAT under PSE", p | rw, p | rw | mmu.EntryPAT, mmu.Control{PG: true, PSE: true, CR3: dir}, mmu.Write, mmu.FaultP | mmu.FaultW | mmu.FaultRSVD, false},
		{"PTE bit 7 is PAT with PAT", p | rw, p | rw | mmu.EntryPAT, mmu.Control{PG: true, PSE: true, PAT: true, CR3: dir}, mmu.Write, 0, true},
		{"no reserved bits without PSE", p | rw, p | rw | mmu.EntryPAT, paging, mmu.Write, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem(8 << 20)
			if tc.ctl.PSE && tc.pde&large != 0 {
				m.poke(pdeAddr(lin), 0x00800000|tc.pde)
			} else {
				m.mapPage(lin, 0x7000, tc.pde, tc.pte)
			}
			tlb := newTLB(m, tc.ctl)
			_, f := translate(t, tlb, m, lin, tc.acc)
			switch {
			case tc.ok && f != nil:
				t.Errorf("got %v, want no fault", f)
			case !tc.ok && f == nil:
				t.Errorf("got no fault, want code %#x", tc.want)
			case !tc.ok && (f.Code != tc.want || f.Addr != lin):
				t.Errorf("got %v, want #PF(%#x) at %#x", f, tc.want, lin)
			}
		})
	}
}

func TestPSEOffIgnoresPageSize(t *testing.T) {
	m := newMem(8 << 20)
	const lin = 0x00403000
	// A PDE with PS and bits 21:13 set: a page table at 0x3FE000 when PSE
	// is off, a reserved-bit fault when it is on.
	m.poke(pdeAddr(lin), 0x003FE000|p|rw|mmu.EntryLarge)
	m.poke(0x003FE000+3*4, 0x9000|p|rw)
	tlb := newTLB(m, paging)
	if phys, f := translate(t, tlb, m, lin+5, mmu.Read); f != nil || phys != 0x9005 {
		t.Errorf("PSE off: got %#x %v", phys, f)
	}
	c := paging
	c.PSE = true
	tlb.SetControl(c)
	if _, f := translate(t, tlb, m, lin+5, mmu.Read); f == nil || f.Code != mmu.FaultP|mmu.FaultRSVD {
		t.Errorf("PSE on: got %v, want a reserved-bit fault", f)
	}
}

func TestLargePage(t *testing.T) {
	m := newMem(8 << 20)
	c := mmu.Control{PG: true, PSE: true, PGE: true, CR3: dir}
	m.mapLarge(0xC0000000, 0x01C00000, p|rw|g)
	tlb := newTLB(m, c)
	for _, lin := range []uint32{0xC0000000, 0xC0123456, 0xC03FFFFF} {
		want := 0x01C00000 | lin&0x3FFFFF
		if phys, f := translate(t, tlb, m, lin, mmu.Read); f != nil || phys != want {
			t.Errorf("%#x: got %#x %v, want %#x", lin, phys, f, want)
		}
	}
	w := mmu.Walk(m, c, 0xC0123456, mmu.Read)
	if !w.Large || w.Levels != 1 || !w.Global || !w.Writable || w.User {
		t.Errorf("walk result %+v", w)
	}
	if got := m.peek(pdeAddr(0xC0000000)); got&(a|d) != a {
		t.Errorf("PDE after reads = %#x, want A without D", got)
	}
	translate(t, tlb, m, 0xC0200000, mmu.Write)
	if got := m.peek(pdeAddr(0xC0000000)); got&(a|d) != a|d {
		t.Errorf("PDE after a write = %#x, want A and D", got)
	}

	// The global 4 MiB page survives a CR3 load, and INVLPG still drops
	// all of it.
	tlb.LoadCR3(dir)
	m.mapLarge(0xC0000000, 0x02000000, p|rw|g)
	tlb.FlushPage(0xC0300000)
	if phys, _ := translate(t, tlb, m, 0xC0123456, mmu.Read); phys != 0x02123456 {
		t.Errorf("after INVLPG: %#x, want 0x02123456", phys)
	}
}

func TestAccessedAndDirty(t *testing.T) {
	const lin = 0x00801000
	m := newMem(8 << 20)
	m.mapPage(lin, 0x6000, p|rw, p|rw)
	tlb := newTLB(m, paging)

	translate(t, tlb, m, lin, mmu.Read)
	if pde, pte := m.peek(pdeAddr(lin)), m.peek(pteAddr(lin)); pde&(a|d) != a || pte&(a|d) != a {
		t.Errorf("after a read: PDE %#x PTE %#x, want A and no D", pde, pte)
	}
	if want := []uint32{pdeAddr(lin), pteAddr(lin)}; fmt.Sprint(m.writes) != fmt.Sprint(want) {
		t.Errorf("writes %#x, want the PDE then the PTE %#x", m.writes, want)
	}

	m.writes = nil
	translate(t, tlb, m, lin, mmu.Read)
	if len(m.writes) != 0 {
		t.Errorf("a second read wrote %#x", m.writes)
	}

	translate(t, tlb, m, lin, mmu.Write)
	if pde, pte := m.peek(pdeAddr(lin)), m.peek(pteAddr(lin)); pde&(a|d) != a || pte&(a|d) != a|d {
		t.Errorf("after a write: PDE %#x PTE %#x, want A on both, D on the PTE only", pde, pte)
	}
	if want := []uint32{pteAddr(lin)}; fmt.Sprint(m.writes) != fmt.Sprint(want) {
		t.Errorf("the write wrote %#x, want only the PTE %#x", m.writes, want)
	}

	// A fault sets nothing, even the A bits of the levels it passed.
	m2 := newMem(8 << 20)
	m2.mapPage(lin, 0x6000, p|rw, p)
	c := paging
	c.WP = true
	tlb2 := newTLB(m2, c)
	if _, f := translate(t, tlb2, m2, lin, mmu.Write); f == nil {
		t.Fatal("write to read-only page with WP=1 did not fault")
	}
	if len(m2.writes) != 0 {
		t.Errorf("a faulting access wrote %#x", m2.writes)
	}
}

// A directory slot pointing at the directory itself (a self-map) makes
// the PDE and PTE one entry: both updates must land on it.
func TestAccessedDirtySelfMap(t *testing.T) {
	m := newMem(1 << 20)
	const slot = 0x300
	m.poke(dir+slot*4, dir|p|rw)
	lin := uint32(slot<<22 | slot<<12)
	for _, acc := range []mmu.Access{mmu.Read, mmu.Write} {
		tlb := newTLB(m, paging)
		if phys, f := translate(t, tlb, m, lin, acc); f != nil || phys != dir {
			t.Fatalf("%v: got %#x %v, want the directory", acc, phys, f)
		}
		want := uint32(dir | p | rw | a)
		if acc == mmu.Write {
			want |= d
		}
		if got := m.peek(dir + slot*4); got != want {
			t.Errorf("%v: self-map entry = %#x, want %#x", acc, got, want)
		}
	}
}

func TestHitReadsNoMemory(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw|us, p|rw|us)
	tlb := newTLB(m, paging)
	if _, f := tlb.Translate(0x00400010, mmu.User|mmu.Write); f != nil {
		t.Fatal(f)
	}
	reads := m.reads
	for _, acc := range accesses {
		if phys, f := tlb.Translate(0x00400FF0, acc); f != nil || phys != 0x5FF0 {
			t.Fatalf("%v: got %#x %v", acc, phys, f)
		}
	}
	if m.reads != reads {
		t.Errorf("hits read memory %d times", m.reads-reads)
	}
	if s := tlb.Stats(); s.Hits != uint64(len(accesses)) || s.Misses != 1 || s.Walks != 1 {
		t.Errorf("stats %+v", s)
	}
}

// A read fills without write permission, so the first write walks again
// to set D; later writes hit.
func TestWriteAfterReadWalksForDirty(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x1000000, 0x5000, p|rw, p|rw)
	tlb := newTLB(m, paging)
	tlb.Translate(0x1000000, mmu.Read)
	tlb.Translate(0x1000004, mmu.Write)
	tlb.Translate(0x1000008, mmu.Write)
	tlb.Translate(0x100000C, mmu.Read)
	if s := tlb.Stats(); s.Walks != 2 || s.Hits != 2 {
		t.Errorf("stats %+v, want 2 walks and 2 hits", s)
	}
	if m.peek(pteAddr(0x1000000))&d == 0 {
		t.Error("D not set")
	}
}

// A user fill caches the supervisor rights too, and a supervisor fill the
// user rights: one walk serves both.
func TestFillCachesEveryAllowedKind(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x2000000, 0x5000, p|us, p|us)
	tlb := newTLB(m, paging)
	tlb.Translate(0x2000000, mmu.Read)
	tlb.Translate(0x2000000, mmu.User|mmu.Exec)
	if _, f := tlb.Translate(0x2000000, mmu.User|mmu.Write); f == nil || f.Code != mmu.FaultP|mmu.FaultW|mmu.FaultU {
		t.Errorf("user write to a read-only page: %v", f)
	}
	if s := tlb.Stats(); s.Walks != 2 || s.Hits != 1 || s.Faults != 1 {
		t.Errorf("stats %+v, want 2 walks (one for the fault), 1 hit", s)
	}
}

func TestGlobalEntriesSurviveCR3Load(t *testing.T) {
	const glob, local = 0xC0000000, 0x00400000
	for _, pge := range []bool{true, false} {
		m := newMem(8 << 20)
		m.mapPage(glob, 0x5000, p|rw, p|rw|g)
		m.mapPage(local, 0x6000, p|rw, p|rw)
		c := paging
		c.PGE = pge
		tlb := newTLB(m, c)
		tlb.Translate(glob, mmu.Read)
		tlb.Translate(local, mmu.Read)
		// Remap both pages behind the TLB's back.
		m.poke(pteAddr(glob), 0x7000|p|rw|g)
		m.poke(pteAddr(local), 0x8000|p|rw)

		tlb.LoadCR3(dir)
		wantGlob := uint32(0x7000)
		if pge {
			wantGlob = 0x5000 // kept across the CR3 load
		}
		if phys, _ := tlb.Translate(glob, mmu.Read); phys != wantGlob {
			t.Errorf("PGE=%v: global page after LoadCR3 = %#x, want %#x", pge, phys, wantGlob)
		}
		if phys, _ := tlb.Translate(local, mmu.Read); phys != 0x8000 {
			t.Errorf("PGE=%v: local page after LoadCR3 = %#x, want 0x8000", pge, phys)
		}

		m.poke(pteAddr(glob), 0x9000|p|rw|g)
		tlb.FlushAllGlobal()
		if phys, _ := tlb.Translate(glob, mmu.Read); phys != 0x9000 {
			t.Errorf("PGE=%v: global page after FlushAllGlobal = %#x, want 0x9000", pge, phys)
		}
	}
}

func TestSetControlFlushRules(t *testing.T) {
	base := mmu.Control{PG: true, PGE: true, CR3: dir}
	for _, tc := range []struct {
		name        string
		change      func(c *mmu.Control)
		globalsKept bool
	}{
		{"CR3 change", func(c *mmu.Control) { c.CR3 = 0x3000 }, true},
		{"nothing changes", func(c *mmu.Control) {}, true},
		{"CR0.WP", func(c *mmu.Control) { c.WP = true }, false},
		{"CR0.PG", func(c *mmu.Control) { c.PG = false }, false},
		{"CR4.PSE", func(c *mmu.Control) { c.PSE = true }, false},
		{"CR4.PGE", func(c *mmu.Control) { c.PGE = false }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem(8 << 20)
			m.mapPage(0xC0000000, 0x5000, p|rw, p|rw|g)
			m.mapPage(0x00400000, 0x6000, p|rw, p|rw)
			tlb := newTLB(m, base)
			tlb.Translate(0xC0000000, mmu.Read)
			tlb.Translate(0x00400000, mmu.Read)
			c := base
			tc.change(&c)
			tlb.ResetStats()
			tlb.SetControl(c)
			tlb.SetControl(c) // idempotent: no flush
			s := tlb.Stats()
			if tc.globalsKept && s.GlobalFlushes != 0 || !tc.globalsKept && s.GlobalFlushes != 1 {
				t.Errorf("stats %+v", s)
			}
			if c == base {
				return
			}
			// Probe the cache only: the global page hits iff it was kept.
			tlb.SetControl(base)
			tlb.ResetStats()
			if tc.globalsKept {
				tlb.Translate(0xC0000000, mmu.Read)
				tlb.Translate(0x00400000, mmu.Read)
				if s := tlb.Stats(); s.Hits != 1 {
					t.Errorf("after the change: %+v, want the global page only to hit", s)
				}
			}
		})
	}
}

func TestFlushPage(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw|g)
	m.mapPage(0x00401000, 0x6000, p|rw, p|rw)
	tlb := newTLB(m, mmu.Control{PG: true, PGE: true, CR3: dir})
	tlb.Translate(0x00400000, mmu.Read)
	tlb.Translate(0x00401000, mmu.Read)
	m.poke(pteAddr(0x00400000), 0x7000|p|rw|g)
	m.poke(pteAddr(0x00401000), 0x8000|p|rw)
	tlb.FlushPage(0x00400ABC) // INVLPG drops global entries too
	if phys, _ := tlb.Translate(0x00400000, mmu.Read); phys != 0x7000 {
		t.Errorf("flushed page = %#x, want 0x7000", phys)
	}
	if phys, _ := tlb.Translate(0x00401000, mmu.Read); phys != 0x6000 {
		t.Errorf("other page = %#x, want the stale 0x6000", phys)
	}
}

// INVLPG anywhere in a 4 MiB page drops the whole page, which the TLB
// keeps as 4 KiB pieces.
func TestFlushPageDropsWholeLargePage(t *testing.T) {
	m := newMem(8 << 20)
	c := mmu.Control{PG: true, PSE: true, CR3: dir}
	m.mapLarge(0x00800000, 0x00400000, p|rw)
	m.mapLarge(0x00C00000, 0x00000000, p|rw)
	tlb := newTLB(m, c)
	for _, lin := range []uint32{0x00800000, 0x00923000, 0x00BFF000, 0x00C05000} {
		tlb.Translate(lin, mmu.Read)
	}
	m.mapLarge(0x00800000, 0x01000000, p|rw)
	m.mapLarge(0x00C00000, 0x01400000, p|rw)
	tlb.FlushPage(0x00A00000)
	for _, tc := range []struct{ lin, want uint32 }{
		{0x00800000, 0x01000000},
		{0x00923000, 0x01123000},
		{0x00BFF000, 0x013FF000},
		{0x00C05000, 0x00005000}, // the next 4 MiB page stays cached
	} {
		if phys, _ := tlb.Translate(tc.lin, mmu.Read); phys != tc.want {
			t.Errorf("%#x = %#x, want %#x", tc.lin, phys, tc.want)
		}
	}
}

// A page fault drops the entry of the faulting page (SDM Vol. 3, section
// 4.10.4.1): a read translation cached before the page was remapped
// without INVLPG does not survive a faulting write.
func TestFaultInvalidatesEntry(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw|us, p|us)
	tlb := newTLB(m, paging)
	tlb.Translate(0x00400000, mmu.User|mmu.Read)
	m.poke(pteAddr(0x00400000), 0x6000|p|us)
	if phys, _ := tlb.Translate(0x00400000, mmu.User|mmu.Read); phys != 0x5000 {
		t.Fatalf("stale translation = %#x, want the cached 0x5000", phys)
	}
	if _, f := tlb.Translate(0x00400000, mmu.User|mmu.Write); f == nil {
		t.Fatal("user write to a read-only page did not fault")
	}
	if phys, _ := tlb.Translate(0x00400000, mmu.User|mmu.Read); phys != 0x6000 {
		t.Errorf("after the fault = %#x, want the new 0x6000", phys)
	}
}

func TestTranslateHost(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw)
	m.mapPage(0x00401000, 0x6000, p|rw, p|rw)
	m.mapPage(0x00402000, 0x7000, p|rw, p|rw)
	m.mmio[0x6000] = true
	m.rom[0x7000] = true
	tlb := newTLB(m, paging)

	phys, page, f := tlb.TranslateHost(0x00400123, mmu.Write)
	if f != nil || phys != 0x5123 || page == nil || &page[0] != &m.b[0x5000] {
		t.Errorf("RAM page: %#x %p %v", phys, page, f)
	}
	if _, page, _ := tlb.TranslateHost(0x00401000, mmu.Read); page != nil {
		t.Error("MMIO page has a host page")
	}
	if _, page, _ := tlb.TranslateHost(0x00402000, mmu.Read); page == nil || &page[0] != &m.b[0x7000] {
		t.Error("ROM page has no host page for reads")
	}
	if _, page, _ := tlb.TranslateHost(0x00402000, mmu.Write); page != nil {
		t.Error("ROM page has a host page for writes")
	}
	if _, _, f := tlb.TranslateHost(0x00403000, mmu.Read); f == nil || f.Code != 0 {
		t.Errorf("unmapped page: %v", f)
	}

	// A map change drops the cached host pages.
	m.mmio[0x5000] = true
	m.gen.Add(1)
	if _, page, _ := tlb.TranslateHost(0x00400000, mmu.Read); page != nil {
		t.Error("host page survived a map change")
	}
	if s := tlb.Stats(); s.HostFlushes != 1 {
		t.Errorf("stats %+v, want one host flush", s)
	}
}

func TestLookupIsTheHitPathOnly(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw|us, p|rw|us)
	m.mapPage(0x00401000, 0x6000, p|rw|us, p|rw|us)
	m.mmio[0x6000] = true
	tlb := newTLB(m, paging)
	if _, ok := tlb.Lookup(0x00400000, mmu.Read); ok {
		t.Fatal("Lookup hit an empty TLB")
	}
	if _, ok := tlb.LookupHost(0x00400000, mmu.Read); ok {
		t.Fatal("LookupHost hit an empty TLB")
	}
	if s := tlb.Stats(); s.Misses != 0 || m.reads != 0 {
		t.Fatalf("lookups walked: %+v", s)
	}
	tlb.Translate(0x00400000, mmu.User|mmu.Read)
	if phys, ok := tlb.Lookup(0x00400ABC, mmu.Read); !ok || phys != 0x5ABC {
		t.Errorf("Lookup after a fill: %#x %v", phys, ok)
	}
	if page, ok := tlb.LookupHost(0x00400ABC, mmu.User|mmu.Exec); !ok || &page[0] != &m.b[0x5000] {
		t.Errorf("LookupHost after a fill: %p %v", page, ok)
	}
	if _, ok := tlb.Lookup(0x00400ABC, mmu.User|mmu.Write); ok {
		t.Error("Lookup hit a write on a read fill")
	}
	// An MMIO page hits in Lookup but has no host page.
	tlb.Translate(0x00401000, mmu.Read)
	if _, ok := tlb.Lookup(0x00401000, mmu.Read); !ok {
		t.Error("Lookup missed the MMIO page")
	}
	if _, ok := tlb.LookupHost(0x00401000, mmu.Read); ok {
		t.Error("LookupHost hit the MMIO page")
	}
	m.gen.Add(1)
	if _, ok := tlb.LookupHost(0x00400000, mmu.Read); ok {
		t.Error("LookupHost hit after a map change")
	}
}

func TestMarkUsedAfterFaultWritesNothing(t *testing.T) {
	m := newMem(1 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw)
	w := mmu.Walk(m, paging, 0x00400000, mmu.User)
	if w.Fault == nil {
		t.Fatal("user read of a supervisor page did not fault")
	}
	w.MarkUsed(m, mmu.User)
	off := mmu.Walk(m, mmu.Control{}, 0x00400000, mmu.Write) // paging off
	off.MarkUsed(m, mmu.Write)
	if len(m.writes) != 0 {
		t.Errorf("MarkUsed wrote %#x", m.writes)
	}
}

func TestCodePages(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw)
	tlb := newTLB(m, paging)
	var calls []uint32
	unmark := false
	tlb.OnCodeWrite = func(page uint32) {
		calls = append(calls, page)
		if unmark {
			tlb.UnmarkCode(page)
		}
	}
	// Cache write permission first: MarkCode must take it back.
	tlb.Translate(0x00400000, mmu.Write)
	tlb.MarkCode(0x5ABC)
	if !tlb.HasCode(0x5000) || tlb.HasCode(0x6000) {
		t.Fatal("HasCode wrong")
	}
	tlb.Translate(0x00400010, mmu.Read)
	tlb.Translate(0x00400010, mmu.Exec)
	if len(calls) != 0 {
		t.Errorf("reads called OnCodeWrite: %#x", calls)
	}
	for i := 0; i < 2; i++ {
		if _, page, _ := tlb.TranslateHost(0x00400010, mmu.Write); page != nil {
			t.Error("a write to a code page got a host page")
		}
	}
	if fmt.Sprint(calls) != fmt.Sprint([]uint32{0x5000, 0x5000}) {
		t.Errorf("calls %#x, want two for page 0x5000", calls)
	}

	// The jit drops its code and the mark: the next write is the last slow one.
	unmark = true
	tlb.Translate(0x00400020, mmu.Write)
	tlb.ResetStats()
	tlb.Translate(0x00400030, mmu.Write)
	if len(calls) != 3 || tlb.HasCode(0x5000) || tlb.Stats().Hits != 1 {
		t.Errorf("after unmarking: calls %#x, stats %+v", calls, tlb.Stats())
	}

	// A faulting write calls nothing.
	c := paging
	c.WP = true
	tlb.SetControl(c)
	m.mapPage(0x00800000, 0x9000, p|rw, p)
	tlb.MarkCode(0x9000)
	calls = nil
	if _, f := tlb.Translate(0x00800000, mmu.Write); f == nil || len(calls) != 0 {
		t.Errorf("faulting write: %v, calls %#x", f, calls)
	}
}

// The processor's own A and D updates are writes too.
func TestCodePageHoldingPageTable(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw)
	tlb := newTLB(m, paging)
	var calls []uint32
	tlb.OnCodeWrite = func(page uint32) { calls = append(calls, page) }
	tlb.MarkCode(tables) // the page table of slot 1 is at tables+0x1000
	tlb.MarkCode(tables + 0x1000)
	tlb.Translate(0x00400000, mmu.Read)
	if fmt.Sprint(calls) != fmt.Sprint([]uint32{tables + 0x1000}) {
		t.Errorf("calls %#x, want the page table's page", calls)
	}
}

func TestStats(t *testing.T) {
	m := newMem(8 << 20)
	m.mapPage(0x00400000, 0x5000, p|rw, p|rw)
	tlb := newTLB(m, paging)
	tlb.ResetStats()
	tlb.Translate(0x00400000, mmu.Read)  // miss, walk
	tlb.Translate(0x00400004, mmu.Read)  // hit
	tlb.Translate(0x00800000, mmu.Read)  // miss, walk, fault
	tlb.Translate(0x00400000, mmu.Write) // miss, walk (D)
	tlb.Translate(0x00400000, mmu.Write) // hit
	tlb.FlushPage(0x00400000)
	tlb.LoadCR3(dir)
	tlb.FlushAll()
	tlb.FlushAllGlobal()
	want := mmu.Stats{Hits: 2, Misses: 3, Walks: 3, Faults: 1, Flushes: 2, GlobalFlushes: 1, PageFlushes: 1}
	if s := tlb.Stats(); s != want {
		t.Errorf("stats %+v, want %+v", s, want)
	}
}

func TestControlFrom(t *testing.T) {
	got := mmu.ControlFrom(1<<31|1<<16|1, 0x12345018, 1<<4|1<<7)
	want := mmu.Control{PG: true, WP: true, PSE: true, PGE: true, CR3: 0x12345018}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := mmu.ControlFrom(1, 0, 0); got != (mmu.Control{}) {
		t.Errorf("protected mode without paging: %+v", got)
	}
}

func TestStrings(t *testing.T) {
	if s := (&mmu.Fault{Code: 7, Addr: 0xC0001000}).String(); s != "#PF(0x7) at 0xc0001000" {
		t.Errorf("Fault.String() = %q", s)
	}
	for acc, want := range map[mmu.Access]string{
		mmu.Read:             "supervisor read",
		mmu.User | mmu.Write: "user write",
		mmu.User | mmu.Exec:  "user exec",
	} {
		if acc.String() != want {
			t.Errorf("%d.String() = %q, want %q", acc, acc.String(), want)
		}
	}
}
