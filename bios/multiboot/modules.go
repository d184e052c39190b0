package multiboot

import (
	"errors"
	"fmt"
	"strings"
)

// ParseModules reads the modules of a QEMU -initrd value for a Multiboot
// kernel: a comma-separated list (",," for a comma in a name) of
// "FILE [ARG...]". Each module is FILE's contents, with the whole item
// as its command line, as QEMU passes it. read opens a file (os.ReadFile).
func ParseModules(spec string, read func(path string) ([]byte, error)) ([]Module, error) {
	if spec == "" {
		return nil, nil
	}
	var items []string
	var cur strings.Builder
	for i := 0; i < len(spec); i++ {
		if spec[i] == ',' {
			if i+1 < len(spec) && spec[i+1] == ',' {
				cur.WriteByte(',')
				i++
				continue
			}
			items = append(items, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(spec[i])
	}
	items = append(items, cur.String())
	mods := make([]Module, 0, len(items))
	for i, it := range items {
		path, _, _ := strings.Cut(it, " ")
		if path == "" {
			return nil, fmt.Errorf("multiboot: -initrd item %d (%q) names no file", i+1, it)
		}
		data, err := read(path)
		if err != nil {
			return nil, fmt.Errorf("multiboot: module %q: %w", path, err)
		}
		mods = append(mods, Module{Data: data, Cmdline: it})
	}
	if len(mods) == 0 {
		return nil, errors.New("multiboot: empty -initrd")
	}
	return mods, nil
}
