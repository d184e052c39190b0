// Package mmu is i686 paging: the 32-bit two-level page walk with 4 MiB
// (PSE) pages, and a software TLB in front of it (Intel SDM Vol. 3,
// chapter 4, "Paging", sections 4.3 and 4.6 to 4.10).
//
// It is the ground floor of the emulator. It sees physical memory only
// through Memory (devices/bus.Bus and cpu.Bus have that shape), takes the
// control-register bits it needs as a plain Control value, and imports no
// cpu package. Segmentation stays in cpu/interp; the shadow page tables of
// the trap and bt engines will live in mmu/shadow.
//
// There are two ways in:
//
//   - Walk is the pure page walk. It reads the page directory and page
//     table, writes nothing, and reports the entries it saw, the
//     effective permissions and the fault an access would take. Debuggers
//     and the shadow page tables use it; WalkResult.MarkUsed then sets the
//     accessed and dirty bits the way the processor would.
//   - TLB caches translations per 4 KiB linear page, with the accesses
//     each one allows, so a hit reads no memory. A miss walks, sets the
//     accessed and dirty bits, and fills the entry. Entries also keep the
//     host page (Memory.RAMPage) for the interpreter's fast path, and the
//     TLB can watch physical pages that hold translated code, calling
//     OnCodeWrite before any write to them (the jit's self-modifying-code
//     hook, after v86's TLB_HAS_CODE).
//
// Like the hardware, the TLB is not coherent with page-table writes: the
// engine calls LoadCR3 on MOV to CR3 (and on task switches that change
// it), FlushPage on INVLPG, and SetControl on every MOV to CR0 or CR4,
// which flushes what the SDM says it flushes. Lookup and LookupHost are
// the hit paths alone, small enough to inline into an engine's memory
// accessors; Translate and TranslateHost walk on a miss.
// Guest faults come back as *Fault values (vector 14, error code and
// CR2), never as Go errors or panics.
package mmu
