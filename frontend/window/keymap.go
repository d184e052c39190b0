//go:build window && cgo && linux

package window

import (
	"github.com/hajimehoshi/ebiten/v2"

	"ringzero/devices/i8042"
)

// keymap maps ebiten's keys, which name physical positions on a US
// layout as USB HID and i8042.Key do, to the PS/2 keyboard's keys. The
// i8042 package builds the scan codes: E0 prefixes, Print Screen and
// Pause sequences, and their Alt and Ctrl forms. ebiten's any-side keys
// (KeyAlt, KeyControl, KeyShift, KeyMeta) and keys a 104-key keyboard
// lacks (F13-F24, keypad =) are left out.
var keymap = map[ebiten.Key]i8042.Key{
	ebiten.KeyEscape: i8042.KeyEscape,
	ebiten.KeyF1:     i8042.KeyF1, ebiten.KeyF2: i8042.KeyF2, ebiten.KeyF3: i8042.KeyF3, ebiten.KeyF4: i8042.KeyF4,
	ebiten.KeyF5: i8042.KeyF5, ebiten.KeyF6: i8042.KeyF6, ebiten.KeyF7: i8042.KeyF7, ebiten.KeyF8: i8042.KeyF8,
	ebiten.KeyF9: i8042.KeyF9, ebiten.KeyF10: i8042.KeyF10, ebiten.KeyF11: i8042.KeyF11, ebiten.KeyF12: i8042.KeyF12,
	ebiten.KeyPrintScreen: i8042.KeyPrintScreen,
	ebiten.KeyScrollLock:  i8042.KeyScrollLock,
	ebiten.KeyPause:       i8042.KeyPause,

	ebiten.KeyBackquote: i8042.KeyGrave,
	ebiten.KeyDigit1:    i8042.Key1, ebiten.KeyDigit2: i8042.Key2, ebiten.KeyDigit3: i8042.Key3,
	ebiten.KeyDigit4: i8042.Key4, ebiten.KeyDigit5: i8042.Key5, ebiten.KeyDigit6: i8042.Key6,
	ebiten.KeyDigit7: i8042.Key7, ebiten.KeyDigit8: i8042.Key8, ebiten.KeyDigit9: i8042.Key9,
	ebiten.KeyDigit0: i8042.Key0,
	ebiten.KeyMinus:  i8042.KeyMinus, ebiten.KeyEqual: i8042.KeyEqual, ebiten.KeyBackspace: i8042.KeyBackspace,

	ebiten.KeyTab: i8042.KeyTab,
	ebiten.KeyQ:   i8042.KeyQ, ebiten.KeyW: i8042.KeyW, ebiten.KeyE: i8042.KeyE, ebiten.KeyR: i8042.KeyR,
	ebiten.KeyT: i8042.KeyT, ebiten.KeyY: i8042.KeyY, ebiten.KeyU: i8042.KeyU, ebiten.KeyI: i8042.KeyI,
	ebiten.KeyO: i8042.KeyO, ebiten.KeyP: i8042.KeyP,
	ebiten.KeyBracketLeft: i8042.KeyLeftBracket, ebiten.KeyBracketRight: i8042.KeyRightBracket,
	ebiten.KeyBackslash: i8042.KeyBackslash,

	ebiten.KeyCapsLock: i8042.KeyCapsLock,
	ebiten.KeyA:        i8042.KeyA, ebiten.KeyS: i8042.KeyS, ebiten.KeyD: i8042.KeyD, ebiten.KeyF: i8042.KeyF,
	ebiten.KeyG: i8042.KeyG, ebiten.KeyH: i8042.KeyH, ebiten.KeyJ: i8042.KeyJ, ebiten.KeyK: i8042.KeyK,
	ebiten.KeyL: i8042.KeyL, ebiten.KeySemicolon: i8042.KeySemicolon, ebiten.KeyQuote: i8042.KeyApostrophe,
	ebiten.KeyEnter: i8042.KeyEnter,

	ebiten.KeyShiftLeft: i8042.KeyLeftShift, ebiten.KeyIntlBackslash: i8042.KeyNonUSBackslash,
	ebiten.KeyZ: i8042.KeyZ, ebiten.KeyX: i8042.KeyX, ebiten.KeyC: i8042.KeyC, ebiten.KeyV: i8042.KeyV,
	ebiten.KeyB: i8042.KeyB, ebiten.KeyN: i8042.KeyN, ebiten.KeyM: i8042.KeyM,
	ebiten.KeyComma: i8042.KeyComma, ebiten.KeyPeriod: i8042.KeyPeriod, ebiten.KeySlash: i8042.KeySlash,
	ebiten.KeyShiftRight: i8042.KeyRightShift,

	ebiten.KeyControlLeft: i8042.KeyLeftCtrl, ebiten.KeyMetaLeft: i8042.KeyLeftMeta,
	ebiten.KeyAltLeft: i8042.KeyLeftAlt, ebiten.KeySpace: i8042.KeySpace,
	ebiten.KeyAltRight: i8042.KeyRightAlt, ebiten.KeyMetaRight: i8042.KeyRightMeta,
	ebiten.KeyContextMenu: i8042.KeyMenu, ebiten.KeyControlRight: i8042.KeyRightCtrl,

	ebiten.KeyInsert: i8042.KeyInsert, ebiten.KeyDelete: i8042.KeyDelete,
	ebiten.KeyHome: i8042.KeyHome, ebiten.KeyEnd: i8042.KeyEnd,
	ebiten.KeyPageUp: i8042.KeyPageUp, ebiten.KeyPageDown: i8042.KeyPageDown,
	ebiten.KeyArrowUp: i8042.KeyUp, ebiten.KeyArrowDown: i8042.KeyDown,
	ebiten.KeyArrowLeft: i8042.KeyLeft, ebiten.KeyArrowRight: i8042.KeyRight,

	ebiten.KeyNumLock: i8042.KeyNumLock, ebiten.KeyNumpadDivide: i8042.KeyKPDivide,
	ebiten.KeyNumpadMultiply: i8042.KeyKPMultiply, ebiten.KeyNumpadSubtract: i8042.KeyKPMinus,
	ebiten.KeyNumpadAdd: i8042.KeyKPPlus, ebiten.KeyNumpadEnter: i8042.KeyKPEnter,
	ebiten.KeyNumpadDecimal: i8042.KeyKPPeriod,
	ebiten.KeyNumpad0:       i8042.KeyKP0, ebiten.KeyNumpad1: i8042.KeyKP1, ebiten.KeyNumpad2: i8042.KeyKP2,
	ebiten.KeyNumpad3: i8042.KeyKP3, ebiten.KeyNumpad4: i8042.KeyKP4, ebiten.KeyNumpad5: i8042.KeyKP5,
	ebiten.KeyNumpad6: i8042.KeyKP6, ebiten.KeyNumpad7: i8042.KeyKP7, ebiten.KeyNumpad8: i8042.KeyKP8,
	ebiten.KeyNumpad9: i8042.KeyKP9,
}
