# Supported endpoint operating systems ("Endpoints").
deployment "operating-systems" {
  threat_response_version = "2.0.5"
  licenses                = ["trace"]

  platform {
    core_version = "7.2.314.3550"
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  endpoint_group "xp" {
    os             = "windows"
    os_version     = "Windows XP" # ERROR: os-unsupported
    client_version = "7.2.314.3608"
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "w2008" {
    os             = "windows"
    os_version     = "Server 2008" # ERROR: os-unsupported
    client_version = "7.2.314.3608"
    networks       = ["10.2.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "w2003" {
    os             = "windows"
    os_version     = "Windows Server 2003" # ERROR: os-unsupported
    client_version = "7.2.314.3608"
    networks       = ["10.3.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "yosemite" {
    os             = "macos"
    os_version     = "Mac OS X 10.10" # ERROR: os-unsupported
    client_version = "7.2.314.3608"
    networks       = ["10.4.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "catalina" {
    os             = "macos"
    os_version     = "10.15.7" # WARNING: macos-protected-directories
    client_version = "7.2.314.3608"
    networks       = ["10.5.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "unknown" {
    os             = "linux"
    os_version     = "Plan 9 4" # ERROR: os-version-invalid
    client_version = "7.2.314.3608"
    networks       = ["10.6.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }
}
