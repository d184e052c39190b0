//go:build window && cgo && linux

package window

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"ringzero/devices/i8042"
	"ringzero/devices/pc"
	"ringzero/devices/vga"
	_ "ringzero/frontend/window/internal/displaycheck" // before ebiten's init: see its doc
	"ringzero/frontend/window/internal/session"
)

// Built reports whether this binary has window support.
const Built = true

// Available reports whether Run can open a window: built with support and
// an X display named in DISPLAY.
func Available() bool { return hasDisplay() }

var ran atomic.Bool

// Run opens the window and runs m in it until the guest ends the run
// (its result is returned, as pc.Machine.Run's), the window is closed or
// Ctrl+Alt+Q is pressed (a power-off, status 0), or ctx ends (Stopped and
// ctx's error). The machine runs with real-time pacing on a goroutine
// Run starts; it is stopped when Run returns.
//
// Run must be called from the main goroutine (ebiten keeps the main OS
// thread for the window), and only once per process.
func Run(ctx context.Context, m *pc.Machine, opts Options) (pc.Result, error) {
	if !hasDisplay() {
		return pc.Result{}, ErrNoDisplay
	}
	if ran.Swap(true) {
		return pc.Result{}, ErrTwice
	}
	if opts.Title == "" {
		opts.Title = "ringzero"
	}
	link := session.New(m, true)
	link.Start(ctx)
	g := newGame(ctx, link, opts)

	ebiten.SetWindowTitle(g.titleText())
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowSizeLimits(160, 100, -1, -1)
	ebiten.SetWindowClosingHandled(true)
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	w, h := g.initialSize()
	ebiten.SetWindowSize(w, h)
	g.setW, g.setH = w, h

	err := ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{X11ClassName: "ringzero", X11InstanceName: "ringzero"})
	link.Stop() // a no-op if the machine already stopped
	res, runErr := link.Wait()
	if err != nil {
		return res, fmt.Errorf("window: %w", err)
	}
	return res, runErr
}

// game is the ebiten side: everything in it runs on ebiten's goroutine.
type game struct {
	ctx  context.Context
	link *session.Link
	opts Options

	// The picture.
	frame    *image.RGBA   // the latest frame, copied from the link
	gen      uint64        // its generation
	geom     vga.Geometry  // its geometry
	tex      *ebiten.Image // the frame on the GPU
	dirty    bool          // the screen must be redrawn
	lastW    int           // screen size at the last draw
	lastH    int           //
	setW     int           // window size we last asked for, to tell
	setH     int           // whether the user resized it since
	natW     int           // natural size of the frame we sized it for
	natH     int           //
	scale    int           // the multiple of the natural size we use
	overlay  bool          // the status overlay is shown
	status   session.Status
	statusAt time.Time
	message  string // a transient note in the title (screenshot saved...)
	msgUntil time.Time
	messages chan string   // from the screenshot goroutine
	title    string        // the title last set
	panel    *ebiten.Image // the overlay's text, drawn at 1:1

	// Input.
	keys      []ebiten.Key
	held      map[i8042.Key]bool  // keys the guest was told are down
	swallowed map[ebiten.Key]bool // hotkey letters still held
	typematic session.Typematic
	focused   bool
	grabbed   bool          // the pointer is captured
	fresh     bool          // first update after the grab: no delta yet
	skipLeft  bool          // the click that grabbed is still held
	lastX     int           // cursor position at the last update
	lastY     int           //
	buttons   i8042.Buttons // buttons the guest was told are held
	wheel     float64       // wheel movement not yet whole
}

func newGame(ctx context.Context, link *session.Link, opts Options) *game {
	return &game{
		ctx: ctx, link: link, opts: opts,
		overlay:   opts.Overlay,
		dirty:     true,
		messages:  make(chan string, 4),
		held:      map[i8042.Key]bool{},
		swallowed: map[ebiten.Key]bool{},
		focused:   true,
	}
}

// initialSize picks the first window size from the first frame.
func (g *game) initialSize() (int, int) {
	g.pullFrame()
	g.natW, g.natH = session.NaturalSize(g.geom)
	g.scale = g.opts.Scale
	if g.scale <= 0 {
		g.scale = 1
		if mw, mh := ebiten.Monitor().Size(); mw > 0 && mh > 0 {
			g.scale = max(1, min(mw*9/10/g.natW, mh*9/10/g.natH))
		}
	}
	return g.natW * g.scale, g.natH * g.scale
}

// pullFrame fetches a new frame from the link, if there is one.
func (g *game) pullFrame() bool {
	img, geom, gen, changed := g.link.Frame(g.frame, g.gen)
	if !changed {
		return false
	}
	g.frame, g.geom, g.gen = img, geom, gen
	return true
}

// Update runs 60 times a second on ebiten's goroutine.
func (g *game) Update() error {
	if ebiten.IsWindowBeingClosed() {
		g.link.Stop()
		return ebiten.Termination
	}
	select {
	case <-g.link.Done():
		return ebiten.Termination
	case <-g.ctx.Done():
		return ebiten.Termination
	default:
	}

	if g.pullFrame() {
		b := g.frame.Bounds()
		if g.tex == nil || g.tex.Bounds() != b {
			if g.tex != nil {
				g.tex.Deallocate()
			}
			g.tex = ebiten.NewImage(b.Dx(), b.Dy())
		}
		g.tex.WritePixels(g.frame.Pix)
		g.dirty = true
		g.followMode()
	}

	focused := ebiten.IsFocused()
	if !focused && g.focused {
		g.releaseAll()
	}
	g.focused = focused
	if focused {
		if quit := g.keyboard(time.Now()); quit {
			g.link.Stop()
			return ebiten.Termination
		}
		g.mouse()
	}

	for done := false; !done; {
		select {
		case msg := <-g.messages:
			g.message, g.msgUntil = msg, time.Now().Add(4*time.Second)
		default:
			done = true
		}
	}
	if g.message != "" && time.Now().After(g.msgUntil) {
		g.message = ""
	}
	if g.overlay && time.Since(g.statusAt) >= session.StatsInterval {
		g.status, g.statusAt = g.link.Status(), time.Now()
		g.dirty = true
	}
	if t := g.titleText(); t != g.title {
		g.title = t
		ebiten.SetWindowTitle(t)
	}
	return nil
}

// followMode resizes the window when the guest changes to a mode of
// another natural size, unless the user has resized the window.
func (g *game) followMode() {
	nw, nh := session.NaturalSize(g.geom)
	if nw == g.natW && nh == g.natH {
		return
	}
	g.natW, g.natH = nw, nh
	if w, h := ebiten.WindowSize(); w == g.setW && h == g.setH {
		g.setW, g.setH = nw*g.scale, nh*g.scale
		ebiten.SetWindowSize(g.setW, g.setH)
	}
}

// keyboard hands key changes to the guest and runs hotkeys. It reports
// whether the user asked to quit.
func (g *game) keyboard(now time.Time) (quit bool) {
	g.keys = inpututil.AppendJustReleasedKeys(g.keys[:0])
	for _, ek := range g.keys {
		if g.swallowed[ek] {
			delete(g.swallowed, ek)
			continue
		}
		if k, ok := keymap[ek]; ok && g.held[k] {
			delete(g.held, k)
			g.typematic.Release(k)
			g.link.Key(k, false)
		}
	}
	ctrl, alt := ebiten.IsKeyPressed(ebiten.KeyControl), ebiten.IsKeyPressed(ebiten.KeyAlt)
	g.keys = inpututil.AppendJustPressedKeys(g.keys[:0])
	for _, ek := range g.keys {
		k, ok := keymap[ek]
		if !ok {
			continue
		}
		if a := session.HotkeyAction(k, ctrl, alt); a != session.NoAction {
			g.swallowed[ek] = true
			g.typematic.Stop()
			if g.hotkey(a) {
				return true
			}
			continue
		}
		g.held[k] = true
		g.typematic.Press(k, now)
		g.link.Key(k, true)
	}
	if k, n := g.typematic.Due(now); n > 0 && !g.link.Paused() {
		for range n {
			g.link.Key(k, true)
		}
	}
	return false
}

// hotkey performs a, reporting whether it is Quit.
func (g *game) hotkey(a session.Action) bool {
	switch a {
	case session.Quit:
		return true
	case session.ReleasePointer:
		g.ungrab()
	case session.ToggleOverlay:
		g.overlay = !g.overlay
		g.statusAt = time.Time{}
		g.dirty = true
	case session.TogglePause:
		g.link.SetPaused(!g.link.Paused())
		g.statusAt = time.Time{}
	case session.ResetMachine:
		g.link.Reset()
		g.say("reset")
	case session.Screenshot:
		dir := g.opts.ScreenshotDir
		if dir == "" {
			dir = "."
		}
		go func() {
			path, err := g.link.SavePNG(dir, time.Now())
			if err != nil {
				g.say("screenshot: " + err.Error())
				return
			}
			g.say("saved " + path)
		}()
	}
	return false
}

// say shows msg for a few seconds; any goroutine may call it.
func (g *game) say(msg string) {
	select {
	case g.messages <- msg:
	default:
	}
}

// releaseAll lets go of every key and button the guest thinks is held:
// the window lost the keyboard, and the releases will come elsewhere.
func (g *game) releaseAll() {
	for k := range g.held {
		g.link.Key(k, false)
	}
	clear(g.held)
	clear(g.swallowed)
	g.typematic.Stop()
	g.ungrab()
}

// mouse grabs the pointer on a click and, while grabbed, sends motion,
// buttons and the wheel to the guest's mouse.
func (g *game) mouse() {
	if !g.grabbed {
		if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
			ebiten.SetCursorMode(ebiten.CursorModeCaptured)
			g.grabbed, g.fresh, g.skipLeft = true, true, true
			g.wheel = 0
		}
		return
	}
	x, y := ebiten.CursorPosition()
	if g.fresh {
		g.lastX, g.lastY, g.fresh = x, y, false
		return
	}
	dx, dy := x-g.lastX, y-g.lastY
	g.lastX, g.lastY = x, y
	_, wy := ebiten.Wheel()
	g.wheel -= wy // ebiten: positive away from the user; PS/2: towards
	dz := int(g.wheel)
	g.wheel -= float64(dz)

	var b i8042.Buttons
	for _, mb := range mouseButtons {
		if ebiten.IsMouseButtonPressed(mb.host) {
			b |= mb.ps2
		}
	}
	if g.skipLeft {
		if b&i8042.ButtonLeft == 0 {
			g.skipLeft = false
		}
		b &^= i8042.ButtonLeft
	}
	if dx != 0 || dy != 0 || dz != 0 || b != g.buttons {
		g.link.Mouse(dx, -dy, dz, b)
		g.buttons = b
	}
}

// mouseButtons pairs ebiten's buttons (browser order: middle is 1) with
// the PS/2 mouse's; 3 and 4 are the side buttons, back and forward.
var mouseButtons = []struct {
	host ebiten.MouseButton
	ps2  i8042.Buttons
}{
	{ebiten.MouseButtonLeft, i8042.ButtonLeft},
	{ebiten.MouseButtonRight, i8042.ButtonRight},
	{ebiten.MouseButtonMiddle, i8042.ButtonMiddle},
	{ebiten.MouseButton3, i8042.Button4},
	{ebiten.MouseButton4, i8042.Button5},
}

// ungrab gives the pointer back, releasing the guest's buttons.
func (g *game) ungrab() {
	if !g.grabbed {
		return
	}
	ebiten.SetCursorMode(ebiten.CursorModeVisible)
	g.grabbed = false
	if g.buttons != 0 {
		g.link.Mouse(0, 0, 0, 0)
		g.buttons = 0
	}
}

// titleText is the window title for the current state. Notes go there
// rather than over the guest's picture.
func (g *game) titleText() string {
	t := g.opts.Title
	if g.link.Paused() {
		t += " [paused]"
	}
	if g.message != "" {
		return t + " - " + g.message
	}
	if g.grabbed {
		return t + " - Ctrl+Alt+G releases the pointer"
	}
	return t + " - Ctrl+Alt+O: status and keys"
}

// Draw redraws the screen, only when something changed: ebiten keeps the
// screen between frames (SetScreenClearedEveryFrame(false)).
func (g *game) Draw(screen *ebiten.Image) {
	b := screen.Bounds()
	if !g.dirty && b.Dx() == g.lastW && b.Dy() == g.lastH {
		return
	}
	g.dirty, g.lastW, g.lastH = false, b.Dx(), b.Dy()
	screen.Fill(color.Black)
	if g.tex != nil {
		p := session.Place(g.geom, b.Dx(), b.Dy())
		op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
		if p.Sharp {
			op.Filter = ebiten.FilterNearest
		}
		op.GeoM.Scale(p.ScaleX, p.ScaleY)
		op.GeoM.Translate(p.X, p.Y)
		screen.DrawImage(g.tex, op)
	}
	if g.overlay {
		g.drawOverlay(screen)
	}
}

// The overlay's text uses ebitenutil's debug font: 6x16 cells.
const (
	glyphW  = 6
	lineH   = 16
	padding = 4
)

// drawOverlay draws the status lines on a translucent band at the top,
// enlarged as the picture is (by whole steps, while it fits).
func (g *game) drawOverlay(screen *ebiten.Image) {
	lines := g.status.Lines()
	w := 0
	for _, l := range lines {
		w = max(w, len(l)*glyphW)
	}
	w += 2 * padding
	h := len(lines)*lineH + 2*padding
	if g.panel == nil || g.panel.Bounds().Dx() < w || g.panel.Bounds().Dy() < h {
		if g.panel != nil {
			g.panel.Deallocate()
		}
		g.panel = ebiten.NewImage(w, h)
	}
	g.panel.Clear()
	vector.DrawFilledRect(g.panel, 0, 0, float32(w), float32(h), color.RGBA{A: 0xC0}, false)
	for i, l := range lines {
		ebitenutil.DebugPrintAt(g.panel, l, padding, padding+i*lineH)
	}
	sb := screen.Bounds()
	k := 1
	if g.tex != nil {
		k = max(1, int(session.Place(g.geom, sb.Dx(), sb.Dy()).ScaleY))
	}
	for k > 1 && w*k > sb.Dx() {
		k--
	}
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterNearest}
	op.GeoM.Scale(float64(k), float64(k))
	screen.DrawImage(g.panel.SubImage(image.Rect(0, 0, w, h)).(*ebiten.Image), op)
}

// LayoutF makes the screen as large as the window in device pixels, so
// the picture is scaled once, by Draw.
func (g *game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	return math.Ceil(outsideW * s), math.Ceil(outsideH * s)
}

// Layout is LayoutF's integer twin, required by ebiten.Game; ebiten calls
// LayoutF instead.
func (g *game) Layout(outsideW, outsideH int) (int, int) {
	w, h := g.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}
