import Archive

extension ThreatDataStore {
    /// FIRST publishes EPSS gzipped; decompressed size is bounded by ``sizeLimit``.
    static func gunzip(_ bytes: [UInt8], file: String) throws(ThreatIntelError) -> [UInt8] {
        do {
            return try Gzip.decompress(bytes, maxOutputBytes: sizeLimit, name: file)
        } catch {
            throw ThreatIntelError("\(file): \(error.description)")
        }
    }
}
