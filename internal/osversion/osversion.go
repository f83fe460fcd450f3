// Package osversion parses the free-text os_version of an endpoint group, or
// the operating system string of an inventory export, into a canonical
// form: a Windows release name, a macOS version number, or a Linux
// distribution and version. It reads the forms real exports hold (WMI/CIM
// captions with or without the version, feature-update names, NT version
// numbers, sw_vers, /etc/os-release, /etc/redhat-release: docs/fleet.md
// names the sources) and is lenient about case, spacing and short forms;
// an unrecognised value yields an error that lists the accepted forms.
// Whether a version is supported is the catalog's business.
package osversion

import (
	"fmt"
	"strconv"
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
	// Build is the Windows build number, when the text gives one.
	Build int
}

// WindowsNames are the canonical Windows release names Parse can return.
var WindowsNames = []string{
	"Windows 2000", "Windows XP", "Windows Vista", "Windows 7", "Windows 8", "Windows 8.1", "Windows 10", "Windows 11",
	"Windows Server 2000", "Windows Server 2003", "Windows Server 2003 R2", "Windows Server 2008", "Windows Server 2008 R2",
	"Windows Server 2012", "Windows Server 2012 R2", "Windows Server 2016", "Windows Server 2019", "Windows Server 2022",
	"Windows Server 2025",
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
	{"rhel", "RHEL", []string{"red hat enterprise linux server", "red hat enterprise linux workstation", "red hat enterprise linux", "redhat enterprise linux", "red hat", "redhat", "rhel"}},
	{"centos", "CentOS", []string{"centos linux", "centos stream", "centos"}},
	{"oracle", "Oracle Linux", []string{"oracle linux server", "oracle linux", "oel", "ol"}},
	{"amazon", "Amazon Linux", []string{"amazon linux ami", "amazon linux", "amzn", "al"}},
	{"ubuntu", "Ubuntu", []string{"ubuntu server", "ubuntu"}},
	{"debian", "Debian", []string{"debian gnu/linux", "debian"}},
	{"sles", "SLES", []string{"suse linux enterprise server", "suse linux enterprise desktop", "suse linux enterprise", "sles_sap", "sles", "sled", "suse"}},
	{"opensuse", "openSUSE", []string{"opensuse leap", "opensuse"}},
	{"fedora", "Fedora", []string{"fedora linux", "fedora"}},
	{"rocky", "Rocky Linux", []string{"rocky linux", "rocky"}},
	{"alma", "AlmaLinux", []string{"almalinux", "alma linux", "alma"}},
}

// Parse reads text as a version of os ("windows", "linux" or "macos").
func Parse(os, text string) (Parsed, error) {
	norm := normalise(text)
	switch os {
	case "windows":
		if p, ok := parseWindows(norm); ok {
			return p, nil
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
		return "Accepted: " + strings.Join(WindowsNames, ", ") + ", with an edition, a feature update (22H2) or the version number (10.0.19045) as WMI's Caption and Version give them (short forms such as \"2012 R2\", \"Server 2016\", \"Win10\" work too)."
	case "macos":
		return "Accepted: 10.11 to 10.15, 11, 12, 13 and later, with or without a \"macOS \" prefix, a release name or a build (for example \"macOS 12.6\", \"macOS Ventura 13.6.1\", \"14.2.1 (23C71)\")."
	case "linux":
		names := make([]string, len(Distros))
		for i, d := range Distros {
			names[i] = d.Name
		}
		return "Accepted: a distribution and a version, such as \"RHEL 8\", \"Ubuntu 20.04\" or \"Amazon Linux 2\", as /etc/os-release's PRETTY_NAME or /etc/redhat-release give them; distributions: " + strings.Join(names, ", ") + "."
	}
	return ""
}

// normalise lowercases text, drops the trademark signs WMI captions carry
// ("Microsoft® Windows Server® 2008"), turns brackets and commas into
// blanks and collapses blanks.
func normalise(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := true
	for _, r := range text {
		switch {
		case r == '®' || r == '™':
			continue
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '(' || r == ')' || r == ',' || r == '"' || r == ';' || r == ':' || r == '\u00a0':
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		b.WriteRune(r)
		space = false
	}
	s := strings.TrimSuffix(b.String(), " ")
	// "(R)" and "(TM)" are words once the brackets are blanks.
	if strings.Contains(s, " r ") || strings.Contains(s, " tm ") || strings.HasSuffix(s, " r") || strings.HasSuffix(s, " tm") {
		f := strings.Fields(s)
		out := f[:0]
		for i, w := range f {
			if (w == "r" || w == "tm") && i > 0 {
				continue
			}
			out = append(out, w)
		}
		s = strings.Join(out, " ")
	}
	return s
}

// windowsIgnored are the words of WMI captions and common inventory
// names that say nothing about the release: editions, channels, service
// packs and architectures.
var windowsIgnored = map[string]bool{
	"microsoft": true, "windows": true, "win": true, "pro": true, "professional": true, "enterprise": true, "education": true,
	"home": true, "ultimate": true, "starter": true, "business": true, "premium": true, "basic": true, "iot": true,
	"ltsc": true, "ltsb": true, "n": true, "kn": true, "datacenter": true, "standard": true, "essentials": true,
	"foundation": true, "web": true, "storage": true, "hyper-v": true, "evaluation": true, "multi-session": true,
	"for": true, "workstations": true, "single": true, "language": true, "s": true, "core": true, "azure": true,
	"edition": true, "embedded": true, "thin": true, "pc": true, "media": true, "center": true, "with": true,
	"x64": true, "x86": true, "64-bit": true, "32-bit": true, "virtual": true, "desktops": true, "version": true,
	"release": true, "insider": true, "preview": true, "cluster": true, "small": true, "server": true, "nt": true,
	"build": true, "update": true, "and": true, "sp": true, "service": true, "pack": true, "smb": true, "cloud": true,
}

// featureUpdates are the version numbers of Windows 10 and 11 feature
// updates before the YYH1/YYH2 names (Microsoft's release information).
var featureUpdates = map[string]bool{"1507": true, "1511": true, "1607": true, "1703": true, "1709": true, "1803": true, "1809": true,
	"1903": true, "1909": true, "2004": true, "2009": true}

// ntReleases maps NT version numbers before 10.0 to the client and server
// releases that share them.
var ntReleases = map[string][2]string{
	"5.0": {"2000", "2000"}, "5.1": {"xp", ""}, "5.2": {"xp", "2003"}, "6.0": {"vista", "2008"},
	"6.1": {"7", "2008r2"}, "6.2": {"8", "2012"}, "6.3": {"8.1", "2012r2"},
}

// serverBuilds are the first build of each Windows Server long-term
// release with NT 10.0; a build maps to the newest release at or before it.
var serverBuilds = []struct {
	build int
	year  string
}{{14393, "2016"}, {17763, "2019"}, {20348, "2022"}, {26100, "2025"}}

// win11Build is the first Windows 11 build: a "Windows 10" name with this
// build or later is Windows 11, as the registry's ProductName still reads
// "Windows 10" there (trgen's reading of the build number).
const win11Build = 22000

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDotted says whether s is a dotted version of 2 to 4 numbers.
func isDotted(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if !isNumber(p) {
			return false
		}
	}
	return true
}

// isHalfYear says whether s is a feature update like 22h2.
func isHalfYear(s string) bool {
	return len(s) == 4 && isNumber(s[:2]) && s[2] == 'h' && (s[3] == '1' || s[3] == '2')
}

func parseWindows(s string) (Parsed, bool) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return Parsed{}, false
	}
	release, nt := "", ""
	server, r2 := false, false
	build := 0
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "server":
			server = true
		case w == "r2":
			r2 = true
		case w == "sp" || w == "service" && i+1 < len(words) && words[i+1] == "pack":
			// "Service Pack 1", "SP 1": the number is the pack's.
			if w == "service" {
				i++
			}
			if i+1 < len(words) && isNumber(words[i+1]) {
				i++
			}
		case len(w) == 3 && strings.HasPrefix(w, "sp") && isNumber(w[2:]):
		case (w == "ltsc" || w == "ltsb") && i+1 < len(words) && isNumber(words[i+1]) && len(words[i+1]) == 4:
			i++ // the channel's year, not a server's
		case w == "build" && i+1 < len(words) && isNumber(words[i+1]):
			build, _ = strconv.Atoi(words[i+1])
			i++
		case strings.HasPrefix(w, "win") && w != "win" && w != "windows" && release == "":
			// Win10, Win7, Win2012R2, Windows10
			release = strings.TrimPrefix(strings.TrimPrefix(w, "windows"), "win")
		case len(w) == 4 && isNumber(w) && (release == "10" || release == "11"):
			// "Windows 10 Enterprise 2016 LTSB": the channel's year
		case release == "" && (w == "xp" || w == "vista" || w == "7" || w == "8" || w == "8.1" || w == "10" || w == "11" || w == "2000"):
			release = w
		case release == "" && (w == "2003" || w == "2008" || w == "2012" || w == "2016" || w == "2019" || w == "2022" || w == "2025"):
			release = w
		case release == "" && (w == "2003r2" || w == "2008r2" || w == "2012r2"):
			release, r2 = w[:4], true
		case isDotted(w) && nt == "":
			nt = w
		case isHalfYear(w) || featureUpdates[w] && release != "":
		case windowsIgnored[w]:
		default:
			return Parsed{}, false
		}
	}
	if strings.HasSuffix(release, "r2") {
		release, r2 = strings.TrimSuffix(release, "r2"), true
	}
	if nt != "" {
		parts := strings.Split(nt, ".")
		major := parts[0] + "." + parts[1]
		if len(parts) > 2 && build == 0 {
			build, _ = strconv.Atoi(parts[2])
		}
		switch {
		case release != "":
		case major == "10.0" && server:
			if build == 0 {
				return Parsed{}, false
			}
			for _, sb := range serverBuilds {
				if build >= sb.build {
					release = sb.year
				}
			}
			if release == "" {
				return Parsed{}, false
			}
		case major == "10.0":
			release = "10"
			if build >= win11Build {
				release = "11"
			}
		default:
			pair, ok := ntReleases[major]
			if !ok {
				return Parsed{}, false
			}
			release = pair[0]
			if server {
				release = pair[1]
			}
			if strings.HasSuffix(release, "r2") {
				release, r2 = strings.TrimSuffix(release, "r2"), true
			}
		}
	}
	if release == "10" && build >= win11Build && !server {
		release = "11"
	}
	p := Parsed{Build: build}
	switch release {
	case "":
		return Parsed{}, false
	case "xp":
		p.Canonical = "Windows XP"
	case "vista":
		p.Canonical = "Windows Vista"
	case "7", "8", "8.1", "10", "11":
		if server || r2 {
			return Parsed{}, false
		}
		p.Canonical = "Windows " + release
	case "2000":
		p.Canonical = "Windows 2000"
		if server {
			p.Canonical = "Windows Server 2000"
		}
	case "2003", "2008", "2012", "2016", "2019", "2022", "2025":
		p.Canonical = "Windows Server " + release
		if r2 {
			if release != "2003" && release != "2008" && release != "2012" {
				return Parsed{}, false
			}
			p.Canonical += " R2"
		}
	default:
		return Parsed{}, false
	}
	return p, true
}

// macNames are the macOS release names, with their version.
var macNames = map[string]string{
	"el capitan": "10.11", "sierra": "10.12", "high sierra": "10.13", "mojave": "10.14", "catalina": "10.15",
	"big sur": "11", "monterey": "12", "ventura": "13", "sonoma": "14", "sequoia": "15", "tahoe": "26",
}

// isMacBuild says whether s is a macOS build like 23c71 or 19h2.
func isMacBuild(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < 2 || i == len(s) || s[i] < 'a' || s[i] > 'z' {
		return false
	}
	i++
	j := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > j && (i == len(s) || i == len(s)-1 && s[i] >= 'a' && s[i] <= 'z')
}

func parseMacOS(s string) (version.Version, bool) {
	words := strings.Fields(s)
	num, named, darwin := "", "", false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && macNames[w+" "+words[i+1]] != "" {
			named = macNames[w+" "+words[i+1]]
			i++
			continue
		}
		switch {
		case w == "macos" || w == "mac" || w == "os" || w == "x" || w == "osx" || w == "macosx" || w == "apple" || w == "version" || w == "build" || w == "productname" || w == "productversion" || w == "buildversion":
		case w == "darwin":
			darwin = true
		case macNames[w] != "" && w != "sierra" || w == "sierra" && (i == 0 || words[i-1] != "high"):
			named = macNames[w]
		case num == "" && (isDotted(w) || isNumber(w)):
			num = w
		case isMacBuild(w):
		default:
			return version.Version{}, false
		}
	}
	if num == "" {
		num = named
	}
	if num == "" {
		return version.Version{}, false
	}
	v, err := version.Parse(num)
	if err != nil {
		return version.Version{}, false
	}
	major := v.Part(0)
	if darwin {
		// uname -r: Darwin 20 is macOS 11, Darwin 15 to 19 are 10.11 to 10.15.
		switch {
		case major >= 20:
			v = version.MustParse(fmt.Sprint(major - 9))
		case major >= 15:
			v = version.MustParse(fmt.Sprintf("10.%d", major-4))
		default:
			return version.Version{}, false
		}
		major = v.Part(0)
	}
	if major < 10 || major > 99 || (major == 10 && !strings.Contains(num, ".") && !darwin) {
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

// debianCodenames map Debian's release names to their numbers
// (/etc/os-release VERSION_CODENAME).
var debianCodenames = map[string]string{"jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13"}

// linuxFiller are words between a distribution's name and its version
// in os-release and *-release files.
var linuxFiller = map[string]bool{"release": true, "server": true, "workstation": true, "desktop": true, "linux": true, "version": true, "gnu/linux": true}

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
			words := strings.Fields(rest)
			for len(words) > 0 && linuxFiller[words[0]] {
				words = words[1:]
			}
			if len(words) == 0 {
				continue
			}
			num := strings.TrimPrefix(words[0], "v")
			if d.ID == "debian" && debianCodenames[num] != "" {
				num = debianCodenames[num]
			}
			// SLES: "15-SP5" (os-release VERSION) and "15 SP5" are 15.5,
			// as VERSION_ID writes it.
			sp := ""
			if n, pack, ok := strings.Cut(num, "-sp"); ok && isNumber(pack) {
				num, sp = n, pack
			} else if len(words) > 1 && strings.HasPrefix(words[1], "sp") && isNumber(words[1][2:]) {
				sp = words[1][2:]
			}
			if !isNumber(num) && !isDotted(num) {
				continue
			}
			canonical := d.Name + " " + num
			if sp != "" && d.ID == "sles" && isNumber(num) {
				canonical = fmt.Sprintf("%s %s SP%s", d.Name, num, sp)
				num += "." + sp
			}
			v, err := version.Parse(num)
			if err != nil {
				continue
			}
			for _, w := range words[1:] {
				if strings.ContainsFunc(w, func(r rune) bool {
					return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("./-_+:", r))
				}) {
					return Parsed{}, false
				}
			}
			return Parsed{Canonical: canonical, Version: v, Distro: d.ID}, true
		}
	}
	return Parsed{}, false
}
