package main

import (
	"sort"

	"ringzero/cpu"
	"ringzero/cpu/cputest"
	"ringzero/cpu/interp"
)

// softwareEngines are the engines `ringzero cputest` can run. The
// single-step suites encode 8086 and 286 behaviour that only software
// engines reproduce (STYLE rule 2), so kvm is not among them; the jit joins
// when it exists.
var softwareEngines = map[string]cputest.NewEngine{
	"interp": func(m cpu.Model, env cpu.Env) cpu.Engine { return interp.New(m, env) },
}

func softwareEngineNames() []string {
	var names []string
	for n := range softwareEngines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
