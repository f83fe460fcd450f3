package fleet

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

func enterprise(t testing.TB) (*model.Deployment, *catalog.Catalog) {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags, err := load.New().LoadPath("../../examples/enterprise", load.Options{})
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	return cfg.Deployment, set.Latest()
}

func run(t *testing.T, d *model.Deployment, c *catalog.Catalog, input string, cols map[string]string) (*Report, error) {
	t.Helper()
	k, err := NewChecker(d, c)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := NewReader(strings.NewReader(input), cols)
	if err != nil {
		return nil, err
	}
	return k.Run(rd, Options{})
}

const header = "name,ip,os,os_version,client_version,cpus,memory_gb,free_disk_gb\n"

// TestAgreesWithValidate: for every group, and for variants that break
// each endpoint rule, a one-row inventory with the group's smallest
// machine and versions gets exactly the verdicts validate gives the group.
func TestAgreesWithValidate(t *testing.T) {
	d, c := enterprise(t)
	set, _ := catalog.Load()
	variants := []func(g *model.EndpointGroup){
		func(g *model.EndpointGroup) {},
		func(g *model.EndpointGroup) { g.ClientVersion = "7.2.314.3518" },
		func(g *model.EndpointGroup) { g.ClientVersion = "7.3.0.1" },
		func(g *model.EndpointGroup) { g.Hardware.CPUs, g.Hardware.MemoryGB, g.Hardware.FreeDiskGB = 1, 2, 1.5 },
		func(g *model.EndpointGroup) {
			g.OSVersion = map[string]string{"windows": "Windows Server 2008", "linux": "RHEL 6", "macos": "macOS 10.10"}[g.OS]
		},
	}
	compared := 0
	for i := range d.EndpointGroups {
		for vi, mutate := range variants {
			dep := *d
			dep.EndpointGroups = append([]model.EndpointGroup(nil), d.EndpointGroups...)
			g := &dep.EndpointGroups[i]
			mutate(g)
			// validate's endpoint verdicts for the group (the endpoint rules only).
			want := map[string]bool{}
			for _, diag := range check.Deployment(&dep, set).Diagnostics {
				switch rule.Of(diag) {
				// exclusion-client-line is about the group's files: an
				// endpoint gets its group's exclusions, and fleet says when
				// its client line differs instead (endpoint-client-line-mismatch).
				case rule.OSUnsupported, rule.OSVersionInvalid, rule.ClientTooOld, rule.ClientExcluded, rule.ClientMacOS, rule.Client74,
					rule.ClientUnlisted, rule.DNSEvents, rule.Sysmon, rule.DiskSpace, rule.CPUs, rule.Memory, rule.MacOSKnownIssue:
					// The example is clean, so every endpoint finding is the mutated group's.
					want[string(rule.Of(diag))] = true
				}
			}
			ip := netip.MustParsePrefix(g.Networks[0]).Addr().Next().String()
			row := fmt.Sprintf("h,%s,%s,%s,%s,%d,%g,%g\n", ip, g.OS, g.OSVersion, g.ClientVersion, g.Hardware.CPUs, g.Hardware.MemoryGB, g.Hardware.FreeDiskGB)
			rep, err := run(t, &dep, c, header+row, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, ep := range rep.Endpoints {
				if ep.Group != g.Name {
					t.Fatalf("group %s variant %d: assigned to %q", g.Name, vi, ep.Group)
				}
				for _, id := range append(ep.Errors, ep.Warnings...) {
					got[id] = true
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("group %s variant %d: fleet and validate disagree (-validate +fleet):\n%s", g.Name, vi, diff)
			}
			compared++
		}
	}
	if compared < 50 {
		t.Fatalf("only %d comparisons", compared)
	}
}

func TestAssignment(t *testing.T) {
	d, c := enterprise(t)
	// fra site is 10.65.0.0/16; fra-workstations holds 10.65.0.0/20 and
	// 10.65.16.0/20, legacy-servers 10.65.210.0/24, and amazon-cloud has IPv6.
	input := header +
		"a,10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n" +
		"b,10.65.210.9,windows,Windows Server 2008 R2,7.2.314.3632,4,16,60\n" +
		"c,2001:db8:20::5,linux,Amazon Linux 2,7.4.1.1955,4,16,60\n" +
		"d,192.168.77.1,windows,Windows 10,7.4.1.1955,2,8,20\n" +
		"e,::ffff:10.65.3.5,windows,Windows 10,7.4.1.1955,2,8,20\n"
	rep, err := run(t, d, c, input, nil)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]int{}
	for _, g := range rep.Groups {
		groups[g.Name] = g.Checked
	}
	want := map[string]int{"fra-workstations": 2, "legacy-servers": 1, "amazon-cloud": 1, "": 1}
	for name, n := range want {
		if groups[name] != n {
			t.Errorf("group %q checked %d, want %d (all: %v)", name, groups[name], n, groups)
		}
	}
	if rep.Unmatched != 1 || len(rep.Endpoints) != 1 || rep.Endpoints[0].Name != "d" || rep.Endpoints[0].Warnings[0] != string(rule.FleetUnmatched) {
		t.Errorf("unmatched: %+v", rep.Endpoints)
	}
}

func TestInputForms(t *testing.T) {
	d, c := enterprise(t)
	row := "a,10.65.3.4,windows,Windows 10,7.2.314.3518,2,8,20"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(header + row + "\n"))
	zw.Close()
	jsonl := `{"name":"a","ip":"10.65.3.4","os":"windows","os_version":"Windows 10","client_version":"7.2.314.3518","cpus":2,"memory_gb":8,"free_disk_gb":20}` + "\n"
	for name, input := range map[string]string{
		"crlf":  strings.ReplaceAll(header+row+"\n", "\n", "\r\n"),
		"bom":   "\ufeff" + header + row + "\n",
		"gzip":  gz.String(),
		"jsonl": jsonl,
		"quoted": `"name","ip","os","os_version","client_version","cpus","memory_gb","free_disk_gb"` + "\n" +
			`"a","10.65.3.4","windows","Windows 10","7.2.314.3518","2","8","20"` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := run(t, d, c, input, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Checked != 1 || rep.Failing != 1 || rep.Endpoints[0].Errors[0] != string(rule.ClientExcluded) || rep.Endpoints[0].Line < 1 {
				t.Errorf("%+v", rep)
			}
		})
	}
}

func TestBadRows(t *testing.T) {
	d, c := enterprise(t)
	input := header +
		"ok,10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n" +
		"short,10.65.3.4,windows\n" +
		"badip,10.65.3.400,windows,Windows 10,7.4.1.1955,2,8,20\n" +
		"badnum,10.65.3.4,windows,Windows 10,7.4.1.1955,two,8,20\n" +
		"quote,\"10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n"
	rep, err := run(t, d, c, input, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, b := range rep.Bad {
		lines = append(lines, b.Line)
	}
	sort.Ints(lines)
	if rep.Checked != 1 || rep.BadRows != 4 || fmt.Sprint(lines) != "[3 4 5 6]" {
		t.Errorf("checked %d, bad %d at %v: %+v", rep.Checked, rep.BadRows, lines, rep.Bad)
	}
	// A field or line over the limits is an unreadable row; reading goes on.
	huge := header + strings.Repeat("x", MaxFieldBytes+1) + ",10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n" +
		strings.Repeat("y", MaxRecordBytes+10) + "\n" +
		"ok,10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n"
	if rep, err := run(t, d, c, huge, nil); err != nil || rep.Checked != 1 || rep.BadRows != 2 ||
		!strings.Contains(rep.Bad[0].Err, "field name is longer than 65536 bytes") || rep.Bad[1].Line != 3 || !strings.Contains(rep.Bad[1].Err, "longer than 1048576 bytes") {
		t.Errorf("huge field and line: %v %+v", err, rep)
	}
	// Negative sizes are unreadable, not a pass.
	if rep, _ := run(t, d, c, header+"neg,10.65.3.4,windows,Windows 10,7.4.1.1955,-1,8,20\n", nil); rep.BadRows != 1 || rep.Checked != 0 {
		t.Errorf("cpus -1: %+v", rep)
	}
}

// TestStrayQuote: a quote that opens a field and never closes makes its
// own line unreadable, not the rest of the file (encoding/csv alone would
// read every later line into that field).
func TestStrayQuote(t *testing.T) {
	d, c := enterprise(t)
	var b strings.Builder
	b.WriteString(header)
	for i := range 2000 {
		if i == 4 {
			b.WriteString("stray,\"10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n")
			continue
		}
		fmt.Fprintf(&b, "h%d,10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n", i)
	}
	rep, err := run(t, d, c, b.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 1999 || rep.BadRows != 1 || rep.Bad[0].Line != 6 || !strings.Contains(rep.Bad[0].Err, "does not end") {
		t.Errorf("checked %d, bad %d: %+v", rep.Checked, rep.BadRows, rep.Bad)
	}
}

// TestEncodings: UTF-16 is named; truncated gzip and trailing garbage say so.
func TestEncodings(t *testing.T) {
	d, c := enterprise(t)
	k, _ := NewChecker(d, c)
	utf16le := []byte{0xff, 0xfe}
	for _, r := range header {
		utf16le = append(utf16le, byte(r), 0)
	}
	for name, input := range map[string][]byte{"bom": utf16le, "no bom": utf16le[2:]} {
		if _, err := NewReader(bytes.NewReader(input), nil); err == nil || !strings.Contains(err.Error(), "UTF-16") {
			t.Errorf("UTF-16 (%s): %v", name, err)
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(header + strings.Repeat("a,10.65.3.4,windows,Windows 10,7.4.1.1955,2,8,20\n", 5000)))
	zw.Close()
	for name, tc := range map[string]struct {
		input []byte
		want  string
	}{
		"truncated": {gz.Bytes()[:gz.Len()/2], "the gzip stream is truncated"},
		"garbage":   {append(slices.Clone(gz.Bytes()), "trailing junk"...), "data after the end of the gzip stream"},
	} {
		rd, err := NewReader(bytes.NewReader(tc.input), nil)
		if err == nil {
			_, err = k.Run(rd, Options{})
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestHeader(t *testing.T) {
	d, c := enterprise(t)
	_, err := run(t, d, c, "name,ip,os\n", nil)
	if err == nil || !strings.Contains(err.Error(), `lacks 5 required columns: "os_version" for the field os_version; "client_version" for the field client_version; "cpus" for the field cpus;`) {
		t.Errorf("err = %v", err)
	}
	rep, err := run(t, d, c, "Computer Name,ip,os,os_version,client_version,cpus,memory_gb,free_disk_gb\nh,10.65.3.4,Windows,Win10,7.4.1.1955,2,8,20\n",
		map[string]string{FName: "Computer Name"})
	if err != nil || rep.Checked != 1 || rep.Failing+rep.Warning != 0 {
		t.Errorf("--column: %v %+v", err, rep)
	}
}

func TestExceeds(t *testing.T) {
	r := &Report{Checked: 1000, Failing: 6}
	for limit, want := range map[string]bool{"0": true, "5": true, "6": false, "0.5%": true, "0.6%": false, "1%": false} {
		if got, err := r.Exceeds(limit); err != nil || got != want {
			t.Errorf("Exceeds(%s) = %v, %v", limit, got, err)
		}
	}
	for _, bad := range []string{"-1", "x", "101%", "%"} {
		if _, err := r.Exceeds(bad); err == nil {
			t.Errorf("Exceeds(%q) accepted", bad)
		}
	}
}

// TestRecordMatchesCSV: the quote-free fast path splits a line exactly as
// encoding/csv does.
func TestRecordMatchesCSV(t *testing.T) {
	for _, line := range []string{"a,b,c\n", "a,b,c\r\n", "a,b,c", " a , b ,c \n", ",,\n", "a,\n", "a\rb,c\n", "é,ü,\t\n", "single\n", "a,b\r\r\n"} {
		rd := &Reader{feed: &lineFeed{}}
		rd.csv = csv.NewReader(rd.feed)
		rd.csv.FieldsPerRecord = -1
		got, gerr := rd.record([]byte(line))
		got = slices.Clone(got)
		rd.feed.b = []byte(line)
		want, werr := rd.csv.Read()
		if fmt.Sprintf("%q %v", got, gerr) != fmt.Sprintf("%q %v", want, werr) {
			t.Errorf("%q: fast path %q %v, encoding/csv %q %v", line, got, gerr, want, werr)
		}
	}
}

// TestLongJSONRecord: a JSON Lines record over MaxRecordBytes is one
// unreadable row; the records after it are read.
func TestLongJSONRecord(t *testing.T) {
	d, c := enterprise(t)
	rec := `{"name":"a","ip":"10.65.3.4","os":"windows","os_version":"Windows 10","client_version":"7.4.1.1955","cpus":2,"memory_gb":8,"free_disk_gb":20}` + "\n"
	long := `{"name":"` + strings.Repeat("x", 5<<20) + `"}` + "\n"
	rep, err := run(t, d, c, rec+long+rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Checked != 2 || rep.BadRows != 1 || rep.Bad[0].Line != 2 {
		t.Errorf("checked %d, bad %+v", rep.Checked, rep.Bad)
	}
}
