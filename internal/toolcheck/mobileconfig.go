package toolcheck

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// plistReader is run by python3: it reads a configuration profile with
// Python's plistlib (the parser of macOS's own plist format, as strict as
// plutil about structure and types), checks the profile keys of Apple's
// Configuration Profile Reference, and prints each payload's settings
// (its keys other than Payload*) as JSON, one line per payload:
// "TYPE<TAB>JSON".
const plistReader = `
import json, plistlib, sys
with open(sys.argv[1], "rb") as f:
    p = plistlib.load(f, fmt=plistlib.FMT_XML)
def need(d, key, kind, where):
    if key not in d:
        sys.exit("%s: missing %s" % (where, key))
    if not isinstance(d[key], kind):
        sys.exit("%s: %s is %s, not %s" % (where, key, type(d[key]).__name__, kind.__name__))
    return d[key]
if not isinstance(p, dict):
    sys.exit("top level is not a dict")
for k, kind in (("PayloadIdentifier", str), ("PayloadUUID", str), ("PayloadType", str), ("PayloadVersion", int), ("PayloadContent", list)):
    need(p, k, kind, "profile")
if p["PayloadType"] != "Configuration" or p["PayloadVersion"] != 1:
    sys.exit("profile: PayloadType must be Configuration and PayloadVersion 1")
for i, pl in enumerate(p["PayloadContent"]):
    where = "payload %d" % i
    if not isinstance(pl, dict):
        sys.exit(where + ": not a dict")
    for k, kind in (("PayloadIdentifier", str), ("PayloadUUID", str), ("PayloadType", str), ("PayloadVersion", int)):
        need(pl, k, kind, where)
    settings = {k: v for k, v in pl.items() if not k.startswith("Payload")}
    print(pl["PayloadType"] + "\t" + json.dumps(settings, sort_keys=True))
uuids = [p["PayloadUUID"]] + [pl["PayloadUUID"] for pl in p["PayloadContent"]]
print("UUIDS\t" + json.dumps(uuids))
`

var uuidPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

// MobileConfig reads a configuration profile with Python's plistlib and
// validates its com.microsoft.wdav payload against Microsoft's preference
// schema as schema/mdatp-macos.schema.json transcribes it. Every payload
// must be com.microsoft.wdav, and the UUIDs distinct and well-formed.
func MobileConfig(t testing.TB, file string) error {
	tools, ok := optional(t, "python3")
	if !ok {
		return nil
	}
	py := tools[0]
	out, err := exec.Command(py, "-c", plistReader, file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("plistlib %s: %v\n%s", file, err, out)
	}
	wdav := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		kind, settings, _ := strings.Cut(line, "\t")
		switch kind {
		case "UUIDS":
			var uuids []string
			if err := json.Unmarshal([]byte(settings), &uuids); err != nil || len(uuids) == 0 {
				return fmt.Errorf("%s: no UUIDs (%v)", file, err)
			}
			seen := map[string]bool{}
			for _, u := range uuids {
				if !uuidPattern.MatchString(u) || seen[u] {
					return fmt.Errorf("%s: PayloadUUID %q is not a distinct upper-case UUID", file, u)
				}
				seen[u] = true
			}
		case "com.microsoft.wdav":
			wdav++
			if err := JSONSchema(file+" (com.microsoft.wdav)", []byte(settings), "mdatp-macos.schema.json"); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unexpected payload type %q", file, kind)
		}
	}
	if wdav != 1 {
		return fmt.Errorf("%s: %d com.microsoft.wdav payloads, want 1", file, wdav)
	}
	return nil
}

// XML checks that a file is well-formed XML, in process.
func XML(file string, data []byte) error {
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: not well-formed XML: %v", file, err)
		}
	}
}
