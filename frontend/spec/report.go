package spec

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ringzero/cpu"
)

// tailLines is how much of each output a report shows.
const tailLines = 40

// report writes the failure report of a run that ended as r: the text, and
// in dir (when set) the screen as PNG, the text and the whole outputs.
// It returns the text and the files written.
func (s *session) report(r Result, dir, stem string) (string, []string) {
	var b strings.Builder
	g := s.g
	fmt.Fprintf(&b, "%s (%s): %s\n", g.Name, g.Spec, r.Message)
	st := s.m.CPU.State()
	ended := fmt.Sprintf("%s, status %d", r.Outcome, r.Status)
	switch r.Outcome {
	case OutcomeStopped:
		ended = "stopped by the runner"
	case OutcomeTimeout:
		ended = "the guest's timeout expired (status 124)"
	}
	fmt.Fprintf(&b, "ended: %s, after %v; %d instructions on %s (cpu %s)",
		ended, time.Since(s.start).Round(time.Millisecond), s.m.CPU.Stats().Instructions, s.m.CPU.Name(), g.Machine.CPU)
	if s.resets > 0 {
		fmt.Fprintf(&b, "; the guest reset %d times", s.resets)
	}
	b.WriteString("\n")

	// Files first, so the text can name them.
	var files []string
	var pngPath, txtPath string
	var fileErr error
	if dir != "" {
		if fileErr = os.MkdirAll(dir, 0o755); fileErr == nil {
			pngPath = filepath.Join(dir, stem+".png")
			if fileErr = writePNG(s, pngPath); fileErr != nil {
				pngPath = ""
			} else {
				files = append(files, pngPath)
			}
			txtPath = filepath.Join(dir, stem+".txt")
			for _, o := range []struct {
				name string
				s    *stream
			}{{"serial", &s.serial}, {"debugcon", &s.debugcon}} {
				text, _ := o.s.text()
				if text == "" {
					continue
				}
				p := filepath.Join(dir, stem+"."+o.name+".log")
				if err := os.WriteFile(p, []byte(text), 0o644); err == nil {
					files = append(files, p)
				}
			}
		}
	}

	if len(g.Steps) > 0 {
		b.WriteString("\nsteps:\n")
		for _, l := range s.log {
			b.WriteString("  " + l + "\n")
		}
		for i := s.step; i < len(g.Steps); i++ {
			state := "not reached"
			if i == s.step {
				state = fmt.Sprintf("FAILED after %v", time.Since(s.stepStart).Round(time.Millisecond))
				if g.Steps[i].Send != nil {
					state = "not sent (the guest had stopped)"
				}
			}
			fmt.Fprintf(&b, "  %8s  step %d %s: %s\n", "", i+1, state, g.Steps[i])
		}
		if s.step < len(g.Steps) && g.Steps[s.step].Expect != nil {
			e := g.Steps[s.step].Expect
			switch e.Stream {
			case Serial, DebugCon:
				o := &s.serial
				if e.Stream == DebugCon {
					o = &s.debugcon
				}
				lines, n := tail(o.pending(), 5)
				if n == 0 {
					fmt.Fprintf(&b, "  nothing on %s since the previous match\n", e.Stream)
				} else {
					fmt.Fprintf(&b, "  %s since the previous match, last %d of %d lines:\n", e.Stream, len(lines), n)
					writeLines(&b, lines)
				}
			}
		}
	}

	b.WriteString("\n")
	b.WriteString(cpuReport(s.m, st))

	if h := history(s.m); len(h) > 0 {
		b.WriteString("\nexceptions, oldest first:\n")
		for _, l := range h {
			b.WriteString("  " + l + "\n")
		}
	}

	geo := s.m.VGA.Geometry()
	where := ""
	if pngPath != "" {
		where = "; PNG " + pngPath
	}
	if screen := s.m.VGA.TextScreen(); geo.Graphics {
		fmt.Fprintf(&b, "\nscreen: graphics mode %dx%d%s\n", geo.Width, geo.Height, where)
	} else {
		fmt.Fprintf(&b, "\nscreen (%dx%d text%s):\n", geo.Cols, geo.Rows, where)
		writeLines(&b, strings.Split(strings.TrimRight(screen, "\n"), "\n"))
	}

	for _, o := range []struct {
		title string
		s     *stream
	}{{"serial (COM1)", &s.serial}, {"debugcon (port 0xE9)", &s.debugcon}} {
		text, dropped := o.s.text()
		lines, n := tail(text, tailLines)
		switch {
		case n == 0 && o.s == &s.serial:
			fmt.Fprintf(&b, "\n%s: no output\n", o.title)
		case n == 0:
		case n > len(lines) || dropped > 0:
			fmt.Fprintf(&b, "\n%s, last %d lines:\n", o.title, len(lines))
			writeLines(&b, lines)
		default:
			fmt.Fprintf(&b, "\n%s:\n", o.title)
			writeLines(&b, lines)
		}
	}

	if fileErr != nil {
		fmt.Fprintf(&b, "\nreport files not written: %v\n", fileErr)
	} else if txtPath != "" {
		if len(files) > 0 {
			fmt.Fprintf(&b, "\nfiles: %s\n", strings.Join(append(files[:len(files):len(files)], txtPath), " "))
		}
		if err := os.WriteFile(txtPath, []byte(b.String()), 0o644); err == nil {
			files = append(files, txtPath)
		}
	} else {
		b.WriteString("\n(no report folder: give -report DIR or -junit FILE to keep the screen as PNG)\n")
	}
	return b.String(), files
}

// writeLines writes lines behind a bar, so blank lines and leading spaces
// show.
func writeLines(b *strings.Builder, lines []string) {
	for _, l := range lines {
		b.WriteString(strings.TrimRight("  | "+l, " ") + "\n")
	}
}

func writePNG(s *session, path string) error {
	img := s.m.VGA.Render(nil)
	if img.Rect.Empty() {
		return fmt.Errorf("screen: the display has no size")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// modeName names the CPU's operating mode.
func modeName(st *cpu.State) string {
	switch {
	case st.CR[0]&cpu.CR0PE == 0:
		return "real mode"
	case st.EFlags&cpu.FlagVM != 0:
		return "virtual-8086 mode"
	case st.CR[0]&cpu.CR0PG != 0:
		return fmt.Sprintf("protected mode with paging, CPL %d", st.Seg[cpu.CS].Selector&3)
	}
	return fmt.Sprintf("protected mode, CPL %d", st.Seg[cpu.CS].Selector&3)
}
