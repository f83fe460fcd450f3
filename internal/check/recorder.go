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
		c.add(rule.DBSize, r.MaxDBSizeMBRange, fmt.Sprintf("Recorder database size %d MB is outside the default range", *r.MaxDBSizeMB),
			fmt.Sprintf("The page gives the endpoint database's size \"by default\" as %d MB to %d MB (1 GB): a default, not a limit it states. Make sure %d MB is intended; the free disk space the endpoints need is still three times the configured size.", db.Min, db.Max, *r.MaxDBSizeMB), &db.Source)
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
