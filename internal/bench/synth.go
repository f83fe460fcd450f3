// Package bench holds trgen's benchmarks and the synthetic deployments they
// run on: a deterministic generator of large, valid configurations, and a
// parse-only program that is the floor whole-process timings compare with.
package bench

import (
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/hostfw"
)

// Size is the shape of a synthetic deployment.
type Size struct {
	Groups           int
	Zones            int
	NetworksPerGroup int
}

// Enterprise is the shape issue 2 names: 1,000 groups, 20 zone servers,
// 4,000 networks.
var Enterprise = Size{Groups: 1000, Zones: 20, NetworksPerGroup: 4}

var (
	oses     = []string{"windows", "linux", "macos"}
	versions = map[string][]string{
		"windows": {"Windows 10", "Windows 11", "Windows Server 2016", "Windows Server 2019", "2012 R2"},
		"linux":   {"RHEL 8", "Ubuntu 20.04", "Amazon Linux 2", "SLES 15", "Debian 11"},
		"macos":   {"macOS 12", "macOS 13", "11", "10.15"},
	}
	firewalls = map[string][]string{
		"windows": hostfw.ForOS("windows"),
		"linux":   hostfw.ForOS("linux"),
		"macos":   hostfw.ForOS("macos"),
	}
)

// Deployment returns the HCL of a valid deployment of the given size. The
// same size always gives the same bytes.
func Deployment(s Size) []byte {
	var b strings.Builder
	b.Grow(s.Groups * 600)
	b.WriteString(`variable "client" {
  default = "7.4.1.1955"
}

locals {
  workstation = { cpus = 2, memory_gb = 8, free_disk_gb = 20 }
}

deployment "synthetic" {
  threat_response_version = "2.2.0"
  licenses                = ["trace", "detect", "incident_response"]

  platform {
    core_version    = "7.4.5.1225"
    computer_groups = ["All Computers", "All Windows", "All Linux", "All Mac"]
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  modules {
    connect    = "4.11.3"
    reputation = "5.1.2"
    protect    = "2.3.1"
    quarantine = "3.4.0"
  }

  features {
    reputation         = true
    alert_remediation  = true
    endpoint_isolation = true
  }

  intel_stream "feed" {
    url       = "https://intel.example.com/feed.xml"
    addresses = ["198.51.100.20"]
  }

  data_collection "evidence" {
    transfer    = "s3"
    destination = "s3.example.com"
    addresses   = ["192.0.2.0/25"]
  }
`)
	for z := 0; z < s.Zones; z++ {
		fmt.Fprintf(&b, "\n  zone_server \"zone-%d\" {\n    address = \"203.0.%d.%d\"\n  }\n", z, 113+z/200, 10+z%200)
	}
	net := 0
	for g := 0; g < s.Groups; g++ {
		os := oses[g%len(oses)]
		vs := versions[os]
		fws := firewalls[os]
		fmt.Fprintf(&b, "\n  endpoint_group \"group-%d\" {\n", g)
		fmt.Fprintf(&b, "    os             = %q\n    os_version     = %q\n    client_version = var.client\n", os, vs[g%len(vs)])
		b.WriteString("    networks       = [")
		for n := 0; n < s.NetworksPerGroup; n++ {
			if n > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "\"10.%d.%d.0/24\"", 1+net/256, net%256)
			net++
		}
		b.WriteString("]\n")
		if s.Zones > 0 && g%3 == 0 {
			fmt.Fprintf(&b, "    connect_via    = \"zone-%d\"\n", g%s.Zones)
		}
		fmt.Fprintf(&b, "    host_firewall  = %q\n    endpoints      = %d\n", fws[g%len(fws)], 50+g%900)
		b.WriteString("\n    hardware {\n      cpus         = local.workstation.cpus\n      memory_gb    = local.workstation.memory_gb\n      free_disk_gb = local.workstation.free_disk_gb\n    }\n")
		switch os {
		case "windows":
			b.WriteString("\n    recorder {\n      max_db_size_mb = 1024\n      dns_events     = true\n    }\n")
		case "linux":
			b.WriteString("\n    auditd {\n      version      = \"3.0.7\"\n      failure_mode = 1\n    }\n")
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return []byte(b.String())
}
