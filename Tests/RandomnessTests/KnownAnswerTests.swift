import Randomness
import Testing

/// The first values of every seeded generator and sampler for fixed seeds, as bit patterns, so a
/// refactoring that shifts any stream (corpora, dither, initialisation, masks) fails here.
///
/// The expected values were printed by the code as it stood when they were committed and are
/// never regenerated: a change here is a change of every seeded result of the toolkit.
@Suite struct KnownAnswerTests {
    /// `values` as 64-bit patterns.
    static func bits(_ values: [Float]) -> [UInt64] { values.map { UInt64($0.bitPattern) } }
    /// `values` as 64-bit patterns.
    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    @Test func splitMix64() {
        var zero = SplitMix64(seed: 0)
        #expect((0..<6).map { _ in zero.next() } == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x6C45D188009454F,
                                                       0xF88BB8A8724C81EC, 0x1B39896A51A8749B, 0x53CB9F0C747EA2EA])
        var fortyTwo = SplitMix64(seed: 42)
        #expect((0..<6).map { _ in fortyTwo.next() } == [0xBDD732262FEB6E95, 0x28EFE333B266F103, 0x47526757130F9F52,
                                                           0x581CE1FF0E4AE394, 0x9BC585A244823F2, 0xDE4431FA3C80DB06])
    }

    @Test func xoshiro256StarStar() {
        var g = Xoshiro256StarStar(seed: 7)
        #expect(g.state == [0x63CBE1E459320DD7, 0x44C3CD7F43C661C, 0xE6984080BAB12A02, 0x953AEB70673E29CB])
        g = Xoshiro256StarStar(seed: 1)
        #expect((0..<6).map { _ in g.next() } == [0xB3F2AF6D0FC710C5, 0x853B559647364CEA, 0x92F89756082A4514,
                                                    0x642E1C7BC266A3A7, 0xB27A48E29A233673, 0x24C123126FFDA722])
        g = Xoshiro256StarStar(seed: 1)
        var child = g.split()
        #expect((0..<4).map { _ in child.next() } + [g.next()] == [
            0x2C83F301EB3F9C90, 0x4E876D9FAE53F0B8, 0x516BA84E3A541549, 0x18A46D9D1DF806FC, 0x853B559647364CEA])
    }

    @Test func xoshiroSamplers() {
        var g = Xoshiro256StarStar(seed: 1)
        #expect(Self.bits((0..<6).map { _ in g.nextUnit() }) == [0x3F33F2AF, 0x3F053B55, 0x3F12F897, 0x3EC85C38, 0x3F327A48, 0x3E13048C])
        g = Xoshiro256StarStar(seed: 1)
        #expect(Self.bits((0..<6).map { _ in g.nextUniform(-1, 1) }) == [
            0x3ECFCABC, 0x3D276AA0, 0x3E17C4B8, 0xBE5E8F20, 0x3EC9E920, 0xBF367DBA])
        g = Xoshiro256StarStar(seed: 1)
        #expect(Self.bits((0..<8).map { _ in g.nextNormal() }) == [
            0xBF552E8B, 0xBF513BF3, 0x3F06CE43, 0xBFD8144C, 0xBF0188EB, 0x3EB870BA, 0xBE39F13E, 0x3F47F537])
    }

    @Test func corpusSynthesisStreams() {
        var g = SplitMix64(seed: 5)
        #expect((0..<4).map { _ in g.next() } == [0x63033B0CA389C35A, 0xC097314D939736F8, 0x3B92D3F0106BC147, 0x196E4EC2DA05B945])
        g = SplitMix64(seed: 5, stream: 1000)
        #expect((0..<4).map { _ in g.next() } == [0x82F07D2416275CE8, 0xC73CEF40E0E5FC50, 0x65F925DE5E64216B, 0xB50C4F1E4782CD04])
        g = SplitMix64(seed: 5)
        #expect(Self.bits((0..<6).map { _ in g.uniform(-0.5...2) }) == [
            0x3FDDE204E7E63618, 0x3FF6179FB41F0FA1, 0x3FB4EF11D8290D60, 0xBFD01B0EC637BC6D, 0xBF9ED274635BF290, 0x3FDCE5BDDE6E0488])
        g = SplitMix64(seed: 5)
        #expect(Self.bits((0..<8).map { _ in g.gaussian() }) == [
            0xBFCBDA671CC291DF, 0xBFF9D3C342517B16, 0xBFFD287B873349B6, 0xBF8F036F9095AB36,
            0x3FE7C13B0C52FAB0, 0x3FF3C1CC842D1E9D, 0x3FD46F2A11E8E7CD, 0x3FD351C7F2B7826E])
    }

    @Test func featureStreams() {
        var r = SplitMix64(seed: 9)
        #expect((0..<4).map { _ in r.next() } == [0xAEAF52FEBE706064, 0xC02D8A5E87AFEA62, 0x43EC2BE544B589B6, 0xC8E98CD697316060])
        r = SplitMix64(seed: 9, index: 3)
        #expect((0..<4).map { _ in r.next() } == [0x67D3D5A9B55F75C6, 0xB689FA83D75832CC, 0x5F272BCD3D4E053, 0x4397F0F377D450C9])
        r = SplitMix64(seed: 9)
        #expect(Self.bits((0..<6).map { _ in r.nextOpenUnit() }) == [
            0x3FE5D5EA5FD7CE0C, 0x3FE805B14BD0F5FE, 0x3FD0FB0AF9512D63, 0x3FE91D319AD2E62C, 0x3FD0CDACDE0BD621, 0x3FBD56F4A5808E6C])
        r = SplitMix64(seed: 9)
        #expect(Self.bits((0..<4).flatMap { _ in let (a, b) = r.nextGaussianPair(); return [a, b] }) == [
            0x3B7A2B39, 0xBF5FD11A, 0x3EB4FCFD, 0xBFCB8AE9, 0x3F9D5D34, 0x3F8A0C42, 0x3F6E1ECE, 0xBDC59DA8])
    }
}
