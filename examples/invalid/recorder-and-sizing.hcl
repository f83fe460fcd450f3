# Recorder settings and endpoint sizing ("Tanium Event Recorder Driver",
# "Disk space requirements", "CPU and memory requirements").
deployment "recorder-and-sizing" {
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

  endpoint_group "w2012" {
    os             = "windows"
    os_version     = "Windows Server 2012"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 1    # WARNING: cpu-count
      memory_gb    = 2    # WARNING: memory
      free_disk_gb = 2.99 # ERROR: disk-space
    }
    recorder {
      event_source = "sysmon" # WARNING: event-source-sysmon
      dns_events   = true     # WARNING: dns-events-unavailable
    }
  }

  endpoint_group "huge-db" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.4.1.1955"
    networks       = ["10.2.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 100
    }
    recorder {
      max_db_size_mb = 2048 # WARNING: recorder-db-size
    }
  }

  endpoint_group "linux" {
    os             = "linux"
    os_version     = "Ubuntu 22.04"
    client_version = "7.4.1.1955"
    networks       = ["10.3.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
    recorder {
      event_source = "tanium_driver" # ERROR: recorder-setting-not-applicable
      dns_events   = false           # ERROR: recorder-setting-not-applicable
    }
  }
}
