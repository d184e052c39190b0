//go:build linux && amd64

package kvm

import (
	"errors"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"ringzero/cpu/kvm/kvmapi"
)

// kickSignal interrupts KVM_RUN on the vCPU thread. The Go runtime uses
// SIGURG for its own preemption and ignores the ones it did not ask for,
// so it needs no handler of ours; KVM_RUN sees it pending and returns
// EINTR.
const kickSignal = unix.SIGURG

// armSlack is how far a new deadline may move before the timer is
// reprogrammed; between exits the host-time deadline of the next device
// event barely moves, so most exits skip the syscall.
const armSlack = 5 * time.Microsecond

// kicker gets the vCPU out of KVM_RUN at a deadline, or at once (ctx
// cancelled). A timerfd gives microsecond precision where Go timers
// would add up to a millisecond; a goroutine blocked reading it sets
// kvm_run.immediate_exit and signals the vCPU thread. Setting
// immediate_exit first closes the race with a signal that lands just
// before KVM_RUN is entered: KVM then returns EINTR at once. The mutex
// orders kicks with the vCPU clearing the flag after each KVM_RUN, so a
// kick is either absorbed by an exit that already happened or makes the
// next KVM_RUN return at once.
type kicker struct {
	mu    sync.Mutex
	run   *kvmapi.Run
	pid   int
	tid   int // the vCPU thread while Run is active, else 0
	tfd   int // timerfd (CLOCK_MONOTONIC)
	armed time.Time
	// closing asks the reader goroutine to end; done closes when it has.
	closing bool
	done    chan struct{}
	kicks   uint64 // signals sent
}

func newKicker(run *kvmapi.Run) (*kicker, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	k := &kicker{run: run, pid: unix.Getpid(), tfd: fd, done: make(chan struct{})}
	go k.wait()
	return k, nil
}

// wait is the reader goroutine: one kick per timer expiry.
func (k *kicker) wait() {
	defer close(k.done)
	var buf [8]byte
	for {
		_, err := unix.Read(k.tfd, buf[:])
		k.mu.Lock()
		if k.closing {
			k.mu.Unlock()
			return
		}
		if err == nil {
			k.armed = time.Time{}
			k.kickLocked()
		}
		k.mu.Unlock()
		if err != nil && !errors.Is(err, unix.EINTR) && !errors.Is(err, unix.EAGAIN) {
			return
		}
	}
}

func (k *kicker) kickLocked() {
	if k.tid == 0 {
		return
	}
	k.run.ImmediateExit = 1
	if unix.Tgkill(k.pid, k.tid, kickSignal) == nil {
		k.kicks++
	}
}

// kick gets the vCPU out now (context cancellation).
func (k *kicker) kick() {
	k.mu.Lock()
	k.kickLocked()
	k.mu.Unlock()
}

// enter marks the calling, locked OS thread as the vCPU thread.
func (k *kicker) enter() {
	k.mu.Lock()
	k.tid = unix.Gettid()
	k.mu.Unlock()
}

// leave ends kicks for this Run and disarms the timer.
func (k *kicker) leave() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.tid = 0
	k.run.ImmediateExit = 0
	return k.setLocked(0)
}

// exited is called after every KVM_RUN: a kick has done its job.
func (k *kicker) exited() {
	k.mu.Lock()
	k.run.ImmediateExit = 0
	k.mu.Unlock()
}

// arm programs a kick at host time at. An armed timer is kept when it
// fires no later than armSlack after at, and not much earlier: an
// early kick costs one exit, so the further off the deadline, the more
// earliness is fine (1/8 of the wait). Most exits then skip the syscall.
func (k *kicker) arm(now, at time.Time) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.armed.IsZero() {
		late := k.armed.Sub(at)
		if late <= armSlack && -late <= max(armSlack, at.Sub(now)/8) {
			return nil
		}
	}
	k.armed = at
	d := at.Sub(now)
	if d <= 0 {
		d = 1 // 0 would disarm
	}
	return k.setLocked(d)
}

func (k *kicker) setLocked(d time.Duration) error {
	if d == 0 {
		k.armed = time.Time{}
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	return unix.TimerfdSettime(k.tfd, 0, &spec, nil)
}

// close stops the reader goroutine and releases the timer.
func (k *kicker) close() error {
	k.mu.Lock()
	k.closing = true
	k.tid = 0
	err := k.setLocked(1)
	k.mu.Unlock()
	if err == nil {
		<-k.done
	}
	return errors.Join(err, unix.Close(k.tfd))
}
