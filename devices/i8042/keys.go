package i8042

// Key names a physical key of a standard 104/105-key PC keyboard, by its
// position on a US layout (KeyA is the key right of Caps Lock whatever the
// guest's layout). Pass it to Controller.KeyDown and Controller.KeyUp; the
// keyboard turns it into set 2 scan codes.
type Key uint8

// The keys. KeyNone is not a key; KeyDown and KeyUp ignore it and any
// value past the last key.
const (
	KeyNone Key = iota

	KeyEscape
	KeyF1
	KeyF2
	KeyF3
	KeyF4
	KeyF5
	KeyF6
	KeyF7
	KeyF8
	KeyF9
	KeyF10
	KeyF11
	KeyF12
	KeyPrintScreen // E0 12 E0 7C; SysRq (84) with Alt held
	KeyScrollLock
	KeyPause // E1 14 77 E1 F0 14 F0 77 on press, nothing on release; Break with Ctrl held

	KeyGrave // ` and ~
	Key1
	Key2
	Key3
	Key4
	Key5
	Key6
	Key7
	Key8
	Key9
	Key0
	KeyMinus
	KeyEqual
	KeyBackspace

	KeyTab
	KeyQ
	KeyW
	KeyE
	KeyR
	KeyT
	KeyY
	KeyU
	KeyI
	KeyO
	KeyP
	KeyLeftBracket
	KeyRightBracket
	KeyBackslash // above Enter on US keyboards

	KeyCapsLock
	KeyA
	KeyS
	KeyD
	KeyF
	KeyG
	KeyH
	KeyJ
	KeyK
	KeyL
	KeySemicolon
	KeyApostrophe
	KeyEnter

	KeyLeftShift
	KeyNonUSBackslash // the 102nd key, right of Left Shift on ISO keyboards
	KeyZ
	KeyX
	KeyC
	KeyV
	KeyB
	KeyN
	KeyM
	KeyComma
	KeyPeriod
	KeySlash
	KeyRightShift

	KeyLeftCtrl
	KeyLeftMeta // left Windows key
	KeyLeftAlt
	KeySpace
	KeyRightAlt // AltGr
	KeyRightMeta
	KeyMenu // application key
	KeyRightCtrl

	KeyInsert
	KeyDelete
	KeyHome
	KeyEnd
	KeyPageUp
	KeyPageDown
	KeyUp
	KeyDown
	KeyLeft
	KeyRight

	KeyNumLock
	KeyKPDivide
	KeyKPMultiply
	KeyKPMinus
	KeyKPPlus
	KeyKPEnter
	KeyKPPeriod
	KeyKP0
	KeyKP1
	KeyKP2
	KeyKP3
	KeyKP4
	KeyKP5
	KeyKP6
	KeyKP7
	KeyKP8
	KeyKP9

	keyCount // number of Key values, KeyNone included
)

// keyInfo describes one key: its name and its set 2 make code.
type keyInfo struct {
	name string
	code byte // set 2 make code, after the E0 prefix when ext is set
	ext  bool // the code is E0-prefixed (keys added by the 101-key keyboard)
}

// keys is the one table of keys: KeyDown, KeyUp and String all read it.
// Codes are scan code set 2 (Microsoft, "Keyboard Scan Code
// Specification", rev. 1.3a, appendix: USB usage to PS/2 set 1 and set 2).
// Print Screen and Pause have no single code; keyboard.sequence builds
// theirs.
var keys = [keyCount]keyInfo{
	KeyNone: {name: "None"},

	KeyEscape:      {"Escape", 0x76, false},
	KeyF1:          {"F1", 0x05, false},
	KeyF2:          {"F2", 0x06, false},
	KeyF3:          {"F3", 0x04, false},
	KeyF4:          {"F4", 0x0C, false},
	KeyF5:          {"F5", 0x03, false},
	KeyF6:          {"F6", 0x0B, false},
	KeyF7:          {"F7", 0x83, false},
	KeyF8:          {"F8", 0x0A, false},
	KeyF9:          {"F9", 0x01, false},
	KeyF10:         {"F10", 0x09, false},
	KeyF11:         {"F11", 0x78, false},
	KeyF12:         {"F12", 0x07, false},
	KeyPrintScreen: {"PrintScreen", 0x7C, true},
	KeyScrollLock:  {"ScrollLock", 0x7E, false},
	KeyPause:       {"Pause", 0x77, false},

	KeyGrave:     {"Grave", 0x0E, false},
	Key1:         {"1", 0x16, false},
	Key2:         {"2", 0x1E, false},
	Key3:         {"3", 0x26, false},
	Key4:         {"4", 0x25, false},
	Key5:         {"5", 0x2E, false},
	Key6:         {"6", 0x36, false},
	Key7:         {"7", 0x3D, false},
	Key8:         {"8", 0x3E, false},
	Key9:         {"9", 0x46, false},
	Key0:         {"0", 0x45, false},
	KeyMinus:     {"Minus", 0x4E, false},
	KeyEqual:     {"Equal", 0x55, false},
	KeyBackspace: {"Backspace", 0x66, false},

	KeyTab:          {"Tab", 0x0D, false},
	KeyQ:            {"Q", 0x15, false},
	KeyW:            {"W", 0x1D, false},
	KeyE:            {"E", 0x24, false},
	KeyR:            {"R", 0x2D, false},
	KeyT:            {"T", 0x2C, false},
	KeyY:            {"Y", 0x35, false},
	KeyU:            {"U", 0x3C, false},
	KeyI:            {"I", 0x43, false},
	KeyO:            {"O", 0x44, false},
	KeyP:            {"P", 0x4D, false},
	KeyLeftBracket:  {"LeftBracket", 0x54, false},
	KeyRightBracket: {"RightBracket", 0x5B, false},
	KeyBackslash:    {"Backslash", 0x5D, false},

	KeyCapsLock:   {"CapsLock", 0x58, false},
	KeyA:          {"A", 0x1C, false},
	KeyS:          {"S", 0x1B, false},
	KeyD:          {"D", 0x23, false},
	KeyF:          {"F", 0x2B, false},
	KeyG:          {"G", 0x34, false},
	KeyH:          {"H", 0x33, false},
	KeyJ:          {"J", 0x3B, false},
	KeyK:          {"K", 0x42, false},
	KeyL:          {"L", 0x4B, false},
	KeySemicolon:  {"Semicolon", 0x4C, false},
	KeyApostrophe: {"Apostrophe", 0x52, false},
	KeyEnter:      {"Enter", 0x5A, false},

	KeyLeftShift:      {"LeftShift", 0x12, false},
	KeyNonUSBackslash: {"NonUSBackslash", 0x61, false},
	KeyZ:              {"Z", 0x1A, false},
	KeyX:              {"X", 0x22, false},
	KeyC:              {"C", 0x21, false},
	KeyV:              {"V", 0x2A, false},
	KeyB:              {"B", 0x32, false},
	KeyN:              {"N", 0x31, false},
	KeyM:              {"M", 0x3A, false},
	KeyComma:          {"Comma", 0x41, false},
	KeyPeriod:         {"Period", 0x49, false},
	KeySlash:          {"Slash", 0x4A, false},
	KeyRightShift:     {"RightShift", 0x59, false},

	KeyLeftCtrl:  {"LeftCtrl", 0x14, false},
	KeyLeftMeta:  {"LeftMeta", 0x1F, true},
	KeyLeftAlt:   {"LeftAlt", 0x11, false},
	KeySpace:     {"Space", 0x29, false},
	KeyRightAlt:  {"RightAlt", 0x11, true},
	KeyRightMeta: {"RightMeta", 0x27, true},
	KeyMenu:      {"Menu", 0x2F, true},
	KeyRightCtrl: {"RightCtrl", 0x14, true},

	KeyInsert:   {"Insert", 0x70, true},
	KeyDelete:   {"Delete", 0x71, true},
	KeyHome:     {"Home", 0x6C, true},
	KeyEnd:      {"End", 0x69, true},
	KeyPageUp:   {"PageUp", 0x7D, true},
	KeyPageDown: {"PageDown", 0x7A, true},
	KeyUp:       {"Up", 0x75, true},
	KeyDown:     {"Down", 0x72, true},
	KeyLeft:     {"Left", 0x6B, true},
	KeyRight:    {"Right", 0x74, true},

	KeyNumLock:    {"NumLock", 0x77, false},
	KeyKPDivide:   {"KPDivide", 0x4A, true},
	KeyKPMultiply: {"KPMultiply", 0x7C, false},
	KeyKPMinus:    {"KPMinus", 0x7B, false},
	KeyKPPlus:     {"KPPlus", 0x79, false},
	KeyKPEnter:    {"KPEnter", 0x5A, true},
	KeyKPPeriod:   {"KPPeriod", 0x71, false},
	KeyKP0:        {"KP0", 0x70, false},
	KeyKP1:        {"KP1", 0x69, false},
	KeyKP2:        {"KP2", 0x72, false},
	KeyKP3:        {"KP3", 0x7A, false},
	KeyKP4:        {"KP4", 0x6B, false},
	KeyKP5:        {"KP5", 0x73, false},
	KeyKP6:        {"KP6", 0x74, false},
	KeyKP7:        {"KP7", 0x6C, false},
	KeyKP8:        {"KP8", 0x75, false},
	KeyKP9:        {"KP9", 0x7D, false},
}

// Valid reports whether k names a key (KeyNone and values past the last
// key do not).
func (k Key) Valid() bool { return k != KeyNone && k < keyCount }

// String is the key's name, e.g. "A", "KP7", "PrintScreen".
func (k Key) String() string {
	if k >= keyCount {
		return "Key(?)"
	}
	return keys[k].name
}

// Set 2 prefixes (Microsoft scan code specification, section 1).
const (
	prefixE0  = 0xE0 // extended key
	prefixE1  = 0xE1 // Pause
	codeSysRq = 0x84 // Print Screen with Alt held
)

// set2Make is the set 2 make sequence of an ordinary key.
func set2Make(k Key) []byte {
	ki := keys[k]
	if ki.ext {
		return []byte{prefixE0, ki.code}
	}
	return []byte{ki.code}
}

// set2Break is the set 2 break sequence of an ordinary key.
func set2Break(k Key) []byte {
	ki := keys[k]
	if ki.ext {
		return []byte{prefixE0, breakPrefix, ki.code}
	}
	return []byte{breakPrefix, ki.code}
}
