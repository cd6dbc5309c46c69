import Foundation
import ParleyCore

/// How the store writes values: JSON with sorted keys and ISO 8601 instants in whole seconds,
/// so that what is written and what is read back are the same values exactly.
enum StoreCodec {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try sharedEncoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try sharedDecoder.decode(type, from: Data(text.utf8))
    }

    /// An instant cut to the whole second, as the log keeps it.
    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func timestamp(_ date: Date) -> String {
        wholeSecond(date).formatted(.iso8601)
    }

    static func instant(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
