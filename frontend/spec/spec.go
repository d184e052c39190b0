package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"ringzero/cpu"
	"ringzero/devices/debugport"
)

// Spec is one spec file: the guests it describes, in file order.
type Spec struct {
	Path   string   // the file, as given to Load
	Guests []*Guest // in file order
}

// Guest is one machine to boot and what it must do.
type Guest struct {
	Name    string  // unique within its spec file
	Spec    string  // the spec file's path, as given to Load
	Machine Machine // how to build the pc.Machine
	Steps   []Step  // run in order
	// ExitStatus is the status the run must end with, in the exit-status
	// contract of `ringzero run` (0 power-off, odd for isa-debug-exit,
	// 4 triple fault, 124 timeout). nil: the guest passes as soon as every
	// step has matched, and the machine is stopped then.
	ExitStatus *int
	// Timeout bounds the whole run in wall-clock time; 0 takes
	// Options.Timeout.
	Timeout time.Duration
}

// Machine is a guest's hardware, named after the `ringzero run` flags.
// Paths are already resolved against the spec file's folder.
type Machine struct {
	Memory   uint64    // m: RAM in bytes (default 32 MiB)
	CPU      cpu.Model // cpu (default pentium2)
	Engine   string    // engine (default auto)
	BIOS     string    // bios: a BIOS image; "" is the built-in BIOS
	FDA      string    // fda: floppy A image
	HDA      string    // hda: first hard disk image
	CDROM    string    // cdrom: ISO image
	Boot     string    // boot: the order pc.Config.Boot gets ("" default)
	Kernel   string    // kernel: a Linux bzImage
	Initrd   string    // initrd
	Append   string    // append: the kernel command line
	RTC      RTC       // rtc
	NoReboot bool      // no-reboot
	// DebugExit is the isa-debug-exit device from devices; nil: none.
	DebugExit *debugport.Config
}

// RTC is where the guest's clock starts, as `-rtc base=`.
type RTC struct {
	Local bool      // base=localtime; else UTC
	Start time.Time // a fixed start; zero is the host's time at boot
}

// Stream is where an expect looks.
type Stream string

// The streams an expect can watch.
const (
	Serial   Stream = "serial"   // COM1 output
	DebugCon Stream = "debugcon" // port 0xE9 output
	Screen   Stream = "screen"   // the VGA text screen as it is now
)

// Step is one thing a guest must do: exactly one of Expect and Send is set.
type Step struct {
	Expect *Expect
	Send   *Send
}

// Expect waits for Pattern on Stream. On serial and debugcon the pattern
// is matched against the output that follows the previous match on the
// same stream (from the start for the first), and a match moves that
// point past it, as expect(1) does; on the screen it is matched against
// the whole text screen each time it is looked at.
type Expect struct {
	Stream  Stream
	Pattern *regexp.Regexp
	// Timeout bounds the wait, counted from when the step is reached;
	// 0: only the guest's timeout applies.
	Timeout time.Duration
}

// Send gives the guest input: exactly one of Serial and Keys is set.
type Send struct {
	Serial string // bytes queued for COM1's receiver
	// Keys is typed on the PS/2 keyboard, one character per tick, each a
	// make and a break (with Shift where the US layout needs it); \n is
	// Enter, \t Tab, \b Backspace and \x1b Escape.
	Keys string
}

// String describes the step as reports show it.
func (s Step) String() string {
	switch {
	case s.Expect != nil:
		t := ""
		if s.Expect.Timeout > 0 {
			t = " within " + s.Expect.Timeout.String()
		}
		return fmt.Sprintf("expect %s /%s/%s", s.Expect.Stream, s.Expect.Pattern, t)
	case s.Send != nil && s.Send.Keys != "":
		return fmt.Sprintf("send keys %q", s.Send.Keys)
	case s.Send != nil:
		return fmt.Sprintf("send serial %q", s.Send.Serial)
	}
	return "empty step"
}

// Error is a problem with a spec file: its syntax, a key, a value or a
// file it names. Main reports it with exit status 2.
type Error struct {
	File string // the spec file
	Msg  string // what is wrong and where
}

func (e *Error) Error() string { return e.File + ": " + e.Msg }

// Load reads and checks a spec file: JSON if its name ends in .json,
// TOML otherwise. Relative paths in it are taken from the file's folder.
// Every error is an *Error.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "open "+path+": ")}
	}
	return Parse(path, data)
}

// Parse checks spec text that was read from path (which picks the format
// and the folder relative paths start from).
func Parse(path string, data []byte) (*Spec, error) {
	p := &parser{file: path, dir: filepath.Dir(path)}
	var top map[string]any
	if strings.EqualFold(filepath.Ext(path), ".json") {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&top); err != nil {
			return nil, p.errf("%s", jsonError(data, err))
		}
		if dec.More() {
			return nil, p.errf("JSON: more than one value in the file")
		}
	} else {
		top = map[string]any{}
		if _, err := toml.Decode(string(data), &top); err != nil {
			return nil, p.errf("%v", err)
		}
	}
	return p.spec(top)
}

// jsonError adds the line number to a JSON decoding error.
func jsonError(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return "JSON: " + err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Sprintf("JSON: line %d: %v", line, err)
}

// parser turns the decoded document into a Spec.
type parser struct {
	file string
	dir  string
}

func (p *parser) errf(format string, args ...any) error {
	return &Error{File: p.file, Msg: fmt.Sprintf(format, args...)}
}

// Keys a spec understands. Machine keys are the `ringzero run` flags;
// the ones that can repeat there are plural here.
var (
	topKeys     = []string{"defaults", "guest"}
	machineKeys = []string{"m", "cpu", "engine", "bios", "fda", "hda", "cdrom", "boot",
		"kernel", "initrd", "append", "rtc", "devices", "no-reboot"}
	runKeys     = []string{"timeout", "exit_status"}
	guestKeys   = append(append([]string{"name", "steps"}, machineKeys...), runKeys...)
	defaultKeys = append(append([]string{}, machineKeys...), runKeys...)
	stepKeys    = []string{"expect", "send"}
	expectKeys  = []string{"serial", "debugcon", "screen", "timeout"}
	sendKeys    = []string{"serial", "keys"}
)

// engines are the engine names pc.New knows (the ones not built yet fail
// the guest when it starts, as `ringzero run` does).
var engines = []string{"auto", "interp", "jit", "trap", "bt", "kvm"}

func (p *parser) spec(top map[string]any) (*Spec, error) {
	if err := p.checkKeys("the top level", top, topKeys); err != nil {
		return nil, err
	}
	defaults := map[string]any{}
	if v, ok := top["defaults"]; ok {
		t, ok := v.(map[string]any)
		if !ok {
			return nil, p.errf("defaults: want a table of machine options, got %s", kind(v))
		}
		if err := p.checkKeys("defaults", t, defaultKeys); err != nil {
			return nil, err
		}
		defaults = t
	}
	list, ok := asList(top["guest"])
	if !ok || len(list) == 0 {
		if _, given := top["guest"]; given && !ok {
			return nil, p.errf("guest: want a list of tables ([[guest]]), got %s", kind(top["guest"]))
		}
		return nil, p.errf("no guests: add a [[guest]] table (JSON: a \"guest\" list)")
	}
	s := &Spec{Path: p.file}
	seen := map[string]int{}
	for i, v := range list {
		t, ok := v.(map[string]any)
		if !ok {
			return nil, p.errf("guest %d: want a table, got %s", i+1, kind(v))
		}
		g, err := p.guest(i, t, defaults)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[g.Name]; dup {
			return nil, p.errf("guest %d: name %q is already used by guest %d", i+1, g.Name, first)
		}
		seen[g.Name] = i + 1
		s.Guests = append(s.Guests, g)
	}
	return s, nil
}

// checkKeys refuses keys not in known, suggesting the spelling meant.
func (p *parser) checkKeys(where string, t map[string]any, known []string) error {
	var unknown []string
	for k := range t {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	k := unknown[0]
	hint := ""
	for _, alt := range []string{strings.ReplaceAll(k, "_", "-"), strings.ReplaceAll(k, "-", "_"), k + "s", strings.TrimSuffix(k, "s")} {
		if alt != k && slices.Contains(known, alt) {
			hint = fmt.Sprintf(" (did you mean %q?)", alt)
			break
		}
	}
	if hint == "" {
		hint = " (known: " + strings.Join(known, ", ") + ")"
	}
	return p.errf("%s: unknown key %q%s", where, k, hint)
}

func (p *parser) guest(i int, t, defaults map[string]any) (*Guest, error) {
	where := fmt.Sprintf("guest %d", i+1)
	name, ok := t["name"]
	if !ok {
		return nil, p.errf("%s: no name (every guest needs name = \"...\")", where)
	}
	n, ok := name.(string)
	if !ok || strings.TrimSpace(n) == "" {
		return nil, p.errf("%s: name: want a non-empty string, got %s", where, kind(name))
	}
	if strings.ContainsAny(n, "\n\r\t") {
		return nil, p.errf("%s: name %q: no tabs or line breaks", where, n)
	}
	where = fmt.Sprintf("guest %q", n)
	if err := p.checkKeys(where, t, guestKeys); err != nil {
		return nil, err
	}
	// Guest keys override the defaults, key by key.
	merged := map[string]any{}
	for k, v := range defaults {
		merged[k] = v
	}
	for k, v := range t {
		merged[k] = v
	}
	g := &Guest{Name: n, Spec: p.file}
	m, err := p.machine(where, merged)
	if err != nil {
		return nil, err
	}
	g.Machine = m
	if v, ok := merged["timeout"]; ok {
		if g.Timeout, err = duration(v); err != nil || g.Timeout == 0 {
			if err == nil {
				err = errors.New("want more than 0")
			}
			return nil, p.errf("%s: timeout: %v", where, err)
		}
	}
	if v, ok := merged["exit_status"]; ok {
		st, err := exitStatus(v)
		if err != nil {
			return nil, p.errf("%s: exit_status: %v", where, err)
		}
		g.ExitStatus = &st
	}
	if v, ok := t["steps"]; ok {
		list, ok := asList(v)
		if !ok {
			return nil, p.errf("%s: steps: want a list of tables, got %s", where, kind(v))
		}
		for j, sv := range list {
			st, err := p.step(fmt.Sprintf("%s: step %d", where, j+1), sv)
			if err != nil {
				return nil, err
			}
			g.Steps = append(g.Steps, st)
		}
	}
	if len(g.Steps) == 0 && g.ExitStatus == nil {
		return nil, p.errf("%s: nothing to check: give steps, exit_status or both", where)
	}
	return g, nil
}

func (p *parser) step(where string, v any) (Step, error) {
	t, ok := v.(map[string]any)
	if !ok {
		return Step{}, p.errf("%s: want a table such as { expect = { serial = \"...\" } }, got %s", where, kind(v))
	}
	if err := p.checkKeys(where, t, stepKeys); err != nil {
		return Step{}, err
	}
	if len(t) != 1 {
		return Step{}, p.errf("%s: want exactly one of expect and send", where)
	}
	if v, ok := t["expect"]; ok {
		e, err := p.expect(where+": expect", v)
		return Step{Expect: e}, err
	}
	s, err := p.send(where+": send", t["send"])
	return Step{Send: s}, err
}

func (p *parser) expect(where string, v any) (*Expect, error) {
	t, ok := v.(map[string]any)
	if !ok {
		return nil, p.errf("%s: want a table such as { serial = \"login:\", timeout = \"5s\" }, got %s", where, kind(v))
	}
	if err := p.checkKeys(where, t, expectKeys); err != nil {
		return nil, err
	}
	e := &Expect{}
	var pattern string
	for _, s := range []Stream{Serial, DebugCon, Screen} {
		pv, ok := t[string(s)]
		if !ok {
			continue
		}
		if e.Stream != "" {
			return nil, p.errf("%s: both %s and %s: one stream per step", where, e.Stream, s)
		}
		str, ok := pv.(string)
		if !ok {
			return nil, p.errf("%s: %s: want a regular expression string, got %s", where, s, kind(pv))
		}
		e.Stream, pattern = s, str
	}
	if e.Stream == "" {
		return nil, p.errf("%s: want one of serial, debugcon or screen = \"pattern\"", where)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, p.errf("%s: %s: %v", where, e.Stream, err)
	}
	e.Pattern = re
	if tv, ok := t["timeout"]; ok {
		if e.Timeout, err = duration(tv); err != nil {
			return nil, p.errf("%s: timeout: %v", where, err)
		}
	}
	return e, nil
}

func (p *parser) send(where string, v any) (*Send, error) {
	t, ok := v.(map[string]any)
	if !ok {
		return nil, p.errf("%s: want a table such as { serial = \"root\\n\" } or { keys = \"dir\\n\" }, got %s", where, kind(v))
	}
	if err := p.checkKeys(where, t, sendKeys); err != nil {
		return nil, err
	}
	if len(t) != 1 {
		return nil, p.errf("%s: want exactly one of serial and keys", where)
	}
	for k, sv := range t {
		str, ok := sv.(string)
		if !ok || str == "" {
			return nil, p.errf("%s: %s: want a non-empty string, got %s", where, k, kind(sv))
		}
		if k == "serial" {
			return &Send{Serial: str}, nil
		}
		if _, err := keyStrokes(str); err != nil {
			return nil, p.errf("%s: keys: %v", where, err)
		}
		return &Send{Keys: str}, nil
	}
	return nil, p.errf("%s: want exactly one of serial and keys", where)
}

// machine reads the machine options from t (defaults merged in).
func (p *parser) machine(where string, t map[string]any) (Machine, error) {
	m := Machine{Memory: 32 << 20, CPU: cpu.ModelP2, Engine: "auto"}
	str := func(key string) (string, bool, error) {
		v, ok := t[key]
		if !ok {
			return "", false, nil
		}
		s, isStr := v.(string)
		if !isStr {
			return "", true, p.errf("%s: %s: want a string, got %s", where, key, kind(v))
		}
		return s, true, nil
	}
	if v, ok := t["m"]; ok {
		var err error
		if n, isInt := asInt(v); isInt {
			m.Memory, err = memSize(strconv.FormatInt(n, 10))
		} else if s, isStr := v.(string); isStr {
			m.Memory, err = memSize(s)
		} else {
			err = fmt.Errorf("want a size such as \"64M\" or a number of MiB, got %s", kind(v))
		}
		if err != nil {
			return m, p.errf("%s: m: %v", where, err)
		}
	}
	if s, ok, err := str("cpu"); err != nil {
		return m, err
	} else if ok {
		if m.CPU, err = cpu.ParseModel(s); err != nil {
			return m, p.errf("%s: cpu: %v", where, err)
		}
	}
	if s, ok, err := str("engine"); err != nil {
		return m, err
	} else if ok {
		if !slices.Contains(engines, s) {
			return m, p.errf("%s: engine %q: want one of %s", where, s, strings.Join(engines, ", "))
		}
		m.Engine = s
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"bios", &m.BIOS}, {"fda", &m.FDA}, {"hda", &m.HDA}, {"cdrom", &m.CDROM}, {"kernel", &m.Kernel}, {"initrd", &m.Initrd}} {
		s, ok, err := str(f.key)
		if err != nil {
			return m, err
		}
		if !ok {
			continue
		}
		path, err := p.resolve(s)
		if err != nil {
			return m, p.errf("%s: %s: %v", where, f.key, err)
		}
		*f.dst = path
	}
	if s, ok, err := str("append"); err != nil {
		return m, err
	} else if ok {
		m.Append = s
	}
	switch {
	case m.Initrd != "" && m.Kernel == "":
		return m, p.errf("%s: initrd needs kernel", where)
	case m.Append != "" && m.Kernel == "":
		return m, p.errf("%s: append needs kernel", where)
	}
	if s, ok, err := str("boot"); err != nil {
		return m, err
	} else if ok {
		if m.Boot, err = bootOrder(s); err != nil {
			return m, p.errf("%s: boot %q: %v", where, s, err)
		}
	}
	if v, ok := t["rtc"]; ok {
		var err error
		if m.RTC, err = rtcBase(v); err != nil {
			return m, p.errf("%s: rtc: %v", where, err)
		}
	}
	if v, ok := t["no-reboot"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return m, p.errf("%s: no-reboot: want true or false, got %s", where, kind(v))
		}
		m.NoReboot = b
	}
	if v, ok := t["devices"]; ok {
		list, isList := asList(v)
		if s, isStr := v.(string); isStr {
			list, isList = []any{s}, true
		}
		if !isList {
			return m, p.errf("%s: devices: want a list of strings such as [\"isa-debug-exit,iobase=0xf4,iosize=4\"], got %s", where, kind(v))
		}
		for _, dv := range list {
			s, isStr := dv.(string)
			if !isStr {
				return m, p.errf("%s: devices: want strings, got %s", where, kind(dv))
			}
			c, err := debugport.ParseDevice(s)
			if err != nil {
				return m, p.errf("%s: devices: %v", where, err)
			}
			if m.DebugExit != nil {
				return m, p.errf("%s: devices: %s given twice", where, debugport.ExitDriver)
			}
			m.DebugExit = &c
		}
	}
	return m, nil
}

// resolve resolves a path from the spec and checks that it names a file.
func (p *parser) resolve(s string) (string, error) {
	if s == "" {
		return "", errors.New("empty path")
	}
	path := s
	if !filepath.IsAbs(path) {
		path = filepath.Join(p.dir, path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%s: no such file (paths are relative to the spec file's folder)", path)
		}
		return "", err
	}
	if fi.IsDir() {
		return "", fmt.Errorf("%s is a directory", path)
	}
	return path, nil
}

// kind names a decoded value's type for messages.
func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case int64, float64, json.Number:
		return fmt.Sprintf("the number %v", v)
	case time.Time:
		return "a date"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	}
	return fmt.Sprintf("%T", v)
}

// asList accepts the lists TOML and JSON decode to.
func asList(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case []map[string]any:
		out := make([]any, len(v))
		for i, t := range v {
			out[i] = t
		}
		return out, true
	}
	return nil, false
}

// asInt accepts a whole number from TOML or JSON.
func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	case float64:
		if v == float64(int64(v)) {
			return int64(v), true
		}
	}
	return 0, false
}

// asFloat accepts a number from TOML or JSON.
func asFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}
