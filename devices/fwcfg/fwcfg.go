package fwcfg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Where the board maps the device: the selector at 0x510 (16-bit writes)
// and the data port at 0x511 (byte reads). The DMA interface at 0x514 is
// not modelled, and the ID item says so.
const (
	Base = 0x510
	Size = 2
)

// Item keys (QEMU docs/specs/fw_cfg.rst and include/standard-headers/
// linux/qemu_fw_cfg.h). Keys 0x8000 and up are architecture-specific.
const (
	KeySignature    = 0x00 // "QEMU"
	KeyID           = 0x01 // feature bitmap: bit 0 traditional interface, bit 1 DMA
	KeyUUID         = 0x02
	KeyRAMSize      = 0x03 // RAM size in bytes, 64-bit
	KeyNoGraphic    = 0x04
	KeyNBCPUs       = 0x05 // CPUs present at boot, 16-bit
	KeyMachineID    = 0x06
	KeyKernelAddr   = 0x07 // 0x07-0x18: the -kernel items (linuxboot option ROM)
	KeyBootDevice   = 0x0C
	KeyNUMA         = 0x0D
	KeyBootMenu     = 0x0E // show the boot menu, 16-bit
	KeyMaxCPUs      = 0x0F // CPUs possible, 16-bit
	KeyFileDir      = 0x19 // the file directory
	KeyFileFirst    = 0x20 // first key given to a named file
	KeyACPITables   = 0x8000
	KeySMBIOS       = 0x8001
	KeyIRQ0Override = 0x8002
	KeyE820Table    = 0x8003
)

// MaxFiles bounds the named files (QEMU's default is 0x20 more than the
// reserved keys; SeaBIOS reads any number).
const MaxFiles = 0x1000

// selWrite is the selector's write-channel bit; writes through the data
// port are ignored (QEMU since 2.4), so the bit only strips off.
const selWrite = 0x4000

// fileNameLen is the size of a directory entry's name field, NUL
// included.
const fileNameLen = 56

// E820 types used in "etc/e820".
const (
	E820RAM      = 1
	E820Reserved = 2
)

// E820Entry is one entry of the "etc/e820" file: a range of the physical
// address space and its type.
type E820Entry struct {
	Addr, Len uint64
	Type      uint32
}

// Device is QEMU's firmware configuration interface on I/O ports: the
// guest writes a 16-bit key to the selector, then reads the item's bytes
// one at a time from the data port, past the end as zeros. Unknown keys
// read as zeros too, as SeaBIOS expects of absent legacy items.
//
// Items are byte strings set by the board before the guest runs; named
// files get keys from KeyFileFirst in the order they are added, and the
// directory (KeyFileDir) lists them sorted by name: a big-endian count,
// then for each file its big-endian size and key, two reserved bytes and
// a 56-byte NUL-padded name. It is not safe for concurrent use.
type Device struct {
	items map[uint16][]byte
	files map[string]uint16
	sel   uint16
	off   int
}

// New returns the interface with the signature, the ID (traditional
// interface only), one CPU and the boot menu off; the board adds the RAM
// size, the e820 map, the boot order and any other files.
func New() *Device {
	d := &Device{items: map[uint16][]byte{}, files: map[string]uint16{}}
	d.SetItem(KeySignature, []byte("QEMU"))
	d.SetItem(KeyID, le32(1))
	d.SetItem(KeyUUID, make([]byte, 16))
	d.SetItem(KeyNoGraphic, le16(0))
	d.SetCPUs(1, 1)
	d.SetBootMenu(false)
	d.updateDir()
	return d
}

// Reset deselects: the selector returns to the signature.
func (d *Device) Reset() { d.sel, d.off = KeySignature, 0 }

// SetItem sets the item at key (a copy of data). Use AddFile or SetFile
// for named files.
func (d *Device) SetItem(key uint16, data []byte) {
	d.items[key&^selWrite] = append([]byte(nil), data...)
}

// Item returns the item at key, or nil.
func (d *Device) Item(key uint16) []byte { return d.items[key&^selWrite] }

// Errors from AddFile.
var (
	ErrFileExists = errors.New("fwcfg: file already exists")
	ErrFileName   = errors.New("fwcfg: file name empty or longer than 55 bytes")
	ErrTooMany    = errors.New("fwcfg: too many files")
)

// AddFile adds a named file (a copy of data) and returns its key.
func (d *Device) AddFile(name string, data []byte) (uint16, error) {
	if name == "" || len(name) >= fileNameLen || strings.IndexByte(name, 0) >= 0 {
		return 0, fmt.Errorf("%w: %q", ErrFileName, name)
	}
	if _, ok := d.files[name]; ok {
		return 0, fmt.Errorf("%w: %q", ErrFileExists, name)
	}
	if len(d.files) >= MaxFiles {
		return 0, ErrTooMany
	}
	key := uint16(KeyFileFirst + len(d.files))
	d.files[name] = key
	d.SetItem(key, data)
	d.updateDir()
	return key, nil
}

// SetFile replaces the contents of a named file, adding it if absent.
func (d *Device) SetFile(name string, data []byte) (uint16, error) {
	if key, ok := d.files[name]; ok {
		d.SetItem(key, data)
		d.updateDir()
		return key, nil
	}
	return d.AddFile(name, data)
}

// File returns a named file's contents, or nil.
func (d *Device) File(name string) []byte {
	if key, ok := d.files[name]; ok {
		return d.items[key]
	}
	return nil
}

// updateDir rebuilds the directory item.
func (d *Device) updateDir() {
	names := make([]string, 0, len(d.files))
	for n := range d.files {
		names = append(names, n)
	}
	sort.Strings(names)
	dir := binary.BigEndian.AppendUint32(nil, uint32(len(names)))
	for _, n := range names {
		key := d.files[n]
		dir = binary.BigEndian.AppendUint32(dir, uint32(len(d.items[key])))
		dir = binary.BigEndian.AppendUint16(dir, key)
		dir = append(dir, 0, 0)
		var name [fileNameLen]byte
		copy(name[:], n)
		dir = append(dir, name[:]...)
	}
	d.items[KeyFileDir] = dir
}

// SetRAMSize sets FW_CFG_RAM_SIZE.
func (d *Device) SetRAMSize(bytes uint64) {
	d.SetItem(KeyRAMSize, binary.LittleEndian.AppendUint64(nil, bytes))
}

// SetCPUs sets FW_CFG_NB_CPUS and FW_CFG_MAX_CPUS.
func (d *Device) SetCPUs(n, maxCPUs uint16) {
	d.SetItem(KeyNBCPUs, le16(n))
	d.SetItem(KeyMaxCPUs, le16(maxCPUs))
}

// SetBootMenu sets FW_CFG_BOOT_MENU and the file "etc/show-boot-menu"
// that SeaBIOS reads (0: no "Press ESC for boot menu" wait).
func (d *Device) SetBootMenu(show bool) {
	v := uint16(0)
	if show {
		v = 1
	}
	d.SetItem(KeyBootMenu, le16(v))
	_, _ = d.SetFile("etc/show-boot-menu", le16(v)) // a valid name
}

// SetE820 sets the "etc/e820" file: 20-byte little-endian entries of
// address, length and type, which SeaBIOS takes as the memory map.
func (d *Device) SetE820(entries []E820Entry) {
	var b []byte
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint64(b, e.Addr)
		b = binary.LittleEndian.AppendUint64(b, e.Len)
		b = binary.LittleEndian.AppendUint32(b, e.Type)
	}
	_, _ = d.SetFile("etc/e820", b)
}

// SetBootOrder sets the "bootorder" file: one OpenFirmware device path a
// line, highest priority first (see FloppyPath, ATAPath).
func (d *Device) SetBootOrder(paths []string) {
	if len(paths) == 0 {
		_, _ = d.SetFile("bootorder", nil)
		return
	}
	// QEMU's format: newline-separated, NUL-terminated.
	_, _ = d.SetFile("bootorder", []byte(strings.Join(paths, "\n")+"\x00"))
}

// SetSerialConsole sets "etc/sercon-port": SeaBIOS then mirrors its
// video output (and the option ROMs') to the UART at port, 0x3F8 for
// COM1; 0 turns it off.
func (d *Device) SetSerialConsole(port uint16) {
	_, _ = d.SetFile("etc/sercon-port", le16(port))
}

// SetBootFailWait sets "etc/boot-fail-wait": milliseconds SeaBIOS waits
// before rebooting when nothing boots; -1 waits for ever (QEMU's
// reboot-timeout default).
func (d *Device) SetBootFailWait(ms int32) {
	_, _ = d.SetFile("etc/boot-fail-wait", le32(uint32(ms)))
}

// ReadPort reads data bytes: a byte access at either port returns the
// next byte of the selected item, and a wider one successive bytes.
func (d *Device) ReadPort(off uint16, size int) uint32 {
	var v uint32
	for i := 0; i < size; i++ {
		v |= uint32(d.next()) << (8 * i)
	}
	return v
}

// WritePort selects an item with a 16-bit write at the selector; other
// writes (data port writes included) are ignored.
func (d *Device) WritePort(off uint16, size int, v uint32) {
	if off == 0 && size == 2 {
		d.sel, d.off = uint16(v)&^selWrite, 0
	}
}

// next returns the next byte of the selected item, 0 past its end.
func (d *Device) next() uint8 {
	item := d.items[d.sel]
	if d.off >= len(item) {
		return 0
	}
	b := item[d.off]
	d.off++
	return b
}

// FloppyPath is the OpenFirmware path SeaBIOS matches for floppy unit
// (0 or 1) of the controller at 0x3F0 behind the ISA bridge at isaSlot.
func FloppyPath(isaSlot, unit int) string {
	return fmt.Sprintf("/pci@i0cf8/isa@%x/fdc@03f0/floppy@%d", isaSlot, unit)
}

// ATAPath is the OpenFirmware path SeaBIOS matches for the ATA or ATAPI
// device at position pos (0 master, 1 slave) of channel ch of the IDE
// function at slot.fn.
func ATAPath(slot, fn, ch, pos int) string {
	dev := fmt.Sprintf("%x", slot)
	if fn != 0 {
		dev += fmt.Sprintf(",%x", fn)
	}
	return fmt.Sprintf("/pci@i0cf8/ide@%s/drive@%x/disk@%x", dev, ch, pos)
}

// BootOrder turns a QEMU -boot order ("cda": a floppy, c first disk, d
// CD-ROM) into bootorder paths, from paths giving each letter's device;
// letters without a device, or repeated, are skipped.
func BootOrder(order string, paths map[byte]string) []string {
	var out []string
	seen := map[byte]bool{}
	for i := 0; i < len(order); i++ {
		c := order[i]
		if p, ok := paths[c]; ok && p != "" && !seen[c] {
			out = append(out, p)
			seen[c] = true
		}
	}
	return out
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
