package io.opsmcp.toolkit;

import java.util.List;

/** Renders rows as a plain-text table: left-aligned columns two spaces apart, no trailing blanks. */
public final class TextTable {

    private TextTable() {}

    /**
     * @param headers the column titles
     * @param rows    cells per row, as many as headers; {@code null} cells print as {@code -}
     * @return the table, one line per row after the header line, each ending with {@code \n}
     * @throws IllegalArgumentException when a row has the wrong number of cells
     */
    public static String render(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            if (row.size() != widths.length) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, table has " + widths.length);
            }
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths);
        rows.forEach(row -> line(sb, row, widths));
        return sb.toString();
    }

    private static String cell(List<String> row, int i) {
        String c = row.get(i);
        return c == null ? "-" : c;
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        int start = sb.length();
        for (int i = 0; i < cells.size(); i++) {
            String c = cell(cells, i);
            sb.append(c);
            if (i < cells.size() - 1) {
                for (int pad = widths[i] - c.length() + 2; pad > 0; pad--) {
                    sb.append(' '); // no padding string per cell
                }
            }
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
