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
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

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
// The common forms are read without allocating: the text is lowered into
// a buffer on the stack, words are slices of it, and the canonical names
// are the package's own strings.
func Parse(os, text string) (Parsed, error) {
	var buf [192]byte
	norm := normalise(buf[:0], text)
	// The words, held in an array on the stack (a helper storing into it
	// through a pointer would move norm to the heap): more than maxWords
	// is no form trgen reads.
	var wbuf [maxWords][]byte
	n := 0
	for i := 0; i < len(norm); {
		var w []byte
		if w, i = nextWord(norm, i); len(w) == 0 {
			break
		}
		if n == maxWords {
			n = 0
			break
		}
		wbuf[n] = w
		n++
	}
	words := wbuf[:n]
	switch os {
	case "windows":
		if p, ok := parseWindows(words); ok {
			return p, nil
		}
	case "macos":
		if v, ok := parseMacOS(words); ok {
			return Parsed{Canonical: macCanonical(v), Version: v}, nil
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

// normalise appends text to dst lowercased, without the trademark signs
// WMI captions carry ("Microsoft® Windows Server® 2008", "(R)", "(TM)"),
// with brackets and commas as blanks, blanks collapsed and trimmed.
func normalise(dst []byte, text string) []byte {
	space := true
	for _, r := range text {
		switch {
		case r == '®' || r == '™':
			continue
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '(' || r == ')' || r == ',' || r == '"' || r == ';' || r == ':' || r == '\u00a0':
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			continue
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		dst = utf8.AppendRune(dst, r)
		space = false
	}
	if n := len(dst); n > 0 && dst[n-1] == ' ' {
		dst = dst[:n-1]
	}
	return dropMarks(dst)
}

// dropMarks removes, in place, the words "r" and "tm" after the first:
// "(R)" and "(TM)" once brackets are blanks.
func dropMarks(s []byte) []byte {
	out := 0
	for i, first := 0, true; i < len(s); first = false {
		w, next := nextWord(s, i)
		i = next
		if !first && (string(w) == "r" || string(w) == "tm") {
			continue
		}
		if out > 0 {
			s[out] = ' '
			out++
		}
		out += copy(s[out:], w)
	}
	return s[:out]
}

// nextWord returns the word of s that starts at or after i (blanks are
// single spaces), and where the next one starts.
func nextWord(s []byte, i int) ([]byte, int) {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' {
		j++
	}
	return s[i:j], j
}

// maxWords is the most words an OS string may have: no real one comes
// near it.
const maxWords = 32

// hasPrefix is strings.HasPrefix for a byte slice and a string.
func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

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

func isNumber[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads the digits of s (isNumber), saturating rather than
// overflowing.
func atoi(s []byte) int {
	n := 0
	for _, c := range s {
		if n > 1e9 {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// isDotted says whether s is a dotted version of 2 to 4 numbers.
func isDotted[T string | []byte](s T) bool {
	parts, digits := 1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if digits == 0 {
				return false
			}
			parts, digits = parts+1, 0
		case c >= '0' && c <= '9':
			digits++
		default:
			return false
		}
	}
	return digits > 0 && parts >= 2 && parts <= 4
}

// isHalfYear says whether s is a feature update like 22h2.
func isHalfYear(s []byte) bool {
	return len(s) == 4 && isNumber(s[:2]) && s[2] == 'h' && (s[3] == '1' || s[3] == '2')
}

// windowsRelease are the release words of Windows names and what they
// are: the release and whether it is R2 ("2012r2" in "Win2012R2").
var windowsRelease = map[string]struct {
	release string
	r2      bool
}{
	"xp": {"xp", false}, "vista": {"vista", false}, "7": {"7", false}, "8": {"8", false}, "8.1": {"8.1", false},
	"10": {"10", false}, "11": {"11", false}, "2000": {"2000", false}, "2003": {"2003", false}, "2008": {"2008", false},
	"2012": {"2012", false}, "2016": {"2016", false}, "2019": {"2019", false}, "2022": {"2022", false}, "2025": {"2025", false},
	"2003r2": {"2003", true}, "2008r2": {"2008", true}, "2012r2": {"2012", true},
}

// windowsCanonical maps a release, whether it is a server and whether it
// is R2 to its name in WindowsNames.
var windowsCanonical = func() map[[3]string]string {
	m := map[[3]string]string{}
	for _, n := range WindowsNames {
		rest := strings.TrimPrefix(n, "Windows ")
		server := strings.HasPrefix(rest, "Server ")
		rest = strings.TrimPrefix(rest, "Server ")
		r2 := strings.HasSuffix(rest, " R2")
		rest = strings.ToLower(strings.TrimSuffix(rest, " R2"))
		m[[3]string{rest, strconv.FormatBool(server), strconv.FormatBool(r2)}] = n
	}
	return m
}()

func parseWindows(words [][]byte) (Parsed, bool) {
	if len(words) == 0 {
		return Parsed{}, false
	}
	release := ""
	var nt []byte
	server, r2 := false, false
	build := 0
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := []byte(nil)
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case string(w) == "server":
			server = true
		case string(w) == "r2":
			r2 = true
		case string(w) == "sp" || string(w) == "service" && string(next) == "pack":
			// "Service Pack 1", "SP 1": the number is the pack's.
			if string(w) == "service" {
				i++
			}
			if i+1 < len(words) && isNumber(words[i+1]) {
				i++
			}
		case len(w) == 3 && hasPrefix(w, "sp") && isNumber(w[2:]):
		case (string(w) == "ltsc" || string(w) == "ltsb") && isNumber(next) && len(next) == 4:
			i++ // the channel's year, not a server's
		case string(w) == "build" && isNumber(next):
			build = atoi(next)
			i++
		case hasPrefix(w, "win") && string(w) != "win" && string(w) != "windows" && release == "":
			// Win10, Win7, Win2012R2, Windows10
			rest := w[3:]
			if hasPrefix(w, "windows") {
				rest = w[7:]
			}
			rel, ok := windowsRelease[string(rest)]
			if !ok {
				return Parsed{}, false
			}
			release, r2 = rel.release, r2 || rel.r2
		case len(w) == 4 && isNumber(w) && (release == "10" || release == "11"):
			// "Windows 10 Enterprise 2016 LTSB": the channel's year
		case release == "" && windowsRelease[string(w)].release != "":
			rel := windowsRelease[string(w)]
			release, r2 = rel.release, r2 || rel.r2
		case isDotted(w) && nt == nil:
			nt = w
		case isHalfYear(w) || featureUpdates[string(w)] && release != "":
		case windowsIgnored[string(w)]:
		default:
			return Parsed{}, false
		}
	}
	if nt != nil {
		// major.minor, and the build from a third number.
		dot := bytes.IndexByte(nt, '.')
		major := nt
		if second := bytes.IndexByte(nt[dot+1:], '.'); second >= 0 {
			major = nt[:dot+1+second]
			if build == 0 {
				rest := nt[dot+2+second:]
				if end := bytes.IndexByte(rest, '.'); end >= 0 {
					rest = rest[:end]
				}
				build = atoi(rest)
			}
		}
		switch {
		case release != "":
		case string(major) == "10.0" && server:
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
		case string(major) == "10.0":
			release = "10"
			if build >= win11Build {
				release = "11"
			}
		default:
			pair, ok := ntReleases[string(major)]
			if !ok {
				return Parsed{}, false
			}
			release = pair[0]
			if server {
				release = pair[1]
			}
			if rel, ok := windowsRelease[release]; ok {
				release, r2 = rel.release, r2 || rel.r2
			}
		}
	}
	if release == "10" && build >= win11Build && !server {
		release = "11"
	}
	switch release {
	case "", "xp", "vista":
		server = false // their names carry no "Server"
	case "7", "8", "8.1", "10", "11":
		if server || r2 {
			return Parsed{}, false
		}
	case "2000":
	default:
		server = true // the year releases are servers'
		if r2 && release != "2003" && release != "2008" && release != "2012" {
			return Parsed{}, false
		}
	}
	name, ok := windowsCanonical[[3]string{release, strconv.FormatBool(server), strconv.FormatBool(r2)}]
	if !ok {
		return Parsed{}, false
	}
	return Parsed{Canonical: name, Build: build}, true
}

// macNames are the macOS release names, with their version; the
// two-word names are keyed by their first word in macPairs.
var macNames = map[string]string{
	"sierra": "10.12", "mojave": "10.14", "catalina": "10.15", "monterey": "12", "ventura": "13", "sonoma": "14", "sequoia": "15", "tahoe": "26",
}

var macPairs = map[string][2]string{"el": {"capitan", "10.11"}, "high": {"sierra", "10.13"}, "big": {"sur", "11"}}

// isMacBuild says whether s is a macOS build like 23c71 or 19h2.
func isMacBuild(s []byte) bool {
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

// macIgnored are the words of sw_vers output and product names that say
// nothing about the version.
var macIgnored = map[string]bool{"macos": true, "mac": true, "os": true, "x": true, "osx": true, "macosx": true, "apple": true,
	"version": true, "build": true, "productname": true, "productversion": true, "buildversion": true}

func parseMacOS(words [][]byte) (version.Version, bool) {
	var num []byte
	named, darwin := "", false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if pair, ok := macPairs[string(w)]; ok && i+1 < len(words) && string(words[i+1]) == pair[0] {
			named = pair[1]
			i++
			continue
		}
		switch {
		case macIgnored[string(w)]:
		case string(w) == "darwin":
			darwin = true
		case macNames[string(w)] != "":
			named = macNames[string(w)]
		case num == nil && (isDotted(w) || isNumber(w)):
			num = w
		case isMacBuild(w):
		default:
			return version.Version{}, false
		}
	}
	var v version.Version
	var ok bool
	if num != nil {
		v, ok = version.ParseBytes(num)
	} else if named != "" {
		v, err := version.Parse(named)
		return macVersion(v, err == nil, darwin, nil)
	}
	return macVersion(v, ok, darwin, num)
}

// macVersion is the macOS release of v, read from num (nil: from a
// release name), or of Darwin's v.
func macVersion(v version.Version, ok, darwin bool, num []byte) (version.Version, bool) {
	if !ok {
		return version.Version{}, false
	}
	major, minor := v.Part(0), v.Part(1)
	if darwin {
		// uname -r: Darwin 20 is macOS 11, Darwin 15 to 19 are 10.11 to 10.15.
		switch {
		case major >= 20:
			major, minor = major-9, 0
		case major >= 15:
			major, minor = 10, major-4
		default:
			return version.Version{}, false
		}
	} else if major == 10 && num != nil && bytes.IndexByte(num, '.') < 0 {
		return version.Version{}, false
	}
	if major < 10 || major > 99 {
		return version.Version{}, false
	}
	// Keep major.minor: "10.15.7" is macOS 10.15 for every requirement.
	if major == 10 {
		return version.Of(10, minor), true
	}
	return version.Of(major), true
}

// macCanonicals are "macOS 10.0" to "macOS 10.99" and "macOS 11" to
// "macOS 99", so that naming a version allocates nothing.
var macCanonicals = func() map[version.Version]string {
	m := map[version.Version]string{}
	for minor := uint32(0); minor < 100; minor++ {
		v := version.Of(10, minor)
		m[v] = "macOS " + v.String()
	}
	for major := uint32(11); major < 100; major++ {
		v := version.Of(major)
		m[v] = "macOS " + v.String()
	}
	return m
}()

func macCanonical(v version.Version) string {
	if s, ok := macCanonicals[v]; ok {
		return s
	}
	return "macOS " + v.String()
}

// debianCodenames map Debian's release names to their numbers
// (/etc/os-release VERSION_CODENAME).
var debianCodenames = map[string][]byte{"jessie": []byte("8"), "stretch": []byte("9"), "buster": []byte("10"), "bullseye": []byte("11"),
	"bookworm": []byte("12"), "trixie": []byte("13")}

// linuxFiller are words between a distribution's name and its version
// in os-release and *-release files.
var linuxFiller = map[string]bool{"release": true, "server": true, "workstation": true, "desktop": true, "linux": true, "version": true, "gnu/linux": true}

// linuxNames interns the canonical Linux names ("RHEL 8.9"), so that a
// name seen before costs no allocation.
var linuxNames struct {
	sync.RWMutex
	m map[string]string
}

// maxLinuxNames bounds linuxNames: an inventory cannot grow it without end.
const maxLinuxNames = 4096

func linuxName(b []byte) string {
	linuxNames.RLock()
	s, ok := linuxNames.m[string(b)]
	linuxNames.RUnlock()
	if ok {
		return s
	}
	s = string(b)
	linuxNames.Lock()
	if linuxNames.m == nil {
		linuxNames.m = map[string]string{}
	}
	if len(linuxNames.m) < maxLinuxNames {
		linuxNames.m[s] = s
	}
	linuxNames.Unlock()
	return s
}

func parseLinux(s []byte) (Parsed, bool) {
	for _, d := range Distros {
		for _, a := range d.Aliases {
			if !hasPrefix(s, a) {
				continue
			}
			rest := s[len(a):]
			if len(rest) > 0 && rest[0] != ' ' && (rest[0] < '0' || rest[0] > '9') {
				continue
			}
			num, i := nextWord(rest, 0)
			for len(num) > 0 && linuxFiller[string(num)] {
				num, i = nextWord(rest, i)
			}
			if len(num) == 0 {
				continue
			}
			after := rest[i:] // the words after the version
			second, _ := nextWord(after, 0)
			if len(num) > 1 && num[0] == 'v' {
				num = num[1:]
			}
			if d.ID == "debian" {
				if n, ok := debianCodenames[string(num)]; ok {
					num = n
				}
			}
			// SLES: "15-SP5" (os-release VERSION) and "15 SP5" are 15.5,
			// as VERSION_ID writes it.
			var sp []byte
			if i := bytes.Index(num, []byte("-sp")); i >= 0 && isNumber(num[i+3:]) {
				num, sp = num[:i], num[i+3:]
			} else if hasPrefix(second, "sp") && isNumber(second[2:]) {
				sp = second[2:]
			}
			if !isNumber(num) && !isDotted(num) {
				continue
			}
			var nb [64]byte
			name := append(append(append(nb[:0], d.Name...), ' '), num...)
			ver := num
			var vb [32]byte
			if sp != nil && d.ID == "sles" && isNumber(num) {
				name = append(append(name, " SP"...), sp...)
				ver = append(append(append(vb[:0], num...), '.'), sp...)
			}
			v, ok := version.ParseBytes(ver)
			if !ok {
				continue
			}
			for _, c := range after {
				if !(c == ' ' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("./-_+:", c) >= 0) {
					return Parsed{}, false
				}
			}
			return Parsed{Canonical: linuxName(name), Version: v, Distro: d.ID}, true
		}
	}
	return Parsed{}, false
}

// Windows PowerShell modules trgen's Windows scripts call, by the first
// releases whose cmdlet reference has them (MicrosoftDocs/
// windows-powershell-docs: docset/winserver2012-ps/netsecurity is the
// oldest NetSecurity docset, the Windows 8 / Server 2012 generation;
// docset/winserver2016-ps/defender the oldest Defender one, the Windows 10
// / Server 2016 generation). docs/sources.md cites them.
var (
	netSecurityFrom = []string{"Windows 8", "Windows 8.1", "Windows 10", "Windows 11", "Windows Server 2012", "Windows Server 2012 R2",
		"Windows Server 2016", "Windows Server 2019", "Windows Server 2022", "Windows Server 2025"}
	defenderFrom = []string{"Windows 10", "Windows 11", "Windows Server 2016", "Windows Server 2019", "Windows Server 2022", "Windows Server 2025"}
)

// defenderByAgent are the releases where Microsoft Defender Antivirus and
// its module arrive only with Defender for Endpoint's unified agent
// (Microsoft's onboarding of Windows Server 2012 R2 and 2016).
var defenderByAgent = []string{"Windows Server 2012 R2"}

// DefenderByAgent says whether a release has Defender (and its module)
// only where the unified agent is installed.
func DefenderByAgent(canonical string) bool { return slices.Contains(defenderByAgent, canonical) }

// WindowsModules says whether a Windows release (a canonical name Parse
// returns) has the NetSecurity module (New-NetFirewallRule) and the
// Defender module (Add-MpPreference) in the box.
func WindowsModules(canonical string) (netSecurity, defender bool) {
	return slices.Contains(netSecurityFrom, canonical), slices.Contains(defenderFrom, canonical)
}
