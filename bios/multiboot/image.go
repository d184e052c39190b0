package multiboot

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// segment is one piece of the kernel image: data copied to addr, then
// zeros up to addr+memsz.
type segment struct {
	addr  uint32
	data  []byte
	memsz uint64 // at least len(data)
}

func (s segment) end() uint64 { return uint64(s.addr) + s.memsz }

// image is a kernel as it will sit in memory.
type image struct {
	segs   []segment
	entry  uint32
	format string
}

// loadAOut lays out a kernel from address fields (the Multiboot 1 "a.out
// kludge", or the Multiboot2 address tag): the bytes from load_addr to
// load_end_addr come from the file, placed so that the header lands at
// header_addr; load_end_addr 0 means "to the end of the file", and bss
// is zeroed from there to bss_end_addr (0: none). hoff is the header's
// file offset. loadFromStart is Multiboot2's load_addr -1: the file
// loads from its first byte.
func loadAOut(k []byte, hoff int, headerAddr, loadAddr, loadEndAddr, bssEndAddr uint32, loadFromStart bool) (segment, error) {
	var foff uint64
	if loadFromStart {
		if uint64(headerAddr) < uint64(hoff) {
			return segment{}, fmt.Errorf("header_addr %#x is below the header's offset %#x in the file, so the file would load below address 0", headerAddr, hoff)
		}
		loadAddr = headerAddr - uint32(hoff)
	} else {
		if loadAddr > headerAddr {
			return segment{}, fmt.Errorf("load_addr %#x is above header_addr %#x", loadAddr, headerAddr)
		}
		if uint64(headerAddr-loadAddr) > uint64(hoff) {
			return segment{}, fmt.Errorf("load_addr %#x is %#x bytes below header_addr %#x, but the header is only %#x bytes into the file", loadAddr, headerAddr-loadAddr, headerAddr, hoff)
		}
		foff = uint64(hoff) - uint64(headerAddr-loadAddr)
	}
	size := uint64(len(k)) - foff
	if loadEndAddr != 0 {
		if loadEndAddr < loadAddr {
			return segment{}, fmt.Errorf("load_end_addr %#x is below load_addr %#x", loadEndAddr, loadAddr)
		}
		size = uint64(loadEndAddr - loadAddr)
		if foff+size > uint64(len(k)) {
			return segment{}, fmt.Errorf("the file is cut short: load_addr %#x to load_end_addr %#x needs %d bytes from offset %#x, the file has %d", loadAddr, loadEndAddr, size, foff, uint64(len(k))-foff)
		}
	}
	if uint64(headerAddr)+12 > uint64(loadAddr)+size {
		return segment{}, fmt.Errorf("header_addr %#x lies outside the loaded bytes %#x-%#x", headerAddr, loadAddr, uint64(loadAddr)+size)
	}
	if uint64(loadAddr)+size > 1<<32 {
		return segment{}, fmt.Errorf("the kernel at %#x (%d bytes) runs past 4 GiB", loadAddr, size)
	}
	memsz := size
	if bssEndAddr != 0 {
		if uint64(bssEndAddr) < uint64(loadAddr)+size {
			return segment{}, fmt.Errorf("bss_end_addr %#x is below the end of the loaded data %#x", bssEndAddr, uint64(loadAddr)+size)
		}
		memsz = uint64(bssEndAddr - loadAddr)
	}
	return segment{addr: loadAddr, data: k[foff : foff+size], memsz: memsz}, nil
}

// loadELF lays out an ELF executable from its program headers: each
// PT_LOAD segment at its physical address. The entry point is e_entry,
// translated to a physical address when it falls in a segment whose
// virtual and physical addresses differ (as GRUB does for higher-half
// kernels). ELF64 is allowed for Multiboot2 only.
func loadELF(k []byte, allow64 bool) (image, error) {
	var im image
	if len(k) < elf.EI_NIDENT || !bytes.Equal(k[:4], []byte(elf.ELFMAG)) {
		return im, fmt.Errorf("the kernel is neither ELF nor has Multiboot address fields (header flag bit 16 or a Multiboot2 address tag)")
	}
	class := elf.Class(k[elf.EI_CLASS])
	if elf.Data(k[elf.EI_DATA]) != elf.ELFDATA2LSB {
		return im, fmt.Errorf("ELF kernel: not little-endian")
	}
	if elf.Version(k[elf.EI_VERSION]) != elf.EV_CURRENT {
		return im, fmt.Errorf("ELF kernel: unknown ELF version %d", k[elf.EI_VERSION])
	}
	var (
		typ     elf.Type
		machine elf.Machine
		entry   uint64
		phoff   uint64
		phent   int
		phnum   int
		phsize  int
	)
	switch class {
	case elf.ELFCLASS32:
		var h elf.Header32
		if _, err := binary.Decode(k, binary.LittleEndian, &h); err != nil {
			return im, fmt.Errorf("ELF kernel: the ELF header is cut short")
		}
		typ, machine, entry = elf.Type(h.Type), elf.Machine(h.Machine), uint64(h.Entry)
		phoff, phent, phnum, phsize = uint64(h.Phoff), int(h.Phentsize), int(h.Phnum), binary.Size(elf.Prog32{})
		if machine != elf.EM_386 {
			return im, fmt.Errorf("ELF kernel: machine %v, want EM_386", machine)
		}
		im.format = "ELF32"
	case elf.ELFCLASS64:
		if !allow64 {
			return im, fmt.Errorf("ELF kernel: a 64-bit ELF file; a Multiboot kernel must be ELF32 (Multiboot2 allows ELF64)")
		}
		var h elf.Header64
		if _, err := binary.Decode(k, binary.LittleEndian, &h); err != nil {
			return im, fmt.Errorf("ELF kernel: the ELF header is cut short")
		}
		typ, machine, entry = elf.Type(h.Type), elf.Machine(h.Machine), h.Entry
		phoff, phent, phnum, phsize = h.Phoff, int(h.Phentsize), int(h.Phnum), binary.Size(elf.Prog64{})
		if machine != elf.EM_X86_64 && machine != elf.EM_386 {
			return im, fmt.Errorf("ELF kernel: machine %v, want EM_386 or EM_X86_64", machine)
		}
		im.format = "ELF64"
	default:
		return im, fmt.Errorf("ELF kernel: unknown ELF class %d", k[elf.EI_CLASS])
	}
	if typ != elf.ET_EXEC {
		return im, fmt.Errorf("ELF kernel: type %v, want an executable (ET_EXEC)", typ)
	}
	if phent != phsize {
		return im, fmt.Errorf("ELF kernel: program header size %d, want %d", phent, phsize)
	}
	if phnum == 0 || phoff > uint64(len(k)) || uint64(phnum)*uint64(phent) > uint64(len(k))-phoff {
		return im, fmt.Errorf("ELF kernel: %d program headers at offset %#x do not fit in the %d-byte file", phnum, phoff, len(k))
	}
	var vaddrs []uint64
	for i := 0; i < phnum; i++ {
		off := int64(phoff) + int64(i*phent)
		var ptype elf.ProgType
		var foff, vaddr, paddr, filesz, memsz uint64
		raw := k[off : off+int64(phent)]
		if class == elf.ELFCLASS32 {
			var p elf.Prog32
			if _, err := binary.Decode(raw, binary.LittleEndian, &p); err != nil {
				return im, fmt.Errorf("ELF kernel: program header %d: %v", i, err)
			}
			ptype, foff, vaddr, paddr, filesz, memsz = elf.ProgType(p.Type), uint64(p.Off), uint64(p.Vaddr), uint64(p.Paddr), uint64(p.Filesz), uint64(p.Memsz)
		} else {
			var p elf.Prog64
			if _, err := binary.Decode(raw, binary.LittleEndian, &p); err != nil {
				return im, fmt.Errorf("ELF kernel: program header %d: %v", i, err)
			}
			ptype, foff, vaddr, paddr, filesz, memsz = elf.ProgType(p.Type), p.Off, p.Vaddr, p.Paddr, p.Filesz, p.Memsz
		}
		if ptype != elf.PT_LOAD || memsz == 0 {
			continue
		}
		if filesz > memsz {
			return im, fmt.Errorf("ELF kernel: segment %d has more file bytes (%d) than memory bytes (%d)", i, filesz, memsz)
		}
		if foff > uint64(len(k)) || filesz > uint64(len(k))-foff {
			return im, fmt.Errorf("ELF kernel: segment %d (%d bytes at offset %#x) runs past the end of the %d-byte file", i, filesz, foff, len(k))
		}
		if paddr >= 1<<32 || memsz > 1<<32-paddr {
			return im, fmt.Errorf("ELF kernel: segment %d at physical address %#x (%d bytes) is not below 4 GiB", i, paddr, memsz)
		}
		im.segs = append(im.segs, segment{addr: uint32(paddr), data: k[foff : foff+filesz], memsz: memsz})
		vaddrs = append(vaddrs, vaddr)
	}
	if len(im.segs) == 0 {
		return im, fmt.Errorf("ELF kernel: no loadable segment")
	}
	for i, s := range im.segs {
		if v := vaddrs[i]; entry >= v && entry-v < s.memsz {
			entry = uint64(s.addr) + (entry - v)
			break
		}
	}
	if entry >= 1<<32 {
		return im, fmt.Errorf("ELF kernel: entry point %#x is not below 4 GiB", entry)
	}
	im.entry = uint32(entry)
	return im, nil
}
