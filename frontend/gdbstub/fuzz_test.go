package gdbstub_test

import (
	"strings"
	"testing"

	"ringzero/frontend/gdbstub"
)

// FuzzPackets sends any packet to a stopped machine: the stub answers
// every one and never fails (packets that resume, kill or detach are
// left out, as they end what the next input would find).
func FuzzPackets(f *testing.F) {
	for _, p := range []string{"g", "G00", "p8", "P8=00100000", "m1000,10", "M2000,2:abcd", "X2000,1:}]",
		"Z0,1000,1", "z0,1000,1", "Z2,2000,4", "Z4,ffffffff,2", "qXfer:features:read:target.xml:0,ffff",
		"qSupported", "?", "H", "T", "qAttached:1", "m,", "Z,,", "P=", "pffffffff", "M0,ffffffff:"} {
		f.Add(p)
	}
	m := startMachine(f, gdbstub.Config{StartStopped: true}, loopProg)
	c := dial(f, m)
	c.expect("QStartNoAckMode", "OK")
	c.noAck = true
	f.Fuzz(func(t *testing.T, p string) {
		if p == "" || strings.ContainsAny(p[:1], "cCsSkDvQ") || strings.ContainsAny(p, "$#") {
			return
		}
		c.t = t
		c.send(p)
		c.recv()
		c.expect("qC", "QC1") // still serving
	})
}
