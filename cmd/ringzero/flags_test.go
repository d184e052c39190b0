package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"ringzero/cpu"
)

func TestMemorySizeAcceptsMiBAndSuffixes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"32", 32 << 20},
		{"32M", 32 << 20},
		{"32m", 32 << 20},
		{"64MB", 64 << 20},
		{"512MiB", 512 << 20},
		{"1G", 1 << 30},
		{"1g", 1 << 30},
		{"3G", 3 << 30},
		{"640K", 640 << 10},
		{"64K", 64 << 10},
		{"3584", MaxMemory},
	} {
		got, err := parseMemSize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseMemSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestMemorySizeRejectsNonsense(t *testing.T) {
	for _, in := range []string{"", "M", "0", "-1", "5X", "1.5G", "4G", "3585", "99999999999G", "32K", "66K", "0x20"} {
		if got, err := parseMemSize(in); err == nil {
			t.Errorf("parseMemSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestRunDefaults(t *testing.T) {
	o, err := parseRun(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := RunOptions{
		Memory:   32 << 20,
		CPU:      cpu.ModelP2,
		Engine:   "auto",
		Display:  "auto",
		Boot:     BootOrder{Order: "acd"},
		Debugcon: Chardev{Kind: "none"},
	}
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", *o, want)
	}
}

// TestRunFlagsParse checks each flag lands in its RunOptions field.
func TestRunFlagsParse(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args  []string
		check func(o *RunOptions) bool
	}{
		{[]string{"-m", "1G"}, func(o *RunOptions) bool { return o.Memory == 1<<30 }},
		{[]string{"-m=640K"}, func(o *RunOptions) bool { return o.Memory == 640<<10 }},
		{[]string{"--m", "64"}, func(o *RunOptions) bool { return o.Memory == 64<<20 }},
		{[]string{"-cpu", "8086"}, func(o *RunOptions) bool { return o.CPU == cpu.Model8086 }},
		{[]string{"-cpu", "p2"}, func(o *RunOptions) bool { return o.CPU == cpu.ModelP2 }},
		{[]string{"-cpu", "486"}, func(o *RunOptions) bool { return o.CPU == cpu.Model486 }},
		{[]string{"-engine", "kvm"}, func(o *RunOptions) bool { return o.Engine == "kvm" }},
		{[]string{"-boot", "d"}, func(o *RunOptions) bool { return o.Boot == BootOrder{Order: "d"} }},
		{[]string{"-boot", "order=dc,once=a"}, func(o *RunOptions) bool { return o.Boot == BootOrder{Order: "dc", Once: "a"} }},
		{[]string{"-boot", "once=d"}, func(o *RunOptions) bool { return o.Boot == BootOrder{Order: "acd", Once: "d"} }},
		{[]string{"-serial", "stdio", "-serial", "file:/tmp/com2"}, func(o *RunOptions) bool {
			return reflect.DeepEqual(o.Serial, []Chardev{{Kind: "stdio"}, {Kind: "file", Path: "/tmp/com2"}})
		}},
		{[]string{"-debugcon", "file:out.txt"}, func(o *RunOptions) bool { return o.Debugcon == Chardev{Kind: "file", Path: "out.txt"} }},
		{[]string{"-debugcon", "stdio", "-display", "none"}, func(o *RunOptions) bool { return o.Debugcon.Kind == "stdio" && o.Display == "none" }},
		{[]string{"-rtc", "base=localtime"}, func(o *RunOptions) bool { return o.RTC.Local }},
		{[]string{"-rtc", "base=2001-02-03T04:05:06"}, func(o *RunOptions) bool {
			return o.RTC.Start.Equal(time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC))
		}},
		{[]string{"-rtc", "base=2001-02-03"}, func(o *RunOptions) bool { return o.RTC.Start.Equal(time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)) }},
		{[]string{"-s"}, func(o *RunOptions) bool { return o.GDB == "localhost:1234" }},
		{[]string{"-gdb", "tcp:0.0.0.0:4321", "-S"}, func(o *RunOptions) bool { return o.GDB == "0.0.0.0:4321" && o.Freeze }},
		{[]string{"-s", "-gdb", "tcp::1234"}, func(o *RunOptions) bool { return o.GDB == "localhost:1234" }},
		{[]string{"-timeout", "90s"}, func(o *RunOptions) bool { return o.Timeout == 90*time.Second }},
		{[]string{"-timeout", "5"}, func(o *RunOptions) bool { return o.Timeout == 5*time.Second }},
		{[]string{"-d", "int,cpu", "-d", "int"}, func(o *RunOptions) bool { return reflect.DeepEqual(o.Log, []string{"int", "cpu"}) }},
		{[]string{"-kernel", "bz", "-initrd", "rd", "-append", "console=ttyS0"}, func(o *RunOptions) bool {
			return o.Kernel == "bz" && o.Initrd == "rd" && o.Append == "console=ttyS0"
		}},
		{[]string{"-no-reboot", "-snapshot", "-stats", "-screenshot", "shot.PNG"}, func(o *RunOptions) bool {
			return o.NoReboot && o.Snapshot && o.Stats && o.Screenshot == "shot.PNG"
		}},
		// The image argument is the first hard disk, and flags may follow it.
		{[]string{"disk.img", "-m", "8"}, func(o *RunOptions) bool { return o.HDA == "disk.img" && o.Memory == 8<<20 }},
		{[]string{"-m", "8", "--", "-odd-name.img"}, func(o *RunOptions) bool { return o.HDA == "-odd-name.img" }},
		{[]string{"-fda", filepath.Join(dir, "a"), "-cdrom", "x.iso"}, func(o *RunOptions) bool {
			return o.FDA == filepath.Join(dir, "a") && o.CDROM == "x.iso"
		}},
	} {
		o, err := parseRun(tc.args, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !tc.check(o) {
			t.Errorf("%q: got %+v", tc.args, *o)
		}
	}
}

func TestRunRejectsBadCombinations(t *testing.T) {
	for _, args := range [][]string{
		{"-cpu", "z80"},
		{"-m", "lots"},
		{"-engine", "qemu"},
		{"-display", "sdl"},
		{"-boot", "z"},
		{"-boot", "cc"},
		{"-boot", "order="},
		{"-boot", "menu=on"},
		{"-serial", "pty"},
		{"-serial", "file:"},
		{"-serial", "none", "-serial", "none", "-serial", "none"},
		{"-serial", "stdio", "-debugcon", "stdio"},
		{"-serial", "stdio", "-display", "curses"},
		{"-rtc", "utc"},
		{"-rtc", "base=yesterday"},
		{"-rtc", "base=utc,clock=vm"},
		{"-gdb", "unix:/tmp/sock"},
		{"-gdb", "tcp::0"},
		{"-gdb", "tcp::70000"},
		{"-s", "-gdb", "tcp::4321"},
		{"-S"},
		{"-initrd", "rd"},
		{"-append", "quiet"},
		{"-timeout", "soon"},
		{"-timeout", "-5s"},
		{"-d", "everything"},
		{"-screenshot", "shot.bmp"},
		{"-hda", "a.img", "b.img"},
		{"a.img", "b.img"},
		{"-nographic"},
		{"-m"},
	} {
		if o, err := parseRun(args, nil); err == nil {
			t.Errorf("%q: accepted as %+v, want an error", args, *o)
		}
	}
}

func TestDeviceParsing(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Device
	}{
		{"isa-debug-exit", Device{"isa-debug-exit", 0xf4, 4}},
		{"isa-debug-exit,iobase=0xf4,iosize=0x04", Device{"isa-debug-exit", 0xf4, 4}},
		{"isa-debug-exit,iosize=1,iobase=244", Device{"isa-debug-exit", 0xf4, 1}},
		{"isa-debug-exit,iobase=0xfffe,iosize=2", Device{"isa-debug-exit", 0xfffe, 2}},
	} {
		got, err := parseDevice(tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("parseDevice(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
	}
	for _, spec := range []string{
		"", "isa-debug-exit,", "isa-debug-exit,iobase", "isa-debug-exit,iobase=",
		"isa-debug-exit,iobase=0x10000", "isa-debug-exit,iobase=port", "isa-debug-exit,iosize=0",
		"isa-debug-exit,iobase=0xffff", "isa-debug-exit,iobase=1,iobase=2", "isa-debug-exit,irq=4",
		"pc-testdev", "ISA-DEBUG-EXIT",
	} {
		if got, err := parseDevice(spec); err == nil {
			t.Errorf("parseDevice(%q) = %+v, want an error", spec, got)
		}
	}
}

func TestDeviceFlagIsRepeatable(t *testing.T) {
	o, err := parseRun([]string{"-device", "isa-debug-exit", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Device{{"isa-debug-exit", 0xf4, 4}, {"isa-debug-exit", 0xf4, 4}}
	if !reflect.DeepEqual(o.Devices, want) {
		t.Errorf("devices = %+v, want %+v", o.Devices, want)
	}
}

func TestCheckFilesNamesTheFlag(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "disk.img")
	if err := os.WriteFile(img, make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := (&RunOptions{HDA: img}).checkFiles(); err != nil {
		t.Errorf("existing image: %v", err)
	}
	err := (&RunOptions{HDA: img, CDROM: filepath.Join(dir, "missing.iso")}).checkFiles()
	if err == nil || !strings.HasPrefix(err.Error(), "-cdrom: ") {
		t.Errorf("missing -cdrom: got %v", err)
	}
	if err := (&RunOptions{FDA: dir}).checkFiles(); err == nil {
		t.Errorf("a directory as -fda was accepted")
	}
}

func TestListRequestsPrintAndSucceed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-device", "help"}, "isa-debug-exit"},
		{[]string{"-device", "isa-debug-exit,help"}, "iosize"},
		{[]string{"-d", "help"}, "guest_errors"},
		{[]string{"-m", "64", "-d", "?"}, "int"},
	} {
		var out, errb bytes.Buffer
		if st := cli(tc.args, &out, &errb); st != 0 || !strings.Contains(out.String(), tc.want) || errb.Len() != 0 {
			t.Errorf("%q: status %d, stdout %q, stderr %q", tc.args, st, out.String(), errb.String())
		}
	}
}
