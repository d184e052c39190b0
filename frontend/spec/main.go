package spec

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Exit statuses of Main (the `ringzero test` command).
const (
	ExitPassed      = 0   // every guest passed
	ExitFailed      = 1   // some guest failed
	ExitUsage       = 2   // bad command line or spec file, or a host error
	ExitInterrupted = 130 // SIGINT, as a shell reports it
)

// flags are the command line of `ringzero test`.
type flags struct {
	jobs       int
	junit      string
	report     string
	shard      string
	shardCount int
	timeout    time.Duration
	run        string
	list       bool
	verbose    bool
}

// newFlagSet registers the flags on a new FlagSet: the one list the help
// text comes from.
func newFlagSet(f *flags) *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.IntVar(&f.jobs, "j", 0, "run `N` guests at once; 0 means one per CPU (GOMAXPROCS)")
	fs.StringVar(&f.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&f.report, "report", "", "write failure reports (screen PNG, text, logs) to `DIR` (default: beside the -junit file, else a new temporary folder)")
	fs.StringVar(&f.shard, "shard", "", "run shard `I/N` only: every N-th guest from the I-th (from 0); /N takes I from "+JobIndexEnv)
	fs.IntVar(&f.shardCount, "shard-count", 0, "split the guests into `N` shards and run shard "+JobIndexEnv+" (a Kubernetes indexed Job)")
	fs.Var((*durationFlag)(&f.timeout), "timeout", "wall-clock limit for a guest whose spec sets none: `DURATION` such as 30s or 2m, or seconds (default "+DefaultTimeout.String()+")")
	fs.StringVar(&f.run, "run", "", "run only the guests whose name matches `REGEXP`")
	fs.BoolVar(&f.list, "list", false, "list the guests that would run (after -run and sharding) and exit")
	fs.BoolVar(&f.verbose, "v", false, "print each step as it completes")
	return fs
}

// durationFlag is a time.Duration that also takes a bare number of
// seconds, as -timeout does for `ringzero run`.
type durationFlag time.Duration

func (d *durationFlag) Set(s string) error {
	v, err := duration(s)
	if err != nil {
		return err
	}
	*d = durationFlag(v)
	return nil
}

func (d *durationFlag) String() string {
	if d == nil || *d == 0 {
		return ""
	}
	return time.Duration(*d).String()
}

// PrintHelp writes the usage of `ringzero test` and its flags.
func PrintHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: ringzero test [flags] SPEC...

Boot the guests that the SPEC files (TOML, or JSON when the name ends in
.json) describe, in parallel, and check what each prints, shows and exits
with. It prints a PASS or FAIL line per guest, a report for each failure,
and ends with "N passed, N failed".

`)
	PrintFlags(w)
	fmt.Fprint(w, `
Exit status: 0 all passed, 1 some failed, 2 usage or spec error, 130 interrupted.
`)
}

// PrintFlags writes the flag list alone (for `ringzero help`).
func PrintFlags(w io.Writer) {
	var f flags
	fs := newFlagSet(&f)
	fmt.Fprintln(w, "Test flags:")
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(fl *flag.Flag) {
		arg, usage := flag.UnquoteUsage(fl)
		left := "-" + fl.Name
		if arg != "" {
			left += " " + arg
		}
		width = max(width, len(left))
		rows = append(rows, row{left, usage})
	})
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.left, r.usage)
	}
}

// parseInterspersed parses args with fs, allowing flags after the spec
// files as `ringzero run` does; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// Main is `ringzero test ARGS...`: it returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return MainContext(ctx, args, stdout, stderr, os.Getenv)
}

// MainContext is Main with the context that interrupts the run and the
// environment lookup for JOB_COMPLETION_INDEX given (tests pass their own).
func MainContext(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	usage := func(format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		if strings.HasPrefix(msg, "flag provided but not defined") {
			msg += " (ringzero test -help lists the flags)"
		}
		fmt.Fprintf(stderr, "ringzero test: %s\n", msg)
		return ExitUsage
	}
	var f flags
	fs := newFlagSet(&f)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	paths, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		PrintHelp(stdout)
		return ExitPassed
	case err != nil:
		return usage("%v", err)
	case len(paths) == 0:
		return usage("no spec file: usage: ringzero test [flags] SPEC...")
	case f.jobs < 0:
		return usage("-j %d: want 0 (one per CPU) or more", f.jobs)
	case f.shardCount < 0:
		return usage("-shard-count %d: want 1 or more", f.shardCount)
	}
	var filter *regexp.Regexp
	if f.run != "" {
		if filter, err = regexp.Compile(f.run); err != nil {
			return usage("-run: %v", err)
		}
	}
	var shard Shard
	switch {
	case f.shard != "":
		if shard, err = ParseShard(f.shard, getenv); err != nil {
			return usage("%v", err)
		}
		if f.shardCount > 0 && f.shardCount != shard.Count {
			return usage("-shard %s and -shard-count %d disagree on the number of shards", f.shard, f.shardCount)
		}
	case f.shardCount > 0:
		if shard, err = ShardFromEnv(f.shardCount, getenv); err != nil {
			return usage("-shard-count %d: %v", f.shardCount, err)
		}
	}

	specs, err := LoadAll(paths)
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "ringzero test: %s\n", line)
		}
		return ExitUsage
	}
	if filter != nil && len(Select(specs, filter, Shard{})) == 0 {
		return usage("-run %q matches no guest", f.run)
	}
	all := len(Select(specs, filter, Shard{}))
	guests := Select(specs, filter, shard)
	if f.list {
		for _, g := range guests {
			fmt.Fprintf(stdout, "%s\t%s\n", g.Name, g.Spec)
		}
		return ExitPassed
	}

	opt := Options{Jobs: f.jobs, Timeout: f.timeout, Progress: stdout, Verbose: f.verbose, ReportDir: f.report}
	tempReports := ""
	if opt.ReportDir == "" && f.junit != "" {
		opt.ReportDir = filepath.Dir(f.junit)
	}
	if opt.ReportDir == "" {
		if tempReports, err = os.MkdirTemp("", "ringzero-test-"); err != nil {
			return usage("%v", err)
		}
		opt.ReportDir = tempReports
	}
	jobs := opt.Jobs
	if jobs == 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	head := fmt.Sprintf("%s from %s, %d at a time", plural(len(guests), "guest"), plural(len(specs), "spec file"), min(jobs, max(len(guests), 1)))
	if shard.Count > 1 {
		head += fmt.Sprintf("; shard %s: %d of %d", shard, len(guests), all)
	}
	fmt.Fprintln(stdout, head)

	started := time.Now()
	results := Run(ctx, guests, opt)
	passed, failed, notStarted, files := 0, 0, 0, 0
	for _, r := range results {
		switch {
		case r.Passed:
			passed++
		case r.Outcome == OutcomeNotStarted:
			notStarted++
		default:
			failed++
			files += len(r.Files)
		}
	}
	status := ExitPassed
	if failed > 0 {
		status = ExitFailed
	}
	if f.junit != "" {
		if err := writeJUnit(f.junit, NewJUnit(results, started)); err != nil {
			fmt.Fprintf(stderr, "ringzero test: -junit: %v\n", err)
			status = ExitUsage
		}
	}
	if tempReports != "" && files == 0 {
		os.RemoveAll(tempReports)
	} else if files > 0 {
		fmt.Fprintf(stdout, "failure reports in %s\n", opt.ReportDir)
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stdout, "interrupted: %s not started\n", plural(notStarted, "guest"))
		status = ExitInterrupted
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	return status
}

func writeJUnit(path string, rep *JUnitReport) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
