package i8042

// queue is a bounded FIFO of bytes. Pushes past its limit are dropped, so
// a guest that keeps asking for replies without reading them cannot grow
// host memory.
type queue struct {
	b   []byte
	max int
}

func (q *queue) len() int { return len(q.b) }

// room is how many more bytes fit.
func (q *queue) room() int { return q.max - len(q.b) }

// push appends bs, dropping whatever does not fit.
func (q *queue) push(bs ...byte) {
	if n := q.room(); len(bs) > n {
		bs = bs[:max(n, 0)]
	}
	q.b = append(q.b, bs...)
}

// pop removes and returns the oldest byte; ok is false when empty.
func (q *queue) pop() (b byte, ok bool) {
	if len(q.b) == 0 {
		return 0, false
	}
	b = q.b[0]
	q.b = q.b[1:]
	if len(q.b) == 0 {
		q.b = nil // let the backing array go
	}
	return b, true
}

func (q *queue) clear() { q.b = nil }
