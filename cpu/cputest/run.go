package cputest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"ringzero/cpu"
)

// Options tune Run.
type Options struct {
	// MaxFailures is how many failing cases, with their diffs, each
	// FileResult keeps; negative keeps them all.
	MaxFailures int
	// Verbose keeps every case, passing ones too, in FileResult.Cases.
	Verbose bool
	// Filter selects the tests to run; nil runs them all. See ParseFilter.
	Filter func(*Test) bool
	// Limit runs only the first Limit tests of each file; 0 runs all.
	Limit int
	// Workers is the number of files loaded and run at once, each worker
	// with its own RAM and engine; 0 means GOMAXPROCS.
	Workers int
	// Context cancels the run; nil means context.Background().
	Context context.Context
	// OnFile, if set, is called with each file's result in file order, as
	// soon as that file and all before it are done.
	OnFile func(*FileResult)
}

// FileResult is the outcome of one file.
type FileResult struct {
	Path     string
	Key      string
	Total    int // tests run: Passed + Failed
	Passed   int
	Failed   int
	Skipped  int    // revoked tests
	Failures []Case // the first Options.MaxFailures failing cases
	Cases    []Case // every case run, when Options.Verbose
	Err      error  // the file could not be loaded
	Load     time.Duration
	Exec     time.Duration
}

// Rate is the pass rate in percent (100 for a file with no test run).
func (r *FileResult) Rate() float64 {
	if r.Total == 0 {
		return 100
	}
	return 100 * float64(r.Passed) / float64(r.Total)
}

// Summary totals a Run.
type Summary struct {
	Files   []FileResult
	Total   int
	Passed  int
	Failed  int
	Skipped int
	Load    time.Duration // summed over workers
	Exec    time.Duration // summed over workers
	Elapsed time.Duration // wall clock
}

// Rate is the overall pass rate in percent.
func (s *Summary) Rate() float64 {
	if s.Total == 0 {
		return 100
	}
	return 100 * float64(s.Passed) / float64(s.Total)
}

// Run loads the suite files and runs their tests on engines of model m,
// one worker per CPU by default, each loading a file and running it on
// its own Machine. It returns the summary of every file and an error
// joining the files that could not be loaded (their FileResult.Err).
func Run(files []string, m cpu.Model, newEngine NewEngine, opts Options) (Summary, error) {
	start := time.Now()
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, len(files)), 1)

	results := make([]FileResult, len(files))
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var x *Machine // built on the first file, then reused
			for i := range jobs {
				if x == nil {
					x = NewMachine(m, newEngine)
				}
				results[i] = runFile(ctx, x, files[i], &opts)
				close(done[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	var sum Summary
	var errs []error
	for i := range files {
		select {
		case <-done[i]:
		case <-ctx.Done():
			wg.Wait()
			sum.Elapsed = time.Since(start)
			return sum, ctx.Err()
		}
		r := &results[i]
		if opts.OnFile != nil {
			opts.OnFile(r)
		}
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
		sum.Total += r.Total
		sum.Passed += r.Passed
		sum.Failed += r.Failed
		sum.Skipped += r.Skipped
		sum.Load += r.Load
		sum.Exec += r.Exec
	}
	wg.Wait()
	sum.Files = results
	sum.Elapsed = time.Since(start)
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return sum, errors.Join(errs...)
}

// runFile loads one file and runs its tests on x.
func runFile(ctx context.Context, x *Machine, path string, opts *Options) FileResult {
	r := FileResult{Path: path, Key: FileKey(path)}
	t0 := time.Now()
	f, err := LoadFile(path)
	r.Load = time.Since(t0)
	if err != nil {
		r.Err = err
		return r
	}
	t0 = time.Now()
	tests := f.Tests
	if opts.Limit > 0 && len(tests) > opts.Limit {
		tests = tests[:opts.Limit]
	}
	for i := range tests {
		t := &tests[i]
		if opts.Filter != nil && !opts.Filter(t) {
			continue
		}
		if t.Revoked {
			r.Skipped++
			continue
		}
		if ctx.Err() != nil {
			break
		}
		c := x.RunTest(ctx, f, t)
		r.Total++
		if c.Passed {
			r.Passed++
		} else {
			r.Failed++
			if opts.MaxFailures < 0 || len(r.Failures) < opts.MaxFailures {
				r.Failures = append(r.Failures, c)
			}
		}
		if opts.Verbose {
			r.Cases = append(r.Cases, c)
		}
	}
	r.Exec = time.Since(t0)
	return r
}

// ParseFilter turns a comma-separated list into a test filter: decimal
// numbers select test indexes, and hex strings of 6 or more digits select
// tests whose hash starts with them.
func ParseFilter(spec string) (func(*Test) bool, error) {
	idx := map[int]bool{}
	var hashes []string
	for _, f := range strings.Split(spec, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if len(f) < 6 {
			n, err := strconv.Atoi(f)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("test filter %q: want a test index or a hash prefix of 6+ hex digits", f)
			}
			idx[n] = true
			continue
		}
		if strings.Trim(f, "0123456789abcdef") != "" {
			return nil, fmt.Errorf("test filter %q: not a hex hash prefix", f)
		}
		hashes = append(hashes, f)
	}
	if len(idx) == 0 && len(hashes) == 0 {
		return nil, fmt.Errorf("empty test filter")
	}
	return func(t *Test) bool {
		if idx[t.Index] {
			return true
		}
		for _, h := range hashes {
			if strings.HasPrefix(strings.ToLower(t.Hash), h) {
				return true
			}
		}
		return false
	}, nil
}
