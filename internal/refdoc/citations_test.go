package refdoc

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/rule"
)

// root is the repository's top folder.
const root = "../.."

// outside names the developers' reference files, which no clone holds:
// the product never cites them.
var outside = regexp.MustCompile(`shared/(reference|spec)|vendor-facts\.md|output-formats\.md|verifying-outputs\.md|engineering-style\.md|deployment-language\.md|threat-response-requirements\.txt`)

// repoPath finds repository paths a document cites: docs/*.md, schema/…
var repoPath = regexp.MustCompile(`\b((?:docs|schema|templates|examples)/[A-Za-z0-9_./-]+\.(?:md|json|hcl|tmpl))`)

// TestCitationsResolve: every source trgen cites resolves to a public
// source listed in docs/sources.md or to a file of this repository. No
// product file (code, templates, schemas, catalog, documents, the
// examples' output) names a file a clone does not contain, every
// repository path cited exists, and every rule's source names a source of
// docs/sources.md or a repository document.
func TestCitationsResolve(t *testing.T) {
	sources, err := os.ReadFile(filepath.Join(root, "docs", "sources.md"))
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "bin" || strings.HasSuffix(rel, "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, "_test.go") || !strings.Contains(".go.md.tmpl.json.hcl.html.csv.ps1.sh.rules.txt.mmd.xml.nft.iptables.yml", filepath.Ext(p)) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if m := outside.Find(data); m != nil {
			t.Errorf("%s cites %q, which no clone of the repository contains", rel, m)
		}
		if strings.HasSuffix(p, ".go") || strings.HasPrefix(rel, "out/") || strings.HasPrefix(rel, "templates/") {
			return nil // paths in code and outputs are not citations
		}
		for _, m := range repoPath.FindAllSubmatch(data, -1) {
			cited := string(m[1])
			if strings.ContainsAny(cited, "*") {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, cited)); err != nil {
				t.Errorf("%s cites %s, which does not exist", rel, cited)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	page := set.Latest().Document.Title
	for _, r := range rule.All() {
		for _, part := range strings.Split(r.Source.Cite(page), ";") {
			name := strings.TrimSpace(part)
			if i := strings.IndexAny(name, "(,:\""); i > 0 {
				name = strings.TrimSpace(name[:i])
			}
			_, statErr := os.Stat(filepath.Join(root, name))
			if name == "" || !strings.Contains(string(sources), name) && statErr != nil {
				t.Errorf("rule %s cites %q, which is neither a source of docs/sources.md nor a repository file", r.ID, strings.TrimSpace(part))
			}
		}
	}
}
