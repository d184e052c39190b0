package cmos

import (
	"fmt"
	"strings"
	"time"
)

// The chip counts in whatever format register B selects at the moment of
// the update, on the bytes as stored: switching DM or 24/12 does not
// convert existing values (datasheet: software must reinitialise the
// clock after changing them). Out-of-range values, which a guest can
// write, wrap at the next carry instead of counting on forever.

// get decodes a calendar byte in the current data mode.
func (r *RTC) get(reg int) int {
	v := r.ram[reg]
	if r.ram[regB]&bDM != 0 {
		return int(v)
	}
	return int(v>>4)*10 + int(v&0x0F)
}

// put encodes x (0-99) into a calendar byte in the current data mode.
func (r *RTC) put(reg int, x int) {
	if r.ram[regB]&bDM != 0 {
		r.ram[reg] = byte(x)
		return
	}
	r.ram[reg] = byte(x/10%10<<4 | x%10)
}

// tick is one update cycle: advance the time by a second, then set UF and,
// if the time matches the alarm, AF.
func (r *RTC) tick() {
	if r.incr(regSeconds, 60) && r.incr(regMinutes, 60) && r.incrHour() {
		r.nextDay()
	}
	r.ram[regC] |= cUF
	if r.alarmMatches() {
		r.ram[regC] |= cAF
	}
}

// incr adds one to a field counting 0..n-1 and reports a carry.
func (r *RTC) incr(reg int, n int) bool {
	v := r.get(reg) + 1
	if v >= n {
		r.put(reg, 0)
		return true
	}
	r.put(reg, v)
	return false
}

// incrHour adds one hour and reports a carry into the date. In 12-hour
// mode the hour runs 12, 1, ..., 11 with bit 7 set for PM; the date
// advances when 11 PM becomes 12 AM.
func (r *RTC) incrHour() bool {
	if r.ram[regB]&b24 != 0 {
		return r.incr(regHours, 24)
	}
	pm := r.ram[regHours] & pmBit
	r.ram[regHours] &^= pmBit
	h := r.get(regHours)
	carry := false
	switch {
	case h == 11:
		h = 12
		carry = pm != 0
		pm ^= pmBit
	case h >= 12 || h == 0: // 12 → 1; invalid values resynchronise at 1
		h = 1
	default:
		h++
	}
	r.put(regHours, h)
	r.ram[regHours] |= pm
	return carry
}

// nextDay advances the day of week and the date, carrying into month,
// year and the century byte at 0x32 (a BIOS convention the chip itself
// does not know; keeping it lets the Gregorian 100/400-year rules apply).
func (r *RTC) nextDay() {
	if dow := r.get(regDayOfWeek) + 1; dow >= 1 && dow <= 7 {
		r.put(regDayOfWeek, dow)
	} else {
		r.put(regDayOfWeek, 1)
	}
	if d := r.get(regDayOfMonth) + 1; d <= r.monthDays() {
		r.put(regDayOfMonth, d)
		return
	}
	r.put(regDayOfMonth, 1)
	if m := r.get(regMonth) + 1; m <= 12 {
		r.put(regMonth, m)
		return
	}
	r.put(regMonth, 1)
	if y := r.get(regYear) + 1; y <= 99 {
		r.put(regYear, y)
		return
	}
	r.put(regYear, 0)
	r.put(NVCentury, (r.get(NVCentury)+1)%100)
}

// monthDays is the length of the current month.
func (r *RTC) monthDays() int {
	switch r.get(regMonth) {
	case 2:
		y := r.get(NVCentury)*100 + r.get(regYear)
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// alarmMatches compares the time with the three alarm bytes, raw, so the
// comparison follows the current data and hour modes (including the PM
// bit). MC146818A datasheet, "Alarm": 11xxxxxx is "don't care".
func (r *RTC) alarmMatches() bool {
	for _, reg := range [...]int{regSeconds, regMinutes, regHours} {
		a := r.ram[reg+1]
		if a&alarmDontCare != alarmDontCare && a != r.ram[reg] {
			return false
		}
	}
	return true
}

// ParseBase interprets the value of the -rtc flag: "base=" followed by
// "utc" (the default, also for ""), "localtime", or a fixed start date
// "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DD" (taken as wall-clock fields); the
// "base=" prefix is optional. now is the host's time: this is the one
// place the host clock enters the machine, and only for utc/localtime.
// The result is meant for New.
func ParseBase(s string, now time.Time) (time.Time, error) {
	v := strings.TrimPrefix(s, "base=")
	switch v {
	case "", "utc":
		return now.UTC(), nil
	case "localtime":
		return now.Local(), nil
	}
	for _, layout := range [...]string{"2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cmos: bad -rtc value %q: want base=utc, base=localtime, base=YYYY-MM-DDTHH:MM:SS or base=YYYY-MM-DD", s)
}
