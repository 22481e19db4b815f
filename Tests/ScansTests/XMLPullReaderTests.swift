import Foundation
import Scans
import Testing

@Suite struct XMLPullReaderTests {
    static func reader(_ text: String, limits: XMLLimits = XMLLimits()) -> XMLPullReader {
        XMLPullReader(bytes: Array(text.utf8), file: "t.xml", limits: limits)
    }

    static func start(_ name: String, _ line: Int, _ column: Int, _ attributes: [(String, String)] = []) -> XMLEvent {
        .startElement(XMLStartElement(name: name, attributes: attributes.map { XMLAttribute(name: $0.0, value: $0.1) },
                                      position: XMLPosition(line: line, column: column)))
    }

    static func end(_ name: String, _ line: Int, _ column: Int) -> XMLEvent {
        .endElement(name: name, position: XMLPosition(line: line, column: column))
    }

    static func text(_ s: String, _ line: Int, _ column: Int) -> XMLEvent {
        .text(s, position: XMLPosition(line: line, column: column))
    }

    @Test func eventsCarryDecodedValuesAndPositions() throws {
        let doc = """
        <?xml version="1.0" encoding="UTF-8"?>
        <root a="1" b='x &amp; y'>
          <item id="&#65;&#x42;">caf&#xE9; &lt;ok&gt;</item>
          <empty/>
          <!-- comment -->
          <data><![CDATA[<raw> & stuff]]></data>
        </root>

        """
        let events = try ScanInputs.events(Self.reader(doc))
        #expect(events == [
            Self.start("root", 2, 1, [("a", "1"), ("b", "x & y")]),
            Self.start("item", 3, 3, [("id", "AB")]),
            Self.text("café <ok>", 3, 26),
            Self.end("item", 3, 46),
            Self.start("empty", 4, 3),
            Self.end("empty", 4, 3),
            Self.start("data", 6, 3),
            Self.text("<raw> & stuff", 6, 9),
            Self.end("data", 6, 34),
            Self.end("root", 7, 1),
        ])
    }

    @Test func attributeValuesAndLineEndsAreNormalised() throws {
        let events = try ScanInputs.events(Self.reader("<a v=\"x&#10;y\tz\r\nw\r\">p\r\nq\rr &#x1F600;</a>"))
        #expect(events == [
            Self.start("a", 1, 1, [("v", "x\ny z w ")]),
            Self.text("p\nq\nr 😀", 2, 5),
            Self.end("a", 3, 14),
        ])
    }

    @Test func whitespaceTextIsReportedOnRequest() throws {
        let r = Self.reader("<a>\n  <b/>\n</a>")
        r.reportsWhitespaceText = true
        let events = try ScanInputs.events(r)
        #expect(events == [
            Self.start("a", 1, 1), Self.text("\n  ", 1, 4), Self.start("b", 2, 3), Self.end("b", 2, 3),
            Self.text("\n", 2, 7), Self.end("a", 3, 1),
        ])
        #expect(try ScanInputs.events(Self.reader("<a>\n  <b/>\n</a>")).count == 4)
    }

    @Test func doctypeWithoutInternalSubsetIsIgnored() throws {
        for prolog in ["<!DOCTYPE nmaprun>", "<!DOCTYPE nmaprun PUBLIC \"-//IDN nmap.org//DTD Nmap XML 1.04//EN\" \"https://svn.nmap.org/nmap/docs/nmap.dtd\">",
                       "\u{FEFF}<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun SYSTEM 'nmap.dtd'>"] {
            let events = try ScanInputs.events(Self.reader(prolog + "\n<nmaprun/>"))
            #expect(events.count == 2, "\(prolog)")
        }
    }

    @Test func skipReadTextAndForEachChild() throws {
        let r = Self.reader("<r><skip><x a='1'>deep<y/></x>text</skip><t>one <![CDATA[two]]> <i>no</i>three</t><list><a/><b><c/></b><d>4</d></list><after/></r>")
        #expect(try r.next() == Self.start("r", 1, 1))
        #expect(try r.next() == Self.start("skip", 1, 4))
        try r.skipElement()
        guard case .startElement(let t)? = try r.next() else { Issue.record("expected <t>"); return }
        #expect(t.name == "t")
        #expect(try r.readText() == "one two three")
        #expect(try r.next() == Self.start("list", 1, 83))
        var seen: [String] = []
        try r.forEachChild { (child: XMLStartElement) throws(ScanError) in
            seen.append(child.name)
            if child.name == "d" { seen.append(try r.readText()) }
        }
        #expect(seen == ["a", "b", "d", "4"])
        #expect(try r.next() == Self.start("after", 1, 119))
        #expect(try r.next() == Self.end("after", 1, 119))
        #expect(try r.next() == Self.end("r", 1, 127))
        #expect(try r.next() == nil)
        #expect(try r.next() == nil)
    }

    /// A document mixing the constructs whose handling straddles buffer refills: references,
    /// multi-byte UTF-8, CR LF, CDATA, comments, long attribute values.
    static let mixedDocument = "\u{FEFF}<?xml version=\"1.0\"?>\r\n<!DOCTYPE r>\r\n<r k=\"\(String(repeating: "v&amp;é", count: 300))\">\r\n"
        + "  <t>caf\u{E9} \u{1F600} &lt;&#x263A;&gt;\r\n\rline</t><!-- ü -->\r\n<c><![CDATA[a]]b]]>c\r\nd]]></c>"
        + String(repeating: "<e x='1' y=\"2\">text &amp; more</e>\n", count: 50) + "</r>\r\n"

    static let chunkedInputs = ["nmap-minimal.xml", "nessus-minimal.nessus", "nmap-bad-values.xml", "nessus-bad-values.nessus"]

    @Test(arguments: [1, 2, 7, 64])
    func chunkedReadsGiveTheSameEvents(step: Int) throws {
        var documents = [("mixed", Array(Self.mixedDocument.utf8))]
        for name in Self.chunkedInputs { documents.append((name, try ScanInputs.bytes(name))) }
        for (name, bytes) in documents {
            for whitespace in [false, true] {
                let whole = XMLPullReader(bytes: bytes, file: name)
                whole.reportsWhitespaceText = whitespace
                let chunked = XMLPullReader(source: ChunkedSource(bytes, step: step), file: name, limits: XMLLimits(chunkSize: step))
                chunked.reportsWhitespaceText = whitespace
                let expected = try ScanInputs.events(whole)
                #expect(try ScanInputs.events(chunked) == expected, "\(name), step \(step)")
                #expect(chunked.bytesConsumed == bytes.count)
            }
        }
    }

    @Test(.enabled(if: ScanInputs.hasNmapFixtures && ScanInputs.hasNessusFixtures, "chunked fixture reads skipped: ../shared absent"),
          arguments: [13, 4096])
    func chunkedFixtureReadsGiveTheSameEvents(step: Int) throws {
        let files = ["fullscan.xml", "dionaea_scan.xml", "1_os_banner_scripts.xml"].map(ScanInputs.nmapFixture)
            + [ScanInputs.nessusFixture("nessus_with_cvssv3.nessus")]
        for path in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let expected = try ScanInputs.events(XMLPullReader(bytes: bytes, file: path))
            let chunked = XMLPullReader(source: ChunkedSource(bytes, step: step), file: path, limits: XMLLimits(chunkSize: step))
            #expect(try ScanInputs.events(chunked) == expected, "\(path), step \(step)")
        }
    }

    @Test func fileReadsMatchMemoryReads() throws {
        let path = ScanInputs.path("nmap-minimal.xml")
        let fromFile = try XMLPullReader(path: path, limits: XMLLimits(chunkSize: 100))
        let fromMemory = XMLPullReader(bytes: try ScanInputs.bytes("nmap-minimal.xml"), file: path)
        #expect(try ScanInputs.events(fromFile) == (try ScanInputs.events(fromMemory)))
    }

    @Test func missingFileIsUnreadable() {
        let e = ScanInputs.error { try XMLPullReader(path: "/nonexistent/scan.xml") }
        #expect(e?.code == .unreadable)
        #expect(e?.description.hasPrefix("/nonexistent/scan.xml: cannot open") == true)
        let directory = ScanInputs.error { try ScanInputs.events(XMLPullReader(path: "/tmp")) }
        #expect(directory?.code == .unreadable)
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var input: [UInt8]
        var code: ScanError.Code
        var line: Int
        var column: Int
        var fragment: String
        var testDescription: String { fragment }

        init(_ input: String, _ line: Int, _ column: Int, _ fragment: String) {
            self.init(input, .malformedXML, line, column, fragment)
        }

        init(_ input: String, _ code: ScanError.Code, _ line: Int, _ column: Int, _ fragment: String) {
            self.input = Array(input.utf8)
            self.code = code
            self.line = line
            self.column = column
            self.fragment = fragment
        }

        init(bytes: [UInt8], _ code: ScanError.Code, _ line: Int, _ column: Int, _ fragment: String) {
            input = bytes
            self.code = code
            self.line = line
            self.column = column
            self.fragment = fragment
        }
    }

    static let malformed: [Malformed] = [
        Malformed("<a><b></a>", 1, 7, "mismatched end tag: expected </b> to close the element opened at 1:4, found </a>"),
        Malformed("<a x=\"1\" x=\"2\"/>", 1, 10, "attribute x appears twice in <a>"),
        Malformed("<a x=1/>", 1, 6, "expected a quoted value after x=, found '1'"),
        Malformed("<a x=\"<\"/>", 1, 7, "'<' in an attribute value"),
        Malformed("<a b=\"1\"c=\"2\"/>", 1, 9, "expected whitespace, '>' or '/>' in the start tag of <a>, found 'c'"),
        Malformed("<a>fish & chips</a>", 1, 9, "a bare '&'"),
        Malformed("<a>&;</a>", 1, 4, "empty entity reference"),
        Malformed("<a>&#0;</a>", 1, 4, "&#0; is not a Unicode character"),
        Malformed("<a>&#xD800;</a>", 1, 4, "is not a Unicode character"),
        Malformed("<a>&#12a;</a>", 1, 4, "malformed character reference"),
        Malformed("<a/><b/>", 1, 5, "a second root element <b>"),
        Malformed("<a/>text", 1, 5, "text after the root element"),
        Malformed("</a>", 1, 1, "end tag </a> without a matching start tag"),
        Malformed("", 1, 1, "empty file"),
        Malformed("  \n ", 2, 2, "unexpected end of file: expected the root element"),
        Malformed("<a><!-- never closed", 1, 21, "inside the comment opened at 1:4: expected '-->'"),
        Malformed("<![CDATA[x]]><a/>", 1, 1, "CDATA section outside the root element"),
        Malformed("<a/>\n<?xml version=\"1.0\"?>", 2, 1, "XML declaration"),
        Malformed("<1a/>", 1, 1, "expected an element name after '<', found '1'"),
        Malformed("<a></a", 1, 7, "unexpected end of file in the end tag </a>: expected '>'"),
        Malformed("<a><b>", 1, 7, "unexpected end of file: expected </b> to close the element opened at 1:4"),
        Malformed("<a x='1", 1, 8, "inside an attribute value: expected the closing quote"),
        Malformed("<a>x</a >junk", 1, 10, "text after the root element"),
        Malformed("hello", 1, 1, "expected '<' to begin an XML document, found 'h'"),
        Malformed("<!x><a/>", 1, 1, "expected a comment '<!--', a CDATA section '<![CDATA[' or '<!DOCTYPE' after '<!'"),
        Malformed("<!DOCTYPE a><!DOCTYPE a><a/>", 1, 13, "a second <!DOCTYPE>"),
        Malformed("<a><!DOCTYPE a></a>", 1, 4, "after the root element started"),
        Malformed("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", .invalidEncoding, 1, 1, "encoding \"ISO-8859-1\": expected UTF-8"),
        Malformed(bytes: [0xFF, 0xFE, 0x3C, 0x00], .invalidEncoding, 1, 1, "UTF-16"),
        Malformed(bytes: Array("<a>ok \u{E9}".utf8.dropLast()) + Array("</a>".utf8), .invalidEncoding, 1, 7, "invalid UTF-8 (a sequence starting with byte 0xC3)"),
        Malformed(bytes: Array("<a x=\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"/>".utf8), .invalidEncoding, 1, 7, "invalid UTF-8"),
        Malformed(bytes: Array("<a>".utf8) + [0xF0, 0x9F], .invalidEncoding, 1, 4, "invalid UTF-8"),
        Malformed("<!DOCTYPE a [<!ELEMENT a ANY>]><a/>", .entitiesNotRead, 1, 13, "DTD entities are not read: <!DOCTYPE a> has an internal DTD subset"),
        Malformed("<!DOCTYPE a [\n<!ENTITY e \"x\">]><a>&e;</a>", .entitiesNotRead, 2, 1, "DTD entities are not read: <!DOCTYPE a [...]> declares an entity e"),
        Malformed("<a>&nbsp;</a>", .entitiesNotRead, 1, 4, "undefined entity &nbsp; — DTD entities are not read"),
        Malformed("<a x=\"&copy;\"/>", .entitiesNotRead, 1, 7, "undefined entity &copy;"),
    ]

    @Test(arguments: malformed)
    func malformedInputFailsWithPlaceAndExpectation(_ m: Malformed) {
        let r = XMLPullReader(bytes: m.input, file: "bad.xml")
        let e = ScanInputs.error { try ScanInputs.events(r) }
        #expect(e?.code == m.code, "\(e?.description ?? "no error")")
        #expect(e?.line == m.line && e?.column == m.column, "\(e?.description ?? "no error")")
        #expect(e?.message.contains(m.fragment) == true, "\(e?.description ?? "no error")")
        #expect(e?.description.hasPrefix("bad.xml:\(m.line):\(m.column): ") == true)
        // The same input read a byte at a time fails the same way.
        let chunked = XMLPullReader(source: ChunkedSource(m.input, step: 1), file: "bad.xml", limits: XMLLimits(chunkSize: 1))
        #expect(ScanInputs.error { try ScanInputs.events(chunked) } == e)
    }

    @Test func errorsAreSticky() {
        let r = Self.reader("<a><b></c></a>")
        let first = ScanInputs.error { try ScanInputs.events(r) }
        #expect(first != nil)
        #expect(ScanInputs.error { try r.next() } == first)
        #expect(ScanInputs.error { try r.skipElement() } == first)
    }

    @Test func limitsFailCleanly() {
        func failure(_ text: String, _ limits: XMLLimits) -> ScanError? {
            ScanInputs.error { try ScanInputs.events(Self.reader(text, limits: limits)) }
        }
        let depth = failure("<a><b><c><d/></c></b></a>", XMLLimits(maxDepth: 3))
        #expect(depth?.code == .limitExceeded && depth?.column == 10)
        #expect(depth?.message == "elements nested deeper than 3 levels (limit maxDepth)")
        let attributes = failure("<a x=\"1\" y=\"2\" z=\"3\"/>", XMLLimits(maxAttributes: 2))
        #expect(attributes?.code == .limitExceeded && attributes?.column == 16)
        let name = failure("<abcde/>", XMLLimits(maxNameLength: 4))
        #expect(name?.code == .limitExceeded && name?.column == 2)
        #expect(failure("<a>123456</a>", XMLLimits(maxTextLength: 5))?.code == .limitExceeded)
        #expect(failure("<a>12&amp;456</a>", XMLLimits(maxTextLength: 5))?.code == .limitExceeded)
        #expect(failure("<a x=\"123456\"/>", XMLLimits(maxTextLength: 5))?.code == .limitExceeded)
        #expect(failure("<a>12345</a>", XMLLimits(maxTextLength: 5)) == nil)
        // Streamed, one piece of markup may not outgrow maxMarkupLength.
        let longTag = Array("<a x=\"\(String(repeating: "y", count: 200))\"/>".utf8)
        let streamed = XMLPullReader(source: ChunkedSource(longTag, step: 16), file: "t.xml", limits: XMLLimits(maxMarkupLength: 64, chunkSize: 16))
        let markup = ScanInputs.error { try ScanInputs.events(streamed) }
        #expect(markup?.code == .limitExceeded)
        #expect(markup?.message.contains("longer than 64 bytes (limit maxMarkupLength)") == true)
        let roomy = XMLPullReader(source: ChunkedSource(longTag, step: 16), file: "t.xml", limits: XMLLimits(maxMarkupLength: 256, chunkSize: 16))
        #expect(ScanInputs.error { try ScanInputs.events(roomy) } == nil)
    }
}
