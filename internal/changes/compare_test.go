package changes

import (
	"testing"
)

func snap(flows []Flow, excl []Exclusion) *Snapshot {
	s, _ := Read(nil)
	for _, f := range flows {
		s.Flows[f.ID] = f
	}
	for _, e := range excl {
		if s.Exclusions[e.Target] == nil {
			s.Exclusions[e.Target] = map[string]Exclusion{}
		}
		s.Exclusions[e.Target][e.Key()] = e
	}
	return s
}

// TestCompareFlowsAndExclusions: a flow keeping its endpoints is one
// change whatever its id does; flows whose endpoints differ are an open
// and a close; Windows paths differing only in case are the same
// exclusion, Linux paths are not.
func TestCompareFlowsAndExclusions(t *testing.T) {
	b := "internal → internet"
	old := snap([]Flow{
		{ID: "f1", Source: "module_server.m", Destination: "intel_stream.a", Port: "443", Protocol: "tcp", Boundary: b},
		{ID: "f2", Source: "module_server.m", Destination: "intel_stream.b", Port: "443", Protocol: "tcp", Boundary: b},
	}, []Exclusion{
		{Target: "win", OS: "windows", Kind: "path", Path: `C:\Program Files\Tanium`},
		{Target: "lin", OS: "linux", Kind: "path", Path: "/opt/Tanium"},
	})
	new := snap([]Flow{
		{ID: "f9", Source: "module_server.m", Destination: "intel_stream.a", Port: "8443", Protocol: "tcp", Boundary: b},
		{ID: "f3", Source: "module_server.m", Destination: "intel_stream.c", Port: "443", Protocol: "tcp", Boundary: b},
	}, []Exclusion{
		{Target: "win", OS: "windows", Kind: "path", Path: `c:\program files\TANIUM`},
		{Target: "lin", OS: "linux", Kind: "path", Path: "/opt/tanium"},
	})
	p := Compare(old, new)
	if len(p.Boundaries) != 1 {
		t.Fatalf("boundaries: %+v", p.Boundaries)
	}
	bc := p.Boundaries[0]
	if len(bc.Change) != 1 || bc.Change[0].Before.ID != "f1" || bc.Change[0].After.ID != "f9" || bc.Change[0].Fields[0] != (FieldChange{"port", "443", "8443"}) {
		t.Errorf("change: %+v", bc.Change)
	}
	if len(bc.Open) != 1 || bc.Open[0].ID != "f3" || len(bc.Close) != 1 || bc.Close[0].ID != "f2" {
		t.Errorf("open %+v, close %+v", bc.Open, bc.Close)
	}
	if len(p.Exclusions) != 1 || p.Exclusions[0].Target != "lin" || len(p.Exclusions[0].Add) != 1 || len(p.Exclusions[0].Remove) != 1 {
		t.Errorf("exclusions: %+v", p.Exclusions)
	}
	if p.Summary.FlowsToOpen != 1 || p.Summary.FlowsToClose != 1 || p.Summary.FlowsToChange != 1 {
		t.Errorf("summary: %+v", p.Summary)
	}
	if q := Compare(new, new); !q.Summary.Empty() || len(q.Steps) != 0 {
		t.Errorf("an output compared with itself: %+v", q)
	}
}
