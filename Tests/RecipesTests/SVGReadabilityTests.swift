import Foundation
import Testing
@testable import Recipes

@Suite("Readable SVG plots")
struct SVGReadabilityTests {
    /// The (x, y, text) of every `<text>` element with plain x and y attributes.
    static func texts(_ svg: String) -> [(x: Double, y: Double, text: String)] {
        svg.matches(of: /<text x="([-0-9.]+)" y="([-0-9.]+)"[^>]*>([^<]*)<\/text>/).compactMap { match in
            guard let x = Double(match.output.1), let y = Double(match.output.2) else { return nil }
            return (x, y, String(match.output.3))
        }
    }

    @Test("an alignment has a time axis in seconds, reference labels that do not overlap and a title that fits")
    func alignmentImage() throws {
        // 100 states of 40 ms; 40 reference phones of 1-2 states each: too narrow for two lines of labels.
        let reference = (0..<40).map { index in (label: "ph\(index)", start: index * 5 / 4, end: (index + 1) * 5 / 4) }
        let title = String(repeating: "a long utterance title ", count: 8)
        let image = SVGAlignmentImage(title: title, weights: [Float](repeating: 0.5, count: 200), states: 100,
                                      rowLabels: ["a", "b"], attended: [10, 20], reference: reference, secondsPerState: 0.04)
        let svg = image.svg
        #expect(svg.contains(">time (s)</text>"))
        let labels = Self.texts(svg).map(\.text)
        #expect(labels.contains("0") && labels.contains("1") && labels.contains("2") && labels.contains("4"))
        // Reference labels: grouped by line, each at least its estimated width from the previous one.
        let placed = Self.texts(svg).filter { $0.text.hasPrefix("ph") }
        #expect(placed.count > 20 && placed.count < 40)
        for line in Set(placed.map(\.y)) {
            let onLine = placed.filter { $0.y == line }.sorted { $0.x < $1.x }
            for (a, b) in zip(onLine, onLine.dropFirst()) {
                #expect(b.x - a.x >= (SVG.textWidth(a.text, size: 10) + SVG.textWidth(b.text, size: 10)) / 2)
            }
        }
        let width = try #require(svg.firstMatch(of: /<svg [^>]*width="([0-9]+)"/).flatMap { Double($0.output.1) })
        let shown = try #require(svg.firstMatch(of: /font-size="([0-9.]+)">(a long[^<]*)</))
        let size = try #require(Double(shown.output.1))
        #expect(shown.output.2.count < title.count && shown.output.2.hasSuffix("…"))
        #expect(0.56 * size * Double(shown.output.2.count) <= width - 16 + 1e-6)
    }

    @Test("line chart ticks are round numbers and whole epochs")
    func lineChartTicks() {
        let chart = SVGLineChart(title: "dev PER", xLabel: "epoch", yLabel: "PER (%)", series: [
            .init(name: "a", points: (1...7).map { (Double($0), 90.0 / Double($0)) }, color: "red"),
        ])
        let labels = Self.texts(chart.svg).map(\.text)
        #expect(labels.contains("100") && labels.contains("0") && labels.contains("20"))
        #expect(labels.contains("1") && labels.contains("7") && !labels.contains("2.5"))
    }

    @Test("the legend goes where it hides no point")
    func legendPlacement() throws {
        // A flat line near the top of the axis: the legend must leave the top corners.
        let chart = SVGLineChart(title: "loss", xLabel: "epoch", yLabel: "loss", series: [
            .init(name: "train loss", points: (1...3).map { (Double($0), 3.9) }, color: "blue"),
        ])
        let svg = chart.svg
        let legend = try #require(svg.firstMatch(of: /<rect x="[0-9.]+" y="([0-9.]+)" width="[0-9.]+" height="([0-9.]+)" fill="white" fill-opacity/))
        let points = svg.matches(of: /<circle cx="[0-9.]+" cy="([0-9.]+)"/).compactMap { Double($0.output.1) }
        let top = try #require(Double(legend.output.1)), height = try #require(Double(legend.output.2))
        #expect(points.count == 3 && points.allSatisfy { $0 < top || $0 > top + height })
        #expect(top > chart.height / 2)
    }
}
