# Base deployment for the CLI scripts: every value a rule looks at is a
# variable whose default passes, so a script sets one -var to fail a rule
# and another to sit exactly on its boundary.
variable "tr" { default = "2.2.0" }
variable "core" { default = "7.2.314.3550" }
variable "groups" {
  type    = list(string)
  default = ["All Computers", "All Windows", "All Linux", "All Mac"]
}
variable "win_os" { default = "Windows 10" }
variable "win_client" { default = "7.4.1.1955" }
variable "dns" { default = false }
variable "event_source" { default = "tanium_driver" }
variable "mac_os" { default = "macOS 12" }
variable "mac_client" { default = "7.4.1.1955" }
variable "linux_client" { default = "7.4.1.1955" }
variable "db" { default = 1024 }
variable "disk" { default = 10 }
variable "cpus" { default = 2 }
variable "mem" { default = 4 }
variable "connect" { default = "4.10.5" }
variable "reputation" { default = "" }
variable "protect" { default = "2.1.0" }
variable "quarantine" { default = "3.1.1" }
variable "trends" { default = "1.0" }
variable "failure_mode" { default = 1 }
variable "immutable" { default = false }

locals {
  nullable = { for k, v in {
    connect = var.connect, reputation = var.reputation, protect = var.protect,
    quarantine = var.quarantine, trends = var.trends
  } : k => v == "" ? null : v }
}

deployment "base" {
  threat_response_version = var.tr
  licenses                = ["trace", "detect"]

  platform {
    core_version    = var.core
    computer_groups = var.groups
  }

  tanium_server "ts1" {
    address = "10.0.0.10"
  }

  module_server "tms1" {
    address = "10.0.0.11"
  }

  modules {
    connect    = local.nullable.connect
    reputation = local.nullable.reputation
    protect    = local.nullable.protect
    quarantine = local.nullable.quarantine
    trends     = local.nullable.trends
  }

  features {
    reputation         = true
    alert_remediation  = true
    endpoint_isolation = true
    trends             = true
  }

  endpoint_group "win" {
    os             = "windows"
    os_version     = var.win_os
    client_version = var.win_client
    networks       = ["10.10.0.0/16"]

    hardware {
      cpus         = var.cpus
      memory_gb    = var.mem
      free_disk_gb = var.disk
    }

    recorder {
      max_db_size_mb = var.db
      event_source   = var.event_source
      dns_events     = var.dns
    }
  }

  endpoint_group "mac" {
    os             = "macos"
    os_version     = var.mac_os
    client_version = var.mac_client
    networks       = ["10.20.0.0/16"]

    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }
  }

  endpoint_group "linux" {
    os             = "linux"
    os_version     = "Ubuntu 20.04"
    client_version = var.linux_client
    networks       = ["10.30.0.0/16"]

    hardware {
      cpus         = 2
      memory_gb    = 4
      free_disk_gb = 3
    }

    auditd {
      version      = "3.0.7"
      failure_mode = var.failure_mode
      immutable    = var.immutable
    }
  }
}
