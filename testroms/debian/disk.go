package debian

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// SyslinuxDisk writes path: a hard-disk image of sizeMiB MiB holding one
// FAT file system (no partition table, as `syslinux --install` expects)
// with SYSLINUX as its boot loader, vmlinuz and initrd.gz copied from
// kernel and initrd, and a syslinux.cfg that boots them at once with
// cmdline, on a serial console on COM1. It needs Debian's dosfstools
// (mkfs.fat), syslinux and mtools, and no root.
func SyslinuxDisk(path string, sizeMiB int, kernel, initrd, cmdline string) error {
	tools := map[string]string{}
	for _, tool := range []string{"mkfs.fat", "syslinux", "mcopy"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			// mkfs.fat lives in /sbin, which a user's PATH may lack.
			if p, err = exec.LookPath("/usr/sbin/" + tool); err != nil {
				return fmt.Errorf("%w: %s not found (Debian packages dosfstools, syslinux, mtools)", ErrUnavailable, tool)
			}
		}
		tools[tool] = p
	}
	os.Remove(path)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = f.Truncate(int64(sizeMiB) << 20)
	f.Close()
	if err != nil {
		return err
	}
	cfg := filepath.Join(filepath.Dir(path), "syslinux.cfg")
	text := "SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n  APPEND initrd=initrd.gz " + cmdline + "\n"
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return err
	}
	steps := [][]string{
		{tools["mkfs.fat"], "-n", "RINGZERO", path},
		{tools["syslinux"], "--install", path},
		{tools["mcopy"], "-i", path, kernel, "::vmlinuz"},
		{tools["mcopy"], "-i", path, initrd, "::initrd.gz"},
		{tools["mcopy"], "-i", path, cfg, "::syslinux.cfg"},
	}
	for _, s := range steps {
		if out, err := exec.Command(s[0], s[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v: %s", s[0], err, firstLine(out))
		}
	}
	return nil
}
