package changes_test

import (
	"testing"

	"github.com/trgen/trgen/internal/changes"
	"github.com/trgen/trgen/internal/state"
)

// FuzzRead: a previous output's state.json and flows.csv are input (the
// --from folder of a pull request): whatever they hold, Read answers
// without a panic, and a snapshot compared with itself has no changes.
func FuzzRead(f *testing.F) {
	// Small seeds (large ones make the fuzzer spend its time minimising):
	// a state with one of each entry, in the shape generate writes, and
	// a flows.csv of one row.
	f.Add([]byte(`{"generated_by":"trgen state","format_version":"1.0","deployment":"d","nodes":[{"name":"module_server.tms1","zone":"internal","addresses":["10.0.0.11"],"hostnames":[],"fqdn":""},{"name":"intel_stream.feed","zone":"internet","addresses":["198.51.100.7"],"hostnames":[],"fqdn":"feed.example.com"}],`+
		`"flows":[{"id":"f0123456789ab","source":"module_server.tms1","destination":"intel_stream.feed","protocol":"tcp","port":443,"required":"yes","boundary":"internal → internet","change":"open"}],`+
		`"host_firewalls":[{"path":"firewall/module-server-tms1.ps1","kind":"windows","family":"","host":"module_server.tms1","rules":[{"flow":"f0123456789ab","direction":"outbound","peer":"intel_stream.feed","protocol":"tcp","port":443,"addresses":["198.51.100.7"]}],"omitted":[]}],`+
		`"network_policies":[{"path":"firewall/capirca/pol/internal-to-internet.pol","boundary":"internal → internet","terms":[{"name":"r0123456789ab","sources":["TMS1"],"destination":"FEED","services":["TCP_443"],"flows":["f0123456789ab"]}]}],`+
		`"exclusions":[{"target":"module-server-tms1","os":"windows","entries":[{"kind":"process","path":"C:\\Program Files\\Tanium\\x.exe","condition":""}]}],`+
		`"audit_rules":[{"group":"g","files":[{"path":"auditd/g/rules.d/60-x.rules","rules":["-w /opt/Tanium -p wa -k tanium"]}]}],`+
		`"roles":[{"name":"R","category":"module","privileges":["Detect Alert Read"]}],"memberships":[{"user_group":"SOC","roles":["R"]}],`+
		`"runbook_steps":["1. Summary"],"findings":[{"severity":"warning","rule":"r","summary":"s","where":"main.hcl:1"}]}`), true)
	f.Add([]byte("id,source,source_address,destination,destination_address,protocol,port,required,boundary\nf0123456789ab,module_server.tms1,10.0.0.11,intel_stream.feed,198.51.100.7,tcp,443,yes,internal → internet\n"), false)
	f.Add([]byte(`{"generated_by":"trgen state","format_version":"1.9","flows":[{"id":"f000000000000","source":"nowhere"}],"host_firewalls":[{"path":"firewall/x","rules":[{"flow":"f1"}]}]}`), true)
	f.Add([]byte(`{"generated_by":"trgen state","format_version":"2.0"}`), true)
	f.Add([]byte("id,source\nf1,\"a\nb\"\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, isState bool) {
		files := map[string][]byte{"firewall/flows.csv": data}
		if isState {
			files = map[string][]byte{state.FileName: data}
		}
		s, err := changes.Read(files)
		if err != nil {
			return
		}
		p := changes.Compare(s, s)
		if !p.Summary.Empty() {
			t.Fatalf("a snapshot compared with itself has changes: %+v", p.Summary)
		}
	})
}
