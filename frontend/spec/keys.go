package spec

import (
	"fmt"

	"ringzero/devices/i8042"
	"ringzero/frontend/terminal"
)

// stroke is one key event.
type stroke struct {
	key i8042.Key
	up  bool
}

// controlKeys are the control characters keys can type.
var controlKeys = map[rune]i8042.Key{
	'\n': i8042.KeyEnter, '\r': i8042.KeyEnter, '\t': i8042.KeyTab,
	'\b': i8042.KeyBackspace, 0x1B: i8042.KeyEscape,
}

// keyStrokes turns text into one group of strokes per character: the make
// and break of its key on a US keyboard, inside Shift where needed.
func keyStrokes(text string) ([][]stroke, error) {
	var out [][]stroke
	for _, r := range text {
		k, ok := controlKeys[r]
		shift := false
		if !ok {
			k, shift, ok = terminal.RuneKey(r)
		}
		if !ok {
			return nil, fmt.Errorf("cannot type %q (U+%04X) on a US keyboard: letters, digits, punctuation, space and \\n \\t \\b \\x1b only", r, r)
		}
		var g []stroke
		if shift {
			g = append(g, stroke{key: i8042.KeyLeftShift})
		}
		g = append(g, stroke{key: k}, stroke{key: k, up: true})
		if shift {
			g = append(g, stroke{key: i8042.KeyLeftShift, up: true})
		}
		out = append(out, g)
	}
	return out, nil
}
