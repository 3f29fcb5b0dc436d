/// One of the 16 kHz voices of Debian's flite 2.2 package, with what a speaker generator needs to know.
public enum FliteVoice: String, Codable, Sendable, CaseIterable {
    /// US female (clustergen).
    case slt
    /// US male (clustergen); ignores `int_f0_target_mean`.
    case rms
    /// Scottish male (clustergen).
    case awb
    /// US male (diphone); its last pause ends about 112 ms after the wave.
    case kal16

    /// TIMIT's sex letter for speakers built on this voice (`f` or `m`).
    public var sex: Character { self == .slt ? "f" : "m" }

    /// Median f0 of the voice's default rendering in Hz (measured by autocorrelation on one long sentence).
    public var defaultF0: Double {
        switch self {
        case .slt: 172
        case .rms: 102
        case .awb: 130
        case .kal16: 86
        }
    }

    /// Whether flite honours `int_f0_target_mean` for this voice.
    public var controlsPitch: Bool { self != .rms }
}
