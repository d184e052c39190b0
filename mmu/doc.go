// Package mmu will hold x86 paging: the two-level and PSE (4 MiB) page
// walks and a software TLB whose entries also flag pages that are MMIO or
// hold translated code. It is the ground floor: it takes control-register
// values, an access kind and a physical-memory interface, and imports no
// cpu package. Segmentation stays in cpu/interp; shadow page tables for
// the trap and bt engines will live in mmu/shadow.
package mmu
