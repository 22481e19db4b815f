#!/usr/bin/env python3
"""Generates a synthetic Active Directory as a SharpHound v6 collection, for benchmarking Identity.

    python3 Benchmarks/gen-sharphound.py OUTDIR [--users 100000] [--computers 60000] [--groups 120000]
                                                [--seed 1] [--zip]

Writes the files a real collection has, named as SharpHound names them (YYYYMMDDHHMMSS_users.json,
_groups.json, _computers.json, _domains.json, _ous.json, _gpos.json, _containers.json), in the
compact JSON SharpHound writes by default; with --zip, also YYYYMMDDHHMMSS_BloodHound.zip of them.

The domain (CORP.LOCAL, one external trust) is shaped like an enterprise: a Tier 0 OU; People,
Workstations, Servers and Groups OUs per department, each linked to GPOs; the well-known groups
(Domain Admins, Administrators, Enterprise Domain Controllers, …) with their default rights on every
object; nested department, role and resource groups (every user in about eight); workstations and
servers whose local Administrators, Remote Desktop Users, Distributed COM Users and Remote
Management Users hold department groups and the odd user; sessions of each machine's users; LAPS
readers and helpdesk delegations on the OUs; and a few Tier Zero paths real audits find: a
helpdesk group with GenericAll on a Domain Admin, Domain Admin sessions on ordinary servers, a
service account with replication rights (DCSync), a computer with unconstrained delegation.

About 6 million distinct relationships at the default size. Deterministic: the same arguments give
byte-identical output. Python 3 standard library only.
"""
import argparse
import json
import os
import random
import zipfile

DOMAIN = "CORP.LOCAL"
DN = "DC=CORP,DC=LOCAL"
STAMP = "20240601120000"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--computers", type=int, default=60_000)
    ap.add_argument("--groups", type=int, default=120_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--zip", action="store_true", help="also write the collection as one zip")
    a = ap.parse_args()
    Generator(a).run()


def guid(rng):
    h = "%032X" % rng.getrandbits(128)
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def ace(sid, kind, right, inherited=False):
    return ('{"RightName":"%s","IsInherited":%s,"PrincipalSID":"%s","PrincipalType":"%s"}'
            % (right, "true" if inherited else "false", sid, kind))


def typed(sid, kind):
    return '{"ObjectIdentifier":"%s","ObjectType":"%s"}' % (sid, kind)


def jlist(items):
    return "[" + ",".join(items) + "]"


def jstr(v):
    return "null" if v is None else json.dumps(v)


class Generator:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        r = self.rng
        self.sid = "S-1-5-21-%d-%d-%d" % (r.randrange(10**9, 4 * 10**9), r.randrange(10**9, 4 * 10**9), r.randrange(10**9, 4 * 10**9))
        self.partner = "S-1-5-21-%d-%d-%d" % (r.randrange(10**9, 4 * 10**9), r.randrange(10**9, 4 * 10**9), r.randrange(10**9, 4 * 10**9))
        self.next_rid = 1100
        self.relationships = 0

    def rid(self):
        self.next_rid += 1
        return "%s-%d" % (self.sid, self.next_rid)

    def wk(self, rid):
        return "%s-%d" % (self.sid, rid)

    def builtin(self, rid):
        return "%s-S-1-5-32-%d" % (DOMAIN, rid)

    # -- plan ------------------------------------------------------------------------------------

    def plan(self):
        r, a = self.rng, self.a
        self.depts = ["DEPT%02d" % i for i in range(max(4, min(50, a.users // 2000 or 4)))]
        # OUs: Tier0, People/Workstations/Servers/Groups, one per department under each.
        self.ous = []  # (guid, name, dn, parent guid or None(domain), blocks)
        self.ou_by = {}
        def ou(name, parent, parent_dn):
            g = guid(r)
            dn = "OU=%s,%s" % (name, parent_dn)
            self.ous.append((g, name, dn, parent))
            return g, dn
        self.tier0_ou = ou("TIER0", None, DN)
        for top in ["PEOPLE", "WORKSTATIONS", "SERVERS", "GROUPS"]:
            tg, tdn = ou(top, None, DN)
            for d in self.depts:
                self.ou_by[(top, d)] = ou(d, tg, tdn)
        self.gpos = [(guid(r), "GPO-%03d" % i) for i in range(max(10, len(self.depts) + 10))]
        # Containers the domain always has.
        self.containers = {}
        for name in ["USERS", "COMPUTERS", "BUILTIN", "SYSTEM", "PROGRAM DATA", "FOREIGNSECURITYPRINCIPALS",
                     "MANAGED SERVICE ACCOUNTS", "KEYS", "INFRASTRUCTURE", "LOSTANDFOUND"]:
            self.containers[name] = (guid(r), "CN=%s,%s" % (name, DN), None)
        sysg, sysdn, _ = self.containers["SYSTEM"]
        self.containers["ADMINSDHOLDER"] = (guid(r), "CN=ADMINSDHOLDER,%s" % sysdn, sysg)

        # Well-known groups (domain SIDs and BUILTIN).
        self.DA, self.EA, self.SA, self.DCS = self.wk(512), self.wk(519), self.wk(518), self.wk(516)
        self.DU, self.DC, self.KA, self.EKA = self.wk(513), self.wk(515), self.wk(526), self.wk(527)
        self.ADM, self.AO, self.SO, self.PO, self.BO = (self.builtin(x) for x in (544, 548, 549, 550, 551))
        self.RDU, self.DCOM, self.RMU = self.builtin(555), self.builtin(562), self.builtin(580)
        self.EDC, self.AU, self.EVERYONE = DOMAIN + "-S-1-5-9", DOMAIN + "-S-1-5-11", DOMAIN + "-S-1-1-0"

        # Users.
        n_users = a.users
        self.users = []  # [sid, name, dept, flags dict]
        self.admin_users = []
        for i in range(n_users):
            sid = self.wk(500) if i == 0 else self.wk(502) if i == 1 else self.rid()
            name = "ADMINISTRATOR" if i == 0 else "KRBTGT" if i == 1 else "USER%06d" % i
            dept = self.depts[i % len(self.depts)]
            self.users.append([sid, name, dept])
        self.admin_users = [u[0] for u in self.users[2:2 + max(3, n_users // 20000)]]
        self.svc_sync = self.users[-1][0]  # a service account with replication rights

        # Groups: well-known, then per department role groups, then resource groups.
        n_groups = a.groups
        self.groups = []  # [sid, name, dept or None]
        wk = [(self.DA, "DOMAIN ADMINS"), (self.EA, "ENTERPRISE ADMINS"), (self.SA, "SCHEMA ADMINS"),
              (self.DCS, "DOMAIN CONTROLLERS"), (self.DU, "DOMAIN USERS"), (self.DC, "DOMAIN COMPUTERS"),
              (self.KA, "KEY ADMINS"), (self.EKA, "ENTERPRISE KEY ADMINS"), (self.ADM, "ADMINISTRATORS"),
              (self.AO, "ACCOUNT OPERATORS"), (self.SO, "SERVER OPERATORS"), (self.PO, "PRINT OPERATORS"),
              (self.BO, "BACKUP OPERATORS"), (self.RDU, "REMOTE DESKTOP USERS"), (self.DCOM, "DISTRIBUTED COM USERS"),
              (self.RMU, "REMOTE MANAGEMENT USERS"), (self.EDC, "ENTERPRISE DOMAIN CONTROLLERS"),
              (self.AU, "AUTHENTICATED USERS"), (self.EVERYONE, "EVERYONE")]
        self.EWP, self.ETS = self.rid(), self.rid()
        wk += [(self.EWP, "EXCHANGE WINDOWS PERMISSIONS"), (self.ETS, "EXCHANGE TRUSTED SUBSYSTEM")]
        self.wk_groups = {sid for sid, _ in wk}
        for sid, name in wk:
            self.groups.append([sid, name, None])
        self.t0_admins = self.rid()
        self.groups.append([self.t0_admins, "T0-ADMINS", None])
        self.dept_groups = {}
        for d in self.depts:
            for role in ["STAFF", "HELPDESK", "WS-ADMINS", "SRV-ADMINS", "LAPS-READERS", "RDP-USERS", "MANAGERS"]:
                sid = self.rid()
                self.groups.append([sid, "%s-%s" % (d, role), d])
                self.dept_groups[(d, role)] = sid
        self.first_resource = len(self.groups)
        while len(self.groups) < n_groups:
            d = self.depts[len(self.groups) % len(self.depts)]
            self.groups.append([self.rid(), "GRP-%s-%06d" % (d, len(self.groups)), d])

        # Computers: three DCs, servers, workstations.
        self.computers = []  # [sid, name, dept, kind]
        for i in range(a.computers):
            d = self.depts[i % len(self.depts)]
            kind = "DC" if i < 3 else ("SRV" if i % 7 == 0 else "WS")
            sid = self.rid()
            name = ("DC%02d" % (i + 1)) if kind == "DC" else "%s%06d" % (kind, i)
            self.computers.append([sid, name + "." + DOMAIN, d, kind])

        # Memberships: users → ~8 groups; groups nested under 1–2 earlier groups; computers → 1–2.
        members = {g[0]: [] for g in self.groups}
        resources = [g[0] for g in self.groups[self.first_resource:]] or [self.groups[-1][0]]
        for u in self.admin_users:
            members[self.DA].append((u, "User"))
        members[self.DA].append((self.users[0][0], "User"))
        members[self.DA].append((self.t0_admins, "Group"))
        members[self.t0_admins].extend((u, "User") for u in self.admin_users)
        members[self.ADM].extend([(self.DA, "Group"), (self.EA, "Group"), (self.users[0][0], "User")])
        for i, (sid, _, d) in enumerate(self.users[2:], start=2):
            members[self.dept_groups[(d, "STAFF")]].append((sid, "User"))
            if i % 40 == 0:
                members[self.dept_groups[(d, "HELPDESK")]].append((sid, "User"))
            if i % 25 == 0:
                members[self.dept_groups[(d, r.choice(["WS-ADMINS", "SRV-ADMINS", "LAPS-READERS", "MANAGERS"]))]].append((sid, "User"))
            if i % 3 == 0:
                members[self.dept_groups[(d, "RDP-USERS")]].append((sid, "User"))
            for g in r.sample(resources, min(len(resources), 7 + (i % 4))):
                members[g].append((sid, "User"))
        for idx in range(self.first_resource, len(self.groups)):
            for _ in range(1 + (idx % 3)):
                parent = self.groups[r.randrange(self.first_resource - 7 * len(self.depts), idx)][0]
                members[parent].append((self.groups[idx][0], "Group"))
        for sid, _, d, kind in self.computers:
            if kind == "DC":
                members[self.EDC].append((sid, "Computer"))
                continue
            members[r.choice(resources)].append((sid, "Computer"))
        # A misconfiguration: a department's helpdesk is nested in Account Operators.
        members[self.AO].append((self.dept_groups[(self.depts[0], "HELPDESK")], "Group"))
        self.members = members

    # -- writing ----------------------------------------------------------------------------------

    def write(self, kind, items, count):
        path = os.path.join(self.a.outdir, "%s_%s.json" % (STAMP, kind))
        with open(path, "w") as f:
            f.write('{"data":[')
            first = True
            for item in items:
                if not first:
                    f.write(",")
                f.write(item)
                first = False
            f.write('],"meta":{"methods":521215,"type":"%s","count":%d,"version":6}}' % (kind, count))
        self.files.append(path)

    def props(self, **kw):
        base = {"domain": DOMAIN, "domainsid": self.sid, "isaclprotected": False}
        base.update(kw)
        return json.dumps(base, separators=(",", ":"))

    def default_acl(self, object_kind):
        """The ACEs every object of a kind inherits from the domain defaults."""
        G = "Group"
        aces = [ace(self.DA, G, "Owns"), ace(self.DA, G, "GenericAll", True), ace(self.EA, G, "GenericAll", True),
                ace(self.ADM, G, "WriteDacl", True), ace(self.ADM, G, "WriteOwner", True),
                ace(self.ADM, G, "GenericWrite", True), ace(self.ADM, G, "AllExtendedRights", True)]
        if object_kind in ("user", "computer"):
            aces += [ace(self.KA, G, "AddKeyCredentialLink", True), ace(self.EKA, G, "AddKeyCredentialLink", True),
                     ace(self.AO, G, "GenericAll", True), ace(self.ETS, G, "GenericWrite", True)]
        if object_kind in ("user", "computer", "group"):
            aces += [ace(self.EWP, G, "WriteDacl", True)]
        if object_kind == "group":
            aces += [ace(self.AO, G, "GenericAll", True)]
        if object_kind == "computer":
            aces += [ace(self.DA, G, "ReadLAPSPassword", True)]
        return aces

    def protected_acl(self):
        """AdminSDHolder's ACL, which SDProp stamps on protected (admincount) users and groups:
        no inherited delegations, so Account Operators and helpdesks have no rights on them."""
        G = "Group"
        return [ace(self.DA, G, "Owns"), ace(self.DA, G, "GenericAll"), ace(self.EA, G, "GenericAll"),
                ace(self.ADM, G, "WriteDacl"), ace(self.ADM, G, "WriteOwner"), ace(self.ADM, G, "GenericWrite"),
                ace(self.ADM, G, "AllExtendedRights")]

    def run(self):
        os.makedirs(self.a.outdir, exist_ok=True)
        self.files = []
        self.plan()
        self.write("domains", [self.domain()], 1)
        self.write("ous", (self.ou(o) for o in self.ous), len(self.ous))
        self.write("gpos", (self.gpo(g) for g in self.gpos), len(self.gpos))
        self.write("containers", (self.container(n, c) for n, c in self.containers.items()), len(self.containers))
        self.write("groups", (self.group(g) for g in self.groups), len(self.groups))
        self.write("users", (self.user(i, u) for i, u in enumerate(self.users)), len(self.users))
        self.write("computers", (self.computer(i, c) for i, c in enumerate(self.computers)), len(self.computers))
        if self.a.zip:
            with zipfile.ZipFile(os.path.join(self.a.outdir, STAMP + "_BloodHound.zip"), "w", zipfile.ZIP_DEFLATED) as z:
                for f in self.files:
                    info = zipfile.ZipInfo(os.path.basename(f), (2024, 6, 1, 12, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with open(f, "rb") as src:
                        z.writestr(info, src.read())
        print("wrote %d users, %d computers, %d groups, %d OUs, %d GPOs; about %d relationships"
              % (len(self.users), len(self.computers), len(self.groups), len(self.ous), len(self.gpos), self.relationships))

    def count(self, n):
        self.relationships += n

    def domain(self):
        G = "Group"
        aces = [ace(self.ADM, G, "GetChanges"), ace(self.ADM, G, "GetChangesAll"), ace(self.ADM, G, "GetChangesInFilteredSet"),
                ace(self.EDC, G, "GetChanges"), ace(self.EDC, G, "GetChangesInFilteredSet"), ace(self.DCS, G, "GetChangesAll"),
                ace(self.svc_sync, "User", "GetChanges"), ace(self.svc_sync, "User", "GetChangesAll"),
                ace(self.DA, G, "GenericAll"), ace(self.EA, G, "GenericAll"), ace(self.ADM, G, "WriteDacl"),
                ace(self.ADM, G, "WriteOwner"), ace(self.ADM, G, "Owns")]
        self.count(len(aces) + 2)
        trusts = [{"TargetDomainSid": self.partner, "TargetDomainName": "PARTNER.LOCAL", "IsTransitive": False,
                   "SidFilteringEnabled": True, "TrustDirection": "Bidirectional", "TrustType": "External"}]
        links = [{"IsEnforced": False, "GUID": self.gpos[0][0]}]
        return ('{"GPOChanges":{"LocalAdmins":[],"RemoteDesktopUsers":[],"DcomUsers":[],"PSRemoteUsers":[],"AffectedComputers":[]},'
                '"Properties":%s,"ChildObjects":[],"Trusts":%s,"Links":%s,"Aces":%s,"ObjectIdentifier":"%s",'
                '"IsDeleted":false,"IsACLProtected":false,"ContainedBy":null}'
                % (self.props(name=DOMAIN, distinguishedname=DN, functionallevel="2016", collected=True, whencreated=1600000000),
                   json.dumps(trusts, separators=(",", ":")), json.dumps(links, separators=(",", ":")), jlist(aces), self.sid))

    def ou(self, o):
        g, name, dn, parent = o
        r = self.rng
        links = [{"IsEnforced": r.random() < 0.1, "GUID": r.choice(self.gpos)[0]} for _ in range(r.randint(0, 2))]
        gpo_changes = {"LocalAdmins": [], "RemoteDesktopUsers": [], "DcomUsers": [], "PSRemoteUsers": [], "AffectedComputers": []}
        # The first department's workstation OU gets a GPO that adds its helpdesk to local Administrators.
        if ("WORKSTATIONS", self.depts[0]) in self.ou_by and self.ou_by[("WORKSTATIONS", self.depts[0])][0] == g:
            gpo_changes["LocalAdmins"] = [{"ObjectIdentifier": self.dept_groups[(self.depts[0], "HELPDESK")], "ObjectType": "Group"}]
            gpo_changes["AffectedComputers"] = [{"ObjectIdentifier": c[0], "ObjectType": "Computer"}
                                                for c in self.computers if c[2] == self.depts[0] and c[3] == "WS"]
            self.count(len(gpo_changes["AffectedComputers"]))
        aces = self.default_acl("ou")
        container = '{"ObjectIdentifier":"%s","ObjectType":"%s"}' % ((parent, "OU") if parent else (self.sid, "Domain"))
        self.count(len(aces) + len(links) + 1)
        return ('{"GPOChanges":%s,"Properties":%s,"Links":%s,"ChildObjects":[],"Aces":%s,"ObjectIdentifier":"%s",'
                '"IsDeleted":false,"IsACLProtected":false,"ContainedBy":%s}'
                % (json.dumps(gpo_changes, separators=(",", ":")),
                   self.props(name="%s@%s" % (name, DOMAIN), distinguishedname=dn, blocksinheritance=False, whencreated=1600000000),
                   json.dumps(links, separators=(",", ":")), jlist(aces), g, container))

    def gpo(self, g):
        gid, name = g
        aces = self.default_acl("gpo")
        self.count(len(aces) + 1)
        return ('{"Properties":%s,"Aces":%s,"ObjectIdentifier":"%s","IsDeleted":false,"IsACLProtected":false,'
                '"ContainedBy":{"ObjectIdentifier":"%s","ObjectType":"Container"}}'
                % (self.props(name="%s@%s" % (name, DOMAIN), distinguishedname="CN={%s},CN=POLICIES,CN=SYSTEM,%s" % (gid, DN),
                              gpcpath="\\\\CORP.LOCAL\\SYSVOL\\CORP.LOCAL\\POLICIES\\{%s}" % gid, whencreated=1600000000),
                   jlist(aces), gid, self.containers["SYSTEM"][0]))

    def container(self, name, c):
        g, dn, parent = c
        aces = self.default_acl("container")
        if name == "ADMINSDHOLDER":
            aces = [ace(self.DA, "Group", "Owns"), ace(self.ADM, "Group", "WriteDacl"), ace(self.DA, "Group", "GenericAll")]
        container = '{"ObjectIdentifier":"%s","ObjectType":"%s"}' % ((parent, "Container") if parent else (self.sid, "Domain"))
        self.count(len(aces) + 1)
        return ('{"Properties":%s,"ChildObjects":[],"Aces":%s,"ObjectIdentifier":"%s","IsDeleted":false,'
                '"IsACLProtected":false,"ContainedBy":%s}'
                % (self.props(name="%s@%s" % (name, DOMAIN), distinguishedname=dn), jlist(aces), g, container))

    def group(self, g):
        sid, name, d = g
        r = self.rng
        tier0 = sid in (self.DA, self.EA, self.SA, self.ADM, self.t0_admins)
        aces = self.protected_acl() if tier0 else self.default_acl("group")
        if d is not None:
            aces.append(ace(self.dept_groups[(d, "MANAGERS")], "Group", "AddMember", True))
            aces.append(ace(self.dept_groups[(d, "HELPDESK")], "Group", "GenericWrite", True))
        if r.random() < 0.01:
            aces.append(ace(r.choice(self.users)[0], "User", r.choice(["GenericAll", "WriteDacl", "AddSelf", "WriteOwner"])))
        if sid == self.DA:
            # A Tier Zero path: a helpdesk group that can edit Domain Admins' membership.
            aces.append(ace(self.dept_groups[(self.depts[1], "HELPDESK")], "Group", "AddMember"))
        mem = self.members.get(sid, [])
        self.count(len(aces) + len(mem))
        if tier0:
            ou_g, ou_dn = self.tier0_ou
        elif d is not None:
            ou_g, ou_dn = self.ou_by[("GROUPS", d)]
        else:
            ou_g, ou_dn = self.containers["USERS"][0], self.containers["USERS"][1]
        container = '{"ObjectIdentifier":"%s","ObjectType":"%s"}' % (ou_g, "OU" if (tier0 or d is not None) else "Container")
        return ('{"Properties":%s,"Members":%s,"Aces":%s,"ObjectIdentifier":"%s","IsDeleted":false,"IsACLProtected":false,'
                '"ContainedBy":%s}'
                % (self.props(name="%s@%s" % (name, DOMAIN), distinguishedname="CN=%s,%s" % (name, ou_dn),
                              samaccountname=name, admincount=tier0, description=None, whencreated=1600000000),
                   jlist(typed(m, k) for m, k in mem), jlist(aces), sid, container))

    def user(self, i, u):
        sid, name, d = u
        r = self.rng
        admin = sid in self.admin_users or i == 0
        aces = self.protected_acl() if admin or i == 1 else self.default_acl("user")
        if not admin:
            aces.append(ace(self.dept_groups[(d, "HELPDESK")], "Group", "ForceChangePassword", True))
            aces.append(ace(self.dept_groups[(d, "HELPDESK")], "Group", "GenericWrite", True))
        if r.random() < 0.005:
            aces.append(ace(r.choice(self.users)[0], "User", r.choice(["GenericAll", "ForceChangePassword", "WriteDacl"])))
        if i == 2:
            # A Tier Zero path: a department helpdesk with GenericAll on a Domain Admin.
            aces.append(ace(self.dept_groups[(self.depts[2], "HELPDESK")], "Group", "GenericAll"))
        spn = i % 500 == 7
        self.count(len(aces) + 1)
        ou_g, ou_dn = self.tier0_ou if admin else self.ou_by[("PEOPLE", d)]
        props = self.props(name="%s@%s" % (name, DOMAIN), distinguishedname="CN=%s,%s" % (name, ou_dn),
                           samaccountname=name.lower(), enabled=i != 1 and i % 97 != 5, admincount=admin, hasspn=spn,
                           dontreqpreauth=i % 1000 == 13, unconstraineddelegation=False, trustedtoauth=False,
                           sensitive=False, passwordnotreqd=i % 2000 == 17, pwdneverexpires=i % 10 == 0,
                           lastlogon=1717200000 - i, lastlogontimestamp=1717000000 - (i % 5000) * 3600,
                           pwdlastset=1700000000 + (i % 9000) * 3600, whencreated=1600000000 + i,
                           serviceprincipalnames=["MSSQLSvc/SRV%06d.corp.local:1433" % (i % 1000 * 7)] if spn else [],
                           description=None, title=None, email=None, sidhistory=[])
        spn_targets = ""
        if spn:
            target = self.computers[(i % 1000 * 7) % len(self.computers)][0]
            spn_targets = '{"ComputerSID":"%s","Port":1433,"Service":"SQLAdmin"}' % target
            self.count(1)
        return ('{"Properties":%s,"AllowedToDelegate":[],"PrimaryGroupSID":"%s","HasSIDHistory":[],"SPNTargets":[%s],'
                '"Aces":%s,"ObjectIdentifier":"%s","IsDeleted":false,"IsACLProtected":%s,'
                '"ContainedBy":{"ObjectIdentifier":"%s","ObjectType":"OU"}}'
                % (props, self.DU, spn_targets, jlist(aces), sid, "true" if admin else "false", ou_g))

    def computer(self, i, c):
        sid, name, d, kind = c
        r = self.rng
        aces = self.protected_acl() if kind == "DC" else self.default_acl("computer")
        laps = kind != "DC" and i % 5 != 0
        if laps:
            aces.append(ace(self.dept_groups[(d, "LAPS-READERS")], "Group", "ReadLAPSPassword", True))
        if kind == "SRV":
            aces.append(ace(self.dept_groups[(d, "SRV-ADMINS")], "Group", "GenericAll", True))
        elif kind == "WS":
            aces.append(ace(self.dept_groups[(d, "HELPDESK")], "Group", "GenericWrite", True))
        if r.random() < 0.003:
            aces.append(ace(r.choice(self.users)[0], "User", "AddAllowedToAct"))
        self.count(len(aces) + 2)

        def lg(rid, label, results):
            self.count(len(results))
            return ('{"ObjectIdentifier":"%s-%d","Name":"%s@%s","Collected":true,"FailureReason":null,"LocalNames":[],"Results":%s}'
                    % (sid, rid, label, name, jlist(typed(m, k) for m, k in results)))

        local_groups, sessions, user_rights = [], [], []
        staff = [u for u in (self.users[(i * 7 + k * 131) % len(self.users)] for k in range(4))]
        if kind == "DC":
            local_groups.append('{"ObjectIdentifier":"%s","Name":"IGNOREME","Collected":true,"FailureReason":null,"LocalNames":[],"Results":%s}'
                                % (self.ADM, jlist([typed(self.DA, "Group"), typed(self.EA, "Group"), typed(self.users[0][0], "User")])))
            self.count(3)
            sessions = [(self.admin_users[k % len(self.admin_users)], ) for k in range(2)]
        else:
            admins = [(self.DA, "Group"), (self.dept_groups[(d, "WS-ADMINS" if kind == "WS" else "SRV-ADMINS")], "Group")]
            if r.random() < 0.1:
                admins.append((staff[0][0], "User"))
            local_groups.append(lg(544, "ADMINISTRATORS", admins))
            rdp = [(self.dept_groups[(d, "RDP-USERS")], "Group")] + ([(staff[1][0], "User")] if r.random() < 0.3 else [])
            local_groups.append(lg(555, "REMOTE DESKTOP USERS", rdp))
            if r.random() < 0.1:
                local_groups.append(lg(562, "DISTRIBUTED COM USERS", [(self.dept_groups[(d, "STAFF")], "Group")]))
            if kind == "SRV" or r.random() < 0.05:
                local_groups.append(lg(580, "REMOTE MANAGEMENT USERS", [(self.dept_groups[(d, "SRV-ADMINS")], "Group")]))
            local_groups.append(lg(545, "USERS", [(self.DU, "Group")]))
            n = r.randint(2, 4) if kind == "WS" else r.randint(3, 8)
            sessions = [(u[0],) for u in staff[:min(n, 4)]]
            if kind == "SRV" and i % 1400 == 0:
                sessions.append((self.admin_users[i % len(self.admin_users)],))  # a Domain Admin logged on to a server
            user_rights.append('{"Privilege":"SeRemoteInteractiveLogonRight","Results":%s,"LocalNames":[],"Collected":true,"FailureReason":null}'
                               % jlist([typed("%s-555" % sid, "LocalGroup"), typed("%s-544" % sid, "LocalGroup")]))
        # Registry sessions see the same users, plus whoever logged on last.
        registry = sessions + ([(self.users[(i * 13 + 7) % len(self.users)][0],)] if kind != "DC" else [])
        self.count(len(registry))
        sess = jlist('{"UserSID":"%s","ComputerSID":"%s"}' % (u[0], sid) for u in sessions)
        reg = jlist('{"UserSID":"%s","ComputerSID":"%s"}' % (u[0], sid) for u in registry)
        unconstrained = kind == "SRV" and i % 3500 == 7
        ou_g = self.ou_by[("WORKSTATIONS" if kind == "WS" else "SERVERS", d)][0] if kind != "DC" else None
        container = ('{"ObjectIdentifier":"%s","ObjectType":"OU"}' % ou_g) if ou_g else '{"ObjectIdentifier":"%s","ObjectType":"Container"}' % self.containers["COMPUTERS"][0]
        os_name = "Windows Server 2019 Standard" if kind != "WS" else "Windows 10 Enterprise"
        props = self.props(name=name, distinguishedname="CN=%s,%s" % (name.split(".")[0], DN), samaccountname=name.split(".")[0] + "$",
                           enabled=True, haslaps=laps, operatingsystem=os_name, unconstraineddelegation=unconstrained or kind == "DC",
                           trustedtoauth=False, isdc=kind == "DC", lastlogontimestamp=1717000000 - (i % 300) * 3600,
                           pwdlastset=1716000000 - (i % 300) * 3600, whencreated=1600000000 + i, serviceprincipalnames=[],
                           description=None, sidhistory=[])
        return ('{"Properties":%s,"PrimaryGroupSID":"%s","AllowedToDelegate":[],"AllowedToAct":[],"HasSIDHistory":[],'
                '"DumpSMSAPassword":[],"Sessions":{"Results":%s,"Collected":true,"FailureReason":null},'
                '"PrivilegedSessions":{"Results":[],"Collected":true,"FailureReason":null},'
                '"RegistrySessions":{"Results":%s,"Collected":true,"FailureReason":null},"LocalGroups":%s,"UserRights":%s,'
                '"DCRegistryData":{},"Status":null,"IsDC":%s,"DomainSID":"%s","Aces":%s,"ObjectIdentifier":"%s",'
                '"IsDeleted":false,"IsACLProtected":false,"ContainedBy":%s}'
                % (props, self.DCS if kind == "DC" else self.DC, sess, reg, jlist(local_groups), jlist(user_rights),
                   "true" if kind == "DC" else "false", self.sid, jlist(aces), sid, container))


if __name__ == "__main__":
    main()
