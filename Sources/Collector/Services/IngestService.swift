import ServiceLifecycle

/// The ingest pipeline and the store writer it feeds, run as one service. On graceful
/// shutdown the pipeline drains its queue and finishes the writer, which flushes what is
/// pending, and the tape, which writes what waits; the service returns once all have ended. (As two services they would race to
/// report their end, and a service group treats the writer ending first as a failure.)
struct IngestService: Service {
    let pipeline: IngestPipeline
    let writer: StoreWriter

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            if let tape = pipeline.tape { group.addTask { await tape.run() } }
            await pipeline.run()
            // The streams have stopped before the pipeline drained: nothing records any more.
            pipeline.tape?.finish()
        }
    }
}
