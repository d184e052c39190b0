// Package cpu defines what every x86 execution engine shares: the
// architectural State, the Engine interface, the Env an engine runs in
// (bus, interrupt pin, clock), exits, exceptions and CPU models. It holds
// no execution code; the engines live in cpu/interp, jit/... and cpu/kvm.
package cpu
