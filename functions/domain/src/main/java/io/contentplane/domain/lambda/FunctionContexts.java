package io.contentplane.domain.lambda;

import io.contentplane.domain.secrets.SecretsRefresh;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;

/**
 * The application context every Lambda handler builds. micronaut-function-aws's own builder creates
 * every singleton and configuration at start-up, so a function pays for beans its invocations never
 * use (the status function built the webhook sender's TLS client; the delivery function the whole
 * outbox relay). Here beans are created when first needed, in the environments the Lambda builder
 * sets; SnapStart priming creates the ones an invocation needs before the snapshot. (The Lambda
 * builder's eager flag cannot be switched back off: it also registers {@code @Singleton} as an eager
 * annotation.) The secrets template.yaml names by ARN are read from Secrets Manager before the
 * context starts.
 */
public final class FunctionContexts {
    private static final String[] LAMBDA_ENVIRONMENTS = {"function", "lambda"};

    private FunctionContexts() {
    }

    public static ApplicationContextBuilder builder() {
        return SecretsRefresh.initial(ApplicationContext.builder().environments(LAMBDA_ENVIRONMENTS), System.getenv());
    }
}
