package dev.dsqllocal.auth;

/**
 * One configured credential pair and the IAM identity it stands for. Resources created with these
 * credentials belong to {@code accountId}; {@code principalArn} is what {@code AWS IAM GRANT} maps to a role.
 */
public record Principal(String accessKeyId, String secretAccessKey, String accountId, String principalArn) {
    @Override
    public String toString() {
        // Never print the secret.
        return "Principal[" + accessKeyId + ", account " + accountId + ", " + principalArn + "]";
    }
}
