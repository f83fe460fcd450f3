# Language-level checks: labels, addresses, references, licenses, groups.
deployment "topology" {
  threat_response_version = "2.2.0"
  licenses                = ["trace", "incident-response"] # ERROR: license-unknown

  platform {
    core_version    = "7.2.314.3549"                              # ERROR: platform-version-unsupported
    computer_groups = ["All Computers", "All Windows", "All Mac"] # WARNING: computer-groups-missing
  }

  tanium_server "ts1" {
    address = "ts1..example.com" # ERROR: address-invalid
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  zone_server "DMZ 1" { # ERROR: label-invalid
    address = "203.0.113.10"
  }

  zone_server "dmz2" {
    address = "203.0.113.11"
  }

  intel_stream "feed" {
    url = "https://user:pw@intel.example.com/feed.xml" # ERROR: url-invalid
  }

  endpoint_group "g" {
    os             = "linux"
    os_version     = "Debian 11"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/24", "10.2.0.0/16x"] # ERROR: network-invalid
    connect_via    = "dmz3"                          # ERROR: connect-via-unknown
    host_firewall  = "windows"                       # ERROR: host-firewall-os-mismatch
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "g" { # ERROR: label-duplicate
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.4.1.1955"
    networks       = ["10.3.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }
}
