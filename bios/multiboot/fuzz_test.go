package multiboot_test

import (
	"os"
	"path/filepath"
	"testing"

	"ringzero/bios/multiboot"
)

// FuzzLoad: any file, command line and module either loads, with the
// layout inside RAM, or gives an error; never a panic.
func FuzzLoad(f *testing.F) {
	f.Add(aoutKernel(0x100000, []byte{0xF4}, 0x100), "a b", []byte("mod"))
	f.Add(elfFile(false, 0x100000, mb1Header(3), elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{0xF4}, memsz: 0x20}), "", []byte{})
	f.Add(elfFile(true, 0x100000, mb2Header(mb2Tag{typ: 1, body: u32s(8, 21)}), elfSeg{vaddr: 0x100000, paddr: 0x100000, data: []byte{1}, memsz: 2}), "x", []byte{1})
	f.Add(mb2Header(mb2Tag{typ: 2, body: u32s(0x100000, 0xFFFFFFFF, 0, 0x100100)}, mb2Tag{typ: 3, body: u32s(0x100000)}), "", []byte(nil))
	for _, k := range testKernels {
		if b, err := os.ReadFile(filepath.Join(kernelDir, k.file)); err == nil {
			f.Add(b[:min(len(b), 24<<10)], "k", []byte("m"))
		}
	}
	const size = 2 << 20
	f.Fuzz(func(t *testing.T, kernel []byte, cmdline string, mod []byte) {
		ram := make([]byte, size)
		b, err := multiboot.Load(ram, kernel, []multiboot.Module{{Data: mod, Cmdline: "m"}}, cmdline, nil)
		if err != nil {
			if b != nil {
				t.Fatal("a Boot with an error")
			}
			return
		}
		if multiboot.Detect(kernel) != b.Version {
			t.Errorf("loaded as %v, Detect says %v", b.Version, multiboot.Detect(kernel))
		}
		if b.Entry < b.Kernel.Start || b.Entry >= b.Kernel.End || b.Kernel.End > b.Modules[0].Start ||
			b.Modules[0].End > b.Area.Start || b.Area.End > size || b.Info < b.Area.Start || b.Info >= b.Area.End {
			t.Errorf("layout out of order or outside RAM: %+v", b)
		}
	})
}
