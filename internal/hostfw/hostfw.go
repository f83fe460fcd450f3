// Package hostfw describes, once, each host firewall trgen writes rules
// for, as package capirca describes the network firewall targets: the
// host_firewall value, the operating systems it runs on, its template,
// the files it writes and the real tool its files are checked with. What
// lists host firewalls derives from Kinds: the values the model accepts,
// the check of a group's OS, generate's files, the files plan reads,
// the file modes and the tool checks; a test holds the JSON Schemas'
// enums to it. It holds data only.
package hostfw

import (
	"path"
	"strings"
)

// None is the host_firewall value that asks for no rules.
const None = "none"

// Kind is one host firewall.
type Kind struct {
	// Name is the host_firewall value.
	Name string
	// OS are the endpoint operating systems it runs on ("windows",
	// "linux", "macos"); servers run Windows.
	OS []string
	// Template renders each of its files (in templates/).
	Template string
	// Files are the files written per host, in order.
	Files []File
	// Check names the real tool its files are read back with in the
	// tests (package toolcheck has one checker per name).
	Check string
	// Object is what its files own on the host, by the name the host's
	// tool lists it under: the nftables table ("inet <name>"), the
	// iptables chain, the firewalld policy, the Windows rule group.
	// The templates write it; the verify sensors read it back.
	Object string
}

// File is one file a host firewall writes per host: DIR/firewall/<host's
// target><Suffix>.
type File struct {
	Suffix string
	// Family is "ipv4" or "ipv6" for a file of one address family, ""
	// for both; a file of Family "ipv6" is written only when a rule has
	// an IPv6 peer.
	Family string
	// What says what the file holds, with %s for the host's name.
	What string
	// Executable files are written with mode 0755.
	Executable bool
}

// Kinds are the host firewalls, in the order the docs list them.
var Kinds = []Kind{
	{Name: "windows", OS: []string{"windows"}, Template: "firewall/windows.ps1.tmpl", Check: "powershell", Object: "Tanium Threat Response",
		Files: []File{{Suffix: ".ps1", What: "Windows Defender Firewall rules for %s (PowerShell)", Executable: true}}},
	{Name: "nftables", OS: []string{"linux"}, Template: "firewall/nftables.nft.tmpl", Check: "nft", Object: "inet trgen_threat_response",
		Files: []File{{Suffix: ".nft", What: "nftables ruleset for %s", Executable: true}}},
	{Name: "iptables", OS: []string{"linux"}, Template: "firewall/iptables.tmpl", Check: "iptables-restore", Object: "TRGEN-TR-OUT",
		Files: []File{{Suffix: ".iptables", Family: "ipv4", What: "iptables-restore input (IPv4) for %s"},
			{Suffix: ".ip6tables", Family: "ipv6", What: "ip6tables-restore input (IPv6) for %s"}}},
	{Name: "firewalld", OS: []string{"linux"}, Template: "firewall/firewalld.xml.tmpl", Check: "firewalld", Object: "trgen-tr",
		Files: []File{{Suffix: ".firewalld.xml", What: "firewalld policy for %s"}}},
}

// Lookup returns the kind named name.
func Lookup(name string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Known reports whether v is a host_firewall value: a kind or None.
func Known(v string) bool {
	_, ok := Lookup(v)
	return ok || v == None
}

// Values are the host_firewall values: every kind's name, then None.
func Values() []string {
	out := make([]string, 0, len(Kinds)+1)
	for _, k := range Kinds {
		out = append(out, k.Name)
	}
	return append(out, None)
}

// ForOS are the host_firewall values an endpoint of os may name: the
// kinds that run on it, then None.
func ForOS(os string) []string {
	var out []string
	for _, k := range Kinds {
		for _, o := range k.OS {
			if o == os {
				out = append(out, k.Name)
			}
		}
	}
	return append(out, None)
}

// FileOf returns the kind and file that an output path
// ("firewall/endpoints-lab.nft") is, if it is a host firewall file.
func FileOf(p string) (Kind, File, bool) {
	if path.Dir(p) != "firewall" {
		return Kind{}, File{}, false
	}
	for _, k := range Kinds {
		for _, f := range k.Files {
			if strings.HasSuffix(p, f.Suffix) {
				return k, f, true
			}
		}
	}
	return Kind{}, File{}, false
}
