package xtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"ringzero/devices/vga"
	"ringzero/frontend/window/internal/session"
	"ringzero/frontend/window/internal/testbios"
)

// skipOrFail skips the test, or fails it under RINGZERO_NO_SKIP=1 (CI).
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("RINGZERO_NO_SKIP") == "1" {
		t.Fatal(msg + " (RINGZERO_NO_SKIP=1)")
	}
	t.Skip(msg)
}

// needWindow skips when this build has no window support: a choice of
// build tags, not a missing tool, so it skips even under
// RINGZERO_NO_SKIP.
func needWindow(t *testing.T) {
	t.Helper()
	if !windowBuilt {
		t.Skip("no cgo on Linux here, so no window to build: nothing to test")
	}
}

var (
	helperOnce sync.Once
	helperPath string
	helperErr  error
)

// helper builds internal/xhelper once per test binary, with the window.
func helper(t *testing.T) string {
	t.Helper()
	helperOnce.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		dir, err := os.MkdirTemp("", "ringzero-xtest-")
		if err != nil {
			helperErr = err
			return
		}
		helperPath = filepath.Join(dir, "xhelper")
		cmd := exec.Command(gobin, "build", "-tags", "window", "-o", helperPath, "ringzero/frontend/window/internal/xhelper")
		// This binary has the window, so cgo was on: insist, rather than
		// let go build quietly drop cgo when it finds no C compiler.
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			helperErr = fmt.Errorf("go build xhelper: %v\n%s", err, out)
		}
	})
	if helperErr != nil {
		t.Fatal(helperErr)
	}
	return helperPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if helperPath != "" {
		os.RemoveAll(filepath.Dir(helperPath))
	}
	os.Exit(code)
}

// envWith returns the environment with DISPLAY set to display, or
// removed if display is empty.
func envWith(display string) []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DISPLAY=") {
			env = append(env, e)
		}
	}
	if display != "" {
		env = append(env, "DISPLAY="+display)
	}
	return env
}

// TestWindowBinaryWithoutDisplay: a binary with the window, started with
// no DISPLAY, stops with displaycheck's one line and status 2 rather than
// ebiten's panic.
func TestWindowBinaryWithoutDisplay(t *testing.T) {
	needWindow(t)
	cmd := exec.Command(helper(t))
	cmd.Env = envWith("")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Errorf("exit: %v, want status 2", err)
	}
	// The test cannot import displaycheck for its Message: its init
	// would stop this binary, which runs without a display too.
	out := stderr.String()
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "DISPLAY is not set") || !strings.Contains(out, "-tags window") {
		t.Errorf("stderr %q, want displaycheck's one line", out)
	}
}

// xserver is a private Xvfb.
type xserver struct {
	display string
}

// startXvfb starts Xvfb on a free display (it picks one and tells us
// through -displayfd) and stops it when the test ends.
func startXvfb(t *testing.T) *xserver {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1600x1200x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		w.Close()
		t.Fatal(err)
	}
	w.Close()
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if _, err := strconv.Atoi(s); err != nil {
			t.Fatalf("Xvfb did not start (display %q): %s", s, stderr.String())
		}
		return &xserver{display: ":" + s}
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not start in 20 s: %s", stderr.String())
	}
	return nil
}

// run runs an X client on the server and returns its output.
func (x *xserver) run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = envWith(x.display)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// capture takes the window's picture from the X server.
func (x *xserver) capture(t *testing.T, wid string) *image.RGBA {
	t.Helper()
	img, err := decodeXWD(x.run(t, "xwd", "-silent", "-id", wid))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// settled captures the window until two captures 200 ms apart agree.
func (x *xserver) settled(t *testing.T, wid string) *image.RGBA {
	t.Helper()
	prev := x.capture(t, wid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		img := x.capture(t, wid)
		if img.Rect == prev.Rect && bytes.Equal(img.Pix, prev.Pix) {
			return img
		}
		prev = img
	}
	t.Fatal("the window kept changing for 10 s")
	return nil
}

// waitFor polls cond every 20 ms for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// keep writes img to $RINGZERO_XTEST_OUT/name.png when that is set, to
// look at what the X server showed.
func keep(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("RINGZERO_XTEST_OUT")
	if dir == "" {
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				rgba.Set(x, y, img.At(x, y))
			}
		}
	}
	return rgba
}

// mismatch compares a window capture with the emulator's frame (text
// mode: scales 1) placed as the window places it, and returns the
// fraction of window pixels whose colour is off by more than a little,
// counting the border, which must be black.
func mismatch(win, frame *image.RGBA) float64 {
	g := vga.Geometry{Width: frame.Rect.Dx(), Height: frame.Rect.Dy(), ScaleX: 1, ScaleY: 1}
	p := session.Place(g, win.Rect.Dx(), win.Rect.Dy())
	bad := 0
	for y := 0; y < win.Rect.Dy(); y++ {
		for x := 0; x < win.Rect.Dx(); x++ {
			got := win.RGBAAt(x, y)
			fx := int((float64(x) - p.X + 0.5) / p.ScaleX)
			fy := int((float64(y) - p.Y + 0.5) / p.ScaleY)
			want := frame.RGBAAt(fx, fy) // zero (black) outside the frame
			if !near(got.R, want.R) || !near(got.G, want.G) || !near(got.B, want.B) {
				bad++
			}
		}
	}
	return float64(bad) / float64(win.Rect.Dx()*win.Rect.Dy())
}

// codes splits the echo into scan codes, keeping E0 with the code it
// prefixes.
func codes(echo string) []string {
	var out []string
	f := strings.Fields(echo)
	for i := 0; i < len(f); i++ {
		if f[i] == "E0" && i+1 < len(f) {
			out = append(out, "E0 "+f[i+1])
			i++
			continue
		}
		out = append(out, f[i])
	}
	return out
}

// sameStrokes checks that got holds exactly the make and break codes of
// want, once each, each make before its break.
func sameStrokes(got []string, want [][2]string) error {
	at := map[string]int{}
	for i, c := range got {
		if _, dup := at[c]; dup {
			return fmt.Errorf("%s twice", c)
		}
		at[c] = i
	}
	if len(got) != 2*len(want) {
		return fmt.Errorf("%d codes, want %d", len(got), 2*len(want))
	}
	for _, mb := range want {
		m, okm := at[mb[0]]
		b, okb := at[mb[1]]
		switch {
		case !okm || !okb:
			return fmt.Errorf("no %s / %s", mb[0], mb[1])
		case m > b:
			return fmt.Errorf("break %s before make %s", mb[1], mb[0])
		}
	}
	return nil
}

func near(a, b uint8) bool { return a-b < 12 || b-a < 12 }

// windowRun is one helper process showing the test ROM on an X server.
type windowRun struct {
	t        *testing.T
	x        *xserver
	cmd      *exec.Cmd
	exited   chan struct{}
	stdout   bytes.Buffer
	stderr   bytes.Buffer
	debugcon string
	frame    string
	shots    string
	wid      string
}

func startWindow(t *testing.T, x *xserver, scale int) *windowRun {
	t.Helper()
	dir := t.TempDir()
	w := &windowRun{t: t, x: x, exited: make(chan struct{}),
		debugcon: filepath.Join(dir, "debugcon.txt"),
		frame:    filepath.Join(dir, "frame.png"),
		shots:    filepath.Join(dir, "shots"),
	}
	if err := os.Mkdir(w.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	bios := filepath.Join(dir, "bios.bin")
	if err := os.WriteFile(bios, testbios.Image(), 0o644); err != nil {
		t.Fatal(err)
	}
	w.cmd = exec.Command(helper(t), "-bios", bios, "-debugcon", w.debugcon, "-frame", w.frame,
		"-screenshots", w.shots, "-scale", strconv.Itoa(scale), "-title", "ringzero-xtest")
	w.cmd.Env = envWith(x.display)
	w.cmd.Stdout, w.cmd.Stderr = &w.stdout, &w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w.cmd.Wait()
		close(w.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-w.exited:
		default:
			w.cmd.Process.Kill()
			<-w.exited
		}
		if t.Failed() {
			t.Logf("helper stdout:\n%s\nhelper stderr:\n%s\ndebug console: %q", w.stdout.String(), w.stderr.String(), w.console())
		}
	})
	waitFor(t, 60*time.Second, "the ROM's ready line", func() bool {
		return strings.HasPrefix(w.console(), testbios.Ready)
	})
	waitFor(t, 30*time.Second, "the window", func() bool {
		cmd := exec.Command("xdotool", "search", "--name", "^ringzero-xtest")
		cmd.Env = envWith(x.display)
		out, err := cmd.Output()
		if err != nil {
			return false
		}
		w.wid = strings.Fields(string(out))[0]
		return true
	})
	// No window manager: give the window the keyboard and the pointer.
	x.run(t, "xdotool", "windowfocus", "--sync", w.wid, "mousemove", "--window", w.wid, "40", "40")
	// Type only once the window draws steadily: ebiten reads key state
	// once per tick, so keys pressed while its first frames are slow to
	// come would arrive all at once, presses before releases.
	x.settled(t, w.wid)
	return w
}

// console is what the guest wrote to port 0xE9 so far.
func (w *windowRun) console() string {
	b, _ := os.ReadFile(w.debugcon)
	return string(b)
}

// keys sends xdotool commands (keydown, keyup, sleep...) to the X server.
func (w *windowRun) keys(args ...string) { w.x.run(w.t, "xdotool", args...) }

// echo waits until the guest's echo (after the ready line) matches re.
func (w *windowRun) echo(what string, re *regexp.Regexp) {
	w.t.Helper()
	waitFor(w.t, 10*time.Second, what, func() bool {
		return re.MatchString(strings.TrimPrefix(w.console(), testbios.Ready))
	})
}

func (w *windowRun) title() string {
	return strings.TrimSpace(string(w.x.run(w.t, "xdotool", "getwindowname", w.wid)))
}

// TestWindowUnderX boots the test ROM in the window on a private Xvfb,
// types through the X server (xdotool's XTEST, as a user's keyboard),
// checks the scan codes the guest read, compares the window's picture
// from the X server with the emulator's own frame, and drives the
// hotkeys.
func TestWindowUnderX(t *testing.T) {
	needWindow(t)
	if testing.Short() {
		t.Skip("-short: skips booting a guest in the window")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "xwd"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is not installed (Debian: xvfb, xdotool, x11-apps)", tool)
		}
	}
	x := startXvfb(t)
	w := startWindow(t, x, 2)

	// Keys: make and break codes in set 1 (the controller translates),
	// an E0 key among them, each held like a typist holds it. ebiten reads
	// key state once per tick, so should the window stall, keys pressed in
	// one tick may come in another order: each key's make must come
	// before its break, and nothing else may come.
	w.keys("keydown", "a", "sleep", "0.15", "keyup", "a", "sleep", "0.15",
		"keydown", "b", "sleep", "0.15", "keyup", "b", "sleep", "0.15",
		"keydown", "Return", "sleep", "0.15", "keyup", "Return", "sleep", "0.15",
		"keydown", "Right", "sleep", "0.15", "keyup", "Right")
	var got []string
	waitFor(t, 10*time.Second, "eight scan codes", func() bool {
		echo := strings.TrimPrefix(w.console(), testbios.Ready)
		got = codes(echo)
		return strings.HasSuffix(echo, " ") && len(got) >= 8 && got[len(got)-1] != "E0"
	})
	if err := sameStrokes(got, [][2]string{{"1E", "9E"}, {"30", "B0"}, {"1C", "9C"}, {"E0 4D", "E0 CD"}}); err != nil {
		t.Errorf("scan codes %q: %v", got, err)
	}

	// Typematic: a key held for a second repeats its make code.
	w.keys("keydown", "x", "sleep", "1", "keyup", "x")
	w.echo("x repeating", regexp.MustCompile(` 2D (2D ){3,}AD $`))
	if n := strings.Count(w.console(), "2D "); n > 30 {
		t.Errorf("x repeated %d times in a second; want about 15 (30/s after 500 ms)", n)
	}

	// A click grabs the pointer; Ctrl+Alt+G lets it go. Ctrl and Alt
	// reach the guest, G does not.
	if tt := w.title(); !strings.Contains(tt, "Ctrl+Alt+O") {
		t.Errorf("title %q does not name the overlay hotkey", tt)
	}
	w.keys("click", "1")
	waitFor(t, 5*time.Second, "the grab in the title", func() bool { return strings.Contains(w.title(), "releases the pointer") })
	w.keys("keydown", "ctrl+alt", "sleep", "0.1")
	// Both go down within one of ebiten's ticks, so in either order.
	w.echo("Ctrl and Alt", regexp.MustCompile(`AD (1D 38|38 1D) $`))
	w.keys("keydown", "g", "sleep", "0.08", "keyup", "g")
	waitFor(t, 5*time.Second, "the release in the title", func() bool { return !strings.Contains(w.title(), "releases the pointer") })

	// The window shows the emulator's frame, scaled 2x. Ctrl+Alt+S saves
	// that frame; the capture and the file must agree.
	win := x.settled(t, w.wid)
	if win.Rect.Dx() != 1440 || win.Rect.Dy() != 800 {
		t.Errorf("window is %dx%d, want 1440x800 (720x400 text at scale 2)", win.Rect.Dx(), win.Rect.Dy())
	}
	w.keys("keydown", "s", "sleep", "0.08", "keyup", "s")
	var shot string
	waitFor(t, 10*time.Second, "the screenshot", func() bool {
		m, _ := filepath.Glob(filepath.Join(w.shots, "ringzero-*.png"))
		if len(m) == 1 {
			shot = m[0]
		}
		return shot != ""
	})
	waitFor(t, 5*time.Second, "the note in the title", func() bool { return strings.Contains(w.title(), "saved "+shot) })
	frame := readPNG(t, shot)
	if frame.Rect.Dx() != 720 || frame.Rect.Dy() != 400 {
		t.Fatalf("screenshot is %v, want 720x400", frame.Rect)
	}
	if f := mismatch(win, frame); f > 0.001 {
		t.Errorf("the window differs from the emulator's frame in %.2f%% of its pixels", 100*f)
	}

	// Ctrl+Alt+O shows the overlay over the picture, and hides it again.
	w.keys("keydown", "o", "sleep", "0.08", "keyup", "o")
	withOverlay := x.settled(t, w.wid)
	keep(t, "window", win)
	keep(t, "overlay", withOverlay)
	if f := mismatch(withOverlay, frame); f < 0.001 {
		t.Error("the overlay did not show")
	}
	w.keys("keydown", "o", "sleep", "0.08", "keyup", "o")
	if f := mismatch(x.settled(t, w.wid), frame); f > 0.001 {
		t.Errorf("after hiding the overlay the window differs from the frame in %.2f%% of its pixels", 100*f)
	}

	if got := strings.TrimPrefix(w.console(), testbios.Ready); !regexp.MustCompile(`AD (1D 38|38 1D) $`).MatchString(got) {
		t.Errorf("a hotkey letter reached the guest: echo ends %q", got[max(0, len(got)-30):])
	}

	// Closing the window (WM_DELETE_WINDOW, as a window manager sends it
	// for the close button) switches the machine off: the run ends as a
	// power-off with status 0, and no input reaches the guest after.
	closeWindow(t, x.display, w.wid)
	w.wait(t)
	w.keys("keyup", "ctrl+alt")
	final := readPNG(t, w.frame)
	if !bytes.Equal(final.Pix, frame.Pix) {
		t.Error("the final frame differs from the screenshot, with no input between them")
	}
}

// wait waits for the helper to exit after the window closed, and checks
// that the run ended as a power-off with status 0.
func (w *windowRun) wait(t *testing.T) {
	t.Helper()
	select {
	case <-w.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the helper did not exit")
	}
	if code := w.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("helper exit status %d", code)
	}
	if got := strings.TrimSpace(w.stdout.String()); got != "result power-off 0" {
		t.Errorf("run ended with %q, want %q", got, "result power-off 0")
	}
}

// closeWindow asks the window to close as a window manager does for its
// close button: a WM_PROTOCOLS client message carrying WM_DELETE_WINDOW
// (ICCCM 4.2.8.1). xdotool 3.2016's windowclose destroys the window
// instead, which no client survives.
func closeWindow(t *testing.T, display, wid string) {
	t.Helper()
	id, err := strconv.ParseUint(wid, 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	c, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(c, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	ev := xproto.ClientMessageEvent{
		Format: 32,
		Window: xproto.Window(id),
		Type:   atom("WM_PROTOCOLS"),
		Data:   xproto.ClientMessageDataUnionData32New([]uint32{uint32(atom("WM_DELETE_WINDOW")), xproto.TimeCurrentTime, 0, 0, 0}),
	}
	if err := xproto.SendEventChecked(c, false, xproto.Window(id), xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
		t.Fatal(err)
	}
}

// TestWindowHotkeys drives pause, reset and quit through the X server.
func TestWindowHotkeys(t *testing.T) {
	needWindow(t)
	if testing.Short() {
		t.Skip("-short: skips booting a guest in the window")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is not installed (Debian: xvfb, xdotool)", tool)
		}
	}
	x := startXvfb(t)
	w := startWindow(t, x, 1)
	tap := func(key string) { w.keys("keydown", key, "sleep", "0.1", "keyup", key, "sleep", "0.1") }

	w.keys("keydown", "ctrl+alt", "sleep", "0.1")
	w.echo("Ctrl and Alt", regexp.MustCompile(`^(1D 38|38 1D) $`))
	tap("p")
	waitFor(t, 5*time.Second, "[paused] in the title", func() bool { return strings.Contains(w.title(), "[paused]") })
	w.keys("keyup", "ctrl+alt", "sleep", "0.1")
	tap("z")
	time.Sleep(300 * time.Millisecond)
	if got := strings.TrimPrefix(w.console(), testbios.Ready); !regexp.MustCompile(`^(1D 38|38 1D) $`).MatchString(got) {
		t.Errorf("the paused guest read keys: %q", got)
	}
	w.keys("keydown", "ctrl+alt", "sleep", "0.1")
	tap("p")
	// Input queued while paused arrives after the pause.
	w.echo("the keys typed while paused", regexp.MustCompile(`2C AC `))
	if strings.Contains(w.title(), "[paused]") {
		t.Errorf("title %q after resuming", w.title())
	}

	tap("r")
	waitFor(t, 10*time.Second, "the ROM again after the reset", func() bool {
		return strings.Count(w.console(), testbios.Ready) == 2
	})

	tap("q")
	w.wait(t)
	w.keys("keyup", "ctrl+alt")
}
