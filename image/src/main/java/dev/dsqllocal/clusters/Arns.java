package dev.dsqllocal.clusters;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds and parses DSQL ARNs; the partition follows the region (aws-cn for cn-*, aws-us-gov for us-gov-*). */
public final class Arns {
    private static final Pattern DSQL = Pattern.compile(
            "arn:(aws(?:-[^:]+)?):dsql:([a-z0-9-]{1,20}):([0-9]{12}):cluster/([a-z0-9]{26})(?:/stream/([a-z0-9]{26}))?");
    private static final Pattern KINESIS =
            Pattern.compile("arn:(aws(?:-[^:]+)?):kinesis:([^:]*):(\\d{12}):stream/\\S+");
    private static final Pattern ROLE = Pattern.compile("arn:(aws(?:-[^:]+)?):iam::([0-9]{12}):role/.+");

    /** A parsed cluster or stream ARN; {@code streamId} is null for a cluster. */
    public record DsqlArn(String partition, String region, String accountId, String clusterId, String streamId) {}

    /** A parsed ARN of another service: partition, region (may be empty) and account. */
    public record ForeignArn(String partition, String region, String accountId) {}

    private Arns() {}

    public static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    public static String cluster(String region, String accountId, String clusterId) {
        return "arn:" + partition(region) + ":dsql:" + region + ":" + accountId + ":cluster/" + clusterId;
    }

    public static String stream(String region, String accountId, String clusterId, String streamId) {
        return cluster(region, accountId, clusterId) + "/stream/" + streamId;
    }

    public static Optional<DsqlArn> parseDsql(String arn) {
        Matcher m = DSQL.matcher(arn);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new DsqlArn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
    }

    public static Optional<ForeignArn> parseKinesisStream(String arn) {
        Matcher m = KINESIS.matcher(arn);
        return m.matches() ? Optional.of(new ForeignArn(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    public static Optional<ForeignArn> parseRole(String arn) {
        Matcher m = ROLE.matcher(arn);
        return m.matches() ? Optional.of(new ForeignArn(m.group(1), "", m.group(2))) : Optional.empty();
    }
}
