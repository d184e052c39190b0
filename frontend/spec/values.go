package spec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Values spelled as on the `ringzero run` command line. cmd/ringzero keeps
// its parsers unexported in package main, so these repeat its rules.

// memSize parses an -m size: "32" (MiB), "640K", "64M", "1G" (an MB or
// MiB suffix is accepted too): whole 4 KiB pages, from 1 MiB, the least
// the board builds, to 3584 MiB.
func memSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	u := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(t), "IB"), "B")
	shift := uint(20)
	if u != "" {
		switch u[len(u)-1] {
		case 'K':
			shift, u = 10, u[:len(u)-1]
		case 'M':
			shift, u = 20, u[:len(u)-1]
		case 'G':
			shift, u = 30, u[:len(u)-1]
		}
	}
	n, err := strconv.ParseUint(u, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("bad size %q: want a number of MiB or one with a K, M or G suffix (32, 32M, 1G)", s)
	}
	b := n << shift
	switch {
	case b>>shift != n || b > 3584<<20:
		return 0, fmt.Errorf("size %s is more than the 3584 MiB a 32-bit PC maps below its PCI hole", t)
	case b < 1<<20:
		return 0, fmt.Errorf("size %s is less than the 1M the board needs", t)
	case b%4096 != 0:
		return 0, fmt.Errorf("size %s is not a whole number of 4K pages", t)
	}
	return b, nil
}

// bootOrder parses -boot ("cd", "order=dc", "order=c,once=d") and returns
// the order of the first boot, which is what pc.Config.Boot takes.
func bootOrder(s string) (string, error) {
	if !strings.Contains(s, "=") {
		return s, checkDrives(s)
	}
	var order, once string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(part, "=")
		if k != "order" && k != "once" {
			return "", fmt.Errorf("unknown key %q (want order and once)", k)
		}
		if seen[k] {
			return "", fmt.Errorf("%s given twice", k)
		}
		seen[k] = true
		if err := checkDrives(v); err != nil {
			return "", fmt.Errorf("%s=: %w", k, err)
		}
		if k == "order" {
			order = v
		} else {
			once = v
		}
	}
	if once != "" {
		return once, nil
	}
	return order, nil
}

// checkDrives accepts distinct drive letters a (floppy), c (disk) and d
// (CD-ROM).
func checkDrives(s string) error {
	if s == "" {
		return errors.New("no boot drive: want letters a (floppy), c (disk), d (CD-ROM)")
	}
	for i, r := range s {
		if r != 'a' && r != 'c' && r != 'd' {
			return fmt.Errorf("boot drive %q: want a (floppy), c (disk) or d (CD-ROM)", r)
		}
		if strings.ContainsRune(s[:i], r) {
			return fmt.Errorf("boot drive %q listed twice", r)
		}
	}
	return nil
}

// rtcBase parses rtc: "utc", "localtime", a date or a date and time, with
// or without "base=", or a TOML date-time.
func rtcBase(v any) (RTC, error) {
	if t, ok := v.(time.Time); ok {
		if n := t.Location().String(); n == "datetime-local" || n == "date-local" {
			// A TOML date-time without an offset: the same wall clock
			// as the string form, which -rtc reads as UTC.
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		}
		return RTC{Start: t}, nil
	}
	s, ok := v.(string)
	if !ok {
		return RTC{}, fmt.Errorf("want \"utc\", \"localtime\" or \"YYYY-MM-DDTHH:MM:SS\", got %s", kind(v))
	}
	base := strings.TrimPrefix(s, "base=")
	switch base {
	case "utc":
		return RTC{}, nil
	case "localtime":
		return RTC{Local: true}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, base); err == nil {
			return RTC{Start: t}, nil
		}
	}
	return RTC{}, fmt.Errorf("%q: want utc, localtime, YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD", s)
}

// duration parses a timeout: a Go duration string ("5s", "2m30s") or a
// number of seconds.
func duration(v any) (time.Duration, error) {
	var d time.Duration
	switch v := v.(type) {
	case string:
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			n, err2 := strconv.ParseFloat(v, 64)
			if err2 != nil {
				return 0, fmt.Errorf("%q: want a duration such as \"5s\" or \"2m\", or a number of seconds", v)
			}
			d = time.Duration(n * float64(time.Second))
		}
	default:
		if n, ok := asInt(v); ok {
			d = time.Duration(n) * time.Second
		} else if f, ok := asFloat(v); ok {
			d = time.Duration(f * float64(time.Second))
		} else {
			return 0, fmt.Errorf("want a duration such as \"5s\", got %s", kind(v))
		}
	}
	if d < 0 {
		return 0, errors.New("negative duration")
	}
	return d, nil
}

// statusNames are the exit_status words, each the status `ringzero run`
// exits with in that case.
var statusNames = map[string]int{
	"poweroff":     0,
	"reset":        0, // with no-reboot
	"triple-fault": 4, // with no-reboot
	"timeout":      124,
}

// exitStatus parses exit_status: 0 to 255, or one of statusNames.
func exitStatus(v any) (int, error) {
	if s, ok := v.(string); ok {
		if n, ok := statusNames[s]; ok {
			return n, nil
		}
		return 0, fmt.Errorf("%q: want a number from 0 to 255 or one of \"poweroff\", \"reset\", \"triple-fault\", \"timeout\"", s)
	}
	n, ok := asInt(v)
	if !ok || n < 0 || n > 255 {
		return 0, fmt.Errorf("want a number from 0 to 255 or \"poweroff\", got %s", kind(v))
	}
	return int(n), nil
}
