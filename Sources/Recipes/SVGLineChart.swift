import Foundation

/// A line chart as a standalone SVG document (training curves: loss and dev PER against epochs).
public struct SVGLineChart: Sendable {
    /// One named line: points (x, y) in data units.
    public struct Series: Sendable {
        /// Legend text.
        public var name: String
        /// Points in order of x.
        public var points: [(x: Double, y: Double)]
        /// Stroke colour (any SVG colour).
        public var color: String

        /// A series.
        public init(name: String, points: [(x: Double, y: Double)], color: String) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    /// Title above the plot.
    public var title: String
    /// Label of the x axis.
    public var xLabel: String
    /// Label of the y axis.
    public var yLabel: String
    /// The lines.
    public var series: [Series]
    /// Width and height in pixels.
    public var width = 640.0, height = 400.0

    /// A chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// The SVG text. Axes run over round ticks (1, 2 or 5 × 10^k) covering the data (y from 0 when all
    /// values are positive, x in whole steps when every x is whole); the title is shrunk to fit the width,
    /// and the legend sits in a white box in the corner of the plot that hides the least of the lines.
    public var svg: String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let left = 72.0, right = 20.0, top = 44.0, bottom = 52.0
        let plotW = width - left - right, plotH = height - top - bottom
        let wholeX = all.allSatisfy { $0.x == $0.x.rounded() }
        let xTicks = AxisTicks(minimum: all.map(\.x).min() ?? 0, maximum: all.map(\.x).max() ?? 1, target: 8, integers: wholeX)
        let yTicks = AxisTicks(minimum: min(0, all.map(\.y).min() ?? 0), maximum: all.map(\.y).max() ?? 1, target: 5)
        let xMin = xTicks.lower, xMax = xTicks.upper, yMin = yTicks.lower, yMax = yTicks.upper
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yMin) / (yMax - yMin) * plotH }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            \(SVG.title(title, x: width / 2, y: 24, width: width - 20, size: 15))
            <rect x="\(left)" y="\(top)" width="\(plotW)" height="\(plotH)" fill="none" stroke="#444"/>

            """
        for xValue in xTicks.values {
            out += "<line x1=\"\(SVG.f(px(xValue)))\" y1=\"\(top)\" x2=\"\(SVG.f(px(xValue)))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(SVG.f(px(xValue)))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(xTicks.label(xValue))</text>\n"
        }
        for yValue in yTicks.values {
            out += "<line x1=\"\(left)\" y1=\"\(SVG.f(py(yValue)))\" x2=\"\(left + plotW)\" y2=\"\(SVG.f(py(yValue)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(SVG.f(py(yValue) + 4))\" text-anchor=\"end\">\(yTicks.label(yValue))</text>\n"
        }
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>\n"
        for line in series {
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            let path = points.map { "\(SVG.f(px($0.x))),\(SVG.f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for point in points {
                out += "<circle cx=\"\(SVG.f(px(point.x)))\" cy=\"\(SVG.f(py(point.y)))\" r=\"3\" fill=\"\(line.color)\"/>"
            }
            out += "\n"
        }
        // The legend goes in the corner of the plot that covers the fewest points.
        let legendW = min(plotW - 8, 34 + 6.8 * Double(series.map(\.name.count).max() ?? 0))
        let legendH = Double(series.count) * 16 + 6
        let corners = [(left + plotW - legendW - 6, top + 6), (left + plotW - legendW - 6, top + plotH - legendH - 6),
                       (left + 6, top + 6), (left + 6, top + plotH - legendH - 6)]
        var traced: [(Double, Double)] = []   // the lines in pixels, 16 samples per segment
        for line in series {
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (px($0.x), py($0.y)) }
            traced += points
            for (a, b) in zip(points, points.dropFirst()) {
                traced += (1..<16).map { k in (a.0 + (b.0 - a.0) * Double(k) / 16, a.1 + (b.1 - a.1) * Double(k) / 16) }
            }
        }
        let covered = corners.map { corner in
            traced.filter { x, y in
                x >= corner.0 - 4 && x <= corner.0 + legendW + 4 && y >= corner.1 - 4 && y <= corner.1 + legendH + 4
            }.count
        }
        let (legendX, legendTop) = corners[covered.firstIndex(of: covered.min() ?? 0) ?? 0]
        if !series.isEmpty {
            out += "<rect x=\"\(SVG.f(legendX))\" y=\"\(SVG.f(legendTop))\" width=\"\(SVG.f(legendW))\" height=\"\(legendH)\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
        }
        for (index, line) in series.enumerated() {
            let legendY = legendTop + 14 + Double(index) * 16
            out += "<line x1=\"\(SVG.f(legendX + 6))\" y1=\"\(legendY - 4)\" x2=\"\(SVG.f(legendX + 26))\" y2=\"\(legendY - 4)\" stroke=\"\(line.color)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(SVG.f(legendX + 32))\" y=\"\(legendY)\">\(SVG.escape(line.name))</text>\n"
        }
        return out + "</svg>\n"
    }
}

/// Small helpers shared by the SVG writers.
enum SVG {
    /// Escapes XML's special characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A coordinate with one decimal.
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A title at (x, y), its font shrunk (down to 9 px) so that its estimated width (0.56 em per
    /// character) fits `width`; a title too long even at 9 px is cut and ends in "…".
    static func title(_ text: String, x: Double, y: Double, width: Double, size: Double, anchor: String = "middle") -> String {
        let fitted = max(9, min(size, width / (0.56 * Double(max(text.count, 1)))))
        let room = max(1, Int(width / (0.56 * fitted)))
        let shown = text.count <= room ? text : String(text.prefix(room - 1)) + "…"
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(f(fitted))\">\(escape(shown))</text>"
    }

    /// The estimated width in pixels of `text` at font size `size` (0.6 em per character).
    static func textWidth(_ text: String, size: Double) -> Double { 0.6 * size * Double(text.count) }

    /// A horizontal axis under a grid starting at `left`, `units` long (`pixelsPerUnit` each): ticks in
    /// seconds with the label "time (s)" when `secondsPerUnit` is given, else in units named `unitName`.
    static func timeAxis(left: Double, y: Double, units: Double, pixelsPerUnit: Double, secondsPerUnit: Double?,
                         unitName: String) -> String {
        let scale = secondsPerUnit ?? 1
        let target = max(2, Int(units * pixelsPerUnit / 70))
        let ticks = AxisTicks(minimum: 0, maximum: units * scale, target: target)
        var out = "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + units * pixelsPerUnit))\" y2=\"\(f(y))\" stroke=\"#444\"/>"
        for value in ticks.values where value <= units * scale + 1e-9 {
            let x = left + value / scale * pixelsPerUnit
            out += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y + 4))\" stroke=\"#444\"/>"
            out += "<text x=\"\(f(x))\" y=\"\(f(y + 15))\" text-anchor=\"middle\">\(ticks.label(value))</text>"
        }
        let name = secondsPerUnit == nil ? "\(unitName) →" : "time (s)"
        return out + "<text x=\"\(f(left + units * pixelsPerUnit / 2))\" y=\"\(f(y + 29))\" text-anchor=\"middle\">\(escape(name))</text>\n"
    }
}

/// Places text labels on a few staggered lines so that none overlaps the one before it on its line.
struct LabelPlacer {
    /// Right edge of the last label on each line.
    private var ends: [Double]

    /// A placer with `lines` lines.
    init(lines: Int) { ends = Array(repeating: -.infinity, count: max(1, lines)) }

    /// The first line where a label of `width` centred at `centre` fits (and reserves it), or nil.
    mutating func place(centre: Double, width: Double) -> Int? {
        for line in ends.indices where centre - width / 2 >= ends[line] {
            ends[line] = centre + width / 2
            return line
        }
        return nil
    }
}
