// Package cmos emulates the PC's real-time clock and CMOS RAM: a Motorola
// MC146818A (or compatible DS12887) behind ports 0x70 (index, with the NMI
// mask in bit 7) and 0x71 (data), driving IRQ 8.
//
// Time follows the machine's virtual clock only, never the host's: the
// board passes the start time (see ParseBase for the -rtc base= syntax)
// and the calendar then advances with clock.Clock nanoseconds, so runs
// repeat exactly. Work is lazy: the registers are brought up to date when
// the guest touches the chip, and clock timers are armed only for the next
// event that can change the IRQ line (the next periodic tick while PIE is
// set, the next update cycle while UIE or AIE is set), never per cycle.
//
// Implemented: BCD and binary data modes, 12- and 24-hour modes, the
// Gregorian calendar including the BIOS century byte 0x32, the update
// cycle with UIP set for the 244 µs before each update, the SET bit, the
// divider-chain reset (DV=11x, first update 500 ms after release), the
// periodic, alarm (with 0xC0-0xFF don't-care values) and update-ended
// interrupts, register C clear-on-read, register D's VRT bit, and 128
// bytes of CMOS RAM with helpers for the standard NVRAM layout.
//
// Not implemented: daylight-saving (DSE is stored but ignored), the
// square-wave output pin (SQWE is stored), the 4.194304 and 1.048576 MHz
// time bases (every DV value other than 11x runs at 32.768 kHz), and the
// second 128-byte bank some chipsets expose at ports 0x72-0x73.
package cmos
