//go:build !window || !cgo || !linux

package window

import (
	"context"

	"ringzero/devices/pc"
)

// Built reports whether this binary has window support.
const Built = false

// Available reports whether Run can open a window: never in this build.
func Available() bool { return false }

// Run returns ErrNotBuilt: this build has no window.
func Run(ctx context.Context, m *pc.Machine, opts Options) (pc.Result, error) {
	return pc.Result{}, ErrNotBuilt
}
