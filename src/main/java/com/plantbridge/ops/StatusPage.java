package com.plantbridge.ops;

import java.util.List;
import java.util.Map;

/**
 * GET / on the admin port: the node's status for people, read-only, refreshing itself every
 * {@value #REFRESH_SECONDS} s, like the status pages of an Ignition gateway. It is drawn from the
 * same map as GET /api/status ({@link StatusReport}), so the two never disagree and no token can
 * reach it; every value is HTML-escaped.
 */
public final class StatusPage {

    public static final int REFRESH_SECONDS = 5;
    /** Quarantined readings whose reasons are shown per connector; the JSON API has more. */
    private static final int REASONS_SHOWN = 3;

    private final StringBuilder html = new StringBuilder(8_192);

    private StatusPage() {
    }

    public static String render(Map<String, Object> status) {
        return new StatusPage().page(status);
    }

    private String page(Map<String, Object> status) {
        Map<String, Object> redundancy = map(status.get("redundancy"));
        Map<String, Object> opcua = map(status.get("opcua"));
        Map<String, Object> settings = map(status.get("settings"));
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>").append(esc("Bridge " + status.get("node"))).append("</title>")
                .append("<style>body{font-family:system-ui,sans-serif;margin:1.2em;color:#222}h1{font-size:1.4em;margin:0 0 .2em}"
                        + "h2{font-size:1.1em;margin:1.2em 0 .4em;border-bottom:1px solid #ccc}table{border-collapse:collapse}"
                        + "td,th{padding:.25em .7em;border:1px solid #ddd;text-align:left;vertical-align:top;font-size:.92em}"
                        + "th{background:#f3f3f3}.ok{color:#1a7f37;font-weight:600}.warn{color:#b35900;font-weight:600}"
                        + ".bad{color:#c62828;font-weight:600}.muted{color:#777}.kv th{width:14em}</style></head><body>\n");
        html.append("<h1>Ignition &rarr; MaintainX bridge: node ").append(esc(status.get("node"))).append("</h1>")
                .append("<div class=\"muted\">version ").append(esc(status.get("version"))).append(" &middot; refreshes every ")
                .append(REFRESH_SECONDS).append(" s &middot; <a href=\"/api/status\">JSON</a></div>\n");

        html.append("<h2>This node</h2><table class=\"kv\">");
        boolean leader = Boolean.TRUE.equals(redundancy.get("leader"));
        row("Gateway role", text(redundancy.get("role")));
        row("Activity level", cls("Active".equals(redundancy.get("activityLevel")) ? "ok" : "muted", redundancy.get("activityLevel")));
        row("Leadership", cls(leader ? "ok" : "muted", leader ? "LEADER (sends readings)" : "standby") + " since " + esc(redundancy.get("since")));
        row("Reason", text(redundancy.get("reason")));
        row("Module", Boolean.TRUE.equals(status.get("enabled")) ? cls("ok", "enabled") : cls("warn", "disabled on this node"));
        row("Redundancy source", text(redundancy.get("source")) + " " + text(redundancy.get("location"))
                + (redundancy.get("readProblem") == null ? "" : " " + cls("bad", "cannot be read since " + redundancy.get("readFailingSince")
                + ": " + redundancy.get("readProblem"))));
        boolean session = Boolean.TRUE.equals(opcua.get("sessionActive"));
        row("OPC UA session", (session ? cls("ok", "up") : cls("bad", "down since " + opcua.get("sessionDownSince") + ": " + opcua.get("problem")))
                + " " + text(opcua.get("endpoint")) + " (" + text(opcua.get("security")) + ")");
        if (redundancy.get("sessionNote") != null) {
            row("Note", cls("warn", redundancy.get("sessionNote")));
        }
        html.append("</table>\n");

        html.append("<h2>Peer node and settings</h2><table class=\"kv\">");
        Object peerValue = redundancy.get("peer");
        if (peerValue == null) {
            row("Peer", text("none (single node: bridge.peer.url is empty)"));
        } else {
            Map<String, Object> peer = map(peerValue);
            if (peer.get("problem") != null || peer.get("node") == null) {
                row("Peer", cls("bad", "not reachable: " + peer.get("problem")));
            } else {
                row("Peer", text(peer.get("node")) + ": " + text(peer.get("role")) + " " + text(peer.get("activityLevel")) + ", "
                        + (Boolean.TRUE.equals(peer.get("leader")) ? "leader" : "standby") + ", "
                        + (Boolean.TRUE.equals(peer.get("enabled")) ? "enabled" : "disabled") + " (seen " + esc(peer.get("fetchedAt")) + ")");
            }
            Map<String, Object> link = map(redundancy.get("peerLink"));
            if (link.get("error") != null) {
                row("Peer link", cls("bad", link.get("error")));
            }
        }
        if (settings.containsKey("version")) {
            row("Settings version", text(settings.get("version")) + (Boolean.TRUE.equals(settings.get("mastersNode"))
                    ? " (edited here); the Backup's node confirmed version " + esc(settings.get("confirmedVersion"))
                    + (settings.get("confirmedAt") == null ? "" : " at " + esc(settings.get("confirmedAt")))
                    : " (mirrored from the Master's node)"));
            row("Redundancy error", settings.get("redundancyError") == null ? cls("ok", "none") : cls("bad", settings.get("redundancyError")));
        }
        row("Settings file", text(settings.get("file")) + " (loaded " + esc(settings.get("loadedAt")) + ")");
        html.append("</table>\n");

        security(map(status.get("security")));

        html.append("<h2>Connectors</h2><table><tr><th>Connector</th><th>State</th><th>Tags subscribed / refused</th>"
                + "<th>Backlog (oldest)</th><th>Last delivery</th><th>Delivered</th><th>Requests / 429 (last window)</th>"
                + "<th>Quarantined</th><th>Last errors</th></tr>");
        for (Object value : list(status.get("connectors"))) {
            connector(map(value));
        }
        html.append("</table>\n");
        Map<String, Object> outbox = map(status.get("outbox"));
        html.append("<p class=\"muted\">Outbox: ").append(esc(outbox.get("held"))).append(" readings held of at most ")
                .append(esc(outbox.get("maxReadings"))).append(".</p></body></html>\n");
        return html.toString();
    }

    /** How each port is served, and what would cross the network in clear. */
    private void security(Map<String, Object> security) {
        html.append("<h2>Security</h2><table class=\"kv\">");
        for (String[] port : new String[][] {{"adminApi", "Admin API (this page, peer link)"}, {"managementPort", "Management port"}, {"peerLink", "Peer link"}}) {
            Map<String, Object> p = map(security.get(port[0]));
            if (!p.isEmpty()) {
                boolean tls = "HTTPS".equals(p.get("transport"));
                row(port[1], cls(tls ? "ok" : "warn", p.get("note") == null ? p.get("transport") : p.get("note"))
                        + (p.get("verification") == null ? "" : ", peer certificate checked by " + text(p.get("verification"))));
            }
        }
        for (Object warning : list(security.get("warnings"))) {
            row("Warning", cls("bad", warning));
        }
        html.append("</table>\n");
    }

    private void connector(Map<String, Object> c) {
        String state = String.valueOf(c.get("state"));
        boolean enabled = Boolean.TRUE.equals(c.get("enabled"));
        html.append("<tr><td>").append(esc(c.get("name"))).append("</td><td>")
                .append(enabled ? cls("OK".equals(state) ? "ok" : "bad", state) : cls("muted", "disabled"));
        if (c.get("activity") != null) {
            html.append("<br><span class=\"muted\">").append(esc(c.get("activity"))).append("</span>");
        }
        if (c.get("stalledSince") != null) {
            html.append("<br>").append(cls("bad", "no progress since " + c.get("stalledSince")));
        }
        long refused = number(c.get("tagsRefused"));
        html.append("</td><td>").append(esc(c.get("tagsSubscribed"))).append(" of ").append(esc(c.get("tags"))).append(" / ")
                .append(refused > 0 ? "<a href=\"/api/status/tags?connector=" + esc(c.get("name")) + "&amp;list=refused\">" + cls("bad", refused) + "</a>" : "0");
        long backlog = number(c.get("pending")) + number(c.get("inFlight"));
        html.append("</td><td>").append(backlog).append(c.get("oldestPendingAgeSeconds") == null ? ""
                        : " (" + esc(c.get("oldestPendingAgeSeconds")) + " s)")
                .append("</td><td>").append(c.get("lastDeliveryAt") == null ? cls("muted", "none yet") : esc(c.get("lastDeliveryAt")))
                .append("</td><td>").append(esc(c.get("delivered")));
        html.append("</td><td>").append(esc(c.getOrDefault("requestsLastWindow", c.get("requests")))).append(" / ");
        long tooMany = number(c.getOrDefault("tooManyRequestsLastWindow", c.get("tooManyRequests")));
        html.append(tooMany > 0 ? cls("warn", tooMany) : "0");
        if (c.containsKey("windowSeconds")) {
            html.append(" <span class=\"muted\">(").append(esc(c.get("windowSeconds"))).append(" s)</span>");
        }
        long quarantined = number(c.get("quarantined"));
        html.append("</td><td>").append(quarantined > 0 ? cls("warn", quarantined) : "0").append("</td><td>");
        if (c.get("lastError") != null) {
            html.append(cls("bad", c.get("lastError"))).append("<br>");
        }
        List<Object> reasons = list(c.get("quarantine"));
        for (int i = 0; i < Math.min(REASONS_SHOWN, reasons.size()); i++) {
            Map<String, Object> q = map(reasons.get(i));
            html.append(esc(q.get("tag"))).append(" (meter ").append(esc(q.get("meterId"))).append("): ").append(esc(q.get("reason"))).append("<br>");
        }
        html.append("</td></tr>");
    }

    private void row(String label, String valueHtml) {
        html.append("<tr><th>").append(esc(label)).append("</th><td>").append(valueHtml).append("</td></tr>");
    }

    private static String text(Object value) {
        return value == null ? "<span class=\"muted\">-</span>" : esc(value);
    }

    private static String cls(String css, Object value) {
        return "<span class=\"" + css + "\">" + esc(value) + "</span>";
    }

    /** HTML-escapes any value: tag paths, error texts and names come from outside the node. */
    static String esc(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
