package dev.dsqllocal.clusters;

/**
 * Why a stream failed: the model's {@code StatusReason}, an {@code error} (StreamFailureErrorCode, e.g.
 * {@code KINESIS_STREAM_NOT_FOUND}) and when it was set (epoch milliseconds).
 */
public record StreamFailure(String error, long updatedAt) {}
