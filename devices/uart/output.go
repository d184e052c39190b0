package uart

import (
	"io"
	"sync"
)

// OutputQueue is how many transmitted bytes may wait for a slow host
// writer. When the queue is full, later bytes are dropped and counted
// (Port.Dropped); the guest never waits for the host.
const OutputQueue = 64 << 10

// output is the host side of the transmitter: a bounded queue between the
// clock's goroutine, which must never wait, and the host writer, which may
// block (a terminal, a pipe nobody reads, a slow socket). A drainer
// goroutine runs only while bytes are queued, so an idle port holds no
// goroutine and needs no Close.
type output struct {
	mu      sync.Mutex
	idle    sync.Cond // broadcast when a drainer stops
	w       io.Writer // nil: bytes are discarded
	gen     uint64    // bumped by SetOutput; a drainer of an older generation retires
	buf     []byte    // bytes waiting for w
	spare   []byte    // the other buffer, reused to avoid an allocation per chunk
	running bool      // a drainer of the current generation is active
	dropped uint64    // bytes lost to a full queue
	err     error     // first error from w; output stops after it
}

func (o *output) init(w io.Writer) {
	o.idle.L = &o.mu
	o.w = w
}

// put queues one transmitted byte. It never blocks on the writer.
func (o *output) put(b byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.w == nil || o.err != nil {
		return
	}
	if len(o.buf) >= OutputQueue {
		o.dropped++
		return
	}
	o.buf = append(o.buf, b)
	if !o.running {
		o.running = true
		go o.drain(o.gen)
	}
}

// drain hands queued bytes to the writer in chunks, without holding the
// lock during Write, until the queue is empty, the writer fails or
// SetOutput retires this generation.
func (o *output) drain(gen uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.gen == gen && len(o.buf) > 0 && o.w != nil && o.err == nil {
		w, chunk := o.w, o.buf
		o.buf, o.spare = o.spare[:0], nil
		o.mu.Unlock()
		_, err := w.Write(chunk)
		o.mu.Lock()
		if o.gen != gen {
			return // SetOutput moved on; the new drainer owns the buffers
		}
		o.spare = chunk[:0]
		if err != nil {
			o.err = err
			o.buf = o.buf[:0]
		}
	}
	if o.gen == gen {
		o.running = false
		o.idle.Broadcast()
	}
}

func (o *output) setWriter(w io.Writer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gen++ // a drainer stuck in the old writer no longer holds up the new one
	o.w, o.err = w, nil
	o.running = false
	if w == nil {
		o.buf = o.buf[:0]
	} else if len(o.buf) > 0 {
		o.running = true
		go o.drain(o.gen)
	}
	o.idle.Broadcast()
}

func (o *output) flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.running {
		o.idle.Wait()
	}
	return o.err
}

func (o *output) stats() (dropped uint64, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped, o.err
}

// SetOutput changes where transmitted characters go (nil: nowhere) and
// forgets any earlier output error. Bytes still queued go to w. Safe to
// call from any goroutine.
func (p *Port) SetOutput(w io.Writer) { p.out.setWriter(w) }

// Flush waits until every transmitted character queued so far has been
// handed to the output writer, and returns the writer's first error, if
// any. It blocks as long as the writer does. Frontends call it before
// exiting and tests before looking at the output. Safe to call from any
// goroutine.
func (p *Port) Flush() error { return p.out.flush() }

// Err returns the first error returned by the output writer. After an
// error the port stops writing to it (until SetOutput); the guest sees no
// difference. Safe to call from any goroutine.
func (p *Port) Err() error {
	_, err := p.out.stats()
	return err
}

// Dropped counts transmitted characters lost because the output writer
// fell more than OutputQueue bytes behind. Safe to call from any
// goroutine.
func (p *Port) Dropped() uint64 {
	n, _ := p.out.stats()
	return n
}
