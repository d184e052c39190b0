package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ringzero/cpu"
	"ringzero/cpu/cputest"
)

// cputestOptions are the flags of `ringzero cputest`.
type cputestOptions struct {
	Model       string // -cpu; "" guesses from the paths
	Engine      string // -engine
	Verbose     bool   // -v
	Limit       int    // -limit
	Filter      string // -filter
	MaxFailures int    // -max-failures
	Workers     int    // -j
}

// newCputestFlags registers the cputest flags; the one list -help uses.
func newCputestFlags(o *cputestOptions) *flagList {
	*o = cputestOptions{Engine: "interp", MaxFailures: 5}
	l := &flagList{fs: flag.NewFlagSet("cputest", flag.ContinueOnError)}
	l.section("")
	l.str(&o.Model, "cpu", "", "CPU `MODEL` the suite was captured on: 8086 or 286 (default: guessed from PATH, or every suite)")
	l.add(&choiceValue{&o.Engine, softwareEngineNames()}, "engine", "`ENGINE` to test: "+strings.Join(softwareEngineNames(), ", "))
	l.boolean(&o.Verbose, "v", "print every case, passing ones too")
	l.add((*nonNegInt)(&o.Limit), "limit", "run only the first `N` tests of each file; 0 runs all")
	l.str(&o.Filter, "filter", "", "run only the tests in `LIST`: test indexes and hash prefixes (6+ hex digits), comma-separated")
	l.fs.IntVar(&o.MaxFailures, "max-failures", o.MaxFailures, "print at most `N` failing cases per file; -1 prints all")
	l.sections[0].names = append(l.sections[0].names, "max-failures")
	l.add((*nonNegInt)(&o.Workers), "j", "run `N` files at once; 0 means one per CPU")
	return l
}

type nonNegInt int

func (v *nonNegInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a whole number, 0 or more")
	}
	*v = nonNegInt(n)
	return nil
}
func (v *nonNegInt) String() string { return fmt.Sprint(int(*v)) }

func printCputestHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: ringzero cputest [flags] [PATH...]

Run SingleStepTests suite files (MOO or JSON, gzipped or not), or every
suite file under the folders given, one instruction per test, and compare
registers and memory. Without PATH it runs the suites in the testdata
folder ($RINGZERO_TESTDATA, else ../shared/testdata beside the module).

`)
	printCputestFlags(w)
}

func printCputestFlags(w io.Writer) {
	var o cputestOptions
	fmt.Fprintln(w, "Cputest flags:")
	printFlags(w, newCputestFlags(&o))
}

// cputestJob is one model's set of suite files.
type cputestJob struct {
	name  string
	model cpu.Model
	files []string
}

func cputestCmd(args []string, stdout, stderr io.Writer) int {
	var o cputestOptions
	l := newCputestFlags(&o)
	l.fs.SetOutput(io.Discard)
	l.fs.Usage = func() {}
	paths, err := parseInterspersed(l.fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printCputestHelp(stdout)
		return exitOK
	}
	if err != nil {
		return usageError(stderr, "cputest", err)
	}
	if o.MaxFailures < -1 {
		return usageError(stderr, "cputest", errors.New("-max-failures: want -1 (all) or a number 0 or more"))
	}
	opts := cputest.Options{MaxFailures: o.MaxFailures, Verbose: o.Verbose, Limit: o.Limit, Workers: o.Workers}
	if o.Filter != "" {
		if opts.Filter, err = cputest.ParseFilter(o.Filter); err != nil {
			return usageError(stderr, "cputest", fmt.Errorf("-filter: %w", err))
		}
	}
	jobs, err := cputestJobs(o.Model, paths)
	if err != nil {
		return usageError(stderr, "cputest", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts.Context = ctx
	newEngine := softwareEngines[o.Engine]
	var passed, failed, broken int
	for _, j := range jobs {
		opts.OnFile = func(r *cputest.FileResult) { printFileResult(stdout, r, o.Verbose) }
		// Run's error joins the files that failed to load, which
		// printFileResult reports on their own lines, and ctx's.
		sum, _ := cputest.Run(j.files, j.model, newEngine, opts)
		passed += sum.Passed
		failed += sum.Failed
		for i := range sum.Files {
			if sum.Files[i].Err != nil {
				broken++
			}
		}
		if ctx.Err() != nil {
			fmt.Fprintf(stdout, "interrupted\n%d passed, %d failed\n", passed, failed)
			return exitInterrupted
		}
		extra := ""
		if sum.Skipped > 0 {
			extra = fmt.Sprintf(", %d revoked tests skipped", sum.Skipped)
		}
		fmt.Fprintf(stdout, "%s on %s (%s): %s, %.3f%% passed%s, %v\n",
			j.name, o.Engine, j.model, plural(len(j.files), "file"), sum.Rate(), extra, sum.Elapsed.Round(time.Millisecond))
	}
	if broken > 0 {
		fmt.Fprintf(stdout, "%s could not be loaded\n", plural(broken, "file"))
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 || broken > 0 {
		return exitFailed
	}
	return exitOK
}

// printFileResult prints a file's line (key, passed/total, rate) and then
// its failing cases, or every case with -v.
func printFileResult(w io.Writer, r *cputest.FileResult, verbose bool) {
	if r.Err != nil {
		fmt.Fprintf(w, "%-8s load error: %v\n", r.Key, r.Err)
		return
	}
	line := fmt.Sprintf("%-8s %6d/%-6d %7.2f%%", r.Key, r.Passed, r.Total, r.Rate())
	if r.Skipped > 0 {
		line += fmt.Sprintf("  (%d revoked)", r.Skipped)
	}
	fmt.Fprintln(w, line)
	cases := r.Failures
	if verbose {
		cases = r.Cases
	}
	for i := range cases {
		fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(cases[i].String(), "\n", "\n  "))
	}
	if !verbose && r.Failed > len(r.Failures) {
		fmt.Fprintf(w, "  ... %d more failing cases (-max-failures)\n", r.Failed-len(r.Failures))
	}
}

// cputestJobs decides what to run: the PATHs on the model -cpu names or
// their folder names suggest, or without PATH the known suites in the
// testdata folder.
func cputestJobs(model string, paths []string) ([]cputestJob, error) {
	var m cpu.Model
	if model != "" {
		var err error
		if m, err = cpu.ParseModel(model); err != nil {
			return nil, fmt.Errorf("-cpu: %w", err)
		}
	}
	if len(paths) == 0 {
		return suiteJobs(model != "", m)
	}
	if model == "" {
		var err error
		if m, err = guessModel(paths); err != nil {
			return nil, err
		}
	}
	files, err := cputest.Expand(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no suite files (*.json.gz, *.MOO.gz) in %s", strings.Join(paths, " "))
	}
	name := paths[0]
	if len(paths) > 1 {
		name = fmt.Sprintf("%s and %d more", paths[0], len(paths)-1)
	}
	return []cputestJob{{name: name, model: m, files: files}}, nil
}

// suiteJobs lists cputest.Suites in the testdata folder, only model m's
// when only is set.
func suiteJobs(only bool, m cpu.Model) ([]cputestJob, error) {
	dir, err := cputest.TestdataDir()
	if err != nil {
		return nil, fmt.Errorf("no PATH given and %w", err)
	}
	var jobs []cputestJob
	for _, s := range cputest.Suites {
		if only && s.Model != m {
			continue
		}
		var paths []string
		for _, d := range s.Dirs {
			paths = append(paths, filepath.Join(dir, d))
		}
		files, err := cputest.Expand(paths)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, cputestJob{name: "suite " + s.Name, model: s.Model, files: files})
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("no suite for -cpu %s in %s (give PATH)", m, dir)
	}
	return jobs, nil
}

// guessModel reads the model from the suites' folder names
// (singlesteptests-80286, singlesteptests-8086).
func guessModel(paths []string) (cpu.Model, error) {
	var found []cpu.Model
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		var m cpu.Model
		switch {
		case strings.Contains(abs, "80286"):
			m = cpu.Model286
		case strings.Contains(abs, "8086") || strings.Contains(abs, "8088"):
			m = cpu.Model8086
		default:
			return 0, fmt.Errorf("cannot tell the CPU of %s from its name: give -cpu 8086 or -cpu 286", p)
		}
		if len(found) > 0 && found[0] != m {
			return 0, fmt.Errorf("the paths mix %s and %s suites: give -cpu, or run them one at a time", found[0], m)
		}
		found = append(found, m)
	}
	return found[0], nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
