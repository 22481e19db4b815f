// swift-tools-version:5.4
// Fuzz targets for Bulwark, kept in their own package so the fuzzing build flags never reach the
// main package's builds. See ../docs/fuzzing.md for how to build and run them.
//
// The tools version is deliberately 5.4: from 5.5 on, SwiftPM renames an executable's entry point
// to `<Module>_main` and links `main` to it, which fails for a libFuzzer target (compiled with
// -parse-as-library, it has no entry point of its own; libFuzzer supplies `main`).
import PackageDescription

let package = Package(
    name: "BulwarkFuzz",
    dependencies: [
        .package(name: "Bulwark", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzIPTablesReader",
            dependencies: [
                .product(name: "Firewall", package: "Bulwark"),
                .product(name: "PacketSpace", package: "Bulwark"),
            ]
        ),
        .executableTarget(name: "FuzzCVSS", dependencies: [.product(name: "CVSS", package: "Bulwark")]),
        .executableTarget(name: "FuzzScans", dependencies: [.product(name: "Scans", package: "Bulwark")]),
        .executableTarget(name: "FuzzSharpHound", dependencies: [.product(name: "Identity", package: "Bulwark")]),
        .executableTarget(name: "FuzzThreatIntel", dependencies: [.product(name: "ThreatIntel", package: "Bulwark")]),
    ]
)
