package fwcfg_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"ringzero/devices/bus"
	"ringzero/devices/fwcfg"
)

// Ports as SeaBIOS's paravirt.c names them.
const (
	portCtl  = 0x510 // PORT_QEMU_CFG_CTL
	portData = 0x511 // PORT_QEMU_CFG_DATA
)

type rig struct {
	t  *testing.T
	b  *bus.Bus
	fw *fwcfg.Device
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, b: bus.New(), fw: fwcfg.New()}
	if err := r.b.MapPorts(fwcfg.Base, fwcfg.Size, "fw_cfg", r.fw, bus.Size8|bus.Size16); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) sel(key uint16) { r.b.Out(portCtl, 2, uint32(key)) }

// read reads n bytes of the selected item as SeaBIOS's insb loop does.
func (r *rig) read(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = uint8(r.b.In(portData, 1))
	}
	return b
}

func (r *rig) item(key uint16, n int) []byte {
	r.sel(key)
	return r.read(n)
}

// file is one directory entry as the guest parses it.
type file struct {
	size uint32
	key  uint16
	name string
}

func (r *rig) dir() []file {
	r.sel(fwcfg.KeyFileDir)
	count := binary.BigEndian.Uint32(r.read(4))
	var fs []file
	for i := uint32(0); i < count; i++ {
		e := r.read(64)
		fs = append(fs, file{
			size: binary.BigEndian.Uint32(e[0:]),
			key:  binary.BigEndian.Uint16(e[4:]),
			name: strings.TrimRight(string(e[8:]), "\x00"),
		})
	}
	return fs
}

// load reads a named file through the directory, as SeaBIOS's
// romfile_loadfile does.
func (r *rig) load(name string) []byte {
	r.t.Helper()
	for _, f := range r.dir() {
		if f.name == name {
			return r.item(f.key, int(f.size))
		}
	}
	r.t.Fatalf("file %q not in the directory", name)
	return nil
}

func TestSignatureAndID(t *testing.T) {
	r := newRig(t)
	if got := r.item(fwcfg.KeySignature, 4); string(got) != "QEMU" {
		t.Errorf("signature = %q, want QEMU", got)
	}
	// The selector at reset is the signature too.
	r.fw.Reset()
	if got := r.read(4); string(got) != "QEMU" {
		t.Errorf("signature after reset = %q", got)
	}
	id := binary.LittleEndian.Uint32(r.item(fwcfg.KeyID, 4))
	if id != 1 {
		t.Errorf("ID = %#x, want 1: traditional interface, no DMA", id)
	}
	// Reading past the end, an unknown key or a legacy item that is
	// absent gives zeros.
	r.sel(fwcfg.KeySignature)
	if got := r.read(6); !bytes.Equal(got, []byte("QEMU\x00\x00")) {
		t.Errorf("past the end: %q", got)
	}
	if got := r.item(0x1234, 4); !bytes.Equal(got, make([]byte, 4)) {
		t.Errorf("unknown key reads %v", got)
	}
	if got := r.item(fwcfg.KeyACPITables, 2); !bytes.Equal(got, []byte{0, 0}) {
		t.Errorf("legacy ACPI table count = %v, want 0", got)
	}
	// Reselecting restarts the item; a byte write to the selector does
	// not select.
	r.sel(fwcfg.KeySignature)
	r.read(2)
	r.b.Out(portCtl, 1, fwcfg.KeyID)
	if got := r.read(2); string(got) != "MU" {
		t.Errorf("after a byte write to the selector: %q, want the rest of QEMU", got)
	}
	r.sel(fwcfg.KeySignature)
	if got := r.read(1); string(got) != "Q" {
		t.Errorf("reselecting does not restart: %q", got)
	}
	// A 16-bit read takes two bytes.
	r.sel(fwcfg.KeySignature)
	if v := r.b.In(portCtl, 2); v != 'Q'|'E'<<8 {
		t.Errorf("16-bit read = %#x, want \"QE\"", v)
	}
}

func TestNumericItems(t *testing.T) {
	r := newRig(t)
	r.fw.SetRAMSize(128 << 20)
	r.fw.SetCPUs(1, 4)
	tests := []struct {
		key  uint16
		n    int
		want uint64
	}{
		{fwcfg.KeyRAMSize, 8, 128 << 20},
		{fwcfg.KeyNBCPUs, 2, 1},
		{fwcfg.KeyMaxCPUs, 2, 4},
		{fwcfg.KeyBootMenu, 2, 0},
	}
	for _, tc := range tests {
		b := append(r.item(tc.key, tc.n), make([]byte, 8)...)
		if v := binary.LittleEndian.Uint64(b); v != tc.want {
			t.Errorf("key %#x = %d, want %d", tc.key, v, tc.want)
		}
	}
	r.fw.SetBootMenu(true)
	if v := binary.LittleEndian.Uint16(r.item(fwcfg.KeyBootMenu, 2)); v != 1 {
		t.Errorf("boot menu = %d after SetBootMenu(true)", v)
	}
	if v := binary.LittleEndian.Uint16(r.load("etc/show-boot-menu")); v != 1 {
		t.Errorf("etc/show-boot-menu = %d, want 1", v)
	}
}

func TestFileDirectory(t *testing.T) {
	r := newRig(t)
	r.fw.SetE820([]fwcfg.E820Entry{
		{Addr: 0, Len: 0x9FC00, Type: fwcfg.E820RAM},
		{Addr: 0x100000, Len: 31 << 20, Type: fwcfg.E820RAM},
		{Addr: 0xFFFC0000, Len: 256 << 10, Type: fwcfg.E820Reserved},
	})
	paths := fwcfg.BootOrder("dcad", map[byte]string{
		'a': fwcfg.FloppyPath(1, 0),
		'c': fwcfg.ATAPath(1, 1, 0, 0),
		'd': fwcfg.ATAPath(1, 1, 1, 0),
	})
	r.fw.SetBootOrder(paths)
	r.fw.SetSerialConsole(0x3F8)
	r.fw.SetBootFailWait(-1)
	key, err := r.fw.AddFile("etc/table-loader", []byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}

	fs := r.dir()
	var names []string
	for _, f := range fs {
		names = append(names, f.name)
	}
	want := []string{"bootorder", "etc/boot-fail-wait", "etc/e820", "etc/sercon-port", "etc/show-boot-menu", "etc/table-loader"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("directory %v, want %v (sorted)", names, want)
	}
	seen := map[uint16]bool{}
	for _, f := range fs {
		if f.key < fwcfg.KeyFileFirst || seen[f.key] {
			t.Errorf("file %q has key %#x", f.name, f.key)
		}
		seen[f.key] = true
		if f.name == "etc/table-loader" && (f.key != key || f.size != 3) {
			t.Errorf("etc/table-loader: key %#x size %d, want %#x 3", f.key, f.size, key)
		}
	}

	e820 := r.load("etc/e820")
	if len(e820) != 60 {
		t.Fatalf("etc/e820 is %d bytes, want 3 entries of 20", len(e820))
	}
	if a, l, ty := binary.LittleEndian.Uint64(e820[20:]), binary.LittleEndian.Uint64(e820[28:]), binary.LittleEndian.Uint32(e820[36:]); a != 0x100000 || l != 31<<20 || ty != 1 {
		t.Errorf("second e820 entry = %#x+%#x type %d", a, l, ty)
	}
	if ty := binary.LittleEndian.Uint32(e820[56:]); ty != 2 {
		t.Errorf("third e820 entry type %d, want reserved", ty)
	}

	boot := string(r.load("bootorder"))
	wantBoot := "/pci@i0cf8/ide@1,1/drive@1/disk@0\n/pci@i0cf8/ide@1,1/drive@0/disk@0\n/pci@i0cf8/isa@1/fdc@03f0/floppy@0\x00"
	if boot != wantBoot {
		t.Errorf("bootorder = %q, want %q", boot, wantBoot)
	}
	if v := binary.LittleEndian.Uint16(r.load("etc/sercon-port")); v != 0x3F8 {
		t.Errorf("etc/sercon-port = %#x, want 0x3f8", v)
	}
	if v := binary.LittleEndian.Uint32(r.load("etc/boot-fail-wait")); v != 0xFFFFFFFF {
		t.Errorf("etc/boot-fail-wait = %#x, want -1", v)
	}

	// Replacing a file keeps its key and updates the directory's size.
	r.fw.SetSerialConsole(0)
	r.fw.SetE820(nil)
	for _, f := range r.dir() {
		if f.name == "etc/e820" && f.size != 0 {
			t.Errorf("etc/e820 size %d after clearing, want 0", f.size)
		}
	}
}

func TestAddFileErrors(t *testing.T) {
	fw := fwcfg.New()
	if _, err := fw.AddFile("etc/show-boot-menu", nil); !errors.Is(err, fwcfg.ErrFileExists) {
		t.Errorf("duplicate file: %v, want ErrFileExists", err)
	}
	if _, err := fw.AddFile(strings.Repeat("x", 56), nil); !errors.Is(err, fwcfg.ErrFileName) {
		t.Errorf("56-byte name: %v, want ErrFileName", err)
	}
	if _, err := fw.AddFile("", nil); !errors.Is(err, fwcfg.ErrFileName) {
		t.Errorf("empty name: %v, want ErrFileName", err)
	}
	if _, err := fw.AddFile(strings.Repeat("x", 55), []byte{7}); err != nil {
		t.Errorf("55-byte name: %v", err)
	}
	if got := fw.File(strings.Repeat("x", 55)); !bytes.Equal(got, []byte{7}) {
		t.Errorf("File() = %v", got)
	}
}
