public import BulwarkModel

extension EstateManifest {
    /// The inventory exports Bulwark reads: scans, Active Directory collections, threat
    /// intelligence.
    public enum InventoryFormat: String, Sendable, Hashable, CaseIterable {
        /// nmap XML (`nmap -oX`).
        case nmap
        /// Nessus v2 (`.nessus`).
        case nessus
        /// SharpHound or another BloodHound collector: a folder of JSON files, one JSON file, or a zip.
        case sharphound
        /// The CISA Known Exploited Vulnerabilities catalog (JSON).
        case kev
        /// FIRST EPSS scores (CSV, plain or gzip).
        case epss
    }

    /// One inventory export of the estate.
    public struct InventoryExport: Sendable, Hashable {
        public var format: InventoryFormat
        /// The path as written in the manifest (or found in the folder), relative to the estate.
        public var relativePath: String
        /// The absolute path.
        public var path: String
        /// A folder (a SharpHound collection unpacked) rather than a file.
        public var isFolder: Bool
        /// Where the manifest names it; nil for an export found in the folder.
        public var location: FileLocation?

        public init(format: InventoryFormat, relativePath: String, path: String, isFolder: Bool, location: FileLocation?) {
            self.format = format
            self.relativePath = relativePath
            self.path = path
            self.isFolder = isFolder
            self.location = location
        }
    }
}
