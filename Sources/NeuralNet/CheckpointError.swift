/// Why a checkpoint could not be read or does not fit the model.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file ends before the data its header promises.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// The header is not valid safetensors JSON.
    case badHeader(file: String, reason: String)
    /// A tensor the model needs is missing from the file.
    case missingTensor(name: String, file: String)
    /// The file holds a tensor the model does not have.
    case unexpectedTensor(name: String, file: String)
    /// A tensor's shape differs from the model's.
    case shapeMismatch(name: String, file: String, expected: [Int], found: [Int])
    /// A tensor's dtype is not F32.
    case unsupportedDType(name: String, file: String, dtype: String)
    /// A tensor's bytes differ from the checksum recorded when it was saved.
    case checksumMismatch(name: String, file: String)
    /// A weight is NaN or infinite (`index`: its flat position).
    case notFinite(name: String, file: String, index: Int)
    /// Reading or writing failed.
    case io(file: String, reason: String)

    /// One line naming the file and the tensor.
    public var description: String {
        switch self {
        case let .truncated(file, expected, actual):
            "\(file): truncated: header promises \(expected) bytes, file has \(actual)"
        case let .badHeader(file, reason): "\(file): bad safetensors header: \(reason)"
        case let .missingTensor(name, file): "\(file): tensor '\(name)' is missing"
        case let .unexpectedTensor(name, file): "\(file): unexpected tensor '\(name)' (not in the model)"
        case let .shapeMismatch(name, file, expected, found):
            "\(file): tensor '\(name)' has shape \(found), the model expects \(expected)"
        case let .unsupportedDType(name, file, dtype): "\(file): tensor '\(name)' has dtype \(dtype), only F32 is supported"
        case let .checksumMismatch(name, file):
            "\(file): tensor '\(name)' does not match its recorded checksum (the file is corrupted); retrain or restore it"
        case let .notFinite(name, file, index): "\(file): tensor '\(name)' holds a non-finite weight (NaN or infinity) at index \(index)"
        case let .io(file, reason): "\(file): \(reason)"
        }
    }
}
