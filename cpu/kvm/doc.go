// Package kvm is the "kvm" engine: guest code runs natively under Linux
// KVM (/dev/kvm), and only what the hardware cannot do comes back to Go.
//
// The machine around the vCPU is ours, as on every other engine: there is
// no in-kernel irqchip, PIT or APIC. KVM_EXIT_IO and KVM_EXIT_MMIO go to
// cpu.Env.Bus; vectors from cpu.Env.Intr (the 8259 pair) are injected with
// KVM_INTERRUPT when kvm_run says the guest can take one, otherwise an
// interrupt window is requested; HLT returns cpu.ExitHalt so the board
// idles until its next timer, as with the interpreter.
//
// Time. On the software engines virtual time advances with retired
// instructions. Here guest time follows host time: after every exit the
// host time spent since the last one is converted to cycles at the
// clock's rate (Config.Hz) and passed to cpu.Env.Clock.Advance. A
// timerfd armed for the clock's next deadline makes a kicker goroutine
// set kvm_run.immediate_exit and send SIGURG to the vCPU's locked OS
// thread, so KVM_RUN returns (EINTR) when a device timer is due.
//
// Memory. RAM and ROM become KVM memory slots (ROM read-only, so its
// writes come back as MMIO exits and the bus drops them); everything else
// is MMIO. The regions come from Config.Memory or from a Bus that
// implements MemoryMapper, whose map is re-read whenever its generation
// (cpu.MapVersioner) moves; with the A20 gate off the first 64 KiB above
// 1 MiB alias low memory.
//
// State. State and SetState translate cpu.State to and from kvm_regs,
// kvm_sregs, kvm_fpu, kvm_debugregs and kvm_vcpu_events (the interrupt
// shadow), so a run can move between engines at any instruction boundary.
// HLT is kept by the engine: without the in-kernel LAPIC KVM has no
// halted vCPU state.
//
// Files: *_linux.go hold the engine (built for linux/amd64), *_unsafe.go
// the little unsafe code, other.go the stub that keeps other systems
// building; the raw ABI is in kvmapi. Probe describes the host; New
// errors wrap ErrUnavailable when it cannot run a VM at all.
package kvm
