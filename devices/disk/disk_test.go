package disk_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"ringzero/devices/disk"
)

// pattern returns n bytes whose value depends on the offset, so a read
// from the wrong place shows.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>9)
	}
	return b
}

// tempImage writes data to a new file and returns its path.
func tempImage(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAccessOutsideImageFailsAndTransfersNothing(t *testing.T) {
	data := pattern(4096)
	im := disk.FromBytes(data)
	tests := []struct {
		name string
		off  int64
		n    int
	}{
		{"negative offset", -1, 1},
		{"past the end", 4096, 1},
		{"straddles the end", 4000, 512},
		{"huge offset", 1 << 62, 512},
		{"max offset", 1<<63 - 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := bytes.Repeat([]byte{0xEE}, tt.n)
			if n, err := im.ReadAt(buf, tt.off); !errors.Is(err, disk.ErrOutOfRange) || n != 0 {
				t.Errorf("ReadAt = %d, %v; want 0, ErrOutOfRange", n, err)
			}
			if buf[0] != 0xEE {
				t.Errorf("ReadAt changed the buffer")
			}
			if n, err := im.WriteAt(buf, tt.off); !errors.Is(err, disk.ErrOutOfRange) || n != 0 {
				t.Errorf("WriteAt = %d, %v; want 0, ErrOutOfRange", n, err)
			}
		})
	}
	if !bytes.Equal(data, pattern(4096)) {
		t.Error("a rejected write changed the image")
	}
	// The last byte and a zero-length access at the end are inside.
	if _, err := im.ReadAt(make([]byte, 1), 4095); err != nil {
		t.Errorf("read of the last byte: %v", err)
	}
	if _, err := im.ReadAt(nil, 4096); err != nil {
		t.Errorf("empty read at the end: %v", err)
	}
}

func TestReadOnlyRejectsWrites(t *testing.T) {
	data := pattern(1024)
	im := disk.FromBytesWith(data, disk.Options{ReadOnly: true, Snapshot: true})
	if !im.ReadOnly() || im.Snapshot() {
		t.Fatalf("ReadOnly=%v Snapshot=%v; want read-only to win over snapshot", im.ReadOnly(), im.Snapshot())
	}
	if _, err := im.WriteAt([]byte{1}, 0); !errors.Is(err, disk.ErrReadOnly) {
		t.Errorf("WriteAt = %v, want ErrReadOnly", err)
	}
	if data[0] != pattern(1)[0] {
		t.Error("read-only image was written")
	}
}

func TestWritableFileIsWritten(t *testing.T) {
	path := tempImage(t, pattern(2048))
	im, err := disk.Open(path, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if im.Size() != 2048 {
		t.Errorf("Size = %d", im.Size())
	}
	if _, err := im.WriteAt([]byte("hello"), 1000); err != nil {
		t.Fatal(err)
	}
	if err := im.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got[1000:1005]) != "hello" {
		t.Errorf("file = %q, want the write", got[1000:1005])
	}
}

func TestSnapshotKeepsWritesInMemoryBySector(t *testing.T) {
	orig := pattern(8*512 + 100) // odd size: the last sector is short
	path := tempImage(t, orig)
	st0, _ := os.Stat(path)
	im, err := disk.Open(path, false, true)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(nil), orig...)
	writes := []struct {
		off int64
		p   []byte
	}{
		{700, []byte("partial")},                   // inside sector 1
		{1020, []byte("straddle")},                 // sectors 1 and 2
		{3 * 512, bytes.Repeat([]byte{0x5A}, 512)}, // whole sector 3
		{8*512 + 90, []byte("tail!")},              // short last sector
	}
	for _, w := range writes {
		if n, err := im.WriteAt(w.p, w.off); err != nil || n != len(w.p) {
			t.Fatalf("WriteAt(%d) = %d, %v", w.off, n, err)
		}
		copy(want[w.off:], w.p)
	}
	if got := im.Dirty(); got != 4 {
		t.Errorf("Dirty = %d sectors, want 4 (1, 2, 3 and 8)", got)
	}
	got := make([]byte, len(want))
	if _, err := im.ReadAt(got, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("read back differs first at %d: %#x, want %#x", i, got[i], want[i])
			}
		}
	}
	// A read that starts inside an overlay sector and ends in the file.
	part := make([]byte, 600)
	if _, err := im.ReadAt(part, 1000); err != nil || !bytes.Equal(part, want[1000:1600]) {
		t.Errorf("mixed read = %v", err)
	}
	if err := im.Flush(); err != nil {
		t.Errorf("Flush: %v", err)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(path)
	if !bytes.Equal(file, orig) {
		t.Error("snapshot write reached the file")
	}
	if st1, _ := os.Stat(path); !st1.ModTime().Equal(st0.ModTime()) || st1.Size() != st0.Size() {
		t.Error("snapshot changed the file's size or mtime")
	}
	if _, err := im.ReadAt(part, 0); !errors.Is(err, disk.ErrClosed) {
		t.Errorf("read after Close = %v, want ErrClosed", err)
	}
}

func TestSnapshotOfReadOnlyFile(t *testing.T) {
	path := tempImage(t, pattern(1024))
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	im, err := disk.Open(path, false, true)
	if err != nil {
		t.Fatalf("snapshot of a read-only file: %v", err)
	}
	defer im.Close()
	if _, err := im.WriteAt([]byte{1, 2, 3}, 10); err != nil {
		t.Errorf("snapshot write: %v", err)
	}
}

func TestBackingStoreShorterThanSizeIsAnError(t *testing.T) {
	im, err := disk.New(bytes.NewReader(pattern(100)), 1024, disk.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.ReadAt(make([]byte, 512), 0); err == nil {
		t.Error("short backing read succeeded")
	}
	if _, err := disk.New(bytes.NewReader(nil), 0, disk.Options{}); err == nil {
		t.Error("writable image over a read-only store accepted")
	}
	if _, err := disk.New(nil, 0, disk.Options{ReadOnly: true}); err == nil {
		t.Error("nil store accepted")
	}
}
