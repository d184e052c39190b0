package gdbstub

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// session is one gdb connection.
type session struct {
	s       *Stub
	w       *wire
	waiting bool    // gdb waits for a stop reply (after c, s or vCont)
	seenSeq uint64  // the park whose stop gdb knows
	backlog []event // packets that came while a request waited for a park
}

func (s *Stub) logf(dir, p string) {
	if s.cfg.Log != nil {
		fmt.Fprintf(s.cfg.Log, "gdb %s %s\n", dir, p)
	}
}

// serve runs one connection until gdb detaches, kills or disconnects.
func (s *Stub) serve(c net.Conn) {
	defer c.Close()
	w := newWire(c, s.logf)
	done := make(chan struct{})
	defer close(done)
	go w.readLoop(done)
	ss := &session{s: s, w: w}
	// QEMU stops the machine when gdb attaches.
	s.mu.Lock()
	ss.seenSeq = s.stopSeq
	if s.parked {
		ss.seenSeq-- // its stop is news to this gdb
	}
	s.mu.Unlock()
	s.requestStop(sigTRAP)
	for {
		var ev event
		if len(ss.backlog) > 0 {
			ev, ss.backlog = ss.backlog[0], ss.backlog[1:]
		} else {
			select {
			case ev = <-w.events:
			case <-s.wake:
				ss.checkStop()
				continue
			case <-s.closed:
				return
			}
		}
		switch {
		case ev.err != nil:
			s.detach()
			return
		case ev.interrupt:
			s.requestStop(sigINT)
		case ev.nak:
			w.resend()
		default:
			s.logf("<-", ev.packet)
			if !ss.handle(ev.packet) {
				return
			}
		}
	}
}

// checkStop sends the stop reply gdb waits for once the machine parked
// again, or the exit status once it is gone.
func (ss *session) checkStop() {
	s := ss.s
	s.mu.Lock()
	news := s.parked && s.stopSeq != ss.seenSeq
	gone, reply, seq := s.gone, s.lastStop, s.stopSeq
	s.mu.Unlock()
	if news {
		ss.seenSeq = seq
	}
	if ss.waiting && (news || gone) {
		ss.waiting = false
		ss.w.send(reply)
	}
}

// waitParked waits until the machine parks or is gone; false if the
// connection or the stub closed meanwhile.
func (ss *session) waitParked() bool {
	s := ss.s
	for {
		s.mu.Lock()
		ok := s.parked || s.gone
		s.mu.Unlock()
		if ok {
			ss.checkStop()
			return true
		}
		select {
		case <-s.wake:
		case ev := <-ss.w.events:
			switch {
			case ev.err != nil:
				s.detach()
				return false
			case ev.packet != "" || ev.nak:
				ss.backlog = append(ss.backlog, ev)
			}
			// An interrupt: a stop is on its way already.
		case <-s.closed:
			return false
		}
	}
}

// onMachine runs fn on the machine's goroutine while it is parked. It
// reports false if the machine is not parked (gone, or running).
func (s *Stub) onMachine(fn func()) bool {
	s.mu.Lock()
	parked, left := s.parked, s.left
	s.mu.Unlock()
	if !parked {
		return false
	}
	q := request{fn: fn, done: make(chan struct{})}
	select {
	case s.reqs <- q:
	case <-left:
		return false
	case <-s.closed:
		return false
	}
	<-q.done
	return true
}

// resumeMachine lets the parked machine run on. From here on the
// machine counts as running: a Ctrl-C requests a stop. Only a park not
// yet resumed gets the token, so none is ever left over.
func (s *Stub) resumeMachine() {
	s.mu.Lock()
	was := s.parked
	s.parked = false
	s.mu.Unlock()
	if was {
		select {
		case s.resume <- struct{}{}:
		default:
		}
	}
}

// detach forgets breakpoints and watchpoints and lets the machine run.
func (s *Stub) detach() {
	s.mu.Lock()
	s.detachLocked()
	s.mu.Unlock()
	s.resumeMachine()
}

// handle answers one packet; false ends the session.
func (ss *session) handle(p string) bool {
	s := ss.s
	reply := func(r string) bool {
		ss.w.send(r)
		return true
	}
	// Packets that need no machine.
	switch {
	case strings.HasPrefix(p, "qSupported"):
		return reply(fmt.Sprintf("PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+", maxPacket))
	case p == "QStartNoAckMode":
		reply("OK")
		ss.w.setNoAck()
		return true
	case strings.HasPrefix(p, "qXfer:features:read:"):
		return reply(xferFeatures(strings.TrimPrefix(p, "qXfer:features:read:")))
	case p == "qAttached" || strings.HasPrefix(p, "qAttached:"):
		return reply("1") // attached to a running machine: quitting gdb detaches
	case p == "qC":
		return reply("QC1")
	case p == "qfThreadInfo":
		return reply("m1")
	case p == "qsThreadInfo":
		return reply("l")
	case strings.HasPrefix(p, "H"), strings.HasPrefix(p, "T"):
		return reply("OK") // one thread
	case strings.HasPrefix(p, "qSymbol"):
		return reply("OK")
	case p == "vCont?":
		return reply("vCont;c;C;s;S")
	case p == "D" || strings.HasPrefix(p, "D;"):
		reply("OK")
		s.detach()
		return false
	case p == "k" || strings.HasPrefix(p, "vKill"):
		s.mu.Lock()
		s.killed = true
		s.rearm()
		s.mu.Unlock()
		if strings.HasPrefix(p, "vKill") {
			reply("OK")
		}
		s.resumeMachine()
		if s.cfg.Kick != nil {
			s.cfg.Kick()
		}
		return false
	}
	// The rest need the machine parked (it parks soon after gdb attaches).
	if !ss.waitParked() {
		return false
	}
	s.mu.Lock()
	gone, last := s.gone, s.lastStop
	s.mu.Unlock()
	if p == "?" {
		return reply(last)
	}
	if gone {
		return reply("E01")
	}
	switch p[0] {
	case 'g':
		var r string
		if !s.onMachine(func() { r = readRegisters(s.t.State()) }) {
			return reply("E01")
		}
		return reply(r)
	case 'G':
		err := errRunning
		s.onMachine(func() {
			st := *s.t.State()
			if err = writeRegisters(&st, p[1:]); err == nil {
				err = s.t.SetState(&st)
			}
		})
		return reply(okOrErr(err))
	case 'p':
		n, err := strconv.ParseUint(p[1:], 16, 32)
		if err != nil || n >= uint64(len(registers)) {
			return reply("E00")
		}
		var r string
		if !s.onMachine(func() { r = hex.EncodeToString(registers[n].bytes(s.t.State())) }) {
			return reply("E01")
		}
		return reply(r)
	case 'P':
		ns, vs, ok := strings.Cut(p[1:], "=")
		n, err := strconv.ParseUint(ns, 16, 32)
		b, herr := hex.DecodeString(vs)
		if !ok || err != nil || herr != nil || n >= uint64(len(registers)) || len(b) != registers[n].bits/8 {
			return reply("E00")
		}
		err = errRunning
		s.onMachine(func() {
			st := *s.t.State()
			registers[n].setBytes(&st, b)
			err = s.t.SetState(&st)
		})
		return reply(okOrErr(err))
	case 'm':
		addr, n, ok := addrLen(p[1:])
		if !ok {
			return reply("E00")
		}
		buf := make([]byte, min(n, maxPacket/2-16))
		var got int
		s.onMachine(func() { got, _ = s.t.ReadLinear(addr, buf) })
		if got == 0 && len(buf) > 0 {
			return reply("E14") // EFAULT
		}
		return reply(hex.EncodeToString(buf[:got]))
	case 'M', 'X':
		head, data, ok := strings.Cut(p[1:], ":")
		addr, n, ok2 := addrLen(head)
		var b []byte
		var err error
		if p[0] == 'M' {
			b, err = hex.DecodeString(data)
		} else {
			b, err = unescape(data)
		}
		if !ok || !ok2 || err != nil || uint32(len(b)) != n {
			return reply("E00")
		}
		var put int
		s.onMachine(func() { put, _ = s.t.WriteLinear(addr, b) })
		if put != len(b) {
			return reply("E14")
		}
		return reply("OK")
	case 'Z', 'z':
		return reply(ss.breakpoint(p))
	case 'c', 's':
		return ss.resume(p[0] == 's', p[1:])
	case 'C', 'S':
		// Csig[;addr]: the signal means nothing to a bare machine.
		_, addr, _ := strings.Cut(p[1:], ";")
		return ss.resume(p[0] == 'S', addr)
	case 'v':
		if strings.HasPrefix(p, "vCont;") {
			return ss.vCont(p[len("vCont;"):])
		}
	}
	return reply("") // not supported
}

// errRunning stands for a request the machine did not get to run.
var errRunning = errors.New("gdbstub: the machine is not parked")

func okOrErr(err error) string {
	if err != nil {
		return "E01"
	}
	return "OK"
}

// addrLen parses "ADDR,LENGTH" in hex.
func addrLen(s string) (addr, n uint32, ok bool) {
	a, l, found := strings.Cut(s, ",")
	av, err1 := strconv.ParseUint(a, 16, 32)
	lv, err2 := strconv.ParseUint(l, 16, 32)
	return uint32(av), uint32(lv), found && err1 == nil && err2 == nil
}

// xferFeatures answers qXfer:features:read:ANNEX:OFFSET,LENGTH.
func xferFeatures(args string) string {
	annex, rng, _ := strings.Cut(args, ":")
	if annex != "target.xml" {
		return "E00"
	}
	off, n, ok := addrLen(rng)
	if !ok {
		return "E00"
	}
	if int(off) >= len(targetXML) {
		return "l"
	}
	end := min(int(off)+int(n), len(targetXML))
	if end == len(targetXML) {
		return "l" + targetXML[off:end]
	}
	return "m" + targetXML[off:end]
}

// breakpoint handles Z and z packets: "Ztype,addr,kind[;cond...]" (kind
// is the length for watchpoints).
func (ss *session) breakpoint(p string) string {
	s := ss.s
	insert := p[0] == 'Z'
	f := strings.Split(strings.SplitN(p[1:], ";", 2)[0], ",")
	if len(f) != 3 {
		return "E00"
	}
	kind, err := strconv.Atoi(f[0])
	addr, n, ok := addrLen(f[1] + "," + f[2])
	if err != nil || !ok || kind < kindSoftware || kind > kindAccess {
		return "" // not a kind the stub knows
	}
	if kind >= kindWrite && (n == 0 || n > maxWatchLen) {
		return "E22" // EINVAL
	}
	var w *watch
	if insert && kind >= kindWrite {
		w = &watch{kind: kind, addr: addr, len: n}
		s.onMachine(func() { w.changed(s.t) }) // the value it starts from
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case kind <= kindHardware && insert:
		s.bps[addr] = kind
	case kind <= kindHardware:
		delete(s.bps, addr)
	case insert:
		s.watches = append(s.watches, w)
	default:
		for i, w := range s.watches {
			if w.kind == kind && w.addr == addr && w.len == n {
				s.watches = append(s.watches[:i], s.watches[i+1:]...)
				break
			}
		}
	}
	s.rearm()
	return "OK"
}

// resume continues or steps the machine, from addr if given (a new EIP).
func (ss *session) resume(step bool, args string) bool {
	s := ss.s
	if args != "" {
		addr, err := strconv.ParseUint(args, 16, 32)
		if err != nil {
			ss.w.send("E00")
			return true
		}
		s.onMachine(func() {
			st := *s.t.State()
			st.EIP = uint32(addr)
			s.t.SetState(&st)
		})
	}
	var at uint32
	s.onMachine(func() { at = pc(s.t.State()) })
	s.mu.Lock()
	s.stepping = step
	s.skip, s.skipPC = true, at // do not stop again where it stands
	s.rearm()
	s.mu.Unlock()
	ss.waiting = true
	s.resumeMachine()
	return true
}

// vCont handles vCont;ACTION[:THREAD][;ACTION...]: with one thread, a
// step anywhere in the list steps, else a continue continues.
func (ss *session) vCont(args string) bool {
	step, cont := false, false
	for _, a := range strings.Split(args, ";") {
		act, _, _ := strings.Cut(a, ":")
		switch {
		case act == "s" || strings.HasPrefix(act, "S"):
			step = true
		case act == "c" || strings.HasPrefix(act, "C"):
			cont = true
		}
	}
	if !step && !cont {
		ss.w.send("E00")
		return true
	}
	return ss.resume(step, "")
}
