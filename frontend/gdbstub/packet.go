package gdbstub

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The remote serial protocol's framing (GDB manual, "Overview" of the
// remote protocol): $payload#cs with cs the payload's byte sum mod 256
// in two hex digits; the receiver answers + (good) or - (resend) until
// QStartNoAckMode turns acknowledgements off; 03h outside a packet is an
// interrupt (Ctrl-C). In payloads, '$', '#', '}' and '*' are escaped as
// '}' followed by the byte XOR 20h.

// maxPacket bounds an incoming packet; PacketSize in qSupported tells gdb.
const maxPacket = 0x4000

// event is what the reader hands the session: a packet, an interrupt, a
// request to resend the last reply, or the end of the connection.
type event struct {
	packet    string
	interrupt bool
	nak       bool
	err       error
}

// wire is one connection's framing.
type wire struct {
	r      *bufio.Reader
	w      io.Writer
	wmu    sync.Mutex
	noAck  bool // QStartNoAckMode done: no more + and -
	last   []byte
	events chan event
	log    func(dir, s string)
}

func newWire(rw io.ReadWriter, log func(dir, s string)) *wire {
	return &wire{r: bufio.NewReader(rw), w: rw, events: make(chan event, 16), log: log}
}

// readLoop reads until the connection fails, turning bytes into events.
func (c *wire) readLoop(done <-chan struct{}) {
	send := func(e event) bool {
		select {
		case c.events <- e:
			return true
		case <-done:
			return false
		}
	}
	for {
		b, err := c.r.ReadByte()
		if err != nil {
			send(event{err: err})
			return
		}
		switch b {
		case '$':
			p, ok, err := c.readPacket()
			if err != nil {
				send(event{err: err})
				return
			}
			if !c.isNoAck() {
				if ok {
					c.writeRaw([]byte{'+'})
				} else {
					c.writeRaw([]byte{'-'})
					continue
				}
			}
			if !ok {
				continue
			}
			if !send(event{packet: p}) {
				return
			}
		case 0x03:
			if !send(event{interrupt: true}) {
				return
			}
		case '-':
			if !send(event{nak: true}) {
				return
			}
		default:
			// '+' acknowledgements and noise between packets.
		}
	}
}

// readPacket reads the rest of a packet after '$'. ok is false for a bad
// checksum or an oversized packet.
func (c *wire) readPacket() (string, bool, error) {
	var sb strings.Builder
	var sum uint8
	for {
		b, err := c.r.ReadByte()
		if err != nil {
			return "", false, err
		}
		if b == '#' {
			break
		}
		if b == '$' {
			// A new packet starts: the old one was cut off.
			sb.Reset()
			sum = 0
			continue
		}
		sum += b
		if sb.Len() < maxPacket+64 {
			sb.WriteByte(b)
		}
	}
	var cs [2]byte
	if _, err := io.ReadFull(c.r, cs[:]); err != nil {
		return "", false, err
	}
	want, err := strconv.ParseUint(string(cs[:]), 16, 8)
	if err != nil || uint8(want) != sum || sb.Len() > maxPacket+32 {
		return "", false, nil
	}
	return sb.String(), true, nil
}

func (c *wire) isNoAck() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.noAck
}

func (c *wire) setNoAck() {
	c.wmu.Lock()
	c.noAck = true
	c.wmu.Unlock()
}

func (c *wire) writeRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.w.Write(b)
	return err
}

// send frames and writes one reply.
func (c *wire) send(payload string) error {
	if c.log != nil {
		c.log("->", payload)
	}
	b := make([]byte, 0, len(payload)+4)
	b = append(b, '$')
	var sum uint8
	for i := 0; i < len(payload); i++ {
		ch := payload[i]
		if ch == '$' || ch == '#' || ch == '}' || ch == '*' {
			b = append(b, '}')
			sum += '}'
			ch ^= 0x20
		}
		b = append(b, ch)
		sum += ch
	}
	b = append(b, '#')
	b = fmt.Appendf(b, "%02x", sum)
	c.wmu.Lock()
	c.last = b
	c.wmu.Unlock()
	return c.writeRaw(b)
}

// resend writes the last reply again (the peer answered '-').
func (c *wire) resend() error {
	c.wmu.Lock()
	b := c.last
	c.wmu.Unlock()
	if b == nil {
		return nil
	}
	return c.writeRaw(b)
}

// unescape decodes the binary data of an X packet.
func unescape(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '}' {
			i++
			if i == len(s) {
				return nil, errors.New("escape at the end")
			}
			out = append(out, s[i]^0x20)
			continue
		}
		out = append(out, s[i])
	}
	return out, nil
}
