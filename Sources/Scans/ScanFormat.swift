/// The scan formats this module reads, told apart by their root element.
public enum ScanFormat: String, Hashable, Sendable, CaseIterable {
    /// nmap XML output, root `<nmaprun>`: read with ``NmapReader``.
    case nmap
    /// Nessus v2 export, root `<NessusClientData_v2>`: read with ``NessusReader``.
    case nessus

    /// The format of the file at `path`, read up to its root element only.
    public static func detect(path: String) throws(ScanError) -> ScanFormat {
        try detect(XMLPullReader(path: path, limits: XMLLimits(chunkSize: 64 << 10)))
    }

    /// The format of `bytes`, read up to the root element only.
    public static func detect(bytes: some Collection<UInt8>, file: String) throws(ScanError) -> ScanFormat {
        try detect(XMLPullReader(bytes: bytes, file: file))
    }

    static func detect(_ reader: XMLPullReader) throws(ScanError) -> ScanFormat {
        let root = try reader.rootElement()
        switch root.name {
        case "nmaprun": return .nmap
        case "NessusClientData_v2": return .nessus
        default:
            throw reader.wrongFormat(root, "expected nmap XML (root element <nmaprun>) or a Nessus v2 export (<NessusClientData_v2>), found <\(root.name)>")
        }
    }
}
