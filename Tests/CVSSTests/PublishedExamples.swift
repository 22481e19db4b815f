// Vectors and the scores their publishers give for them. Every entry names its source; none was
// computed by this library. The FIRST documents are cited by title and section; the vectors were
// transcribed from them (via public copies), the scores are the documents' own.

/// A published vector and its published scores (v2.0 and v3.x).
struct PublishedScore: Sendable, CustomStringConvertible {
    let source: String
    let vector: String
    let base: Double
    var temporal: Double? = nil
    var environmental: Double? = nil

    var description: String { "\(source): \(vector)" }
}

/// A published CVSS v4.0 vector and the score its publisher gives for the whole vector.
struct PublishedV4Score: Sendable, CustomStringConvertible {
    let source: String
    let vector: String
    let score: Double

    var description: String { "\(source): \(vector)" }
}

enum PublishedExamples {
    // MARK: CVSS v2.0

    /// "A Complete Guide to the Common Vulnerability Scoring System Version 2.0" (FIRST, 2007),
    /// section 3.3, the three worked examples with their base, temporal and environmental scores.
    static let v2Guide: [PublishedScore] = [
        PublishedScore(
            source: "CVSS v2.0 guide §3.3.1, CVE-2002-0392",
            vector: "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
            base: 7.8, temporal: 6.4, environmental: 9.2),
        PublishedScore(
            source: "CVSS v2.0 guide §3.3.2, CVE-2003-0818",
            vector: "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L",
            base: 10.0, temporal: 8.3, environmental: 9.0),
        PublishedScore(
            source: "CVSS v2.0 guide §3.3.3, CVE-2003-0062",
            vector: "AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M",
            base: 6.2, temporal: 4.9, environmental: 7.5),
    ]

    /// The CVSS v2.0 base vector and score that FIRST's "CVSS v3.0 Examples" and "CVSS v3.1
    /// Examples" documents give beside each example, for comparison.
    static let v2FromV3Examples: [PublishedScore] = [
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2013-1937", vector: "AV:N/AC:L/Au:S/C:P/I:P/A:N", base: 5.5),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2014-3566", vector: "AV:N/AC:M/Au:N/C:P/I:N/A:N", base: 4.3),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2012-1516", vector: "AV:N/AC:L/Au:S/C:C/I:C/A:C", base: 9.0),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2009-0783", vector: "AV:L/AC:L/Au:N/C:P/I:P/A:P", base: 4.6),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2012-0384", vector: "AV:N/AC:M/Au:S/C:C/I:C/A:C", base: 8.5),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2015-1098", vector: "AV:N/AC:M/Au:N/C:P/I:P/A:P", base: 6.8),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2014-0160", vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", base: 5.0),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2008-1447", vector: "AV:N/AC:L/Au:N/C:N/I:P/A:N", base: 5.0),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2014-2005", vector: "AV:L/AC:M/Au:N/C:C/I:C/A:C", base: 6.9),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2013-6014", vector: "AV:A/AC:L/Au:N/C:N/I:C/A:N", base: 6.1),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2014-9253", vector: "AV:N/AC:M/Au:N/C:N/I:P/A:N", base: 4.3),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2009-0658", vector: "AV:N/AC:M/Au:N/C:C/I:C/A:C", base: 9.3),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2011-1265", vector: "AV:A/AC:L/Au:N/C:C/I:C/A:C", base: 8.3),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2014-2019", vector: "AV:L/AC:L/Au:N/C:N/I:C/A:N", base: 4.9),
        PublishedScore(source: "CVSS v3.0 Examples, CVE-2016-0128", vector: "AV:N/AC:M/Au:N/C:P/I:P/A:N", base: 5.8),
        PublishedScore(source: "CVSS v3.1 Examples, CVE-2019-7551", vector: "AV:N/AC:M/Au:S/C:P/I:P/A:P", base: 6.0),
        PublishedScore(source: "CVSS v3.1 Examples, CVE-2016-5729", vector: "AV:L/AC:L/Au:S/C:C/I:C/A:C", base: 6.8),
        PublishedScore(source: "CVSS v3.1 Examples, CVE-2015-2890", vector: "AV:L/AC:L/Au:N/C:C/I:C/A:C", base: 7.2),
        PublishedScore(source: "CVSS v3.1 Examples, CVE-2019-0884", vector: "AV:N/AC:H/Au:N/C:C/I:C/A:C", base: 7.6),
    ]

    // MARK: CVSS v3.0

    /// FIRST, "Common Vulnerability Scoring System v3.0: Examples" (base scores).
    static let v3_0: [PublishedScore] = [
        PublishedScore(source: "CVE-2013-1937 phpMyAdmin XSS", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", base: 6.1),
        PublishedScore(source: "CVE-2013-0375 MySQL SQL injection", vector: "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", base: 6.4),
        PublishedScore(source: "CVE-2014-3566 POODLE", vector: "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", base: 3.1),
        PublishedScore(source: "CVE-2012-1516 VMware guest to host", vector: "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", base: 9.9),
        PublishedScore(source: "CVE-2009-0783 Apache Tomcat XML parser", vector: "CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", base: 4.2),
        PublishedScore(source: "CVE-2012-0384 Cisco IOS command execution", vector: "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", base: 8.8),
        PublishedScore(source: "CVE-2015-1098 Apple iWork", vector: "CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.8),
        PublishedScore(source: "CVE-2014-0160 Heartbleed", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", base: 7.5),
        PublishedScore(source: "CVE-2014-6271 Shellshock", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 9.8),
        PublishedScore(source: "CVE-2008-1447 DNS Kaminsky", vector: "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", base: 6.8),
        PublishedScore(source: "CVE-2014-2005 Sophos login bypass", vector: "CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 6.8),
        PublishedScore(source: "CVE-2010-0467 Joomla traversal", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", base: 5.8),
        PublishedScore(source: "CVE-2012-1342 Cisco ACL bypass", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", base: 5.8),
        PublishedScore(source: "CVE-2013-6014 Juniper proxy ARP", vector: "CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", base: 9.3),
        PublishedScore(source: "CVE-2014-9253 DokuWiki XSS", vector: "CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", base: 5.4),
        PublishedScore(source: "CVE-2009-0658 Adobe Acrobat overflow", vector: "CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.8),
        PublishedScore(source: "CVE-2011-1265 Windows Bluetooth", vector: "CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 8.8),
        PublishedScore(source: "CVE-2014-2019 Apple iOS control bypass", vector: "CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", base: 4.6),
        PublishedScore(source: "CVE-2015-0970 SearchBlox CSRF", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 8.8),
        PublishedScore(source: "CVE-2014-0224 OpenSSL CCS MITM", vector: "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", base: 7.4),
        PublishedScore(source: "CVE-2012-5376 Chrome sandbox bypass", vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", base: 9.6),
    ]

    // MARK: CVSS v3.1

    /// FIRST, "Common Vulnerability Scoring System v3.1: Examples" (base scores).
    static let v3_1: [PublishedScore] = [
        PublishedScore(source: "CVE-2013-0375 MySQL SQL injection", vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", base: 6.4),
        PublishedScore(source: "CVE-2014-3566 POODLE", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", base: 3.1),
        PublishedScore(source: "CVE-2012-1516 VMware guest to host", vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", base: 9.9),
        PublishedScore(source: "CVE-2009-0783 Apache Tomcat XML parser", vector: "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", base: 4.2),
        PublishedScore(source: "CVE-2012-0384 Cisco IOS (rescored PR:H)", vector: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", base: 7.2),
        PublishedScore(source: "CVE-2015-1098 Apple iWork", vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.8),
        PublishedScore(source: "CVE-2014-0160 Heartbleed", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", base: 7.5),
        PublishedScore(source: "CVE-2014-6271 Shellshock", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 9.8),
        PublishedScore(source: "CVE-2008-1447 DNS Kaminsky", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", base: 6.8),
        PublishedScore(source: "CVE-2014-2005 Sophos login bypass", vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 6.8),
        PublishedScore(source: "CVE-2010-0467 Joomla traversal", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", base: 5.8),
        PublishedScore(source: "CVE-2012-1342 Cisco ACL bypass", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", base: 5.8),
        PublishedScore(source: "CVE-2013-6014 Juniper proxy ARP", vector: "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", base: 9.3),
        PublishedScore(source: "CVE-2009-0658 Adobe Acrobat overflow", vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.8),
        PublishedScore(source: "CVE-2011-1265 Windows Bluetooth", vector: "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", base: 8.8),
        PublishedScore(source: "CVE-2014-2019 Apple iOS control bypass", vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", base: 4.6),
        PublishedScore(source: "CVE-2015-0970 SearchBlox CSRF", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 8.8),
        PublishedScore(source: "CVE-2014-0224 OpenSSL CCS MITM", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", base: 7.4),
        PublishedScore(source: "CVE-2012-5376 Chrome sandbox bypass", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", base: 9.6),
        PublishedScore(source: "CVE-2016-0128 Badlock (SAMR)", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", base: 6.8),
        PublishedScore(source: "CVE-2016-2118 Badlock (Samba)", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.5),
        PublishedScore(source: "CVE-2019-7551 Cantemo Portal stored XSS", vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", base: 9.0),
        PublishedScore(source: "CVE-2017-5942 WordPress mail plugin XSS", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", base: 6.1),
        PublishedScore(source: "CVE-2018-18913 Opera DLL hijacking", vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.8),
        PublishedScore(source: "CVE-2016-5558 Oracle Outside In", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:L", base: 8.6),
        PublishedScore(source: "CVE-2016-5729 Lenovo ThinkPwn", vector: "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", base: 8.2),
        PublishedScore(source: "CVE-2015-2890 flash lock on resume", vector: "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:H/A:H", base: 6.0),
        PublishedScore(source: "CVE-2018-3652 Intel DCI", vector: "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", base: 7.6),
        PublishedScore(source: "CVE-2019-0884 scripting engine (IE)", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", base: 7.5),
        PublishedScore(source: "CVE-2019-0884 scripting engine (Edge)", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N", base: 4.2),
    ]

    // MARK: CVSS v4.0

    /// FIRST, "Common Vulnerability Scoring System v4.0: Examples": each example's vector and the
    /// score the document gives for it (CVSS-B, -BT, -BE or -BTE by the metrics present).
    static let v4_0: [PublishedV4Score] = [
        PublishedV4Score(source: "CVE-2022-41741 (Attack Requirements)", vector: "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", score: 7.3),
        PublishedV4Score(source: "CVE-2020-3549 (Attack Requirements)", vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", score: 7.7),
        PublishedV4Score(source: "CVE-2020-3549 with threat", vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", score: 5.2),
        PublishedV4Score(source: "CVE-2023-3089 (Attack Requirements)", vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", score: 8.3),
        PublishedV4Score(
            source: "CVE-2023-3089 with environmental",
            vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L",
            score: 8.1),
        PublishedV4Score(source: "CVE-2021-44714 (User Interaction)", vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", score: 4.6),
        PublishedV4Score(source: "CVE-2022-21830 (User Interaction)", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", score: 5.1),
        PublishedV4Score(source: "CVE-2022-22186 (subsequent system)", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", score: 6.9),
        PublishedV4Score(source: "CVE-2023-21989 (subsequent system)", vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N", score: 5.9),
        PublishedV4Score(source: "CVE-2020-3947 (subsequent system)", vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", score: 9.4),
        PublishedV4Score(source: "CVE-2023-48228 (subsequent system)", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H", score: 9.3),
        PublishedV4Score(
            source: "CVE-2023-30560 (Safety, supplemental)",
            vector: "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D", score: 8.3),
        PublishedV4Score(source: "CVE-2026-20805 (CISA KEV)", vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", score: 6.8),
        PublishedV4Score(source: "CVE-2014-0160 Heartbleed", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", score: 8.7),
        PublishedV4Score(source: "CVE-2021-44228 Log4Shell", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", score: 9.3),
        PublishedV4Score(
            source: "CVE-2021-44228 Log4Shell, environmental",
            vector: "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L",
            score: 5.5),
        PublishedV4Score(source: "CVE-2014-6271 Shellshock", vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", score: 9.3),
        PublishedV4Score(source: "CVE-2013-6014 Juniper proxy ARP", vector: "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H", score: 6.4),
        PublishedV4Score(
            source: "CVE-2016-5729 Lenovo ThinkPwn (Recovery, supplemental)",
            vector: "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/R:I", score: 8.4),
        // Not from the examples document: CNA-assigned CVSS 4.0 scores as published in NVD CVE
        // records (e.g. CVE-2026-13368, CVE-2026-40138), fully expanded with Not Defined metrics.
        PublishedV4Score(
            source: "NVD CVE records (CNA score 9.2)",
            vector:
                "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X",
            score: 9.2),
    ]
}
