package verify_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/verify"
)

// FuzzRow: a value the sensor encodes reads back as itself; a line that
// is not three cells, or holds an escape the sensor never writes, is an
// error, never a row of other cells.
func FuzzRow(f *testing.F) {
	for _, s := range []string{"", "a|b", "100%", "%7C", "x\ry", "{\"nftables\": []}", "-w /x -p wa -k k", "%%25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "\n") {
			return // the sensor prints one row per line
		}
		r, err := verify.ParseLine("fact|x|" + encode(v))
		if err != nil || r.Value != v || r.Kind != "fact" || r.Item != "x" {
			t.Fatalf("%q: %+v, %v", v, r, err)
		}
		if r, err := verify.ParseLine("fact|x|" + v); err == nil && r.Value != v && !strings.Contains(v, "%") && !strings.HasSuffix(v, "\r") {
			// A line's CR is its CRLF ending; anything else reads as itself.
			t.Fatalf("%q read as %q", v, r.Value)
		}
	})
}

// FuzzResults: any results file gets an answer, and the report's counts
// add up: every endpoint in exactly one state.
func FuzzResults(f *testing.F) {
	fx := enterprise(f)
	f.Add([]byte("Computer Name,IP Address,Kind,Item,Value\nh,10.1.100.5,fact,sensor,trgen-verify-linux/1\n"))
	f.Add([]byte(`{"data":{"result_sets":[{"columns":[{"name":"Computer Name"},{"name":"Kind"},{"name":"Item"},{"name":"Value"}],"rows":[{"data":[[{"text":"h"}],[{"text":"fact"}],[{"text":"sensor"}],[{"text":"x"}]]}]}]}}`))
	f.Add([]byte("Computer Name,Kind,Item,Value\nh,nftables,t,{\"nftables\":[{\"rule\":{\"comment\":\"trgen f1 x\",\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},\"right\":{\"set\":[{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":8}}]}}}]}}]}\n"))
	f.Add([]byte("Computer Name,Kind,Item,Value\nh,iptables,1,-A TRGEN-TR-OUT -d 10.0.0.1/32 -p tcp --dport 1 -m comment --comment \"trgen f1 x\" -j ACCEPT\nh,firewalld,1,rule family=\"ipv4\" destination address=\"10.0.0.1\" port port=\"1\" protocol=\"tcp\" accept\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		v := fx.verifier(t)
		if err := verify.ReadResults(bytes.NewReader(in), verify.DefaultResultColumns, v); err != nil {
			return
		}
		s := v.Report().Summary
		if s.Match+s.Drift+s.NotReady+s.Unknown != s.Endpoints {
			t.Fatalf("states do not add up: %+v", s)
		}
	})
}
