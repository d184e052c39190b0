package mmu_test

import (
	"testing"

	"ringzero/mmu"
)

// benchTLB maps n consecutive pages from 0x08048000, with paging, PSE and
// PGE on, and touches each one so every Translate after it hits.
func benchTLB(n int) (*mmu.TLB, *fakeMem) {
	m := newMem(8 << 20)
	for i := 0; i < n; i++ {
		lin := 0x08048000 + uint32(i)*mmu.PageSize
		m.mapPage(lin, 0x00400000+uint32(i)*mmu.PageSize, p|rw|us, p|rw|us)
	}
	tlb := newTLB(m, mmu.Control{PG: true, WP: true, PSE: true, PGE: true, CR3: dir})
	for i := 0; i < n; i++ {
		tlb.Translate(0x08048000+uint32(i)*mmu.PageSize, mmu.User|mmu.Write)
	}
	return tlb, m
}

// BenchmarkTranslate is the hit path: a user read on a cached page.
func BenchmarkTranslate(b *testing.B) {
	for _, n := range []int{1, 256} {
		b.Run(map[int]string{1: "1page", 256: "256pages"}[n], func(b *testing.B) {
			tlb, _ := benchTLB(n)
			mask := uint32(n*mmu.PageSize - 1)
			var sink uint32
			lin := uint32(0)
			for b.Loop() {
				phys, _ := tlb.Translate(0x08048000+lin&mask, mmu.User|mmu.Read)
				sink += phys
				lin += 0x1004
			}
			if tlb.Stats().Misses != uint64(n) {
				b.Fatalf("misses in the hit benchmark: %+v", tlb.Stats())
			}
			_ = sink
		})
	}
}

// BenchmarkLookup is the inlined hit path.
func BenchmarkLookup(b *testing.B) {
	tlb, _ := benchTLB(256)
	var sink uint32
	lin := uint32(0)
	for b.Loop() {
		phys, _ := tlb.Lookup(0x08048000+lin&0xFFFFF, mmu.User|mmu.Read)
		sink += phys
		lin += 0x1004
	}
	_ = sink
}

// BenchmarkLookupHost is the interpreter's inlined fast path: a byte
// load through the cached host page.
func BenchmarkLookupHost(b *testing.B) {
	tlb, _ := benchTLB(256)
	var sink uint8
	lin := uint32(0)
	for b.Loop() {
		l := 0x08048000 + lin&0xFFFFF
		if page, ok := tlb.LookupHost(l, mmu.User|mmu.Read); ok {
			sink += page[l&0xFFF]
		}
		lin += 0x1004
	}
	_ = sink
}

// BenchmarkTranslateHost is the hit path with the host page, not inlined.
func BenchmarkTranslateHost(b *testing.B) {
	tlb, _ := benchTLB(1)
	var sink uint8
	lin := uint32(0)
	for b.Loop() {
		phys, page, _ := tlb.TranslateHost(0x08048000+lin&0xFFF, mmu.User|mmu.Write)
		page[phys&0xFFF]++
		sink += page[0]
		lin += 4
	}
	_ = sink
}

// BenchmarkTranslateMiss is the miss path: INVLPG then a walk and a fill.
func BenchmarkTranslateMiss(b *testing.B) {
	tlb, _ := benchTLB(1)
	for b.Loop() {
		tlb.FlushPage(0x08048000)
		tlb.Translate(0x08048000, mmu.User|mmu.Read)
	}
}

// BenchmarkWalk is the pure walk alone.
func BenchmarkWalk(b *testing.B) {
	_, m := benchTLB(1)
	c := mmu.Control{PG: true, CR3: dir}
	for b.Loop() {
		mmu.Walk(m, c, 0x08048000, mmu.User|mmu.Read)
	}
}
