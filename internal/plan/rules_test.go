package plan

import (
	"slices"
	"testing"

	"github.com/trgen/trgen/internal/model"
)

// TestConsolidate: flows to one destination from the same set of sources
// are one rule with all their ports; a different set of sources, a
// different destination or another boundary is another rule; every flow
// is in exactly one rule; ids do not depend on the blocks' order.
func TestConsolidate(t *testing.T) {
	via := "dmz"
	d := &model.Deployment{
		TaniumServers: []model.TaniumServer{{Name: "ts", Address: "10.0.0.10"}},
		ModuleServers: []model.ModuleServer{{Name: "tms", Address: "10.0.0.11"}},
		ZoneServers:   []model.ZoneServer{{Name: "dmz", Address: "203.0.113.9"}},
		DataCollection: []model.DataCollection{
			{Name: "sftp", Transfer: "sftp", Destination: "10.0.0.40"},
		},
		EndpointGroups: []model.EndpointGroup{
			{Name: "a", OS: model.OSWindows, Networks: []string{"10.1.0.0/16"}},
			{Name: "b", OS: model.OSLinux, Networks: []string{"10.2.0.0/16"}},
			{Name: "r", OS: model.OSWindows, Networks: []string{"10.3.0.0/16"}, ConnectVia: &via},
		},
	}
	flows := Flows(d, latest(t))
	rules := Consolidate(flows)
	type shape struct {
		boundary, dst string
		sources       []string
		ports         []int
	}
	var got []shape
	covered := map[string]int{}
	for _, r := range rules {
		s := shape{r.Boundary, r.Destination.Name, nil, r.Ports}
		for _, n := range r.Sources {
			s.sources = append(s.sources, n.Name)
		}
		got = append(got, s)
		for _, f := range r.Flows {
			covered[f.ID]++
		}
	}
	want := []shape{
		{"internal → internal", "data_collection.sftp", []string{"endpoint_group.a", "endpoint_group.b"}, []int{22}},
		{"internal → internal", "module_server.tms", []string{"endpoint_group.a", "endpoint_group.b"}, []int{17443, 17444}},
		{"internal → internal", "module_server.tms", []string{"tanium_server.ts"}, []int{17477}},
		{"internal → dmz", "zone_server.dmz", []string{"module_server.tms"}, []int{17449}},
		{"remote → internal", "data_collection.sftp", []string{"endpoint_group.r"}, []int{22}},
		{"remote → dmz", "zone_server.dmz", []string{"endpoint_group.r"}, []int{17444}},
	}
	if !slices.EqualFunc(got, want, func(a, b shape) bool {
		return a.boundary == b.boundary && a.dst == b.dst && slices.Equal(a.sources, b.sources) && slices.Equal(a.ports, b.ports)
	}) {
		t.Fatalf("rules:\n got %v\nwant %v", got, want)
	}
	for _, f := range flows {
		if covered[f.ID] != 1 {
			t.Errorf("flow %s is in %d rules", f.ID, covered[f.ID])
		}
	}
	slices.Reverse(d.EndpointGroups)
	again := Consolidate(Flows(d, latest(t)))
	for i := range rules {
		if rules[i].ID != again[i].ID {
			t.Errorf("rule %d: id %s, %s with the groups reversed", i, rules[i].ID, again[i].ID)
		}
	}
}
