package debian

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sort"
	"strings"
)

// File is one entry of an initramfs: a regular file (Data set), a
// folder (Dir), a symbolic link (Link) or a character device (Char).
type File struct {
	Path         string // without a leading slash, e.g. "bin/busybox"
	Mode         uint32 // permission bits; 0 picks 0755 for folders and executables, 0644 otherwise
	Data         []byte
	Dir          bool
	Link         string
	Char         bool
	Major, Minor uint32
}

// Initramfs is the gzip-compressed cpio archive ("newc" format, the one
// the kernel unpacks: Documentation/driver-api/early-userspace) of files,
// with the folders that hold them added. Entries are written parents
// first and in a stable order, so the same files give the same bytes.
func Initramfs(files []File) ([]byte, error) {
	all := map[string]File{}
	for _, f := range files {
		p := strings.Trim(f.Path, "/")
		if p == "" || strings.Contains(p, "..") {
			return nil, fmt.Errorf("initramfs: bad path %q", f.Path)
		}
		f.Path = p
		all[p] = f
		for d := parent(p); d != ""; d = parent(d) {
			if _, ok := all[d]; !ok {
				all[d] = File{Path: d, Dir: true}
			}
		}
	}
	names := make([]string, 0, len(all))
	for p := range all {
		names = append(names, p)
	}
	sort.Strings(names) // a parent sorts before what it holds
	var cpio bytes.Buffer
	for i, p := range names {
		f := all[p]
		mode := f.Mode
		var kind uint32
		data := f.Data
		switch {
		case f.Dir:
			kind, data = 0o040000, nil
			if mode == 0 {
				mode = 0o755
			}
		case f.Link != "":
			kind, data = 0o120000, []byte(f.Link)
			mode = 0o777
		case f.Char:
			kind, data = 0o020000, nil
			if mode == 0 {
				mode = 0o600
			}
		default:
			kind = 0o100000
			if mode == 0 {
				mode = 0o644
			}
		}
		writeEntry(&cpio, uint32(i+1), kind|mode, f.Major, f.Minor, p, data)
	}
	writeEntry(&cpio, 0, 0, 0, 0, "TRAILER!!!", nil)
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := io.Copy(w, &cpio); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}

func parent(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// writeEntry writes one newc header ("070701", thirteen 8-digit hex
// fields), the NUL-terminated name and the data, each padded to 4 bytes.
func writeEntry(w *bytes.Buffer, ino, mode, rmajor, rminor uint32, name string, data []byte) {
	nlink := uint32(1)
	if mode&0o170000 == 0o040000 {
		nlink = 2
	}
	fmt.Fprintf(w, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmajor, rminor, len(name)+1, 0)
	w.WriteString(name)
	w.WriteByte(0)
	pad(w)
	w.Write(data)
	pad(w)
}

func pad(w *bytes.Buffer) {
	for w.Len()%4 != 0 {
		w.WriteByte(0)
	}
}
