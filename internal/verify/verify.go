package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/state"
)

var kernelForm = auditrule.KernelForm

// Verifier compares endpoints' rows with one output's state. Rows of one
// endpoint may come in any order and interleaved with other endpoints':
// each endpoint keeps only what it needs of its rows.
type Verifier struct {
	deployment string
	checker    *fleet.Checker
	groups     map[string]*model.EndpointGroup
	exp        map[string]*Expected
	eps        map[string]*pending
	order      []string
	// unreadable are rows that name no endpoint.
	unreadable []string
	badRows    int
	// last is the endpoint of the row before: an export's rows of one
	// endpoint usually come together.
	lastName string
	last     *pending
}

type pending struct {
	ep  Endpoint
	col *collector
	// conflict is set when rows of one name give two addresses or
	// groups: another endpoint's rows, or a forged name.
	conflict string
}

// New prepares the comparison of d's endpoints with st, the state of d's
// output. checker judges readiness as `trgen fleet` does.
func New(d *model.Deployment, st *state.State, checker *fleet.Checker) (*Verifier, error) {
	if st.Deployment != d.Name {
		return nil, fmt.Errorf("state.json is deployment %q's, not %q's", st.Deployment, d.Name)
	}
	v := &Verifier{deployment: d.Name, checker: checker, groups: map[string]*model.EndpointGroup{}, exp: map[string]*Expected{}, eps: map[string]*pending{}}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		e, err := Expect(st, g.Name)
		if err != nil {
			return nil, err
		}
		v.groups[g.Name] = g
		v.exp[g.Name] = e
	}
	return v, nil
}

// Add takes one row of endpoint name, seen at address, in group (""
// to match the endpoint to a group by address, as fleet does).
func (v *Verifier) Add(name, address, group string, r Row) {
	p, mismatch := v.endpoint(name, address, group)
	if mismatch {
		v.badRows++ // a row of another identity: nothing of the endpoint is compared
		return
	}
	if p.col != nil {
		p.col.add(r)
	}
}

// Bad records a row that could not be read: of endpoint name, or of no
// endpoint when name is "".
func (v *Verifier) Bad(name, address, group, where string, err error) {
	v.badRows++
	if name == "" {
		if len(v.unreadable) < maxUnreadable {
			v.unreadable = append(v.unreadable, where+": "+err.Error())
		}
		return
	}
	p, _ := v.endpoint(name, address, group)
	if p.col != nil {
		p.col.bad("%s: %v", where, err)
	} else if len(p.ep.Unreadable) < maxUnreadable {
		p.ep.Unreadable = append(p.ep.Unreadable, where+": "+err.Error())
	}
}

// endpoint is the endpoint a row names; mismatch reports a row whose
// address or group is not the endpoint's first row's.
func (v *Verifier) endpoint(name, address, group string) (p *pending, mismatch bool) {
	if v.last != nil && name == v.lastName && address == v.last.ep.Address && (group == "" || group == v.last.ep.Group) {
		return v.last, false
	}
	defer func() { v.lastName, v.last = strings.Clone(name), p }()
	key := strings.ToLower(name)
	if p, ok := v.eps[key]; ok {
		if p.ep.Address != address || (group != "" && p.ep.Group != group) {
			if p.conflict == "" {
				p.conflict = fmt.Sprintf("rows for %q give two identities (%s and %s): another endpoint's rows, or a forged name; nothing compared", clip(name), ident(p.ep.Address, p.ep.Group), ident(address, group))
			}
			return p, true
		}
		return p, false
	}
	name, address = strings.Clone(name), strings.Clone(address) // not the reader's buffer
	p = &pending{ep: Endpoint{Name: name, Address: address}}
	v.eps[key] = p
	v.order = append(v.order, key)
	if group == "" && address != "" {
		row, err := fleet.NewRow(0, map[string]string{fleet.FIP: address})
		if err == nil {
			var res fleet.Result
			if err := v.checker.Check(row, &res); err == nil {
				group = v.checker.GroupName(res.Group)
			} else {
				p.ep.Unreadable = append(p.ep.Unreadable, "address "+address+": "+err.Error())
			}
		}
	}
	p.ep.Group = strings.Clone(group)
	if e, ok := v.exp[group]; ok {
		p.col = newCollector(e)
	}
	return p, false
}

func ident(address, group string) string {
	if group != "" {
		return address + " in " + group
	}
	return cmpOr(address, "no address")
}

// Report compares every endpoint and sums up.
func (v *Verifier) Report() *Report {
	r := &Report{Deployment: v.deployment, Unreadable: v.unreadable, Summary: Summary{UnreadableRows: v.badRows}}
	drifting := map[string]bool{}
	for _, key := range v.order {
		p := v.eps[key]
		ep := p.ep
		switch {
		case p.conflict != "":
			ep.Items = []Item{{Area: AreaSensor, ID: "identity", Status: Unknown, Detail: p.conflict}}
			ep.Unreadable = append(ep.Unreadable, p.conflict)
			ep.setState()
		case p.col == nil && ep.Group == "":
			ep.Items = append(ep.Items, Item{Area: AreaSensor, ID: "group", Status: Unknown, Detail: "in no endpoint group's networks: nothing to compare (give a group column, or the group's networks)"})
			ep.setState()
		case p.col == nil:
			ep.Items = append(ep.Items, Item{Area: AreaSensor, ID: "group", Status: Unknown, Detail: fmt.Sprintf("group %q is not in this deployment", ep.Group)})
			ep.setState()
		default:
			p.col.finish(&ep)
			if p.col.sensor == FormatLinux || p.col.sensor == FormatWindows || p.col.sensor == FormatMacOS {
				v.readiness(&ep) // an endpoint that did not answer has no facts to judge
			}
		}
		r.Summary.Endpoints++
		switch ep.State {
		case StateMatch:
			r.Summary.Match++
		case StateDrift:
			r.Summary.Drift++
			drifting[ep.Group] = true
		case StateNotReady:
			r.Summary.NotReady++
		case StateUnknown:
			r.Summary.Unknown++
		}
		for _, it := range ep.Items {
			switch it.Status {
			case Missing:
				r.Summary.Missing++
			case Different:
				r.Summary.Different++
			case Unexpected:
				r.Summary.Unexpected++
			case Unknown:
				r.Summary.UnknownItems++
			}
		}
		r.Endpoints = append(r.Endpoints, ep)
	}
	r.Summary.DriftGroups = len(drifting)
	return r
}

// readiness judges the endpoint's facts as `trgen fleet` judges an
// inventory row, and adds each finding.
func (v *Verifier) readiness(ep *Endpoint) {
	f := ep.Facts
	os, osVersion := model.OSLinux, f["os_release.PRETTY_NAME"]
	switch f["sensor"] {
	case FormatWindows:
		os, osVersion = model.OSWindows, f["os_caption"] // fleet reads WMI captions
	case FormatMacOS:
		os, osVersion = model.OSMacOS, f["os_version"] // and sw_vers's
	}
	fields := map[string]string{fleet.FName: ep.Name, fleet.FIP: ep.Address, fleet.FGroup: ep.Group,
		fleet.FOS: os, fleet.FOSVersion: osVersion, fleet.FClientVersion: f["client_version"], fleet.FCPUs: f["cpus"]}
	fields[fleet.FMemoryGB] = kbAsGB(f["memory_kb"])
	fields[fleet.FFreeDiskGB] = kbAsGB(f["free_disk_kb"])
	row, err := fleet.NewRow(0, fields)
	if err != nil {
		panic(err) // the names are fleet's own
	}
	var res fleet.Result
	if err := v.checker.Check(row, &res); err != nil {
		ep.Items = append(ep.Items, Item{Area: AreaReadiness, ID: "facts", Status: Unknown, Detail: err.Error()})
		ep.setState()
		return
	}
	for _, fd := range res.Findings {
		st := Advice
		if fd.Severity == "error" {
			st = NotReady
		}
		ep.Items = append(ep.Items, Item{Area: AreaReadiness, ID: fd.Rule, Status: st, Detail: fd.Message, Expected: fd.Fix})
	}
	if len(res.NotChecked) > 0 {
		ep.Items = append(ep.Items, Item{Area: AreaReadiness, ID: "not checked", Status: Unknown, Detail: "no value for " + strings.Join(res.NotChecked, ", ")})
	}
	ep.setState()
}

// kbAsGB is a size in KiB as fleet reads sizes, "" when unknown.
func kbAsGB(kb string) string {
	n, err := strconv.ParseFloat(strings.TrimSpace(kb), 64)
	if err != nil || n < 0 {
		return ""
	}
	return strconv.FormatFloat(n/1024/1024, 'f', 2, 64)
}

// Report is verify's answer.
type Report struct {
	Deployment string     `json:"deployment"`
	Summary    Summary    `json:"summary"`
	Endpoints  []Endpoint `json:"endpoints"`
	// Unreadable are rows that named no endpoint.
	Unreadable []string `json:"unreadable,omitempty"`
}

// Summary counts endpoints by state and items by status.
type Summary struct {
	Endpoints      int `json:"endpoints"`
	Match          int `json:"match"`
	Drift          int `json:"drift"`
	NotReady       int `json:"not_ready"`
	Unknown        int `json:"unknown"`
	Missing        int `json:"missing"`
	Different      int `json:"different"`
	Unexpected     int `json:"unexpected"`
	UnknownItems   int `json:"unknown_items"`
	DriftGroups    int `json:"drift_groups"`
	UnreadableRows int `json:"unreadable_rows"`
}

// Clean reports whether every endpoint matches and every row was read.
func (r *Report) Clean() bool {
	return r.Summary.Endpoints > 0 && r.Summary.Match == r.Summary.Endpoints && r.Summary.UnreadableRows == 0
}
