package spec

import (
	"regexp"
	"strings"
	"sync"
)

// maxStream bounds what a stream keeps; past it the oldest half is
// dropped, so a guest printing without end cannot exhaust memory.
const maxStream = 8 << 20

// stream captures one output (COM1 or port 0xE9) and matches patterns
// against it from a cursor that each match moves forward. COM1 writes
// from the UART's drainer goroutine and port 0xE9 from the machine's, so
// every method locks.
type stream struct {
	mu      sync.Mutex
	buf     []byte
	dropped int // bytes dropped from the front
	cursor  int // where the next match starts, in buf
	checked int // len(buf) at the last failed match with the same cursor
}

// Write appends guest output. It never fails: the guest must not notice.
func (s *stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, p...)
	if len(s.buf) > maxStream {
		drop := len(s.buf) - maxStream/2
		s.buf = append([]byte(nil), s.buf[drop:]...)
		s.dropped += drop
		s.cursor = max(s.cursor-drop, 0)
		s.checked = 0
	}
	return len(p), nil
}

// match looks for re after the cursor; on a match it moves the cursor
// past it and returns the matched text.
func (s *stream) match(re *regexp.Regexp) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checked == len(s.buf) && s.checked > s.cursor {
		return "", false // nothing new since the last look
	}
	loc := re.FindIndex(s.buf[s.cursor:])
	if loc == nil {
		s.checked = len(s.buf)
		return "", false
	}
	text := string(s.buf[s.cursor+loc[0] : s.cursor+loc[1]])
	s.cursor += loc[1]
	s.checked = 0
	return text, true
}

// pending returns the output after the cursor: what the current expect
// has been looking at.
func (s *stream) pending() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf[s.cursor:])
}

// text returns everything kept and how many bytes were dropped before it.
func (s *stream) text() (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf), s.dropped
}

// tail returns the last n lines of text, carriage returns removed, and
// how many lines there were.
func tail(text string, n int) ([]string, int) {
	text = strings.ReplaceAll(text, "\r", "")
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return nil, 0
	}
	lines := strings.Split(text, "\n")
	total := len(lines)
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines, total
}
