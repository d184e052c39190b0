package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/devices/bus"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
	"ringzero/testroms"
)

// benchLoop is a register/ALU loop with some memory traffic (the same mix
// as cpu/interp's BenchmarkInterp), 16-bit real-mode code at 0000:1000.
var benchLoop = []byte{
	0x89, 0xD8, 0x01, 0xC8, 0x31, 0xC2, 0x83, 0xEB, 0x03, 0x46, 0xD1, 0xE7,
	0x81, 0xE7, 0xFE, 0x7F, 0x88, 0x84, 0x00, 0x20, 0x8B, 0xAC, 0x00, 0x20,
	0x81, 0xFE, 0xFF, 0x0F, 0x72, 0x100 - 30, 0x31, 0xF6, 0xEB, 0x100 - 34,
}

// benchCmd is `ringzero bench`: guest MIPS of each software engine on a
// CPU loop, and the wall time of a whole boot (BIOS, demo self-test);
// `ringzero bench linux` times a Linux boot against QEMU (benchLinuxCmd).
func benchCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "linux" {
		return benchLinuxCmd(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	model := fs.String("cpu", "pentium2", "CPU `model`")
	engine := fs.String("engine", "interp", "`engine` to measure")
	dur := fs.Duration("time", 2*time.Second, "how long to run the CPU loop")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	m, err := cpu.ParseModel(*model)
	if err != nil {
		return usageError(stderr, "bench", err)
	}
	newEngine, ok := softwareEngines[*engine]
	if !ok {
		return usageError(stderr, "bench", fmt.Errorf("-engine %s: not a software engine (%v)", *engine, softwareEngineNames()))
	}

	// 1. The CPU loop.
	ram := make([]byte, 1<<20)
	copy(ram[0x1000:], benchLoop)
	b := bus.New()
	if err := b.MapRAM(0, ram, false); err != nil {
		fmt.Fprintf(stderr, "ringzero: %v\n", err)
		return exitUsage
	}
	e := newEngine(m, cpu.Env{Bus: b})
	s := e.State()
	s.SetRealSeg(cpu.CS, 0)
	s.SetRealSeg(cpu.DS, 0)
	s.SetRealSeg(cpu.SS, 0)
	s.EIP, s.Regs[cpu.ESP] = 0x1000, 0x8000
	e.SetState(s)
	start := time.Now()
	var n uint64
	for time.Since(start) < *dur {
		exit, err := e.Run(context.Background(), 1<<20)
		if err != nil {
			fmt.Fprintf(stderr, "ringzero: %v\n", err)
			return exitUsage
		}
		n += exit.Cycles
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "cpu loop   %-8s %-9s %6.1f ns/instruction  %7.1f MIPS  (%d instructions)\n",
		*engine, m, float64(el.Nanoseconds())/float64(n), float64(n)/el.Seconds()/1e6, n)

	// 2. A whole boot: BIOS POST, floppy boot, the demo's self-test.
	img, err := testroms.Image(testroms.DemoSelfTest)
	if err != nil {
		fmt.Fprintf(stderr, "ringzero: %v\n", err)
		return exitUsage
	}
	exitCfg := debugport.DefaultConfig()
	cfg := pc.Config{Model: m, MemBytes: 32 << 20, BIOS: bios.Image, Engine: *engine, DebugExit: &exitCfg,
		RTCStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg.Floppy[0] = disk.FromBytesWith(img, disk.Options{Snapshot: true})
	mach, err := pc.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "ringzero: %v\n", err)
		return exitUsage
	}
	start = time.Now()
	res, err := mach.Run(context.Background(), pc.RunOptions{})
	el = time.Since(start)
	if err != nil {
		fmt.Fprintf(stderr, "ringzero: %v\n", err)
		return exitUsage
	}
	st := mach.CPU.Stats()
	fmt.Fprintf(stdout, "demo boot  %-8s %-9s %6.3f s wall, %d instructions, %v virtual, status %#x\n",
		*engine, m, el.Seconds(), st.Instructions, time.Duration(mach.Clock.Now()).Round(time.Millisecond), res.Status)
	return exitOK
}
