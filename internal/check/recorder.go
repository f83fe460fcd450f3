package check

import (
	"fmt"
	"strconv"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
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
	if g.DNSEvents() {
		if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil {
			if w, ok := c.cat.WindowsVersion(p.Canonical); ok && w.Supported && !w.DNSEvents {
				c.add(rule.DNSEvents, r.DNSEventsRange, fmt.Sprintf("DNS events are not available on %s", w.Name),
					"DNS event recording needs Windows 8.1 or later, or Windows Server 2012 R2 or later. Set dns_events = false for this group, or upgrade its endpoints.", &c.cat.Windows.DNSSource)
			}
		}
	}
	if g.EventSource() == model.EventSourceSysmon {
		rec := c.cat.Recorder
		dep := ""
		src := &rec.DriverRequiredSource
		for _, es := range rec.EventSources {
			if es.ID == model.EventSourceSysmon && es.DeprecatedFrom != "" {
				dep = fmt.Sprintf(" Sysmon is deprecated from Threat Response %s", es.DeprecatedFrom)
				if c.tr.AtLeast(version.MustParse(es.DeprecatedFrom)) {
					dep += fmt.Sprintf(", so it is deprecated in %s", c.tr)
					src = &es.Source
				}
				dep += "."
			}
		}
		c.add(rule.Sysmon, r.EventSourceRange, "Sysmon is the recorder's event source",
			fmt.Sprintf("Process hashes and command-line information require the Tanium driver.%s Use event_source = \"tanium_driver\" and redeploy the recorder profile.", dep), src)
	}
}

// hardware checks the group's smallest machine against the sizing facts.
func (c *checker) hardware(g *model.EndpointGroup) {
	h := g.Hardware
	sz := c.cat.Sizing
	if h.DeclRange.Filename == "" {
		return // the block is missing; decoding reported it
	}
	dbMB := g.MaxDBSizeMB(sz.DatabaseMB.Default)
	if dbMB >= sz.DatabaseMB.Min && dbMB <= sz.DatabaseMB.Max {
		needMB := float64(sz.FreeDiskFactor * dbMB)
		if h.FreeDiskGB*float64(sz.MBPerGB) < needMB {
			c.add(rule.DiskSpace, h.FreeDiskGBRange, fmt.Sprintf("%s GB free disk is less than the %s GB the recorder needs", num(h.FreeDiskGB), num(needMB/float64(sz.MBPerGB))),
				fmt.Sprintf("Endpoints need %d × the maximum database size (%d MB) free: %s MB. Free disk space on the group %q, or lower recorder.max_db_size_mb.",
					sz.FreeDiskFactor, dbMB, num(needMB), g.Name), &sz.FreeDiskSource)
		}
	}
	if h.CPUs < sz.MinCPUs {
		c.add(rule.CPUs, h.CPUsRange, fmt.Sprintf("%d CPU is fewer than the recommended %d", h.CPUs, sz.MinCPUs),
			fmt.Sprintf("A minimum of %d CPUs per endpoint is recommended for full functionality. Accepting this may limit the recorder on the group %q.", sz.MinCPUs, g.Name), &sz.CPUSource)
	}
	if h.MemoryGB < float64(sz.MinMemoryGB) {
		c.add(rule.Memory, h.MemoryGBRange, fmt.Sprintf("%s GB RAM is less than the recommended %d GB", num(h.MemoryGB), sz.MinMemoryGB),
			fmt.Sprintf("A minimum of %d GB RAM is recommended on each endpoint. Accepting this may slow the group %q.", sz.MinMemoryGB, g.Name), &sz.MemorySource)
	}
}

// num formats a size without a trailing .0.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
