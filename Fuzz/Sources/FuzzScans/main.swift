// libFuzzer entry point for Bulwark's scan readers: the safe XML pull reader, the nmap XML reader
// and the Nessus v2 reader (see docs/fuzzing.md and docs/scans.md).
//
// Every input is read
//   1. by XMLPullReader from memory, event by event, and again through a byte source that hands
//      out a few bytes at a time with a buffer just as small, so that every token straddles a
//      refill: both reads must give the same events and end with the same error (or none);
//   2. by the same reader under tight limits, so that every bound is reached often;
//   3. by NmapReader, NessusReader and ScanFormat.detect.
// None of them may trap; a failed invariant is reported as a crash.
//
// libFuzzer supplies `main`; build with -sanitize=fuzzer and -parse-as-library (docs/fuzzing.md).

import Scans

/// Hands out the input `step` bytes per read.
private struct Trickle: XMLByteSource {
    let bytes: UnsafeBufferPointer<UInt8>
    let step: Int
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(step, buffer.count, bytes.count - offset)
        guard n > 0, let base = bytes.baseAddress else { return 0 }
        buffer.baseAddress!.copyMemory(from: base + offset, byteCount: n)
        offset += n
        return n
    }
}

private enum Outcome: Equatable {
    case events([XMLEvent])
    case failure(ScanError)
}

private func drain(_ reader: XMLPullReader) -> Outcome {
    var events: [XMLEvent] = []
    do {
        while let e = try reader.next() { events.append(e) }
        return .events(events)
    } catch {
        // Whatever failed stays failed.
        guard (try? reader.next()) == nil else { preconditionFailure("reader recovered after \(error)") }
        return .failure(error)
    }
}

private let tight = XMLLimits(maxDepth: 6, maxNameLength: 12, maxAttributes: 3, maxTextLength: 48, maxMarkupLength: 64, chunkSize: 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)

    let whole = drain(XMLPullReader(bytes: bytes, file: "fuzz.xml"))
    let step = 1 + size % 7
    let trickled = drain(XMLPullReader(source: Trickle(bytes: bytes, step: step), file: "fuzz.xml", limits: XMLLimits(chunkSize: step)))
    precondition(whole == trickled, "chunked read (step \(step)) differs from the whole read")
    if case .events(let events) = whole {
        var depth = 0
        for e in events {
            switch e {
            case .startElement: depth += 1
            case .endElement: depth -= 1; precondition(depth >= 0, "more end events than start events")
            case .text: precondition(depth > 0, "text outside the root element")
            }
        }
        precondition(depth == 0 && !events.isEmpty, "unbalanced events for a well-formed document")
    }

    _ = drain(XMLPullReader(bytes: bytes, file: "fuzz.xml", limits: tight))
    _ = drain(XMLPullReader(source: Trickle(bytes: bytes, step: 3), file: "fuzz.xml", limits: tight))

    // Skipping and text reading walk the same bytes without making strings.
    let skipper = XMLPullReader(bytes: bytes, file: "fuzz.xml")
    if case .startElement? = try? skipper.next() {
        _ = try? skipper.skipElement()
    }

    if let scan = try? NmapReader().read(bytes: bytes, file: "fuzz.xml") {
        precondition(scan.hosts.count == scan.hostCount, "nmap host count")
        precondition(scan.hosts.allSatisfy { $0.ports.allSatisfy { (0...65535).contains($0.number) } }, "nmap port out of range")
    }
    var streamed = 0
    var items = 0
    if let report = try? NessusReader().read(XMLPullReader(bytes: bytes, file: "fuzz.nessus"), onHost: { streamed += 1; items += $0.items.count }) {
        precondition(report.hostCount == streamed && report.itemCount == items, "Nessus counts")
    }
    _ = try? ScanFormat.detect(bytes: bytes, file: "fuzz")
    return 0
}
