// swift-tools-version:5.4
// A separate package so the fuzzing build flags never touch the main package's builds.
// Build (from this directory):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --scratch-path .build-fuzz
// See ../docs/fuzzing.md.
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
    ]
)
