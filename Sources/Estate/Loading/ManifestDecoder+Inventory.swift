import BulwarkModel
import Yams

extension ManifestDecoder {
    /// `inventory:` — the scans, AD collections and threat-intelligence files of the estate, each a
    /// path relative to the manifest (or `{file, format}`); the format is told from the content
    /// where it is not written.
    mutating func decodeInventory(_ node: Node) {
        guard let items = reader.sequence(node, "inventory (a list of export files)") else { return }
        var list: [M.InventoryExport] = []
        var seen = FirstSeen<String>()
        for item in items {
            let fileNode: Node
            var written: M.InventoryFormat?
            if item.scalar != nil {
                fileNode = item
            } else {
                guard let f = reader.fields(item, "an inventory export", required: ["file"], optional: ["format", "description"]) else { continue }
                fileNode = f["file"]!
                if let n = f["format"] {
                    guard let format: M.InventoryFormat = reader.choice(n, "the inventory format") else { continue }
                    written = format
                }
                if let d = f["description"] { _ = reader.text(d, "a description") }
            }
            guard let relative = reader.text(fileNode, "a path relative to the manifest") else { continue }
            guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.hasPrefix("~") else {
                reader.error(fileNode, "expected a path relative to the manifest's folder, not '\(relative)': an estate folder must stay whole when it is moved")
                continue
            }
            let path = ExportProbe.resolve(relative, in: directory)
            if let first = seen.repeated(path, line: reader.location(fileNode).line) {
                reader.warning(fileNode, "'\(relative)' is listed twice (first at line \(first))")
                continue
            }
            let state = ExportProbe.state(of: path)
            switch state {
            case .missing:
                reader.error(fileNode, "inventory export '\(relative)' does not exist (looked for \(path))")
                continue
            case .unreadable:
                reader.error(fileNode, "inventory export '\(relative)' cannot be read")
                continue
            case .file, .folder:
                break
            }
            let detected = InventoryProbe.detect(path: path)
            if let written, let detected, written != detected {
                reader.warning(fileNode, "the manifest says \(written.rawValue) but '\(relative)' looks like \(detected.rawValue)")
            }
            guard let format = written ?? detected else {
                let choices = M.InventoryFormat.allCases.map(\.rawValue).joined(separator: ", ")
                reader.error(fileNode, state == .folder
                    ? "'\(relative)' is a folder without SharpHound JSON files; expected an export file or a collection folder"
                    : "cannot tell the format of '\(relative)'; expected one of \(choices), or say which with 'format:'")
                continue
            }
            list.append(M.InventoryExport(format: format, relativePath: relative, path: path, isFolder: state == .folder,
                                          location: reader.location(fileNode)))
        }
        inventory = list
    }
}
