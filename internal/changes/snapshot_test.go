package changes_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/changes"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/state"
)

// TestHostFlowsFromRenderedFiles reads back the host firewall files the
// real templates write, from state.json and, as for an output older than
// it, from the files: a flow a file leaves out (its peer has only a DNS
// name; the templates say "Left out") is not one the file allows, every
// flow it does allow is found, in each firewall kind, and a group whose
// label looks like a flow id is not a flow.
func TestHostFlowsFromRenderedFiles(t *testing.T) {
	src := []byte(`deployment "d" {
  threat_response_version = "2.2.0"
  licenses                = ["trace"]
  platform { core_version = "7.2.314.3550" }
  tanium_server "ts1" { address = "10.0.0.10" }
  module_server "tms1" { address = "10.0.0.11" }
  data_collection "share" {
    transfer    = "sftp"
    destination = "files.example.com"
  }
  endpoint_group "nft" {
    os = "linux"
    os_version = "RHEL 9"
    client_version = "7.4.1.1955"
    networks = ["10.1.0.0/16"]
    host_firewall = "nftables"
    hardware {
      cpus = 2
      memory_gb = 8
      free_disk_gb = 20
    }
  }
  endpoint_group "ipt" {
    os = "linux"
    os_version = "RHEL 9"
    client_version = "7.4.1.1955"
    networks = ["10.2.0.0/16"]
    host_firewall = "iptables"
    hardware {
      cpus = 2
      memory_gb = 8
      free_disk_gb = 20
    }
  }
  endpoint_group "fwd" {
    os = "linux"
    os_version = "RHEL 9"
    client_version = "7.4.1.1955"
    networks = ["10.3.0.0/16"]
    host_firewall = "firewalld"
    hardware {
      cpus = 2
      memory_gb = 8
      free_disk_gb = 20
    }
  }
  endpoint_group "fabcdef012345" {
    os = "linux"
    os_version = "RHEL 9"
    client_version = "7.4.1.1955"
    networks = ["10.5.0.0/16"]
    host_firewall = "nftables"
    hardware {
      cpus = 2
      memory_gb = 8
      free_disk_gb = 20
    }
  }
  endpoint_group "win" {
    os = "windows"
    os_version = "Windows 11"
    client_version = "7.4.1.1955"
    networks = ["10.4.0.0/16"]
    host_firewall = "windows"
    hardware {
      cpus = 2
      memory_gb = 8
      free_disk_gb = 20
    }
  }
}
`)
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "d.hcl", Data: src}}, load.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if res := check.Deployment(cfg.Deployment, set); res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	eng, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	h := generate.NewHeader(cfg.Deployment, set.Latest(), "test", cfg.Filenames)
	files, err := render.Collect(func(sink render.Sink) error { return generate.Stream(eng, cfg.Deployment, set.Latest(), h, nil, sink) })
	if err != nil {
		t.Fatal(err)
	}
	without := maps.Clone(files)
	delete(without, state.FileName)
	for _, files := range []map[string][]byte{files, without} {
		snap, err := changes.Read(files)
		if err != nil {
			t.Fatal(err)
		}
		for group, file := range map[string]string{"nft": "endpoints-nft.nft", "ipt": "endpoints-ipt.iptables", "fwd": "endpoints-fwd.firewalld.xml", "win": "endpoints-win.ps1", "fabcdef012345": "endpoints-fabcdef012345.nft"} {
			var want, leftOut []string
			for id, f := range snap.Flows {
				if f.Source != "endpoint_group."+group {
					continue
				}
				if f.Destination == "data_collection.share" {
					leftOut = append(leftOut, id)
				} else {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			got := snap.HostFlows[file]
			if len(leftOut) != 1 || !slices.Equal(got, want) {
				t.Errorf("%s (from files: %v): read back %v, want %v (left out: %v)", file, snap.FromFiles, got, want, leftOut)
			}
		}
	}
}
