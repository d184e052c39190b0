package debian

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// readNewc lists a newc archive's entries as "mode name size".
func readNewc(t *testing.T, gz []byte) []string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for off := 0; ; {
		if off+110 > len(b) || string(b[off:off+6]) != "070701" {
			t.Fatalf("bad header at %d", off)
		}
		field := func(i int) int {
			v, err := strconv.ParseUint(string(b[off+6+8*i:off+14+8*i]), 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			return int(v)
		}
		mode, size, namesize := field(1), field(6), field(11)
		name := string(b[off+110 : off+110+namesize-1])
		off = (off + 110 + namesize + 3) &^ 3
		off = (off + size + 3) &^ 3
		if name == "TRAILER!!!" {
			return out
		}
		out = append(out, strconv.FormatInt(int64(mode), 8)+" "+name+" "+strconv.Itoa(size))
	}
}

func TestInitramfsLayout(t *testing.T) {
	gz, err := Initramfs([]File{
		{Path: "/bin/busybox", Data: []byte("ELF..."), Mode: 0o755},
		{Path: "init", Data: []byte("#!/bin/sh\n")},
		{Path: "dev/console", Char: true, Major: 5, Minor: 1},
		{Path: "bin/sh", Link: "busybox"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(readNewc(t, gz), "\n")
	want := strings.Join([]string{
		"40755 bin 0",
		"100755 bin/busybox 6",
		"120777 bin/sh 7",
		"40755 dev 0",
		"20600 dev/console 0",
		"100644 init 10",
	}, "\n")
	if got != want {
		t.Errorf("entries:\n%s\nwant:\n%s", got, want)
	}
	if _, err := Initramfs([]File{{Path: "../x"}}); err == nil {
		t.Error("a path with .. was accepted")
	}
}

// TestInitramfsReadsWithCpio checks the archive with GNU cpio, a reader
// we did not write, when it is installed.
func TestInitramfsReadsWithCpio(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		need(t, fmt.Errorf("%w: cpio not installed (Debian package cpio)", ErrUnavailable))
	}
	gz, err := Initramfs([]File{{Path: "a/b", Data: []byte("hello")}, {Path: "c", Link: "a/b"}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := gzip.NewReader(bytes.NewReader(gz))
	raw, _ := io.ReadAll(r)
	cmd := exec.Command("cpio", "-t", "-v", "--quiet")
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -t: %v\n%s", err, out)
	}
	for _, w := range []string{" a\n", " a/b\n", " c -> a/b\n"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("cpio -t output lacks %q:\n%s", w, out)
		}
	}
}
