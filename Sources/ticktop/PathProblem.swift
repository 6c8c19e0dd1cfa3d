import Foundation

/// Why a file ticktop is told to use (the database, the log) cannot be one, found before
/// anything opens it so the message names the real cause instead of SQLite's "unable to
/// open database file" or a generic I/O error.
enum PathProblem {
    /// The problem with `path` as the file `role` names ("--db", "the log file"), or nil.
    /// `writable`: the file will be written, and SQLite (or the log) creates files beside it.
    static func find(_ path: String, role: String, writable: Bool) -> String? {
        guard !path.isEmpty else { return "\(role) is empty; give a file path" }
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR:
                return
                    "\(role) \(path) is a directory; give a file path, e.g. \((path as NSString).appendingPathComponent("ticktop.sqlite"))"
            default: return "\(role) \(path) is not a regular file (it is \(kind(status.st_mode))); give a file path"
            }
            if writable && access(path, W_OK) != 0 { return "\(role) \(path) is read-only (\(String(cString: strerror(errno))))" }
        }
        // The nearest existing ancestor must be a directory, and writable when something is created in it.
        var directory = (path as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        while stat(directory, &status) != 0 {
            let parent = (directory as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == directory { return nil }
            directory = parent
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            return "\(role) \(path) cannot be created: \(directory) is a file, not a directory"
        }
        if writable && access(directory, W_OK) != 0 {
            return
                "\(role) \(path) cannot be written: the directory \(directory) is not writable (\(String(cString: strerror(errno)))), "
                + "and the files beside the database (-wal, -shm, the journal) are created there"
        }
        return nil
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a named pipe"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
