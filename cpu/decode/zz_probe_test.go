package decode_test

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

func TestZZProbe(t *testing.T) {
	for _, h := range strings.Split(os.Getenv("PROBE"), ",") {
		b, _ := hex.DecodeString(h)
		for _, m := range []int{16, 32} {
			x, err := x86asm.Decode(b, m)
			t.Logf("%s %d: %v len=%d err=%v args=%#v", h, m, x, x.Len, err, x.Args[:2])
		}
	}
}
