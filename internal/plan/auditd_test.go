package plan

import (
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/model"
)

// TestTamperWatchesFollowClientLine: the page qualifies python27/python
// "(7.2.x clients)" and python38/python "(7.4.x clients)"; a group's
// watches name only its own line's interpreter, as its exclusions do.
func TestTamperWatchesFollowClientLine(t *testing.T) {
	c := latest(t)
	for _, tc := range []struct{ client, want, not string }{
		{"7.4.1.1955", "python38/python", "python27/python"},
		{"7.2.314.3550", "python27/python", "python38/python"},
	} {
		d := &model.Deployment{EndpointGroups: []model.EndpointGroup{{Name: "g", OS: model.OSLinux, OSVersion: "RHEL 8", ClientVersion: tc.client}}}
		groups := Auditd(d, c)
		if len(groups) != 1 {
			t.Fatalf("%d groups", len(groups))
		}
		var paths []string
		for _, w := range groups[0].Watches {
			paths = append(paths, w.Path)
		}
		all := strings.Join(paths, "\n")
		if !strings.Contains(all, "/"+tc.want) || strings.Contains(all, "/"+tc.not) {
			t.Errorf("client %s watches:\n%s", tc.client, all)
		}
	}
}
