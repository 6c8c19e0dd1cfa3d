/// A decoder of one provider's stream frames. Implementations decode a borrowed byte buffer
/// (a WebSocket frame's payload); the array and string forms are conveniences over it.
package protocol StreamFrameDecoder {
    associatedtype Output

    /// Decodes one frame, stamping values with the decoder's source and `receivedAt`.
    mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) throws(StreamDecodingError) -> Output
}

// Conveniences for tests and tools. Measured in release builds: another module (the benchmark)
// calls these unspecialized, a `package` body is not inlined across modules, and a per-frame
// generic call cost a 1-message frame a quarter of its rate. Hot paths call the buffer form
// on the concrete decoder (`StreamFrameMessageDecoder` does).
extension StreamFrameDecoder {
    package mutating func decode(_ frame: [UInt8], receivedAt: Timestamp) throws(StreamDecodingError) -> Output {
        let result = frame.withUnsafeBytes { raw in
            Result { () throws(StreamDecodingError) -> Output in try self.decode(raw, receivedAt: receivedAt) }
        }
        return try result.get()
    }

    package mutating func decode(_ frame: String, receivedAt: Timestamp) throws(StreamDecodingError) -> Output {
        var text = frame
        let result = text.withUTF8 { utf8 in
            Result { () throws(StreamDecodingError) -> Output in
                try self.decode(UnsafeRawBufferPointer(utf8), receivedAt: receivedAt)
            }
        }
        return try result.get()
    }
}
