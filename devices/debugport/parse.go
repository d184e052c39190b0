package debugport

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ExitDriver is the -device driver name of the debug-exit device.
const ExitDriver = "isa-debug-exit"

// Defaults for -device isa-debug-exit without properties: the port and
// width that test harnesses conventionally pass explicitly
// ("iobase=0xf4,iosize=0x04"). Note that QEMU's own defaults are
// iobase=0x501, iosize=0x02; a command line that names both properties
// means the same thing on either.
const (
	DefaultIOBase = 0xF4 // first port of the range
	DefaultIOSize = 4    // number of ports in the range
)

// Config is where the board maps an Exit device.
type Config struct {
	IOBase uint16 // first port
	IOSize uint32 // number of ports, at least 1; IOBase+IOSize <= 0x10000
}

// DefaultConfig is the configuration of a bare "isa-debug-exit".
func DefaultConfig() Config { return Config{IOBase: DefaultIOBase, IOSize: DefaultIOSize} }

// String returns the spec in the form ParseDevice reads.
func (c Config) String() string {
	return fmt.Sprintf("%s,iobase=%#x,iosize=%#x", ExitDriver, c.IOBase, c.IOSize)
}

// ParseDevice reads the argument of QEMU's -device option for the debug
// exit device: "isa-debug-exit" (or "driver=isa-debug-exit") followed by
// optional ",iobase=N" and ",iosize=N" properties, each at most once, in
// any order. Numbers are hexadecimal with a 0x prefix or decimal; decimal
// numbers with a leading zero are refused because QEMU would read them as
// octal. The range must fit the 64 KiB port space. Anything else, including
// a spec naming another device, is an error with one message that says
// what is wrong.
func ParseDevice(spec string) (Config, error) {
	cfg := DefaultConfig()
	fail := func(format string, args ...any) (Config, error) {
		return Config{}, fmt.Errorf("-device %q: %s", spec, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(spec) == "" {
		return Config{}, errors.New("-device: empty device spec; want " + ExitDriver + "[,iobase=N][,iosize=N]")
	}
	parts := strings.Split(spec, ",")
	driver := strings.TrimPrefix(parts[0], "driver=")
	if driver != ExitDriver {
		return fail("not an %s device (only %s is handled here)", ExitDriver, ExitDriver)
	}
	seen := map[string]bool{}
	for _, kv := range parts[1:] {
		key, val, hasVal := strings.Cut(kv, "=")
		switch {
		case kv == "":
			return fail("empty property (stray comma)")
		case key != "iobase" && key != "iosize":
			return fail("unknown property %q (%s takes iobase and iosize)", key, ExitDriver)
		case !hasVal || val == "":
			return fail("property %s needs a value (%s=N)", key, key)
		case seen[key]:
			return fail("property %s given twice", key)
		}
		seen[key] = true
		n, err := parseNumber(val)
		if err != nil {
			return fail("%s=%s: %v", key, val, err)
		}
		if key == "iobase" {
			if n > 0xFFFF {
				return fail("iobase=%s: port out of range (0 to 0xffff)", val)
			}
			cfg.IOBase = uint16(n)
		} else {
			if n == 0 || n > 0x10000 {
				return fail("iosize=%s: size out of range (1 to 0x10000)", val)
			}
			cfg.IOSize = uint32(n)
		}
	}
	if end := uint32(cfg.IOBase) + cfg.IOSize; end > 0x10000 {
		return fail("ports %#x to %#x run past the end of the port space (0xffff)", cfg.IOBase, end-1)
	}
	return cfg, nil
}

// parseNumber reads a non-negative number: 0x-prefixed hexadecimal or
// plain decimal, without signs, spaces or digit separators.
func parseNumber(s string) (uint64, error) {
	digits, base := s, 10
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		digits, base = h, 16
	} else if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero is ambiguous (QEMU reads it as octal); write it in hex with 0x or in decimal without the zero")
	}
	if digits == "" {
		return 0, errors.New("no digits after 0x")
	}
	for _, c := range digits {
		isDigit := c >= '0' && c <= '9'
		isHex := base == 16 && c >= 'a' && c <= 'f'
		if !isDigit && !isHex {
			if base == 16 {
				return 0, errors.New("not a hexadecimal number")
			}
			return 0, errors.New("not a number (write hex as 0x.. or decimal)")
		}
	}
	n, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return 0, errors.New("number too large")
	}
	return n, nil
}
