package toolcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPowerShellGrammarCatches: a clean script passes; each defect is
// reported — a syntax error the grammar sees, an unknown cmdlet, a
// parameter the cmdlet lacks, a value outside the accepted ones, a switch
// given a value, a missing required parameter, a string where a script
// block goes.
func TestPowerShellGrammarCatches(t *testing.T) {
	// The grammar is this test's subject: without it the test skips.
	Need(t, "node")
	if _, ok := nodeModules(t); !ok {
		t.Skip("tree-sitter-powershell is not installed (make node-tools)")
	}
	dir := t.TempDir()
	good := "$group = 'Tanium Threat Response'\n" +
		"Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue | Where-Object { $_.Name.StartsWith('x') } | Remove-NetFirewallRule\n" +
		"New-NetFirewallRule -Name 'n' -DisplayName 'd' -Group $group -Direction Outbound -Protocol TCP -RemotePort 17444 -RemoteAddress '10.0.0.1' -Action Allow -Profile Any | Out-Null\n" +
		"Add-MpPreference -ExclusionPath @('C:\\x') -Force\n"
	cases := map[string]string{
		"good":          good,
		"unterminated":  "Add-MpPreference -ExclusionPath 'C:\\x\n",
		"unclosed":      "Get-NetFirewallRule | Where-Object { $_.Name\n",
		"cmdlet":        "Add-MpExclusion -ExclusionPath 'C:\\x'\n",
		"parameter":     "New-NetFirewallRule -DisplayName 'd' -Port 17444\n",
		"enum":          "New-NetFirewallRule -DisplayName 'd' -Direction Both\n",
		"switch":        "Add-MpPreference -Force 1 -ExclusionPath 'C:\\x'\n",
		"required":      "New-NetFirewallRule -Name 'n' -Action Allow\n",
		"scriptblock":   "Get-MpPreference | Where-Object 'x'\n",
		"profile-list":  "New-NetFirewallRule -DisplayName 'd' -Profile 'Domain','Private'\n",
		"protocol-num":  "New-NetFirewallRule -DisplayName 'd' -Protocol 6\n",
		"protocol-name": "New-NetFirewallRule -DisplayName 'd' -Protocol SCTPX\n",
		// Windows 7: netsh advfirewall, checked against its reference, and
		// no cmdlet of a module that release lacks.
		"netsh":          "#Requires -Version 2.0\n$fw = New-Object -ComObject HNetCfg.FwPolicy2\nnetsh advfirewall firewall add rule 'name=trgen-x-f1' dir=out action=allow protocol=TCP remoteport=17444 'remoteip=10.0.0.1,10.1.0.0/16' profile=any\n",
		"netsh-key":      "netsh advfirewall firewall add rule name=x dir=out action=allow remoteaddress=10.0.0.1\n",
		"netsh-value":    "netsh advfirewall firewall add rule name=x dir=both action=allow\n",
		"netsh-port":     "netsh advfirewall firewall add rule name=x dir=out action=allow remoteport=17444x\n",
		"netsh-required": "netsh advfirewall firewall add rule name=x action=allow\n",
		"netsh-verb":     "netsh advfirewall firewall new rule name=x\n",
		"netsh-expand":   "netsh advfirewall firewall add rule \"name=$x\" dir=out action=allow\n",
		"ps2-module":     "#Requires -Version 2.0\nAdd-MpPreference -ExclusionPath @('C:\\x')\n",
		// The script's own functions: called with their parameters only.
		"function":       "function Row([string] $kind, [string] $value) { Write-Output $kind }\nRow 'a' 'b'\nRow -kind 'a' -value 'b'\n",
		"function-param": "function Row([string] $kind) { Write-Output $kind }\nRow -kind 'a' -other 'b'\n",
		"function-args":  "function Row([string] $kind) { Write-Output $kind }\nRow 'a' 'b'\n",
		"function-none":  "function Row([string] $kind) { Write-Output $kind }\nRaw 'a'\n",
	}
	wantOK := map[string]bool{"good": true, "profile-list": true, "protocol-num": true, "netsh": true, "function": true}
	for name, src := range cases {
		file := filepath.Join(dir, name+".ps1")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		err := PowerShellGrammar(t, file)
		if wantOK[name] && err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !wantOK[name] && (err == nil || !strings.Contains(err.Error(), name+".ps1")) {
			t.Errorf("%s: not reported (%v)", name, err)
		}
	}
}
