package testroms

//go:generate bash build.sh

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed bin/*.img
var images embed.FS

// Names of the images that are not CPU test ROMs.
const (
	// Demo is the image plain `ringzero` boots as floppy A.
	Demo = "demo"
	// DemoSelfTest is the demo built with -DSELFTEST. It exits through
	// isa-debug-exit with DemoSelfTestStatus when its checks pass.
	DemoSelfTest = "demo-selftest"
)

// How the test ROMs end a run.
const (
	// ExitDevice is the -device option every test ROM needs: QEMU's
	// isa-debug-exit at the port the ROMs write their verdict to.
	ExitDevice = "isa-debug-exit,iobase=0xf4,iosize=0x04"
	// PassStatus is the exit status of a test ROM that passed: it wrote
	// 0 to isa-debug-exit, and a run exits with (0<<1)|1.
	PassStatus = 1
	// DemoSelfTestStatus is the exit status of a passing demo self-test:
	// it writes 0x10 (0x11 when a check fails).
	DemoSelfTestStatus = 0x21
)

// Image returns a copy of the image bin/NAME.img. Each call returns a
// fresh copy, so a guest that writes to its floppy does not change the
// next boot. An unknown name is an error wrapping fs.ErrNotExist.
func Image(name string) ([]byte, error) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, fmt.Errorf("testroms: bad image name %q: %w", name, fs.ErrNotExist)
	}
	b, err := images.ReadFile("bin/" + name + ".img")
	if err != nil {
		return nil, fmt.Errorf("testroms: no image %q (have %s): %w", name, strings.Join(Names(), ", "), fs.ErrNotExist)
	}
	return b, nil
}

// Names lists the embedded images by name (without bin/ and .img),
// sorted.
func Names() []string {
	paths, err := fs.Glob(images, "bin/*.img")
	if err != nil { // only for a malformed pattern
		return nil
	}
	names := make([]string, 0, len(paths))
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(p, "bin/"), ".img"))
	}
	sort.Strings(names)
	return names
}

// ROM describes a CPU test ROM: which machine it needs and what it
// prints when it passes. It boots from floppy A with ExitDevice present
// and exits with PassStatus.
type ROM struct {
	Name   string // the image, Image(Name)
	Model  string // the oldest -cpu model it runs on
	Output string // everything it prints on port 0xE9 when it passes
	// NotOnQEMU, when set, names what the ROM checks that QEMU's TCG
	// does not model, so that QEMU cannot pass it (the -strict images).
	NotOnQEMU string
}

// ROMs lists the CPU test ROMs.
func ROMs() []ROM {
	return append([]ROM{
		{Name: "realmode", Model: "8086", Output: realmodeOutput},
		{Name: "pmode", Model: "386", Output: pmodeOutput},
	}, i686ROMs()...)
}

// What the ROMs print when they pass: one line per test.
const (
	realmodeOutput = `realmode: real-mode instruction checks
add/adc flags ok
sub/sbb/cmp/neg flags ok
inc/dec/logic flags ok
shifts and rotates ok
string ops with REP ok
BCD adjust ok
MUL/IMUL ok
DIV/IDIV ok
#DE and its return address ok
INT/IRET ok
INT3/INTO ok
single-step trap ok
stack, far calls, flags transfer ok
misc: XLAT CBW CWD LEA LOOP LDS XCHG ok
realmode: pass
`
	pmodeOutput = `pmode: protected-mode checks
386 or later ok
protected mode is on ok
32-bit arithmetic ok
bit scans, bit tests, double shifts ok
32-bit addressing ok
flat and based segments above 1 MB ok
PUSHAD/POPAD, ENTER/LEAVE ok
#GP for a selector past the GDT limit ok
#GP loading SS with RPL != CPL ok
#NP loading a not-present segment ok
#GP loading execute-only code into FS ok
#UD on UD2 ok
INT 30h through an interrupt gate ok
real mode again, BIOS timer ticking ok
pmode: pass
`
)
