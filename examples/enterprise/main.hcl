# A large enterprise Threat Response deployment: a DMZ with two Zone
# Servers for remote endpoints, intel feeds, evidence collection to S3 and
# SFTP, and a dozen endpoint groups across Windows, Linux and macOS.

deployment "acme-prod" {
  threat_response_version = "2.2.0"
  licenses                = ["trace", "detect", "incident_response"]

  platform {
    core_version    = "7.4.5.1225"
    computer_groups = ["All Computers", "All Windows", "All Linux", "All Mac", "All Windows Servers"]
  }

  tanium_server "ts1" {
    address = cidrhost(var.corp_cidr, 10)
  }

  tanium_server "ts2" {
    address = cidrhost(var.corp_cidr, 11)
  }

  module_server "tms1" {
    address       = cidrhost(var.corp_cidr, 20)
    install_dir   = "D:\\Tanium\\Tanium Module Server"
    host_firewall = "windows"
  }

  zone_server "dmz-eu" {
    address = cidrhost(var.dmz_cidr, 10)
  }

  zone_server "dmz-us" {
    address = cidrhost(var.dmz_cidr, 11)
  }

  modules {
    connect    = "4.11.3"
    reputation = "5.1.2"
    protect    = "2.3.1"
    quarantine = "3.4.0"
    trends     = "1.2.0"
  }

  features {
    reputation         = true
    alert_remediation  = true
    endpoint_isolation = true
    trends             = true

    live_connections_without_approval = true
  }

  intel_stream "vendor-feed" {
    url       = "https://intel.example.com/feed.xml"
    addresses = ["198.51.100.20", "198.51.100.21"]
  }

  intel_stream "isac" {
    url       = "https://isac.example.org:8443/stix/collections/tr"
    addresses = ["198.51.100.40"]
  }

  intel_stream "legacy-mirror" {
    url       = "http://mirror.example.net/intel/yara.zip"
    addresses = ["203.0.113.80", "2001:db8:100::80"]
  }

  data_collection "evidence-s3" {
    transfer    = "s3"
    destination = var.evidence_bucket
    addresses   = var.evidence_bucket_ranges
  }

  # The SFTP server is internal: only the groups inside the network upload
  # to it. remote-laptops and amazon-cloud, behind the Zone Servers, use
  # the S3 bucket (an inbound SFTP path from outside would be a warning).
  data_collection "forensics-sftp" {
    transfer    = "sftp"
    destination = cidrhost(var.corp_cidr, 40)
    groups = [
      "fra-workstations", "lon-workstations", "nyc-workstations", "dc-servers", "legacy-servers",
      "rhel-app", "rhel-legacy", "ubuntu-web", "mac-designers", "mac-catalina",
    ]
  }

  # What the change board asks of the firewall change request
  # (firewall/change-request.md); every attribute is optional.
  change_request {
    requester     = "Security Engineering <seceng@acme.example>"
    ticket        = "CHG0042137"
    change_type   = "normal"
    window_start  = "2026-12-05T20:00:00+01:00"
    window_end    = "2026-12-06T02:00:00+01:00"
    justification = "Tanium Threat Response for incident investigation across the ACME estate."
  }

  # The network firewalls the flows cross, as Capirca policies
  # (firewall/capirca): Palo Alto and Junos filters by default, the DMZ's
  # SRX with its own zone names, and the core's ASA and Arista switches.
  network_firewall {
    targets = ["paloalto", "juniper"]

    boundary "internal-to-dmz" {
      targets   = ["srx"]
      from_zone = "trust"
      to_zone   = "dmz"
    }

    boundary "remote-to-dmz" {
      targets   = ["srx", "paloalto"]
      from_zone = "untrust"
      to_zone   = "dmz"
    }

    boundary "internal-to-internal" {
      targets     = ["ciscoasa", "arista"]
      filter_name = "TANIUM_TR_CORE"
    }
  }

  endpoint_group "fra-workstations" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = local.client_74
    networks       = [cidrsubnet(local.site_net["fra"], 4, 0), cidrsubnet(local.site_net["fra"], 4, 1)]
    host_firewall  = "windows"
    endpoints      = 4200

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }

    recorder {
      dns_events = true
    }
  }

  endpoint_group "lon-workstations" {
    os             = "windows"
    os_version     = "Windows 11"
    client_version = local.client_74
    networks       = [cidrsubnet(local.site_net["lon"], 4, 0)]
    host_firewall  = "windows"
    endpoints      = 2900

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }

    recorder {
      dns_events = true
    }
  }

  endpoint_group "nyc-workstations" {
    os             = "windows"
    os_version     = "Windows 10 Enterprise"
    client_version = local.client_74
    networks       = [cidrsubnet(local.site_net["nyc"], 4, 0)]
    host_firewall  = "windows"
    endpoints      = 3600

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }

    recorder {
      dns_events = true
    }
  }

  endpoint_group "dc-servers" {
    os             = "windows"
    os_version     = "Windows Server 2019"
    client_version = local.client_74
    networks       = [for s in local.sites : cidrsubnet(local.site_net[s], 8, 200)]
    host_firewall  = "windows"
    endpoints      = 36

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    recorder {
      dns_events     = true
      max_db_size_mb = 1024
    }
  }

  endpoint_group "legacy-servers" {
    os             = "windows"
    os_version     = "Windows Server 2008 R2"
    client_version = "7.2.314.3632"
    networks       = [cidrsubnet(local.site_net["fra"], 8, 210)]
    host_firewall  = "windows"
    endpoints      = 18

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    recorder {
      event_source   = "tanium_driver"
      max_db_size_mb = 512
    }
  }

  endpoint_group "rhel-app" {
    os             = "linux"
    os_version     = "RHEL 8"
    client_version = local.client_74
    networks       = [cidrsubnet(local.site_net["fra"], 8, 100), cidrsubnet(local.site_net["lon"], 8, 100)]
    host_firewall  = "nftables"
    endpoints      = 640

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    auditd {
      version      = local.auditd_v3
      failure_mode = 1
      site_rules   = file("rules/site.rules")
    }
  }

  endpoint_group "rhel-legacy" {
    os             = "linux"
    os_version     = "CentOS 7"
    client_version = "7.2.314.3632"
    networks       = [cidrsubnet(local.site_net["nyc"], 8, 100)]
    host_firewall  = "iptables"
    endpoints      = 120

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    auditd {
      version      = local.auditd_v2
      failure_mode = 1
    }
  }

  endpoint_group "ubuntu-web" {
    os             = "linux"
    os_version     = "Ubuntu 20.04"
    client_version = local.client_74
    networks       = [cidrsubnet(local.site_net["lon"], 8, 110)]
    host_firewall  = "firewalld"
    endpoints      = 210

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    auditd {
      version   = local.auditd_v3
      immutable = false
    }
  }

  endpoint_group "amazon-cloud" {
    os             = "linux"
    os_version     = "Amazon Linux 2"
    client_version = local.client_74
    networks       = ["172.20.0.0/16", "2001:db8:20::/48"]
    connect_via    = "dmz-us"
    host_firewall  = "nftables"
    endpoints      = 900

    hardware {
      cpus         = local.server.cpus
      memory_gb    = local.server.memory_gb
      free_disk_gb = local.server.free_disk_gb
    }

    auditd {
      version = local.auditd_v3
    }
  }

  endpoint_group "mac-designers" {
    os             = "macos"
    os_version     = "macOS 12"
    client_version = local.client_mac
    networks       = [cidrsubnet(local.site_net["lon"], 8, 50)]
    endpoints      = 350

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }
  }

  endpoint_group "mac-catalina" {
    os             = "macos"
    os_version     = "macOS 10.15"
    client_version = "7.2.314.3632"
    networks       = [cidrsubnet(local.site_net["nyc"], 8, 50)]
    endpoints      = 45

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }
  }

  endpoint_group "remote-laptops" {
    os             = "windows"
    os_version     = "Windows 10"
    client_version = local.client_74
    networks       = ["100.64.0.0/10"]
    connect_via    = "dmz-eu"
    host_firewall  = "windows"
    endpoints      = 5100

    hardware {
      cpus         = local.workstation.cpus
      memory_gb    = local.workstation.memory_gb
      free_disk_gb = local.workstation.free_disk_gb
    }

    recorder {
      dns_events = true
    }
  }

  # Custom Console roles and who gets them. Names in roles lists are
  # provided role names or role labels.
  role "soc-analyst" {
    display_name = "SOC Analyst (Tier 1)"
    description  = "Alerts, intel, live connections and evidence, read-mostly."
    kind         = "module"
    permissions = [
      "Show Threat Response", "Show Trace", "Threat Response Use API", "Trace Use API",
      "Detect Alert Read", "Detect Alert Write", "Detect Intel Read", "Detect Label Read",
      "Trace Live Connections Read", "Trace Live Connections Write", "Trace Live Connections Filesystem Browse",
      "Trace Saved Events Read", "Trace Saved Events Write", "Trace Snapshots Read", "Trace IOCs Read",
      "Threat Response Response Actions Read",
    ]
  }

  role "soar-integration" {
    display_name = "SOAR Integration Service"
    description  = "The SOAR platform's service account: reads alerts and intel, deploys intel, collects snapshots through the API."
    kind         = "module"
    permissions = [
      "Threat Response Use API", "Trace Use API", "Detect Use API", "Threat Response Service User Read",
      "Detect Alert Read", "Detect Intel Read", "Threat Response Intel Deploy", "Trace Snapshots Read", "Trace Snapshots Write",
    ]
  }

  role "soar-integration-content" {
    display_name = "SOAR Integration Service (content)"
    description  = "Saved questions on the Threat Response content sets, for the SOAR service account."
    kind         = "advanced"
    content_set_permission "Read Saved Question" {
      content_sets = ["Threat Response", "Incident Response"]
    }
    content_set_permission "Read Sensor" {
      content_sets = ["Threat Response", "Incident Response", "Trace Analysis"]
    }
  }

  role "computer-group-reader" {
    display_name = "Threat Response Computer Group Reader"
    kind         = "micro_admin"
    permissions  = ["Read Computer Group", "Read Filter Group"]
  }

  user_group "soc-tier1" {
    display_name = "SOC Tier 1"
    roles        = ["soc-analyst", "computer-group-reader"]
  }

  user_group "soar" {
    display_name = "SOAR Service Accounts"
    roles        = ["soar-integration", "soar-integration-content", "computer-group-reader"]
  }

  # Everything Threat Response touches, as the requirements page lists it.
  user_group "tr-admins" {
    display_name = "Threat Response Administrators"
    roles        = ["Threat Response Administrator", "Protect User", "Reputation Administrator", "Connect Administrator", "Show Interact", "Connect User"]
  }
}
