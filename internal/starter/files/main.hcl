# A Tanium Threat Response deployment, written by `trgen init`.
#
#   trgen validate .            check it against the vendor's requirements
#   trgen generate . -o out     write the firewall, exclusion, audit, role
#                               and runbook files to out/<deployment>/
#   trgen schema                every block and attribute, with allowed values
#   trgen explain --list        every rule a diagnostic can cite
#
# The label names the output folder: lower-case letters, digits, - and _.
deployment "starter" {
  # Selects the requirements catalog (trgen requirements lists the versions).
  threat_response_version = "2.2.0"
  # Licensed features: any of trace, detect, incident_response.
  licenses = ["trace", "detect", "incident_response"]

  platform {
    # The Tanium Server (Core Platform) version; the page names the minimum.
    core_version = "7.4.5.1225"
  }

  # Hosts: address is an IP address, a CIDR or a DNS name. Firewall rules
  # need IP addresses, so prefer them.
  tanium_server "ts1" {
    address = cidrhost(var.internal_cidr, 10)
  }

  # Threat Response runs on the Module Server; host_firewall (default
  # "windows") chooses its firewall script, "none" leaves it out.
  module_server "tms1" {
    address = cidrhost(var.internal_cidr, 11)
  }

  # A Zone Server, usually in a DMZ, for endpoints that cannot reach the
  # Module Server directly; groups use it with connect_via.
  zone_server "dmz1" {
    address = "203.0.113.10"
  }

  # One block per group of alike endpoints. os is windows, linux or macos;
  # os_version is read leniently ("Windows 10", "RHEL 8", "macOS 13");
  # networks are the CIDRs the group lives in (its firewall sources).
  endpoint_group "workstations" {
    os             = "windows"
    os_version     = "Windows 11"
    client_version = var.client_version
    networks       = [cidrsubnet(var.internal_cidr, 8, 1)]
    # windows, or none; Linux groups take nftables, iptables or firewalld.
    host_firewall = "windows"
    endpoints     = 500

    # The smallest machine of the group, checked against the page's
    # endpoint requirements (CPUs, memory, free disk).
    hardware {
      cpus         = 2
      memory_gb    = 8
      free_disk_gb = 20
    }

    # The Windows event recorder: DNS events need Windows 8.1 or later.
    recorder {
      dns_events = true
    }
  }

  endpoint_group "linux-servers" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = var.client_version
    networks       = [cidrsubnet(var.internal_cidr, 8, 2)]
    host_firewall  = "nftables"
    endpoints      = 80

    hardware {
      cpus         = 4
      memory_gb    = 16
      free_disk_gb = 40
    }

    # The recorder adds its audit rules to the audit daemon's: trgen writes
    # the group's rules.d files; failure_mode 1 logs (2 would panic the
    # kernel on a lost message, and the recorder would add no rules).
    auditd {
      version      = "3.0.7"
      failure_mode = 1
    }
  }

  # Laptops outside the network reach Threat Response through the Zone
  # Server: their flows go to dmz1, not to the Module Server.
  endpoint_group "remote-laptops" {
    os             = "windows"
    os_version     = "Windows 11"
    client_version = var.client_version
    networks       = ["100.64.0.0/16"]
    connect_via    = "dmz1"
    endpoints      = 200

    hardware {
      cpus         = 2
      memory_gb    = 8
      free_disk_gb = 20
    }
  }
}
