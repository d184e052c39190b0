package cputest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"ringzero/cpu"
)

// Environment variables SingleStep honours.
const (
	// EnvTestdata overrides the testdata directory (the folder holding
	// singlesteptests-8086 and singlesteptests-80286).
	EnvTestdata = "RINGZERO_TESTDATA"
	// EnvNoSkip set to 1 turns a missing testdata directory from a skip
	// into a failure (CI).
	EnvNoSkip = "RINGZERO_NO_SKIP"
)

// Suite is one single-step suite as SingleStep runs it.
type Suite struct {
	Name    string
	Model   cpu.Model
	Dirs    []string // relative to the testdata directory
	MinRate float64  // overall pass rate below which the test fails, in percent
}

// Suites are the single-step suites under the testdata directory.
var Suites = []Suite{
	{Name: "80286", Model: cpu.Model286, Dirs: []string{"singlesteptests-80286/v1_real_mode"}, MinRate: 99.5},
	{Name: "8086", Model: cpu.Model8086, Dirs: []string{"singlesteptests-8086/v1", "singlesteptests-8086/v1_binary"}, MinRate: 99},
}

// MinFileRate is the pass rate, in percent, below which any one file
// fails SingleStep.
const MinFileRate = 90

// ShortLimit is the number of tests per file SingleStep runs with -short.
const ShortLimit = 50

// TestdataDir finds the testdata directory: $RINGZERO_TESTDATA if set,
// else shared/testdata beside the module root (the directory holding
// go.mod, found by walking up from the working directory).
func TestdataDir() (string, error) {
	if d := os.Getenv(EnvTestdata); d != "" {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("$%s=%s is not a directory", EnvTestdata, d)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			td := filepath.Join(filepath.Dir(d), "shared", "testdata")
			if fi, err := os.Stat(td); err != nil || !fi.IsDir() {
				return "", fmt.Errorf("no testdata at %s (set $%s)", td, EnvTestdata)
			}
			return td, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s, so no testdata (set $%s)", wd, EnvTestdata)
		}
	}
}

// SingleStep runs the single-step suites on the engine newEngine builds,
// one subtest per suite. It logs each file's pass rate and fails when a
// suite's overall rate is below its MinRate or any file's is below
// MinFileRate. With -short it runs the first ShortLimit tests of each
// file. Without testdata it skips, or fails if RINGZERO_NO_SKIP=1.
func SingleStep(t *testing.T, newEngine NewEngine) {
	t.Helper()
	missing := func(t *testing.T, err error) {
		t.Helper()
		if os.Getenv(EnvNoSkip) == "1" {
			t.Fatalf("single-step suites: %v", err)
		}
		t.Skipf("single-step suites not found, skipping: %v", err)
	}
	dir, err := TestdataDir()
	if err != nil {
		missing(t, err)
		return
	}
	for _, s := range Suites {
		t.Run(s.Name, func(t *testing.T) {
			var paths []string
			for _, d := range s.Dirs {
				p := filepath.Join(dir, d)
				if _, err := os.Stat(p); err != nil {
					missing(t, err)
					return
				}
				paths = append(paths, p)
			}
			files, err := Expand(paths)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{MaxFailures: 3}
			if testing.Short() {
				opts.Limit = ShortLimit
			}
			sum, err := Run(files, s.Model, newEngine, opts)
			if err != nil {
				t.Fatal(err)
			}
			reportSuite(t, s, &sum)
		})
	}
}

// reportSuite logs the per-file rates and applies the thresholds.
func reportSuite(t *testing.T, s Suite, sum *Summary) {
	t.Helper()
	var bad []*FileResult
	for i := range sum.Files {
		r := &sum.Files[i]
		t.Logf("%-8s %5d/%-5d %7.2f%%", r.Key, r.Passed, r.Total, r.Rate())
		if r.Rate() < MinFileRate {
			bad = append(bad, r)
		}
	}
	t.Logf("%s: %d passed, %d failed, %d skipped (%.3f%%) in %v", s.Name, sum.Passed, sum.Failed, sum.Skipped, sum.Rate(), sum.Elapsed.Round(1e6))
	for _, r := range bad {
		msg := fmt.Sprintf("%s: %d/%d passed (%.2f%%), below %d%%", r.Path, r.Passed, r.Total, r.Rate(), MinFileRate)
		for _, c := range r.Failures {
			msg += "\n  " + c.String()
		}
		t.Error(msg)
	}
	if sum.Rate() < s.MinRate {
		// Show where the failures are, worst files first.
		worst := make([]*FileResult, 0, len(sum.Files))
		for i := range sum.Files {
			if sum.Files[i].Failed > 0 {
				worst = append(worst, &sum.Files[i])
			}
		}
		sort.SliceStable(worst, func(i, j int) bool { return worst[i].Failed > worst[j].Failed })
		msg := fmt.Sprintf("%s suite: %.3f%% passed, below %.1f%%; worst files:", s.Name, sum.Rate(), s.MinRate)
		for _, r := range worst[:min(len(worst), 10)] {
			msg += fmt.Sprintf("\n  %s %d/%d", r.Key, r.Passed, r.Total)
			if len(r.Failures) > 0 {
				msg += "\n    " + r.Failures[0].String()
			}
		}
		t.Error(msg)
	}
}
