import Foundation

/// The per-frame pipeline of Kaldi's fbank, with every buffer allocated once: extract (with reflection),
/// dither, DC removal, raw log energy, pre-emphasis, window, zero-pad, real FFT, power (or magnitude)
/// spectrum, sparse mel energies, log. One per thread; `process` allocates nothing.
final class FrameProcessor {
    let options: FbankOptions
    let geometry: FrameGeometry
    private let window: UnsafeMutablePointer<Float>
    private let fft: RealFFT
    private let spectrum: UnsafeMutablePointer<Float>
    private let melFirst: [Int]
    private let melOffsets: [Int]
    private let melWeights: [Float]

    /// FLT_EPSILON, the floor of every logarithm (ln = −15.942385).
    static let epsilon = Float.ulpOfOne

    init(options: FbankOptions, melBanks: MelBanks, window coefficients: [Float]) {
        self.options = options
        geometry = FrameGeometry(options)
        window = .allocate(capacity: coefficients.count)
        window.initialize(from: coefficients, count: coefficients.count)
        fft = RealFFT(count: options.paddedWindowSize)
        spectrum = .allocate(capacity: options.paddedWindowSize / 2 + 1)
        spectrum.initialize(repeating: 0, count: options.paddedWindowSize / 2 + 1)
        melFirst = melBanks.firstBin
        melOffsets = melBanks.offsets
        melWeights = melBanks.weights
    }

    deinit {
        window.deallocate()
        spectrum.deallocate()
    }

    /// Computes frame `t` of a signal of `total` samples, of which `samples` holds those from index `base` on,
    /// and writes its `options.dimension` values to `row`.
    ///
    /// The frame's samples (after reflection into [0, total)) must all be at index `base` or later.
    func process(frame t: Int, samples: UnsafeBufferPointer<Float>, base: Int, total: Int,
                 into row: UnsafeMutablePointer<Float>) {
        let length = geometry.length
        let x = fft.input
        extract(frame: t, samples: samples, base: base, total: total, into: x)
        if options.dither != 0 { addDither(frame: t, to: x) }
        if options.removeDcOffset { subtractMean(x, length) }
        var logEnergy: Float = 0
        if options.useEnergy && options.rawEnergy { logEnergy = logf(max(sumOfSquares(x, length), Self.epsilon)) }
        if options.preemphasisCoefficient != 0 { preemphasize(x, length) }
        multiply(x, by: window, length)
        let padded = fft.count
        if padded > length { (x + length).update(repeating: 0, count: padded - length) }
        if options.useEnergy && !options.rawEnergy { logEnergy = logf(max(sumOfSquares(x, length), Self.epsilon)) }
        fft.execute()
        powerSpectrum()
        let mel = options.useEnergy && !options.htkCompat ? row + 1 : row
        melEnergies(into: mel)
        if options.useEnergy {
            if options.energyFloor > 0 { logEnergy = max(logEnergy, logf(options.energyFloor)) }
            if options.htkCompat { row[options.numMelBins] = logEnergy } else { row[0] = logEnergy }
        }
    }

    /// Copies frame t's L samples into `x`, reflecting indices outside [0, total).
    @inline(__always)
    private func extract(frame t: Int, samples: UnsafeBufferPointer<Float>, base: Int, total: Int,
                         into x: UnsafeMutablePointer<Float>) {
        let length = geometry.length
        let start = geometry.firstSample(ofFrame: t)
        let source = samples.baseAddress!
        if start >= 0 && start + length <= total {
            x.update(from: source + (start - base), count: length)
        } else {
            for i in 0..<length {
                x[i] = source[FrameGeometry.reflect(start + i, count: total) - base]
            }
        }
    }

    /// Adds dither · N(0, 1) noise to each sample; the noise of frame t depends only on (ditherSeed, t).
    private func addDither(frame t: Int, to x: UnsafeMutablePointer<Float>) {
        var random = SeededRandom(seed: options.ditherSeed, index: UInt64(t))
        let length = geometry.length
        let scale = options.dither
        var i = 0
        while i < length {
            let (a, b) = random.nextGaussianPair()
            x[i] += scale * a
            if i + 1 < length { x[i + 1] += scale * b }
            i += 2
        }
    }

    @inline(__always)
    private func subtractMean(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var sum = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            sum += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = sum.sum()
        while i < n { total += x[i]; i += 1 }
        let mean = SIMD16<Float>(repeating: total / Float(n))
        i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - mean
            UnsafeMutableRawPointer(x + i).storeBytes(of: v, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { x[i] -= mean[0]; i += 1 }
    }

    @inline(__always)
    private func sumOfSquares(_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        var sum = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            sum += v * v
            i += 16
        }
        var total = sum.sum()
        while i < n { total += x[i] * x[i]; i += 1 }
        return total
    }

    /// x[i] −= c·x[i − 1] for i = n − 1 … 1, then x[0] −= c·x[0] (all from the original values).
    @inline(__always)
    private func preemphasize(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        let c = options.preemphasisCoefficient
        var i = n - 1
        // Backwards in blocks of 16: each block reads its predecessor values before they change.
        while i - 16 >= 0 {
            let lo = i - 15
            let current = UnsafeRawPointer(x + lo).loadUnaligned(as: SIMD16<Float>.self)
            let previous = UnsafeRawPointer(x + lo - 1).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(x + lo).storeBytes(of: current - c * previous, as: SIMD16<Float>.self)
            i -= 16
        }
        while i > 0 { x[i] -= c * x[i - 1]; i -= 1 }
        x[0] -= c * x[0]
    }

    @inline(__always)
    private func multiply(_ x: UnsafeMutablePointer<Float>, by w: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: v, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { x[i] *= w[i]; i += 1 }
    }

    /// P[k] = Re² + Im² for k = 0 … N/2 (its square root with `usePower` false).
    @inline(__always)
    private func powerSpectrum() {
        let bins = fft.count / 2 + 1
        let z = fft.output
        let p = spectrum
        for k in 0..<bins {
            let re = z[2 * k], im = z[2 * k + 1]
            p[k] = re * re + im * im
        }
        if !options.usePower {
            for k in 0..<bins { p[k] = p[k].squareRoot() }
        }
    }

    /// E_m = Σ_k W[m, k] P[k] over the filter's non-zero weights, then log(max(E_m, FLT_EPSILON)).
    @inline(__always)
    private func melEnergies(into out: UnsafeMutablePointer<Float>) {
        let p = spectrum
        melWeights.withUnsafeBufferPointer { w in
            melOffsets.withUnsafeBufferPointer { offsets in
                melFirst.withUnsafeBufferPointer { first in
                    for m in 0..<first.count {
                        let source = p + first[m]
                        var sum: Float = 0
                        var j = offsets[m]
                        let end = offsets[m + 1]
                        var k = 0
                        while j < end { sum += w[j] * source[k]; j += 1; k += 1 }
                        out[m] = sum
                    }
                }
            }
        }
        if options.useLogFbank {
            for m in 0..<melFirst.count { out[m] = logf(max(out[m], Self.epsilon)) }
        }
    }
}
