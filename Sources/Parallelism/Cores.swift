#if canImport(Glibc)
import Glibc
#endif

/// The one answer to "how many cores": every "0 = all cores" option and every default worker count
/// of the toolkit is resolved here.
public enum Cores {
    /// Cores this process may run on: the CPUs of its affinity mask (`sched_getaffinity`, so `taskset`
    /// is honoured), else the online processors (`sysconf(_SC_NPROCESSORS_ONLN)`); at least 1. Read once.
    public static let available: Int = {
        #if canImport(Glibc)
        var mask = [UInt64](repeating: 0, count: 16)   // a cpu_set_t: 1024 CPUs
        let status = mask.withUnsafeMutableBytes { glibcSchedGetaffinity(0, $0.count, $0.baseAddress!) }
        if status == 0 {
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            if count > 0 { return count }
        }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    /// The worker count an option asks for: `threads` when positive, otherwise (0, "every core") `available`.
    public static func resolve(_ threads: Int) -> Int { threads > 0 ? threads : available }
}

#if canImport(Glibc)
/// glibc's `int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)` (declared in sched.h
/// under `_GNU_SOURCE`, which Glibc does not export).
@_silgen_name("sched_getaffinity")
private func glibcSchedGetaffinity(_ pid: Int32, _ size: Int, _ mask: UnsafeMutableRawPointer) -> Int32
#endif
