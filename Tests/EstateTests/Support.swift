import BulwarkModel
import Estate
import Foundation
import TestSupport

/// Paths of the test inputs, read in place through #filePath.
enum Inputs {
    static var projectRoot: String { TestSupport.projectRoot }

    static func path(_ relative: String) -> String { projectRoot + "/Tests/EstateTests/Inputs/" + relative }

    /// The complete example estate.
    static var acme: String { path("acme") }

    /// Checks manifest text as a file `broken.yaml` in the Acme folder, so that it can name Acme's
    /// export files.
    static func check(_ yaml: String) -> EstateLoader.Result {
        EstateLoader.parse(yaml, file: "broken.yaml", directory: acme)
    }
}

extension EstateLoader.Result {
    /// The diagnostics as the command line prints them, for failure messages.
    var listing: String { diagnostics.map(\.description).joined(separator: "\n") }

    /// Whether some diagnostic has this severity, line, column (when given) and message part.
    func has(_ severity: Diagnostic.Severity, line: Int, column: Int? = nil, _ part: String) -> Bool {
        diagnostics.contains {
            $0.severity == severity && $0.location.line == line && (column == nil || $0.location.column == column) && $0.message.contains(part)
        }
    }
}
