package cputest

import (
	"encoding/json"
	"fmt"
)

// The JSON form of the suites: an array of tests. The 8086 v1 files name
// the id and index "test_hash" and "test_num" (the README says "hash" and
// "idx", which the 286 suite's moo2json output uses); both are accepted.
// The bulky "cycles" arrays are not decoded.

type jsonTest struct {
	Name      string         `json:"name"`
	Bytes     []uint8AsInt   `json:"bytes"`
	Initial   jsonState      `json:"initial"`
	Final     jsonState      `json:"final"`
	Exception *jsonException `json:"exception"`
	Hash      string         `json:"hash"`
	TestHash  string         `json:"test_hash"`
}

// uint8AsInt decodes a JSON number into a byte (a []byte field would
// expect base64).
type uint8AsInt uint8

type jsonException struct {
	Number      uint8  `json:"number"`
	FlagAddress uint32 `json:"flag_address"`
}

type jsonState struct {
	Regs jsonRegs    `json:"regs"`
	RAM  [][2]uint32 `json:"ram"`
}

type jsonRegs struct {
	AX    *uint16 `json:"ax"`
	BX    *uint16 `json:"bx"`
	CX    *uint16 `json:"cx"`
	DX    *uint16 `json:"dx"`
	CS    *uint16 `json:"cs"`
	SS    *uint16 `json:"ss"`
	DS    *uint16 `json:"ds"`
	ES    *uint16 `json:"es"`
	SP    *uint16 `json:"sp"`
	BP    *uint16 `json:"bp"`
	SI    *uint16 `json:"si"`
	DI    *uint16 `json:"di"`
	IP    *uint16 `json:"ip"`
	Flags *uint16 `json:"flags"`
}

func (j *jsonRegs) regs() Regs {
	var r Regs
	for i, p := range [NumRegs]*uint16{j.AX, j.BX, j.CX, j.DX, j.CS, j.SS, j.DS, j.ES, j.SP, j.BP, j.SI, j.DI, j.IP, j.Flags} {
		if p != nil {
			r.Set(Reg(i), *p)
		}
	}
	return r
}

func (j *jsonState) snapshot() Snapshot {
	s := Snapshot{Regs: j.Regs.regs(), RAM: make([]MemByte, len(j.RAM))}
	for i, e := range j.RAM {
		s.RAM[i] = MemByte{Addr: e[0], Val: uint8(e[1])}
	}
	return s
}

// parseJSON decodes a whole (uncompressed) JSON test file.
func parseJSON(b []byte) ([]Test, error) {
	var js []jsonTest
	if err := json.Unmarshal(b, &js); err != nil {
		return nil, err
	}
	tests := make([]Test, len(js))
	for i := range js {
		j := &js[i]
		t := &tests[i]
		*t = Test{
			Index: i,
			Name:  j.Name,
			Bytes: make([]byte, len(j.Bytes)),
			Init:  j.Initial.snapshot(),
			Final: j.Final.snapshot(),
			Mask:  allOnes(),
			Hash:  j.TestHash,
		}
		if t.Hash == "" {
			t.Hash = j.Hash
		}
		for k, v := range j.Bytes {
			t.Bytes[k] = byte(v)
		}
		if j.Exception != nil {
			t.Exception = &Exception{Vector: j.Exception.Number, FlagsAddr: j.Exception.FlagAddress}
		}
		if t.Init.Regs.Have != AllRegs {
			return nil, fmt.Errorf("test %d: initial state gives registers %#x, want all", i, t.Init.Regs.Have)
		}
	}
	return tests, nil
}
