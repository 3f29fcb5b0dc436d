import Randomness
import Testing
import TensorCore

@Suite struct TensorTests {
    @Test func rowMajorLayoutAndElementAccess() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x[1, 0] == 4)
        #expect(x[0, 2] == 3)
        #expect(x.count == 6 && x.rank == 2)
    }

    @Test func slicesShareStorageAndCopyOnWrite() {
        var x = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let row = x[1]
        let rows = x.slice(1..<3)
        #expect(row.shape == [2] && row.scalars == [3, 4])
        #expect(rows.shape == [2, 2] && rows.scalars == [3, 4, 5, 6])
        x[1, 0] = 30
        #expect(row.scalars == [3, 4], "a slice must not see a later write to its source")
        #expect(x[1, 0] == 30)
        var copy = x
        copy[0, 0] = -1
        #expect(x[0, 0] == 1 && copy[0, 0] == -1)
    }

    @Test func reshapeInfersOneExtent() {
        let x = Tensor(shape: [2, 3, 4]) { Float($0) }
        let y = x.reshaped([-1, 4])
        #expect(y.shape == [6, 4])
        #expect(y.scalars == x.scalars)
    }

    @Test func bitwiseEqualityDistinguishesSignedZero() {
        let a = Tensor(shape: [1], scalars: [0])
        let b = Tensor(shape: [1], scalars: [-0.0])
        #expect(a == b)
        #expect(!a.isBitwiseEqual(to: b))
    }

    @Test func seededGeneratorRepeatsAndDiffers() {
        var a = Xoshiro256StarStar(seed: 42), b = Xoshiro256StarStar(seed: 42), c = Xoshiro256StarStar(seed: 43)
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }, xc = (0..<5).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
        var n = Xoshiro256StarStar(seed: 1)
        let samples = (0..<20000).map { _ in Double(n.nextNormal()) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }

    @Test func sequenceMaskMarksValidFrames() {
        let m = SequenceMask.make(lengths: [3, 1, 0], maxLength: 3)
        #expect(m.scalars == [1, 1, 1, 1, 0, 0, 0, 0, 0])
    }
}
