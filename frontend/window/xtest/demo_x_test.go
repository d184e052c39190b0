package xtest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDemoInWindow runs the real `ringzero` command, built with the
// window, on a private Xvfb with no arguments: it must open a window
// showing the built-in demo guest; keys typed through the X server
// (xdotool's XTEST, as a user's keyboard) must reach the guest, which
// logs them on port 0xE9; and its 'q' must power the machine off, ending
// the run with status 0.
func TestDemoInWindow(t *testing.T) {
	needWindow(t)
	if testing.Short() {
		t.Skip("boots a guest in a window")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "xwd"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is not installed (Debian: xvfb, xdotool, x11-apps): %v", tool, err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ringzero-window")
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(gobin, "build", "-tags", "window", "-o", bin, "ringzero/cmd/ringzero")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags window ./cmd/ringzero: %v\n%s", err, out)
	}
	x := startXvfb(t)
	debugcon := filepath.Join(dir, "debugcon.txt")
	cmd := exec.Command(bin, "-debugcon", "file:"+debugcon, "-timeout", "120s")
	cmd.Env = envWith(x.display)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(debugcon)
			t.Logf("port 0xE9:\n%s", b)
		}
		select {
		case <-done:
		default:
			cmd.Process.Kill()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Log("ringzero did not exit after SIGKILL")
			}
		}
	})
	console := func() string {
		b, _ := os.ReadFile(debugcon)
		return string(b)
	}
	waitFor(t, 60*time.Second, "the demo's ready line", func() bool { return strings.Contains(console(), "ready:") })
	var wid string
	waitFor(t, 30*time.Second, "the window", func() bool {
		c := exec.Command("xdotool", "search", "--name", "^ringzero")
		c.Env = envWith(x.display)
		out, err := c.Output()
		if err != nil || len(strings.Fields(string(out))) == 0 {
			return false
		}
		wid = strings.Fields(string(out))[0]
		return true
	})
	x.run(t, "xdotool", "windowfocus", "--sync", wid)
	// Type at once: the demo powers off after 30 s without a key.
	x.run(t, "xdotool", "type", "--delay", "120", "hi")
	waitFor(t, 20*time.Second, "the typed keys in the guest", func() bool {
		c := console()
		return strings.Contains(c, "key: h") && strings.Contains(c, "key: i")
	})
	// The demo's title bar is blue: the window must come to show it, not
	// a blank or black frame. (The demo animates, so the picture never
	// settles: poll captures.)
	blue := 0
	waitFor(t, 20*time.Second, "the demo's screen in the window", func() bool {
		img := x.capture(t, wid)
		blue = 0
		for i := 0; i+3 < len(img.Pix); i += 4 {
			r, g, b := img.Pix[i], img.Pix[i+1], img.Pix[i+2]
			if b > 120 && r < 60 && g < 60 {
				blue++
			}
		}
		return blue >= 1000
	})
	x.run(t, "xdotool", "type", "q")
	select {
	case <-done:
		var ee *exec.ExitError
		if err := waitErr; err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 0) {
			t.Errorf("ringzero ended with %v, want status 0 (power-off)", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("ringzero did not power off after 'q'")
	}
}
