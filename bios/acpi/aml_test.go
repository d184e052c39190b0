package acpi

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// amlNode is one decoded AML object: the few the encoder emits.
type amlNode struct {
	op    string // "Name", "Scope", "Device", "Package", "Integer", "String"
	name  string // the NameString of Name, Scope and Device, as ASL writes it
	value uint64 // Integer
	text  string // String
	kids  []amlNode
}

// String prints the node as compact ASL, for comparisons.
func (n amlNode) String() string {
	kids := func() string {
		var s []string
		for _, k := range n.kids {
			s = append(s, k.String())
		}
		return strings.Join(s, ", ")
	}
	switch n.op {
	case "Integer":
		return fmt.Sprintf("%#x", n.value)
	case "String":
		return fmt.Sprintf("%q", n.text)
	case "Name":
		return fmt.Sprintf("Name(%s, %s)", n.name, n.kids[0])
	case "Package":
		return "Package{" + kids() + "}"
	}
	return fmt.Sprintf("%s(%s){%s}", n.op, n.name, kids())
}

// amlDecoder parses a TermList back into nodes; it knows only what the
// encoder writes and reports anything else as an error.
type amlDecoder struct {
	b   []byte
	pos int
}

func (d *amlDecoder) byte1() (byte, error) {
	if d.pos >= len(d.b) {
		return 0, fmt.Errorf("AML ends at %d", d.pos)
	}
	c := d.b[d.pos]
	d.pos++
	return c, nil
}

// pkgLength decodes a PkgLength and returns the end offset of the
// object it belongs to.
func (d *amlDecoder) pkgLength() (int, error) {
	start := d.pos
	lead, err := d.byte1()
	if err != nil {
		return 0, err
	}
	extra := int(lead >> 6)
	n := int(lead & 0x3F)
	if extra > 0 {
		if lead&0x30 != 0 {
			return 0, fmt.Errorf("PkgLength lead byte %#x has bits 5-4 set", lead)
		}
		n = int(lead & 0x0F)
		for i := 0; i < extra; i++ {
			c, err := d.byte1()
			if err != nil {
				return 0, err
			}
			n |= int(c) << (4 + 8*i)
		}
	}
	end := start + n
	if end > len(d.b) || end < d.pos {
		return 0, fmt.Errorf("PkgLength %d at %d runs past the AML (%d bytes)", n, start, len(d.b))
	}
	return end, nil
}

func (d *amlDecoder) nameSeg() (string, error) {
	if d.pos+4 > len(d.b) {
		return "", fmt.Errorf("name segment cut at %d", d.pos)
	}
	s := string(d.b[d.pos : d.pos+4])
	d.pos += 4
	return s, nil
}

func (d *amlDecoder) nameString() (string, error) {
	var prefix string
	for d.pos < len(d.b) && (d.b[d.pos] == '\\' || d.b[d.pos] == '^') {
		prefix += string(d.b[d.pos])
		d.pos++
	}
	c, err := d.byte1()
	if err != nil {
		return "", err
	}
	count := 1
	switch c {
	case amlNullName:
		return prefix, nil
	case amlDualNamePfx:
		count = 2
	case amlMultiNamePfx:
		n, err := d.byte1()
		if err != nil {
			return "", err
		}
		count = int(n)
	default:
		d.pos--
	}
	var segs []string
	for i := 0; i < count; i++ {
		s, err := d.nameSeg()
		if err != nil {
			return "", err
		}
		segs = append(segs, s)
	}
	return prefix + strings.Join(segs, "."), nil
}

func (d *amlDecoder) uint(n int) (uint64, error) {
	if d.pos+n > len(d.b) {
		return 0, fmt.Errorf("integer cut at %d", d.pos)
	}
	var v uint64
	for i := 0; i < n; i++ {
		v |= uint64(d.b[d.pos+i]) << (8 * i)
	}
	d.pos += n
	return v, nil
}

// object decodes one term.
func (d *amlDecoder) object() (amlNode, error) {
	op, err := d.byte1()
	if err != nil {
		return amlNode{}, err
	}
	switch op {
	case amlZeroOp:
		return amlNode{op: "Integer", value: 0}, nil
	case amlOneOp:
		return amlNode{op: "Integer", value: 1}, nil
	case amlBytePrefix, amlWordPrefix, amlDWordPrefix, amlQWordPrefix:
		size := map[byte]int{amlBytePrefix: 1, amlWordPrefix: 2, amlDWordPrefix: 4, amlQWordPrefix: 8}[op]
		v, err := d.uint(size)
		return amlNode{op: "Integer", value: v}, err
	case amlStringPrefix:
		i := bytes.IndexByte(d.b[d.pos:], 0)
		if i < 0 {
			return amlNode{}, fmt.Errorf("string without NUL at %d", d.pos)
		}
		s := string(d.b[d.pos : d.pos+i])
		d.pos += i + 1
		return amlNode{op: "String", text: s}, nil
	case amlNameOp:
		name, err := d.nameString()
		if err != nil {
			return amlNode{}, err
		}
		v, err := d.object()
		return amlNode{op: "Name", name: name, kids: []amlNode{v}}, err
	case amlPackageOp:
		end, err := d.pkgLength()
		if err != nil {
			return amlNode{}, err
		}
		count, err := d.byte1()
		if err != nil {
			return amlNode{}, err
		}
		n := amlNode{op: "Package"}
		for d.pos < end {
			k, err := d.object()
			if err != nil {
				return n, err
			}
			n.kids = append(n.kids, k)
		}
		if d.pos != end || len(n.kids) != int(count) {
			return n, fmt.Errorf("package says %d elements, has %d (ends at %d, want %d)", count, len(n.kids), d.pos, end)
		}
		return n, nil
	case amlScopeOp:
		return d.container("Scope")
	case amlExtOpPrefix:
		ext, err := d.byte1()
		if err != nil {
			return amlNode{}, err
		}
		if ext != amlDeviceOp {
			return amlNode{}, fmt.Errorf("unknown extended opcode 5B %02X", ext)
		}
		return d.container("Device")
	}
	return amlNode{}, fmt.Errorf("unknown opcode %#02x at %d", op, d.pos-1)
}

// container decodes PkgLength, NameString and a TermList.
func (d *amlDecoder) container(op string) (amlNode, error) {
	end, err := d.pkgLength()
	if err != nil {
		return amlNode{}, err
	}
	name, err := d.nameString()
	if err != nil {
		return amlNode{}, err
	}
	n := amlNode{op: op, name: name}
	for d.pos < end {
		k, err := d.object()
		if err != nil {
			return n, err
		}
		n.kids = append(n.kids, k)
	}
	if d.pos != end {
		return n, fmt.Errorf("%s %s runs to %d, past its end %d", op, name, d.pos, end)
	}
	return n, nil
}

// decodeAML decodes a whole TermList.
func decodeAML(b []byte) ([]amlNode, error) {
	d := &amlDecoder{b: b}
	var out []amlNode
	for d.pos < len(b) {
		n, err := d.object()
		if err != nil {
			return out, err
		}
		out = append(out, n)
	}
	return out, nil
}

func TestPkgLengthEncodingsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		body int
		want []byte
	}{
		{0, []byte{0x01}},
		{62, []byte{0x3F}},
		{63, []byte{0x41, 0x04}},          // 65 = 0x41: low nibble 1, then 0x04
		{0xFFD, []byte{0x4F, 0xFF}},       // 0xFFF in two bytes
		{0xFFE, []byte{0x81, 0x00, 0x01}}, // 0x1001 needs three
		{1<<20 - 4, []byte{0x8F, 0xFF, 0xFF}},
		{1 << 20, []byte{0xC4, 0x00, 0x00, 0x01}},
	} {
		var e encoder
		got := e.pkgLength(tc.body)
		if e.err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("pkgLength(%d) = % X, %v; want % X", tc.body, got, e.err, tc.want)
			continue
		}
		d := &amlDecoder{b: append(got, make([]byte, tc.body)...)}
		end, err := d.pkgLength()
		if err != nil || end != len(d.b) {
			t.Errorf("pkgLength(%d) decodes to end %d, %v; want %d", tc.body, end, err, len(d.b))
		}
	}
	var e encoder
	if e.pkgLength(1 << 28); e.err == nil {
		t.Error("a 256 MiB body got a PkgLength")
	}
}

func TestAMLIntegersUseTheShortestForm(t *testing.T) {
	var e encoder
	for _, tc := range []struct {
		v    uint64
		want []byte
	}{
		{0, []byte{0x00}},
		{1, []byte{0x01}},
		{2, []byte{0x0A, 0x02}},
		{0xFF, []byte{0x0A, 0xFF}},
		{0x100, []byte{0x0B, 0x00, 0x01}},
		{0x12345678, []byte{0x0C, 0x78, 0x56, 0x34, 0x12}},
		{1 << 32, []byte{0x0E, 0, 0, 0, 0, 1, 0, 0, 0}},
	} {
		if got := e.integer(tc.v); !bytes.Equal(got, tc.want) {
			t.Errorf("integer(%#x) = % X, want % X", tc.v, got, tc.want)
		}
	}
}

func TestAMLNamesAndEISAIDs(t *testing.T) {
	var e encoder
	for _, tc := range []struct {
		path string
		want []byte
	}{
		{"_S5_", []byte("_S5_")},
		{"_S5", []byte("_S5_")},
		{`\_SB_`, []byte(`\_SB_`)},
		{`\_SB.PCI0`, append([]byte{'\\', 0x2E}, "_SB_PCI0"...)},
		{"A.B.C", append([]byte{0x2F, 3}, "A___B___C___"...)},
		{"^FOO", []byte("^FOO_")},
		{`\`, []byte{'\\', 0}},
	} {
		if got := e.nameString(tc.path); !bytes.Equal(got, tc.want) {
			t.Errorf("nameString(%q) = % X, want % X", tc.path, got, tc.want)
		}
	}
	if e.err != nil {
		t.Fatal(e.err)
	}
	// PNP0A03 is the DWord 0x030AD041 (bytes 41 D0 0A 03), as in every
	// PC's DSDT.
	if got, want := e.eisaID("PNP0A03"), []byte{0x0C, 0x41, 0xD0, 0x0A, 0x03}; !bytes.Equal(got, want) {
		t.Errorf("eisaID(PNP0A03) = % X, want % X", got, want)
	}
	for _, bad := range []string{"", "toolong", "1SB", "_S5!", "A.", "PNP0A0"} {
		var e encoder
		e.nameString(bad)
		e.eisaID(bad)
		if e.err == nil {
			t.Errorf("%q accepted as a name and an EISA ID", bad)
		}
	}
}

func TestAMLDeviceDecodesBack(t *testing.T) {
	var e encoder
	aml := e.scope(`\_SB_`, e.device("PCI0", e.name("_HID", e.eisaID("PNP0A03")), e.name("_STR", e.str("x"))))
	if e.err != nil {
		t.Fatal(e.err)
	}
	nodes, err := decodeAML(aml)
	if err != nil {
		t.Fatal(err)
	}
	want := `Scope(\_SB_){Device(PCI0){Name(_HID, 0x30ad041), Name(_STR, "x")}}`
	if len(nodes) != 1 || nodes[0].String() != want {
		t.Errorf("decoded %v, want %s", nodes, want)
	}
}
