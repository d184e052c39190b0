// Package linuxboot loads a Linux bzImage, an initial RAM disk and a
// command line into guest RAM the way a boot loader does, for -kernel,
// -initrd and -append (QEMU's x86 direct kernel boot).
//
// It follows the Linux x86 boot protocol (Documentation/arch/x86/boot.rst
// in the kernel tree), versions 2.00 and later, for bzImages (kernels
// with LOADED_HIGH set). Load reads the setup header, checks every field
// it relies on against the image and the RAM size, and then places:
//
//   - the real-mode setup code (the boot sector and setup_sects sectors)
//     at SetupAddr, 9000:0000, as the protocol's sample boot loader does;
//   - the heap and stack above it, up to heap end E000h (9800h for
//     protocols before 2.02), with heap_end_ptr and CAN_USE_HEAP set;
//   - the command line at 9000:E000 (cmd_line_ptr), or for protocols
//     before 2.02 at 9000:9800 through cmd_line_magic and cmd_line_offset;
//   - the protected-mode kernel at KernelAddr, 1 MiB (code32_start);
//   - the initrd page-aligned as high as it can go below both the end of
//     RAM and initrd_addr_max (ramdisk_image, ramdisk_size), above the
//     memory the kernel needs to decompress itself (pref_address and
//     init_size from protocol 2.10).
//
// It sets type_of_loader to B0h (QEMU's code) and vid_mode from a vga=
// option as QEMU does (normal, ext, ask or a number), else FFFFh
// ("normal"). Nothing is written to RAM unless every check passed, and a
// malformed or truncated image gives an error, never a panic.
//
// The kernel's setup code calls the BIOS (INT 15h E820h, INT 10h, INT
// 16h, ...), so the BIOS must run first. The built-in BIOS hands over at
// INT 19h when the CMOS bytes that Entry.CMOS returns are set: CMOS 7Bh
// holds 4Ch ('L'), 7Ch-7Dh the setup segment and 7Eh-7Fh the stack
// pointer (see CMOSMagic). It checks for the "HdrS" signature at
// segment:0202h, clears 7Bh (a later reboot boots the disks unless the
// board loads the kernel again, as QEMU reloads it on every reset), and
// jumps to segment+20h:0000 with DS = ES = FS = GS = SS = segment, SP as
// given and interrupts off, as the protocol asks.
package linuxboot
