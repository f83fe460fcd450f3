package generate

import (
	"strings"
	"testing"
)

// TestVerifyRejects: a document that breaks its schema, or is not JSON,
// fails verification, and so does every later file with the same bytes
// (the verdict cache must not turn a failure into a pass).
func TestVerifyRejects(t *testing.T) {
	good := `{"exclusionSettings":{"mergePolicy":"merge","exclusions":[]}}`
	v := NewVerifier()
	for p, doc := range map[string]string{"exclusions/mdatp-endpoints-a.json": good, "firewall/x.txt": "{"} {
		if err := v.File(p, []byte(doc)); err != nil {
			t.Fatalf("valid document rejected: %v", err)
		}
	}
	for _, tc := range []struct{ doc, want string }{
		{`{"exclusionSettings":{"mergePolicy":"replace-all","exclusions":[]}}`, "does not satisfy schema/mdatp-exclusions.schema.json"},
		{`{"exclusionSettings":`, "is not JSON"},
	} {
		v := NewVerifier()
		for _, p := range []string{"exclusions/mdatp-endpoints-a.json", "exclusions/mdatp-endpoints-b.json"} {
			err := v.File(p, []byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p+" ") {
				t.Errorf("%s with %s: got %v, want an error naming the file and %q", p, tc.doc, err, tc.want)
			}
		}
	}
}
