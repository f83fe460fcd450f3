package generate_test

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestLegacyWindowsScripts: a Windows 7 or Windows Server 2008 R2 group
// gets scripts that run there (issue 27): its host firewall rules are netsh
// advfirewall commands in a Windows PowerShell 2.0 script, which calls no
// cmdlet of the NetSecurity or Defender modules (PowerShellGrammar holds
// every "#Requires -Version 2.0" script to that, and netsh's arguments to
// its reference), and it gets no Add-MpPreference script; the runbook sends
// its exclusions to the antivirus console. Windows Server 2012 R2 keeps
// New-NetFirewallRule, and its Defender script says it needs the unified
// agent.
func TestLegacyWindowsScripts(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/legacy-windows.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := renderCase(t, ar)
	for _, g := range []string{"legacy", "srv2008"} {
		fw := string(files["firewall/endpoints-"+g+".ps1"])
		if !strings.Contains(fw, "\n#Requires -Version 2.0\n") || strings.Contains(fw, "\nNew-NetFirewallRule") || strings.Contains(fw, "\nGet-NetFirewallRule") || !strings.Contains(fw, "netsh advfirewall firewall add rule ") {
			t.Errorf("%s: the firewall script is not netsh in Windows PowerShell 2.0:\n%s", g, fw)
		}
		if _, ok := files["exclusions/defender-endpoints-"+g+".ps1"]; ok {
			t.Errorf("%s: an Add-MpPreference script for a release without the Defender module", g)
		}
		if !strings.Contains(string(files["runbook/runbook.md"]), "On endpoint_group."+g+" (") {
			t.Errorf("%s: the runbook has no console step for its exclusions", g)
		}
	}
	if fw := string(files["firewall/endpoints-srv2012.ps1"]); !strings.Contains(fw, "\nNew-NetFirewallRule ") {
		t.Errorf("Windows Server 2012 R2 lost New-NetFirewallRule:\n%s", fw)
	}
	if !strings.Contains(string(files["exclusions/defender-endpoints-srv2012.ps1"]), "only\n# where Defender for Endpoint's unified agent is installed") {
		t.Error("the Windows Server 2012 R2 Defender script does not say it needs the unified agent")
	}
}
