package mmu

import "fmt"

// PageSize is the size of a small page, and the granularity of the TLB
// and of Memory.RAMPage.
const PageSize = 4096

// Reader is the read half of Memory: all a pure page walk needs.
type Reader interface {
	// Read reads size (1, 2 or 4) bytes at physical address addr.
	Read(addr uint32, size int) uint32
}

// Memory is physical memory as the MMU sees it. devices/bus.Bus and
// cpu.Bus satisfy it. Addresses are physical.
type Memory interface {
	Reader
	// Write writes size (1, 2 or 4) bytes at physical address addr.
	Write(addr uint32, size int, v uint32)
	// RAMPage returns the 4 KiB host page holding addr, or nil if the
	// page is MMIO, unmapped, or ROM and write is set.
	RAMPage(addr uint32, write bool) []byte
}

// Bits of a page-directory or page-table entry with 32-bit paging
// (SDM Vol. 3, Tables 4-4 to 4-6).
const (
	EntryPresent      = 1 << 0  // P
	EntryWritable     = 1 << 1  // R/W: writes allowed (see Control.WP)
	EntryUser         = 1 << 2  // U/S: CPL 3 allowed
	EntryWriteThrough = 1 << 3  // PWT (memory type; ignored here)
	EntryCacheDisable = 1 << 4  // PCD (memory type; ignored here)
	EntryAccessed     = 1 << 5  // A: set by the processor on use
	EntryDirty        = 1 << 6  // D: set on the first write (leaf entries only)
	EntryLarge        = 1 << 7  // PS in a PDE: a 4 MiB page when CR4.PSE is on
	EntryPAT          = 1 << 7  // PAT in a PTE (reserved without the PAT)
	EntryGlobal       = 1 << 8  // G in a leaf: survives CR3 loads when CR4.PGE is on
	EntryLargePAT     = 1 << 12 // PAT in a 4 MiB PDE (reserved without the PAT)
)

// Reserved bits with 32-bit paging exist only when CR4.PSE is on (SDM Vol.
// 3, section 4.3): in a 4 MiB PDE, bits 21:13 on a CPU without PSE-36,
// plus bit 12 and bit 7 of every PTE on a CPU without the PAT (Pentium II
// and earlier: the older SDM's "bits 12 through 21 are reserved").
const (
	rsvdLarge   = 0x003FE000 // bits 21:13
	rsvdNoPAT4M = EntryLargePAT
	rsvdNoPATPT = EntryPAT
)

// Bits of the page-fault error code (SDM Vol. 3, Figure 4-12).
const (
	FaultP    = 1 << 0 // 0: not-present page; 1: protection or reserved bit
	FaultW    = 1 << 1 // the access was a write
	FaultU    = 1 << 2 // the access was a user-mode (CPL 3) access
	FaultRSVD = 1 << 3 // a reserved bit was set in a paging-structure entry
	FaultID   = 1 << 4 // instruction fetch; only with PAE and NX, so never set here
)

// Access is the kind of a memory access: Read, Write or Exec, or'ed with
// User for CPL 3 accesses. Implicit supervisor accesses (descriptor
// tables, the TSS) are supervisor accesses even at CPL 3. The values are
// those of the error-code bits so a fault code is a mask away.
type Access uint8

// Access kinds. Write and Exec are exclusive.
const (
	Read  Access = 0
	Write Access = FaultW
	User  Access = FaultU
	Exec  Access = FaultID // checked as a read: 32-bit paging has no NX
)

func (a Access) String() string {
	s := "read"
	switch {
	case a&Write != 0:
		s = "write"
	case a&Exec != 0:
		s = "exec"
	}
	if a&User != 0 {
		return "user " + s
	}
	return "supervisor " + s
}

// Control is the paging state taken from the control registers (and one
// model feature), as plain values.
type Control struct {
	PG  bool   // CR0.PG: paging on; when off, linear addresses are physical
	WP  bool   // CR0.WP (486+): supervisor writes honour R/W
	PSE bool   // CR4.PSE (Pentium+): PDEs with PS=1 map 4 MiB pages
	PGE bool   // CR4.PGE (Pentium Pro+): G=1 translations survive CR3 loads
	PAT bool   // the CPU has the PAT (Pentium III+), which un-reserves PAT bits
	CR3 uint32 // page-directory base in bits 31:12 (PWT, PCD ignored)
}

// Control-register bits read by ControlFrom (SDM Vol. 3, section 2.5).
const (
	cr0WP  = 1 << 16
	cr0PG  = 1 << 31
	cr4PSE = 1 << 4
	cr4PGE = 1 << 7
)

// ControlFrom extracts the paging bits from CR0, CR3 and CR4. PAT is a
// model feature, not a register bit: set it on the result if the CPU has
// one.
func ControlFrom(cr0, cr3, cr4 uint32) Control {
	return Control{
		PG:  cr0&cr0PG != 0,
		WP:  cr0&cr0WP != 0,
		PSE: cr4&cr4PSE != 0,
		PGE: cr4&cr4PGE != 0,
		CR3: cr3,
	}
}

// Fault is a page fault (#PF, vector 14): the error code pushed on the
// stack and the linear address loaded into CR2.
type Fault struct {
	Code uint32 // error code: Fault* bits
	Addr uint32 // CR2: the linear address that faulted
}

// Vector is the page-fault exception vector.
const Vector = 14

func (f *Fault) String() string {
	return fmt.Sprintf("#PF(%#x) at 0x%08x", f.Code, f.Addr)
}

// WalkResult is what a page walk saw and concluded.
type WalkResult struct {
	Lin     uint32 // the linear address walked
	Levels  int    // entries read: 0 (paging off), 1 (PDE only) or 2
	PDEAddr uint32 // physical address of the page-directory entry
	PDE     uint32 // its value
	PTEAddr uint32 // physical address of the page-table entry (Levels == 2)
	PTE     uint32 // its value (Levels == 2)

	Mapped   bool   // a translation exists (both levels present, no reserved bit)
	Large    bool   // the PDE maps a 4 MiB page
	Phys     uint32 // the physical address, when Mapped
	Writable bool   // R/W of every level set (the page is read/write)
	User     bool   // U/S of every level set (a user page)
	Global   bool   // the leaf's G bit, with CR4.PGE on
	Fault    *Fault // nil when the access is allowed
}

// Walk translates lin for access a by walking the page tables in mem from
// c.CR3, as 32-bit paging does (SDM Vol. 3, section 4.3), and checks the
// access rights (section 4.6). It writes nothing: MarkUsed sets the
// accessed and dirty bits afterwards. With paging off the translation is
// the identity and everything is allowed.
func Walk(mem Reader, c Control, lin uint32, a Access) WalkResult {
	w := WalkResult{Lin: lin}
	if !c.PG {
		w.Mapped, w.Phys, w.Writable, w.User = true, lin, true, true
		return w
	}
	w.Levels = 1
	w.PDEAddr = c.CR3&^0xFFF | lin>>22<<2
	w.PDE = mem.Read(w.PDEAddr, 4)
	if w.PDE&EntryPresent == 0 {
		w.Fault = fault(lin, a, 0)
		return w
	}
	leaf := w.PDE
	if c.PSE && w.PDE&EntryLarge != 0 {
		rsvd := uint32(rsvdLarge)
		if !c.PAT {
			rsvd |= rsvdNoPAT4M
		}
		if w.PDE&rsvd != 0 {
			w.Fault = fault(lin, a, FaultP|FaultRSVD)
			return w
		}
		w.Large = true
		w.Phys = w.PDE&0xFFC00000 | lin&0x3FFFFF
		w.Writable = w.PDE&EntryWritable != 0
		w.User = w.PDE&EntryUser != 0
	} else {
		w.Levels = 2
		w.PTEAddr = w.PDE&^0xFFF | lin>>10&0xFFC
		w.PTE = mem.Read(w.PTEAddr, 4)
		if w.PTE&EntryPresent == 0 {
			w.Fault = fault(lin, a, 0)
			return w
		}
		if c.PSE && !c.PAT && w.PTE&rsvdNoPATPT != 0 {
			w.Fault = fault(lin, a, FaultP|FaultRSVD)
			return w
		}
		leaf = w.PTE
		w.Phys = w.PTE&^0xFFF | lin&0xFFF
		// The rights of both levels combine: a page is a user page only
		// if U/S is set at both, and writable only if R/W is (4.6).
		w.Writable = w.PDE&w.PTE&EntryWritable != 0
		w.User = w.PDE&w.PTE&EntryUser != 0
	}
	w.Mapped = true
	w.Global = c.PGE && leaf&EntryGlobal != 0
	if !allowed(a, w.User, w.Writable, c.WP) {
		w.Fault = fault(lin, a, FaultP)
	}
	return w
}

// allowed applies the access rights of SDM Vol. 3, section 4.6, for a
// CPU without SMEP, SMAP or NX: user accesses need a user page, and a
// writable one to write; supervisor accesses may read anything and write
// anything unless CR0.WP is set, when they need a writable page (user or
// supervisor alike). Fetches are checked as reads.
func allowed(a Access, user, writable, wp bool) bool {
	if a&User != 0 {
		return user && (a&Write == 0 || writable)
	}
	return a&Write == 0 || writable || !wp
}

func fault(lin uint32, a Access, code uint32) *Fault {
	return &Fault{Code: code | uint32(a&(Write|User)), Addr: lin}
}

// MarkUsed sets the bits the processor sets when it uses a translation
// for an allowed access (SDM Vol. 3, section 4.8): A in the PDE, then A in
// the PTE, then D in the leaf on a write, in that order and only where
// not already set. It does nothing when the walk faulted or paging is off.
// The entry values in w are updated; an entry that is its own page table
// (a self-map) sees both updates.
func (w *WalkResult) MarkUsed(mem Memory, a Access) {
	if w.Fault != nil || w.Levels == 0 {
		return
	}
	if w.Large {
		set := uint32(EntryAccessed)
		if a&Write != 0 {
			set |= EntryDirty
		}
		if w.PDE&set != set {
			w.PDE |= set
			mem.Write(w.PDEAddr, 4, w.PDE)
		}
		return
	}
	if w.PDE&EntryAccessed == 0 {
		w.PDE |= EntryAccessed
		mem.Write(w.PDEAddr, 4, w.PDE)
		if w.PTEAddr == w.PDEAddr {
			w.PTE = w.PDE
		}
	}
	set := uint32(EntryAccessed)
	if a&Write != 0 {
		set |= EntryDirty
	}
	if w.PTE&set != set {
		w.PTE |= set
		mem.Write(w.PTEAddr, 4, w.PTE)
		if w.PTEAddr == w.PDEAddr {
			w.PDE = w.PTE
		}
	}
}
