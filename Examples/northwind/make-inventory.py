#!/usr/bin/env python3
"""Writes Northwind's inventory exports: the scans and the Active Directory collection.

    python3 Examples/northwind/make-inventory.py [OUTDIR]

OUTDIR defaults to the folder of this script (Examples/northwind). It writes

    scans/nmap-2026-11-25.xml                  nmap -oX (Nmap 7.94, xmloutputversion 1.05)
    scans/weekly-2026-11-26.nessus             Nessus v2 export (NessusClientData_v2)
    ad/20261126064512_{users,groups,computers,domains}.json   SharpHound v6 (CE) collector files

and nothing else: bulwark.yaml, the firewall exports and the AWS exports are written by hand. The
output is deterministic (no clock, no randomness): running it again gives byte-identical files, so
`git diff` stays empty. Python 3 standard library only. Edit this script, not its output.

The hosts, names and addresses here are the manifest's (bulwark.yaml `hosts:`); keep the two in step.
The CVEs and their CVSS 3.1 vectors are NVD's; Nessus plugin ids, names and dates are modelled on
Tenable's and are illustrative.

The story the files tell (bulwark.yaml's header tells it too):

  * www (DMZ, Apache httpd 2.4.50) has CVE-2021-42013 (path traversal to RCE, on CISA's KEV list) on
    tcp/80 and tcp/443, which the edge opens to the internet.
  * app01 (data centre, Windows, Tomcat with the order service) logs through Log4j 2.14.1:
    Log4Shell, CVE-2021-44228, on tcp/443, which the edge opens to www (CHG-1877) and the internal
    firewall opens to the offices (the intranet order portal).
  * db01 (data centre, Debian, PostgreSQL 13.11, the customer orders) has CVE-2023-5869 (8.8, needs
    a database login, no public exploit): reachable from www (the catalogue) and from the app
    servers; its host firewall refuses everything else.
  * hist01 (data centre, Windows Server 2008 R2, the plant historian) still lacks MS17-010
    (EternalBlue, KEV): only the data centre itself reaches its SMB.
  * mail has a medium without an exploit (Postfix SMTP smuggling, CVE-2023-51764); two laptops lack
    the Follina patch (CVE-2022-30190, local: no network step).
  * AD NORTHWIND.LOCAL: HELPDESK (j.weber, m.klein, phished in the manifest) has GenericAll on
    SERVER ADMINS and is local admin on every workstation; s.braun (SERVER ADMINS) is logged on to
    WS-IT01; svc_orders (kerberoastable: HTTP/app01, password never expires) is a member of SERVER
    ADMINS and runs Tomcat on APP01; SERVER ADMINS are local admins of APP01, FS01, HIST01 and
    JUMP01; the Domain Admin adm.kmueller left a session on FS01 (she should use JUMP01, which
    nothing but the management network reaches); the internal firewall lets the offices reach FS01's
    SMB (file shares). So: phish a helpdesk user -> SERVER ADMINS -> FS01 -> adm.kmueller -> Domain
    Admins -> DC01; and from the internet: www -> app01 -> svc_orders -> SERVER ADMINS -> FS01 -> ...
"""
import calendar
import json
import os
import sys
import time

# -- the estate's facts, shared by every file ------------------------------------------------------

DOMAIN = "NORTHWIND.LOCAL"
DOMAIN_DN = "DC=NORTHWIND,DC=LOCAL"
DSID = "S-1-5-21-2874381051-1735096242-4027110351"
STAMP = "20261126064512"                                  # SharpHound's file-name prefix
NMAP_START = calendar.timegm((2026, 11, 25, 22, 0, 0))    # scans run at night, UTC
NESSUS_START = calendar.timegm((2026, 11, 26, 1, 0, 0))
WHEN_CREATED = calendar.timegm((2019, 5, 6, 9, 0, 0))
LAST_LOGON = calendar.timegm((2026, 11, 25, 7, 45, 0))
PWD_LAST_SET = calendar.timegm((2026, 8, 3, 8, 0, 0))
SVC_PWD_LAST_SET = calendar.timegm((2019, 6, 12, 14, 0, 0))
SHARPHOUND_METHODS = 46067
SCANNER = "10.20.5.40"                                    # the Nessus and nmap scanner, in the app subnet

# name, address, nessus os, nmap os match, domain-joined (AD computer name or None)
HOSTS = [
    ("www", "198.51.100.10", "Linux Kernel 5.15.0-89-generic on Ubuntu 22.04", "Linux 4.15 - 5.8", None),
    ("mail", "198.51.100.20", "Linux Kernel 6.1.0-13-amd64 on Debian 12", "Linux 4.15 - 5.8", None),
    ("ns1", "198.51.100.53", "Linux Kernel 6.1.0-13-amd64 on Debian 12", "Linux 4.15 - 5.8", None),
    ("dc01", "10.20.1.10", "Microsoft Windows Server 2022 Standard", "Microsoft Windows Server 2022", "DC01"),
    ("fs01", "10.20.3.10", "Microsoft Windows Server 2019 Standard", "Microsoft Windows Server 2019", "FS01"),
    ("app01", "10.20.5.15", "Microsoft Windows Server 2019 Standard", "Microsoft Windows Server 2019", "APP01"),
    ("hist01", "10.20.7.20", "Microsoft Windows Server 2008 R2 Standard Service Pack 1",
     "Microsoft Windows Server 2008 R2 SP1", "HIST01"),
    ("db01", "10.20.10.5", "Linux Kernel 5.10.0-26-amd64 on Debian 11", "Linux 4.15 - 5.8", None),
    ("ws-floor1", "10.10.3.44", "Microsoft Windows 10 Enterprise Build 19045", "Microsoft Windows 10 1909 - 22H2", "WS-FLOOR1"),
    ("ws-hd01", "10.10.3.61", "Microsoft Windows 11 Enterprise Build 22631", "Microsoft Windows 11 21H2 - 23H2", "WS-HD01"),
    ("ws-hd02", "10.10.3.62", "Microsoft Windows 10 Enterprise Build 19045", "Microsoft Windows 10 1909 - 22H2", "WS-HD02"),
    ("ws-it01", "10.10.3.70", "Microsoft Windows 11 Enterprise Build 22631", "Microsoft Windows 11 21H2 - 23H2", "WS-IT01"),
    ("eng-ws", "10.10.40.21", "Microsoft Windows 10 Enterprise LTSC 2019 Build 17763",
     "Microsoft Windows 10 1909 - 22H2", "ENG-WS"),
    ("jump01", "10.99.0.10", "Microsoft Windows Server 2022 Standard", "Microsoft Windows Server 2022", "JUMP01"),
    ("web-1", "10.80.1.10", "Linux Kernel 6.1.55-75.123.amzn2023.x86_64 on Amazon Linux 2023", "Linux 4.15 - 5.8", None),
    ("orders-1", "10.80.2.20", "Linux Kernel 6.1.55-75.123.amzn2023.x86_64 on Amazon Linux 2023", "Linux 4.15 - 5.8", None),
]
HOST = {h[0]: h for h in HOSTS}
NESSUS_HOSTS = [h for h in HOSTS if h[0] not in ("web-1", "orders-1")]   # the VPC has its own agent-based scans


def fqdn(name):
    return "%s.%s" % (name, DOMAIN.lower())


def ctime(t):
    """ctime-style UTC rendering, as nmap (startstr) and Nessus (HOST_START) write dates."""
    g = time.gmtime(t)
    return "%s %2d %s" % (time.strftime("%a %b", g), g.tm_mday, time.strftime("%H:%M:%S %Y", g))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s):
    return esc(s).replace('"', "&quot;")


# -- scans/nmap-2026-11-25.xml ---------------------------------------------------------------------

def svc(name, product=None, version=None, extrainfo=None, ostype=None, tunnel=None, method="probed", conf=10, cpes=()):
    return dict(name=name, product=product, version=version, extrainfo=extrainfo, ostype=ostype, tunnel=tunnel,
                method=method, conf=conf, cpes=list(cpes))


WIN = "cpe:/o:microsoft:windows"
MSRPC = svc("msrpc", "Microsoft Windows RPC", ostype="Windows", cpes=[WIN])
NETBIOS = svc("netbios-ssn", "Microsoft Windows netbios-ssn", ostype="Windows", cpes=[WIN])
SMB = svc("microsoft-ds", method="table", conf=3)
RDP = svc("ms-wbt-server", "Microsoft Terminal Services", ostype="Windows", cpes=[WIN])
WINRM = svc("http", "Microsoft HTTPAPI httpd", "2.0", "SSDP/UPnP", ostype="Windows", cpes=[WIN])


def openssh(version, extra, cpe_version):
    return svc("ssh", "OpenSSH", version, extra, ostype="Linux",
               cpes=["cpe:/a:openbsd:openssh:%s" % cpe_version, "cpe:/o:linux:linux_kernel"])


APACHE = dict(product="Apache httpd", version="2.4.50", extrainfo="(Ubuntu)", cpes=["cpe:/a:apache:http_server:2.4.50"])
WINDOWS_BASE = [(135, MSRPC), (139, NETBIOS), (445, SMB), (3389, RDP)]
NMAP_PORTS = {
    "www": [(22, openssh("8.9p1 Ubuntu 3ubuntu0.4", "Ubuntu Linux; protocol 2.0", "8.9p1")),
            (80, svc("http", **APACHE)), (443, svc("http", tunnel="ssl", **APACHE))],
    "mail": [(22, openssh("9.2p1 Debian 2+deb12u1", "protocol 2.0", "9.2p1")),
             (25, svc("smtp", "Postfix smtpd", cpes=["cpe:/a:postfix:postfix"]))],
    "ns1": [(22, openssh("9.2p1 Debian 2+deb12u1", "protocol 2.0", "9.2p1")),
            (53, svc("domain", "ISC BIND", "9.18.19-1~deb12u1", "Debian Linux", ostype="Linux",
                     cpes=["cpe:/a:isc:bind:9.18.19-1~deb12u1"]))],
    "dc01": [(53, svc("domain", "Simple DNS Plus", ostype="Windows", cpes=[WIN])),
             (88, svc("kerberos-sec", "Microsoft Windows Kerberos", extrainfo="server time: 2026-11-25 22:04:11Z",
                      ostype="Windows", cpes=["cpe:/a:microsoft:kerberos", WIN])),
             (135, MSRPC), (139, NETBIOS),
             (389, svc("ldap", "Microsoft Windows Active Directory LDAP",
                       extrainfo="Domain: northwind.local0., Site: HQ", ostype="Windows", cpes=[WIN])),
             (445, SMB), (464, svc("kpasswd5", method="table", conf=3)),
             (636, svc("ssl/ldap", "Microsoft Windows Active Directory LDAP",
                       extrainfo="Domain: northwind.local0., Site: HQ", ostype="Windows", tunnel="ssl", cpes=[WIN])),
             (3268, svc("ldap", "Microsoft Windows Active Directory LDAP",
                        extrainfo="Domain: northwind.local0., Site: HQ", ostype="Windows", cpes=[WIN])),
             (3389, RDP), (5985, WINRM)],
    "fs01": WINDOWS_BASE + [(5985, WINRM)],
    "app01": [(135, MSRPC), (443, svc("http", "Apache Tomcat", "9.0.54", tunnel="ssl", cpes=["cpe:/a:apache:tomcat:9.0.54"])),
              (445, SMB), (3389, RDP), (5985, WINRM)],
    "hist01": [(135, MSRPC), (139, NETBIOS),
               (445, svc("microsoft-ds", "Microsoft Windows Server 2008 R2 microsoft-ds",
                         extrainfo="workgroup: NORTHWIND", ostype="Windows",
                         cpes=["cpe:/o:microsoft:windows_server_2008:r2"])),
               (3389, RDP), (4840, svc("opcua-tcp", method="table", conf=3))],
    "db01": [(22, openssh("8.4p1 Debian 5+deb11u2", "protocol 2.0", "8.4p1")),
             (5432, svc("postgresql", "PostgreSQL DB", "9.6.0 or later", cpes=["cpe:/a:postgresql:postgresql"]))],
    "ws-floor1": WINDOWS_BASE,
    "ws-hd01": WINDOWS_BASE,
    "ws-hd02": WINDOWS_BASE,
    "ws-it01": WINDOWS_BASE + [(5985, WINRM)],
    "eng-ws": WINDOWS_BASE,
    "jump01": WINDOWS_BASE + [(5985, WINRM), (5986, svc("ssl/http", "Microsoft HTTPAPI httpd", "2.0", "SSDP/UPnP",
                                                        ostype="Windows", tunnel="ssl", cpes=[WIN]))],
    "web-1": [(443, svc("http", "nginx", "1.24.0", tunnel="ssl", cpes=["cpe:/a:f5:nginx:1.24.0"]))],
    "orders-1": [(8080, svc("http", "Apache Tomcat", "10.1.16", extrainfo="Spring Boot", cpes=["cpe:/a:apache:tomcat:10.1.16"]))],
}
NMAP_OS_CPE = {
    "Linux 4.15 - 5.8": ("general purpose", "Linux", "Linux", "4.X", "cpe:/o:linux:linux_kernel:4"),
    "Microsoft Windows Server 2019": ("general purpose", "Microsoft", "Windows", "2019", "cpe:/o:microsoft:windows_server_2019"),
    "Microsoft Windows Server 2022": ("general purpose", "Microsoft", "Windows", "2022", "cpe:/o:microsoft:windows_server_2022"),
    "Microsoft Windows Server 2008 R2 SP1": ("general purpose", "Microsoft", "Windows", "2008",
                                             "cpe:/o:microsoft:windows_server_2008:r2:sp1"),
    "Microsoft Windows 10 1909 - 22H2": ("general purpose", "Microsoft", "Windows", "10", "cpe:/o:microsoft:windows_10"),
    "Microsoft Windows 11 21H2 - 23H2": ("general purpose", "Microsoft", "Windows", "11", "cpe:/o:microsoft:windows_11"),
}


def complement(open_ports, lo=1, hi=65535):
    """The ranges of lo..hi not in open_ports, as nmap writes extrareasons' ports."""
    out, start = [], lo
    for p in sorted(open_ports) + [hi + 1]:
        if p > start:
            out.append("%d" % start if p - 1 == start else "%d-%d" % (start, p - 1))
        start = p + 1
    return ",".join(out)


def hops_from_scanner(ip):
    """Distance from the scanner in 10.20.5.0/24: its own subnet 1, the data centre 2, beyond the
    firewalls 3."""
    if ip.startswith("10.20.5."):
        return 1
    if ip.startswith("10.20."):
        return 2
    return 3


def nmap_xml():
    targets = "198.51.100.0/24 10.20.0.0/16 10.10.0.0/16 10.99.0.0/24 10.80.0.0/16"
    args = "nmap -sS -sV -O -p- -T4 -oX nmap-2026-11-25.xml %s" % targets
    o = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<!DOCTYPE nmaprun>",
         '<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>',
         "<!-- Nmap 7.94SVN scan initiated %s as: %s -->" % (ctime(NMAP_START), args),
         '<nmaprun scanner="nmap" args="%s" start="%d" startstr="%s" version="7.94SVN" xmloutputversion="1.05">'
         % (attr(args), NMAP_START, ctime(NMAP_START)),
         '<scaninfo type="syn" protocol="tcp" numservices="65535" services="1-65535"/>',
         '<verbose level="0"/>',
         '<debugging level="0"/>']
    t = NMAP_START + 30
    for i, (name, ip, _nessus_os, nmap_os, _joined) in enumerate(HOSTS):
        ports = NMAP_PORTS[name]
        windows = "Windows" in nmap_os
        distance = hops_from_scanner(ip)
        ttl = (128 if windows else 64) - (distance - 1)
        start, end = t + i * 41, t + 600 + i * 53
        o.append('<host starttime="%d" endtime="%d"><status state="up" reason="%s" reason_ttl="%d"/>'
                 % (start, end, "echo-reply" if distance > 1 else "arp-response", ttl))
        o.append('<address addr="%s" addrtype="ipv4"/>' % ip)
        o.append("<hostnames>")
        if name in ("web-1", "orders-1"):
            o.append('<hostname name="ip-%s.eu-central-1.compute.internal" type="PTR"/>' % ip.replace(".", "-"))
        else:
            o.append('<hostname name="%s" type="PTR"/>' % fqdn(name))
        o.append("</hostnames>")
        o.append("<ports>")
        closed = 65535 - len(ports)
        o.append('<extraports state="filtered" count="%d">' % closed)
        o.append('<extrareasons reason="no-response" count="%d" proto="tcp" ports="%s"/>'
                 % (closed, complement([p for p, _ in ports])))
        o.append("</extraports>")
        for port, s in ports:
            a = ['name="%s"' % s["name"]]
            for key in ("product", "version", "extrainfo", "ostype", "tunnel"):
                if s[key]:
                    a.append('%s="%s"' % (key, attr(s[key])))
            a.append('method="%s" conf="%d"' % (s["method"], s["conf"]))
            inner = "".join("<cpe>%s</cpe>" % c for c in s["cpes"])
            service = "<service %s>%s</service>" % (" ".join(a), inner) if inner else "<service %s/>" % " ".join(a)
            o.append('<port protocol="tcp" portid="%d"><state state="open" reason="syn-ack" reason_ttl="%d"/>%s</port>'
                     % (port, ttl, service))
        o.append("</ports>")
        kind, vendor, family, gen, cpe = NMAP_OS_CPE[nmap_os]
        o.append("<os>")
        o.append('<portused state="open" proto="tcp" portid="%d"/>' % ports[0][0])
        o.append('<portused state="closed" proto="udp" portid="%d"/>' % (31000 + i * 17))
        o.append('<osmatch name="%s" accuracy="%d" line="%d">' % (attr(nmap_os), 96 if windows else 95, 71000 + i * 977))
        o.append('<osclass type="%s" vendor="%s" osfamily="%s" osgen="%s" accuracy="%d"><cpe>%s</cpe></osclass>'
                 % (kind, vendor, family, gen, 96 if windows else 95, cpe))
        o.append("</osmatch>")
        o.append("</os>")
        o.append('<distance value="%d"/>' % distance)
        o.append('<times srtt="%d" rttvar="%d" to="100000"/>' % (380 + distance * 210 + i * 7, 90 + i * 5))
        o.append("</host>")
    finished = NMAP_START + 2160
    n = len(HOSTS)
    total = 256 + 65536 + 65536 + 256 + 65536
    o.append('<runstats><finished time="%d" timestr="%s" summary="Nmap done at %s; %d IP addresses (%d hosts up) '
             'scanned in 2160.34 seconds" elapsed="2160.34" exit="success"/><hosts up="%d" down="%d" total="%d"/>'
             % (finished, ctime(finished), ctime(finished), total, n, n, total - n, total))
    o.append("</runstats>")
    o.append("</nmaprun>")
    return "\n".join(o) + "\n"


# -- scans/weekly-2026-11-26.nessus ----------------------------------------------------------------

def vuln(**kw):
    base = dict(protocol="tcp", cves=[], cwes=[], cvss3=None, cvss2=None, exploit=False, frameworks=[],
                patch_date=None, vuln_date=None, output=None, agent="all", see_also=[])
    base.update(kw)
    return base


APACHE_42013 = dict(
    svc="www", severity=4, plugin=153884, family="Web Servers",
    name="Apache 2.4.x < 2.4.51 Path Traversal Vulnerability",
    cves=["CVE-2021-42013"], cwes=["22"],
    cvss3=("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8"),
    cvss2=("CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P", "7.5"),
    exploit=True, frameworks=["metasploit", "core"], vuln_date="2021/10/07", patch_date="2021/10/07",
    synopsis="The remote web server is affected by a path traversal vulnerability.",
    description="The version of Apache httpd installed on the remote host is 2.4.50. The fix for CVE-2021-41773 in "
                "2.4.50 was insufficient: an attacker can map URLs to files outside the directories configured by "
                "Alias-like directives, and where mod_cgi is enabled for those paths, run code (CVE-2021-42013).",
    solution="Upgrade to Apache version 2.4.51 or later.",
    see_also=["https://httpd.apache.org/security/vulnerabilities_24.html"])

VULNS = {
    "www": [
        vuln(port=80, output="\n  URL               : http://www.northwind.local/\n  Installed version : 2.4.50\n"
                             "  Fixed version     : 2.4.51\n", **APACHE_42013),
        vuln(port=443, output="\n  URL               : https://www.northwind.local/\n  Installed version : 2.4.50\n"
                              "  Fixed version     : 2.4.51\n", **APACHE_42013),
    ],
    "mail": [vuln(
        port=25, svc="smtp", severity=2, plugin=187327, family="SMTP problems",
        name="Postfix < 3.8.5 SMTP Smuggling (CVE-2023-51764)",
        cves=["CVE-2023-51764"], cwes=["345"],
        cvss3=("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", "5.3"),
        cvss2=("CVSS2#AV:N/AC:L/Au:N/C:N/I:P/A:N", "5.0"),
        exploit=False, vuln_date="2023/12/24", patch_date="2023/12/22",
        synopsis="The remote mail server lets a sender smuggle a second message past SPF checks.",
        description="The Postfix SMTP server on the remote host (3.7.6) accepts <LF>.<CR><LF> as end of data. A "
                    "sender can end a message early and inject a second one that appears to come from any domain "
                    "hosted on the same outbound server (SMTP smuggling), defeating SPF alignment.",
        solution="Upgrade to Postfix 3.8.5, 3.7.10, 3.6.14 or 3.5.24 and set smtpd_forbid_bare_newline = normalize.",
        output="\n  Banner            : 220 mail.northwind.de ESMTP Postfix (Debian/GNU)\n  Installed version : 3.7.6\n",
        see_also=["https://www.postfix.org/smtp-smuggling.html"])],
    "dc01": [vuln(
        port=3389, svc="msrdp", severity=2, plugin=51192, family="General",
        name="SSL Certificate Cannot Be Trusted",
        cvss3=("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", "6.5"),
        cvss2=("CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:N", "6.4"),
        synopsis="The SSL certificate for this service cannot be trusted.",
        description="The server's X.509 certificate is self-signed (the RDP service's default certificate).",
        solution="Issue the RDP service a certificate from the enterprise CA.",
        output="\n|-Subject : CN=DC01.northwind.local\n|-Issuer  : CN=DC01.northwind.local\n")],
    "fs01": [vuln(
        port=445, svc="cifs", severity=2, plugin=57608, family="Misc.",
        name="SMB Signing not required",
        cvss3=("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", "5.3"),
        cvss2=("CVSS2#AV:N/AC:L/Au:N/C:N/I:P/A:N", "5.0"),
        synopsis="Signing is not required on the remote SMB server.",
        description="Signing is not required on the remote SMB server. An unauthenticated, remote attacker can "
                    "exploit this to conduct man-in-the-middle attacks against the SMB server.",
        solution="Enforce message signing in the host's configuration ('Microsoft network server: Digitally sign "
                 "communications (always)').")],
    "app01": [
        vuln(port=443, svc="www", severity=4, plugin=156014, family="Web Servers",
             name="Apache Log4Shell RCE detection via callback correlation (Direct Check HTTP)",
             cves=["CVE-2021-44228"], cwes=["20", "400", "502", "917"],
             cvss3=("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"),
             cvss2=("CVSS2#AV:N/AC:M/Au:N/C:C/I:C/A:C", "9.3"),
             exploit=True, frameworks=["metasploit", "core", "canvas"], vuln_date="2021/12/09", patch_date="2021/12/10",
             synopsis="The remote web server is affected by a remote code execution vulnerability.",
             description="The remote web server is affected by a remote code execution vulnerability in the Apache "
                         "Log4j library. A JNDI lookup string sent in the User-Agent, X-Api-Version and other headers "
                         "made the host call back to the scanner's LDAP listener, so a remote, unauthenticated "
                         "attacker can load and run arbitrary Java code.",
             solution="Upgrade to Apache Log4j 2.17.1 or later (2.12.4 for Java 7), or remove the JndiLookup class.",
             output="\nNessus received an LDAP callback from 10.20.5.15 after sending the request :\n\n"
                    "  GET /orders/api/v1/status HTTP/1.1\n  User-Agent: ${jndi:ldap://10.20.5.40:1389/nessus}\n",
             see_also=["https://logging.apache.org/log4j/2.x/security.html"]),
        vuln(port=0, svc="general", severity=4, plugin=156860, family="Windows", agent="windows",
             name="Apache Log4j 2.0 < 2.3.2 / 2.4 < 2.12.4 / 2.13 < 2.17.1 RCE",
             cves=["CVE-2021-44228", "CVE-2021-45046"], cwes=["502", "917"],
             cvss3=("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"),
             cvss2=("CVSS2#AV:N/AC:M/Au:N/C:C/I:C/A:C", "9.3"),
             exploit=True, frameworks=["metasploit"], vuln_date="2021/12/09", patch_date="2021/12/28",
             synopsis="A package installed on the remote host is affected by multiple vulnerabilities.",
             description="The version of Apache Log4j on the remote host is 2.14.1, which is affected by the JNDI "
                         "lookup remote code execution flaws (CVE-2021-44228, CVE-2021-45046).",
             solution="Upgrade to Apache Log4j version 2.17.1 or later.",
             output="\n  Path              : C:\\Northwind\\order-service\\lib\\log4j-core-2.14.1.jar\n"
                    "  Installed version : 2.14.1\n  Fixed version     : 2.17.1\n"),
        vuln(port=3389, svc="msrdp", severity=2, plugin=51192, family="General",
             name="SSL Certificate Cannot Be Trusted",
             cvss3=("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", "6.5"),
             cvss2=("CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:N", "6.4"),
             synopsis="The SSL certificate for this service cannot be trusted.",
             description="The server's X.509 certificate is self-signed (the RDP service's default certificate).",
             solution="Issue the RDP service a certificate from the enterprise CA.",
             output="\n|-Subject : CN=APP01.northwind.local\n|-Issuer  : CN=APP01.northwind.local\n"),
    ],
    "hist01": [
        vuln(port=445, svc="cifs", severity=3, plugin=97833, family="Windows",
             name="MS17-010: Security Update for Microsoft Windows SMB Server (4013389) (ETERNALBLUE) (ETERNALCHAMPION) "
                  "(ETERNALROMANCE) (ETERNALSYNERGY) (WannaCry) (EternalRocks) (Petya) (uncredentialed check)",
             cves=["CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145", "CVE-2017-0146", "CVE-2017-0147", "CVE-2017-0148"],
             cvss3=("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", "8.1"),
             cvss2=("CVSS2#AV:N/AC:M/Au:N/C:C/I:C/A:C", "9.3"),
             exploit=True, frameworks=["metasploit", "core", "canvas"], vuln_date="2017/03/14", patch_date="2017/03/14",
             synopsis="The remote Windows host is affected by multiple vulnerabilities.",
             description="The remote Windows host is missing the MS17-010 update. Its Microsoft Server Message Block 1.0 "
                         "(SMBv1) server mishandles certain requests, which lets an unauthenticated, remote attacker run "
                         "arbitrary code (ETERNALBLUE and related exploits; WannaCry and NotPetya spread this way).",
             solution="Apply the MS17-010 update, and disable SMBv1.",
             output="\nSent : 00000000 ...\nReceived : STATUS_INSUFF_SERVER_RESOURCES for FID 0\n"),
        vuln(port=0, svc="general", severity=4, plugin=108797, family="Windows", agent="windows",
             name="Unsupported Windows OS (remote)",
             cvss3=("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"),
             cvss2=("CVSS2#AV:N/AC:L/Au:N/C:C/I:C/A:C", "10.0"),
             synopsis="The remote OS or service pack is no longer supported.",
             description="The remote version of Microsoft Windows (Windows Server 2008 R2 SP1) has been out of extended "
                         "support since 2020/01/14 (ESU since 2023/01/10): it receives no security updates.",
             solution="Upgrade to a supported version of Windows.",
             output="\nThe following Windows version is installed and not supported:\n\n"
                    "  Microsoft Windows Server 2008 R2 Standard Service Pack 1\n"),
    ],
    "db01": [vuln(
        port=5432, svc="postgresql", severity=3, plugin=186004, family="Databases",
        name="PostgreSQL 11.x < 11.22 / 12.x < 12.17 / 13.x < 13.13 / 14.x < 14.10 / 15.x < 15.5 / 16.x < 16.1 "
             "Multiple Vulnerabilities",
        cves=["CVE-2023-5868", "CVE-2023-5869", "CVE-2023-5870"], cwes=["190", "400", "787"],
        cvss3=("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "8.8"),
        cvss2=("CVSS2#AV:N/AC:L/Au:S/C:C/I:C/A:C", "9.0"),
        exploit=False, vuln_date="2023/11/09", patch_date="2023/11/09",
        synopsis="The remote database server is affected by multiple vulnerabilities.",
        description="The version of PostgreSQL installed on the remote host is 13.11. An authenticated database user "
                    "can overflow an integer while modifying array values and write to arbitrary memory "
                    "(CVE-2023-5869); aggregate functions can disclose memory (CVE-2023-5868); and pg_cancel_backend "
                    "can signal background workers (CVE-2023-5870).",
        solution="Upgrade to PostgreSQL 13.13 or later.",
        output="\n  Port              : 5432\n  Installed version : 13.11\n  Fixed version     : 13.13\n",
        see_also=["https://www.postgresql.org/support/security/CVE-2023-5869/"])],
}
FOLLINA = dict(
    port=0, svc="general", severity=3, plugin=161691, family="Windows", agent="windows",
    name="Microsoft Windows Support Diagnostic Tool (MSDT) RCE (CVE-2022-30190) (Follina)",
    cves=["CVE-2022-30190"],
    cvss3=("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "7.8"),
    cvss2=("CVSS2#AV:N/AC:M/Au:N/C:C/I:C/A:C", "9.3"),
    exploit=True, frameworks=["metasploit"], vuln_date="2022/05/30", patch_date="2022/06/14",
    synopsis="The remote Windows host is affected by a remote code execution vulnerability.",
    description="The ms-msdt URL protocol handler is registered and the June 2022 cumulative update is missing: a "
                "Word document opened by the user can run PowerShell through MSDT (Follina).",
    solution="Apply the June 2022 cumulative update, or unregister the ms-msdt protocol handler.",
    output="\n  HKEY_CLASSES_ROOT\\ms-msdt is present\n  msdt.exe version 10.0.19041.1 < 10.0.19041.1741\n")
VULNS["ws-floor1"] = [vuln(**FOLLINA)]
VULNS["ws-hd02"] = [vuln(**FOLLINA)]


def syn_item(port):
    return ['<ReportItem port="%d" svc_name="%s" protocol="tcp" severity="0" pluginID="11219" '
            'pluginName="Nessus SYN scanner" pluginFamily="Port scanners">' % (port, NESSUS_SVC.get(port, "unknown")),
            "<description>This plugin is a SYN 'half-open' port scanner.</description>",
            "<plugin_output>Port %d/tcp was found to be open</plugin_output>" % port,
            "<risk_factor>None</risk_factor>",
            "</ReportItem>"]


NESSUS_SVC = {22: "ssh", 25: "smtp", 53: "dns", 80: "www", 88: "kerberos", 135: "epmap", 139: "smb", 389: "ldap",
              443: "www", 445: "cifs", 464: "kpasswd", 636: "ldap", 3268: "ldap", 3389: "msrdp", 4840: "opcua-tcp",
              5432: "postgresql", 5985: "www", 5986: "www", 8080: "www"}


def nessus_item(v):
    o = ['<ReportItem port="%d" svc_name="%s" protocol="%s" severity="%d" pluginID="%d" pluginName="%s" pluginFamily="%s">'
         % (v["port"], v["svc"], v["protocol"], v["severity"], v["plugin"], attr(v["name"]), attr(v["family"]))]
    o.append("<agent>%s</agent>" % v["agent"])
    if v["cvss3"]:
        o.append("<cvss3_base_score>%s</cvss3_base_score>" % v["cvss3"][1])
        o.append("<cvss3_vector>%s</cvss3_vector>" % v["cvss3"][0])
    if v["cvss2"]:
        o.append("<cvss_base_score>%s</cvss_base_score>" % v["cvss2"][1])
        o.append("<cvss_vector>%s</cvss_vector>" % v["cvss2"][0])
    for c in v["cves"]:
        o.append("<cve>%s</cve>" % c)
    for c in v["cwes"]:
        o.append("<cwe>%s</cwe>" % c)
    o.append("<description>%s</description>" % esc(v["description"]))
    o.append("<exploit_available>%s</exploit_available>" % ("true" if v["exploit"] else "false"))
    for f in v["frameworks"]:
        o.append("<exploit_framework_%s>true</exploit_framework_%s>" % (f, f))
    o.append("<exploitability_ease>%s</exploitability_ease>"
             % ("Exploits are available" if v["exploit"] else "No known exploits are available"))
    o.append("<fname>%s</fname>" % ("plugin_%d.nasl" % v["plugin"]))
    if v["patch_date"]:
        o.append("<patch_publication_date>%s</patch_publication_date>" % v["patch_date"])
    o.append("<plugin_modification_date>2026/11/02</plugin_modification_date>")
    o.append("<plugin_name>%s</plugin_name>" % esc(v["name"]))
    if v["output"]:
        o.append("<plugin_output>%s</plugin_output>" % esc(v["output"]))
    o.append("<plugin_publication_date>%s</plugin_publication_date>" % (v["patch_date"] or v["vuln_date"] or "2011/12/15"))
    o.append("<plugin_type>%s</plugin_type>" % ("local" if v["port"] == 0 else "remote"))
    o.append("<risk_factor>%s</risk_factor>" % ["None", "Low", "Medium", "High", "Critical"][v["severity"]])
    if v["see_also"]:
        o.append("<see_also>%s</see_also>" % esc("\n".join(v["see_also"])))
    o.append("<solution>%s</solution>" % esc(v["solution"]))
    o.append("<synopsis>%s</synopsis>" % esc(v["synopsis"]))
    if v["vuln_date"]:
        o.append("<vuln_publication_date>%s</vuln_publication_date>" % v["vuln_date"])
    o.append("</ReportItem>")
    return o


def nessus():
    targets = ",".join(h[1] for h in NESSUS_HOSTS)
    o = ['<?xml version="1.0" ?>',
         "<NessusClientData_v2>",
         "<Policy><policyName>Northwind weekly (credentialed)</policyName>",
         "<Preferences><ServerPreferences>",
         "<preference><name>TARGET</name><value>%s</value></preference>" % targets,
         "<preference><name>port_range</name><value>default</value></preference>",
         "<preference><name>safe_checks</name><value>yes</value></preference>",
         "<preference><name>plugin_set</name><value>202611250612</value></preference>",
         "</ServerPreferences></Preferences>",
         "</Policy>",
         '<Report name="Northwind weekly 2026-11-26" xmlns:cm="http://www.nessus.org/cm">']
    for i, (name, ip, os_name, _nmap_os, ad_name) in enumerate(NESSUS_HOSTS):
        t0 = NESSUS_START + i * 420
        t1 = t0 + 360 + i * 11
        windows = "Windows" in os_name
        props = [("HOST_END", ctime(t1)), ("HOST_END_TIMESTAMP", str(t1)),
                 ("patch-summary-total-cves", str(sum(len(v["cves"]) for v in VULNS.get(name, [])))),
                 ("Credentialed_Scan", "true"),
                 ("os", "windows" if windows else "linux"),
                 ("operating-system", os_name),
                 ("netbios-name", ad_name) if ad_name else None,
                 ("host-fqdn", fqdn(name)),
                 ("host-rdns", fqdn(name)),
                 ("host-ip", ip),
                 ("HOST_START_TIMESTAMP", str(t0)), ("HOST_START", ctime(t0))]
        o.append('<ReportHost name="%s"><HostProperties>' % ip)
        for p in props:
            if p:
                o.append('<tag name="%s">%s</tag>' % (p[0], esc(p[1])))
        o.append("</HostProperties>")
        o.append('<ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="19506" '
                 'pluginName="Nessus Scan Information" pluginFamily="Settings">')
        o.append("<description>This plugin displays information about the Nessus scan.</description>")
        o.append("<plugin_output>%s</plugin_output>" % esc(
            "Information about this scan : \n\nNessus version : 10.8.3\nPlugin feed version : 202611250612\n"
            "Scan name : Northwind weekly 2026-11-26\nScan policy used : Northwind weekly (credentialed)\n"
            "Scanner IP : %s\nCredentialed checks : yes, as '%s'\nScan Start Date : 2026/11/26 1:00 UTC\n"
            % (SCANNER, "NORTHWIND\\svc_nessus" if windows else "nessus (sudo)")))
        o.append("<risk_factor>None</risk_factor>")
        o.append("</ReportItem>")
        for port, _s in NMAP_PORTS[name]:
            o.extend(syn_item(port))
        for v in VULNS.get(name, []):
            o.extend(nessus_item(v))
        o.append("</ReportHost>")
    o.append("</Report>")
    o.append("</NessusClientData_v2>")
    return "\n".join(o) + "\n"


# -- ad/ (SharpHound v6) ---------------------------------------------------------------------------

def sid(rid):
    return "%s-%d" % (DSID, rid)


def builtin(rid):
    return "%s-S-1-5-32-%d" % (DOMAIN, rid)


ADMINISTRATOR, KRBTGT = sid(500), sid(502)
DA, DU, DCOMP, DCTRL, EA = sid(512), sid(513), sid(515), sid(516), sid(519)
ADMINS = builtin(544)
HELPDESK, SERVER_ADMINS, VENDOR_SUPPORT, ENGINEERING, SALES = sid(1120), sid(1121), sid(1122), sid(1123), sid(1124)
KMUELLER, TBAUER, SBRAUN, JWEBER, MKLEIN = sid(1103), sid(1104), sid(1105), sid(1106), sid(1107)
ASCHMIDT, PHOFFMANN, SVC_ORDERS, EXT_KAPPA = sid(1108), sid(1109), sid(1110), sid(1111)
DC01, FS01, APP01, HIST01, JUMP01 = sid(1000), sid(1140), sid(1141), sid(1142), sid(1143)
WS_FLOOR1, WS_HD01, WS_HD02, WS_IT01, ENG_WS = sid(1150), sid(1151), sid(1152), sid(1153), sid(1154)

# sam, sid, enabled, spns, admincount, display, description, title, pwd never expires, container
USERS = [
    ("Administrator", ADMINISTRATOR, True, [], True, None, "Built-in account for administering the computer/domain", None, True, "CN=Users"),
    ("krbtgt", KRBTGT, False, ["kadmin/changepw"], True, None, "Key Distribution Center Service Account", None, False, "CN=Users"),
    ("adm.kmueller", KMUELLER, True, [], True, "Katrin Mueller (T0)", "Tier 0 administration", "Head of IT Operations", False, "OU=Tier0,OU=Admin"),
    ("adm.tbauer", TBAUER, True, [], True, "Tobias Bauer (T0)", "Tier 0 administration", "Systems Engineer", False, "OU=Tier0,OU=Admin"),
    ("s.braun", SBRAUN, True, [], False, "Stefan Braun", "IT Operations", "Server Administrator", False, "OU=IT,OU=Staff"),
    ("j.weber", JWEBER, True, [], False, "Julia Weber", "Service desk", "IT Support Specialist", False, "OU=IT,OU=Staff"),
    ("m.klein", MKLEIN, True, [], False, "Marco Klein", "Service desk", "IT Support Specialist", False, "OU=IT,OU=Staff"),
    ("a.schmidt", ASCHMIDT, True, [], False, "Anna Schmidt", "Sales, key accounts", "Key Account Manager", False, "OU=Sales,OU=Staff"),
    ("p.hoffmann", PHOFFMANN, True, [], False, "Paul Hoffmann", "Production engineering", "Automation Engineer", False, "OU=Engineering,OU=Staff"),
    ("svc_orders", SVC_ORDERS, True, ["HTTP/app01.northwind.local", "HTTP/app01"], False, None,
     "Order service (Tomcat) on APP01 - do not disable", None, True, "OU=Service Accounts"),
    ("ext.kappa", EXT_KAPPA, True, [], False, "Kappa Automation (vendor)", "Vendor support, TICKET-4711", None, False, "OU=External"),
]
# name, sid, admincount, members [(sid, type)], container, description
GROUPS = [
    ("DOMAIN ADMINS", DA, True, [(ADMINISTRATOR, "User"), (KMUELLER, "User"), (TBAUER, "User")], "CN=Users",
     "Designated administrators of the domain"),
    ("DOMAIN USERS", DU, False, [], "CN=Users", "All domain users"),
    ("DOMAIN COMPUTERS", DCOMP, False, [], "CN=Users", "All workstations and servers joined to the domain"),
    ("DOMAIN CONTROLLERS", DCTRL, False, [], "CN=Users", "All domain controllers in the domain"),
    ("ENTERPRISE ADMINS", EA, True, [(ADMINISTRATOR, "User")], "CN=Users", "Designated administrators of the enterprise"),
    ("ADMINISTRATORS", ADMINS, True, [(ADMINISTRATOR, "User"), (DA, "Group"), (EA, "Group")], "CN=Builtin",
     "Administrators have complete and unrestricted access to the computer/domain"),
    ("HELPDESK", HELPDESK, False, [(JWEBER, "User"), (MKLEIN, "User")], "OU=Groups", "Service desk (first-line support)"),
    ("SERVER ADMINS", SERVER_ADMINS, False, [(SBRAUN, "User"), (SVC_ORDERS, "User")], "OU=Groups",
     "Local administrators of the member servers (GPO 'Server local admins')"),
    ("VENDOR-SUPPORT", VENDOR_SUPPORT, False, [(EXT_KAPPA, "User")], "OU=Groups", "External support: RDP to APP01 (TICKET-4711)"),
    ("ENGINEERING", ENGINEERING, False, [(PHOFFMANN, "User")], "OU=Groups", "Production engineering"),
    ("SALES", SALES, False, [(ASCHMIDT, "User")], "OU=Groups", "Sales and key accounts"),
]
SERVER_LOCALS = {544: [(DA, "Group"), (SERVER_ADMINS, "Group")]}
WORKSTATION_LOCALS = {544: [(DA, "Group"), (HELPDESK, "Group")], 555: [(HELPDESK, "Group")]}
# name, sid, os, os version, sessions, local groups (None on a DC), is dc, has laps, description
COMPUTERS = [
    ("DC01", DC01, "Windows Server 2022 Standard", "10.0 (20348)", [TBAUER], None, True, False, None),
    ("FS01", FS01, "Windows Server 2019 Standard", "10.0 (17763)", [KMUELLER], SERVER_LOCALS, False, False, "File server (shares, HR)"),
    ("APP01", APP01, "Windows Server 2019 Standard", "10.0 (17763)", [SVC_ORDERS],
     {544: SERVER_LOCALS[544], 555: [(VENDOR_SUPPORT, "Group")]}, False, False, "Order service (Tomcat)"),
    ("HIST01", HIST01, "Windows Server 2008 R2 Standard", "6.1 (7601)", [PHOFFMANN], SERVER_LOCALS, False, False,
     "Plant historian"),
    ("JUMP01", JUMP01, "Windows Server 2022 Standard", "10.0 (20348)", [KMUELLER, TBAUER],
     {544: [(DA, "Group")], 555: [(DA, "Group"), (SERVER_ADMINS, "Group")]}, False, False, "Tier 0 jump host (mgmt network)"),
    ("WS-FLOOR1", WS_FLOOR1, "Windows 10 Enterprise", "10.0 (19045)", [ASCHMIDT], WORKSTATION_LOCALS, False, True, None),
    ("WS-HD01", WS_HD01, "Windows 11 Enterprise", "10.0 (22631)", [JWEBER], WORKSTATION_LOCALS, False, True, None),
    ("WS-HD02", WS_HD02, "Windows 10 Enterprise", "10.0 (19045)", [MKLEIN], WORKSTATION_LOCALS, False, True, None),
    ("WS-IT01", WS_IT01, "Windows 11 Enterprise", "10.0 (22631)", [SBRAUN], WORKSTATION_LOCALS, False, True, None),
    ("ENG-WS", ENG_WS, "Windows 10 Enterprise LTSC", "10.0 (17763)", [PHOFFMANN], WORKSTATION_LOCALS, False, True,
     "Engineering station (TIA Portal)"),
]
LOCAL_GROUP_NAMES = [(544, "ADMINISTRATORS"), (555, "REMOTE DESKTOP USERS"), (562, "DISTRIBUTED COM USERS"),
                     (580, "REMOTE MANAGEMENT USERS")]


def ace(principal, kind, right, inherited=False):
    return {"RightName": right, "IsInherited": inherited, "PrincipalSID": principal, "PrincipalType": kind}


def default_aces(protected):
    """The entries every object carries: Domain Admins own it; Domain Admins, Enterprise Admins and
    Administrators control it (inherited from the domain unless AdminSDHolder protects it)."""
    inherited = not protected
    return [ace(DA, "Group", "Owns"),
            ace(DA, "Group", "GenericAll", inherited),
            ace(EA, "Group", "GenericAll", inherited),
            ace(ADMINS, "Group", "WriteDacl", inherited),
            ace(ADMINS, "Group", "WriteOwner", inherited)]


def base_props(name, dn, **extra):
    p = {"domain": DOMAIN, "name": name, "distinguishedname": dn, "domainsid": DSID}
    p.update(extra)
    return p


def container_dn(container):
    return "%s,%s" % (container, DOMAIN_DN)


def user(u):
    sam, usid, enabled, spns, admincount, display, description, title, never_expires, container = u
    cn = display or sam
    service = sam.startswith("svc_")
    props = base_props("%s@%s" % (sam.upper(), DOMAIN), "CN=%s,%s" % (cn.upper(), container_dn(container)),
                       samaccountname=sam, description=description, whencreated=WHEN_CREATED, sensitive=False,
                       dontreqpreauth=False, passwordnotreqd=False, unconstraineddelegation=False,
                       pwdneverexpires=never_expires, enabled=enabled, trustedtoauth=False,
                       lastlogon=LAST_LOGON if enabled else 0, lastlogontimestamp=LAST_LOGON if enabled else -1,
                       pwdlastset=SVC_PWD_LAST_SET if service else PWD_LAST_SET,
                       serviceprincipalnames=spns, hasspn=bool(spns),
                       displayname=display, email=("%s@northwind.de" % sam) if display and not sam.startswith(("adm.", "ext.")) else None,
                       title=title, homedirectory=None, userpassword=None, unixpassword=None, unicodepassword=None,
                       sfupassword=None, logonscript=None, admincount=admincount, sidhistory=[])
    return {"AllowedToDelegate": [], "PrimaryGroupSID": DU, "HasSIDHistory": [], "SPNTargets": [], "Properties": props,
            "Aces": default_aces(admincount), "ObjectIdentifier": usid, "IsDeleted": False, "IsACLProtected": admincount,
            "ContainedBy": None}


def group(g):
    name, gsid, admincount, members, container, description = g
    aces = default_aces(admincount)
    if gsid == SERVER_ADMINS:
        # Delegated in 2021 so the service desk could add new IT staff; never narrowed to AddMember.
        aces.append(ace(HELPDESK, "Group", "GenericAll"))
    props = base_props("%s@%s" % (name, DOMAIN), "CN=%s,%s" % (name, container_dn(container)),
                       samaccountname=name.title() if gsid.startswith(DSID) and int(gsid.rsplit("-", 1)[1]) < 1000 else name,
                       description=description, whencreated=WHEN_CREATED, admincount=admincount)
    return {"Properties": props, "Members": [{"ObjectIdentifier": m, "ObjectType": k} for m, k in members],
            "Aces": aces, "ObjectIdentifier": gsid, "IsDeleted": False, "IsACLProtected": admincount, "ContainedBy": None}


def computer(c):
    name, csid, os_name, os_version, sessions, local_groups, is_dc, haslaps, description = c
    host = name.lower()
    ou = "OU=Domain Controllers" if is_dc else ("OU=Workstations" if local_groups is WORKSTATION_LOCALS else "OU=Servers")
    props = base_props("%s.%s" % (name, DOMAIN), "CN=%s,%s" % (name, container_dn(ou)), samaccountname=name + "$",
                       haslaps=haslaps, isaclprotected=False, description=description, whencreated=WHEN_CREATED,
                       enabled=True, unconstraineddelegation=is_dc, trustedtoauth=False, isdc=is_dc,
                       lastlogon=LAST_LOGON, lastlogontimestamp=LAST_LOGON, pwdlastset=PWD_LAST_SET,
                       serviceprincipalnames=["HOST/%s" % fqdn(host), "HOST/%s" % name, "TERMSRV/%s" % fqdn(host)],
                       email=None, dnshostname=fqdn(host), operatingsystem=os_name,
                       operatingsystemversion=os_version, sidhistory=[])
    groups = []
    if local_groups is not None:
        for rid, label in LOCAL_GROUP_NAMES:
            groups.append({"Collected": True, "FailureReason": None,
                           "Results": [{"ObjectIdentifier": m, "ObjectType": k} for m, k in local_groups.get(rid, [])],
                           "LocalNames": [], "Name": "%s@%s.%s" % (label, name, DOMAIN),
                           "ObjectIdentifier": "%s-%d" % (csid, rid)})
    collected = {"Collected": True, "FailureReason": None}
    results = [{"UserSID": u, "ComputerSID": csid} for u in sessions]
    return {"PrimaryGroupSID": DCTRL if is_dc else DCOMP, "AllowedToDelegate": [], "AllowedToAct": [], "HasSIDHistory": [],
            "DumpSMSAPassword": [],
            "Sessions": dict(collected, Results=results),
            "PrivilegedSessions": dict(collected, Results=results),
            "RegistrySessions": dict(collected, Results=results),
            "LocalGroups": groups, "UserRights": [], "DCRegistryData": {}, "Status": None, "IsDC": is_dc,
            "UnconstrainedDelegation": is_dc, "DomainSID": DSID, "Properties": props,
            "Aces": default_aces(is_dc), "ObjectIdentifier": csid, "IsDeleted": False, "IsACLProtected": is_dc,
            "ContainedBy": None}


def domain():
    aces = []
    for principal in (DA, EA, ADMINS):
        aces += [ace(principal, "Group", "GetChanges"), ace(principal, "Group", "GetChangesAll")]
    aces.append(ace(ADMINS, "Group", "GetChangesInFilteredSet"))
    aces.append(ace(DCTRL, "Group", "GetChangesAll"))
    aces += [ace(DA, "Group", "GenericAll"), ace(EA, "Group", "GenericAll"), ace(ADMINS, "Group", "WriteDacl"),
             ace(ADMINS, "Group", "WriteOwner"), ace(ADMINS, "Group", "Owns")]
    props = base_props(DOMAIN, DOMAIN_DN, description=None, functionallevel="2016", isaclprotected=False,
                       collected=True, whencreated=WHEN_CREATED)
    return {"Properties": props,
            "GPOChanges": {"AffectedComputers": [], "DcomUsers": [], "LocalAdmins": [], "PSRemoteUsers": [],
                           "RemoteDesktopUsers": []},
            "ChildObjects": [], "Trusts": [], "Links": [], "Aces": aces, "ObjectIdentifier": DSID, "IsDeleted": False,
            "IsACLProtected": False, "ContainedBy": None}


def collector_file(kind, objects):
    doc = {"data": objects, "meta": {"methods": SHARPHOUND_METHODS, "type": kind, "count": len(objects), "version": 6}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- main ------------------------------------------------------------------------------------------

def files():
    return [
        ("scans/nmap-2026-11-25.xml", nmap_xml()),
        ("scans/weekly-2026-11-26.nessus", nessus()),
        ("ad/%s_users.json" % STAMP, collector_file("users", [user(u) for u in USERS])),
        ("ad/%s_groups.json" % STAMP, collector_file("groups", [group(g) for g in GROUPS])),
        ("ad/%s_computers.json" % STAMP, collector_file("computers", [computer(c) for c in COMPUTERS])),
        ("ad/%s_domains.json" % STAMP, collector_file("domains", [domain()])),
    ]


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for rel, text in files():
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote", os.path.relpath(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
