// Package multiboot loads Multiboot kernels into guest RAM the way a boot
// loader does, for -kernel, -initrd and -append (QEMU's direct boot of
// Multiboot kernels, and GRUB's multiboot and multiboot2 commands).
//
// Multiboot 1 (the Multiboot Specification 0.6.96): Load finds the header
// (magic 1BADB002h, flags, checksum) 4-byte aligned in the first 8 KiB of
// the kernel file and loads the kernel either from the "a.out kludge"
// address fields (flag bit 16: header_addr, load_addr, load_end_addr,
// bss_end_addr, entry_addr) or, without them, from its ELF32 program
// headers: each PT_LOAD segment goes to its physical address (p_paddr)
// and the rest of its memory size is zeroed (the bss). It then builds the
// boot information structure: mem_lower and mem_upper, the boot device
// (8000FFFFh, as QEMU passes), the command line, the modules, the memory
// map, the boot loader name "ringzero" and, when header flag bit 2 asks
// for video information, the EGA text screen as framebuffer type 2.
//
// Multiboot 2 (the Multiboot2 Specification 2.0): a kernel without a
// Multiboot 1 header but with a Multiboot2 header (magic E85250D6h,
// architecture 0, 8-byte aligned in the first 32 KiB) is loaded from its
// address and entry tags, or from its ELF32 or ELF64 program headers, and
// gets a boot information structure of tags: command line, boot loader
// name, modules, basic memory information, memory map, and the EGA text
// framebuffer (80x25 at B8000h, type 2) when the kernel asks for one
// (framebuffer tag, or tag 8 in its information request). A kernel that
// requires an information tag ringzero cannot give is refused, as the
// specification asks.
//
// Everything is checked before anything is written: a malformed header,
// a truncated file, a segment that would land outside available RAM (the
// memory map's type 1 ranges, within the RAM slice) or an entry point
// outside the loaded image gives an error, never a panic, and leaves RAM
// untouched.
//
// Layout in guest RAM: the kernel where it asks to be; then, from the
// first 4 KiB page boundary above the kernel (bss included), the modules,
// each page-aligned; then one page-aligned information area holding the
// information structure, a flat GDT, the module list, the memory map and
// the strings. The information structure, the module list and the memory
// map can be found from EBX; Boot reports where everything went.
//
// Boot.Setup puts a CPU in the state both specifications give the
// kernel: 32-bit protected mode with flat 4 GiB code (selector 08h) and
// data (10h) segments from the GDT in the information area, paging off,
// interrupts off, EAX the boot loader magic (2BADB002h or 36D76289h) and
// EBX the physical address of the information structure. A20 must be on;
// that is the board's part. To enter the kernel after the BIOS's POST
// instead, WriteTrampoline puts real-mode code in low memory that does
// the same from real mode; it is laid out for the INT 19h hand-off that
// bios/linuxboot describes ("HdrS" at segment:0202h, entered at
// (segment+20h):0000h).
package multiboot
