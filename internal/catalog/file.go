package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/safetext"
	"github.com/trgen/trgen/internal/version"
)

// SchemaFile is the catalog JSON Schema's path in schema.FS.
const SchemaFile = "catalog.schema.json"

var catalogSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return jsondoc.CompileSchema(SchemaFile)
})

var printer = message.NewPrinter(language.English)

// Bounds on a catalog's shape, checked in one streaming pass before the
// document is indexed or validated: those build a JSON pointer for every
// value, which a deep document of long keys makes quadratic.
const (
	maxCatalogDepth  = 32
	maxCatalogKeyLen = 256
)

// shapeProblem finds the first place data nests deeper than
// maxCatalogDepth or has a key longer than maxCatalogKeyLen: its byte
// offset and what is wrong, or "" (syntax errors are left to the parse).
func shapeProblem(data []byte) (int, string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth := 0
	var inObject []bool // per open level: an object, where a string in key place is a key
	key := false
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return 0, ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if depth++; depth > maxCatalogDepth {
					return off, fmt.Sprintf("The catalog nests deeper than %d levels here.", maxCatalogDepth)
				}
				inObject = append(inObject, t == '{')
				key = t == '{'
				continue
			default:
				depth--
				inObject = inObject[:len(inObject)-1]
			}
		case string:
			if key && len(t) > maxCatalogKeyLen {
				return off, fmt.Sprintf("The catalog has a key of %d bytes here; its keys are at most %d.", len(t), maxCatalogKeyLen)
			}
			if key {
				key = false
				continue
			}
		}
		key = len(inObject) > 0 && inObject[len(inObject)-1]
	}
}

// LoadFile reads a catalog a user transcribed (trgen's --catalog): data is
// the content of the file name. It must be JSON, satisfy catalog.schema.json
// and be consistent (threat_response.min below threat_response.below). Every
// problem is a diagnostic at its line and column in the file; the set holds
// the one catalog when there is none.
func LoadFile(name string, data []byte) (*Set, hcl.Diagnostics) {
	fail := func(id rule.ID, rng hcl.Range, summary, detail string) hcl.Diagnostics {
		return hcl.Diagnostics{rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &rng}, id)}
	}
	if off, why := shapeProblem(data); why != "" {
		p := jsondoc.Pos(data, off)
		return nil, fail(rule.CatalogSchema, hcl.Range{Filename: name, Start: p, End: p}, "The catalog does not satisfy the catalog schema", why+" The catalog schema nests 7 levels deep; trgen checks the shape before it builds anything from the document (docs/catalog.md).")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		off := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = max(int(se.Offset)-1, 0) // Offset is just past the bad byte
		}
		p := jsondoc.Pos(data, off)
		return nil, fail(rule.CatalogSyntax, hcl.Range{Filename: name, Start: p, End: p}, "The catalog is not valid JSON", err.Error()+". A catalog is a JSON document (docs/catalog.md).")
	}
	ix, err := jsondoc.NewIndex(name, data)
	if err != nil {
		return nil, fail(rule.CatalogSyntax, hcl.Range{Filename: name}, "The catalog is not valid JSON", err.Error())
	}
	sch, err := catalogSchema()
	if err != nil {
		panic(fmt.Sprintf("embedded catalog schema: %v", err)) // a build defect, not user input
	}
	// Every string of a catalog reaches a terminal or a generated file;
	// none may hold a control or bidi character (safetext.Unsafe).
	var diags hcl.Diagnostics
	jsondoc.Strings(doc, func(ptr, s string) {
		if i := strings.IndexFunc(s, safetext.Unsafe); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			diags = append(diags, fail(rule.CatalogSchema, ix.Range(ptr), "The catalog holds a control character",
				fmt.Sprintf("At %s: the text holds %U, a control or bidirectional-formatting character, which would reach a terminal or a generated file. Remove it; a catalog's text is plain printable text.", ptr, r))...)
		}
	})
	if err := sch.Validate(doc); err != nil {
		ve, ok := err.(*jsonschema.ValidationError)
		if !ok {
			return nil, fail(rule.CatalogSchema, hcl.Range{Filename: name}, "The catalog does not satisfy the catalog schema", err.Error())
		}
		seen := map[string]bool{}
		for _, l := range jsondoc.Leaves(ve) {
			ptr := "/" + strings.Join(l.InstanceLocation, "/")
			if ptr == "/" {
				ptr = ""
			}
			msg := strings.TrimSpace(l.ErrorKind.LocalizedString(printer))
			if seen[ptr+msg] {
				continue
			}
			seen[ptr+msg] = true
			where := ptr
			if where == "" {
				where = "the top level"
			}
			diags = append(diags, fail(rule.CatalogSchema, ix.Range(ptr), "The catalog does not satisfy the catalog schema",
				fmt.Sprintf("At %s: %s. schema/catalog.schema.json describes every field; docs/catalog.md explains them.", where, msg))...)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	c := &Catalog{raw: data, File: name}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fail(rule.CatalogSchema, hcl.Range{Filename: name}, "The catalog cannot be read", err.Error())
	}
	for _, ptr := range c.strayNeeds() {
		diags = append(diags, fail(rule.CatalogSchema, ix.Range(ptr), "A permission needs a module footnote 2 does not give",
			fmt.Sprintf("At %s: a permission's needs narrow footnote 2 to the modules of its list that the permission's tasks are in (%s). Name one of those, or drop needs.", ptr, strings.Join(c.footnote2Modules(), ", ")))...)
	}
	for _, p := range c.assumptions() {
		diags = append(diags, fail(rule.CatalogSchema, ix.Range(p.ptr), p.summary, p.detail)...)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	c.setPages()
	c.min, _ = version.Parse(c.ThreatResponse.Min) // the schema's pattern guarantees both parse
	c.below, _ = version.Parse(c.ThreatResponse.Below)
	if !c.min.Less(c.below) {
		return nil, fail(rule.CatalogSchema, ix.Range("/threat_response/below"), "The catalog's version line is empty",
			fmt.Sprintf("threat_response.below (%s) must be a later version than threat_response.min (%s): the catalog covers min up to, not including, below.", c.ThreatResponse.Below, c.ThreatResponse.Min))
	}
	return &Set{catalogs: []*Catalog{c}}, nil
}
