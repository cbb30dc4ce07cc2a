package dev.dsqllocal.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so it hands users none of the build's own dependency management), and the sample projects
 * outside the build name DSQL Local's version themselves: these copies must follow the build's.
 */
class PublishedVersionsTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theBomAndTheOutsideProjectsFollowTheBuildsVersions() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("module/bom/pom.xml"));
        String version = first(parent, "<version>([^<]+)</version>");

        assertThat(first(bom, "<artifactId>dsql-local-bom</artifactId>\\s*<version>([^<]+)</version>"))
                .isEqualTo(version);
        assertThat(first(bom, "<testcontainers.version>([^<]+)</testcontainers.version>"))
                .isEqualTo(first(parent, "<testcontainers.version>([^<]+)</testcontainers.version>"));
        for (String sample : new String[] {"samples/outside-user/pom.xml", "samples/spring-boot3-user/pom.xml"}) {
            assertThat(first(
                            Files.readString(ROOT.resolve(sample)), "<dsql-local.version>([^<]+)</dsql-local.version>"))
                    .as(sample)
                    .isEqualTo(version);
        }
        assertThat(Files.readString(ROOT.resolve("README.md")))
                .contains("<artifactId>dsql-local-bom</artifactId>\n      <version>" + version + "</version>")
                .contains("dev.dsqllocal:dsql-local-bom:" + version);
    }

    private static String first(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s found", regex).isTrue();
        return matcher.group(1);
    }
}
