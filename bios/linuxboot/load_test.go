package linuxboot_test

import (
	"bytes"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"

	"ringzero/bios/linuxboot"
)

const mib = 1 << 20

// newRAM returns n bytes of RAM filled with CCh, so that the tests see
// every byte Load writes.
func newRAM(n int) []byte { return bytes.Repeat([]byte{0xCC}, n) }

// untouched reports whether ram[from:to] still holds CCh only.
func untouched(ram []byte, from, to int) bool {
	for _, c := range ram[from:to] {
		if c != 0xCC {
			return false
		}
	}
	return true
}

func TestLoadPlacesAModernKernelAsTheProtocolSays(t *testing.T) {
	ram := newRAM(64 * mib)
	kernel := fakeKernel(100_000)
	initrd := fakeInitrd(300_000)
	cmdline := "console=ttyS0 root=/dev/ram0 vga=ext quiet"
	e, err := linuxboot.Load(ram, kernel, initrd, cmdline)
	if err != nil {
		t.Fatal(err)
	}
	setupLen := 5 * 512
	pmLen := len(kernel) - setupLen

	// The entry: 9020:0000, segments 9000, SP at the heap end E000.
	if e.Segment != 0x9000 || e.CS() != 0x9020 || e.SP != 0xE000 {
		t.Errorf("entry %04X:0000 with segment %04X SP %04X, want 9020:0000, 9000, E000", e.CS(), e.Segment, e.SP)
	}
	if e.Header.Protocol != 0x020F || e.Header.SetupSects != 4 || e.Header.Version != "0.0.0-fake (linuxboot test)" {
		t.Errorf("header %+v", e.Header)
	}

	// The setup code at 90000h, its header filled in.
	hdr := ram[0x90000:]
	want := append([]byte(nil), kernel[:setupLen]...)
	for _, f := range []struct{ off, n int }{
		{hVidMode, 2}, {hTypeOfLoader, 2}, {hCode32Start, 4}, {hRamdiskImage, 8},
		{hHeapEndPtr, 2}, {hCmdLinePtr, 4},
	} {
		copy(want[f.off:f.off+f.n], hdr[f.off:f.off+f.n])
	}
	if !bytes.Equal(hdr[:setupLen], want) {
		t.Error("the setup code at 0x90000 differs from the image beyond the loader's fields")
	}
	for _, c := range []struct {
		name string
		got  uint32
		want uint32
	}{
		{"vid_mode (vga=ext)", uint32(le.Uint16(hdr[hVidMode:])), 0xFFFE},
		{"type_of_loader", uint32(hdr[hTypeOfLoader]), 0xB0},
		{"loadflags", uint32(hdr[hLoadFlags]), 0x81},
		{"code32_start", le.Uint32(hdr[hCode32Start:]), 0x100000},
		{"heap_end_ptr", uint32(le.Uint16(hdr[hHeapEndPtr:])), 0xDE00},
		{"cmd_line_ptr", le.Uint32(hdr[hCmdLinePtr:]), 0x9E000},
		{"ramdisk_image", le.Uint32(hdr[hRamdiskImage:]), e.InitrdAddr},
		{"ramdisk_size", le.Uint32(hdr[hRamdiskSize:]), 300_000},
	} {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
	// The heap after the setup code is cleared, the command line follows,
	// and nothing is written from the EBDA to 1 MiB.
	for i, c := range ram[0x90000+setupLen : 0x9E000] {
		if c != 0 {
			t.Fatalf("heap byte %#x is %#x, want 0", 0x90000+setupLen+i, c)
		}
	}
	if got := string(ram[0x9E000 : 0x9E000+len(cmdline)+1]); got != cmdline+"\x00" {
		t.Errorf("command line %q", got)
	}
	if !untouched(ram, 0x9E000+len(cmdline)+1, 0x100000) || !untouched(ram, 0, 0x90000) {
		t.Error("Load wrote outside the setup, heap and command line below 1 MiB")
	}

	// The kernel at 1 MiB; the initrd page-aligned at the top of RAM.
	if !bytes.Equal(ram[0x100000:0x100000+pmLen], kernel[setupLen:]) {
		t.Error("the protected-mode kernel is not at 1 MiB")
	}
	if e.KernelAddr != 0x100000 || e.KernelSize != uint32(pmLen) {
		t.Errorf("kernel %#x+%#x", e.KernelAddr, e.KernelSize)
	}
	// Relocatable with 2 MiB alignment, loaded at 1 MiB: it decompresses
	// at 2 MiB and needs init_size (1 MiB) there.
	if e.KernelEnd != 0x300000 {
		t.Errorf("KernelEnd %#x, want 0x300000", e.KernelEnd)
	}
	wantInitrd := uint32((64*mib - 300_000) &^ 4095)
	if e.InitrdAddr != wantInitrd || e.InitrdSize != 300_000 {
		t.Errorf("initrd %#x+%#x, want %#x+%#x", e.InitrdAddr, e.InitrdSize, wantInitrd, 300_000)
	}
	if !bytes.Equal(ram[e.InitrdAddr:e.InitrdAddr+e.InitrdSize], initrd) {
		t.Error("the initrd is not where ramdisk_image says")
	}
	if !untouched(ram, 0x100000+pmLen, int(e.InitrdAddr)) || !untouched(ram, int(e.InitrdAddr+e.InitrdSize), len(ram)) {
		t.Error("Load wrote around the kernel or the initrd")
	}

	// The CMOS handshake with the BIOS.
	cm := e.CMOS()
	wantCMOS := map[int]byte{0x7B: 'L', 0x7C: 0x00, 0x7D: 0x90, 0x7E: 0x00, 0x7F: 0xE0}
	if len(cm) != len(wantCMOS) {
		t.Errorf("CMOS bytes %v, want %v", cm, wantCMOS)
	}
	for i, v := range wantCMOS {
		if cm[i] != v {
			t.Errorf("CMOS %#x = %#x, want %#x", i, cm[i], v)
		}
	}
	if !strings.Contains(e.String(), "protocol 2.15") || !strings.Contains(e.String(), "9020:0000") {
		t.Errorf("String() = %q", e.String())
	}
}

func TestInitrdStaysBelowInitrdAddrMax(t *testing.T) {
	kernel := fakeKernel(4096)
	le.PutUint32(kernel[hInitrdAddrMax:], 0x01FFFFFF) // 32 MiB - 1
	ram := newRAM(64 * mib)
	e, err := linuxboot.Load(ram, kernel, fakeInitrd(5000), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := uint32((32*mib - 5000) &^ 4095); e.InitrdAddr != want {
		t.Errorf("initrd at %#x, want %#x (below initrd_addr_max)", e.InitrdAddr, want)
	}
	if e.InitrdAddr%4096 != 0 || e.InitrdAddr+e.InitrdSize > 32*mib {
		t.Errorf("initrd %#x+%#x crosses initrd_addr_max", e.InitrdAddr, e.InitrdSize)
	}
}

func TestNoInitrdLeavesTheRamdiskFieldsZero(t *testing.T) {
	kernel := fakeKernel(4096)
	le.PutUint32(kernel[hRamdiskImage:], 0x1234) // stale values in the image
	le.PutUint32(kernel[hRamdiskSize:], 0x5678)
	ram := newRAM(4 * mib)
	e, err := linuxboot.Load(ram, kernel, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.InitrdAddr != 0 || e.InitrdSize != 0 || le.Uint32(ram[0x90000+hRamdiskImage:]) != 0 || le.Uint32(ram[0x90000+hRamdiskSize:]) != 0 {
		t.Error("ramdisk fields set without an initrd")
	}
	if ram[0x9E000] != 0 || le.Uint16(ram[0x90000+hVidMode:]) != 0xFFFF {
		t.Error("an empty command line is not an empty string, or vid_mode is not normal")
	}
}

// TestOlderProtocols: 2.01 and 2.00 take the command line through
// cmd_line_magic at 9800h; 2.00 has no heap; 2.03 gives syssize in 16
// bits and no cmdline_size (255); 2.09 has no init_size.
func TestOlderProtocols(t *testing.T) {
	for _, tc := range []struct {
		proto    uint16
		sp       uint16
		heapFlag bool
	}{
		{0x0200, 0x9800, false},
		{0x0201, 0x9800, true},
		{0x0202, 0xE000, true},
		{0x0203, 0xE000, true},
		{0x0209, 0xE000, true},
	} {
		kernel := fakeKernel(8192)
		le.PutUint16(kernel[hVersion:], tc.proto)
		if tc.proto < 0x0204 {
			le.PutUint32(kernel[hSyssize:], 8192/16|0xABCD0000) // the high half is not syssize before 2.04
		}
		le.PutUint32(kernel[hInitSize:], 0xFFFFFFF0) // not read before 2.10
		ram := newRAM(4 * mib)
		cmdline := "root=/dev/hda1"
		e, err := linuxboot.Load(ram, kernel, fakeInitrd(100), cmdline)
		if err != nil {
			t.Errorf("protocol %#x: %v", tc.proto, err)
			continue
		}
		hdr := ram[0x90000:]
		if e.SP != tc.sp {
			t.Errorf("protocol %#x: SP %#x, want %#x", tc.proto, e.SP, tc.sp)
		}
		if got := hdr[hLoadFlags]&0x80 != 0; got != tc.heapFlag {
			t.Errorf("protocol %#x: CAN_USE_HEAP %v", tc.proto, got)
		}
		if tc.proto < 0x0202 {
			if le.Uint16(hdr[0x20:]) != 0xA33F || le.Uint16(hdr[0x22:]) != 0x9800 || le.Uint16(hdr[hSetupMoveSize:]) != 0x9800+uint16(len(cmdline))+1 {
				t.Errorf("protocol %#x: cmd_line_magic %#x offset %#x setup_move_size %#x", tc.proto,
					le.Uint16(hdr[0x20:]), le.Uint16(hdr[0x22:]), le.Uint16(hdr[hSetupMoveSize:]))
			}
			if string(ram[0x99800:0x99800+len(cmdline)]) != cmdline || e.CmdlineAddr != 0x99800 {
				t.Errorf("protocol %#x: command line not at 0x99800", tc.proto)
			}
			if le.Uint32(hdr[hCmdLinePtr:]) == 0x99800 {
				t.Errorf("protocol %#x: cmd_line_ptr written", tc.proto)
			}
		} else if le.Uint32(hdr[hCmdLinePtr:]) != 0x9E000 {
			t.Errorf("protocol %#x: cmd_line_ptr %#x", tc.proto, le.Uint32(hdr[hCmdLinePtr:]))
		}
		if tc.proto < 0x0201 && le.Uint16(hdr[hHeapEndPtr:]) != 0 {
			t.Errorf("protocol %#x: heap_end_ptr written", tc.proto)
		}
		// Before 2.03 initrd_addr_max is 0x37FFFFFF: far above 4 MiB.
		if e.InitrdAddr != (4*mib-100)&^4095 {
			t.Errorf("protocol %#x: initrd at %#x", tc.proto, e.InitrdAddr)
		}
		if tc.proto < 0x0206 {
			if _, err := linuxboot.Load(newRAM(4*mib), kernel, nil, strings.Repeat("x", 256)); !errors.Is(err, linuxboot.ErrCmdline) {
				t.Errorf("protocol %#x: a 256-byte command line gave %v, want ErrCmdline (255 at most)", tc.proto, err)
			}
		}
	}
}

func TestVgaOption(t *testing.T) {
	for cmd, want := range map[string]uint16{
		"":                     0xFFFF,
		"vga=normal":           0xFFFF,
		"vga=ext":              0xFFFE,
		"vga=ask":              0xFFFD,
		"vga=791":              791,
		"vga=0x317 quiet":      0x317,
		"vga=ask vga=0x301":    0x301, // the last one counts
		"novga=1 avga=2 quiet": 0xFFFF,
	} {
		ram := newRAM(4 * mib)
		if _, err := linuxboot.Load(ram, fakeKernel(4096), nil, cmd); err != nil {
			t.Errorf("%q: %v", cmd, err)
			continue
		}
		if got := le.Uint16(ram[0x90000+hVidMode:]); got != want {
			t.Errorf("%q: vid_mode %#x, want %#x", cmd, got, want)
		}
	}
}

// TestLoadRejectsWithAClearErrorAndLeavesRAMAlone: every malformed image
// or impossible request is an error naming the problem, and RAM is not
// touched.
func TestLoadRejectsWithAClearErrorAndLeavesRAMAlone(t *testing.T) {
	patch := func(f func(k []byte)) []byte {
		k := fakeKernel(64 << 10)
		f(k)
		return k
	}
	good := fakeKernel(64 << 10)
	for _, tc := range []struct {
		name    string
		ramSize int
		kernel  []byte
		initrd  []byte
		cmdline string
		kind    error
		text    string
	}{
		{"empty", 4 * mib, nil, nil, "", linuxboot.ErrTruncated, "too short"},
		{"no HdrS", 4 * mib, patch(func(k []byte) { k[hMagic] = 'X' }), nil, "", linuxboot.ErrNotBzImage, "HdrS"},
		{"no boot flag", 4 * mib, patch(func(k []byte) { k[hBootFlag] = 0 }), nil, "", linuxboot.ErrNotBzImage, "boot_flag"},
		{"protocol 1.x", 4 * mib, patch(func(k []byte) { le.PutUint16(k[hVersion:], 0x0105) }), nil, "", linuxboot.ErrBadHeader, "1.05"},
		{"zImage", 4 * mib, patch(func(k []byte) { k[hLoadFlags] = 0 }), nil, "", linuxboot.ErrNotBzImage, "zImage"},
		{"setup too big", 4 * mib, patch(func(k []byte) { k[hSetupSects] = 64 }), nil, "", linuxboot.ErrBadHeader, "setup_sects 64"},
		{"cut in the setup", 4 * mib, good[:2000], nil, "", linuxboot.ErrTruncated, "setup"},
		{"setup only", 4 * mib, good[:5*512], nil, "", linuxboot.ErrTruncated, "no protected-mode code"},
		{"cut kernel", 4 * mib, good[:len(good)-100], nil, "", linuxboot.ErrTruncated, "syssize"},
		{"alignment 3", 4 * mib, patch(func(k []byte) { le.PutUint32(k[hKernelAlign:], 3) }), nil, "", linuxboot.ErrBadHeader, "kernel_alignment"},
		{"alignment 0", 4 * mib, patch(func(k []byte) { le.PutUint32(k[hKernelAlign:], 0) }), nil, "", linuxboot.ErrBadHeader, "kernel_alignment"},
		{"pref_address > 4G", 4 * mib, patch(func(k []byte) { le.PutUint64(k[hPrefAddress:], 1<<32) }), nil, "", linuxboot.ErrBadHeader, "pref_address"},
		{"initrd_addr_max < 1M", 4 * mib, patch(func(k []byte) { le.PutUint32(k[hInitrdAddrMax:], 0xFFFF) }), nil, "", linuxboot.ErrBadHeader, "initrd_addr_max"},
		{"RAM < 1 MiB", 640 << 10, good, nil, "", linuxboot.ErrNoRoom, "at least 1 MiB"},
		{"kernel > RAM", 1*mib + 4096, good, nil, "", linuxboot.ErrNoRoom, "protected-mode kernel"},
		{"init_size > RAM", 4 * mib, patch(func(k []byte) { le.PutUint32(k[hInitSize:], 8*mib) }), nil, "", linuxboot.ErrNoRoom, "decompress"},
		{"initrd > RAM", 4 * mib, good, fakeInitrd(3 * mib), "", linuxboot.ErrNoRoom, "initrd"},
		{"initrd over the kernel", 4 * mib, good, fakeInitrd(2*mib + 1), "", linuxboot.ErrNoRoom, "initrd"},
		{"NUL in the command line", 4 * mib, good, nil, "a\x00b", linuxboot.ErrCmdline, "NUL"},
		{"command line > cmdline_size", 4 * mib, good, nil, strings.Repeat("x", 2048), linuxboot.ErrCmdline, "at most 2047"},
		{"command line past the EBDA", 4 * mib, patch(func(k []byte) { le.PutUint32(k[hCmdlineSize:], 100000) }), nil, strings.Repeat("x", 7168), linuxboot.ErrCmdline, "EBDA"},
		{"bad vga=", 4 * mib, good, nil, "vga=big", linuxboot.ErrCmdline, "vga=big"},
	} {
		ram := newRAM(tc.ramSize)
		before := crc32.ChecksumIEEE(ram)
		_, err := linuxboot.Load(ram, tc.kernel, tc.initrd, tc.cmdline)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), "linuxboot: ") {
			t.Errorf("%s: got %v, want %v mentioning %q", tc.name, err, tc.kind, tc.text)
		}
		if crc32.ChecksumIEEE(ram) != before {
			t.Errorf("%s: RAM changed on error", tc.name)
		}
	}
	// The longest command line that fits below the EBDA does load.
	k := patch(func(k []byte) { le.PutUint32(k[hCmdlineSize:], 100000) })
	if _, err := linuxboot.Load(newRAM(4*mib), k, nil, strings.Repeat("x", 0x9FC00-0x9E000-1)); err != nil {
		t.Errorf("a command line up to the EBDA: %v", err)
	}
}

// TestNonRelocatableKernelRunsAtPrefAddress: a kernel that is not
// relocatable decompresses at pref_address, so the initrd must stay above
// pref_address + init_size even when that is far above the load address.
func TestNonRelocatableKernelRunsAtPrefAddress(t *testing.T) {
	k := fakeKernel(4096)
	k[hRelocatable] = 0
	le.PutUint64(k[hPrefAddress:], 16*mib)
	le.PutUint32(k[hInitSize:], 4*mib)
	e, err := linuxboot.Load(newRAM(32*mib), k, fakeInitrd(1000), "")
	if err != nil {
		t.Fatal(err)
	}
	if e.KernelEnd != 20*mib || e.InitrdAddr < 20*mib {
		t.Errorf("kernel end %#x, initrd %#x: want the initrd above 20 MiB", e.KernelEnd, e.InitrdAddr)
	}
	if _, err := linuxboot.Load(newRAM(18*mib), k, nil, ""); !errors.Is(err, linuxboot.ErrNoRoom) {
		t.Errorf("18 MiB for a kernel that needs 20: %v", err)
	}
	// Relocatable, aligned to 16 MiB: it runs at 16 MiB too.
	k[hRelocatable] = 1
	le.PutUint64(k[hPrefAddress:], 1*mib)
	le.PutUint32(k[hKernelAlign:], 16*mib)
	if e, err := linuxboot.Load(newRAM(32*mib), k, nil, ""); err != nil || e.KernelEnd != 20*mib {
		t.Errorf("relocatable, 16 MiB alignment: kernel end %#x, %v; want 20 MiB", e.KernelEnd, err)
	}
}

// FuzzLoad: no input makes Load panic; on error RAM is untouched; on
// success everything it reports lies inside RAM where the protocol wants
// it.
func FuzzLoad(f *testing.F) {
	f.Add(fakeKernel(4096), 100, "console=ttyS0")
	f.Add(fakeKernel(100), 0, "vga=0x317")
	old := fakeKernel(4096)
	le.PutUint16(old[hVersion:], 0x0201)
	f.Add(old, 10, "x")
	f.Add(fakeSetup, 0, "")
	f.Add([]byte("HdrS"), 0, "")
	const ramSize = 4 * mib
	f.Fuzz(func(t *testing.T, kernel []byte, initrdLen int, cmdline string) {
		initrdLen &= 0xFFFF
		ram := make([]byte, ramSize)
		initrd := fakeInitrd(initrdLen)
		e, err := linuxboot.Load(ram, kernel, initrd, cmdline)
		if err != nil {
			if !bytes.Equal(ram, make([]byte, ramSize)) {
				t.Fatalf("RAM changed on error %v", err)
			}
			return
		}
		if e.CS() != 0x9020 || (e.SP != 0xE000 && e.SP != 0x9800) {
			t.Fatalf("entry %04X:0000 SP %04X", e.CS(), e.SP)
		}
		if e.CmdlineAddr+uint32(len(cmdline)) >= 0x9FC00 || string(ram[e.CmdlineAddr:e.CmdlineAddr+uint32(len(cmdline))]) != cmdline {
			t.Fatalf("command line at %#x", e.CmdlineAddr)
		}
		if uint64(e.KernelAddr)+uint64(e.KernelSize) > ramSize || e.KernelEnd > ramSize {
			t.Fatalf("kernel %#x+%#x end %#x past RAM", e.KernelAddr, e.KernelSize, e.KernelEnd)
		}
		if e.InitrdSize > 0 && (e.InitrdAddr < e.KernelEnd || e.InitrdAddr%4096 != 0 ||
			uint64(e.InitrdAddr)+uint64(e.InitrdSize) > ramSize ||
			!bytes.Equal(ram[e.InitrdAddr:e.InitrdAddr+e.InitrdSize], initrd)) {
			t.Fatalf("initrd %#x+%#x, kernel end %#x", e.InitrdAddr, e.InitrdSize, e.KernelEnd)
		}
		if ram[0x90000+hTypeOfLoader] != 0xB0 || string(ram[0x90000+hMagic:0x90000+hMagic+4]) != "HdrS" {
			t.Fatal("no header at 0x90000")
		}
	})
}

// FuzzParseHeader: no image makes ParseHeader panic, and what it accepts
// is self-consistent: the setup fits the image and the 32 KiB limit,
// protected-mode code follows it, and syssize does not overrun the file.
func FuzzParseHeader(f *testing.F) {
	f.Add(fakeKernel(4096))
	f.Add(fakeSetup)
	f.Add(fakeKernel(16)[:700])
	f.Fuzz(func(t *testing.T, kernel []byte) {
		h, err := linuxboot.ParseHeader(kernel)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "linuxboot: ") {
				t.Fatalf("unprefixed error %v", err)
			}
			return
		}
		if h.SetupLen() > 0x8000 || h.SetupLen() >= len(kernel) || uint64(h.Syssize)*16 > uint64(len(kernel)-h.SetupLen()) {
			t.Fatalf("accepted %+v for %d bytes", h, len(kernel))
		}
		if h.Protocol < 0x0200 || h.LoadFlags&linuxboot.LoadedHigh == 0 {
			t.Fatalf("accepted protocol %#x loadflags %#x", h.Protocol, h.LoadFlags)
		}
	})
}

// TestLoadSurvivesMutatedImages is a seeded random search that does not
// need the fuzzing engine: it corrupts header bytes, truncates images and
// varies the initrd and command line, and wants an error that leaves RAM
// alone or a placement inside RAM, never a panic.
func TestLoadSurvivesMutatedImages(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 500
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := fakeKernel(8192)
	ram, zero := make([]byte, 4*mib), make([]byte, 4*mib)
	initrds := [][]byte{nil, fakeInitrd(1), fakeInitrd(4096), fakeInitrd(3 * mib)}
	cmdlines := []string{"", "console=ttyS0", "vga=0x317", "vga=bad", strings.Repeat("y", 300), "a\x00b"}
	accepted := 0
	for i := 0; i < n; i++ {
		k := append([]byte(nil), base...)
		for j := rng.IntN(4) + 1; j > 0; j-- {
			k[0x1F0+rng.IntN(0x80)] = byte(rng.Uint32())
		}
		if rng.IntN(5) == 0 {
			k = k[:rng.IntN(len(k)+1)]
		}
		initrd := initrds[rng.IntN(len(initrds))]
		cmd := cmdlines[rng.IntN(len(cmdlines))]
		e, err := linuxboot.Load(ram, k, initrd, cmd)
		if err != nil {
			if !bytes.Equal(ram, zero) {
				t.Fatalf("case %d: RAM changed on error %v", i, err)
			}
			continue
		}
		accepted++
		if uint64(e.KernelEnd) > uint64(len(ram)) || uint64(e.InitrdAddr)+uint64(e.InitrdSize) > uint64(len(ram)) ||
			(e.InitrdSize > 0 && e.InitrdAddr < e.KernelEnd) || e.CmdlineAddr+uint32(len(cmd)) >= linuxboot.EBDAAddr {
			t.Fatalf("case %d: bad placement %s (kernel end %#x)", i, e, e.KernelEnd)
		}
		clear(ram)
	}
	if accepted == 0 || accepted == n {
		t.Errorf("%d of %d mutated images loaded: the search is not reaching both outcomes", accepted, n)
	}
}
