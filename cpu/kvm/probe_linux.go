//go:build linux && amd64

package kvm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
)

var (
	probeOnce sync.Once
	probed    *Info
)

// Probe reports whether /dev/kvm exists, opens and speaks API 12, which
// capabilities it has, and what it really runs, by running tiny guests:
// real mode, x87 arithmetic, unpaged protected mode with and without an
// INT/IRETD round trip, and 32-bit paging, each writing a port and
// halting. It also times a port-I/O
// exit round trip. The answer is computed once per process.
func Probe() *Info {
	probeOnce.Do(func() { probed = probe(DefaultDevice) })
	return probed
}

func probe(dev string) *Info {
	info := &Info{Device: dev}
	if _, err := os.Stat(dev); err != nil {
		info.Err = fmt.Errorf("%w: %v", ErrUnavailable, err)
		return info
	}
	info.Exists = true
	sys, err := kvmapi.Open(dev)
	if err != nil {
		info.Err = fmt.Errorf("%w: open %s: %v", ErrUnavailable, dev, err)
		return info
	}
	defer sys.Close()
	info.Opened = true
	info.APIVersion, err = sys.APIVersion()
	if err != nil || info.APIVersion != kvmapi.APIVersion {
		info.Err = fmt.Errorf("%w: API version %d (%v)", ErrUnavailable, info.APIVersion, err)
		return info
	}
	has := func(c int) int { n, _ := sys.CheckExtension(c); return n }
	info.ReadonlyMem = has(kvmapi.CapReadonlyMem) > 0
	info.ImmediateExit = has(kvmapi.CapImmediateExit) > 0
	info.VCPUEvents = has(kvmapi.CapVCPUEvents) > 0
	info.DebugRegs = has(kvmapi.CapDebugRegs) > 0
	info.Memslots = has(kvmapi.CapNrMemslots)
	if sup, err := sys.SupportedCPUID(); err == nil {
		var table []kvmapi.CPUIDEntry2
		table, info.MissingCPUID = cpuidTable(cpu.ModelP2, sup)
		info.CPUIDChanged = cpuidSetGet(sys, table)
	}
	if !info.ImmediateExit || has(kvmapi.CapUserMemory) == 0 {
		info.Err = fmt.Errorf("%w: no KVM_CAP_IMMEDIATE_EXIT or KVM_CAP_USER_MEMORY", ErrUnavailable)
		return info
	}

	if err := tinyRun(sys, modeReal); err != nil {
		info.Err = fmt.Errorf("%w: a real-mode guest does not run: %v", ErrUnavailable, err)
		return info
	}
	info.RealMode = true
	info.X87 = tinyX87(sys) == nil
	info.Protected = tinyRun(sys, modeProtected) == nil
	info.ProtectedInterrupts = info.Protected && tinyInt(sys) == nil
	info.Paging = tinyRun(sys, modePaging) == nil
	info.ExitCost, _ = tinyExitCost(sys)
	info.InstructionCost, _ = tinyLoopCost(sys)
	return info
}

// Tiny guest modes.
const (
	modeReal = iota
	modeProtected
	modePaging
)

// tiny is a throwaway VM with 64 KiB of RAM at 0 and code at 0x1000.
type tiny struct {
	vm   *kvmapi.VM
	vcpu *kvmapi.VCPU
	mem  []byte
}

const (
	tinyRAM  = 0x10000
	tinyCode = 0x1000
	tinyPort = 0x10
)

func newTiny(sys *kvmapi.System, mode int, code []byte) (_ *tiny, err error) {
	t := &tiny{}
	defer func() {
		if err != nil {
			t.close()
		}
	}()
	if t.vm, err = sys.CreateVM(); err != nil {
		return nil, err
	}
	// Intel hosts need these for real mode; failures show up as a guest
	// that does not run.
	_ = t.vm.SetTSSAddr(tssAddr)
	_ = t.vm.SetIdentityMapAddr(identityMapAddr)
	if t.mem, err = unix.Mmap(-1, 0, tinyRAM, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS); err != nil {
		return nil, err
	}
	r := kvmapi.UserspaceMemoryRegion{MemorySize: tinyRAM, UserspaceAddr: uint64(hostAddr(t.mem))}
	if err = t.vm.SetUserMemoryRegion(&r); err != nil {
		return nil, err
	}
	size, err := sys.VCPUMmapSize()
	if err != nil {
		return nil, err
	}
	if t.vcpu, err = t.vm.CreateVCPU(0, size); err != nil {
		return nil, err
	}
	copy(t.mem[tinyCode:], code)
	var s cpu.State
	s.Reset(cpu.ModelP2)
	s.EIP = tinyCode
	s.Seg[cpu.CS] = cpu.Segment{Limit: 0xFFFF, Attr: cpu.RealModeAttr | cpu.AttrCode}
	if mode != modeReal {
		flat := cpu.Segment{Selector: 0x10, Limit: 0xFFFFFFFF, Attr: cpu.RealModeAttr | cpu.AttrDB | cpu.AttrG}
		for i := range s.Seg {
			s.Seg[i] = flat
		}
		s.Seg[cpu.CS].Selector = 8
		s.Seg[cpu.CS].Attr |= cpu.AttrCode
		s.TR.Attr = cpu.AttrP | 11 // busy 32-bit TSS, as VMX wants in protected mode
		s.CR[0] |= cpu.CR0PE
	}
	if mode == modePaging {
		// One page table mapping the first 4 MiB onto itself.
		const pd, pt = 0x8000, 0x9000
		binary.LittleEndian.PutUint32(t.mem[pd:], pt|3)
		for i := 0; i < tinyRAM/4096; i++ {
			binary.LittleEndian.PutUint32(t.mem[pt+4*i:], uint32(i)<<12|3)
		}
		s.CR[3] = pd
		s.CR[0] |= cpu.CR0PG
	}
	var v vcpuState
	if err = t.vcpu.GetSregs(&v.sregs); err != nil {
		return nil, err
	}
	v.fromCPU(&s)
	if err = t.vcpu.SetSregs(&v.sregs); err != nil {
		return nil, err
	}
	if err = t.vcpu.SetRegs(&v.regs); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *tiny) close() {
	if t.vcpu != nil {
		t.vcpu.Close()
	}
	if t.vm != nil {
		t.vm.Close()
	}
	if t.mem != nil {
		unix.Munmap(t.mem)
	}
}

// next runs to the next exit other than EINTR and returns its reason.
func (t *tiny) next() (uint32, error) {
	for {
		err := t.vcpu.Run()
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, err
		}
		return t.vcpu.Shared().ExitReason, nil
	}
}

// cpuidSetGet sets table on a fresh vCPU and reports what the host
// changed in it.
func cpuidSetGet(sys *kvmapi.System, table []kvmapi.CPUIDEntry2) []string {
	t, err := newTiny(sys, modeReal, nil)
	if err != nil {
		return nil
	}
	defer t.close()
	if t.vcpu.SetCPUID2(table) != nil {
		return nil
	}
	got, err := t.vcpu.GetCPUID2()
	if err != nil {
		return nil
	}
	return cpuidChanged(table, got)
}

// tinyRun runs "write a known value to a port, then HLT" in mode and
// checks both exits.
func tinyRun(sys *kvmapi.System, mode int) error {
	if mode == modeReal {
		return tinyOut(sys, mode, 0x42, []byte{
			0xB0, 0x42, // mov al, 0x42
			0xE6, tinyPort, // out 0x10, al
			0xF4, // hlt
		})
	}
	return tinyOut(sys, mode, 0x12345678, []byte{
		0xB8, 0x78, 0x56, 0x34, 0x12, // mov eax, 0x12345678
		0xE7, tinyPort, // out 0x10, eax
		0xF4, // hlt
	})
}

// tinyX87 computes 1 on the x87 in real mode and writes it to the port.
func tinyX87(sys *kvmapi.System) error {
	return tinyOut(sys, modeReal, 1, []byte{
		0xDB, 0xE3, // fninit
		0xD9, 0xE8, // fld1
		0xDF, 0x1E, 0x00, 0x20, // fistp word [0x2000]
		0xA0, 0x00, 0x20, // mov al, [0x2000]
		0xE6, tinyPort, // out 0x10, al
		0xF4, // hlt
	})
}

// tinyOut runs code in mode and expects a write of want to the port,
// then HLT.
func tinyOut(sys *kvmapi.System, mode int, want uint32, code []byte) error {
	t, err := newTiny(sys, mode, code)
	if err != nil {
		return err
	}
	defer t.close()
	r, err := t.next()
	if err != nil {
		return err
	}
	run := t.vcpu.Shared()
	if r != kvmapi.ExitIO {
		return fmt.Errorf("first exit is %s, want io", exitName(r))
	}
	io := run.IO()
	data := t.vcpu.Data(io.DataOffset, int(io.Size))
	if io.Direction != kvmapi.ExitIOOut || io.Port != tinyPort || data == nil || getLE(data) != want {
		return fmt.Errorf("port write %+v, want %#x to port %#x", *io, want, tinyPort)
	}
	if r, err = t.next(); err != nil {
		return err
	}
	if r != kvmapi.ExitHLT {
		return fmt.Errorf("second exit is %s, want hlt", exitName(r))
	}
	return nil
}

// tinyInt runs INT 30h in unpaged protected mode: the handler writes a
// port and returns with IRETD, then the guest writes another and halts.
func tinyInt(sys *kvmapi.System) error {
	const gdt, idt, handler = 0x500, 0x600, 0x2000
	t, err := newTiny(sys, modeProtected, []byte{
		0xCD, 0x30, // int 0x30
		0xB0, 0x02, // mov al, 2
		0xE6, tinyPort, // out 0x10, al
		0xF4, // hlt
	})
	if err != nil {
		return err
	}
	defer t.close()
	copy(t.mem[handler:], []byte{
		0xB0, 0x01, // mov al, 1
		0xE6, tinyPort, // out 0x10, al
		0xCF, // iretd
	})
	le := binary.LittleEndian
	le.PutUint64(t.mem[gdt+8:], 0x00CF9A000000FFFF)  // 08h: flat code
	le.PutUint64(t.mem[gdt+16:], 0x00CF92000000FFFF) // 10h: flat data
	// 30h: 32-bit interrupt gate to 0008:2000.
	le.PutUint64(t.mem[idt+8*0x30:], 0x00008E0000080000|handler)
	var sr kvmapi.Sregs
	if err := t.vcpu.GetSregs(&sr); err != nil {
		return err
	}
	sr.GDT = kvmapi.DTable{Base: gdt, Limit: 3*8 - 1}
	sr.IDT = kvmapi.DTable{Base: idt, Limit: 0x31*8 - 1}
	if err := t.vcpu.SetSregs(&sr); err != nil {
		return err
	}
	var r kvmapi.Regs
	if err := t.vcpu.GetRegs(&r); err != nil {
		return err
	}
	r.RSP = 0x9000
	if err := t.vcpu.SetRegs(&r); err != nil {
		return err
	}
	for _, want := range []uint32{1, 2} {
		r, err := t.next()
		if err != nil {
			return err
		}
		if r != kvmapi.ExitIO {
			return fmt.Errorf("exit %s, want io", exitName(r))
		}
		io := t.vcpu.Shared().IO()
		if d := t.vcpu.Data(io.DataOffset, 1); d == nil || uint32(d[0]) != want {
			return fmt.Errorf("port write %+v, want %d", *io, want)
		}
	}
	return nil
}

// tinyExitCost times port-output exits in a real-mode loop.
func tinyExitCost(sys *kvmapi.System) (time.Duration, error) {
	t, err := newTiny(sys, modeReal, []byte{
		0xE6, tinyPort, // top: out 0x10, al
		0xEB, 0xFC, // jmp top
	})
	if err != nil {
		return 0, err
	}
	defer t.close()
	if _, err := t.next(); err != nil { // warm up
		return 0, err
	}
	const n = 200
	start := time.Now()
	for i := 0; i < n; i++ {
		r, err := t.next()
		if err != nil {
			return 0, err
		}
		if r != kvmapi.ExitIO {
			return 0, fmt.Errorf("exit %s, want io", exitName(r))
		}
	}
	return time.Since(start) / n, nil
}

// tinyLoopCost times a real-mode loop of simple instructions (ADD, DEC,
// JNZ) that never exits: the host time per guest instruction.
func tinyLoopCost(sys *kvmapi.System) (time.Duration, error) {
	const iterations = 3000
	t, err := newTiny(sys, modeReal, []byte{
		0x66, 0x01, 0xD8, // top: add eax, ebx
		0x66, 0x49, // dec ecx
		0x75, 0xF9, // jnz top
		0xF4, // hlt
	})
	if err != nil {
		return 0, err
	}
	defer t.close()
	var r kvmapi.Regs
	if err := t.vcpu.GetRegs(&r); err != nil {
		return 0, err
	}
	r.RCX = iterations
	if err := t.vcpu.SetRegs(&r); err != nil {
		return 0, err
	}
	start := time.Now()
	x, err := t.next()
	if err != nil {
		return 0, err
	}
	if x != kvmapi.ExitHLT {
		return 0, fmt.Errorf("exit %s, want hlt", exitName(x))
	}
	return time.Since(start) / (3 * iterations), nil
}
