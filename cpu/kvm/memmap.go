package kvm

import (
	"fmt"
	"sort"
)

const pageSize = 4096

// slot is one KVM memory slot as we want it: guest-physical [gpa,
// gpa+size) backed by host memory at hva.
type slot struct {
	gpa, size uint64
	hva       uintptr
	readOnly  bool
}

func (s slot) end() uint64 { return s.gpa + s.size }

// hma is the 64 KiB above 1 MiB that real mode reaches (FFFF:0010 and
// up), which wraps to low memory while the A20 gate is off.
const (
	hmaBase = 0x100000
	hmaSize = 0x10000
)

// memPlan turns RAM and ROM regions into memory slots: sorted, with
// neighbours merged when their host memory is contiguous too. Regions
// whose host memory is not page-aligned cannot be slots and are left to
// MMIO exits; they are returned in unaligned. With a20Off, the HMA is
// remapped onto the host memory of the first 64 KiB, which is how the
// gate wraps every real-mode address (protected-mode code with the gate
// off, which sees every odd megabyte wrap, is not modelled).
func memPlan(regions []Region, a20Off bool) (slots []slot, unaligned []Region, err error) {
	for _, r := range regions {
		if len(r.Mem) == 0 {
			continue
		}
		if r.Base%pageSize != 0 || len(r.Mem)%pageSize != 0 || uint64(r.Base)+uint64(len(r.Mem)) > 1<<32 {
			return nil, nil, fmt.Errorf("kvm: memory region %#x+%#x is not page-aligned or leaves the 4 GiB space", r.Base, len(r.Mem))
		}
		hva := hostAddr(r.Mem)
		if hva%pageSize != 0 {
			unaligned = append(unaligned, r)
			continue
		}
		slots = append(slots, slot{gpa: uint64(r.Base), size: uint64(len(r.Mem)), hva: hva, readOnly: r.ReadOnly})
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].gpa < slots[j].gpa })
	merged := slots[:0]
	for _, s := range slots {
		if n := len(merged); n > 0 {
			p := &merged[n-1]
			if s.gpa < p.end() {
				return nil, nil, fmt.Errorf("kvm: memory regions overlap at %#x", s.gpa)
			}
			if p.end() == s.gpa && p.hva+uintptr(p.size) == s.hva && p.readOnly == s.readOnly {
				p.size += s.size
				continue
			}
		}
		merged = append(merged, s)
	}
	slots = merged
	if a20Off {
		slots = wrapHMA(slots)
	}
	return slots, unaligned, nil
}

// wrapHMA removes the HMA from slots and maps the host memory behind
// guest [0, 64 KiB) there instead.
func wrapHMA(slots []slot) []slot {
	var out, alias []slot
	for _, s := range slots {
		if s.gpa < hmaSize {
			// The part of this slot inside [0, 64 KiB), moved up 1 MiB.
			a := s
			if a.end() > hmaSize {
				a.size = hmaSize - a.gpa
			}
			a.gpa += hmaBase
			alias = append(alias, a)
		}
		lo, hi := uint64(hmaBase), uint64(hmaBase+hmaSize)
		if s.end() <= lo || s.gpa >= hi {
			out = append(out, s)
			continue
		}
		if s.gpa < lo {
			out = append(out, slot{gpa: s.gpa, size: lo - s.gpa, hva: s.hva, readOnly: s.readOnly})
		}
		if s.end() > hi {
			off := hi - s.gpa
			out = append(out, slot{gpa: hi, size: s.end() - hi, hva: s.hva + uintptr(off), readOnly: s.readOnly})
		}
	}
	out = append(out, alias...)
	sort.Slice(out, func(i, j int) bool { return out[i].gpa < out[j].gpa })
	return out
}
