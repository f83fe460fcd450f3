package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

func report(src string, diags ...*hcl.Diagnostic) *Report {
	f := &hcl.File{Bytes: []byte(src)}
	return &Report{Diagnostics: diags, Files: map[string]*hcl.File{"d/main.hcl": f}, ToolVersion: "test"}
}

func rng(line, c0, c1, b0 int) *hcl.Range {
	return &hcl.Range{Filename: "d/main.hcl", Start: hcl.Pos{Line: line, Column: c0, Byte: b0}, End: hcl.Pos{Line: line, Column: c1, Byte: b0 + c1 - c0}}
}

// TestSARIFShape checks what GitHub code scanning requires of each result
// and rule (sarif-support-for-code-scanning): rule metadata, a region with
// startLine, and a primaryLocationLineHash fingerprint.
func TestSARIFShape(t *testing.T) {
	r := report("a = 1\nclient_version = \"7.2.314.3518\"\n",
		rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "bad", Detail: "why", Subject: rng(2, 18, 32, 23)}, rule.ClientExcluded),
		rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "no position"}, rule.Variable),
	)
	var b bytes.Buffer
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("bad log header: %+v", log)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "trgen" || len(run.Tool.Driver.Rules) != len(rule.All()) {
		t.Errorf("driver has %d rules, want %d", len(run.Tool.Driver.Rules), len(rule.All()))
	}
	for _, ru := range run.Tool.Driver.Rules {
		if ru.ShortDescription.Text == "" || ru.FullDescription.Text == "" || ru.Help.Text == "" || len(ru.FullDescription.Text) > 1000 {
			t.Errorf("rule %s lacks GitHub's required descriptions", ru.ID)
		}
	}
	if len(run.Results) != 2 {
		t.Fatalf("got %d results", len(run.Results))
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d does not point at %s", res.RuleIndex, res.RuleID)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %s lacks a physical location with startLine", res.RuleID)
		}
		if res.PartialFingerprints["primaryLocationLineHash"] == "" {
			t.Errorf("result %s lacks a fingerprint", res.RuleID)
		}
	}
	reg := run.Results[0].Locations[0].PhysicalLocation.Region
	if reg.StartLine != 2 || reg.StartColumn != 18 || reg.EndColumn != 32 || run.Results[0].Level != "error" {
		t.Errorf("region = %+v", reg)
	}
}

// TestSARIFCitesTheCatalogsPage: a rule's help cites the requirements
// page by the title of the catalog the deployment was checked against.
func TestSARIFCitesTheCatalogsPage(t *testing.T) {
	r := report("a = 1\n")
	r.Page = "Another requirements page"
	var b bytes.Buffer
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	for _, ru := range log.Runs[0].Tool.Driver.Rules {
		if ru.ID == string(rule.TaniumServers) && !strings.Contains(ru.Help.Text, "Source: Another requirements page, \"Ports\"") {
			t.Errorf("help of %s = %q, want it to cite the catalog's page", ru.ID, ru.Help.Text)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	d := rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "100% bad\nreally", Subject: &hcl.Range{Filename: "a,b:c.hcl", Start: hcl.Pos{Line: 3, Column: 2}, End: hcl.Pos{Line: 3, Column: 5}}}, rule.Schema)
	var b bytes.Buffer
	if err := WriteGitHub(&b, &Report{Diagnostics: hcl.Diagnostics{d}}); err != nil {
		t.Fatal(err)
	}
	want := "::error title=trgen schema,file=a%2Cb%3Ac.hcl,line=3,endLine=3,col=2,endColumn=5::100%25 bad%0Areally\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// TestTextUnderline: carets line up under tabs, and control or bidi
// characters in the source cannot reach the terminal.
func TestTextUnderline(t *testing.T) {
	src := "\tname = \"x\u202ey\"\x1b[2J\n"
	d := rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "s\x1b]0;pwned\x07", Subject: rng(1, 9, 14, 8)}, rule.Schema)
	var b bytes.Buffer
	if err := WriteText(&b, report(src, d), false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\u202e\x07") {
		t.Errorf("raw control characters reached the output: %q", out)
	}
	if !strings.Contains(out, "\n        \t       ^^^^^\n") {
		t.Errorf("underline not aligned:\n%s", out)
	}
}

func TestJUnit(t *testing.T) {
	r := report("x\n", rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "bad <&>", Subject: rng(1, 1, 2, 0)}, rule.DiskSpace),
		rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "meh", Subject: rng(1, 1, 2, 0)}, rule.CPUs))
	check := func(strict bool, wantFailures int) {
		r.Strict = strict
		var b bytes.Buffer
		if err := WriteJUnit(&b, r); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if doc.Tests != len(rule.All()) || doc.Failures != wantFailures {
			t.Errorf("strict=%v: tests=%d failures=%d, want %d and %d", strict, doc.Tests, doc.Failures, len(rule.All()), wantFailures)
		}
	}
	check(false, 1)
	check(true, 2)
}

// TestPrintableBidi: every bidirectional formatting character is replaced,
// U+061C (Arabic letter mark) too, as check's text rule sees them.
func TestPrintableBidi(t *testing.T) {
	for _, r := range []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, 0x1b, 0x9b} {
		if got := printable("a" + string(r) + "b"); got != "a?b" {
			t.Errorf("printable(U+%04X) = %q", r, got)
		}
	}
	if got := printable("tab\there"); got != "tab\there" {
		t.Errorf("a tab became %q", got)
	}
}

// TestAccepted: an accepted warning is counted apart, fails no --strict
// run, and keeps its reason in every format: a SARIF suppression (§3.35:
// kind inSource, status accepted, justification), JSON's accepted, a
// JUnit note, a GitHub notice.
func TestAccepted(t *testing.T) {
	src := "networks = [\"10.1.2.0/24\"]\naccept = { network-overlap = \"by design\" }\n"
	d := rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "overlap", Subject: rng(1, 13, 26, 12)}, rule.NetworkOverlap)
	rule.Accept(d, rule.Acceptance{Reason: "by design", At: *rng(2, 12, 27, 38)})
	r := report(src, d)
	r.Strict = true
	if e, w := r.Counts(); e != 0 || w != 0 || r.AcceptedCount() != 1 || r.Failed() {
		t.Fatalf("counts %d %d, accepted %d, failed %v", e, w, r.AcceptedCount(), r.Failed())
	}
	if rule.Of(d) != rule.NetworkOverlap {
		t.Errorf("accepting lost the rule id: %q", rule.Of(d))
	}
	var b bytes.Buffer
	WriteSARIF(&b, r)
	var log struct {
		Runs []struct {
			Results []struct {
				Suppressions []struct {
					Kind, Status, Justification string
					Location                    struct {
						PhysicalLocation struct {
							Region struct{ StartLine, StartColumn int }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	sup := log.Runs[0].Results[0].Suppressions
	if len(sup) != 1 || sup[0].Kind != "inSource" || sup[0].Status != "accepted" || sup[0].Justification != "by design" || sup[0].Location.PhysicalLocation.Region.StartLine != 2 {
		t.Errorf("suppressions = %+v", sup)
	}
	res := NewResult(r)
	if !res.Valid || res.WarningCount != 0 || res.AcceptedCount != 1 || res.Diagnostics[0].Accepted == nil || res.Diagnostics[0].Accepted.Where != "d/main.hcl:2:12" {
		t.Errorf("JSON result = %+v", res)
	}
	b.Reset()
	WriteJUnit(&b, r)
	if strings.Contains(b.String(), "<failure") || !strings.Contains(b.String(), "accepted at d/main.hcl:2:12: by design") {
		t.Errorf("JUnit:\n%s", b.String())
	}
	b.Reset()
	WriteGitHub(&b, r)
	if !strings.HasPrefix(b.String(), "::notice ") || !strings.Contains(b.String(), "Accepted at d/main.hcl:2:12: by design") {
		t.Errorf("GitHub: %s", b.String())
	}
	b.Reset()
	WriteText(&b, r, false)
	if strings.Contains(b.String(), "Warning:") || !strings.Contains(b.String(), "Accepted warning: overlap") {
		t.Errorf("text: %s", b.String())
	}
}

// TestWriteJSONStreamsAsEncoder: WriteJSON, which writes one diagnostic at
// a time, writes exactly what json.Encoder writes for NewResult.
func TestWriteJSONStreamsAsEncoder(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		r := &Report{}
		for i := 0; i < n; i++ {
			r.Diagnostics = append(r.Diagnostics, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: fmt.Sprintf("s%d <&>", i), Detail: "d\n\"x\"",
				Subject: &hcl.Range{Filename: "a.hcl", Start: hcl.Pos{Line: 1, Column: 2, Byte: 1}, End: hcl.Pos{Line: 1, Column: 3, Byte: 2}}})
		}
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(NewResult(r)); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d diagnostics:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
