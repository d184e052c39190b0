//go:build linux && amd64

package kvm

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
)

// Guest-physical pages KVM needs on Intel hosts to run real mode and
// unpaged protected mode (a TSS and an identity page table); QEMU's
// addresses, just below the BIOS, outside any RAM we map (3.5 GiB at most).
const (
	tssAddr         = 0xFEFFD000 // three pages
	identityMapAddr = 0xFEFFC000 // one page
)

// maxKick bounds the time between exits even with no device deadline, so
// stop requests made from other goroutines are seen.
const maxKick = 20 * time.Millisecond

// windowPoll bounds the wait for an interrupt window. Hardware KVM exits
// as soon as the guest can take the interrupt; hosts that emulate the
// guest (kvm_pvm) notice the window only at the next exit, so without
// this a guest that enables interrupts and computes would wait up to
// maxKick.
const windowPoll = time.Millisecond

// Engine runs guest code under KVM. It implements cpu.Engine; it is not
// safe for concurrent use, and Close releases it.
type Engine struct {
	model cpu.Model
	env   cpu.Env
	hz    uint64

	sys  *kvmapi.System
	vm   *kvmapi.VM
	vcpu *kvmapi.VCPU
	run  *kvmapi.Run
	kick *kicker

	readonlyMem, hasEvents, hasDebugRegs bool

	mem memory

	// state caches the vCPU's state between Run calls (valid when
	// synced); fetched is the copy it was read as, so changes made through
	// the pointer State returns are noticed and written back.
	state, fetched cpu.State
	synced         bool
	// kept holds the State fields KVM has no place for.
	kept struct {
		cr1, dr4, dr5 uint32
		msw286        uint16
	}
	// halted is set by a HLT exit. Without the in-kernel LAPIC, KVM
	// leaves the vCPU runnable and refuses KVM_SET_MP_STATE(HALTED)
	// (EINVAL), so cpu.State.Halted lives here.
	halted bool
	ready  bool // kvm_run.ready_for_interrupt_injection
	ifFlag bool // kvm_run.if_flag
	// settle is set after an I/O or MMIO exit: KVM finishes the
	// instruction on the next KVM_RUN, which must happen before the
	// state is read or replaced.
	settle bool
	cycles uint64 // virtual cycles run (cpu.State.Cycles)
	rem    uint64 // remainder of the host ns → cycles conversion
	err    error  // a failure in State, reported by the next Run

	notes []string
	st    stats

	cleanup    runtime.Cleanup // releases handles if Close is never called
	hasCleanup bool
}

// New creates a VM with one vCPU for model m in env. The vCPU starts in
// m's reset state. See Config for memory and the clock rate; Close
// releases the VM. Errors wrap ErrUnavailable when the host cannot run
// VMs at all.
func New(m cpu.Model, env cpu.Env, cfg Config) (_ *Engine, err error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if env.Bus == nil {
		return nil, errors.New("kvm: env.Bus is nil")
	}
	dev := cfg.Device
	if dev == "" {
		dev = DefaultDevice
	}
	e := &Engine{model: m, env: env, hz: clockHz(cfg.Hz, env.Clock)}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if e.sys, err = kvmapi.Open(dev); err != nil {
		return nil, fmt.Errorf("%w: open %s: %v", ErrUnavailable, dev, err)
	}
	if v, err := e.sys.APIVersion(); err != nil || v != kvmapi.APIVersion {
		return nil, fmt.Errorf("%w: %s: API version %d (%v), want %d", ErrUnavailable, dev, v, err, kvmapi.APIVersion)
	}
	has := func(c int) bool { n, err := e.sys.CheckExtension(c); return err == nil && n > 0 }
	if !has(kvmapi.CapUserMemory) || !has(kvmapi.CapImmediateExit) {
		return nil, fmt.Errorf("%w: %s lacks KVM_CAP_USER_MEMORY or KVM_CAP_IMMEDIATE_EXIT", ErrUnavailable, dev)
	}
	e.readonlyMem = has(kvmapi.CapReadonlyMem)
	e.hasEvents = has(kvmapi.CapVCPUEvents)
	e.hasDebugRegs = has(kvmapi.CapDebugRegs)
	if e.vm, err = e.sys.CreateVM(); err != nil {
		return nil, fmt.Errorf("%w: KVM_CREATE_VM: %v", ErrUnavailable, err)
	}
	if has(kvmapi.CapSetTSSAddr) {
		if err := e.vm.SetTSSAddr(tssAddr); err != nil {
			return nil, fmt.Errorf("kvm: KVM_SET_TSS_ADDR: %w", err)
		}
	}
	if has(kvmapi.CapSetIdentityMapAddr) {
		if err := e.vm.SetIdentityMapAddr(identityMapAddr); err != nil {
			return nil, fmt.Errorf("kvm: KVM_SET_IDENTITY_MAP_ADDR: %w", err)
		}
	}
	size, err := e.sys.VCPUMmapSize()
	if err != nil {
		return nil, fmt.Errorf("kvm: KVM_GET_VCPU_MMAP_SIZE: %w", err)
	}
	if e.vcpu, err = e.vm.CreateVCPU(0, size); err != nil {
		return nil, fmt.Errorf("kvm: KVM_CREATE_VCPU: %w", err)
	}
	e.run = e.vcpu.Shared()
	supported, err := e.sys.SupportedCPUID()
	if err != nil {
		return nil, fmt.Errorf("kvm: KVM_GET_SUPPORTED_CPUID: %w", err)
	}
	table, missing := cpuidTable(m, supported)
	if len(missing) > 0 {
		e.notes = append(e.notes, fmt.Sprintf("kvm: the host cannot give the guest CPUID %v; they are left out", missing))
	}
	if err := e.vcpu.SetCPUID2(table); err != nil {
		return nil, fmt.Errorf("kvm: KVM_SET_CPUID2: %w", err)
	}
	if got, err := e.vcpu.GetCPUID2(); err == nil {
		if changed := cpuidChanged(table, got); len(changed) > 0 {
			e.notes = append(e.notes, fmt.Sprintf("kvm: the host overrides the guest's CPUID: %v", changed))
		}
	}
	if !e.readonlyMem {
		e.notes = append(e.notes, "kvm: no KVM_CAP_READONLY_MEM: ROM is mapped writable")
	}
	if err := e.mem.init(e, cfg.Memory); err != nil {
		return nil, err
	}
	if e.kick, err = newKicker(e.run); err != nil {
		return nil, fmt.Errorf("kvm: timerfd: %w", err)
	}
	e.st.init()
	e.Reset()
	if e.err != nil {
		return nil, e.err
	}
	// An engine dropped without Close still gives back its descriptors,
	// mappings and kicker goroutine.
	e.cleanup = runtime.AddCleanup(e, func(h handles) { h.close() }, e.handles())
	e.hasCleanup = true
	return e, nil
}

// handles are the engine's kernel resources, apart from the Engine so a
// cleanup can release them.
type handles struct {
	sys  *kvmapi.System
	vm   *kvmapi.VM
	vcpu *kvmapi.VCPU
	kick *kicker
}

func (e *Engine) handles() handles { return handles{e.sys, e.vm, e.vcpu, e.kick} }

func (h handles) close() error {
	var errs []error
	if h.kick != nil {
		errs = append(errs, h.kick.close())
	}
	if h.vcpu != nil {
		errs = append(errs, h.vcpu.Close())
	}
	if h.vm != nil {
		errs = append(errs, h.vm.Close())
	}
	if h.sys != nil {
		errs = append(errs, h.sys.Close())
	}
	return errors.Join(errs...)
}

// Close releases the vCPU, the VM and the kicker. The engine cannot be
// used afterwards.
func (e *Engine) Close() error {
	if e.hasCleanup {
		e.cleanup.Stop()
		e.hasCleanup = false
	}
	err := e.handles().close()
	e.sys, e.vm, e.vcpu, e.run, e.kick = nil, nil, nil, nil, nil
	return err
}

// Name implements cpu.Engine.
func (e *Engine) Name() string { return "kvm" }

// Model returns the CPU model the engine presents.
func (e *Engine) Model() cpu.Model { return e.model }

// Notes are the one-time remarks New made about this host (CPUID
// features it lacks, writable ROM...), for the board to print once.
func (e *Engine) Notes() []string { return append([]string(nil), e.notes...) }

// Reset puts the vCPU in the model's power-on state.
func (e *Engine) Reset() {
	var s cpu.State
	s.Reset(e.model)
	if err := e.SetState(&s); err != nil {
		e.err = err
	}
}

// Run implements cpu.Engine: it runs the vCPU until budget cycles of
// host time have passed, HLT with nothing to wake it, a triple fault, a
// stop request, or ctx is done.
func (e *Engine) Run(ctx context.Context, budget uint64) (exit cpu.Exit, err error) {
	if e.vcpu == nil {
		return cpu.Exit{}, errors.New("kvm: engine is closed")
	}
	if e.err != nil {
		err, e.err = e.err, nil
		return cpu.Exit{}, err
	}
	if e.synced && e.state != e.fetched {
		// The caller edited the state through State's pointer.
		if err := e.SetState(&e.state); err != nil {
			return cpu.Exit{}, err
		}
	}
	e.synced = false
	start := e.cycles
	defer func() { exit.Cycles = e.cycles - start }()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	e.kick.enter()
	defer func() {
		if lerr := e.kick.leave(); lerr != nil && err == nil {
			err = fmt.Errorf("kvm: timerfd: %w", lerr)
		}
	}()
	stop := context.AfterFunc(ctx, e.kick.kick)
	defer stop()

	last := time.Now()
	for {
		if ctx.Err() != nil {
			return cpu.Exit{Reason: cpu.ExitCanceled}, nil
		}
		if e.env.Stop != nil && e.env.Stop.Pending() {
			return cpu.Exit{Reason: e.env.Stop.Take()}, nil
		}
		used := e.cycles - start
		if used >= budget {
			return cpu.Exit{Reason: cpu.ExitBudget}, nil
		}
		if halt, err := e.events(); err != nil || halt {
			return cpu.Exit{Reason: cpu.ExitHalt}, err
		}
		if err := e.mem.sync(e); err != nil {
			return cpu.Exit{}, err
		}

		// Kick the vCPU out at the budget's end or the clock's next
		// deadline, whichever comes first.
		n := budget - used
		if e.env.Clock != nil {
			n = min(n, e.env.Clock.NextDeadline())
		}
		d := e.duration(n)
		if e.run.RequestInterruptWindow != 0 {
			d = min(d, windowPoll)
		}
		if err := e.kick.arm(last, last.Add(d)); err != nil {
			return cpu.Exit{}, fmt.Errorf("kvm: timerfd: %w", err)
		}

		t0 := time.Now()
		rerr := e.vcpu.Run()
		t1 := time.Now()
		e.kick.exited()
		e.settle = false
		e.advance(t1.Sub(last))
		last = t1
		reason := e.run.ExitReason
		if errors.Is(rerr, unix.EINTR) {
			reason = kvmapi.ExitIntr
		} else if rerr != nil {
			return cpu.Exit{}, fmt.Errorf("kvm: KVM_RUN: %w", rerr)
		}
		e.ready = e.run.ReadyForInterruptInjection != 0
		e.ifFlag = e.run.IFFlag != 0

		r, err := e.exit(reason)
		t2 := time.Now()
		e.st.exit(reason, t1.Sub(t0), t2.Sub(t1))
		if err != nil || r != cpu.ExitNone {
			return cpu.Exit{Reason: r}, err
		}
	}
}

// events does the instruction-boundary work before entering the guest:
// NMI, the interrupt from env.Intr, and HLT. It reports true when the
// vCPU is halted with nothing to wake it.
func (e *Engine) events() (halted bool, err error) {
	if e.env.NMI != nil && e.env.NMI.Swap(false) {
		if err := e.vcpu.NMI(); err != nil {
			return false, fmt.Errorf("kvm: KVM_NMI: %w", err)
		}
		e.halted = false
	}
	pending := e.env.Intr != nil && e.env.Intr.Pending()
	if e.halted && !(pending && e.ifFlag) {
		return true, nil
	}
	e.run.RequestInterruptWindow = 0
	if !pending {
		return false, nil
	}
	// A halted vCPU is past its HLT with IF set: nothing else blocks the
	// interrupt, and KVM holds a queued vector until it is allowed.
	if e.ready || e.halted {
		vec := e.env.Intr.Ack()
		if err := e.vcpu.Interrupt(uint32(vec)); err != nil {
			return false, fmt.Errorf("kvm: KVM_INTERRUPT %#x: %w", vec, err)
		}
		e.st.injected++
		e.halted, e.ready = false, false
		return false, nil
	}
	e.run.RequestInterruptWindow = 1
	return false, nil
}

// exit handles one KVM exit; ExitNone means enter the guest again.
func (e *Engine) exit(reason uint32) (cpu.ExitReason, error) {
	switch reason {
	case kvmapi.ExitIO:
		e.settle = true
		if err := e.portIO(); err != nil {
			return cpu.ExitNone, err
		}
	case kvmapi.ExitMMIO:
		e.settle = true
		e.mmio()
	case kvmapi.ExitIRQWindowOpen, kvmapi.ExitIntr:
	case kvmapi.ExitHLT:
		// RIP is past the HLT. events() returns ExitHalt unless an
		// interrupt can be taken right away, as the interpreter does.
		e.halted = true
	case kvmapi.ExitShutdown:
		var sr kvmapi.Sregs
		if e.vcpu.GetSregs(&sr) == nil && sr.CR0&uint64(cpu.CR0PG) != 0 && !Probe().Paging {
			return cpu.ExitNone, fmt.Errorf("%w (CR0=%#x, CR3=%#x)", ErrPaging, sr.CR0, sr.CR3)
		}
		return cpu.ExitTripleFault, nil
	case kvmapi.ExitSystemEvent:
		switch e.run.SystemEvent().Type {
		case kvmapi.SystemEventReset:
			return cpu.ExitReset, nil
		case kvmapi.SystemEventShutdown:
			return cpu.ExitPowerOff, nil
		}
		return cpu.ExitNone, fmt.Errorf("kvm: system event %d", e.run.SystemEvent().Type)
	case kvmapi.ExitInternalError:
		in := e.run.Internal()
		err := fmt.Errorf("kvm: internal error %d (%s) at %s, data %x",
			in.Suberror, internalName(in.Suberror), e.where(), in.Data[:min(in.NData, 16)])
		if p := Probe(); in.Suberror == kvmapi.InternalEmulation && (!p.ProtectedInterrupts || !p.X87) {
			err = fmt.Errorf("%w; this host runs real and unpaged protected mode through KVM's instruction emulator, which has no x87 and no interrupts, exceptions or IRET in protected mode", err)
		}
		return cpu.ExitNone, err
	case kvmapi.ExitFailEntry:
		return cpu.ExitNone, fmt.Errorf("kvm: VM entry failed, hardware reason %#x, at %s",
			e.run.FailEntry().HardwareEntryFailureReason, e.where())
	case kvmapi.ExitException:
		ex := e.run.Ex()
		return cpu.ExitNone, fmt.Errorf("kvm: unexpected exception exit %s at %s",
			cpu.Exception{Vector: uint8(ex.Exception), Code: ex.ErrorCode}, e.where())
	default:
		return cpu.ExitNone, fmt.Errorf("kvm: unexpected exit %s at %s", exitName(reason), e.where())
	}
	if e.env.Stop != nil && e.env.Stop.Pending() {
		return e.env.Stop.Take(), nil
	}
	return cpu.ExitNone, nil
}

// where is CS:EIP for error messages.
func (e *Engine) where() string {
	var r kvmapi.Regs
	var sr kvmapi.Sregs
	if e.vcpu.GetRegs(&r) != nil || e.vcpu.GetSregs(&sr) != nil {
		return "?"
	}
	return fmt.Sprintf("%04x:%08x (CR0=%#x)", sr.CS.Selector, r.RIP, sr.CR0)
}

func internalName(sub uint32) string {
	switch sub {
	case kvmapi.InternalEmulation:
		return "emulation failed: code in MMIO or an instruction KVM cannot emulate"
	case kvmapi.InternalSimulEx:
		return "exception while delivering an exception"
	case kvmapi.InternalDeliveryEv:
		return "event delivery failed"
	}
	return "?"
}

// portIO serves KVM_EXIT_IO on the bus: Count items of Size bytes each
// (string I/O moves up to a page at once).
func (e *Engine) portIO() error {
	io := e.run.IO()
	size, n := int(io.Size), int(io.Count)
	if size != 1 && size != 2 && size != 4 {
		return fmt.Errorf("kvm: port I/O of size %d", size)
	}
	data := e.vcpu.Data(io.DataOffset, size*n)
	if data == nil {
		return fmt.Errorf("kvm: port I/O data %#x+%d outside kvm_run", io.DataOffset, size*n)
	}
	bus := e.env.Bus
	for i := 0; i < n; i++ {
		b := data[i*size : i*size+size]
		if io.Direction == kvmapi.ExitIOOut {
			bus.Out(io.Port, size, getLE(b))
		} else {
			putLE(b, bus.In(io.Port, size))
		}
	}
	e.st.ioItems += uint64(n)
	return nil
}

// mmio serves KVM_EXIT_MMIO on the bus in accesses of 4, 2 and 1 bytes
// (an 8-byte access is two 4-byte ones, low half first).
func (e *Engine) mmio() {
	m := e.run.MMIO()
	addr, n := uint32(m.PhysAddr), int(min(m.Len, 8))
	bus := e.env.Bus
	for off := 0; off < n; {
		sz := 4
		for sz > n-off {
			sz /= 2
		}
		b := m.Data[off : off+sz]
		if m.IsWrite != 0 {
			bus.Write(addr+uint32(off), sz, getLE(b))
		} else {
			putLE(b, bus.Read(addr+uint32(off), sz))
		}
		off += sz
	}
}

func getLE(b []byte) uint32 {
	var v uint32
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint32(b[i])
	}
	return v
}

func putLE(b []byte, v uint32) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

// advance moves virtual time by host time d: cycles at e.hz, carrying
// the remainder so no time is lost between exits.
func (e *Engine) advance(d time.Duration) {
	if d <= 0 {
		return
	}
	hi, lo := bits.Mul64(uint64(d), e.hz)
	lo, c := bits.Add64(lo, e.rem, 0)
	hi += c
	if hi >= 1e9 {
		hi = 1e9 - 1 // over 500 years; keep Div64 from panicking
	}
	n, rem := bits.Div64(hi, lo, 1e9)
	e.rem = rem
	e.cycles += n
	if e.env.Clock != nil && n > 0 {
		e.env.Clock.Advance(n)
	}
}

// duration is the host time n cycles take, rounded up, at most maxKick.
func (e *Engine) duration(n uint64) time.Duration {
	if n >= uint64(maxKick)*e.hz/1e9 {
		return maxKick
	}
	return time.Duration((n*1e9 + e.hz - 1) / e.hz)
}

// Stats implements cpu.Engine. Instructions stays 0: KVM does not count
// them. Counters hold exits by reason with the host time spent in
// KVM_RUN before them and in Go handling them, and more (see stats).
func (e *Engine) Stats() cpu.Stats {
	s := cpu.Stats{Interrupts: e.st.injected, Counters: e.st.counters()}
	s.Counters["cycles"] = e.cycles
	if e.kick != nil {
		e.kick.mu.Lock()
		s.Counters["kicks"] = e.kick.kicks
		e.kick.mu.Unlock()
	}
	s.Counters["memslots"] = uint64(len(e.mem.slots))
	s.Counters["mem-unaligned"] = uint64(e.mem.unaligned)
	return s
}
