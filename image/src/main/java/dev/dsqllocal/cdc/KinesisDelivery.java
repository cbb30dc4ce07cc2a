package dev.dsqllocal.cdc;

import dev.dsqllocal.clusters.ClusterStreams;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Delivers change records to the stream's Kinesis data stream at a configured Kinesis-compatible endpoint, with
 * the AWS SDK's Kinesis client and the stream owner's configured credentials: one Kinesis record per change record,
 * a random partition key each (DSQL spreads records over all shards), PutRecords batches within Kinesis' limits
 * (500 records, 5 MiB). Entries Kinesis rejects (throttling) are sent again a few times before delivery reports a
 * retryable failure; a stream that does not exist is reported as such.
 */
public final class KinesisDelivery implements RecordSink, AutoCloseable {
    private static final int MAX_BATCH_RECORDS = 500;
    private static final long MAX_BATCH_BYTES = 5L * 1024 * 1024;
    private static final int ENTRY_ATTEMPTS = 5;

    /** An access key and secret. */
    public record Credentials(String accessKeyId, String secretAccessKey) {}

    static {
        // JSON on the wire, not the SDK's default CBOR: Kinesis accepts both, and kinesalite stores CBOR-sent data so
        // that its readers get objects instead of base64 text. The setting is JVM-wide; only Kinesis uses CBOR among
        // the SDK clients the emulator has. An explicit -Daws.cborEnabled wins.
        if (System.getProperty("aws.cborEnabled") == null) {
            System.setProperty("aws.cborEnabled", "false");
        }
    }

    private final URI endpoint;
    private final Function<String, Optional<Credentials>> credentialsOfAccount;
    private final Map<String, KinesisClient> clients = new ConcurrentHashMap<>();

    /** @param credentialsOfAccount account id → the credentials configured for it */
    public KinesisDelivery(URI endpoint, Function<String, Optional<Credentials>> credentialsOfAccount) {
        this.endpoint = endpoint;
        this.credentialsOfAccount = credentialsOfAccount;
    }

    @Override
    public void deliver(ClusterStreams.Capturing stream, List<byte[]> records) throws DeliveryException {
        String[] arn = stream.kinesisStreamArn().split(":", 6);
        String region = arn[3];
        String name = arn[5].substring(arn[5].indexOf('/') + 1);
        KinesisClient kinesis = client(stream.accountId(), region);
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        long bytes = 0;
        for (byte[] r : records) {
            PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromByteArray(r))
                    .partitionKey(UUID.randomUUID().toString())
                    .build();
            long size = r.length + entry.partitionKey().length();
            if (!batch.isEmpty() && (batch.size() == MAX_BATCH_RECORDS || bytes + size > MAX_BATCH_BYTES)) {
                put(kinesis, name, batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(entry);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            put(kinesis, name, batch);
        }
    }

    private static void put(KinesisClient kinesis, String streamName, List<PutRecordsRequestEntry> entries)
            throws DeliveryException {
        List<PutRecordsRequestEntry> pending = entries;
        for (int attempt = 1; ; attempt++) {
            PutRecordsResponse response;
            List<PutRecordsRequestEntry> sending = pending;
            try {
                response = kinesis.putRecords(b -> b.streamName(streamName).records(sending));
            } catch (ResourceNotFoundException e) {
                throw new DeliveryException("Kinesis stream " + streamName + " not found", true, e);
            } catch (SdkException e) {
                throw new DeliveryException("Kinesis PutRecords failed: " + e.getMessage(), false, e);
            }
            Integer failed = response.failedRecordCount();
            if (failed == null || failed == 0) {
                return;
            }
            List<PutRecordsRequestEntry> again = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    again.add(pending.get(i));
                }
            }
            if (attempt == ENTRY_ATTEMPTS) {
                throw new DeliveryException(
                        again.size() + " records rejected by Kinesis: "
                                + results.stream()
                                        .filter(r -> r.errorCode() != null)
                                        .findFirst()
                                        .map(r -> r.errorCode() + " " + r.errorMessage())
                                        .orElse(""),
                        false,
                        null);
            }
            pending = again;
            sleep(50L << attempt);
        }
    }

    private KinesisClient client(String accountId, String region) throws DeliveryException {
        Credentials credentials = credentialsOfAccount
                .apply(accountId)
                .orElseThrow(
                        () -> new DeliveryException("no credentials configured for account " + accountId, false, null));
        return clients.computeIfAbsent(
                accountId + '/' + region,
                key -> KinesisClient.builder()
                        .endpointOverride(endpoint)
                        .region(Region.of(region))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                        .httpClient(UrlConnectionHttpClient.builder()
                                .connectionTimeout(Duration.ofSeconds(2))
                                .socketTimeout(Duration.ofSeconds(30))
                                .build())
                        // delivery retries itself (and must notice a stream that is gone at once)
                        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                        .build());
    }

    private static void sleep(long millis) throws DeliveryException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", false, e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(KinesisClient::close);
        clients.clear();
    }
}
