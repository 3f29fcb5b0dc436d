/// Where each system put its phones in time, under the reference phones: a strip of reference segments
/// (boundaries drawn through every row), then one row per system with a tick and label at each emitted
/// phone's time, coloured by its alignment to the reference, over a time axis in seconds.
public struct SVGTimeAlignment: Sendable {
    /// One system's emitted phones at their times, with each phone's scoring mark.
    public struct Row: Sendable {
        /// The system's name.
        public var name: String
        /// Emitted phones and their times in seconds, in order (nil: no time, not drawn).
        public var phones: [(label: String, seconds: Double?)]
        /// Per phone: true when it was scored correct, false when an error, nil when unknown.
        public var correct: [Bool?]

        /// A row.
        public init(name: String, phones: [(label: String, seconds: Double?)], correct: [Bool?]) {
            self.name = name
            self.phones = phones
            self.correct = correct
        }
    }

    /// Title above the picture.
    public var title: String
    /// Length of the utterance in seconds.
    public var duration: Double
    /// Reference phones with start and end in seconds.
    public var reference: [(label: String, start: Double, end: Double)]
    /// The systems.
    public var rows: [Row]
    /// Pixels per second.
    public var pixelsPerSecond = 320.0

    /// A picture.
    public init(title: String, duration: Double, reference: [(label: String, start: Double, end: Double)], rows: [Row]) {
        self.title = title
        self.duration = duration
        self.reference = reference
        self.rows = rows
    }

    /// The SVG text: 34 px for the reference strip and each row, 140 px of row names on the left.
    public var svg: String {
        let left = 140.0, rowH = 34.0, top = 30.0
        let length = max(duration, reference.map(\.end).max() ?? 0, rows.flatMap { $0.phones.compactMap(\.seconds) }.max() ?? 0, 0.1)
        let plotW = length * pixelsPerSecond
        let width = left + plotW + 20, bottom = top + rowH * Double(rows.count + 1)
        let height = bottom + 40
        func x(_ seconds: Double) -> Double { left + seconds * pixelsPerSecond }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            \(SVG.title(title, x: 8, y: 18, width: width - 16, size: 13, anchor: "start"))
            <text x="\(left - 6)" y="\(SVG.f(top + rowH / 2 + 4))" text-anchor="end" font-weight="bold">reference</text>

            """
        var placer = LabelPlacer(lines: 2)
        for (index, phone) in reference.enumerated() {
            let x0 = x(phone.start), w = max(1, x(phone.end) - x0)
            out += "<rect x=\"\(SVG.f(x0))\" y=\"\(top)\" width=\"\(SVG.f(w))\" height=\"\(rowH - 4)\" fill=\"\(index % 2 == 0 ? "#e8f0fa" : "#d0e0f4")\"/>"
            out += "<line x1=\"\(SVG.f(x0))\" y1=\"\(top)\" x2=\"\(SVG.f(x0))\" y2=\"\(SVG.f(bottom))\" stroke=\"#9ab\" stroke-width=\"0.6\"/>"
            if let line = placer.place(centre: x0 + w / 2, width: SVG.textWidth(phone.label, size: 11) + 2) {
                out += "<text x=\"\(SVG.f(x0 + w / 2))\" y=\"\(SVG.f(top + 12 + 12 * Double(line)))\" text-anchor=\"middle\">\(SVG.escape(phone.label))</text>"
            }
            out += "\n"
        }
        for (index, row) in rows.enumerated() {
            let y = top + rowH * Double(index + 1)
            out += "<text x=\"\(left - 6)\" y=\"\(SVG.f(y + rowH / 2 + 4))\" text-anchor=\"end\">\(SVG.escape(row.name))</text>"
            out += "<line x1=\"\(left)\" y1=\"\(SVG.f(y + rowH - 2))\" x2=\"\(SVG.f(left + plotW))\" y2=\"\(SVG.f(y + rowH - 2))\" stroke=\"#eee\"/>\n"
            var rowPlacer = LabelPlacer(lines: 2)
            for (position, phone) in row.phones.enumerated() {
                guard let seconds = phone.seconds else { continue }
                let mark = position < row.correct.count ? row.correct[position] : nil
                let color = mark == nil ? "#555" : (mark! ? "#2a7a2a" : "#c62828")
                out += "<line class=\"emit\" x1=\"\(SVG.f(x(seconds)))\" y1=\"\(SVG.f(y))\" x2=\"\(SVG.f(x(seconds)))\" y2=\"\(SVG.f(y + 8))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
                if let line = rowPlacer.place(centre: x(seconds), width: SVG.textWidth(phone.label, size: 11) + 2) {
                    out += "<text x=\"\(SVG.f(x(seconds)))\" y=\"\(SVG.f(y + 19 + 11 * Double(line)))\" text-anchor=\"middle\" fill=\"\(color)\">\(SVG.escape(phone.label))</text>"
                }
            }
            out += "\n"
        }
        out += SVG.timeAxis(left: left, y: bottom, units: length, pixelsPerUnit: pixelsPerSecond, secondsPerUnit: 1, unitName: "s")
        return out + "</svg>\n"
    }
}
