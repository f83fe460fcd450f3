package verify_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/state"
	"github.com/trgen/trgen/internal/verify"
)

type fixture struct {
	d   *model.Deployment
	c   *catalog.Catalog
	st  *state.State
	eng *render.Engine
}

// enterprise is the enterprise example and its checked-in output's state.
func enterprise(t testing.TB) fixture {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags, err := load.New().LoadPath("../../examples/enterprise", load.Options{})
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	data, err := os.ReadFile("../../out/acme-prod/state.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{cfg.Deployment, set.Latest(), st, eng}
}

func (f fixture) verifier(t testing.TB) *verify.Verifier {
	t.Helper()
	k, err := fleet.NewChecker(f.d, f.c)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.New(f.d, f.st, k)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// stub writes an executable script into dir.
func stub(t testing.TB, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// sensorRows runs the generated Linux sensor with the commands it reads
// replaced by stubs that print the recorded outputs of testdata/, and
// returns its rows.
func sensorRows(t testing.TB, f fixture) []verify.Row {
	t.Helper()
	files, err := f.eng.Render(generate.SensorOutputs(f.d, f.c, generate.NewHeader(f.d, f.c, "test", nil)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	td, _ := filepath.Abs("testdata")
	stub(t, dir, "auditctl", `case "$1" in -l) cat '`+td+`/auditctl-l.rhel-app.txt' ;; -s) cat '`+td+`/auditctl-s.txt' ;; *) exit 1 ;; esac`)
	stub(t, dir, "nft", `[ "$*" = "-j list table inet trgen_threat_response" ] && cat '`+td+`/nft-j.rhel-app.json'`)
	stub(t, dir, "rpm", `case "$*" in "-q taniumclient"|"-q audit") exit 0 ;; "-q --qf %{VERSION} taniumclient") printf 7.4.1.1955 ;; "-q --qf %{VERSION} audit") printf 3.1.2 ;; *) exit 1 ;; esac`)
	stub(t, dir, "dpkg-query", `exit 1`)
	for _, tool := range []string{"iptables-save", "ip6tables-save"} {
		stub(t, dir, tool, `printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n'`)
	}
	stub(t, dir, "firewall-cmd", `exit 252`) // not running
	stub(t, dir, "firewall-offline-cmd", `[ "$1" = --get-policies ] && echo allow-host-ipv6`)
	script := filepath.Join(dir, "linux.sh")
	if err := os.WriteFile(script, files["verify/linux.sh"], 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", script)
	cmd.Env = []string{"PATH=" + dir + ":/usr/bin:/bin"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("the sensor must exit 0 and print nothing on stderr: %v\n%s", err, stderr.String())
	}
	var rows []verify.Row
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		r, err := verify.ParseLine(line)
		if err != nil {
			t.Fatalf("the sensor printed %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

func byStatus(ep verify.Endpoint, area, status string) []verify.Item {
	var out []verify.Item
	for _, it := range ep.Items {
		if it.Area == area && it.Status == status {
			out = append(out, it)
		}
	}
	return out
}

// TestRecordedOutputs: the sensor's rows from recorded nft, auditctl -l
// and auditctl -s outputs, compared with the rhel-app group's state: the
// firewall rules all present; of the audit rules exactly the absent watch
// missing and the older client's watch no longer expected, the
// normalised forms (-F key=, auid!=-1, joined syscalls) matched by kernel
// form and the host's own rules left alone; the status as the base file
// sets it; and a changed failure mode reported different.
func TestRecordedOutputs(t *testing.T) {
	f := enterprise(t)
	rows := sensorRows(t, f)
	v := f.verifier(t)
	for _, r := range rows {
		v.Add("app-01", "", "rhel-app", r)
	}
	rep := v.Report()
	ep := rep.Endpoints[0]
	for _, it := range ep.Items {
		if it.Area == verify.AreaFirewall {
			t.Errorf("firewall item %+v: the recorded table is the group's file as loaded", it)
		}
	}
	missing := byStatus(ep, verify.AreaAuditRule, verify.Missing)
	if len(missing) != 1 || missing[0].Expected != "-w /opt/Tanium/TaniumClient/TaniumCX -p wa -k tanium-client-binary" {
		t.Errorf("missing audit rules %+v, want the TaniumCX watch alone", missing)
	}
	extra := byStatus(ep, verify.AreaAuditRule, verify.Unexpected)
	if len(extra) != 1 || !strings.Contains(extra[0].Found, "python27") {
		t.Errorf("no longer expected %+v, want the python27 watch alone (the host's rules, keyed identity, time-change, exec, are its own)", extra)
	}
	for _, st := range []string{verify.Different, verify.Unknown, verify.Missing} {
		if items := byStatus(ep, verify.AreaAuditStatus, st); len(items) > 0 {
			t.Errorf("audit status %s: %+v; auditctl -s shows what 10-trgen-base.rules sets", st, items)
		}
	}
	if ep.State != verify.StateDrift || ep.Facts["client_version"] != "7.4.1.1955" || ep.Facts["package.audit"] != "3.1.2" {
		t.Errorf("state %s, facts %v", ep.State, ep.Facts)
	}

	// The failure mode changed on the host: different, not missing.
	v = f.verifier(t)
	for _, r := range rows {
		if r.Kind == verify.KindAuditStatus && r.Item == "failure" {
			r.Value = "2"
		}
		v.Add("app-01", "", "rhel-app", r)
	}
	diff := byStatus(v.Report().Endpoints[0], verify.AreaAuditStatus, verify.Different)
	if len(diff) != 1 || diff[0].ID != "failure" || diff[0].Expected != "1" || diff[0].Found != "2" {
		t.Errorf("failure 2 on the host: %+v", diff)
	}
}

// groupAddress is an address inside group's networks, from the state.
func groupAddress(t *testing.T, st *state.State, group string) string {
	t.Helper()
	for _, n := range st.Nodes {
		if n.Name == "endpoint_group."+group {
			p := netip.MustParsePrefix(n.Addresses[0])
			return p.Addr().Next().String()
		}
	}
	t.Fatalf("no group %s", group)
	return ""
}

// csvResults is a Console-style export: one row per sensor row, the
// endpoint's name and address on each, and Tanium's Count column.
func csvResults(t *testing.T, endpoints map[[2]string][]verify.Row, extra ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"Computer Name", "IP Address", "Kind", "Item", "Value", "Count"})
	keys := make([][2]string, 0, len(endpoints))
	for k := range endpoints {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	for _, k := range keys {
		for _, r := range endpoints[k] {
			w.Write([]string{k[0], k[1], r.Kind, r.Item, encode(r.Value), "1"})
		}
	}
	for _, e := range extra {
		w.Write(e)
	}
	w.Flush()
	return b.Bytes()
}

// encode is the sensors' percent-encoding.
func encode(s string) string { return encoder.Replace(s) }

var encoder = strings.NewReplacer("%", "%25", "|", "%7C", "\r", "%0D", "\n", "%0A")

// restResults is the REST API's result data, in the shape of public
// integrations' recorded responses (demisto/content,
// Packs/Tanium/Integrations/Tanium_v2/test_data/action_results.json):
// data.result_sets[].columns with hash, name and type, rows with id, cid
// and data, one list of {"text"} per column; a multi-line answer is one
// row whose sensor columns list every line.
func restResults(t *testing.T, endpoints map[[2]string][]verify.Row) []byte {
	t.Helper()
	type text struct {
		Text string `json:"text"`
	}
	type row struct {
		ID   int      `json:"id"`
		CID  int      `json:"cid"`
		Data [][]text `json:"data"`
	}
	var rows []row
	i := 0
	for k, rs := range endpoints {
		i++
		r := row{ID: 1051765658 + i, CID: 9065264 + i, Data: [][]text{{{k[0]}}, {{k[1]}}, nil, nil, nil, {{"1"}}}}
		for _, s := range rs {
			r.Data[2] = append(r.Data[2], text{s.Kind})
			r.Data[3] = append(r.Data[3], text{s.Item})
			r.Data[4] = append(r.Data[4], text{encode(s.Value)})
		}
		rows = append(rows, r)
	}
	doc := map[string]any{"data": map[string]any{"now": "2026/12/08 09:20:54 GMT-0000", "max_available_age": "",
		"result_sets": []any{map[string]any{"age": 0, "id": 957912, "estimated_total": len(rows), "mr_passed": len(rows),
			"columns": []any{
				map[string]any{"hash": 3409330187, "name": "Computer Name", "type": 1},
				map[string]any{"hash": 3209138996, "name": "IP Address", "type": 5},
				map[string]any{"hash": 1, "name": "Kind", "type": 1},
				map[string]any{"hash": 2, "name": "Item", "type": 1},
				map[string]any{"hash": 3, "name": "Value", "type": 1},
				map[string]any{"hash": 0, "name": "Count", "type": 3},
			},
			"row_count": len(rows), "rows": rows}}}}
	// Go's maps marshal sorted: "columns" comes before "rows", as the
	// API answers.
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// TestResultsFiles: the same answers as a CSV export and as REST result
// data give the same verdicts; endpoints are matched to their group by
// address, as fleet does.
func TestResultsFiles(t *testing.T) {
	f := enterprise(t)
	rows := sensorRows(t, f)
	addr := groupAddress(t, f.st, "rhel-app")
	eps := map[[2]string][]verify.Row{{"app-01", addr}: rows, {"app-02", addr}: rows[:len(rows)/2]}
	var reports []*verify.Report
	for _, in := range [][]byte{csvResults(t, eps), restResults(t, eps)} {
		v := f.verifier(t)
		if err := verify.ReadResults(bytes.NewReader(in), verify.DefaultResultColumns, v); err != nil {
			t.Fatal(err)
		}
		reports = append(reports, v.Report())
	}
	for i, rep := range reports {
		if rep.Summary.Endpoints != 2 || rep.Summary.UnreadableRows != 0 {
			t.Fatalf("report %d: %+v", i, rep.Summary)
		}
		for _, ep := range rep.Endpoints {
			if ep.Group != "rhel-app" || ep.State != verify.StateDrift {
				t.Errorf("report %d: %s in %q, %s", i, ep.Name, ep.Group, ep.State)
			}
		}
	}
	key := func(r *verify.Report) string {
		eps := slices.Clone(r.Endpoints)
		slices.SortFunc(eps, func(a, b verify.Endpoint) int { return strings.Compare(a.Name, b.Name) })
		js, _ := json.Marshal(eps)
		return string(js)
	}
	if key(reports[0]) != key(reports[1]) {
		t.Errorf("CSV and REST results of the same answers differ:\n%s\n%s", key(reports[0]), key(reports[1]))
	}
}

// TestHostileResults: rows no sensor of trgen's writes are unreadable
// and never make a match; a file trgen cannot read is a clear error.
func TestHostileResults(t *testing.T) {
	f := enterprise(t)
	rows := sensorRows(t, f)
	addr := groupAddress(t, f.st, "rhel-app")
	other := groupAddress(t, f.st, "ubuntu-web")
	cases := []struct {
		name  string
		extra []string
		// endpoint is the one the hostile row is about.
		endpoint string
	}{
		{"another endpoint's name from another address", []string{"app-01", other, "fact", "sensor", verify.FormatLinux, "1"}, "app-01"},
		{"delimiter in a value", []string{"app-01", addr, "audit-rule", "99", "-w /x -p wa -k y|z", "1"}, "app-01"},
		{"newline in a value", []string{"app-01", addr, "audit-rule", "99", "-w /x -p wa\n-k y", "1"}, "app-01"},
		{"escape the sensor never writes", []string{"app-01", addr, "audit-rule", "99", "-w /x%41 -p wa", "1"}, "app-01"},
		{"kind the sensor never writes", []string{"app-01", addr, "script", "1", "rm -rf /", "1"}, "app-01"},
		{"too few cells", []string{"app-01", addr, "fact"}, "app-01"},
		{"no name", []string{"", addr, "fact", "sensor", verify.FormatLinux, "1"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := f.verifier(t)
			in := csvResults(t, map[[2]string][]verify.Row{{"app-01", addr}: rows}, c.extra)
			if err := verify.ReadResults(bytes.NewReader(in), verify.DefaultResultColumns, v); err != nil {
				t.Fatal(err)
			}
			rep := v.Report()
			if rep.Summary.UnreadableRows == 0 {
				t.Errorf("no unreadable row: %+v", rep.Summary)
			}
			for _, ep := range rep.Endpoints {
				if ep.Name == c.endpoint && ep.State == verify.StateMatch {
					t.Errorf("%s matches despite a hostile row", ep.Name)
				}
			}
		})
	}
	// Files trgen cannot read: a clear error, nothing compared.
	huge := "Computer Name,IP Address,Kind,Item,Value\napp-01," + addr + ",fact,x," + strings.Repeat("a", verify.MaxLine+1) + "\n"
	for name, in := range map[string]string{
		"no sensor columns":   "Computer Name,IP Address,Operating System\napp-01," + addr + ",Linux\n",
		"huge cell":           huge,
		"not result data":     `{"object_list": {}}`,
		"empty":               "",
		"rows before columns": `{"data": {"result_sets": [{"rows": [], "columns": []}]}}`,
	} {
		v := f.verifier(t)
		err := verify.ReadResults(strings.NewReader(in), verify.DefaultResultColumns, v)
		if err == nil {
			t.Errorf("%s: read without an error", name)
		} else if len(err.Error()) > 600 {
			t.Errorf("%s: a message of %d bytes", name, len(err.Error()))
		}
	}
}

// TestTaniumPlaceholders: an endpoint that answered with Tanium's
// placeholders is unknown, never a match.
func TestTaniumPlaceholders(t *testing.T) {
	f := enterprise(t)
	addr := groupAddress(t, f.st, "rhel-app")
	v := f.verifier(t)
	in := "Computer Name,IP Address,Kind,Item,Value,Count\napp-03," + addr + ",[current result unavailable],[current result unavailable],[current result unavailable],1\n"
	if err := verify.ReadResults(strings.NewReader(in), verify.DefaultResultColumns, v); err != nil {
		t.Fatal(err)
	}
	ep := v.Report().Endpoints[0]
	if ep.State != verify.StateUnknown || !strings.Contains(ep.Items[0].Detail, "current result unavailable") {
		t.Errorf("%+v", ep)
	}
}

// windowsRows are the recorded rows of testdata/windows-dc-servers.rows.
func windowsRows(t *testing.T) []verify.Row {
	t.Helper()
	data, err := os.ReadFile("testdata/windows-dc-servers.rows")
	if err != nil {
		t.Fatal(err)
	}
	var rows []verify.Row
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		r, err := verify.ParseLine(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

// TestWindowsRecorded: a Windows endpoint's rules and Defender lists, in
// ConvertTo-Json's forms (a bare object or an array, a bare value or a
// one-element array, dotted masks), compared with the dc-servers group:
// the changed port different, the stale rule no longer expected, the
// host's own rule and exclusion left alone, the absent exclusion missing
// and the one in other case present; without elevation the exclusions
// are unknown, never missing.
func TestWindowsRecorded(t *testing.T) {
	f := enterprise(t)
	rows := windowsRows(t)
	v := f.verifier(t)
	for _, r := range rows {
		v.Add("dc-01", "", "dc-servers", r)
	}
	ep := v.Report().Endpoints[0]
	got := map[string][]string{}
	for _, it := range ep.Items {
		got[it.Status] = append(got[it.Status], it.Area+" "+it.ID+" "+it.Expected+it.Found)
	}
	want := map[string][]string{
		verify.Different:  {"firewall trgen-endpoints-dc-servers-fbbfc5d959a23 outbound tcp/17444, remote 10.64.0.20/32 (module_server.tms1)outbound tcp/17555, remote 10.64.0.20"},
		verify.Unexpected: {"firewall trgen-endpoints-dc-servers-f0000000000aa outbound tcp/17472, remote 10.64.0.21"},
		verify.Missing:    {`exclusion ExclusionPath C:\Program Files (x86)\Tanium\Tanium Client\TaniumCX.exe`},
	}
	for _, st := range []string{verify.Different, verify.Unexpected, verify.Missing, verify.Unknown, verify.NotReady} {
		if !slices.Equal(got[st], want[st]) {
			t.Errorf("%s:\n got %q\nwant %q", st, got[st], want[st])
		}
	}
	if ep.State != verify.StateDrift || ep.Present < 3+30+17 {
		t.Errorf("state %s, %d present", ep.State, ep.Present)
	}

	// Not elevated: Get-MpPreference shows "N/A: Must be an administrator
	// to view exclusions"; the sensor says so and verify reports unknown.
	v = f.verifier(t)
	for _, r := range rows {
		switch {
		case r.Kind == verify.KindDefenderPath || r.Kind == verify.KindDefenderProcess:
			continue
		case r.Kind == verify.KindFact && r.Item == "defender":
			r = verify.Row{Kind: verify.KindUnknown, Item: "defender", Value: "Get-MpPreference shows no exclusions to this account (N/A: run the sensor elevated, as the Tanium Client does)"}
		}
		v.Add("dc-01", "", "dc-servers", r)
	}
	ep = v.Report().Endpoints[0]
	var excl []verify.Item
	for _, it := range ep.Items {
		if it.Area == verify.AreaExclusion {
			excl = append(excl, it)
		}
	}
	if len(excl) != 1 || excl[0].Status != verify.Unknown || !strings.Contains(excl[0].Detail, "N/A") {
		t.Errorf("not elevated: %+v", excl)
	}
}

// TestWindowsLegacyRows: on Windows PowerShell 2.0 the sensor writes
// each rule from the firewall's COM API (HNetCfg.FwPolicy2) as JSON of
// its own: the protocol as a number, "*" for any local port, each remote
// address with a dotted mask, lists from the COM properties' commas. The
// legacy-servers group's rules in that form are all present; one with
// its action blocked is different.
func TestWindowsLegacyRows(t *testing.T) {
	f := enterprise(t)
	var hf *state.HostFirewall
	for i := range f.st.HostFirewalls {
		if f.st.HostFirewalls[i].Host == "endpoint_group.legacy-servers" {
			hf = &f.st.HostFirewalls[i]
		}
	}
	if hf == nil || len(hf.Rules) == 0 {
		t.Fatal("no legacy-servers rules in the state")
	}
	comRow := func(r state.HostRule, action string) verify.Row {
		var addrs []string
		for _, a := range r.Addresses {
			p := netip.MustParsePrefix(map[bool]string{true: a, false: a + "/32"}[strings.Contains(a, "/")])
			mask := net.CIDRMask(p.Bits(), 32)
			addrs = append(addrs, fmt.Sprintf(`"%s/%d.%d.%d.%d"`, p.Addr(), mask[0], mask[1], mask[2], mask[3]))
		}
		name := "trgen-endpoints-legacy-servers-" + r.Flow
		js := fmt.Sprintf(`{"Name":"%s","Enabled":"True","Direction":"Outbound","Action":"%s","Protocol":"6","LocalPort":["*"],"RemotePort":["%d"],"RemoteAddress":[%s]}`,
			name, action, r.Port, strings.Join(addrs, ","))
		return verify.Row{Kind: verify.KindWindowsFirewall, Item: name, Value: js}
	}
	v := f.verifier(t)
	v.Add("legacy-01", "", "legacy-servers", verify.Row{Kind: verify.KindFact, Item: "sensor", Value: verify.FormatWindows})
	for i, r := range hf.Rules {
		action := "Allow"
		if i == 0 {
			action = "Block"
		}
		v.Add("legacy-01", "", "legacy-servers", comRow(r, action))
	}
	ep := v.Report().Endpoints[0]
	var fw []verify.Item
	for _, it := range ep.Items {
		if it.Area == verify.AreaFirewall {
			fw = append(fw, it)
		}
	}
	if len(fw) != 1 || fw[0].Status != verify.Different || !strings.HasSuffix(fw[0].ID, hf.Rules[0].Flow) || !strings.Contains(fw[0].Found, "not allow") {
		t.Errorf("firewall items %+v, want the blocked rule alone, different", fw)
	}
	if ep.Present < len(hf.Rules)-1 {
		t.Errorf("%d present, want %d", ep.Present, len(hf.Rules)-1)
	}
}

// TestMdatpManaged: Defender for Endpoint's managed configuration on
// Linux (mdatp_managed.json holding trgen's fragment beside other
// settings, one exclusion removed) and on macOS (the managed preferences
// as plutil prints them, one removed): exactly the removed one missing.
// Without the file, missing where mdatp is installed and unknown where
// it is not.
func TestMdatpManaged(t *testing.T) {
	f := enterprise(t)
	data, err := os.ReadFile("../../out/acme-prod/exclusions/mdatp-endpoints-rhel-app.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ex := doc["exclusionSettings"].(map[string]any)
	items := ex["exclusions"].([]any)
	removed := items[len(items)-1].(map[string]any)
	ex["exclusions"] = items[:len(items)-1]
	doc["antivirusEngine"] = map[string]any{"enforcementLevel": "real_time"}
	linux, _ := json.Marshal(doc)
	mac, err := os.ReadFile("testdata/wdav-managed.mac-designers.json")
	if err != nil {
		t.Fatal(err)
	}
	run := func(group, format string, rows ...verify.Row) verify.Endpoint {
		v := f.verifier(t)
		v.Add("h", "", group, verify.Row{Kind: verify.KindFact, Item: "sensor", Value: format})
		for _, r := range rows {
			v.Add("h", "", group, r)
		}
		return v.Report().Endpoints[0]
	}
	excl := func(ep verify.Endpoint) []verify.Item {
		var out []verify.Item
		for _, it := range ep.Items {
			if it.Area == verify.AreaExclusion {
				out = append(out, it)
			}
		}
		return out
	}
	oneLine := strings.NewReplacer("\n", "", "\r", "")
	got := excl(run("rhel-app", verify.FormatLinux, verify.Row{Kind: verify.KindMdatpManaged, Item: "m", Value: string(linux)}))
	if len(got) != 1 || got[0].Status != verify.Missing || got[0].ID != "excludedPath" || got[0].Expected != removed["path"] {
		t.Errorf("Linux: %+v, want %v alone missing", got, removed["path"])
	}
	got = excl(run("mac-designers", verify.FormatMacOS, verify.Row{Kind: verify.KindMdatpManaged, Item: "m", Value: oneLine.Replace(string(mac))}))
	if len(got) != 1 || got[0].Status != verify.Missing || got[0].ID != "excludedFileName" {
		t.Errorf("macOS: %+v, want one excludedFileName missing", got)
	}
	absent := verify.Row{Kind: verify.KindAbsent, Item: verify.KindMdatpManaged, Value: "/etc/opt/microsoft/mdatp/managed/mdatp_managed.json does not exist"}
	got = excl(run("rhel-app", verify.FormatLinux, verify.Row{Kind: verify.KindFact, Item: "mdatp", Value: "installed"}, absent))
	if len(got) != 1 || got[0].Status != verify.Missing {
		t.Errorf("mdatp installed, no managed file: %+v", got)
	}
	got = excl(run("rhel-app", verify.FormatLinux, verify.Row{Kind: verify.KindFact, Item: "mdatp", Value: "not installed (no mdatp command)"}, absent))
	if len(got) != 1 || got[0].Status != verify.Unknown {
		t.Errorf("no mdatp: %+v", got)
	}
}
