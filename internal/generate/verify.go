package generate

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/rule"
)

// outputSchemas maps output paths (path.Match patterns) to the JSON Schema
// each must satisfy.
var outputSchemas = []struct{ pattern, schema string }{
	{"roles/roles.json", "roles-import.schema.json"},
	{"roles/memberships.json", "memberships.schema.json"},
	{"exclusions/mdatp-*.json", "mdatp-exclusions.schema.json"},
}

// Verifier validates rendered JSON outputs against their schemas, so a
// document that does not match its contract is never written. It is safe
// for concurrent use. A document is validated once per schema however many
// files hold the same bytes: endpoint groups of one OS and client line
// often get byte-identical exclusion documents.
type Verifier struct {
	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
	verdicts map[verdictKey]error
	audit    map[string]auditSet // by endpoint group, for Finish
}

type verdictKey struct {
	schema string
	sum    [sha256.Size]byte
}

// NewVerifier returns a Verifier with no schema compiled yet.
func NewVerifier() *Verifier {
	return &Verifier{compiled: map[string]*jsonschema.Schema{}, verdicts: map[verdictKey]error{}}
}

// File validates one output; paths no schema covers pass.
func (v *Verifier) File(p string, data []byte) error {
	if parts := strings.Split(p, "/"); len(parts) == 4 && parts[0] == "auditd" && parts[2] == "rules.d" && auditrule.IsRulesFile(parts[3]) {
		v.mu.Lock()
		if v.audit == nil {
			v.audit = map[string]auditSet{}
		}
		if v.audit[parts[1]] == nil {
			v.audit[parts[1]] = auditSet{}
		}
		v.audit[parts[1]][p] = bytes.Clone(data) // data is the renderer's until File returns
		v.mu.Unlock()
	}
	for _, o := range outputSchemas {
		if ok, _ := path.Match(o.pattern, p); !ok {
			continue
		}
		if err := v.document(o.schema, data); err != nil {
			return fmt.Errorf("%s %w", p, err)
		}
	}
	return nil
}

func (v *Verifier) document(schema string, data []byte) error {
	key := verdictKey{schema, sha256.Sum256(data)}
	v.mu.Lock()
	verdict, seen := v.verdicts[key]
	sch := v.compiled[schema]
	v.mu.Unlock()
	if seen {
		return verdict
	}
	if sch == nil {
		var err error
		if sch, err = jsondoc.CompileSchema(schema); err != nil {
			return err
		}
	}
	verdict = validateJSON(sch, schema, data)
	v.mu.Lock()
	v.compiled[schema] = sch
	v.verdicts[key] = verdict
	v.mu.Unlock()
	return verdict
}

func validateJSON(sch *jsonschema.Schema, name string, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("is not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("does not satisfy schema/%s: %s", name, strings.TrimSpace(err.Error()))
	}
	return nil
}

// auditSet is one endpoint group's generated rules.d files.
type auditSet map[string][]byte

// Finish lints, as one set in augenrules' order, each group's generated
// rules.d files seen by File: trgen never writes an audit rule file its
// own linter refuses (a --templates override, a catalog path).
func (v *Verifier) Finish() error {
	v.mu.Lock()
	groups := v.audit
	v.mu.Unlock()
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		var files []auditrule.File
		for p, data := range groups[g] {
			files = append(files, auditrule.File{Name: p, Data: data})
		}
		files = auditrule.SortRulesFiles(files)
		diags, _ := auditrule.Lint(files, auditrule.Options{})
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				at := ""
				if d.Subject != nil {
					at = fmt.Sprintf("%s:%d: ", d.Subject.Filename, d.Subject.Start.Line)
				}
				return fmt.Errorf("%s%s (rule %s): %s", at, d.Summary, rule.Of(d), d.Detail)
			}
		}
	}
	return nil
}
