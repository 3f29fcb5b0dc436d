import CSndfile
import Foundation
import Options
import Synchronization

/// Serialises `sf_open` with the read of its error message: libsndfile keeps the last open error in
/// one process-wide variable, so concurrent failing opens would otherwise swap messages.
let sndfileOpenLock = Mutex(())

/// The one owner of a libsndfile `SNDFILE*` opened for reading; closes it exactly once, in `deinit`.
struct SoundFile: ~Copyable {
    private let handle: OpaquePointer
    /// Path shown in errors.
    let path: String
    /// Frames per second of the file.
    let sampleRate: Int
    /// Interleaved channels of the file.
    let channels: Int
    /// Frames the header announces. For FLAC (and Ogg) it is only a claim, which may be absent
    /// (libsndfile then gives a huge count) or absurd; those files are read until their data ends.
    let frames: Int
    /// Whether `frames` is a claim that the data decides (FLAC, Ogg), not a length to hold the data to.
    let lengthIsAClaim: Bool
    /// libsndfile's `SF_FORMAT_*` word (major type | subtype | endianness).
    let format: Int32

    /// Opens `url` for reading, diagnosing missing, unreadable, empty, corrupt, truncated and
    /// shorten-compressed files. `raw` describes a headerless PCM file.
    init(reading url: URL, raw: RawPCMFormat? = nil) throws(AudioError) {
        // Errors show the path as the caller gave it; the file is opened by its absolute path.
        let path = url.relativePath, file = url.path
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw .missing(path: path)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a folder") }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        if size == 0 { throw .zeroLength(path: path) }

        var info = SF_INFO()
        if let raw {
            try AudioError.validating(raw.validate)
            info.samplerate = Int32(raw.sampleRate)
            info.channels = Int32(raw.channels)
            let isByte = raw.encoding == .pcmS8 || raw.encoding == .pcmU8
            let endian = isByte ? 0 : (raw.byteOrder == .little ? Int32(SF_ENDIAN_LITTLE) : Int32(SF_ENDIAN_BIG))
            info.format = Int32(SF_FORMAT_RAW) | raw.encoding.sndfileSubtype | endian
        }
        let (openedHandle, openError) = sndfileOpenLock.withLock { _ -> (OpaquePointer?, String) in
            let opened = sf_open(file, Int32(SFM_READ), &info)
            return (opened, opened == nil ? String(cString: sf_strerror(nil)) : "")
        }
        guard let opened = openedHandle else {
            let message = openError
            if SoundFile.isShortenSphere(file) { throw .shortenCompressed(path: path) }
            if message.localizedCaseInsensitiveContains("unimplemented") {
                throw .unsupportedEncoding(path: path, detail: message)
            }
            throw .corrupt(path: path, message: message)
        }
        // Checked before `self` owns the handle, so a rejected file is closed here, once.
        if let detail = SoundFile.truncation(opened, path: file, format: info.format, frames: Int(info.frames)) {
            sf_close(opened)
            throw .truncated(path: path, detail: detail)
        }
        let major = info.format & Int32(SF_FORMAT_TYPEMASK)
        let claimed = major == Int32(SF_FORMAT_FLAC) || major == Int32(SF_FORMAT_OGG)
        if info.frames == 0 && !claimed {
            sf_close(opened)
            throw .zeroLength(path: path)
        }
        lengthIsAClaim = claimed
        handle = opened
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        frames = Int(info.frames)
        format = info.format
    }

    deinit { sf_close(handle) }

    /// Reads up to `maxFrames` frames, interleaved `[frames, channels]`, into a new array; empty at
    /// the end of the file.
    func read(maxFrames: Int) throws(AudioError) -> [Float] {
        let capacity = maxFrames * channels
        var frameCount = 0
        let samples = [Float](unsafeUninitializedCapacity: capacity) { buffer, count in
            frameCount = Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(maxFrames)))
            count = max(0, frameCount) * channels
        }
        if frameCount < 0 || sf_error(handle) != 0 {
            throw .corrupt(path: path, message: String(cString: sf_strerror(handle)))
        }
        return samples
    }

    /// Reads every remaining frame in blocks until the data ends (the header's count sizes nothing);
    /// throws as `check(framesRead:)` says.
    func readAll() throws(AudioError) -> [Float] {
        var samples: [Float] = []
        if frames <= 1 << 24 { samples.reserveCapacity(frames * channels) }
        while true {
            let block = try read(maxFrames: 1 << 16)
            if block.isEmpty { break }
            samples += block
        }
        try check(framesRead: samples.count / channels)
        return samples
    }

    /// The frames the file really holds: the header's count, or for a claimed length (FLAC, Ogg) the
    /// frames decoded until the data ends. Reads the file when it must count; call it before any read.
    func lengthInFrames() throws(AudioError) -> Int {
        guard lengthIsAClaim else { return frames }
        var count = 0
        while true {
            let block = try read(maxFrames: 1 << 16)
            if block.isEmpty { break }
            count += block.count / channels
        }
        try check(framesRead: count)
        return count
    }

    /// After reading the whole file from the start: `.zeroLength` when no frame arrived, `.truncated`
    /// when fewer than the header announced arrived and the header's count is binding (not FLAC or Ogg).
    func check(framesRead: Int) throws(AudioError) {
        if framesRead == 0 { throw .zeroLength(path: path) }
        if framesRead < frames && !lengthIsAClaim {
            throw .truncated(path: path, detail: "header announces \(frames) frames, data holds \(framesRead)")
        }
    }

    /// The major format and encoding as libsndfile names them, e.g. `WAV (Microsoft), Signed 16 bit PCM`.
    var formatName: String {
        func name(_ command: Int32, _ value: Int32) -> String {
            var formatInfo = SF_FORMAT_INFO()
            formatInfo.format = value
            guard sf_command(nil, command, &formatInfo, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
                  let cName = formatInfo.name else { return String(format: "0x%x", value) }
            return String(cString: cName)
        }
        let major = name(Int32(SFC_GET_FORMAT_INFO), format & Int32(SF_FORMAT_TYPEMASK))
        let sub = name(Int32(SFC_GET_FORMAT_INFO), format & Int32(SF_FORMAT_SUBMASK))
        return "\(major), \(sub)"
    }

    /// libsndfile's header log, which records disagreements between header and file length.
    private static func log(_ handle: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 16384)
        let length = Int(sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count)))
        return String(decoding: buffer.prefix(max(0, length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why the file looks truncated, or nil: a data chunk shorter than its header says (libsndfile's
    /// `data : N (should be M)` log line) or a SPHERE `sample_count` above the frames present.
    private static func truncation(_ handle: OpaquePointer, path: String, format: Int32, frames: Int) -> String? {
        for line in log(handle).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let lower = trimmed.lowercased()
            guard (lower.hasPrefix("data :") || lower.hasPrefix("ssnd :")) && lower.contains("should be") else { continue }
            // Streamed WAV (sox or ffmpeg writing to a pipe) puts a placeholder near 2^31 or 2^32
            // in the size field; that is not truncation.
            let declared = lower.split(separator: " ").compactMap { Int($0) }.first ?? 0
            if declared < 0x7FFF_0000 { return "libsndfile: \(trimmed)" }
        }
        if format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_NIST),
           let header = SoundFile.sphereHeader(path),
           let declared = SoundFile.sphereField("sample_count", in: header).flatMap({ Int($0) }),
           declared > frames {
            return "SPHERE header sample_count is \(declared), data holds \(frames) frames"
        }
        return nil
    }

    /// The ASCII header of a NIST SPHERE file (the first 1024 bytes), or nil if it is not one.
    static func sphereHeader(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1024), data.starts(with: Array("NIST_1A".utf8)) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The value of header field `name` (`name -type value`), or nil.
    static func sphereField(_ name: String, in header: String) -> String? {
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.count == 3, parts[0] == name { return String(parts[2]) }
        }
        return nil
    }

    /// True when `path` is NIST SPHERE whose `sample_coding` names shorten.
    static func isShortenSphere(_ path: String) -> Bool {
        guard let header = sphereHeader(path), let coding = sphereField("sample_coding", in: header) else {
            return false
        }
        return coding.lowercased().contains("shorten")
    }
}

extension RawPCMEncoding {
    /// libsndfile's `SF_FORMAT_*` subtype for this encoding.
    var sndfileSubtype: Int32 {
        switch self {
        case .pcmS8: return Int32(SF_FORMAT_PCM_S8)
        case .pcmU8: return Int32(SF_FORMAT_PCM_U8)
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        case .pcm24: return Int32(SF_FORMAT_PCM_24)
        case .pcm32: return Int32(SF_FORMAT_PCM_32)
        case .float32: return Int32(SF_FORMAT_FLOAT)
        case .float64: return Int32(SF_FORMAT_DOUBLE)
        }
    }
}
