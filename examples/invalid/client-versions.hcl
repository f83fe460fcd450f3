# Tanium Client version rules ("Tanium dependencies").
# Each marked line states the diagnostic trgen must report there.
deployment "client-versions" {
  threat_response_version = "2.0.9"
  licenses                = ["trace", "detect"]

  platform {
    core_version = "7.2.314.3550"
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  endpoint_group "too-old" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.2.314.3211" # ERROR: client-version-too-old
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "excluded" {
    os             = "linux"
    os_version     = "CentOS 7"
    client_version = "7.2.314.3518" # ERROR: client-version-excluded
    networks       = ["10.2.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "catalina" {
    os             = "macos"
    os_version     = "macOS 10.15"
    client_version = "7.2.314.3600" # ERROR: client-version-macos
    networks       = ["10.3.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "seven-four" {
    os             = "windows"
    os_version     = "Windows 11"
    client_version = "7.4.2.2033" # ERROR: client-version-needs-threat-response
    networks       = ["10.4.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "seven-three" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.3.314.4250" # WARNING: client-version-unlisted; WARNING: exclusion-client-line
    networks       = ["10.5.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }
}
