package dev.vigil.aws.dynamo;

/** A DynamoDB call that failed for a reason the store cannot absorb; the message names the operation, table and key. */
public final class DynamoStoreException extends RuntimeException {
    DynamoStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
