package disk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// SectorSize is the granularity of the snapshot overlay: a write in
// snapshot mode copies each 512-byte sector it touches into memory, so
// the overlay grows by what the guest writes and no more.
const SectorSize = 512

var (
	// ErrOutOfRange is returned for an access that does not lie entirely
	// inside the image (negative offset or past the end).
	ErrOutOfRange = errors.New("disk: access out of range")
	// ErrReadOnly is returned for a write to a read-only image.
	ErrReadOnly = errors.New("disk: image is read-only")
	// ErrClosed is returned for any access after Close.
	ErrClosed = errors.New("disk: image is closed")
)

// Options selects how an Image treats writes.
type Options struct {
	// ReadOnly makes every write fail with ErrReadOnly (write-protected
	// media).
	ReadOnly bool
	// Snapshot keeps writes in memory: the backing store is never
	// written. Ignored when ReadOnly is set.
	Snapshot bool
}

// Image is a raw disk image of fixed size. It is safe for concurrent use.
type Image struct {
	mu       sync.Mutex
	r        io.ReaderAt
	w        io.WriterAt // nil when read-only or snapshot
	closer   io.Closer   // the file opened by Open, nil otherwise
	syncer   interface{ Sync() error }
	size     int64
	readOnly bool
	snapshot bool
	overlay  map[int64]*[SectorSize]byte // snapshot sectors by index
	closed   bool
}

// New wraps r as an image of size bytes. Unless opt makes the image
// read-only or a snapshot, r must also implement io.WriterAt.
func New(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if r == nil {
		return nil, errors.New("disk: nil backing store")
	}
	if size < 0 {
		return nil, fmt.Errorf("disk: negative size %d", size)
	}
	im := &Image{r: r, size: size, readOnly: opt.ReadOnly, snapshot: opt.Snapshot && !opt.ReadOnly}
	if !im.readOnly && !im.snapshot {
		w, ok := r.(io.WriterAt)
		if !ok {
			return nil, errors.New("disk: writable image needs an io.WriterAt")
		}
		im.w = w
	}
	if im.snapshot {
		im.overlay = map[int64]*[SectorSize]byte{}
	}
	if s, ok := r.(interface{ Sync() error }); ok && im.w != nil {
		im.syncer = s
	}
	return im, nil
}

// Open opens the raw image file at path. readOnly opens the file
// read-only and rejects writes; snapshot opens it read-only too but
// accepts writes into a memory overlay (QEMU's -snapshot). The size is the
// file's size (for a block device, its length found by seeking).
func Open(path string, readOnly, snapshot bool) (*Image, error) {
	flag := os.O_RDWR
	if readOnly || snapshot {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("disk: size of %s: %w", path, err)
	}
	im, err := New(f, size, Options{ReadOnly: readOnly, Snapshot: snapshot})
	if err != nil {
		f.Close()
		return nil, err
	}
	im.closer = f
	return im, nil
}

// bytesStore is an in-memory backing store; writes change the slice.
type bytesStore []byte

// ReadAt copies from the slice; Image has checked the range.
func (b bytesStore) ReadAt(p []byte, off int64) (int, error) {
	return copy(p, b[off:]), nil
}

// WriteAt copies into the slice; Image has checked the range.
func (b bytesStore) WriteAt(p []byte, off int64) (int, error) {
	return copy(b[off:], p), nil
}

// FromBytes returns a writable image backed by b (used by tests): writes
// change b in place, so a test can inspect what the guest wrote.
func FromBytes(b []byte) *Image {
	im, _ := New(bytesStore(b), int64(len(b)), Options{})
	return im
}

// FromBytesWith is FromBytes with options: a read-only or snapshot image
// over b.
func FromBytesWith(b []byte, opt Options) *Image {
	im, _ := New(bytesStore(b), int64(len(b)), opt)
	return im
}

// Size is the image size in bytes.
func (im *Image) Size() int64 { return im.size }

// ReadOnly reports whether writes are refused.
func (im *Image) ReadOnly() bool { return im.readOnly }

// Snapshot reports whether writes go to the memory overlay.
func (im *Image) Snapshot() bool { return im.snapshot }

// inRange reports whether n bytes at off lie inside the image.
func (im *Image) inRange(off int64, n int) bool {
	return off >= 0 && off <= im.size && int64(n) <= im.size-off
}

// ReadAt reads len(p) bytes at off. An access not entirely inside the
// image reads nothing and returns ErrOutOfRange.
func (im *Image) ReadAt(p []byte, off int64) (int, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.closed {
		return 0, ErrClosed
	}
	if !im.inRange(off, len(p)) {
		return 0, fmt.Errorf("%w: read %d bytes at %d of %d", ErrOutOfRange, len(p), off, im.size)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !im.snapshot || len(im.overlay) == 0 {
		return im.readBacking(p, off)
	}
	done := 0
	for done < len(p) {
		pos := off + int64(done)
		sec, in := pos/SectorSize, int(pos%SectorSize)
		n := min(SectorSize-in, len(p)-done)
		if b := im.overlay[sec]; b != nil {
			copy(p[done:done+n], b[in:in+n])
		} else if _, err := im.readBacking(p[done:done+n], pos); err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}

// readBacking reads from the backing store, turning a short read (a file
// that shrank under us) into an error rather than stale bytes.
func (im *Image) readBacking(p []byte, off int64) (int, error) {
	n, err := im.r.ReadAt(p, off)
	if n == len(p) {
		return n, nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, fmt.Errorf("disk: read at %d: %w", off, err)
}

// WriteAt writes len(p) bytes at off. An access not entirely inside the
// image writes nothing and returns ErrOutOfRange; a read-only image
// returns ErrReadOnly. In snapshot mode the backing store is untouched.
func (im *Image) WriteAt(p []byte, off int64) (int, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.closed {
		return 0, ErrClosed
	}
	if im.readOnly {
		return 0, ErrReadOnly
	}
	if !im.inRange(off, len(p)) {
		return 0, fmt.Errorf("%w: write %d bytes at %d of %d", ErrOutOfRange, len(p), off, im.size)
	}
	if !im.snapshot {
		n, err := im.w.WriteAt(p, off)
		if err == nil && n < len(p) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return n, fmt.Errorf("disk: write at %d: %w", off, err)
		}
		return n, nil
	}
	done := 0
	for done < len(p) {
		pos := off + int64(done)
		sec, in := pos/SectorSize, int(pos%SectorSize)
		n := min(SectorSize-in, len(p)-done)
		b := im.overlay[sec]
		if b == nil {
			b = new([SectorSize]byte)
			// A partial-sector write keeps the rest of the sector: fill
			// it from the backing store first (the last sector of an
			// odd-sized image may be short). A whole-sector write needs
			// no fill.
			start := sec * SectorSize
			valid := min(int64(SectorSize), im.size-start)
			if in != 0 || n != SectorSize {
				if _, err := im.readBacking(b[:valid], start); err != nil {
					return done, err
				}
			}
			im.overlay[sec] = b
		}
		copy(b[in:in+n], p[done:done+n])
		done += n
	}
	return done, nil
}

// Dirty is the number of sectors held in the snapshot overlay (0 unless
// the image is a snapshot): the memory the guest's writes cost.
func (im *Image) Dirty() int {
	im.mu.Lock()
	defer im.mu.Unlock()
	return len(im.overlay)
}

// Flush commits written data to stable storage where the backing store
// supports it (a file opened writable); otherwise it does nothing.
func (im *Image) Flush() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.closed || im.syncer == nil {
		return nil
	}
	if err := im.syncer.Sync(); err != nil {
		return fmt.Errorf("disk: flush: %w", err)
	}
	return nil
}

// Close releases the file opened by Open and drops the snapshot overlay.
// Later accesses fail with ErrClosed.
func (im *Image) Close() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.closed {
		return nil
	}
	im.closed = true
	im.overlay = nil
	if im.closer != nil {
		return im.closer.Close()
	}
	return nil
}
