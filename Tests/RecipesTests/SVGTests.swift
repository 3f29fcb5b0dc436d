import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Recipes
import Training

@Suite("SVG pictures")
struct SVGTests {
    @Test("a line chart is well-formed XML with one polyline per series through the points")
    func lineChart() throws {
        let chart = SVGLineChart(title: "loss & PER", xLabel: "epoch", yLabel: "value", series: [
            .init(name: "train loss", points: [(1, 3.0), (2, 2.0), (3, 1.5)], color: "blue"),
            .init(name: "dev PER", points: [(1, 0.9), (2, 0.6)], color: "red"),
        ])
        let svg = chart.svg
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
        let polylines = try document.nodes(forXPath: "//*[local-name()='polyline']")
        #expect(polylines.count == 2)
        let first = try #require(svg.firstMatch(of: /<polyline[^>]* points="([^"]*)"/)?.output.1)
        let points = first.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        try #require(points.count == 3 && points.allSatisfy { $0.count == 2 })
        // x grows with the epoch, y (downwards in SVG) grows as the loss falls.
        #expect(points[0][0] < points[1][0] && points[1][0] < points[2][0])
        #expect(points[0][1] < points[1][1] && points[1][1] < points[2][1])
        #expect(svg.contains("loss &amp; PER"))
    }

    @Test("an alignment image has a cell per visible weight, darker for more, and the hard stops outlined")
    func alignment() throws {
        let image = SVGAlignmentImage(title: "u1", weights: [1, 0, 0, 0, 0.5, 0.5], states: 3,
                                      rowLabels: ["s", "<iy>"], attended: [0, 2])
        let document = try XMLDocument(xmlString: image.svg)
        let cells = try document.nodes(forXPath: "//*[local-name()='rect'][starts-with(@fill,'rgb')]")
        #expect(cells.count == 3)
        let fills = image.svg.matches(of: /fill="(rgb\([0-9,]+\))"/).map { String($0.output.1) }
        #expect(fills.first == "rgb(0,0,0)")
        #expect(fills.dropFirst().allSatisfy { $0 == "rgb(127,127,127)" })
        let outlines = try document.nodes(forXPath: "//*[local-name()='rect'][@stroke='red']")
        #expect(outlines.count == 2)
        #expect(image.svg.contains("&lt;iy&gt;"))
        #expect(try document.nodes(forXPath: "//*[local-name()='polyline']").isEmpty)
    }

    @Test("emission probabilities are a curve over the states, higher for more, with the 0.5 threshold dashed")
    func emissionCurve() throws {
        let image = SVGAlignmentImage(title: "u1", weights: [0, 1, 0], states: 3, rowLabels: ["s"], attended: [1],
                                      reference: [("s", 0, 3)], emissionProbabilities: [0.1, 0.9, 0.5])
        let document = try XMLDocument(xmlString: image.svg)
        #expect(try document.nodes(forXPath: "//*[local-name()='polyline']").count == 1)
        let curve = try #require(image.svg.firstMatch(of: /<polyline[^>]* points="([^"]*)"/)?.output.1)
        let points = curve.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(points.count == 3)
        #expect(points[0][0] < points[1][0] && points[1][0] < points[2][0])
        #expect(points[1][1] < points[2][1] && points[2][1] < points[0][1])   // SVG y grows downwards
        let dashed = try document.nodes(forXPath: "//*[local-name()='line'][@stroke-dasharray]")
        #expect(dashed.count == 1)
        let dashedLine = #/<line[^>]* y1="([^"]*)"[^>]*stroke-dasharray/#
        let threshold = try #require(image.svg.firstMatch(of: dashedLine).flatMap { Double($0.output.1) })
        #expect(abs(threshold - points[2][1]) < 1e-6)
    }
}

