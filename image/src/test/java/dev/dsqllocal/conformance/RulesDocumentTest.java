package dev.dsqllocal.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RULES.md and KNOWN_GAPS.md are what the case files say. Regenerate with
 * {@code mvn -o -pl image test -Dtest=RulesDocumentTest -Dconformance.write=true}.
 */
class RulesDocumentTest {
    private static final Path SOURCE = Path.of("src/test/resources/conformance");

    @Test
    void rulesAndGapsDocumentsMatchTheCases() throws Exception {
        List<ConformanceCases.CaseFile> files = ConformanceCases.load();
        check("RULES.md", RulesDocument.rules(files));
        check("KNOWN_GAPS.md", RulesDocument.gaps(files));
    }

    private static void check(String name, String generated) throws Exception {
        Path file = SOURCE.resolve(name);
        if (Boolean.getBoolean("conformance.write")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(file))
                .as(file + " exists (generate it with -Dconformance.write=true)")
                .isTrue();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as(name + " is out of date: regenerate it with -Dconformance.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyCaseIsWellFormedAndPendingOnesSayWhy() {
        List<ConformanceCases.CaseFile> files = ConformanceCases.load();
        assertThat(files).isNotEmpty();
        files.forEach(f -> f.cases().forEach(c -> {
            assertThat(c.pending() == null || !c.pending().isBlank()).as(c.id()).isTrue();
            assertThat(c.enforcement()).as(c.id()).isIn("yes", "partial", "no");
        }));
    }
}
