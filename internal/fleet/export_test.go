package fleet

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/model"
)

// firstAddress is an address inside the named group's first network.
func firstAddress(t *testing.T, d *model.Deployment, group string) string {
	t.Helper()
	for _, g := range d.EndpointGroups {
		if g.Name == group {
			return netip.MustParsePrefix(g.Networks[0]).Addr().Next().String()
		}
	}
	t.Fatalf("no group %s", group)
	return ""
}

// TestTaniumExport reads an export in the shape of a Tanium question's CSV
// (the --preset tanium headers, docs/fleet.md): a multi-value IP Address
// cell quoted over two lines (RFC 4180), Tanium's placeholders for values a
// sensor could not give, WMI captions, sw_vers and os-release strings. No
// row is unreadable; each endpoint gets exactly its verdict.
func TestTaniumExport(t *testing.T) {
	d, c := enterprise(t)
	win, linux, mac := firstAddress(t, d, "fra-workstations"), firstAddress(t, d, "amazon-cloud"), firstAddress(t, d, "mac-designers")
	head := `Computer Name,IP Address,OS Platform,Operating System,Tanium Client Version,CPU Count,RAM GB,Free Disk GB` + "\n"
	rows := []struct{ csv, wantErr, wantWarn string }{
		{fmt.Sprintf("w1,%s,Windows,Microsoft Windows 10 Enterprise 10.0.19045,7.4.1.1955,4,16,100", win), "", ""},
		{fmt.Sprintf("w2,\"192.0.2.55\n%s\",Windows,Microsoft Windows 10 Pro,7.4.1.1955,4,16,100", win), "", ""},
		{fmt.Sprintf("w3,%s,Windows,Microsoft Windows 10 Enterprise,[current result unavailable],4,16,100", win), "", ""},
		{fmt.Sprintf("w4,%s,Windows,[no results],7.4.1.1955,4,16,100", win), "", ""},
		{fmt.Sprintf("w5,%s,Windows,Windows 10 22H2,7.4.1.1955,TSE-Error: Python is disabled,N/A,[results currently unavailable]", win), "", ""},
		{"w6,,Windows,Microsoft Windows 10 Enterprise,7.4.1.1955,4,16,100", "", "endpoint-unmatched"},
		{fmt.Sprintf("m1,%s,Mac,macOS 14.2.1 (23C71),7.4.2.2033,4,16,100", win), "endpoint-os-mismatch", ""},
		{fmt.Sprintf("m2,%s,Mac,macOS Ventura 13.6.1,7.4.2.2033,4,16,100", mac), "", ""},
		{fmt.Sprintf("l1,%s,Linux,Amazon Linux 2,7.4.1.1955,4,16,100", linux), "", ""},
		{fmt.Sprintf("l2,%s,Linux,Gentoo Base System release 2.14,7.4.1.1955,4,16,100", linux), "", "endpoint-os-unread"},
		{fmt.Sprintf("l3,%s,Linux,Gentoo Base System release 2.14,7.4.1.1955,4,16,100", linux), "", "endpoint-os-unread"},
		{fmt.Sprintf("w7,%s,Windows,Microsoft Windows 10 Enterprise,7.2.314.3632,4,16,100", win), "", "endpoint-client-line-mismatch"},
	}
	var b strings.Builder
	b.WriteString(head)
	for _, r := range rows {
		b.WriteString(r.csv + "\r\n")
	}
	rep, err := run(t, d, c, b.String(), Presets["tanium"])
	if err != nil {
		t.Fatal(err)
	}
	if rep.BadRows != 0 || rep.Checked != len(rows) {
		t.Fatalf("checked %d of %d rows, %d unreadable: %+v", rep.Checked, len(rows), rep.BadRows, rep.Bad)
	}
	byName := map[string]EndpointReport{}
	for _, ep := range rep.Endpoints {
		byName[ep.Name] = ep
	}
	for _, r := range rows {
		name := r.csv[:strings.IndexByte(r.csv, ',')]
		ep := byName[name]
		if got := strings.Join(ep.Errors, " "); got != r.wantErr {
			t.Errorf("%s: errors %q, want %q (%+v)", name, got, r.wantErr, ep.Findings)
		}
		if got := strings.Join(ep.Warnings, " "); got != r.wantWarn {
			t.Errorf("%s: warnings %q, want %q (%+v)", name, got, r.wantWarn, ep.Findings)
		}
	}
	if ep := byName["m1"]; ep.Address != win {
		t.Errorf("m1 matched on %q", ep.Address)
	}
	if len(rep.UnreadOS) != 1 || rep.UnreadOS[0] != (UnreadOS{OS: "linux", Text: "Gentoo Base System release 2.14", Endpoints: 2}) {
		t.Errorf("unread OS strings: %+v", rep.UnreadOS)
	}
	notChecked := map[string]int{}
	for _, n := range rep.NotChecked {
		notChecked[n.Rule] = n.Endpoints
	}
	// w3: client; w4, l2, l3: OS; w5: the three sizes.
	want := map[string]int{"client-version-too-old": 1, "os-unsupported": 3, "cpu-count": 1, "memory": 1, "disk-space": 1}
	for id, n := range want {
		if notChecked[id] != n {
			t.Errorf("not checked %s: %d endpoints, want %d (%v)", id, notChecked[id], n, rep.NotChecked)
		}
	}
}

// TestMultiLineRecords: a quoted field may span lines; one that never
// closes costs its first line only, and the lines after it are read.
func TestMultiLineRecords(t *testing.T) {
	d, c := enterprise(t)
	win := firstAddress(t, d, "fra-workstations")
	ok := fmt.Sprintf("h,%s,windows,Windows 10,7.4.1.1955,2,8,20\n", win)
	input := header + ok + fmt.Sprintf("two,\"%s\n10.0.0.1\",windows,Windows 10,7.4.1.1955,2,8,20\n", win) + "stray,\"" + ok + ok + ok
	rep, err := run(t, d, c, input, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 4 || rep.BadRows != 1 || rep.Bad[0].Line != 5 {
		t.Fatalf("checked %d, bad %d: %+v", rep.Checked, rep.BadRows, rep.Bad)
	}
}
