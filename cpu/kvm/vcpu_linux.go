//go:build linux && amd64

package kvm

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"ringzero/cpu"
	"ringzero/cpu/kvm/kvmapi"
)

// msrTSC is IA32_TIME_STAMP_COUNTER.
const msrTSC = 0x10

// State implements cpu.Engine. It reads the vCPU (KVM_GET_REGS, _SREGS,
// _FPU, _DEBUGREGS, _VCPU_EVENTS, _MP_STATE) once after each Run; the
// result stays valid until the next Run, and edits made through it are
// written back before that Run starts. A failure is reported by the next
// Run. An interrupt KVM accepted (KVM_INTERRUPT) but had not delivered
// yet when the vCPU was kicked out has no place in cpu.State: it stays
// queued in KVM, and a SetState drops it.
func (e *Engine) State() *cpu.State {
	if !e.synced && e.vcpu != nil {
		if err := e.fetch(); err != nil {
			e.err = err
		}
	}
	return &e.state
}

func (e *Engine) fetch() error {
	if err := e.finishExit(); err != nil {
		return err
	}
	var v vcpuState
	if err := e.vcpu.GetRegs(&v.regs); err != nil {
		return fmt.Errorf("kvm: KVM_GET_REGS: %w", err)
	}
	if err := e.vcpu.GetSregs(&v.sregs); err != nil {
		return fmt.Errorf("kvm: KVM_GET_SREGS: %w", err)
	}
	if err := e.vcpu.GetFPU(&v.fpu); err != nil {
		return fmt.Errorf("kvm: KVM_GET_FPU: %w", err)
	}
	if e.hasDebugRegs {
		if err := e.vcpu.GetDebugRegs(&v.debug); err != nil {
			return fmt.Errorf("kvm: KVM_GET_DEBUGREGS: %w", err)
		}
	}
	if e.hasEvents {
		if err := e.vcpu.GetVCPUEvents(&v.events); err != nil {
			return fmt.Errorf("kvm: KVM_GET_VCPU_EVENTS: %w", err)
		}
	}
	s := &e.state
	v.toCPU(s)
	if !e.hasDebugRegs {
		s.DR = e.fetched.DR
	}
	s.CR[1], s.DR[4], s.DR[5], s.MSW286 = e.kept.cr1, e.kept.dr4, e.kept.dr5, e.kept.msw286
	var mp kvmapi.MPState
	if err := e.vcpu.GetMPState(&mp); err != nil {
		return fmt.Errorf("kvm: KVM_GET_MP_STATE: %w", err)
	}
	// HALTED only appears with an in-kernel LAPIC; ours is e.halted.
	s.Halted = e.halted || mp.MPState == kvmapi.MPStateHalted
	s.Cycles = e.cycles
	e.fetched = *s
	e.synced = true
	return nil
}

// finishExit lets KVM complete the instruction behind the last I/O or
// MMIO exit (it does so at the start of KVM_RUN) without running any
// further: immediate_exit makes that KVM_RUN return EINTR right after.
func (e *Engine) finishExit() error {
	if !e.settle {
		return nil
	}
	e.settle = false
	e.run.ImmediateExit = 1
	err := e.vcpu.Run()
	e.run.ImmediateExit = 0
	if err != nil && !errors.Is(err, unix.EINTR) {
		return fmt.Errorf("kvm: KVM_RUN (completing an I/O exit): %w", err)
	}
	return nil
}

// SetState implements cpu.Engine: it replaces the vCPU's whole state.
// Interrupts KVM had queued are dropped; the TSC restarts at s.Cycles.
func (e *Engine) SetState(s *cpu.State) error {
	if e.vcpu == nil {
		return errors.New("kvm: engine is closed")
	}
	if err := e.finishExit(); err != nil {
		return err
	}
	var v vcpuState
	if err := e.vcpu.GetSregs(&v.sregs); err != nil {
		return fmt.Errorf("kvm: KVM_GET_SREGS: %w", err)
	}
	if err := e.vcpu.GetFPU(&v.fpu); err != nil {
		return fmt.Errorf("kvm: KVM_GET_FPU: %w", err)
	}
	v.fromCPU(s)
	if err := e.vcpu.SetSregs(&v.sregs); err != nil {
		return fmt.Errorf("kvm: KVM_SET_SREGS (CR0=%#x CR4=%#x): %w", s.CR[0], s.CR[4], err)
	}
	if err := e.vcpu.SetRegs(&v.regs); err != nil {
		return fmt.Errorf("kvm: KVM_SET_REGS: %w", err)
	}
	if err := e.vcpu.SetFPU(&v.fpu); err != nil {
		return fmt.Errorf("kvm: KVM_SET_FPU: %w", err)
	}
	if e.hasDebugRegs {
		if err := e.vcpu.SetDebugRegs(&v.debug); err != nil {
			return fmt.Errorf("kvm: KVM_SET_DEBUGREGS: %w", err)
		}
	}
	if e.hasEvents {
		if err := e.vcpu.SetVCPUEvents(&v.events); err != nil {
			return fmt.Errorf("kvm: KVM_SET_VCPU_EVENTS: %w", err)
		}
	}
	// The TSC goes on from the cycle count, as the interpreter's does
	// (then at the host's rate).
	if _, err := e.vcpu.SetMSRs([]kvmapi.MSREntry{{Index: msrTSC, Data: s.Cycles}}); err != nil {
		return fmt.Errorf("kvm: KVM_SET_MSRS (TSC): %w", err)
	}
	e.kept.cr1, e.kept.dr4, e.kept.dr5, e.kept.msw286 = s.CR[1], s.DR[4], s.DR[5], s.MSW286
	e.halted = s.Halted
	e.cycles, e.rem = s.Cycles, 0
	e.ifFlag = s.EFlags&cpu.FlagIF != 0
	e.ready = e.ifFlag && !s.IRQShadow
	e.run.RequestInterruptWindow = 0
	e.fetched.DR = s.DR // what State reports without KVM_CAP_DEBUGREGS
	e.synced = false
	return nil
}
