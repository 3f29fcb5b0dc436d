/// A confusion matrix as an SVG heat map: rows are reference classes, columns hypothesis classes, each
/// cell shaded by √(count / largest off-diagonal count) so that rare confusions stay visible; the diagonal
/// (correct) cells are outlined, not shaded, and every cell carries its count as a tooltip.
public struct SVGHeatMap: Sendable {
    /// Title above the map.
    public var title: String
    /// Row labels (reference classes).
    public var rows: [String]
    /// Column labels (hypothesis classes).
    public var columns: [String]
    /// counts[reference][hypothesis].
    public var counts: [String: [String: Int]]
    /// Side of a cell in pixels.
    public var cell = 11.0

    /// A heat map.
    public init(title: String, rows: [String], columns: [String], counts: [String: [String: Int]]) {
        self.title = title
        self.rows = rows
        self.columns = columns
        self.counts = counts
    }

    /// The SVG text.
    public var svg: String {
        let left = 48.0, top = 70.0
        let width = left + cell * Double(columns.count) + 20, height = top + cell * Double(rows.count) + 36
        var largest = 1
        for row in rows { for column in columns where column != row { largest = max(largest, counts[row]?[column] ?? 0) } }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="9">
            <rect width="100%" height="100%" fill="white"/>
            \(SVG.title(title, x: 8, y: 16, width: width - 16, size: 12, anchor: "start"))

            """
        for (j, column) in columns.enumerated() {
            let x = left + cell * (Double(j) + 0.5)
            out += "<text transform=\"translate(\(SVG.f(x + 3)) \(SVG.f(top - 4))) rotate(-90)\">\(SVG.escape(column))</text>"
        }
        out += "\n"
        for (i, row) in rows.enumerated() {
            let y = top + cell * Double(i)
            out += "<text x=\"\(left - 4)\" y=\"\(SVG.f(y + cell - 2))\" text-anchor=\"end\">\(SVG.escape(row))</text>"
            for (j, column) in columns.enumerated() {
                let count = counts[row]?[column] ?? 0
                let x = left + cell * Double(j)
                if row == column {
                    out += "<rect x=\"\(SVG.f(x))\" y=\"\(SVG.f(y))\" width=\"\(cell)\" height=\"\(cell)\" fill=\"none\" stroke=\"#bbb\"><title>\(SVG.escape(row)) correct: \(count)</title></rect>"
                } else if count > 0 {
                    let level = (Double(count) / Double(largest)).squareRoot()
                    let shade = Int((1 - level) * 235)
                    out += "<rect class=\"cell\" x=\"\(SVG.f(x))\" y=\"\(SVG.f(y))\" width=\"\(cell)\" height=\"\(cell)\" fill=\"rgb(255,\(shade),\(shade))\"><title>\(SVG.escape(row)) → \(SVG.escape(column)): \(count)</title></rect>"
                }
            }
            out += "\n"
        }
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(SVG.f(cell * Double(columns.count)))\" height=\"\(SVG.f(cell * Double(rows.count)))\" fill=\"none\" stroke=\"#444\"/>\n"
        out += "<text x=\"\(left)\" y=\"\(SVG.f(height - 14))\" font-size=\"11\">rows: reference class; columns: hypothesis class; darkest = \(largest)</text>\n"
        return out + "</svg>\n"
    }
}
