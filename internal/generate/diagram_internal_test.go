package generate

import (
	"fmt"
	"testing"

	"github.com/trgen/trgen/internal/plan"
)

// TestDiagramLayoutAtScale lays out 40 groups behind 5 Zone Servers and
// directly connected, with intel streams and a data collection
// destination: no two boxes overlap, every box lies in its band and in the
// picture, and every arrow starts and ends on a box.
func TestDiagramLayoutAtScale(t *testing.T) {
	node := func(kind, label, zone, addr string) plan.Node {
		return plan.Node{Name: kind + "." + label, Kind: kind, Label: label, Zone: zone, Addresses: []string{addr}}
	}
	ms := node("module_server", "tms1", plan.ZoneInternal, "10.0.0.11")
	ts := node("tanium_server", "ts1", plan.ZoneInternal, "10.0.0.10")
	dc := node("data_collection", "sftp", plan.ZoneInternal, "10.9.0.5")
	intel := node("intel_stream", "feed", plan.ZoneInternet, "198.51.100.7")
	flows := []plan.Flow{{Source: ts, Destination: ms, Protocol: "tcp", Port: 17477}, {Source: ms, Destination: intel, Protocol: "tcp", Port: 443}}
	for z := range 5 {
		zs := node("zone_server", fmt.Sprintf("dmz-%d", z), plan.ZoneDMZ, fmt.Sprintf("203.0.113.%d", z))
		flows = append(flows, plan.Flow{Source: ms, Destination: zs, Protocol: "tcp", Port: 17449})
		for g := range 4 {
			grp := node("endpoint_group", fmt.Sprintf("remote-site-%d-%d", z, g), plan.ZoneRemote, fmt.Sprintf("100.64.%d.0/24", z*4+g))
			flows = append(flows, plan.Flow{Source: grp, Destination: zs, Protocol: "tcp", Port: 17444})
		}
	}
	for g := range 20 {
		grp := node("endpoint_group", fmt.Sprintf("office-workstations-%02d", g), plan.ZoneInternal, fmt.Sprintf("10.%d.0.0/16", 10+g))
		flows = append(flows,
			plan.Flow{Source: grp, Destination: ms, Protocol: "tcp", Port: 17443},
			plan.Flow{Source: grp, Destination: ms, Protocol: "tcp", Port: 17444},
			plan.Flow{Source: grp, Destination: dc, Protocol: "tcp", Port: 22})
	}
	d := layoutDiagram(zones(flows), flows)
	if len(d.Nodes) != 1+1+1+1+5+40 {
		t.Fatalf("%d nodes laid out", len(d.Nodes))
	}
	if len(d.Bands) != 4 {
		t.Errorf("%d bands, want remote, DMZ, internal and internet", len(d.Bands))
	}
	for i, a := range d.Nodes {
		if a.X < 0 || a.Y < 0 || a.X+a.W > d.Width || a.Y+a.H > d.Height {
			t.Errorf("%s lies outside the picture", a.Name)
		}
		inBand := false
		for _, b := range d.Bands {
			inBand = inBand || a.X >= b.X && a.X+a.W <= b.X+b.W && a.Y >= b.Y && a.Y+a.H <= b.Y+b.H
		}
		if !inBand {
			t.Errorf("%s lies in no band", a.Name)
		}
		for _, b := range d.Nodes[i+1:] {
			if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
				t.Errorf("%s and %s overlap", a.Name, b.Name)
			}
		}
	}
	// One arrow per source and destination: the two ports to the Module
	// Server share one.
	if want := 2 + 5 + 20 + 20*2; len(d.Edges) != want {
		t.Errorf("%d arrows, want %d", len(d.Edges), want)
	}
	for _, e := range d.Edges {
		if e.From == "" || e.To == "" || e.Label == "" {
			t.Errorf("arrow %+v lacks its ends or label", e)
		}
	}
	// Labels at one side of one box never share a line.
	seen := map[[2]int]string{}
	for _, e := range d.Edges {
		k := [2]int{e.LabelX, e.LabelY}
		if other, ok := seen[k]; ok {
			t.Errorf("labels of %s→%s and %s at the same place", e.From, e.To, other)
		}
		seen[k] = e.From + "→" + e.To
	}
	if d.Width > 2600 || d.Height > 20*58+200 {
		t.Errorf("the picture is %dx%d; 40 groups and 5 zones should fit about 2600x1400", d.Width, d.Height)
	}
}
