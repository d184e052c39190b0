package kvmapi

import (
	"testing"
	"unsafe"
)

// The sizes and offsets below were printed by a C program built against
// the kernel's uapi headers (sizeof and offsetof on struct kvm_*).
func TestLayoutMatchesKernelHeaders(t *testing.T) {
	var run Run
	var ev VCPUEvents
	var sr Sregs
	var fpu FPU
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"sizeof kvm_run", unsafe.Sizeof(run), 2352},
		{"kvm_run.immediate_exit", unsafe.Offsetof(run.ImmediateExit), 1},
		{"kvm_run.exit_reason", unsafe.Offsetof(run.ExitReason), 8},
		{"kvm_run.ready_for_interrupt_injection", unsafe.Offsetof(run.ReadyForInterruptInjection), 12},
		{"kvm_run.if_flag", unsafe.Offsetof(run.IFFlag), 13},
		{"kvm_run.flags", unsafe.Offsetof(run.Flags), 14},
		{"kvm_run.cr8", unsafe.Offsetof(run.CR8), 16},
		{"kvm_run.apic_base", unsafe.Offsetof(run.APICBase), 24},
		{"kvm_run.io", unsafe.Offsetof(run.Exit), 32},
		{"kvm_run.kvm_valid_regs", unsafe.Offsetof(run.KVMValidRegs), 288},
		{"kvm_run.s", unsafe.Offsetof(run.S), 304},
		{"kvm_run.io.data_offset", 32 + unsafe.Offsetof(RunIO{}.DataOffset), 40},
		{"kvm_run.mmio.data", 32 + unsafe.Offsetof(RunMMIO{}.Data), 40},
		{"kvm_run.mmio.len", 32 + unsafe.Offsetof(RunMMIO{}.Len), 48},
		{"kvm_run.mmio.is_write", 32 + unsafe.Offsetof(RunMMIO{}.IsWrite), 52},
		{"kvm_run.internal.ndata", 32 + unsafe.Offsetof(RunInternal{}.NData), 36},
		{"kvm_run.internal.data", 32 + unsafe.Offsetof(RunInternal{}.Data), 40},
		{"kvm_run.fail_entry.cpu", 32 + unsafe.Offsetof(RunFailEntry{}.CPU), 40},
		{"kvm_run.ex.error_code", 32 + unsafe.Offsetof(RunEx{}.ErrorCode), 36},
		{"sizeof kvm_regs", unsafe.Sizeof(Regs{}), 144},
		{"sizeof kvm_segment", unsafe.Sizeof(Segment{}), 24},
		{"kvm_segment.unusable", unsafe.Offsetof(Segment{}.Unusable), 22},
		{"sizeof kvm_dtable", unsafe.Sizeof(DTable{}), 16},
		{"sizeof kvm_sregs", unsafe.Sizeof(sr), 312},
		{"kvm_sregs.gdt", unsafe.Offsetof(sr.GDT), 192},
		{"kvm_sregs.cr0", unsafe.Offsetof(sr.CR0), 224},
		{"kvm_sregs.efer", unsafe.Offsetof(sr.EFER), 264},
		{"kvm_sregs.interrupt_bitmap", unsafe.Offsetof(sr.InterruptBitmap), 280},
		{"sizeof kvm_fpu", unsafe.Sizeof(fpu), 416},
		{"kvm_fpu.last_ip", unsafe.Offsetof(fpu.LastIP), 136},
		{"kvm_fpu.xmm", unsafe.Offsetof(fpu.XMM), 152},
		{"kvm_fpu.mxcsr", unsafe.Offsetof(fpu.MXCSR), 408},
		{"sizeof kvm_vcpu_events", unsafe.Sizeof(ev), 64},
		{"kvm_vcpu_events.interrupt", unsafe.Offsetof(ev.Interrupt), 8},
		{"kvm_vcpu_events.nmi", unsafe.Offsetof(ev.NMI), 12},
		{"kvm_vcpu_events.sipi_vector", unsafe.Offsetof(ev.SIPIVector), 16},
		{"kvm_vcpu_events.flags", unsafe.Offsetof(ev.Flags), 20},
		{"kvm_vcpu_events.smi", unsafe.Offsetof(ev.SMI), 24},
		{"kvm_vcpu_events.triple_fault", unsafe.Offsetof(ev.TripleFault), 28},
		{"kvm_vcpu_events.reserved", unsafe.Offsetof(ev.Reserved), 29},
		{"kvm_vcpu_events.exception_has_payload", unsafe.Offsetof(ev.ExceptionHasPayload), 55},
		{"kvm_vcpu_events.exception_payload", unsafe.Offsetof(ev.ExceptionPayload), 56},
		{"sizeof kvm_cpuid2", unsafe.Sizeof(CPUID2{}), 8},
		{"sizeof kvm_cpuid_entry2", unsafe.Sizeof(CPUIDEntry2{}), 40},
		{"sizeof kvm_userspace_memory_region", unsafe.Sizeof(UserspaceMemoryRegion{}), 32},
		{"sizeof kvm_interrupt", unsafe.Sizeof(Interrupt{}), 4},
		{"sizeof kvm_msrs", unsafe.Sizeof(MSRs{}), 8},
		{"sizeof kvm_msr_entry", unsafe.Sizeof(MSREntry{}), 16},
		{"sizeof kvm_mp_state", unsafe.Sizeof(MPState{}), 4},
		{"sizeof kvm_debugregs", unsafe.Sizeof(DebugRegs{}), 128},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, kernel has %d", c.name, c.got, c.want)
		}
	}
}

// TestIoctlNumbers re-derives each request number from the _IOC encoding
// (direction, size, type 0xAE, number) and the struct sizes.
func TestIoctlNumbers(t *testing.T) {
	const (
		none  = 0
		write = 1
		read  = 2
	)
	ioc := func(dir, nr uintptr, size uintptr) uintptr { return dir<<30 | size<<16 | 0xAE<<8 | nr }
	checks := []struct {
		name      string
		got, want uintptr
	}{
		{"KVM_GET_SUPPORTED_CPUID", kvmGetSupportedCPUID, ioc(read|write, 0x05, unsafe.Sizeof(CPUID2{}))},
		{"KVM_SET_USER_MEMORY_REGION", kvmSetUserMemoryRegion, ioc(write, 0x46, unsafe.Sizeof(UserspaceMemoryRegion{}))},
		{"KVM_SET_IDENTITY_MAP_ADDR", kvmSetIdentityMapAddr, ioc(write, 0x48, 8)},
		{"KVM_RUN", kvmRun, ioc(none, 0x80, 0)},
		{"KVM_GET_REGS", kvmGetRegs, ioc(read, 0x81, unsafe.Sizeof(Regs{}))},
		{"KVM_SET_REGS", kvmSetRegs, ioc(write, 0x82, unsafe.Sizeof(Regs{}))},
		{"KVM_GET_SREGS", kvmGetSregs, ioc(read, 0x83, unsafe.Sizeof(Sregs{}))},
		{"KVM_SET_SREGS", kvmSetSregs, ioc(write, 0x84, unsafe.Sizeof(Sregs{}))},
		{"KVM_INTERRUPT", kvmInterrupt, ioc(write, 0x86, unsafe.Sizeof(Interrupt{}))},
		{"KVM_GET_MSRS", kvmGetMSRs, ioc(read|write, 0x88, unsafe.Sizeof(MSRs{}))},
		{"KVM_SET_MSRS", kvmSetMSRs, ioc(write, 0x89, unsafe.Sizeof(MSRs{}))},
		{"KVM_GET_FPU", kvmGetFPU, ioc(read, 0x8C, unsafe.Sizeof(FPU{}))},
		{"KVM_SET_FPU", kvmSetFPU, ioc(write, 0x8D, unsafe.Sizeof(FPU{}))},
		{"KVM_SET_CPUID2", kvmSetCPUID2, ioc(write, 0x90, unsafe.Sizeof(CPUID2{}))},
		{"KVM_GET_CPUID2", kvmGetCPUID2, ioc(read|write, 0x91, unsafe.Sizeof(CPUID2{}))},
		{"KVM_GET_MP_STATE", kvmGetMPState, ioc(read, 0x98, unsafe.Sizeof(MPState{}))},
		{"KVM_SET_MP_STATE", kvmSetMPState, ioc(write, 0x99, unsafe.Sizeof(MPState{}))},
		{"KVM_GET_VCPU_EVENTS", kvmGetVCPUEvents, ioc(read, 0x9F, unsafe.Sizeof(VCPUEvents{}))},
		{"KVM_SET_VCPU_EVENTS", kvmSetVCPUEvents, ioc(write, 0xA0, unsafe.Sizeof(VCPUEvents{}))},
		{"KVM_GET_DEBUGREGS", kvmGetDebugRegs, ioc(read, 0xA1, unsafe.Sizeof(DebugRegs{}))},
		{"KVM_SET_DEBUGREGS", kvmSetDebugRegs, ioc(write, 0xA2, unsafe.Sizeof(DebugRegs{}))},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#x, _IOC gives %#x", c.name, c.got, c.want)
		}
	}
}
