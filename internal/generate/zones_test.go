package generate_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
)

// TestNoInboundIntoTheNetwork: no bundled example's change request asks
// for a connection from outside the organisation into its internal
// network (issue 27): the groups behind a Zone Server reach the DMZ's
// zone proxy and internet destinations only, and what needs no firewall
// change is marked so in flows.csv.
func TestNoInboundIntoTheNetwork(t *testing.T) {
	for name, files := range allOutputs(t) {
		rows, err := csv.NewReader(bytes.NewReader(files["firewall/flows.csv"])).ReadAll()
		if err != nil {
			t.Fatalf("%s: flows.csv: %v", name, err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			boundary, change := r[col["boundary"]], r[col["change"]]
			if strings.HasPrefix(boundary, "remote → internal") {
				t.Errorf("%s: flow %s asks for %s", name, r[col["id"]], boundary)
			}
			if strings.HasPrefix(boundary, "remote → internet") != strings.HasPrefix(change, "none: ") {
				t.Errorf("%s: flow %s (%s) has change %q", name, r[col["id"]], boundary, change)
			}
		}
		if strings.Contains(string(files["firewall/change-request.md"]), "## remote → internet") {
			t.Errorf("%s: the change request has a remote → internet boundary", name)
		}
	}
}

// TestChecksConnectToHosts: every connectivity check of every runbook
// names a host (a DNS name or one address), never a CIDR, which neither
// Test-NetConnection nor nc can connect to (issue 27).
func TestChecksConnectToHosts(t *testing.T) {
	check := regexp.MustCompile(`(?:Test-NetConnection -ComputerName|nc -vz) (\S+)`)
	n := 0
	for name, files := range allOutputs(t) {
		for _, m := range check.FindAllStringSubmatch(string(files["runbook/runbook.md"]), -1) {
			n++
			if strings.Contains(m[1], "/") {
				t.Errorf("%s: a check connects to the range %s", name, m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("no connectivity check found")
	}
}
