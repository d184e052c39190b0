package gdbstub_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ringzero/frontend/gdbstub"
)

// loopProg counts in AX, stores it at 2000h, loads BX from 2100h, forever.
var loopProg = []byte{
	0xB8, 0x34, 0x12, // 1000: mov ax, 1234h
	0x40,             // 1003: inc ax
	0xA3, 0x00, 0x20, // 1004: mov [2000h], ax
	0x8B, 0x1E, 0x00, 0x21, // 1007: mov bx, [2100h]
	0x43,       // 100B: inc bx
	0xEB, 0xF5, // 100C: jmp 1003h
}

// exitProg exits through isa-debug-exit with 0 (status 1).
var exitProg = []byte{
	0xB0, 0x00, // 1000: mov al, 0
	0xE6, 0xF4, // 1002: out 0F4h, al
	0xF4, // 1004: hlt
}

func TestQueriesAndAttachStop(t *testing.T) {
	m := startMachine(t, gdbstub.Config{}, loopProg)
	c := dial(t, m)
	sup := c.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
	for _, f := range []string{"PacketSize=4000", "qXfer:features:read+", "QStartNoAckMode+", "swbreak+", "hwbreak+"} {
		if !strings.Contains(sup, f) {
			t.Errorf("qSupported %q lacks %s", sup, f)
		}
	}
	// Attaching stops the machine, as QEMU does.
	c.expect("?", "T05thread:1;")
	c.expect("qAttached", "1")
	c.expect("qC", "QC1")
	c.expect("qfThreadInfo", "m1")
	c.expect("qsThreadInfo", "l")
	c.expect("Hg0", "OK")
	c.expect("vCont?", "vCont;c;C;s;S")
	c.expect("qNoSuchThing", "")
	c.expect("vMustReplyEmpty", "")
}

func TestStartStoppedRunsNothingUntilContinue(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	time.Sleep(50 * time.Millisecond) // long enough to run a lot, were it running
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	if eip := c.reg(regEIP); eip != progBase {
		t.Fatalf("EIP %#x: the machine ran before gdb said continue", eip)
	}
	c.expect("s", "T05thread:1;")
	if eip := c.reg(regEIP); eip != progBase+3 {
		t.Errorf("after one step EIP %#x, want %#x", eip, progBase+3)
	}
	if ax := c.reg(regEAX) & 0xFFFF; ax != 0x1234 {
		t.Errorf("AX %#x after mov ax, 1234h", ax)
	}
}

func TestRegisters(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	g := c.cmd("g")
	// eax..gs 16x4 bytes, 8 x87 registers of 10, 8 x87 control words, then
	// fs_base, gs_base, 4 segment bases, CR0 CR2 CR3 CR4, GDTR, IDTR (base,
	// limit), LDTR, TR, DR0-3, DR6, DR7: 4 bytes each.
	want := 2 * (16*4 + 8*10 + 8*4 + 2*4 + 4*4 + 4*4 + 4*4 + 2*4 + 6*4)
	if len(g) != want {
		t.Fatalf("g reply has %d hex digits, want %d", len(g), want)
	}
	if eip := g[8*8 : 9*8]; eip != "00100000" {
		t.Errorf("EIP in g: %s, want 00100000 (1000h little-endian)", eip)
	}
	// P writes one register, G all of them.
	c.expect("P0=78563412", "OK")
	if v := c.reg(regEAX); v != 0x12345678 {
		t.Errorf("EAX %#x after P", v)
	}
	c.expect("G"+g, "OK")
	if v := c.reg(regEAX); v != 0 {
		t.Errorf("EAX %#x after G restored it", v)
	}
	if cr0 := c.reg(regCR0); cr0&1 != 0 {
		t.Errorf("CR0 %#x: PE set in real mode", cr0)
	}
	c.expect("p999", "E00")
	c.expect("P0=12", "E00")
}

func TestMemory(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("m1000,4", "b8341240")
	c.expect("M2000,2:abcd", "OK")
	c.expect("m2000,2", "abcd")
	// X: binary, with '}' escaping '#', '$', '}' and '*'.
	c.expect("X2010,3:"+"}\x03"+"}\x04"+"A", "OK")
	c.expect("m2010,3", "232441")
	c.expect("M2000,2:zz", "E00")
	c.expect("m2000", "E00")
}

func TestBreakpointsAndSteps(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("Z0,1007,1", "OK")
	c.expect("c", "T05thread:1;swbreak:;")
	if eip := c.reg(regEIP); eip != 0x1007 {
		t.Fatalf("stopped at %#x, want the breakpoint 1007h", eip)
	}
	// A step from the breakpoint executes the instruction there.
	c.expect("s", "T05thread:1;")
	if eip := c.reg(regEIP); eip != 0x100B {
		t.Errorf("after the step at %#x, want 100Bh", eip)
	}
	// Continuing from a breakpoint leaves it first, then hits it again.
	c.expect("c", "T05thread:1;swbreak:;")
	c.expect("c", "T05thread:1;swbreak:;")
	if ax := c.reg(regEAX) & 0xFFFF; ax != 0x1237 {
		t.Errorf("AX %#x: the loop did not go round once per continue", ax)
	}
	c.expect("z0,1007,1", "OK")
	c.expect("Z1,100b,1", "OK")
	c.expect("vCont;c", "T05thread:1;hwbreak:;")
	if eip := c.reg(regEIP); eip != 0x100B {
		t.Errorf("stopped at %#x, want the hardware breakpoint 100Bh", eip)
	}
	c.expect("vCont;s:1;c", "T05thread:1;")
	if eip := c.reg(regEIP); eip != 0x100C {
		t.Errorf("vCont step: at %#x, want 100Ch", eip)
	}
	// c ADDR resumes elsewhere.
	c.expect("z1,100b,1", "OK")
	c.expect("Z0,1003,1", "OK")
	c.expect("c1000", "T05thread:1;swbreak:;")
	if ax := c.reg(regEAX) & 0xFFFF; ax != 0x1234 {
		t.Errorf("AX %#x: c 1000 did not restart at 1000h", ax)
	}
}

func TestWatchpoints(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	// Write: reported after the store, with the address.
	c.expect("Z2,2000,2", "OK")
	c.expect("c", "T05thread:1;watch:2000;")
	if eip := c.reg(regEIP); eip != 0x1007 {
		t.Errorf("write watchpoint: EIP %#x, want 1007h (after the store)", eip)
	}
	c.expect("m2000,2", "3512")
	c.expect("c", "T05thread:1;watch:2000;")
	c.expect("m2000,2", "3612")
	c.expect("z2,2000,2", "OK")
	// Read: the load from 2100h.
	c.expect("Z3,2101,1", "OK")
	c.expect("c", "T05thread:1;rwatch:2101;")
	if eip := c.reg(regEIP); eip != 0x100B {
		t.Errorf("read watchpoint: EIP %#x, want 100Bh (after the load)", eip)
	}
	c.expect("z3,2101,1", "OK")
	// Access: the store to 2000h.
	c.expect("Z4,2001,1", "OK")
	c.expect("c", "T05thread:1;awatch:2001;")
	if eip := c.reg(regEIP); eip != 0x1007 {
		t.Errorf("access watchpoint: EIP %#x, want 1007h", eip)
	}
	c.expect("z4,2001,1", "OK")
	c.expect("Z2,2000,0", "E22")
	c.expect("Z9,2000,1", "")
}

func TestInterruptStopsARunningMachine(t *testing.T) {
	m := startMachine(t, gdbstub.Config{}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.send("c")
	time.Sleep(20 * time.Millisecond)
	c.write("\x03")
	if r := c.recv(); r != "T02thread:1;" {
		t.Fatalf("after Ctrl-C: %q, want T02thread:1; (SIGINT)", r)
	}
	if eip := c.reg(regEIP); eip < 0x1003 || eip > 0x100C {
		t.Errorf("stopped at %#x, outside the loop", eip)
	}
}

func TestKillEndsTheRun(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.send("k")
	if err := m.wait(t); !errors.Is(err, gdbstub.ErrKilled) {
		t.Errorf("run loop ended with %v, want ErrKilled", err)
	}
}

func TestDetachLetsTheMachineRun(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("Z0,1003,1", "OK")
	c.expect("D", "OK")
	time.Sleep(20 * time.Millisecond)
	// A new gdb finds it running (far from the start, no breakpoint
	// left) and stops it.
	c2 := dial(t, m)
	c2.expect("?", "T05thread:1;")
	if ax := c2.reg(regEAX) & 0xFFFF; ax < 0x1240 {
		t.Errorf("AX %#x: the machine did not run after the detach", ax)
	}
}

func TestOneDebuggerAtATime(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c2 := dial(t, m)
	c2.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c2.r.ReadByte(); err == nil {
		t.Error("a second connection was served")
	}
	c.expect("qC", "QC1")
}

func TestExitIsReported(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, exitProg)
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("c", "W01")
	c.expect("?", "W01")
	c.expect("g", "E01")
}

func TestFraming(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	// A bad checksum is answered with '-'.
	c.write("$qC#00")
	if b, _ := c.r.ReadByte(); b != '-' {
		t.Fatalf("bad checksum answered with %q, want '-'", b)
	}
	// A '-' from gdb asks for the last reply again.
	c.expect("qC", "QC1")
	c.write("-")
	if r := c.recv(); r != "QC1" {
		t.Errorf("resent %q", r)
	}
	// Replies escape '#', '$', '}' and '*' (here in memory contents).
	c.expect("M2000,4:2324"+"7d2a", "OK")
	c.write(frame("m2000,4"))
	c.r.ReadByte() // '+'
	raw, err := c.r.ReadString('#')
	if err != nil || raw != "$2324"+"7d2a#" {
		t.Errorf("raw reply %q %v", raw, err)
	}
	c.r.ReadByte()
	c.r.ReadByte()
	c.write("+")
	// No-ack mode.
	c.expect("QStartNoAckMode", "OK")
	c.noAck = true
	c.expect("qC", "QC1")
}

func TestTargetDescription(t *testing.T) {
	m := startMachine(t, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(t, m)
	var doc strings.Builder
	for off := 0; ; {
		r := c.cmd(fmt.Sprintf("qXfer:features:read:target.xml:%x,%x", off, 200))
		if r == "" || (r[0] != 'm' && r[0] != 'l') {
			t.Fatalf("qXfer reply %q", r)
		}
		doc.WriteString(r[1:])
		off += len(r) - 1
		if r[0] == 'l' {
			break
		}
	}
	var target struct {
		Arch     string `xml:"architecture"`
		Features []struct {
			Name string `xml:"name,attr"`
			Regs []struct {
				Name string `xml:"name,attr"`
				Num  int    `xml:"regnum,attr"`
			} `xml:"reg"`
		} `xml:"feature"`
	}
	if err := xml.Unmarshal([]byte(doc.String()), &target); err != nil {
		t.Fatalf("target.xml: %v\n%s", err, doc.String())
	}
	if target.Arch != "i386" || len(target.Features) != 2 || target.Features[0].Name != "org.gnu.gdb.i386.core" {
		t.Fatalf("target %+v", target)
	}
	var names []string
	n := 0
	for _, f := range target.Features {
		for _, r := range f.Regs {
			if r.Num != n {
				t.Errorf("register %s has number %d, want %d", r.Name, r.Num, n)
			}
			n++
			names = append(names, r.Name)
		}
	}
	core := strings.Join(names[:16], " ")
	if core != "eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs" {
		t.Errorf("core registers %s", core)
	}
	for _, want := range []string{"cr0", "cr3", "cs_base", "gdtr_base", "dr7", "st7", "fop"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("no register %s", want)
		}
	}
	c.expect("qXfer:features:read:other.xml:0,10", "E00")
}
