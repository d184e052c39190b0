package spec

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Shard is one part of a run split across machines: the guests whose
// position in the list, counted from 0, is Index modulo Count.
type Shard struct {
	Index, Count int
}

// JobIndexEnv is the variable a Kubernetes indexed Job sets to each pod's
// index, from 0; `-shard /N` and `-shard-count N` take the index from it.
const JobIndexEnv = "JOB_COMPLETION_INDEX"

// ParseShard reads "I/N", or "/N" with I from JOB_COMPLETION_INDEX
// (looked up with getenv).
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("-shard %q: want I/N (shard I of N, from 0) or /N with %s set", s, JobIndexEnv)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 {
		return Shard{}, fmt.Errorf("-shard %q: the count N must be a whole number, 1 or more", s)
	}
	if is == "" {
		return ShardFromEnv(n, getenv)
	}
	i, err := strconv.Atoi(is)
	if err != nil || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("-shard %q: the index I must be a whole number from 0 to %d", s, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardFromEnv is shard JOB_COMPLETION_INDEX of n.
func ShardFromEnv(n int, getenv func(string) string) (Shard, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	v := getenv(JobIndexEnv)
	if v == "" {
		return Shard{}, fmt.Errorf("%s is not set: give the shard index as -shard I/%d", JobIndexEnv, n)
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("%s=%q: want a whole number from 0 to %d (the shard count is %d)", JobIndexEnv, v, n-1, n)
	}
	return Shard{Index: i, Count: n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Select keeps the guests whose name matches filter (nil keeps all) and
// then those of the shard (a zero Count keeps all). Sharding counts the
// guests that pass the filter, in spec order, so every shard sees the
// same list.
func Select(specs []*Spec, filter *regexp.Regexp, shard Shard) []*Guest {
	var all []*Guest
	for _, s := range specs {
		for _, g := range s.Guests {
			if filter == nil || filter.MatchString(g.Name) {
				all = append(all, g)
			}
		}
	}
	if shard.Count <= 1 {
		return all
	}
	var out []*Guest
	for i, g := range all {
		if i%shard.Count == shard.Index {
			out = append(out, g)
		}
	}
	return out
}

// LoadAll loads every spec file; the error joins each file's.
func LoadAll(paths []string) ([]*Spec, error) {
	var specs []*Spec
	var errs []error
	for _, p := range paths {
		s, err := Load(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		specs = append(specs, s)
	}
	return specs, errors.Join(errs...)
}

// reportStems gives each guest a file name stem for its report files:
// its name with anything but letters, digits, '.', '-' and '_' turned
// into '_', and a -2, -3... suffix where two guests would collide.
func reportStems(guests []*Guest) []string {
	stems := make([]string, len(guests))
	used := map[string]bool{}
	for i, g := range guests {
		base := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
				return r
			}
			return '_'
		}, g.Name)
		base = strings.TrimLeft(base, ".")
		if base == "" {
			base = "guest"
		}
		stem := base
		for n := 2; used[strings.ToLower(stem)]; n++ {
			stem = fmt.Sprintf("%s-%d", base, n)
		}
		used[strings.ToLower(stem)] = true
		stems[i] = stem
	}
	return stems
}
