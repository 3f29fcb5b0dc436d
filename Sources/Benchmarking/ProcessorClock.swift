#if canImport(Glibc)
import Glibc
#endif

/// The processor-time clocks a measurement can read, in seconds.
public enum ProcessorClock: Sendable {
    /// User plus system time of this process, all threads (`CLOCK_PROCESS_CPUTIME_ID`).
    case process
    /// User plus system time of this process's finished and waited-for children (`getrusage(RUSAGE_CHILDREN)`),
    /// for a peer program run as a child process.
    case children

    /// Processor seconds used so far by what this clock measures.
    public func now() -> Double {
        switch self {
        case .process:
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        case .children:
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }
    }
}
