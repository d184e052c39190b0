package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a guest")
	}
	var out, errb bytes.Buffer
	if st := cli([]string{"bench", "-time", "50ms", "-cpu", "286"}, &out, &errb); st != exitOK {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	for _, want := range []string{"ns/instruction", "MIPS", "demo boot", "status 0x21"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if st := cli([]string{"bench", "-engine", "warp"}, &out, &errb); st != exitUsage {
		t.Errorf("bad engine: status %d, want %d", st, exitUsage)
	}
}
