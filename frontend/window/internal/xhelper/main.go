// Command xhelper runs one machine in the window for the X server tests
// (frontend/window/xtest), which cannot link ebiten themselves: ebiten
// needs a display as the process starts, and those tests start their own.
// It boots the test ROM (or -bios), writes the debug console to
// -debugcon, runs window.Run, and at the end writes the adapter's final
// frame to -frame and one line "result OUTCOME STATUS" to stdout.
// SIGTERM or SIGINT ends the run as a cancelled context.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"os/signal"
	"syscall"

	"ringzero/cpu"
	"ringzero/devices/pc"
	"ringzero/frontend/window"
	"ringzero/frontend/window/internal/testbios"
)

func main() {
	os.Exit(run())
}

func run() int {
	bios := flag.String("bios", "", "BIOS image (default: the test ROM)")
	debugcon := flag.String("debugcon", "", "file for the 0xE9 console")
	frame := flag.String("frame", "", "PNG file for the final frame")
	shots := flag.String("screenshots", "", "directory for Ctrl+Alt+S")
	scale := flag.Int("scale", 1, "window scale")
	title := flag.String("title", "ringzero-xtest", "window title")
	flag.Parse()

	cfg := pc.Config{Model: cpu.ModelP2, MemBytes: 1 << 20, BIOS: testbios.Image()}
	if *bios != "" {
		rom, err := os.ReadFile(*bios)
		if err != nil {
			return fail(err)
		}
		cfg.BIOS = rom
	}
	if *debugcon != "" {
		f, err := os.Create(*debugcon)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		cfg.DebugCon = f
	}
	m, err := pc.New(cfg)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	res, err := window.Run(ctx, m, window.Options{Title: *title, Scale: *scale, ScreenshotDir: *shots})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fail(err)
	}
	if *frame != "" {
		f, err := os.Create(*frame)
		if err != nil {
			return fail(err)
		}
		if err := png.Encode(f, m.VGA.Render(nil)); err != nil {
			f.Close()
			return fail(err)
		}
		if err := f.Close(); err != nil {
			return fail(err)
		}
	}
	fmt.Printf("result %s %d\n", res.Outcome, res.Status)
	return 0
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "xhelper:", err)
	return 1
}
