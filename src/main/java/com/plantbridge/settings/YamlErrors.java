package com.plantbridge.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error as line, column and problem, without the text of the line: SnakeYAML's own
 * message quotes the offending line, and when that is a {@code token:} line it printed the token in
 * the log and in the API's answer. Jackson's JSON errors (peer documents) are told the same way.
 */
public final class YamlErrors {

    private YamlErrors() {
    }

    /** " at line L, column C: problem" (or just ": problem" when there is no position). */
    public static String describe(Throwable error) {
        MarkedYAMLException marked = find(error);
        if (marked != null && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + safeProblem(marked.getProblem());
        }
        if (error instanceof JacksonException jackson && jackson.getLocation() != null && jackson.getLocation() != JsonLocation.NA) {
            return " at line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr()
                    + ": " + safeProblem(jackson.getOriginalMessage());
        }
        return ": " + safeProblem(error.getMessage());
    }

    /**
     * The problem in SnakeYAML's words, cut before anything it quotes or names from the document
     * (quoted scalars, "but found x", alias names), which may be part of a secret.
     */
    static String safeProblem(String problem) {
        if (problem == null || problem.isBlank()) {
            return "syntax error";
        }
        String p = problem.strip();
        int newline = p.indexOf('\n');
        if (newline >= 0) {
            p = p.substring(0, newline);
        }
        if (p.contains("exceeds the limit")) {
            return p;   // SnakeYAML's code point limit: names the limit, no document text
        }
        if (p.contains("alias") || p.contains("anchor")) {
            return "a value starting with * or & is read as an alias or anchor; put the value in quotes";
        }
        for (String cut : new String[] {"'", "\"", "`", "(", " but found", " found character", ": "}) {
            int at = p.indexOf(cut);
            if (at > 0) {
                p = p.substring(0, at);
            }
        }
        int character = p.indexOf("character ");
        if (character >= 0) {
            p = p.substring(0, character + "character".length());   // "found unknown escape character q": q is the document's
        }
        p = p.strip();
        while (p.endsWith(",") || p.endsWith(":")) {
            p = p.substring(0, p.length() - 1).strip();
        }
        return p.isEmpty() ? "syntax error" : p;
    }

    private static MarkedYAMLException find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }
}
