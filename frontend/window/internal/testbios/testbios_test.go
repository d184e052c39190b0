package testbios_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/i8042"
	"ringzero/devices/pc"
	"ringzero/frontend/window/internal/testbios"
)

// syncBuffer is a bytes.Buffer safe to read while the machine writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestROMEchoesScanCodes(t *testing.T) {
	for _, model := range []cpu.Model{cpu.Model8086, cpu.ModelP2} {
		var con syncBuffer
		m, err := pc.New(pc.Config{Model: model, MemBytes: 1 << 20, BIOS: testbios.Image(), DebugCon: &con})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		sent := false
		res, err := m.Run(ctx, pc.RunOptions{Tick: func() {
			out := con.String()
			switch {
			case !sent && strings.HasSuffix(out, testbios.Ready):
				m.KBC.KeyDown(i8042.KeyA)
				m.KBC.KeyUp(i8042.KeyA)
				m.KBC.KeyDown(i8042.KeyRight)
				m.KBC.KeyUp(i8042.KeyRight)
				sent = true
			case strings.HasSuffix(out, "E0 CD "):
				cancel()
			}
		}})
		cancel()
		if res.Outcome != pc.Stopped {
			t.Fatalf("%v: run ended with %v (%v)", model, res.Outcome, err)
		}
		if want := testbios.Ready + "1E 9E E0 4D E0 CD "; con.String() != want {
			t.Errorf("%v: debug console %q, want %q", model, con.String(), want)
		}
		text := m.VGA.TextScreen()
		if !strings.HasPrefix(text, testbios.Banner) || !strings.Contains(text, "1E 9E E0 4D E0 CD") {
			t.Errorf("%v: screen does not show the banner and the codes:\n%s", model, text)
		}
		if _, _, visible := m.VGA.Cursor(); visible {
			t.Errorf("%v: the cursor is visible; the ROM turns it off", model)
		}
	}
}
