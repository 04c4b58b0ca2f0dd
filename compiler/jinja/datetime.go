package jinja

import (
	"fmt"
	"strings"
	"time"
)

// Datetime is a Python datetime as templates see it, such as dbt's
// run_started_at: it prints as Python's str() does
// ("2024-05-01 09:30:00.123456+00:00") and has the attributes year, month,
// day, hour, minute, second and microsecond and the methods strftime,
// isoformat and timestamp.
type Datetime struct{ Time time.Time }

// String formats the datetime as Python's str(datetime): microseconds only
// when not zero, the UTC offset as +HH:MM.
func (d Datetime) String() string { return d.isoformat(" ") }

func (d Datetime) isoformat(sep string) string {
	layout := "2006-01-02" + sep + "15:04:05"
	if d.Time.Nanosecond()/1000 != 0 {
		layout += ".000000"
	}
	return d.Time.Format(layout + "-07:00")
}

// Attr returns the attribute or method name.
func (d Datetime) Attr(name string) (any, error) {
	t := d.Time
	switch name {
	case "year":
		return t.Year(), nil
	case "month":
		return int(t.Month()), nil
	case "day":
		return t.Day(), nil
	case "hour":
		return t.Hour(), nil
	case "minute":
		return t.Minute(), nil
	case "second":
		return t.Second(), nil
	case "microsecond":
		return t.Nanosecond() / 1000, nil
	case "strftime":
		return func(format string) (string, error) { return strftime(t, format) }, nil
	case "isoformat":
		return func(sep ...string) string {
			if len(sep) > 0 {
				return d.isoformat(sep[0])
			}
			return d.isoformat("T")
		}, nil
	case "timestamp":
		return func() float64 { return float64(t.UnixMicro()) / 1e6 }, nil
	}
	return nil, fmt.Errorf("'datetime' object has no attribute %q (martlet's datetime has year, month, day, hour, minute, second, microsecond, strftime, isoformat and timestamp)", name)
}

// strftimeLayouts are the strftime directives Go's time layouts write.
var strftimeLayouts = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'H': "15", 'I': "03", 'p': "PM",
	'M': "04", 'S': "05", 'a': "Mon", 'A': "Monday", 'b': "Jan", 'B': "January",
	'z': "-0700", 'Z': "MST",
}

// strftime formats t with Python's strftime directives.
func strftime(t time.Time, format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(format) {
			return "", fmt.Errorf("strftime format %q ends with a lone %%", format)
		}
		i++
		if layout, ok := strftimeLayouts[format[i]]; ok {
			b.WriteString(t.Format(layout))
			continue
		}
		switch format[i] {
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("strftime directive %%%c is not supported", format[i])
		}
	}
	return b.String(), nil
}
