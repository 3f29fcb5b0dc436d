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

    /// The SVG text. Axes span the data's range (y from 0 when all values are positive), with 5 ticks each.
    public var svg: String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        var xMin = all.map(\.x).min() ?? 0, xMax = all.map(\.x).max() ?? 1
        var yMin = min(0, all.map(\.y).min() ?? 0), yMax = all.map(\.y).max() ?? 1
        if xMax <= xMin { xMin -= 0.5; xMax += 0.5 }
        if yMax <= yMin { yMax = yMin + 1 }
        yMax += (yMax - yMin) * 0.05
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - yMin) / (yMax - yMin) * plotH }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(SVG.escape(title))</text>
            <rect x="\(left)" y="\(top)" width="\(plotW)" height="\(plotH)" fill="none" stroke="#444"/>

            """
        for k in 0...4 {
            let fraction = Double(k) / 4
            let xValue = xMin + fraction * (xMax - xMin), yValue = yMin + fraction * (yMax - yMin)
            out += "<line x1=\"\(SVG.f(px(xValue)))\" y1=\"\(top)\" x2=\"\(SVG.f(px(xValue)))\" y2=\"\(top + plotH)\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(SVG.f(px(xValue)))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(SVG.tick(xValue))</text>\n"
            out += "<line x1=\"\(left)\" y1=\"\(SVG.f(py(yValue)))\" x2=\"\(left + plotW)\" y2=\"\(SVG.f(py(yValue)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(SVG.f(py(yValue) + 4))\" text-anchor=\"end\">\(SVG.tick(yValue))</text>\n"
        }
        out += "<text x=\"\(left + plotW / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>\n"
        for (index, line) in series.enumerated() {
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            let path = points.map { "\(SVG.f(px($0.x))),\(SVG.f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for point in points {
                out += "<circle cx=\"\(SVG.f(px(point.x)))\" cy=\"\(SVG.f(py(point.y)))\" r=\"3\" fill=\"\(line.color)\"/>"
            }
            let legendY = top + 16 + Double(index) * 16
            out += "\n<line x1=\"\(left + plotW - 150)\" y1=\"\(legendY - 4)\" x2=\"\(left + plotW - 130)\" y2=\"\(legendY - 4)\" stroke=\"\(line.color)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(left + plotW - 124)\" y=\"\(legendY)\">\(SVG.escape(line.name))</text>\n"
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

    /// A tick label with up to three significant decimals.
    static func tick(_ value: Double) -> String {
        abs(value) >= 100 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.3g", value)
    }
}
