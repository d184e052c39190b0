package kvmapi

// ioctl request numbers. KVMIO is 0xAE; _IO, _IOR, _IOW and _IOWR encode
// the direction and the argument size as in include/uapi/asm-generic/ioctl.h.
const (
	// System ioctls, on the /dev/kvm descriptor.
	kvmGetAPIVersion     = 0xAE00     // KVM_GET_API_VERSION
	kvmCreateVM          = 0xAE01     // KVM_CREATE_VM
	kvmCheckExtension    = 0xAE03     // KVM_CHECK_EXTENSION
	kvmGetVCPUMmapSize   = 0xAE04     // KVM_GET_VCPU_MMAP_SIZE
	kvmGetSupportedCPUID = 0xC008AE05 // KVM_GET_SUPPORTED_CPUID

	// VM ioctls.
	kvmCreateVCPU          = 0xAE41     // KVM_CREATE_VCPU
	kvmSetUserMemoryRegion = 0x4020AE46 // KVM_SET_USER_MEMORY_REGION
	kvmSetTSSAddr          = 0xAE47     // KVM_SET_TSS_ADDR
	kvmSetIdentityMapAddr  = 0x4008AE48 // KVM_SET_IDENTITY_MAP_ADDR

	// vCPU ioctls.
	kvmRun           = 0xAE80     // KVM_RUN
	kvmGetRegs       = 0x8090AE81 // KVM_GET_REGS
	kvmSetRegs       = 0x4090AE82 // KVM_SET_REGS
	kvmGetSregs      = 0x8138AE83 // KVM_GET_SREGS
	kvmSetSregs      = 0x4138AE84 // KVM_SET_SREGS
	kvmInterrupt     = 0x4004AE86 // KVM_INTERRUPT
	kvmGetMSRs       = 0xC008AE88 // KVM_GET_MSRS
	kvmSetMSRs       = 0x4008AE89 // KVM_SET_MSRS
	kvmGetFPU        = 0x81A0AE8C // KVM_GET_FPU
	kvmSetFPU        = 0x41A0AE8D // KVM_SET_FPU
	kvmSetCPUID2     = 0x4008AE90 // KVM_SET_CPUID2
	kvmGetCPUID2     = 0xC008AE91 // KVM_GET_CPUID2
	kvmGetMPState    = 0x8004AE98 // KVM_GET_MP_STATE
	kvmSetMPState    = 0x4004AE99 // KVM_SET_MP_STATE
	kvmNMI           = 0xAE9A     // KVM_NMI
	kvmGetVCPUEvents = 0x8040AE9F // KVM_GET_VCPU_EVENTS
	kvmSetVCPUEvents = 0x4040AEA0 // KVM_SET_VCPU_EVENTS
	kvmGetDebugRegs  = 0x8080AEA1 // KVM_GET_DEBUGREGS
	kvmSetDebugRegs  = 0x4080AEA2 // KVM_SET_DEBUGREGS
)

// APIVersion is the only KVM_GET_API_VERSION value the kernel has ever
// returned (KVM_API_VERSION).
const APIVersion = 12

// Capabilities for VM.CheckExtension and System.CheckExtension.
const (
	CapIRQChip            = 0   // KVM_CAP_IRQCHIP
	CapHLT                = 1   // KVM_CAP_HLT
	CapUserMemory         = 3   // KVM_CAP_USER_MEMORY
	CapSetTSSAddr         = 4   // KVM_CAP_SET_TSS_ADDR
	CapExtCPUID           = 7   // KVM_CAP_EXT_CPUID
	CapNrMemslots         = 10  // KVM_CAP_NR_MEMSLOTS
	CapMPState            = 14  // KVM_CAP_MP_STATE
	CapUserNMI            = 22  // KVM_CAP_USER_NMI
	CapSetIdentityMapAddr = 37  // KVM_CAP_SET_IDENTITY_MAP_ADDR
	CapVCPUEvents         = 41  // KVM_CAP_VCPU_EVENTS
	CapIntrShadow         = 49  // KVM_CAP_INTR_SHADOW
	CapDebugRegs          = 50  // KVM_CAP_DEBUGREGS
	CapReadonlyMem        = 81  // KVM_CAP_READONLY_MEM
	CapImmediateExit      = 136 // KVM_CAP_IMMEDIATE_EXIT
)

// Exit reasons in Run.ExitReason.
const (
	ExitUnknown         = 0  // KVM_EXIT_UNKNOWN
	ExitException       = 1  // KVM_EXIT_EXCEPTION
	ExitIO              = 2  // KVM_EXIT_IO
	ExitHypercall       = 3  // KVM_EXIT_HYPERCALL
	ExitDebug           = 4  // KVM_EXIT_DEBUG
	ExitHLT             = 5  // KVM_EXIT_HLT
	ExitMMIO            = 6  // KVM_EXIT_MMIO
	ExitIRQWindowOpen   = 7  // KVM_EXIT_IRQ_WINDOW_OPEN
	ExitShutdown        = 8  // KVM_EXIT_SHUTDOWN
	ExitFailEntry       = 9  // KVM_EXIT_FAIL_ENTRY
	ExitIntr            = 10 // KVM_EXIT_INTR
	ExitNMI             = 16 // KVM_EXIT_NMI
	ExitInternalError   = 17 // KVM_EXIT_INTERNAL_ERROR
	ExitSystemEvent     = 24 // KVM_EXIT_SYSTEM_EVENT
	ExitX86RDMSR        = 29 // KVM_EXIT_X86_RDMSR
	ExitX86WRMSR        = 30 // KVM_EXIT_X86_WRMSR
	NumExitReasons      = 64 // bound for per-reason tables (the kernel has ~40)
	ExitIOIn            = 0  // KVM_EXIT_IO_IN (RunIO.Direction)
	ExitIOOut           = 1  // KVM_EXIT_IO_OUT
	InternalEmulation   = 1  // KVM_INTERNAL_ERROR_EMULATION
	InternalSimulEx     = 2  // KVM_INTERNAL_ERROR_SIMUL_EX
	InternalDeliveryEv  = 3  // KVM_INTERNAL_ERROR_DELIVERY_EV
	SystemEventShutdown = 1  // KVM_SYSTEM_EVENT_SHUTDOWN
	SystemEventReset    = 2  // KVM_SYSTEM_EVENT_RESET
)

// Flags and enumerations.
const (
	MemLogDirtyPages = 1 << 0 // KVM_MEM_LOG_DIRTY_PAGES
	MemReadonly      = 1 << 1 // KVM_MEM_READONLY

	MPStateRunnable      = 0 // KVM_MP_STATE_RUNNABLE
	MPStateUninitialized = 1 // KVM_MP_STATE_UNINITIALIZED
	MPStateHalted        = 3 // KVM_MP_STATE_HALTED

	VCPUEventValidNMIPending = 1 << 0 // KVM_VCPUEVENT_VALID_NMI_PENDING
	VCPUEventValidSIPIVector = 1 << 1 // KVM_VCPUEVENT_VALID_SIPI_VECTOR
	VCPUEventValidShadow     = 1 << 2 // KVM_VCPUEVENT_VALID_SHADOW

	ShadowIntMovSS = 1 << 0 // KVM_X86_SHADOW_INT_MOV_SS
	ShadowIntSTI   = 1 << 1 // KVM_X86_SHADOW_INT_STI

	MaxCPUIDEntries = 256 // KVM_MAX_CPUID_ENTRIES
)

// Regs mirrors struct kvm_regs (the general registers, 64-bit wide).
type Regs struct {
	RAX, RBX, RCX, RDX uint64
	RSI, RDI, RSP, RBP uint64
	R8, R9, R10, R11   uint64
	R12, R13, R14, R15 uint64
	RIP, RFLAGS        uint64
}

// Segment mirrors struct kvm_segment: a segment register with its
// descriptor cache, attributes unpacked one per byte. Limit is byte
// granular.
type Segment struct {
	Base     uint64
	Limit    uint32
	Selector uint16
	Type     uint8
	Present  uint8
	DPL      uint8
	DB       uint8
	S        uint8
	L        uint8
	G        uint8
	AVL      uint8
	Unusable uint8
	_        uint8 // padding
}

// DTable mirrors struct kvm_dtable (GDTR or IDTR).
type DTable struct {
	Base  uint64
	Limit uint16
	_     [3]uint16 // padding
}

// Sregs mirrors struct kvm_sregs: segments, descriptor tables and control
// registers.
type Sregs struct {
	CS, DS, ES, FS, GS, SS Segment
	TR, LDT                Segment
	GDT, IDT               DTable
	CR0, CR2, CR3, CR4     uint64
	CR8                    uint64
	EFER                   uint64
	APICBase               uint64 // apic_base
	// InterruptBitmap has one bit per vector: an external interrupt
	// queued with KVM_INTERRUPT but not yet delivered.
	InterruptBitmap [4]uint64 // (KVM_NR_INTERRUPTS + 63) / 64
}

// FPU mirrors struct kvm_fpu (the FXSAVE image, unpacked).
type FPU struct {
	FPR        [8][16]uint8
	FCW        uint16
	FSW        uint16
	FTWX       uint8 // in FXSAVE format
	_          uint8 // pad1
	LastOpcode uint16
	LastIP     uint64
	LastDP     uint64
	XMM        [16][16]uint8
	MXCSR      uint32
	_          uint32 // pad2
}

// VCPUEvents mirrors struct kvm_vcpu_events: exceptions, interrupts and
// NMIs in flight, and the interrupt shadow.
type VCPUEvents struct {
	Exception struct {
		Injected     uint8
		Nr           uint8
		HasErrorCode uint8
		Pending      uint8
		ErrorCode    uint32
	}
	Interrupt struct {
		Injected uint8
		Nr       uint8
		Soft     uint8
		Shadow   uint8 // ShadowIntMovSS, ShadowIntSTI
	}
	NMI struct {
		Injected uint8
		Pending  uint8
		Masked   uint8
		_        uint8 // pad
	}
	SIPIVector uint32
	Flags      uint32 // VCPUEventValid*
	SMI        struct {
		SMM          uint8
		Pending      uint8
		SMMInsideNMI uint8
		LatchedInit  uint8
	}
	TripleFault struct {
		Pending uint8
	}
	Reserved            [26]uint8
	ExceptionHasPayload uint8
	ExceptionPayload    uint64
}

// CPUID2 mirrors the header of struct kvm_cpuid2; the entries follow it.
type CPUID2 struct {
	Nent uint32
	_    uint32 // padding
}

// CPUIDEntry2 mirrors struct kvm_cpuid_entry2: one leaf (and sub-leaf).
type CPUIDEntry2 struct {
	Function uint32
	Index    uint32
	Flags    uint32 // KVM_CPUID_FLAG_*
	EAX      uint32
	EBX      uint32
	ECX      uint32
	EDX      uint32
	_        [3]uint32 // padding
}

// UserspaceMemoryRegion mirrors struct kvm_userspace_memory_region: one
// memory slot backed by host memory at UserspaceAddr.
type UserspaceMemoryRegion struct {
	Slot          uint32
	Flags         uint32 // MemReadonly, MemLogDirtyPages
	GuestPhysAddr uint64
	MemorySize    uint64 // 0 deletes the slot
	UserspaceAddr uint64
}

// Interrupt mirrors struct kvm_interrupt (the KVM_INTERRUPT argument).
type Interrupt struct {
	IRQ uint32
}

// MSRs mirrors the header of struct kvm_msrs; the entries follow it.
type MSRs struct {
	NMSRs uint32
	_     uint32 // pad
}

// MSREntry mirrors struct kvm_msr_entry.
type MSREntry struct {
	Index    uint32
	Reserved uint32
	Data     uint64
}

// MPState mirrors struct kvm_mp_state.
type MPState struct {
	MPState uint32 // MPState*
}

// DebugRegs mirrors struct kvm_debugregs.
type DebugRegs struct {
	DB       [4]uint64
	DR6      uint64
	DR7      uint64
	Flags    uint64
	Reserved [9]uint64
}

// Run mirrors struct kvm_run, the page shared with the kernel through
// mmap on the vCPU descriptor. Exit is the union of exit-specific data;
// the IO, MMIO, ... methods view it as the member ExitReason selects.
type Run struct {
	// in
	RequestInterruptWindow uint8
	ImmediateExit          uint8
	_                      [6]uint8 // padding1
	// out
	ExitReason                 uint32
	ReadyForInterruptInjection uint8
	IFFlag                     uint8 // if_flag
	Flags                      uint16
	// in (pre_kvm_run), out (post_kvm_run)
	CR8      uint64
	APICBase uint64
	Exit     [256]uint8 // the anonymous exit union
	// KVM_CAP_SYNC_REGS
	KVMValidRegs uint64
	KVMDirtyRegs uint64
	S            [2048]uint8 // union { struct kvm_sync_regs regs; char padding[2048]; } s
}

// RunIO mirrors the io member of the kvm_run exit union (KVM_EXIT_IO).
// The Count items of Size bytes live in the kvm_run mapping at DataOffset.
type RunIO struct {
	Direction  uint8 // ExitIOIn, ExitIOOut
	Size       uint8 // 1, 2 or 4
	Port       uint16
	Count      uint32 // > 1 for string I/O (INS/OUTS)
	DataOffset uint64 // relative to the start of kvm_run
}

// RunMMIO mirrors the mmio member (KVM_EXIT_MMIO). For a read, userspace
// fills Data before the next KVM_RUN.
type RunMMIO struct {
	PhysAddr uint64
	Data     [8]uint8
	Len      uint32
	IsWrite  uint8
	_        [3]uint8
}

// RunFailEntry mirrors the fail_entry member (KVM_EXIT_FAIL_ENTRY).
type RunFailEntry struct {
	HardwareEntryFailureReason uint64
	CPU                        uint32
	_                          uint32
}

// RunEx mirrors the ex member (KVM_EXIT_EXCEPTION).
type RunEx struct {
	Exception uint32
	ErrorCode uint32
}

// RunInternal mirrors the internal member (KVM_EXIT_INTERNAL_ERROR).
type RunInternal struct {
	Suberror uint32
	NData    uint32
	Data     [16]uint64
}

// RunSystemEvent mirrors the system_event member (KVM_EXIT_SYSTEM_EVENT).
type RunSystemEvent struct {
	Type  uint32 // SystemEvent*
	NData uint32
	Data  [16]uint64
}
