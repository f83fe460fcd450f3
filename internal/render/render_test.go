package render

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/Masterminds/sprig/v3"
)

// TestAllowedExist fails when a sprig upgrade renames an allowed function.
func TestAllowedExist(t *testing.T) {
	all := sprig.TxtFuncMap()
	for _, name := range allowed {
		if _, ok := all[name]; !ok {
			t.Errorf("sprig has no %q", name)
		}
	}
}

// TestHermetic: nothing that reads the environment, the clock or
// randomness, or writes secrets, is reachable from a template.
func TestHermetic(t *testing.T) {
	fm := FuncMap()
	for _, name := range []string{"env", "expandenv", "now", "date", "ago", "randInt", "randAlpha", "shuffle", "uuidv4",
		"bcrypt", "genPrivateKey", "encryptAES", "getHostByName", "htpasswd", "derivePassword", "unixEpoch"} {
		if _, ok := fm[name]; ok {
			t.Errorf("%q is reachable from templates", name)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	e, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Render([]Output{{Path: "x", Template: "firewall/no-such.tmpl"}})
	var re *Error
	if !errors.As(err, &re) || re.Template != "firewall/no-such.tmpl" || re.Output != "x" {
		t.Errorf("got %v", err)
	}
	_, err = e.Render([]Output{{Path: "a", Template: "firewall/flows.csv.tmpl", Data: struct{}{}}})
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "firewall/flows.csv.tmpl:") {
		t.Errorf("a bad field should name the template and line, got %v", err)
	}
}

func TestQuoters(t *testing.T) {
	for _, bad := range []string{`a"b`, "a\nb", `a\b`, "$(x)", strings.Repeat("x", 129), "é"} {
		if _, err := SafeComment(bad); err == nil {
			t.Errorf("SafeComment accepted %q", bad)
		}
	}
	row, err := CSVRow("=cmd|' /C calc'!A0", "a,b", `q"q`, "+1", "-1", "@x", "plain")
	if err != nil {
		t.Fatal(err)
	}
	want := "'=cmd|' /C calc'!A0,\"a,b\",\"q\"\"q\",'+1,'-1,'@x,plain\r\n"
	if row != want {
		t.Errorf("CSVRow = %q, want %q", row, want)
	}
	table, err := CSVRecords([][]string{{"=cmd|' /C calc'!A0", "a,b", `q"q`, "+1", "-1", "@x", "plain"}, {"x\ny", ""}})
	if err != nil || table != want+"\"x\r\ny\",\r\n" { // encoding/csv writes a newline in a cell as CRLF too
		t.Errorf("CSVRecords = %q, %v", table, err)
	}
	if got, _ := XMLText(`<a href="x">&'`); got != "&lt;a href=&#34;x&#34;&gt;&amp;&#39;" {
		t.Errorf("XMLText = %q", got)
	}
	if _, err := XMLText("a\x01b"); err == nil {
		t.Error("XMLText accepted a control character")
	}
	if got := MDCell("a|b\n<script>"); got != `a\|b &lt;script&gt;` {
		t.Errorf("MDCell = %q", got)
	}
	if got := MermaidLabel(`a"b#c<d>`); got != "a#quot;b#35;c#60;d#62;" {
		t.Errorf("MermaidLabel = %q", got)
	}
	if got, _ := SHQuote("it's $(x)"); got != `'it'\''s $(x)'` {
		t.Errorf("SHQuote = %q", got)
	}
}

// TestStreamFailures: with several failing outputs the error is always the
// first in output order, however the goroutines interleave; a sink failure
// stops the run and is returned; two outputs may not share a path.
func TestStreamFailures(t *testing.T) {
	e, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	good := func(i int) Output {
		return Output{Path: fmt.Sprintf("ok%03d", i), Template: "roles/memberships.json.tmpl", Data: map[string]any{"Memberships": []any{}}}
	}
	var outs []Output
	for i := range 300 {
		outs = append(outs, good(i))
	}
	if _, err := e.Render(outs); err != nil {
		t.Fatalf("the good outputs fail: %v", err)
	}
	outs[120] = Output{Path: "bad120", Template: "firewall/no-such.tmpl"}
	outs[250] = Output{Path: "bad250", Template: "firewall/no-such.tmpl"}
	for range 20 {
		err := e.Stream(outs, func(path string, data []byte) error { return nil })
		var re *Error
		if !errors.As(err, &re) || re.Output != "bad120" {
			t.Fatalf("Stream returned %v, want the failure of bad120", err)
		}
	}
	sinkErr := errors.New("disk full")
	calls := 0
	var mu sync.Mutex
	err = e.Stream(outs[:100], func(string, []byte) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return sinkErr
	})
	if !errors.Is(err, sinkErr) {
		t.Errorf("Stream returned %v, want the sink's error", err)
	}
	if calls > 2 {
		t.Errorf("the sink was called %d times after failing", calls)
	}
	dup := []Output{good(1), good(1)}
	if err := e.Stream(dup, func(string, []byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "same path") {
		t.Errorf("duplicate paths: got %v", err)
	}
}

// TestCollectKeepsEachFile: Stream hands the sink its worker's buffer,
// valid only during the call; Collect keeps a copy of each file, so no
// file is overwritten by the next one rendered into the same memory.
func TestCollectKeepsEachFile(t *testing.T) {
	e, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	var outs []Output
	for i := range 200 {
		roles := make([]any, i%7)
		for j := range roles {
			roles[j] = map[string]any{"group": fmt.Sprint("g", i), "roles": []string{fmt.Sprint("r", j)}}
		}
		outs = append(outs, Output{Path: fmt.Sprintf("f%03d", i), Template: "roles/memberships.json.tmpl", Data: map[string]any{"Memberships": roles}})
	}
	files, err := e.Render(outs)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		one, err := e.Render([]Output{o})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(files[o.Path]), string(one[o.Path]); got != want || (i%7 > 0 && !strings.Contains(got, fmt.Sprintf(`"g%d"`, i))) {
			t.Fatalf("%s: collected %q, alone %q", o.Path, got, want)
		}
	}
}
