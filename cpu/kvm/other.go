//go:build !(linux && amd64)

package kvm

import (
	"context"
	"fmt"
	"runtime"

	"ringzero/cpu"
)

// Engine is the kvm engine. It is built for linux/amd64 only; here New
// always fails with ErrUnavailable and the methods do nothing.
type Engine struct{}

// New reports that KVM is unavailable on this system.
func New(m cpu.Model, env cpu.Env, cfg Config) (*Engine, error) {
	if err := checkModel(m); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%w: the kvm engine needs linux/amd64 (this is %s/%s)", ErrUnavailable, runtime.GOOS, runtime.GOARCH)
}

// Probe reports that there is no KVM on this system.
func Probe() *Info {
	return &Info{Device: DefaultDevice, Err: fmt.Errorf("%w: the kvm engine needs linux/amd64 (this is %s/%s)", ErrUnavailable, runtime.GOOS, runtime.GOARCH)}
}

// Close does nothing.
func (e *Engine) Close() error { return nil }

// Name implements cpu.Engine.
func (e *Engine) Name() string { return "kvm" }

// Notes returns nothing.
func (e *Engine) Notes() []string { return nil }

// Reset does nothing.
func (e *Engine) Reset() {}

// Run fails: there is no VM.
func (e *Engine) Run(ctx context.Context, budget uint64) (cpu.Exit, error) {
	return cpu.Exit{}, ErrUnavailable
}

// State returns an empty state.
func (e *Engine) State() *cpu.State { return new(cpu.State) }

// SetState fails: there is no VM.
func (e *Engine) SetState(s *cpu.State) error { return ErrUnavailable }

// Stats returns no counters.
func (e *Engine) Stats() cpu.Stats { return cpu.Stats{Counters: map[string]uint64{}} }
