package dev.dsqllocal.clusters;

/**
 * Who is calling and where: the account of the signing principal and the region of the signature's scope.
 * Control-plane state is partitioned by account and region.
 */
public record Caller(String accountId, String region, String principalArn) {}
