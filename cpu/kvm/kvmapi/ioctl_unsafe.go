//go:build linux

package kvmapi

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctl issues request req on fd with argument arg (a pointer or an
// integer, as the request wants).
func ioctl(fd int, req, arg uintptr) (uintptr, error) {
	r, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, arg)
	if e != 0 {
		return r, e
	}
	return r, nil
}

// ioctlPtr issues req with a pointer argument.
func ioctlPtr(fd int, req uintptr, p unsafe.Pointer) error {
	_, err := ioctl(fd, req, uintptr(p))
	return err
}

// System is an open /dev/kvm: the system ioctls.
type System struct{ fd int }

// Open opens the KVM device at path (normally /dev/kvm).
func Open(path string) (*System, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return &System{fd: fd}, nil
}

// Close closes the device.
func (s *System) Close() error { return unix.Close(s.fd) }

// APIVersion is KVM_GET_API_VERSION (always APIVersion on a sane kernel).
func (s *System) APIVersion() (int, error) {
	r, err := ioctl(s.fd, kvmGetAPIVersion, 0)
	return int(r), err
}

// CheckExtension is KVM_CHECK_EXTENSION: 0 if the capability is absent,
// else a positive, capability-specific value.
func (s *System) CheckExtension(c int) (int, error) {
	r, err := ioctl(s.fd, kvmCheckExtension, uintptr(c))
	return int(r), err
}

// VCPUMmapSize is KVM_GET_VCPU_MMAP_SIZE: the size of the kvm_run mapping.
func (s *System) VCPUMmapSize() (int, error) {
	r, err := ioctl(s.fd, kvmGetVCPUMmapSize, 0)
	return int(r), err
}

// cpuid2Buf is struct kvm_cpuid2 followed by room for the largest table.
type cpuid2Buf struct {
	CPUID2
	Entries [MaxCPUIDEntries]CPUIDEntry2
}

// SupportedCPUID is KVM_GET_SUPPORTED_CPUID: the CPUID bits KVM can
// present to a guest on this host.
func (s *System) SupportedCPUID() ([]CPUIDEntry2, error) {
	b := new(cpuid2Buf)
	b.Nent = MaxCPUIDEntries
	if err := ioctlPtr(s.fd, kvmGetSupportedCPUID, unsafe.Pointer(b)); err != nil {
		return nil, err
	}
	return append([]CPUIDEntry2(nil), b.Entries[:b.Nent]...), nil
}

// CreateVM is KVM_CREATE_VM with the default machine type.
func (s *System) CreateVM() (*VM, error) {
	r, err := ioctl(s.fd, kvmCreateVM, 0)
	if err != nil {
		return nil, err
	}
	return &VM{fd: int(r)}, nil
}

// VM is a virtual machine descriptor: the VM ioctls.
type VM struct{ fd int }

// Close closes the VM (the kernel frees it with its last vCPU).
func (vm *VM) Close() error { return unix.Close(vm.fd) }

// CheckExtension is KVM_CHECK_EXTENSION on the VM (per-VM answers).
func (vm *VM) CheckExtension(c int) (int, error) {
	r, err := ioctl(vm.fd, kvmCheckExtension, uintptr(c))
	return int(r), err
}

// SetUserMemoryRegion is KVM_SET_USER_MEMORY_REGION: create, move or
// (MemorySize 0) delete a memory slot.
func (vm *VM) SetUserMemoryRegion(r *UserspaceMemoryRegion) error {
	return ioctlPtr(vm.fd, kvmSetUserMemoryRegion, unsafe.Pointer(r))
}

// SetTSSAddr is KVM_SET_TSS_ADDR: three pages of guest-physical space,
// outside every slot, that Intel hosts need to run real mode.
func (vm *VM) SetTSSAddr(addr uint32) error {
	_, err := ioctl(vm.fd, kvmSetTSSAddr, uintptr(addr))
	return err
}

// SetIdentityMapAddr is KVM_SET_IDENTITY_MAP_ADDR: one page for the
// identity page table Intel hosts use for unpaged guests.
func (vm *VM) SetIdentityMapAddr(addr uint64) error {
	return ioctlPtr(vm.fd, kvmSetIdentityMapAddr, unsafe.Pointer(&addr))
}

// CreateVCPU is KVM_CREATE_VCPU, followed by the mmap of its kvm_run
// page (mmapSize from System.VCPUMmapSize).
func (vm *VM) CreateVCPU(id, mmapSize int) (*VCPU, error) {
	r, err := ioctl(vm.fd, kvmCreateVCPU, uintptr(id))
	if err != nil {
		return nil, err
	}
	fd := int(r)
	if mmapSize < int(unsafe.Sizeof(Run{})) {
		unix.Close(fd)
		return nil, fmt.Errorf("kvm_run mapping of %d bytes is smaller than struct kvm_run", mmapSize)
	}
	mem, err := unix.Mmap(fd, 0, mmapSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("mmap kvm_run: %w", err)
	}
	return &VCPU{fd: fd, mem: mem, run: (*Run)(unsafe.Pointer(&mem[0]))}, nil
}

// VCPU is a virtual CPU descriptor with its mapped kvm_run page.
type VCPU struct {
	fd  int
	mem []byte // the whole mapping: kvm_run, then the PIO data page...
	run *Run
}

// Close unmaps kvm_run and closes the descriptor.
func (v *VCPU) Close() error {
	return errors.Join(unix.Munmap(v.mem), unix.Close(v.fd))
}

// Shared returns the mapped kvm_run.
func (v *VCPU) Shared() *Run { return v.run }

// Data returns n bytes of the mapping at off, where KVM_EXIT_IO keeps its
// data (RunIO.DataOffset), or nil if that lies outside the mapping.
func (v *VCPU) Data(off uint64, n int) []byte {
	if off > uint64(len(v.mem)) || uint64(n) > uint64(len(v.mem))-off {
		return nil
	}
	return v.mem[off : off+uint64(n)]
}

// Run is KVM_RUN. It returns unix.EINTR when a signal or ImmediateExit
// ended it before the guest exited on its own.
func (v *VCPU) Run() error {
	_, err := ioctl(v.fd, kvmRun, 0)
	return err
}

// GetRegs is KVM_GET_REGS.
func (v *VCPU) GetRegs(r *Regs) error { return ioctlPtr(v.fd, kvmGetRegs, unsafe.Pointer(r)) }

// SetRegs is KVM_SET_REGS.
func (v *VCPU) SetRegs(r *Regs) error { return ioctlPtr(v.fd, kvmSetRegs, unsafe.Pointer(r)) }

// GetSregs is KVM_GET_SREGS.
func (v *VCPU) GetSregs(s *Sregs) error { return ioctlPtr(v.fd, kvmGetSregs, unsafe.Pointer(s)) }

// SetSregs is KVM_SET_SREGS.
func (v *VCPU) SetSregs(s *Sregs) error { return ioctlPtr(v.fd, kvmSetSregs, unsafe.Pointer(s)) }

// GetFPU is KVM_GET_FPU.
func (v *VCPU) GetFPU(f *FPU) error { return ioctlPtr(v.fd, kvmGetFPU, unsafe.Pointer(f)) }

// SetFPU is KVM_SET_FPU.
func (v *VCPU) SetFPU(f *FPU) error { return ioctlPtr(v.fd, kvmSetFPU, unsafe.Pointer(f)) }

// Interrupt is KVM_INTERRUPT: queue external interrupt vector irq (only
// without an in-kernel irqchip).
func (v *VCPU) Interrupt(irq uint32) error {
	i := Interrupt{IRQ: irq}
	return ioctlPtr(v.fd, kvmInterrupt, unsafe.Pointer(&i))
}

// NMI is KVM_NMI: queue a non-maskable interrupt.
func (v *VCPU) NMI() error {
	_, err := ioctl(v.fd, kvmNMI, 0)
	return err
}

// GetMPState is KVM_GET_MP_STATE.
func (v *VCPU) GetMPState(s *MPState) error {
	return ioctlPtr(v.fd, kvmGetMPState, unsafe.Pointer(s))
}

// SetMPState is KVM_SET_MP_STATE.
func (v *VCPU) SetMPState(s *MPState) error {
	return ioctlPtr(v.fd, kvmSetMPState, unsafe.Pointer(s))
}

// GetVCPUEvents is KVM_GET_VCPU_EVENTS.
func (v *VCPU) GetVCPUEvents(e *VCPUEvents) error {
	return ioctlPtr(v.fd, kvmGetVCPUEvents, unsafe.Pointer(e))
}

// SetVCPUEvents is KVM_SET_VCPU_EVENTS.
func (v *VCPU) SetVCPUEvents(e *VCPUEvents) error {
	return ioctlPtr(v.fd, kvmSetVCPUEvents, unsafe.Pointer(e))
}

// GetDebugRegs is KVM_GET_DEBUGREGS.
func (v *VCPU) GetDebugRegs(d *DebugRegs) error {
	return ioctlPtr(v.fd, kvmGetDebugRegs, unsafe.Pointer(d))
}

// SetDebugRegs is KVM_SET_DEBUGREGS.
func (v *VCPU) SetDebugRegs(d *DebugRegs) error {
	return ioctlPtr(v.fd, kvmSetDebugRegs, unsafe.Pointer(d))
}

// SetCPUID2 is KVM_SET_CPUID2: the CPUID table the guest sees.
func (v *VCPU) SetCPUID2(entries []CPUIDEntry2) error {
	if len(entries) > MaxCPUIDEntries {
		return fmt.Errorf("%d CPUID entries, at most %d", len(entries), MaxCPUIDEntries)
	}
	b := new(cpuid2Buf)
	b.Nent = uint32(len(entries))
	copy(b.Entries[:], entries)
	return ioctlPtr(v.fd, kvmSetCPUID2, unsafe.Pointer(b))
}

// GetCPUID2 is KVM_GET_CPUID2: the table set by SetCPUID2.
func (v *VCPU) GetCPUID2() ([]CPUIDEntry2, error) {
	b := new(cpuid2Buf)
	b.Nent = MaxCPUIDEntries
	if err := ioctlPtr(v.fd, kvmGetCPUID2, unsafe.Pointer(b)); err != nil {
		return nil, err
	}
	return append([]CPUIDEntry2(nil), b.Entries[:b.Nent]...), nil
}

// maxMSRs bounds one GetMSRs or SetMSRs call.
const maxMSRs = 32

// msrsBuf is struct kvm_msrs followed by its entries.
type msrsBuf struct {
	MSRs
	Entries [maxMSRs]MSREntry
}

// GetMSRs is KVM_GET_MSRS: it fills Data of each entry by Index and
// returns how many it read (it stops at the first it cannot).
func (v *VCPU) GetMSRs(entries []MSREntry) (int, error) {
	if len(entries) > maxMSRs {
		return 0, fmt.Errorf("%d MSRs, at most %d", len(entries), maxMSRs)
	}
	b := new(msrsBuf)
	b.NMSRs = uint32(len(entries))
	copy(b.Entries[:], entries)
	n, err := ioctl(v.fd, kvmGetMSRs, uintptr(unsafe.Pointer(b)))
	if err != nil {
		return 0, err
	}
	copy(entries, b.Entries[:n])
	return int(n), nil
}

// SetMSRs is KVM_SET_MSRS: it returns how many entries it wrote (it
// stops at the first it cannot).
func (v *VCPU) SetMSRs(entries []MSREntry) (int, error) {
	if len(entries) > maxMSRs {
		return 0, fmt.Errorf("%d MSRs, at most %d", len(entries), maxMSRs)
	}
	b := new(msrsBuf)
	b.NMSRs = uint32(len(entries))
	copy(b.Entries[:], entries)
	n, err := ioctl(v.fd, kvmSetMSRs, uintptr(unsafe.Pointer(b)))
	return int(n), err
}
