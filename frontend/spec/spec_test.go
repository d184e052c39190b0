package spec_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/debugport"
	"ringzero/frontend/spec"
)

// specDir makes a folder with an empty disk image for specs to name.
func specDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "disk.img"), make([]byte, 160<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const tomlSpec = `
[defaults]
m = 16
cpu = "486"
no-reboot = true
timeout = "20s"

[[guest]]
name = "one"
fda = "disk.img"
devices = ["isa-debug-exit,iobase=0xf4,iosize=4"]
exit_status = 1
steps = [
  { expect = { serial = "login: $", timeout = "5s" } },
  { send = { serial = "root\n" } },
  { expect = { screen = "#" } },
  { send = { keys = "ls -l\n" } },
  { expect = { debugcon = "done", timeout = 2.5 } },
]

[[guest]]
name = "two"
hda = "disk.img"
cpu = "pentium2"
m = "64M"
boot = "order=a,once=c"
rtc = 2026-11-29T12:00:00
exit_status = "poweroff"
timeout = 30
`

const jsonSpec = `{
  "defaults": {"m": 16, "cpu": "486", "no-reboot": true, "timeout": "20s"},
  "guest": [
    {"name": "one", "fda": "disk.img", "devices": ["isa-debug-exit,iobase=0xf4,iosize=4"], "exit_status": 1,
     "steps": [
       {"expect": {"serial": "login: $", "timeout": "5s"}},
       {"send": {"serial": "root\n"}},
       {"expect": {"screen": "#"}},
       {"send": {"keys": "ls -l\n"}},
       {"expect": {"debugcon": "done", "timeout": 2.5}}
     ]},
    {"name": "two", "hda": "disk.img", "cpu": "pentium2", "m": "64M", "boot": "order=a,once=c",
     "rtc": "2026-11-29T12:00:00", "exit_status": "poweroff", "timeout": 30}
  ]
}`

// TestParseTOMLAndJSONAgree reads the same spec in both formats and
// checks every field.
func TestParseTOMLAndJSONAgree(t *testing.T) {
	dir := specDir(t)
	a, err := spec.Parse(filepath.Join(dir, "s.toml"), []byte(tomlSpec))
	if err != nil {
		t.Fatal(err)
	}
	b, err := spec.Parse(filepath.Join(dir, "s.json"), []byte(jsonSpec))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Guests) != 2 || len(b.Guests) != 2 {
		t.Fatalf("guests: %d and %d, want 2", len(a.Guests), len(b.Guests))
	}
	one := a.Guests[0]
	disk := filepath.Join(dir, "disk.img")
	wantExit := debugport.Config{IOBase: 0xF4, IOSize: 4}
	switch {
	case one.Name != "one" || one.Machine.Memory != 16<<20 || one.Machine.CPU != cpu.Model486:
		t.Errorf("one: %+v", one.Machine)
	case one.Machine.FDA != disk || !one.Machine.NoReboot || one.Timeout != 20*time.Second:
		t.Errorf("one: %+v, timeout %v", one.Machine, one.Timeout)
	case one.Machine.DebugExit == nil || *one.Machine.DebugExit != wantExit:
		t.Errorf("one: debug exit %+v", one.Machine.DebugExit)
	case one.ExitStatus == nil || *one.ExitStatus != 1 || len(one.Steps) != 5:
		t.Errorf("one: exit %v, %d steps", one.ExitStatus, len(one.Steps))
	}
	wantSteps := []string{
		`expect serial /login: $/ within 5s`,
		`send serial "root\n"`,
		`expect screen /#/`,
		`send keys "ls -l\n"`,
		`expect debugcon /done/ within 2.5s`,
	}
	for i, st := range one.Steps {
		if st.String() != wantSteps[i] {
			t.Errorf("step %d: %s, want %s", i+1, st, wantSteps[i])
		}
	}
	two := a.Guests[1]
	rtc := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	switch {
	case two.Machine.HDA != disk || two.Machine.Memory != 64<<20 || two.Machine.CPU != cpu.ModelP2 || two.Machine.Boot != "c":
		t.Errorf("two: %+v", two.Machine)
	case !two.Machine.RTC.Start.Equal(rtc) || two.ExitStatus == nil || *two.ExitStatus != 0 || two.Timeout != 30*time.Second:
		t.Errorf("two: rtc %v, exit %v, timeout %v", two.Machine.RTC.Start, two.ExitStatus, two.Timeout)
	case two.Machine.DebugExit != nil || len(two.Steps) != 0:
		t.Errorf("two: %+v", two)
	}
	// JSON gives the same guests.
	for i := range a.Guests {
		ga, gb := *a.Guests[i], *b.Guests[i]
		if len(ga.Steps) != len(gb.Steps) {
			t.Fatalf("guest %d: %d and %d steps", i, len(ga.Steps), len(gb.Steps))
		}
		for j := range ga.Steps {
			if ga.Steps[j].String() != gb.Steps[j].String() {
				t.Errorf("guest %d step %d: %s and %s", i, j, ga.Steps[j], gb.Steps[j])
			}
		}
		ga.Steps, gb.Steps, ga.Spec, gb.Spec = nil, nil, "", ""
		if !ga.Machine.RTC.Start.Equal(gb.Machine.RTC.Start) {
			t.Errorf("guest %d: rtc %v and %v", i, ga.Machine.RTC.Start, gb.Machine.RTC.Start)
		}
		ga.Machine.RTC, gb.Machine.RTC = spec.RTC{}, spec.RTC{}
		if !reflect.DeepEqual(ga, gb) {
			t.Errorf("guest %d differs:\nTOML %+v\nJSON %+v", i, ga, gb)
		}
	}
}

// TestParseRejectsBadSpecs: each mistake gets a message that names the
// place and the fix.
func TestParseRejectsBadSpecs(t *testing.T) {
	dir := specDir(t)
	guest := func(body string) string { return "[[guest]]\nname = \"g\"\nfda = \"disk.img\"\n" + body }
	for _, c := range []struct{ name, text, want string }{
		{"syntax", "[[guest]\nname = 1", "toml: line 2: expected end of table array name"},
		{"no guests", "", "no guests: add a [[guest]] table"},
		{"unknown top key", "guests = []", `the top level: unknown key "guests" (did you mean "guest"?)`},
		{"no name", "[[guest]]\nfda = \"disk.img\"\nexit_status = 1", "guest 1: no name"},
		{"duplicate name", guest("exit_status = 1\n") + guest("exit_status = 1\n"), `guest 2: name "g" is already used by guest 1`},
		{"underscore key", guest("no_reboot = true\nexit_status = 1"), `guest "g": unknown key "no_reboot" (did you mean "no-reboot"?)`},
		{"nothing to check", guest(""), `guest "g": nothing to check: give steps, exit_status or both`},
		{"missing file", "[[guest]]\nname = \"g\"\nfda = \"nope.img\"\nexit_status = 1", "nope.img: no such file (paths are relative to the spec file's folder)"},
		{"bad cpu", guest("cpu = \"z80\"\nexit_status = 1"), `guest "g": cpu: unknown CPU model "z80"`},
		{"bad memory", guest("m = \"12Q\"\nexit_status = 1"), `guest "g": m: bad size "12Q"`},
		{"bad engine", guest("engine = \"warp\"\nexit_status = 1"), `guest "g": engine "warp": want one of auto, interp`},
		{"bad boot", guest("boot = \"x\"\nexit_status = 1"), `guest "g": boot "x": boot drive 'x'`},
		{"bad device", guest("devices = [\"isa-debug-exit,iobase=0x10000\"]\nexit_status = 1"), "port out of range"},
		{"initrd without kernel", guest("initrd = \"disk.img\"\nexit_status = 1"), `guest "g": initrd needs kernel`},
		{"bad status", guest("exit_status = 256"), `guest "g": exit_status: want a number from 0 to 255`},
		{"bad status word", guest("exit_status = \"halt\""), `exit_status: "halt": want a number from 0 to 255 or one of "poweroff"`},
		{"bad timeout", guest("timeout = \"soon\"\nexit_status = 1"), `guest "g": timeout: "soon": want a duration`},
		{"two actions", guest("steps = [{ expect = { serial = \"a\" }, send = { keys = \"b\" } }]"), `guest "g": step 1: want exactly one of expect and send`},
		{"no stream", guest("steps = [{ expect = { timeout = \"1s\" } }]"), `guest "g": step 1: expect: want one of serial, debugcon or screen = "pattern"`},
		{"two streams", guest("steps = [{ expect = { serial = \"a\", screen = \"b\" } }]"), "both serial and screen: one stream per step"},
		{"bad regexp", guest("steps = [{ expect = { serial = \"a(\" } }]"), `guest "g": step 1: expect: serial: error parsing regexp`},
		{"unknown stream", guest("steps = [{ expect = { com2 = \"a\" } }]"), `step 1: expect: unknown key "com2"`},
		{"untypable key", guest("steps = [{ send = { keys = \"é\" } }]"), `step 1: send: keys: cannot type 'é' (U+00E9) on a US keyboard`},
		{"empty send", guest("steps = [{ send = { serial = \"\" } }]"), "step 1: send: serial: want a non-empty string"},
		{"step not a table", guest("steps = [\"expect login\"]"), `step 1: want a table such as { expect = { serial = "..." } }`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := spec.Parse(filepath.Join(dir, "bad.toml"), []byte(c.text))
			if err == nil {
				t.Fatalf("accepted:\n%s", c.text)
			}
			var se *spec.Error
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), filepath.Join(dir, "bad.toml")+": ") {
				t.Errorf("error %q is not a *spec.Error naming the file", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

// TestParseJSONErrorHasLine: a JSON syntax error names its line.
func TestParseJSONErrorHasLine(t *testing.T) {
	_, err := spec.Parse("bad.json", []byte("{\n  \"guest\": [\n    {\"name\": \"g\",}\n  ]\n}"))
	if err == nil || !strings.Contains(err.Error(), "bad.json: JSON: line 3:") {
		t.Errorf("error %v, want one on line 3", err)
	}
}

// TestMainBadSpecIsUsageError: a bad spec stops everything with status 2
// and one clear line per problem on stderr.
func TestMainBadSpecIsUsageError(t *testing.T) {
	dir := specDir(t)
	bad := writeSpec(t, dir, "bad.toml", "[[guest]]\nname = \"g\"\nfda = \"disk.img\"\nsteps = [{ expect = { serail = \"login:\" } }]\n")
	good := writeSpec(t, dir, "good.toml", "[[guest]]\nname = \"g\"\nfda = \"disk.img\"\nexit_status = 0\n")
	var stdout, stderr bytes.Buffer
	status := spec.MainContext(context.Background(), []string{good, bad}, &stdout, &stderr, noEnv)
	want := "ringzero test: " + bad + `: guest "g": step 1: expect: unknown key "serail" (known: serial, debugcon, screen, timeout)` + "\n"
	if status != spec.ExitUsage || stderr.String() != want {
		t.Errorf("status %d, stderr %q\nwant 2 and %q", status, stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q: nothing should run", stdout.String())
	}
}

// TestMainUsageErrors: bad command lines exit with status 2 and say why.
func TestMainUsageErrors(t *testing.T) {
	dir := specDir(t)
	good := writeSpec(t, dir, "good.toml", "[[guest]]\nname = \"g\"\nfda = \"disk.img\"\nexit_status = 0\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no spec file: usage: ringzero test [flags] SPEC..."},
		{[]string{"-frobnicate", good}, "flag provided but not defined: -frobnicate (ringzero test -help lists the flags)"},
		{[]string{"-j", "-1", good}, "-j -1: want 0 (one per CPU) or more"},
		{[]string{"-shard", "2/2", good}, `-shard "2/2": the index I must be a whole number from 0 to 1`},
		{[]string{"-shard", "1", good}, `-shard "1": want I/N`},
		{[]string{"-shard", "/3", good}, "JOB_COMPLETION_INDEX is not set: give the shard index as -shard I/3"},
		{[]string{"-shard-count", "2", good}, "-shard-count 2: JOB_COMPLETION_INDEX is not set"},
		{[]string{"-shard", "0/2", "-shard-count", "3", good}, "-shard 0/2 and -shard-count 3 disagree"},
		{[]string{"-run", "(", good}, "-run: error parsing regexp"},
		{[]string{"-run", "nobody", good}, `-run "nobody" matches no guest`},
		{[]string{"-timeout", "soon", good}, `invalid value "soon" for flag -timeout`},
		{[]string{filepath.Join(dir, "missing.toml")}, "missing.toml: no such file or directory"},
	} {
		var stdout, stderr bytes.Buffer
		status := spec.MainContext(context.Background(), c.args, &stdout, &stderr, noEnv)
		if status != spec.ExitUsage || !strings.HasPrefix(stderr.String(), "ringzero test: ") || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: status %d, stderr %q; want 2 and %q", c.args, status, stderr.String(), c.want)
		}
	}
}

// TestMainHelp: -help prints the usage on stdout with status 0.
func TestMainHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := spec.MainContext(context.Background(), []string{"-help"}, &stdout, &stderr, noEnv); status != 0 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{"Usage: ringzero test [flags] SPEC...", "-junit FILE", "-shard I/N", "-j N", "Exit status:"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestShardsSplitTheGuests: every guest lands in exactly one shard, by
// position, whether the index comes from -shard or JOB_COMPLETION_INDEX.
func TestShardsSplitTheGuests(t *testing.T) {
	dir := specDir(t)
	var text strings.Builder
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		text.WriteString("[[guest]]\nname = \"" + n + "\"\nfda = \"disk.img\"\nexit_status = 0\n")
	}
	path := writeSpec(t, dir, "five.toml", text.String())
	list := func(env string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		getenv := func(k string) string {
			if k == spec.JobIndexEnv {
				return env
			}
			return ""
		}
		status := spec.MainContext(context.Background(), append(append([]string{"-list"}, args...), path), &stdout, &stderr, getenv)
		if status != 0 {
			t.Fatalf("%q: status %d, %s", args, status, stderr.String())
		}
		var names []string
		for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			if name, _, ok := strings.Cut(l, "\t"); ok {
				names = append(names, name)
			}
		}
		return strings.Join(names, " ")
	}
	for _, c := range []struct {
		env  string
		args []string
		want string
	}{
		{"", nil, "a b c d e"},
		{"", []string{"-shard", "0/2"}, "a c e"},
		{"", []string{"-shard", "1/2"}, "b d"},
		{"2", []string{"-shard", "/3"}, "c"},
		{"0", []string{"-shard-count", "3"}, "a d"},
		{"1", []string{"-shard-count", "3"}, "b e"},
		{"1", []string{"-shard", "0/3"}, "a d"}, // an explicit index wins
		{"", []string{"-shard", "0/1"}, "a b c d e"},
		{"", []string{"-run", "[bcd]", "-shard", "1/2"}, "c"},
	} {
		if got := list(c.env, c.args...); got != c.want {
			t.Errorf("JOB_COMPLETION_INDEX=%q %q: %q, want %q", c.env, c.args, got, c.want)
		}
	}
}

// TestREADMEExampleParses keeps the README's spec example valid.
func TestREADMEExampleParses(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```toml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no ```toml block")
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "build"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"build/os.img", "build/selftest.img"} {
		if err := os.WriteFile(filepath.Join(dir, f), make([]byte, 512), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := spec.Parse(filepath.Join(dir, "boot.toml"), []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Guests) != 2 || len(s.Guests[0].Steps) != 7 || s.Guests[1].Machine.DebugExit == nil {
		t.Errorf("README example: %d guests", len(s.Guests))
	}
}
