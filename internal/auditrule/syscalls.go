package auditrule

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/trgen/trgen/internal/version"
	"github.com/trgen/trgen/schema"
)

// TableLines are the auditd lines whose syscall tables trgen ships, oldest
// first (schema/syscalls/<line>/<arch>.txt: 3.0 is Debian's ausyscall
// --dump, the others audit-userspace's lib/<arch>_table.h at the line's
// newest tag, named in each file's header).
var TableLines = []string{"2.8", "3.0", "3.1", "4.0", "4.1", "4.2"}

// tableArches are the architectures of the shipped tables.
var tableArches = []string{"x86_64", "i386", "aarch64", "arm"}

// syscallTables maps line -> architecture -> the names and numbers
// auditctl of that line accepts after -S.
var syscallTables = sync.OnceValue(func() map[string]map[string]map[string]bool {
	t := map[string]map[string]map[string]bool{}
	for _, line := range TableLines {
		t[line] = map[string]map[string]bool{}
		for _, arch := range tableArches {
			data, err := fs.ReadFile(schema.FS, "syscalls/"+line+"/"+arch+".txt")
			if err != nil {
				panic(err)
			}
			names := map[string]bool{}
			for _, row := range strings.Split(string(data), "\n") {
				if f := strings.Fields(row); len(f) == 2 && !strings.HasPrefix(row, "#") {
					names[f[1]] = true
					names[f[0]] = true // numbers are accepted too
				}
			}
			t[line][arch] = names
		}
	}
	return t
})

// TableLine is the line whose syscall table applies to auditd version v:
// its own line, else the newest shipped line before it, else the oldest
// ("" means the newest line). Note says how the choice was made, for a
// version that has no line of its own; it is "" otherwise.
func TableLine(v string) (line, note string) {
	newest := TableLines[len(TableLines)-1]
	if v == "" {
		return newest, ""
	}
	p, err := version.Parse(v)
	if err != nil {
		return newest, fmt.Sprintf("auditd version %q is not a version; the auditd %s table is used", v, newest)
	}
	line = ""
	for _, l := range TableLines {
		lp := version.MustParse(l)
		if lp.Part(0) < p.Part(0) || lp.Part(0) == p.Part(0) && lp.Part(1) <= p.Part(1) {
			line = l
		}
	}
	own := fmt.Sprintf("%d.%d", p.Part(0), p.Part(1))
	switch {
	case line == "":
		return TableLines[0], fmt.Sprintf("trgen has no syscall table for auditd %s; the oldest it has, %s's, is used", own, TableLines[0])
	case line != own:
		return line, fmt.Sprintf("trgen has no syscall table for auditd %s; the newest line before it, %s, is used", own, line)
	}
	return line, ""
}

// firstLineKnowing is the oldest shipped line after line whose arch table
// has name, or "".
func firstLineKnowing(line, arch, name string) string {
	after := false
	for _, l := range TableLines {
		if after && syscallTables()[l][arch][name] {
			return l
		}
		after = after || l == line
	}
	return ""
}

// archTable maps -F arch= values to the shipped syscall tables: libaudit's
// machine names (lib/machinetab.h), b64 and b32 as on x86_64, and the ELF
// machine numbers of those tables. A known arch without a shipped table
// (ppc, s390) maps to "": its syscall names are not checked.
var archTable = map[string]string{
	"b64": "x86_64", "x86_64": "x86_64", "b32": "i386", "i386": "i386", "i486": "i386", "i586": "i386", "i686": "i386",
	"aarch64": "aarch64", "armv8l": "aarch64", "arm": "arm", "armeb": "arm", "armv5tejl": "arm", "armv5tel": "arm",
	"armv6l": "arm", "armv7l": "arm", "ppc64": "", "ppc64le": "", "ppc": "", "s390x": "", "s390": "",
	"0xc000003e": "x86_64", "3221225534": "x86_64", "0x40000003": "i386", "1073741827": "i386",
	"0xc00000b7": "aarch64", "3221225655": "aarch64", "0x40000028": "arm", "1073741864": "arm",
}
