package hostfpu

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

func init() {
	_, b, c, d := cpuid(0, 0)
	var v [12]byte
	for i := 0; i < 4; i++ {
		v[i], v[4+i], v[8+i] = byte(b>>(8*i)), byte(d>>(8*i)), byte(c>>(8*i))
	}
	vendor = string(v[:])
}
