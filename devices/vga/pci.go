package vga

import (
	"errors"

	"ringzero/devices/pci"
)

// PCI identity of QEMU's standard VGA ("-vga std", Linux bochs-drm).
const (
	PCIVendor   = 0x1234
	PCIDevice   = 0x1111
	PCIClassVGA = 0x030000 // display controller, VGA-compatible
	// FramebufferBAR is the BAR of the linear framebuffer (prefetchable
	// memory, the size of the video memory).
	FramebufferBAR = 0
	// minROMSize keeps the ROM BAR page-sized, so the board can map the
	// image as ROM pages.
	minROMSize = 4096
)

// PCI is the PCI function of a Bochs adapter: BAR 0 is the linear
// framebuffer, and the expansion ROM BAR serves a video BIOS image (the
// SeaBIOS VGA BIOS built for it, vgabios-stdvga.bin from Debian's seabios
// package), which firmware copies to C0000 and runs. The legacy VGA
// ports and memory window, and the DISPI ports, decode whatever the
// command register says, as on QEMU. The function raises no interrupt.
type PCI struct {
	cfg pci.Config
	b   *Bochs
	rom []byte
}

// NewPCI returns the function of b with the video BIOS rom (nil for
// none: no ROM BAR), padded with zeros to a power of two of at least 4
// KiB.
func NewPCI(b *Bochs, rom []byte) (*PCI, error) {
	if b == nil {
		return nil, errors.New("vga: nil adapter")
	}
	p := &PCI{b: b}
	c := &p.cfg
	c.Init(pci.ID{Vendor: PCIVendor, Device: PCIDevice, Revision: 0x02, Class: PCIClassVGA,
		SubVendor: 0x1AF4, Subsystem: 0x1100})
	if err := c.SetBAR(FramebufferBAR, pci.SpaceMemoryPrefetch, uint32(len(b.vram))); err != nil {
		return nil, err
	}
	if len(rom) > 0 {
		if len(rom) > 16<<20 {
			return nil, errors.New("vga: video BIOS image larger than 16 MiB")
		}
		size := minROMSize
		for size < len(rom) {
			size *= 2
		}
		p.rom = make([]byte, size)
		copy(p.rom, rom)
		if err := c.SetROM(uint32(size)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ROM is the padded video BIOS image the ROM BAR decodes (nil if none):
// the board maps it read-only where pci.BARChange for pci.ROMBAR says.
func (p *PCI) ROM() []byte { return p.rom }

// Bochs returns the adapter the function belongs to.
func (p *PCI) Bochs() *Bochs { return p.b }

// PCIConfig returns the configuration space.
func (p *PCI) PCIConfig() *pci.Config { return &p.cfg }

// ConfigWritten does nothing: the board follows the BARs through
// pci.Host.OnBAR.
func (p *PCI) ConfigWritten(off uint8, size int) {}

// ConfigReset does nothing: the adapter's own Reset is the board's to
// call.
func (p *PCI) ConfigReset() {}
