// Package vga models the IBM VGA (vga.Adapter): its registers, 256 KiB of
// planar video memory, and the display it produces as an image.RGBA.
//
// The guest sees the register block 0x3B0-0x3DF (PortBase, PortSize) and
// the memory window 0xA0000-0xBFFFF (MemBase, MemSize) as offsets:
//   - misc output (write 0x3C2, read 0x3CC), feature control, input
//     status 0 (0x3C2) and 1 (0x3DA, or 0x3BA with misc bit 0 clear);
//   - sequencer (0x3C4/5), CRT controller (0x3D4/5 or 0x3B4/5) with the
//     CR11 write protect, graphics controller (0x3CE/F);
//   - attribute controller (0x3C0 through its index/data flip-flop, reset
//     by reading input status 1; data read at 0x3C1), including the palette
//     address source bit;
//   - DAC (pixel mask 0x3C6, read index 0x3C7, write index 0x3C8, data
//     0x3C9 in red-green-blue triples of 6 bits).
//
// Memory follows the graphics controller's data path: the GR6 memory map,
// chain 4, odd/even, read modes 0 and 1 with colour compare and don't care,
// write modes 0-3 with set/reset, rotate, logical operation and bit mask,
// the latches, the map mask and read map select. Host accesses use
// SR4 bit 2 (writes) and GR5 bit 4 (reads) to choose odd/even addressing,
// as the IBM documentation describes; GR6 bit 1 and the misc odd/even page
// bit are stored but change nothing.
//
// Render scans memory the way the CRTC does (start address, row offset,
// byte/word/doubleword addressing, CGA bank substitution, preset row scan,
// double scan, line compare, pixel panning) and produces text modes
// (fonts from plane 2, 8 or 9-dot cells, cursor, underline, blink or
// intensity, two character maps) and graphics modes: 16-colour planar
// (0Dh, 0Eh, 10h, 12h), CGA 4-colour (04h, 05h) and 2-colour (06h), and
// 256-colour (13h, and unchained variants). Frames are in logical pixels;
// Geometry reports their size and aspect. Input status 1 reports vertical
// retrace and display enable from the raster position at the clock's
// virtual time, and the text blink phases count frames of that same time,
// so runs repeat exactly.
//
// SetMode programs the standard BIOS modes from the BIOS parameter table
// with their DAC palettes and font; New starts in mode 3. Font8x8 and
// Font8x16 are fonts drawn for this package (printable ASCII plus the
// code page 437 shades, blocks and box drawing), which LoadFont or a BIOS
// can place in plane 2. TextScreen and CP437 turn a text page into a
// string for headless tests and terminal displays.
//
// Not modelled: the vertical retrace interrupt (CR11 bits 4-5; the VGA has
// no IRQ line here), input status 0's switch sense, the light pen, cursor
// skew and display enable skew, the 9th-dot background in graphics modes,
// the attribute palette in 256-colour mode (pixels go straight to the DAC,
// as on most later chips), blinking in graphics modes, video subsystem
// enable (0x3C3 is stored only) and horizontal timing beyond the display
// enable bit.
package vga
