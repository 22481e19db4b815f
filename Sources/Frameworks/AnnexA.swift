public import BulwarkModel

/// ISO/IEC 27001:2022 Annex A: the 93 control ids with short titles written for Bulwark (a reminder
/// of what each control is about, in our own words — never the standard's text), grouped in its four
/// themes: 5 organizational (37), 6 people (8), 7 physical (14), 8 technological (34).
public enum AnnexA {
    public enum Theme: String, Sendable, Hashable, CaseIterable {
        case organizational, people, physical, technological
    }

    public struct Control: Sendable, Hashable {
        /// `8.20`.
        public var id: String
        /// Bulwark's own short title.
        public var title: String
        public var theme: Theme {
            switch id.prefix(while: { $0 != "." }) {
            case "5": .organizational
            case "6": .people
            case "7": .physical
            default: .technological
            }
        }
    }

    /// The CISSP domain an Annex A control's work falls in.
    public static func domain(of id: String) -> CISSPDomain {
        let parts = id.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 2 else { return .securityAndRiskManagement }
        switch (parts[0], parts[1]) {
        case (5, 9...14): return .assetSecurity
        case (5, 15...18): return .identityAndAccessManagement
        case (5, 24...28), (5, 37), (6, 8): return .securityOperations
        case (5, 35...36): return .securityAssessmentAndTesting
        case (5, _), (6, _): return .securityAndRiskManagement
        case (7, 10), (7, 14): return .assetSecurity
        case (7, _): return .securityArchitectureAndEngineering
        case (8, 2...5): return .identityAndAccessManagement
        case (8, 10...12): return .assetSecurity
        case (8, 20...23): return .communicationAndNetworkSecurity
        case (8, 1), (8, 24), (8, 27): return .securityArchitectureAndEngineering
        case (8, 29), (8, 34): return .securityAssessmentAndTesting
        case (8, 25...33): return .softwareDevelopmentSecurity
        default: return .securityOperations
        }
    }

    /// ATT&CK mitigations and CSF 2.0 subcategories an Annex A control serves: the technical
    /// control kinds that implement it, and for controls no export shows (training, incident
    /// response, physical access, screening …) a table of Bulwark's own.
    public static func mapping(of id: String) -> (mitigations: [String], csf: [String]) {
        var mitigations: [String] = [], csf: [String] = []
        for kind in ControlKind.allCases where kind.annexA.contains(id) {
            mitigations += kind.mitigations.filter { !mitigations.contains($0) }
            csf += kind.csf.filter { !csf.contains($0) }
        }
        if let (m, c) = attested[id] {
            mitigations += m.filter { !mitigations.contains($0) }
            csf += c.filter { !csf.contains($0) }
        }
        return (mitigations, csf)
    }

    private static let attested: [String: ([String], [String])] = [
        "5.1": ([], ["GV.PO-01"]),
        "5.2": ([], ["GV.RR-02"]),
        "5.7": (["M1019"], ["ID.RA-02"]),
        "5.9": ([], ["ID.AM-01", "ID.AM-02"]),
        "5.12": ([], ["ID.AM-05"]),
        "5.17": (["M1027"], ["PR.AA-01"]),
        "5.19": ([], ["GV.SC-07"]),
        "5.20": ([], ["GV.SC-05"]),
        "5.24": ([], ["ID.IM-04"]),
        "5.25": ([], ["DE.AE-02", "RS.MA-02"]),
        "5.26": ([], ["RS.MA-01"]),
        "5.27": ([], ["ID.IM-03"]),
        "5.28": ([], ["RS.AN-03"]),
        "5.29": ([], ["PR.IR-03"]),
        "5.30": ([], ["PR.IR-03", "RC.RP-01"]),
        "5.31": ([], ["GV.OC-03"]),
        "6.1": ([], ["GV.RR-04"]),
        "6.2": ([], ["GV.RR-04"]),
        "6.3": (["M1017"], ["PR.AT-01", "PR.AT-02"]),
        "6.8": ([], ["DE.AE-02"]),
        "7.1": ([], ["PR.AA-06"]),
        "7.2": ([], ["PR.AA-06"]),
        "7.4": ([], ["PR.AA-06"]),
        "7.5": ([], ["PR.IR-02"]),
        "8.6": ([], ["PR.IR-04"]),
        "8.9": (["M1028", "M1054"], ["PR.PS-01"]),
        "8.12": (["M1057"], []),
        "8.15": (["M1047"], ["PR.PS-04"]),
        "8.16": (["M1031"], ["DE.CM-01", "DE.CM-03"]),
        "8.19": (["M1033", "M1038"], ["PR.PS-05"]),
        "8.23": (["M1021"], []),
        "8.25": (["M1013"], ["PR.PS-06"]),
        "8.28": (["M1013"], ["PR.PS-06"]),
        "8.32": ([], ["ID.RA-07"]),
    ]

    public static let controls: [Control] = titles.map { Control(id: $0.0, title: $0.1) }
    public static let ids: [String] = controls.map(\.id)
    private static let byID = Dictionary(uniqueKeysWithValues: controls.map { ($0.id, $0) })

    public static subscript(_ id: String) -> Control? { byID[id] }

    private static let titles: [(String, String)] = [
        ("5.1", "Security policy set, approved and reviewed"),
        ("5.2", "Security roles assigned"),
        ("5.3", "Conflicting duties kept apart"),
        ("5.4", "Management holds staff to the policy"),
        ("5.5", "Contacts with authorities kept"),
        ("5.6", "Contacts with security communities kept"),
        ("5.7", "Threat information gathered and used"),
        ("5.8", "Security built into projects"),
        ("5.9", "Assets listed with their owners"),
        ("5.10", "Rules for acceptable use of assets"),
        ("5.11", "Assets handed back on leaving"),
        ("5.12", "Information classified by need for protection"),
        ("5.13", "Information marked with its class"),
        ("5.14", "Rules for sending information elsewhere"),
        ("5.15", "Rules for who may access what"),
        ("5.16", "Identities managed from creation to removal"),
        ("5.17", "Passwords and other secrets handled safely"),
        ("5.18", "Access rights granted, reviewed and withdrawn"),
        ("5.19", "Supplier security risks managed"),
        ("5.20", "Security terms in supplier contracts"),
        ("5.21", "Risks in the ICT supply chain managed"),
        ("5.22", "Supplier services watched and reviewed"),
        ("5.23", "Use of cloud services governed"),
        ("5.24", "Incident handling planned and prepared"),
        ("5.25", "Security events assessed and classified"),
        ("5.26", "Incidents responded to by plan"),
        ("5.27", "Lessons from incidents applied"),
        ("5.28", "Evidence collected and preserved"),
        ("5.29", "Security kept up during disruption"),
        ("5.30", "ICT ready for business continuity"),
        ("5.31", "Legal and contractual duties known and met"),
        ("5.32", "Intellectual property respected"),
        ("5.33", "Records protected"),
        ("5.34", "Personal data protected"),
        ("5.35", "Security reviewed independently"),
        ("5.36", "Compliance with security policy checked"),
        ("5.37", "Operating procedures written down"),
        ("6.1", "Background checks on staff"),
        ("6.2", "Security duties in employment terms"),
        ("6.3", "Security awareness and training"),
        ("6.4", "Disciplinary process for breaches"),
        ("6.5", "Duties that outlast employment"),
        ("6.6", "Confidentiality agreements"),
        ("6.7", "Remote work secured"),
        ("6.8", "Staff can report security events"),
        ("7.1", "Site perimeters defined and secured"),
        ("7.2", "Entry to secure areas controlled"),
        ("7.3", "Offices and rooms secured"),
        ("7.4", "Premises watched for intrusion"),
        ("7.5", "Protection against fire, flood and other hazards"),
        ("7.6", "Rules for working in secure areas"),
        ("7.7", "Clear desks and locked screens"),
        ("7.8", "Equipment placed and protected"),
        ("7.9", "Assets protected away from the premises"),
        ("7.10", "Storage media handled through their life"),
        ("7.11", "Power and other utilities protected"),
        ("7.12", "Cables protected"),
        ("7.13", "Equipment maintained"),
        ("7.14", "Equipment wiped before reuse or disposal"),
        ("8.1", "Endpoint devices protected"),
        ("8.2", "Privileged access restricted and managed"),
        ("8.3", "Access to information restricted"),
        ("8.4", "Access to source code controlled"),
        ("8.5", "Strong authentication"),
        ("8.6", "Capacity planned and watched"),
        ("8.7", "Defences against malware"),
        ("8.8", "Vulnerabilities found and fixed"),
        ("8.9", "Secure configurations kept"),
        ("8.10", "Information deleted when no longer needed"),
        ("8.11", "Sensitive data masked"),
        ("8.12", "Data leaks prevented"),
        ("8.13", "Backups made and restores tested"),
        ("8.14", "Redundant processing facilities"),
        ("8.15", "Activity logged and logs protected"),
        ("8.16", "Systems and networks watched for anomalies"),
        ("8.17", "Clocks synchronized"),
        ("8.18", "Powerful utility programs restricted"),
        ("8.19", "Software installation controlled"),
        ("8.20", "Networks secured"),
        ("8.21", "Network services secured"),
        ("8.22", "Networks segmented"),
        ("8.23", "Web access filtered"),
        ("8.24", "Cryptography used and keys managed"),
        ("8.25", "Security across the development life cycle"),
        ("8.26", "Security requirements for applications"),
        ("8.27", "Secure architecture principles applied"),
        ("8.28", "Code written securely"),
        ("8.29", "Security tested before acceptance"),
        ("8.30", "Outsourced development overseen"),
        ("8.31", "Development, test and production kept apart"),
        ("8.32", "Changes controlled"),
        ("8.33", "Test data protected"),
        ("8.34", "Audits planned so systems are not disrupted"),
    ]
}
