package bios_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
)

// The El Torito tests build ISO 9660 images in Go (a primary volume
// descriptor, a boot record volume descriptor at sector 17, a boot catalog
// and a boot image: El Torito 1.0, "Bootable CD-ROM Format
// Specification"), boot them on the ringzero board with the built-in BIOS
// and -boot d, and read the verdict of the guest from isa-debug-exit and
// port E9h. The guest (etGuest, assembled with NASM) checks its entry,
// its drive number and the INT 13h functions of its boot mode.

const (
	cdSector = 2048
	lbaPVD   = 16
	lbaBRVD  = 17
	lbaTerm  = 18
	lbaCat   = 19
	lbaPathL = 20
	lbaPathM = 21
	lbaRoot  = 22
	lbaData  = 23 // two sectors the guest reads with AH=42h
	lbaImage = 25 // the boot image
	catOff   = lbaCat * cdSector
	entryOff = catOff + 32 // the initial/default entry
)

// Boot media types of the default entry.
const (
	mediaNoEmu  = 0
	media144    = 2
	mediaHDD    = 4
	etPassExit  = 0x10<<1 | 1 // the guest's "all passed"
	etFloppyRan = 0x20<<1 | 1 // the fallback diskette booted
)

// etTimeout bounds each boot; the guests finish in well under a second.
const etTimeout = 20 * time.Second

// isoSpec describes a bootable CD.
type isoSpec struct {
	media   byte
	loadSeg uint16 // as written in the catalog (0: the default 07C0h)
	count   uint16 // 512-byte sectors to load
	image   []byte // the boot image (no emulation) or disk image
	pad     int    // extra sectors after the image
}

// buildISO lays out an ISO 9660 image with an El Torito boot catalog.
func buildISO(s isoSpec) []byte {
	imgSectors := (len(s.image) + cdSector - 1) / cdSector
	total := lbaImage + imgSectors + 1 + s.pad
	iso := make([]byte, total*cdSector)
	sec := func(n int) []byte { return iso[n*cdSector : (n+1)*cdSector] }
	both32 := func(b []byte, v uint32) {
		binary.LittleEndian.PutUint32(b, v)
		binary.BigEndian.PutUint32(b[4:], v)
	}
	both16 := func(b []byte, v uint16) {
		binary.LittleEndian.PutUint16(b, v)
		binary.BigEndian.PutUint16(b[2:], v)
	}
	pad := func(b []byte, str string) {
		for i := range b {
			b[i] = ' '
		}
		copy(b, str)
	}
	dirRecord := func(b []byte, name byte) {
		b[0] = 34
		both32(b[2:], lbaRoot)
		both32(b[10:], cdSector)
		copy(b[18:25], []byte{126, 1, 1, 0, 0, 0, 0}) // 2026-01-01
		b[25] = 0x02                                  // directory
		both16(b[28:], 1)
		b[32] = 1
		b[33] = name
	}
	// Primary volume descriptor (ECMA-119 8.4).
	pvd := sec(lbaPVD)
	pvd[0] = 1
	copy(pvd[1:], "CD001")
	pvd[6] = 1
	pad(pvd[8:40], "")
	pad(pvd[40:72], "RINGZERO_ELTORITO")
	both32(pvd[80:], uint32(total))
	both16(pvd[120:], 1)
	both16(pvd[124:], 1)
	both16(pvd[128:], cdSector)
	both32(pvd[132:], 10)
	binary.LittleEndian.PutUint32(pvd[140:], lbaPathL)
	binary.BigEndian.PutUint32(pvd[148:], lbaPathM)
	dirRecord(pvd[156:], 0)
	pad(pvd[190:813], "")
	for _, off := range []int{813, 830, 847, 864} {
		copy(pvd[off:off+16], "0000000000000000")
	}
	pvd[881] = 1
	// Boot record volume descriptor (El Torito 2.0).
	brvd := sec(lbaBRVD)
	copy(brvd[1:], "CD001")
	brvd[6] = 1
	copy(brvd[7:], "EL TORITO SPECIFICATION")
	binary.LittleEndian.PutUint32(brvd[0x47:], lbaCat)
	// Volume descriptor set terminator.
	term := sec(lbaTerm)
	term[0] = 0xFF
	copy(term[1:], "CD001")
	term[6] = 1
	// Path tables and the root directory.
	pl, pm := sec(lbaPathL), sec(lbaPathM)
	pl[0], pm[0] = 1, 1
	binary.LittleEndian.PutUint32(pl[2:], lbaRoot)
	binary.BigEndian.PutUint32(pm[2:], lbaRoot)
	binary.LittleEndian.PutUint16(pl[6:], 1)
	binary.BigEndian.PutUint16(pm[6:], 1)
	root := sec(lbaRoot)
	dirRecord(root[0:], 0)
	dirRecord(root[34:], 1)
	// The data sectors: "RZCD", their LBA, a pattern, "END!".
	for i := 0; i < 2; i++ {
		d := sec(lbaData + i)
		copy(d, "RZCD")
		binary.LittleEndian.PutUint32(d[4:], uint32(lbaData+i))
		for j := 8; j < cdSector-4; j++ {
			d[j] = byte(j*7 + i)
		}
		copy(d[cdSector-4:], "END!")
	}
	copy(iso[lbaImage*cdSector:], s.image)
	// Boot catalog: validation entry, initial/default entry.
	cat := sec(lbaCat)
	cat[0] = 1
	copy(cat[4:], "RINGZERO TEST")
	cat[0x1E], cat[0x1F] = 0x55, 0xAA
	fixChecksum(iso)
	e := cat[32:]
	e[0] = 0x88
	e[1] = s.media
	binary.LittleEndian.PutUint16(e[2:], s.loadSeg)
	if s.media == mediaHDD && len(s.image) >= 512 {
		e[4] = s.image[0x1BE+4] // system type: the partition's type
	}
	binary.LittleEndian.PutUint16(e[6:], s.count)
	binary.LittleEndian.PutUint32(e[8:], lbaImage)
	return iso
}

// fixChecksum makes the validation entry's words sum to zero.
func fixChecksum(iso []byte) {
	v := iso[catOff : catOff+32]
	v[0x1C], v[0x1D] = 0, 0
	var sum uint16
	for i := 0; i < 32; i += 2 {
		sum += binary.LittleEndian.Uint16(v[i:])
	}
	binary.LittleEndian.PutUint16(v[0x1C:], -sum)
}

// assemble runs NASM on src with the given defines.
func assemble(t *testing.T, src string, defines ...string) []byte {
	t.Helper()
	nasm := need(t, "nasm", "nasm")
	dir := t.TempDir()
	in := filepath.Join(dir, "guest.asm")
	out := filepath.Join(dir, "guest.bin")
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-f", "bin", "-o", out}
	for _, d := range defines {
		args = append(args, "-D"+d)
	}
	if b, err := exec.Command(nasm, append(args, in)...).CombinedOutput(); err != nil {
		t.Fatalf("nasm: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuf is a bytes.Buffer safe to read while the machine writes it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cdRun is the end of a boot.
type cdRun struct {
	result   pc.Result
	err      error
	debugcon string
	screen   string
	elapsed  time.Duration
}

// bootCD boots iso (and floppy as A:, when not nil) on the ringzero board
// with the built-in BIOS, until the guest exits, the machine stops or
// timeout passes.
func bootCD(t *testing.T, iso, floppy []byte, order string, timeout time.Duration) cdRun {
	t.Helper()
	var con syncBuf
	cfg := pc.Config{
		Model:     cpu.ModelP2,
		MemBytes:  32 << 20,
		BIOS:      bios.Image,
		Boot:      order,
		DebugCon:  &con,
		DebugExit: &debugport.Config{IOBase: 0xF4, IOSize: 4},
		NoReboot:  true,
		CDROM:     disk.FromBytesWith(iso, disk.Options{ReadOnly: true}),
	}
	if floppy != nil {
		cfg.Floppy[0] = disk.FromBytesWith(floppy, disk.Options{Snapshot: true})
	}
	m, err := pc.New(cfg)
	if err != nil {
		t.Fatalf("pc.New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	res, err := m.Run(ctx, pc.RunOptions{})
	return cdRun{result: res, err: err, debugcon: con.String(), screen: m.VGA.TextScreen(), elapsed: time.Since(start)}
}

func (r cdRun) String() string {
	return fmt.Sprintf("outcome %v status %d err %v after %v\ndebug console:\n%s\nscreen:\n%s",
		r.result.Outcome, r.result.Status, r.err, r.elapsed.Round(time.Millisecond), r.debugcon, r.screen)
}

// guestImage assembles etGuest for a boot mode; PROGSECTS 512-byte
// sectors of it are the program.
func guestImage(t *testing.T, mode string, loadSeg uint16, total int, defines ...string) []byte {
	t.Helper()
	eff := loadSeg
	if eff == 0 {
		eff = 0x07C0
	}
	return assemble(t, etGuest, append(defines, "MODE_"+mode, fmt.Sprintf("LOADSEG=0x%04X", eff),
		fmt.Sprintf("IMGLBA=%d", lbaImage), fmt.Sprintf("DATALBA=%d", lbaData), fmt.Sprintf("TOTAL=%d", total))...)
}

// noEmuISO is a no-emulation CD whose boot image is the guest (3 sectors)
// followed by a sector that starts with "MARK", which the BIOS must not
// load.
func noEmuISO(t *testing.T, loadSeg uint16, defines ...string) []byte {
	t.Helper()
	// The size is known before the guest is built: one image sector.
	total := lbaImage + 1 + 1
	prog := guestImage(t, "NOEMU", loadSeg, total, defines...)
	if len(prog) != 3*512 {
		t.Fatalf("guest is %d bytes, want 1536", len(prog))
	}
	img := append(prog, []byte("MARK")...)
	iso := buildISO(isoSpec{media: mediaNoEmu, loadSeg: loadSeg, count: 3, image: img})
	if len(iso) != total*cdSector {
		t.Fatalf("ISO has %d sectors, want %d", len(iso)/cdSector, total)
	}
	return iso
}

// floppyImage is a 1.44M diskette: the guest in sectors 0-2, every other
// sector "RZFD" and its LBA.
func floppyImage(t *testing.T, defines ...string) []byte {
	t.Helper()
	img := make([]byte, 2880*512)
	for lba := 3; lba < 2880; lba++ {
		copy(img[lba*512:], "RZFD")
		binary.LittleEndian.PutUint32(img[lba*512+4:], uint32(lba))
	}
	copy(img, guestImage(t, "FLOPPY", 0, 0, defines...))
	return img
}

// hddImage is a 2-cylinder disk of 16 heads and 63 sectors: the guest in
// sectors 0-2 with a partition table whose one partition ends at
// cylinder 1, head 15, sector 63; every other sector "RZHD" and its LBA.
func hddImage(t *testing.T, defines ...string) []byte {
	t.Helper()
	const sectors = 2 * 16 * 63
	img := make([]byte, sectors*512)
	for lba := 3; lba < sectors; lba++ {
		copy(img[lba*512:], "RZHD")
		binary.LittleEndian.PutUint32(img[lba*512+4:], uint32(lba))
	}
	copy(img, guestImage(t, "HDD", 0, 0, defines...))
	p := img[0x1BE:]
	p[0] = 0x80
	p[1], p[2], p[3] = 1, 1, 0   // start: C0 H1 S1
	p[4] = 0x06                  // FAT16
	p[5], p[6], p[7] = 15, 63, 1 // end: C1 H15 S63
	binary.LittleEndian.PutUint32(p[8:], 63)
	binary.LittleEndian.PutUint32(p[12:], sectors-63)
	return img
}

func checkPassed(t *testing.T, r cdRun, wants ...string) {
	t.Helper()
	if r.err != nil || r.result.Outcome != pc.DebugExit || r.result.Status != etPassExit {
		t.Fatalf("the guest did not pass: %v", r)
	}
	for _, w := range append([]string{"Booting from CD-ROM...", "DONE failures=0"}, wants...) {
		if !strings.Contains(r.debugcon, w) {
			t.Errorf("debug console lacks %q:\n%s", w, r.debugcon)
		}
	}
	if strings.Contains(r.debugcon, "FAIL") {
		t.Errorf("the guest reports a failure:\n%s", r.debugcon)
	}
}

func TestElToritoNoEmulationBoot(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	for _, seg := range []uint16{0, 0x2000} {
		t.Run(fmt.Sprintf("load segment %04X", seg), func(t *testing.T) {
			r := bootCD(t, noEmuISO(t, seg), nil, "d", etTimeout)
			checkPassed(t, r, "CD-ROM E0h: RINGZERO CD-ROM", "PASS int13/42", "PASS int13/4b01", "PASS load count")
			t.Logf("booted and passed in %v", r.elapsed.Round(time.Millisecond))
		})
	}
}

func TestElToritoFloppyEmulationBoot(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	iso := buildISO(isoSpec{media: media144, count: 1, image: floppyImage(t)})
	r := bootCD(t, iso, nil, "d", etTimeout)
	checkPassed(t, r, "PASS int13/02", "PASS int13/08", "PASS int13/4b00")
}

func TestElToritoHardDiskEmulationBoot(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	iso := buildISO(isoSpec{media: mediaHDD, count: 1, image: hddImage(t)})
	r := bootCD(t, iso, nil, "d", etTimeout)
	checkPassed(t, r, "PASS int13/02", "PASS int13/42", "PASS int13/48")
}

// TestElToritoBadCatalogsFallThrough boots CDs whose boot record, catalog
// or entry is wrong, with a diskette as the next boot device: each must
// give its message and boot the diskette, whose sector exits with 20h.
func TestElToritoBadCatalogsFallThrough(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	floppy := make([]byte, 1474560)
	copy(floppy, []byte{0xB0, 0x20, 0xE6, 0xF4, 0xFA, 0xF4}) // mov al,20h; out F4h,al; cli; hlt
	floppy[510], floppy[511] = 0x55, 0xAA
	good := func() []byte { return noEmuISO(t, 0) }
	put16 := func(iso []byte, off int, v uint16) { binary.LittleEndian.PutUint16(iso[off:], v) }
	put32 := func(iso []byte, off int, v uint32) { binary.LittleEndian.PutUint32(iso[off:], v) }
	cases := []struct {
		name, want string
		mutate     func(iso []byte) []byte
	}{
		{"no boot record", "no El Torito boot record", func(iso []byte) []byte {
			clear(iso[lbaBRVD*cdSector : (lbaBRVD+1)*cdSector])
			return iso
		}},
		{"other system identifier", "no El Torito boot record", func(iso []byte) []byte {
			copy(iso[lbaBRVD*cdSector+7:], "EL TORITO SPECIFICATIONS")
			return iso
		}},
		{"too short for a boot record", "no El Torito boot record", func(iso []byte) []byte {
			return iso[:17*cdSector]
		}},
		{"catalog past the end", "invalid El Torito boot catalog", func(iso []byte) []byte {
			put32(iso, lbaBRVD*cdSector+0x47, 0xFFFFFFF0)
			return iso
		}},
		{"bad checksum", "invalid El Torito boot catalog", func(iso []byte) []byte {
			iso[catOff+4] ^= 1
			return iso
		}},
		{"bad key", "invalid El Torito boot catalog", func(iso []byte) []byte {
			iso[catOff+0x1F] = 0xAB
			fixChecksum(iso)
			return iso
		}},
		{"bad header", "invalid El Torito boot catalog", func(iso []byte) []byte {
			iso[catOff] = 0x91
			fixChecksum(iso)
			return iso
		}},
		{"EFI platform", "not for x86", func(iso []byte) []byte {
			iso[catOff+1] = 0xEF
			fixChecksum(iso)
			return iso
		}},
		{"not bootable", "no bootable entry", func(iso []byte) []byte {
			iso[entryOff] = 0
			return iso
		}},
		{"media type 5", "unknown El Torito boot media type", func(iso []byte) []byte {
			iso[entryOff+1] = 5
			return iso
		}},
		{"zero sectors", "has no sectors", func(iso []byte) []byte {
			put16(iso, entryOff+6, 0)
			return iso
		}},
		{"65535 sectors", "does not fit in memory", func(iso []byte) []byte {
			put16(iso, entryOff+6, 0xFFFF)
			return iso
		}},
		{"load segment in the BIOS data area", "does not fit in memory", func(iso []byte) []byte {
			put16(iso, entryOff+2, 0x0040)
			return iso
		}},
		{"load segment above memory", "does not fit in memory", func(iso []byte) []byte {
			put16(iso, entryOff+2, 0xA000)
			return iso
		}},
		{"load segment FFFF", "does not fit in memory", func(iso []byte) []byte {
			put16(iso, entryOff+2, 0xFFFF)
			return iso
		}},
		{"image past the end", "past the end of the CD", func(iso []byte) []byte {
			put32(iso, entryOff+8, 0x7FFFFFFF)
			return iso
		}},
		{"image at FFFFFFFF", "past the end of the CD", func(iso []byte) []byte {
			put32(iso, entryOff+8, 0xFFFFFFFF)
			return iso
		}},
		{"image running past the end", "past the end of the CD", func(iso []byte) []byte {
			put16(iso, entryOff+6, 64)
			return iso
		}},
		{"hard disk image without partitions", "no partition table", func(iso []byte) []byte {
			iso[entryOff+1] = mediaHDD
			clear(iso[lbaImage*cdSector+0x1BE : lbaImage*cdSector+0x1FE])
			return iso
		}},
		{"diskette image past the end", "past the end of the CD", func(iso []byte) []byte {
			iso[entryOff+1] = media144
			put16(iso, entryOff+6, 40)
			return iso
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			iso := c.mutate(good())
			r := bootCD(t, iso, floppy, "da", etTimeout)
			if r.err != nil || r.result.Status != etFloppyRan {
				t.Fatalf("the diskette did not boot after the CD: %v", r)
			}
			for _, w := range []string{"Booting from CD-ROM...", c.want, "Booting from floppy A:"} {
				if !strings.Contains(r.debugcon, w) {
					t.Errorf("debug console lacks %q:\n%s", w, r.debugcon)
				}
				if !strings.Contains(r.screen, w) {
					t.Errorf("screen lacks %q:\n%s", w, r.screen)
				}
			}
		})
	}
}

// TestElToritoRandomEntries boots CDs whose default entry (media type,
// load segment, sector count, image sector) and boot record pointer are
// random, with a valid catalog checksum: the BIOS must either boot
// something or fall through to the diskette, and the machine must never
// fail. Whatever it boots may run on, so a run that is still going at the
// end is accepted too.
func TestElToritoRandomEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	floppy := make([]byte, 1474560)
	copy(floppy, []byte{0xB0, 0x20, 0xE6, 0xF4, 0xFA, 0xF4})
	floppy[510], floppy[511] = 0x55, 0xAA
	base := noEmuISO(t, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 16; i++ {
		iso := bytes.Clone(base)
		e := iso[entryOff:]
		e[1] = byte(rng.IntN(6))
		binary.LittleEndian.PutUint16(e[2:], []uint16{0, 0x07C0, 0x0050, 0x1000, 0x9F00, uint16(rng.Uint32())}[rng.IntN(6)])
		binary.LittleEndian.PutUint16(e[6:], []uint16{0, 1, 3, 4, 0x7F, 0x800, 0xFFFF, uint16(rng.Uint32())}[rng.IntN(8)])
		binary.LittleEndian.PutUint32(e[8:], []uint32{0, lbaImage, lbaData, uint32(len(iso)/cdSector - 1), rng.Uint32()}[rng.IntN(5)])
		if rng.IntN(4) == 0 {
			binary.LittleEndian.PutUint32(iso[lbaBRVD*cdSector+0x47:], rng.Uint32()%40)
		}
		t.Run(fmt.Sprintf("%d media %d seg %04X count %d lba %d", i, e[1],
			binary.LittleEndian.Uint16(e[2:]), binary.LittleEndian.Uint16(e[6:]), binary.LittleEndian.Uint32(e[8:])), func(t *testing.T) {
			t.Parallel()
			r := bootCD(t, iso, floppy, "da", 5*time.Second)
			if r.err != nil && !errors.Is(r.err, context.DeadlineExceeded) {
				t.Fatalf("the machine failed: %v", r)
			}
			if !strings.Contains(r.debugcon, "Booting from CD-ROM...") {
				t.Fatalf("no CD boot: %v", r)
			}
		})
	}
}

// TestElToritoNoCDROMFallsThrough: -boot da without a CD says so and
// boots the diskette.
func TestElToritoWithoutDriveFallsThrough(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	floppy := make([]byte, 1474560)
	copy(floppy, []byte{0xB0, 0x20, 0xE6, 0xF4, 0xFA, 0xF4})
	floppy[510], floppy[511] = 0x55, 0xAA
	var con syncBuf
	m, err := pc.New(pc.Config{
		Model: cpu.ModelP2, MemBytes: 32 << 20, BIOS: bios.Image, Boot: "da", DebugCon: &con, NoReboot: true,
		DebugExit: &debugport.Config{IOBase: 0xF4, IOSize: 4},
		Floppy:    [2]*disk.Image{disk.FromBytesWith(floppy, disk.Options{Snapshot: true})},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), etTimeout)
	defer cancel()
	res, err := m.Run(ctx, pc.RunOptions{})
	if err != nil || res.Status != etFloppyRan {
		t.Fatalf("outcome %v status %d err %v\n%s", res.Outcome, res.Status, err, con.String())
	}
	if !strings.Contains(con.String(), "Booting from CD-ROM...\r\n  no such drive") {
		t.Errorf("no message about the missing drive:\n%s", con.String())
	}
}

// TestElToritoQEMU boots the no-emulation and emulation CDs in
// qemu-system-i386, with the built-in BIOS (QEMU's ATAPI model as the
// reference drive) and with QEMU's own SeaBIOS (the reference BIOS, which
// shows that the guest's expectations are those of a PC BIOS).
func TestElToritoQEMU(t *testing.T) {
	if testing.Short() {
		t.Skip("guest boot: skipped with -short")
	}
	qemu := need(t, "qemu-system-i386", "qemu-system-x86")
	dir := t.TempDir()
	biosPath := filepath.Join(dir, "bios.bin")
	if err := os.WriteFile(biosPath, bios.Image, 0o644); err != nil {
		t.Fatal(err)
	}
	isos := func(defines ...string) map[string][]byte {
		return map[string][]byte{
			"no emulation":          noEmuISO(t, 0, defines...),
			"no emulation at 2000h": noEmuISO(t, 0x2000, defines...),
			"1.44M emulation":       buildISO(isoSpec{media: media144, count: 1, image: floppyImage(t, defines...)}),
			"hard disk emulation":   buildISO(isoSpec{media: mediaHDD, count: 1, image: hddImage(t, defines...)}),
		}
	}
	for _, fw := range []string{"ringzero", "seabios"} {
		var defines []string
		if fw == "seabios" {
			defines = []string{"SEABIOS"}
		}
		for name, iso := range isos(defines...) {
			path := filepath.Join(dir, fw+"-"+strings.ReplaceAll(name, " ", "_")+".iso")
			if err := os.WriteFile(path, iso, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Run(name+"/"+fw, func(t *testing.T) {
				debugcon := filepath.Join(t.TempDir(), "e9.txt")
				args := []string{"-M", "pc", "-m", "32", "-display", "none", "-nic", "none", "-no-reboot",
					"-debugcon", "file:" + debugcon, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
					"-cdrom", path, "-boot", "d"}
				if fw == "ringzero" {
					args = append(args, "-bios", biosPath)
				}
				ctx, cancel := context.WithTimeout(context.Background(), etTimeout)
				defer cancel()
				out, err := exec.CommandContext(ctx, qemu, args...).CombinedOutput()
				log := readLog(t, debugcon)
				if ctx.Err() != nil {
					t.Fatalf("QEMU still running after 60 s; killed.\n%s\n%s", out, log)
				}
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != etPassExit {
					t.Fatalf("QEMU ended with %v, want exit status %d\n%s\ndebug console:\n%s", err, etPassExit, out, log)
				}
				if !strings.Contains(log, "DONE failures=0") || strings.Contains(log, "FAIL") {
					t.Errorf("debug console:\n%s", log)
				}
			})
		}
	}
}
