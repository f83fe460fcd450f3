# Features against the modules they need ("Tanium products").
deployment "features" {
  threat_response_version = "2.2.0"
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

  modules {
    connect = "4.11.2"
    protect = "2.0.3" # ERROR: feature-alert-remediation-module
    trends  = "0.9"   # ERROR: feature-trends-module
  }

  features {
    reputation         = true # ERROR: feature-reputation-modules
    alert_remediation  = true
    endpoint_isolation = true # ERROR: feature-endpoint-isolation-module
    trends             = true
  }

  endpoint_group "g" {
    os             = "linux"
    os_version     = "Oracle Linux 8"
    client_version = "7.4.1.1955"
    networks       = ["10.1.0.0/24"]
    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }
}
