import Foundation

/// Writes RFC 4180 CSV (LF line endings, fields quoted only when they must be) through one
/// buffer, so millions of rows stream to disk quickly.
final class CSVWriter {
    private let fp: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var fieldsInRow = 0
    let path: String
    private(set) var rows = 0

    init(path: String) throws {
        guard let fp = fopen(path, "wb") else {
            throw SampleError(reason: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        self.fp = fp
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    deinit { fclose(fp) }

    func field(_ text: String) {
        if fieldsInRow > 0 { buffer.append(0x2C) }
        fieldsInRow += 1
        let needsQuotes = text.utf8.contains { (b: UInt8) -> Bool in b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }
        if needsQuotes {
            buffer.append(0x22)
            for b in text.utf8 {
                if b == 0x22 { buffer.append(0x22) }
                buffer.append(b)
            }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: text.utf8)
        }
    }

    func row(_ fields: [String]) {
        for f in fields { field(f) }
        endRow()
    }

    func endRow() {
        buffer.append(0x0A)
        fieldsInRow = 0
        rows += 1
        if buffer.count >= 1 << 20 { flushBuffer() }
    }

    private func flushBuffer() {
        _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, fp) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flushBuffer()
        guard fflush(fp) == 0 else { throw SampleError(reason: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}

/// The sample portfolio could not be written.
public struct SampleError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
