# A Threat Response version outside every catalog: nothing else can be checked.
deployment "future" {
  threat_response_version = "4.1.0" # ERROR: threat-response-version-unsupported
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

  endpoint_group "g" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.2.314.3518"
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }
}
