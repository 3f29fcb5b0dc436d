import Foundation
import Options
import Testing
@testable import Features

/// Exact properties of Kaldi's fbank: frame counts, mel filters, floors, scale, windows, options, errors.
@Suite struct FbankTests {
    static func options(_ edit: (inout FbankOptions) -> Void = { _ in }) -> FbankOptions {
        var o = FbankOptions()
        o.dither = 0
        edit(&o)
        return o
    }

    @Test func frameCountsMatchKaldi() {
        let n = [1, 300, 399, 400, 401, 559, 560, 561, 16000, 17526]
        let snip = [0, 0, 0, 1, 1, 1, 2, 2, 98, 108]
        let noSnip = [0, 2, 2, 3, 3, 3, 4, 4, 100, 110]
        let on = FrameGeometry(length: 400, shift: 160, snipEdges: true)
        let off = FrameGeometry(length: 400, shift: 160, snipEdges: false)
        #expect(n.map { on.frameCount(samples: $0) } == snip)
        #expect(n.map { off.frameCount(samples: $0) } == noSnip)
        #expect(off.frameCount(samples: 79) == 0 && off.frameCount(samples: 80) == 1)
        #expect(off.firstSample(ofFrame: 0) == -120 && off.firstSample(ofFrame: 2) == 200)
    }

    @Test func completeFramesNeverReachPastTheSamples() {
        for snipEdges in [true, false] {
            let g = FrameGeometry(length: 400, shift: 160, snipEdges: snipEdges)
            for n in 0..<2000 {
                let complete = g.completeFrameCount(samples: n)
                #expect(complete <= g.frameCount(samples: n))
                if complete > 0 { #expect(g.firstSample(ofFrame: complete - 1) + 400 <= n) }
                #expect(g.firstSample(ofFrame: complete) + 400 > n)
            }
        }
    }

    @Test func reflectionIncludesTheEdgeSample() {
        #expect([-1, -2, 5, 6, 3].map { FrameGeometry.reflect($0, count: 5) } == [0, 1, 4, 3, 3])
        #expect(FrameGeometry.reflect(-7, count: 3) == 0)  // −7 → 6 → −1 → 0
    }

    @Test func melFiltersAreSparseAndKaldiShaped() throws {
        let banks = try MelBanks(Self.options { $0.numMelBins = 80 })
        #expect(banks.weights.count == 501)
        #expect(banks.count == 80)
        // Recompute filter 10's weights in double from the formula.
        let mel = { (f: Double) in 1127 * log(1 + f / 700) }
        let lo = mel(20), hi = mel(8000), delta = (hi - lo) / 81
        let (left, centre, right) = (lo + 10 * delta, lo + 11 * delta, lo + 12 * delta)
        var expected = [(Int, Double)]()
        for k in 0..<256 {
            let mu = mel(Double(k) * 16000 / 512)
            if mu > left && mu < right {
                expected.append((k, mu <= centre ? (mu - left) / (centre - left) : (right - mu) / (right - centre)))
            }
        }
        let got = banks.weights[banks.offsets[10]..<banks.offsets[11]]
        #expect(banks.firstBin[10] == expected[0].0 && got.count == expected.count)
        for (w, e) in zip(got, expected) { #expect(abs(Double(w) - e.1) < 1e-5) }
    }

    @Test func negativeHighFrequencyIsAnOffsetFromNyquist() throws {
        let offset = try MelBanks(Self.options { $0.highFreq = -400 })
        let absolute = try MelBanks(Self.options { $0.highFreq = 7600 })
        #expect(offset == absolute)
    }

    @Test func tooManyBinsIsAnError() {
        #expect(throws: FeatureError.self) { try Fbank(options: Self.options { $0.numMelBins = 200; $0.sampleFrequency = 8000 }) }
    }

    @Test func digitalSilenceGivesTheFloorEverywhere() throws {
        let fbank = try Fbank(options: Self.options { $0.useEnergy = true; $0.numMelBins = 40 })
        let m = try fbank.compute([Float](repeating: 0, count: 1600), sampleRate: 16000)
        #expect(m.frames == 8 && m.dim == 41)
        #expect(m.values.allSatisfy { abs($0 - (-15.942385)) < 1e-5 })
    }

    @Test func int16ScaleShiftsLogMelByLnOf32768Squared() throws {
        let (speech, rate) = try FixtureFiles.speech("cards001-16k")
        let fbank = try Fbank(options: Self.options { $0.numMelBins = 40 })
        let full = try fbank.compute(speech, sampleRate: rate)
        let scaled = try fbank.compute(speech.map { $0 / 32768 }, sampleRate: rate)
        var compared = 0
        for (a, b) in zip(full.values, scaled.values) where b > -10 {
            #expect(abs((a - b) - 20.794415) < 2e-3)
            compared += 1
        }
        #expect(compared > full.values.count / 2)
    }

    @Test(arguments: WindowType.allCases)
    func windowsFollowTheirFormulas(type: WindowType) {
        let length = 400
        let w = type.coefficients(length: length, blackmanCoeff: 0.42)
        let a = 2 * Double.pi / Double(length - 1)
        for i in [0, 1, 57, 199, 200, 399] {
            let x = a * Double(i)
            let expected: Double = switch type {
            case .povey: pow(0.5 - 0.5 * cos(x), 0.85)
            case .hamming: 0.54 - 0.46 * cos(x)
            case .hanning: 0.5 - 0.5 * cos(x)
            case .sine: sin(x / 2)
            case .rectangular: 1
            case .blackman: 0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x)
            }
            #expect(abs(Double(w[i]) - expected) < 1e-6, "\(type) [\(i)]")
        }
    }

    /// One frame recomputed in double with a naive DFT, for options the golden grid does not cover.
    @Test(arguments: [(WindowType.hanning, true), (.sine, true), (.rectangular, false), (.blackman, false)])
    func oneFrameMatchesADoubleDFT(type: WindowType, powerOfTwo: Bool) throws {
        let (speech, rate) = try FixtureFiles.speech("cards001-16k")
        let options = Self.options {
            $0.windowType = type; $0.numMelBins = 23; $0.usePower = false; $0.useEnergy = true; $0.rawEnergy = false
            $0.roundToPowerOfTwo = powerOfTwo
        }
        let n = powerOfTwo ? 512 : 400
        let m = try Fbank(options: options).compute(speech, sampleRate: rate)
        let t = 40
        var x = (0..<400).map { Double(speech[t * 160 + $0]) }
        let mean = x.reduce(0, +) / 400
        x = x.map { $0 - mean }
        for i in stride(from: 399, to: 0, by: -1) { x[i] -= 0.97 * x[i - 1] }
        x[0] -= 0.97 * x[0]
        let w = type.coefficients(length: 400)
        x = zip(x, w).map { $0 * Double($1) }
        let energy = log(x.reduce(0) { $0 + $1 * $1 })
        let magnitude = (0...(n / 2)).map { k -> Double in
            var re = 0.0, im = 0.0
            for i in 0..<400 {
                re += x[i] * cos(2 * Double.pi * Double(i * k) / Double(n))
                im -= x[i] * sin(2 * Double.pi * Double(i * k) / Double(n))
            }
            return (re * re + im * im).squareRoot()
        }
        let banks = try MelBanks(options)
        #expect(abs(Double(m[t, 0]) - energy) < 1e-4)
        for b in 0..<23 {
            var e = 0.0
            for j in banks.offsets[b]..<banks.offsets[b + 1] {
                e += Double(banks.weights[j]) * magnitude[banks.firstBin[b] + j - banks.offsets[b]]
            }
            #expect(abs(Double(m[t, 1 + b]) - log(e)) < 1e-3, "\(type) bin \(b)")
        }
    }

    @Test func mfccHtkCompatMovesC0LastAndScalesItWithoutEnergy() throws {
        let (speech, rate) = try FixtureFiles.speech("cards001-16k")
        for useEnergy in [true, false] {
            var plain = MfccOptions()
            plain.fbank.dither = 0
            plain.fbank.useEnergy = useEnergy
            var htk = plain
            htk.fbank.htkCompat = true
            let a = try Mfcc(options: plain).compute(speech, sampleRate: rate)
            let b = try Mfcc(options: htk).compute(speech, sampleRate: rate)
            let scale: Float = useEnergy ? 1 : Float(2).squareRoot()
            for t in [0, 33, a.frames - 1] {
                #expect(Array(a.row(t).dropFirst()) == Array(b.row(t).dropLast()))
                #expect(abs(b[t, 12] - a[t, 0] * scale) <= 1e-5 * abs(b[t, 12]))
            }
        }
    }

    @Test func htkCompatPutsEnergyLast() throws {
        let (speech, rate) = try FixtureFiles.speech("cards001-16k")
        let first = try Fbank(options: Self.options { $0.useEnergy = true }).compute(speech, sampleRate: rate)
        let last = try Fbank(options: Self.options { $0.useEnergy = true; $0.htkCompat = true }).compute(speech, sampleRate: rate)
        for t in [0, 50, first.frames - 1] {
            #expect(Array(first.row(t).dropFirst()) + [first[t, 0]] == Array(last.row(t)))
        }
    }

    @Test func energyFloorRaisesLowEnergies() throws {
        let fbank = try Fbank(options: Self.options { $0.useEnergy = true; $0.energyFloor = 1 })
        let m = try fbank.compute([Float](repeating: 0, count: 800), sampleRate: 16000)
        #expect((0..<m.frames).allSatisfy { m[$0, 0] == 0 })
    }

    @Test func ditherIsSeededPerFrameWithTheRightSpread() throws {
        // Zero signal, rectangular window, no DC removal or pre-emphasis: raw energy = Σ (dither·g)².
        let options = Self.options {
            $0.dither = 2; $0.ditherSeed = 7; $0.useEnergy = true; $0.removeDcOffset = false
            $0.preemphasisCoefficient = 0; $0.windowType = .rectangular
        }
        let zeros = [Float](repeating: 0, count: 16000)
        let a = try Fbank(options: options).compute(zeros, sampleRate: 16000)
        let b = try Fbank(options: options).compute(zeros, sampleRate: 16000)
        var other = options
        other.ditherSeed = 8
        let c = try Fbank(options: other).compute(zeros, sampleRate: 16000)
        #expect(a == b)
        #expect(a != c)
        let energies = (0..<a.frames).map { exp(Double(a[$0, 0])) / 400 }
        let meanVariance = energies.reduce(0, +) / Double(energies.count)
        #expect(abs(meanVariance - 4) < 0.1, "mean of the per-frame noise variance \(meanVariance)")
        #expect(Set(energies).count == energies.count)  // fresh noise per frame
    }

    @Test func badInputIsRefusedWithAClearError() throws {
        let fbank = try Fbank(options: Self.options())
        #expect(throws: FeatureError.tooShort(samples: 399, minimum: 400)) {
            try fbank.compute([Float](repeating: 1, count: 399), sampleRate: 16000)
        }
        #expect(throws: FeatureError.sampleRateMismatch(expected: 16000, actual: 8000)) {
            try fbank.compute([Float](repeating: 1, count: 4000), sampleRate: 8000)
        }
        var samples = [Float](repeating: 1, count: 4000)
        samples[1234] = .nan
        #expect(throws: FeatureError.nonFiniteSample(index: 1234)) { try fbank.compute(samples, sampleRate: 16000) }
        samples[1234] = 1
        samples[3999] = -.infinity
        #expect(throws: FeatureError.nonFiniteSample(index: 3999)) { try fbank.compute(samples, sampleRate: 16000) }
        #expect("\(FeatureError.tooShort(samples: 399, minimum: 400))".contains("shorter than one frame"))
    }

    @Test func invalidOptionsNameTheOptionAndRange() {
        let cases: [(String, (inout FbankOptions) -> Void)] = [
            ("numMelBins", { $0.numMelBins = 2 }), ("frameShift", { $0.frameShift = 0 }),
            ("frameLength", { $0.frameLength = -1 }), ("dither", { $0.dither = -1 }),
            ("preemphasisCoefficient", { $0.preemphasisCoefficient = 1.5 }), ("lowFreq", { $0.lowFreq = 9000 }),
            ("highFreq", { $0.highFreq = 9000 }), ("highFreq", { $0.highFreq = -7990 }),
            ("energyFloor", { $0.energyFloor = -1 }), ("sampleFrequency", { $0.sampleFrequency = 0 }),
        ]
        for (name, edit) in cases {
            do {
                try Self.options(edit).validate()
                Issue.record("\(name) accepted")
            } catch {
                #expect(error.keyPath == [name])
                #expect(!error.allowed.isEmpty)
                #expect(FeatureError.option(error).description.contains("--\(error.flagName)="))
            }
        }
    }

    @Test func optionsDecodeWithDefaultsForMissingFields() throws {
        let decoded = try OptionsJSON.decode(FbankOptions.self, from: Data(#"{"numMelBins": 40, "windowType": "hamming"}"#.utf8))
        var expected = FbankOptions()
        expected.numMelBins = 40
        expected.windowType = .hamming
        #expect(decoded == expected)
        let roundTrip = try OptionsJSON.decode(FbankOptions.self, from: JSONEncoder().encode(decoded))
        #expect(roundTrip == decoded)
        #expect(FbankOptions().dither == 1 && FbankOptions().numMelBins == 23 && FbankOptions().snipEdges)
    }

    @Test func sharedPlansGiveTheSameAnswerFromManyThreads() throws {
        let (speech, rate) = try FixtureFiles.speech("librivox0870-16k")
        let fbank = try Fbank(options: Self.options { $0.roundToPowerOfTwo = false })
        let reference = try fbank.compute(speech, sampleRate: rate)
        let results = UnsafeMutableBufferPointer<FeatureMatrix?>.allocate(capacity: 8)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            shared[i] = try? fbank.compute(speech, sampleRate: rate)
        }
        #expect(results.allSatisfy { $0 == reference })
    }
}
