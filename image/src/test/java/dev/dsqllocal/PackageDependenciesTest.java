package dev.dsqllocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's packages depend on each other one way: no cycles, the domain ({@code clusters}) free of other
 * packages and of HTTP/JSON libraries, and wiring only in {@code server}. Dependencies are read from the sources:
 * every {@code dev.dsqllocal.<package>.} outside comments and string literals (imports and fully qualified names).
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/dsqllocal");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.dsqllocal\\.([a-z0-9_]+)\\.");
    private static final Pattern LIBRARY =
            Pattern.compile("\\b(com\\.fasterxml\\.jackson|io\\.netty|java\\.net\\.http)\\.");
    /** Comments, then string and character literals (text blocks included), which name no dependency. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'",
            Pattern.DOTALL);

    @Test
    void packagesFormNoCycle() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph).as("packages found under " + SOURCES).containsKeys("clusters", "server", "gateway");
        assertThat(cycle(graph))
                .as("a cycle among the packages; the graph is:\n" + describe(graph))
                .isEmpty();
    }

    @Test
    void theDomainDependsOnNoOtherPackageAndNoHttpOrJson() {
        Map<String, Set<String>> graph = graph();
        assertThat(graph.get("clusters")).as("clusters -> ...").isEmpty();
        assertThat(libraries("clusters")).as("libraries the domain uses").isEmpty();
    }

    @Test
    void onlyServerWiresAndEachLayerKeepsToItsNeighbours() {
        Map<String, Set<String>> graph = graph();
        graph.forEach((from, to) ->
                assertThat(to).as(from + " -> server (only server wires)").doesNotContain("server"));
        assertThat(graph.get("storage")).as("storage -> ...").containsOnly("clusters");
        assertThat(graph.get("gateway"))
                .as("the SQL endpoint knows nothing of the control plane or its storage")
                .doesNotContain("controlplane", "storage");
        assertThat(graph.get("faults")).as("faults -> ...").doesNotContain("controlplane", "gateway");
        assertThat(graph.get("controlplane"))
                .as("controlplane -> ...")
                .doesNotContain("gateway", "postgres", "dialect", "concurrency");
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> graph =
                new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        assertThat(cycle(graph)).containsExactly("a", "b", "c", "a");
        assertThat(cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of(), "c", Set.of("a", "b")))))
                .isEmpty();
    }

    /** Package → the other packages its code names. */
    static Map<String, Set<String>> graph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> to = new TreeSet<>();
                Matcher m = REFERENCE.matcher(code(dir));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
                graph.put(pkg, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static Set<String> libraries(String pkg) {
        Set<String> found = new TreeSet<>();
        Matcher m = LIBRARY.matcher(code(SOURCES.resolve(pkg)));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The package's Java code (every file, top level only: sub-packages are packages of their own). */
    private static String code(Path dir) {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                all.append(NOT_CODE.matcher(Files.readString(f, StandardCharsets.UTF_8))
                                .replaceAll(" "))
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** One cycle as a path that returns to its start, or empty when the graph is acyclic (depth-first search). */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(
            String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 2) {
            return false;
        }
        if (s == 1) {
            path.subList(0, path.indexOf(node)).clear();
            path.add(node);
            return true;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return false;
    }

    static String describe(Map<String, Set<String>> graph) {
        StringBuilder out = new StringBuilder();
        graph.forEach((from, to) -> out.append("  ")
                .append(from)
                .append(" -> ")
                .append(String.join(", ", to))
                .append('\n'));
        return out.toString();
    }
}
