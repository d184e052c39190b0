// Package dma models the two Intel 8237A DMA controllers of a PC/AT
// (dma.Controller): DMA1 with the 8-bit channels 0-3 at ports 0x00-0x0F,
// DMA2 with the 16-bit channels 4-7 at ports 0xC0-0xDF, and the 74LS612
// page registers at 0x81-0x8F that supply address bits 16-23.
//
// The board maps three port ranges, one handler each:
//
//	b.MapPorts(dma.DMA1Base, dma.DMA1Size, "dma1", d.DMA1(), bus.Size8)
//	b.MapPorts(dma.DMA2Base, dma.DMA2Size, "dma2", d.DMA2(), bus.Size8)
//	b.MapPorts(dma.PageBase, dma.PageSize, "dma-page", d.Pages(), bus.Size8)
//
// Port 0x80 is inside the page register file on real hardware but is the
// POST diagnostic port on every PC since the AT; the board keeps it, so
// this package does not map it.
//
// DMA here is driven by devices, not by time: a device holds its channel's
// DREQ with Channel.SetDREQ and moves data with Channel.Transfer, which
// walks the programmed address and count (incrementing or decrementing,
// reloading on autoinitialize), reads or writes guest memory as the mode
// register says, and reports terminal count. A device that is waiting for
// a masked channel registers Channel.OnReady and is called back when the
// guest unmasks it. Guest memory is reached only through the Memory
// interface (a *bus.Bus satisfies it), so an address past the end of RAM
// goes to the bus and is dropped there; host memory is never touched.
//
// DMA2 channel 4 is the cascade input from DMA1, as on the AT: masking it
// (or disabling DMA2 through its command register) stops channels 0-3, so
// firmware must program channel 4 for cascade mode and unmask it, as every
// PC BIOS does at POST. Memory-to-memory transfers (command bit 0) and the
// timing modes (demand, single, block) are not modelled beyond storing the
// bits: a device moves as many bytes per Transfer call as it asks for.
// The A20 gate applies to DMA addresses because they go through the bus.
package dma
