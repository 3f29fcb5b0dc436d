/// An attention alignment as an SVG image: one row per output phone, one column per encoder state,
/// darker for more attention; the hard alignment's attended state is outlined in red, and the reference
/// phones' spans (in encoder states) are drawn in a strip above, and a family's per-state emission
/// probabilities, when it has them, as a curve between the two with the 0.5 threshold dashed.
public struct SVGAlignmentImage: Sendable {
    /// Title (utterance id and epoch).
    public var title: String
    /// Weights, row-major [outputs, states], each in [0, 1].
    public var weights: [Float]
    /// Number of encoder states (columns).
    public var states: Int
    /// Label of each row (the phone emitted).
    public var rowLabels: [String]
    /// Attended state per row, or nil.
    public var attended: [Int?]
    /// Reference phones with their first and one-past-last encoder state.
    public var reference: [(label: String, start: Int, end: Int)]
    /// Emission probability per encoder state, each in [0, 1] (empty: no curve).
    public var emissionProbabilities: [Float]
    /// Seconds of audio per encoder state (frame shift × subsampling); nil draws the axis in states.
    public var secondsPerState: Double?

    /// An image.
    public init(title: String, weights: [Float], states: Int, rowLabels: [String], attended: [Int?] = [],
                reference: [(label: String, start: Int, end: Int)] = [], emissionProbabilities: [Float] = [],
                secondsPerState: Double? = nil) {
        self.secondsPerState = secondsPerState
        self.title = title
        self.weights = weights
        self.states = states
        self.rowLabels = rowLabels
        self.attended = attended
        self.reference = reference
        self.emissionProbabilities = emissionProbabilities
    }

    /// The SVG text; cells are 6 px wide and 12 px tall, the title shrinks to fit, reference phone labels
    /// go in one of two staggered lines (left out where neither has room), and a time axis (seconds when
    /// `secondsPerState` is known, else states) runs under the grid.
    public var svg: String {
        let rows = states > 0 ? weights.count / states : 0
        let cellW = 6.0, cellH = 12.0, left = 50.0, curveH = 40.0
        let curveTop = reference.isEmpty ? 30.0 : 60.0
        let top = curveTop + (emissionProbabilities.isEmpty ? 0 : curveH + 10)
        let width = max(320, left + Double(states) * cellW + 16), height = top + Double(rows) * cellH + 44
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            font-family="sans-serif" font-size="10">
            <rect width="100%" height="100%" fill="white"/>
            \(SVG.title(title, x: 8, y: 18, width: width - 16, size: 13, anchor: "start"))

            """
        var placer = LabelPlacer(lines: 2)
        for (index, phone) in reference.enumerated() {
            let x = left + Double(phone.start) * cellW, w = Double(max(phone.end - phone.start, 1)) * cellW
            let fill = index % 2 == 0 ? "#e8f0fa" : "#d0e0f4"
            out += "<rect x=\"\(SVG.f(x))\" y=\"30\" width=\"\(SVG.f(w))\" height=\"24\" fill=\"\(fill)\"/>"
            if let line = placer.place(centre: x + w / 2, width: SVG.textWidth(phone.label, size: 10) + 2) {
                out += "<text x=\"\(SVG.f(x + w / 2))\" y=\"\(40 + 11 * line)\" text-anchor=\"middle\">\(SVG.escape(phone.label))</text>"
            }
            out += "\n"
        }
        if !emissionProbabilities.isEmpty {
            let bottom = curveTop + curveH, right = left + Double(states) * cellW
            out += "<text x=\"\(left - 4)\" y=\"\(SVG.f(curveTop + 10))\" text-anchor=\"end\">e_t</text>"
            out += "<rect x=\"\(left)\" y=\"\(SVG.f(curveTop))\" width=\"\(SVG.f(right - left))\" height=\"\(curveH)\" fill=\"none\" stroke=\"#bbb\"/>"
            out += "<line x1=\"\(left)\" y1=\"\(SVG.f(bottom - curveH / 2))\" x2=\"\(SVG.f(right))\" y2=\"\(SVG.f(bottom - curveH / 2))\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>"
            let points = emissionProbabilities.prefix(states).enumerated().map { t, e in
                "\(SVG.f(left + (Double(t) + 0.5) * cellW)),\(SVG.f(bottom - Double(max(0, min(1, e))) * curveH))"
            }
            out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#2ca02c\"/>\n"
        }
        for row in 0..<rows {
            let y = top + Double(row) * cellH
            let label = row < rowLabels.count ? rowLabels[row] : ""
            out += "<text x=\"\(left - 4)\" y=\"\(SVG.f(y + cellH - 2))\" text-anchor=\"end\">\(SVG.escape(label))</text>"
            for column in 0..<states {
                let value = max(0, min(1, weights[row * states + column]))
                guard value > 0.005 else { continue }
                let shade = Int((1 - value) * 255)
                out += "<rect x=\"\(SVG.f(left + Double(column) * cellW))\" y=\"\(SVG.f(y))\" width=\"\(cellW)\" height=\"\(cellH)\" fill=\"rgb(\(shade),\(shade),\(shade))\"/>"
            }
            if row < attended.count, let column = attended[row] {
                out += "<rect x=\"\(SVG.f(left + Double(column) * cellW))\" y=\"\(SVG.f(y))\" width=\"\(cellW)\" height=\"\(cellH)\" fill=\"none\" stroke=\"red\"/>"
            }
            out += "\n"
        }
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(Double(states) * cellW)\" height=\"\(Double(rows) * cellH)\" fill=\"none\" stroke=\"#444\"/>\n"
        out += SVG.timeAxis(left: left, y: top + Double(rows) * cellH, units: Double(states), pixelsPerUnit: cellW,
                            secondsPerUnit: secondsPerState, unitName: "encoder state")
        return out + "</svg>\n"
    }
}
