package check

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// perUserVars are Windows variables that Defender expands in the SYSTEM
// context, so they never mean the user's folder (trgen's practice, docs/sources.md).
var perUserVars = []string{"APPDATA", "LOCALAPPDATA", "USERPROFILE", "HOMEPATH", "HOMEDRIVE", "HOMESHARE", "TEMP", "TMP", "USERNAME", "ONEDRIVE"}

var (
	winAbs     = regexp.MustCompile(`^(?:[A-Za-z]:\\|%[A-Za-z_()0-9]+%(?:\\|$))`)
	winVar     = regexp.MustCompile(`%([^%]+)%`)
	wildDrive  = regexp.MustCompile(`^[*?]:`)
	winForbids = `<>"|?*`
)

// dirs checks every install_dir and client_dir.
func (c *checker) dirs() {
	d := c.d
	for _, s := range d.ModuleServers {
		c.dir(s.InstallDir, s.InstallDirRange, model.OSWindows, "install_dir")
	}
	for _, s := range d.ZoneServers {
		c.dir(s.InstallDir, s.InstallDirRange, model.OSWindows, "install_dir")
	}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		if !model.KnownOS(g.OS) {
			continue // the schema reported the os; its paths cannot be judged
		}
		c.dir(g.ClientDir, g.ClientDirRange, g.OS, "client_dir")
		if g.Architecture != nil && g.OS != model.OSWindows {
			c.add(rule.DirInvalid, g.ArchitectureRange, fmt.Sprintf("architecture does not apply to %s endpoints", g.OS),
				"architecture chooses the default client folder of Windows groups only. Remove it.", nil)
		} else if g.ArchitectureOrDefault() == model.ArchX86 && g.ClientDir == nil && c.cat != nil && c.cat.Client.DefaultDirs["windows_x86"] == "" {
			c.add(rule.DirInvalid, g.ArchitectureRange, "No default client folder for x86 Windows",
				"The requirements catalog gives no default_dirs.windows_x86. Set client_dir to the endpoints' Tanium Client folder.", nil)
		}
		watches := g.Auditd == nil || model.Bool(g.Auditd.WatchClient, true)
		if g.OS == model.OSLinux && g.ClientDir != nil && watches && strings.ContainsAny(*g.ClientDir, " \t") && dirProblem(*g.ClientDir, g.OS) == "" {
			c.add(rule.DirInvalid, g.ClientDirRange, fmt.Sprintf("Invalid client_dir %q", truncate(*g.ClientDir)),
				"Audit rule files cannot quote a path, so the tamper watches on the client's files cannot name a directory with spaces. Set auditd { watch_client = false } or use a path without spaces.", nil)
		}
	}
}

func (c *checker) dir(p *string, rng hcl.Range, os, attr string) {
	if p == nil {
		return
	}
	if msg := dirProblem(*p, os); msg != "" {
		c.add(rule.DirInvalid, rng, fmt.Sprintf("Invalid %s %q", attr, truncate(*p)), msg, nil)
	}
}

// dirProblem says what is wrong with an install or client directory for os,
// or "" when nothing is.
func dirProblem(p, os string) string {
	for _, r := range p {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			return fmt.Sprintf("The directory holds the invisible character %U (a control or format character: newline, tab, NUL, next line, a bidi or zero-width mark...); write the path with visible characters only.", r)
		}
		if unicode.IsSpace(r) && r != ' ' {
			return fmt.Sprintf("The directory holds the space character %U, which is not the ASCII space; write the path with ASCII spaces.", r)
		}
	}
	if os != model.OSWindows {
		switch {
		case strings.Contains(p, `\`):
			return fmt.Sprintf("%s paths use '/' as the separator, not '\\'.", os)
		case !strings.HasPrefix(p, "/"):
			return "The directory must be absolute, starting with '/', such as /opt/Tanium/TaniumClient."
		}
		return badSegments(strings.Split(p, "/"))
	}
	switch {
	case wildDrive.MatchString(p):
		return "Defender does not accept a wildcard in the drive letter; name the drive."
	case strings.Contains(p, "/"):
		return "Windows paths use '\\' as the separator, not '/'."
	case strings.HasPrefix(p, `\\`):
		return "A UNC path is not an install directory; give the local path on the host."
	case !winAbs.MatchString(p):
		return "The directory must be absolute, such as C:\\Program Files (x86)\\Tanium\\Tanium Client."
	}
	for _, m := range winVar.FindAllStringSubmatch(p, -1) {
		for _, v := range perUserVars {
			if strings.EqualFold(m[1], v) {
				return fmt.Sprintf("%%%s%% is a per-user variable; Defender expands it in the SYSTEM context, so the exclusion would not match. Write the machine path.", m[1])
			}
		}
	}
	rest := p
	if len(rest) > 2 && rest[1] == ':' {
		rest = rest[2:]
	}
	if i := strings.IndexAny(rest, winForbids+":"); i >= 0 {
		return fmt.Sprintf("Windows paths cannot contain %q.", rest[i])
	}
	return badSegments(strings.Split(p, `\`))
}

func badSegments(segs []string) string {
	for _, s := range segs {
		if s == "." || s == ".." {
			return "The directory must not contain . or .. segments; write the resolved path."
		}
	}
	return ""
}
