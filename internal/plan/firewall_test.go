package plan

import (
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

func latest(t *testing.T) *catalog.Catalog {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set.Latest()
}

// TestZoneFlowsRequired: the port table marks the Zone Server rows
// "(Optional)"; a group that connects through a Zone Server depends on
// them, so they are required, and each flow says what needs it. A custom
// intel stream port cites the scheme's row and says the port is the URL's.
func TestZoneFlowsRequired(t *testing.T) {
	via := "dmz"
	d := &model.Deployment{
		TaniumServers: []model.TaniumServer{{Name: "ts", Address: "10.0.0.10"}},
		ModuleServers: []model.ModuleServer{{Name: "tms", Address: "10.0.0.11"}},
		ZoneServers:   []model.ZoneServer{{Name: "dmz", Address: "203.0.113.9"}},
		IntelStreams:  []model.IntelStream{{Name: "isac", URL: "https://198.51.100.7:8443/feed"}},
		EndpointGroups: []model.EndpointGroup{
			{Name: "hq", OS: model.OSWindows, Networks: []string{"10.1.0.0/16"}},
			{Name: "remote", OS: model.OSWindows, Networks: []string{"10.2.0.0/16"}, ConnectVia: &via},
		},
	}
	flows := Flows(d, latest(t))
	byKey := map[string]Flow{}
	for _, f := range flows {
		byKey[f.Source.Name+" "+f.Destination.Name+" "+f.Requirement] = f
		if !f.Required || f.NeededBy == "" {
			t.Errorf("%s → %s tcp/%d: required %v, needed by %q", f.Source.Name, f.Destination.Name, f.Port, f.Required, f.NeededBy)
		}
	}
	for _, k := range []string{"endpoint_group.remote zone_server.dmz yes", "module_server.tms zone_server.dmz yes"} {
		f, ok := byKey[k]
		if !ok || !f.VendorOptional || !strings.Contains(f.NeededBy, "endpoint_group.remote") {
			t.Errorf("%s: %+v", k, f)
		}
	}
	intel := byKey["module_server.tms intel_stream.isac yes"]
	if intel.Port != 8443 || !strings.Contains(intel.Reference, "Module Server 443 outbound, on port 8443 from the stream's URL") {
		t.Errorf("intel flow: port %d, reference %q", intel.Port, intel.Reference)
	}
	for _, f := range flows {
		if strings.HasPrefix(f.Source.Name, "endpoint_group.remote") && f.Destination.Name == "module_server.tms" {
			t.Errorf("a zone-connected group gets a direct flow: %+v", f)
		}
	}
}

// TestNodesDescribed: every end of every flow carries its address list
// and change-request endpoint (Node.Described), which the templates print
// as fields: a host with an address, a group's networks, an intel stream
// by DNS name with and without addresses, and one by address.
func TestNodesDescribed(t *testing.T) {
	d := &model.Deployment{
		TaniumServers: []model.TaniumServer{{Name: "ts", Address: "10.0.0.10"}},
		ModuleServers: []model.ModuleServer{{Name: "tms", Address: "tms.corp.example"}},
		IntelStreams: []model.IntelStream{
			{Name: "named", URL: "https://intel.example.com/feed", Addresses: []string{"198.51.100.8", "198.51.100.7"}},
			{Name: "byname", URL: "https://other.example.com/feed"},
			{Name: "byaddr", URL: "http://203.0.113.5/feed"},
		},
		EndpointGroups: []model.EndpointGroup{{Name: "hq", OS: model.OSWindows, Networks: []string{"10.2.0.0/16", "10.1.0.0/16"}}},
	}
	want := map[string][2]string{ // node → AddressList, Endpoint
		"tanium_server.ts":    {"10.0.0.10", "10.0.0.10"},
		"module_server.tms":   {"tms.corp.example", "tms.corp.example"},
		"intel_stream.named":  {"198.51.100.7;198.51.100.8", "intel.example.com: 198.51.100.7;198.51.100.8"},
		"intel_stream.byname": {"other.example.com", "other.example.com"},
		"intel_stream.byaddr": {"203.0.113.5", "203.0.113.5"},
		"endpoint_group.hq":   {"10.1.0.0/16;10.2.0.0/16", "10.1.0.0/16;10.2.0.0/16"},
	}
	seen := map[string]bool{}
	for _, f := range Flows(d, latest(t)) {
		for _, n := range []Node{f.Source, f.Destination} {
			w, ok := want[n.Name]
			if !ok {
				t.Errorf("unexpected node %s", n.Name)
				continue
			}
			seen[n.Name] = true
			if n.AddressList != w[0] || n.Endpoint != w[1] {
				t.Errorf("%s: AddressList %q, Endpoint %q; want %q, %q", n.Name, n.AddressList, n.Endpoint, w[0], w[1])
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("nodes seen %v, want all of %v", seen, want)
	}
}
