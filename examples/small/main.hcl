# A small Threat Response deployment: one Tanium Server, one Module Server,
# and one endpoint group per operating system, all connecting directly.
# Validate it with:  trgen validate examples/small

deployment "small-lab" {
  threat_response_version = "2.2.0"
  licenses                = ["trace", "detect", "incident_response"]

  platform {
    core_version    = "7.2.314.3550"
    computer_groups = ["All Computers", "All Windows", "All Linux", "All Mac"]
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  modules {
    connect    = "4.10.5"
    protect    = "2.1.0"
    quarantine = "3.1.1"
  }

  features {
    reputation         = true
    alert_remediation  = true
    endpoint_isolation = true
  }

  endpoint_group "win-desktops" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.4.1.1955"
    networks       = ["10.10.0.0/16"]
    host_firewall  = "windows"
    endpoints      = 250

    hardware {
      cpus         = 2
      memory_gb    = 8
      free_disk_gb = 20
    }

    recorder {
      dns_events = true
    }
  }

  endpoint_group "linux-servers" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = "7.4.1.1955"
    networks       = ["10.30.0.0/24"]
    host_firewall  = "nftables"
    endpoints      = 40

    hardware {
      cpus         = 4
      memory_gb    = 16
      free_disk_gb = 50
    }

    recorder {
      max_db_size_mb = 512
    }

    auditd {
      version      = "3.0.7"
      failure_mode = 1
    }
  }

  endpoint_group "macs" {
    os             = "macos"
    os_version     = "macOS 12"
    client_version = "7.4.1.1955"
    networks       = ["10.40.0.0/22"]
    endpoints      = 60

    hardware {
      cpus         = 4
      memory_gb    = 8
      free_disk_gb = 30
    }
  }
}
