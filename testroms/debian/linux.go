package debian

import (
	"fmt"
	"os"
	"path/filepath"
)

// Kernel686 is the metapackage of Debian 12's i386 non-PAE kernel; Resolve
// turns it into the versioned package that holds /boot/vmlinuz-*.
const Kernel686 = "linux-image-686:i386"

// Busybox is the statically linked busybox the initramfs runs.
const Busybox = "busybox-static:i386"

// ShellInit is the /init of BusyboxInitramfs: it installs busybox's
// applets, mounts /proc, /sys and /dev, says "ringzero: busybox shell"
// and runs a shell on the console.
const ShellInit = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "ringzero: busybox shell"
exec sh
`

// KernelImage fetches Kernel686 and returns the path of its vmlinuz.
func KernelImage() (string, error) {
	name, err := Resolve(Kernel686)
	if err != nil {
		return "", err
	}
	dir, err := Fetch(name)
	if err != nil {
		return "", err
	}
	m, _ := filepath.Glob(filepath.Join(dir, "boot", "vmlinuz-*"))
	if len(m) == 0 {
		return "", fmt.Errorf("%s has no boot/vmlinuz-*", name)
	}
	return m[0], nil
}

// BusyboxInitramfs fetches Busybox and returns a gzip'd cpio initramfs
// holding it as /bin/busybox, /init (the script init, e.g. ShellInit),
// /dev/console and empty /proc, /sys, /tmp and /root.
func BusyboxInitramfs(init string) ([]byte, error) {
	dir, err := Fetch(Busybox)
	if err != nil {
		return nil, err
	}
	bb, err := os.ReadFile(filepath.Join(dir, "bin", "busybox"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Busybox, err)
	}
	return Initramfs([]File{
		{Path: "bin/busybox", Data: bb, Mode: 0o755},
		{Path: "init", Data: []byte(init), Mode: 0o755},
		{Path: "dev/console", Char: true, Major: 5, Minor: 1},
		{Path: "proc", Dir: true},
		{Path: "sys", Dir: true},
		{Path: "tmp", Dir: true},
		{Path: "root", Dir: true, Mode: 0o700},
	})
}
