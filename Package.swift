// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Bulwark",
    products: [
        .executable(name: "bulwark", targets: ["bulwark"]),
        .library(name: "BulwarkModel", targets: ["BulwarkModel"]),
        .library(name: "PacketSpace", targets: ["PacketSpace"]),
        .library(name: "Firewall", targets: ["Firewall"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "AWS", targets: ["AWS"]),
        .library(name: "Estate", targets: ["Estate"]),
        .library(name: "NetworkReach", targets: ["NetworkReach"]),
        .library(name: "Archive", targets: ["Archive"]),
        .library(name: "CVSS", targets: ["CVSS"]),
        .library(name: "Scans", targets: ["Scans"]),
        .library(name: "Identity", targets: ["Identity"]),
        .library(name: "ThreatIntel", targets: ["ThreatIntel"]),
        .library(name: "Inventory", targets: ["Inventory"]),
        .library(name: "AttackGraph", targets: ["AttackGraph"]),
        .library(name: "Risk", targets: ["Risk"]),
        .library(name: "Frameworks", targets: ["Frameworks"]),
        .library(name: "Controls", targets: ["Controls"]),
        .library(name: "Findings", targets: ["Findings"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "BulwarkModel", swiftSettings: strict),
        .target(name: "PacketSpace", swiftSettings: strict),
        .target(
            name: "Firewall",
            dependencies: ["BulwarkModel", "PacketSpace", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(name: "AWS", dependencies: ["BulwarkModel", "PacketSpace"], swiftSettings: strict),
        .target(
            name: "Estate",
            dependencies: ["BulwarkModel", "PacketSpace", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "NetworkReach",
            dependencies: ["BulwarkModel", "PacketSpace", "Firewall", "AWS", "Estate"],
            swiftSettings: strict
        ),
        // Inventory: what runs where, what is vulnerable, who can do what.
        // zlib (Debian zlib1g-dev) behind bounded zip and gzip readers.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Archive", dependencies: ["BulwarkModel", "CZlib"], swiftSettings: strict),
        .target(name: "CVSS", dependencies: ["BulwarkModel"], swiftSettings: strict),
        .target(name: "Scans", dependencies: ["BulwarkModel"], swiftSettings: strict),
        .target(name: "Identity", dependencies: ["BulwarkModel", "Archive"], swiftSettings: strict),
        .target(name: "ThreatIntel", dependencies: ["BulwarkModel", "Archive", "Frameworks"], swiftSettings: strict),
        .target(
            name: "Inventory",
            dependencies: ["BulwarkModel", "PacketSpace", "Estate", "CVSS", "Scans", "Identity", "ThreatIntel"],
            swiftSettings: strict
        ),
        .target(name: "AttackGraph", dependencies: ["BulwarkModel", "PacketSpace", "CVSS", "Identity", "Inventory", "Estate", "NetworkReach"], swiftSettings: strict),
        .target(name: "Risk", dependencies: ["BulwarkModel", "Estate", "Identity", "AttackGraph"], swiftSettings: strict),
        .target(name: "Frameworks", dependencies: ["BulwarkModel"], swiftSettings: strict),
        .target(name: "Controls", dependencies: ["BulwarkModel", "Estate", "Firewall", "AWS", "NetworkReach", "Inventory", "Identity", "AttackGraph", "Risk", "Frameworks"], swiftSettings: strict),
        .target(name: "Findings", dependencies: ["BulwarkModel", "Estate", "Firewall", "AWS", "NetworkReach", "Inventory", "AttackGraph", "Risk", "Frameworks", "Controls", "Identity"], swiftSettings: strict),
        .target(name: "Reports", dependencies: ["BulwarkModel", "Firewall", "PacketSpace", "NetworkReach", "Inventory", "Identity", "AttackGraph", "Risk", "Frameworks", "Controls", "Estate", "Findings"], swiftSettings: strict),
        .executableTarget(
            name: "bulwark",
            dependencies: [
                "BulwarkModel", "PacketSpace", "Firewall", "Reports", "Estate", "NetworkReach",
                "CVSS", "Scans", "Identity", "ThreatIntel", "Inventory", "AttackGraph", "Risk", "Frameworks", "Controls", "Findings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Paths and child processes the test targets share (not a product).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "PacketSpaceTests", dependencies: ["PacketSpace", "BulwarkModel"], swiftSettings: strict),
        // Test inputs and golden files are read in place (through #filePath), not bundled.
        .testTarget(name: "FirewallTests", dependencies: ["TestSupport", "Firewall", "PacketSpace", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "AWSTests", dependencies: ["TestSupport", "AWS", "PacketSpace", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "EstateTests", dependencies: ["TestSupport", "Estate", "PacketSpace", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "NetworkReachTests", dependencies: ["TestSupport", "NetworkReach", "Estate", "Firewall", "AWS", "PacketSpace", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "Firewall", "BulwarkModel", "PacketSpace"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "CVSSTests", dependencies: ["TestSupport", "CVSS", "BulwarkModel"], swiftSettings: strict),
        .testTarget(name: "ScansTests", dependencies: ["TestSupport", "Scans", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "IdentityTests", dependencies: ["TestSupport", "Identity", "Archive", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "ThreatIntelTests", dependencies: ["TestSupport", "ThreatIntel", "Frameworks", "BulwarkModel"], swiftSettings: strict),
        .testTarget(name: "AttackGraphTests", dependencies: ["TestSupport", "AttackGraph", "Inventory", "NetworkReach", "Identity", "Estate", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "RiskTests", dependencies: ["TestSupport", "Risk", "BulwarkModel", "AttackGraph", "Inventory", "NetworkReach", "Estate"], swiftSettings: strict),
        .testTarget(name: "FrameworksTests", dependencies: ["TestSupport", "Frameworks", "AttackGraph", "Identity", "BulwarkModel"], swiftSettings: strict),
        .testTarget(name: "InventoryTests", dependencies: ["TestSupport", "Inventory", "ThreatIntel", "Scans", "Identity", "CVSS", "Estate", "BulwarkModel"], exclude: ["Inputs"], swiftSettings: strict),
        .testTarget(name: "ControlsTests", dependencies: ["TestSupport", "Controls", "Findings", "Identity", "Estate", "Inventory", "NetworkReach", "AttackGraph", "Risk", "Frameworks", "BulwarkModel"], swiftSettings: strict),
        .testTarget(name: "BulwarkCLITests", dependencies: ["bulwark", "BulwarkModel", "TestSupport"], exclude: ["Golden"], swiftSettings: strict),
    ]
)
