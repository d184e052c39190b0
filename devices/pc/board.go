package pc

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"ringzero/bios/acpi"
	"ringzero/bios/linuxboot"
	"ringzero/bios/multiboot"
	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/cpu/kvm"
	"ringzero/devices/apic"
	"ringzero/devices/ata"
	"ringzero/devices/bus"
	"ringzero/devices/clock"
	"ringzero/devices/cmos"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/devices/dma"
	"ringzero/devices/floppy"
	"ringzero/devices/fwcfg"
	"ringzero/devices/i8042"
	"ringzero/devices/irq"
	"ringzero/devices/pci"
	"ringzero/devices/pic"
	"ringzero/devices/piix"
	"ringzero/devices/pit"
	"ringzero/devices/uart"
	"ringzero/devices/vga"
)

// Config describes the machine to build.
type Config struct {
	Model    cpu.Model
	MemBytes uint64 // RAM size; at least 1 MiB... any multiple of 4 KiB from 64 KiB
	BIOS     []byte // 64, 128 or 256 KiB
	Engine   string // interp, auto (jit, trap, bt, kvm: later)

	Floppy    [2]*disk.Image // A:, B:
	HardDisks [4]*disk.Image // hda-hdd: primary master/slave, secondary master/slave
	// Boot is QEMU's -boot order: letters a (floppy), c (first hard
	// disk), d (CD-ROM). Empty: "cad"-like default (floppy if present,
	// then disk).
	Boot string

	Serial   [2]io.Writer // COM1, COM2 output; nil: discarded
	DebugCon io.Writer    // port 0xE9; nil: discarded
	// DebugExit maps an isa-debug-exit device; nil: none.
	DebugExit *debugport.Config
	RTCStart  time.Time // RTC time at power-on
	NoReboot  bool      // a reset ends the run (status 0; triple fault 4)
	// OnInterrupt, if set, is told of every exception and interrupt the
	// CPU delivers (-d int).
	OnInterrupt func(cpu.InterruptEvent)

	// Kernel is a Linux bzImage loaded into RAM as QEMU's -kernel does,
	// with Initrd and the command line Append; the BIOS POSTs and then
	// enters the kernel's setup code instead of booting a disk.
	Kernel, Initrd []byte
	Append         string
	// Modules are a Multiboot kernel's modules (QEMU's -initrd a,b,c).
	Modules []multiboot.Module

	// CDROM is an ISO image on the secondary IDE master (ATAPI).
	CDROM *disk.Image
	// VGABIOS is the option ROM of the PCI VGA (vgabios-stdvga.bin) for
	// firmware that runs option ROMs (SeaBIOS); nil: none.
	VGABIOS []byte
	// PortLogs capture what the guest writes to I/O ports (-portlog).
	PortLogs map[uint16]io.Writer
	// OnNote, if set, hears one-line notes about the run (an engine
	// hand-over).
	OnNote func(string)
	// SerialConsole asks SeaBIOS (fw_cfg etc/sercon-port) to mirror its
	// text screen on COM1, as QEMU does with -nographic.
	SerialConsole bool
}

// Machine is one PC.
type Machine struct {
	cfg   Config
	Bus   *bus.Bus
	Clock *clock.Clock
	CPU   cpu.Engine
	RAM   []byte

	PIC    *pic.Controller
	LAPIC  *apic.Local // the CPU's local APIC (Pentium II); nil on older models
	IOAPIC *apic.IO    // the I/O APIC beside the 8259s; nil without a LAPIC
	PIT    *pit.Timer
	RTC    *cmos.RTC
	KBC    *i8042.Controller
	PortA  *i8042.PortA
	A20    *i8042.A20Gate
	VGA    *vga.Bochs // the standard VGA with the Bochs VBE extension
	COM    [2]*uart.Port
	DMA    *dma.Controller
	FDC    *floppy.Controller
	IDE    [2]*ata.Channel
	Debug  *debugport.Console
	POST   *debugport.POST
	Exit   *debugport.Exit
	PM     *debugport.PowerManagement
	PCI    *pci.Host     // nil on the ISA board (the built-in BIOS)
	APM    *piix.APM     // APM control and status ports (PCI board)
	FWCfg  *fwcfg.Device // QEMU's firmware configuration (PCI board)
	stop   cpu.StopFlag
	nmi    atomic.Bool // the CPU's NMI request (from the local APIC)
	status int         // exit status requested by a device

	lapicAt uint32 // where the local APIC's page is mapped, when lapicOn
	lapicOn bool

	wake chan struct{} // host input arrived: an idle run loop looks at once

	env          cpu.Env // what the engine sees (kept for hand-overs)
	handovers    int
	resetPending bool
	resets       int
}

// Errors from New.
var (
	ErrBIOSSize = errors.New("pc: BIOS image must be 64, 128 or 256 KiB")
	ErrMemSize  = errors.New("pc: memory size must be a multiple of 4 KiB between 1 MiB and 3.5 GiB")
)

const maxMem = 3584 << 20

// New builds a machine from cfg.
func New(cfg Config) (*Machine, error) {
	switch len(cfg.BIOS) {
	case 64 << 10, 128 << 10, 256 << 10:
	default:
		return nil, ErrBIOSSize
	}
	if cfg.MemBytes < 1<<20 || cfg.MemBytes > maxMem || cfg.MemBytes%bus.PageSize != 0 {
		return nil, ErrMemSize
	}
	if cfg.RTCStart.IsZero() {
		cfg.RTCStart = time.Now()
	}
	m := &Machine{cfg: cfg, Bus: bus.New(), Clock: clock.New(clock.DefaultHz), wake: make(chan struct{}, 1)}
	if err := m.wire(); err != nil {
		return nil, err
	}
	var intr cpu.Interrupts = m.PIC
	if m.LAPIC != nil {
		intr = m.LAPIC
	}
	m.env = cpu.Env{Bus: m.Bus, Intr: intr, Clock: m.Clock, Stop: &m.stop, NMI: &m.nmi, OnInterrupt: cfg.OnInterrupt,
		FERR: m.isaIRQ(13).Set}
	eng, err := newEngine(cfg.Engine, cfg.Model, m.env)
	if err != nil {
		return nil, err
	}
	m.CPU = eng
	m.setupCMOS()
	if err := m.loadKernel(); err != nil {
		return nil, err
	}
	return m, nil
}

// loadKernel places the -kernel image in RAM and tells the BIOS, through
// CMOS, to enter it after POST. QEMU reloads it on every reset; so does
// Reset.
func (m *Machine) loadKernel() error {
	if m.cfg.Kernel == nil {
		return nil
	}
	if m.pciBoard() {
		// The kernel goes in through CMOS to the built-in BIOS's INT 19h;
		// a 128/256 KiB firmware (SeaBIOS) never looks there and would
		// boot a disk instead. QEMU gives SeaBIOS an option ROM that
		// reads the kernel from fw_cfg; there is none here yet.
		return errors.New("-kernel: needs the built-in BIOS (not -bios with a 128 or 256 KiB image such as SeaBIOS)")
	}
	ram := m.RAM[:m.cfg.MemBytes]
	var e linuxboot.Entry
	if multiboot.Detect(m.cfg.Kernel) != multiboot.None && !isBzImage(m.cfg.Kernel) {
		// A Multiboot kernel: loaded where it asks, entered in 32-bit
		// protected mode by a small real-mode trampoline the BIOS's
		// INT 19h hand-over runs after POST.
		if m.cfg.Model < cpu.Model386 {
			return errors.New("-kernel: a Multiboot kernel needs a 386 or later (-cpu)")
		}
		b, err := multiboot.Load(ram, m.cfg.Kernel, m.cfg.Modules, m.cfg.Append, multiboot.PCMemoryMap(uint64(len(ram))))
		if err != nil {
			return fmt.Errorf("-kernel: %w", err)
		}
		if err := b.WriteTrampoline(ram, linuxboot.SetupSeg); err != nil {
			return fmt.Errorf("-kernel: %w", err)
		}
		e = linuxboot.Entry{Segment: linuxboot.SetupSeg, SP: 0xE000}
	} else {
		var err error
		e, err = linuxboot.Load(ram, m.cfg.Kernel, m.cfg.Initrd, m.cfg.Append)
		if err != nil {
			return fmt.Errorf("-kernel: %w", err)
		}
	}
	for i, v := range e.CMOS() {
		m.RTC.SetByte(i, v)
	}
	return nil
}

// SetKernel fills Kernel, Initrd, Modules and Append from QEMU's
// -kernel, -initrd and -append: a Linux bzImage takes one initrd file; a
// Multiboot kernel takes modules "file args,file args" and a command line
// that starts with its own name, as QEMU passes it. read opens files.
func (c *Config) SetKernel(kernel, initrd, cmdline string, read func(string) ([]byte, error)) error {
	k, err := read(kernel)
	if err != nil {
		return fmt.Errorf("-kernel: %w", err)
	}
	c.Kernel, c.Append = k, cmdline
	if isBzImage(k) {
		if initrd != "" {
			if c.Initrd, err = read(initrd); err != nil {
				return fmt.Errorf("-initrd: %w", err)
			}
		}
		return nil
	}
	if initrd != "" {
		if c.Modules, err = multiboot.ParseModules(initrd, read); err != nil {
			return fmt.Errorf("-initrd: %w", err)
		}
	}
	c.Append = strings.TrimSpace(kernel + " " + cmdline)
	return nil
}

// isBzImage reports a Linux kernel ("HdrS" at 0x202).
func isBzImage(k []byte) bool {
	return len(k) >= 0x206 && string(k[0x202:0x206]) == "HdrS"
}

// RequestBreak stops the engine after the current instruction (a
// debugger's Ctrl-C).
func (m *Machine) RequestBreak() {
	if !m.stop.Pending() {
		m.stop.Request(cpu.ExitBreakpoint)
	}
}

// Engines lists the -engine names; the ones not built yet are refused.
var Engines = []string{"auto", "interp", "jit", "trap", "bt", "kvm"}

func newEngine(name string, model cpu.Model, env cpu.Env) (cpu.Engine, error) {
	switch name {
	case "", "auto":
		// kvm only where it is hardware-accelerated and can run every
		// mode a guest may enter (paging, protected-mode interrupts,
		// x87); else the interpreter.
		if model >= cpu.Model386 {
			if info := kvm.Probe(); info.Err == nil && info.Paging && info.ProtectedInterrupts && info.X87 &&
				info.InstructionCost > 0 && info.InstructionCost < 20*time.Nanosecond {
				if e, err := kvm.New(model, env, kvm.Config{}); err == nil {
					return e, nil
				}
			}
		}
		return interp.New(model, env), nil
	case "interp":
		return interp.New(model, env), nil
	case "kvm":
		e, err := kvm.New(model, env, kvm.Config{})
		if err != nil {
			return nil, fmt.Errorf("pc: -engine kvm: %w", err)
		}
		return e, nil
	case "jit", "trap", "bt":
		return nil, fmt.Errorf("pc: engine %q is not built yet (use interp or kvm)", name)
	}
	return nil, fmt.Errorf("pc: unknown engine %q (one of %v)", name, Engines)
}

// wire creates every device and maps it. The only wiring site.
func (m *Machine) wire() error {
	b, clk := m.Bus, m.Clock
	cfg := &m.cfg
	var errs []error
	must := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	ports := func(base uint16, n uint32, name string, h bus.PortHandler, s bus.Sizes) {
		must(b.MapPorts(base, n, name, h, s))
	}

	// Memory.
	m.RAM = make([]byte, cfg.MemBytes)
	low := min(uint64(len(m.RAM)), 0xA0000)
	must(b.MapRAM(0, m.RAM[:low], false))
	high := m.RAM[min(len(m.RAM), 0x100000):]
	if cfg.Model == cpu.Model286 && len(m.RAM) > 0x1000000-len(cfg.BIOS) {
		// The 286's 24-bit bus ends at 16 MiB, where its BIOS sits: RAM
		// stops below the ROM, as on the PC/AT.
		high = m.RAM[0x100000 : 0x1000000-len(cfg.BIOS)]
		m.cfg.MemBytes = uint64(0x1000000 - len(cfg.BIOS))
	}
	if len(high) > 0 {
		must(b.MapRAM(0x100000, high, false))
	}
	rom := append([]byte(nil), cfg.BIOS...)
	must(b.MapRAM(uint32(0x100000000-uint64(len(rom))), rom, true))
	lowROM := rom
	if len(lowROM) > 128<<10 {
		lowROM = lowROM[len(lowROM)-128<<10:]
	}
	must(b.MapRAM(uint32(0x100000-len(lowROM)), lowROM, true))
	// ACPI tables (RSDP at E0000) in the 64 KiB below a 64 KiB BIOS; a
	// larger BIOS (SeaBIOS) brings its own.
	if len(rom) == 64<<10 {
		acfg := acpi.DefaultConfig()
		if !hasAPIC(cfg.Model) {
			acfg.MADT = nil
		}
		tables, err := acpi.Build(acfg)
		must(err)
		if err == nil {
			// Writable: the FACS holds the global lock and the waking
			// vector the OS writes.
			must(b.MapRAM(acpi.DefaultBase, tables, false))
		}
	}
	// The 286's 24-bit bus sees its reset vector just below 16 MiB.
	if m.cfg.MemBytes <= uint64(0x1000000-len(rom)) {
		must(b.MapRAM(uint32(0x1000000-len(rom)), rom, true))
	}

	// Interrupt controllers: the PIC pair drives the CPU's INTR.
	m.PIC = pic.New()
	ports(pic.MasterBase, pic.Ports, "pic1", m.PIC.MasterPorts(), bus.Size8)
	ports(pic.SlaveBase, pic.Ports, "pic2", m.PIC.SlavePorts(), bus.Size8)
	ports(pic.ELCRBase, pic.Ports, "elcr", m.PIC.ELCRPorts(), bus.Size8)
	if hasAPIC(cfg.Model) {
		// The APICs of a Pentium II board, as QEMU's pc machine has them:
		// the local APIC is what the CPU asks, with the PIC's INTR on
		// LINT0 (ExtINT from reset, so the 8259s work as before); the
		// I/O APIC sees every ISA line beside the 8259s (isaIRQ) and
		// sends to the local APIC, which sends EOIs of level-triggered
		// vectors back.
		m.IOAPIC = apic.NewIO(func(msg apic.Message) { m.LAPIC.Deliver(msg) })
		m.LAPIC = apic.NewLocal(apic.LocalConfig{
			Clock: clk,
			PIC:   m.PIC,
			NMI: irq.Func(func(level bool) {
				if level {
					m.nmi.Store(true)
				}
			}),
			EOI: m.IOAPIC.EOI,
			Remap: func(base uint32, on bool) {
				// A guest that moves the page onto RAM or a device loses
				// it (the bus keeps regions apart); that is its own doing
				// and no host error.
				_ = m.placeLAPIC(base, on)
			},
		})
		m.PIC.SetINTR(m.LAPIC.LINT0())
		must(b.MapMMIO(apic.IOBase, apic.IOSize, "ioapic", m.IOAPIC, bus.SizeAll))
		must(m.placeLAPIC(apic.DefaultBase, true))
	}
	irqLine := m.isaIRQ

	// Timer and system control port B.
	m.PIT = pit.New(clk, irqLine(pit.IRQ))
	ports(pit.Base, pit.Ports, "pit", m.PIT, bus.Size8)
	ports(pit.SystemControlPort, 1, "port61", m.PIT.SystemControl(), bus.Size8)

	// RTC and CMOS.
	m.RTC = cmos.New(clk, irqLine(cmos.IRQ), cfg.RTCStart)
	ports(cmos.Base, 2, "cmos", m.RTC, bus.Size8)

	// Keyboard controller, port 92 and the A20 gate they share.
	m.A20 = i8042.NewA20Gate(b.SetA20)
	m.KBC = i8042.New(i8042.Config{
		KeyboardLine: irqLine(1),
		MouseLine:    irqLine(12),
		OnReset:      m.requestReset,
		OnA20:        m.A20.Controller,
	})
	m.KBC.SetNotify(m.wakeUp)
	ports(0x60, 1, "kbd-data", m.KBC.Data(), bus.Size8)
	ports(0x64, 1, "kbd-cmd", m.KBC.Command(), bus.Size8)
	m.PortA = i8042.NewPortA(m.A20.PortA, m.requestReset)
	ports(i8042.PortABase, 1, "port92", m.PortA, bus.Size8)

	// Serial ports.
	for i, base := range []uint16{uart.COM1, 0x2F8} {
		m.COM[i] = uart.New(clk, irqLine([]int{4, 3}[i]), orDiscard(cfg.Serial[i]))
		m.COM[i].SetNotify(m.wakeUp)
		ports(base, 8, fmt.Sprintf("com%d", i+1), m.COM[i], bus.Size8)
	}

	// VGA (with the Bochs VBE extension, as QEMU's -vga std).
	std, err := vga.NewBochs(clk, 0)
	if err != nil {
		return err
	}
	m.VGA = std
	ports(vga.PortBase, vga.PortSize, "vga", std, bus.SizeAll)
	must(b.MapMMIO(vga.MemBase, vga.MemSize, "vga-mem", std, bus.SizeAll))
	ports(vga.VBEPortBase, vga.VBEPortSize, "vbe", std.VBE(), bus.SizeAll)

	// DMA and floppy.
	m.DMA = dma.New(b)
	ports(dma.DMA1Base, dma.DMA1Size, "dma1", m.DMA.DMA1(), bus.Size8)
	ports(dma.DMA2Base, dma.DMA2Size, "dma2", m.DMA.DMA2(), bus.Size8)
	ports(dma.PageBase, dma.PageSize, "dma-page", m.DMA.Pages(), bus.Size8)
	m.FDC = floppy.New(irqLine(6), m.DMA.Channel(2))
	ports(floppy.Base, floppy.Size, "fdc", m.FDC, bus.Size8)
	ports(floppy.DIRPort, floppy.DIRSize, "fdc-dir", m.FDC.DIR(), bus.Size8)
	for i, img := range cfg.Floppy {
		if img != nil {
			if err := m.FDC.Attach(i, img); err != nil {
				return fmt.Errorf("floppy %c: %w", 'a'+i, err)
			}
		}
	}

	// IDE.
	for ch := 0; ch < 2; ch++ {
		cmd, ctl, n := uint16(ata.PrimaryCmd), uint16(ata.PrimaryCtl), ata.PrimaryIRQ
		if ch == 1 {
			cmd, ctl, n = ata.SecondaryCmd, ata.SecondaryCtl, ata.SecondaryIRQ
		}
		m.IDE[ch] = ata.NewChannel(irqLine(n))
		ports(cmd, 8, fmt.Sprintf("ide%d", ch), m.IDE[ch], bus.SizeAll)
		ports(ctl, 1, fmt.Sprintf("ide%d-ctl", ch), m.IDE[ch].Control(), bus.Size8)
		for pos := 0; pos < 2; pos++ {
			img := cfg.HardDisks[2*ch+pos]
			if img == nil {
				continue
			}
			d, err := ata.NewDisk(img, fmt.Sprintf("RZ%02d%d", ch, pos))
			if err != nil {
				return fmt.Errorf("hd%c: %w", 'a'+2*ch+pos, err)
			}
			if err := m.IDE[ch].Attach(pos, d); err != nil {
				return fmt.Errorf("hd%c: %w", 'a'+2*ch+pos, err)
			}
		}
	}

	// Debug ports and power management.
	m.Debug = debugport.NewConsole(orDiscard(cfg.DebugCon))
	ports(debugport.ConsolePort, debugport.ConsoleSize, "debugcon", m.Debug, bus.Size8)
	m.POST = debugport.NewPOST(nil)
	if w := cfg.PortLogs[debugport.POSTPort]; w != nil {
		m.POST = debugport.NewPOST(func(code uint8) { w.Write([]byte{code}) })
	}
	ports(debugport.POSTPort, debugport.POSTSize, "post", m.POST, bus.Size8)
	if cfg.DebugExit != nil {
		m.Exit = debugport.NewExit(func(status int) {
			m.status = status
			m.stop.Request(cpu.ExitDebugExit)
		})
		ports(cfg.DebugExit.IOBase, cfg.DebugExit.IOSize, "isa-debug-exit", m.Exit, bus.SizeAll)
	}
	m.PM = debugport.NewPowerManagement(clk, irqLine(debugport.SCIIRQ), func() {
		m.stop.Request(cpu.ExitPowerOff)
	})
	if !m.pciBoard() {
		m.mapPM(debugport.PM1aEventBase)
	}

	// The FPU error latch: IRQ 13 stays raised until the guest writes
	// port 0xF0 (the AT's "clear math coprocessor busy").
	ports(0xF0, 1, "fpu-clear", fpuClear{irqLine(13)}, bus.Size8)

	// Port captures: a port nothing else decodes gets a write-only
	// logger (reads all ones, as an empty ISA port); 0x80 is the POST
	// latch's own callback, 0xE9 is -debugcon.
	for port, w := range cfg.PortLogs {
		if port == debugport.POSTPort || port == debugport.ConsolePort {
			continue
		}
		ports(port, 1, fmt.Sprintf("portlog-%#x", port), portLogger{w}, bus.Size8)
	}

	// CD-ROM: the secondary master, as QEMU's -cdrom.
	if cfg.CDROM != nil {
		cd, err := ata.NewCDROM(cfg.CDROM, "RZCD0")
		if err != nil {
			return fmt.Errorf("cdrom: %w", err)
		}
		must(m.IDE[1].Attach(0, cd))
	}

	if m.pciBoard() {
		must(m.wirePCI(lowROM))
	} else {
		// The reset control register alone (on the PCI board it sits in
		// the configuration ports' range and the host serves it).
		ports(piix.RCRPort, 1, "rcr", m.newResetControl(), bus.Size8)
	}
	return errors.Join(errs...)
}

// hasAPIC reports a model with a local APIC: the Pentium II (QEMU's
// pc machine gives its CPUs one; the older -cpu models have none).
func hasAPIC(m cpu.Model) bool { return m >= cpu.ModelP2 }

// isaIRQ returns ISA interrupt line n as the devices drive it: the 8259
// pair's input n and, on a board with an I/O APIC, that chip's pin n too,
// but for IRQ 0 (the PIT), which goes to pin 2 (apic.ISATimerPin) as the
// MADT's interrupt source override says, and IRQ 2, which the AT bus
// turns into IRQ 9 on both.
func (m *Machine) isaIRQ(n int) irq.Line {
	p := m.PIC.IRQ(n)
	if m.IOAPIC == nil || n < 0 || n >= pic.NumIRQ {
		return p
	}
	pin := n
	switch n {
	case 0:
		pin = apic.ISATimerPin
	case pic.CascadeIRQ:
		pin = 9
	}
	return bothLines{p, m.IOAPIC.Pin(pin)}
}

// bothLines drives an 8259 input and an I/O APIC pin together, as the
// ISA IRQ wires do on a board with both.
type bothLines [2]irq.Line

func (b bothLines) Set(level bool) {
	b[0].Set(level)
	b[1].Set(level)
}

// placeLAPIC moves the local APIC's MMIO page to base, or removes it
// (the guest wrote IA32_APIC_BASE, or a reset put it back). A page the
// guest moves onto RAM or another device is left unmapped: the bus has
// no overlapping regions.
func (m *Machine) placeLAPIC(base uint32, on bool) error {
	if m.lapicOn {
		m.Bus.Unmap(m.lapicAt, apic.Size)
		m.lapicOn = false
	}
	if !on {
		return nil
	}
	if err := m.Bus.MapMMIO(base, apic.Size, "lapic", m.LAPIC, bus.SizeAll); err != nil {
		return err
	}
	m.lapicAt, m.lapicOn = base, true
	return nil
}

// mapPM maps the power-management block (PM1a events, control, timer) at
// base, as the FADT and the PIIX4's PMBA place it.
func (m *Machine) mapPM(base uint16) {
	m.Bus.MapPorts(base+piix.PMEventsOff, debugport.PM1EventLen, "pm1a-evt", m.PM.Events(), bus.SizeAll)
	m.Bus.MapPorts(base+piix.PMControlOff, debugport.PM1ControlLen, "pm1a-cnt", m.PM.Control(), bus.SizeAll)
	m.Bus.MapPorts(base+piix.PMTimerOff, debugport.PMTimerLen, "pm-tmr", m.PM.Timer(), bus.SizeAll)
}

// unmapPM removes the power-management block from base.
func (m *Machine) unmapPM(base uint16) {
	for _, off := range []uint16{piix.PMEventsOff, piix.PMControlOff, piix.PMTimerOff} {
		m.Bus.UnmapPorts(base + off)
	}
}

// pciBoard reports the i440FX/PIIX chipset: a firmware larger than the
// built-in 64 KiB BIOS (SeaBIOS) finds its PCI devices, fw_cfg and PAM
// there; the built-in BIOS runs on the plain ISA board.
func (m *Machine) pciBoard() bool { return len(m.cfg.BIOS) > 64<<10 }

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// portLogger appends the bytes written to a port to a writer.
type portLogger struct{ w io.Writer }

func (p portLogger) ReadPort(off uint16, size int) uint32 { return 0xFFFFFFFF }
func (p portLogger) WritePort(off uint16, size int, v uint32) {
	p.w.Write([]byte{byte(v)})
}

// fpuClear is port 0xF0: any write drops FERR# (IRQ 13).
type fpuClear struct{ line irq.Line }

func (f fpuClear) ReadPort(off uint16, size int) uint32     { return 0xFF }
func (f fpuClear) WritePort(off uint16, size int, v uint32) { f.line.Set(false) }

// newResetControl is the 0xCF9 register, wired to the machine's reset.
func (m *Machine) newResetControl() *piix.ResetControl {
	return &piix.ResetControl{OnReset: func(bool) { m.requestReset() }}
}

// requestReset asks the CPU to stop and the machine to reset.
func (m *Machine) requestReset() {
	m.resetPending = true
	m.stop.Request(cpu.ExitReset)
}
