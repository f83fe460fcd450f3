package render

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"text/template"
)

// includeEngine is an Engine over one template, page, that includes the
// template "items" with .List, counting how often items runs.
func includeEngine(t *testing.T, runs *atomic.Int64) *Engine {
	t.Helper()
	set := template.New("").Option("missingkey=error").Funcs(FuncMap()).Funcs(template.FuncMap{
		"counted": func() string { runs.Add(1); return "" },
	})
	const page = `{{ .Name }}:{{ include "items" .List }}|{{ include "name" .Name }}` +
		`{{ define "items" }}{{ counted }}{{ range . }}[{{ . }}]{{ end }}{{ end }}` +
		`{{ define "name" }}<{{ . }}>{{ end }}` +
		`{{ define "broken" }}{{ .Missing }}{{ end }}`
	if _, err := set.New("page").Parse(page); err != nil {
		t.Fatal(err)
	}
	if _, err := set.New("bad").Parse(`{{ include "broken" .List }}`); err != nil {
		t.Fatal(err)
	}
	if _, err := set.New("unknown").Parse(`{{ include "no-such" .List }}`); err != nil {
		t.Fatal(err)
	}
	if _, err := set.New("loop").Parse(`{{ include "itself" .List }}{{ define "itself" }}{{ include "itself" . }}{{ end }}`); err != nil {
		t.Fatal(err)
	}
	return &Engine{tmpl: set}
}

type includeData struct {
	Name string
	List []string
}

// TestIncludeOncePerData: a template included with the same data (one
// slice: same elements, same length) renders once per Stream and every
// output gets its text; a prefix of the same elements, other elements
// with equal values, and empty or nil data are their own and come out
// right; failures inside an included template name the output, and a
// template that includes itself fails instead of exhausting the stack.
func TestIncludeOncePerData(t *testing.T) {
	var runs atomic.Int64
	e := includeEngine(t, &runs)
	shared := []string{"a", "b", "c"}
	copied := []string{"a", "b", "c"}
	var outs []Output
	want := map[string]string{}
	for i := range 200 {
		d := includeData{Name: fmt.Sprint("g", i), List: shared}
		switch i % 5 {
		case 1:
			d.List = shared[:1] // the same elements, shorter
		case 2:
			d.List = copied
		case 3:
			d.List = nil
		case 4:
			d.List = []string{}
		}
		outs = append(outs, Output{Path: d.Name, Template: "page", Data: d})
		var items strings.Builder
		for _, s := range d.List {
			items.WriteString("[" + s + "]")
		}
		want[d.Name] = d.Name + ":" + items.String() + "|<" + d.Name + ">"
	}
	for round := range 2 {
		runs.Store(0)
		files, err := e.Render(outs)
		if err != nil {
			t.Fatal(err)
		}
		for path, w := range want {
			if got := string(files[path]); got != w {
				t.Fatalf("round %d, %s: got %q, want %q", round, path, got, w)
			}
		}
		// shared, shared[:1] and copied once each (two workers may both
		// render one before either has stored it); nil and empty every time.
		if n := runs.Load(); n < 3+80 || n > 3+80+3 {
			t.Errorf("round %d: items ran %d times, want 83 (one per distinct list, one per empty or nil list)", round, n)
		}
	}
	for _, tc := range []struct{ tmpl, want string }{
		{"bad", `executing "broken" at <.Missing>`},
		{"unknown", `no template "no-such"`},
		{"loop", `nested more than 100 deep`},
	} {
		_, err := e.Render([]Output{{Path: "x/" + tc.tmpl, Template: tc.tmpl, Data: includeData{List: shared}}})
		var re *Error
		if !errors.As(err, &re) || re.Output != "x/"+tc.tmpl || !strings.Contains(err.Error(), tc.want) || len(err.Error()) > 400 {
			t.Errorf("%s: got %v, want an *Error naming the output and %q", tc.tmpl, err, tc.want)
		}
	}
}

// TestIncludeOutsideStream: the function map's include, what a template
// parsed outside an Engine (or run by RenderHTML) sees, refuses to run.
func TestIncludeOutsideStream(t *testing.T) {
	tmpl := template.Must(template.New("x").Funcs(FuncMap()).Parse(`{{ define "y" }}y{{ end }}{{ include "y" . }}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, nil); err == nil || !strings.Contains(err.Error(), "only templates executed by Engine.Stream") {
		t.Errorf("got %v", err)
	}
}
