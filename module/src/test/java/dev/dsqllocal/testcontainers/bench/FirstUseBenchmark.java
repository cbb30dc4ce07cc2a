package dev.dsqllocal.testcontainers.bench;

import dev.dsqllocal.testcontainers.DsqlContainer;
import dev.dsqllocal.testcontainers.FirstUse;

/**
 * First use on a machine without the image: the build on demand from the classpath context (no layer cache, base
 * images present) up to the first authenticated query. Not a test: {@code mvn -q -o -pl module test-compile
 * exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.dsqllocal.testcontainers.bench.FirstUseBenchmark}
 * (with DSQL_LOCAL_BASE_IMAGE / DSQL_LOCAL_JDK_IMAGE where no registry is reachable).
 */
public final class FirstUseBenchmark {
    private FirstUseBenchmark() {}

    public static void main(String[] args) throws Exception {
        FirstUse.Result result = FirstUse.measure();
        System.out.printf(
                "first use (%s): build %.1f s, then start to first query %.1f s, total %.1f s; image %d MB%n",
                DsqlContainer.DEFAULT_TAG,
                result.buildMillis() / 1000.0,
                result.startToQueryMillis() / 1000.0,
                (result.buildMillis() + result.startToQueryMillis()) / 1000.0,
                result.imageBytes() / 1_000_000);
    }
}
