package com.plantbridge.sim.maintainx;

import java.util.List;

/** The raw table behind {@code GET /sandbox/table}; newest reading first because that is what viewers look for. */
final class ReadingsTablePage {

    private ReadingsTablePage() {
    }

    static String render(List<StoredReading> lastReadings, int total, MeterStore meters, int tooManyRequests) {
        StringBuilder html = new StringBuilder(4096 + lastReadings.size() * 200);
        html.append("<!doctype html><html><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"2\">")
                .append("<title>MaintainX sandbox</title>")
                .append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style></head><body>")
                .append("<h1>MaintainX sandbox</h1><p><a href=\"/sandbox\">charts</a> · <a href=\"/sandbox/readings\">JSON</a></p><p>")
                .append(total).append(" readings stored, ")
                .append(meters.size()).append(" meters, ")
                .append(tooManyRequests).append(" requests answered 429. Last ")
                .append(lastReadings.size()).append(" readings, newest first:</p>")
                .append("<table><tr><th>created</th><th>meter</th><th>name</th><th>value</th>")
                .append("<th>reading date</th><th>organisation</th><th>user agent</th></tr>");
        for (int i = lastReadings.size() - 1; i >= 0; i--) {
            StoredReading r = lastReadings.get(i);
            String name = meters.find(r.meterId()).map(Meter::name).orElse("");
            html.append("<tr><td>").append(Json.instant(r.createdAt()))
                    .append("</td><td>").append(r.meterId())
                    .append("</td><td>").append(escape(name))
                    .append("</td><td>").append(Json.number(r.value()))
                    .append("</td><td>").append(r.readingDate() == null ? "" : Json.instant(r.readingDate()))
                    .append("</td><td>").append(escape(r.organizationId()))
                    .append("</td><td>").append(escape(r.userAgent()))
                    .append("</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
