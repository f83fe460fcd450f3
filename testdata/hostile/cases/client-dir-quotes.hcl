# Quotes, $() and backticks in a directory that is otherwise valid: accepted, and quoted in every script.
deployment "hostile" {
  threat_response_version = "2.2.0"
  licenses                = ["trace"]

  platform {
    core_version    = "7.2.314.3550"
    computer_groups = ["All Computers", "All Windows", "All Linux", "All Mac"]
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address     = "10.0.0.11"
    install_dir = "C:\\Program Files\\Tanium\\Tanium Module Server"
  }

  endpoint_group "win" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = "7.4.1.1955"
    client_dir     = "C:\\Tanium 'x' $(whoami) `id` ${"$"}{x}\\Client"
    networks       = ["10.10.0.0/16"]
    host_firewall  = "windows"

    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "linux" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = "7.4.1.1955"
    networks       = ["10.30.0.0/16"]
    host_firewall  = "nftables"

    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }

    auditd {
      version    = "3.0.7"
      site_rules = "-w /etc/passwd -p wa -k identity\n"
    }
  }
}
