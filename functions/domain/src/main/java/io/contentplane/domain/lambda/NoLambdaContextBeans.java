package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Keeps the Lambda {@link Context} out of the bean context. micronaut-function-aws 4.11 registers the
 * context (and its logger) as singletons on every invocation, and each registration adds a bean
 * definition, so a warm function's bean lookups slowed down with every request served (measured by
 * functions/bench/warm.sh: +0.7 ms per 1000 requests) and its memory grew. No bean of ours injects
 * the context.
 */
@Requires(classes = DefaultLambdaContextFactory.class)
@Replaces(DefaultLambdaContextFactory.class)
@Singleton
public class NoLambdaContextBeans implements LambdaContextFactory {

    @Override
    public void registerSingletons(Context context) {
        // deliberately nothing: see the class comment
    }
}
