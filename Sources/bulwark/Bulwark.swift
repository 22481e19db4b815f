import ArgumentParser

@main
struct Bulwark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulwark",
        abstract: "Security-posture analysis from an organisation's real exports.",
        version: BulwarkVersion.current,
        subcommands: [AnalyzeCommand.self, FirewallCommand.self, NetworkCommand.self, InventoryCommand.self, ExposureCommand.self, PathsCommand.self, BlastRadiusCommand.self, WhatIfCommand.self, RemediateCommand.self, WhyCommand.self, RiskCommand.self, ControlsCommand.self, CVSSCommand.self, DataCommand.self]
    )
}

enum BulwarkVersion {
    static let current = "0.1.0"
}
