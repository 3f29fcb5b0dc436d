import Foundation
import Randomness

/// The per-frame pipeline of Kaldi's fbank, with every buffer allocated once: extract (with reflection),
/// dither, DC removal, raw log energy, pre-emphasis, window, zero-pad, real FFT, power (or magnitude)
/// spectrum, sparse mel energies, log. One per thread; `process` allocates nothing.
final class FrameProcessor {
    let options: FbankOptions
    let geometry: FrameGeometry
    private let window: UnsafeMutablePointer<Float>
    private let fft: RealFFT
    private let spectrum: UnsafeMutablePointer<Float>
    /// The sparse mel filters in raw buffers (no array access in the frame loop), each padded with zero
    /// weights to a multiple of 4 for SIMD4 dot products: filter m has `melOffsets[m + 1] − melOffsets[m]`
    /// weights starting at FFT bin `melFirst[m]`. The spectrum buffer is padded to match.
    private let melCount: Int
    private let melFirst: UnsafeMutablePointer<Int32>
    private let melOffsets: UnsafeMutablePointer<Int32>
    private let melWeights: UnsafeMutablePointer<Float>
    /// Mel energies before they are copied out, padded to a multiple of 16 for the vector log.
    private let mel: UnsafeMutablePointer<Float>
    private let melCapacity: Int

    /// FLT_EPSILON, the floor of every logarithm (ln = −15.942385).
    static let epsilon = Float.ulpOfOne

    init(options: FbankOptions, melBanks: MelBanks, window coefficients: [Float]) {
        self.options = options
        geometry = FrameGeometry(options)
        window = .allocate(capacity: coefficients.count)
        window.initialize(from: coefficients, count: coefficients.count)
        fft = RealFFT(count: options.paddedWindowSize)
        // Room for the last filter's zero-weight padding past bin N/2.
        spectrum = .allocate(capacity: options.paddedWindowSize / 2 + 1 + 4)
        spectrum.initialize(repeating: 0, count: options.paddedWindowSize / 2 + 1 + 4)
        melCount = melBanks.count
        melFirst = .allocate(capacity: melBanks.count)
        melFirst.initialize(from: melBanks.firstBin.map { Int32($0) }, count: melBanks.count)
        var padded = [Float](), paddedOffsets = [Int32(0)]
        for m in 0..<melBanks.count {
            padded += melBanks.weights[melBanks.offsets[m]..<melBanks.offsets[m + 1]]
            while padded.count % 4 != 0 { padded.append(0) }
            paddedOffsets.append(Int32(padded.count))
        }
        melOffsets = .allocate(capacity: melBanks.count + 1)
        melOffsets.initialize(from: paddedOffsets, count: melBanks.count + 1)
        melWeights = .allocate(capacity: max(1, padded.count))
        melWeights.initialize(from: padded, count: padded.count)
        melCapacity = (melBanks.count + 15) / 16 * 16
        mel = .allocate(capacity: melCapacity)
        mel.initialize(repeating: 1, count: melCapacity)
    }

    deinit {
        window.deallocate()
        spectrum.deallocate()
        mel.deallocate()
        melFirst.deallocate()
        melOffsets.deallocate()
        melWeights.deallocate()
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
        var logEnergy: Float = 0
        if options.removeDcOffset {
            let energy = subtractMean(x, length)
            if options.useEnergy && options.rawEnergy { logEnergy = logf(max(energy, Self.epsilon)) }
        } else if options.useEnergy && options.rawEnergy {
            logEnergy = logf(max(sumOfSquares(x, length), Self.epsilon))
        }
        preemphasizeAndWindow(x, length)
        // x[L ..< N] stays zero: FFTW's out-of-place r2c preserves its input.
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
        var random = SplitMix64(seed: options.ditherSeed, index: UInt64(t))
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

    /// x −= mean(x); returns Σ (x − mean)², the raw energy.
    @inline(__always)
    private func subtractMean(_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        var sum = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            sum += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = sum.sum()
        while i < n { total += x[i]; i += 1 }
        let mean = total / Float(n)
        let means = SIMD16<Float>(repeating: mean)
        var squares = SIMD16<Float>()
        i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - means
            squares += v * v
            UnsafeMutableRawPointer(x + i).storeBytes(of: v, as: SIMD16<Float>.self)
            i += 16
        }
        var energy = squares.sum()
        while i < n { x[i] -= mean; energy += x[i] * x[i]; i += 1 }
        return energy
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

    /// Pre-emphasis then window in one backward pass: x[i] ← (x[i] − c·x[i − 1])·w[i] for i = n − 1 … 1,
    /// x[0] ← (x[0] − c·x[0])·w[0] (every x[i − 1] read before it changes).
    @inline(__always)
    private func preemphasizeAndWindow(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        let c = options.preemphasisCoefficient
        let w = window
        var i = n - 1
        while i - 16 >= 0 {
            let lo = i - 15
            let current = UnsafeRawPointer(x + lo).loadUnaligned(as: SIMD16<Float>.self)
            let previous = UnsafeRawPointer(x + lo - 1).loadUnaligned(as: SIMD16<Float>.self)
            let weights = UnsafeRawPointer(w + lo).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(x + lo).storeBytes(of: (current - c * previous) * weights, as: SIMD16<Float>.self)
            i -= 16
        }
        while i > 0 { x[i] = (x[i] - c * x[i - 1]) * w[i]; i -= 1 }
        x[0] = (x[0] - c * x[0]) * w[0]
    }

    /// P[k] = Re² + Im² for k = 0 … N/2 (its square root with `usePower` false).
    @inline(__always)
    private func powerSpectrum() {
        let bins = fft.count / 2 + 1
        let z = fft.output
        let p = spectrum
        var k = 0
        while k + 16 <= bins {
            let v = UnsafeRawPointer(z + 2 * k).loadUnaligned(as: SIMD32<Float>.self)
            let squares = v * v
            UnsafeMutableRawPointer(p + k).storeBytes(of: squares.evenHalf + squares.oddHalf, as: SIMD16<Float>.self)
            k += 16
        }
        while k < bins {
            let re = z[2 * k], im = z[2 * k + 1]
            p[k] = re * re + im * im
            k += 1
        }
        if !options.usePower {
            for k in 0..<bins { p[k] = p[k].squareRoot() }
        }
    }

    /// E_m = Σ_k W[m, k] P[k] over the filter's non-zero weights, then log(max(E_m, FLT_EPSILON)).
    @inline(__always)
    private func melEnergies(into out: UnsafeMutablePointer<Float>) {
        let p = spectrum, mel = self.mel, w = melWeights
        let count = melCount
        var j = 0
        for m in 0..<count {
            let source = p + Int(melFirst[m]) - j
            let end = Int(melOffsets[m + 1])
            var sum = SIMD4<Float>()
            while j < end {
                sum += UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Float>.self)
                    * UnsafeRawPointer(source + j).loadUnaligned(as: SIMD4<Float>.self)
                j += 4
            }
            mel[m] = sum.sum()
        }
        if options.useLogFbank { VectorMath.flooredLog(mel, count: count, floor: Self.epsilon) }
        out.update(from: mel, count: count)
    }
}
