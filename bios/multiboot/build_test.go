package multiboot_test

import (
	"encoding/binary"

	"ringzero/bios/multiboot"
)

// Kernel files built in Go for the loader's tests. The code in them is
// never run: the test kernels that run are in testroms/src/mbkernel.asm.

var le = binary.LittleEndian

// mb1Header is a Multiboot header with flags and, when flags has bit 16,
// the address fields addr (header, load, load end, bss end, entry), and
// with bit 2 the video fields (zero).
func mb1Header(flags uint32, addr ...uint32) []byte {
	b := le.AppendUint32(nil, multiboot.HeaderMagic1)
	b = le.AppendUint32(b, flags)
	b = le.AppendUint32(b, -(multiboot.HeaderMagic1 + flags))
	for _, a := range addr {
		b = le.AppendUint32(b, a)
	}
	if flags&4 != 0 {
		for len(b) < 48 {
			b = append(b, 0)
		}
	}
	return b
}

// aoutKernel is a Multiboot a.out-kludge kernel loaded at load: the
// header, then body, then bss zero bytes; the entry is the first byte of
// body.
func aoutKernel(load uint32, body []byte, bss uint32) []byte {
	end := load + 32 + uint32(len(body))
	h := mb1Header(1<<16|3, load, load, end, end+bss, load+32)
	return append(h, body...)
}

// mb2Tag is one Multiboot2 header tag.
type mb2Tag struct {
	typ, flags uint16
	body       []byte
}

func u32s(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = le.AppendUint32(b, x)
	}
	return b
}

// mb2Header is a Multiboot2 header with tags and the end tag.
func mb2Header(tags ...mb2Tag) []byte {
	b := make([]byte, 16)
	for _, t := range append(tags, mb2Tag{}) {
		b = le.AppendUint16(b, t.typ)
		b = le.AppendUint16(b, t.flags)
		b = le.AppendUint32(b, uint32(8+len(t.body)))
		b = append(b, t.body...)
		for len(b)%8 != 0 {
			b = append(b, 0)
		}
	}
	le.PutUint32(b[0:], multiboot.HeaderMagic2)
	le.PutUint32(b[4:], 0)
	le.PutUint32(b[8:], uint32(len(b)))
	le.PutUint32(b[12:], -(multiboot.HeaderMagic2 + uint32(len(b))))
	return b
}

// elfSeg is one PT_LOAD segment of a test ELF file.
type elfSeg struct {
	vaddr, paddr uint64
	data         []byte
	memsz        uint64
}

// elfFile builds an ELF executable (ELF32 or ELF64, machine EM_386 or
// EM_X86_64) with segments, entry point entry, and prefix (a Multiboot
// header) right after the program headers, inside the first 8 KiB.
func elfFile(class64 bool, entry uint64, prefix []byte, segs ...elfSeg) []byte {
	ehsize, phsize := 52, 32
	if class64 {
		ehsize, phsize = 64, 56
	}
	off := ehsize + phsize*len(segs)
	b := make([]byte, off)
	b = append(b, prefix...)
	for len(b)%16 != 0 {
		b = append(b, 0)
	}
	offs := make([]int, len(segs))
	for i, s := range segs {
		offs[i] = len(b)
		b = append(b, s.data...)
		for len(b)%16 != 0 {
			b = append(b, 0)
		}
	}
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = 1, 1, 1
	if class64 {
		b[4] = 2
	}
	le.PutUint16(b[16:], 2) // ET_EXEC
	if class64 {
		le.PutUint16(b[18:], 62) // EM_X86_64
		le.PutUint32(b[20:], 1)
		le.PutUint64(b[24:], entry)
		le.PutUint64(b[32:], uint64(ehsize)) // phoff
		le.PutUint16(b[52:], uint16(ehsize))
		le.PutUint16(b[54:], uint16(phsize))
		le.PutUint16(b[56:], uint16(len(segs)))
	} else {
		le.PutUint16(b[18:], 3) // EM_386
		le.PutUint32(b[20:], 1)
		le.PutUint32(b[24:], uint32(entry))
		le.PutUint32(b[28:], uint32(ehsize))
		le.PutUint16(b[40:], uint16(ehsize))
		le.PutUint16(b[42:], uint16(phsize))
		le.PutUint16(b[44:], uint16(len(segs)))
	}
	for i, s := range segs {
		p := b[ehsize+i*phsize:]
		le.PutUint32(p, 1) // PT_LOAD
		if class64 {
			le.PutUint32(p[4:], 7)
			le.PutUint64(p[8:], uint64(offs[i]))
			le.PutUint64(p[16:], s.vaddr)
			le.PutUint64(p[24:], s.paddr)
			le.PutUint64(p[32:], uint64(len(s.data)))
			le.PutUint64(p[40:], s.memsz)
		} else {
			le.PutUint32(p[4:], uint32(offs[i]))
			le.PutUint32(p[8:], uint32(s.vaddr))
			le.PutUint32(p[12:], uint32(s.paddr))
			le.PutUint32(p[16:], uint32(len(s.data)))
			le.PutUint32(p[20:], uint32(s.memsz))
			le.PutUint32(p[24:], 7)
		}
	}
	return b
}

// cstr reads a NUL-terminated string at addr.
func cstr(ram []byte, addr uint32) string {
	end := addr
	for int(end) < len(ram) && ram[end] != 0 {
		end++
	}
	return string(ram[addr:end])
}

func rd32(ram []byte, addr uint32) uint32 { return le.Uint32(ram[addr:]) }
func rd64(ram []byte, addr uint32) uint64 { return le.Uint64(ram[addr:]) }
