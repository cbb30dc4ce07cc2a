package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Downloads the PEM of the certificate authority that signs the emulator's SQL endpoint certificate. */
final class CaCertificate {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private CaCertificate() {}

    static String download(URI uri) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(TIMEOUT)
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
            if (response.statusCode() != 200 || !response.body().contains("BEGIN CERTIFICATE")) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ", not a PEM");
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch the CA certificate from " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }
}
