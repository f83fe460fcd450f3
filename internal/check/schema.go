package check

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

// DeploymentSchemaFile is the deployment JSON Schema's path in schema.FS.
const DeploymentSchemaFile = "deployment.schema.json"

var deploymentSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return jsondoc.CompileSchema(DeploymentSchemaFile)
})

var printer = message.NewPrinter(language.English)

// validateSchema checks the decoded deployment against the deployment JSON
// Schema and reports each failure at the source range of the value.
func validateSchema(d *model.Deployment) hcl.Diagnostics {
	sch, err := deploymentSchema()
	if err != nil {
		panic(fmt.Sprintf("embedded deployment schema: %v", err)) // a build defect, not user input
	}
	doc := map[string]any{"deployment": document(reflect.ValueOf(d))}
	err = sch.Validate(doc)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		panic(fmt.Sprintf("deployment schema validation: %v", err))
	}
	// rangeAt maps a JSON pointer (as segments) to the source range of the
	// value it names, or of its nearest ancestor that has one.
	rangeAt := func(loc []string) hcl.Range {
		if len(loc) == 0 || loc[0] != "deployment" {
			return d.DeclRange
		}
		return pointerRange(reflect.ValueOf(d), d.DeclRange, loc[1:])
	}
	leaves := jsondoc.Leaves(ve)
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, l := range leaves {
		ptr := "/" + strings.Join(l.InstanceLocation, "/")
		found := schemaDiagnostic(l, rangeAt)
		key := ptr + "\x00" + found.Summary
		if seen[key] {
			continue
		}
		seen[key] = true
		diags = append(diags, found)
	}
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Subject.Start.Byte < diags[j].Subject.Start.Byte })
	return diags
}

// labelBlock is the block type a label's instance location is in.
func labelBlock(loc []string) string {
	block := "block"
	if len(loc) >= 2 {
		block = loc[len(loc)-2]
		if isIndex(block) && len(loc) >= 3 {
			block = loc[len(loc)-3]
		}
	}
	return block
}

// schemaDiagnostic words one schema failure for the file's author.
func schemaDiagnostic(e *jsonschema.ValidationError, rangeAt func([]string) hcl.Range) *hcl.Diagnostic {
	rng := rangeAt(e.InstanceLocation)
	loc := e.InstanceLocation
	name := "deployment"
	if len(loc) > 0 {
		name = loc[len(loc)-1]
		if isIndex(name) && len(loc) > 1 {
			name = loc[len(loc)-2]
		}
	}
	id := rule.Schema
	summary := fmt.Sprintf("Invalid value for %q", name)
	detail := e.ErrorKind.LocalizedString(printer)
	switch k := e.ErrorKind.(type) {
	case *kind.Enum:
		detail = fmt.Sprintf("%q must be one of %s.%s", name, joinValues(k.Want), enumHint(k))
	case *kind.Const:
		detail = fmt.Sprintf("%q must be %v.", name, k.Want)
	case *kind.Pattern:
		if name == "label" {
			id = rule.LabelInvalid
			summary = fmt.Sprintf("Invalid %s label %q", labelBlock(loc), fmt.Sprint(k.Got))
			detail = fmt.Sprintf("Labels become file names: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters (%s).", k.Want)
		}
	case *kind.Not:
		if name == "label" {
			id = rule.LabelInvalid
			summary = fmt.Sprintf("Invalid %s label: a Windows device name", labelBlock(loc))
			detail = "Labels become file and folder names, and Windows reserves this one for a device (con, prn, aux, nul, com0-com9, lpt0-lpt9): a folder of that name cannot be created or copied there. Choose another label."
		}
	case *kind.Required:
		summary = "Missing required argument"
		detail = fmt.Sprintf("Add %s.", joinValues(anySlice(k.Missing)))
	case *kind.MinItems:
		if len(loc) == 2 && loc[0] == "deployment" {
			switch name {
			case "tanium_server":
				id, summary = rule.TaniumServers, "No tanium_server block"
			case "module_server":
				id, summary = rule.ModuleServers, "No module_server block"
			case "endpoint_group":
				id, summary = rule.EndpointGroups, "No endpoint_group block"
			}
			rng = rangeAt([]string{"deployment", "label"})
		}
		detail = fmt.Sprintf("%q needs at least %d item(s); it has %d.", name, k.Want, k.Got)
	case *kind.MaxItems:
		if len(loc) == 2 && name == "module_server" {
			id, summary = rule.ModuleServers, "More than one module_server block"
			rng = rangeAt(append(append([]string{}, loc...), "1"))
		}
		detail = fmt.Sprintf("%q allows at most %d item(s); it has %d.", name, k.Want, k.Got)
	case *kind.UniqueItems:
		rng = rangeAt(append(append([]string{}, loc...), strconv.Itoa(k.Duplicates[1])))
		summary = fmt.Sprintf("Duplicate value in %q", name)
		detail = fmt.Sprintf("Items %d and %d of %q are the same; list each value once.", k.Duplicates[0]+1, k.Duplicates[1]+1, name)
	}
	return rule.Tag(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail + " (schema/deployment.schema.json)",
		Subject:  rng.Ptr(),
	}, id)
}

func isIndex(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// enumHint is " Did you mean …?" for a string value near one of the
// enumeration's: written in another case ("Windows", "S3"), or misspelt.
func enumHint(k *kind.Enum) string {
	got, ok := k.Got.(string)
	if !ok {
		return ""
	}
	var want []string
	for _, w := range k.Want {
		if s, ok := w.(string); ok {
			if strings.EqualFold(s, got) {
				return fmt.Sprintf(" Did you mean %q? Values are lower case.", s)
			}
			want = append(want, s)
		}
	}
	return suggest.DidYouMean(strings.ToLower(got), want)
}

func joinValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		if s, ok := v.(string); ok {
			parts[i] = fmt.Sprintf("%q", s)
		} else {
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ", ")
}
