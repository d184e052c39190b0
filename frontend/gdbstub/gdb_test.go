package gdbstub_test

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"ringzero/bios"
	"ringzero/cpu"
	"ringzero/devices/debugport"
	"ringzero/devices/disk"
	"ringzero/devices/pc"
	"ringzero/frontend/gdbstub"
	"ringzero/testroms"
)

// runGDB runs Debian's gdb in batch mode against the stub on port, with
// cmds after "target remote", and returns what it printed.
func runGDB(t *testing.T, port string, cmds ...string) string {
	t.Helper()
	gdb, err := exec.LookPath("gdb")
	if err != nil {
		missing(t, "gdb is not installed (apt-get install -y gdb)")
	}
	args := []string{"-nx", "-batch", "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:" + port}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, gdb, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, out)
	}
	t.Logf("gdb %s\n%s", strings.Join(args, " "), out)
	return string(out)
}

// wantLines checks that the patterns match lines of out in order.
func wantLines(t *testing.T, out string, patterns ...string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		for i < len(lines) && !re.MatchString(lines[i]) {
			i++
		}
		if i == len(lines) {
			t.Errorf("gdb printed no line matching %q (in order) in:\n%s", p, out)
			return
		}
		i++
	}
}

// TestGDBDrivesTheStub: registers, breakpoints, steps, memory and
// watchpoints through gdb itself, on the small machine.
func TestGDBDrivesTheStub(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	out := runGDB(t, m.port(),
		"info registers",
		"break *0x1007",
		"continue",
		"stepi",
		"x/4xb 0x1000",
		"delete",
		"watch *(short*)0x2000",
		"continue",
		"delete",
		"rwatch *(char*)0x2101",
		"continue",
		"delete",
		"set $eax = 0x55aa",
		"p/x $ax",
		"p $cr0",
		"info registers cs_base gdtr_limit",
	)
	wantLines(t, out,
		`^0x00001000 in \?\? \(\)`,
		`^eax +0x0 `,
		`^eip +0x1000 `,
		`^eflags +0x2 `,
		`^cs +0x0 `,
		`^cr0 +0x60000010 +\[ ET NW CD \]`,
		`^Breakpoint 1 at 0x1007`,
		`^Breakpoint 1, 0x00001007 in \?\? \(\)`,
		`^0x0000100b in \?\? \(\)`,
		`^0x1000:\s+0xb8\s+0x34\s+0x12\s+0x40`,
		`^Hardware watchpoint 2: \*\(short\*\)0x2000`,
		`^Old value = 4661`,
		`^New value = 4662`,
		`^Hardware read watchpoint 3: \*\(char\*\)0x2101`,
		`^Value = 0 '\\000'`,
		`^\$1 = 0x55aa`,
		`^\$2 = \[ ET NW CD \]`,
		`^cs_base +0x0`,
		`^gdtr_limit +0xffff`,
	)
}

// boardLoop is the machine's run loop with the stub's hooks, as
// devices/pc's Run will call them: Before and After around each engine
// run, Exited when the guest ends the run.
func boardLoop(ctx context.Context, m *pc.Machine, stub *gdbstub.Stub) error {
	for {
		m.KBC.Poll()
		budget, err := stub.Before(ctx, 1<<20)
		if err != nil {
			return err
		}
		exit, err := m.CPU.Run(ctx, budget)
		if err != nil {
			return err
		}
		stub.After(exit)
		switch exit.Reason {
		case cpu.ExitHalt:
			d := m.Clock.NextDeadline()
			if d == ^uint64(0) || d == 0 {
				d = m.Clock.CyclesFor(uint64(time.Millisecond))
			}
			m.Clock.Advance(d)
		case cpu.ExitCanceled:
			return ctx.Err()
		case cpu.ExitDebugExit:
			status, _ := m.Exit.Status()
			stub.Exited(status)
			return nil
		case cpu.ExitPowerOff, cpu.ExitReset, cpu.ExitTripleFault:
			stub.Exited(0)
			return nil
		}
	}
}

// TestGDBOnAPC boots the realmode test ROM from floppy A with the built-in
// BIOS on a real board, held at reset (-S) until gdb continues: a
// breakpoint at the boot sector, a step, memory, then the ROM runs to its
// isa-debug-exit and gdb sees the exit status.
func TestGDBOnAPC(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping a guest boot with -short")
	}
	img, err := testroms.Image("realmode")
	if err != nil {
		t.Fatal(err)
	}
	var stub *gdbstub.Stub
	cfg := pc.Config{Model: cpu.ModelP2, MemBytes: 16 << 20, BIOS: bios.Image, NoReboot: true,
		RTCStart: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
		OnInterrupt: func(ev cpu.InterruptEvent) {
			stub.NoteInterrupt(ev)
		}}
	cfg.Floppy[0] = disk.FromBytesWith(img, disk.Options{Snapshot: true})
	exit := debugport.DefaultConfig()
	cfg.DebugExit = &exit
	m, err := pc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	stub, err = gdbstub.Listen("127.0.0.1:0", gdbstub.NewTarget(m.CPU, m.Bus), gdbstub.Config{StartStopped: true})
	if err != nil {
		t.Fatal(err)
	}
	defer stub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- boardLoop(ctx, m, stub) }()

	_, port, _ := net.SplitHostPort(stub.Addr().String())
	out := runGDB(t, port,
		"info registers eip cs cs_base cr0",
		"break *0x7c00",
		"continue",
		"x/5xb 0x7c00",
		"stepi",
		"info registers eip cs",
		"delete",
		"continue",
	)
	wantLines(t, out,
		// Held at the reset vector: F000:FFF0 with CS base FFFF0000.
		`^0x0000fff0 in \?\? \(\)`,
		`^eip +0xfff0 `,
		`^cs +0xf000 `,
		`^cs_base +0xffff0000 `,
		`^cr0 +0x60000010 `,
		`^Breakpoint 1 at 0x7c00`,
		`^Breakpoint 1, 0x00007c00 in \?\? \(\)`,
		// rom.inc's first instruction: jmp 0:7C05h.
		`^0x7c00:\s+0xea\s+0x05\s+0x7c\s+0x00\s+0x00`,
		`^0x00007c05 in \?\? \(\)`,
		`^eip +0x7c05 `,
		`^cs +0x0 `,
		// The ROM passes: isa-debug-exit 0, status 1.
		`\[Inferior 1 \(.*\) exited with code 01\]`,
	)
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, gdbstub.ErrKilled) {
			t.Errorf("run loop: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the machine did not finish")
	}
}
