import Synchronization

/// A provider's byte-level frame decoder (the hot path) as the stream services read frames: a
/// `StreamMessageDecoder` giving its output as `StreamMessage`s. A frame it refuses for one bad
/// message is decoded again message by message, so the others are kept and the bad one is
/// `.malformed` in its place ("a 'q' message for AAPL with an unusable 'bp': ..."). Values are
/// mapped as sent (a trade at 0 too): judging them is the validator's job.
///
/// The decoder sits behind a lock (a `StreamMessageDecoder` is Sendable and does not mutate); a
/// stream's frames are decoded one at a time, so the lock is not contended, and the decoder's
/// symbol cache lives as long as the stream provider.
///
/// Each vendor wraps it in a concrete `StreamMessageDecoder` (`AlpacaStreamMessageDecoder`, ...),
/// where the compiler specializes this code for the vendor's decoder. It is not one itself: called
/// through `any StreamMessageDecoder`, a generic class runs unspecialized (30% slower per frame).
package final class StreamFrameMessageDecoder<Frames: StreamMessageMapping>: Sendable {
    /// Made for the source of the first frame (providers learn it only then), anew if it changes.
    private let state = Mutex<Frames?>(nil)

    package init() {}

    /// The frame's messages, decoded from its UTF-8 in place. A frame that is not JSON, or not
    /// of the provider's shape, is one `.malformed` with a short excerpt.
    package func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        var text = frame
        let messages = text.withUTF8 { utf8 in
            state.withLock { stored -> [StreamMessage]? in
                var decoder = stored.take().flatMap { $0.source == source ? $0 : nil } ?? Frames(source: source)
                defer { stored = decoder }
                let bytes = UnsafeRawBufferPointer(utf8)
                do throws(StreamDecodingError) {
                    return Frames.streamMessages(try decoder.decode(bytes, receivedAt: receivedAt))
                } catch .malformed {
                    return nil
                } catch {
                    return decoder.messagesOneByOne(bytes, receivedAt: receivedAt)
                }
            }
        }
        return messages ?? [.malformed("not \(Frames.frameShape): \(ProviderMessage.shorten(frame, limit: 60))")]
    }
}
