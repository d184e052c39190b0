package gdbstub_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/frontend/gdbstub"
)

const envNoSkip = "RINGZERO_NO_SKIP" // 1: a missing tool fails instead of skipping

// missing skips the test for lack of a tool, or fails it when
// RINGZERO_NO_SKIP=1 (CI).
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv(envNoSkip) == "1" {
		t.Fatalf("%s (and %s=1)", what, envNoSkip)
	}
	t.Skipf("skipping: %s", what)
}

// ramBus is 1 MiB of RAM and nothing else: a machine for the stub's
// tests that need no board. Port 0xF4 ends the run (isa-debug-exit).
type ramBus struct {
	ram  []byte
	exit chan int
}

func (b *ramBus) Read(addr uint32, size int) uint32 {
	var v uint32
	for i := 0; i < size; i++ {
		if a := int(addr) + i; a < len(b.ram) {
			v |= uint32(b.ram[a]) << (8 * i)
		} else {
			v |= 0xFF << (8 * i)
		}
	}
	return v
}

func (b *ramBus) Write(addr uint32, size int, v uint32) {
	for i := 0; i < size; i++ {
		if a := int(addr) + i; a < len(b.ram) {
			b.ram[a] = byte(v >> (8 * i))
		}
	}
}

func (b *ramBus) In(port uint16, size int) uint32 { return 0xFFFFFFFF }
func (b *ramBus) Out(port uint16, size int, v uint32) {
	if port == 0xF4 {
		select {
		case b.exit <- int(v):
		default:
		}
	}
}
func (b *ramBus) RAMPage(addr uint32, write bool) []byte { return nil }

// machine is the interp engine on a ramBus, run by a loop shaped like the
// board's: Before, Run, After, and Exited when the program halts with
// interrupts off or writes port 0xF4.
type machine struct {
	eng    *interp.CPU
	bus    *ramBus
	stub   *gdbstub.Stub
	stop   cpu.StopFlag
	done   chan error
	cancel context.CancelFunc
}

// Programs are real-mode code at progBase with CS = DS = SS = 0.
const progBase = 0x1000

// startMachine loads code at progBase and starts the run loop with a stub
// listening on a loopback port.
func startMachine(t testing.TB, cfg gdbstub.Config, code []byte) *machine {
	t.Helper()
	return startMachineWith(t, cfg, code, nil, nil)
}

// startMachineWith is startMachine with an interrupt source, and a hook
// to prepare RAM.
func startMachineWith(t testing.TB, cfg gdbstub.Config, code []byte, intr cpu.Interrupts, prep func(ram []byte)) *machine {
	t.Helper()
	m := &machine{bus: &ramBus{ram: make([]byte, 1<<20), exit: make(chan int, 1)}, done: make(chan error, 1)}
	copy(m.bus.ram[progBase:], code)
	if prep != nil {
		prep(m.bus.ram)
	}
	env := cpu.Env{Bus: m.bus, Stop: &m.stop, Intr: intr}
	env.OnInterrupt = func(ev cpu.InterruptEvent) { m.stub.NoteInterrupt(ev) }
	m.eng = interp.New(cpu.ModelP2, env)
	s := *m.eng.State()
	for i := range s.Seg {
		s.Seg[i].Selector, s.Seg[i].Base = 0, 0
	}
	s.EIP = progBase
	s.Regs[cpu.ESP] = 0x8000
	m.eng.SetState(&s)
	cfg.Kick = func() { m.stop.Request(cpu.ExitBreakpoint) }
	stub, err := gdbstub.Listen("127.0.0.1:0", gdbstub.NewTarget(m.eng, m.bus), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.stub = stub
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	m.cancel = cancel
	go func() { m.done <- m.run(ctx) }()
	t.Cleanup(func() {
		cancel()
		stub.Close()
		<-m.done
	})
	return m
}

// run is the run loop a board runs with a debugger.
func (m *machine) run(ctx context.Context) error {
	for {
		budget, err := m.stub.Before(ctx, 1<<16)
		if err != nil {
			return err
		}
		exit, err := m.eng.Run(ctx, budget)
		if err != nil {
			return err
		}
		m.stub.After(exit)
		select {
		case v := <-m.bus.exit:
			m.stub.Exited(v<<1 | 1)
			return nil
		default:
		}
		switch exit.Reason {
		case cpu.ExitHalt:
			if m.eng.State().EFlags&cpu.FlagIF == 0 {
				m.stub.Exited(0)
				return nil
			}
		case cpu.ExitCanceled:
			return ctx.Err()
		}
	}
}

// wait waits for the run loop to end.
func (m *machine) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-m.done:
		m.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the run loop did not end")
		return nil
	}
}

func (m *machine) port() string {
	_, p, _ := net.SplitHostPort(m.stub.Addr().String())
	return p
}

// client speaks the remote protocol by hand.
type client struct {
	t     testing.TB
	c     net.Conn
	r     *bufio.Reader
	noAck bool
}

func dial(t testing.TB, m *machine) *client {
	t.Helper()
	c, err := net.Dial("tcp", m.stub.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t: t, c: c, r: bufio.NewReader(c)}
}

func frame(p string) string {
	var sum uint8
	for i := 0; i < len(p); i++ {
		sum += p[i]
	}
	return fmt.Sprintf("$%s#%02x", p, sum)
}

func (c *client) write(s string) {
	c.t.Helper()
	c.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c.c, s); err != nil {
		c.t.Fatal(err)
	}
}

// send writes a packet and, in ack mode, reads the stub's '+'.
func (c *client) send(p string) {
	c.t.Helper()
	c.write(frame(p))
	if !c.noAck {
		if b, err := c.r.ReadByte(); err != nil || b != '+' {
			c.t.Fatalf("no ack for %q: %q %v", p, b, err)
		}
	}
}

// recv reads a packet (checking its checksum) and acks it.
func (c *client) recv() string {
	c.t.Helper()
	c.c.SetDeadline(time.Now().Add(10 * time.Second))
	for {
		b, err := c.r.ReadByte()
		if err != nil {
			c.t.Fatalf("reading a reply: %v", err)
		}
		if b == '$' {
			break
		}
	}
	body, err := c.r.ReadString('#')
	if err != nil {
		c.t.Fatal(err)
	}
	body = body[:len(body)-1]
	var cs [2]byte
	if _, err := io.ReadFull(c.r, cs[:]); err != nil {
		c.t.Fatal(err)
	}
	var sum uint8
	for i := 0; i < len(body); i++ {
		sum += body[i]
	}
	if want, _ := strconv.ParseUint(string(cs[:]), 16, 8); uint8(want) != sum {
		c.t.Fatalf("bad checksum on %q", body)
	}
	if !c.noAck {
		c.write("+")
	}
	return body
}

// cmd sends a packet and returns the reply.
func (c *client) cmd(p string) string {
	c.t.Helper()
	c.send(p)
	return c.recv()
}

// expect sends p and wants the reply want.
func (c *client) expect(p, want string) {
	c.t.Helper()
	if got := c.cmd(p); got != want {
		c.t.Fatalf("%s: reply %q, want %q", p, got, want)
	}
}

// reg reads register n (p packet) as a number.
func (c *client) reg(n int) uint64 {
	c.t.Helper()
	h := c.cmd(fmt.Sprintf("p%x", n))
	var v uint64
	for i := len(h) - 2; i >= 0; i -= 2 {
		b, err := strconv.ParseUint(h[i:i+2], 16, 8)
		if err != nil {
			c.t.Fatalf("p%x: %q", n, h)
		}
		v = v<<8 | b
	}
	return v
}

// Register numbers in the stub's layout.
const (
	regEAX = 0
	regEBX = 3
	regEIP = 8
	regCS  = 10
	regCR0 = 38
)
