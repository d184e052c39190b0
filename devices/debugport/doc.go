// Package debugport holds the small ports that let a guest talk to the
// machine rather than to a chip: the Bochs/QEMU debug console, the POST
// code latch, QEMU's isa-debug-exit and an ACPI-style power-management
// block (PM1a event and control registers and the PM timer).
//
// Each device is a bus.PortHandler that sees only offsets within its
// range; the board maps them. The default places, all exported constants:
//
//	Console          ConsolePort 0xE9, 1 port            bus.Size8
//	POST             POSTPort 0x80, 1 port               bus.Size8
//	Exit             Config.IOBase/IOSize from           bus.SizeAll
//	                 ParseDevice (DefaultIOBase 0xF4,
//	                 DefaultIOSize 4)
//	PowerManagement  Events():  PM1aEventBase 0x600, 4   bus.SizeAll
//	                 Control(): PM1aControlBase 0x604, 2 bus.SizeAll
//	                 Timer():   PMTimerBase 0x608, 4     bus.SizeAll
//	                 SCI on IRQ SCIIRQ (9)
//
// For example:
//
//	b.MapPorts(debugport.ConsolePort, debugport.ConsoleSize, "debugcon", con, bus.Size8)
//	b.MapPorts(cfg.IOBase, cfg.IOSize, "isa-debug-exit", exit, bus.SizeAll)
//	b.MapPorts(debugport.PM1aEventBase, debugport.PM1EventLen, "pm1a-evt", pm.Events(), bus.SizeAll)
//
// None of them touches host time: the PM timer counts the virtual clock
// (devices/clock), so runs repeat exactly. Callbacks (POST codes, exit,
// power-off, sleep) run on the goroutine that drives the bus; the board
// turns exit and power-off into a cpu.StopFlag request.
package debugport
