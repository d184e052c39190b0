package spec

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// The JUnit XML schema as CI systems read it (Jenkins, GitLab, GitHub
// test-report actions): one testsuite per spec file, one testcase per
// guest, a failure element with the one-line message as its attribute and
// the whole report as its text.

// JUnitReport is the <testsuites> root.
type JUnitReport struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one spec file's guests.
type JUnitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []JUnitCase `xml:"testcase"`
}

// JUnitCase is one guest.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	// SystemOut names the report files as Jenkins and GitLab pick up
	// attachments: [[ATTACHMENT|path]].
	SystemOut *JUnitOutput `xml:"system-out,omitempty"`
}

// JUnitOutput is text a testcase printed.
type JUnitOutput struct {
	Text string `xml:",cdata"`
}

// JUnitFailure is a failed guest: Message is Result.Message, Text the
// report, written as CDATA so its lines stay lines in the file.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// JUnitSkipped is a guest that was not started.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// seconds formats a duration as JUnit's decimal seconds.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// NewJUnit builds the report of results; started is the run's start time
// (the suites' timestamp; zero leaves it out).
func NewJUnit(results []Result, started time.Time) *JUnitReport {
	rep := &JUnitReport{Name: "ringzero test"}
	index := map[string]int{}
	var times []time.Duration // per suite
	var total time.Duration
	for _, r := range results {
		spec := r.Guest.Spec
		i, ok := index[spec]
		if !ok {
			i = len(rep.Suites)
			index[spec] = i
			ts := ""
			if !started.IsZero() {
				ts = started.UTC().Format("2006-01-02T15:04:05")
			}
			rep.Suites = append(rep.Suites, JUnitSuite{Name: spec, Timestamp: ts})
			times = append(times, 0)
		}
		s := &rep.Suites[i]
		c := JUnitCase{Name: xmlText(r.Guest.Name), Classname: classname(spec), Time: seconds(r.Elapsed)}
		switch {
		case r.Passed:
		case r.Outcome == OutcomeNotStarted:
			c.Skipped = &JUnitSkipped{Message: r.Message}
			s.Skipped++
			rep.Skipped++
		default:
			c.Failure = &JUnitFailure{Message: xmlText(r.Message), Type: r.Outcome, Text: xmlText(r.Report)}
			s.Failures++
			rep.Failures++
			var att []string
			for _, f := range r.Files {
				att = append(att, "[[ATTACHMENT|"+f+"]]")
			}
			if len(att) > 0 {
				c.SystemOut = &JUnitOutput{Text: xmlText(strings.Join(att, "\n"))}
			}
		}
		s.Tests++
		rep.Tests++
		times[i] += r.Elapsed
		s.Time = seconds(times[i])
		total += r.Elapsed
		s.Cases = append(s.Cases, c)
	}
	rep.Time = seconds(total)
	return rep
}

// xmlText makes s fit XML 1.0 character data: valid UTF-8, no carriage
// returns (a parser would turn CR LF into LF) and no control characters
// other than tab and newline (guest output may hold any byte); the
// characters XML cannot hold become U+FFFD.
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return -1
		case r == '\t' || r == '\n':
			return r
		case r < 0x20, r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// classname is the spec file's name without its folder and extension,
// with dots made underscores (CI tools split class names at dots).
func classname(spec string) string {
	base := filepath.Base(spec)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.ReplaceAll(base, ".", "_")
}

// Write writes the report as an XML document.
func (r *JUnitReport) Write(w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
