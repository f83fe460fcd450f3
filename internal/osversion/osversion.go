// Package osversion parses the free-text os_version of an endpoint group into
// a canonical form: a Windows release name, a macOS version number, or a
// Linux distribution and version. Parsing is lenient about case, spacing and
// common short forms; an unrecognised value yields an error that lists the
// accepted forms. Whether a version is supported is the catalog's business.
package osversion

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trgen/trgen/internal/version"
)

// Parsed is a recognised OS version.
type Parsed struct {
	// Canonical is the normalised name: "Windows Server 2012 R2", "macOS 10.15", "RHEL 8".
	Canonical string
	// Version is the macOS version or the Linux distribution version.
	Version version.Version
	// Distro is the Linux distribution id (rhel, ubuntu, ...).
	Distro string
}

// WindowsNames are the canonical Windows release names Parse can return.
var WindowsNames = []string{
	"Windows 2000", "Windows XP", "Windows Vista", "Windows 7", "Windows 8", "Windows 8.1", "Windows 10", "Windows 11",
	"Windows Server 2000", "Windows Server 2003", "Windows Server 2003 R2", "Windows Server 2008", "Windows Server 2008 R2",
	"Windows Server 2012", "Windows Server 2012 R2", "Windows Server 2016", "Windows Server 2019", "Windows Server 2022",
}

// Distro is a Linux distribution Parse recognises.
type Distro struct {
	ID      string
	Name    string
	Aliases []string
}

// Distros are the Linux distributions Parse recognises, longest alias first
// within each, so "red hat enterprise linux" wins over "red hat".
var Distros = []Distro{
	{"rhel", "RHEL", []string{"red hat enterprise linux server", "red hat enterprise linux", "redhat enterprise linux", "red hat", "redhat", "rhel"}},
	{"centos", "CentOS", []string{"centos linux", "centos stream", "centos"}},
	{"oracle", "Oracle Linux", []string{"oracle linux server", "oracle linux", "oel", "ol"}},
	{"amazon", "Amazon Linux", []string{"amazon linux", "amzn", "al"}},
	{"ubuntu", "Ubuntu", []string{"ubuntu server", "ubuntu"}},
	{"debian", "Debian", []string{"debian gnu/linux", "debian"}},
	{"sles", "SLES", []string{"suse linux enterprise server", "suse linux enterprise", "sles", "sled", "suse"}},
	{"opensuse", "openSUSE", []string{"opensuse leap", "opensuse"}},
	{"fedora", "Fedora", []string{"fedora"}},
	{"rocky", "Rocky Linux", []string{"rocky linux", "rocky"}},
	{"alma", "AlmaLinux", []string{"almalinux", "alma linux", "alma"}},
}

// Parse reads text as a version of os ("windows", "linux" or "macos").
func Parse(os, text string) (Parsed, error) {
	norm := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	switch os {
	case "windows":
		if name, ok := parseWindows(norm); ok {
			return Parsed{Canonical: name}, nil
		}
	case "macos":
		if v, ok := parseMacOS(norm); ok {
			return Parsed{Canonical: "macOS " + v.String(), Version: v}, nil
		}
	case "linux":
		if p, ok := parseLinux(norm); ok {
			return p, nil
		}
	default:
		return Parsed{}, fmt.Errorf("unknown os %q", os)
	}
	return Parsed{}, fmt.Errorf("%q is not a recognised %s version. %s", text, os, Accepted(os))
}

// Accepted describes the accepted forms for os, for error messages.
func Accepted(os string) string {
	switch os {
	case "windows":
		return "Accepted: " + strings.Join(WindowsNames, ", ") + " (short forms such as \"2012 R2\", \"Server 2016\", \"Win10\" work too)."
	case "macos":
		return "Accepted: 10.11 to 10.15, 11, 12, 13 and later, with or without a \"macOS \" prefix (for example \"macOS 12.6\")."
	case "linux":
		names := make([]string, len(Distros))
		for i, d := range Distros {
			names[i] = d.Name
		}
		return "Accepted: a distribution and a version, such as \"RHEL 8\", \"Ubuntu 20.04\" or \"Amazon Linux 2\"; distributions: " + strings.Join(names, ", ") + "."
	}
	return ""
}

var (
	winClient = regexp.MustCompile(`^(?:microsoft )?(?:windows|win)? ?(xp|vista|7|8\.1|8|10|11|2000)(?: (?:pro|professional|enterprise|home|ultimate|education|ltsc|ltsb|sp\d))*$`)
	winServer = regexp.MustCompile(`^(?:microsoft )?(?:windows|win)? ?(?:server )?(2000|2003|2008|2012|2016|2019|2022)( ?r2)?(?: (?:standard|datacenter|enterprise|sp\d))*$`)
)

func parseWindows(s string) (string, bool) {
	// "win 2012 r2" and "windows server 2012r2" both normalise here.
	if m := winServer.FindStringSubmatch(s); m != nil {
		isServerWord := strings.Contains(s, "server")
		year := m[1]
		if year == "2000" && !isServerWord {
			return "Windows 2000", true
		}
		name := "Windows Server " + year
		if m[2] != "" {
			if year != "2003" && year != "2008" && year != "2012" {
				return "", false
			}
			name += " R2"
		}
		return name, true
	}
	if m := winClient.FindStringSubmatch(s); m != nil {
		switch m[1] {
		case "xp":
			return "Windows XP", true
		case "vista":
			return "Windows Vista", true
		}
		return "Windows " + m[1], true
	}
	return "", false
}

var macVersion = regexp.MustCompile(`^(?:macos|mac os x|mac os|osx|os x)? ?(\d+(?:\.\d+){0,2})(?: [a-z ]+)?$`)

func parseMacOS(s string) (version.Version, bool) {
	m := macVersion.FindStringSubmatch(s)
	if m == nil {
		return version.Version{}, false
	}
	v, err := version.Parse(m[1])
	if err != nil {
		return version.Version{}, false
	}
	major := v.Part(0)
	if major < 10 || major > 99 || (major == 10 && !strings.Contains(m[1], ".")) {
		return version.Version{}, false
	}
	// Keep major.minor: "10.15.7" is macOS 10.15 for every requirement.
	if major == 10 {
		v = version.MustParse(fmt.Sprintf("10.%d", v.Part(1)))
	} else {
		v = version.MustParse(fmt.Sprint(major))
	}
	return v, true
}

var linuxVersion = regexp.MustCompile(`^ ?v?(\d+(?:\.\d+){0,2})(?: [a-z0-9 ()./-]*)?$`)

func parseLinux(s string) (Parsed, bool) {
	for _, d := range Distros {
		for _, a := range d.Aliases {
			if !strings.HasPrefix(s, a) {
				continue
			}
			rest := s[len(a):]
			if rest != "" && rest[0] != ' ' && (rest[0] < '0' || rest[0] > '9') {
				continue
			}
			// /etc/redhat-release's form: "CentOS Linux release 7.9.2009 (Core)".
			rest = strings.Replace(rest, " release ", " ", 1)
			m := linuxVersion.FindStringSubmatch(rest)
			if m == nil {
				continue
			}
			v, err := version.Parse(m[1])
			if err != nil {
				continue
			}
			return Parsed{Canonical: d.Name + " " + m[1], Version: v, Distro: d.ID}, true
		}
	}
	return Parsed{}, false
}
