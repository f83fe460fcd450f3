package render

import (
	"errors"
	"strings"
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
