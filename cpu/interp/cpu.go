package interp

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"ringzero/cpu"
	"ringzero/cpu/decode"
	"ringzero/mmu"
)

// CPU is the reference interpreter engine. It implements cpu.Engine.
type CPU struct {
	s     cpu.State
	env   cpu.Env
	model cpu.Model

	// addrMask is the width of the physical address bus: 20 bits on the
	// 8086/186, 24 on the 286, 32 on the 386+.
	addrMask uint32

	// Per-instruction context: cur points at the decoded instruction,
	// in the instruction cache or in inst (slow path).
	cur      *decode.Inst
	inst     decode.Inst
	icache   *[icacheSize]icacheEntry
	startEIP uint32 // EIP of the current instruction's first byte
	// remaining counts the cycles left in the current slice; REP string
	// loops spend it per iteration.
	remaining uint64

	fetchBuf [64]byte

	// Host-page caches (see mem.go): page numbers and pages of the last
	// data read, data write and code fetch, valid for map generation
	// seenGen of gen (nil: the bus is not versioned, no caching).
	gen                    *atomic.Uint64
	seenGen                uint64
	rdNum, wrNum, codeNum  uint32
	rdPage, wrPage, codePg []byte
	stats                  cpu.Stats

	// repRestart is set when a REP string instruction stopped between
	// iterations with EIP at its first byte.
	repRestart bool
	// events asks for the instruction-boundary checks (interrupts, stop
	// requests, HLT, map changes) before the next instruction. It is set
	// by anything that can change their outcome: port and MMIO accesses,
	// flag and mode changes, a new slice.
	events bool

	// repLast is F2 or F3, whichever REP prefix came last.
	repLast uint8
	// strFaultDec is how far a fault in the current 286 REP string
	// iteration lowers CX (it depends on which access faulted).
	strFaultDec int

	tscOffset uint64    // TSC = virtual cycles + tscOffset (WRMSR 10h moves it)
	sliceBase uint64    // s.Cycles when the running slice began (the clock has the cycles before it)
	sysenter  [3]uint32 // SYSENTER_CS, _ESP, _EIP MSRs

	inNMI bool // an NMI handler runs: further NMIs wait for IRET

	// lastEA is the last effective address computed: the 8086 reuses it
	// for LEA, LES, LDS and far CALL/JMP given a register operand.
	lastEA uint32

	// Armed debug-register breakpoints (see debugreg.go) and the data or
	// I/O breakpoints the current instruction hit.
	execBP, dataBP, ioBP bool
	pendingDB            uint32

	tlb *mmu.TLB // paging: translations and their host pages
	// taskTrap is set by a task switch into a TSS with the T bit: the
	// debug trap is taken after the instruction.
	taskTrap bool
	// ssLoaded is set by MOV SS and POP SS for the instruction that did
	// it (debug traps wait for the next one).
	ssLoaded bool
	// supervisor makes data accesses supervisor accesses whatever CS says:
	// set while a privilege change pushes onto the inner stack, before CS
	// has changed.
	supervisor bool
	paging     bool // CR0.PG (386+)

	history [historyLen]Event // recent exceptions, a ring
	histPos int
}

// New returns an interp engine for model m in environment env, reset to
// the model's power-on state.
func New(m cpu.Model, env cpu.Env) *CPU {
	c := &CPU{env: env, model: m, icache: new([icacheSize]icacheEntry), tlb: mmu.New(env.Bus)}
	c.cur = &c.inst
	c.rdNum, c.wrNum, c.codeNum = noPage, noPage, noPage
	if v, ok := env.Bus.(cpu.MapVersioner); ok {
		c.gen = v.MapGeneration()
		c.seenGen = c.gen.Load()
	}
	switch {
	case m < cpu.Model286:
		c.addrMask = 0xFFFFF
	case m == cpu.Model286:
		c.addrMask = 0xFFFFFF
	default:
		c.addrMask = 0xFFFFFFFF
	}
	c.s.Reset(m)
	c.updatePaging()
	c.stats.Counters = map[string]uint64{}
	return c
}

// Name implements cpu.Engine.
func (c *CPU) Name() string { return "interp" }

// Model returns the CPU model the engine emulates.
func (c *CPU) Model() cpu.Model { return c.model }

// State implements cpu.Engine: the live state.
func (c *CPU) State() *cpu.State { return &c.s }

// SetState implements cpu.Engine.
func (c *CPU) SetState(s *cpu.State) error {
	c.s = *s
	c.updatePaging()
	c.tlb.FlushAllGlobal()
	c.updateBreakpoints()
	c.events = true
	return nil
}

// Stats implements cpu.Engine.
func (c *CPU) Stats() cpu.Stats {
	st := c.stats
	st.Instructions = c.s.Cycles
	st.Counters = make(map[string]uint64, len(c.stats.Counters))
	for k, v := range c.stats.Counters {
		st.Counters[k] = v
	}
	return st
}

// Reset puts the CPU into its power-on state.
func (c *CPU) Reset() {
	c.s.Reset(c.model)
	c.updatePaging()
	c.tlb.FlushAllGlobal()
	c.updateBreakpoints()
	c.inNMI, c.pendingDB = false, 0
	c.events = true
	c.sliceBase = c.s.Cycles // the state's count restarted at 0
	c.setTSC(0)              // RESET clears the time-stamp counter
}

// fault is the private panic value that unwinds a faulting instruction; it
// is always recovered at the instruction boundary in runSlice and never
// leaves this package.
type fault struct{ e cpu.Exception }

// raise aborts the current instruction with a guest exception.
func (c *CPU) raise(vec uint8) { panic(fault{cpu.Exception{Vector: vec}}) }

// raiseCode aborts the current instruction with an exception that pushes
// an error code.
func (c *CPU) raiseCode(vec uint8, code uint32) {
	panic(fault{cpu.Exception{Vector: vec, Code: code, HasCode: true}})
}

// slice budget between context checks.
const sliceMax = 1 << 16

// Run implements cpu.Engine.
func (c *CPU) Run(ctx context.Context, budget uint64) (exit cpu.Exit, err error) {
	start := c.s.Cycles
	defer func() { exit.Cycles = c.s.Cycles - start }()
	for {
		if err := ctx.Err(); err != nil {
			return cpu.Exit{Reason: cpu.ExitCanceled}, nil
		}
		used := c.s.Cycles - start
		if used >= budget {
			return cpu.Exit{Reason: cpu.ExitBudget}, nil
		}
		n := budget - used
		if n > sliceMax {
			n = sliceMax
		}
		if c.env.Clock != nil {
			if d := c.env.Clock.NextDeadline(); d < n {
				n = d
			}
		}
		c.sliceBase = c.s.Cycles
		reason, err := c.runSlice(n)
		c.syncClock()
		if err != nil {
			return cpu.Exit{Reason: cpu.ExitNone}, err
		}
		if reason != cpu.ExitNone {
			return cpu.Exit{Reason: reason}, nil
		}
	}
}

// runSlice executes up to n cycles. Guest exceptions are recovered here
// and delivered; any other panic is a bug in the emulator and becomes a
// host error instead of crashing the process.
func (c *CPU) runSlice(n uint64) (reason cpu.ExitReason, err error) {
	c.remaining = n
	for {
		reason, err = c.protectedSteps()
		if err != nil || reason != cpu.ExitNone || c.remaining == 0 {
			return reason, err
		}
	}
}

// protectedSteps runs instructions until the slice ends or an exception
// unwinds one; in the latter case it delivers the exception and returns so
// the caller re-enters.
func (c *CPU) protectedSteps() (reason cpu.ExitReason, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fault)
			if !ok {
				err = fmt.Errorf("interp: internal error at %04x:%08x: %v\n%s", c.s.Seg[cpu.CS].Selector, c.startEIP, r, debug.Stack())
				return
			}
			reason = c.exception(f.e)
		}
	}()
	c.events = true
	for c.remaining > 0 {
		if c.events {
			if reason, done := c.boundary(); done {
				return reason, nil
			}
		}
		c.step()
	}
	return cpu.ExitNone, nil
}

// boundary does the instruction-boundary work that only matters after
// something happened (c.events): a device access, a flag or mode change,
// a new slice. It takes a stop request, an NMI or an interrupt, keeps the
// one-instruction interrupt shadow, and reports HLT.
func (c *CPU) boundary() (cpu.ExitReason, bool) {
	c.events = false
	c.syncPages()
	if c.env.Stop != nil && c.env.Stop.Pending() {
		c.events = true
		return c.env.Stop.Take(), true
	}
	if c.s.IRQShadow {
		// Interrupts wait one more instruction; look again after it.
		c.s.IRQShadow = false
		c.events = true
	} else if c.env.NMI != nil && c.env.NMI.Load() && !c.inNMI {
		c.env.NMI.Store(false)
		c.takeInterrupt(cpu.VecNMI)
	} else if c.s.EFlags&cpu.FlagIF != 0 && c.env.Intr != nil && c.env.Intr.Pending() {
		c.takeInterrupt(c.env.Intr.Ack())
	}
	if c.s.Halted {
		c.events = true
		return cpu.ExitHalt, true
	}
	return cpu.ExitNone, false
}

// takeInterrupt delivers an external interrupt (or NMI) at an instruction
// boundary. An 8086 interrupted inside a REP string instruction returns to
// its last prefix byte, dropping earlier prefixes as the hardware does.
func (c *CPU) takeInterrupt(vec uint8) {
	c.s.Halted = false
	c.stats.Interrupts++
	c.startEIP = c.s.EIP
	ret := c.s.EIP
	if c.repRestart && c.model < cpu.Model286 {
		ret = (ret + uint32(c.cur.LastPrefix)) & 0xFFFF
	}
	c.repRestart = false
	if vec == cpu.VecNMI && c.env.NMI != nil {
		c.inNMI = true
	}
	c.trace(cpu.KindHardware, cpu.Exception{Vector: vec}, ret)
	c.interrupt(vec, false, ret)
}

// step fetches, decodes and executes one instruction (or a batch of REP
// iterations), retiring at least one cycle.
func (c *CPU) step() {
	c.startEIP = c.s.EIP
	c.ssLoaded = false
	if c.execBP {
		c.checkExecBP()
	}
	c.repRestart = false
	c.fetchDecode()
	c.remaining--
	c.s.Cycles++
	in := c.cur
	next := c.s.EIP + uint32(in.Len)
	if !c.code32() {
		next &= 0xFFFF
	}
	c.s.EIP = next
	if in.Prefixes&decode.PfxLock != 0 && c.model >= cpu.Model386 &&
		(in.Op.Info().Flags&decode.FlagLock == 0 || !in.HasMem) {
		// The 386 and later reject LOCK on anything but a read-modify-
		// write instruction with a memory destination.
		c.raise(cpu.VecUD)
	}
	tf := c.s.EFlags&cpu.FlagTF != 0
	rf := c.s.EFlags&cpu.FlagRF != 0
	handlers[in.Op](c, in)
	if rf && in.Op != decode.IRET {
		c.s.EFlags &^= cpu.FlagRF // RF lasts one instruction
	}
	if c.taskTrap {
		c.taskTrap = false
		c.stats.Exceptions[cpu.VecDB]++
		c.record(cpu.Exception{Vector: cpu.VecDB})
		c.interrupt(cpu.VecDB, false, c.s.EIP)
		return
	}
	if c.pendingDB != 0 {
		if tf {
			c.s.DR[6] |= 1 << 14
		}
		c.dataTrap()
		return
	}
	if tf && !c.ssLoaded {
		// MOV SS and POP SS hold the single-step trap back for one
		// instruction (SDM Vol. 3, 6.8.3): the next one, still with TF,
		// takes it.
		c.singleStep(in)
	}
}

// singleStep takes the single-step trap (#DB, DR6.BS) after an instruction
// that started with TF set. Software interrupts clear TF on the way into
// their handler and take no trap.
func (c *CPU) singleStep(in *decode.Inst) {
	switch in.Op {
	case decode.INT_Ib, decode.INT3, decode.INTO, decode.INT1:
		return
	}
	if c.model >= cpu.Model386 {
		c.s.DR[6] |= 1 << 14
	}
	c.stats.Exceptions[cpu.VecDB]++
	c.record(cpu.Exception{Vector: cpu.VecDB})
	c.interrupt(cpu.VecDB, false, c.s.EIP)
}

// code32 reports a 32-bit code segment (CS.D in protected mode).
func (c *CPU) code32() bool {
	return c.model >= cpu.Model386 && c.protectedMode() && c.s.Seg[cpu.CS].Attr&cpu.AttrDB != 0
}

// icacheSize is the number of entries of the decoded-instruction cache
// (direct mapped by physical address).
const icacheSize = 4096

// icacheEntry is one decoded instruction with the bytes it was decoded
// from; a hit compares the bytes again, so code that modifies itself (by
// CPU stores, DMA or anything else) is always decoded afresh.
type icacheEntry struct {
	phys   uint32
	mode   uint8  // 0: empty; 1: 16-bit code; 2: 32-bit code
	lo, hi uint64 // the bytes at phys and phys+7, little-endian
	inst   decode.Inst
}

// lenMask[n] keeps the low n bytes of a 64-bit word.
var lenMask = func() (m [9]uint64) {
	for n := 1; n < 8; n++ {
		m[n] = 1<<(8*n) - 1
	}
	m[8] = ^uint64(0)
	return
}()

// matches reports whether the instruction bytes at b are still the ones
// the entry was decoded from (b holds at least 15 bytes).
func (e *icacheEntry) matches(b []byte) bool {
	n := int(e.inst.Len)
	lo := binary.LittleEndian.Uint64(b)
	if n <= 8 {
		return (lo^e.lo)&lenMask[n] == 0
	}
	hi := binary.LittleEndian.Uint64(b[7:])
	return lo == e.lo && (hi^e.hi)&lenMask[n-7] == 0
}

// fetchDecode decodes the instruction at CS:EIP and points c.cur at it.
func (c *CPU) fetchDecode() {
	cs := &c.s.Seg[cpu.CS]
	code32 := c.code32()
	mode := decode.Mode{Model: c.model, Code32: code32}
	eip := c.s.EIP
	// Fast path: the bytes lie in one RAM page and inside the segment.
	lin := cs.Base + eip
	off := lin & 0xFFF
	limitOK := uint64(eip)+15 <= uint64(cs.Limit)
	if c.model < cpu.Model286 {
		limitOK = eip+15 <= 0xFFFF
	}
	if off <= 0x1000-15 && limitOK {
		var phys uint32
		var page []byte
		if c.paging {
			a := mmu.Exec
			if c.cpl() == 3 {
				a |= mmu.User
			}
			p, host, f := c.tlb.TranslateHost(lin, a)
			if f != nil {
				c.pageFault(f)
			}
			phys = p
			if host != nil {
				page = host[:]
			}
		} else {
			phys = lin & c.addrMask
			if phys>>12 != c.codeNum || c.gen == nil {
				c.codePg = c.env.Bus.RAMPage(phys&^0xFFF, false)
				c.codeNum = phys >> 12
			}
			page = c.codePg
		}
		if page != nil {
			key := uint8(1)
			if code32 {
				key = 2
			}
			e := &c.icache[(phys^phys>>12)&(icacheSize-1)]
			if e.phys == phys && e.mode == key && e.matches(page[off:off+15]) {
				c.cur = &e.inst
				return
			}
			err := decode.DecodeInto(&e.inst, page[off:off+15], mode)
			if err == nil {
				e.phys, e.mode = phys, key
				e.lo = binary.LittleEndian.Uint64(page[off:])
				e.hi = binary.LittleEndian.Uint64(page[off+7:])
				c.cur = &e.inst
				return
			}
			e.mode = 0
			if err == decode.ErrTooLong {
				c.raiseCode(cpu.VecGP, 0)
			}
		}
	}
	c.cur = &c.inst
	// Slow path: byte by byte as decoding needs them, with 16-bit IP wrap
	// on the 8086/186, segment-limit checks on the 286+, and a page fault
	// only for a page the instruction really reaches.
	n := 15
	if c.model < cpu.Model286 {
		n = len(c.fetchBuf)
	}
	got := 0
	for {
		err := decode.DecodeInto(&c.inst, c.fetchBuf[:got], mode)
		if err == nil {
			return
		}
		if err == decode.ErrTruncated && got < n {
			off := eip + uint32(got)
			if c.model < cpu.Model286 {
				off &= 0xFFFF
			} else if off > cs.Limit || off < eip {
				c.raiseCode(cpu.VecGP, 0) // runs into the segment limit
			}
			c.fetchBuf[got] = c.fetchByte(cs.Base + off)
			got++
			continue
		}
		if c.model < cpu.Model286 {
			// The 8086/186 have no length limit: a run of more
			// prefixes than the fetch buffer holds is consumed as it
			// goes (the prefixes' effect is lost, as it is when an
			// interrupt splits them).
			c.inst = decode.Inst{Op: decode.NOP, Len: uint8(got), OpSize: 2, AdSize: 2}
			return
		}
		c.raiseCode(cpu.VecGP, 0) // too long
	}
}

// fetchByte reads one code byte at a linear address.
func (c *CPU) fetchByte(lin uint32) byte {
	if !c.paging {
		return byte(c.env.Bus.Read(lin&c.addrMask, 1))
	}
	a := mmu.Exec
	if c.cpl() == 3 {
		a |= mmu.User
	}
	return byte(c.readPaged(lin, 1, a))
}

// protectedMode reports CR0.PE (never on the 8086/186).
func (c *CPU) protectedMode() bool { return c.s.CR[0]&cpu.CR0PE != 0 }
