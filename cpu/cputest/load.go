package cputest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// suiteExts are the file names LoadFile understands, longest first.
var suiteExts = []string{".moo.gz", ".json.gz", ".moo", ".json"}

// IsSuiteFile reports whether name looks like a suite file (and is not the
// metadata).
func IsSuiteFile(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	if base == MetadataFile {
		return false
	}
	for _, e := range suiteExts {
		if strings.HasSuffix(base, e) {
			return true
		}
	}
	return false
}

// FileKey returns the opcode key of a suite file name: "F6.6.MOO.gz" →
// "F6.6", "0FB2.json.gz" → "0FB2".
func FileKey(path string) string {
	base := filepath.Base(path)
	low := strings.ToLower(base)
	for _, e := range suiteExts {
		if strings.HasSuffix(low, e) {
			base = base[:len(base)-len(e)]
			break
		}
	}
	return strings.ToUpper(base)
}

// Expand turns files and folders into the sorted list of suite files
// they name; folders are walked recursively.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && IsSuiteFile(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no suite files (*.MOO.gz, *.json.gz)", p)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// LoadFile reads one suite file, MOO or JSON, gzip-compressed or not (the
// content decides, not the name). It applies the metadata.json masks and
// the revocation list found next to the file (see findSuite).
func LoadFile(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if raw, err = gunzip(raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := &File{Path: path, Key: FileKey(path)}
	if bytes.HasPrefix(raw, []byte("MOO ")) {
		h, tests, err := parseMOO(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		f.CPU, f.Tests = strings.TrimSpace(h.CPU), tests
	} else {
		tests, err := parseJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		f.CPU, f.Tests = "8086", tests
	}
	// The 8086/8088/V20/V30 suites end a test when the queue status shows
	// the next instruction's first byte; the 286 (and later) suites, whose
	// CPUs expose no queue status, end it with a HLT.
	switch f.CPU {
	case "8086", "8088", "V20", "V30":
	default:
		f.HaltEnds = true
	}
	meta, rev, err := suiteFor(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	f.Info = meta.Lookup(f.Key)
	for i := range f.Tests {
		t := &f.Tests[i]
		t.Mask[RegFlags] &= meta.LookupTest(f.Key, t.Bytes).Mask()
		if t.Hash != "" && rev[strings.ToLower(t.Hash)] {
			t.Revoked = true
		}
		if t.Exception == nil && !f.HaltEnds {
			t.Exception = divideTrap(t)
		}
	}
	return f, nil
}

// gunzip inflates b if it is gzip data, else returns it unchanged.
func gunzip(b []byte) ([]byte, error) {
	if len(b) < 18 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	// The trailer holds the size mod 2^32: a good first guess.
	size := binary.LittleEndian.Uint32(b[len(b)-4:])
	buf := bytes.NewBuffer(make([]byte, 0, int(size)+bytes.MinRead))
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, err
	}
	return buf.Bytes(), zr.Close()
}

// divideTrap recognises, in the 8086 JSON suite (which has no exception
// records), a test that ended in the INT 0 handler: the final CS:IP is the
// IVT entry for vector 0 given in the initial RAM and SP went down by the
// six bytes of FLAGS, CS and IP. The FLAGS word then sits at SS:SP+4.
func divideTrap(t *Test) *Exception {
	var ivt [4]int
	for i := range ivt {
		ivt[i] = -1
	}
	for _, m := range t.Init.RAM {
		if m.Addr < 4 {
			ivt[m.Addr] = int(m.Val)
		}
	}
	if ivt[0] < 0 || ivt[1] < 0 || ivt[2] < 0 || ivt[3] < 0 {
		return nil
	}
	ip, cs := uint16(ivt[0]|ivt[1]<<8), uint16(ivt[2]|ivt[3]<<8)
	sp := t.Want(RegSP)
	if t.Want(RegIP) != ip || t.Want(RegCS) != cs || sp != t.Init.Regs.V[RegSP]-6 {
		return nil
	}
	addr := (uint32(t.Want(RegSS))<<4 + uint32(sp+4)) & 0xFFFFF
	return &Exception{Vector: 0, FlagsAddr: addr}
}
