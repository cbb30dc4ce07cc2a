package dev.dsqllocal.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the case files as the README section "What DSQL Local enforces, rule by rule" ({@code RULES.md}) and
 * the list of cases the emulator does not pass yet ({@code KNOWN_GAPS.md}). Both are generated, never edited by
 * hand: {@link RulesDocumentTest} fails when they are out of date and rewrites them with
 * {@code -Dconformance.write=true}.
 */
final class RulesDocument {
    private RulesDocument() {}

    static String rules(List<ConformanceCases.CaseFile> files) {
        StringBuilder md = new StringBuilder();
        md.append("## What DSQL Local enforces, rule by rule\n\n")
                .append("Generated from the conformance cases in `image/src/test/resources/conformance/*.json` ")
                .append("(run end to end through the gateway by `ConformanceIT`); do not edit by hand.\n\n")
                .append("Evidence, from DSQL-BEHAVIOUR.md: **O** observed on a real cluster, **D** documented by AWS, ")
                .append("**S** SDK source, **I** inferred: a guess at DSQL's exact text, to be confirmed. ")
                .append("Enforced: **yes** the case passes; **partial** part of the rule is emulated; **no** the case ")
                .append("is pending (see KNOWN_GAPS.md).\n");
        for (ConformanceCases.CaseFile file : files) {
            md.append("\n### ")
                    .append(title(file.name()))
                    .append("\n\n")
                    .append("| Rule | DSQL answers (SQLSTATE, message) | Evidence | Enforced | Case |\n")
                    .append("|---|---|---|---|---|\n");
            for (ConformanceCase c : file.cases()) {
                md.append("| ")
                        .append(cell(c.rule()))
                        .append(c.epoch() == null ? "" : " (dialect `" + c.epoch() + "`)")
                        .append(" | ")
                        .append(answers(c))
                        .append(" | ")
                        .append(c.evidence())
                        .append(" | ")
                        .append(c.enforcement())
                        .append(" | `")
                        .append(c.id())
                        .append("` (")
                        .append(cell(c.section()))
                        .append(") |\n");
            }
        }
        return md.toString();
    }

    static String gaps(List<ConformanceCases.CaseFile> files) {
        StringBuilder md = new StringBuilder();
        md.append("# Known gaps: where DSQL Local differs from DSQL today\n\n")
                .append(
                        "Generated from the conformance cases marked `pending` (reported as skipped, with this reason, ")
                .append("by `ConformanceIT`); do not edit by hand. Each line is a case in ")
                .append("`image/src/test/resources/conformance/` that states what DSQL does; drop its `pending` once ")
                .append("the emulator passes it.\n\n");
        int n = 0;
        for (ConformanceCases.CaseFile file : files) {
            for (ConformanceCase c : file.cases()) {
                if (c.pending() != null) {
                    n++;
                    md.append("- `")
                            .append(c.id())
                            .append("` (")
                            .append(file.name())
                            .append(".json, DSQL-BEHAVIOUR.md ")
                            .append(c.section())
                            .append(", [")
                            .append(c.evidence())
                            .append("]) ")
                            .append(c.rule())
                            .append(": ")
                            .append(c.pending())
                            .append('\n');
                }
            }
        }
        if (n == 0) {
            md.append("None.\n");
        }
        return md.toString();
    }

    private static String answers(ConformanceCase c) {
        Set<String> errors = new LinkedHashSet<>();
        for (ConformanceCase.Step s : c.steps()) {
            if (s.error() != null
                    && !s.error().sqlstate().equals("25P02")
                    && !s.error().sqlstate().startsWith("23")) {
                errors.add("`" + s.error().sqlstate() + "` " + cell(s.error().message()));
            }
        }
        if (errors.isEmpty()) {
            for (ConformanceCase.Step s : c.steps()) {
                if (s.error() != null) {
                    errors.add(
                            "`" + s.error().sqlstate() + "` " + cell(s.error().message()));
                }
            }
        }
        return errors.isEmpty() ? "works (no error)" : String.join("<br>", new ArrayList<>(errors));
    }

    private static String title(String fileName) {
        String words = fileName.replaceFirst("^\\d+-", "").replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
