// Package gdbstub lets gdb debug the guest: a GDB remote serial protocol
// server (the GDB manual's "Remote Protocol" appendix) on a TCP listener,
// as QEMU's -s, -gdb and -S give.
//
// The stub does not own the machine's run loop: the board keeps its loop
// and calls three hooks, all on the loop's goroutine:
//
//	for {
//		budget, err := stub.Before(ctx, slice) // parks while gdb holds the machine
//		if err != nil { ... }                  // ErrKilled, or ctx ended
//		exit, err := engine.Run(ctx, budget)   // 1 while breakpoints, watchpoints or a step need it
//		stub.After(exit)                       // notes finished steps and watchpoint hits
//		... the board's own handling of exit ...
//	}
//	stub.Exited(status) // when the guest ends the run: gdb gets W
//
// While the machine is parked in Before, the session's requests (reading
// registers and memory, setting breakpoints) run on that goroutine too,
// so the Target needs no locking. Without gdb attached and with nothing
// set, Before and After cost one atomic load each.
//
// Protocol: $packet#checksum framing with + and - acknowledgements until
// QStartNoAckMode; qSupported (PacketSize 4000h, swbreak, hwbreak,
// qXfer:features:read); the target description (target.xml) with gdb's
// i386 core registers (eax ecx edx ebx esp ebp esi edi eip eflags cs ss
// ds es fs gs and the x87 registers, which gdb requires) and ringzero's
// system registers: the segment bases, CR0 (with its bits named), CR2,
// CR3, CR4, GDTR, IDTR, LDTR, TR and DR0-DR3, DR6, DR7; g, G, p and P
// over that layout; m, M and X by linear address through the Target
// (page tables walked without side effects); ? and T stop replies with
// the signal (SIGTRAP 5, SIGINT 2 after Ctrl-C) and swbreak, hwbreak,
// watch, rwatch or awatch; c, s, C, S and vCont (one thread, id 1:
// qC, qfThreadInfo, H and T answer for it); Z0/z0 and Z1/z1 breakpoints
// and Z2-Z4 watchpoints (see watch.go for how they work without touching
// guest memory or the guest's debug registers); Ctrl-C; D detaches
// (breakpoints go, the machine runs on); k and vKill end the run
// (ErrKilled), as QEMU exits; qAttached answers 1, so quitting gdb
// detaches. As in QEMU, attaching stops a running machine, breakpoint
// addresses are linear (CS base + EIP), and memory addresses are linear.
// gdb itself knows only EIP: in real mode "break *0x7c00" works at CS
// base + EIP = 7C00h whatever CS is, but gdb's own view of the PC is the
// offset (set architecture i8086 for 16-bit disassembly).
//
// Listen takes "host:port" (cmd/ringzero turns -gdb tcp::1234 and -s
// into localhost:1234); Config.StartStopped is -S. One gdb at a time; a
// second connection is closed at once.
package gdbstub
