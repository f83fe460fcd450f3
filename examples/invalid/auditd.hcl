# Linux auditd settings the recorder depends on ("Endpoints", Linux notes).
deployment "auditd" {
  threat_response_version = "2.2.0"
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

  endpoint_group "panic" {
    os             = "linux"
    os_version     = "RHEL 7.9"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
    auditd {
      version      = "2.8.5"
      failure_mode = 2    # ERROR: auditd-failure-mode
      immutable    = true # WARNING: auditd-immutable-restart
    }
  }

  endpoint_group "mac" {
    os             = "macos"
    os_version     = "macOS 13"
    client_version = "7.4.1.1955"
    networks       = ["10.2.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
    auditd { # ERROR: auditd-not-linux
      version = "3.0.7"
    }
  }
}
