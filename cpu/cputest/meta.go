package cputest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// MetadataFile and RevocationFile are the names the suites give their
// opcode metadata and their list of withdrawn tests.
const (
	MetadataFile   = "metadata.json"
	RevocationFile = "revocation_list.txt"
)

// OpcodeInfo is one entry of a suite's metadata.json.
type OpcodeInfo struct {
	// Status is normal, prefix, alias, undocumented, undefined, fpu or
	// extension (286 0F).
	Status string `json:"status"`
	Arch   string `json:"arch,omitempty"` // 286 suite: "86", "186", "286", "v30"
	// Flags marks undefined flags in the pattern "odiszapc" ('.' = defined).
	Flags string `json:"flags,omitempty"`
	// FlagsMask is ANDed with FLAGS before comparing; 0 means none given.
	FlagsMask uint16 `json:"flags-mask,omitempty"`
	// Reg holds the per-ModRM.reg entries of group opcodes, keyed "0"-"7".
	Reg map[string]*OpcodeInfo `json:"reg,omitempty"`
}

// Mask returns the undefined-flag mask, 0xFFFF when there is none.
func (o *OpcodeInfo) Mask() uint16 {
	if o == nil || o.FlagsMask == 0 {
		return 0xFFFF
	}
	return o.FlagsMask
}

// Metadata is a suite's metadata.json.
type Metadata struct {
	CPU     string                 `json:"cpu"`
	Version string                 `json:"version"`
	Opcodes map[string]*OpcodeInfo `json:"opcodes"`
}

// LoadMetadata reads a metadata.json file.
func LoadMetadata(path string) (*Metadata, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Metadata
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// Lookup finds the entry for a file key such as "40", "F6.6" or "0F01".
// For a group opcode whose key has no ".reg" suffix (8F, C6, C7 hold all
// reg values in one file) it returns the opcode-level entry; use
// LookupTest to pick the reg entry from a test's ModRM byte.
func (m *Metadata) Lookup(key string) *OpcodeInfo {
	if m == nil {
		return nil
	}
	op, reg, hasReg := strings.Cut(strings.ToUpper(key), ".")
	e := m.Opcodes[op]
	if e == nil || !hasReg {
		return e
	}
	if r := e.Reg[reg]; r != nil {
		return r
	}
	return e
}

// LookupTest is Lookup refined by the test's bytes: for a group opcode
// file without a reg suffix, the entry of the ModRM reg field that the
// test's instruction uses.
func (m *Metadata) LookupTest(key string, inst []byte) *OpcodeInfo {
	e := m.Lookup(key)
	if e == nil || e.Reg == nil {
		return e
	}
	op, _, _ := strings.Cut(key, ".")
	if reg, ok := modrmReg(inst, len(op)/2); ok {
		if r := e.Reg[strconv.Itoa(reg)]; r != nil {
			return r
		}
	}
	return e
}

// Revocations is a suite's set of withdrawn test hashes (lower-case hex).
type Revocations map[string]bool

// LoadRevocations reads a revocation_list.txt: one hex hash a line, '#'
// starts a comment.
func LoadRevocations(path string) (Revocations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := Revocations{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.ToLower(strings.TrimSpace(line)); line != "" {
			r[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// suiteDir is what a suite directory contributes to its files: the
// metadata and revocations found for it, loaded once per process.
type suiteDir struct {
	once    sync.Once
	meta    *Metadata
	revoked Revocations
	err     error
}

var suiteDirs sync.Map // cleaned directory path → *suiteDir

// suiteFor returns the metadata and revocation list that apply to the
// suite files in dir.
func suiteFor(dir string) (*Metadata, Revocations, error) {
	dir = filepath.Clean(dir)
	v, _ := suiteDirs.LoadOrStore(dir, &suiteDir{})
	s := v.(*suiteDir)
	s.once.Do(func() { s.meta, s.revoked, s.err = findSuite(dir) })
	return s.meta, s.revoked, s.err
}

// findSuite looks for metadata.json in dir, then in its parent, then in
// the parent's subdirectories (the 8086 v1_binary folder holds a MOO copy
// of a test set whose metadata sits in the sibling v1 folder); and for
// revocation_list.txt in dir and up to two levels above it (the 286 list
// sits at the repository root, above v1_real_mode).
func findSuite(dir string) (*Metadata, Revocations, error) {
	var meta *Metadata
	parent := filepath.Dir(dir)
	candidates := []string{filepath.Join(dir, MetadataFile), filepath.Join(parent, MetadataFile)}
	if ents, err := os.ReadDir(parent); err == nil {
		var subs []string
		for _, e := range ents {
			if e.IsDir() && filepath.Join(parent, e.Name()) != dir {
				subs = append(subs, filepath.Join(parent, e.Name(), MetadataFile))
			}
		}
		sort.Strings(subs)
		candidates = append(candidates, subs...)
	}
	for _, p := range candidates {
		m, err := LoadMetadata(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		meta = m
		break
	}
	var rev Revocations
	for d, i := dir, 0; i < 3; d, i = filepath.Dir(d), i+1 {
		r, err := LoadRevocations(filepath.Join(d, RevocationFile))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		rev = r
		break
	}
	return meta, rev, nil
}

// modrmReg returns the reg field of the ModRM byte of inst, skipping the
// prefixes and an opcode of oplen bytes.
func modrmReg(inst []byte, oplen int) (int, bool) {
	i := skipPrefixes(inst) + max(oplen, 1)
	if i >= len(inst) {
		return 0, false
	}
	return int(inst[i]>>3) & 7, true
}

// skipPrefixes returns the index of the first byte of inst that is not
// a segment override, LOCK (F0, and F1, its 8086 alias) or REP prefix.
func skipPrefixes(inst []byte) int {
	for i, b := range inst {
		switch b {
		case 0x26, 0x2E, 0x36, 0x3E, 0xF0, 0xF1, 0xF2, 0xF3:
		default:
			return i
		}
	}
	return len(inst)
}
