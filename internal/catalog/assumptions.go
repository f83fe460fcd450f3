package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trgen/trgen/internal/osversion"
)

// problem is a catalog inconsistency at a JSON pointer.
type problem struct{ ptr, summary, detail string }

// assumptions checks what trgen's code assumes of a catalog beyond its
// schema: a catalog given with --catalog is input, and a broken
// assumption must be an error at its line, never a panic or an output
// that does harm.
func (c *Catalog) assumptions() []problem {
	var out []problem
	for _, name := range osversion.WindowsNames {
		if _, ok := c.WindowsVersion(name); !ok {
			out = append(out, problem{"/windows/versions", "The catalog lacks a Windows version",
				fmt.Sprintf("At /windows/versions: %s is not listed. trgen reads every Windows version it knows (%s) from deployments and inventories and needs each one's support; add it with \"supported\": true or false as the page says.", name, strings.Join(osversion.WindowsNames, ", "))})
		}
	}
	lists := make([]string, 0, len(c.Exclusions))
	for k := range c.Exclusions {
		lists = append(lists, k)
	}
	sort.Strings(lists)
	for _, k := range lists {
		l := c.Exclusions[k]
		for i, e := range l.Entries {
			if why := exclusionPathProblem(k, l.Separator, e.Path); why != "" {
				ptr := fmt.Sprintf("/exclusions/%s/entries/%d/path", k, i)
				out = append(out, problem{ptr, "An exclusion path the outputs cannot hold safely",
					fmt.Sprintf("At %s: %q %s. An exclusion path names a file under %s, written as the page writes it; it reaches Defender policies, scripts, profiles and audit rules.", ptr, e.Path, why, l.Root)})
			}
		}
	}
	return out
}

// exclusionPathProblem says what is wrong with an exclusion path of list
// (whose separator is sep), or "". A path stays inside its folder (no
// "." or ".." segment, no empty one, no segment that is only a wildcard),
// uses its list's separator, and holds only characters every output
// language takes as plain text: letters, digits, "._-+()" and "*" inside
// a segment, and a space except on Linux, where an audit watch (-w) ends
// at a space.
func exclusionPathProblem(list, sep, p string) string {
	other := "/"
	if sep == "/" {
		other = `\`
	}
	if strings.Contains(p, other) {
		return fmt.Sprintf("uses %q, not the list's separator %q", other, sep)
	}
	for _, seg := range strings.Split(p, sep) {
		switch {
		case seg == "":
			return "has an empty segment"
		case seg == "." || seg == "..":
			return fmt.Sprintf("has a %q segment, which leaves or restates the folder", seg)
		case strings.Trim(seg, "*") == "":
			return "has a segment that is only a wildcard, which would exclude a whole folder"
		case strings.TrimSpace(seg) != seg:
			return "has a segment that begins or ends with a space"
		}
	}
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-+()*", r), r == []rune(sep)[0]:
		case r == ' ':
			if list == "linux" {
				return "holds a space, which ends the path of an audit watch (-w) and would start options of its own"
			}
		default:
			return fmt.Sprintf("holds %q; exclusion paths hold letters, digits, spaces and ._-+()*", r)
		}
	}
	return ""
}
