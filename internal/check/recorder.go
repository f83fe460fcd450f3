package check

import (
	"fmt"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// recorder checks the group's recorder settings against the OS.
func (c *checker) recorder(g *model.EndpointGroup) {
	r := g.Recorder
	if r == nil {
		return
	}
	db := c.cat.Sizing.DatabaseMB
	if r.MaxDBSizeMB != nil && (*r.MaxDBSizeMB < db.Min || *r.MaxDBSizeMB > db.Max) {
		c.add(rule.DBSize, r.MaxDBSizeMBRange, fmt.Sprintf("Recorder database size %d MB is out of range", *r.MaxDBSizeMB),
			fmt.Sprintf("max_db_size_mb must be between %d and %d (1 GB); the default is %d.", db.Min, db.Max, db.Default), &db.Source)
	}
	if g.OS != model.OSWindows {
		if r.EventSource != nil {
			c.add(rule.RecorderNotWindow, r.EventSourceRange, fmt.Sprintf("event_source does not apply to %s endpoints", g.OS),
				"The event source (Tanium driver or Sysmon) is a Windows recorder setting. Remove event_source from the group.", &c.cat.Recorder.EventSources[0].Source)
		}
		if r.DNSEvents != nil {
			c.add(rule.RecorderNotWindow, r.DNSEventsRange, fmt.Sprintf("dns_events does not apply to %s endpoints", g.OS),
				"DNS event recording is a feature of the Windows recorder. Remove dns_events from the group.", &c.cat.Windows.DNSSource)
		}
		return
	}
}
