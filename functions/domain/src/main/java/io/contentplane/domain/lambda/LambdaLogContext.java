package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.MDC;

/**
 * The invocation's identity in every log line written while it runs (the MDC, written by
 * {@link JsonLogging}): the Lambda request id (the one in the function's START/END/REPORT lines, and
 * the API Gateway access log's integration request), the function's name and version. Opened by the
 * handler around each invocation and closed after it.
 */
public final class LambdaLogContext implements AutoCloseable {
    public static final String REQUEST_ID = "requestId";
    public static final String FUNCTION_NAME = "functionName";
    public static final String FUNCTION_VERSION = "functionVersion";

    private LambdaLogContext() {
    }

    public static LambdaLogContext open(Context context) {
        if (context != null) {
            put(REQUEST_ID, context.getAwsRequestId());
            put(FUNCTION_NAME, context.getFunctionName());
            put(FUNCTION_VERSION, context.getFunctionVersion());
        }
        return new LambdaLogContext();
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(FUNCTION_NAME);
        MDC.remove(FUNCTION_VERSION);
    }
}
