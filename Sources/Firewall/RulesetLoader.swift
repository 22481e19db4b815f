import BulwarkModel
public import PacketSpace

/// Reads a firewall export of any supported format, detected from its content.
public enum RulesetLoader {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The ruleset in `text`, or a failure when the text holds no ruleset Bulwark recognises.
    public static func load(text: String, file: String, family: AddressFamily? = nil) throws(Failure) -> Ruleset {
        let head = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        if head.first == "{" {
            do { return try NFTablesReader().read(bytes: Array(text.utf8), file: file) } catch {
                throw Failure(description: error.description)
            }
        }
        let ruleset = IPTablesReader().read(text: text, file: file, family: family)
        guard !ruleset.tables.isEmpty else {
            throw Failure(description: "\(file): no ruleset found (expected iptables-save or ip6tables-save output: '*filter', chain lines, '-A' rules, 'COMMIT')")
        }
        return ruleset
    }
}
