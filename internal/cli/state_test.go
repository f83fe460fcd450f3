package cli

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/changes"
	"github.com/trgen/trgen/internal/emit"
	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/state"
)

// TestStateAgreesWithTheFiles: state.json satisfies its schema, and what
// it records of an output is
// what its rendered files say, read back as plan reads an output of an
// older trgen — flows, host firewall files, exclusions, audit rules,
// roles, memberships and findings — so that comparing an old output read
// from its files with a new one's state shows no difference that is not
// one.
func TestStateAgreesWithTheFiles(t *testing.T) {
	sch, err := jsondoc.CompileSchema("state.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	warned := t.TempDir()
	src := warnedDeployment
	if err := os.WriteFile(filepath.Join(warned, "main.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"../../examples/small", "../../examples/enterprise", warned} {
		out := t.TempDir()
		if code, _, stderr := runMain(t, "generate", dir, "-o", out); code != 0 {
			t.Fatalf("generate %s: %s", dir, stderr)
		}
		entries, _ := os.ReadDir(out)
		prev, err := emit.ReadOutput(filepath.Join(out, entries[0].Name()), nil)
		if err != nil {
			t.Fatal(err)
		}
		files := prev.Files
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(files[state.FileName]))
		if err != nil {
			t.Fatalf("%s: %s: %v", dir, state.FileName, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: %s does not satisfy schema/state.schema.json: %v", dir, state.FileName, err)
		}
		fromState, err := changes.Read(files)
		if err != nil {
			t.Fatal(err)
		}
		if fromState.FromFiles {
			t.Fatalf("%s: read from the files although it has a state", dir)
		}
		without := maps.Clone(files)
		delete(without, state.FileName)
		fromFiles, err := changes.Read(without)
		if err != nil {
			t.Fatal(err)
		}
		if !fromFiles.FromFiles {
			t.Fatalf("%s: FromFiles is not set for an output without a state", dir)
		}
		if len(fromState.Flows) == 0 || len(fromState.HostFlows) == 0 || len(fromState.Exclusions) == 0 || len(fromState.AuditRules) == 0 {
			t.Fatalf("%s: the state is missing whole sections: %d flows, %d host firewall files, %d exclusion targets, %d audit rule sets",
				dir, len(fromState.Flows), len(fromState.HostFlows), len(fromState.Exclusions), len(fromState.AuditRules))
		}
		if dir == "../../examples/enterprise" && (len(fromState.Roles) == 0 || len(fromState.Memberships) == 0) {
			t.Errorf("%s: the state has no roles or memberships", dir)
		}
		if dir == warned && len(fromState.Findings) == 0 {
			t.Errorf("%s: the state has no findings", dir)
		}
		if len(fromState.Runbook) == 0 || dir != warned && len(fromState.Policies) == 0 {
			t.Errorf("%s: the state has no network policy terms or no runbook steps", dir)
		}
		// What only the state holds.
		named := 0
		for id, f := range fromState.Flows {
			if f.DestinationName != "" {
				named++
			}
			f.DestinationName = ""
			fromState.Flows[id] = f
		}
		if dir == "../../examples/enterprise" && named == 0 {
			t.Errorf("%s: no flow records its destination's DNS name", dir)
		}
		fromState.Policies, fromState.Runbook, fromState.FromFiles = fromFiles.Policies, fromFiles.Runbook, true
		if diff := cmp.Diff(fromFiles, fromState); diff != "" {
			t.Errorf("%s: state.json and the rendered files disagree (-files +state):\n%s", dir, diff)
		}
	}
}

// TestOutputsIndependentOfInvocation: the outputs do not depend on how
// the deployment's path was written or where trgen ran (issue 32:
// report.json said contoso/main.hcl or main.hcl by the working
// directory, so generate --check failed between a developer and CI).
func TestOutputsIndependentOfInvocation(t *testing.T) {
	dir := t.TempDir()
	src := warnedDeployment
	if err := os.MkdirAll(filepath.Join(dir, "contoso"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "contoso", "main.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{{"contoso", "-o", "o1"}, {"./contoso/main.hcl", "-o", "o2"}} {
		if code, _, stderr := runMain(t, append([]string{"generate"}, args...)...); code != 0 {
			t.Fatalf("generate %v: %s", args, stderr)
		}
	}
	t.Chdir(filepath.Join(dir, "contoso"))
	if code, _, stderr := runMain(t, "generate", ".", "-o", "../o3"); code != 0 {
		t.Fatalf("generate . : %s", stderr)
	}
	for _, f := range []string{"report.json", "state.json"} {
		first, err := os.ReadFile(filepath.Join(dir, "o1", "w", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(first, []byte(`main.hcl`)) {
			t.Fatalf("%s names no file: the test needs a finding", f)
		}
		for _, o := range []string{"o2", "o3"} {
			data, err := os.ReadFile(filepath.Join(dir, o, "w", f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, data) {
				t.Errorf("%s differs between invocations (o1, %s):\n%s\n%s", f, o, first, data)
			}
		}
	}
	if code, out, stderr := runMain(t, "generate", ".", "-o", "../o1", "--check"); code != 0 {
		t.Errorf("generate --check from inside the folder against an output written from outside: exit %d\n%s%s", code, out, stderr)
	}
}

// warnedDeployment has a finding (zone-server-unused), so that its
// outputs name a file in report.json and state.json.
const warnedDeployment = `deployment "w" {
  threat_response_version = "2.2.0"
  licenses                = ["trace"]
  platform { core_version = "7.2.314.3550" }
  tanium_server "ts1" { address = "10.0.0.10" }
  module_server "tms1" { address = "10.0.0.11" }
  zone_server "dmz" { address = "203.0.113.9" }
  endpoint_group "g" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = "7.4.1.1955"
    networks       = ["10.3.0.0/24"]
    host_firewall  = "iptables"
    hardware {
      cpus         = 2
      memory_gb    = 8
      free_disk_gb = 20
    }
  }
}
`
