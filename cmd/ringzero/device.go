package main

import (
	"fmt"

	"ringzero/devices/debugport"
	"sort"
	"strings"
)

// Device is one -device option.
type Device struct {
	Driver string // "isa-debug-exit"
	IOBase uint16 // first port
	IOSize uint16 // number of ports: 1, 2 or 4
}

func (d Device) String() string {
	return fmt.Sprintf("%s,iobase=%#x,iosize=%#x", d.Driver, d.IOBase, d.IOSize)
}

// deviceDriver describes a -device driver: its properties and defaults.
type deviceDriver struct {
	help  string
	props map[string]string // property → help, default included
	parse func(props map[string]string) (Device, error)
}

// deviceDrivers are the drivers -device accepts.
var deviceDrivers = map[string]deviceDriver{
	"isa-debug-exit": {
		help: "writing v to the port ends the run with status (v<<1)|1",
		props: map[string]string{
			"iobase": "first I/O port (default 0xf4)",
			"iosize": "number of ports (default 4)",
		},
		parse: parseDebugExit,
	},
}

// parseDebugExit hands the properties to debugport.ParseDevice, the one
// place that knows the isa-debug-exit syntax and defaults (iobase=0xf4,
// iosize=4).
func parseDebugExit(props map[string]string) (Device, error) {
	spec := debugport.ExitDriver
	for _, k := range sortedKeys(props) {
		spec += "," + k + "=" + props[k]
	}
	c, err := debugport.ParseDevice(spec)
	if err != nil {
		return Device{}, err
	}
	return Device{Driver: debugport.ExitDriver, IOBase: c.IOBase, IOSize: uint16(c.IOSize)}, nil
}

// parseDevice parses "driver[,key=value...]".
func parseDevice(spec string) (Device, error) {
	parts := strings.Split(spec, ",")
	name := parts[0]
	drv, ok := deviceDrivers[name]
	if !ok {
		return Device{}, fmt.Errorf("unknown device %q (-device help lists them)", name)
	}
	props := map[string]string{}
	for _, kv := range parts[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" {
			return Device{}, fmt.Errorf("%s: %q: want property=value", name, kv)
		}
		if _, known := drv.props[k]; !known {
			return Device{}, fmt.Errorf("%s: unknown property %q (want %s)", name, k, strings.Join(sortedKeys(drv.props), ", "))
		}
		if _, dup := props[k]; dup {
			return Device{}, fmt.Errorf("%s: property %q given twice", name, k)
		}
		props[k] = v
	}
	d, err := drv.parse(props)
	if err != nil {
		return Device{}, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// deviceList is the repeatable -device flag.
type deviceList struct{ o *RunOptions }

func (v *deviceList) Set(s string) error {
	if s == "help" || s == "?" {
		lr := &listRequest{title: "Devices (-device driver[,prop=value...]):"}
		for _, name := range sortedDrivers() {
			lr.items = append(lr.items, [2]string{name, deviceDrivers[name].help})
		}
		v.o.listed = lr
		return errListed
	}
	if name, ok := strings.CutSuffix(s, ",help"); ok {
		if drv, known := deviceDrivers[name]; known {
			lr := &listRequest{title: name + " properties:"}
			for _, k := range sortedKeys(drv.props) {
				lr.items = append(lr.items, [2]string{k, drv.props[k]})
			}
			v.o.listed = lr
			return errListed
		}
	}
	d, err := parseDevice(s)
	if err != nil {
		return err
	}
	v.o.Devices = append(v.o.Devices, d)
	return nil
}

func (v *deviceList) String() string {
	if v.o == nil {
		return ""
	}
	var parts []string
	for _, d := range v.o.Devices {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, " ")
}

func sortedDrivers() []string {
	names := make([]string, 0, len(deviceDrivers))
	for n := range deviceDrivers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
