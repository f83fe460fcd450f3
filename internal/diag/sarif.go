package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

// SARIFSchema is the $schema URL written; fixed so output is deterministic.
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// InformationURI is where SARIF consumers are sent for the tool.
const InformationURI = "https://github.com/trgen/trgen"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifLevel     `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifLevel struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags      []string `json:"tags"`
	Precision string   `json:"precision"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
	ExitCode            int  `json:"exitCode"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	// Suppressions holds the accept entry of an accepted warning.
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

// sarifSuppression is SARIF 2.1.0's suppression object (§3.35): an
// accepted warning is suppressed in source, accepted, with the reason.
type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification"`
	Location      *sarifLocation `json:"location,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// WriteSARIF writes a SARIF 2.1.0 log GitHub code scanning accepts: every
// rule with its metadata, one result per diagnostic with a physical location
// (a diagnostic without a source position points at line 1 of the first
// file) and a line-hash fingerprint that survives unrelated edits.
func WriteSARIF(w io.Writer, r *Report) error {
	all := rule.All()
	page := r.Page
	if page == "" {
		page = "the requirements page" // a report not made against a catalog
	}
	index := map[string]int{}
	rules := make([]sarifRule, len(all))
	for i, ru := range all {
		index[string(ru.ID)] = i
		rules[i] = sarifRule{
			ID:                   string(ru.ID),
			Name:                 camel(string(ru.ID)),
			ShortDescription:     sarifText{ru.Title},
			FullDescription:      sarifText{limit(ru.Description, 1000)},
			Help:                 sarifText{fmt.Sprintf("%s\n\nHow to fix: %s\n\nSource: %s", ru.Description, ru.Fix, ru.Source.Cite(page))},
			DefaultConfiguration: sarifLevel{sarifLevelOf(ru.Severity)},
			Properties:           sarifRuleProps{Tags: []string{"tanium", "threat-response"}, Precision: "very-high"},
		}
	}
	exit := 0
	if r.Failed() {
		exit = 1
	}
	run := sarifRun{
		Tool:        sarifTool{sarifDriver{Name: "trgen", Version: r.ToolVersion, InformationURI: InformationURI, Rules: rules}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true, ExitCode: exit}},
		ColumnKind:  "unicodeCodePoints",
		Results:     []sarifResult{},
	}
	fallback := firstFile(r.Files)
	seen := map[string]int{}
	for _, d := range r.Diagnostics {
		id := ruleID(d)
		s := d.Subject
		if s == nil || s.Filename == "" {
			s = &hcl.Range{Filename: fallback, Start: hcl.InitialPos, End: hcl.Pos{Line: 1, Column: 2, Byte: 1}}
		}
		endCol := s.End.Column
		if s.End.Line == s.Start.Line && endCol <= s.Start.Column {
			endCol = s.Start.Column + 1
		}
		line, _ := sourceLineAt(r.Files, s.Filename, s.Start)
		sum := sha256.Sum256([]byte(id + "\x00" + strings.Join(strings.Fields(line), " ")))
		h := hex.EncodeToString(sum[:8])
		seen[h]++
		msg := d.Summary
		if d.Detail != "" {
			msg += ". " + d.Detail
		}
		var sup []sarifSuppression
		if a := rule.AcceptanceOf(d); a != nil {
			sup = []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: a.Reason, Location: &sarifLocation{sarifPhysical{
				ArtifactLocation: sarifArtifact{relPath(r.BaseDir, a.At.Filename)},
				Region:           sarifRegion{StartLine: a.At.Start.Line, StartColumn: a.At.Start.Column, EndLine: a.At.End.Line, EndColumn: max(a.At.End.Column, a.At.Start.Column+1)},
			}}}}
		}
		run.Results = append(run.Results, sarifResult{
			Suppressions: sup,
			RuleID:       id,
			RuleIndex:    index[id],
			Level:        sarifLevelOf(d.Severity),
			Message:      sarifText{msg},
			Locations: []sarifLocation{{sarifPhysical{
				ArtifactLocation: sarifArtifact{relPath(r.BaseDir, s.Filename)},
				Region:           sarifRegion{StartLine: s.Start.Line, StartColumn: s.Start.Column, EndLine: s.End.Line, EndColumn: endCol},
			}}},
			PartialFingerprints: map[string]string{"primaryLocationLineHash": fmt.Sprintf("%s:%d", h, seen[h])},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifLevelOf(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagError {
		return "error"
	}
	return "warning"
}

// camel turns "client-version-excluded" into "ClientVersionExcluded".
func camel(id string) string {
	var b strings.Builder
	for _, p := range strings.Split(id, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

func limit(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func firstFile(files map[string]*hcl.File) string {
	first := ""
	for name := range files {
		if first == "" || name < first {
			first = name
		}
	}
	return first
}
