import ArgumentParser

/// `--config` and `--db`, the same for every command that reads the configuration and the store.
struct FileOptions: ParsableArguments {
    @Option(help: "Configuration file. Default: $XDG_CONFIG_HOME/ticktop/config.toml, if it exists.")
    var config: String?

    @Option(help: "SQLite database file. Default: $XDG_DATA_HOME/ticktop/ticktop.sqlite.")
    var db: String?
}
