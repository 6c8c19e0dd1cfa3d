import ServiceLifecycle

/// The ingest pipeline and the store writer it feeds, run as one service. On graceful
/// shutdown the pipeline drains its queue and finishes the writer, which flushes what is
/// pending; the service returns once both have ended. (As two services they would race to
/// report their end, and a service group treats the writer ending first as a failure.)
struct IngestService: Service {
    let pipeline: IngestPipeline
    let writer: StoreWriter

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            await pipeline.run()
        }
    }
}
