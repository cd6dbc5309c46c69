import Foundation

/// Reads RFC 4180 CSV one row at a time from a file, in chunks, without building a `String` per
/// field: fields are kept as UTF-8 bytes in one reusable buffer and converted only on demand.
///
/// Accepts quoted fields with doubled quotes, embedded commas and line breaks, CRLF or LF line
/// endings (and a final line without one), and a UTF-8 byte-order mark. Blank lines are skipped.
/// Every row carries the physical line it starts on, so errors point at the right line even
/// after a field that spans several lines.
public struct CSVReader {
    /// The name used in error messages (usually the file's name as the user gave it).
    public let file: String
    private let handle: FileHandleBox?
    private var chunk: [UInt8]
    private var count = 0
    private var pos = 0
    private var exhausted = false
    private var startChecked = false
    private var physicalLine = 1

    /// The physical line (1-based) the current row starts on.
    public private(set) var line = 0
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    static let chunkSize = 1 << 20

    /// Opens `path` for reading; `name` (default: the path) is what errors call the file.
    public init(path: String, name: String? = nil) throws(ImportError) {
        let display = name ?? path
        guard let fp = fopen(path, "rb") else {
            throw ImportError(.unreadableFile, file: display, line: 0, reason: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        self.file = display
        self.handle = FileHandleBox(fp)
        self.chunk = [UInt8](repeating: 0, count: CSVReader.chunkSize)
    }

    /// Reads CSV already in memory (tests, small inputs).
    public init(bytes: [UInt8], name: String) {
        self.file = name
        self.handle = nil
        self.chunk = bytes
        self.count = bytes.count
        self.exhausted = true
    }

    public init(text: String, name: String) {
        self.init(bytes: Array(text.utf8), name: name)
    }

    /// How many fields the current row has.
    public var fieldCount: Int { ends.count }

    /// The raw bytes of field `index` of the current row (quotes removed, doubled quotes undone).
    @inline(__always)
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
    }

    /// Field `index` as text, or nil when it is not valid UTF-8.
    public func string(_ index: Int) -> String? {
        withField(index) { FieldParsing.text($0) }
    }

    /// Field `index` as text, with invalid UTF-8 replaced (for error messages).
    public func lossyString(_ index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every field of the current row as text (header rows, tests).
    public func strings() -> [String] { (0..<fieldCount).map(lossyString) }

    private mutating func refill() {
        guard !exhausted, let handle else { exhausted = true; return }
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, CSVReader.chunkSize, handle.fp) }
        count = n
        pos = 0
        if n == 0 { exhausted = true }
    }

    @inline(__always)
    private mutating func peek() -> UInt8? {
        if pos < count { return chunk[pos] }
        refill()
        return pos < count ? chunk[pos] : nil
    }

    private mutating func skipByteOrderMark() {
        startChecked = true
        // The BOM could straddle a chunk boundary only in a file shorter than three bytes.
        if peek() == 0xEF, pos + 2 < count, chunk[pos + 1] == 0xBB, chunk[pos + 2] == 0xBF { pos += 3 }
    }

    private func malformed(_ line: Int, _ reason: String) -> ImportError {
        ImportError(.malformedCSV, file: file, line: line, columnNumber: nil, reason: reason)
    }

    /// Advances to the next row; false at the end of the file.
    public mutating func nextRow() throws(ImportError) -> Bool {
        if !startChecked { skipByteOrderMark() }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

        // Skip blank lines.
        while let b = peek(), b == lf || b == cr {
            pos += 1
            if b == cr, peek() == lf { pos += 1 }
            physicalLine += 1
        }
        guard peek() != nil else { return false }
        line = physicalLine

        while true {
            // At the start of a field.
            if peek() == quote {
                pos += 1
                let openedOn = physicalLine
                while true {
                    guard let c = peek() else {
                        throw malformed(openedOn, "field \(ends.count + 1): a quoted field is never closed")
                    }
                    pos += 1
                    if c == quote {
                        if peek() == quote { bytes.append(quote); pos += 1 } else { break }
                    } else {
                        if c == lf { physicalLine += 1 }
                        bytes.append(c)
                    }
                }
                ends.append(bytes.count)
                guard let after = peek() else { return true }
                if after == comma { pos += 1; continue }
                if after == lf || after == cr {
                    pos += 1
                    if after == cr, peek() == lf { pos += 1 }
                    physicalLine += 1
                    return true
                }
                throw malformed(physicalLine, "field \(ends.count): unexpected character after a closing quote (a quote inside a quoted field must be doubled)")
            }
            // Unquoted field: scan the current chunk directly.
            while true {
                if pos == count {
                    refill()
                    if pos == count { ends.append(bytes.count); return true }
                }
                let c = chunk[pos]
                if c == comma {
                    pos += 1
                    ends.append(bytes.count)
                    break
                }
                if c == lf || c == cr {
                    pos += 1
                    if c == cr, peek() == lf { pos += 1 }
                    physicalLine += 1
                    ends.append(bytes.count)
                    return true
                }
                if c == quote {
                    throw malformed(physicalLine, "field \(ends.count + 1): a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                bytes.append(c)
                pos += 1
            }
        }
    }
}

/// Closes the C stream when the last reader copy goes away.
final class FileHandleBox {
    let fp: UnsafeMutablePointer<FILE>
    init(_ fp: UnsafeMutablePointer<FILE>) { self.fp = fp }
    deinit { fclose(fp) }
}
