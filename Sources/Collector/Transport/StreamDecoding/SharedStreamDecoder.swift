import Synchronization

/// One byte-level decoder behind a lock, as a `StreamMessageDecoder` needs it: Sendable and
/// not mutating. A stream's frames are decoded one at a time, so the lock is not contended,
/// and the decoder's symbol cache lives as long as the stream provider.
final class SharedStreamDecoder<Fast: StreamMessageMapping>: Sendable {
    /// Made for the source of the first frame (providers learn it only then), anew if it changes.
    private let state = Mutex<Fast?>(nil)

    /// The frame's messages, decoded from its UTF-8 in place. A frame that is not JSON, or not
    /// of the provider's shape, is one `.malformed` with a short excerpt.
    func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        var text = frame
        let messages = text.withUTF8 { utf8 in
            state.withLock { stored -> [StreamMessage]? in
                var decoder = stored.take().flatMap { $0.source == source ? $0 : nil } ?? Fast(source: source)
                defer { stored = decoder }
                let bytes = UnsafeRawBufferPointer(utf8)
                do throws(StreamDecodingError) {
                    return Fast.streamMessages(try decoder.decode(bytes, receivedAt: receivedAt))
                } catch .malformed {
                    return nil
                } catch {
                    return decoder.messagesOneByOne(bytes, receivedAt: receivedAt)
                }
            }
        }
        return messages ?? [.malformed("not \(Fast.frameShape): \(ProviderMessage.shorten(frame, limit: 60))")]
    }
}
