package session_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ringzero/cpu"
	"ringzero/devices/i8042"
	"ringzero/devices/pc"
	"ringzero/devices/vga"
	"ringzero/frontend/window/internal/session"
	"ringzero/frontend/window/internal/testbios"
)

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

func newMachine(t *testing.T) (*pc.Machine, *syncBuffer) {
	t.Helper()
	con := &syncBuffer{}
	m, err := pc.New(pc.Config{Model: cpu.ModelP2, MemBytes: 1 << 20, BIOS: testbios.Image(), DebugCon: con})
	if err != nil {
		t.Fatal(err)
	}
	return m, con
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLinkDeliversKeysAndFrames(t *testing.T) {
	m, con := newMachine(t)
	l := session.New(m, true)
	l.Start(context.Background())
	waitFor(t, "the ROM", func() bool { return strings.HasSuffix(con.String(), testbios.Ready) })

	img, g, gen, changed := l.Frame(nil, 0)
	if !changed || img == nil || g.Width != 720 || g.Height != 400 {
		t.Fatalf("first frame: changed %v, geometry %+v", changed, g)
	}
	if _, _, gen2, changed := l.Frame(img, gen); changed || gen2 != gen {
		t.Errorf("an unchanged frame was reported as changed (gen %d -> %d)", gen, gen2)
	}

	l.Key(i8042.KeyA, true)
	l.Key(i8042.KeyA, false)
	waitFor(t, "the echo", func() bool { return strings.HasSuffix(con.String(), "1E 9E ") })
	waitFor(t, "a new frame", func() bool {
		var ok bool
		img, _, gen, ok = l.Frame(img, gen)
		return ok
	})
	l.Stop()
	res, err := l.Wait()
	if err != nil || res.Outcome != pc.PowerOff || res.Status != 0 {
		t.Fatalf("after Stop: %+v, %v; want power-off status 0", res, err)
	}
	// The last frame published is the adapter's own final picture.
	img, _, _, _ = l.Frame(img, gen)
	want := m.VGA.Render(nil)
	if !bytes.Equal(img.Pix, want.Pix) {
		t.Error("the published frame differs from the adapter's final render")
	}
}

func TestLinkPauseResetAndContext(t *testing.T) {
	m, con := newMachine(t)
	l := session.New(m, true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l.Start(ctx)
	waitFor(t, "the ROM", func() bool { return strings.HasSuffix(con.String(), testbios.Ready) })

	l.SetPaused(true)
	waitFor(t, "the pause", func() bool { return l.Status().Paused })
	time.Sleep(50 * time.Millisecond)
	before := l.Status().Instructions
	l.Key(i8042.KeyB, true) // queued while paused
	time.Sleep(100 * time.Millisecond)
	if got := l.Status().Instructions; got != before {
		t.Errorf("a paused machine ran: %d -> %d instructions", before, got)
	}
	if strings.Contains(con.String(), "30 ") {
		t.Error("a key reached the paused guest")
	}
	l.Reset() // served while paused
	waitFor(t, "the reset", func() bool { return l.Status().Resets == 1 })
	l.SetPaused(false)
	waitFor(t, "the ROM again and the queued key", func() bool {
		out := con.String()
		return strings.Count(out, testbios.Ready) == 2 && strings.HasSuffix(out, "30 ")
	})
	waitFor(t, "a status sample after the reset", func() bool {
		s := l.Status()
		return s.Engine == "interp" && s.Instructions > 0 && s.MIPS > 0
	})

	cancel()
	res, err := l.Wait()
	if res.Outcome != pc.Stopped || err == nil {
		t.Errorf("after the context ended: %+v, %v; want stopped with the context's error", res, err)
	}
}

func TestLinkGuestPowerOffEndsRun(t *testing.T) {
	// A ROM that powers off through the PM1a control register (SLP_EN
	// with SLP_TYP 0, QEMU's \_S5) as soon as it starts.
	rom := testbios.Image()
	copy(rom[0xFFF0:], []byte{
		0xBA, 0x04, 0x06, // mov dx,0x604: PM1a_CNT
		0xB8, 0x00, 0x20, // mov ax,0x2000: SLP_EN
		0xEF, // out dx,ax
		0xF4, // hlt
	})
	m, err := pc.New(pc.Config{Model: cpu.ModelP2, MemBytes: 1 << 20, BIOS: rom})
	if err != nil {
		t.Fatal(err)
	}
	l := session.New(m, false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l.Start(ctx)
	res, err := l.Wait()
	if err != nil || res.Outcome != pc.PowerOff {
		t.Errorf("the guest switched off; the run ended with %+v, %v", res, err)
	}
}

func TestSavePNG(t *testing.T) {
	m, _ := newMachine(t)
	l := session.New(m, false)
	l.Start(context.Background())
	defer l.Wait()
	defer l.Stop()
	dir := t.TempDir()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p1, err := l.SavePNG(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := l.SavePNG(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(p1, "ringzero-20260102-030405.png") || !strings.HasSuffix(p2, "ringzero-20260102-030405-2.png") {
		t.Errorf("names %q, %q", p1, p2)
	}
	f, err := os.Open(p1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 720 || b.Dy() != 400 {
		t.Errorf("screenshot is %v, want 720x400", b)
	}
}

func TestTypematicRepeatsLastKeyAfterDelay(t *testing.T) {
	var tm session.Typematic
	t0 := time.Unix(0, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tm.Press(i8042.KeyA, t0)
	if k, n := tm.Due(at(499)); n != 0 {
		t.Errorf("repeat of %v before the delay", k)
	}
	if k, n := tm.Due(at(500)); k != i8042.KeyA || n != 1 {
		t.Errorf("at 500 ms: %v x%d, want A x1", k, n)
	}
	if _, n := tm.Due(at(520)); n != 0 {
		t.Errorf("a second repeat 20 ms later")
	}
	if k, n := tm.Due(at(534)); k != i8042.KeyA || n != 1 {
		t.Errorf("at 534 ms: %v x%d, want A x1 (30/s)", k, n)
	}
	// A second key takes over; releasing the first changes nothing.
	tm.Press(i8042.KeyB, at(600))
	tm.Release(i8042.KeyA)
	if _, n := tm.Due(at(1000)); n != 0 {
		t.Error("B repeated before its own delay")
	}
	if k, n := tm.Due(at(5000)); k != i8042.KeyB || n != 2 {
		t.Errorf("late call: %v x%d, want B x2 at most", k, n)
	}
	tm.Release(i8042.KeyB)
	if _, n := tm.Due(at(9000)); n != 0 {
		t.Error("a released key repeated")
	}
	// Modifiers neither repeat nor take the repeat from another key.
	tm.Press(i8042.KeyC, at(9000))
	tm.Press(i8042.KeyLeftShift, at(9100))
	if k, n := tm.Due(at(9500)); k != i8042.KeyC || n != 1 {
		t.Errorf("with Shift pressed after C: %v x%d, want C x1", k, n)
	}
	tm.Release(i8042.KeyC)
	tm.Press(i8042.KeyLeftCtrl, at(9600))
	if _, n := tm.Due(at(11000)); n != 0 {
		t.Error("Ctrl repeated")
	}
	tm.Press(i8042.KeyPause, at(9000))
	if _, n := tm.Due(at(12000)); n != 0 {
		t.Error("Pause repeated")
	}
}

func TestHotkeys(t *testing.T) {
	cases := []struct {
		k         i8042.Key
		ctrl, alt bool
		want      session.Action
	}{
		{i8042.KeyG, true, true, session.ReleasePointer},
		{i8042.KeyO, true, true, session.ToggleOverlay},
		{i8042.KeyQ, true, true, session.Quit},
		{i8042.KeyG, true, false, session.NoAction},
		{i8042.KeyG, false, true, session.NoAction},
		{i8042.KeyDelete, true, true, session.NoAction}, // Ctrl+Alt+Del is the guest's
	}
	for _, c := range cases {
		if got := session.HotkeyAction(c.k, c.ctrl, c.alt); got != c.want {
			t.Errorf("%v ctrl=%v alt=%v: %v, want %v", c.k, c.ctrl, c.alt, got, c.want)
		}
	}
}

func TestPlaceKeepsAspect(t *testing.T) {
	text := vga.Geometry{Width: 720, Height: 400, ScaleX: 1, ScaleY: 1}
	mode13 := vga.Geometry{Graphics: true, Width: 320, Height: 200, ScaleX: 2, ScaleY: 2}
	cases := []struct {
		name       string
		g          vga.Geometry
		w, h       int
		want       session.Placement
		wantNatW   int
		wantNatH   int
		checkExact bool
	}{
		{"text 1:1", text, 720, 400, session.Placement{0, 0, 720, 400, 1, 1, true}, 720, 400, true},
		{"text 2x", text, 1440, 800, session.Placement{0, 0, 1440, 800, 2, 2, true}, 720, 400, true},
		{"text in a tall window", text, 720, 1000, session.Placement{0, 300, 720, 400, 1, 1, true}, 720, 400, true},
		{"text shrunk", text, 360, 400, session.Placement{0, 100, 360, 200, 0.5, 0.5, false}, 720, 400, true},
		{"text a little over 2x", text, 1500, 820, session.Placement{30, 10, 1440, 800, 2, 2, true}, 720, 400, true},
		{"mode 13h", mode13, 640, 400, session.Placement{0, 0, 640, 400, 2, 2, true}, 640, 400, true},
		{"mode 13h 1.5x", mode13, 960, 600, session.Placement{0, 0, 960, 600, 3, 3, true}, 640, 400, true},
	}
	for _, c := range cases {
		w, h := session.NaturalSize(c.g)
		if w != c.wantNatW || h != c.wantNatH {
			t.Errorf("%s: natural size %dx%d, want %dx%d", c.name, w, h, c.wantNatW, c.wantNatH)
		}
		if got := session.Place(c.g, c.w, c.h); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestStatusLines(t *testing.T) {
	s := session.Status{Engine: "interp", MIPS: 12.34, Instructions: 1234567, Counters: map[string]uint64{"exits": 3}}
	out := strings.Join(s.Lines(), "\n")
	for _, want := range []string{"engine interp", "12.3 MIPS", "1,234,567", "exits 3", "Ctrl+Alt+", "G release pointer"} {
		if !strings.Contains(out, want) {
			t.Errorf("overlay lacks %q:\n%s", want, out)
		}
	}
}
