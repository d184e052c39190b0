package testroms

import (
	"strings"
	"testing"
)

// A NAME-strict ROM is NAME built with -DSTRICT: the same tests in the
// same order, with the strict ones among them, and only strict ROMs are
// kept from QEMU.
func TestStrictROMsExtendTheirBase(t *testing.T) {
	byName := map[string]ROM{}
	for _, r := range ROMs() {
		byName[r.Name] = r
	}
	strict := 0
	for _, r := range ROMs() {
		baseName, isStrict := strings.CutSuffix(r.Name, "-strict")
		if !isStrict {
			if r.NotOnQEMU != "" {
				t.Errorf("%s: NotOnQEMU is set, but only -strict ROMs may leave QEMU out", r.Name)
			}
			continue
		}
		strict++
		if r.NotOnQEMU == "" {
			t.Errorf("%s: a strict ROM must say in NotOnQEMU what QEMU does not model", r.Name)
		}
		base, ok := byName[baseName]
		if !ok {
			t.Errorf("%s: no ROM %s to extend", r.Name, baseName)
			continue
		}
		if base.Model != r.Model {
			t.Errorf("%s: model %s, but %s is %s", r.Name, r.Model, base.Name, base.Model)
		}
		baseLines := strings.Split(strings.TrimSuffix(base.Output, "\n"), "\n")
		lines := strings.Split(strings.TrimSuffix(r.Output, "\n"), "\n")
		if want := r.Name + strings.TrimPrefix(baseLines[0], base.Name); lines[0] != want {
			t.Errorf("%s: first line %q, want %q", r.Name, lines[0], want)
		}
		i := 1
		for _, l := range baseLines[1 : len(baseLines)-1] {
			for i < len(lines) && lines[i] != l {
				i++
			}
			if i == len(lines) {
				t.Errorf("%s: no line %q (in order), as in %s", r.Name, l, base.Name)
				break
			}
			i++
		}
	}
	if strict == 0 {
		t.Error("no -strict ROMs")
	}
}
