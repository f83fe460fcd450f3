// Package refdoc renders the reference pages in docs/: the deployment
// language, from the deployment JSON Schema, and the rules, from package
// rule. Tests keep the committed pages equal to what it renders, so the
// schema and the docs cannot drift apart.
package refdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/schema"
	"github.com/trgen/trgen/templates"
)

// jsonSchema is the part of a JSON Schema the reference reads.
type jsonSchema struct {
	Type             string                 `json:"type"`
	Description      string                 `json:"description"`
	Properties       map[string]*jsonSchema `json:"properties"`
	Required         []string               `json:"required"`
	Items            *jsonSchema            `json:"items"`
	Enum             []any                  `json:"enum"`
	Pattern          string                 `json:"pattern"`
	Minimum          *float64               `json:"minimum"`
	ExclusiveMinimum *float64               `json:"exclusiveMinimum"`
	MinItems         *int                   `json:"minItems"`
	MaxItems         *int                   `json:"maxItems"`
	MinLength        *int                   `json:"minLength"`
	UniqueItems      bool                   `json:"uniqueItems"`
	// Ref is a "#/$defs/<name>" reference, resolved by resolve.
	Ref  string                 `json:"$ref"`
	Defs map[string]*jsonSchema `json:"$defs"`
	// AdditionalProperties is false for a block, a schema for a map.
	AdditionalProperties json.RawMessage `json:"additionalProperties"`
}

// resolve replaces every "#/$defs/<name>" reference below s by its
// definition in defs.
func resolve(s *jsonSchema, defs map[string]*jsonSchema) error {
	if s == nil {
		return nil
	}
	for n, p := range s.Properties {
		if name, ok := strings.CutPrefix(p.Ref, "#/$defs/"); ok {
			d, found := defs[name]
			if !found {
				return fmt.Errorf("deployment schema: no definition %q", name)
			}
			s.Properties[n] = d
			continue
		}
		if err := resolve(p, defs); err != nil {
			return err
		}
	}
	return resolve(s.Items, defs)
}

// isMap reports whether s is a map attribute (an object of any keys,
// the values given by additionalProperties), not a block.
func isMap(s *jsonSchema) bool {
	return s.Type == "object" && len(s.AdditionalProperties) > 0 && s.AdditionalProperties[0] == '{'
}

// Attribute is one row of a block's argument table.
type Attribute struct {
	Name, Type, Constraints, Description string
	Required                             bool
}

// Block is one section of the language reference.
type Block struct {
	Title, Description, Children string
	Attributes                   []Attribute
}

// Language renders docs/language.md. functions are the expression
// functions' names.
func Language(functions []string) ([]byte, error) {
	data, err := schema.FS.ReadFile("deployment.schema.json")
	if err != nil {
		return nil, err
	}
	var root jsonSchema
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if err := resolve(&root, root.Defs); err != nil {
		return nil, err
	}
	dep := root.Properties["deployment"]
	var blocks []Block
	collect(dep, "deployment \"<label>\"", &blocks)
	sort.Strings(functions)
	quoted := make([]string, len(functions))
	for i, f := range functions {
		quoted[i] = "`" + f + "`"
	}
	return execute("docs/language.md.tmpl", map[string]any{
		"Intro":        root.Description,
		"Functions":    strings.Join(quoted, ", "),
		"LabelPattern": dep.Properties["label"].Pattern,
		"Blocks":       blocks,
	})
}

// collect adds the section of block s (titled title) and its nested blocks.
func collect(s *jsonSchema, title string, out *[]Block) {
	b := Block{Title: title, Description: s.Description}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	var children []string
	type nested struct {
		name string
		s    *jsonSchema
		many bool
	}
	var subs []nested
	for _, n := range names {
		p := s.Properties[n]
		if n == "label" {
			continue
		}
		if (p.Type == "object" && !isMap(p)) || (p.Type == "array" && p.Items != nil && p.Items.Type == "object") {
			many := p.Type == "array"
			inner := p
			if many {
				inner = p.Items
			}
			child := "`" + n + "`"
			switch {
			case req[n] && many && p.MaxItems != nil && *p.MaxItems == 1:
				child += " (required, exactly one)"
			case req[n] && many:
				child += " (required, one or more)"
			case req[n]:
				child += " (required)"
			case many:
				child += " (optional, any number)"
			default:
				child += " (optional)"
			}
			children = append(children, child)
			subs = append(subs, nested{n, inner, many})
			continue
		}
		b.Attributes = append(b.Attributes, Attribute{
			Name: n, Type: typeOf(p), Required: req[n], Constraints: constraints(p), Description: escapeCell(p.Description),
		})
	}
	b.Children = strings.Join(children, ", ")
	*out = append(*out, b)
	for _, sub := range subs {
		t := title + " > " + sub.name
		if _, labelled := sub.s.Properties["label"]; labelled {
			t += " \"<label>\""
		}
		collect(sub.s, t, out)
	}
}

func typeOf(p *jsonSchema) string {
	if p.Type == "array" && p.Items != nil {
		return "list of " + p.Items.Type
	}
	if isMap(p) {
		var v jsonSchema
		if json.Unmarshal(p.AdditionalProperties, &v) == nil && v.Type != "" {
			return "map of " + v.Type
		}
	}
	return p.Type
}

func constraints(p *jsonSchema) string {
	var c []string
	if len(p.Enum) > 0 {
		vs := make([]string, len(p.Enum))
		for i, v := range p.Enum {
			vs[i] = fmt.Sprintf("`%v`", v)
		}
		c = append(c, "one of "+strings.Join(vs, ", "))
	}
	if p.Minimum != nil {
		c = append(c, fmt.Sprintf("≥ %v", *p.Minimum))
	}
	if p.ExclusiveMinimum != nil {
		c = append(c, fmt.Sprintf("> %v", *p.ExclusiveMinimum))
	}
	if p.MinItems != nil {
		c = append(c, fmt.Sprintf("at least %d item(s)", *p.MinItems))
	}
	if p.UniqueItems {
		c = append(c, "unique")
	}
	if p.MinLength != nil && *p.MinLength > 0 {
		c = append(c, "non-empty")
	}
	return strings.Join(c, "; ")
}

func escapeCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ")
}

// RuleRow is one rule of the rules reference.
type RuleRow struct {
	ID, Severity, Title, Description, Fix, Source string
}

// Rules renders docs/rules.md, citing the requirements page by the
// bundled catalog's title.
func Rules() ([]byte, error) {
	set, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	page := set.Latest().Document.Title
	var rows []RuleRow
	for _, r := range rule.All() {
		sev := "warning"
		if r.Severity == hcl.DiagError {
			sev = "error"
		}
		rows = append(rows, RuleRow{string(r.ID), sev, escapeCell(r.Title), r.Description, r.Fix, escapeCell(r.Source.Cite(page))})
	}
	return execute("docs/rules.md.tmpl", map[string]any{"Rules": rows})
}

var multipleBlanks = regexp.MustCompile(`\n{3,}`)

func execute(name string, data any) ([]byte, error) {
	t, err := template.New("").Option("missingkey=error").ParseFS(templates.FS, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name[strings.LastIndexByte(name, '/')+1:], data); err != nil {
		return nil, err
	}
	// One blank line between blocks, whatever the template's conditionals
	// left (Markdown lint MD012).
	out := multipleBlanks.ReplaceAll(b.Bytes(), []byte("\n\n"))
	return append(bytes.TrimRight(out, "\n"), '\n'), nil
}
