# Network firewall policies (firewall/capirca): flows no rule can express,
# platforms that would lose part of a boundary's flows, and boundary blocks
# that match no boundary.
deployment "network-firewall" {
  threat_response_version = "2.2.0"
  licenses                = ["trace"]

  platform {
    core_version = "7.2.314.3550"
  }

  tanium_server "ts1" {
    address = "ts1.example.com" # WARNING: firewall-needs-address
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  intel_stream "v6-only" {
    url       = "https://intel.example.com/feed.xml"
    addresses = ["2001:db8:100::80"] # WARNING: network-firewall-address-family
  }

  data_collection "evidence" {
    transfer    = "s3"
    destination = "evidence.example.com"
    addresses   = ["198.51.100.0/24", "2001:db8:200::/48"]
  }

  network_firewall {
    targets = ["paloalto", "ciscoasa"] # ERROR: network-firewall-target-ipv4-only

    boundary "dmz-to-internal" { # WARNING: network-firewall-boundary-unused
      targets = ["srx"]
    }
  }

  endpoint_group "dual-stack" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/24", "2001:db8:1::/64"]
    hardware {
      cpus         = 2
      memory_gb    = 8
      free_disk_gb = 20
    }
  }
}
