package interp

import (
	"testing"

	"ringzero/cpu"
	"ringzero/cpu/cputest"
	"ringzero/cpu/decode"
)

func newEngine(m cpu.Model, env cpu.Env) cpu.Engine { return New(m, env) }

// TestSingleStep runs the hardware-captured 8086 and 80286 suites.
func TestSingleStep(t *testing.T) {
	cputest.SingleStep(t, newEngine)
}

// TestEveryOpHasHandler keeps the dispatch table complete.
func TestEveryOpHasHandler(t *testing.T) {
	for op := decode.Op(0); op < decode.NumOps; op++ {
		if handlers[op] == nil {
			t.Errorf("no handler for %v", op)
		}
	}
}
