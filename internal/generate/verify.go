package generate

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/jsondoc"
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
