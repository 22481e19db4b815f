#!/usr/bin/env python3
"""Generate a realistic, deterministic Nessus v2 export (.nessus) for benchmarks.

    Benchmarks/gen-nessus.py OUT --hosts N [--seed S]

The file has what real exports have: a <Policy> block of server and plugin preferences (about
1 MB, as in real exports), then one <ReportHost> per host with <HostProperties> (host-ip,
host-fqdn, hostname, netbios-name, operating-system, mac-address, HOST_START/HOST_END and their
timestamps, CPEs, traceroute hops, patch summaries) and 15-45 <ReportItem>s drawn from a pool
of 800 plugins, with CVEs, BIDs, CWEs, xrefs, CVSS v2 and v3 vectors and scores (some CVSS v4),
exploit flags, publication dates, long descriptions and multi-line plugin output that needs
escaping (&lt; &gt; &amp;). The same seed and host count give the same bytes.

About 1,200 hosts make 100 MB (roughly 80 KB per host, with a 1 MB policy block). Standard
library only.
"""

import argparse
import random
import sys

FAMILIES = [
    "General", "Web Servers", "CGI abuses", "Windows", "Windows : Microsoft Bulletins", "Ubuntu Local Security Checks",
    "Red Hat Local Security Checks", "Debian Local Security Checks", "Misc.", "Service detection", "Databases",
    "Firewalls", "SMTP problems", "DNS", "Gain a shell remotely", "Denial of Service", "Settings", "Policy Compliance",
]
PRODUCTS = [
    "Apache HTTP Server", "nginx", "OpenSSH", "OpenSSL", "PHP", "Microsoft IIS", "MySQL", "PostgreSQL", "Samba",
    "Microsoft Windows SMB", "Exim", "Postfix", "BIND", "Tomcat", "Jenkins", "Elasticsearch", "Redis", "vsftpd",
    "Oracle WebLogic", "Microsoft Exchange", "VMware vCenter", "Cisco IOS", "Log4j", "Spring Framework",
]
WORDS = (
    "the remote host is affected by a vulnerability in which an unauthenticated attacker could exploit "
    "a flaw in request handling to execute arbitrary code cause a denial of service condition or disclose "
    "sensitive information this issue exists because the application fails to properly validate user supplied "
    "input before using it in a memory operation note that nessus has not tested for this issue but has instead "
    "relied only on the application's self-reported version number an attacker may leverage this to bypass "
    "authentication and gain access to restricted resources via a specially crafted packet sent to the service"
).split()
OSES = [
    ("Linux Kernel 5.4 on Ubuntu 20.04", "cpe:/o:canonical:ubuntu_linux:20.04"),
    ("Linux Kernel 3.10 on CentOS Linux release 7", "cpe:/o:centos:centos:7"),
    ("Microsoft Windows Server 2019 Standard", "cpe:/o:microsoft:windows_server_2019"),
    ("Microsoft Windows Server 2012 R2 Standard", "cpe:/o:microsoft:windows_server_2012:r2"),
    ("Microsoft Windows 10 Enterprise", "cpe:/o:microsoft:windows_10"),
    ("Cisco IOS 15.2", "cpe:/o:cisco:ios:15.2"),
    ("FreeBSD 12.2", "cpe:/o:freebsd:freebsd:12.2"),
]
SERVICES = [(22, "ssh", "tcp"), (80, "www", "tcp"), (443, "www", "tcp"), (445, "cifs", "tcp"), (3306, "mysql", "tcp"),
            (5432, "postgresql", "tcp"), (25, "smtp", "tcp"), (53, "dns", "udp"), (161, "snmp", "udp"),
            (8080, "www", "tcp"), (3389, "msrdp", "tcp"), (0, "general", "tcp"), (0, "general", "icmp")]
RISK = ["None", "Low", "Medium", "High", "Critical"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s):
    return esc(s).replace('"', "&quot;")


def sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, 8, 24) for _ in range(sentences))


def date(rng, y0, y1):
    return "%04d/%02d/%02d" % (rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def ctime(t):
    # A ctime-style rendering of epoch seconds in UTC, as Nessus writes HOST_START.
    days, secs = divmod(t, 86400)
    weekday = DAYS[(days + 3) % 7]
    # Civil date from days since 1970-01-01.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += m <= 2
    return "%s %s %2d %02d:%02d:%02d %d" % (weekday, MONTHS[m - 1], d, secs // 3600, secs // 60 % 60, secs % 60, y)


def cvss2(rng, severity):
    v = "CVSS2#AV:%s/AC:%s/Au:%s/C:%s/I:%s/A:%s" % (
        rng.choice("NAL"), rng.choice("LMH"), rng.choice("NSM"), rng.choice("NPC"), rng.choice("NPC"), rng.choice("NPC"))
    lo, hi = [(0, 0), (1.0, 3.9), (4.0, 6.9), (7.0, 9.9), (10.0, 10.0)][severity]
    return v, round(rng.uniform(lo, hi), 1)


def cvss3(rng, severity):
    v = "CVSS:3.%d/AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s" % (
        rng.choice([0, 1]), rng.choice("NALP"), rng.choice("LH"), rng.choice("NLH"), rng.choice("NR"), rng.choice("UC"),
        rng.choice("NLH"), rng.choice("NLH"), rng.choice("NLH"))
    lo, hi = [(0, 0), (0.1, 3.9), (4.0, 6.9), (7.0, 8.9), (9.0, 10.0)][severity]
    return v, round(rng.uniform(lo, hi), 1)


def make_plugins(rng, count):
    plugins = []
    used = set()
    for _ in range(count):
        pid = rng.randint(10000, 199999)
        while pid in used:
            pid = rng.randint(10000, 199999)
        used.add(pid)
        severity = rng.choices([0, 1, 2, 3, 4], weights=[40, 8, 25, 18, 9])[0]
        product = rng.choice(PRODUCTS)
        version = "%d.%d.%d" % (rng.randint(1, 9), rng.randint(0, 20), rng.randint(0, 40))
        p = {
            "id": pid, "severity": severity, "family": rng.choice(FAMILIES), "product": product, "version": version,
            "name": ("%s < %s Multiple Vulnerabilities" % (product, version)) if severity else ("%s Detection" % product),
            "description": paragraph(rng, rng.randint(3, 14)),
            "synopsis": sentence(rng, 8, 16), "solution": "Upgrade to %s version %s or later." % (product, version),
            "see_also": ["https://www.example.com/advisories/%d" % rng.randint(1000, 99999) for _ in range(rng.randint(0, 3))],
            "cves": [], "bids": [], "cwes": [], "xrefs": [],
            "published": date(rng, 2005, 2023), "modified": date(rng, 2023, 2024),
        }
        if severity:
            p["cves"] = ["CVE-%d-%d" % (rng.randint(2010, 2024), rng.randint(1000, 49999)) for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 20]))]
            p["bids"] = [str(rng.randint(10000, 109999)) for _ in range(rng.randint(0, 3))]
            p["cwes"] = [str(rng.choice([20, 22, 79, 89, 119, 200, 287, 352, 400, 416, 787])) for _ in range(rng.randint(0, 2))]
            p["xrefs"] = ["IAVA:%d-A-%04d" % (rng.randint(2015, 2024), rng.randint(1, 500)) for _ in range(rng.randint(0, 2))]
            p["cvss2"] = cvss2(rng, severity)
            p["cvss3"] = cvss3(rng, severity) if rng.random() < 0.8 else None
            p["cvss4"] = ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", round(rng.uniform(7.0, 10.0), 1)) if rng.random() < 0.1 else None
            p["exploit"] = rng.random() < 0.35
            p["frameworks"] = [f for f in ("metasploit", "core", "canvas") if p["exploit"] and rng.random() < 0.4]
            p["patch"] = date(rng, 2008, 2024)
            p["vuln"] = date(rng, 2005, 2023)
        plugins.append(p)
    return plugins


def policy(rng, plugins):
    out = ["<Policy>\n<policyName>Advanced Network Scan</policyName>\n<Preferences>\n<ServerPreferences>\n"]
    prefs = [("max_hosts", "30"), ("max_checks", "5"), ("port_range", "default"), ("safe_checks", "yes"),
             ("scan_description", "Generated benchmark scan &amp; policy"), ("TARGET", "10.0.0.0/16")]
    prefs += [("preference_%03d" % i, rng.choice(["yes", "no", str(rng.randint(0, 9999))])) for i in range(120)]
    prefs.append(("plugin_set", ";".join(str(rng.randint(10000, 199999)) for _ in range(30000))))
    for name, value in prefs:
        out.append("<preference>\n<name>%s</name>\n<value>%s</value>\n</preference>\n" % (name, value))
    out.append("</ServerPreferences>\n<PluginsPreferences>\n")
    for i in range(2500):
        p = rng.choice(plugins)
        out.append(
            "<item>\n<pluginName>%s</pluginName>\n<pluginId>%d</pluginId>\n<fullName>%s[entry]:Option %d :</fullName>\n"
            "<preferenceName>Option %d :</preferenceName>\n<preferenceType>entry</preferenceType>\n"
            "<preferenceValues>%s</preferenceValues>\n<selectedValue>%s</selectedValue>\n</item>\n"
            % (esc(p["name"]), p["id"], esc(p["name"]), i, i, rng.randint(0, 100), rng.randint(0, 100)))
    out.append("</PluginsPreferences>\n</Preferences>\n<FamilySelection>\n")
    for f in FAMILIES:
        out.append("<FamilyItem>\n<FamilyName>%s</FamilyName>\n<Status>enabled</Status>\n</FamilyItem>\n" % esc(f))
    out.append("</FamilySelection>\n<IndividualPluginSelection>\n")
    for p in plugins[:300]:
        out.append("<PluginItem>\n<PluginId>%d</PluginId>\n<PluginName>%s</PluginName>\n<Family>%s</Family>\n<Status>enabled</Status>\n</PluginItem>\n"
                   % (p["id"], esc(p["name"]), esc(p["family"])))
    out.append("</IndividualPluginSelection>\n</Policy>\n")
    return "".join(out)


def report_item(rng, p, host_ip):
    port, svc, proto = rng.choice(SERVICES)
    if p["severity"] == 0 and rng.random() < 0.3:
        port, svc, proto = 0, "general", "tcp"
    o = ['<ReportItem port="%d" svc_name="%s" protocol="%s" severity="%d" pluginID="%d" pluginName="%s" pluginFamily="%s">\n'
         % (port, svc, proto, p["severity"], p["id"], attr(p["name"]), attr(p["family"]))]
    o.append("<agent>all</agent>\n")
    if p["severity"]:
        o.append("<cvss_base_score>%.1f</cvss_base_score>\n<cvss_vector>%s</cvss_vector>\n" % (p["cvss2"][1], p["cvss2"][0]))
        if p["cvss3"]:
            o.append("<cvss3_base_score>%.1f</cvss3_base_score>\n<cvss3_vector>%s</cvss3_vector>\n" % (p["cvss3"][1], p["cvss3"][0]))
            if rng.random() < 0.3:
                o.append("<cvss3_temporal_score>%.1f</cvss3_temporal_score>\n<cvss3_temporal_vector>CVSS:3.0/E:U/RL:O/RC:C</cvss3_temporal_vector>\n" % max(0.0, p["cvss3"][1] - 0.7))
        if p["cvss4"]:
            o.append("<cvss4_base_score>%.1f</cvss4_base_score>\n<cvss4_vector>%s</cvss4_vector>\n" % (p["cvss4"][1], p["cvss4"][0]))
        o.append("<cvss_temporal_score>%.1f</cvss_temporal_score>\n<cvss_temporal_vector>CVSS2#E:U/RL:OF/RC:C</cvss_temporal_vector>\n" % max(0.0, p["cvss2"][1] - 1.0))
        for c in p["cves"]:
            o.append("<cve>%s</cve>\n" % c)
        for b in p["bids"]:
            o.append("<bid>%s</bid>\n" % b)
        for c in p["cwes"]:
            o.append("<cwe>%s</cwe>\n" % c)
        for x in p["xrefs"]:
            o.append("<xref>%s</xref>\n" % x)
        o.append("<exploit_available>%s</exploit_available>\n" % ("true" if p["exploit"] else "false"))
        o.append("<exploitability_ease>%s</exploitability_ease>\n" % ("Exploits are available" if p["exploit"] else "No known exploits are available"))
        for f in p["frameworks"]:
            o.append("<exploit_framework_%s>true</exploit_framework_%s>\n" % (f, f))
        o.append("<patch_publication_date>%s</patch_publication_date>\n<vuln_publication_date>%s</vuln_publication_date>\n" % (p["patch"], p["vuln"]))
    o.append("<description>%s</description>\n" % esc(p["description"]))
    o.append("<fname>plugin_%d.nasl</fname>\n<plugin_modification_date>%s</plugin_modification_date>\n" % (p["id"], p["modified"]))
    o.append("<plugin_name>%s</plugin_name>\n<plugin_publication_date>%s</plugin_publication_date>\n" % (esc(p["name"]), p["published"]))
    o.append("<plugin_type>remote</plugin_type>\n<risk_factor>%s</risk_factor>\n<script_version>1.%d</script_version>\n" % (RISK[p["severity"]], p["id"] % 97))
    if p["see_also"]:
        o.append("<see_also>%s</see_also>\n" % "\n".join(p["see_also"]))
    o.append("<solution>%s</solution>\n<synopsis>%s</synopsis>\n" % (esc(p["solution"]), esc(p["synopsis"])))
    lines = ["", "  Installed version : %s" % p["version"], "  Fixed version     : %s.1" % p["version"],
             "  URL               : http://%s:%d/<index>.php?a=1&b=2" % (host_ip, port or 80)]
    lines += ["  %s" % sentence(rng, 4, 12) for _ in range(rng.randint(0, 12))]
    o.append("<plugin_output>%s\n</plugin_output>\n" % esc("\n".join(lines)))
    o.append("</ReportItem>\n")
    return "".join(o)


def report_host(rng, index, plugins, start):
    ip = "10.%d.%d.%d" % (index // 65536 % 256, index // 256 % 256, index % 256 or 1)
    name = "host%05d" % index
    os_name, os_cpe = rng.choice(OSES)
    t0 = start + index * 7
    t1 = t0 + rng.randint(60, 3600)
    props = [
        ("HOST_END_TIMESTAMP", str(t1)), ("HOST_END", ctime(t1)), ("Credentialed_Scan", rng.choice(["true", "false"])),
        ("policy-used", "Advanced Network Scan"), ("os", "linux" if "Linux" in os_name else "windows"),
        ("operating-system", os_name), ("operating-system-method", "SinFP"), ("operating-system-conf", str(rng.randint(50, 100))),
        ("system-type", "general-purpose"), ("cpe", os_cpe), ("cpe-0", os_cpe + " -> " + os_name),
        ("mac-address", ":".join("%02x" % rng.randint(0, 255) for _ in range(6))),
        ("netbios-name", name.upper()), ("hostname", name), ("host-fqdn", name + ".corp.example.com"),
        ("host-rdns", name + ".corp.example.com"), ("host-ip", ip),
        ("patch-summary-total-cves", str(rng.randint(0, 300))),
    ]
    props += [("traceroute-hop-%d" % h, "10.0.%d.1" % h) for h in range(rng.randint(1, 4))]
    props += [("HOST_START_TIMESTAMP", str(t0)), ("HOST_START", ctime(t0))]
    out = ['<ReportHost name="%s">\n<HostProperties>\n' % ip]
    for k, v in props:
        out.append('<tag name="%s">%s</tag>\n' % (k, esc(v)))
    out.append("</HostProperties>\n")
    for p in rng.sample(plugins, rng.randint(15, 45)):
        out.append(report_item(rng, p, ip))
    out.append("</ReportHost>\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--hosts", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    plugins = make_plugins(rng, 800)
    start = 1700000000 + rng.randint(0, 10000000)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" ?>\n<NessusClientData_v2>\n')
        f.write(policy(rng, plugins))
        f.write('<Report name="Generated scan %d" xmlns:cm="http://www.nessus.org/cm">\n' % args.seed)
        for i in range(args.hosts):
            f.write(report_host(rng, i + 1, plugins, start))
        f.write("</Report>\n</NessusClientData_v2>\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
