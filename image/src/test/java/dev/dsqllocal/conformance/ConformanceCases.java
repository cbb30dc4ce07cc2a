package dev.dsqllocal.conformance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Loads every {@code conformance/*.json} case file from the test classpath, in file-name order. */
final class ConformanceCases {
    private static final Set<String> EVIDENCE = Set.of("O", "D", "S", "I");

    private ConformanceCases() {}

    static Path directory() {
        try {
            return Path.of(ConformanceCases.class.getResource("/conformance").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files, each with its cases; a malformed case fails the load with the file and case named. */
    static List<CaseFile> load() {
        ObjectMapper json = new ObjectMapper();
        List<CaseFile> files = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (Stream<Path> paths = Files.list(directory())) {
            for (Path p :
                    paths.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                List<ConformanceCase> cases = json.readValue(p.toFile(), new TypeReference<List<ConformanceCase>>() {});
                for (ConformanceCase c : cases) {
                    validate(p, c);
                    if (!ids.add(c.id())) {
                        throw new IllegalStateException(p.getFileName() + ": duplicate case id " + c.id());
                    }
                }
                files.add(new CaseFile(p.getFileName().toString().replace(".json", ""), cases));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void validate(Path file, ConformanceCase c) {
        String where = file.getFileName() + " case " + c.id() + ": ";
        if (c.id() == null || c.rule() == null || c.section() == null || !EVIDENCE.contains(c.evidence())) {
            throw new IllegalStateException(where + "id, rule, section and evidence (O/D/S/I) are required");
        }
        if (c.steps().isEmpty()) {
            throw new IllegalStateException(where + "no steps");
        }
        java.util.Map<String, Boolean> modes = new java.util.HashMap<>();
        for (ConformanceCase.Step s : c.steps()) {
            Boolean earlier = modes.putIfAbsent(s.connection(), s.simple());
            if (earlier != null && earlier != s.simple()) {
                throw new IllegalStateException(where + "connection " + s.connection()
                        + " mixes simple and extended steps (its mode is fixed when it is opened): " + s);
            }
            if (s.connection().equals("setup")) {
                throw new IllegalStateException(where + "connection name 'setup' is reserved");
            }
            if (s.sql() == null || (s.tag() == null && s.tags() == null && s.rows() == null && s.error() == null)) {
                throw new IllegalStateException(where + "each step needs sql and an expected outcome: " + s);
            }
        }
    }

    record CaseFile(String name, List<ConformanceCase> cases) {}
}
