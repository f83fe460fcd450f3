package check

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

// changeRequest checks the change_request block: its free text, and that
// the requested window ends after it starts and the expiry is not before
// the window's end.
func (c *checker) changeRequest() {
	cr := c.d.ChangeRequest
	if cr == nil {
		return
	}
	for _, t := range []struct {
		v    *string
		rng  hcl.Range
		what string
	}{{cr.Requester, cr.RequesterRange, "requester"}, {cr.Ticket, cr.TicketRange, "ticket"}, {cr.Justification, cr.JustificationRange, "justification"}} {
		if t.v != nil {
			c.freeText(*t.v, t.rng, t.what)
		}
	}
	start, startOK := when(cr.WindowStart, false)
	end, endOK := when(cr.WindowEnd, true)
	expires, expOK := when(cr.Expires, true)
	if startOK && endOK && !end.After(start) {
		c.add(rule.ChangeWindow, cr.WindowEndRange, "The change window ends before it starts",
			fmt.Sprintf("window_end (%s) must be later than window_start (%s); a date alone means the whole day. Correct one of them.", *cr.WindowEnd, *cr.WindowStart), nil)
	}
	last, lastOK := end, endOK
	if !lastOK {
		last, lastOK = start, startOK
	}
	if expOK && lastOK && expires.Before(last) {
		c.add(rule.ChangeWindow, cr.ExpiresRange, "The rules expire before the change window ends",
			fmt.Sprintf("expires (%s) is before the end of the requested window; the rules would be removed before they are in place. Set expires later, or remove it for permanent rules.", *cr.Expires), nil)
	}
}

// when reads a change_request date: a date alone is its first instant, or
// with endOfDay its last (the next day's first); a date-time is RFC 3339
// with or without seconds. ok is false when s is nil or not a date (the
// schema reported the form).
func when(s *string, endOfDay bool) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.DateOnly, *s); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, *s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
