package multiboot_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/bios/multiboot"
	"ringzero/cpu"
	"ringzero/devices/debugport"
	"ringzero/devices/pc"
)

// The test kernels of testroms/src/mbkernel.asm, built by
// testroms/build.sh: Multiboot 1 and 2, a.out kludge and ELF32.
const kernelDir = "../../testroms/bin"

var testKernels = []struct {
	file   string
	v2     bool
	format string // what the kernel's banner says
}{
	{"mbkernel.img", false, "Multiboot a.out kludge"},
	{"mbkernel.elf", false, "Multiboot ELF32"},
	{"mb2kernel.img", true, "Multiboot2 a.out kludge"},
	{"mb2kernel.elf", true, "Multiboot2 ELF32"},
}

const (
	envNoSkip  = "RINGZERO_NO_SKIP" // 1: a missing tool fails instead of skipping
	guestMem   = 32 << 20
	kernelArgs = "arg1 arg2"
)

// missing skips the test for lack of a tool, or fails it when
// RINGZERO_NO_SKIP=1 (CI).
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv(envNoSkip) == "1" {
		t.Fatalf("%s (and %s=1)", what, envNoSkip)
	}
	t.Skipf("skipping: %s", what)
}

func readKernel(t *testing.T, file string) []byte {
	t.Helper()
	k, err := os.ReadFile(filepath.Join(kernelDir, file))
	if err != nil {
		t.Fatalf("%v (run testroms/build.sh)", err)
	}
	return k
}

// Two modules, as -initrd "mod0.txt x=1,mod1.txt".
var kernelMods = []struct{ file, data, arg string }{
	{"mod0.txt", "hello from module 0\nsecond line\n", " x=1"},
	{"mod1.txt", "module one", ""},
}

// expected is what a test kernel prints, line by line, as regular
// expressions: exact values under ringzero, the loader's own for
// mem_upper, the memory map and the command line's path under QEMU.
func expected(format, loader, cmdlinePath, memUpper, mmapEntries string, v2 bool) []string {
	q := regexp.QuoteMeta
	magic := "0x2badb002"
	if v2 {
		magic = "0x36d76289"
	}
	lines := []string{
		q("mbkernel: " + format),
		q("magic " + magic + " ok"),
		q("cpu: protected mode, paging off, interrupts off ok"),
		q("image: data ok, bss zero ok"),
	}
	mods := func() {
		for i, m := range kernelMods {
			first, _, _ := strings.Cut(m.data, "\n")
			lines = append(lines, q(fmt.Sprintf(`module %d: %d bytes, page-aligned: "%s%s" holds "%s"`, i, len(m.data), m.file, m.arg, first)))
		}
	}
	mem := q("memory: lower 639 KB, upper ") + memUpper + q(" KB")
	mmap := q("mmap: ") + mmapEntries + q(" entries, kernel in available RAM ok")
	cmd := q("cmdline: ") + cmdlinePath + q(" "+kernelArgs)
	if !v2 {
		lines = append(lines, q("info flags 0x0000024f"), q("loader: "+loader), cmd, mem, mmap, q("modules: 2"))
		mods()
	} else {
		// Tags in the order ringzero writes them.
		lines = append(lines, `info size \d+`, cmd, q("loader: "+loader))
		mods()
		lines = append(lines, mem, mmap, q("framebuffer: type 2, 80x25 at 0x000b8000"))
	}
	return append(lines, q("mbkernel: pass"))
}

// matchAll checks that text has exactly the lines the patterns match.
func matchAll(t *testing.T, text string, patterns []string) {
	t.Helper()
	text = strings.ReplaceAll(text, "\r", "")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(patterns) {
		t.Errorf("%d lines, want %d:\n%s", len(lines), len(patterns), text)
	}
	for i, p := range patterns {
		if i >= len(lines) {
			break
		}
		if !regexp.MustCompile("^" + p + "$").MatchString(lines[i]) {
			t.Errorf("line %d: %q does not match %q", i+1, lines[i], p)
		}
	}
}

// TestKernelsOnRingzero loads each test kernel into a ringzero PC and
// starts its CPU at the kernel's entry (no BIOS run): the kernel must
// find everything the specification promises and exit with a pass.
func TestKernelsOnRingzero(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping guest boots with -short")
	}
	for _, k := range testKernels {
		t.Run(k.file, func(t *testing.T) { runOnRingzero(t, k.file, k.format, k.v2, false) })
	}
}

// TestTrampolineEntersKernels starts each test kernel through the
// real-mode trampoline, entered as the BIOS's INT 19h hand-off enters it.
func TestTrampolineEntersKernels(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping guest boots with -short")
	}
	for _, k := range testKernels {
		t.Run(k.file, func(t *testing.T) { runOnRingzero(t, k.file, k.format, k.v2, true) })
	}
}

// runOnRingzero loads a test kernel into a ringzero PC and starts it
// directly (Setup) or through the trampoline at 9000h:0000h.
func runOnRingzero(t *testing.T, file, format string, v2, trampoline bool) {
	t.Helper()
	kernel := readKernel(t, file)
	var com1 bytes.Buffer
	cfg := pc.Config{Model: cpu.ModelP2, MemBytes: guestMem, BIOS: bios.Image, NoReboot: true,
		RTCStart: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	cfg.Serial[0] = &com1
	exit := debugport.DefaultConfig()
	cfg.DebugExit = &exit
	m, err := pc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mods []multiboot.Module
	for _, md := range kernelMods {
		mods = append(mods, multiboot.Module{Data: []byte(md.data), Cmdline: md.file + md.arg})
	}
	b, err := multiboot.Load(m.RAM, kernel, mods, file+" "+kernelArgs, multiboot.PCMemoryMap(guestMem))
	if err != nil {
		t.Fatal(err)
	}
	s := *m.CPU.State()
	if trampoline {
		const seg = 0x9000
		if err := b.WriteTrampoline(m.RAM, seg); err != nil {
			t.Fatal(err)
		}
		// The hand-off's state: real mode at (seg+20h):0000h, DS = ES =
		// SS = seg, interrupts off.
		s.Seg[cpu.CS].Selector, s.Seg[cpu.CS].Base = seg+0x20, (seg+0x20)<<4
		for _, r := range []int{cpu.DS, cpu.ES, cpu.SS, cpu.FS, cpu.GS} {
			s.SetRealSeg(r, seg)
		}
		s.EIP, s.Regs[cpu.ESP] = 0, 0xE000
		s.EFlags &^= cpu.FlagIF
	} else {
		b.Setup(&s)
	}
	if err := m.CPU.SetState(&s); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := m.Run(ctx, pc.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m.COM[0].Flush()
	if res.Outcome != pc.DebugExit || res.Status != 1 {
		t.Errorf("result %+v, want debug-exit status 1 (pass)", res)
	}
	matchAll(t, com1.String(), expected(format, "ringzero", regexp.QuoteMeta(file), "31744", "5", v2))
	if v2 {
		// The kernel wrote through the framebuffer it was given.
		var got []byte
		for a := uint32(0xB8000); a < 0xB8000+2*8; a += 2 {
			got = append(got, byte(m.Bus.Read(a, 1)))
		}
		if string(got) != "ringzero" || m.Bus.Read(0xB8001, 1) != 0x1F {
			t.Errorf("screen %q attribute %#x, want \"ringzero\" in white on blue", got, m.Bus.Read(0xB8001, 1))
		}
	}
}

// TestKernelsUnderQEMU boots the Multiboot 1 kernels with
// qemu-system-i386 -kernel, the reference loader (QEMU has no
// Multiboot2), with the same modules and command line.
func TestKernelsUnderQEMU(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping a guest boot with -short")
	}
	qemu, err := exec.LookPath("qemu-system-i386")
	if err != nil {
		missing(t, "qemu-system-i386 is not installed (apt-get install -y qemu-system-x86)")
	}
	for _, k := range testKernels {
		if k.v2 {
			continue
		}
		t.Run(k.file, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			kpath := filepath.Join(dir, k.file)
			if err := os.WriteFile(kpath, readKernel(t, k.file), 0o644); err != nil {
				t.Fatal(err)
			}
			var initrd []string
			for _, md := range kernelMods {
				p := filepath.Join(dir, md.file)
				if err := os.WriteFile(p, []byte(md.data), 0o644); err != nil {
					t.Fatal(err)
				}
				initrd = append(initrd, md.file+md.arg)
			}
			com1 := filepath.Join(dir, "com1.txt")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, qemu, "-M", "pc", "-m", "32", "-display", "none", "-net", "none",
				"-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
				"-serial", "file:"+com1, "-kernel", k.file, "-initrd", strings.Join(initrd, ","),
				"-append", kernelArgs)
			cmd.Dir = dir // the module paths are relative, as the strings the kernel sees
			out, err := cmd.CombinedOutput()
			status := cmd.ProcessState.ExitCode()
			got, rerr := os.ReadFile(com1)
			if rerr != nil {
				t.Fatalf("%v (QEMU: %v %s)", rerr, err, out)
			}
			if status != 1 {
				t.Errorf("QEMU exit status %d, want 1 (pass): %v %s", status, err, out)
			}
			matchAll(t, string(got), expected(k.format, "qemu", regexp.QuoteMeta(k.file), `\d+`, `\d+`, false))
		})
	}
}

// TestELFKernelsMatchSource: the committed .elf kernels are what
// testroms/build.sh makes of mbkernel.asm (testroms checks the .img
// files the same way; CI's git diff checks both).
func TestELFKernelsMatchSource(t *testing.T) {
	if _, err := exec.LookPath("nasm"); err != nil {
		missing(t, "nasm is not installed (apt-get install -y nasm), so the kernels cannot be rebuilt")
	}
	out := t.TempDir()
	if b, err := exec.Command("bash", filepath.Join(kernelDir, "..", "build.sh"), out).CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, b)
	}
	for _, k := range testKernels {
		built, err := os.ReadFile(filepath.Join(out, k.file))
		if err != nil {
			t.Errorf("build.sh made no %s: %v", k.file, err)
			continue
		}
		if !bytes.Equal(built, readKernel(t, k.file)) {
			t.Errorf("testroms/bin/%s differs from what its source assembles to: run testroms/build.sh", k.file)
		}
	}
}

// The test kernels are what Detect says.
func TestDetectTestKernels(t *testing.T) {
	for _, k := range testKernels {
		want := multiboot.V1
		if k.v2 {
			want = multiboot.V2
		}
		if got := multiboot.Detect(readKernel(t, k.file)); got != want {
			t.Errorf("%s: %v, want %v", k.file, got, want)
		}
	}
}
