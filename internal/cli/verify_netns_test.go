package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/toolcheck"
	"github.com/trgen/trgen/internal/verify"
)

// TestVerifyLocalInPrivateNamespaces loads the enterprise example's
// nftables, iptables and firewalld files with the real tools into a
// private network namespace (and, for firewalld, a private mount
// namespace over a scratch copy of /etc/firewalld), runs trgen verify
// --local there, which runs the generated Linux sensor, and holds its
// report to what was loaded: every rule present; one rule deleted, that
// rule and only it missing; one port changed, that rule and only it
// different. The namespaces disappear with the process: the machine's own
// netfilter and firewalld are never touched.
func TestVerifyLocalInPrivateNamespaces(t *testing.T) {
	for _, tool := range []string{"unshare", "nft", "iptables-restore", "iptables", "firewall-offline-cmd"} {
		toolcheck.Need(t, tool)
	}
	bin := filepath.Join(buildTrgen(t), "trgen")
	out := t.TempDir()
	if code, _, stderr := runMain(t, "generate", "../../examples/enterprise", "-o", out); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	fw := filepath.Join(out, "acme-prod", "firewall")
	// Each script prints three reports, each after a line "=== NAME":
	// as loaded, one rule deleted, one port changed (17444 → 17555).
	cases := []struct {
		group, file, ns, script string
		// firstFlow finds the flow of the rule the script deletes.
		firstFlow *regexp.Regexp
	}{
		{"rhel-app", "endpoints-rhel-app.nft", "-n", `
nft -f "$FILE"
report base
h=$(nft -a list chain inet trgen_threat_response output | awk '/comment "trgen / { print $NF; exit }')
nft delete rule inet trgen_threat_response output handle "$h"
report deleted
sed 's/dport 17444 /dport 17555 /' "$FILE" > "$T/changed.nft"
nft -f "$T/changed.nft"
report changed`, regexp.MustCompile(`comment "trgen (f[0-9a-f]+) `)},
		{"rhel-legacy", "endpoints-rhel-legacy.iptables", "-n", `
iptables-restore --noflush "$FILE"
iptables -A OUTPUT -j TRGEN-TR-OUT
report base
iptables -D TRGEN-TR-OUT 1
report deleted
sed 's/--dport 17444 /--dport 17555 /' "$FILE" > "$T/changed.iptables"
iptables-restore --noflush "$T/changed.iptables"
report changed`, regexp.MustCompile(`--comment "trgen (f[0-9a-f]+) `)},
		{"ubuntu-web", "endpoints-ubuntu-web.firewalld.xml", "-m", `
mkdir -p "$T/etc"
cp -a /etc/firewalld/. "$T/etc/" 2>/dev/null || true
mount --bind "$T/etc" /etc/firewalld
cp "$FILE" "$T/trgen-tr.xml"
firewall-offline-cmd --new-policy-from-file="$T/trgen-tr.xml" --name=trgen-tr >/dev/null
report base
firewall-offline-cmd --policy=trgen-tr --remove-rich-rule="$(firewall-offline-cmd --policy=trgen-tr --list-rich-rules | sed -n 1p)" >/dev/null
report deleted
firewall-offline-cmd --delete-policy=trgen-tr >/dev/null
sed 's/port="17444"/port="17555"/' "$FILE" > "$T/trgen-tr.xml"
firewall-offline-cmd --new-policy-from-file="$T/trgen-tr.xml" --name=trgen-tr >/dev/null
report changed`, nil},
	}
	for _, c := range cases {
		t.Run(c.group, func(t *testing.T) {
			file := filepath.Join(fw, c.file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			script := `set -e
report() {
	echo "=== $1"
	"$TRGEN" verify ../../examples/enterprise --from "$OUT" --local --group "$GROUP" --format json
}
` + c.script
			ns := []string{"-n"}
			if c.ns == "-m" {
				ns = []string{"-n", "-m"}
			}
			cmd := exec.Command("unshare", append(toolcheck.Unshare(ns...), "sh", "-c", script)...)
			cmd.Env = append(os.Environ(), "TRGEN="+bin, "OUT="+out, "GROUP="+c.group, "FILE="+file, "T="+t.TempDir())
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v\n%s\n%s", err, stdout, stderr.String())
			}
			reports := map[string]verify.Endpoint{}
			for _, part := range strings.Split(string(stdout), "=== ")[1:] {
				name, js, _ := strings.Cut(part, "\n")
				var rep verify.Report
				if err := json.Unmarshal([]byte(js), &rep); err != nil || len(rep.Endpoints) != 1 {
					t.Fatalf("%s: %v\n%s", name, err, js)
				}
				reports[name] = rep.Endpoints[0]
			}
			firewall := func(ep verify.Endpoint) []verify.Item {
				var out []verify.Item
				for _, it := range ep.Items {
					if it.Area == verify.AreaFirewall {
						out = append(out, it)
					}
				}
				return out
			}
			base := reports["base"]
			if items := firewall(base); len(items) > 0 || base.Present == 0 {
				t.Errorf("as loaded: %d present, want every rule present; got %+v", base.Present, items)
			}
			deleted := firewall(reports["deleted"])
			if len(deleted) != 1 || deleted[0].Status != verify.Missing {
				t.Fatalf("one rule deleted: want exactly one missing rule, got %+v", deleted)
			}
			if c.firstFlow != nil {
				flow := c.firstFlow.FindSubmatch(src)[1]
				if !strings.HasPrefix(deleted[0].ID, string(flow)+" ") {
					t.Errorf("deleted the rule of flow %s, reported %s missing", flow, deleted[0].ID)
				}
			}
			changed := firewall(reports["changed"])
			if len(changed) != 1 || changed[0].Status != verify.Different ||
				!strings.Contains(changed[0].Expected, "tcp/17444 ") || !strings.Contains(changed[0].Found, "17555") {
				t.Fatalf("port 17444 changed to 17555: want exactly that rule different, got %+v", changed)
			}
			if reports["changed"].State != verify.StateDrift || reports["deleted"].State != verify.StateDrift {
				t.Errorf("states %s and %s, want drift", reports["deleted"].State, reports["changed"].State)
			}
		})
	}
}
