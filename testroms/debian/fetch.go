package debian

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// ErrUnavailable wraps every error that means "this host cannot provide
// the package" (no apt, no i386 architecture, no network), as opposed to
// a broken package.
var ErrUnavailable = errors.New("debian: package unavailable")

// CacheDir is where packages are downloaded and unpacked:
// $RINGZERO_CACHE/debian, else the user's cache folder's
// ringzero/debian.
func CacheDir() (string, error) {
	if d := os.Getenv("RINGZERO_CACHE"); d != "" {
		return filepath.Join(d, "debian"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w: no cache folder: %v", ErrUnavailable, err)
	}
	return filepath.Join(d, "ringzero", "debian"), nil
}

var fetchMu sync.Mutex // one apt-get at a time within a process

// Resolve turns a metapackage such as "linux-image-686:i386" into the
// package it depends on that carries the files (linux-image-6.1.0-NN-686),
// keeping the architecture suffix. A package that is not a metapackage
// resolves to itself.
func Resolve(name string) (string, error) {
	if _, err := exec.LookPath("apt-cache"); err != nil {
		return "", fmt.Errorf("%w: apt-cache not found (not a Debian system)", ErrUnavailable)
	}
	out, err := exec.Command("apt-cache", "depends", "--important", name).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%w: apt-cache depends %s: %v: %s", ErrUnavailable, name, err, firstLine(out))
	}
	base, arch, _ := strings.Cut(name, ":")
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		dep, ok := strings.CutPrefix(line, "Depends: ")
		if !ok || strings.HasPrefix(dep, "<") {
			continue
		}
		dep, _, _ = strings.Cut(dep, ":")
		if strings.HasPrefix(base, "linux-image-") && strings.HasPrefix(dep, "linux-image-") {
			if arch != "" {
				dep += ":" + arch
			}
			return dep, nil
		}
	}
	return name, nil
}

// Fetch makes sure package name (e.g. "busybox-static:i386") is
// downloaded and unpacked, and returns the folder it is unpacked in: the
// package's files are below it at their installed paths.
func Fetch(name string) (string, error) {
	fetchMu.Lock()
	defer fetchMu.Unlock()
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, strings.ReplaceAll(name, ":", "_"))
	if _, err := os.Stat(filepath.Join(dir, ".unpacked")); err == nil {
		return dir, nil
	}
	for _, tool := range []string{"apt-get", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%w: %s not found (not a Debian system)", ErrUnavailable, tool)
		}
	}
	// Each package downloads into a folder of its own, so the one .deb
	// there is the one apt-get just fetched.
	dl := dir + ".download"
	os.RemoveAll(dl)
	if err := os.MkdirAll(dl, 0o755); err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer os.RemoveAll(dl)
	args := []string{"download", "-q", name}
	if os.Geteuid() == 0 {
		// As root apt hands the download to the _apt user, who may not
		// be able to write to the cache folder.
		args = append([]string{"-o", "APT::Sandbox::User=root"}, args...)
	}
	cmd := exec.Command("apt-get", args...)
	cmd.Dir = dl
	if out, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if strings.Contains(name, ":i386") {
			hint = " (as root: dpkg --add-architecture i386 && apt-get update)"
		}
		return "", fmt.Errorf("%w: apt-get download %s: %v: %s%s", ErrUnavailable, name, err, firstLine(out), hint)
	}
	debs, _ := filepath.Glob(filepath.Join(dl, "*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("apt-get download %s left %d .deb files in %s, want 1", name, len(debs), dl)
	}
	deb := debs[0]
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if out, err := exec.Command("dpkg-deb", "-x", deb, tmp).CombinedOutput(); err != nil {
		return "", fmt.Errorf("dpkg-deb -x %s: %v: %s", deb, err, firstLine(out))
	}
	if err := os.WriteFile(filepath.Join(tmp, ".unpacked"), []byte(filepath.Base(deb)+"\n"), 0o644); err != nil {
		return "", err
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	return dir, nil
}

// firstLine is the first non-empty line of out, for one-line errors.
func firstLine(out []byte) string {
	for _, l := range bytes.Split(out, []byte("\n")) {
		if s := strings.TrimSpace(string(l)); s != "" {
			return s
		}
	}
	return ""
}
