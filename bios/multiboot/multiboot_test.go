package multiboot_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"ringzero/bios/multiboot"
	"ringzero/cpu"
)

const ramSize = 8 << 20

// newRAM returns guest RAM filled with a pattern, so the tests see what
// the loader zeroed and what it left alone.
func newRAM() []byte {
	return bytes.Repeat([]byte{0xCC}, ramSize)
}

var testMods = []multiboot.Module{
	{Data: []byte("first module\n"), Cmdline: "mod0.txt x=1"},
	{Data: bytes.Repeat([]byte{7}, 5000), Cmdline: "mod1.bin"},
}

func mustLoad(t *testing.T, ram, kernel []byte, mods []multiboot.Module, cmdline string) *multiboot.Boot {
	t.Helper()
	b, err := multiboot.Load(ram, kernel, mods, cmdline, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func TestLoadAOutKludge(t *testing.T) {
	ram := newRAM()
	body := []byte{0xF4, 0xEB, 0xFD, 1, 2, 3}
	k := aoutKernel(0x200000, body, 0x1000)
	b := mustLoad(t, ram, k, testMods, "kernel arg1 arg2")

	if b.Version != multiboot.V1 || b.Magic != multiboot.BootMagic1 || b.Format != "a.out kludge" {
		t.Errorf("Boot %+v", b)
	}
	if b.Entry != 0x200020 {
		t.Errorf("entry %#x, want 0x200020", b.Entry)
	}
	if !bytes.Equal(ram[0x200000:0x200000+len(k)], k) {
		t.Error("the image is not at load_addr")
	}
	bssStart := 0x200000 + len(k)
	if bss := ram[bssStart : bssStart+0x1000]; !bytes.Equal(bss, make([]byte, 0x1000)) {
		t.Error("the bss is not zeroed")
	}
	if ram[bssStart+0x1000] != 0xCC {
		t.Error("the loader wrote past bss_end_addr")
	}
	if want := (multiboot.Range{Start: 0x200000, End: uint32(bssStart + 0x1000)}); b.Kernel != want {
		t.Errorf("kernel range %v, want %v", b.Kernel, want)
	}
	checkInfo1(t, ram, b, "kernel arg1 arg2", testMods)
}

// checkInfo1 reads the Multiboot 1 information structure back.
func checkInfo1(t *testing.T, ram []byte, b *multiboot.Boot, cmdline string, mods []multiboot.Module) {
	t.Helper()
	mbi := b.Info
	if mbi%4 != 0 || mbi < b.Area.Start || mbi+116 > b.Area.End {
		t.Fatalf("info structure at %#x, area %v", mbi, b.Area)
	}
	if flags := rd32(ram, mbi); flags != 0x24F {
		t.Errorf("flags %#x, want 0x24f (memory, boot device, cmdline, modules, mmap, loader name)", flags)
	}
	if lo, hi := rd32(ram, mbi+4), rd32(ram, mbi+8); lo != 639 || hi != (ramSize>>10)-1024 {
		t.Errorf("mem_lower %d, mem_upper %d; want 639, %d", lo, hi, (ramSize>>10)-1024)
	}
	if d := rd32(ram, mbi+12); d != 0x8000FFFF {
		t.Errorf("boot_device %#x", d)
	}
	if s := cstr(ram, rd32(ram, mbi+16)); s != cmdline {
		t.Errorf("cmdline %q, want %q", s, cmdline)
	}
	if s := cstr(ram, rd32(ram, mbi+64)); s != "ringzero" {
		t.Errorf("boot loader name %q", s)
	}
	if n := rd32(ram, mbi+20); n != uint32(len(mods)) {
		t.Fatalf("mods_count %d, want %d", n, len(mods))
	}
	list := rd32(ram, mbi+24)
	prevEnd := b.Kernel.End
	for i, m := range mods {
		e := list + uint32(16*i)
		start, end := rd32(ram, e), rd32(ram, e+4)
		if start%4096 != 0 || start < prevEnd || end-start != uint32(len(m.Data)) {
			t.Errorf("module %d at %#x-%#x (after %#x), want page-aligned, %d bytes", i, start, end, prevEnd, len(m.Data))
			continue
		}
		if !bytes.Equal(ram[start:end], m.Data) {
			t.Errorf("module %d: wrong contents", i)
		}
		if s := cstr(ram, rd32(ram, e+8)); s != m.Cmdline {
			t.Errorf("module %d string %q, want %q", i, s, m.Cmdline)
		}
		if r := b.Modules[i]; r.Start != start || r.End != end {
			t.Errorf("Boot.Modules[%d] %v, the structure says %#x-%#x", i, r, start, end)
		}
		prevEnd = end
	}
	// The memory map: the board's E820 map, entry by entry.
	want := multiboot.PCMemoryMap(ramSize)
	mlen, maddr := rd32(ram, mbi+44), rd32(ram, mbi+48)
	if mlen != uint32(24*len(want)) {
		t.Fatalf("mmap_length %d, want %d", mlen, 24*len(want))
	}
	for i, w := range want {
		e := maddr + uint32(24*i)
		got := multiboot.E820Entry{Addr: rd64(ram, e+4), Len: rd64(ram, e+12), Type: rd32(ram, e+20)}
		if rd32(ram, e) != 20 || got != w {
			t.Errorf("mmap entry %d: size %d %+v, want 20 %+v", i, rd32(ram, e), got, w)
		}
	}
}

func TestLoadAOutLoadsFromBeforeTheHeader(t *testing.T) {
	// load_addr below header_addr: the bytes before the header load too.
	prefix := bytes.Repeat([]byte{0x90}, 64)
	h := mb1Header(1<<16|3, 0x300040, 0x300000, 0, 0, 0x300000)
	k := append(append(append([]byte{}, prefix...), h...), 0xF4)
	ram := newRAM()
	b := mustLoad(t, ram, k, nil, "")
	if !bytes.Equal(ram[0x300000:0x300000+len(k)], k) || b.Entry != 0x300000 {
		t.Errorf("image not loaded from the file's start: entry %#x", b.Entry)
	}
	if b.Kernel.End != 0x300000+uint32(len(k)) {
		t.Errorf("load_end_addr 0 should load the whole file: %v", b.Kernel)
	}
}

func TestLoadELF32(t *testing.T) {
	code := []byte{0xF4, 0xEB, 0xFD}
	data := []byte("data segment")
	k := elfFile(false, 0xC0100000+16, mb1Header(3),
		elfSeg{vaddr: 0xC0100000, paddr: 0x100000, data: append(make([]byte, 16), code...), memsz: 0x100},
		elfSeg{vaddr: 0xC0200000, paddr: 0x180000, data: data, memsz: 0x2000},
	)
	ram := newRAM()
	b := mustLoad(t, ram, k, testMods[:1], "elf")
	if b.Format != "ELF32" {
		t.Errorf("format %q", b.Format)
	}
	// The entry is virtual in e_entry; the loader gives the physical one.
	if b.Entry != 0x100010 {
		t.Errorf("entry %#x, want 0x100010 (translated to the physical address)", b.Entry)
	}
	if !bytes.Equal(ram[0x100010:0x100013], code) || !bytes.Equal(ram[0x180000:0x180000+len(data)], data) {
		t.Error("segments not at their physical addresses")
	}
	if !bytes.Equal(ram[0x180000+len(data):0x182000], make([]byte, 0x2000-len(data))) {
		t.Error("the data segment's bss is not zeroed")
	}
	if ram[0x100100] != 0xCC || ram[0x17FFFF] != 0xCC {
		t.Error("the loader wrote past a segment's memory size")
	}
	if b.Kernel != (multiboot.Range{Start: 0x100000, End: 0x182000}) {
		t.Errorf("kernel %v", b.Kernel)
	}
	if b.Modules[0].Start != 0x182000 {
		t.Errorf("the module is at %#x, want the first page after the kernel, 0x182000", b.Modules[0].Start)
	}
	checkInfo1(t, ram, b, "elf", testMods[:1])
}

func TestLoadMultiboot1Framebuffer(t *testing.T) {
	// Header flag bit 2 asks for video information: the EGA text screen.
	h := mb1Header(1<<16|4, 0x100000, 0x100000, 0, 0, 0x100030)
	k := append(h, make([]byte, 16)...)
	ram := newRAM()
	b := mustLoad(t, ram, k, nil, "")
	mbi := b.Info
	if flags := rd32(ram, mbi); flags&(1<<12) == 0 {
		t.Fatalf("flags %#x: no framebuffer (bit 12)", flags)
	}
	if addr, pitch, w, h := rd64(ram, mbi+88), rd32(ram, mbi+96), rd32(ram, mbi+100), rd32(ram, mbi+104); addr != 0xB8000 || pitch != 160 || w != 80 || h != 25 {
		t.Errorf("framebuffer %#x pitch %d %dx%d", addr, pitch, w, h)
	}
	if bpp, typ := ram[mbi+108], ram[mbi+109]; bpp != 16 || typ != 2 {
		t.Errorf("framebuffer bpp %d type %d, want 16, 2 (EGA text)", bpp, typ)
	}
}

// mb2Tags reads the Multiboot2 information tags back: type -> bodies.
func mb2Tags(t *testing.T, ram []byte, b *multiboot.Boot) map[uint32][][]byte {
	t.Helper()
	info := b.Info
	if info%8 != 0 {
		t.Fatalf("information at %#x is not 8-byte aligned", info)
	}
	total := rd32(ram, info)
	if info+total > b.Area.End {
		t.Fatalf("total_size %d runs past the area %v", total, b.Area)
	}
	tags := map[uint32][][]byte{}
	for p := info + 8; ; {
		typ, size := rd32(ram, p), rd32(ram, p+4)
		if size < 8 || p+size > info+total {
			t.Fatalf("tag %d at %#x: bad size %d", typ, p, size)
		}
		if typ == 0 {
			if p+size != info+total {
				t.Errorf("the end tag ends at %#x, total_size says %#x", p+size, info+total)
			}
			return tags
		}
		tags[typ] = append(tags[typ], ram[p+8:p+size])
		p += (size + 7) &^ 7
	}
}

func TestLoadMultiboot2AddressTags(t *testing.T) {
	h := mb2Header(
		mb2Tag{typ: 1, body: u32s(1, 2, 3, 4, 6)},
		mb2Tag{typ: 1, flags: 1, body: u32s(5, 21)}, // optional: boot device, load base
		mb2Tag{typ: 2, body: u32s(0x400000, 0x400000, 0, 0x401000)},
		mb2Tag{typ: 3, body: u32s(0x400100)},
	)
	k := append(h, make([]byte, 0x200)...)
	ram := newRAM()
	b := mustLoad(t, ram, k, testMods, "mb2 cmd")
	if b.Version != multiboot.V2 || b.Magic != multiboot.BootMagic2 || b.Entry != 0x400100 {
		t.Fatalf("Boot %+v", b)
	}
	if !bytes.Equal(ram[0x400000:0x400000+len(k)], k) || !bytes.Equal(ram[0x400000+len(k):0x401000], make([]byte, 0x1000-len(k))) {
		t.Error("image or bss wrong")
	}
	if b.Modules[0].Start != 0x401000 {
		t.Errorf("module 0 at %#x, want 0x401000, right after the bss", b.Modules[0].Start)
	}
	tags := mb2Tags(t, ram, b)
	str := func(body []byte) string { return string(bytes.TrimRight(body, "\x00")) }
	if got := str(tags[1][0]); got != "mb2 cmd" {
		t.Errorf("cmdline %q", got)
	}
	if got := str(tags[2][0]); got != "ringzero" {
		t.Errorf("loader %q", got)
	}
	if len(tags[3]) != 2 {
		t.Fatalf("%d module tags, want 2", len(tags[3]))
	}
	for i, m := range tags[3] {
		start, end := le.Uint32(m), le.Uint32(m[4:])
		if start%4096 != 0 || !bytes.Equal(ram[start:end], testMods[i].Data) || str(m[8:]) != testMods[i].Cmdline {
			t.Errorf("module %d: %#x-%#x %q", i, start, end, str(m[8:]))
		}
	}
	if m := tags[4][0]; le.Uint32(m) != 639 || le.Uint32(m[4:]) != (ramSize>>10)-1024 {
		t.Errorf("basic meminfo %d %d", le.Uint32(m), le.Uint32(m[4:]))
	}
	mm := tags[6][0]
	if le.Uint32(mm) != 24 || le.Uint32(mm[4:]) != 0 || (len(mm)-8)/24 != len(multiboot.PCMemoryMap(ramSize)) {
		t.Errorf("mmap entry size %d version %d, %d bytes", le.Uint32(mm), le.Uint32(mm[4:]), len(mm))
	}
	for i, w := range multiboot.PCMemoryMap(ramSize) {
		e := mm[8+24*i:]
		if got := (multiboot.E820Entry{Addr: le.Uint64(e), Len: le.Uint64(e[8:]), Type: le.Uint32(e[16:])}); got != w {
			t.Errorf("mmap entry %d: %+v, want %+v", i, got, w)
		}
	}
	if d := tags[5]; len(d) != 1 || le.Uint32(d[0]) != 0x80 {
		t.Errorf("boot device tag %v (asked for)", d)
	}
	if d := tags[21]; len(d) != 1 || le.Uint32(d[0]) != 0x400000 {
		t.Errorf("load base tag %v (asked for)", d)
	}
	if _, ok := tags[8]; ok {
		t.Error("a framebuffer tag nobody asked for")
	}
}

func TestLoadMultiboot2Framebuffer(t *testing.T) {
	for _, tc := range []struct {
		name string
		tag  mb2Tag
	}{
		{"framebuffer tag", mb2Tag{typ: 5, flags: 1, body: u32s(80, 25, 0)}},
		{"information request", mb2Tag{typ: 1, body: u32s(8)}},
		{"console required with EGA text", mb2Tag{typ: 4, body: u32s(3)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mb2Header(tc.tag, mb2Tag{typ: 2, body: u32s(0x100000, 0x100000, 0, 0)}, mb2Tag{typ: 3, body: u32s(0x100000)})
			ram := newRAM()
			b := mustLoad(t, ram, append(h, 0xF4), nil, "")
			fb := mb2Tags(t, ram, b)[8]
			if len(fb) != 1 {
				t.Fatalf("%d framebuffer tags", len(fb))
			}
			f := fb[0]
			if le.Uint64(f) != 0xB8000 || le.Uint32(f[8:]) != 160 || le.Uint32(f[12:]) != 80 || le.Uint32(f[16:]) != 25 || f[20] != 16 || f[21] != 2 {
				t.Errorf("framebuffer tag % x", f)
			}
		})
	}
}

func TestLoadMultiboot2ELF64(t *testing.T) {
	k := elfFile(true, 0x100000, mb2Header(),
		elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{0xF4}, memsz: 0x10})
	ram := newRAM()
	b := mustLoad(t, ram, k, nil, "")
	if b.Format != "ELF64" || b.Entry != 0x100000 || ram[0x100000] != 0xF4 || ram[0x100001] != 0 {
		t.Errorf("Boot %+v", b)
	}
	// Multiboot 1 takes ELF32 only.
	k = elfFile(true, 0x100000, mb1Header(3), elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{0xF4}, memsz: 1})
	if _, err := multiboot.Load(newRAM(), k, nil, "", nil); err == nil || !strings.Contains(err.Error(), "ELF32") {
		t.Errorf("a Multiboot 1 ELF64 kernel: %v", err)
	}
}

func TestSetupEntersProtectedModeFlat(t *testing.T) {
	ram := newRAM()
	b := mustLoad(t, ram, aoutKernel(0x100000, []byte{0xF4}, 0), nil, "")
	var s cpu.State
	s.Reset(cpu.ModelP2)
	s.EFlags |= cpu.FlagIF
	s.CR[0] |= cpu.CR0PG
	b.Setup(&s)
	if s.Regs[cpu.EAX] != multiboot.BootMagic1 || s.Regs[cpu.EBX] != b.Info || s.EIP != b.Entry {
		t.Errorf("EAX %#x EBX %#x EIP %#x", s.Regs[cpu.EAX], s.Regs[cpu.EBX], s.EIP)
	}
	if s.CR[0]&cpu.CR0PE == 0 || s.CR[0]&cpu.CR0PG != 0 || s.EFlags&(cpu.FlagIF|cpu.FlagVM) != 0 {
		t.Errorf("CR0 %#x EFLAGS %#x", s.CR[0], s.EFlags)
	}
	for i, sg := range s.Seg {
		if sg.Base != 0 || sg.Limit != 0xFFFFFFFF || sg.Attr&cpu.AttrDB == 0 || sg.Attr&cpu.AttrP == 0 {
			t.Errorf("segment %d: %+v, want flat 32-bit", i, sg)
		}
	}
	if s.Seg[cpu.CS].Attr&cpu.AttrCode == 0 || s.Seg[cpu.CS].Selector != multiboot.CodeSelector || s.Seg[cpu.DS].Selector != multiboot.DataSelector {
		t.Errorf("CS %+v DS %+v", s.Seg[cpu.CS], s.Seg[cpu.DS])
	}
	// The GDT the selectors point into matches the caches.
	if s.GDTR.Base != b.GDT || s.GDTR.Limit != multiboot.GDTLimit {
		t.Errorf("GDTR %+v", s.GDTR)
	}
	code, data := rd64(ram, b.GDT+8), rd64(ram, b.GDT+16)
	if code != 0x00CF9B000000FFFF || data != 0x00CF93000000FFFF {
		t.Errorf("GDT code %#x data %#x", code, data)
	}
}

// TestLoadRejects: malformed kernels and impossible layouts give an
// error and leave RAM alone.
func TestLoadRejects(t *testing.T) {
	okELF := func(mod func([]byte)) []byte {
		k := elfFile(false, 0x100000, mb1Header(3), elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{0xF4}, memsz: 16})
		mod(k)
		return k
	}
	badSum := mb1Header(3)
	badSum[8]++
	cases := []struct {
		name   string
		kernel []byte
		mods   []multiboot.Module
		cmd    string
		want   string
	}{
		{"empty", nil, nil, "", "no Multiboot header"},
		{"no header", bytes.Repeat([]byte{0x90}, 10000), nil, "", "no Multiboot header"},
		{"bad checksum", append(badSum, 0), nil, "", "bad checksum"},
		{"header past 8 KiB", append(make([]byte, 8192), mb1Header(3)...), nil, "", "no Multiboot header"},
		{"unknown required flag", append(mb1Header(1<<16|1<<5, 0x100000, 0x100000, 0, 0, 0x100000), 0), nil, "", "bits 0x0020"},
		{"address fields cut short", mb1Header(1 << 16), nil, "", "cut short"},
		{"load_addr above header_addr", mb1Header(1<<16, 0x100000, 0x100010, 0, 0, 0x100010), nil, "", "above header_addr"},
		{"load_addr before the file", mb1Header(1<<16, 0x100100, 0x100000, 0, 0, 0x100100), nil, "", "into the file"},
		{"load_end_addr below load_addr", mb1Header(1<<16, 0x100000, 0x100000, 0xFFFF0, 0, 0x100000), nil, "", "below load_addr"},
		{"load_end_addr past the file", mb1Header(1<<16, 0x100000, 0x100000, 0x200000, 0, 0x100000), nil, "", "cut short"},
		{"bss_end_addr below load end", mb1Header(1<<16, 0x100000, 0x100000, 0x100020, 0x100010, 0x100000), nil, "", "bss_end_addr"},
		{"entry outside", mb1Header(1<<16, 0x100000, 0x100000, 0, 0, 0x500000), nil, "", "entry point"},
		{"into the VGA hole", mb1Header(1<<16, 0xB8000, 0xB8000, 0, 0, 0xB8000), nil, "", "not inside one available range"},
		{"past the end of RAM", mb1Header(1<<16, ramSize-16, ramSize-16, 0, ramSize+0x1000, ramSize-16), nil, "", "RAM ends"},
		{"past 4 GiB", mb1Header(1<<16, 0xFFFFFFF0, 0xFFFFFFF0, 0, 0, 0xFFFFFFF0), nil, "", "4 GiB"},
		{"not ELF without address fields", append(mb1Header(3), 0), nil, "", "neither ELF"},
		{"ELF wrong machine", okELF(func(k []byte) { k[18] = 40 }), nil, "", "EM_386"},
		{"ELF not executable", okELF(func(k []byte) { k[16] = 3 }), nil, "", "ET_EXEC"},
		{"ELF big-endian", okELF(func(k []byte) { k[5] = 2 }), nil, "", "little-endian"},
		{"ELF program headers past the end", okELF(func(k []byte) { le.PutUint32(k[28:], 1<<20) }), nil, "", "program headers"},
		{"ELF segment past the end", okELF(func(k []byte) { le.PutUint32(k[52+4:], 1<<20) }), nil, "", "past the end"},
		{"ELF filesz > memsz", okELF(func(k []byte) { le.PutUint32(k[52+20:], 0) }), nil, "", "no loadable segment"},
		{"ELF filesz > memsz 2", okELF(func(k []byte) { le.PutUint32(k[52+16:], 17) }), nil, "", "more file bytes"},
		{"ELF no segment", okELF(func(k []byte) { le.PutUint32(k[52:], 4) }), nil, "", "no loadable segment"},
		{"ELF bad phentsize", okELF(func(k []byte) { le.PutUint16(k[42:], 40) }), nil, "", "program header size"},
		{"ELF segment in ROM", okELF(func(k []byte) { le.PutUint32(k[52+12:], 0xF0000) }), nil, "", "not inside one available range"},
		{"ELF segment over the EBDA", okELF(func(k []byte) { le.PutUint32(k[52+12:], 0x9FBF8) }), nil, "", "not inside one available range"},
		{"ELF entry outside", okELF(func(k []byte) { le.PutUint32(k[24:], 0x100) }), nil, "", "entry point"},
		{"ELF overlapping segments", elfFile(false, 0x100000, mb1Header(3),
			elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{1}, memsz: 0x100},
			elfSeg{vaddr: 0x100080, paddr: 0x100080, data: []byte{1}, memsz: 0x100}), nil, "", "overlap"},
		{"NUL in the command line", aoutKernel(0x100000, []byte{1}, 0), nil, "a\x00b", "NUL"},
		{"NUL in a module string", aoutKernel(0x100000, []byte{1}, 0), []multiboot.Module{{Cmdline: "m\x00"}}, "", "NUL"},
		{"no room for a module", aoutKernel(0x100000, []byte{1}, 0), []multiboot.Module{{Data: make([]byte, ramSize)}}, "", "no room for module 0"},
		{"no room for the information", aoutKernel(ramSize-0x2000, []byte{1}, 0x1000), nil, "", "no room for the boot information"},
		{"MB2 bad architecture", func() []byte {
			h := mb2Header()
			le.PutUint32(h[4:], 4)
			le.PutUint32(h[12:], -(multiboot.HeaderMagic2 + 4 + uint32(len(h))))
			return h
		}(), nil, "", "architecture 4"},
		{"MB2 bad checksum", func() []byte { h := mb2Header(); h[12]++; return h }(), nil, "", "bad checksum"},
		{"MB2 length past the file", func() []byte {
			h := mb2Header()
			n := uint32(4096)
			le.PutUint32(h[8:], n)
			le.PutUint32(h[12:], -(multiboot.HeaderMagic2 + n))
			return h
		}(), nil, "", "bad length"},
		{"MB2 no end tag", func() []byte {
			h := mb2Header(mb2Tag{typ: 6})
			h[len(h)-8] = 7 // the end tag becomes an EFI boot services tag
			return h
		}(), nil, "", "no end tag"},
		{"MB2 tag size", mb2Header(mb2Tag{typ: 3, body: u32s(1, 2)}), nil, "", "bad size"},
		{"MB2 unknown required tag", mb2Header(mb2Tag{typ: 99}), nil, "", "header tag 99"},
		{"MB2 unknown required information", mb2Header(mb2Tag{typ: 1, body: u32s(14)}), nil, "", "information tag 14"},
		{"MB2 graphics console required", mb2Header(mb2Tag{typ: 4, body: u32s(1)}), nil, "", "graphics console"},
		{"MB2 address without entry, not ELF", mb2Header(mb2Tag{typ: 2, body: u32s(0x100000, 0x100000, 0, 0)}), nil, "", "no entry address tag"},
		{"MB2 load_addr -1 below 0", append(make([]byte, 8), mb2Header(mb2Tag{typ: 2, body: u32s(4, 0xFFFFFFFF, 0, 0)}, mb2Tag{typ: 3, body: u32s(4)})...), nil, "", "below address 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ram := newRAM()
			b, err := multiboot.Load(ram, tc.kernel, tc.mods, tc.cmd, nil)
			if err == nil {
				t.Fatalf("loaded: %+v", b)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to mention %q", err, tc.want)
			}
			if !bytes.Equal(ram, newRAM()) {
				t.Error("RAM changed by a failed load")
			}
		})
	}
}

// TestLoadHonoursTheMemoryMap: the board's map, not the RAM size alone,
// says where the loader may write and what mem_upper is.
func TestLoadHonoursTheMemoryMap(t *testing.T) {
	mmap := []multiboot.E820Entry{
		{Addr: 0, Len: 0x9F000, Type: multiboot.E820RAM},
		{Addr: 0x100000, Len: 0x300000, Type: multiboot.E820RAM}, // 1-4 MiB
		{Addr: 0x200000, Len: 0x1000, Type: multiboot.E820Reserved},
		{Addr: 0x400000, Len: 0x100000, Type: multiboot.E820ACPI},
	}
	ram := newRAM()
	b, err := multiboot.Load(ram, aoutKernel(0x100000, []byte{0xF4}, 0), nil, "", mmap)
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := rd32(ram, b.Info+4), rd32(ram, b.Info+8); lo != 0x9F000>>10 || hi != 3<<10 {
		t.Errorf("mem_lower %d mem_upper %d, want %d %d", lo, hi, 0x9F000>>10, 3<<10)
	}
	for _, k := range []struct {
		addr uint32
		want string
	}{{0x200000, "overlaps reserved memory"}, {0x3FFFF0, "not inside one available range"}, {0x9F000, "not inside one available range"}} {
		_, err := multiboot.Load(newRAM(), aoutKernel(k.addr, []byte{0xF4}, 0x20), nil, "", mmap)
		if err == nil || !strings.Contains(err.Error(), k.want) {
			t.Errorf("kernel at %#x: %v, want %q", k.addr, err, k.want)
		}
	}
}

func TestWriteTrampolineChecksWhereItGoes(t *testing.T) {
	ram := newRAM()
	b := mustLoad(t, ram, aoutKernel(0x90000, []byte{0xF4}, 0), nil, "")
	if err := b.WriteTrampoline(ram, 0x8000); err != nil {
		t.Fatal(err)
	}
	tr := ram[0x80000 : 0x80000+multiboot.TrampolineSize]
	if tr[0x200] != 0xEB || string(tr[0x202:0x206]) != "HdrS" {
		t.Errorf("no jump over a HdrS signature at 200h: % x", tr[0x200:0x206])
	}
	for _, seg := range []uint16{0x9000 - 0x10, 0x9FC0, 0xF000} {
		if err := b.WriteTrampoline(newRAM(), seg); err == nil {
			t.Errorf("trampoline at %04x:0000 accepted (over the kernel, the EBDA or the BIOS)", seg)
		}
	}
}

func TestNotMultibootIsRecognisable(t *testing.T) {
	_, err := multiboot.Load(newRAM(), []byte("MZ not a kernel"), nil, "", nil)
	if !errors.Is(err, multiboot.ErrNotMultiboot) {
		t.Errorf("%v does not wrap ErrNotMultiboot", err)
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		kernel []byte
		want   multiboot.Version
	}{
		{"none", []byte("hello"), multiboot.None},
		{"Multiboot", aoutKernel(0x100000, nil, 0), multiboot.V1},
		{"Multiboot2", mb2Header(), multiboot.V2},
		{"Multiboot2 misaligned", append([]byte{0, 0, 0, 0}, mb2Header()...), multiboot.None},
		{"both: Multiboot 1 wins", append(mb2Header(), mb1Header(3)...), multiboot.V1},
		{"a bad checksum does not count", append(mb1Header(3)[:8], 0, 0, 0, 0), multiboot.None},
	} {
		if got := multiboot.Detect(tc.kernel); got != tc.want {
			t.Errorf("%s: Detect = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseModules(t *testing.T) {
	files := map[string]string{"a": "A", "b,c": "BC", "d": ""}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: no such file", p)
	}
	mods, err := multiboot.ParseModules("a arg1 arg2,b,,c,d", read)
	if err != nil {
		t.Fatal(err)
	}
	want := []multiboot.Module{{Data: []byte("A"), Cmdline: "a arg1 arg2"}, {Data: []byte("BC"), Cmdline: "b,c"}, {Data: []byte{}, Cmdline: "d"}}
	if len(mods) != len(want) {
		t.Fatalf("%d modules, want %d", len(mods), len(want))
	}
	for i := range want {
		if !bytes.Equal(mods[i].Data, want[i].Data) || mods[i].Cmdline != want[i].Cmdline {
			t.Errorf("module %d: %q %q, want %q %q", i, mods[i].Data, mods[i].Cmdline, want[i].Data, want[i].Cmdline)
		}
	}
	for _, bad := range []string{"a,,,missing", "a, x", "nope"} {
		if _, err := multiboot.ParseModules(bad, read); err == nil {
			t.Errorf("ParseModules(%q) succeeded", bad)
		}
	}
	if mods, err := multiboot.ParseModules("", read); err != nil || mods != nil {
		t.Errorf("empty -initrd: %v %v", mods, err)
	}
}

func TestPCMemoryMapMatchesTheBIOS(t *testing.T) {
	// What the built-in BIOS's INT 15h E820h reports for 32 MiB (see
	// bios/qemu_test.go): RAM below the EBDA, and from 1 MiB.
	m := multiboot.PCMemoryMap(32 << 20)
	want := []multiboot.E820Entry{
		{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2}, {0x100000, 0x1F00000, 1}, {0xFFFF0000, 0x10000, 2},
	}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Errorf("map %v, want %v", m, want)
	}
}
