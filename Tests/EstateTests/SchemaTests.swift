import BulwarkModel
import Estate
import Foundation
import TestSupport
import Testing

/// The JSON Schema (docs/schema/estate.schema.json) and the documentation's examples agree with
/// the loader: what the loader accepts, the schema accepts, and the schema is as strict about keys.
@Suite struct SchemaTests {
    static let schema = Inputs.projectRoot + "/docs/schema/estate.schema.json"

    static let canValidate: Bool = (try? runPython("import jsonschema, yaml", []))?.status == 0

    /// Validates each YAML file as its JSON equivalent (dates as text); one line a file.
    static let validator = """
        import json, sys, yaml, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            doc = json.loads(json.dumps(yaml.safe_load(open(path)), default=str))
            errors = list(validator.iter_errors(doc))
            print(path, "valid" if not errors else "invalid " + "; ".join(e.message[:120] for e in errors[:3]))
        """

    /// The ```yaml blocks of docs/estate.md that are whole manifests (they start with `version:`).
    static func documentedManifests() throws -> [String] {
        let text = try String(contentsOfFile: Inputs.projectRoot + "/docs/estate.md", encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```yaml" {
                current = []
            } else if current != nil, line == "```" {
                if current?.first?.hasPrefix("version:") == true { blocks.append(current!.joined(separator: "\n") + "\n") }
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func documentedExamplesLoadCleanly() throws {
        let blocks = try Self.documentedManifests()
        #expect(!blocks.isEmpty)
        for block in blocks {
            // The examples name the Acme test estate's export files.
            let r = EstateLoader.parse(block, file: "estate.md", directory: Inputs.acme)
            #expect(r.diagnostics.isEmpty, "\(r.listing)")
            #expect(r.manifest != nil)
        }
        #expect(EstateLoader.load(Inputs.path("minimal")).manifest?.zones.count == 1)
    }

    @Test(.enabled(if: SchemaTests.canValidate, "estate schema validation skipped: needs python3 with jsonschema and PyYAML"))
    func examplesValidateAgainstTheSchema() throws {
        var files = [Inputs.path("acme/bulwark.yaml"), Inputs.path("minimal/bulwark.yaml")]
        for (i, block) in try Self.documentedManifests().enumerated() {
            files.append(try TestSupport.temporary("doc-\(i).yaml", block))
        }
        for line in try Self.validate(files) { #expect(line.hasSuffix(" valid"), "\(line)") }
    }

    @Test(.enabled(if: SchemaTests.canValidate, "estate schema validation skipped: needs python3 with jsonschema and PyYAML"))
    func theSchemaRejectsWhatTheLoaderRejects() throws {
        let head = "version: 1\nzones:\n  - { name: a, kind: corp, trust: low }\n"
        let broken = [
            head.replacingOccurrences(of: "trust: low", with: "trust: low, colour: red"),
            head.replacingOccurrences(of: "version: 1", with: "version: 2"),
            head.replacingOccurrences(of: "kind: corp", with: "kind: korp"),
            head + "hosts: [{ name: h, crown_jewel: true, zone: a }]\n",
            head + "hosts: [{ name: h }]\n",
            head + "firewalls: [{ name: f, format: aws, file: x.json, placement: { kind: cloud } }]\n",
            head + "firewalls: [{ name: f, file: x, placement: { kind: network, interfaces: [] } }]\n",
            head + "policy: { rules: [{ from: a, to: a, allow: [none] }] }\n",
            head + "policy: { default: maybe }\n",
            head + "facts: [{ kind: mfa, at-rest: true }]\n",
            head + "facts: [{ kind: patching }]\n",
            head + "entry-points: [{ name: e, kind: vpn }]\n",
            head + "information-assets: [{ name: r, classification: secret, cia: { confidentiality: low, integrity: low, availability: low } }]\n",
            head + "information-assets: [{ name: r, classification: public, cia: { confidentiality: low, integrity: low, availability: low }, loss: { min: 1, most-likely: 2, max: 3, currency: eur } }]\n",
        ]
        var files = [Inputs.path("broken/bulwark.yaml")]
        for (i, text) in broken.enumerated() {
            #expect(Inputs.check(text).manifest == nil, "the loader rejects case \(i)")
            files.append(try TestSupport.temporary("broken-\(i).yaml", text))
        }
        for line in try Self.validate(files) { #expect(line.contains(" invalid "), "\(line)") }
    }

    // MARK: Helpers

    /// The validator's line for each file ("PATH valid" or "PATH invalid …").
    static func validate(_ files: [String]) throws -> [Substring] {
        let check = try runPython(validator, [schema] + files)
        #expect(check.status == 0, "\(check.stderr)")
        let lines = check.stdout.split(separator: "\n")
        #expect(lines.count == files.count)
        return lines
    }

    static func runPython(_ script: String, _ arguments: [String]) throws -> TestSupport.Run {
        try TestSupport.runPython(script, arguments)
    }

}
