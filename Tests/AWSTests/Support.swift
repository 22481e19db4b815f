import AWS
import Foundation
import TestSupport

/// Where the tests find their inputs: the project's own under `Inputs/`, and the shared real
/// exports at `../shared/fixtures/aws` (a sibling of the project root), both found from this file.
enum Inputs {
    static var projectRoot: String { TestSupport.projectRoot }

    /// The shared folder (`BULWARK_SHARED` overrides it, as for the firewall tests).
    static var sharedRoot: String { TestSupport.sharedRoot }

    static var sharedAWS: String { sharedRoot + "/fixtures/aws" }

    /// Whether the shared AWS exports are there; when not, prints that `test` was skipped and why.
    static func shared(for test: String) -> Bool {
        if FileManager.default.fileExists(atPath: sharedAWS + "/ec2-describe-security-groups.json") { return true }
        print("skipped: \(test) (../shared absent: no \(sharedAWS))")
        return false
    }

    /// A file of the project's own inputs.
    static func own(_ relative: String) -> String { projectRoot + "/Tests/AWSTests/Inputs/" + relative }

    /// A file as an input, named by its last path component (as findings and diagnostics show it).
    static func file(_ path: String, kind: AWSInputKind? = nil) throws -> AWSInputFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return AWSInputFile(name: URL(fileURLWithPath: path).lastPathComponent, bytes: Array(data), kind: kind)
    }

    static let exportNames = ["ec2-describe-security-groups.json", "ec2-describe-instances.json", "ec2-describe-network-interfaces.json",
                              "ec2-describe-subnets.json", "ec2-describe-vpcs.json", "ec2-describe-network-acls.json"]

    /// Every export of a folder that exists.
    static func estate(folder: String) throws -> AWSEstate {
        let files = try exportNames.map { folder + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }.map { try file($0) }
        return try AWSEstate.load(files)
    }

    /// The demo estate of the shared fixtures (cloudmapper's demo account).
    static func sharedEstate() throws -> AWSEstate { try estate(folder: sharedAWS) }

    /// The project's own estate with network ACLs.
    static func shopEstate() throws -> AWSEstate { try estate(folder: own("shop")) }
}
