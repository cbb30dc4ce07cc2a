package dev.dsqllocal.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first test is the file this build compiles and runs (in a package of its own, so its imports are
 * complete), and the one the outside-user sample project runs: they cannot drift apart.
 */
class ReadmeSnippetTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmesFirstTestIsTheCompiledOneAsPasted() throws IOException {
        String snippet = firstTestInReadme();

        assertThat(withoutPackage(ROOT.resolve("module/src/test/java/dev/dsqllocal/readme/ReadmeFirstTest.java")))
                .isEqualTo(snippet);
        assertThat(withoutPackage(ROOT.resolve("samples/outside-user/src/test/java/com/example/ReadmeFirstTest.java")))
                .isEqualTo(snippet);
        assertThat(snippet).contains("import dev.dsqllocal.testcontainers.DsqlContainer;");
    }

    private static String firstTestInReadme() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (block.find()) {
            if (block.group(1).contains("class ReadmeFirstTest")) {
                return block.group(1);
            }
        }
        throw new AssertionError("README.md has no ```java block with class ReadmeFirstTest");
    }

    private static String withoutPackage(Path file) throws IOException {
        String source = Files.readString(file);
        assertThat(source).as(file + " starts with its package").startsWith("package ");
        return source.substring(source.indexOf(";\n\n") + 3);
    }
}
