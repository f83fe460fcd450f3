package osversion

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := map[string]struct{ os, in, want string }{
		"server r2 spaced":  {"windows", "Windows Server 2012 R2", "Windows Server 2012 R2"},
		"short r2":          {"windows", "2012 R2", "Windows Server 2012 R2"},
		"r2 glued":          {"windows", "windows server 2008r2", "Windows Server 2008 R2"},
		"server short":      {"windows", "Server 2016", "Windows Server 2016"},
		"win10":             {"windows", "Win10", "Windows 10"},
		"case and spacing":  {"windows", "  windows   8.1 ", "Windows 8.1"},
		"xp":                {"windows", "Windows XP", "Windows XP"},
		"edition":           {"windows", "Windows 10 Enterprise", "Windows 10"},
		"server 2008 plain": {"windows", "Windows Server 2008", "Windows Server 2008"},
		"server datacenter": {"windows", "Windows Server 2019 Datacenter", "Windows Server 2019"},
		"mac bare":          {"macos", "10.15", "macOS 10.15"},
		"mac prefix":        {"macos", "macOS 12", "macOS 12"},
		"mac patch":         {"macos", "macOS 10.15.7", "macOS 10.15"},
		"mac codename":      {"macos", "macOS 13 Ventura", "macOS 13"},
		"mac os x":          {"macos", "Mac OS X 10.11", "macOS 10.11"},
		"rhel":              {"linux", "RHEL 8", "RHEL 8"},
		"red hat long":      {"linux", "Red Hat Enterprise Linux 7.9", "RHEL 7.9"},
		"ubuntu":            {"linux", "Ubuntu 20.04", "Ubuntu 20.04"},
		// Inventory forms: /etc/redhat-release, os-release PRETTY_NAME,
		// Windows captions, sw_vers.
		"redhat-release":     {"linux", "Red Hat Enterprise Linux Server release 7.9 (Maipo)", "RHEL 7.9"},
		"centos-release":     {"linux", "CentOS Linux release 7.9.2009 (Core)", "CentOS 7.9.2009"},
		"pretty name":        {"linux", "Ubuntu 20.04.6 LTS", "Ubuntu 20.04.6"},
		"windows caption":    {"windows", "Microsoft Windows Server 2019 Datacenter", "Windows Server 2019"},
		"windows 10 caption": {"windows", "Microsoft Windows 10 Enterprise", "Windows 10"},
		"sw_vers":            {"macos", "macOS 12.6.1", "macOS 12"},
		"sw_vers mac os x":   {"macos", "Mac OS X 10.15.7", "macOS 10.15"},
		"ubuntu lts":         {"linux", "Ubuntu 22.04 LTS", "Ubuntu 22.04"},
		"amazon":             {"linux", "Amazon Linux 2", "Amazon Linux 2"},
		"sles sp":            {"linux", "SLES 15 SP4", "SLES 15 SP4"},
		"oracle":             {"linux", "Oracle Linux 8", "Oracle Linux 8"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.os, tc.in)
			if err != nil {
				t.Fatalf("Parse(%q, %q): %v", tc.os, tc.in, err)
			}
			if got.Canonical != tc.want {
				t.Errorf("Parse(%q, %q) = %q, want %q", tc.os, tc.in, got.Canonical, tc.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct{ os, in string }{
		"windows nonsense":  {"windows", "Windows 95 Plus"},
		"windows empty":     {"windows", ""},
		"2016 r2":           {"windows", "Server 2016 R2"},
		"mac 10 no minor":   {"macos", "10"},
		"mac 9":             {"macos", "9.2"},
		"mac word":          {"macos", "Yosemite"},
		"linux no version":  {"linux", "Ubuntu"},
		"linux unknown":     {"linux", "Plan9 4"},
		"linux glued alias": {"linux", "alpha 3"},
		"wrong os":          {"linux", "Windows 10"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tc.os, tc.in)
			if err == nil {
				t.Fatalf("Parse(%q, %q) succeeded, want an error", tc.os, tc.in)
			}
			if !strings.Contains(err.Error(), "Accepted:") {
				t.Errorf("error %q does not list the accepted forms", err)
			}
		})
	}
}
