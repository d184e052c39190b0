package gdbstub_test

import (
	"encoding/binary"
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/interp"
	"ringzero/frontend/gdbstub"
)

// irqOnce raises interrupt vector 20h once, after a number of
// instructions.
type irqOnce struct {
	eng   func() *cpu.State
	after uint64
	fired bool
}

func (q *irqOnce) Pending() bool { return !q.fired && q.eng().Cycles >= q.after }
func (q *irqOnce) Ack() uint8    { q.fired = true; return 0x20 }

// setVector points real-mode vector v at 0000:off.
func setVector(ram []byte, v int, off uint16) {
	binary.LittleEndian.PutUint16(ram[4*v:], off)
	binary.LittleEndian.PutUint16(ram[4*v+2:], 0)
}

// A breakpoint on a hardware interrupt's handler: the engine delivers
// the interrupt and runs the handler's first instruction in one run, so
// the stub (told through NoteInterrupt) stops one instruction late.
func TestBreakpointInHardwareInterruptHandler(t *testing.T) {
	prog := []byte{0xFB, 0x90, 0xEB, 0xFD} // sti; nop; jmp $-1
	q := &irqOnce{after: 50}
	var m *machine
	q.eng = func() *cpu.State { return m.eng.State() }
	m = startMachineWith(t, gdbstub.Config{StartStopped: true}, prog, q, func(ram []byte) {
		setVector(ram, 0x20, 0x1100)
		copy(ram[0x1100:], []byte{0x40, 0x40, 0xCF}) // inc ax; inc ax; iret
	})
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("Z0,1100,1", "OK")
	c.expect("c", "T05thread:1;")
	if eip, ax := c.reg(regEIP), c.reg(regEAX); eip != 0x1101 || ax != 1 {
		t.Errorf("stopped at %#x with AX %d, want 1101h and 1 (one instruction into the handler)", eip, ax)
	}
}

// A breakpoint on a software interrupt's handler stops exactly there:
// INT n is the instruction that ran.
func TestBreakpointInSoftwareInterruptHandler(t *testing.T) {
	prog := []byte{0xCD, 0x21, 0xEB, 0xFE} // int 21h; jmp $
	m := startMachineWith(t, gdbstub.Config{StartStopped: true}, prog, nil, func(ram []byte) {
		setVector(ram, 0x21, 0x1200)
		copy(ram[0x1200:], []byte{0x43, 0xCF}) // inc bx; iret
	})
	c := dial(t, m)
	c.expect("?", "T05thread:1;")
	c.expect("Z0,1200,1", "OK")
	c.expect("c", "T05thread:1;swbreak:;")
	if eip, bx := c.reg(regEIP), c.reg(regEBX); eip != 0x1200 || bx != 0 {
		t.Errorf("stopped at %#x with BX %d, want 1200h before its first instruction", eip, bx)
	}
}

// NewTarget reads and writes linear addresses through the page tables.
func TestTargetWalksPageTables(t *testing.T) {
	bus := &ramBus{ram: make([]byte, 1<<20)}
	eng := interp.New(cpu.ModelP2, cpu.Env{Bus: bus})
	le := binary.LittleEndian
	// Page directory at 10000h, one table at 11000h: linear 40000000h-
	// 40000FFFh -> physical 20000h, 40001000h not present.
	le.PutUint32(bus.ram[0x10000+(0x40000000>>22)*4:], 0x11000|3)
	le.PutUint32(bus.ram[0x11000:], 0x20000|3)
	copy(bus.ram[0x20FFE:], "hi")
	s := *eng.State()
	s.CR[0] |= cpu.CR0PE | cpu.CR0PG
	s.CR[3] = 0x10000
	eng.SetState(&s)
	tg := gdbstub.NewTarget(eng, bus)
	buf := make([]byte, 4)
	n, err := tg.ReadLinear(0x40000FFE, buf)
	if n != 2 || err == nil || string(buf[:2]) != "hi" {
		t.Errorf("read across into an unmapped page: %d %q %v, want 2 \"hi\" and an error", n, buf[:n], err)
	}
	if n, err := tg.WriteLinear(0x40000000, []byte("ok")); n != 2 || err != nil || string(bus.ram[0x20000:0x20002]) != "ok" {
		t.Errorf("write: %d %v", n, err)
	}
	if bus.ram[0x11000]&0x20 != 0 {
		t.Error("the debugger's walk set the accessed bit")
	}
}
