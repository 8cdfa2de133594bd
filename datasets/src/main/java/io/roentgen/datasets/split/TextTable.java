package io.roentgen.datasets.split;

import java.util.List;

/** Renders rows of cells as left-aligned columns separated by two spaces. */
final class TextTable {
    private TextTable() {}

    static String render(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                text.append(cell);
                if (c < columns - 1) {
                    text.append(" ".repeat(widths[c] - cell.length() + 2));
                }
            }
            text.append('\n');
        }
        return text.toString();
    }
}
