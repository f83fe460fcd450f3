package generate_test

import (
	"encoding/csv"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/toolcheck"
)

// TestCapircaCoversFlows: for every example, the Capirca policies permit
// exactly the flows of flows.csv whose two ends have addresses — every
// source, destination and port, nothing more — and the flows they leave
// out are listed in NETWORK.net and the README.
func TestCapircaCoversFlows(t *testing.T) {
	dirs, _ := filepath.Glob("../../examples/*")
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() || filepath.Base(d) == "invalid" {
			continue
		}
		files := renderDir(t, d)
		tmp := t.TempDir()
		for p, data := range files {
			if !strings.HasPrefix(p, "firewall/capirca/") {
				continue
			}
			full := filepath.Join(tmp, filepath.FromSlash(strings.TrimPrefix(p, "firewall/capirca/")))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pols, err := toolcheck.PolicyPermits(tmp)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		var got []toolcheck.Permit
		for _, p := range pols {
			got = append(got, p.Permits...)
		}
		rows, err := csv.NewReader(strings.NewReader(string(files["firewall/flows.csv"]))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var want []toolcheck.Permit
		change := slices.Index(rows[0], "change")
		for _, r := range rows[1:] {
			if strings.HasPrefix(r[change], "none: ") {
				continue // no firewall of the organisation is on its path
			}
			srcs, ok1 := prefixes(r[2])
			dsts, ok2 := prefixes(r[4])
			port, _ := strconv.Atoi(r[6])
			if !ok1 || !ok2 {
				if !strings.Contains(string(files["firewall/capirca/README.md"]), r[0]) {
					t.Errorf("%s: flow %s has a DNS-only end and the Capirca README does not list it as left out", d, r[0])
				}
				continue
			}
			n := 0
			for _, s := range srcs {
				for _, dst := range dsts {
					if s.Addr().Is4() == dst.Addr().Is4() {
						want = append(want, toolcheck.Permit{Src: s, Dst: dst, Port: port})
						n++
					}
				}
			}
			if n == 0 && !strings.Contains(string(files["firewall/capirca/def/NETWORK.net"]), "# Left out "+r[0]) {
				t.Errorf("%s: flow %s has no address family in common and NETWORK.net does not say it is left out", d, r[0])
			}
		}
		if len(want) == 0 {
			t.Fatalf("%s: no flow to compare", d)
		}
		if diff := toolcheck.PermitDiff(want, got); diff != "" {
			t.Errorf("%s: the Capirca policies do not permit what flows.csv lists:\n%s", d, diff)
		}
	}
}

func prefixes(list string) ([]netip.Prefix, bool) {
	var out []netip.Prefix
	for _, a := range strings.Split(list, ";") {
		p, err := toolcheck.ParsePrefix(a)
		if err != nil {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}
