//go:build linux && amd64

package kvm

import (
	"fmt"
	"sync/atomic"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
)

// memory keeps the VM's memory slots in step with the guest's RAM and ROM.
type memory struct {
	regions []Region     // the mapped regions; keeps their host memory alive
	mapper  MemoryMapper // nil: regions are fixed
	gen     *atomic.Uint64
	seenGen uint64
	a20     interface{ A20() bool }
	a20Off  bool

	slots    map[slot]uint32 // slot → KVM slot number
	free     []uint32        // released slot numbers
	next     uint32          // next never-used slot number
	max      int             // KVM_CAP_NR_MEMSLOTS
	readonly bool            // KVM_CAP_READONLY_MEM
	// unaligned counts regions served by MMIO exits because their host
	// memory is not page-aligned.
	unaligned int
}

func (m *memory) init(e *Engine, fixed []Region) error {
	m.slots = map[slot]uint32{}
	m.readonly = e.readonlyMem
	m.max = 32
	if n, err := e.sys.CheckExtension(kvmapi.CapNrMemslots); err == nil && n > 0 {
		m.max = n
	}
	m.regions = fixed
	if fixed == nil {
		mm, ok := e.env.Bus.(MemoryMapper)
		if !ok {
			return ErrNoMemory
		}
		m.mapper = mm
		if v, ok := e.env.Bus.(cpu.MapVersioner); ok {
			m.gen = v.MapGeneration()
		}
	}
	if a, ok := e.env.Bus.(interface{ A20() bool }); ok {
		m.a20 = a
	}
	if err := m.apply(e); err != nil {
		return err
	}
	if len(m.slots) == 0 && m.unaligned == 0 {
		return ErrNoMemory
	}
	if m.unaligned > 0 {
		e.notes = append(e.notes, fmt.Sprintf("kvm: %d memory regions are not page-aligned in host memory; they are served by MMIO exits and cannot hold code", m.unaligned))
	}
	return nil
}

// sync re-reads the bus's map when its generation moved (RAM or ROM
// remapped) and follows the A20 gate, updating the slots.
func (m *memory) sync(e *Engine) error {
	changed := m.mapper != nil && m.gen != nil && m.gen.Load() != m.seenGen
	if m.a20 != nil && !m.a20.A20() != m.a20Off {
		changed = true
	}
	if !changed {
		return nil
	}
	return m.apply(e)
}

// apply computes the wanted slots and changes only the ones that differ.
func (m *memory) apply(e *Engine) error {
	if m.gen != nil {
		m.seenGen = m.gen.Load()
	}
	if m.mapper != nil {
		var rs []Region
		m.mapper.VisitMemory(func(base uint32, mem []byte, ro bool) {
			rs = append(rs, Region{Base: base, Mem: mem, ReadOnly: ro})
		})
		m.regions = rs
	}
	m.a20Off = m.a20 != nil && !m.a20.A20()
	want, unaligned, err := memPlan(m.regions, m.a20Off)
	if err != nil {
		return err
	}
	m.unaligned = len(unaligned)
	wanted := make(map[slot]bool, len(want))
	for _, s := range want {
		if !m.readonly {
			s.readOnly = false
		}
		wanted[s] = true
	}
	// Deletions first: KVM refuses overlapping slots.
	for s, id := range m.slots {
		if wanted[s] {
			continue
		}
		if err := e.vm.SetUserMemoryRegion(&kvmapi.UserspaceMemoryRegion{Slot: id}); err != nil {
			return fmt.Errorf("kvm: deleting memory slot %d (%#x+%#x): %w", id, s.gpa, s.size, err)
		}
		delete(m.slots, s)
		m.free = append(m.free, id)
	}
	for s := range wanted {
		if _, ok := m.slots[s]; ok {
			continue
		}
		var id uint32
		if n := len(m.free); n > 0 {
			id, m.free = m.free[n-1], m.free[:n-1]
		} else {
			if int(m.next) >= m.max {
				return fmt.Errorf("kvm: more than %d memory slots", m.max)
			}
			id = m.next
			m.next++
		}
		r := kvmapi.UserspaceMemoryRegion{Slot: id, GuestPhysAddr: s.gpa, MemorySize: s.size, UserspaceAddr: uint64(s.hva)}
		if s.readOnly {
			r.Flags = kvmapi.MemReadonly
		}
		if err := e.vm.SetUserMemoryRegion(&r); err != nil {
			return fmt.Errorf("kvm: memory slot %d (%#x+%#x): %w", id, s.gpa, s.size, err)
		}
		m.slots[s] = id
	}
	return nil
}
